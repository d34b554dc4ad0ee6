#!/usr/bin/env python3
"""Fit the learned "like" / "you know" / "I mean" decisions and write
analysis/filler_model.json (``make train``).

Every use of those phrases in the labelled answers (tests/corpus/star, tests/corpus/fillers,
../shared/corpus/star), synthesised as corpus_score.py does, once as written and once in
the other text style, is an example: gold filler (``{like}``) or not (unmarked);
ambiguous ones (``{?like}``) are left out. A logistic model over analysis.filler_model's
features (the rule's decision among them) is cross-validated grouped by batch, against
the rules alone; the probability threshold is the lowest that keeps the held-out
precision of these decisions at ``--min-precision`` or more. The model is kept only if
it beats the rules on held-out recall at that precision (else no model file: the rules
decide).

Usage: train_fillers.py [--folds 5] [--min-precision 0.97] [--no-write]
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from copy import copy
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from corpus_score import DEFAULT_DIRS, collect, parse, synthesise  # noqa: E402

from analysis.filler_model import MODEL_PATH, PHRASES, FillerModel, features  # noqa: E402
from analysis.fillers import RULES, Ctx  # noqa: E402
from analysis.lexicon import Tokens  # noqa: E402

FILLER_DIR = ROOT / "tests" / "corpus" / "fillers"


def candidates(answer):
    syn = synthesise(answer)
    tokens = Tokens.of(syn.transcript)
    ctx = Ctx(tokens)
    norms = tokens.norms
    out = []
    for i in range(len(norms)):
        for phrase, key in PHRASES.items():
            k = len(phrase)
            if tuple(norms[i : i + k]) != phrase:
                continue
            last = i + k - 1
            if k > 1 and any(ctx.comma_after(j) for j in range(i, last)):
                continue
            if phrase == ("i", "mean") and tuple(norms[max(0, i - 3) : i]) == ("you", "know", "what"):
                continue
            kind = syn.gold_words[i][2]
            if kind == "ambiguous":
                continue
            rule = RULES[phrase](ctx, i, last)
            out.append((features(ctx, i, last, key, rule), kind == "gold", rule))
    return out


def fit(examples, l2=0.01, iters=800):
    counts = defaultdict(int)
    for names, _, _ in examples:
        for n in set(names):
            counts[n] += 1
    vocab = sorted(n for n, c in counts.items() if c >= 2)
    index = {n: i for i, n in enumerate(vocab)}
    X = np.zeros((len(examples), len(vocab)), dtype=np.float32)
    for r, (names, _, _) in enumerate(examples):
        for n in names:
            j = index.get(n)
            if j is not None:
                X[r, j] = 1.0
    y = np.array([float(g) for _, g, _ in examples], dtype=np.float32)
    w = np.zeros(len(vocab), dtype=np.float32)
    m, v = np.zeros_like(w), np.zeros_like(w)
    for t in range(1, iters + 1):
        p = 1 / (1 + np.exp(-(X @ w)))
        g = X.T @ (p - y) / len(y) + l2 * w
        m = 0.9 * m + 0.1 * g
        v = 0.999 * v + 0.001 * g * g
        w -= 0.1 * (m / (1 - 0.9**t)) / (np.sqrt(v / (1 - 0.999**t)) + 1e-8)
    return {n: float(w[i]) for n, i in index.items() if abs(w[i]) >= 1e-4}


def pr(decisions):
    tp = sum(1 for d, g in decisions if d and g)
    fp = sum(1 for d, g in decisions if d and not g)
    fn = sum(1 for d, g in decisions if not d and g)
    return (tp / (tp + fp) if tp + fp else 1.0), (tp / (tp + fn) if tp + fn else 1.0), tp, fp, fn


def group_of(answer):
    return "fillers" if answer.path.parent == FILLER_DIR else answer.group


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--min-precision", type=float, default=0.97)
    ap.add_argument("--no-write", action="store_true")
    ap.add_argument("--out", type=Path, default=MODEL_PATH)
    args = ap.parse_args()
    files = collect([d for d in (*DEFAULT_DIRS, FILLER_DIR) if d.exists()])
    per_group = defaultdict(list)  # group -> [(as written examples, flipped examples)]
    for f in files:
        a = parse(f)
        other = copy(a)
        other.meta = dict(a.meta, punct="no" if a.punct else "yes")
        per_group[group_of(a)].append((candidates(a), candidates(other)))
    groups = sorted(per_group, key=lambda g: -len(per_group[g]))
    fold_of = {g: i % args.folds for i, g in enumerate(groups)}
    n_ex = sum(len(x) for v in per_group.values() for x, _ in v)
    print(f"{len(files)} answers, {len(groups)} groups, {n_ex} uses of like / you know / I mean")
    l2s = (0.001, 0.003, 0.01)
    held = {l2: [] for l2 in l2s}  # (probability, gold) on held-out answers as written
    rules_held = []
    for fi in range(args.folds):
        train = [e for g in groups if fold_of[g] != fi for pair in per_group[g] for side in pair for e in side]
        test = [e for g in groups if fold_of[g] == fi for pair in per_group[g] for e in pair[0]]
        rules_held.extend((r, gold) for _, gold, r in test)
        for l2 in l2s:
            model = FillerModel(fit(train, l2), 0.5)
            held[l2].extend((model.probability(names), gold) for names, gold, _ in test)
    rp, rr, *rest = pr(rules_held)
    print(f"rules alone (held out): P {rp:.3f} R {rr:.3f} (tp {rest[0]}, fp {rest[1]}, fn {rest[2]})")
    for l2 in l2s:
        curve = []
        for thr in (0.3, 0.4, 0.5, 0.6, 0.7, 0.8):
            p_, r_, *_ = pr([(pp >= thr, g) for pp, g in held[l2]])
            curve.append(f"{thr:.1f}: P {p_:.3f} R {r_:.3f}")
        print(f"  l2={l2:g}  " + "  ".join(curve))
    best = None
    for l2 in l2s:
        for thr in [x / 100 for x in range(20, 96)]:
            p, r, tp, fp, fn = pr([(pp >= thr, g) for pp, g in held[l2]])
            if p >= args.min_precision and (best is None or r > best[1] + 1e-9):
                best = (l2, r, p, thr, tp, fp, fn)
    if best is None:
        print("no threshold keeps the precision: the rules decide alone")
        return 0
    l2, r, p, thr, tp, fp, fn = best
    print(f"learned (held out): P {p:.3f} R {r:.3f} (tp {tp}, fp {fp}, fn {fn}) at l2={l2:g} threshold={thr:.2f}")
    if not (r > rr and p >= min(rp, args.min_precision)):
        print(
            "the learned decisions do not beat the rules (more recall at no less precision): no model; the rules decide"
        )
        if not args.no_write and args.out.exists():
            args.out.unlink()
            print(f"removed {args.out}")
        return 0
    everything = [e for g in groups for pair in per_group[g] for side in pair for e in side]
    meta = {
        "examples": len(everything),
        "answers": len(files),
        "cv_precision": round(p, 4),
        "cv_recall": round(r, 4),
        "rules_cv_precision": round(rp, 4),
        "rules_cv_recall": round(rr, 4),
        "l2": l2,
    }
    model = FillerModel(fit(everything, l2), thr, meta)
    print("chosen:", json.dumps(meta))
    if not args.no_write:
        args.out.write_text(json.dumps(model.to_dict(), separators=(",", ":")) + "\n", encoding="utf-8")
        print(f"wrote {args.out} ({len(model.weights)} features)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
