"""Text charts: a multi-row bar chart with an optional "good" band, used for pace over
time (Review) and for trends across takes (Library)."""

from __future__ import annotations

from typing import Any, Sequence

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


class BarChart(Widget):
    """Bars of ``values`` over ``rows`` text rows. Values outside ``band`` are drawn in the
    warning colour; the band is written in the title. ``labels`` = (left, right) axis text."""

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
        self.set_reactive(BarChart.values, tuple(values))

    def update_chart(self, values: Sequence[float], labels: tuple[str, str] | None = None) -> None:
        if labels is not None:
            self.labels = labels
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
        if self.max_bar_width and len(vals) * self.max_bar_width < n_cols:
            n_cols = len(vals) * self.max_bar_width
        cols = _resample(vals, n_cols)
        top = self.top if self.top else (max(max(cols), self.band[1] if self.band else 0.0) or 1.0)
        floor = 0.0
        if self.auto_floor:
            low = min(min(cols), self.band[0] if self.band else min(cols))
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
            height8 = max(0.0, min(rows * 8.0, (v - floor) / span * rows * 8))
            colour = self._colour(v)
            for r in range(rows):
                level = rows - 1 - r  # 0 = bottom row
                cell = height8 - level * 8
                if cell >= 8:
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
        left, right = self.labels
        gap = max(1, n_cols - len(left) - len(right))
        out.append(" " * axis_w + left + " " * gap + right, style="dim")
        return out
