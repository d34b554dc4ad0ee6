"""Analysis settings: every threshold the analysis uses, each with its source.

One frozen dataclass with defaults; ``tui/`` builds it from the ``[analysis]`` table of
the TOML settings file. Field docstrings (the string after each field) say where each
default comes from; the Settings screen shows them.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class AnalysisSettings:
    pause_min_s: float = 0.5
    """A gap between words of at least this long counts as a pause. Source: the usual
    cut-off for silent pauses in fluency research (Goldman-Eisler 1968 used 0.25 s; 0.5 s
    keeps only pauses a listener notices, as in most speaking-coach tools)."""
