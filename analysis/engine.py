"""One entry point: ``analyze(transcript, settings) -> Report``.

Pure and fast (linear in the number of words): fillers first (their word indices are
ignored as STAR evidence), then STAR segmentation (analysis.star), pauses, pace,
per-section statistics, content checks and tips.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence

from analysis.content import check_content
from analysis.errors import NoSpeechError
from analysis.fillers import Filler, detect_fillers
from analysis.lexicon import Tokens
from analysis.pace import measure_pace, rate
from analysis.pauses import find_pauses
from analysis.report import FillerStats, Report, SectionStats, StarReport
from analysis.settings import AnalysisSettings
from analysis.star import SectionSpan, segment
from analysis.tips import make_tips
from analysis.transcript import Transcript


def analyze(transcript: Transcript, settings: AnalysisSettings | None = None) -> Report:
    """Analyse one answer. Raises NoSpeechError for a transcript without words."""
    settings = settings or AnalysisSettings()
    words = transcript.words
    n = len(words)
    if n == 0:
        raise NoSpeechError("no speech detected: the recording has no words to analyse")
    tokens = Tokens.of(transcript)
    fillers = detect_fillers(transcript, settings, tokens=tokens)
    skip = frozenset(i for f in fillers for i in range(f.first, f.last + 1))
    seg = segment(transcript, settings.star, skip)

    span = words[-1].end - words[0].start
    minutes = span / 60.0
    filler_stats = FillerStats(
        fillers,
        per_minute=len(fillers) / minutes if minutes > 0 else 0.0,
        per_100_words=len(fillers) * 100.0 / n,
    )

    star = StarReport(
        method=seg.method,
        sections=_section_stats(seg.sections, fillers, n),
        missing=tuple(seg.missing),
        targets=settings.targets,
        hook=seg.hook,
        evidence=tuple(e.to_dict() for e in getattr(seg, "evidence", ())),
    )
    pauses = find_pauses(transcript, settings)
    pace = measure_pace(transcript, pauses, settings)
    content = check_content(transcript, tokens, fillers, star, settings)
    tips = make_tips(star, content, filler_stats, pace, pauses, settings, words[0].start, words[-1].end)
    return Report(
        duration=transcript.duration,
        words=n,
        language=transcript.language,
        model=transcript.model,
        pace=pace,
        pauses=pauses,
        fillers=filler_stats,
        star=star,
        content=content,
        hesitations=tuple(transcript.hesitations),
        tips=tips,
    )


def _section_stats(
    sections: Sequence[SectionSpan], fillers: Sequence[Filler], n_words: int
) -> tuple[SectionStats, ...]:
    if not sections:
        return ()
    secs = [max(s.end - s.start, 0.0) for s in sections]
    total = sum(secs)
    if total > 0:
        shares = [x / total for x in secs]
    else:  # every word has zero length: fall back to word counts
        counts = [s.last_exclusive - s.first for s in sections]
        shares = [c / max(sum(counts), 1) for c in counts]
    # round to 4 decimals so that the rounded shares still add up to exactly 1
    rounded = [round(x, 4) for x in shares]
    big = max(range(len(rounded)), key=lambda k: rounded[k])
    rounded[big] = round(1.0 - sum(r for k, r in enumerate(rounded) if k != big), 4)
    firsts = sorted(f.first for f in fillers)
    out: list[SectionStats] = []
    for s, seconds, share in zip(sections, secs, rounded, strict=True):  # all three have one entry per section
        count = s.last_exclusive - s.first
        nf = bisect.bisect_left(firsts, s.last_exclusive) - bisect.bisect_left(firsts, s.first)
        out.append(
            SectionStats(
                s.label,
                s.start,
                s.end,
                seconds,
                share,
                count,
                rate(count, seconds),
                nf,
                s.first,
                s.last_exclusive,
                getattr(s, "confidence", 1.0),
                getattr(s, "hook", False),
            )
        )
    return tuple(out)
