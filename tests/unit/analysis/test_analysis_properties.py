"""Invariants of analyze() on arbitrary word lists (hypothesis)."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis import analyze
from analysis.fillers import detect_fillers
from analysis.transcript import STAR_LABELS, Marker, Transcript, Word

VOCAB = [
    "um",
    "uh",
    "like",
    "you",
    "know",
    "i",
    "mean",
    "kind",
    "of",
    "sort",
    "guess",
    "maybe",
    "basically",
    "actually",
    "we",
    "the",
    "result",
    "was",
    "so",
    "then",
    "first",
    "finally",
    "my",
    "task",
    "situation",
    "did",
    "called",
    "twenty",
    "percent",
    "50%",
    "in",
    "end",
    "I'd",
    "felt",
    "Like,",
    "know,",
    "Um.",
    "and",
    "it",
    "team",
    "what",
    "—",
    "...",
    "hmm",
]

word_text = st.one_of(st.sampled_from(VOCAB), st.text(min_size=1, max_size=8))


@st.composite
def transcripts(draw):
    n = draw(st.integers(min_value=1, max_value=120))
    words = []
    t = draw(st.floats(min_value=0, max_value=5))
    for _ in range(n):
        text = draw(word_text)
        gap = draw(st.sampled_from([0.0, 0.0, 0.02, 0.1, 0.3, 0.6, 2.5]))
        dur = draw(st.sampled_from([0.0, 0.05, 0.2, 0.35, 0.8]))
        t += gap
        words.append(Word(" " + text, round(t, 3), round(t + dur, 3)))
        t += dur
    markers = ()
    if draw(st.booleans()):
        k = draw(st.integers(min_value=1, max_value=4))
        markers = tuple(
            sorted(
                (
                    Marker(draw(st.sampled_from(STAR_LABELS)), draw(st.floats(min_value=0, max_value=t + 1)))
                    for _ in range(k)
                ),
                key=lambda m: m.time,
            )
        )
    return Transcript(words=tuple(words), duration=t + 0.5, markers=markers)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(transcripts())
def test_invariants(transcript):
    r = analyze(transcript)
    d = r.to_dict()
    words = transcript.words
    secs = d["star"]["sections"]
    assert secs, "some section always holds the speech"
    # sections: S->T->A->R order, no repeats, contiguous, covering the speech
    order = [STAR_LABELS.index(s["label"]) for s in secs]
    assert order == sorted(set(order))
    assert secs[0]["start"] == pytest.approx(round(words[0].start, 3), abs=1e-6)
    assert secs[-1]["end"] == pytest.approx(round(max(w.end for w in words), 3), abs=0.06)
    for a, b in zip(secs, secs[1:], strict=False):
        assert a["end"] == pytest.approx(b["start"], abs=1e-6)
        assert a["start"] <= a["end"]
    assert sum(s["share"] for s in secs) == pytest.approx(1.0, abs=1e-9)
    assert all(0 <= s["share"] <= 1 for s in secs)
    assert sum(s["words"] for s in secs) == len(words)
    assert set(d["star"]["missing"]) == set(STAR_LABELS) - {s["label"] for s in secs}
    # fillers: inside the take, in order, not overlapping
    items = r.fillers.items
    for f in items:
        assert 0 <= f.first <= f.last < len(words)
        assert words[0].start <= f.start <= f.end <= max(w.end for w in words)
    for a, b in zip(items, items[1:], strict=False):
        assert a.last < b.first
    assert sum(s["fillers"] for s in secs) == len(items)
    assert len(d["tips"]) <= 3
    assert d["pace"]["wpm"] >= 0 and d["pauses"]["count"] >= 0


@settings(max_examples=200, deadline=None)
@given(st.lists(word_text, min_size=0, max_size=60))
def test_fillers_never_crash_and_stay_in_range(texts):
    words = tuple(Word(" " + x, i * 0.4, i * 0.4 + 0.3) for i, x in enumerate(texts))
    t = Transcript(words=words, duration=len(words) * 0.4 + 1)
    for f in detect_fillers(t):
        assert 0 <= f.first <= f.last < len(words)
        assert f.start == words[f.first].start and f.end == words[f.last].end
