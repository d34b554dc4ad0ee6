"""STAR segmentation and fillers scored on the labelled answers in tests/corpus/star.

The answers were written for this suite (see tests/support/star_corpus.py for the format) and
cover caption-style text, missing sections, result-first hooks, "like" as a verb and as a
filler, signposted answers, team ("we") answers, long actions, short answers and
different domains and speaking rates. They go through the real entry point,
``analysis.analyze``, and are scored from the report JSON the way external tools see it.
"""

from __future__ import annotations

import re

import pytest
from star_corpus import (
    CORPUS_DIR,
    Score,
    corpus_answers,
    gold_sections,
    labels_from_sections,
    labels_from_times,
    score,
    synthesise,
)

from analysis import analyze
from analysis.star import StarSettings, segment

ANSWERS = corpus_answers()
IDS = [a.name for a in ANSWERS]
# Answers by the blind writers (w<N>_b<NN>_*), who were asked to mark only filled pauses,
# "like", "you know" and "I mean" (not hedges such as "kind of", which Rehearse counts too).
BLIND = {a.name for a in ANSWERS if re.match(r"w\d+_b\d+_", a.name)}
BRIEF_WORDS = {"like", "you know", "i mean", "you know what i mean"}


@pytest.fixture(scope="module")
def reports():
    out = {}
    for answer in ANSWERS:
        syn = synthesise(answer)
        out[answer.name] = (syn, analyze(syn.transcript).to_dict())
    return out


def test_corpus_is_large_and_varied():
    assert len(ANSWERS) >= 12
    assert sum(not a.punct for a in ANSWERS) >= 4, "caption-style answers"
    labels_per_answer = [{lab for lab, _ in a.lines} for a in ANSWERS]
    for missing in "STR":
        assert any(missing not in labs for labs in labels_per_answer), f"an answer without {missing}"
    # a result-first hook: an R line before the first S/T/A line
    assert any(a.lines[0][0] == "R" for a in ANSWERS)
    rates = sorted(a.wpm for a in ANSWERS)
    assert rates[0] <= 135 and rates[-1] >= 180


def test_aggregate_star_accuracy_and_fillers(reports):
    total = Score()
    for name, (syn, rep) in reports.items():
        if name in BLIND:
            continue
        pred = labels_from_times(rep["star"]["sections"], syn.transcript)
        total.add(score(syn, pred, rep["fillers"]["items"]))
    # the 39 development answers: measured 0.97 (the model is fitted to them among
    # others; cross-validated figures: tests/test_star_learned.py and the corpus README);
    # a fixed 20/15/45/20 time split scores 0.80 on them
    assert total.accuracy >= 0.93, f"star accuracy {total.accuracy:.3f}"
    assert total.precision >= 0.85, f"filler precision {total.precision:.3f}"
    assert total.recall >= 0.65, f"filler recall {total.recall:.3f}"


def test_blind_answers_star_and_fillers(reports):
    """The blind writers' answers: STAR accuracy, and fillers on the words their brief
    asked them to mark. (The model was fitted to these answers too: the figures that
    count are the blind and cross-validated ones in tests/corpus/star/README.md.)"""
    blind = [name for name in reports if name in BLIND]
    if not blind:
        pytest.skip("no blind answers in the corpus")
    total = Score()
    for name in blind:
        syn, rep = reports[name]
        pred = labels_from_times(rep["star"]["sections"], syn.transcript)
        items = [i for i in rep["fillers"]["items"] if i["kind"] == "filled_pause" or i["text"] in BRIEF_WORDS]
        total.add(score(syn, pred, items))
    assert total.accuracy >= 0.93, f"star accuracy {total.accuracy:.3f}"
    # measured P 0.938 R 0.85 with this suite's timings (caption text fully unpunctuated);
    # 0.96 / 0.85 with the shared scorer's (benchmarks/corpus_score.py)
    assert total.precision >= 0.93, f"filler precision {total.precision:.3f}"
    assert total.recall >= 0.80, f"filler recall {total.recall:.3f}"


def _answer_problems(name, syn, rep) -> list[str]:
    pred = labels_from_times(rep["star"]["sections"], syn.transcript)
    acc = score(syn, pred).accuracy
    out = [f"{name}: star accuracy {acc:.2f}"] if acc < 0.75 else []
    gold = gold_sections(syn)
    for label in ("situation", "task", "result"):
        if label not in gold:
            extra = sum(1 for p in pred if p == label)
            if not (label in rep["star"]["missing"] or extra <= 0.15 * len(pred)):
                out.append(f"{name}: {label} is not in the answer but got {extra} words")
    return out


def test_blind_answers_rarely_go_wrong(reports):
    """Per blind answer (fed here with this suite's own timings, caption answers without
    any punctuation): accuracy >= 0.75 and skipped sections not filled with words, for
    all but a few (measured: 19 of 410 answers, mostly terse note-like caption text)."""
    blind = [name for name in reports if name in BLIND]
    if not blind:
        pytest.skip("no blind answers in the corpus")
    problems = [p for name in blind for p in _answer_problems(name, *reports[name])]
    assert len(problems) <= 0.06 * len(blind), problems


# Development answers the learned model gets wrong on this suite's timings (h11, which
# opens with its Task in caption text, was one until the refit on 825 answers).
_KNOWN: set[str] = set()


@pytest.mark.parametrize(
    "name",
    [
        pytest.param(n, marks=pytest.mark.xfail(strict=True, reason="known: see _KNOWN")) if n in _KNOWN else n
        for n in IDS
        if n not in BLIND
    ],
)
def test_each_answer(reports, name):
    syn, rep = reports[name]
    pred = labels_from_times(rep["star"]["sections"], syn.transcript)
    acc = score(syn, pred).accuracy
    assert acc >= 0.75, f"{name}: star accuracy {acc:.2f}"
    # sections the answer skipped are reported missing (when the decision is clear)
    gold = gold_sections(syn)
    for label in ("situation", "task", "result"):
        if label not in gold:
            extra = sum(1 for p in pred if p == label)
            assert label in rep["star"]["missing"] or extra <= 0.15 * len(pred), (
                f"{name}: {label} is not in the answer but got {extra} words"
            )


def _collapsed(syn, rep) -> list[str]:
    """Gold sections of 8+ words that were not found, or got under 35 % of their words."""
    sections = rep["star"]["sections"]
    pred = labels_from_times(sections, syn.transcript)
    labels = [s["label"] for s in sections]
    out = []
    for label, (first, last) in gold_sections(syn).items():
        if last - first < 8:
            continue
        got = sum(1 for i in range(first, last) if pred[i] == label)
        if label not in labels or got < 0.35 * (last - first):
            out.append(f"{syn.answer.name}: {label} has {got} of its {last - first} words")
    return out


def test_no_section_collapses(reports):
    """Every real section is found with a fair part of its words, in all but some
    answers. With the hand-weighted cues 1 of the 39 development answers missed; the
    learned model misses in 60 of 459 (49 of them a Task of a sentence or two that it
    reads as Situation or Action: the weakest part, see the corpus README)."""
    problems = [p for syn, rep in reports.values() for p in _collapsed(syn, rep)]
    assert len(problems) <= 0.14 * len(reports), problems


def test_hooks_are_reported_and_do_not_drag_the_result(reports):
    hooked = [a for a in ANSWERS if a.lines[0][0] == "R"]
    assert len(hooked) >= 3
    detected = 0
    for answer in hooked:
        syn, rep = reports[answer.name]
        result = [s for s in rep["star"]["sections"] if s["label"] == "result" and not s.get("hook")]
        # whether or not the hook is recognised, the Result is the end of the story
        assert result and result[0]["start"] > syn.transcript.duration * 0.5, answer.name
        if rep["star"]["hook"] is None:
            continue
        detected += 1
        first_line_words = len(answer.lines[0][1].split())
        # (it may take the next few words: "... that's the short version. the long
        # version, ok, I work in a hotel" in caption text; and an aside right after it,
        # which belongs to no section: "Here is how we did it."; a hook told in two
        # lines is all of it)
        sentence_open = answer.punct and not answer.lines[0][1].rstrip().endswith((".", "?", "!"))
        for label, text in answer.lines[1:]:
            if label not in ("X", "R") and not sentence_open:
                break
            # (the hook runs to the end of its sentence: "I once cut check-in queues by
            # half | by moving the paperwork online." -- a writer may label the "how" as A)
            first_line_words += len(text.split())
            sentence_open = answer.punct and not text.rstrip().endswith((".", "?", "!"))
        assert rep["star"]["hook"]["end"] <= syn.transcript.words[first_line_words + 4].end, answer.name
        # the hook is the Result told first: a section of its own, before the story
        first = rep["star"]["sections"][0]
        assert first["label"] == "result" and first.get("hook"), answer.name
        assert rep["star"]["sections"][1]["label"] != "result", answer.name
    # a hook with no outcome words ("I got my class to finish a reading challenge") can
    # go unnoticed (its words are then scored as the first section); the learned model
    # reports nearly all of the blind writers' hooks
    assert detected >= 0.8 * len(hooked), f"{detected} of {len(hooked)} hooks detected"


def test_robust_to_whisper_like_timings():
    """Whisper often leaves no silence at sentence ends: punctuation must be enough."""
    total = Score()
    for answer in ANSWERS:
        syn = synthesise(answer, whisper_like=True, seed=1)
        seg = segment(syn.transcript, StarSettings())
        total.add(score(syn, labels_from_sections(seg.sections, len(syn.transcript.words))))
    assert total.accuracy >= 0.88, f"star accuracy {total.accuracy:.3f}"


def test_cues_beat_the_position_prior_alone():
    """The words must add something over fixed time shares (cue_weight=0 and no
    signposts leaves only the prior)."""
    full, prior_only = Score(), Score()
    for answer in ANSWERS:
        syn = synthesise(answer)
        n = len(syn.transcript.words)
        seg = segment(syn.transcript, StarSettings())
        full.add(score(syn, labels_from_sections(seg.sections, n)))
        bare = segment(syn.transcript, StarSettings(cue_weight=0.0, signpost_weight=0.0))
        prior_only.add(score(syn, labels_from_sections(bare.sections, n)))
    assert full.accuracy >= prior_only.accuracy + 0.05, (full.accuracy, prior_only.accuracy)


def _styles(name: str) -> set[str]:
    path = CORPUS_DIR / f"{name}.txt"
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.lower().startswith("# style:"):
            return {s.strip().lower() for s in re.split(r"[,;/]", line.partition(":")[2]) if s.strip()}
    return set()


def test_terse_notes_without_punctuation_are_not_below_the_time_shares():
    """Terse, note-like answers as caption text (no punctuation at all) hold few, long
    units; weak evidence inside them must fall back to where sections usually are, not
    collapse ("Situation, Action", the rest missing): the segmenter scores at least the
    naive time shares S 20 / T 15 / A 45 / R 20 % on them."""
    from dataclasses import replace

    terse = [a for a in ANSWERS if "note-like" in _styles(a.name)]
    assert len(terse) >= 10
    ours, naive = Score(), Score()
    for answer in terse:
        syn = synthesise(replace(answer, punct=False))
        t = syn.transcript
        ours.add(score(syn, labels_from_times(analyze(t).to_dict()["star"]["sections"], t)))
        t0, span = t.words[0].start, t.words[-1].end - t.words[0].start
        edges, acc = [], 0.0
        for label, share in (("situation", 0.20), ("task", 0.15), ("action", 0.45), ("result", 0.20)):
            edges.append({"label": label, "start": t0 + acc * span, "end": t0 + (acc + share) * span})
            acc += share
        naive.add(score(syn, labels_from_times(edges, t)))
    assert ours.accuracy >= naive.accuracy, f"STAR {ours.accuracy:.3f} vs naive {naive.accuracy:.3f}"
