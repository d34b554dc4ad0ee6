"""The speech package's errors: each ``str()`` is one actionable line (never a trace)."""

from __future__ import annotations

from analysis.errors import RehearseError


class TranscribeError(RehearseError):
    """Transcription failed; ``str()`` is one actionable line."""


class ModelNotAvailableError(TranscribeError):
    """The speech model is not on this machine and cannot be fetched (or does not exist)."""


class AudioError(TranscribeError):
    """The audio file cannot be read; the message names the file."""
