"""Keys on show (Pilot): at 80x24 every screen's footer shows all its main keys (plus
? Help and the palette) in every state, wider terminals show the screen's other keys too,
and the title bar shows the app's places (f2/f3/f4) with the current one lit; a click on
a tab goes there. In Review, ←/→ seek wherever the focus is, even before playing."""

from __future__ import annotations

import pytest
from tui_helpers import (
    fake_player_factory,
    second_take_of_sample,
    settle,
    stand_in_recorder_factory,
    wait_for,
)


def _app(**kw):
    from tui.app import make_app
    from tui.settings import AppSettings, UISettings

    kw.setdefault("settings", AppSettings(ui=UISettings(live_transcription=False)))
    return make_app(player_factory=fake_player_factory, **kw)


def _footer(screen):
    from tui.widgets.footer import KeysFooter

    return screen.query_one(KeysFooter)


def _check_footer(screen, must: list[str]) -> str:
    footer = _footer(screen)
    shown = footer.shown
    assert set(footer.main_keys) <= set(shown), (type(screen).__name__, footer.main_keys, shown)
    for description in must:
        assert description in shown, (type(screen).__name__, description, shown)
    line = footer.render().plain
    assert len(line) == screen.size.width and line.rstrip().endswith("palette")
    assert "? Help" in line  # always, on the right
    return line


async def test_every_screen_shows_all_its_main_keys_at_80x24():
    from tui.screens.compare import CompareScreen
    from tui.screens.practise import RECORDING
    from tui.screens.review import ReviewScreen

    app = _app(recorder_factory=stand_in_recorder_factory(speed=4))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        line = _check_footer(app.screen, ["Open", "Record again", "Filter", "Sort", "Compare", "Delete"])
        assert "f2" not in line  # the places are in the title bar, not here

        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ReviewScreen), what="Review")
        await settle(pilot)
        line = _check_footer(app.screen, ["Back", "Play/pause", "−5 s", "+5 s", "Next filler", "Export"])
        assert "← → ±5 s" in line  # one hint for the pair
        await pilot.press("w")  # the transcript focused: its own keys join, still all shown
        await pilot.pause()
        _check_footer(app.screen, ["Play/pause", "Export"])
        await pilot.press("escape")
        await settle(pilot)

        second = second_take_of_sample()
        app.open_compare([app.screen.takes[0].id, second])
        await wait_for(pilot, lambda: isinstance(app.screen, CompareScreen), what="Compare")
        await settle(pilot)
        _check_footer(app.screen, ["Back"])
        await pilot.press("escape")
        await settle(pilot)

        await pilot.press("f4")
        await settle(pilot)
        _check_footer(app.screen, ["Save & apply", "Revert", "Download", "Light/dark"])

        await pilot.press("f2")
        await settle(pilot)
        practise = app.screen
        _check_footer(practise, ["Record", "Random question", "Own question"])
        await pilot.press("r")
        await wait_for(pilot, lambda: practise.state == RECORDING, what="recording")
        await pilot.pause(0.2)
        line = _check_footer(practise, ["Situation", "Task", "Action", "Result", "Pause/resume", "Stop", "Cancel"])
        assert "1 2 3 4 STAR section" in line  # the first key of "4,r", though r is also Record
        assert "Record" not in practise.query_one("KeysFooter").shown  # idle keys go away


@pytest.mark.parametrize("width", [120, 160])
async def test_wider_terminals_show_the_screens_other_keys(width):
    app = _app()
    async with app.run_test(size=(width, 24)) as pilot:
        await settle(pilot)
        footer = _footer(app.screen)
        shown = footer.shown
        assert shown[:6] == ["Open", "Record again", "Filter", "Sort", "Compare", "Delete"]
        others = ["Mark", "Restore", "Re-score all", "Trends", "Quit"]  # declared order
        extra = [k for k in shown if k in others]
        assert extra == [k for k in others if k in extra]  # in order, after the main keys
        assert len(extra) == 5 if width >= 160 else len(extra) >= 3
        assert "Focus Next" not in footer.keys  # Textual's own screen keys are not ours to list


async def test_title_bar_shows_where_you_are_and_its_tabs_switch_screens():
    from tui.screens.settings import SettingsScreen
    from tui.widgets.title_bar import TitleBar

    app = _app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        bar = app.screen.query_one(TitleBar)
        line = bar.render().plain
        assert line.startswith(" Rehearse — Library") and line.rstrip().endswith("f4 Settings")
        assert [t.mode for t in bar.tabs()] == ["practise", "library", "settings"]
        lit = [span.style for span in bar.render().spans if "Library" in bar.render().plain[span.start : span.end]]
        assert lit  # the current place is drawn in its own style
        x = line.index("f4 Settings")
        await pilot.click(TitleBar, offset=(x + 1, 0))
        await wait_for(pilot, lambda: isinstance(app.screen, SettingsScreen), what="Settings")
        # What the terminal shows once the new screen is laid out (not a render() of a
        # widget that may not have its width yet).
        settings_bar = app.screen.query_one(TitleBar)
        drawn = await wait_for(
            pilot,
            lambda: settings_bar.size.width == 80 and settings_bar.render_line(0).text,
            what="the Settings title bar drawn",
        )
        assert drawn.startswith(" Rehearse — Settings") and drawn.rstrip().endswith("f4 Settings"), drawn
        assert "…" not in drawn


async def test_review_arrows_seek_wherever_the_focus_is_and_before_playing():
    from tui.screens.review import ReviewScreen

    app = _app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ReviewScreen), what="Review")
        await settle(pilot)
        review = app.screen
        tabs = review.query_one("#review-tabs")
        assert tabs.active == "overview"
        await pilot.press("right", "right", "right", "left")  # not played yet: moves the cue
        await pilot.pause()
        assert tabs.active == "overview"  # the tabs did not take the arrows
        assert "0:10 /" in str(review.query_one("#player-line").content)
        await pilot.press("space")  # plays from the cue
        await wait_for(pilot, lambda: review.player is not None and review.player.playing, what="playback")
        assert 9.9 <= review.player.position < 11.0
        await pilot.press("space", "left")
        await wait_for(pilot, lambda: abs(review.player.position - 5) < 1.0, timeout=3, what="seek back")
