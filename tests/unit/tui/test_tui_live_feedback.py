"""Quiet live feedback while recording: pace over the last 20 s against the band, the
fillers so far, the current section's time against its target share; a setting turns
it off. Pilot with the real Recorder, a stand-in input stream of speech and a real
(tiny, scripted) faster-whisper model transcribing live."""

from __future__ import annotations

import dataclasses
from types import SimpleNamespace

import pytest
from test_tui_practise import WORDS, _app
from tui_helpers import stand_in_recorder_factory, wait_for


@pytest.fixture(scope="module")
def scripted_model(tmp_path_factory):
    from whisper_models import build_scripted_model

    return build_scripted_model(tmp_path_factory.mktemp("model") / "scripted", WORDS)


def _settings(model_dir, feedback=True):
    from analysis.speech.options import TranscribeOptions
    from tui.settings import AppSettings, UISettings

    opts = dataclasses.replace(TranscribeOptions(), model=str(model_dir), device="cpu")
    return AppSettings(transcription=opts, ui=UISettings(live_feedback=feedback))


def test_recent_pace_and_section_line():
    from analysis.settings import AnalysisSettings
    from tui.live_feedback import feedback_line, recent_wpm

    words = [SimpleNamespace(start=float(t)) for t in range(0, 60)]  # one word a second
    assert recent_wpm(words, 60.0) == pytest.approx(60.0)  # the 20 words of the last 20 s
    assert recent_wpm(words[:3], 3.0) is None  # too little speech yet
    fast = [SimpleNamespace(start=t / 4) for t in range(0, 240)]  # 240 wpm
    line = "".join(
        p
        for p, _ in feedback_line(
            words=fast,
            fillers=2,
            now=60.0,
            section="situation",
            section_start=22.0,
            target_s=120.0,
            analysis=AnalysisSettings(),
        )
    )
    assert "pace 24" in line and "✗ slow down" in line and "fillers 2" in line
    assert "Situation 0:38 — target ~0:18" in line and "move on" in line


async def test_live_feedback_while_recording_and_the_setting_turns_it_off(scripted_model):
    from tui.screens.practise import RECORDING

    app = _app(_settings(scripted_model), recorder_factory=stand_in_recorder_factory(speed=2))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        await pilot.press("r")
        await wait_for(pilot, lambda: screen.state == RECORDING, what="recording")
        await pilot.press("1")
        stats = screen.query_one("#live-stats")
        await wait_for(
            pilot,
            lambda: "fillers 1" in str(stats.content) or "fillers 2" in str(stats.content),
            timeout=40,
            what="the live filler count",
        )
        text = str(stats.content)
        assert "Situation 0:" in text and "target ~0:18" in text  # 15% of the 2:00 target
        await wait_for(pilot, lambda: "wpm (last 20 s)" in str(stats.content), timeout=30, what="live pace")
        screen.action_cancel()
        await pilot.pause()
        await pilot.press("enter")
    app = _app(_settings(scripted_model, feedback=False), recorder_factory=stand_in_recorder_factory(speed=2))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        await pilot.press("r")
        await wait_for(pilot, lambda: screen.state == RECORDING, what="recording")
        await pilot.press("1")
        await wait_for(
            pilot, lambda: "migration" in str(screen.query_one("#live-words").content), timeout=40, what="live words"
        )
        assert str(screen.query_one("#live-stats").content) == ""
        screen.action_cancel()
        await pilot.pause()
        await pilot.press("enter")
