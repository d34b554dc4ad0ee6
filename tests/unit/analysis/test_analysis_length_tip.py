"""A far-off length is always one of the tips, however many other tips score higher."""

from __future__ import annotations

from dataclasses import replace

from analysis_helpers import marked

from analysis import analyze
from analysis.settings import AnalysisSettings

# ~45 s at 150 wpm (half the 90-s minimum): no Result, "we" everywhere, many fillers.
HALF_LENGTH = (
    "Um so last year uh we were a support team at a small company and um we had a problem with "
    "reminders. Uh we had to fix the reminders before um the renewal season, like, you know. "
    "So we looked at the tickets and um we talked to the developers and uh we changed the job, "
    "like, and we tested it and um we shipped it and we told the clinics about it, you know, um."
)


def test_half_length_answer_always_gets_the_length_tip():
    transcript = marked(HALF_LENGTH, wpm=150)[0]
    # Two places for tips, two tips that score higher than the length (no Result, fillers).
    report = analyze(transcript, replace(AnalysisSettings(), max_tips=2))
    assert report.content.length_verdict == "short"
    assert report.content.length_seconds < 0.75 * 90
    ids = [t.id for t in report.tips]
    assert len(ids) == 2 and ids[0] == "fillers"  # the top tip keeps its place
    assert ids[1] == "length_short", ids
