"""A live input level meter: RMS bar with a peak tick, in dBFS."""

from __future__ import annotations

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

from tui.format import C

FLOOR_DB = -60.0


class LevelMeter(Widget):
    DEFAULT_CSS = """
    LevelMeter { height: 1; }
    """

    rms_db: reactive[float] = reactive(FLOOR_DB)
    peak_db: reactive[float] = reactive(FLOOR_DB)

    def set_level(self, rms_db: float | None, peak_db: float | None) -> None:
        self.rms_db = FLOOR_DB if rms_db is None else max(FLOOR_DB, min(0.0, float(rms_db)))
        self.peak_db = FLOOR_DB if peak_db is None else max(FLOOR_DB, min(0.0, float(peak_db)))

    def render(self) -> Text:
        label = f" {self.rms_db:5.0f} dB" if self.rms_db > FLOOR_DB else "  –∞ dB"
        width = max(4, self.size.width - len(label) - 6)
        filled = int(round((self.rms_db - FLOOR_DB) / -FLOOR_DB * width))
        peak = int(round((self.peak_db - FLOOR_DB) / -FLOOR_DB * (width - 1)))
        text = Text("mic ", style="dim", no_wrap=True)
        for i in range(width):
            db = FLOOR_DB + (i + 1) / width * -FLOOR_DB
            colour = C.good if db < -12 else (C.loud if db < -3 else C.bad)
            if i < filled:
                text.append("█", style=colour)
            elif i == peak and self.peak_db > FLOOR_DB:
                text.append("▏", style=colour)
            else:
                text.append("·", style="dim")
        text.append(label)
        if self.peak_db > -1.0:
            text.append(" CLIP", style=f"bold {C.bad}")
        return text
