"""Time as a clock shows it: the one ``m:ss`` formatter of the app, the reports, the
Markdown export and the command line (each passes its own text for a missing time)."""

from __future__ import annotations

from typing import Any


def mmss(seconds: Any, missing: str = "–:––", *, hours: bool = False) -> str:
    """0:07, 1:41, 12:05: seconds rounded down, as a player's clock (and the tips) count
    them, so a tip "at 0:00" and its ▶ 0:00 link are the same figure. ``hours``: 1:02:03
    from an hour on (otherwise 62:03). ``missing`` when there is no number (None, text)."""
    if seconds is None:
        return missing
    try:
        s = max(0, int(float(seconds) + 1e-6))
    except (TypeError, ValueError, OverflowError):
        return missing
    m, sec = divmod(s, 60)
    if hours and m >= 60:
        h, m = divmod(m, 60)
        return f"{h}:{m:02d}:{sec:02d}"
    return f"{m}:{sec:02d}"
