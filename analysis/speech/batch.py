"""Transcribing a file or an array: the whole recording's speech decoded in faster-whisper's
own 30-s windows (or, with ``file_pieces``, in the live path's pieces), as one Transcript."""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from analysis.hesitation import find_filled_pauses, find_hesitations
from analysis.speech.audio import SAMPLE_RATE, as_mono16k, load_audio
from analysis.speech.decode import PieceResult, decode_piece
from analysis.speech.download import DownloadProgressFn
from analysis.speech.load import LoadedModel, load_model
from analysis.speech.options import TranscribeOptions
from analysis.speech.pieces import file_regions, piece_bounds
from analysis.transcript import Transcript

if TYPE_CHECKING:  # pragma: no cover
    import numpy as np
    from numpy.typing import NDArray

ProgressFn = Callable[[float, float], None]


def build_transcript(
    loaded: LoadedModel,
    options: TranscribeOptions,
    results: list[PieceResult],
    duration: float,
    audio: NDArray[np.float32] | None = None,
) -> Transcript:
    """``audio``: the recording (16 kHz mono), for the hesitation hints' check of the sound;
    without it they come from the word times alone."""
    words = [w for r in results for w in r.words]
    speech = [s for r in results for s in r.speech]
    hes = find_hesitations(words, speech) if options.hesitations and options.vad else ()
    if options.hesitations and not options.vad:
        hes = find_hesitations(words, [])
    if options.hesitations and options.vad and audio is not None:  # the audio at hand: check it
        hes = find_filled_pauses(audio, words, speech)
    extra: dict[str, Any] = {}
    if not words:
        extra["no_speech"] = True
    loops = sum(r.loops_removed for r in results)
    if loops:
        extra["repetition_loops_removed"] = loops
    language = options.language
    if language in ("", "auto"):  # detected: the language of most transcribed words
        counts: dict[str, int] = {}
        for r in results:
            if r.language:
                counts[r.language] = counts.get(r.language, 0) + len(r.words)
        language = max(counts, key=lambda k: counts[k]) if counts else "en"
    return Transcript(
        words=tuple(words),
        duration=round(duration, 3),
        language=language,
        model=loaded.name,
        hesitations=hes,
        extra=extra,
    )


def transcribe(
    audio: str | os.PathLike[str] | NDArray[Any],
    options: TranscribeOptions | None = None,
    progress: ProgressFn | None = None,
    download_progress: DownloadProgressFn | None = None,
) -> Transcript:
    """Transcribe a file (wav/flac/mp3/ogg/m4a, any rate/channels) or a 16 kHz float32
    array. ``progress(done_s, total_s)``. Silence: no words, ``extra["no_speech"]``."""
    options = options or TranscribeOptions()
    if isinstance(audio, (str, os.PathLike)):
        samples = load_audio(audio)
    else:
        samples = as_mono16k(audio)
    loaded = load_model(options, download_progress)
    total = samples.size / SAMPLE_RATE
    if progress:
        progress(0.0, total)
    cb: Callable[[float], None] | None = (lambda t: progress(min(t, total), total)) if progress else None
    if not options.file_pieces:
        # One call: the whole recording's speech regions (one VAD pass), padded, joined
        # and decoded by faster-whisper in its own 30-s windows (as its transcribe() with
        # vad_filter does), times mapped back. The live path's pieces cost a full 30-s
        # window each, however short (benchmarks/batch_speed.py measures both).
        result = decode_piece(loaded, samples, 0.0, options, cb, precomputed=file_regions(samples, options))
        if progress:
            progress(total, total)
        return build_transcript(loaded, options, [result], total, samples)
    results: list[PieceResult] = []
    for start, end in piece_bounds(samples, options):
        piece = samples[start:end]
        results.append(decode_piece(loaded, piece, start / SAMPLE_RATE, options, cb))
        if progress:
            progress(end / SAMPLE_RATE, total)
    return build_transcript(loaded, options, results, total, samples)
