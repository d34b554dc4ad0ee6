"""Library, Compare, Settings and app-wide behaviour (Pilot): first-run sample, filter,
sort, delete + restore, re-score all, trends, compare, settings saved and applied, help,
command palette, theme."""

from __future__ import annotations

from tui_helpers import download_from_settings, library_and_takes, second_take_of_sample, settle, wait_for


def _app(**kw):
    from tui.app import make_app
    from tui.settings import AppSettings

    kw.setdefault("settings", AppSettings())
    return make_app(**kw)


async def test_first_run_shows_the_sample_and_trends():

    app = _app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen, table = await library_and_takes(pilot, app)
        assert table.row_count == 1
        row = [str(c) for c in table.get_row_at(0)]
        assert len(row[0]) == 12  # "26 Nov 19:58"
        assert row[1].startswith("Tell me about a time you sol")
        detail = str(screen.query_one("#take-detail").content)  # the whole question
        assert "Tell me about a time you solved a pain point for customers." in detail
        assert row[2] == "1:41" and row[3] != "–" and row[4] != "–"
        assert set(str(table.get_row_at(0)[5]).replace(" ", "")) <= set("STAR")
        assert screen.query_one("#trend-wpm").values  # one point per take
        assert "all questions" in str(screen.query_one("#trends-title").content)
        await pilot.press("t")  # this question only, then off
        assert "this question" in str(screen.query_one("#trends-title").content)
        await pilot.press("t")
        assert screen.query_one("#trends").has_class("hidden")


async def test_filter_sort_delete_restore_and_compare():
    from textual.widgets import DataTable

    from recorder.takes import Library
    from tui.screens.compare import CompareScreen
    from tui.screens.dialogs import ConfirmScreen, PickScreen

    app = _app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        second = second_take_of_sample()
        screen = app.screen
        screen.load()
        await settle(pilot)
        table = screen.query_one("#takes", DataTable)
        assert table.row_count == 2
        # filter by competency, then by text that matches nothing
        await pilot.press("slash", *"customer")
        assert table.row_count == 2
        await pilot.press(*" zebra")
        assert table.row_count == 0
        assert "0 of 2" in str(screen.query_one("#library-status").content)
        for _ in range(6):
            await pilot.press("backspace")
        await pilot.press("enter")
        assert table.row_count == 2 and table.has_focus
        # sort: o cycles; "fillers" puts the sample (with fillers) first
        while not str(screen.query_one("#library-status").content).endswith("most fillers/min first"):
            await pilot.press("o")
        assert table.coordinate_to_cell_key((0, 0)).row_key.value != second
        # compare: both takes of the question, side by side with the change
        await pilot.press("c")
        await settle(pilot)
        assert isinstance(app.screen, CompareScreen)
        compare = app.screen
        ctable = compare.query_one("#compare-table", DataTable)
        rows = {str(ctable.get_row_at(i)[0]): [str(c) for c in ctable.get_row_at(i)] for i in range(ctable.row_count)}
        # the count falls with no verdict (it grows with length); the rate is judged
        assert rows["Fillers"][-1].startswith("−") and "✓" not in rows["Fillers"][-1]
        assert rows["Fillers/min"][-1].startswith("−") and "✓" in rows["Fillers/min"][-1]
        assert len(rows["Length"]) == 4  # metric, take 1, take 2, change
        await pilot.press("escape")
        await pilot.pause()
        # delete asks, then moves to the trash; u restores
        n_before = table.row_count
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await settle(pilot)
        assert table.row_count == n_before - 1
        assert len(Library().trash()) == 1
        await pilot.press("u")
        await pilot.pause()
        assert isinstance(app.screen, PickScreen)
        await pilot.press("enter")
        await settle(pilot)
        assert table.row_count == n_before
        assert Library().trash() == []


async def test_rescore_all_uses_current_settings():
    from dataclasses import replace

    from recorder.takes import Library

    app = _app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        before = Library().load_report(Library().list()[0].id)
        app.apply_settings(replace(app.settings, analysis=replace(app.settings.analysis, pause_min_s=0.3)), save=False)
        await pilot.press("R")
        await settle(pilot)
        assert app.screen.query_one("#jobbar").has_class("hidden")
        after = Library().load_report(Library().list()[0].id)
        assert after["pauses"]["count"] > before["pauses"]["count"]
        assert any("Re-scored 1 takes" in n.message for n in app._notifications)


async def test_settings_saved_to_toml_and_applied(rehearse_home):
    from analysis.locations import settings_file
    from tui.screens.settings import SettingsScreen
    from tui.settings import load_settings

    app = _app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f4")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, SettingsScreen)
        # every threshold shows where its default comes from
        docs = [str(w.content) for w in screen.query(".field-doc")]
        assert any("Goldman-Eisler" in d for d in docs)
        box = screen.query_one("#f-analysis-pause_min_s")
        box.value = "0.7"
        screen.query_one("#f-recorder-input_device").value = "pulse"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.settings.analysis.pause_min_s == 0.7
        assert app.services.settings.recorder.input_device == "pulse"
        saved = load_settings(settings_file())
        assert saved.analysis.pause_min_s == 0.7 and saved.recorder.input_device == "pulse"
        # a bad value is refused with a message naming the field; nothing is saved
        box.value = "fast"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert any("pause_min_s" in n.message for n in app._notifications)
        assert load_settings(settings_file()).analysis.pause_min_s == 0.7
        await pilot.press("ctrl+r")
        assert box.value == "0.7"


async def test_help_palette_and_theme(rehearse_home):
    from tui.screens.help import HelpScreen

    app = _app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        # the command palette lists the screen's actions with their keys
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert any(t.startswith("Delete (d") for t in titles) and any("Re-score all" in t for t in titles)
        # ... and running one from the palette does what the key does
        screen = app.screen
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Sort (o")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await wait_for(pilot, lambda: screen.sort_index == 1, timeout=5, what="sort from the palette")
        assert app.theme == "textual-dark"
        await pilot.press("ctrl+t")
        assert app.theme == "textual-light"
        from tui.settings import load_settings

        assert load_settings(rehearse_home / "settings.toml").ui.theme == "textual-light"


async def test_model_download_shows_progress_then_ready():
    import threading

    from textual.widgets import ProgressBar

    release = threading.Event()
    halfway = threading.Event()

    def pull(name, progress=None):  # stands in for the network: progress, then done
        progress(50_000_000, 100_000_000)
        halfway.set()
        release.wait(10)
        progress(100_000_000, 100_000_000)
        return f"/models/{name}"

    app = _app(pull_model=pull)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await download_from_settings(pilot, app, "tiny.en")
        await wait_for(
            pilot, lambda: halfway.is_set() and screen.query_one(ProgressBar).progress == 50_000_000, what="progress"
        )
        assert not screen.query_one("#jobbar").has_class("hidden")
        assert "50/100 MB" in str(screen.query_one("#job-label").content)
        release.set()
        await settle(pilot)
        assert screen.query_one("#jobbar").has_class("hidden")
        assert any("tiny.en is ready" in n.message for n in app._notifications)


async def test_model_download_offline_gets_the_clear_message(monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    app = _app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await download_from_settings(pilot, app, "tiny.en")
        await settle(pilot)
        assert screen.query_one("#jobbar").has_class("hidden")
        [note] = [n for n in app._notifications if n.title == "Model download"]
        assert "tiny.en" in note.message and "rehearse models pull" in note.message


async def test_compare_opens_a_take():
    from tui.screens.compare import CompareScreen
    from tui.screens.review import ReviewScreen

    app = _app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        second = second_take_of_sample()
        app.open_compare([app.screen.takes[0].id, second])
        await settle(pilot)
        assert isinstance(app.screen, CompareScreen)
        await pilot.press("right", "right", "enter")  # the second take's column
        await settle(pilot)
        assert isinstance(app.screen, ReviewScreen) and app.screen.take_id == second
