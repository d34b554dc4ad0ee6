"""Pace: words per minute over the speaking span, articulation rate, a timeline.

- ``wpm``: all words (fillers included: the listener hears them) divided by the speaking
  span, first word start to last word end.
- ``articulation_wpm``: the same words divided by the time actually spent speaking, i.e.
  the span minus the pauses (gaps >= ``pause_min_s``): how fast you talk when you talk.
- ``timeline``: wpm in consecutive windows of ``pace_window_s`` seconds from the first
  word (a word belongs to the window holding its midpoint; a last window shorter than
  half a window is merged into the one before).
  At most :data:`MAX_WINDOWS` windows: over a longer answer each window is widened to
  span / MAX_WINDOWS, so the timeline's size is bounded whatever the times say.
- ``verdict``: "slow" / "good" / "fast" against the band pace_min_wpm..pace_max_wpm.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from typing import Any

from analysis.pauses import PauseStats
from analysis.settings import AnalysisSettings
from analysis.transcript import Transcript

MAX_WINDOWS = 2000
"""Most windows a pace timeline has (a 5.5-hour answer at the default 10 s)."""


@dataclass(frozen=True)
class PaceWindow:
    start: float
    end: float
    words: int

    @property
    def wpm(self) -> float:
        d = self.end - self.start
        return self.words * 60.0 / d if d > 0 else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {"start": round(self.start, 3), "end": round(self.end, 3), "wpm": round(self.wpm, 1)}


@dataclass(frozen=True)
class PaceStats:
    wpm: float
    articulation_wpm: float
    verdict: str
    band: tuple[float, float]
    timeline: tuple[PaceWindow, ...]
    speaking_seconds: float
    """First word start to last word end."""

    @property
    def fastest(self) -> PaceWindow | None:
        return max(self.timeline, key=lambda w: w.wpm, default=None)

    @property
    def slowest(self) -> PaceWindow | None:
        return min(self.timeline, key=lambda w: w.wpm, default=None)

    def to_dict(self) -> dict[str, Any]:
        return {
            "wpm": round(self.wpm, 1),
            "articulation_wpm": round(self.articulation_wpm, 1),
            "verdict": self.verdict,
            "band": [_num(self.band[0]), _num(self.band[1])],
            "speaking_seconds": round(self.speaking_seconds, 2),
            "timeline": [w.to_dict() for w in self.timeline],
        }


def _num(x: float) -> float | int:
    return int(x) if float(x).is_integer() else x


def rate(words: int, seconds: float) -> float:
    """Words per minute; 0 for a zero-length stretch."""
    return words * 60.0 / seconds if seconds > 0 else 0.0


def verdict(wpm: float, settings: AnalysisSettings) -> str:
    if wpm < settings.pace_min_wpm:
        return "slow"
    if wpm > settings.pace_max_wpm:
        return "fast"
    return "good"


def measure_pace(transcript: Transcript, pauses: PauseStats, settings: AnalysisSettings | None = None) -> PaceStats:
    settings = settings or AnalysisSettings()
    words = transcript.words
    n = len(words)
    band = (settings.pace_min_wpm, settings.pace_max_wpm)
    if n == 0:
        return PaceStats(0.0, 0.0, "slow", band, (), 0.0)
    t0, t1 = words[0].start, words[-1].end
    span = t1 - t0
    wpm = rate(n, span)
    speaking = max(span - pauses.total_seconds, 0.0)
    articulation = rate(n, speaking) if speaking > 0 else wpm
    timeline = _timeline(transcript, settings.pace_window_s)
    return PaceStats(wpm, articulation, verdict(wpm, settings), band, timeline, span)


def _timeline(transcript: Transcript, window: float) -> tuple[PaceWindow, ...]:
    words = transcript.words
    t0, t1 = words[0].start, words[-1].end
    span = t1 - t0
    if span <= 0 or not window > 0:
        return ()
    if span / window > MAX_WINDOWS:
        window = span / MAX_WINDOWS
    count = max(1, int(span // window) + (1 if span % window > 1e-9 else 0))
    # merge a short tail (< half a window) into the previous window
    if count > 1 and span - (count - 1) * window < window / 2:
        count -= 1
    # a word belongs to the window holding its midpoint (compared doubled: start + end)
    mids = sorted([w.start + w.end for w in words])
    edges = [2 * (t0 + k * window) for k in range(1, count)]
    cuts = [0] + [bisect.bisect_left(mids, e) for e in edges] + [len(mids)]
    out: list[PaceWindow] = []
    for k in range(count):
        start = t0 + k * window
        end = t1 if k == count - 1 else t0 + (k + 1) * window
        out.append(PaceWindow(start, end, cuts[k + 1] - cuts[k]))
    return tuple(out)
