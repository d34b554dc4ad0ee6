#!/usr/bin/env python3
"""Build the bundled example take ``sample_audio/customer-pain-point.*``.

The answer below was written for this project. espeak-ng speaks it phrase by phrase
(see ``speech.py``: word times come from espeak-ng's own word events, trimmed to the
audible signal), with the pauses the script asks for, and this writes:

  customer-pain-point.flac             the audio: 16 kHz mono 16-bit FLAC
  customer-pain-point.transcript.json  its transcript (DESIGN.md contract), exact timings
  customer-pain-point.take.json        take metadata (question, created, duration, ...)
  customer-pain-point.report.json      ``rehearse analyze --json`` of the transcript

Run from the repository root with the project's environment (needs the Debian package
``espeak-ng``):

    .venv/bin/python sample_audio/make_sample.py          # everything
    .venv/bin/python sample_audio/make_sample.py --report  # only re-run the analysis

Re-run ``--report`` whenever the analysis changes, so the committed report matches.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
NAME = "customer-pain-point"
QUESTION = "Tell me about a time you solved a pain point for customers."
COMPETENCY = "customer focus"
CREATED = "2026-11-26T12:00:00+00:00"  # fixed, so that regenerating changes nothing
SAMPLERATE = 16000  # what Whisper consumes; keeps the FLAC small
VOICE, RATE_WPM = "en-us", 160
GAIN = 0.5  # espeak-ng peaks near 0 dBFS; a close microphone peaks around -6 dBFS (and it packs smaller)

# The answer: (phrase, silence after it in seconds). Words in {written|spoken} are
# written one way in the transcript (as Whisper would) and spoken another.
# Section boundaries are comments only: the transcript carries no markers, so the
# report shows how Rehearse finds the sections from the words alone.
SCRIPT: list[tuple[str, float]] = [
    # Situation
    (
        "So, um, last year I was a support engineer at a small software company "
        "that makes booking tools for dental clinics.",
        0.45,
    ),
    ("And, uh, the biggest pain point we had was appointment reminders.", 0.40),
    (
        "Clinics kept telling us that patients were, like, missing appointments "
        "because the text reminders arrived at the wrong time.",
        0.35,
    ),
    ("And every missed appointment cost a clinic about {$100|a hundred dollars}.", 0.70),
    # Task
    (
        "My job was to find out why the reminders were late and, you know, get those "
        "complaints down before our renewal season, which was about six weeks away.",
        0.80,
    ),
    # Action
    (
        "So first, I pulled every reminder ticket from the last three months, "
        "and I tagged each one by clinic and by time zone.",
        1.60,
    ),  # thinking pause
    ("And the pattern was, um, pretty clear.", 0.35),
    (
        "Almost all of the late reminders came from clinics whose time zone had just switched to daylight saving time.",
        0.50,
    ),
    (
        "Then I sat down with one of our developers, and we traced it to a job "
        "that stored the reminder times without a time zone.",
        0.45,
    ),
    (
        "I wrote a small script to find every appointment that was affected, and I, uh, "
        "I called the five clinics with the most complaints myself, to explain what had "
        "happened and what we were doing about it.",
        0.50,
    ),
    (
        "Finally, I worked with the developer on the fix, and I added a check to our "
        "release list so it couldn't, like, quietly come back.",
        2.30,
    ),  # long pause
    # Result
    ("In the end, reminder complaints dropped by 80% within a month.", 0.40),
    (
        "Missed appointments at those five clinics went down from about 12 a week to four, "
        "and all five of them renewed.",
        0.45,
    ),
    ("And, um, that check has already caught the same bug twice since then.", 0.0),
]


def paths() -> dict[str, Path]:
    return {k: HERE / f"{NAME}.{k}" for k in ("flac", "transcript.json", "take.json", "report.json")}


def build_audio() -> None:
    import numpy as np
    import soundfile as sf

    sys.path.insert(0, str(HERE))
    import speech

    engine = speech.Espeak(voice=VOICE, rate_wpm=RATE_WPM)
    pcm, words = speech.speak_script(engine, SCRIPT)
    pcm = speech.resample(pcm, engine.samplerate, SAMPLERATE)
    pcm = np.round(pcm * GAIN).astype(np.int16)
    duration = len(pcm) / SAMPLERATE
    p = paths()
    sf.write(p["flac"], pcm, SAMPLERATE, subtype="PCM_16", format="FLAC", compression_level=1.0)
    transcript = {
        "language": "en",
        "duration": round(duration, 3),
        "model": None,  # not transcribed: the text is the script espeak-ng spoke
        "words": speech.words_payload(words),
        "generator": f"sample_audio/make_sample.py (espeak-ng {engine.version}, voice {VOICE}, {RATE_WPM} wpm)",
    }
    p["transcript.json"].write_text(json.dumps(transcript, indent=1) + "\n", encoding="utf-8")
    take = {
        "schema_version": 1,
        "question": QUESTION,
        "created": CREATED,
        "duration": round(duration, 3),
        "device": "espeak-ng",
        "model": None,
        "markers": [],
        "overflows": 0,
        "recovered": False,
        "competency": COMPETENCY,
        "sample": True,
    }
    p["take.json"].write_text(json.dumps(take, indent=1) + "\n", encoding="utf-8")
    assert np.abs(pcm).max() > 1000
    print(
        f"{p['flac'].relative_to(ROOT)}: {duration:.2f} s, {len(words)} words, {p['flac'].stat().st_size / 1e6:.2f} MB"
    )


def build_report() -> bool:
    p = paths()
    cmd = [sys.executable, "-m", "tui", "analyze", "--json", str(p["transcript.json"])]
    with tempfile.TemporaryDirectory() as home:
        # An empty data dir: the report uses the default settings, not this user's file.
        env = {**os.environ, "REHEARSE_HOME": home, "NO_COLOR": "1"}
        run = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, env=env)
    if run.returncode != 0:
        print(f"report not written: `rehearse analyze --json` failed: {run.stderr.strip()}", file=sys.stderr)
        return False
    report = json.loads(run.stdout)
    p["report.json"].write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    print(f"{p['report.json'].relative_to(ROOT)}: written")
    return True


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--report", action="store_true", help="only regenerate the report from the transcript")
    args = parser.parse_args(argv)
    if not args.report:
        build_audio()
    return 0 if build_report() else 1


if __name__ == "__main__":
    sys.exit(main())
