#!/usr/bin/env python3
"""How fast is the analysis? Prints measured figures (no pass/fail inside the suite).

1. one 10,000-word transcript (about an hour of speech): goal <= 0.2 s;
2. re-scoring 1,000 typical answers (about 300 words, two minutes each): goal <= 2 s
   (analyze() on loaded transcripts, and also from JSON dicts, as `rehearse rescore`
   and the take library do).

Run: `make bench` or `.venv/bin/python benchmarks/analysis_speed.py [--quick]`.
"""

from __future__ import annotations

import argparse
import dataclasses
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from analysis import analyze  # noqa: E402
from analysis.transcript import Transcript, Word  # noqa: E402

SENTENCES = [
    ("S", "So last year I was a support engineer at a small software company that builds booking tools for clinics."),
    ("S", "Um, clinics kept telling us that patients were, like, missing appointments because reminders came late."),
    ("T", "My job was to find out why the reminders were late and, you know, get the complaints down."),
    ("A", "So first I pulled every reminder ticket from the last three months and tagged each one by time zone."),
    ("A", "Then I sat down with one of our developers and we we traced it to a job that stored times without a zone."),
    ("A", "I kind of rewrote the script, uh, and I called the five clinics with the most complaints myself."),
    ("A", "Finally I added a check to our release list so it could not, like, quietly come back."),
    ("R", "In the end reminder complaints dropped by eighty percent within a month and all five clinics renewed."),
    ("R", "I mean, that check has already caught the same bug twice since then."),
]


def make_transcript(n_words: int, seed: int, caption: bool = False) -> Transcript:
    rng = random.Random(seed)
    words: list[Word] = []
    t = 0.4
    while len(words) < n_words:
        for _, sentence in SENTENCES:
            for tok in sentence.split():
                if caption:
                    tok = tok.strip(",.").lower()
                dur = 0.18 + 0.03 * len(tok) * rng.uniform(0.7, 1.3)
                words.append(Word(" " + tok, round(t, 3), round(t + dur, 3), 0.9))
                t += dur + rng.choice((0.02, 0.04, 0.06, 0.1, 0.6 if tok.endswith(".") else 0.05))
                if len(words) >= n_words:
                    break
            if len(words) >= n_words:
                break
    return Transcript(words=tuple(words), duration=t + 0.5)


def timed(fn, repeat: int) -> list[tuple[float, float]]:
    """(wall seconds, CPU seconds of this process) per run. On a shared, loaded machine
    the CPU time is the fairer figure; both are printed."""
    out = []
    for _ in range(repeat):
        w0, c0 = time.perf_counter(), time.process_time()
        fn()
        out.append((time.perf_counter() - w0, time.process_time() - c0))
    return out


def line(label: str, runs: list[tuple[float, float]], goal: float | None = None) -> str:
    wall = statistics.median(r[0] for r in runs)
    cpu = statistics.median(r[1] for r in runs)
    best = min(r[0] for r in runs)
    verdict = ""
    if goal is not None:
        verdict = f"  (goal <= {goal:.3f} s; CPU time is {cpu / goal:.2f}x the goal: {'OK' if cpu <= goal else 'SLOW'})"
    return f"{label}: median {wall:.3f} s wall, {cpu:.3f} s CPU, best {best:.3f} s{verdict}"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="fewer repetitions")
    args = ap.parse_args()
    repeat = 3 if args.quick else 7
    try:
        import os

        print(f"machine: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f}")
    except (AttributeError, OSError):
        pass

    from analysis.settings import AnalysisSettings
    from analysis.star import segment

    settings = AnalysisSettings()
    big = make_transcript(10_000, seed=1)
    analyze(big)  # warm caches (compiled regexes, vocabularies)
    print(
        line(
            f"analyse one 10,000-word transcript ({big.words[-1].end / 60:.0f} min of speech)",
            timed(lambda: analyze(big), repeat),
            0.2,
        )
    )

    typical = [make_transcript(300, seed=i, caption=(i % 3 == 0)) for i in range(1000)]
    dicts = [t.to_dict() for t in typical]
    reps = max(1, repeat // 2)

    print(line("re-score 1,000 x 300-word answers: analyze()", timed(lambda: [analyze(t) for t in typical], reps), 2.0))
    print(
        line(
            "  of which STAR segmentation (analysis.star.segment)",
            timed(lambda: [segment(t, settings.star) for t in typical], reps),
        )
    )
    rules = dataclasses.replace(settings.star, learned=False)
    print(
        line(
            "  (STAR with the hand-weighted cues instead of the learned model, for comparison)",
            timed(lambda: [segment(t, rules) for t in typical], reps),
        )
    )
    print(
        line(
            "re-score 1,000 from JSON dicts: Transcript.from_dict + analyze + to_dict",
            timed(lambda: [analyze(Transcript.from_dict(d, "t")).to_dict() for d in dicts], reps),
        )
    )
    print(line("  of which Transcript.from_dict", timed(lambda: [Transcript.from_dict(d, "t") for d in dicts], reps)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
