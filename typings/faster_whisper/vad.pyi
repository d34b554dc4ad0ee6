from typing import TypedDict

import numpy as np
from numpy.typing import NDArray

class SpeechTimestamp(TypedDict):
    start: int
    end: int

class VadOptions:
    threshold: float
    min_speech_duration_ms: int
    min_silence_duration_ms: int
    speech_pad_ms: int
    def __init__(
        self,
        threshold: float = 0.5,
        neg_threshold: float | None = None,
        min_speech_duration_ms: int = 0,
        max_speech_duration_s: float = ...,
        min_silence_duration_ms: int = 2000,
        speech_pad_ms: int = 400,
    ) -> None: ...

def get_speech_timestamps(
    audio: NDArray[np.float32], vad_options: VadOptions | None = None, sampling_rate: int = 16000
) -> list[SpeechTimestamp]: ...

class SpeechTimestampsMap:
    def __init__(self, chunks: list[SpeechTimestamp], sampling_rate: int, time_precision: int = 2) -> None: ...
    def get_original_time(self, time: float, chunk_index: int | None = None, is_end: bool = False) -> float: ...
    def get_chunk_index(self, time: float, is_end: bool = False) -> int: ...
