"""Small formatting helpers shared by screens and widgets (no Textual imports)."""

from __future__ import annotations

from datetime import datetime

STAR = ("situation", "task", "action", "result")
STAR_LETTER = {"situation": "S", "task": "T", "action": "A", "result": "R"}

# Two palettes, each at least 4.5:1 (WCAG AA) against its theme's background and
# surface, as text and as a fill under its ``on_fill`` text (tests/test_tui_contrast.py
# computes it from the themes). Colour is never the only sign: ✓/✗ and words go with it.
PALETTES = {
    "dark": {
        "situation": "#4f8fd8", "task": "#ad80e0", "action": "#e07f36", "result": "#3aa56a",
        "good": "#3aa56a", "warn": "#e07f36", "bad": "#f0646e", "info": "#4f8fd8", "on_fill": "#000000",
    },
    "light": {
        "situation": "#1c5592", "task": "#6a3597", "action": "#8f4206", "result": "#176236",
        "good": "#176236", "warn": "#8f4206", "bad": "#a3202b", "info": "#1c5592", "on_fill": "#ffffff",
    },
}


class _Colours:
    """The current palette's colours by role (C.good, C.warn, C.bad, C.info, C.on_fill,
    C.filler_style); the app switches it with :func:`use_palette` when the theme changes."""

    good = warn = bad = info = on_fill = filler_style = ""


C = _Colours()
STAR_COLOUR: dict[str, str] = {}  # section -> colour, updated in place by use_palette


def use_palette(dark: bool) -> None:
    p = PALETTES["dark" if dark else "light"]
    STAR_COLOUR.update({k: p[k] for k in STAR})
    for role in ("good", "warn", "bad", "info", "on_fill"):
        setattr(C, role, p[role])
    C.filler_style = f"bold {p['bad']} underline"


use_palette(True)
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
