"""The practice loop as a user goes round it (Pilot, the bundled sample take, the real
Player on a stand-in output stream): Review's one position for the cursor and playback,
its Overview and Pace headline, recording a question again from Review and the Library,
new takes highlighted, trends per question, recovered takes, Compare's change column."""

from __future__ import annotations

import html
import json
import re

import numpy as np
import pytest
from tui_helpers import fake_player_factory, library_and_takes, second_take_of_sample, settle, wait_for

from recorder.workflow import Workflow


def _app(**kw):
    from tui.app import make_app
    from tui.settings import AppSettings

    kw.setdefault("settings", AppSettings())
    return make_app(player_factory=fake_player_factory, **kw)


def screen_text(app) -> str:
    """What the terminal shows, as plain text lines (from Textual's own screenshot)."""
    svg = app.export_screenshot()
    rows = re.findall(r'<text class="[^"]*" x="[^"]*" y="([^"]*)"[^>]*>(.*?)</text>', svg)
    lines: dict[float, str] = {}
    for y, chunk in rows:
        lines[float(y)] = lines.get(float(y), "") + html.unescape(re.sub(r"<[^>]+>", "", chunk))
    return "\n".join(lines[y].replace("\xa0", " ") for y in sorted(lines))


async def _open_first(pilot):
    from tui.screens.review import ReviewScreen

    await settle(pilot)
    await pilot.press("enter")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, ReviewScreen), what="Review")
    await settle(pilot)
    return pilot.app.screen


# ---- Review ------------------------------------------------------------------------


async def test_f_counts_from_the_playback_position_and_the_cursor_follows_playback():
    from tui.widgets.transcript_view import TranscriptView

    app = _app()
    async with app.run_test(size=(80, 24)) as pilot:
        review = await _open_first(pilot)
        view = review.query_one(TranscriptView)
        fillers = [i for i, w in enumerate(view.words) if w.filler]
        # before playing: → → moves where playback starts, and the word cursor with it
        await pilot.press("right", "right", "right")
        assert review.position() == pytest.approx(15.0)
        assert view.words[view.cursor].start <= 15.0 + 0.06 < view.words[view.cursor + 1].start
        await pilot.press("f")  # the next filler after 0:15, not the first of the answer
        target = next(i for i in fillers if view.words[i].start >= 15.0 - 0.06)
        # (playback starts at once and the cursor moves on with it: at or just after it)
        assert target <= view.cursor and view.words[view.cursor].start < view.words[target].start + 2
        await wait_for(pilot, lambda: review.player is not None and review.player.playing, what="playback")
        assert review.player.position >= view.words[target].start - 0.1  # played from there, not from 0:00
        start = view.cursor
        # while playing, the cursor is where playback is
        await wait_for(pilot, lambda: view.cursor > start + 1, timeout=10, what="the cursor to follow playback")
        assert abs(view.words[view.cursor].start - review.player.position) < 1.5
        await pilot.press("space")  # pause; moving the cursor moves playback too
        await pilot.press("end")
        await wait_for(
            pilot,
            lambda: abs(review.player.position - (view.words[-1].start - 0.05)) < 0.1,
            timeout=3,
            what="playback to move to the cursor",
        )


async def test_pace_headline_is_the_answers_pace_and_the_window_is_apart():
    app = _app()
    async with app.run_test(size=(80, 24)) as pilot:
        review = await _open_first(pilot)
        await pilot.press("g")
        await pilot.pause()
        pace = review.report["pace"]
        chart = review.query_one("#pace-chart")
        head = str(chart.render()).splitlines()[0]
        assert f"{pace['wpm']:.0f} wpm" in head
        assert pace["timeline"][-1]["wpm"] != round(pace["wpm"])
        await pilot.press("right", "right", "right", "right", "right")  # 0:25
        window = next(w for w in pace["timeline"] if w["start"] <= 25 < w["end"])
        text = str(review.query_one("#pace-window").content)
        assert "At 0:25" in text and f"{window['wpm']:.0f} wpm" in text


async def test_overview_headline_coaching_and_one_clock():
    app = _app()
    async with app.run_test(size=(120, 40)) as pilot:
        review = await _open_first(pilot)
        report = review.report
        shown = screen_text(app)
        metrics = shown
        assert "Overview o" in shown and "Transcript w" in shown and "Pace g" in shown  # the tab keys
        # the first thing under the title: what to work on next (the top tip's advice)
        tip = report["tips"][0]["text"]
        advice = tip.split(": ", 1)[1]
        assert "Focus next: " + advice[:1].upper() + advice[1:20] in shown
        items = report["fillers"]["items"]
        um = [f for f in items if f["text"] == "um"]
        from tui.format import mmss

        assert f"“um” ×{len(um)} at " + ", ".join(mmss(f["start"]) for f in um) in metrics
        for label in ("Signposts", "Hesitations", "I vs we", "Result", "Said often"):
            assert label in metrics
        if any(f["kind"] == "repetition" for f in items):
            assert "Restarts" in metrics
        # one clock: a tip's "at m:ss" and its ▶ link agree
        for t in report["tips"]:
            at = re.search(r"at (\d+:\d\d)", t["text"])
            if (
                at
                and t.get("at") is not None
                and abs(t["at"] - float(at.group(1).split(":")[0]) * 60 - float(at.group(1).split(":")[1])) < 1
            ):
                assert mmss(t["at"]) == at.group(1)


async def test_third_tip_is_on_screen_at_80x24():
    from recorder.takes import Library

    lib = Library()
    take = lib.ensure_sample()
    report = lib.load_report(take.id) or Workflow(lib).score(take.id)
    report["tips"] = [
        {"id": "a", "text": "First finding with some length to it, so it wraps: do the first thing.", "at": 1.0},
        {"id": "b", "text": "Second finding with some length to it, so it wraps: do the second thing.", "at": 2.0},
        {"id": "c", "text": "Third finding: do the third thing.", "at": 3.0},
    ]
    lib.save_report(take.id, report)
    app = _app()
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_first(pilot)
        shown = screen_text(app)
        assert "Focus next: Do the first thing." in shown
        assert "3. Third finding" in shown, shown


async def test_markdown_export_lists_repetitions_apart_and_one_length(tmp_path):
    from recorder.takes import Library
    from tui.format import mmss

    lib = Library()
    take = lib.ensure_sample()
    report = lib.load_report(take.id) or Workflow(lib).score(take.id)
    md = lib.export(take.id, "md")
    fillers = md.split("## Fillers", 1)[1].split("##", 1)[0]
    reps = [f for f in report["fillers"]["items"] if f["kind"] == "repetition"]
    for r in reps:
        assert f"- “{r['text']}” ×" not in fillers  # a restart is not a filler word
        assert f"“{r['text']} …” at {mmss(r['start'])}" in fillers
    assert f"**Length** {mmss(take.duration)}" in md
    assert f"| Length | {mmss(take.duration)}" in md


# ---- recording a question again -------------------------------------------------------


async def test_n_in_review_and_library_practises_that_question_with_last_figures():
    from tui.screens.practise import PractiseScreen

    app = _app()
    async with app.run_test(size=(100, 30)) as pilot:
        review = await _open_first(pilot)
        question = review.take.question
        await pilot.press("n")
        await wait_for(pilot, lambda: isinstance(app.screen, PractiseScreen), what="Practise")
        await wait_for(pilot, lambda: app.screen.question == question, what="the take's question")
        last = app.screen.query_one("#last-time")
        await wait_for(pilot, lambda: not last.has_class("hidden"), what="last take's figures")
        assert "1:41" in str(last.content) and "wpm" in str(last.content)
        await pilot.press("n")  # a random other question: the figures go
        assert app.screen.question != question and last.has_class("hidden")
        await pilot.press("f3")  # the Library (Review was closed), and n there
        await settle(pilot)
        assert type(app.screen).__name__ == "LibraryScreen"
        await pilot.press("n")
        await wait_for(
            pilot,
            lambda: isinstance(app.screen, PractiseScreen) and app.screen.question == question,
            what="the highlighted take's question",
        )


async def test_new_takes_are_highlighted_and_open_with_enter():

    from tui.messages import LibraryChanged

    app = _app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen, table = await library_and_takes(pilot, app)
        assert table.row_count == 1
        new_id = second_take_of_sample()
        screen.post_message(LibraryChanged())
        await wait_for(pilot, lambda: table.row_count == 2, what="the new take")
        await settle(pilot)
        assert screen._current_id() == new_id
        assert "new" in str(table.get_row_at(table.cursor_row)[1])
        await pilot.press("down", "home")  # Home goes back to the first row
        assert table.cursor_row == 0
        await pilot.press("enter")
        await wait_for(pilot, lambda: getattr(app.screen, "take_id", None) == new_id, what="the new take open")
        await settle(pilot)
        # the previous take of the question, beside this one
        focus = str(app.screen.query_one("#focus-next").content)
        assert "Last take (" in focus and "1:41 · 161 wpm" in focus and "→  this:" in focus


def _copy_of_sample(lib, sample_id, question):
    """A take of another question with the sample's audio and transcript."""
    import shutil

    take_id, folder = lib.new_take(question, None)
    shutil.copyfile(lib.get(sample_id).audio_path, folder / "audio.flac")
    lib.finish_take(take_id)
    lib.save_transcript(take_id, lib.load_transcript(sample_id))
    Workflow(lib).score(take_id)
    return take_id


async def test_trends_per_question_with_a_scale_one_fragment_cannot_set():
    from dataclasses import replace

    from recorder.takes import Library
    from tui.practice_loop import robust_top

    assert robust_top([5.0, 6.0, 4.0, 5.5, 40.0]) < 10  # one outlier does not set the scale
    assert robust_top([5.0, 6.0]) == 6.0
    lib = Library()
    lib.ensure_sample()
    second_take_of_sample()  # the same question again
    other, folder = lib.new_take("Describe a fragment", None)
    sample = lib.list()[0]
    import shutil

    shutil.copyfile(lib.get(sample.id).audio_path, folder / "audio.flac")
    lib.finish_take(other)
    t = lib.load_transcript(sample.id)
    fragment = replace(t, words=tuple(w for w in t.words if w.end < 12))  # a 12-s fragment
    lib.save_transcript(other, fragment)
    Workflow(lib).score(other)
    app = _app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        chart = screen.query_one("#trend-wpm")
        assert len(chart.values) == 3
        title = screen.query_one("#trends-title")
        assert "all questions (3 takes)" in str(title.content)
        rows = [screen.query_one("#takes").coordinate_to_cell_key((r, 0)).row_key.value for r in range(3)]
        screen.query_one("#takes").move_cursor(row=rows.index(sample.id))
        await pilot.press("t")
        assert "this question (2 takes)" in str(title.content)
        assert len(chart.values) == 2


async def test_recovered_take_is_tagged_and_told_in_the_app():
    from textual.widgets import DataTable

    from recorder.takes import RAW_AUDIO, RECORDING_JSON, Library

    lib = Library()
    take_id, folder = lib.new_take("Crashed answer")
    (folder / RAW_AUDIO).write_bytes((np.sin(np.arange(32000) / 5) * 9000).astype("<i2").tobytes())
    (folder / RECORDING_JSON).write_text(json.dumps({"samplerate": 16000}))
    app = _app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await wait_for(pilot, lambda: app.screen.query_one("#takes", DataTable).row_count == 2, what="rows")
        assert any("Recovered 1 unfinished recording" in n.message for n in app._notifications)
        table = app.screen.query_one("#takes", DataTable)
        cells = [str(table.get_row(take_id)[1]), str(table.get_row(take_id)[5])]
        assert cells[0].startswith("recovered ") and "Crashed answer" in cells[0]
        assert cells[1] == "not scored"


def test_app_start_leaves_recovery_to_the_app(monkeypatch, capsys):
    """`rehearse` alone does not print the recovery line (the app would draw over it)."""
    import tui.app
    import tui.cli

    called = []
    monkeypatch.setattr(tui.cli, "_recover_unfinished_takes", lambda: called.append("cli"))
    monkeypatch.setattr(tui.app, "run_app", lambda **kw: 0)
    assert tui.cli.main([]) == 0
    assert called == []
    import gc

    gc.enable()


# ---- Library ----------------------------------------------------------------------------


def test_questions_cut_to_the_part_that_differs():
    from tui.screens.library import distinct_clip

    qs = {
        "Tell me about a time you went beyond what was asked of you.",
        "Tell me about a time you failed and what you learned.",
    }
    a = distinct_clip("Tell me about a time you went beyond what was asked of you.", qs, 30)
    b = distinct_clip("Tell me about a time you failed and what you learned.", qs, 30)
    assert len(a) <= 30 and len(b) <= 30 and a != b
    assert "went beyond" in a and "failed" in b
    assert distinct_clip("Short one", qs, 30) == "Short one"


async def test_filter_escape_and_no_match():
    from textual.widgets import DataTable, Input

    app = _app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("slash", "z", "left_square_bracket", "q", "right_square_bracket")
        screen = app.screen
        assert isinstance(screen.focused, Input)
        assert "No takes match “z[q]”" in str(screen.query_one("#library-status").render())  # as typed
        await pilot.press("escape")
        assert isinstance(screen.focused, DataTable)


# ---- Compare ------------------------------------------------------------------------------


def test_change_column_agrees_with_the_shown_numbers():
    from tui.screens.compare import change_text

    report = {"star": {"targets": {"situation": 0.15}}}
    # 32.4 % -> 32.2 % both show as 32: no change, no ✗
    assert str(change_text("Situation %", 32.4, 32.2, "{:.0f}", 0, report)) == "="
    # 20.4 -> 19.6 shows 20 -> 20: "=" (not "−1 ✓")
    assert str(change_text("Result %", 20.4, 19.6, "{:.0f}", 0, report)) == "="
    assert str(change_text("Fillers/min", 5.4, 8.3, "{:.1f}", -1, report)) == "+2.9 ✗"
    assert str(change_text("Fillers", 9, 6, "{:.0f}", None, report)) == "−3"  # the count: no verdict


async def test_compare_shows_every_question_and_aligned_bars():
    from recorder.takes import Library
    from tui.screens.compare import CompareScreen

    lib = Library()
    sample = lib.ensure_sample()
    same = second_take_of_sample()
    other = _copy_of_sample(lib, sample.id, "Describe a different situation entirely")
    app = _app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.open_compare([sample.id, same, other])
        await wait_for(pilot, lambda: isinstance(app.screen, CompareScreen) and app.screen.rows, what="Compare")
        await pilot.pause()
        title = str(app.screen.query_one("#compare-title").content)
        assert "of 2 questions" in title and "Describe a different situation entirely" in title
        bars = [line for line in str(app.screen.query_one("#compare-bars").render()).splitlines() if line.strip()]
        assert len(bars) == 3
        # every bar starts in the same column and is as wide as the others
        assert {len(line) for line in bars} == {len(bars[0])}
        assert {line.index("Action") for line in bars} == {bars[0].index("Action")}, bars


def test_star_labels_of_equal_segments_start_in_one_column():
    from tui.widgets.star_bar import star_segments_text

    def bar(task_share):
        secs = [
            {"label": "situation", "share": 0.2, "seconds": 20},
            {"label": "task", "share": task_share, "seconds": 10},
            {"label": "action", "share": 0.5, "seconds": 50},
            {"label": "result", "share": 0.2, "seconds": 20},
        ]
        return str(star_segments_text(secs, 80))

    a, b = bar(0.104), bar(0.094)  # "T 10%" and "T 9%" in segments of one width
    assert "T 10%" in a and "T 9%" in b
    assert a.index(" T ") == b.index(" T ") and a.index("Action") == b.index("Action")


# ---- help and palette ----------------------------------------------------------------------


async def test_help_lists_each_key_once_and_the_palette_has_no_widget_noise():
    from rich.console import Console

    from tui.screens.help import HelpScreen

    app = _app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        names = [c.title for c in app.get_system_commands(app.screen)]
        assert not any(n.startswith(("Cursor down", "Bottom", "Cursor up")) for n in names), names
        assert any(n.startswith("Record again") for n in names)
        await pilot.press("question_mark")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen), what="help")
        from rich.table import Table
        from textual.widgets import Label, Static

        statics = [w for w in app.screen.query(Static) if not isinstance(w, Label)]
        table = next(w.content for w in statics if isinstance(w.content, Table))
        import io

        console = Console(file=io.StringIO(), width=100, record=True, color_system=None)
        console.print(table)
        shown = console.export_text()
        lines = [line.split("  ")[0].strip() for line in shown.splitlines() if line.strip()]
        for key in ("ctrl+p", "tab / shift+tab"):
            assert sum(1 for line in lines if line == key) == 1, lines
        described = [line for line in shown.splitlines() if line.rstrip().endswith("Quit")]
        assert len(described) == 1, described


# ---- import from the app ------------------------------------------------------------------------


async def test_import_audio_from_the_library(tmp_path):
    import dataclasses

    from textual.widgets import DataTable, Input
    from tui_helpers import SPEECH_WAV
    from whisper_models import build_scripted_model

    from analysis.speech.options import TranscribeOptions
    from recorder.takes import Library
    from tui.screens.dialogs import AskScreen
    from tui.settings import AppSettings

    words = ["I", "fixed", "the", "[build]", "in", "a", "week."]
    model = build_scripted_model(tmp_path / "m", words)
    settings = AppSettings(transcription=dataclasses.replace(TranscribeOptions(), model=str(model), device="cpu"))
    app = _app(settings=settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("i")
        await wait_for(pilot, lambda: isinstance(app.screen, AskScreen), what="the file question")
        app.screen.query_one(Input).value = str(SPEECH_WAV)
        await pilot.press("enter")
        await wait_for(
            pilot,
            lambda: isinstance(app.screen, AskScreen) and "question" in str(app.screen.query_one("Label").content),
            what="the question prompt",
        )
        app.screen.query_one(Input).value = "Describe a [hard] deadline"
        await pilot.press("enter")
        table = None
        await wait_for(
            pilot,
            lambda: (
                type(app.screen).__name__ == "LibraryScreen"
                and app.screen.query_one("#takes", DataTable).row_count == 2
            ),
            timeout=60,
            what="the import",
        )
        await settle(pilot)
        table = app.screen.query_one("#takes", DataTable)
        assert str(table.get_row_at(table.cursor_row)[1]).startswith("new Describe a [hard]")  # highlighted
        assert any("Imported" in n.message and "speech_16k.wav" in n.message for n in app._notifications)
    take = next(t for t in Library().list() if not t.sample)
    assert take.has_report and take.question == "Describe a [hard] deadline"


async def test_export_suggests_the_documents_folder_not_the_current_directory(tmp_path, monkeypatch):
    from textual.widgets import Input, Label

    from tui.screens.dialogs import AskScreen

    home = tmp_path / "home"
    (home / "Documents").mkdir(parents=True)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv("XDG_DOCUMENTS_DIR", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.chdir(tmp_path)
    app = _app()
    async with app.run_test(size=(80, 24)) as pilot:
        review = await _open_first(pilot)
        await pilot.press("e")
        await pilot.pause()
        await pilot.press("enter")  # Markdown
        await wait_for(pilot, lambda: isinstance(app.screen, AskScreen), what="the file name")
        value = app.screen.query_one(Input).value
        assert value == str(home / "Documents" / f"{review.take_id}.md")
        assert f"into {home / 'Documents'}/" in str(app.screen.query_one(Label).content)


def test_near_identical_questions_are_one_question():
    from types import SimpleNamespace

    from tui.practice_loop import focus_next, previous_take, question_key, same_question

    assert question_key("Tell me about a time you failed.") == question_key("  tell me about a time, you FAILED ")
    assert question_key("Tell me about a time you failed") != question_key("Tell me about a time you led")
    takes = [
        SimpleNamespace(id="a", question="Tell me about a time you failed.", created="2026-11-01"),
        SimpleNamespace(id="b", question="tell me about a time you failed", created="2026-11-03"),
        SimpleNamespace(id="c", question="Something else", created="2026-11-02"),
    ]
    assert [t.id for t in same_question(takes, "Tell me about a time you failed?")] == ["a", "b"]
    assert previous_take(takes, takes[1]).id == "a" and previous_take(takes, takes[0]) is None
    tip = {"text": 'Your Situation takes 30% (0:00-0:25; target about 15%): cut the background to "two" lines.'}
    assert focus_next([tip]) == 'Cut the background to "two" lines.'


def _summary(
    tid: str,
    created: str,
    wpm: float,
    fillers: float,
    action: float = 0.5,
    question: str = "Tell me about a time you led a team",
):
    from types import SimpleNamespace

    return SimpleNamespace(
        id=tid,
        question=question,
        competency=None,
        created=created,
        duration=100.0,
        wpm=wpm,
        fillers_per_minute=fillers,
        star_shares={"situation": 0.2, "task": 0.1, "action": action, "result": 0.2},
        has_report=True,
        recovered=False,
        sample=False,
    )


def _bar_columns(chart) -> list[int]:
    """The columns of the chart (after its axis) that hold a bar, from what it draws."""
    lines = chart.render().plain.split("\n")[1:-1]  # under the title, above the dates
    cols = set()
    for line in lines:
        for c, ch in enumerate(line[5:]):
            if ch not in " ┄":
                cols.add(c)
    return sorted(cols)


async def test_trends_stand_on_a_time_axis_with_dates_and_an_outlier_is_clipped():
    from tui.screens.library import LibraryScreen

    takes = [
        _summary("a", "2026-11-10T09:00:00+00:00", 150, 4.0),
        _summary("b", "2026-11-17T09:00:00+00:00", 140, 3.0),
        _summary("c", "2026-11-17T12:00:00+00:00", 145, 3.5),
        _summary("d", "2026-11-17T18:00:00+00:00", 155, 2.5),
        _summary("e", "2026-11-17T19:00:00+00:00", 60, 20.0, question="A 12-s fragment"),
    ]
    app = _app(ensure_sample=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, LibraryScreen)
        await wait_for(pilot, lambda: screen.query("#trend-fillers") and screen.loaded, what="the trends")
        screen._loaded(takes, [])
        await settle(pilot)
        chart = screen.query_one("#trend-fillers")
        cols = _bar_columns(chart)
        # one take a week before four on one day: the first stands alone at the left, the
        # others together at the right, not five bars evenly spaced
        width = chart.size.width - 5
        groups = [[cols[0]]]
        for c in cols[1:]:
            if c - groups[-1][-1] > 1:
                groups.append([])
            groups[-1].append(c)
        assert len(groups) == 2 and groups[0][0] == 0 and groups[1][-1] == width - 1
        assert groups[1][0] - groups[0][-1] > width // 2  # the week between them is most of the axis
        text = screen_text(app)
        assert "10 Nov" in text and "17 Nov" in text  # the axis says when
        # the 20-fillers/min fragment does not set the scale: it is clipped (↑) and the
        # others are not squashed to the floor
        assert chart.top < 10
        rendered = chart.render().plain
        assert "↑" in rendered
        screen.query_one("#takes").move_cursor(row=[t.id for t in screen._visible()].index("c"))
        await pilot.press("t")  # this question only: the fragment is gone, same dates
        await settle(pilot)
        assert "this question (4 takes)" in str(screen.query_one("#trends-title").content)
        assert "↑" not in chart.render().plain
        assert len(_bar_columns(chart)) >= 4


def test_time_axis_labels_read_as_dates():
    from datetime import datetime

    from tui.widgets.charts import time_labels

    d = datetime
    assert time_labels(d(2026, 11, 10, 9), d(2026, 11, 17, 18), 20) == ("10 Nov", "17 Nov")
    assert time_labels(d(2026, 11, 17, 9), d(2026, 11, 17, 18, 5), 20) == ("17 Nov 09:00", "18:05")
    assert time_labels(d(2025, 12, 30), d(2026, 1, 3), 30) == ("30 Dec 2025", "3 Jan 2026")
    assert time_labels(d(2025, 12, 30), d(2026, 1, 3), 18) == ("Dec 2025", "Jan 2026")


async def test_trend_bands_come_from_the_settings():
    import dataclasses

    from analysis.settings import AnalysisSettings
    from tui.format import pace_band, share_band
    from tui.settings import AppSettings

    assert pace_band(None) == [120, 165] and share_band("action") == (40.0, 70.0)
    assert pace_band({"pace": {"band": [110, 150]}}) == [110, 150]  # the report's own band first
    analysis = dataclasses.replace(AnalysisSettings(), pace_min_wpm=100.0, pace_max_wpm=140.0, action_tolerance=0.05)
    app = _app(settings=AppSettings(analysis=analysis), ensure_sample=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        await wait_for(pilot, lambda: screen.query("#trend-wpm") and screen.loaded, what="the trends")
        screen._loaded([_summary("a", "2026-11-10T09:00:00+00:00", 150, 4.0)], [])
        await settle(pilot)
        assert "good 100–140" in screen.query_one("#trend-wpm").render().plain
        assert "good 50–60" in screen.query_one("#trend-action").render().plain


async def test_text_in_square_brackets_is_shown_as_written():
    """A question (or any text from a file) with square brackets is not eaten as markup,
    in the Library's list and detail line and in Review's title."""
    from textual.widgets import DataTable

    from recorder.takes import Library
    from tui.screens.review import ReviewScreen

    Library().ensure_sample()
    take_id = second_take_of_sample(" [laughter] [b]now[/b]")
    app = _app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        table = app.screen.query_one("#takes", DataTable)
        await wait_for(pilot, lambda: table.row_count == 2, what="rows")
        ids = [table.coordinate_to_cell_key((r, 0)).row_key.value for r in range(2)]
        table.move_cursor(row=ids.index(take_id))
        await settle(pilot)
        assert "[laughter] [b]now[/b]" in screen_text(app)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ReviewScreen), what="Review")
        await settle(pilot)
        assert "[laughter] [b]now[/b]" in screen_text(app)
