"""Review: one take's report with synced playback, boundary editing, re-transcription
and export."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import (
    Label,
    OptionList,
    ProgressBar,
    TabbedContent,
    TabPane,
)

from tui.screens.base import RehearseScreen
from tui.format import C, STAR, STAR_LETTER, byte_progress, clip, mmss, pace_band
from tui.messages import Progress, ReportUpdated
from tui.practice_loop import previous_take, same_question
from tui.screens.dialogs import AskScreen, PickScreen
from tui.widgets.charts import BarChart
from tui.widgets.footer import KeysFooter
from tui.widgets.title_bar import TitleBar
from tui.star_unsure import unsure_lines
from tui.widgets.star_bar import StarBar
from tui.widgets.review_panels import (FocusPanel, MetricsPanel, PausesPanel, SectionsTable, TipsList, legend_text,
                                       pace_window_text, title_text)
from tui.widgets.transcript_view import TranscriptView, TWord

if TYPE_CHECKING:
    from analysis.transcript import Transcript
    from recorder.takes import Take

SEEK_S = 5.0
_EPS = 0.02


def build_words(transcript: Any, report: dict) -> list[TWord]:
    """Transcript words annotated from the report: section, filler, pause/hesitation after."""
    words = list(getattr(transcript, "words", ()) or ())
    sections = (report.get("star") or {}).get("sections") or []
    fillers = (report.get("fillers") or {}).get("items") or []
    pauses = (report.get("pauses") or {}).get("items") or []
    hes = (report.get("hesitations") or {}).get("items") or []
    out: list[TWord] = []
    for i, w in enumerate(words):
        section = None
        for s in sections:
            if s["start"] - _EPS <= w.start < s["end"] + _EPS:
                section = s["label"]
                if w.start < s["end"] - _EPS:
                    break
        filler = any(f["start"] - _EPS <= w.start and w.end <= f["end"] + _EPS for f in fillers)
        nxt = words[i + 1].start if i + 1 < len(words) else float("inf")
        pause = next(
            (p.get("seconds", p["end"] - p["start"]) for p in pauses
             if w.end - _EPS * 5 <= p["start"] <= nxt + _EPS),
            None,
        )
        hes_after = any(w.end - _EPS <= h["start"] < nxt + _EPS for h in hes)
        out.append(TWord(w.text, w.start, w.end, section, filler, pause, hes_after))
    return out


SEEK = Binding.Group("±5 s")  # ← and → share one hint in the footer


class ReviewScreen(RehearseScreen):
    SUB_TITLE = "Review"
    BINDINGS = [
        Binding("escape,q", "back", "Back"),
        Binding("space", "play_pause", "Play/pause"),
        # priority: the tabs, the tables and the transcript would take ←/→ for themselves
        Binding("left", "seek(-5)", "−5 s", priority=True, group=SEEK),
        Binding("right", "seek(5)", "+5 s", priority=True, group=SEEK),
        Binding("f", "next_filler(1)", "Next filler"),
        Binding("F", "next_filler(-1)", "Previous filler", show=False),
        Binding("h", "next_hesitation(1)", "Next possible hesitation", show=False),
        Binding("H", "next_hesitation(-1)", "Previous possible hesitation", show=False),
        Binding("1,s", "boundary('situation')", "S starts here", show=False),
        Binding("2,t", "boundary('task')", "T starts here", show=False),
        Binding("3,a", "boundary('action')", "A starts here", show=False),
        Binding("4,r", "boundary('result')", "R starts here", show=False),
        Binding("backspace", "auto_star", "Auto STAR (clear markers)", show=False),
        Binding("o", "tab('overview')", "Overview", show=False),
        Binding("w", "tab('words')", "Transcript", show=False),
        Binding("g", "tab('pace')", "Pace", show=False),
        Binding("m", "retranscribe", "Re-transcribe", show=False),
        Binding("e", "export", "Export"),
        Binding("c", "compare", "Compare", show=False),
        # (in the footer where there is room; the player line and "Focus next" say it too)
        Binding("n", "again", "Record again", show=False),
    ]

    def __init__(self, take_id: str) -> None:
        super().__init__()
        self.take_id = take_id
        self.take: Take | None = None
        self.report: dict = {}
        self.transcript: Any = None
        self.player: Any = None
        self._player_failed = False
        self._pending_play: float | None = None
        self._cue = 0.0  # where space starts playback before the player is open (←/→ move it)
        self._pending_boundary: tuple[str, float] | None = None
        self._player_error: str | None = None  # why playback could not start (said once)
        self.previous: Any = None  # the take of this question before this one

    # ---- layout -------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield TitleBar()
        yield Label("Loading…", id="review-title")
        yield StarBar(id="star-bar")
        yield Label("", id="star-unsure")
        with TabbedContent(initial="overview", id="review-tabs"):
            # the labels name their keys (o, w, g), which the footer has no room for
            with TabPane("Overview o", id="overview"):
                yield FocusPanel("", id="focus-next")
                with Horizontal(id="overview-row"):
                    with VerticalScroll(id="overview-left"):
                        yield TipsList(id="tips")
                        yield SectionsTable(id="sections", cursor_type="row", show_cursor=False)
                    with VerticalScroll(id="metrics-box"):
                        yield MetricsPanel(id="metrics")
            with TabPane("Transcript w", id="words"):
                yield Label("", id="legend")
                yield TranscriptView(id="transcript")
            with TabPane("Pace g", id="pace"):
                with VerticalScroll():
                    yield BarChart("Pace of the answer:", band=self._band(), auto_floor=True, unit=" wpm",
                                   id="pace-chart")
                    yield Label("", id="pace-window")
                    yield PausesPanel(id="pauses")
        with Horizontal(id="jobbar", classes="hidden"):
            yield Label("", id="job-label")
            yield ProgressBar(id="job-progress", show_eta=False)
        yield Label("", id="player-line")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.load()
        self.set_interval(0.1, self._tick)

    # ---- data ---------------------------------------------------------------------------
    @work(thread=True, exclusive=True, group="library", exit_on_error=False)
    def load(self) -> None:
        services = self.app.services
        lib = services.library
        take = lib.get(self.take_id)
        transcript = lib.load_transcript(self.take_id)
        report = lib.load_report(self.take_id)
        if report is None and transcript is not None and transcript.words:
            report = services.workflow.score(self.take_id, transcript)
        try:
            summaries = lib.list()
        except Exception:  # noqa: BLE001 - the comparison line is a nicety
            summaries = []
        this = next((t for t in summaries if t.id == self.take_id), None)
        self.previous = previous_take(summaries, this) if this is not None else None
        self._this_summary = this
        self.app.call_from_thread(self._show, take, transcript, report or {})

    def _show(self, take: Take, transcript: Transcript | None, report: dict) -> None:
        self.take = take
        self.transcript = transcript
        self.report = report
        self.query_one("#review-title", Label).update(title_text(take, report))
        self._fill_focus()
        self.query_one("#star-bar", StarBar).star = report.get("star") or {}
        unsure = unsure_lines(report.get("star"))
        note = self.query_one("#star-unsure", Label)
        note.update("\n".join(unsure))
        note.display = bool(unsure)
        self._fill_sections()
        self._fill_tips()
        self._fill_metrics()
        self._fill_pace()
        view = self.query_one("#transcript", TranscriptView)
        view.set_words(build_words(transcript, report) if transcript is not None else [])
        self.query_one("#legend", Label).update(legend_text())
        if transcript is not None and transcript.extra.get("no_speech"):
            self.notify("No speech detected in this take.", severity="warning")
        self._update_player_line()

    def restyle(self) -> None:
        """The theme changed: rebuild the coloured text."""
        if self.take is not None:
            self._show(self.take, self.transcript, self.report)

    def _fill_sections(self) -> None:
        self.query_one("#sections", SectionsTable).show(self.report)

    def _fill_focus(self) -> None:
        self.query_one("#focus-next", FocusPanel).show(self.report, self.previous,
                                                       getattr(self, "_this_summary", None))

    def _fill_tips(self) -> None:
        self.query_one("#tips", TipsList).show(self.report, self.transcript is not None)

    def _fill_metrics(self) -> None:
        self.query_one("#metrics", MetricsPanel).show(
            self.report, pace_band(self.report, self.app.settings.analysis))  # type: ignore[attr-defined]

    def _fill_pace(self) -> None:
        pace = self.report.get("pace") or {}
        timeline = pace.get("timeline") or []
        chart = self.query_one("#pace-chart", BarChart)
        chart.band = self._band()
        chart.headline = pace.get("wpm")  # the answer's pace, as in the Overview
        chart.update_chart([p.get("wpm", 0.0) for p in timeline],
                           ("0:00", mmss(self.report.get("duration"))))
        self._update_pace_window()
        self.query_one("#pauses", PausesPanel).show(self.report)

    def _update_pace_window(self) -> None:
        """The pace of the window under the current position (separate from the headline)."""
        self.query_one("#pace-window", Label).update(pace_window_text(self.report, self.position(), self._band()))

    def on_report_updated(self, event: ReportUpdated) -> None:
        self.query_one("#jobbar").add_class("hidden")
        view = self.query_one("#transcript", TranscriptView)
        cursor = view.cursor
        self._show(self.take, event.transcript, event.report)
        view.cursor = min(cursor, max(0, len(view.words) - 1))
        pending, self._pending_boundary = self._pending_boundary, None
        if pending is not None:
            label, wanted = pending
            section = next((x for x in (event.report.get("star") or {}).get("sections") or []
                            if x["label"] == label), None)
            if section is None:
                self.notify(f"The analysis could not honour that {label.capitalize()} marker with the others; "
                            "check the sections, or press backspace to go back to automatic ones.",
                            severity="warning", timeout=8)
            elif abs(section["start"] - wanted) > 0.05:
                first = view.words[view.index_at(section["start"])].text.strip() if view.words else ""
                self.notify(f"{label.capitalize()} starts at “{first}” ({mmss(section['start'])}): a marker moves "
                            "to the start of the nearest sentence.", timeout=6)

    # ---- playback -----------------------------------------------------------------------
    def _audio_path(self) -> Any:
        return self.take.audio_path if self.take is not None else None

    @work(thread=True, exclusive=True, group="playback", exit_on_error=False)
    def open_player(self, start: float | None) -> None:
        path = self._audio_path()
        if path is None:
            from analysis.errors import RehearseError

            raise RehearseError("this take has no audio to play")
        player = self.app.services.player(path)
        try:
            player.play(from_s=start or 0.0)  # opens the output device: may fail
        except BaseException:
            player.close()
            raise
        self.player = player

    def _band(self) -> tuple[float, float]:
        """The pace band this take was scored against (else the settings')."""
        lo, hi = pace_band(getattr(self, "report", None), self.app.settings.analysis)  # type: ignore[attr-defined]
        return float(lo), float(hi)

    def position(self) -> float:
        """The one position of this screen: where playback is (or starts), which the word
        cursor follows and f/F, ←/→ and the pace window count from."""
        if self.player is not None:
            return float(self.player.position)
        return self._cue

    def job_failed(self, group: str, error: BaseException | None) -> bool | None:
        self.query_one("#jobbar").add_class("hidden")
        if group == "playback":
            message = str(error) if error is not None else "playback failed"
            again = message == self._player_error
            self._player_failed = True
            self._player_error = message
            self._update_player_line()
            return again  # True: already said once, the player line keeps saying it
        return None

    def _play_from(self, t: float | None) -> None:
        if t is not None:
            self._cue = max(0.0, t)
        if self.player is None:
            if self._player_failed:
                self._player_failed = False  # try again: the device may be back
            self.open_player(t)
            return
        self._control(self.player.play, from_s=t)

    def _control(self, method: Any, *args: Any, **kwargs: Any) -> None:
        """Call a Player method (non-blocking); an audio error becomes a notification."""
        from analysis.errors import RehearseError

        try:
            method(*args, **kwargs)
        except RehearseError as exc:
            self.notify(str(exc), title="Playback", severity="error", timeout=10)

    def action_play_pause(self) -> None:
        if self.player is None:
            self._play_from(self._cue)
        else:
            self._control(self.player.toggle)

    def _duration(self) -> float:
        return float(self.report.get("duration") or (self.take.duration if self.take is not None else 0) or 0)

    def action_seek(self, delta: float) -> None:
        if self.player is None:  # not played yet: move where playback will start
            self._cue = max(0.0, min(self._duration(), self._cue + delta))
        else:
            target = max(0.0, min(float(self.player.duration or 0), self.player.position + delta))
            self._control(self.player.seek, target)
        self._follow_position()
        self._update_player_line()
        self._update_pace_window()

    def _follow_position(self) -> None:
        """Put the word cursor on the word at the playback position."""
        view = self.query_one("#transcript", TranscriptView)
        if not view.words:
            return
        # (+0.06: playback starts 0.05 s before a word, which is that word's position)
        index = view.index_at(self.position() + 0.06)
        if self.player is not None and self.player.playing:
            view.playing = index
        if index != view.cursor:
            view.cursor = index

    @on(TranscriptView.CursorMoved)
    def _cursor_moved(self, event: TranscriptView.CursorMoved) -> None:
        """The user moved the word cursor: playback moves there too (one position)."""
        view = event.view
        if event.index != view.cursor or not 0 <= event.index < len(view.words):
            return  # a stale message: the cursor has moved on since
        if view.index_at(self.position() + 0.06) == event.index:
            return  # already there (playback moved the cursor)
        t = max(0.0, view.words[event.index].start - 0.05)
        if self.player is None:
            self._cue = t
        else:
            self._control(self.player.seek, t)
        self._update_player_line()
        self._update_pace_window()

    @on(TranscriptView.WordActivated)
    def _word_activated(self, event: TranscriptView.WordActivated) -> None:
        view = event.view
        if 0 <= event.index < len(view.words):
            self._play_from(max(0.0, view.words[event.index].start - 0.05))

    @on(OptionList.OptionSelected, "#tips")
    def _tip_selected(self, event: OptionList.OptionSelected) -> None:
        tips = self.report.get("tips") or []
        i = int((event.option.id or "tip0")[3:])
        if i < len(tips) and tips[i].get("at") is not None:
            at = float(tips[i]["at"])
            self.action_tab("words")
            view = self.query_one("#transcript", TranscriptView)
            view.cursor = max(0, view.index_at(at))
            self._play_from(at)

    def _tick(self) -> None:
        if self.player is None:
            return
        error = getattr(self.player, "error", None)
        if error is not None:  # the output device went away while playing
            self.player.error = None
            self.notify(str(error), title="Playback", severity="error", timeout=10)
        if self.player.playing:
            self._follow_position()
            self._update_pace_window()
        self._update_player_line()

    def _update_player_line(self) -> None:
        dur = self._duration()
        pos = self.position()
        playing = bool(self.player is not None and self.player.playing)
        width = 20
        filled = int(round(pos / dur * width)) if dur else 0
        line = Text()
        if self.player is None and self._player_error:
            line.append("🔇 no sound: ", style=f"bold {C.warn}")
            line.append(clip(self._player_error, 160))
            line.append("  (Settings F4: output device)", style="dim")
            self.query_one("#player-line", Label).update(line)
            return
        line.append("▶ playing " if playing else "⏸ paused  ", style=f"bold {C.good}" if playing else "dim")
        line.append(f"{mmss(pos)} / {mmss(dur)} ")
        line.append("━" * filled, style=C.good)
        line.append("─" * (width - filled), style="dim")
        view = self.query_one("#transcript", TranscriptView)
        if playing and 0 <= view.playing < len(view.words):
            line.append(f"  “{view.words[view.playing].text.strip()}”")
        elif not playing:
            line.append("  space play · Enter on a word plays from it · n record again", style="dim")
        self.query_one("#player-line", Label).update(line)

    def on_unmount(self) -> None:
        if self.player is not None:
            try:
                self.player.close()
            except Exception:
                pass

    # ---- navigation ---------------------------------------------------------------------
    def action_back(self) -> None:
        if self.player is not None:
            try:
                self.player.pause()
            except Exception:
                pass
        self.dismiss()

    def action_tab(self, tab: str) -> None:
        self.query_one("#review-tabs", TabbedContent).active = tab
        if tab == "words":
            self.query_one("#transcript", TranscriptView).focus()

    def action_next_filler(self, step: int = 1) -> None:
        """The next (previous) filler after the current position, played from there."""
        self.action_tab("words")
        view = self.query_one("#transcript", TranscriptView)
        self._follow_position()  # count from where playback is, not an old cursor
        before = view.cursor
        view.action_filler(step)
        if view.words and view.cursor != before and view.words[view.cursor].filler:
            self._play_from(max(0.0, view.words[view.cursor].start - 0.05))

    def action_next_hesitation(self, step: int = 1) -> None:
        """Play the next (previous) possible hesitation after (before) the current position,
        from 0.3 s before it; the word cursor goes to the word it follows."""
        items = (self.report.get("hesitations") or {}).get("items") or []
        starts = sorted(float(h["start"]) for h in items)
        if not starts:
            self.notify("No possible hesitations in this take.", timeout=2)
            return
        pos = self.position()
        cues = [max(0.0, t - 0.3) for t in starts]
        if step > 0:
            cue = next((c for c in cues if c > pos + 0.05), None)
        else:
            # (within a second of a hint's cue, "previous" is the one before it)
            cue = next((c for c in reversed(cues) if c < pos - 1.0), None)
        if cue is None:
            self.notify("No more possible hesitations in that direction.", timeout=2)
            return
        self.action_tab("words")
        view = self.query_one("#transcript", TranscriptView)
        if view.words:  # the word at the cue, so that moving the cursor does not move playback
            view.cursor = view.index_at(cue + 0.06)
        self._play_from(cue)

    def action_again(self) -> None:
        """Record this question again (Practise, with this take's figures beside it)."""
        if self.take is None:
            return
        self.app.practise_again(self.take_id)

    def action_compare(self) -> None:
        self.find_same_question()

    @work(thread=True, exclusive=True, group="library", exit_on_error=False)
    def find_same_question(self) -> None:
        takes = same_question(self.app.services.library.list(),
                              self.take.question if self.take is not None else None)
        ids = [t.id for t in takes][-4:]
        if self.take_id not in ids and ids:
            ids = ids[-3:] + [self.take_id]
        if len(ids) < 2:
            self.app.call_from_thread(
                self.notify, "No other take of this question yet: record it again to compare.", severity="warning")
            return
        self.app.call_from_thread(self.app.open_compare, ids)

    # ---- boundary editing ----------------------------------------------------------------
    def action_boundary(self, label: str) -> None:
        if self.transcript is None or not self.transcript.words:
            return
        view = self.query_one("#transcript", TranscriptView)
        if self.query_one("#review-tabs", TabbedContent).active != "words":
            self.action_tab("words")
            self.notify(f"Select the first word of the {label.capitalize()} and press {STAR_LETTER[label].lower()} "
                        f"(or {STAR.index(label) + 1}) again.", timeout=4)
            return
        from recorder.workflow import move_boundary

        word = self.transcript.words[view.cursor]
        sections = (self.report.get("star") or {}).get("sections") or []
        markers, dropped = move_boundary(list(self.transcript.markers), sections, label, word.start)
        note = f"{label.capitalize()} now starts at “{word.text.strip()}” ({mmss(word.start)})"
        if dropped:
            note += "; removed out-of-order marker(s): " + ", ".join(dropped)
        self.notify(note + ". Re-scoring…", timeout=4)
        self._pending_boundary = (label, word.start)
        # Keep the new markers at once: a second key press before the re-score lands
        # builds on this one instead of the old markers.
        self.transcript = self.transcript.with_markers(markers)
        self.rescore(self.transcript)

    def action_auto_star(self) -> None:
        """Forget the section markers: the STAR sections are found from the words again."""
        if self.transcript is None or not self.transcript.markers:
            self.notify("No markers to clear: the sections are already found automatically.", timeout=3)
            return
        self.transcript = self.transcript.with_markers(())
        self.notify("Markers cleared: STAR sections found from the words. Re-scoring…", timeout=4)
        self.rescore(self.transcript)

    @work(thread=True, exclusive=True, group="rescore", exit_on_error=False)
    def rescore(self, transcript: Any) -> None:
        report = self.app.services.workflow.set_transcript(self.take_id, transcript)
        self.post_message(ReportUpdated(self.take_id, report, transcript))

    # ---- re-transcription ----------------------------------------------------------------
    def action_retranscribe(self) -> None:
        self.model_menu()  # which models are here and whether the hub answers: off the event loop

    @work(thread=True, exclusive=True, group="models-menu", exit_on_error=False)
    def model_menu(self) -> None:
        services = self.app.services
        items = services.retranscribe_choices(self.report.get("model") or "")
        self.app.call_from_thread(self._show_model_menu, items)

    def _show_model_menu(self, items: list[tuple[str, str]]) -> None:
        def chosen(model: str | None) -> None:
            if model:
                bar = self.query_one("#jobbar")
                bar.remove_class("hidden")
                self.query_one("#job-label", Label).update(Text(f"Transcribing with {model}"))
                self.query_one("#job-progress", ProgressBar).update(total=None, progress=0)
                self.retranscribe(model)

        self.app.push_screen(PickScreen("Re-transcribe with which model?", items,
                                        empty="No speech model on this machine."), chosen)

    @work(thread=True, exclusive=True, group="transcribe", exit_on_error=False)
    def retranscribe(self, model: str) -> None:
        services = self.app.services

        def progress(done: float, total: float) -> None:
            self.post_message(Progress("transcribe", done, total))

        def download(done: int, total: int) -> None:
            self.post_message(Progress("download", done, total))

        markers = self.transcript.markers if self.transcript is not None else ()
        transcript, report = services.workflow.retranscribe(self.take_id, model, markers=markers, progress=progress,
                                                            download_progress=download)
        self.post_message(ReportUpdated(self.take_id, report, transcript))

    def on_progress(self, event: Progress) -> None:
        bar = self.query_one("#job-progress", ProgressBar)
        label = self.query_one("#job-label", Label)
        if event.task == "download":
            label.update(f"Downloading model {byte_progress(event.done, event.total)}")
        elif event.task == "transcribe" and event.total:
            label.update(f"Transcribing {mmss(event.done)}/{mmss(event.total)}")
        bar.update(total=event.total or None, progress=event.done)

    # ---- export -------------------------------------------------------------------------
    def action_export(self) -> None:
        items = [("Markdown report (.md)", "md"), ("Everything as JSON (.json)", "json"),
                 ("One-row table (.csv)", "csv"), ("The audio (.flac)", "flac")]

        def chosen(fmt: str | None) -> None:
            if not fmt:
                return

            from tui.exporting import export_folder

            folder = export_folder(self.app.settings)
            suggestion = str(folder / f"{self.take_id}.{fmt}")

            def where(path: str | None) -> None:
                if path and path.strip():
                    self.export(fmt, path.strip())

            # the folder is written out in full: the box shows the end of a long path
            self.app.push_screen(AskScreen(f"Export {fmt.upper()} into {folder}/ as (an existing file is never "
                                           "replaced):", suggestion), where)

        self.app.push_screen(PickScreen("Export this take as", items), chosen)

    @work(thread=True, exclusive=True, group="export", exit_on_error=False)
    def export(self, fmt: str, dest: str) -> None:
        from pathlib import Path

        path = self.app.services.library.export(self.take_id, fmt, Path(dest).expanduser())
        self.app.call_from_thread(self.notify, f"Exported to {path}", title="Export")
