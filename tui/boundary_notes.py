"""What Review says when the user moves a STAR boundary: where the section now starts,
and, once re-scored, whether the analysis put it there."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from tui.format import mmss


def moved_note(label: str, word: str, start: float, dropped: Sequence[str]) -> str:
    """Said at once: the section starts at ``word`` (markers out of order were removed)."""
    note = f"{label.capitalize()} now starts at “{word.strip()}” ({mmss(start)})"
    if dropped:
        note += "; removed out-of-order marker(s): " + ", ".join(dropped)
    return note + ". Re-scoring…"


def outcome_note(
    report: dict[str, Any], label: str, wanted: float, first_word: Callable[[float], str]
) -> tuple[str, bool] | None:
    """Said after the re-score, when the section does not start where it was put: the
    text and whether it is a warning; None when it does. ``first_word(t)``: the word at ``t``."""
    section = next(
        (x for x in (report.get("star") or {}).get("sections") or [] if x["label"] == label and not x.get("hook")), None
    )
    if section is None:
        return (
            f"The analysis could not honour that {label.capitalize()} marker with the others; "
            "check the sections, or press backspace to go back to automatic ones.",
            True,
        )
    if abs(section["start"] - wanted) > 0.05:
        return (
            f"{label.capitalize()} starts at “{first_word(section['start'])}” ({mmss(section['start'])}): "
            "a marker moves to the start of the nearest sentence.",
            False,
        )
    return None
