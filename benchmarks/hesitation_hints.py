#!/usr/bin/env python3
"""Audio-side hesitation hints ("possible hesitations"): false alarms per minute on speech
without a filler, with the real (bundled) tiny.en and Rehearse's default options.

Clean speech: the five LibriVox clips (real read speech, one after another) and the ten
filler-free answers of benchmarks/data/filler_answers.json spoken by espeak-ng. Every hint
on them is a false alarm. Also prints, for the ten answers with gold fillers, how many gold
fillers the transcript lacks and how many hints there are (the hints' recall on dropped
fillers cannot be measured when hardly any is dropped).

  .venv/bin/python benchmarks/hesitation_hints.py [--model DIR]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
SR = 16000


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", help="CTranslate2 model directory (default: the bundled tiny.en)")
    args = ap.parse_args()
    import numpy as np
    from filler_prompts import DATA, LIBRIVOX, gold_count, speak

    from analysis.transcribe import TranscribeOptions, bundled_model_dir, load_audio, transcribe

    options = TranscribeOptions(model=args.model or str(bundled_model_dir()), device="cpu")
    data = json.loads(DATA.read_text())
    gap = np.zeros(SR, dtype=np.float32)
    clean = []
    if LIBRIVOX.is_dir():
        clips = [x for p in sorted(LIBRIVOX.glob("*.wav")) for x in (load_audio(p), gap)]
        clean.append(("LibriVox", np.concatenate(clips)))
    with tempfile.TemporaryDirectory() as tmp:
        clean += [(f"clean {i}", speak(t, Path(tmp), i)) for i, t in enumerate(data["clean"])]
        filled = [(t, speak(t, Path(tmp), 100 + i)) for i, t in enumerate(data["fillers"])]
    minutes = hints = 0.0
    for name, audio in clean:
        t = transcribe(audio, options)
        minutes += audio.size / SR / 60
        hints += len(t.hesitations)
        if t.hesitations:
            print(f"  {name}: {[(h.start, h.end) for h in t.hesitations]}", file=sys.stderr)
    missing = fhints = 0
    for text, audio in filled:
        t = transcribe(audio, options)
        said = sum(1 for w in t.words if w.norm in ("um", "uh"))
        missing += max(0, gold_count(text) - said)
        fhints += len(t.hesitations)
    print(f"hesitation hints on speech without fillers: {hints:.0f} in {minutes:.1f} min = "
          f"{hints / minutes:.2f} a minute (goal <= 0.5)")
    print(f"answers with fillers: {missing} gold fillers missing from the transcript, {fhints} hints")
    return 0


if __name__ == "__main__":
    sys.exit(main())
