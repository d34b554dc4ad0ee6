#!/usr/bin/env python3
"""Take-list speed: build a library of N takes (default 1,000) with reports, then time
`Library.list()` in-process and `rehearse takes list` as a user runs it.

    .venv/bin/python benchmarks/library_list.py [--takes 1000]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--takes", type=int, default=1000)
    args = ap.parse_args()
    from recorder.takes import Library, summarize_report

    with tempfile.TemporaryDirectory() as home:
        os.environ["REHEARSE_HOME"] = home
        lib = Library()
        lib.root.mkdir(parents=True)
        (lib.root / ".sample-installed").write_text("\n")
        timeline = [{"start": i, "end": i + 10, "wpm": 150} for i in range(20)]
        report = {
            "words": 300,
            "pace": {"wpm": 150.0, "timeline": timeline},
            "fillers": {"count": 9, "per_minute": 4.5, "items": [{"text": "um", "start": i} for i in range(50)]},
            "star": {"sections": [{"label": "action", "share": 0.5}], "missing": []},
        }
        for i in range(args.takes):
            folder = lib.root / f"2025{i % 12 + 1:02d}{i % 28 + 1:02d}-{i % 24:02d}{i % 60:02d}00-question-{i}"
            folder.mkdir()
            (folder / "take.json").write_text(
                json.dumps(
                    {
                        "schema_version": "1.0",
                        "question": f"Question {i}",
                        "created": f"2025-{i % 12 + 1:02d}-{i % 28 + 1:02d}T10:00:00+00:00",
                        "duration": 120.0,
                        "samplerate": 48000,
                        "summary": summarize_report(report),
                    }
                )
            )
            (folder / "report.json").write_text(json.dumps(report))
        t0 = time.perf_counter()
        takes = lib.list()
        first = time.perf_counter() - t0
        t0 = time.perf_counter()
        lib.list()
        warm = time.perf_counter() - t0
        assert len(takes) == args.takes
        exe = Path(sys.executable).parent / "rehearse"
        t0 = time.perf_counter()
        r = subprocess.run([str(exe), "takes", "list"], capture_output=True, text=True)
        cli = time.perf_counter() - t0
        assert r.returncode == 0, r.stderr
    print(f"Library.list() of {args.takes} takes: {first * 1000:.0f} ms (again: {warm * 1000:.0f} ms)")
    print(f"`rehearse takes list` (process start to exit): {cli * 1000:.0f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
