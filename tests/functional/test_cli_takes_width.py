"""`rehearse takes list` in an 80-column terminal: one line per take (short ids), the
part of each question that tells it from the others."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
from pathlib import Path

from recorder.takes import Library


def _take(lib: Library, question: str) -> str:
    take_id, folder = lib.new_take(question, None)
    sample = next(t for t in lib.list() if t.sample)
    (folder / "audio.flac").write_bytes(Path(lib.get(sample.id).audio_path).read_bytes())
    return lib.finish_take(take_id).id


def test_list_fits_80_columns_in_a_terminal(rehearse_home, monkeypatch):
    from datetime import datetime, timedelta, timezone

    import recorder.takes.layout

    lib = Library()
    lib.ensure_sample()
    ids = []
    for minute, q in enumerate(
        (
            "Tell me about a time you went beyond what was asked of you at work.",
            "Tell me about a time you failed and what you learned from it.",
        )
    ):
        at = datetime(2026, 11, 30, 9, minute, tzinfo=timezone.utc)
        monkeypatch.setattr(recorder.takes.layout, "_now", lambda at=at: at + timedelta(seconds=1))
        ids.append(_take(lib, q))
    master, slave = pty.openpty()
    env = dict(os.environ, COLUMNS="80", LINES="24")
    exe = Path(sys.executable).parent / "rehearse"
    proc = subprocess.run([str(exe), "takes", "list"], stdout=slave, stderr=subprocess.PIPE, env=env, timeout=60)
    os.close(slave)
    out = b""
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:
            break
        if not chunk:
            break
        out += chunk
    os.close(master)
    assert proc.returncode == 0, proc.stderr
    lines = out.decode().replace("\r", "").splitlines()
    assert all(len(line) <= 80 for line in lines), [len(x) for x in lines]
    rows = [line for line in lines if line[:8].isdigit()]
    assert len(rows) == 3  # one line each, not wrapped
    assert any("went beyond" in r for r in rows) and any("failed and" in r for r in rows), rows
    for take_id in ids:
        short = next(r.split()[0] for r in rows if take_id.startswith(r.split()[0]))
        assert len(short) < len(take_id)
    assert "any unique start of an id works" in out.decode()
