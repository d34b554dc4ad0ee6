"""Time to the first frame of `rehearse` (the TUI) against `python -c "import textual"`,
measured in the same run on this machine.

The app runs in a pseudo-terminal (80x24) with a fresh REHEARSE_HOME; the clock stops
when the first full frame (the header "Rehearse — Library") has been written. Goal
(issue 5): first frame <= 0.5 s and <= 2x the bare textual import. For reference it also
times a minimal Textual app (Header, Label, Footer): the floor any Textual app pays.

    .venv/bin/python benchmarks/startup.py [--runs 7]
"""

from __future__ import annotations

import argparse
import fcntl
import os
import pty
import select
import shutil
import signal
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIRST_FRAME_MARK = b"Library"


def rehearse_cmd() -> list[str]:
    exe = Path(sys.executable).parent / "rehearse"
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "tui"]


def time_import_textual() -> float:
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-c", "import textual"], check=True)
    return time.perf_counter() - t0


HELLO_APP = (
    "from textual.app import App\n"
    "from textual.widgets import Header, Footer, Label\n"
    "class Hello(App):\n"
    "    TITLE = 'Library'\n"
    "    def compose(self):\n"
    "        yield Header(); yield Label('hello'); yield Footer()\n"
    "Hello().run()\n"
)


def time_first_frame(home: Path, timeout: float = 30.0, cmd: list[str] | None = None) -> float:
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    env = dict(os.environ, REHEARSE_HOME=str(home), TERM="xterm-256color", COLUMNS="80", LINES="24")
    env.pop("NO_COLOR", None)
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd or rehearse_cmd(), stdin=slave, stdout=slave, stderr=slave, env=env,
                            start_new_session=True, cwd=ROOT)
    os.close(slave)
    seen = b""
    elapsed = None
    try:
        while time.perf_counter() - t0 < timeout:
            ready, _, _ = select.select([master], [], [], 0.05)
            if ready:
                try:
                    chunk = os.read(master, 65536)
                except OSError:
                    break
                seen += chunk
                if FIRST_FRAME_MARK in seen:
                    elapsed = time.perf_counter() - t0
                    break
            if proc.poll() is not None:
                break
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(5)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
        os.close(master)
    if elapsed is None:
        tail = seen[-400:].decode("utf-8", "replace")
        raise SystemExit(f"startup.py: rehearse showed no first frame within {timeout:g} s; output tail: {tail!r}")
    return elapsed


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=7)
    args = ap.parse_args()
    home = Path(tempfile.mkdtemp(prefix="rehearse-startup-"))
    try:
        time_first_frame(home)  # warm the disk cache and install the sample (first run)
        time_import_textual()
        frames, imports, hellos = [], [], []
        hello = [sys.executable, "-c", HELLO_APP]
        for _ in range(args.runs):  # interleaved, so load on the machine hits all alike
            imports.append(time_import_textual())
            frames.append(time_first_frame(home))
            hellos.append(time_first_frame(home, cmd=hello))
    finally:
        shutil.rmtree(home, ignore_errors=True)
    frame = statistics.median(frames)
    imp = statistics.median(imports)
    hel = statistics.median(hellos)
    print(f"python -c 'import textual':   median {imp * 1000:6.0f} ms  (runs: {', '.join(f'{x * 1000:.0f}' for x in imports)})")
    print(f"rehearse first frame:         median {frame * 1000:6.0f} ms  (runs: {', '.join(f'{x * 1000:.0f}' for x in frames)})")
    print(f"minimal Textual app (Header, Label, Footer) first frame: median {hel * 1000:.0f} ms "
          f"= {hel / imp:.2f}x the import (the floor for any Textual app here)")
    print(f"ratio first frame / import:   {frame / imp:.2f}x   (goal <= 2x)")
    print(f"ratio first frame / minimal app: {frame / hel:.2f}x")
    print(f"first frame <= 0.5 s:         {'yes' if frame <= 0.5 else 'no'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
