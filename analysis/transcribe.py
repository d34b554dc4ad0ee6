"""Audio -> Transcript with faster-whisper. The ONLY module that imports faster_whisper,
and it does so lazily (inside functions), so importing this module is cheap."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class TranscribeOptions:
    model: str = "auto"
    """Model name faster-whisper knows (tiny.en, base.en, small.en, large-v3, ...) or a
    path to a CTranslate2 model directory. "auto": base.en on CPU."""
    device: str = "auto"
    """"auto" (CUDA when CTranslate2 sees a GPU, else CPU), "cpu" or "cuda"."""
    compute_type: str = "default"
    """"default" = int8 on CPU, float16 on CUDA."""
    language: str = "en"
