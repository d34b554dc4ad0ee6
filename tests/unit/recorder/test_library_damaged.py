"""One bad file never hides the rest (issue 9, section 3).

Every take folder is read behind one guard: a malformed field in take.json, report.json
or transcript.json makes that take skipped with a one-line warning (or, asked for by id,
refused in one line), never deleted or rewritten, and every other take still works in
`takes list` (also --json, which never holds NaN), `takes show`, `rescore --all`,
`export --all` and the app's Library. Unfinished recordings are recovered one by one; a
symlinked take folder is never followed; a read-only takes/ stays read-only.
"""

from __future__ import annotations

import json
import math
import os
import shutil
import stat
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from recorder.takes import Library
from tui.cli import main

ROOT = Path(__file__).resolve().parents[3]


# ---- a library of real takes (the bundled example, copied) ----------------------------


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    """One scored take (the bundled sample): take.json, audio.flac, transcript.json, report.json."""
    root = tmp_path_factory.mktemp("template") / "takes"
    take = Library(root).ensure_sample()
    assert take is not None and take.has_report and take.has_transcript
    return take.path


def add_take(root: Path, template: Path, name: str, question: str) -> Path:
    dest = root / name
    shutil.copytree(template, dest)
    meta = json.loads((dest / "take.json").read_text())
    meta.update(id=name, question=question, sample=False)
    (dest / "take.json").write_text(json.dumps(meta, indent=1))
    return dest


GOOD = ("20260102-100000-good-one", "20260102-110000-good-two")
BAD = "20260102-120000-damaged"


@pytest.fixture
def library(rehearse_home, template) -> Path:
    root = rehearse_home / "takes"
    root.mkdir(mode=0o700)
    (root / ".sample-installed").write_text("\n")  # no example take: only ours
    for i, name in enumerate(GOOD):
        add_take(root, template, name, f"Good question {i}")
    add_take(root, template, BAD, "The damaged one")
    return root


def edit_json(path: Path, change) -> None:
    data = json.loads(path.read_text())
    out = change(data)
    path.write_text(out if isinstance(out, str) else json.dumps(data))


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def cli(capsys, *argv) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


# The cases of the issue: (file, change to its JSON). Each makes the take unusable in
# some way; none may hide the other takes.
def _set(path: tuple, value):
    def change(d):
        target = d
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value

    return change


def _raw(fn):
    return lambda d: fn(json.dumps(d))


CASES = {
    "markers-5": ("take.json", _set(("markers",), 5)),
    "summary-fillers-nan": ("take.json", _set(("summary", "fillers"), math.nan)),
    "summary-fillers-1e400": ("take.json", _raw(lambda t: t.replace('"fillers": 9', '"fillers": 1e400'))),
    "summary-star-missing-7": ("take.json", _set(("summary", "star_missing"), 7)),
    "duration-nan": ("take.json", _set(("duration",), math.nan)),
    "duration-infinity": ("take.json", _set(("duration",), math.inf)),
    "take-deep-nesting": ("take.json", lambda d: '{"a":' * 100_000 + "1" + "}" * 100_000),
    "take-5000-digits": ("take.json", _raw(lambda t: t.replace('"overflows": 0', '"overflows": ' + "7" * 5000))),
    "question-object": ("take.json", _set(("question",), {"x": 1})),
    "report-content-7": ("report.json", _set(("content",), 7)),
    "report-length-7": ("report.json", _set(("content", "length"), 7)),
    "report-deep-nesting": ("report.json", lambda d: "[" * 100_000 + "]" * 100_000),
    "report-section-5": ("report.json", _set(("star", "sections"), [5])),
    "transcript-markers-5": ("transcript.json", _set(("markers",), 5)),
    "transcript-5000-digits": (
        "transcript.json",
        _raw(lambda t: t.replace('"start": 0.', '"x": ' + "1" * 5000 + ', "start": 0.', 1)),
    ),
    "transcript-deep-nesting": ("transcript.json", lambda d: '{"words":' + "[" * 100_000 + "]" * 100_000 + "}"),
}


def check_the_others_work(capsys, root: Path) -> None:
    code, out, err = cli(capsys, "takes", "list")
    assert code == 0 and "Traceback" not in err
    for name in GOOD:
        assert name in out
    assert BAD in out or BAD in err  # listed, or skipped with a warning naming it
    assert all(line.startswith("rehearse: warning: ") for line in err.splitlines())

    code, out, err = cli(capsys, "takes", "list", "--json")
    assert code == 0
    rows = json.loads(out, parse_constant=lambda c: pytest.fail(f"takes list --json emitted {c}"))
    assert {r["id"] for r in rows} >= set(GOOD)

    code, out, err = cli(capsys, "takes", "show", GOOD[0], "--transcript")
    assert code == 0 and "Good question 0" in out and err == ""

    code, out, err = cli(capsys, "takes", "export", "--all", "-f", "csv")
    assert code == 0
    ids = [line.split(",")[0] for line in out.splitlines()[1:]]
    assert set(GOOD) <= set(ids)

    code, out, err = cli(capsys, "takes", "show", BAD)  # asked for by id: works or is one line
    assert code in (0, 1) and "Traceback" not in err and err.count("\n") <= 1
    code, out, err = cli(capsys, "takes", "export", BAD, "-f", "md")
    assert code in (0, 1) and err.count("\n") <= 1


@pytest.mark.parametrize("case", list(CASES))
def test_one_damaged_file_never_hides_the_other_takes(capsys, library, case):
    name, change = CASES[case]
    edit_json(library / BAD / name, change)
    before = snapshot(library / BAD)
    check_the_others_work(capsys, library)
    assert snapshot(library / BAD) == before  # never deleted, never rewritten

    code, out, err = cli(capsys, "rescore", "--all", "--quiet")
    assert "Traceback" not in err
    assert all(line.startswith(("rehearse: warning: ", "[", "Re-scored")) for line in err.splitlines()), err
    assert "Re-scored 2 take(s)" in err or "Re-scored 3 take(s)" in err
    assert (library / BAD).is_dir() and (library / BAD / "audio.flac").read_bytes() == before["audio.flac"]


def test_damaged_takes_from_the_command_line_one_process_per_command(library, rehearse_bin, tmp_path):
    """The same, as a user runs it: real `rehearse` processes over a library where every
    kind of damage is present at once, next to two good takes."""
    damaged = {}
    for i, (case, (name, change)) in enumerate(CASES.items()):
        folder = add_take(library, library / GOOD[0], f"20260103-{i:06d}-{case}", case)
        edit_json(folder / name, change)
        damaged[folder.name] = snapshot(folder)
    shutil.rmtree(library / BAD)

    def run(*argv):
        proc = subprocess.run([*rehearse_bin.split(), *argv], capture_output=True, text=True, timeout=300)
        assert "Traceback" not in proc.stderr, proc.stderr
        return proc

    p = run("takes", "list")
    assert p.returncode == 0 and all(g in p.stdout for g in GOOD)
    p = run("takes", "list", "--json")
    assert p.returncode == 0 and "NaN" not in p.stdout and "Infinity" not in p.stdout
    assert {r["id"] for r in json.loads(p.stdout)} >= set(GOOD)
    p = run("takes", "show", GOOD[1])
    assert p.returncode == 0 and "Good question 1" in p.stdout
    p = run("takes", "export", "--all", "-f", "csv")
    assert p.returncode == 0 and all(g in p.stdout for g in GOOD)
    p = run("rescore", "--all", "--quiet")
    assert p.returncode == 0
    for name, before in damaged.items():  # re-scoring may rebuild a report, nothing else
        assert (library / name / "audio.flac").read_bytes() == before["audio.flac"]
        assert (library / name / "transcript.json").read_bytes() == before["transcript.json"]


# ---- property: any one field of a valid take, mutated, never hides the others ---------

JSON_VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**6), max_value=10**6),
    st.sampled_from([math.nan, math.inf, -math.inf, 1e308, -1.0, 0.0, 10**40]),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=8),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
    st.sampled_from(["[[[[[[", '{"deep": ' * 500 + "1" + "}" * 500]),
)


def _paths(value, prefix=()):
    """Every (path, value) in a JSON document, depth-first, lists sampled to 3 items."""
    yield prefix
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _paths(v, prefix + (k,))
    elif isinstance(value, list):
        for i, v in enumerate(value[:3]):
            yield from _paths(v, prefix + (i,))


@pytest.fixture(scope="module")
def field_paths(template):
    return {
        name: list(_paths(json.loads((template / name).read_text())))
        for name in ("take.json", "report.json", "transcript.json")
    }


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
@given(data=st.data())
def test_property_any_mutated_field_leaves_the_others_working(capsys, library, field_paths, data):
    name = data.draw(st.sampled_from(sorted(field_paths)), label="file")
    path = data.draw(st.sampled_from(field_paths[name]), label="field")
    value = data.draw(JSON_VALUES, label="value")
    target = library / BAD / name
    original = target.read_bytes()
    try:
        doc = json.loads(original)
        if not path:
            text = value if isinstance(value, str) else json.dumps(value)
        else:
            node = doc
            for key in path[:-1]:
                node = node[key]
            if isinstance(value, str) and value.startswith(("[[", '{"deep')):
                node[path[-1]] = "@@RAW@@"
                text = json.dumps(doc).replace('"@@RAW@@"', value)
            else:
                node[path[-1]] = value
                text = json.dumps(doc)
        target.write_text(text)
        (library / ".index.json").unlink(missing_ok=True)
        before = snapshot(library / BAD)
        check_the_others_work(capsys, library)
        assert snapshot(library / BAD) == before
    finally:
        target.write_bytes(original)


# ---- unfinished recordings: each on its own -------------------------------------------


def _in_progress(root: Path, name: str, recording: dict) -> Path:
    folder = root / ".in-progress" / name
    folder.mkdir(parents=True)
    (folder / "take.json").write_text(
        json.dumps(
            {
                "schema_version": "1.0",
                "id": name,
                "question": f"Question of {name}",
                "created": "2026-01-01T00:00:00+00:00",
                "duration": 0.0,
                "markers": [],
            }
        )
    )
    (folder / "recording.json").write_text(json.dumps(recording))
    (folder / "audio.pcm").write_bytes((np.sin(np.arange(16000) / 5) * 9000).astype("<i2").tobytes())
    return folder


@pytest.mark.parametrize(
    "bad",
    [{"samplerate": "abc"}, {"channels": -1}, {"samplerate": 1e12}, {"overflows": "many"}],
    ids=lambda b: f"{next(iter(b))}={next(iter(b.values()))}",
)
def test_a_bad_unfinished_recording_never_stops_recovering_the_others(library, rehearse_bin, bad):
    bad_folder = _in_progress(library, "20260101-000000-bad", {"samplerate": 16000, "channels": 1, **bad})
    _in_progress(library, "20260101-000001-crashed", {"samplerate": 16000, "channels": 1})
    before = snapshot(bad_folder)
    proc = subprocess.run([*rehearse_bin.split(), "takes", "list"], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0 and "Traceback" not in proc.stderr
    assert "recovered an unfinished recording as take 20260101-000001-crashed" in proc.stderr
    assert "20260101-000001-crashed" in proc.stdout and all(g in proc.stdout for g in GOOD)
    key = next(iter(bad))
    warnings = [ln for ln in proc.stderr.splitlines() if "20260101-000000-bad" in ln]
    assert len(warnings) == 1, proc.stderr  # reported once
    assert "recording.json" in warnings[0] and f"'{key}'" in warnings[0]
    assert "invalid literal" not in proc.stderr and "could not check for unfinished" not in proc.stderr
    assert snapshot(bad_folder) == before  # left in place, untouched


async def test_app_library_loads_next_to_a_damaged_take_and_a_bad_unfinished_recording(library):
    from textual.widgets import DataTable
    from tui_helpers import settle, wait_for

    from tui.app import make_app
    from tui.settings import AppSettings

    edit_json(library / BAD / "take.json", _set(("markers",), 5))
    _in_progress(library, "20260101-000000-bad", {"samplerate": "abc"})
    app = make_app(settings=AppSettings())
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        screen = app.screen
        await wait_for(pilot, lambda: screen.loaded, what="the library to load")
        table = screen.query_one("#takes", DataTable)
        assert table.row_count == len(GOOD)
        status = str(screen.query_one("#library-status").content)
        assert "Loading" not in status


# ---- symlinked take folders are never followed ----------------------------------------


def test_a_symlinked_take_folder_is_never_followed(capsys, library, tmp_path):
    outside = tmp_path / "outside"
    shutil.copytree(library / GOOD[0], outside)
    meta = json.loads((outside / "take.json").read_text())
    link = library / "20260104-000000-linked"
    meta["id"] = link.name
    (outside / "take.json").write_text(json.dumps(meta))
    link.symlink_to(outside, target_is_directory=True)
    before = snapshot(outside)

    code, out, err = cli(capsys, "takes", "list")
    assert code == 0 and link.name not in out and all(g in out for g in GOOD)
    assert link.name in err and "symbolic link" in err  # consistent: said, not silently hidden
    for argv in (
        ("takes", "show", link.name),
        ("takes", "edit", link.name, "-q", "rewritten"),
        ("rescore", link.name),
        ("takes", "delete", link.name),
        ("takes", "export", link.name),
    ):
        code, out, err = cli(capsys, *argv)
        assert code == 1, argv
        assert err.count("\n") == 1 and "symbolic link" in err, (argv, err)
    assert snapshot(outside) == before and link.is_symlink()


# ---- a read-only library stays read-only ----------------------------------------------


def test_a_read_only_library_is_respected(capsys, library):
    os.chmod(library, 0o500)
    try:
        before = {n: snapshot(library / n) for n in (*GOOD, BAD)}
        code, out, err = cli(capsys, "takes", "list")
        assert code == 0 and all(g in out for g in GOOD)
        for argv in (
            ("takes", "edit", GOOD[0], "-q", "new"),
            ("takes", "delete", GOOD[0]),
            ("rescore", GOOD[0], "--quiet"),
        ):
            code, out, err = cli(capsys, *argv)
            assert code == 1, argv
            assert err.count("\n") == 1 and "read-only" in err, (argv, err)
            assert stat.S_IMODE(library.stat().st_mode) == 0o500  # never chmod'ed back
        assert {n: snapshot(library / n) for n in (*GOOD, BAD)} == before
    finally:
        os.chmod(library, 0o700)


# ---- the lock: say at once who we wait for; rescore --all waits once, not per take -----

LOCK_HOLDER = textwrap.dedent("""
    import sys, time
    from recorder.takes import Library
    with Library(sys.argv[1]).locked():
        print("holding", flush=True)
        time.sleep(float(sys.argv[2]))
""")


def test_waiting_for_the_lock_is_said_at_once_and_rescore_all_waits_once(library, rehearse_bin):
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    for i in range(4):
        add_take(library, library / GOOD[0], f"20260105-00000{i}-more", f"More {i}")
    hold_s = 10.0  # long enough for a slow start of the second process, short of its 15 s wait
    holder = subprocess.Popen(
        [sys.executable, "-c", LOCK_HOLDER, str(library), str(hold_s)], stdout=subprocess.PIPE, text=True, env=env
    )
    try:
        assert holder.stdout.readline().strip() == "holding"
        start = time.monotonic()
        proc = subprocess.Popen(
            [*rehearse_bin.split(), "rescore", "--all", "--quiet"], stderr=subprocess.PIPE, text=True
        )
        first = proc.stderr.readline()
        said_after = time.monotonic() - start
        rest = proc.stderr.read()
        proc.wait(timeout=120)
        total = time.monotonic() - start
    finally:
        holder.kill()
        holder.wait()
    assert "another Rehearse is using the take library" in first and "re-score every take" in first, first
    assert said_after < hold_s - 1  # at once: while the other still holds the lock, not after
    assert proc.returncode == 0 and "Re-scored 7 take(s)" in rest, rest
    assert rest.count("another Rehearse") == 0  # one wait for the whole run, not one per take
    assert total < 60


async def test_the_app_says_at_once_when_another_rehearse_holds_the_library(library):
    import asyncio

    from tui_helpers import settle, wait_for

    from tui.app import make_app
    from tui.settings import AppSettings

    env = dict(os.environ, PYTHONPATH=str(ROOT))
    app = make_app(settings=AppSettings())
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        holder = subprocess.Popen(
            [sys.executable, "-c", LOCK_HOLDER, str(library), "3"], stdout=subprocess.PIPE, text=True, env=env
        )
        try:
            assert holder.stdout.readline().strip() == "holding"
            lib = app.services.library
            edit = asyncio.ensure_future(asyncio.to_thread(lib.set_question, GOOD[0], "Retitled while locked"))
            note = await wait_for(
                pilot,
                lambda: [n for n in app._notifications if "another Rehearse is using the take library" in n.message],
                timeout=10,
                what="the lock notification",
            )
            assert "waiting up to" in note[0].message and not edit.done()  # said while still waiting
            await edit
        finally:
            holder.kill()
            holder.wait()
    assert Library(library).get(GOOD[0]).question == "Retitled while locked"


@pytest.mark.parametrize(
    "change",
    [_set(("star", "sections"), [5]), _set(("content", "length"), 7), _set(("fillers", "items"), [5])],
    ids=["sections", "length", "fillers"],
)
async def test_the_review_screen_of_a_take_with_a_damaged_report_says_so_and_keeps_running(library, change):
    from tui_helpers import settle, wait_for

    from tui.app import make_app
    from tui.screens.review import ReviewScreen
    from tui.settings import AppSettings

    edit_json(library / BAD / "report.json", change)
    app = make_app(settings=AppSettings(), open_take=BAD)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        notes = await wait_for(
            pilot,
            lambda: [n for n in app._notifications if "report.json: damaged" in n.message],
            what="a notification about the damaged report",
        )
        assert f"rehearse rescore {BAD}" in notes[0].message
        assert isinstance(app.screen, ReviewScreen)
    assert app._exception is None  # the app never died on it
