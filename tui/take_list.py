"""Which takes the Library lists, in which order, and the line that says so."""

from __future__ import annotations

from typing import Any

from tui.format import table_date

SORTS = (
    ("date", "newest first"),
    ("question", "question A-Z"),
    ("length", "longest first"),
    ("wpm", "fastest first"),
    ("fillers", "most fillers/min first"),
)


def visible_takes(takes: list[Any], needle: str, sort_index: int) -> list[Any]:
    """The takes whose question, competency or date hold every word of ``needle``, sorted."""
    needle = needle.strip().lower()
    if needle:

        def hay(t: Any) -> str:
            return " ".join(str(x or "") for x in (t.question, t.competency, t.created, table_date(t.created))).lower()

        words = needle.split()
        takes = [t for t in takes if all(w in hay(t) for w in words)]
    key = SORTS[sort_index][0]
    if key == "date":
        takes = sorted(takes, key=lambda t: str(t.created), reverse=True)
    elif key == "question":
        takes = sorted(takes, key=lambda t: (str(t.question).lower(), str(t.created)))
    elif key == "length":
        takes = sorted(takes, key=lambda t: t.duration or 0, reverse=True)
    elif key == "wpm":
        takes = sorted(takes, key=lambda t: t.wpm or 0, reverse=True)
    elif key == "fillers":
        takes = sorted(takes, key=lambda t: t.fillers_per_minute or 0, reverse=True)
    return takes


def list_status(shown: int, total: int, sort_index: int, marked: int, loaded: bool, needle: str) -> str:
    """The line over the list: how many takes of how many, the order, the marks."""
    status = f"{shown} of {total} takes · sorted {SORTS[sort_index][1]}"
    if marked:
        status += f" · {marked} marked for compare"
    if not total:
        status = "No takes yet: press N to record your first answer." if loaded else "Loading takes…"
    elif not shown:
        status = (
            f"No takes match “{needle.strip()}” (0 of {total}): "
            "change the filter, or Esc to leave it and clear it with ctrl+u"
        )
    return status
