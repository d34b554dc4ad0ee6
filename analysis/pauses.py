"""Pauses: silent gaps between words (>= pause_min_s), long ones (>= long_pause_s)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from analysis.settings import AnalysisSettings
from analysis.transcript import Transcript


@dataclass(frozen=True)
class Pause:
    start: float
    end: float
    long: bool
    after: int
    """Index of the word before the pause."""

    @property
    def seconds(self) -> float:
        return self.end - self.start

    def to_dict(self) -> dict[str, Any]:
        return {
            "start": round(self.start, 3),
            "end": round(self.end, 3),
            "seconds": round(self.seconds, 2),
            "long": self.long,
        }


@dataclass(frozen=True)
class PauseStats:
    items: tuple[Pause, ...]
    per_minute: float
    total_seconds: float
    min_s: float = 0.5
    """The threshold used (settings.pause_min_s)."""
    long_s: float = 2.0
    """The long-pause threshold used (settings.long_pause_s)."""

    @property
    def count(self) -> int:
        return len(self.items)

    @property
    def long_count(self) -> int:
        return sum(1 for p in self.items if p.long)

    @property
    def longest(self) -> float:
        return max((p.seconds for p in self.items), default=0.0)

    @property
    def longest_pause(self) -> Pause | None:
        return max(self.items, key=lambda p: p.seconds, default=None)

    def to_dict(self) -> dict[str, Any]:
        return {
            "count": self.count,
            "per_minute": round(self.per_minute, 2),
            "longest": round(self.longest, 2),
            "long_count": self.long_count,
            "total_seconds": round(self.total_seconds, 2),
            "threshold": self.min_s,
            "long_threshold": self.long_s,
            "items": [p.to_dict() for p in self.items],
        }


def find_pauses(transcript: Transcript, settings: AnalysisSettings | None = None) -> PauseStats:
    """Gaps between consecutive words of at least ``pause_min_s`` (silence before the first
    word and after the last one is not a pause: it is not part of the answer)."""
    settings = settings or AnalysisSettings()
    words = transcript.words
    lo, long_s = settings.pause_min_s, settings.long_pause_s
    items: list[Pause] = []
    if words:
        prev_end = words[0].end
        for i in range(1, len(words)):
            w = words[i]
            gap = w.start - prev_end
            if gap >= lo - 1e-9:
                items.append(Pause(prev_end, w.start, gap >= long_s - 1e-9, i - 1))
            if w.end > prev_end:
                prev_end = w.end
    span = (words[-1].end - words[0].start) if words else 0.0
    per_minute = len(items) / (span / 60.0) if span > 0 else 0.0
    return PauseStats(tuple(items), per_minute, sum(p.seconds for p in items), lo, long_s)
