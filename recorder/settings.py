"""Recorder settings (the ``[recorder]`` table of the settings file)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RecorderSettings:
    input_device: str | None = None
    """Input device name (substring) or index; None = the system default."""
    output_device: str | None = None
    """Output device for playback; None = the system default."""
