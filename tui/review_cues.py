"""Where Review's h/H keys jump to: the next or previous possible hesitation of a take."""

from __future__ import annotations

from typing import Any


def hesitation_cue(report: dict[str, Any], pos: float, step: int) -> tuple[float | None, str]:
    """Where to play the next (``step`` > 0) or previous possible hesitation from ``pos``:
    0.3 s before it; else None and the line that says why."""
    items = (report.get("hesitations") or {}).get("items") or []
    starts = sorted(float(h["start"]) for h in items)
    if not starts:
        return None, "No possible hesitations in this take."
    cues = [max(0.0, t - 0.3) for t in starts]
    if step > 0:
        cue = next((c for c in cues if c > pos + 0.05), None)
    else:
        # (within a second of a hint's cue, "previous" is the one before it)
        cue = next((c for c in reversed(cues) if c < pos - 1.0), None)
    return cue, "" if cue is not None else "No more possible hesitations in that direction."
