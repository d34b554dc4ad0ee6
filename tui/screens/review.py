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
    DataTable,
    Label,
    OptionList,
    ProgressBar,
    Static,
    TabbedContent,
    TabPane,
)
from textual.widgets.option_list import Option

from tui.app import RehearseScreen
from tui.format import (C, DEFAULT_TARGETS, STAR, STAR_COLOUR, STAR_LETTER, byte_progress, clip, mmss,
                        num, pct, short_date, table_date)
from tui.messages import Progress, ReportUpdated
from tui.practice_loop import figures, focus_next, previous_take, same_question
from tui.screens.dialogs import AskScreen, PickScreen
from tui.widgets.charts import BarChart
from tui.widgets.footer import KeysFooter
from tui.widgets.title_bar import TitleBar
from tui.star_unsure import unsure_lines
from tui.widgets.star_bar import StarBar
from tui.widgets.transcript_view import TranscriptView, TWord

if TYPE_CHECKING:
    from analysis.transcript import Transcript
    from recorder.takes import Take

SEEK_S = 5.0
_EPS = 0.02


class _Lines:
    """Label-value lines that wrap in a narrow panel: "Label value…" (label bold)."""

    def __init__(self) -> None:
        self.text = Text()

    def add_row(self, label: str, value: Any) -> None:
        if self.text:
            self.text.append("\n")
        if label:
            self.text.append(label + " ", style="bold")
        else:
            self.text.append("  ")
        self.text.append_text(value if isinstance(value, Text) else Text(str(value)))

    def __rich__(self) -> Text:
        return self.text


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
                yield Static("", id="focus-next")
                with Horizontal(id="overview-row"):
                    with VerticalScroll(id="overview-left"):
                        yield OptionList(id="tips")
                        yield DataTable(id="sections", cursor_type="row", show_cursor=False)
                    with VerticalScroll(id="metrics-box"):
                        yield Static(id="metrics")
            with TabPane("Transcript w", id="words"):
                yield Label("", id="legend")
                yield TranscriptView(id="transcript")
            with TabPane("Pace g", id="pace"):
                with VerticalScroll():
                    yield BarChart("Pace of the answer:", band=(120, 165), auto_floor=True, unit=" wpm",
                                   id="pace-chart")
                    yield Label("", id="pace-window")
                    yield Static(id="pauses")
        with Horizontal(id="jobbar", classes="hidden"):
            yield Label("", id="job-label")
            yield ProgressBar(id="job-progress", show_eta=False)
        yield Label("", id="player-line")
        yield KeysFooter()

    def on_mount(self) -> None:
        table = self.query_one("#sections", DataTable)
        for label, key, w in (("Section", "s", 11), ("Time", "t", 4), ("Share", "p", 7), ("Target", "g", 6),
                              ("wpm", "w", 3), ("Fillers", "f", 7)):
            table.add_column(label, key=key, width=w)
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
        q = take.question or "(no question)"
        dur = report.get("duration", take.duration)
        model = report.get("model") or take.model
        facts = [short_date(take.created), mmss(dur), f"{report.get('words', 0)} words"]
        if model:
            facts.append(f"model {model}")
        if take.sample:
            facts.append("example take")
        if take.recovered:
            facts.append("recovered after a crash")
        self.query_one("#review-title", Label).update(
            Text.assemble((clip(q, 200), "bold"), "\n", (" · ".join(facts), "dim"))
        )
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
        legend = Text()
        for k in STAR:
            legend.append(f"■ {k.capitalize()}  ", style=STAR_COLOUR[k])
        legend.append("filler", style=C.filler_style)
        legend.append("  ⏸ pause  …? hesitation", style="dim")
        self.query_one("#legend", Label).update(legend)
        if transcript is not None and transcript.extra.get("no_speech"):
            self.notify("No speech detected in this take.", severity="warning")
        self._update_player_line()

    def restyle(self) -> None:
        """The theme changed: rebuild the coloured text."""
        if self.take is not None:
            self._show(self.take, self.transcript, self.report)

    def _fill_sections(self) -> None:
        star = self.report.get("star") or {}
        targets = star.get("targets") or DEFAULT_TARGETS
        table = self.query_one("#sections", DataTable)
        table.clear()
        by_label = {s["label"]: s for s in star.get("sections") or []}
        if not self.report:
            return
        for k in STAR:
            s = by_label.get(k)
            name = Text(f"■ {k.capitalize()}", style=STAR_COLOUR[k])
            if s is None:
                table.add_row(name, "–", Text("missing", style=f"bold {C.bad}"), pct(targets.get(k)), "–", "–", key=k)
                continue
            share = s.get("share")
            tgt = targets.get(k)
            share_txt = Text(pct(share))
            if share is not None and tgt is not None:  # a mark, not colour alone
                off = abs(share - tgt) > 0.10
                share_txt.append(" ✗" if off else " ✓")
                if off:
                    share_txt.stylize(f"bold {C.warn}")
            table.add_row(name, mmss(s.get("seconds")), share_txt, pct(tgt), num(s.get("wpm")),
                          str(s.get("fillers", "–")), key=k)

    def _fill_focus(self) -> None:
        """The first thing to read: what to work on next, and how this take compares
        with the previous take of the same question."""
        tips = self.report.get("tips") or []
        out = Text()
        advice = focus_next(tips)
        if advice:
            out.append("Focus next: ", style="bold")
            out.append(advice)
        elif self.report:
            out.append("Focus next: ", style="bold")
            out.append("keep this shape, and practise telling it from memory.")
        prev = self.previous
        this = getattr(self, "_this_summary", None)
        if prev is not None and this is not None:
            out.append("\n")
            out.append(f"Last take ({table_date(prev.created)}): ", style="dim")
            out.append(figures(prev), style="dim")
            out.append("  →  this: ", style="dim")
            out.append(figures(this))
        self.query_one("#focus-next", Static).update(out)

    def _fill_tips(self) -> None:
        tips = self.report.get("tips") or []
        ol = self.query_one("#tips", OptionList)
        ol.clear_options()
        if not self.report:
            why = ("This take has no transcript yet (the transcription failed or was interrupted)."
                   if self.transcript is None else "Nothing was said in this take, so there is nothing to analyse.")
            ol.add_option(Option(Text.assemble((why, f"bold {C.warn}"), "\nPress m to transcribe it (again)."),
                                 disabled=True))
        elif not tips:
            ol.add_option(Option(Text("No tips: this answer hits every check.", style="dim"), disabled=True))
        for i, tip in enumerate(tips):
            at = tip.get("at")
            prompt = Text(f"{i + 1}. ", style="bold")
            prompt.append(tip.get("text", ""))
            if at is not None:
                prompt.append(f"  ▶ {mmss(at)}", style="dim")
            ol.add_option(Option(prompt, id=f"tip{i}"))

    def _fill_metrics(self) -> None:
        """The details the CLI report has, with plain labels: length, pace, fillers and
        where they are, repeats, pauses, hesitations, the Result's figures, I/we,
        signposts, hedges and repeated words."""
        r = self.report
        if not r:
            self.query_one("#metrics", Static).update(Text("Not analysed yet.", style="dim italic"))
            return
        pace = r.get("pace") or {}
        fil = r.get("fillers") or {}
        pau = r.get("pauses") or {}
        content = r.get("content") or {}
        length = content.get("length") or {}
        hes = r.get("hesitations") or {}
        good, warn = C.good, C.warn
        t = _Lines()

        def verdict(word: str, ok: bool) -> Text:
            return Text(("✓ " if ok else "✗ ") + word, style=good if ok else warn)

        target = length.get("target") or [90, 180]
        lv = length.get("verdict", "")
        row = Text(mmss(r.get("duration")) + " ")
        if lv:
            row.append_text(verdict(lv, lv == "good"))
        row.append(f" (aim {mmss(target[0])}–{mmss(target[1])})", style="dim")
        spoken = length.get("seconds")
        if spoken is not None and mmss(spoken) != mmss(r.get("duration")):
            row.append(f", {mmss(spoken)} of it speaking", style="dim")
        t.add_row("Length", row)
        band = pace.get("band") or [120, 165]
        pv = pace.get("verdict", "")
        row = Text(f"{num(pace.get('wpm'))} wpm ")
        if pv:
            row.append_text(verdict(pv, pv == "good"))
        row.append(f" (aim {band[0]}–{band[1]})", style="dim")
        t.add_row("Pace", row)
        items = fil.get("items") or []
        said = [i for i in items if i.get("kind") != "repetition"]
        repeats = [i for i in items if i.get("kind") == "repetition"]
        t.add_row("Fillers", f"{fil.get('count', 0)} · {num(fil.get('per_minute'), 1)} a minute")
        by_word: dict[str, list[float]] = {}
        for i in said:
            by_word.setdefault(str(i.get("text", "?")), []).append(float(i.get("start", 0)))
        for word, starts in sorted(by_word.items(), key=lambda kv: -len(kv[1])):
            t.add_row("", Text.assemble((f"“{word}” ×{len(starts)}", C.filler_style.replace(" underline", "")),
                                        (" at " + ", ".join(mmss(x) for x in starts[:6]), "dim")))
        if repeats:
            t.add_row("Restarts", Text(", ".join(f"“{i.get('text')}…” {mmss(i.get('start'))}" for i in repeats[:6])))
        longest = max(pau.get("items") or [{}], key=lambda p: float(p.get("seconds", 0) or 0))
        pause_txt = f"{pau.get('count', len(pau.get('items') or []))}"
        if pau.get("count"):
            pause_txt += f" · longest {num(pau.get('longest'), 1)} s at {mmss(longest.get('start'))}"
            pause_txt += f" · {pau.get('long_count', 0)} long"
        t.add_row("Pauses", pause_txt)
        t.add_row("Hesitations", Text.assemble(str(hes.get("count", 0)), (" (audio hints, not fillers)", "dim")))
        missing = (r.get("star") or {}).get("missing") or []
        if "result" in missing:
            t.add_row("Result", Text("✗ missing", style=warn))
        elif "result_quantified" in content:
            nums = content.get("result_numbers") or []
            t.add_row("Result", verdict("has figures: " + ", ".join(f"“{n}”" for n in nums[:4])
                                        if content.get("result_quantified") else "no figure", bool(content.get("result_quantified"))))
        own = content.get("ownership") or {}
        if own:
            scope = "Action" if own.get("scope", "action") == "action" else "answer"
            t.add_row("I vs we", f"“I” {own.get('i', 0)}, “we” {own.get('we', 0)} in the {scope}")
        sp = content.get("signposts") or []
        t.add_row("Signposts", " · ".join(f"{s.get('text')} {mmss(s.get('start'))}" for s in sp[:8]) if sp
                  else Text("none (“first”, “then”, “in the end”)", style=warn))
        if "hedges" in content:
            t.add_row("Hedges", str(content.get("hedges", 0)))
        rep = content.get("repeated_words") or []
        if rep:
            t.add_row("Said often", ", ".join(f"{w} ×{n}" for w, n in rep[:5]))
        self.query_one("#metrics", Static).update(t.text)

    def _fill_pace(self) -> None:
        pace = self.report.get("pace") or {}
        timeline = pace.get("timeline") or []
        chart = self.query_one("#pace-chart", BarChart)
        band = pace.get("band")
        if band:
            chart.band = (float(band[0]), float(band[1]))
        chart.headline = pace.get("wpm")  # the answer's pace, as in the Overview
        chart.update_chart([p.get("wpm", 0.0) for p in timeline],
                           ("0:00", mmss(self.report.get("duration"))))
        self._update_pace_window()
        pau = self.report.get("pauses") or {}
        hes = (self.report.get("hesitations") or {}).get("items") or []
        text = Text()
        long_items = [p for p in pau.get("items") or [] if p.get("long")]
        text.append(f"Pauses: {pau.get('count', 0)} ({num(pau.get('per_minute'), 1)}/min), "
                    f"{pau.get('long_count', len(long_items))} long\n", style="bold")
        for p in (long_items or pau.get("items") or [])[:6]:
            text.append(f"  ⏸ {mmss(p['start'])}  {num(p.get('seconds', p['end'] - p['start']), 1)} s\n")
        text.append(f"Possible hesitations (audio hints, not counted as fillers): {len(hes)}\n", style="bold")
        for h in hes[:6]:
            text.append(f"  …? {mmss(h['start'])}  {num(h['end'] - h['start'], 1)} s\n")
        self.query_one("#pauses", Static).update(text)

    def _update_pace_window(self) -> None:
        """The pace of the window under the current position (separate from the headline)."""
        timeline = (self.report.get("pace") or {}).get("timeline") or []
        if not timeline:
            self.query_one("#pace-window", Label).update("")
            return
        pos = self.position()
        win = next((w for w in timeline if w["start"] <= pos < w["end"]),
                   timeline[0] if pos < timeline[0]["start"] else timeline[-1])
        band = (self.report.get("pace") or {}).get("band") or [120, 165]
        ok = band[0] <= win.get("wpm", 0) <= band[1]
        self.query_one("#pace-window", Label).update(Text.assemble(
            (f"At {mmss(pos)} (the window {mmss(win['start'])}–{mmss(win['end'])}): ", "dim"),
            (f"{num(win.get('wpm'))} wpm", "bold"),
            (" ✓" if ok else " ✗ outside the band", C.good if ok else C.warn),
            ("   ←/→ move", "dim")))

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
