from collections.abc import Iterable

import numpy as np
from numpy.typing import NDArray

class Word:
    start: float
    end: float
    word: str
    probability: float

class Segment:
    start: float
    end: float
    text: str
    avg_logprob: float
    no_speech_prob: float
    words: list[Word] | None

class TranscriptionInfo:
    language: str
    language_probability: float
    duration: float

class WhisperModel:
    def __init__(
        self,
        model_size_or_path: str,
        device: str = "auto",
        device_index: int | list[int] = 0,
        compute_type: str = "default",
        cpu_threads: int = 0,
        num_workers: int = 1,
        download_root: str | None = None,
        local_files_only: bool = False,
    ) -> None: ...
    def transcribe(
        self,
        audio: str | NDArray[np.float32],
        *,  # keyword-only here: the real signature has more parameters in between
        language: str | None = None,
        task: str = "transcribe",
        beam_size: int = 5,
        temperature: float | list[float] | tuple[float, ...] = ...,
        compression_ratio_threshold: float | None = 2.4,
        log_prob_threshold: float | None = -1.0,
        no_speech_threshold: float | None = 0.6,
        condition_on_previous_text: bool = True,
        word_timestamps: bool = False,
        vad_filter: bool = False,
        max_new_tokens: int | None = None,
        hallucination_silence_threshold: float | None = None,
        hotwords: str | None = None,
    ) -> tuple[Iterable[Segment], TranscriptionInfo]: ...
