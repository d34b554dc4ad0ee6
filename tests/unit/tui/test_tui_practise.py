"""Practise screen (Pilot): record through the real Recorder fed by a stand-in input
stream (speech from tests/fixtures), mark STAR sections, pause, stop -> the take is
transcribed by a real (tiny, scripted) faster-whisper model, analysed, and opened in
Review; cancel throws the recording away; a missing microphone shows a banner."""

from __future__ import annotations

import dataclasses
import json

import pytest
from tui_helpers import settle, stand_in_recorder_factory, wait_for

WORDS = ["So,", "um,", "I", "led", "the", "migration", "and", "we", "cut", "costs", "by", "30%."]


@pytest.fixture(scope="module")
def scripted_model(tmp_path_factory):
    from whisper_models import build_scripted_model

    return build_scripted_model(tmp_path_factory.mktemp("model") / "scripted", WORDS)


def _app(settings=None, **kw):
    from tui.app import make_app
    from tui.settings import AppSettings

    return make_app(settings=settings or AppSettings(), start="practise", ensure_sample=False, **kw)


def _settings(model_dir, live=False):
    from analysis.speech.options import TranscribeOptions
    from tui.settings import AppSettings, UISettings

    opts = dataclasses.replace(TranscribeOptions(), model=str(model_dir), device="cpu")
    ui = UISettings() if live else UISettings(live_transcription=False)
    return AppSettings(transcription=opts, ui=ui)


async def test_record_mark_pause_stop_opens_review(scripted_model):
    from recorder.takes import Library
    from tui.screens.practise import PAUSED, RECORDING, PractiseScreen
    from tui.screens.review import ReviewScreen
    from tui.widgets.level_meter import LevelMeter

    app = _app(_settings(scripted_model), recorder_factory=stand_in_recorder_factory())
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        assert isinstance(screen, PractiseScreen)
        question = screen.question
        assert question  # a bank question is chosen from the start
        await pilot.press("r")
        await wait_for(pilot, lambda: screen.state == RECORDING, what="recording to start")
        assert not screen.query_one("#rec").has_class("hidden")
        await pilot.press("1")
        await wait_for(pilot, lambda: screen.session.recorder.elapsed > 0.6, what="audio")
        await pilot.press("a")  # s/t/a/r work as well as 1-4
        assert "Action" in str(screen.query_one("#star-keys").content)
        # the live meter shows the speech level, the big timer runs
        await wait_for(pilot, lambda: screen.query_one(LevelMeter).rms_db > -50, what="level meter")
        await pilot.press("p")
        assert screen.state == PAUSED
        paused_at = screen.session.recorder.elapsed
        await pilot.pause(0.4)
        assert screen.session.recorder.elapsed == pytest.approx(paused_at, abs=0.11)
        await pilot.press("p")
        assert screen.state == RECORDING
        await wait_for(pilot, lambda: screen.session.recorder.elapsed > paused_at + 0.5, what="more audio")
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ReviewScreen), timeout=60, what="Review")
        await settle(pilot)
        review = app.screen
        take_id = review.take_id

    lib = Library()
    [summary] = lib.list()
    assert summary.id == take_id and summary.question == question
    take = lib.get(take_id)
    assert [m.label for m in take.markers] == ["situation", "action"]
    transcript = lib.load_transcript(take_id)
    assert [w.text.strip() for w in transcript.words][: len(WORDS)] == WORDS
    assert [m.label for m in transcript.markers] == ["situation", "action"]
    report = json.loads(take.report_path.read_text())
    assert report["star"]["method"] == "markers"
    assert report["fillers"]["count"] >= 1  # "um"


async def test_cancel_asks_then_throws_the_take_away():
    from recorder.takes import Library
    from tui.screens.dialogs import ConfirmScreen
    from tui.screens.practise import IDLE, RECORDING

    app = _app(recorder_factory=stand_in_recorder_factory(speed=4))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        await pilot.press("r")
        await wait_for(pilot, lambda: screen.state == RECORDING, what="recording")
        # while recording, other screens are refused with a reason; quitting asks first
        await pilot.press("f3")
        assert app.screen is screen and any("recording is running" in n.message for n in app._notifications)
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        assert app.screen is screen and screen.state == RECORDING
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")  # keep recording
        assert screen.state == RECORDING
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("y")
        await settle(pilot)
        assert screen.state == IDLE
    lib = Library()
    assert lib.list() == []
    assert not any(lib.in_progress_dir.iterdir()) if lib.in_progress_dir.exists() else True


async def test_no_microphone_shows_banner_and_the_app_keeps_working():
    from recorder.settings import RecorderSettings
    from recorder.takes import Library
    from tui.screens.library import LibraryScreen
    from tui.screens.practise import IDLE
    from tui.settings import AppSettings

    # The real Recorder and PortAudio, asked for a device that does not exist.
    settings = AppSettings(recorder=RecorderSettings(input_device="no-such-microphone-xyz"))
    app = _app(settings)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        await pilot.press("r")
        await settle(pilot)
        banner = screen.query_one("#mic-banner")
        assert not banner.has_class("hidden")
        text = str(banner.content)
        assert "No microphone" in text and len(text) > 30
        assert screen.state == IDLE
        assert not screen.query_one("#pick").has_class("hidden")
        await pilot.press("f3")
        await settle(pilot)
        assert isinstance(app.screen, LibraryScreen)
    assert Library().list() == []  # the reserved take was discarded


async def test_question_choice_own_text_random_and_target():
    from tui.questions import all_questions
    from tui.screens.practise import PractiseScreen

    app = _app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen: PractiseScreen = app.screen
        first = screen.question
        await pilot.press("down", "down")
        assert screen.question != first
        assert screen.question in {q.text for q in all_questions()}
        await pilot.press("n")
        assert screen.question in {q.text for q in all_questions()}
        comp = screen.competency
        for _ in range(3):
            before = screen.question
            await pilot.press("N")  # another question of the same competency
            assert screen.competency == comp and screen.question != before
        await pilot.press("e")
        await pilot.press(*"Why Rehearse?")
        await pilot.press("enter")
        assert screen.question == "Why Rehearse?" and screen.competency is None
        await pilot.press("plus")
        assert screen.query_one("#target").value == "2:15"
        await pilot.press("minus", "minus")
        assert screen.query_one("#target").value == "1:45"


@pytest.mark.slow
async def test_live_words_appear_while_speaking(scripted_model):
    from tui.screens.practise import RECORDING
    from tui.screens.review import ReviewScreen

    app = _app(_settings(scripted_model, live=True), recorder_factory=stand_in_recorder_factory(speed=2))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        assert screen.live_on  # on by default: the report is ready moments after stop
        await pilot.press("l")
        assert not screen.live_on
        await pilot.press("l")
        assert screen.live_on
        await pilot.press("r")
        await wait_for(pilot, lambda: screen.state == RECORDING, what="recording")
        live = screen.query_one("#live-words")
        await wait_for(pilot, lambda: "migration" in str(live.content), timeout=30, what="live words")
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ReviewScreen), timeout=60, what="Review")
        await settle(pilot)
        assert [w.text.strip() for w in app.screen.transcript.words][:3] == WORDS[:3]


def test_question_bank_covers_the_competencies():
    from tui.questions import BANK, all_questions, competency_of

    qs = all_questions()
    assert len(qs) >= 40 and len({q.text for q in qs}) == len(qs)  # no duplicates
    for comp in (
        "customer focus",
        "ownership",
        "conflict",
        "failure",
        "leadership",
        "deadlines",
        "learning",
        "data-driven decisions",
    ):
        assert len(BANK[comp]) >= 4
    assert all(q.text.endswith(("?", ".")) for q in qs)
    assert competency_of("  tell me about a time you failed. What did you do next? ") == "failure"
    assert competency_of("My own question") is None
