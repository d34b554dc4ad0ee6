"""Audio-side hints of fillers the speech model did not write ("possible hesitations")."""

from __future__ import annotations

from typing import Sequence

from analysis.transcript import Span, Word


def find_hesitations(
    words: Sequence[Word], speech: Sequence[tuple[float, float]], min_uncovered_s: float = 0.3
) -> tuple[Span, ...]:
    """Audio-side hints of fillers Whisper did not write (not counted as fillers).

    1. Speech found by VAD that no word covers (words widened by 0.1 s each side), lasting
       at least ``min_uncovered_s``.
    2. Words far longer than the speaker's typical pace for their length: duration more
       than 2.5x the expected (median seconds per letter x letters, at least 3 letters)
       and at least 0.4 s over it; faster-whisper stretches a neighbour over a dropped "um".
    """
    spans: list[tuple[float, float]] = []
    covered = sorted((w.start - 0.1, w.end + 0.1) for w in words)
    for s, e in speech:
        cur = s
        for cs, ce in covered:
            if ce <= cur:
                continue
            if cs >= e:
                break
            if cs - cur >= min_uncovered_s:
                spans.append((cur, cs))
            cur = max(cur, ce)
            if cur >= e:
                break
        if e - cur >= min_uncovered_s:
            spans.append((cur, e))
    timed = [w for w in words if w.norm and w.duration > 0]
    if len(timed) >= 5:
        import statistics

        per_letter = statistics.median(w.duration / max(len(w.norm), 3) for w in timed)
        for w in timed:
            expected = per_letter * max(len(w.norm), 3)
            if w.duration > 2.5 * expected and w.duration - expected >= 0.4:
                # a word stretched over a silent pause is a pause (the analysis counts
                # those from the gaps), not a hesitation: require speech under most of it
                if speech and _overlap(w.start, w.end, speech) < 0.75 * w.duration:
                    continue
                spans.append((w.start, w.end))
    spans.sort()
    merged: list[list[float]] = []
    for s, e in spans:
        if merged and s <= merged[-1][1] + 0.05:
            merged[-1][1] = max(merged[-1][1], e)
        else:
            merged.append([s, e])
    return tuple(Span(round(s, 3), round(e, 3)) for s, e in merged if e > s)


def _overlap(start: float, end: float, regions: Sequence[tuple[float, float]]) -> float:
    return sum(max(0.0, min(end, e) - max(start, s)) for s, e in regions)
