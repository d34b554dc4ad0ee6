"""The Library's trends panel: fillers/min, pace and the Action's share over time, of all
questions or of one question (t cycles: all -> this question -> hidden)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Label

from tui.format import STAR, clip, short_date
from tui.practice_loop import robust_top, same_question
from tui.widgets.charts import BarChart

if TYPE_CHECKING:  # pragma: no cover
    from recorder.takes import TakeSummary

Band = tuple[float, float]


def _created(t: Any) -> datetime | None:
    """When a take was recorded (None when its date cannot be read)."""
    try:
        dt = datetime.fromisoformat(str(t.created).replace("Z", "+00:00"))
    except (TypeError, ValueError):
        return None
    return dt if dt.tzinfo else dt.astimezone()  # (naive: local time) comparable with the others


def take_shares(t: TakeSummary) -> dict[str, float]:
    """The STAR shares of a take summary."""
    return {k: float(t.star_shares[k]) for k in STAR if t.star_shares.get(k) is not None}


class TrendsPanel(Vertical):
    """``#trends``: a ``#trends-title`` over three charts, mounted by ``add_charts`` (after
    the first frame). ``scope`` is "all" or "question"."""

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002 - Textual's name
        super().__init__(id=id)
        self.scope = "all"

    def compose(self) -> ComposeResult:
        yield Label("", id="trends-title")
        yield Horizontal(id="trend-charts")

    async def add_charts(self, pace: Band, action: Band) -> None:
        await self.query_one("#trend-charts").mount_all(
            [
                BarChart("Fillers/min", fmt="{:.1f}", max_bar_width=2, id="trend-fillers", classes="trend"),
                BarChart("wpm", band=pace, max_bar_width=2, auto_floor=True, id="trend-wpm", classes="trend"),
                BarChart("Action", band=action, unit="%", max_bar_width=2, id="trend-action", classes="trend"),
            ]
        )

    @property
    def charted(self) -> bool:
        """The charts are mounted."""
        return bool(self.query("#trend-fillers"))

    def cycle(self) -> None:
        """All questions -> this question -> hidden -> all (the caller then calls ``show``)."""
        if self.has_class("hidden"):
            self.remove_class("hidden")
            self.scope = "all"
        elif self.scope == "all":
            self.scope = "question"
        else:
            self.add_class("hidden")

    def show(self, takes: list[TakeSummary], current: Any | None, pace: Band, action: Band) -> None:
        """Chart ``takes`` (or, in the "question" scope, the takes of ``current``'s question)."""
        cur = current if self.scope == "question" else None
        if cur is not None:
            chron = same_question(takes, cur.question)
            title = f"Trends of this question ({len(chron)} takes): {clip(cur.question or '', 60)}"
        else:
            chron = sorted(takes, key=lambda t: str(t.created))
            title = f"Trends, all questions ({len(chron)} takes) · t: this question only"
        self.query_one("#trends-title", Label).update(Text(title, style="bold"))
        when = {t.id: _created(t) for t in chron}
        timed = all(when.values())  # a time axis when every take's date can be read
        series: dict[str, tuple[list[float], list[Any]]] = {"fil": ([], []), "wpm": ([], []), "act": ([], [])}
        for t in chron:
            shares = take_shares(t)
            for key, value in (
                ("fil", t.fillers_per_minute),
                ("wpm", t.wpm),
                ("act", shares.get("action", 0.0) * 100 if shares else None),
            ):
                if value is not None:
                    series[key][0].append(float(value))
                    series[key][1].append(when[t.id])
        if chron:
            first, last = short_date(chron[0].created)[:10], short_date(chron[-1].created)[:10]
            labels = (first, last if last != first else "")
        else:
            labels = ("", "")
        for wid, key, band in (
            ("#trend-fillers", "fil", None),
            ("#trend-wpm", "wpm", pace),
            ("#trend-action", "act", action),
        ):
            vals, times = series[key]
            chart = self.query_one(wid, BarChart)
            chart.band = band
            floor = band[1] if band else 0.0
            chart.top = robust_top(vals, floor)  # one short fragment does not set the scale
            chart.update_chart(vals, labels, times=times if timed else None)
