#!/usr/bin/env python3
"""Fillers without invention: filler precision and recall, end to end, per prompt and
decoding option, with the real (bundled) tiny.en.

Speech: the answers of benchmarks/data/filler_answers.json spoken by espeak-ng
(10 without a single filler, 10 with gold "um"/"uh"), transcribed by Rehearse's file
path (analysis.speech.batch.transcribe) and scored by its analysis (analysis.analyze):
a counted filler is a report item of kind "filled_pause". Per answer, hits =
min(counted, gold); precision = hits / counted over all 20 answers (every filler counted
on a clean answer is invented), recall = hits / gold. Also "invented": fillers counted
on the clean answers, and the answers with any.

Variants: the hint (none; "Um, uh, hmm." (12 characters); the disfluent sentence that
was the default) x decoding options (Rehearse's current ones; suppress_blank off;
suppressed tokens [] instead of [-1]; hallucination_silence_threshold off; trimming of
words outside the VAD's speech off). Prints one table (the README's).

  .venv/bin/python benchmarks/filler_prompts.py [--model DIR] [--live]
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DATA = ROOT / "benchmarks" / "data" / "filler_answers.json"
LIBRIVOX = Path("/usr/share/pocketsphinx/test/data/librivox")
SR = 16000
OLD_DEFAULT = "Um, so, uh, I was like, you know, hmm, leading the, um, the project."
PROMPTS = {"none": "", "short": "Um, uh, hmm.", "sentence": OLD_DEFAULT}
GOLD = {"um", "uh"}


def speak(text: str, tmp: Path, i: int):
    import numpy as np

    from analysis.speech.audio import load_audio

    raw = tmp / f"a{i}.wav"
    subprocess.run(["espeak-ng", "-w", str(raw), text], check=True, capture_output=True)
    audio = load_audio(raw)  # 16 kHz mono
    pad = np.zeros(SR, dtype=np.float32)  # a second of silence before and after, as a recording has
    return np.concatenate([pad, audio, pad])


def gold_count(text: str) -> int:
    import re

    return sum(1 for w in re.findall(r"[a-z]+", text.lower()) if w in GOLD)


class _Override:
    """The loaded WhisperModel with some transcribe() keyword arguments replaced."""

    def __init__(self, model, **kw):
        self._model, self._kw = model, kw

    def transcribe(self, audio, **kwargs):
        kwargs.update(self._kw)
        return self._model.transcribe(audio, **kwargs)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", help="CTranslate2 model directory (default: the bundled tiny.en)")
    ap.add_argument("--live", action="store_true", help="also score the chosen settings through LiveTranscriber")
    ap.add_argument("--quick", action="store_true", help="only the prompt variants with Rehearse's options")
    args = ap.parse_args()
    if shutil.which("espeak-ng") is None:
        raise SystemExit("espeak-ng is needed (apt-get install espeak-ng)")
    from analysis import analyze
    from analysis.speech.batch import transcribe
    from analysis.speech.load import load_model
    from analysis.speech.models import bundled_model_dir
    from analysis.speech.options import TranscribeOptions

    model = args.model or str(bundled_model_dir())
    data = json.loads(DATA.read_text())
    answers = [(t, 0) for t in data["clean"]] + [(t, gold_count(t)) for t in data["fillers"]]
    base = TranscribeOptions(model=model, device="cpu")
    options_sets = {
        "Rehearse's": ({}, {}),
        "suppress_blank off": ({"suppress_blank": False}, {}),
        "suppress_tokens []": ({"suppress_tokens": []}, {}),
        "hallucination_silence off": ({"hallucination_silence_threshold": None}, {}),
        "no trimming of invented words": ({}, {"trim_invented": False}),
    }
    if args.quick:
        options_sets = {"Rehearse's": ({}, {})}
    with tempfile.TemporaryDirectory() as tmp:
        audios = [speak(t, Path(tmp), i) for i, (t, _) in enumerate(answers)]
    librivox = sorted(LIBRIVOX.glob("*.wav"))
    if librivox:  # real read speech without a filler: one more clean "answer"
        import numpy as np

        gap = np.zeros(SR, dtype=np.float32)
        from analysis.speech.audio import load_audio

        audios.insert(0, np.concatenate([x for p in librivox for x in (load_audio(p), gap)]))
        answers.insert(0, ("(the five LibriVox clips, read one after another)", 0))
    n_clean = sum(1 for _, g in answers if g == 0)
    loaded = load_model(base)
    real_model = loaded.model
    rows = []
    t0 = time.perf_counter()
    try:
        for oname, (kw, opt) in options_sets.items():
            for pname, prompt in PROMPTS.items():
                loaded.model = _Override(real_model, **kw) if kw else real_model
                options = dataclasses.replace(base, verbatim_prompt=prompt, **opt)
                counted = hits = gold = invented = with_invented = 0
                for (_text, g), audio in zip(answers, audios, strict=True):
                    report = analyze(transcribe(audio, options)).to_dict()
                    n = sum(1 for it in report["fillers"]["items"] if it["kind"] == "filled_pause")
                    counted += n
                    hits += min(n, g)
                    gold += g
                    if g == 0:
                        invented += n
                        with_invented += n > 0
                precision = hits / counted if counted else 1.0
                recall = hits / gold if gold else 1.0
                rows.append((pname, oname, precision, recall, invented, with_invented, counted))
                print(f"  .. {pname:<8} {oname:<26} P {precision:.2f} R {recall:.2f}", file=sys.stderr, flush=True)
    finally:
        loaded.model = real_model
    print(
        f"Filled pauses (um/uh), end to end, {model}; {n_clean} clean answers (the LibriVox reading "
        f"among them when installed) + "
        f"{len(data['fillers'])} with {sum(g for _, g in answers)} gold fillers; "
        f"{time.perf_counter() - t0:.0f} s"
    )
    print("| hint | decoding options | precision | recall | invented on clean (answers) | counted |")
    print("|---|---|---|---|---|---|")
    for pname, oname, p, r, inv, wi, c in rows:
        print(f"| {pname} | {oname} | {p:.2f} | {r:.2f} | {inv} ({wi}/{n_clean}) | {c} |")
    if args.live:
        from analysis.speech.live import LiveTranscriber

        counted = hits = 0
        gold = sum(g for _, g in answers)
        for (_text, g), audio in zip(answers, audios, strict=True):
            live = LiveTranscriber(TranscribeOptions(model=model, device="cpu"))
            for i in range(0, audio.size, 1600):
                live.feed(audio[i : i + 1600])
            report = analyze(live.finish()).to_dict()
            n = sum(1 for it in report["fillers"]["items"] if it["kind"] == "filled_pause")
            counted += n
            hits += min(n, g)
        precision = hits / counted if counted else 1.0
        print(f"live, Rehearse's defaults: precision {precision:.2f}, recall {hits / gold:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
