#!/usr/bin/env python3
"""Audio-side hesitation hints ("possible hesitations"): recall on the fillers Whisper
drops and false alarms per minute, with the real (bundled) tiny.en and Rehearse's file path.

Speech with fillers: the answers of benchmarks/data/hesitation_answers.json (41 "um"/"uh")
and the filler answers of benchmarks/data/filler_answers.json (40), our own texts, spoken by
espeak-ng one stretch at a time (each filler alone), joined with 0.1-s gaps, so every gold
filler's time is known; twice: the fillers as espeak-ng says them, and drawn out on one
pitch (SSML), as a person holds an "uhh". A gold filler is *dropped* when no transcribed "um"/"uh" overlaps
it (0.15 s tolerance); recall = dropped fillers a hint overlaps / dropped fillers. Two
decodings: Rehearse's default (the verbatim hint, which keeps most fillers) and no hint
(tiny.en then drops most of them: the case the hints are for).

Speech without fillers: the five LibriVox clips (real read speech, one after another) and
the ten filler-free answers of filler_answers.json (espeak-ng). Every hint on them is a false
alarm; on the answers with fillers, a hint that overlaps no gold filler is one.

Both detectors are scored on the same transcripts: the audio check (analysis.hesitation.
find_filled_pauses, what Rehearse uses) and the word-times-only fallback (find_hesitations,
used when the audio is not at hand). ``--sweep`` grids the audio check's thresholds on the
cached transcripts (``--cache FILE`` keeps them between runs).

  .venv/bin/python benchmarks/hesitation_hints.py [--model DIR] [--cache FILE] [--sweep]
"""

from __future__ import annotations

import argparse
import dataclasses
import itertools
import json
import pickle
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
SR = 16000
HES_DATA = ROOT / "benchmarks" / "data" / "hesitation_answers.json"
FILLER = re.compile(r"\b(um|uh)\b[,.]?", re.IGNORECASE)
TOL = 0.15


def _trimmed(audio):
    import numpy as np

    idx = np.flatnonzero(np.abs(audio) > 0.01)
    return audio[idx[0] : idx[-1] + 1] if idx.size else audio[:0]


DRAWN = '<speak><prosody rate="40%" range="0%">{}</prosody></speak>'


def speak_pieces(text: str, tmp: Path, i: int, drawn: bool = False):
    """(16-kHz audio, gold filler spans): each filler and each stretch between fillers is
    spoken alone, trimmed, and joined with 0.1-s gaps; a second of silence either end.
    ``drawn``: fillers drawn out on one pitch (espeak-ng SSML, rate 40%, pitch range 0:
    0.4-0.6 s), as people hold an "uhh"; otherwise as espeak-ng says "uh" (0.17 s, mostly
    below the 200 ms of the definition) and "um" (0.26 s, rising)."""
    import numpy as np

    from analysis.speech.audio import load_audio

    parts, pos = [], 0
    for m in FILLER.finditer(text):
        before = text[pos : m.start()].strip()
        if before:
            parts.append((before, False))
        parts.append((m.group(0), True))
        pos = m.end()
    if text[pos:].strip():
        parts.append((text[pos:].strip(), False))
    gap = np.zeros(int(0.1 * SR), dtype=np.float32)
    out, gold, t = [np.zeros(SR, dtype=np.float32)], [], 1.0
    for k, (piece, filler) in enumerate(parts):
        raw = tmp / f"p{i}_{k}.wav"
        cmd = (
            ["espeak-ng", "-m", "-w", str(raw), DRAWN.format(piece)]
            if drawn and filler
            else ["espeak-ng", "-w", str(raw), piece]
        )
        subprocess.run(cmd, check=True, capture_output=True)
        a = _trimmed(load_audio(raw))
        if filler:
            gold.append((t, t + a.size / SR))
        out += [a, gap]
        t += (a.size + gap.size) / SR
    out.append(np.zeros(SR, dtype=np.float32))
    return np.concatenate(out), gold


def collect(model: str | None):
    """Transcribe every clip once per decoding; keep what the hesitation finder sees."""
    import numpy as np
    from filler_prompts import DATA, LIBRIVOX, speak

    import analysis.speech.batch as batch
    from analysis.speech.audio import load_audio
    from analysis.speech.models import bundled_model_dir
    from analysis.speech.options import TranscribeOptions

    base = TranscribeOptions(model=model or str(bundled_model_dir()), device="cpu")
    seen: list = []
    real = batch.find_filled_pauses

    def spy(audio, words, speech, *a, **k):
        seen.append((np.asarray(audio, dtype=np.float32).copy(), tuple(words), tuple(speech)))
        return real(audio, words, speech, *a, **k)

    batch.find_filled_pauses = spy
    data = json.loads(DATA.read_text())
    hes = json.loads(HES_DATA.read_text())
    clips = []  # (set, audio, gold)
    gap = np.zeros(SR, dtype=np.float32)
    if LIBRIVOX.is_dir():
        clips.append(
            ("LibriVox", np.concatenate([x for p in sorted(LIBRIVOX.glob("*.wav")) for x in (load_audio(p), gap)]), [])
        )
    with tempfile.TemporaryDirectory() as tmp:
        clips += [("clean answers", speak(t, Path(tmp), i), []) for i, t in enumerate(data["clean"])]
        for drawn, name in ((False, "fillers as espeak says them"), (True, "fillers drawn out")):
            for i, t in enumerate(hes["answers"] + data["fillers"]):
                audio, gold = speak_pieces(t, Path(tmp), 100 + i, drawn)
                clips.append((name, audio, gold))
    rows = []
    t0 = time.perf_counter()
    for decoding, opts in (("default", base), ("no hint", dataclasses.replace(base, verbatim_prompt=""))):
        for name, audio, gold in clips:
            if decoding != "default" and not name.startswith("fillers"):
                continue
            seen.clear()
            batch.transcribe(audio, opts)
            _, words, speech = seen[-1]
            rows.append(
                {"set": name, "decoding": decoding, "audio": audio, "words": words, "speech": speech, "gold": gold}
            )
    print(f"(transcribed {len(rows)} clips in {time.perf_counter() - t0:.0f} s)", file=sys.stderr)
    batch.find_filled_pauses = real
    return rows


def _hit(span, golds) -> bool:
    return any(span[0] < ge + TOL and span[1] > gs - TOL for gs, ge in golds)


def score(rows, detector) -> dict:
    out: dict = {}
    secs = 0.0
    for r in rows:
        key = (r["set"], r["decoding"])
        s = out.setdefault(
            key, {"minutes": 0.0, "fa": 0, "gold": 0, "dropped": 0, "found": 0, "found_all": 0, "ms": 0.0}
        )
        t0 = time.perf_counter()
        spans = [(h.start, h.end) for h in detector(r)]
        s["ms"] += (time.perf_counter() - t0) * 1000
        s["minutes"] += r["audio"].size / SR / 60
        secs += r["audio"].size / SR
        said = [(w.start, w.end) for w in r["words"] if w.norm in ("um", "uh")]
        for g in r["gold"]:
            s["gold"] += 1
            found = _hit(g, spans)
            s["found_all"] += found
            if not _hit(g, said):
                s["dropped"] += 1
                s["found"] += found
        s["fa"] += sum(1 for h in spans if not _hit(h, r["gold"]))
    return out


def audio_check(r):
    from analysis.hesitation import find_filled_pauses

    return find_filled_pauses(r["audio"], r["words"], r["speech"])


def everywhere(r):
    """The audio check over all the speech VAD found, ignoring the words: how often the
    acoustic test alone fires on real speech."""
    from analysis.hesitation import find_filled_pauses

    return find_filled_pauses(r["audio"], [], r["speech"])


def words_only(r):
    from analysis.hesitation import find_hesitations

    return find_hesitations(r["words"], r["speech"])


def summary(res) -> tuple[float, float, float, float]:
    """(recall on dropped held fillers, on dropped fillers as espeak says them (both
    decodings), FA/min on clean speech, FA/min on the filler answers)."""

    def recall(name):
        dropped = sum(s["dropped"] for (n, _), s in res.items() if n == name)
        return sum(s["found"] for (n, _), s in res.items() if n == name) / dropped if dropped else float("nan")

    clean = [s for (name, _), s in res.items() if not name.startswith("fillers")]
    filled = [s for (name, _), s in res.items() if name.startswith("fillers")]
    return (
        recall("fillers drawn out"),
        recall("fillers as espeak says them"),
        sum(s["fa"] for s in clean) / max(1e-9, sum(s["minutes"] for s in clean)),
        sum(s["fa"] for s in filled) / max(1e-9, sum(s["minutes"] for s in filled)),
    )


def print_table(title: str, res) -> None:
    print(f"\n{title}")
    print(
        "| speech | decoding | minutes | gold fillers | dropped by Whisper | hints on dropped (recall) "
        "| false alarms | a minute | ms |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    for (name, dec), s in res.items():
        rec = f"{s['found']} ({s['found'] / s['dropped']:.2f})" if s["dropped"] else "-"
        print(
            f"| {name} | {dec} | {s['minutes']:.1f} | {s['gold'] or '-'} | {s['dropped'] if s['gold'] else '-'} "
            f"| {rec} | {s['fa']} | {s['fa'] / s['minutes']:.2f} | {s['ms']:.0f} |"
        )


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", help="CTranslate2 model directory (default: the bundled tiny.en)")
    ap.add_argument("--cache", type=Path, help="keep the transcripts in this file (reused when it exists)")
    ap.add_argument("--sweep", action="store_true", help="grid the audio check's thresholds")
    args = ap.parse_args()
    if args.cache and args.cache.exists():
        rows = pickle.loads(args.cache.read_bytes())
    else:
        rows = collect(args.model)
        if args.cache:
            args.cache.write_bytes(pickle.dumps(rows))
    import analysis.hesitation as h

    if args.sweep:
        names = ("MAX_PITCH_RANGE_ST", "MAX_ENVELOPE_SPREAD_DB", "STRETCH_FACTOR", "VOICED_APERIODICITY")
        grid = ((1.0, 1.5, 2.0, 3.0), (1.5, 2.5, 3.5, 5.0), (1.5, 1.8, 2.5), (0.2, 0.3))
        keep = {n: getattr(h, n) for n in names}
        print(
            "| pitch range st | envelope dB | stretch | aperiodicity | recall held | recall as said | FA/min clean "
            "| FA/min filler answers |"
        )
        print("|---|---|---|---|---|---|---|---|")
        for values in itertools.product(*grid):
            for n, v in zip(names, values, strict=False):
                setattr(h, n, v)
            held, said, fa_c, fa_f = summary(score(rows, audio_check))
            print(
                "| " + " | ".join(f"{v:g}" for v in values) + f" | {held:.2f} | {said:.2f} | {fa_c:.2f} | {fa_f:.2f} |",
                flush=True,
            )
        for n, v in keep.items():
            setattr(h, n, v)
        return 0
    print_table("Audio check (find_filled_pauses, Rehearse's):", score(rows, audio_check))
    print_table("Word times only (find_hesitations, the fallback without audio):", score(rows, words_only))
    print_table("The audio check over all speech, words ignored (the acoustic test alone):", score(rows, everywhere))
    held, said, fa_c, fa_f = summary(score(rows, audio_check))
    print(
        f"\naudio check: recall on the dropped fillers {held:.2f} held, {said:.2f} as espeak-ng says them; "
        f"false alarms {fa_c:.2f} a minute on speech without fillers, {fa_f:.2f} on the filler answers (goal <= 0.5)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
