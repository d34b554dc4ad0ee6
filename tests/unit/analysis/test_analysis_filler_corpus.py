"""Fillers scored on labelled answers written for this suite (tests/corpus/fillers, the
shared corpus format): "like", "you know", "I mean" as fillers and as ordinary words,
hedges, sentence adverbs, filled pauses and look-alikes, in punctuated and caption text.
Scored like the shared evaluation: precision and recall by position, repetitions not
scored, ambiguous ({?...}) uses scored neither way."""

from __future__ import annotations

from pathlib import Path

import pytest
from analysis_helpers import labelled_answer

from analysis import analyze

CORPUS = Path(__file__).resolve().parents[2] / "corpus" / "fillers"
FILES = sorted(CORPUS.glob("*.txt"))


def _score(path):
    t, gold, ambiguous = labelled_answer(path)
    report = analyze(t)
    items = [f for f in report.fillers.items if f.kind != "repetition"]
    words = [w.text.strip() for w in t.words]

    def covers(item, span):
        return span[0] <= item.first <= span[1]

    tp = {g for g in gold if any(covers(f, g) for f in items)}
    fp = [f for f in items if not any(covers(f, g) for g in gold + ambiguous)]
    missed = [g for g in gold if g not in tp]
    detail = [f"FP {words[f.first : f.last + 1]}" for f in fp] + [f"FN {words[a : b + 1]}" for a, b in missed]
    return len(tp), len(fp), len(gold), detail


def test_corpus_is_there():
    assert len(FILES) >= 18


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_each_answer(path):
    tp, fp, n_gold, detail = _score(path)
    assert tp == n_gold and fp == 0, detail


def test_aggregate_precision_and_recall():
    tp = fp = gold = 0
    for path in FILES:
        a, b, c, _ = _score(path)
        tp, fp, gold = tp + a, fp + b, gold + c
    assert gold >= 90
    assert tp / (tp + fp) >= 0.95 and tp / gold >= 0.95
