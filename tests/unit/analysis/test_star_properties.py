"""Property tests of analysis.star.segment(): whatever the words, times, fillers and
markers, the sections are ordered, contiguous, non-empty and cover the speech."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from star_corpus import check_invariants

from analysis.star import StarSettings, segment
from analysis.transcript import STAR_LABELS, Marker, Transcript, Word

# Words that trigger the segmenter's cues and unit splitting, plus plain and odd tokens.
VOCAB = [
    "so",
    "and",
    "then",
    "i",
    "we",
    "she",
    "my",
    "our",
    "the",
    "a",
    "was",
    "were",
    "had",
    "to",
    "needed",
    "job",
    "task",
    "goal",
    "result",
    "situation",
    "what",
    "did",
    "called",
    "built",
    "asked",
    "by",
    "end",
    "in",
    "within",
    "weeks",
    "percent",
    "dropped",
    "from",
    "twenty",
    "5%",
    "$300",
    "still",
    "now",
    "learned",
    "um",
    "uh",
    "like",
    "you",
    "know",
    "first",
    "also",
    "because",
    "there",
    "nobody",
    "team",
    "manager",
    "approach",
    "outcome",
    "customer",
    "went",
    "up",
    "down",
    "eventually",
    "finally",
    "'",
    "-",
    "…",
    "Ünïcödé",
    "3.5",
    "don't",
    "i'd",
    "",
]
PUNCT = ["", "", "", ",", ".", "?", "!", ";", " —", "...", '"']


@st.composite
def transcripts(draw):
    n = draw(st.integers(min_value=1, max_value=60))
    words = []
    t = draw(st.floats(min_value=0.0, max_value=5.0))
    for _ in range(n):
        base = draw(st.sampled_from(VOCAB))
        text = " " + (base or "x") + draw(st.sampled_from(PUNCT))
        if draw(st.booleans()):
            text = text.upper() if draw(st.booleans()) else text.capitalize()
        dur = draw(st.floats(min_value=0.0, max_value=1.5))
        # words may touch, overlap slightly (as Whisper's do) or follow a long pause
        gap = draw(st.one_of(st.just(0.0), st.floats(min_value=-0.04, max_value=4.0)))
        start = max(0.0, t + gap)
        words.append(Word(text, round(start, 3), round(start + dur, 3), 0.9))
        t = start + dur
    markers = []
    if draw(st.booleans()):
        for _ in range(draw(st.integers(min_value=1, max_value=6))):
            markers.append(
                Marker(draw(st.sampled_from(STAR_LABELS)), draw(st.floats(min_value=0.0, max_value=t + 5.0)))
            )
    skip = frozenset(i for i in range(n) if draw(st.booleans()) and draw(st.booleans()))
    tr = Transcript(words=tuple(words), duration=t + 0.5, markers=tuple(sorted(markers, key=lambda m: m.time)))
    return tr, skip


SETTINGS = st.builds(
    StarSettings,
    prior_strength=st.floats(min_value=0.0, max_value=1000.0),
    cue_weight=st.floats(min_value=0.0, max_value=5.0),
    signpost_weight=st.floats(min_value=0.0, max_value=10.0),
    skip_penalty=st.floats(min_value=0.0, max_value=10.0),
    hook_bias=st.floats(min_value=0.0, max_value=10.0),
    pause_boundary_s=st.floats(min_value=0.0, max_value=3.0),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(transcripts(), SETTINGS)
def test_sections_are_ordered_contiguous_and_cover_the_speech(data, star_settings):
    t, skip = data
    seg = segment(t, star_settings, skip)
    words = t.words
    check_invariants(seg, t)
    assert seg.method in ("markers", "signposts", "cues")
    if seg.hook is not None:
        assert words[0].start <= seg.hook.start <= seg.hook.end <= words[-1].end
    for e in seg.evidence:
        assert 0 <= e.first < len(words) and e.label in STAR_LABELS


@settings(max_examples=60, deadline=None)
@given(transcripts())
def test_markers_are_honoured_when_consistent(data):
    """Markers in S->T->A->R order at distinct words, pressed at least 0.3 s apart: each
    marked section starts at (or snaps to a sentence start near) its marker. (Keys
    within 0.15 s of each other count as one press, the later winning: found by this
    property, keys 0.125 s apart on a degenerate transcript.)"""
    t, skip = data
    n = len(t.words)
    if n < 8:
        return
    idx = [0, n // 4, n // 2, (3 * n) // 4]
    if len(set(idx)) < 4:
        return
    markers = tuple(Marker(lab, t.words[i].start) for lab, i in zip(STAR_LABELS, idx, strict=False))
    if (
        len({m.time for m in markers}) < 4
        or min(b.time - a.time for a, b in zip(markers, markers[1:], strict=False)) < 0.3
    ):
        return
    seg = segment(t.with_markers(markers), StarSettings(), skip)
    assert seg.method == "markers"
    assert [s.label for s in seg.sections] == list(STAR_LABELS)


TEXT_WORDS = VOCAB + [
    "she's",
    "we'd",
    "i'd",
    "cut-over",
    "40%",
    "$15,000",
    "15",
    "3.5",
    "problems",
    "goals",
    "complimented",
    "thanks",
    "instead",
    "of",
    "later",
    "half",
    "an",
    "hour",
    "late",
    "no",
    "major",
    "findings",
    "back",
    "normal",
    "on",
    "me",
    "responsible",
    "for",
    "charge",
    "situation",
    "context",
    "here's",
    "is",
    "what",
    "as",
    "result",
    "end",
    "outcome",
]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(TEXT_WORDS), min_size=0, max_size=30))
def test_fast_cue_matching_equals_running_every_pattern(words):
    """The segmenter tries each cue pattern only where a match can begin; that must
    find exactly what running every pattern over the whole unit finds."""
    from analysis.star.evidence import unit_evidence

    text = " ".join(w for w in words if w)
    assert unit_evidence(text, use_triggers=True) == unit_evidence(text, use_triggers=False)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(transcripts())
def test_learned_scores_equal_the_feature_reference(case):
    """The learned model scores units on the run-time path without building feature
    lists; that must give what its reference (the features, weighed one by one) gives."""
    from analysis.star.evidence import unit_evidence_hits
    from analysis.star.model import load_model, unit_features
    from analysis.star.units import evidence_norms, split_units, unit_spans

    t, skip = case
    model = load_model()
    assert model is not None, "the shipped model loads"
    units, punctuated = split_units(t, evidence_norms(t.words), skip, StarSettings())
    texts = [u.text for u in units]
    ev = [unit_evidence_hits(x) for x in texts]
    hits, sigs, spans = [e[3] for e in ev], [e[1] for e in ev], unit_spans(units, t)
    fast = model.unit_scores(texts, hits, sigs, spans, punctuated)
    reference = model.split_scores(unit_features(texts, hits, sigs, spans, punctuated))
    assert len(fast) == len(reference)
    for a, b in zip(fast, reference, strict=False):
        assert all(abs(x - y) < 1e-9 for x, y in zip(a, b, strict=False)), (a, b)


def test_a_marker_does_not_snap_onto_the_next_sections_marker():
    """Found by the property above: a key pressed a second before a sentence start where
    the next section's key was pressed kept its own section (it used to snap forward onto
    that start, and the later key then replaced it: Action vanished)."""
    times = [(0.0, 0.0), (0.0, 1.0), (1.0, 1.0), (1.0, 2.0), (2.0, 2.0), (2.0, 3.0), (3.0, 3.0), (3.0, 3.0), (3.0, 3.0)]
    t = Transcript(words=tuple(Word(" so", a, b, 0.9) for a, b in times), duration=3.5)
    markers = tuple(Marker(lab, at) for lab, at in zip(STAR_LABELS, (0.0, 1.0, 2.0, 3.0), strict=False))
    seg = segment(t.with_markers(markers), StarSettings(), frozenset())
    assert [(s.label, s.start) for s in seg.sections] == [
        ("situation", 0.0),
        ("task", 1.0),
        ("action", 2.0),
        ("result", 3.0),
    ]
