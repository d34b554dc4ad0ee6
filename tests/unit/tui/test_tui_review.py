"""Review screen (Pilot) on the bundled sample take: report panels, synced playback
through the real Player (stand-in output stream), jump to fillers, move a STAR boundary
(re-scored at once and saved as markers), re-transcribe, export."""

from __future__ import annotations

import pytest
from tui_helpers import fake_player_factory, settle, wait_for


def _app(**kw):
    from tui.app import make_app
    from tui.settings import AppSettings

    kw.setdefault("settings", AppSettings())
    return make_app(player_factory=fake_player_factory, **kw)


async def _open_sample(pilot):
    from tui.screens.review import ReviewScreen

    await settle(pilot)
    await pilot.press("enter")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, ReviewScreen), what="Review")
    await settle(pilot)
    return pilot.app.screen


async def test_sample_report_is_shown():
    from textual.widgets import DataTable, OptionList

    from tui.widgets.star_bar import StarBar

    app = _app()
    async with app.run_test(size=(80, 24)) as pilot:
        review = await _open_sample(pilot)
        report = review.report
        assert report["star"]["sections"]
        assert review.query_one(StarBar).star == report["star"]
        rendered = str(review.query_one(StarBar).render())
        assert "target" in rendered and "%" in rendered
        table = review.query_one("#sections", DataTable)
        assert table.row_count == 4
        tips = review.query_one("#tips", OptionList)
        assert tips.option_count == len(report["tips"]) > 0
        title = str(review.query_one("#review-title").content)
        assert "pain point" in title
        await pilot.press("g")  # pace tab
        chart = review.query_one("#pace-chart")
        assert len(chart.values) == len(report["pace"]["timeline"])
        await pilot.press("escape")
        await pilot.pause()
        assert type(app.screen).__name__ == "LibraryScreen"


async def test_playback_follows_words_and_jumps_to_fillers():
    from tui.widgets.transcript_view import TranscriptView

    app = _app()
    async with app.run_test(size=(80, 24)) as pilot:
        review = await _open_sample(pilot)
        await pilot.press("w")
        view = review.query_one(TranscriptView)
        assert view.has_focus and len(view.words) == review.report["words"]
        fillers = [i for i, w in enumerate(view.words) if w.filler]
        assert len(fillers) == review.report["fillers"]["count"] or fillers
        # f: the next filler after the cursor, and playback starts just before it
        await pilot.press("down", "down")
        start_cursor = view.cursor
        await pilot.press("f")
        target = next(i for i in fillers if i > start_cursor)
        # the cursor is on the filler, or already a word or two on with playback (one position)
        assert target <= view.cursor and view.words[view.cursor].start < view.words[target].start + 2
        await wait_for(pilot, lambda: review.player is not None and review.player.playing, what="playback")
        word = view.words[target]
        assert abs(review.player.position - word.start) < 1.0
        # the word being played is highlighted as playback moves on
        await wait_for(pilot, lambda: view.playing >= target, what="highlight")
        first = view.playing
        await wait_for(pilot, lambda: view.playing > first, timeout=5, what="highlight to move")
        assert "playing" in str(review.query_one("#player-line").content)
        # space pauses; right/left seek 5 s
        await pilot.press("space")
        assert not review.player.playing
        pos = review.player.position
        await pilot.press("right")
        await wait_for(pilot, lambda: abs(review.player.position - (pos + 5)) < 0.2, timeout=3, what="seek")
        await pilot.press("left", "left")
        await wait_for(pilot, lambda: abs(review.player.position - (pos - 5)) < 0.2, timeout=3, what="seek back")
        # Enter on a word plays from that word
        await pilot.press("end")
        await pilot.press("enter")
        last = view.words[-1]
        await wait_for(pilot, lambda: review.player.playing, what="play from word")
        assert abs(review.player.position - last.start) < 0.5


async def test_moving_a_boundary_rescores_and_saves_markers():
    from recorder.takes import Library
    from tui.widgets.transcript_view import TranscriptView

    app = _app()
    async with app.run_test(size=(80, 24)) as pilot:
        review = await _open_sample(pilot)
        await pilot.press("w")
        view = review.query_one(TranscriptView)
        sections = {s["label"]: s for s in review.report["star"]["sections"]}
        # pick a word well inside the Situation and say "the Action starts here"... then
        # a word inside the current Action and say "the Result starts here".
        action = sections["action"]
        idx = next(i for i, w in enumerate(view.words) if w.start > action["start"] + 10)
        view.cursor = idx
        await pilot.press("r")
        await wait_for(pilot, lambda: review.report["star"]["method"] == "markers", what="re-score")
        new = {s["label"]: s for s in review.report["star"]["sections"]}
        chosen = view.words[idx].start
        # The analysis moves a marker to the nearest sentence start (within marker_snap_s).
        snap = app.settings.analysis.star.marker_snap_s
        assert chosen - snap - 0.01 <= new["result"]["start"] <= chosen + 0.01
        assert new["action"]["end"] == pytest.approx(new["result"]["start"], abs=0.01)
        assert view.words[idx].section == "result"
        if abs(new["result"]["start"] - chosen) > 0.05:
            assert any("nearest sentence" in n.message for n in app._notifications)
        take_id = review.take_id
        await settle(pilot)
    lib = Library()
    saved = lib.load_transcript(take_id)
    labels = {m.label: m.time for m in saved.markers}
    assert labels["result"] == pytest.approx(view.words[idx].start, abs=0.01)
    assert set(labels) == {s["label"] for s in sections.values()}  # the others kept their place
    report = lib.load_report(take_id)
    assert report["star"]["method"] == "markers"

    # backspace forgets the markers: back to sections found from the words
    app = _app()
    async with app.run_test(size=(80, 24)) as pilot:
        review = await _open_sample(pilot)
        assert review.report["star"]["method"] == "markers"
        await pilot.press("backspace")
        await wait_for(pilot, lambda: review.report["star"]["method"] != "markers", what="auto STAR")
        await settle(pilot)
    assert Library().load_transcript(take_id).markers == ()


@pytest.mark.slow
async def test_export_and_retranscribe(tmp_path, monkeypatch):
    import dataclasses

    from whisper_models import build_scripted_model

    from analysis.speech.options import TranscribeOptions
    from recorder.takes import Library
    from tui.screens.dialogs import PickScreen
    from tui.settings import AppSettings

    words = ["Hello", "again,", "um,", "this", "is", "take", "two."]
    model = build_scripted_model(tmp_path / "m", words)
    from tui.settings import UISettings

    settings = AppSettings(
        transcription=dataclasses.replace(TranscribeOptions(), model=str(model), device="cpu"),
        ui=UISettings(export_dir=str(tmp_path)),
    )
    app = _app(settings=settings)
    async with app.run_test(size=(80, 24)) as pilot:
        review = await _open_sample(pilot)
        take_id = review.take_id
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, PickScreen)
        await pilot.press("enter")  # Markdown
        await pilot.pause()
        await pilot.press("enter")  # the suggested file name
        await settle(pilot)
        exported = tmp_path / f"{take_id}.md"
        assert exported.is_file() and "pain point" in exported.read_text()
        await pilot.press("e")
        await pilot.pause()
        await pilot.press("enter", "enter")  # the same file again: refused, not replaced
        await settle(pilot)
        assert any("exist" in n.message for n in app._notifications)
        await pilot.press("m")
        await pilot.pause()
        assert isinstance(app.screen, PickScreen)
        await pilot.press("enter")  # first entry: the model from the settings
        await wait_for(
            pilot,
            lambda: review.transcript is not None and len(review.transcript.words) < 50,
            timeout=60,
            what="re-transcription",
        )
        await settle(pilot)
    lib = Library()
    t = lib.load_transcript(take_id)
    assert [w.text.strip() for w in t.words][: len(words)] == words
    assert lib.load_report(take_id)["words"] == len(t.words)


async def test_no_speakers_is_a_clear_message_and_nothing_breaks():
    from recorder.settings import RecorderSettings
    from tui.app import make_app
    from tui.settings import AppSettings
    from tui.widgets.transcript_view import TranscriptView

    # The real Player and PortAudio, asked for an output device that does not exist.
    app = make_app(settings=AppSettings(recorder=RecorderSettings(output_device="no-such-speaker-xyz")))
    async with app.run_test(size=(80, 24)) as pilot:
        review = await _open_sample(pilot)
        for _ in range(2):
            await pilot.press("space")
            await settle(pilot)
            assert review.player is None
        notes = [n for n in app._notifications if n.title == "Playback"]
        assert notes and ("no-such-speaker-xyz" in notes[-1].message or "no speakers" in notes[-1].message)
        await pilot.press("f")  # the transcript still works without sound
        await settle(pilot)
        view = review.query_one(TranscriptView)
        assert view.words[view.cursor].filler
        # said once (not a stack of identical notifications), and kept in the player line
        assert len([n for n in app._notifications if n.title == "Playback"]) == 1
        line = str(review.query_one("#player-line").content)
        assert "no sound" in line and ("no-such-speaker-xyz" in line or "no speakers" in line)


async def test_h_plays_the_possible_hesitations():
    from tui.widgets.transcript_view import TranscriptView

    app = _app()
    async with app.run_test(size=(80, 24)) as pilot:
        review = await _open_sample(pilot)
        view = review.query_one(TranscriptView)
        # two audio hints in the sample's report (it has none of its own)
        a, b = view.words[5].end + 0.05, view.words[20].end + 0.05
        review.report["hesitations"] = {
            "count": 2,
            "items": [{"start": a, "end": a + 0.4}, {"start": b, "end": b + 0.5}],
        }
        await pilot.press("h")
        await wait_for(pilot, lambda: review.player is not None and review.player.playing, what="playback")
        assert a - 0.4 <= review.player.position < a + 0.6  # from just before the first hint
        await wait_for(pilot, lambda: view.cursor >= 5, what="cursor on the hint")
        assert view.words[view.cursor].start < a + 1.0
        await pilot.press("h")  # the next one
        await wait_for(pilot, lambda: b - 0.4 <= review.player.position < b + 0.6, timeout=3, what="second hint")
        await pilot.press("H")  # back to the first
        await wait_for(pilot, lambda: a - 0.4 <= review.player.position < a + 0.6, timeout=3, what="first again")


async def test_review_panels_show_a_report_on_their_own():
    """Review's panels are widgets that need only a report (no library, player or screen)."""
    import json
    from pathlib import Path

    from textual.app import App

    from tui.widgets.review_panels import FocusPanel, MetricsPanel, PausesPanel, SectionsTable, TipsList

    report = json.loads((Path(__file__).parents[2] / "tui_fixtures" / "sample_report.json").read_text())

    class PanelsApp(App):
        def compose(self):
            yield FocusPanel(id="focus")
            yield TipsList(id="tips")
            yield SectionsTable(id="sections")
            yield MetricsPanel(id="metrics")
            yield PausesPanel(id="pauses")

    app = PanelsApp()
    async with app.run_test(size=(100, 60)) as pilot:
        app.query_one(FocusPanel).show(report)
        app.query_one(TipsList).show(report, True)
        app.query_one(SectionsTable).show(report)
        app.query_one(MetricsPanel).show(report, report["pace"]["band"])
        app.query_one(PausesPanel).show(report)
        await pilot.pause()
        assert str(app.query_one(FocusPanel).content).startswith("Focus next: ")
        assert app.query_one(TipsList).option_count == len(report["tips"])
        assert app.query_one(SectionsTable).row_count == 4
        metrics = str(app.query_one(MetricsPanel).content)
        assert f"{report['pace']['wpm']:.0f} wpm" in metrics and "Fillers" in metrics
        assert str(app.query_one(PausesPanel).content).startswith("Pauses: ")
        app.query_one(TipsList).show({}, False)  # no transcript: says so, not an empty list
        assert "no transcript yet" in str(app.query_one(TipsList).get_option_at_index(0).prompt)
