"""Small formatting helpers shared by screens and widgets (no Textual imports)."""

from __future__ import annotations

from datetime import datetime

STAR = ("situation", "task", "action", "result")
STAR_LETTER = {"situation": "S", "task": "T", "action": "A", "result": "R"}
# Colours readable on dark and light backgrounds alike.
STAR_COLOUR = {
    "situation": "#4f8fd8",
    "task": "#a06fd6",
    "action": "#e07f36",
    "result": "#3aa56a",
}
FILLER_STYLE = "bold #d33f49 underline"
# The share of the answer each section should take, when the report gives none
# (the common coaching split: Situation+Task short, Action the bulk, Result clear).
DEFAULT_TARGETS = {"situation": 0.15, "task": 0.10, "action": 0.55, "result": 0.20}


def mmss(seconds: float | None) -> str:
    """0:07, 1:41: seconds rounded down, as a player's clock (and the tips) count them,
    so a tip "at 0:00" and its ▶ 0:00 link are the same figure."""
    if seconds is None:
        return "–:––"
    m, s = divmod(max(0, int(float(seconds) + 1e-6)), 60)
    return f"{m}:{s:02d}"


_UNITS = ((1e9, "GB"), (1e6, "MB"), (1e3, "KB"))


def _unit(n: float) -> tuple[float, str, int]:
    """(divisor, unit, decimals) that show ``n`` bytes with two or three digits."""
    for div, unit in _UNITS:
        if n >= div:
            return div, unit, (1 if n / div < 100 else 0)
    return 1.0, "B", 0


def byte_size(n: int | None) -> str:
    """1.6 GB, 75 MB, 4.2 MB, 830 KB, 12 B; "?" when unknown."""
    if not n:
        return "?"
    div, unit, dec = _unit(n)
    return f"{n / div:.{dec}f} {unit}"


def byte_progress(done: int, total: int | None) -> str:
    """"12.5/75 MB": both in the total's unit (the done part alone when the total is unknown)."""
    if not total:
        return byte_size(done) if done else "0 B"
    div, unit, dec = _unit(total)
    return f"{done / div:.{dec}f}/{total / div:.{dec}f} {unit}"


def pct(share: float | None) -> str:
    return "–" if share is None else f"{share * 100:.0f}%"


def num(value: float | None, digits: int = 0) -> str:
    if value is None:
        return "–"
    return f"{value:.{digits}f}"


def short_date(iso: str | None) -> str:
    """'2026-11-20T14:02:11+00:00' -> '2026-11-20 14:02'."""
    if not iso:
        return "?"
    try:
        dt = datetime.fromisoformat(str(iso).replace("Z", "+00:00"))
    except ValueError:
        return str(iso)[:16]
    return dt.strftime("%Y-%m-%d %H:%M")


def table_date(iso: str | None) -> str:
    """'2026-11-20T14:02:11+00:00' -> '26 Nov 14:02' (compact, for tables)."""
    if not iso:
        return "?"
    try:
        dt = datetime.fromisoformat(str(iso).replace("Z", "+00:00"))
    except ValueError:
        return str(iso)[:12]
    return dt.strftime("%d %b %H:%M")


def clip(text: str, width: int) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= width else text[: max(0, width - 1)] + "…"


def parse_duration(text: str) -> float | None:
    """'2:30' -> 150, '90' -> 90, '2m' -> 120; None if it cannot be read."""
    text = text.strip().lower()
    if not text:
        return None
    try:
        if ":" in text:
            m, s = text.split(":", 1)
            value = int(m) * 60 + float(s)
        elif text.endswith("m"):
            value = float(text[:-1]) * 60
        elif text.endswith("s"):
            value = float(text[:-1])
        else:
            value = float(text)
    except ValueError:
        return None
    return value if 5 <= value <= 3600 else None
