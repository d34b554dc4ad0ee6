"""Snapshot tests (pytest-textual-snapshot) at 80x24: Library with the sample take,
Review of the sample, Practise before recording. Deterministic: a fresh REHEARSE_HOME
per test (conftest), the library clock fixed, no player opened, and the sample's report
frozen (tests/tui_fixtures/sample_report.json, made once by analysis.analyze) so that
tuning the analysis does not change these pictures of the UI.

Update after an intended change: ``pytest tests/test_tui_snapshots.py --snapshot-update``
and look at the SVGs in tests/__snapshots__/."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tui_helpers import FIXED_NOW, settle, wait_for


FROZEN_REPORT = Path(__file__).resolve().parent / "tui_fixtures" / "sample_report.json"


@pytest.fixture(autouse=True)
def _fixed_library(monkeypatch):
    import recorder.library

    monkeypatch.setattr(recorder.library, "_now", lambda: FIXED_NOW)
    lib = recorder.library.Library()
    take = lib.ensure_sample()
    lib.save_report(take.id, json.loads(FROZEN_REPORT.read_text()))


def _app(**kw):
    from tui.app import make_app
    from tui.settings import AppSettings

    return make_app(settings=AppSettings(), **kw)


def test_library_snapshot(snap_compare):
    async def run_before(pilot):
        await settle(pilot)

    assert snap_compare(_app(), terminal_size=(80, 24), run_before=run_before)


def test_review_snapshot(snap_compare):
    async def run_before(pilot):
        from tui.screens.review import ReviewScreen

        await settle(pilot)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, ReviewScreen), what="Review")
        await settle(pilot)

    assert snap_compare(_app(), terminal_size=(80, 24), run_before=run_before)


def test_review_transcript_snapshot(snap_compare):
    async def run_before(pilot):
        from tui.screens.review import ReviewScreen

        await settle(pilot)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, ReviewScreen), what="Review")
        await settle(pilot)
        await pilot.press("w", "down", "down")
        await pilot.pause()

    assert snap_compare(_app(), terminal_size=(80, 24), run_before=run_before)


def test_practise_snapshot(snap_compare, monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")  # the bundled model, no download offer

    async def run_before(pilot):
        await settle(pilot)

    assert snap_compare(_app(start="practise"), terminal_size=(80, 24), run_before=run_before)
