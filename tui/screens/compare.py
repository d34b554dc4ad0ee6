"""Compare: two or more takes of the same question side by side, with the change."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import DataTable, Label, Static

from tui.format import STAR, C, clip, mmss, pace_band, short_date
from tui.screens.base import RehearseScreen
from tui.widgets.footer import KeysFooter
from tui.widgets.star_bar import star_segments_text
from tui.widgets.title_bar import TitleBar


# (label, getter, format, better): better = +1 higher is better, -1 lower is better,
# 0 closer to the target is better (handled by a custom scorer).
def _percent(share: float | None) -> float | None:
    return None if share is None else share * 100


def _sec_share(report: dict, label: str) -> float | None:
    """The label's share of the answer (an opening result hook counts as Result time)."""
    shares = [
        s.get("share") or 0.0 for s in (report.get("star") or {}).get("sections") or [] if s.get("label") == label
    ]
    if shares:
        return sum(shares)
    return 0.0 if report.get("star") else None


METRICS: list[tuple[str, Any, str, int | None]] = (
    [
        ("Length", lambda r: r.get("duration"), "time", 0),
        ("Pace (wpm)", lambda r: (r.get("pace") or {}).get("wpm"), "{:.0f}", 0),
        ("Fillers/min", lambda r: (r.get("fillers") or {}).get("per_minute"), "{:.1f}", -1),
        # the count grows with the length: no ✓/✗ on it (fillers/min is the fair figure)
        ("Fillers", lambda r: (r.get("fillers") or {}).get("count"), "{:.0f}", None),
        ("Pauses/min", lambda r: (r.get("pauses") or {}).get("per_minute"), "{:.1f}", 0),
        ("Long pauses", lambda r: (r.get("pauses") or {}).get("long_count"), "{:.0f}", -1),
    ]
    + [(f"{lbl.capitalize()} %", (lambda r, lbl=lbl: _percent(_sec_share(r, lbl))), "{:.0f}", 0) for lbl in STAR]
    + [
        ("Tips", lambda r: len(r.get("tips") or []), "{:.0f}", -1),
    ]
)


def _fmt(value: Any, fmt: str) -> str:
    if value is None:
        return "–"
    return mmss(value) if fmt == "time" else fmt.format(value)


def _target(name: str, report: dict) -> float | None:
    star = report.get("star") or {}
    targets = star.get("targets") or {}
    for lbl in STAR:
        if name.startswith(lbl.capitalize()):
            t = targets.get(lbl)
            return None if t is None else t * 100
    if name.startswith("Pace"):
        band = pace_band(report)
        return (band[0] + band[1]) / 2
    if name == "Length":
        tgt = ((report.get("content") or {}).get("length") or {}).get("target") or [90, 180]
        return (tgt[0] + tgt[1]) / 2
    return None


def _shown(value: float, fmt: str) -> float:
    """The value as the table shows it (so the change agrees with the columns)."""
    if fmt == "time":
        return float(int(value + 1e-6))
    digits = 1 if ".1f" in fmt else 0
    return round(float(value), digits)


def change_text(name: str, first: Any, last: Any, fmt: str, better: int | None, report: dict) -> Text:
    if first is None or last is None:
        return Text("–", style="dim")
    first, last = _shown(first, fmt), _shown(last, fmt)
    delta = last - first
    if abs(delta) < 1e-9:
        return Text("=", style="dim")
    if better is None:
        improved = None
    elif better == 0:
        target = _target(name, report)
        if target is None or abs(abs(last - target) - abs(first - target)) < 1e-9:
            improved = None
        else:
            improved = abs(last - target) < abs(first - target)
    else:
        improved = (delta > 0) == (better > 0)
    sign = "+" if delta > 0 else "−"
    body = f"{sign}{mmss(abs(delta))}" if fmt == "time" else f"{sign}{fmt.format(abs(delta))}"
    style = "" if improved is None else (f"bold {C.good}" if improved else f"bold {C.bad}")
    arrow = "" if improved is None else (" ✓" if improved else " ✗")
    return Text(body + arrow, style=style)


class CompareScreen(RehearseScreen):
    AUTO_FOCUS = "#compare-table"  # focused on arrival (not just the first focusable widget)
    SUB_TITLE = "Compare"
    BINDINGS = [
        Binding("escape,q", "back", "Back"),
        Binding("enter", "open", "Open the take under the cursor (←/→ choose)", priority=True),
    ]

    def __init__(self, take_ids: list[str]) -> None:
        super().__init__()
        self.take_ids = list(take_ids)
        self.rows: list[tuple[Any, dict]] = []

    def compose(self) -> ComposeResult:
        yield TitleBar()
        yield Label("", id="compare-title")
        with VerticalScroll(id="compare-body"):
            yield Static("", id="compare-bars")
            yield DataTable(id="compare-table", cursor_type="column", zebra_stripes=True)
        yield KeysFooter()

    def on_mount(self) -> None:
        self.load()

    @work(thread=True, exclusive=True, group="library", exit_on_error=False)
    def load(self) -> None:
        lib = self.app.services.library
        rows = []
        for tid in self.take_ids:
            rows.append((lib.get(tid), lib.load_report(tid) or {}))
        self.app.call_from_thread(self._show, rows)

    def _show(self, rows: list[tuple[Any, dict]]) -> None:
        self.rows = rows
        if not rows:
            return
        from tui.practice_loop import question_key

        keys: list[str] = []
        texts: list[str] = []
        for take, _ in rows:
            k = question_key(take.question)
            if k not in keys:
                keys.append(k)
                texts.append(take.question or "(no question)")
        letter = {k: "ABCDEFGH"[i % 8] for i, k in enumerate(keys)}
        title = Text.assemble(("Compare ", "dim"), (f"{len(rows)} takes", "dim"))
        if len(keys) == 1:
            title.append(": ", style="dim")
            title.append(clip(texts[0], 150), style="bold")
        else:
            title.append(f" of {len(keys)} questions:", style="dim")
            for k, text in zip(keys, texts, strict=False):
                title.append(f"\n {letter[k]} ", style="bold reverse")
                title.append(" " + clip(text, 150), style="bold")
        self.query_one("#compare-title", Label).update(title)
        tag = (lambda take: "") if len(keys) == 1 else (lambda take: " " + letter[question_key(take.question)])
        width = max(20, self.size.width - 24)
        bars = Text(no_wrap=True, overflow="crop")
        for take, report in rows:
            bars.append(f"{short_date(take.created) + tag(take):<18}  ", style="dim")
            bars.append_text(star_segments_text((report.get("star") or {}).get("sections") or [], width))
            bars.append("\n")
        self.query_one("#compare-bars", Static).update(bars)
        table = self.query_one("#compare-table", DataTable)
        table.clear(columns=True)
        table.add_column("Metric", key="metric", width=12)
        for i, (take, _) in enumerate(rows):
            table.add_column(short_date(take.created)[5:] + tag(take), key=f"t{i}")
        table.add_column("Change", key="change")
        for name, get, fmt, better in METRICS:
            values = [get(r) for _, r in rows]
            cells: list[Any] = [name] + [_fmt(v, fmt) for v in values]
            cells.append(change_text(name, values[0], values[-1], fmt, better, rows[-1][1]))
            table.add_row(*cells)
        table.focus()

    def on_resize(self) -> None:
        if self.rows:
            self._show(self.rows)

    def action_back(self) -> None:
        self.dismiss()

    def action_open(self) -> None:
        table = self.query_one("#compare-table", DataTable)
        col = table.cursor_column - 1
        if 0 <= col < len(self.rows):
            self.app.open_review(self.rows[col][0].id)
