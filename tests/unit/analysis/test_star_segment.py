"""Unit tests of analysis.star.segment(): markers, signposts, traps, missing sections,
hooks, caption-style text, tiny and degenerate inputs, settings."""

from __future__ import annotations

import dataclasses

import pytest
from star_corpus import Answer, check_invariants, labels_from_sections, score, synthesise

from analysis.star import Evidence, SectionSpan, StarSegmentation, StarSettings, segment
from analysis.transcript import Marker, Transcript, Word


def make(lines, punct=True, wpm=150.0, name="t"):
    syn = synthesise(Answer(name, "q", punct, wpm, tuple(lines)))
    return syn


def labels(seg: StarSegmentation) -> list[str]:
    return [s.label for s in seg.sections]


def accuracy(syn, seg) -> float:
    return score(syn, labels_from_sections(seg.sections, len(syn.transcript.words))).accuracy


STORY = [
    ("S", "At my last job I was a support lead at a software company with about forty agents."),
    ("S", "Our ticket backlog had been growing for months, and customers were waiting days for a reply."),
    ("T", "My manager asked me to get the first response time under a day before the end of the quarter."),
    ("A", "I started by tagging a month of tickets and found that a third of them were about the same login problem."),
    ("A", "Then I wrote a help article for it and added a link to our automatic reply."),
    ("A", "I also set up a daily fifteen minute stand-up where we went through the oldest tickets first."),
    ("A", "After that I sat down with the product team and walked them through the login bug."),
    ("R", "Within six weeks the first response time went from three days to under eight hours."),
    ("R", "The backlog dropped by sixty percent and our satisfaction score is still the highest in the company."),
]


def test_plain_story_is_segmented_in_order():
    syn = make(STORY)
    seg = segment(syn.transcript, StarSettings())
    check_invariants(seg, syn.transcript)
    assert labels(seg) == ["situation", "task", "action", "result"]
    assert accuracy(syn, seg) >= 0.95
    assert seg.method in ("cues", "signposts")
    assert seg.hook is None
    assert seg.missing == ()


def test_markers_override_cues():
    syn = make(STORY)
    t = syn.transcript
    # the speaker says the Action starts at the second action sentence and the Result
    # at the very last sentence -- against what the words suggest
    first_of = [0]
    for _, text in STORY:
        first_of.append(first_of[-1] + len(text.split()))
    a_at, r_at = first_of[4], first_of[8]
    markers = (
        Marker("situation", 0.0),
        Marker("task", t.words[first_of[2]].start),
        Marker("action", t.words[a_at].start),
        Marker("result", t.words[r_at].start),
    )
    seg = segment(t.with_markers(markers), StarSettings())
    check_invariants(seg, t)
    assert seg.method == "markers"
    starts = {s.label: s.first for s in seg.sections}
    assert starts == {"situation": 0, "task": first_of[2], "action": a_at, "result": r_at}
    assert [e.label for e in seg.evidence if e.kind == "marker"] == ["situation", "task", "action", "result"]


def test_marker_pressed_late_snaps_to_the_sentence_start():
    syn = make(STORY)
    t = syn.transcript
    r_first = sum(len(text.split()) for _, text in STORY[:8])
    late = t.words[r_first + 2].start  # pressed three words into the sentence
    seg = segment(t.with_markers((Marker("result", late),)), StarSettings())
    check_invariants(seg, t)
    assert seg.section("result").first == r_first


def test_partial_markers_leave_the_other_boundaries_to_the_words():
    syn = make(STORY)
    t = syn.transcript
    a_first = sum(len(text.split()) for _, text in STORY[:3])
    seg = segment(t.with_markers((Marker("action", t.words[a_first].start),)), StarSettings())
    check_invariants(seg, t)
    assert seg.method == "markers"
    assert seg.section("action").first == a_first
    # situation/task still found from the words before the marker
    assert labels(seg)[:2] == ["situation", "task"]
    assert accuracy(syn, seg) >= 0.9


def test_markers_out_of_order_are_ignored_not_fatal():
    syn = make(STORY)
    t = syn.transcript
    markers = (Marker("result", t.words[10].start), Marker("task", t.words[40].start))
    seg = segment(t.with_markers(markers), StarSettings())
    check_invariants(seg, t)


SIGNPOSTED = [
    (
        "S",
        "The situation was that our clinic's appointment reminders were sent by hand, and a lot of patients simply forgot to come.",
    ),
    ("S", "We had about a fifteen percent no-show rate."),
    ("T", "My task was to bring that down without adding work for the front desk."),
    ("A", "What I did was set up automatic text reminders two days before each appointment."),
    ("A", "Then I added a reply option so patients could cancel, and we offered those slots to a waiting list."),
    ("R", "The result was that no-shows fell to six percent within two months."),
]


def test_signposts_set_the_boundaries():
    syn = make(SIGNPOSTED)
    seg = segment(syn.transcript, StarSettings())
    check_invariants(seg, syn.transcript)
    assert seg.method == "signposts"
    assert accuracy(syn, seg) == 1.0
    heard = [(e.label, e.text) for e in seg.evidence if e.kind == "signpost"]
    assert ("task", "my task was") in heard
    assert any(lab == "result" and "result was" in text for lab, text in heard)


TRAP = [
    ("S", "At my previous company I was the only analyst supporting three sales teams."),
    ("S", "Every team kept its own spreadsheet, and the numbers never matched in the monthly review."),
    ("T", "I needed to get everyone onto one shared report before the new financial year."),
    ("A", "I met each sales manager separately and asked which numbers they actually used."),
    ("A", "The result was that I convinced them to run a pilot with one shared dashboard for a month."),
    ("A", "Then I built the dashboard, trained the teams on it, and I checked the numbers with finance every Friday."),
    ("A", "I also kept the old spreadsheets running in parallel so nobody felt forced."),
    ("R", "After the pilot all three teams switched, and the monthly review went from two hours to forty minutes."),
]


def test_result_signpost_inside_the_actions_is_a_trap():
    syn = make(TRAP)
    seg = segment(syn.transcript, StarSettings())
    check_invariants(seg, syn.transcript)
    trap_first = sum(len(text.split()) for _, text in TRAP[:4])
    result = seg.section("result")
    assert result is not None and result.first > trap_first + 15
    assert accuracy(syn, seg) >= 0.9


def test_missing_task():
    lines = [ln for ln in STORY if ln[0] != "T"]
    syn = make(lines)
    seg = segment(syn.transcript, StarSettings())
    check_invariants(seg, syn.transcript)
    assert "task" in seg.missing
    # the learned model gives the first action to the Situation here (measured 0.84)
    assert accuracy(syn, seg) >= 0.8
    rules = segment(syn.transcript, StarSettings(learned=False))
    assert "task" in rules.missing
    assert accuracy(syn, rules) >= 0.9


def test_missing_result():
    """A story that stops after its actions: the hand-weighted cues report the Result
    missing; the learned model still takes the last action as the Result (its place
    outweighs its words) but keeps most of the answer right."""
    lines = [ln for ln in STORY if ln[0] != "R"]
    syn = make(lines)
    seg = segment(syn.transcript, StarSettings())
    check_invariants(seg, syn.transcript)
    assert accuracy(syn, seg) >= 0.85
    rules = segment(syn.transcript, StarSettings(learned=False))
    assert rules.missing == ("result",)
    assert accuracy(syn, rules) >= 0.9


@pytest.mark.xfail(
    strict=True,
    reason="known limitation of the learned model: an ending that "
    "narrates one more action is read as the Result, and not flagged unsure (0.74)",
)
def test_missing_result_is_reported_or_unsure():
    syn = make([ln for ln in STORY if ln[0] != "R"])
    seg = segment(syn.transcript, StarSettings())
    assert seg.missing == ("result",) or seg.section("result").confidence < 0.6


def test_missing_situation():
    lines = [ln for ln in STORY if ln[0] != "S"]
    syn = make(lines)
    rules = segment(syn.transcript, StarSettings(learned=False))
    check_invariants(rules, syn.transcript)
    assert "situation" in rules.missing
    assert rules.sections[0].label == "task"
    assert accuracy(syn, rules) >= 0.9
    seg = segment(syn.transcript, StarSettings())
    check_invariants(seg, syn.transcript)
    # the learned model at least flags the opening it calls a Situation as unsure
    assert seg.sections[0].label == "task" or seg.sections[0].confidence < 0.6


def test_missing_situation_learned():
    # (a known limitation until the session-6 model, with word pairs and the neighbours'
    # words: the first action sat where Situations usually are and was read as one)
    syn = make([ln for ln in STORY if ln[0] != "S"])
    seg = segment(syn.transcript, StarSettings())
    assert "situation" in seg.missing and accuracy(syn, seg) >= 0.9


def test_result_first_hook():
    lines = [("R", "I cut our support backlog by sixty percent in six weeks, and here is how.")] + STORY
    syn = make(lines)
    seg = segment(syn.transcript, StarSettings())
    check_invariants(seg, syn.transcript)
    hook_words = len(lines[0][1].split())
    assert seg.hook is not None
    assert seg.hook.start == syn.transcript.words[0].start
    assert abs(seg.hook.end - syn.transcript.words[hook_words - 1].end) < 1e-6
    assert any(e.kind == "hook" for e in seg.evidence)
    # the hook is a Result section of its own before the story, which then starts with
    # its Situation; the Result is still the end of the answer
    assert seg.sections[0].hook and seg.sections[0].label == "result"
    assert seg.sections[0].end == seg.sections[1].start and abs(seg.sections[0].end - seg.hook.end) < 1.0
    assert seg.sections[1].label == "situation" and not seg.sections[1].hook
    result = seg.section("result")
    assert result is not None and result.first > len(syn.transcript.words) * 0.6
    assert accuracy(syn, seg) >= 0.85


def test_no_false_hook_on_an_ordinary_opening():
    seg = segment(make(STORY).transcript, StarSettings())
    assert seg.hook is None


def test_caption_style_without_punctuation_or_pauses():
    syn = make(STORY, punct=False, wpm=170)
    t = syn.transcript
    assert all(w.text == w.text.lower() and w.text.strip().isascii() for w in t.words)
    assert not any(w.text.rstrip()[-1] in ".,?!" for w in t.words)
    seg = segment(t, StarSettings())
    check_invariants(seg, t)
    assert labels(seg) == ["situation", "task", "action", "result"]
    assert accuracy(syn, seg) >= 0.85


def test_weak_evidence_is_unsure_and_nothing_collapses():
    """Words that say nothing about STAR: the learned model falls back to where sections
    usually are (no section squeezed to a sliver, no one-section answer) and says that
    it is guessing: every boundary it puts is unsure."""
    filler_text = "the blue table stands near a green window beside the old red door"
    t = make([("X", filler_text + ".")] * 12).transcript
    seg = segment(t, StarSettings())
    check_invariants(seg, t)
    assert len(seg.sections) >= 3
    total = t.words[-1].end - t.words[0].start
    assert all(s.seconds / total >= 0.1 for s in seg.sections), seg.sections
    assert all(s.confidence < 0.6 for s in seg.sections[1:]), seg.sections  # tui.star_unsure.UNSURE_BELOW


def test_weak_evidence_falls_back_to_the_position_prior():
    """The hand-weighted cues (learned=False): sections follow the prior shares."""
    filler_text = "the blue table stands near a green window beside the old red door"
    lines = [("X", filler_text + ".")] * 12
    t = make(lines).transcript
    seg = segment(t, StarSettings(learned=False))
    check_invariants(seg, t)
    assert labels(seg) == ["situation", "task", "action", "result"]
    total = t.words[-1].end - t.words[0].start
    shares = {s.label: s.seconds / total for s in seg.sections}
    expected = {"situation": 0.20, "task": 0.15, "action": 0.45, "result": 0.20}
    for label, share in expected.items():
        assert abs(shares[label] - share) <= 0.09, (label, shares)


def test_prior_shares_are_settings():
    lines = [("X", "the blue table stands near a green window beside the old red door.")] * 12
    t = make(lines).transcript
    seg = segment(
        t, StarSettings(prior_situation=0.1, prior_task=0.1, prior_action=0.4, prior_result=0.4, learned=False)
    )
    total = t.words[-1].end - t.words[0].start
    assert seg.section("result").seconds / total > 0.3


def test_skip_words_are_not_evidence():
    """Indices in ``skip`` (fillers) still belong to a section but say nothing."""
    syn = make(SIGNPOSTED)
    t = syn.transcript
    seg = segment(t, StarSettings())
    skip = frozenset(range(len(t.words)))
    bare = segment(t, StarSettings(), skip)
    check_invariants(bare, t)
    assert not any(e.kind == "signpost" for e in bare.evidence)
    assert bare.method == "cues"
    assert any(e.kind == "signpost" for e in seg.evidence)


def _words(texts, gap=0.05, dur=0.3):
    out, t = [], 0.5
    for x in texts:
        out.append(Word(" " + x, round(t, 3), round(t + dur, 3)))
        t += dur + gap
    return tuple(out)


@pytest.mark.parametrize("texts", [["Hello."], ["so", "yeah"], ["I", "did", "it."], ["um"]])
def test_tiny_inputs(texts):
    words = _words(texts)
    t = Transcript(words=words, duration=words[-1].end + 0.5)
    seg = segment(t, StarSettings())
    check_invariants(seg, t)
    assert len(seg.sections) == 1


def test_all_filler_input():
    words = _words(["um", "uh", "like", "um", "you", "know", "uh"] * 5)
    t = Transcript(words=words, duration=words[-1].end)
    seg = segment(t, StarSettings(), frozenset(range(len(words))))
    check_invariants(seg, t)


def test_empty_transcript():
    seg = segment(Transcript(words=(), duration=0.0), StarSettings())
    assert seg.sections == () and seg.method == "none"
    assert seg.missing == ("situation", "task", "action", "result")


def test_overlapping_word_times_stay_contiguous():
    # Whisper's words can overlap their neighbour by a few hundredths of a second
    base = make(STORY).transcript
    words = tuple(
        Word(w.text, max(0.0, w.start - 0.04 * (i % 2)), w.end, w.probability) for i, w in enumerate(base.words)
    )
    t = Transcript(words=words, duration=base.duration)
    seg = segment(t, StarSettings())
    check_invariants(seg, t)


def test_results_are_frozen_and_serialisable():
    seg = segment(make(STORY).transcript, StarSettings())
    d = seg.to_dict()
    assert [s["label"] for s in d["sections"]] == labels(seg)
    assert isinstance(seg.sections[0], SectionSpan)
    assert all(isinstance(e, Evidence) for e in seg.evidence)
    with pytest.raises(dataclasses.FrozenInstanceError):
        seg.sections[0].label = "task"  # type: ignore[misc]


@pytest.mark.parametrize(
    "kwargs",
    [
        dict(prior_strength=-1),
        dict(prior_task=-0.1),
        dict(prior_situation=0, prior_task=0, prior_action=0, prior_result=0),
        dict(hook_max_share=1.5),
    ],
)
def test_bad_settings_are_rejected(kwargs):
    with pytest.raises(ValueError):
        StarSettings(**kwargs)


def test_star_settings_load_from_the_settings_file(tmp_path):
    from tui.settings import SettingsError, load_settings

    p = tmp_path / "settings.toml"
    p.write_text("[analysis.star]\nprior_strength = 100\nprior_result = 0.3\n")
    s = load_settings(p)
    assert s.analysis.star.prior_strength == 100.0 and s.analysis.star.prior_result == 0.3
    p.write_text("[analysis.star]\nprior_strength = -5\n")
    with pytest.raises(SettingsError):
        load_settings(p)


def test_every_setting_documents_its_source():
    from tui.settings import field_docs

    docs = field_docs(StarSettings)
    from dataclasses import fields

    for f in fields(StarSettings):
        assert len(docs.get(f.name, "")) > 30, f.name


def test_keys_pressed_at_the_same_moment_the_later_wins():
    t = make(STORY).transcript
    seg = segment(t.with_markers((Marker("situation", 0.0), Marker("action", 0.05))), StarSettings())
    check_invariants(seg, t)
    assert seg.method == "markers"
    assert seg.sections[0].label == "action" and seg.sections[0].first == 0


def test_a_marker_that_leaves_no_room_for_other_sections_is_honoured():
    t = make(STORY).transcript
    seg = segment(t.with_markers((Marker("result", 0.0),)), StarSettings())
    check_invariants(seg, t)
    assert seg.method == "markers"
    assert labels(seg) == ["result"]
    assert seg.missing == ("situation", "task", "action")


def test_markers_after_the_last_word_are_ignored():
    t = make(STORY).transcript
    seg = segment(t.with_markers((Marker("result", t.duration + 60.0),)), StarSettings())
    check_invariants(seg, t)
    assert seg.method != "markers"
    assert labels(seg) == ["situation", "task", "action", "result"]
