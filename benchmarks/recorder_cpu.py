#!/usr/bin/env python3
"""Capture cost: record N seconds (default 60) from a virtual microphone and print the
recording process's CPU use (goal: <= 5% of one core) and input overflows (goal: 0).

Starts a private PulseAudio server with a virtual mic (tests/support/recorder_helpers.py; needs
pulseaudio, pulseaudio-utils, libasound2-plugins), feeds it speech in a loop, and runs
recorder.capture.Recorder in a child process through PortAudio -> ALSA -> PulseAudio.
CPU time is the child's user+system time (all its threads: PortAudio's, the writer's)
between start() and stop(), divided by the wall time.

    .venv/bin/python benchmarks/recorder_cpu.py [--seconds 60]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "support"))
sys.path.insert(0, str(ROOT))

CHILD = r"""
import json, os, resource, sys, time
from recorder.takes import Library
from recorder.capture import Recorder

seconds = float(sys.argv[1])
lib = Library()
take_id, folder = lib.new_take("benchmark")
levels = []
rec = Recorder(folder)
rec.start()
print("started", flush=True)
r0 = resource.getrusage(resource.RUSAGE_SELF); w0 = time.monotonic()
while time.monotonic() - w0 < seconds:
    time.sleep(0.05)          # a UI polling the meter at 20 Hz
    levels.append(rec.level())
rec.stop()
r1 = resource.getrusage(resource.RUSAGE_SELF); w1 = time.monotonic()
t0 = time.monotonic()
take = lib.finish_take(take_id, recorder=rec)
finish = time.monotonic() - t0
cpu = (r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime)
print(json.dumps({
    "wall_s": w1 - w0, "cpu_s": cpu, "overflows": rec.overflows, "error": str(rec.error) if rec.error else None,
    "duration_s": take.duration, "rate": take.samplerate, "device": take.device, "finish_s": finish,
    "loud_levels": sum(1 for l in levels if l[0] > -50),
}), flush=True)
"""


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=float, default=60.0)
    args = ap.parse_args()

    from recorder_helpers import SPEECH_WAV, VirtualAudio, missing_audio_tools

    why = missing_audio_tools()
    if why:
        print(f"recorder_cpu: cannot run: {why}", file=sys.stderr)
        return 2
    va = VirtualAudio().start()
    feeder = None
    try:
        with tempfile.TemporaryDirectory() as home:
            env = dict(va.env, REHEARSE_HOME=home, PYTHONPATH=str(ROOT))
            child = subprocess.Popen(
                [sys.executable, "-c", CHILD, str(args.seconds)], env=env, stdout=subprocess.PIPE, text=True
            )
            assert child.stdout.readline().strip() == "started"
            stop_at = time.monotonic() + args.seconds
            while child.poll() is None and time.monotonic() < stop_at + 30:
                if feeder is None or feeder.poll() is not None:
                    feeder = va.play_into_mic(SPEECH_WAV)  # speech, over and over
                time.sleep(0.05)
                if time.monotonic() > stop_at and feeder is not None:
                    break
            out, _ = child.communicate(timeout=120)
            result = json.loads(out.strip().splitlines()[-1])
    finally:
        if feeder is not None and feeder.poll() is None:
            feeder.kill()
        va.stop()

    pct = 100.0 * result["cpu_s"] / result["wall_s"]
    print(f"recorded      {result['duration_s']:.1f} s at {result['rate']} Hz from {result['device']!r}")
    print(
        f"capture CPU   {pct:.2f}% of one core ({result['cpu_s']:.2f} s CPU in {result['wall_s']:.1f} s)"
        f"   goal <= 5%   {'OK' if pct <= 5 else 'OVER'}"
    )
    print(f"overflows     {result['overflows']}   goal 0   {'OK' if result['overflows'] == 0 else 'OVER'}")
    print(f"finish (FLAC) {result['finish_s']:.2f} s")
    if result["error"]:
        print(f"error         {result['error']}")
    return 0 if pct <= 5 and result["overflows"] == 0 and not result["error"] else 1


if __name__ == "__main__":
    sys.exit(main())
