"""The quiet line under the recording timer (no Textual): the pace of the last 20 s
against the band, the fillers so far, and the current section's time against its share
of the target length. Built from what live transcription already has."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from tui.format import mmss

PACE_WINDOW_S = 20.0


def recent_wpm(words: Sequence[Any], now: float, window: float = PACE_WINDOW_S) -> float | None:
    """Words per minute over the last ``window`` seconds (None before 5 s of speech)."""
    if not words:
        return None
    first = float(words[0].start)
    start = max(first, now - window)
    span = now - start
    if span < 5.0:
        return None
    n = sum(1 for w in words if float(w.start) >= start)
    return n / span * 60.0


def filler_count(words: Sequence[Any], settings: Any) -> int:
    """Spoken fillers (um, uh, like, you know…) in the words so far, as the report counts
    them (repetitions and hedges are told apart afterwards)."""
    if not words:
        return 0
    from analysis.fillers import detect_fillers
    from analysis.transcript import Transcript

    found = detect_fillers(Transcript(words=tuple(words), duration=float(words[-1].end)), settings)
    return sum(1 for f in found if getattr(f, "kind", "") not in ("repetition", "hedge"))


def feedback_line(
    *,
    words: Sequence[Any] | None,
    fillers: int | None,
    now: float,
    section: str | None,
    section_start: float | None,
    target_s: float,
    analysis: Any,
) -> list[tuple[str, str]]:
    """(text, role) pieces: role "" plain, "good"/"warn" for ✓/✗ marks."""
    parts: list[tuple[str, str]] = []
    if words is not None:
        wpm = recent_wpm(words, now)
        lo, hi = analysis.pace_min_wpm, analysis.pace_max_wpm
        if wpm is None:
            parts.append((f"pace: after 5 s of speech ({lo:.0f}–{hi:.0f} wpm is good)", ""))
        else:
            ok = lo <= wpm <= hi
            parts.append((f"pace {wpm:.0f} wpm (last 20 s) ", ""))
            parts.append(("✓" if ok else ("✗ slow down" if wpm > hi else "✗ a bit faster"), "good" if ok else "warn"))
        parts.append((f" · fillers {fillers or 0}", ""))
    if section and section_start is not None:
        spent = max(0.0, now - section_start)
        share = analysis.targets.get(section, 0.0)
        goal = share * target_s
        over = spent > goal * 1.25 + 5
        if parts:
            parts.append((" · ", ""))
        parts.append((f"{section.capitalize()} {mmss(spent)} — target ~{mmss(goal)}", ""))
        if over:
            parts.append((" ✗ move on", "warn"))
    return parts
