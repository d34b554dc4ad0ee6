"""Review's player line: playing or paused, where, how far along, the word being played,
or why there is no sound."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Label

from tui.format import C, clip, mmss


class PlayerLine(Label):
    """``#player-line``: one line under the report (the screen owns the player)."""

    WIDTH = 20  # the position bar

    def show(self, pos: float, dur: float, playing: bool, word: str | None = None, error: str | None = None) -> None:
        """``word``: the word being played; ``error``: why playback could not start."""
        line = Text()
        if error:
            line.append("🔇 no sound: ", style=f"bold {C.warn}")
            line.append(clip(error, 160))
            line.append("  (Settings F4: output device)", style="dim")
            self.update(line)
            return
        filled = int(round(pos / dur * self.WIDTH)) if dur else 0
        line.append("▶ playing " if playing else "⏸ paused  ", style=f"bold {C.good}" if playing else "dim")
        line.append(f"{mmss(pos)} / {mmss(dur)} ")
        line.append("━" * filled, style=C.good)
        line.append("─" * (self.WIDTH - filled), style="dim")
        if playing and word is not None:
            line.append(f"  “{word}”")
        elif not playing:
            line.append("  space play · Enter on a word plays from it · n record again", style="dim")
        self.update(line)
