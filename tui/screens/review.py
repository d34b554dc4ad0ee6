"""Review: one take's report with synced playback, boundary editing, re-transcription
and export."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Label, OptionList, TabbedContent, TabPane

from tui.boundary_notes import moved_note, outcome_note
from tui.format import STAR, STAR_LETTER, byte_progress, mmss, pace_band
from tui.messages import Progress, ReportUpdated
from tui.practice_loop import previous_take, same_question
from tui.review_cues import hesitation_cue
from tui.screens.base import RehearseScreen
from tui.screens.dialogs import AskScreen, PickScreen
from tui.star_unsure import unsure_lines
from tui.widgets.footer import KeysFooter
from tui.widgets.job_bar import JobBar
from tui.widgets.player_line import PlayerLine
from tui.widgets.review_panels import legend_text, title_text
from tui.widgets.review_tabs import OverviewPane, PacePane
from tui.widgets.star_bar import StarBar
from tui.widgets.title_bar import TitleBar
from tui.widgets.transcript_view import TranscriptView, build_words

if TYPE_CHECKING:
    from analysis.transcript import Transcript
    from recorder.takes import Take

SEEK_S = 5.0
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
            yield OverviewPane("Overview o", id="overview")
            with TabPane("Transcript w", id="words"):
                yield Label("", id="legend")
                yield TranscriptView(id="transcript")
            yield PacePane("Pace g", band=self._band(), id="pace")
        yield JobBar()
        yield PlayerLine("", id="player-line")
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
        self.query_one(OverviewPane).show(
            report,
            self.previous,
            getattr(self, "_this_summary", None),
            transcript is not None,
            pace_band(report, self.app.settings.analysis),
        )
        self.query_one("#star-bar", StarBar).star = report.get("star") or {}
        unsure = unsure_lines(report.get("star"))
        note = self.query_one("#star-unsure", Label)
        note.update("\n".join(unsure))
        note.display = bool(unsure)
        self.query_one(PacePane).show(report, self._band(), self.position())
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

    def _update_pace_window(self) -> None:
        self.query_one(PacePane).show_window(self.report, self._band(), self.position())

    def on_report_updated(self, event: ReportUpdated) -> None:
        self.query_one(JobBar).finish()
        if self.take is None:  # (a report comes only for a take that is shown)
            return
        view = self.query_one("#transcript", TranscriptView)
        cursor = view.cursor
        self._show(self.take, event.transcript, event.report)
        view.cursor = min(cursor, max(0, len(view.words) - 1))
        pending, self._pending_boundary = self._pending_boundary, None
        said = (
            None
            if pending is None
            else outcome_note(
                event.report, *pending, lambda t: view.words[view.index_at(t)].text.strip() if view.words else ""
            )
        )
        if said is not None:
            text, warning = said
            if warning:
                self.notify(text, severity="warning", timeout=8)
            else:
                self.notify(text, timeout=6)

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
        self.query_one(JobBar).finish()
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
        playing = bool(self.player is not None and self.player.playing)
        self.query_one("#transcript", TranscriptView).follow(self.position(), playing)

    @on(TranscriptView.CursorMoved)
    def _cursor_moved(self, event: TranscriptView.CursorMoved) -> None:
        """The user moved the word cursor: playback moves there too (one position)."""
        view = event.view
        if event.index != view.cursor or not 0 <= event.index < len(view.words):
            return  # a stale message: the cursor has moved on since
        if view.index_at_position(self.position()) == event.index:
            return  # already there (playback moved the cursor)
        t = view.cue(event.index)
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
            self._play_from(view.cue(event.index))

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
        playing = bool(self.player is not None and self.player.playing)
        view = self.query_one("#transcript", TranscriptView)
        word = view.played_text() if playing else None
        self.query_one(PlayerLine).show(
            self.position(), self._duration(), playing, word, self._player_error if self.player is None else None
        )

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
            self._play_from(view.cue(view.cursor))

    def action_next_hesitation(self, step: int = 1) -> None:
        """Play the next (previous) possible hesitation after (before) the current position,
        from 0.3 s before it; the word cursor goes to the word it follows."""
        cue, why_not = hesitation_cue(self.report, self.position(), step)
        if cue is None:
            self.notify(why_not, timeout=2)
            return
        self.action_tab("words")
        view = self.query_one("#transcript", TranscriptView)
        if view.words:  # the word at the cue, so that moving the cursor does not move playback
            view.cursor = view.index_at_position(cue)
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
        takes = same_question(self.app.services.library.list(), self.take.question if self.take is not None else None)
        ids = [t.id for t in takes][-4:]
        if self.take_id not in ids and ids:
            ids = ids[-3:] + [self.take_id]
        if len(ids) < 2:
            self.app.call_from_thread(
                self.notify, "No other take of this question yet: record it again to compare.", severity="warning"
            )
            return
        self.app.call_from_thread(self.app.open_compare, ids)

    # ---- boundary editing ----------------------------------------------------------------
    def action_boundary(self, label: str) -> None:
        if self.transcript is None or not self.transcript.words:
            return
        view = self.query_one("#transcript", TranscriptView)
        if self.query_one("#review-tabs", TabbedContent).active != "words":
            self.action_tab("words")
            self.notify(
                f"Select the first word of the {label.capitalize()} and press {STAR_LETTER[label].lower()} "
                f"(or {STAR.index(label) + 1}) again.",
                timeout=4,
            )
            return
        from recorder.workflow import move_boundary

        word = self.transcript.words[view.cursor]
        sections = (self.report.get("star") or {}).get("sections") or []
        markers, dropped = move_boundary(list(self.transcript.markers), sections, label, word.start)
        self.notify(moved_note(label, word.text, word.start, dropped), timeout=4)
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
                self.query_one(JobBar).start(Text(f"Transcribing with {model}"))
                self.retranscribe(model)

        self.app.push_screen(
            PickScreen("Re-transcribe with which model?", items, empty="No speech model on this machine."), chosen
        )

    @work(thread=True, exclusive=True, group="transcribe", exit_on_error=False)
    def retranscribe(self, model: str) -> None:
        services = self.app.services

        def progress(done: float, total: float) -> None:
            self.post_message(Progress("transcribe", done, total))

        def download(done: int, total: int) -> None:
            self.post_message(Progress("download", done, total))

        markers = self.transcript.markers if self.transcript is not None else ()
        transcript, report = services.workflow.retranscribe(
            self.take_id, model, markers=markers, progress=progress, download_progress=download
        )
        self.post_message(ReportUpdated(self.take_id, report, transcript))

    def on_progress(self, event: Progress) -> None:
        jobbar = self.query_one(JobBar)
        if event.task == "download":
            jobbar.say(f"Downloading model {byte_progress(event.done, event.total)}")
        elif event.task == "transcribe" and event.total:
            jobbar.say(f"Transcribing {mmss(event.done)}/{mmss(event.total)}")
        jobbar.advance(event.done, event.total or None)

    # ---- export -------------------------------------------------------------------------
    def action_export(self) -> None:
        items = [
            ("Markdown report (.md)", "md"),
            ("Everything as JSON (.json)", "json"),
            ("One-row table (.csv)", "csv"),
            ("The audio (.flac)", "flac"),
        ]

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
            self.app.push_screen(
                AskScreen(f"Export {fmt.upper()} into {folder}/ as (an existing file is never replaced):", suggestion),
                where,
            )

        self.app.push_screen(PickScreen("Export this take as", items), chosen)

    @work(thread=True, exclusive=True, group="export", exit_on_error=False)
    def export(self, fmt: str, dest: str) -> None:
        from pathlib import Path

        path = self.app.services.library.export(self.take_id, fmt, Path(dest).expanduser())
        self.app.call_from_thread(self.notify, f"Exported to {path}", title="Export")
