#!/usr/bin/env python3
"""Files at faster-whisper's speed: `rehearse transcribe FILE` against plain
faster-whisper's one-call transcribe of the same 3-minute file, same model, beam, VAD
and word timestamps, each as a whole process (start-up, model load, decode), in one run.

Also times Rehearse with ``file_pieces = true`` (files cut into the live path's pieces,
as before issue 11) for comparison. Each is run --repeat times, interleaved; the ratio
uses the medians. Goal: rehearse / plain <= 1.1.

  .venv/bin/python benchmarks/batch_speed.py [--model DIR] [--repeat 3]

Default model: the bundled tiny.en. The 3-minute file is real read speech (the five
LibriVox clips of Debian's pocketsphinx-testdata) followed by the bundled espeak-ng
sample answer, repeated to 180 s with 1-s gaps.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
LIBRIVOX = Path("/usr/share/pocketsphinx/test/data/librivox")
SR = 16000

PLAIN = r"""
import sys
from faster_whisper import WhisperModel
path, audio, threads = sys.argv[1], sys.argv[2], int(sys.argv[3])
model = WhisperModel(path, device="cpu", compute_type="int8", cpu_threads=threads)
segments, info = model.transcribe(audio, language="en", beam_size=5, vad_filter=True, word_timestamps=True,
                                  condition_on_previous_text=False)
print(sum(len(s.words or []) for s in segments))
"""


def three_minutes(out: Path, seconds: float = 180.0) -> Path:
    import numpy as np
    import soundfile as sf

    from analysis.speech.audio import load_audio

    parts = [load_audio(p) for p in sorted(LIBRIVOX.glob("*.wav"))]
    parts.append(load_audio(ROOT / "sample_audio" / "customer-pain-point.flac"))
    gap = np.zeros(SR, dtype=np.float32)
    seq, n, i = [], 0, 0
    while n < seconds * SR:
        seq += [parts[i % len(parts)], gap]
        n += parts[i % len(parts)].size + gap.size
        i += 1
    audio = np.concatenate(seq)[: int(seconds * SR)]
    sf.write(str(out), audio, SR, subtype="PCM_16")
    return out


def timed(cmd: list[str], env: dict) -> tuple[float, str]:
    t0 = time.perf_counter()
    out = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=900)
    dt = time.perf_counter() - t0
    if out.returncode != 0:
        raise SystemExit(f"{cmd[:3]} failed: {out.stderr[-500:]}")
    return dt, out.stdout


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", help="CTranslate2 model directory (default: the bundled tiny.en)")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    from analysis.speech.devices import cpu_thread_count
    from analysis.speech.models import bundled_model_dir
    from analysis.speech.options import TranscribeOptions

    model = args.model or str(bundled_model_dir())
    threads = cpu_thread_count(TranscribeOptions())
    with tempfile.TemporaryDirectory() as tmp:
        tmp_p = Path(tmp)
        audio = three_minutes(tmp_p / "answer.wav")
        env = {**os.environ, "REHEARSE_HOME": str(tmp_p / "home"), "HF_HUB_OFFLINE": "1"}
        pieces_settings = tmp_p / "pieces.toml"
        pieces_settings.write_text("[transcription]\nfile_pieces = true\n")
        rehearse = [sys.executable, "-m", "tui"]
        runs = {
            "plain faster-whisper": [sys.executable, "-c", PLAIN, model, str(audio), str(threads)],
            "rehearse transcribe": [*rehearse, "transcribe", str(audio), "--model", model, "-o", str(tmp_p / "a.json")],
            "rehearse, file_pieces": [
                *rehearse,
                "--settings",
                str(pieces_settings),
                "transcribe",
                str(audio),
                "--model",
                model,
                "-o",
                str(tmp_p / "b.json"),
            ],
        }
        times: dict[str, list[float]] = {k: [] for k in runs}
        words: dict[str, int] = {}
        for _ in range(args.repeat):
            for name, cmd in runs.items():
                dt, out = timed(cmd, {**env, "PYTHONPATH": str(ROOT)})
                times[name].append(dt)
                if name == "plain faster-whisper":
                    words[name] = int(out.split()[-1])
        words["rehearse transcribe"] = len(json.loads((tmp_p / "a.json").read_text())["words"])
        words["rehearse, file_pieces"] = len(json.loads((tmp_p / "b.json").read_text())["words"])
    print(
        f"3-minute file, model {model}, {threads} threads, beam 5, VAD, word timestamps; "
        f"{args.repeat} runs each (whole process), median:"
    )
    base = statistics.median(times["plain faster-whisper"])
    for name, ts in times.items():
        med = statistics.median(ts)
        print(
            f"  {name:<22} {med:6.2f} s  ({' '.join(f'{t:.2f}' for t in ts)})  {words[name]} words  "
            f"ratio {med / base:.2f}x"
        )
    ratio = statistics.median(times["rehearse transcribe"]) / base
    print(f"rehearse / plain faster-whisper: {ratio:.2f}x (goal <= 1.1x): {'PASS' if ratio <= 1.1 else 'MISS'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
