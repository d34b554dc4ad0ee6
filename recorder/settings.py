"""Recorder settings (the ``[recorder]`` table of the settings file)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RecorderSettings:
    input_device: str | None = None
    """Input device name (substring) or index; None = the system default."""
    output_device: str | None = None
    """Output device for playback; None = the system default."""
    samplerate: int | None = None
    """Recording sample rate in Hz; None = the microphone's default rate (recommended:
    takes are kept as recorded). 16000 is enough for speech analysis and saves space."""
