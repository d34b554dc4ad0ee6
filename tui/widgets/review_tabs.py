"""Review's tabs: the Overview (focus next, tips, STAR sections, figures) and the Pace
(the pace over the answer, the window under the position, the pauses). The screen fills
them from the take's report; the Transcript tab is the TranscriptView."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Label, TabPane

from tui.format import mmss
from tui.widgets.charts import BarChart
from tui.widgets.review_panels import FocusPanel, MetricsPanel, PausesPanel, SectionsTable, TipsList, pace_window_text

Band = tuple[float, float]


class OverviewPane(TabPane):
    """``#focus-next`` over ``#tips`` and ``#sections`` beside ``#metrics``."""

    def compose(self) -> ComposeResult:
        yield FocusPanel("", id="focus-next")
        with Horizontal(id="overview-row"):
            with VerticalScroll(id="overview-left"):
                yield TipsList(id="tips")
                yield SectionsTable(id="sections", cursor_type="row", show_cursor=False)
            with VerticalScroll(id="metrics-box"):
                yield MetricsPanel(id="metrics")

    def show(self, report: dict[str, Any], previous: Any, this: Any, transcribed: bool, pace_band: Any) -> None:
        """``previous``/``this``: the summaries of the question's take before and of this one."""
        self.query_one("#focus-next", FocusPanel).show(report, previous, this)
        self.query_one("#sections", SectionsTable).show(report)
        self.query_one("#tips", TipsList).show(report, transcribed)
        self.query_one("#metrics", MetricsPanel).show(report, pace_band)


class PacePane(TabPane):
    """``#pace-chart``, ``#pace-window`` and ``#pauses``."""

    def __init__(self, title: str, *, band: Band, id: str | None = None) -> None:  # noqa: A002 - Textual's name
        super().__init__(title, id=id)
        self._band = band

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield BarChart("Pace of the answer:", band=self._band, auto_floor=True, unit=" wpm", id="pace-chart")
            yield Label("", id="pace-window")
            yield PausesPanel(id="pauses")

    def show(self, report: dict[str, Any], band: Band, position: float) -> None:
        pace = report.get("pace") or {}
        timeline = pace.get("timeline") or []
        chart = self.query_one("#pace-chart", BarChart)
        chart.band = band
        chart.headline = pace.get("wpm")  # the answer's pace, as in the Overview
        chart.update_chart([p.get("wpm", 0.0) for p in timeline], ("0:00", mmss(report.get("duration"))))
        self.show_window(report, band, position)
        self.query_one("#pauses", PausesPanel).show(report)

    def show_window(self, report: dict[str, Any], band: Band, position: float) -> None:
        """The pace of the window under the current position (separate from the headline)."""
        self.query_one("#pace-window", Label).update(pace_window_text(report, position, band))
