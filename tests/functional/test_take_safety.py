"""No take is ever lost, overwritten or hidden (README "Your data").

Real faults where they can be made: a full disk is a real tmpfs of a few pages (mounted
for the test; skipped where mounting is not allowed), a kill is a real SIGKILL delivered by
``strace --inject`` at a chosen system call of the real ``rehearse`` process, ids that
differ only by the library's own "-2" suffix are made by the library itself.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from recorder_helpers import SPEECH_WAV, rehearse_cmd
from tui_helpers import settle, stand_in_recorder_factory, wait_for

from recorder.workflow import Workflow

SAMPLE = Path(__file__).resolve().parents[2] / "sample_audio"
RENAME = "/^rename(at2?)?$"  # os.replace() on every architecture


def rehearse(*args: str, env: dict | None = None, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run(
        [*rehearse_cmd(), *args], capture_output=True, text=True, timeout=timeout, stdin=subprocess.DEVNULL, env=env
    )


def one_line_error(r: subprocess.CompletedProcess) -> str:
    assert r.returncode == 1, (r.returncode, r.stdout, r.stderr)
    assert "Traceback" not in r.stderr, r.stderr
    errors = [line for line in r.stderr.splitlines() if line.startswith("rehearse: error:")]
    assert len(errors) == 1, r.stderr
    return errors[0]


# ---- a real full disk ----------------------------------------------------------------------
@contextlib.contextmanager
def tiny_disk(path: Path, size_kb: int):
    """A tmpfs of ``size_kb`` at ``path`` (root only)."""
    path.mkdir(parents=True, exist_ok=True)
    r = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size_kb}k,mode=0700", "tmpfs", str(path)], capture_output=True, text=True
    )
    if r.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs to fill a disk for real: {r.stderr.strip()}")
    try:
        yield path
    finally:
        subprocess.run(["umount", "-l", str(path)], capture_output=True)


def grow(path: Path, size_kb: int) -> None:
    """Free space on the tiny disk (what the user does once told the disk is full)."""
    subprocess.run(["mount", "-o", f"remount,size={size_kb}k", str(path)], check=True)


def fill(path: Path) -> Path:
    """Fill the disk to the last byte."""
    filler = path / "filler"
    with open(filler, "wb", buffering=0) as fh:
        with contextlib.suppress(OSError):
            while True:
                fh.write(b"\1" * 4096)
    return filler


# ---- takes the library itself names X and X-2 ------------------------------------------------
def twin_takes(lib):
    """Two takes of one question made in the same second: ids X and X-2 (the library's
    own way of keeping ids unique). Each has the sample's audio and transcript (with
    STAR markers) and a report."""
    from analysis.transcript import Marker, Transcript

    audio = next(SAMPLE.glob("*.flac"))
    transcript = Transcript.load(next(SAMPLE.glob("*.transcript.json")), require_words=False)
    transcript = transcript.with_markers((Marker("situation", 0.0), Marker("action", 30.0)))
    for _ in range(20):
        a_id, a_dir = lib.new_take("Same question")
        b_id, b_dir = lib.new_take("Same question")
        if b_id == a_id + "-2":
            break
        lib.discard(a_id)
        lib.discard(b_id)
    else:  # pragma: no cover
        pytest.fail("could not make two takes in one second")
    takes = []
    for take_id, folder in ((a_id, a_dir), (b_id, b_dir)):
        shutil.copyfile(audio, folder / "audio.flac")
        take = lib.finish_take(take_id)
        lib.save_transcript(take.id, transcript)
        Workflow(lib).score(take.id)
        takes.append(lib.get(take.id))
    return takes


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def test_a_full_take_id_always_means_exactly_that_take(rehearse_home):
    from recorder.errors import TakeNotFoundError
    from recorder.takes import Library

    lib = Library()
    a, b = twin_takes(lib)
    x, x2 = a.id, b.id
    b_before = snapshot(b.path)

    # a prefix typed on the command line works only when it names one take
    err = one_line_error(rehearse("takes", "show", x[:15]))
    assert "matches 2 takes" in err and x in err and x2 in err

    assert rehearse("takes", "delete", x).returncode == 0
    err = one_line_error(rehearse("takes", "delete", x))  # again: X is gone, X-2 is not X
    assert "in the trash" in err
    assert (lib.root / x2).is_dir()
    for args in (
        ("takes", "show", x),
        ("rescore", x),
        ("takes", "edit", x, "-q", "changed"),
        ("takes", "export", x, "-f", "md"),
    ):
        one_line_error(rehearse(*args))
    assert snapshot(b.path) == b_before

    # both in the trash; purging X twice never deletes X-2
    assert rehearse("takes", "delete", x2).returncode == 0
    assert rehearse("takes", "purge", x, "--yes").returncode == 0
    err = one_line_error(rehearse("takes", "purge", x, "--yes"))
    assert x2 in err  # it says which take "X" is not
    assert (lib.trash_dir / x2).is_dir()
    one_line_error(rehearse("takes", "restore", x))
    assert (lib.trash_dir / x2).is_dir()
    assert rehearse("takes", "restore", x2).returncode == 0
    assert snapshot(lib.root / x2) == {k: v for k, v in b_before.items() if k != "take.json"} | {
        "take.json": (lib.root / x2 / "take.json").read_bytes()
    }
    # a unique prefix is still fine on the command line
    r = rehearse("takes", "show", x[:15])
    assert r.returncode == 0 and x2 in r.stdout, r.stderr

    # inside the program an id is exact: no method ever picks X-2 for X
    from analysis.transcript import Transcript

    t = Transcript.load(b.transcript_path, require_words=False)
    for call in (
        lambda: lib.get(x),
        lambda: lib.delete(x),
        lambda: lib.save_transcript(x, t),
        lambda: lib.save_report(x, {"words": 1}),
        lambda: lib.set_question(x, "no"),
        lambda: Workflow(lib).score(x),
        lambda: lib.export(x, "md"),
        lambda: lib.purge(x),
        lambda: lib.restore(x),
    ):
        with pytest.raises(TakeNotFoundError):
            call()
    assert (lib.root / x2).is_dir() and json.loads((lib.root / x2 / "take.json").read_text())[
        "question"
    ] == "Same question"


async def test_review_of_a_take_deleted_elsewhere_never_writes_into_another(rehearse_home):
    from recorder.takes import Library
    from tui.app import make_app
    from tui.screens.review import ReviewScreen
    from tui.settings import AppSettings, UISettings

    lib = Library()
    a, b = twin_takes(lib)
    b_before = snapshot(b.path)
    app = make_app(settings=AppSettings(ui=UISettings(live_transcription=False)), open_take=a.id, ensure_sample=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, ReviewScreen) and app.screen.report, what="Review")
        review = app.screen
        assert review.take_id == a.id
        r = rehearse("takes", "delete", a.id)  # another process deletes it meanwhile
        assert r.returncode == 0, r.stderr
        await pilot.press("backspace")  # clear the STAR markers: re-scores and saves
        await wait_for(pilot, lambda: any("trash" in n.message for n in app._notifications), what="the error notice")
        await settle(pilot)
    assert snapshot(b.path) == b_before
    assert [t.id for t in Library().list()] == [b.id]


# ---- a full disk never costs a recording ---------------------------------------------------
@pytest.mark.parametrize("fault", ["full disk", "conversion error"])
async def test_practise_keeps_a_take_it_cannot_save(fault, tmp_path, monkeypatch):
    """The disk fills up while recording (a real tmpfs), so the FLAC conversion fails
    (libsndfile's own error): the take is kept in .in-progress, the notice says where and
    how to get it back, and once there is space it is recovered with all its audio.
    "conversion error": the same failure made at the conversion call, on any machine."""
    import soundfile as sf

    from recorder.takes import Library, recovery
    from tui.app import make_app
    from tui.screens.practise import IDLE, RECORDING
    from tui.settings import AppSettings, UISettings

    stack = contextlib.ExitStack()
    if fault == "full disk":
        home = stack.enter_context(tiny_disk(tmp_path / "disk", 96))
    else:
        home = tmp_path / "home"

        def broken(*args, **kwargs):
            raise sf.LibsndfileError(157, "")

        monkeypatch.setattr(recovery, "_pcm_to_flac", broken)  # where finishing a take calls it
    monkeypatch.setenv("REHEARSE_HOME", str(home))
    with stack:
        app = make_app(
            settings=AppSettings(ui=UISettings(live_transcription=False)),
            start="practise",
            ensure_sample=False,
            recorder_factory=stand_in_recorder_factory(speed=4),
        )
        async with app.run_test(size=(100, 30)) as pilot:
            screen = app.screen
            await pilot.press("r")
            await wait_for(pilot, lambda: screen.state == RECORDING, what="recording")
            if fault == "full disk":  # it stops by itself when the disk is full
                await wait_for(pilot, lambda: screen.state != RECORDING, timeout=30, what="the disk to fill")
            else:
                await wait_for(pilot, lambda: screen.session.recorder.elapsed > 1.0, what="audio")
                await pilot.press("enter")
            await wait_for(pilot, lambda: screen.state == IDLE, timeout=30, what="the take to finish")
            await settle(pilot)
            notes = [n.message for n in app._notifications]
        kept = [d for d in (home / "takes" / ".in-progress").iterdir()]
        assert len(kept) == 1, notes
        pcm = kept[0] / "audio.pcm"
        size = pcm.stat().st_size
        assert size > 16000, "the audio was not kept"
        note = next((n for n in notes if "is kept in" in n), None)
        assert note is not None, notes
        assert str(kept[0]) in note and "recovered" in note
        if fault == "full disk":
            assert "disk is full" in note
            grow(home, 8192)
        else:
            monkeypatch.undo()
            monkeypatch.setenv("REHEARSE_HOME", str(home))
        [take] = Library(home / "takes").recover_unfinished()
        frames = sf.info(str(take.audio_path)).frames
        assert frames == size // 2 and take.recovered  # every sample recorded


def test_record_on_a_full_disk_says_in_one_line_that_the_audio_is_kept(tmp_path):
    from recorder_helpers import VirtualAudio, missing_audio_tools, record_while_speaking

    why = missing_audio_tools()
    if why:
        pytest.skip(why)
    va = VirtualAudio().start()
    try:
        with tiny_disk(tmp_path / "disk", 64) as home:
            env = dict(va.env, REHEARSE_HOME=str(home))
            cmd = [*rehearse_cmd(), "record", "--seconds", "8", "--no-transcribe", "--question", "Full disk"]
            r = record_while_speaking(va, cmd, env, timeout=60)
            msg = one_line_error(r)
            assert "the disk is full" in msg and "is kept in" in msg and ".in-progress" in msg, msg
            assert len(r.stderr.strip().splitlines()) <= 3, r.stderr  # "Recording from", the error
            [kept] = (home / "takes" / ".in-progress").iterdir()
            size = (kept / "audio.pcm").stat().st_size
            assert size > 16000
            # space again: the next start recovers it as a take, with every sample
            grow(home, 8192)
            r = rehearse("takes", "list", env=env)
            assert r.returncode == 0, r.stderr
            assert "recovered an unfinished recording as take" in r.stderr and "Full disk" in r.stdout
            import soundfile as sf

            [take_dir] = [d for d in (home / "takes").iterdir() if d.name.endswith("full-disk")]
            assert sf.info(str(take_dir / "audio.flac")).frames == size // 2
    finally:
        va.stop()


# ---- exports: all or nothing ---------------------------------------------------------------------
def _sample_take(rehearse_home) -> str:
    from recorder.takes import Library

    lib = Library()
    take = lib.ensure_sample()
    assert take is not None
    return take.id


def test_export_to_a_full_disk_leaves_nothing_and_the_retry_works(rehearse_home, tmp_path):
    take_id = _sample_take(rehearse_home)
    expected = rehearse("takes", "export", take_id, "-f", "json").stdout
    with tiny_disk(tmp_path / "disk", 64) as disk:
        filler = fill(disk)
        for fmt, name in (("json", "take.json"), ("wav", "take.wav"), ("md", "take.md")):
            err = one_line_error(rehearse("takes", "export", take_id, "-f", fmt, "-o", str(disk / name)))
            assert "disk is full" in err, err
        assert sorted(p.name for p in disk.iterdir()) == ["filler"]  # no partial file, no temp file
        filler.unlink()
        r = rehearse("takes", "export", take_id, "-f", "json", "-o", str(disk / "take.json"))
        assert r.returncode == 0, r.stderr
        assert (disk / "take.json").read_text() == expected
        assert oct((disk / "take.json").stat().st_mode & 0o777) == oct(0o600)


def kill_at_call(call: str, when: int, *args: str) -> None:
    """Run ``rehearse *args`` under strace and SIGKILL it at its ``when``-th call of
    ``call`` (a regex of system call names); it must have died."""
    inject = f"inject={call}:signal=SIGKILL:when={when}"
    r = subprocess.run(
        ["strace", "-f", "-qq", "-o", os.devnull, "-e", f"trace={call}", "-e", inject, *rehearse_cmd(), *args],
        capture_output=True,
        text=True,
        timeout=120,
        stdin=subprocess.DEVNULL,
    )
    assert r.returncode != 0, r.stderr


@pytest.mark.skipif(shutil.which("strace") is None, reason="strace is not installed (apt install strace)")
def test_export_killed_midway_leaves_no_file_and_the_retry_works(rehearse_home, tmp_path):
    take_id = _sample_take(rehearse_home)
    out = tmp_path / "out"
    out.mkdir()
    dest = out / "take.md"
    # SIGKILL the real process at its first fsync: the export has written its data but
    # not yet put the file in place
    kill_at_call("/^f(data)?sync$", 1, "takes", "export", take_id, "-f", "md", "-o", str(dest))
    assert not dest.exists()
    left = [p.name for p in out.iterdir()]
    assert left and all(n.startswith(".take.md.") for n in left), left  # it was killed mid-export
    r = rehearse("takes", "export", take_id, "-f", "md", "-o", str(dest))
    assert r.returncode == 0, r.stderr
    assert dest.read_text() == rehearse("takes", "export", take_id, "-f", "md").stdout
    assert [p.name for p in out.iterdir()] == ["take.md"]  # the killed export's temp file is gone


# ---- temp files of a killed process are cleaned at the next start ----------------------------------
@pytest.mark.skipif(shutil.which("strace") is None, reason="strace is not installed (apt install strace)")
def test_temp_files_left_by_a_kill_are_cleaned_at_the_next_start(rehearse_home):
    from recorder.takes import Library

    take_id = _sample_take(rehearse_home)
    folder = rehearse_home / "takes" / take_id
    before = snapshot(folder)

    # a take.json rewrite killed just before its rename
    kill_at_call(RENAME, 1, "takes", "edit", take_id, "-q", "A new question")
    temps = [p.name for p in folder.iterdir() if p.name.startswith(".take.json.")]
    assert temps, "the kill did not happen mid-write"
    # an import killed at the end of converting its audio (its 2nd rename: the 1st is
    # the new take's take.json)
    kill_at_call(RENAME, 2, "import", str(SPEECH_WAV), "--no-transcribe")
    in_progress = rehearse_home / "takes" / ".in-progress"
    left = list(in_progress.rglob(".audio.flac.*tmp"))
    assert left, "the kill did not happen mid-import"

    r = rehearse("takes", "list")
    assert r.returncode == 0, r.stderr
    assert [p.name for p in folder.iterdir() if p.name.endswith(".tmp")] == []
    assert snapshot(folder) == before  # the take itself is untouched
    assert not any(p.exists() for p in left)
    assert not list((rehearse_home / "takes").rglob("*.tmp"))
    assert [t.id for t in Library().list()] == [take_id]
    assert not (rehearse_home / "takes" / ".writing").exists()


def test_import_to_a_full_disk_is_one_line_and_leaves_nothing(tmp_path):
    with tiny_disk(tmp_path / "disk", 512) as home:
        env = dict(os.environ, REHEARSE_HOME=str(home))
        with open(home / "filler", "wb") as fh:  # room for the take's folder, not its audio
            fh.write(b"\1" * (496 * 1024))
        err = one_line_error(rehearse("import", str(SPEECH_WAV), "--no-transcribe", env=env))
        assert "disk is full" in err and str(SPEECH_WAV) in err, err
        assert not list((home / "takes").rglob("*.tmp"))
        (home / "filler").unlink()
        r = rehearse("import", str(SPEECH_WAV), "--no-transcribe", env=env)
        assert r.returncode == 0, r.stderr
