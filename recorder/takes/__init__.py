"""The take store: persistence only (folders, files, index, locks, trash, FLAC).

``from recorder.takes import Library`` — the use cases on it are recorder.workflow's.
"""

from recorder.takes.layout import (
    AUDIO,
    IN_PROGRESS,
    RAW_AUDIO,
    RECORDING_JSON,
    REPORT,
    SCHEMA_VERSION,
    TAKE_JSON,
    TAKE_LOCK,
    TRANSCRIPT,
    bundled_sample_dir,
    slugify,
)
from recorder.takes.records import Take, TakeSummary, format_guard, report_problem, summarize_report
from recorder.takes.store import Library

__all__ = [
    "AUDIO",
    "IN_PROGRESS",
    "RAW_AUDIO",
    "RECORDING_JSON",
    "REPORT",
    "SCHEMA_VERSION",
    "TAKE_JSON",
    "TAKE_LOCK",
    "TRANSCRIPT",
    "Library",
    "Take",
    "TakeSummary",
    "bundled_sample_dir",
    "format_guard",
    "report_problem",
    "slugify",
    "summarize_report",
]
