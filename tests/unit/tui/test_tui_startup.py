"""The app's start: the first frame shows the Library's frame at once and the takes fill in
after it; work deferred past the first frame runs; `rehearse` alone pauses the garbage
collector until then; the footer shows the keys that work now, and a click presses one.
(The time itself is measured by benchmarks/startup.py, not here.)"""

from __future__ import annotations

import asyncio
import gc
import threading

from tui_helpers import settle, wait_for


def _footer_keys(screen) -> list[str]:
    from tui.widgets.footer import KeysFooter

    return screen.query_one(KeysFooter).shown


async def test_library_says_loading_until_the_takes_arrive_then_lists_them():
    from textual.widgets import DataTable

    from recorder.takes import Library
    from tui.app import make_app
    from tui.settings import AppSettings

    release = threading.Event()

    class SlowLibrary(Library):
        def list(self):  # a large library on a slow disk
            release.wait(10)
            return super().list()

    app = make_app(settings=AppSettings(), library=SlowLibrary())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause(0.2)
        screen = app.screen
        status = str(screen.query_one("#library-status").content)
        assert status == "Loading takes…"  # not "No takes yet" while reading
        assert screen.query_one("#takes", DataTable).row_count == 0
        assert "Record again" in _footer_keys(screen)  # the frame is usable already
        release.set()
        await settle(pilot)
        assert screen.query_one("#takes", DataTable).row_count == 1  # the example take
        assert str(screen.query_one("#library-status").content).startswith("1 of 1 takes")


async def test_an_empty_library_says_so_once_read():
    from tui.app import make_app
    from tui.settings import AppSettings

    app = make_app(settings=AppSettings(), ensure_sample=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        status = str(app.screen.query_one("#library-status").content)
        assert status.startswith("No takes yet")


async def test_work_deferred_past_the_first_frame_runs_once_after_it():
    from tui.app import make_app
    from tui.settings import AppSettings

    app = make_app(settings=AppSettings(), ensure_sample=False)
    seen: list[bool] = []
    app.after_first_frame(app, lambda: seen.append(app.first_frame_shown))
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: seen, what="the deferred callback")
        await pilot.pause(0.1)
        assert seen == [True]
        # once the frame is out, deferred work runs straight after the next refresh
        app.after_first_frame(app.screen, lambda: seen.append(False))
        await wait_for(pilot, lambda: len(seen) == 2, what="the second callback")


def test_rehearse_alone_opens_the_app_with_gc_paused(monkeypatch):
    import tui.app
    from tui import cli

    calls = []
    monkeypatch.setattr(tui.app, "run_app", lambda **kw: calls.append((gc.isenabled(), kw)) or 0)
    try:
        assert cli.main([]) == 0
    finally:
        gc.enable()
    assert calls == [(False, {"settings_path": None, "gc_paused": True})]
    # with arguments (a settings file) the app opens through the parser, collector untouched
    calls.clear()
    assert cli.main(["--settings", "x.toml"]) == 0
    assert calls == [(True, {"settings_path": "x.toml", "gc_paused": False})]


def test_the_app_resumes_the_collector_after_its_first_frame(monkeypatch):
    import tui.app

    def run_headless(self, *args, **kwargs):
        self.after_first_frame(self, lambda: self.exit(0))  # queued after the gc resume
        asyncio.run(self.run_async(headless=True, size=(80, 24)))

    monkeypatch.setattr(tui.app.RehearseApp, "run", run_headless)
    gc.disable()
    try:
        assert tui.app.run_app(gc_paused=True) == 0
        assert gc.isenabled()
    finally:
        gc.enable()


async def test_footer_shows_the_keys_that_work_now_and_clicks_press_them():
    from tui.app import make_app
    from tui.screens.practise import PractiseScreen
    from tui.settings import AppSettings
    from tui.widgets.footer import KeysFooter

    app = make_app(settings=AppSettings())
    async with app.run_test(size=(100, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        footer = screen.query_one(KeysFooter)
        assert footer.shown[:3] == ["Open", "Record again", "Filter"] and footer.shown[-1] == "palette"
        line = footer.render().plain
        assert "⏎ Open" in line and "n Record again" in line and line.rstrip().endswith("^p palette")
        assert len(line) == 100
        await pilot.press("slash")  # typing in the filter: letter keys are text now
        await pilot.pause(0.2)
        assert "Record again" not in _footer_keys(screen)
        await pilot.press("enter")  # back to the table
        await pilot.pause(0.2)
        assert "Record again" in _footer_keys(screen)
        x = footer.render().plain.index("n Record again")
        await pilot.click(KeysFooter, offset=(x + 2, 0))  # the mouse works too
        await wait_for(pilot, lambda: isinstance(app.screen, PractiseScreen), what="the Practise screen")
