"""Text charts: a multi-row bar chart with an optional "good" band, used for pace over
time (Review) and for trends across takes (Library). Trends stand on a time axis: each
take's bar is placed by when it was recorded, and the axis is labelled with the dates."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

from tui.format import C

_EIGHTHS = " ▁▂▃▄▅▆▇█"


def _resample(values: Sequence[float], n: int) -> list[float]:
    """Fit ``values`` into ``n`` columns (mean of the values per column, or repeat)."""
    if not values or n <= 0:
        return []
    if len(values) <= n:
        out: list[float] = []
        per = n / len(values)
        for i in range(n):
            out.append(values[min(len(values) - 1, int(i / per))])
        return out
    out = []
    for i in range(n):
        a = int(i * len(values) / n)
        b = max(a + 1, int((i + 1) * len(values) / n))
        chunk = values[a:b]
        out.append(sum(chunk) / len(chunk))
    return out


def _time_cells(values: Sequence[float], times: Sequence[float], n_cols: int, bar: int) -> list[float | None]:
    """``values`` on a time axis of ``n_cols`` columns (None = no take there): each value
    ``bar`` columns wide at the column its time falls on, nudged aside just enough that
    takes close in time stay apart (three takes of one morning are three bars side by
    side, a week later is far to the right). More takes than columns: the mean per column."""
    cells: list[float | None] = [None] * n_cols
    n = len(values)
    if not n or n_cols <= 0:
        return cells
    t0, t1 = min(times), max(times)
    span = t1 - t0
    if n > n_cols:
        sums = [0.0] * n_cols
        counts = [0] * n_cols
        for i, (v, t) in enumerate(zip(values, times, strict=False)):
            c = int((t - t0) / span * (n_cols - 1)) if span > 0 else int(i * n_cols / n)
            sums[c] += v
            counts[c] += 1
        return [sums[c] / counts[c] if counts[c] else None for c in range(n_cols)]
    bar = max(1, bar if n * bar <= n_cols else 1)
    last = n_cols - bar
    order = sorted(range(n), key=lambda i: times[i])
    starts = [round((times[i] - t0) / span * last) if span > 0 else k * bar for k, i in enumerate(order)]
    for k in range(1, n):  # apart, left to right
        starts[k] = max(starts[k], starts[k - 1] + bar)
    starts[-1] = min(starts[-1], last)
    for k in range(n - 2, -1, -1):  # back inside the axis, right to left
        starts[k] = min(starts[k], starts[k + 1] - bar)
    for k, i in enumerate(order):
        for c in range(starts[k], starts[k] + bar):
            cells[c] = float(values[i])
    return cells


def time_labels(first: datetime, last: datetime, room: int) -> tuple[str, str]:
    """The axis's start and end: "20 Nov" … "27 Nov"; within one day "20 Nov 09:30" …
    "16:45"; across years "20 Nov 2025" … "3 Jan 2026" (months only when that is too long)."""

    def day(d: datetime) -> str:
        return f"{d.day} {d:%b}"

    if first.date() == last.date():
        left = f"{day(first)} {first:%H:%M}"
        right = f"{last:%H:%M}" if (last - first).total_seconds() >= 60 else ""
    elif first.year == last.year:
        left, right = day(first), day(last)
    else:
        left, right = f"{day(first)} {first.year}", f"{day(last)} {last.year}"
        if len(left) + len(right) + 1 > room:
            left, right = f"{first:%b} {first.year}", f"{last:%b} {last.year}"
    if len(left) + len(right) + 1 > room:
        right = ""
    return left, right


class BarChart(Widget):
    """Bars of ``values`` over ``rows`` text rows. Values outside ``band`` are drawn in the
    warning colour; the band is written in the title. ``labels`` = (left, right) axis text.
    With ``times`` (one datetime per value) the bars stand on a time axis labelled with the
    first and last dates. A value above a fixed ``top`` is drawn full with a ``↑`` on top."""

    DEFAULT_CSS = """
    BarChart { height: 6; }
    """

    values: reactive[tuple[float, ...]] = reactive((), layout=True)

    def __init__(
        self,
        title: str = "",
        values: Sequence[float] = (),
        *,
        band: tuple[float, float] | None = None,
        unit: str = "",
        labels: tuple[str, str] = ("", ""),
        fmt: str = "{:.0f}",
        higher_is_worse: bool = False,
        max_bar_width: int | None = None,
        auto_floor: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.title = title
        self.band = band
        self.unit = unit
        self.labels = labels
        self.fmt = fmt
        self.higher_is_worse = higher_is_worse
        self.max_bar_width = max_bar_width
        self.auto_floor = auto_floor
        self.headline: float | None = None  # the figure in the title (default: the last value)
        self.top: float | None = None  # a fixed top of the scale; higher values are clipped
        self.times: tuple[datetime, ...] | None = None  # when each value was taken (a time axis)
        self.set_reactive(BarChart.values, tuple(values))

    def update_chart(
        self, values: Sequence[float], labels: tuple[str, str] | None = None, times: Sequence[datetime] | None = None
    ) -> None:
        if labels is not None:
            self.labels = labels
        self.times = tuple(times) if times is not None and len(times) == len(values) else None
        self.values = tuple(float(v) for v in values)
        self.refresh()

    def _colour(self, v: float) -> str:
        if self.band is not None:
            lo, hi = self.band
            return C.good if lo <= v <= hi else C.warn
        return C.info

    def render(self) -> Text:
        width = max(10, self.size.width)
        rows = max(1, self.size.height - 2)
        vals = list(self.values)
        head = Text(no_wrap=True, overflow="crop")
        head.append(self.title, style="bold")
        shown = self.headline if self.headline is not None else (vals[-1] if vals else None)
        if shown is not None:
            head.append(f" {self.fmt.format(shown)}{self.unit}", style="")
            if self.band is not None:
                lo, hi = self.band
                ok = lo <= shown <= hi
                head.append(" ✓" if ok else " ✗", style=C.good if ok else C.warn)
        extra = ""
        if self.band is not None:
            extra = f"  good {self.fmt.format(self.band[0])}–{self.fmt.format(self.band[1])}"
        if len(head) + len(extra) <= width:
            head.append(extra, style="dim")
        head.truncate(width)
        if not vals:
            head.append("\n")
            head.append("no data yet", style="dim italic")
            return head
        axis_w = 5
        n_cols = width - axis_w
        cols: list[float | None]
        left, right = self.labels
        if self.times:
            stamps = [t.timestamp() for t in self.times]
            cols = _time_cells(vals, stamps, n_cols, self.max_bar_width or 1)
            left, right = time_labels(min(self.times), max(self.times), n_cols)
        else:
            if self.max_bar_width and len(vals) * self.max_bar_width < n_cols:
                n_cols = len(vals) * self.max_bar_width
            cols = list(_resample(vals, n_cols))
        shown_vals = [v for v in cols if v is not None]
        top = self.top if self.top else (max(max(shown_vals), self.band[1] if self.band else 0.0) or 1.0)
        floor = 0.0
        if self.auto_floor:
            low = min(min(shown_vals), self.band[0] if self.band else min(shown_vals))
            floor = max(0.0, low - (top - low) * 0.25)
            if top - floor < 1e-9:
                floor = 0.0
        span = (top - floor) or 1.0
        lines = [Text(no_wrap=True, overflow="crop") for _ in range(rows)]
        for r in range(rows):
            label = ""
            if r == 0:
                label = self.fmt.format(top)
            elif r == rows - 1:
                label = self.fmt.format(floor)
            lines[r].append(label.rjust(axis_w - 1)[: axis_w - 1] + "│", style="dim")
        band_rows: set[int] = set()
        if self.band is not None:
            for edge in self.band:
                band_rows.add(rows - 1 - max(0, min(rows - 1, int((edge - floor) / span * rows))))
        for v in cols:
            if v is None:  # no take at this time
                for r in range(rows):
                    lines[r].append("┄" if r in band_rows else " ", style=f"dim {C.good}" if r in band_rows else "")
                continue
            height8 = max(0.0, min(rows * 8.0, (v - floor) / span * rows * 8))
            colour = self._colour(v)
            clipped = self.top is not None and v > self.top * 1.001
            for r in range(rows):
                level = rows - 1 - r  # 0 = bottom row
                cell = height8 - level * 8
                if clipped and r == 0:
                    ch = "↑"  # off the scale: one outlier does not squash the others
                elif cell >= 8:
                    ch = "█"
                elif cell >= 1:
                    ch = _EIGHTHS[int(cell)]
                else:
                    ch = "┄" if r in band_rows else " "
                    lines[r].append(ch, style=f"dim {C.good}" if ch != " " else "")
                    continue
                lines[r].append(ch, style=colour)
        out = head
        for line in lines:
            out.append("\n")
            out.append_text(line)
        out.append("\n")
        gap = max(1, n_cols - len(left) - len(right))
        out.append(" " * axis_w + left + " " * gap + right, style="dim")
        return out
