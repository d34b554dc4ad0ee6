"""The installed `rehearse` on a real pseudo-terminal: when the terminal goes away without a
SIGHUP (whatever held the other end of the pty was killed), the app quits within seconds
instead of spinning on the dead terminal at full CPU for ever."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

REHEARSE = Path(sys.executable).with_name("rehearse")


def _read_until(fd: int, marker: bytes, timeout: float) -> bytes:
    import select

    out = b""
    deadline = time.monotonic() + timeout
    while marker not in out and time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.2)
        if ready:
            try:
                out += os.read(fd, 65536)
            except OSError:
                break
    return out


@pytest.mark.skipif(not REHEARSE.exists(), reason="the rehearse command is not installed in this environment")
def test_app_quits_when_its_terminal_goes_away(rehearse_home):
    master, slave = pty.openpty()
    env = dict(os.environ, REHEARSE_HOME=str(rehearse_home), TERM="xterm-256color", COLUMNS="80", LINES="24")
    p = subprocess.Popen(
        [str(REHEARSE)],
        stdin=slave,
        stdout=slave,
        stderr=slave,
        env=env,
        close_fds=True,
    )  # not its controlling terminal: closing it sends no SIGHUP
    os.close(slave)
    try:
        screen = _read_until(master, b"Record again", 60)
        assert b"Record again" in screen, screen[-2000:]
        time.sleep(0.5)
        os.close(master)
        master = -1
        p.wait(timeout=15)  # the watch looks once a second
        assert p.returncode == 0
    finally:
        if master >= 0:
            os.close(master)
        if p.poll() is None:
            p.kill()
            p.wait(10)
    log = rehearse_home / "audio.log"
    assert "Traceback" not in (log.read_text(errors="replace") if log.exists() else "")
