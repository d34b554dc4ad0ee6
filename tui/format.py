"""Small formatting helpers shared by screens and widgets (no Textual imports)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from analysis.settings import AnalysisSettings
from analysis.timefmt import mmss as _mmss
from analysis.transcript import STAR_LABELS, STAR_LETTERS

STAR = STAR_LABELS  # (one source: the analysis)
STAR_LETTER = STAR_LETTERS

# Two palettes, each at least 4.5:1 (WCAG AA) against its theme's background and
# surface, as text and as a fill under its ``on_fill`` text (tests/test_tui_contrast.py
# computes it from the themes). Colour is never the only sign: ✓/✗ and words go with it.
# The same in both themes: a highlighter-yellow under black text marks the word being
# played; the level meter's amber between -12 and -3 dBFS; grey for a heading whose
# section is unknown.
_SHARED = {"playing": "#f2d024", "on_playing": "#000000", "loud": "#d9b330", "unknown": "#888888"}
PALETTES = {
    "dark": {
        "situation": "#4f8fd8",
        "task": "#ad80e0",
        "action": "#e07f36",
        "result": "#3aa56a",
        "good": "#3aa56a",
        "warn": "#e07f36",
        "bad": "#f0646e",
        "info": "#4f8fd8",
        "on_fill": "#000000",
        **_SHARED,
    },
    "light": {
        "situation": "#1c5592",
        "task": "#6a3597",
        "action": "#8f4206",
        "result": "#176236",
        "good": "#176236",
        "warn": "#8f4206",
        "bad": "#a3202b",
        "info": "#1c5592",
        "on_fill": "#ffffff",
        **_SHARED,
    },
}


class _Colours:
    """The current palette's colours by role (C.good, C.warn, C.bad, C.info, C.on_fill,
    C.loud, C.unknown, C.filler_style, C.playing_style); the app switches it with
    :func:`use_palette` when the theme changes."""

    good = warn = bad = info = on_fill = loud = unknown = filler_style = playing_style = ""


C = _Colours()
STAR_COLOUR: dict[str, str] = {}  # section -> colour, updated in place by use_palette


def use_palette(dark: bool) -> None:
    p = PALETTES["dark" if dark else "light"]
    STAR_COLOUR.update({k: p[k] for k in STAR})
    for role in ("good", "warn", "bad", "info", "on_fill", "loud", "unknown"):
        setattr(C, role, p[role])
    C.filler_style = f"bold {p['bad']} underline"
    C.playing_style = f"bold {p['on_playing']} on {p['playing']}"


use_palette(True)
# The share of the answer each section should take, when the report gives none: the
# analysis's default targets (one source: AnalysisSettings).
DEFAULT_TARGETS = AnalysisSettings().targets


mmss = _mmss  # 0:07, 1:41 ("–:––" when unknown): the one clock of the app (analysis.timefmt)


def _whole(x: float) -> float | int:
    return int(x) if float(x).is_integer() else x


def pace_band(report: Mapping[str, Any] | None, analysis: Any = None) -> list[float | int]:
    """The pace band in wpm (120–165 by default): the one a report was scored against,
    else the analysis settings' ``pace_min_wpm``..``pace_max_wpm`` (``analysis``: an
    AnalysisSettings; the defaults when None)."""
    band = ((report or {}).get("pace") or {}).get("band") if isinstance(report, Mapping) else None
    if band:
        return list(band)
    a = analysis if analysis is not None else AnalysisSettings()
    return [_whole(a.pace_min_wpm), _whole(a.pace_max_wpm)]


def share_band(label: str, analysis: Any = None) -> tuple[float, float]:
    """The "ok" range of a STAR section's share, in percent (Action: 40–70 by default):
    its target +/- its tolerance in the analysis settings (the defaults when None)."""
    a = analysis if analysis is not None else AnalysisSettings()
    target, tol = a.targets[label], a.tolerance(label)
    return round(max(0.0, target - tol) * 100, 6), round(min(1.0, target + tol) * 100, 6)


_UNITS = ((1e9, "GB"), (1e6, "MB"), (1e3, "KB"))


def _unit(n: float) -> tuple[float, str, int]:
    """(divisor, unit, decimals) that show ``n`` bytes with two or three digits."""
    for div, unit in _UNITS:
        if n >= div:
            return div, unit, (1 if n / div < 100 else 0)
    return 1.0, "B", 0


def byte_size(n: float | None) -> str:
    """1.6 GB, 75 MB, 4.2 MB, 830 KB, 12 B; "?" when unknown."""
    if not n:
        return "?"
    div, unit, dec = _unit(n)
    return f"{n / div:.{dec}f} {unit}"


def byte_progress(done: float, total: float | None) -> str:
    """ "12.5/75 MB": both in the total's unit (the done part alone when the total is unknown)."""
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
