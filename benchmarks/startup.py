"""Time to the first frame of `rehearse` (the TUI) against `python -c "import textual"`,
measured in the same run on this machine.

Bytecode is cached as on a user's machine (PYTHONDONTWRITEBYTECODE is dropped; the
cache goes to a temp PYTHONPYCACHEPREFIX). The app runs in a pseudo-terminal (80x24)
with a fresh REHEARSE_HOME; the clock stops when the first complete frame has been
written: the title "Rehearse — Library", the filter box, the table's column headings and
the footer's keys (FIRST_FRAME_MARKS). Goal
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
# The first frame is complete when all of these have been written: the title (header),
# the filter box, the takes table's column headings and the footer's keys. (Textual may
# write a frame in parts, e.g. the header and footer first and the body a moment later.)
FIRST_FRAME_MARKS = (b"Library", b"filter:", b"fill/m", b"Record again")
HELLO_MARKS = (b"Library", b"hello")
PYCACHE = tempfile.mkdtemp(prefix="rehearse-pycache-")


def rehearse_cmd() -> list[str]:
    exe = Path(sys.executable).parent / "rehearse"
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "tui"]


def bench_env(**extra: str) -> dict[str, str]:
    """As a user's machine has it: compiled bytecode cached (here in a private
    PYTHONPYCACHEPREFIX, so nothing is written into the checkout or the venv)."""
    env = dict(os.environ, **extra)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = PYCACHE
    return env


def _proc_cpu(pid: int) -> float:
    """CPU seconds (user + system) used so far by process ``pid`` (Linux /proc)."""
    with open(f"/proc/{pid}/stat") as fh:
        fields = fh.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def time_import_textual() -> tuple[float, float]:
    """(wall seconds, CPU seconds) of `python -c "import textual"`."""
    import resource

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-c", "import textual"], check=True, env=bench_env())
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


HELLO_APP = (
    "from textual.app import App\n"
    "from textual.widgets import Header, Footer, Label\n"
    "class Hello(App):\n"
    "    TITLE = 'Library'\n"
    "    def compose(self):\n"
    "        yield Header(); yield Label('hello'); yield Footer()\n"
    "Hello().run()\n"
)


def time_first_frame(
    home: Path, timeout: float = 30.0, cmd: list[str] | None = None, marks: tuple[bytes, ...] = FIRST_FRAME_MARKS
) -> tuple[float, float]:
    """(wall seconds, CPU seconds) from starting ``cmd`` to its first complete frame (all
    of ``marks`` written)."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    env = bench_env(REHEARSE_HOME=str(home), TERM="xterm-256color", COLUMNS="80", LINES="24")
    env.pop("NO_COLOR", None)
    t0 = time.perf_counter()
    proc = subprocess.Popen(
        cmd or rehearse_cmd(), stdin=slave, stdout=slave, stderr=slave, env=env, start_new_session=True, cwd=ROOT
    )
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
                if all(mark in seen for mark in marks):
                    elapsed = time.perf_counter() - t0
                    try:
                        cpu = _proc_cpu(proc.pid)
                    except OSError:
                        cpu = float("nan")
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
    return elapsed, cpu


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=7)
    args = ap.parse_args()
    home = Path(tempfile.mkdtemp(prefix="rehearse-startup-"))
    try:
        # Warm-up: compile and cache the bytecode, warm the disk cache, install the sample.
        time_first_frame(home)
        time_first_frame(home, cmd=[sys.executable, "-c", HELLO_APP], marks=HELLO_MARKS)
        time_import_textual()
        frames, imports, hellos = [], [], []
        hello = [sys.executable, "-c", HELLO_APP]
        for _ in range(args.runs):  # interleaved, so load on the machine hits all alike
            imports.append(time_import_textual())
            frames.append(time_first_frame(home))
            hellos.append(time_first_frame(home, cmd=hello, marks=HELLO_MARKS))
    finally:
        shutil.rmtree(home, ignore_errors=True)
        shutil.rmtree(PYCACHE, ignore_errors=True)

    def med(xs: list[tuple[float, float]], i: int) -> float:
        return statistics.median(x[i] for x in xs)

    def runs(xs: list[tuple[float, float]], i: int) -> str:
        return ", ".join(f"{x[i] * 1000:.0f}" for x in xs)

    for i, kind in ((0, "wall clock"), (1, "CPU time (user+system; robust to other load)")):
        imp, frame, hel = med(imports, i), med(frames, i), med(hellos, i)
        print(f"== {kind}, median of {args.runs} runs (ms)")
        print(f"python -c 'import textual'         {imp * 1000:6.0f}   ({runs(imports, i)})")
        print(f"minimal Textual app, first frame    {hel * 1000:6.0f}   ({runs(hellos, i)})  = {hel / imp:.2f}x import")
        print(f"rehearse, first frame               {frame * 1000:6.0f}   ({runs(frames, i)})")
        print(f"ratio rehearse / import:            {frame / imp:.2f}x  (goal <= 2x)")
        print(f"ratio rehearse / minimal app:       {frame / hel:.2f}x")
    wall = med(frames, 0)
    print(
        f"first frame <= 0.5 s (wall): {'yes' if wall <= 0.5 else 'no'} ({wall * 1000:.0f} ms; "
        f"load average now {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
