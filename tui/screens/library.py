"""Library: every take, newest first; filter, sort, open, compare, delete/restore,
re-score all, and trends over time."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.coordinate import Coordinate
from textual.widgets import DataTable, Input, Label

from tui.format import C, clip, mmss, num, pace_band, share_band, short_date, table_date
from tui.messages import LibraryChanged, Progress
from tui.practice_loop import distinct_clip, question_key, same_question  # noqa: F401
from tui.screens.base import RehearseScreen
from tui.screens.dialogs import ConfirmScreen, PickScreen
from tui.take_list import SORTS, list_status, visible_takes
from tui.widgets.footer import KeysFooter
from tui.widgets.job_bar import JobBar
from tui.widgets.star_bar import mini_star_text
from tui.widgets.title_bar import TitleBar
from tui.widgets.trends import TrendsPanel, take_shares

if TYPE_CHECKING:  # pragma: no cover
    from recorder.takes import TakeSummary


class LibraryScreen(RehearseScreen):
    AUTO_FOCUS = "#takes"  # focused on arrival (not just the first focusable widget)
    SUB_TITLE = "Library"
    BINDINGS = [
        Binding("enter", "open", "Open", priority=True),
        Binding("n", "again", "Record again"),
        Binding("slash", "filter", "Filter"),
        Binding("o", "sort", "Sort"),
        Binding("space", "mark", "Mark", show=False),
        Binding("c", "compare", "Compare"),
        Binding("d,delete", "delete", "Delete"),
        Binding("u", "restore", "Restore", show=False),
        Binding("R", "rescore_all", "Re-score all", show=False),
        Binding("t", "trends", "Trends", show=False, tooltip="Trends of all questions, this question, or none"),
        Binding("q", "app.quit", "Quit", show=False),
        Binding("N", "new", "New question", show=False),
        Binding("i", "import_audio", "Import audio", show=False),
        # priority: the table's own Home/End only scroll sideways
        Binding("home", "row(0)", "", show=False, priority=True),  # (no hint: as in any list)
        Binding("end", "row(-1)", "", show=False, priority=True),
        Binding("escape", "leave_filter", "Leave the filter", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.takes: list[TakeSummary] = []
        self.marked: set[str] = set()
        self.sort_index = 0
        self.first_load = True
        self.loaded = False  # the first list of takes has arrived
        self.built = False  # widgets mounted (on the first resume)
        self.highlight_id: str | None = None  # the newest take that arrived since the last list
        self._jump_to: str | None = None  # a take to put the cursor on at the next fill
        self._listed_once = False

    def compose(self) -> ComposeResult:
        # The widgets are mounted on the screen's first ScreenResume instead (_build):
        # Textual restyles every widget already on a screen when it resumes, which for the
        # start screen is a second full styling pass before the first frame.
        return []

    def _widgets(self) -> ComposeResult:
        yield TitleBar()
        yield Input(placeholder="/ filter: question, competency or date (e.g. conflict, 2026-11)", id="filter")
        yield Label("Loading takes…", id="library-status")
        yield DataTable(id="takes", cursor_type="row", zebra_stripes=True)
        yield Label("", id="take-detail")
        # Filled after the first frame (see _after_first_frame): fewer widgets to style
        # before the user sees anything.
        yield JobBar("Re-scoring", build=False)
        yield TrendsPanel(id="trends")
        yield KeysFooter()

    async def _after_first_frame(self) -> None:
        await self.query_one(JobBar).build()
        await self.query_one(TrendsPanel).add_charts(*self._bands())
        self.load()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "open":
            # Enter in the filter box submits the filter; elsewhere it opens the take.
            return not isinstance(self.focused, Input)
        if action == "leave_filter":
            return isinstance(self.focused, Input)
        if action == "row":
            return isinstance(self.focused, DataTable)
        return True

    async def _build(self) -> None:
        self.built = True
        await self.mount_all(list(self._widgets()))
        table = self.query_one("#takes", DataTable)
        table.add_column("Date", key="date", width=12)
        # Sized to the terminal now, so the first frame has its final layout (no jump).
        table.add_column("Question", key="question", width=self._question_width(self.app.size.width))
        table.add_column("Len", key="length", width=5)
        table.add_column("wpm", key="wpm", width=4)
        table.add_column("fill/m", key="fillers", width=6)
        table.add_column("STAR", key="star", width=10)
        table.focus()
        # After the first frame: on a busy machine the loader thread would otherwise
        # compete with the first paint for the interpreter.
        self.app.after_first_frame(self, self._after_first_frame)

    @staticmethod
    def _question_width(table_width: int) -> int:
        fixed = 12 + 5 + 4 + 6 + 10 + 2 * 6 + 2  # other columns, cell padding, scrollbar
        return max(12, table_width - fixed)

    def on_resize(self) -> None:
        if not self.built:
            return
        table = self.query_one("#takes", DataTable)
        col = table.columns.get("question")  # type: ignore[call-overload]
        width = self._question_width(table.size.width or self.app.size.width)
        if col is None or (col.width == width and not col.auto_width):
            return
        col.auto_width = False
        col.width = width
        table.refresh()
        if self.loaded:
            self._fill_rows()

    # ---- data -------------------------------------------------------------------------
    @work(thread=True, exclusive=True, group="library-load", exit_on_error=False)
    def load(self) -> None:
        app = self.app
        lib = app.services.library
        notes: list[str] = []
        takes: list[TakeSummary] = []
        try:  # whatever goes wrong, the screen leaves "Loading takes…" and says why
            if self.first_load:
                self.first_load = False
                if app.recover:
                    try:
                        recovered = lib.recover_unfinished()
                    except Exception as exc:  # noqa: BLE001 - recovery never blocks the library
                        recovered = []
                        notes.append(f"Could not check for unfinished recordings: {exc}")
                    if recovered:
                        notes.append(
                            f"Recovered {len(recovered)} unfinished recording(s) from an interrupted session: "
                            "tagged “recovered” in the list; open one and press m to transcribe it."
                        )
                if app.ensure_sample:
                    try:
                        app.services.workflow.install_sample()
                    except Exception as exc:  # noqa: BLE001
                        notes.append(f"Could not add the example take: {exc}")
            takes = lib.list()
        except Exception as exc:  # noqa: BLE001
            notes.append(f"Could not read the take library: {exc}")
        notes.extend(lib.warnings)
        app.call_from_thread(self._loaded, takes, notes)

    def _loaded(self, takes: list[TakeSummary], notes: list[str]) -> None:
        before = {t.id for t in self.takes}
        self.loaded = True
        self.takes = list(takes)
        arrived = [t for t in self.takes if t.id not in before]
        if arrived and self._listed_once:
            # new takes (just recorded, imported, restored): the newest is highlighted
            self.highlight_id = self._jump_to = max(arrived, key=lambda t: str(t.created)).id
        self._listed_once = True
        for note in notes:
            self.notify(note, severity="warning", timeout=8)
        self._fill_rows()
        self._update_trends()

    def on_library_changed(self, event: LibraryChanged) -> None:
        if event.note:
            self.notify(event.note)
        self.load()

    async def on_screen_resume(self) -> None:
        if not self.built:
            await self._build()
            return
        if not self.first_load:
            self.load()  # a take may have been recorded, re-scored or edited meanwhile

    def _visible(self) -> list[Any]:
        return visible_takes(self.takes, self.query_one("#filter", Input).value, self.sort_index)

    def _fill_rows(self) -> None:
        table = self.query_one("#takes", DataTable)
        current = None
        if table.row_count and table.cursor_row is not None:
            try:
                current = table.coordinate_to_cell_key(Coordinate(table.cursor_row, 0)).row_key.value
            except Exception:
                current = None
        table.clear()
        qwidth = table.columns["question"].width if "question" in table.columns else 30  # type: ignore[operator]
        visible = self._visible()
        questions = {t.question or "" for t in self.takes}
        for t in visible:
            cell = Text()
            if t.id in self.marked:
                cell.append("● ")
            if t.recovered:
                cell.append("recovered ", style=f"bold {C.warn}")
            if t.id == self.highlight_id:
                cell.append("new ", style=f"bold {C.good}")
            room = max(8, qwidth - len(cell))
            cell.append(distinct_clip(t.question or "(no question)", questions, room))
            table.add_row(
                table_date(t.created),
                cell,
                mmss(t.duration),
                num(t.wpm),
                num(t.fillers_per_minute, 1),
                mini_star_text(take_shares(t), 10) if t.has_report else Text("not scored", style="dim"),
                key=t.id,
            )
        ids = [t.id for t in visible]
        if self._jump_to in ids:
            table.move_cursor(row=ids.index(self._jump_to))
            self._jump_to = None
        elif current is not None and current in ids:
            table.move_cursor(row=ids.index(current))
        status = list_status(
            len(visible),
            len(self.takes),
            self.sort_index,
            len(self.marked),
            self.loaded,
            self.query_one("#filter", Input).value,
        )
        self.query_one("#library-status", Label).update(Text(status))  # the filter text as typed

    def restyle(self) -> None:
        """The theme changed: rebuild the coloured rows."""
        if self.loaded:
            self._fill_rows()

    def _bands(self) -> tuple[tuple[float, float], tuple[float, float]]:
        """The good pace band (wpm) and the Action's share band (%), from the settings."""
        analysis = self.app.settings.analysis  # type: ignore[attr-defined]
        lo, hi = pace_band(None, analysis)
        return (float(lo), float(hi)), share_band("action", analysis)

    def _update_trends(self) -> None:
        self.query_one(TrendsPanel).show(self.takes, self._current(), *self._bands())

    # ---- actions ----------------------------------------------------------------------
    def _current_id(self) -> str | None:
        table = self.query_one("#takes", DataTable)
        if not table.row_count:
            return None
        return table.coordinate_to_cell_key(Coordinate(table.cursor_row, 0)).row_key.value

    def _current(self) -> Any | None:
        tid = self._current_id()
        return next((t for t in self.takes if t.id == tid), None)

    @on(DataTable.RowSelected, "#takes")
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        self.action_open()

    @on(DataTable.RowHighlighted, "#takes")
    def _row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        trends = self.query_one(TrendsPanel)
        if trends.scope == "question" and trends.charted:
            self._update_trends()
        t = next((t for t in self.takes if t.id == event.row_key.value), None)
        detail = Text()
        if t is not None:
            detail.append(t.question or "(no question)", style="bold")
            extras = [
                x
                for x in (
                    t.competency,
                    "example take" if t.sample else None,
                    "recovered" if t.recovered else None,
                    None if t.has_report else "not scored yet",
                )
                if x
            ]
            if extras:
                detail.append("  · " + " · ".join(extras), style="dim")
        self.query_one("#take-detail", Label).update(detail)

    @on(Input.Changed, "#filter")
    def _filter_changed(self) -> None:
        self._fill_rows()

    @on(Input.Submitted, "#filter")
    def _filter_done(self) -> None:
        self.query_one("#takes", DataTable).focus()

    def action_leave_filter(self) -> None:
        self.query_one("#takes", DataTable).focus()

    def action_row(self, index: int) -> None:
        table = self.query_one("#takes", DataTable)
        if table.row_count:
            table.move_cursor(row=index % table.row_count)

    def action_again(self) -> None:
        """Record the highlighted take's question again."""
        cur = self._current()
        if cur is None:
            self.action_new()
            return
        self.app.practise_again(cur.id)

    def action_open(self) -> None:
        tid = self._current_id()
        if tid is None:
            self.notify("No take selected.", severity="warning")
            return
        self.app.open_review(tid)

    def action_new(self) -> None:
        self.app.switch_mode("practise")

    def action_filter(self) -> None:
        self.query_one("#filter", Input).focus()

    def action_sort(self) -> None:
        self.sort_index = (self.sort_index + 1) % len(SORTS)
        self._fill_rows()
        self.notify(f"Sorted {SORTS[self.sort_index][1]}", timeout=2)

    def on_data_table_header_selected(self, event: DataTable.HeaderSelected) -> None:
        keys = [k for k, _ in SORTS]
        if event.column_key.value in keys:
            self.sort_index = keys.index(event.column_key.value)
            self._fill_rows()

    def action_mark(self) -> None:
        tid = self._current_id()
        if tid is None:
            return
        self.marked ^= {tid}
        self._fill_rows()

    def action_trends(self) -> None:
        """t: all questions -> the highlighted take's question -> hidden -> all."""
        self.query_one(TrendsPanel).cycle()
        self._update_trends()

    def action_compare(self) -> None:
        ids = [t.id for t in self.takes if t.id in self.marked]
        if len(ids) < 2:
            cur = self._current()
            if cur is None:
                return
            ids = [t.id for t in same_question(self.takes, cur.question)][-4:]
            if len(ids) < 2:
                self.notify(
                    "Compare needs two takes of the same question: record it again, or mark takes "
                    "with space and press c.",
                    severity="warning",
                )
                return
        self.app.open_compare(sorted(ids, key=lambda i: str(next(t.created for t in self.takes if t.id == i))))

    def action_import_audio(self) -> None:
        """i: add an audio file (WAV, FLAC, MP3, …) as a take, transcribed and scored."""
        from tui.exporting import export_folder
        from tui.screens.dialogs import AskScreen

        def question(path: str | None) -> None:
            if path and path.strip():

                def go(q: str | None) -> None:
                    if q is not None:
                        self.notify("Importing and transcribing…", timeout=3)
                        self.import_audio(path.strip(), q.strip() or None)

                self.app.push_screen(AskScreen("The question this recording answers (may be empty):", ""), go)

        start = str(export_folder(self.app.settings)) + "/"
        self.app.push_screen(AskScreen("Import which audio file (WAV, FLAC, MP3, M4A, …)?", start), question)

    @work(thread=True, exclusive=True, group="import", exit_on_error=False)
    def import_audio(self, path: str, question: str | None) -> None:
        """The same steps as a recording that stops: store, transcribe, score."""
        from analysis.errors import RehearseError
        from recorder.workflow import TranscriptionFailed

        workflow = self.app.services.workflow
        take = workflow.import_file(path, question, None)

        def progress(done: float, total: float) -> None:
            self.post_message(Progress("rescore", done, total))

        try:
            transcript, _ = workflow.transcribe_and_score(take.id, progress=progress)
        except TranscriptionFailed as exc:
            self.post_message(Progress("rescore", 1, 1, "done"))
            self.post_message(LibraryChanged())
            raise RehearseError(
                f"imported as take {take.id}, but it could not be transcribed: {exc.cause} "
                "— open it and press m to try again"
            ) from exc.cause
        self.post_message(Progress("rescore", 1, 1, "done"))
        self.post_message(
            LibraryChanged(
                f"Imported {path} as a take ({mmss(take.duration)})"
                + ("" if transcript.words else "; no speech found in it")
                + "."
            )
        )

    def action_delete(self) -> None:
        cur = self._current()
        if cur is None:
            return

        def done(yes: bool | None) -> None:
            if yes:
                self.delete_take(cur.id)

        self.app.push_screen(
            ConfirmScreen(
                f"Delete this take?\n“{clip(cur.question, 60)}” ({short_date(cur.created)})\n"
                "It goes to the trash: u restores it.",
                yes="Delete",
                no="Keep",
            ),
            done,
        )

    @work(thread=True, group="library", exit_on_error=False)
    def delete_take(self, take_id: str) -> None:
        self.app.services.library.delete(take_id)
        self.marked.discard(take_id)
        self.post_message(LibraryChanged("Take moved to the trash (u restores it)."))

    def action_restore(self) -> None:
        lib = self.app.services.library
        items = []
        for t in lib.trash():
            items.append((f"{short_date(t.created)}  {clip(t.question or '', 50)}", t.id))

        def done(take_id: str | None) -> None:
            if take_id:
                self.restore_take(take_id)

        self.app.push_screen(PickScreen("Restore a deleted take", items, empty="The trash is empty."), done)

    @work(thread=True, group="library", exit_on_error=False)
    def restore_take(self, take_id: str) -> None:
        self.app.services.library.restore(take_id)
        self.post_message(LibraryChanged("Take restored."))

    async def action_rescore_all(self) -> None:
        jobbar = self.query_one(JobBar)
        await jobbar.build()
        jobbar.start()
        self.rescore_all()

    @work(thread=True, exclusive=True, group="rescore", exit_on_error=False)
    def rescore_all(self) -> None:
        app = self.app

        def progress(done: int, total: int, *_: object) -> None:
            self.post_message(Progress("rescore", done, total))

        done, problems, _ = app.services.workflow.rescore_all(progress=progress)
        self.post_message(Progress("rescore", 1, 1, "done"))
        for problem in problems[:3]:
            app.call_from_thread(self.notify, problem, severity="warning", timeout=8)
        more = f" ({len(problems)} could not be re-scored)" if problems else ""
        self.post_message(LibraryChanged(f"Re-scored {len(done)} takes with the current settings{more}."))

    def on_progress(self, event: Progress) -> None:
        if event.task != "rescore":
            return
        jobbar = self.query_one(JobBar)
        jobbar.advance(event.done, event.total)
        if event.note == "done":
            jobbar.finish()

    def job_failed(self, group: str, error: BaseException | None) -> None:
        if group == "rescore":
            self.query_one(JobBar).finish()
