"""Recorder settings (the ``[recorder]`` table of the settings file)."""

from __future__ import annotations

from dataclasses import dataclass

from analysis.setting_ranges import Num, Text


@dataclass(frozen=True)
class RecorderSettings:
    input_device: str | None = None
    """Input device name (substring) or index; None = the system default."""
    output_device: str | None = None
    """Output device for playback; None = the system default."""
    samplerate: int | None = None
    """Recording sample rate in Hz; None = the microphone's default rate (recommended:
    takes are kept as recorded). 16000 is enough for speech analysis and saves space."""


RANGES = {
    "input_device": Text(max_len=200, allow_none=True),
    "output_device": Text(max_len=200, allow_none=True),
    "samplerate": Num(8000, 384000, integer=True, allow_none=True),
}
"""The valid range of each setting (analysis.setting_ranges); the README lists them."""
