"""Snapshot tests (pytest-textual-snapshot) at 80x24 and 120x40, dark and light:
Library with the sample take, Review of the sample (Overview, Transcript, Pace), Practise
before recording and while recording (clock and level frozen), Settings, Compare. Deterministic: a fresh REHEARSE_HOME
per test (conftest), the library clock fixed, no player opened, and the sample's report
frozen (tests/tui_fixtures/sample_report.json, made once by analysis.analyze) so that
tuning the analysis does not change these pictures of the UI.

Update after an intended change: ``pytest tests/unit/tui/test_tui_snapshots.py --snapshot-update``
and look at the SVGs in tests/unit/tui/__snapshots__/."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tui_helpers import FIXED_NOW, settle, wait_for

FROZEN_REPORT = Path(__file__).resolve().parents[2] / "tui_fixtures" / "sample_report.json"


@pytest.fixture(autouse=True)
def _fixed_library(monkeypatch):
    import recorder.takes
    import recorder.takes.layout

    monkeypatch.setattr(recorder.takes.layout, "_now", lambda: FIXED_NOW)
    lib = recorder.takes.Library()
    take = lib.ensure_sample()
    lib.save_report(take.id, json.loads(FROZEN_REPORT.read_text()))


def _app(theme: str = "textual-dark", **kw):
    from tui.app import make_app
    from tui.settings import AppSettings, UISettings

    return make_app(settings=AppSettings(ui=UISettings(theme=theme)), **kw)


SIZES = [(80, 24), (120, 40)]
THEMES = ["textual-dark", "textual-light"]
size_and_theme = pytest.mark.parametrize(
    "size,theme", [(s, t) for s in SIZES for t in THEMES], ids=lambda v: v if isinstance(v, str) else f"{v[0]}x{v[1]}"
)


async def _to_review(pilot):
    from tui.screens.review import ReviewScreen

    await settle(pilot)
    await pilot.press("enter")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, ReviewScreen), what="Review")
    await settle(pilot)


@size_and_theme
def test_library_snapshot(snap_compare, size, theme):
    async def run_before(pilot):
        await settle(pilot)

    assert snap_compare(_app(theme), terminal_size=size, run_before=run_before)


@size_and_theme
def test_review_snapshot(snap_compare, size, theme):
    assert snap_compare(_app(theme), terminal_size=size, run_before=_to_review)


@size_and_theme
def test_review_transcript_snapshot(snap_compare, size, theme):
    async def run_before(pilot):
        await _to_review(pilot)
        await pilot.press("w", "down", "down")
        await pilot.pause()

    assert snap_compare(_app(theme), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES, ids=lambda v: f"{v[0]}x{v[1]}")
def test_review_pace_snapshot(snap_compare, size):
    async def run_before(pilot):
        await _to_review(pilot)
        await pilot.press("g", "right", "right")
        await pilot.pause()

    assert snap_compare(_app(), terminal_size=size, run_before=run_before)


async def _after_the_model_check(pilot):
    """Practise's model check is a worker loading the real model: wait for its answer, so
    the picture never depends on how fast this machine loads it."""
    await settle(pilot)
    await wait_for(
        pilot,
        lambda: pilot.app.screen.model_label or pilot.app.screen.model_error,
        timeout=120,
        what="the model check",
    )


@size_and_theme
def test_practise_snapshot(snap_compare, size, theme, monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")  # the bundled model, no download offer

    async def run_before(pilot):
        await _after_the_model_check(pilot)
        await settle(pilot)

    assert snap_compare(_app(theme, start="practise"), terminal_size=size, run_before=run_before)


@size_and_theme
def test_settings_snapshot(snap_compare, size, theme):
    async def run_before(pilot):
        await settle(pilot)

    assert snap_compare(_app(theme, start="settings"), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES, ids=lambda v: f"{v[0]}x{v[1]}")
def test_compare_snapshot(snap_compare, size):
    from tui_helpers import second_take_of_sample

    second_take_of_sample()  # the same question again, without its fillers (re-scored now)

    async def run_before(pilot):
        from tui.screens.compare import CompareScreen

        await settle(pilot)
        await pilot.press("c")
        await wait_for(
            pilot, lambda: isinstance(pilot.app.screen, CompareScreen) and pilot.app.screen.rows, what="Compare"
        )
        await settle(pilot)

    assert snap_compare(_app(), terminal_size=size, run_before=run_before)


def _frozen_recorder_factory(clock: dict):
    """The real Recorder fed by a stand-in input stream, with its clock and level frozen
    (``clock["elapsed"]``, -18/-9 dBFS) so that the picture does not depend on timing."""
    import numpy as np
    from tui_helpers import input_stream_factory

    from recorder.capture import Recorder

    class FrozenRecorder(Recorder):
        @property
        def elapsed(self) -> float:
            return clock["elapsed"]

        def level(self) -> tuple[float, float]:
            return (-18.0, -9.0)

    tone = (np.sin(np.arange(16000) * 2 * np.pi * 220 / 16000) * 0.2).astype("float32")

    def factory(path, device=None, on_block=None):
        return FrozenRecorder(
            path, device, samplerate=16000, on_block=on_block, stream_factory=input_stream_factory(tone)
        )

    return factory


@size_and_theme
def test_recording_snapshot(snap_compare, size, theme, monkeypatch):
    """Practise while recording: question, big timer against the target, level meter,
    the Situation section running past its target share, the keys."""
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")  # the bundled model, no download offer
    from tui.settings import AppSettings, UISettings

    clock = {"elapsed": 4.0}

    async def run_before(pilot):
        from tui.screens.practise import RECORDING

        await _after_the_model_check(pilot)
        await pilot.press("r")
        await wait_for(pilot, lambda: pilot.app.screen.state == RECORDING, timeout=120, what="recording")
        await pilot.press("1")  # Situation from 0:04
        clock["elapsed"] = 38.4
        await pilot.pause(0.3)  # a few ticks of the screen's clock
        await settle(pilot)

    from tui.app import make_app

    app = make_app(
        settings=AppSettings(ui=UISettings(theme=theme, live_transcription=False)),
        start="practise",
        ensure_sample=False,
        recorder_factory=_frozen_recorder_factory(clock),
    )
    assert snap_compare(app, terminal_size=size, run_before=run_before)
