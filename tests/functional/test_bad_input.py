"""Bad input never costs memory, time or a traceback (issue 9, section 4), checked with
real `rehearse` processes: absurd time spans, JSON nested 100k levels deep or holding
5000-digit numbers, a text file named .mp3, escape sequences in data printed to the
terminal. (Settings ranges: test_settings_ranges.py; the lock: test_library_damaged.py.)"""

from __future__ import annotations

import json
import resource
import shutil
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from analysis.pace import MAX_WINDOWS

MEMORY_LIMIT = 3 << 30
"""Address space a process of the bounds tests may use: a regression fails the test
instead of taking the machine's memory (before the fix: 19 GB for a 1e9 s span)."""


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def run(rehearse_bin, *argv, timeout=120, limit_memory=False):
    start = time.monotonic()
    proc = subprocess.run(
        [*rehearse_bin.split(), *map(str, argv)],
        capture_output=True,
        timeout=timeout,
        preexec_fn=_limit_memory if limit_memory else None,
    )
    proc.took = time.monotonic() - start
    proc.out = proc.stdout.decode("utf-8", "replace")
    proc.err = proc.stderr.decode("utf-8", "replace")
    assert "Traceback" not in proc.err, proc.err
    return proc


def transcript_file(tmp_path: Path, words: list[tuple[str, float, float]], name="t.json") -> Path:
    p = tmp_path / name
    p.write_text(json.dumps({"words": [{"text": t, "start": s, "end": e} for t, s, e in words]}))
    return p


# ---- bounded per-time-window work -----------------------------------------------------


def test_words_at_0_and_1e15_seconds_are_one_line_at_once(tmp_path, rehearse_bin):
    p = transcript_file(tmp_path, [(" so", 0.0, 0.3), (" done", 1e15, 1e15 + 0.3)])
    proc = run(rehearse_bin, "analyze", p, timeout=60, limit_memory=True)  # before: allocated until killed
    assert proc.returncode == 1 and proc.out == ""
    assert proc.err.count("\n") == 1 and str(p) in proc.err and "beyond the 24 h" in proc.err


def test_a_long_but_possible_span_gives_a_bounded_timeline(tmp_path, rehearse_bin):
    p = transcript_file(tmp_path, [(" so", 0.0, 0.3), (" then", 40_000.0, 40_000.3), (" done", 86_000.0, 86_000.3)])
    proc = run(rehearse_bin, "analyze", "--json", p, timeout=60, limit_memory=True)
    assert proc.returncode == 0
    timeline = json.loads(proc.out)["pace"]["timeline"]
    assert 0 < len(timeline) <= MAX_WINDOWS


TIMELINE = textwrap.dedent("""
    import time
    from analysis.pace import MAX_WINDOWS, _timeline
    from analysis.transcript import Transcript, Word
    t = Transcript(words=(Word(" a", 0.0, 0.1), Word(" b", 80_000.0, 80_000.5)), duration=80_001.0)
    for window in (1e-6, 0.001, 1.0, 10.0):
        start = time.monotonic()
        timeline = _timeline(t, window)
        assert len(timeline) <= MAX_WINDOWS and time.monotonic() - start < 2.0, (window, len(timeline))
        assert timeline[0].start == 0.0 and timeline[-1].end == 80_000.5
        assert sum(w.words for w in timeline) == 2
    print("ok")
""")


def test_the_pace_timeline_is_bounded_for_any_window():
    # in a child with a memory limit: a regression must fail here, not exhaust the machine
    proc = subprocess.run(
        [sys.executable, "-c", TIMELINE], capture_output=True, text=True, timeout=120, preexec_fn=_limit_memory
    )
    assert proc.returncode == 0 and proc.stdout.strip() == "ok", proc.stderr[-2000:]


# ---- JSON that would exhaust the parser ------------------------------------------------


@pytest.mark.parametrize(
    "text, needle",
    [
        ('{"words": ' + "[" * 100_000 + "]" * 100_000 + "}", "nested too deeply"),
        ('{"words": [{"text": " a", "start": ' + "1" * 5000 + ', "end": 1}]}', "5000 digits"),
        ('{"duration": ' + "9" * 5000 + ', "words": []}', "5000 digits"),
    ],
)
def test_json_nested_100k_deep_or_with_5000_digit_numbers_is_one_line_naming_the_file(
    tmp_path, rehearse_bin, text, needle
):
    p = tmp_path / "bad.json"
    p.write_text(text)
    proc = run(rehearse_bin, "analyze", p)
    assert proc.returncode == 1 and proc.out == ""
    assert proc.err.count("\n") == 1 and str(p) in proc.err and needle in proc.err, proc.err


# ---- a text file named .mp3 ------------------------------------------------------------


@pytest.mark.parametrize("command", ["import", "analyze", "transcribe"])
def test_a_text_file_named_mp3_is_one_line_without_library_noise(tmp_path, rehearse_bin, command):
    p = tmp_path / "answer.mp3"
    p.write_text("this is not audio at all, just some text\n" * 3)
    proc = run(rehearse_bin, command, p)
    assert proc.returncode == 1 and proc.out == ""
    assert proc.err.count("\n") == 1, proc.err  # no libmpg123 "Note:" lines
    assert proc.err.startswith("rehearse: error: ") and str(p) in proc.err
    assert "Note:" not in proc.err and "Errno" not in proc.err


# ---- escape sequences in data never reach the terminal ---------------------------------

EVIL = "\x1b[2J\x1b]0;pwned\x07\x9b31m\u202e"


def _no_control(text: str) -> bool:
    return not any(c in text for c in "\x1b\x07\x9b\u202e")


def test_escape_sequences_in_questions_words_and_names_never_reach_the_terminal(rehearse_home, rehearse_bin, tmp_path):
    from recorder.takes import Library

    take = Library().ensure_sample()
    folder = take.path
    meta = json.loads((folder / "take.json").read_text())
    meta.update(question=f"Evil {EVIL} question", model=f"tiny{EVIL}", competency=f"c{EVIL}", device=f"mic{EVIL}")
    (folder / "take.json").write_text(json.dumps(meta))
    tr = json.loads((folder / "transcript.json").read_text())
    tr["words"][0]["text"] = f" So{EVIL}"
    tr["model"] = f"m{EVIL}"
    (folder / "transcript.json").write_text(json.dumps(tr))
    evil_name = tmp_path / f"x{EVIL}.json"
    shutil.copyfile(folder / "transcript.json", evil_name)

    for argv in (
        ("takes", "list"),
        ("takes", "list", "--json"),
        ("takes", "show", take.id, "--transcript"),
        ("takes", "export", take.id, "-f", "md"),
        ("takes", "export", take.id, "-f", "json"),
        ("takes", "export", take.id, "-f", "csv"),
        ("takes", "edit", take.id, "--competency", "x"),
        ("rescore", take.id),
        ("analyze", folder / "transcript.json"),
        ("analyze", "--json", folder / "transcript.json"),
        ("analyze", evil_name),
        ("takes", "show", f"nope{EVIL}"),
    ):
        proc = run(rehearse_bin, *argv)
        assert _no_control(proc.out) and _no_control(proc.err), (argv, proc.out[:300], proc.err)
    proc = run(rehearse_bin, "takes", "list", "--json")
    assert json.loads(proc.out)[0]["question"] == f"Evil {EVIL} question"  # JSON keeps the data exactly
    assert "\\x1b[2J" in run(rehearse_bin, "takes", "list").out  # shown, visibly escaped
