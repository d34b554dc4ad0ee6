"""The transcription settings (the ``[transcription]`` table of the settings file).

Kept apart from the rest of the speech package so that reading settings, as the app does
before its first frame, does not import the transcription pipeline.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from analysis.setting_ranges import Choice, Num, Text, Words

DEFAULT_VERBATIM_PROMPT = "Um, so, uh, I was like, you know, hmm, leading the, um, the project."


@dataclass(frozen=True)
class TranscribeOptions:
    model: str = "auto"
    """Model name faster-whisper knows (tiny.en, base.en, small.en, medium.en, large-v3,
    large-v3-turbo, distil-large-v3, ...), a Hugging Face repo id of a CTranslate2 Whisper
    conversion ("org/name"), or a path to a local CTranslate2 model directory. "auto":
    the best model on this machine (a download only when none is): on CPU base.en when it has been
    downloaded (74 M parameters: several times faster than real time with int8 on a
    laptop, and English-only models are more accurate than multilingual ones of the same
    size), else the bundled tiny.en (installed with Rehearse, works offline);
    large-v3-turbo on CUDA when downloaded (near large-v3 accuracy with a 4-layer
    decoder, about 6x faster than large-v3, ~1.6 GB in float16 so it fits consumer GPUs)."""
    device: str = "auto"
    """"auto" (CUDA when CTranslate2 sees a GPU, else CPU), "cpu" or "cuda"."""
    compute_type: str = "default"
    """"default" = int8 on CPU (about 2x faster than float32, accuracy loss negligible for
    Whisper per CTranslate2's benchmarks), float16 on CUDA. Any CTranslate2 compute type
    ("int8_float16", "float32", ...) is accepted."""
    language: str = "en"
    """Spoken language code ("en", "de", ...) or "auto" to detect it (multilingual models
    only; English-only *.en models always transcribe English)."""
    cpu_threads: int = 0
    """CPU threads for decoding; 0 = min(4, cores). Whisper decodes token by token, so
    more than ~4 threads does not help (faster-whisper's own default is 4)."""
    beam_size: int = 5
    """Beam width (faster-whisper's default 5; 1 = greedy, ~2x faster, a little less accurate)."""
    vad: bool = True
    """Skip silence with faster-whisper's bundled Silero VAD (fewer hallucinations on
    silence, faster). Off: every piece is decoded in full."""
    vad_threshold: float = 0.5
    """Silero speech probability threshold (0.5 is Silero's recommended default)."""
    vad_speech_pad_ms: int = 400
    """Padding kept around each VAD speech region so soft first syllables are not clipped
    (faster-whisper raised its default from 30 to 400 ms for this, PR #179; see #925)."""
    vad_min_silence_ms: int = 100
    """Silence shorter than this does not end a VAD speech region. Short (100 ms) so the
    regions hug the speech, which the hesitation hints need; for decoding, regions closer
    than twice the padding merge anyway, so words are never split."""
    verbatim_prompt: str = "default"
    """Hint given to Whisper in every window to keep fillers ("um", "uh"): "default" uses a
    disfluent sentence, "" turns it off, anything else is used as the hint. Applied only
    for English (the default hint is English). Helps, but is unreliable (faster-whisper
    #319, #901), hence the audio-side hesitations as well."""
    hesitations: bool = True
    """Mark audio-side hints of fillers Whisper did not write: flat-pitch, steady voiced
    stretches of >= 200 ms (analysis.hesitation.find_filled_pauses) in speech that no word
    covers and in words stretched far beyond the speaker's typical length."""
    filler_tokens: tuple[str, ...] = ("[UM]=um", "[UH]=uh", "[UHM]=um", "[HM]=hmm", "[MM]=mm")
    """Verbatim models' filler tokens (e.g. CrisperWhisper writes [UM]/[UH]) mapped to the
    words the analysis counts, as "TOKEN=word"."""
    piece_min_s: float = 8.0
    """Audio is cut into pieces at the first pause after this many seconds (live and batch
    alike): short pieces make stop->report fast, long ones give Whisper more context."""
    piece_max_s: float = 28.0
    """A piece without any pause is cut at its quietest moment after this many seconds
    (below Whisper's 30-s window, so a piece is one window)."""
    pause_s: float = 0.5
    """Quiet this long (relative to the loudness heard so far) is a pause to cut at; 0.5 s
    is longer than any within-word stop closure (~0.1-0.2 s), so cuts never split a word."""
    trim_invented: bool = True
    """Drop what Whisper writes but nobody said: words wholly outside the speech the VAD
    found, a low-confidence tail at the end of speech (p < 0.05), and fillers with
    p < 0.03 (measured: invented ones come at p 0.00-0.01, real ones at 0.07 and up)."""
    file_pieces: bool = False
    """Transcribe files (transcribe, analyze AUDIO, import, re-transcribe) in the live
    path's pieces, so a file's words equal the live words exactly. Off (default): the
    whole file's speech is decoded in faster-whisper's own 30-s windows, ~1.5x faster,
    and within a few percent WER of the live words (README "Speed")."""
    download: bool = True
    """Download a missing named model on first use (into the app's model cache)."""


COMPUTE_TYPES = (
    "default",
    "auto",
    "int8",
    "int8_float32",
    "int8_float16",
    "int8_bfloat16",
    "int16",
    "float16",
    "bfloat16",
    "float32",
)
"""CTranslate2's compute types (and "default": int8 on CPU, float16 on CUDA)."""

RANGES = {
    "model": Text(max_len=500),
    "device": Choice(("auto", "cpu", "cuda")),
    "compute_type": Choice(COMPUTE_TYPES),
    "language": Text(max_len=8, empty=True),
    "cpu_threads": Num(0, 64, integer=True),
    "beam_size": Num(1, 20, integer=True),
    "vad_threshold": Num(0.01, 0.99),
    "vad_speech_pad_ms": Num(0, 2000, integer=True),
    "vad_min_silence_ms": Num(0, 10000, integer=True),
    "verbatim_prompt": Text(max_len=1000, empty=True),
    "filler_tokens": Words(
        max_items=50,
        max_len=60,
        pattern="TOKEN=word",
        form=lambda s: not s.strip() or bool(re.fullmatch(r"\s*\S[^=]*=\s*\S.*", s)),
    ),
    "piece_min_s": Num(1.0, 60.0),
    "piece_max_s": Num(2.0, 30.0),
    "pause_s": Num(0.1, 5.0),
}
"""The valid range of each setting (analysis.setting_ranges); the README lists them."""
