"""Decoding one piece's speech with Whisper (word timestamps, times mapped back to the
recording) and the guards against invented text: thresholds, echo of the hint,
repetition loops, words nobody said, times clamped into the piece."""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from analysis.errors import RehearseError
from analysis.speech.audio import SAMPLE_RATE
from analysis.speech.errors import TranscribeError
from analysis.speech.load import LoadedModel
from analysis.speech.options import DEFAULT_VERBATIM_PROMPT, TranscribeOptions
from analysis.speech.pieces import SpeechRegions, piece_regions
from analysis.transcript import Word, normalize

if TYPE_CHECKING:  # pragma: no cover
    import numpy as np
    from numpy.typing import NDArray

MAX_NEW_TOKENS = 200


@dataclass
class PieceResult:
    words: list[Word]
    speech: list[tuple[float, float]]  # raw (unpadded) VAD speech regions, seconds
    loops_removed: int = 0
    dropped_segments: int = 0
    language: str | None = None


_LOOP_MIN_COPIES = 4


def remove_loops(words: list[Word]) -> tuple[list[Word], int]:
    """Collapse an n-gram (n = 1..8) repeated 4+ times in a row to one copy: Whisper's
    repetition loops. Genuine repetitions ("I, I think") repeat 2-3 times and stay."""
    norms = [w.norm for w in words]
    removed = 0
    i = 0
    out: list[Word] = []
    while i < len(words):
        best = None
        for n in range(1, 9):
            if i + n * _LOOP_MIN_COPIES > len(words):
                break
            gram = norms[i : i + n]
            if not all(gram):
                continue
            copies = 1
            while norms[i + copies * n : i + (copies + 1) * n] == gram:
                copies += 1
            if copies >= _LOOP_MIN_COPIES and (best is None or copies * n > best[0] * best[1]):
                best = (copies, n)
        if best:
            copies, n = best
            out.extend(words[i : i + n])
            removed += (copies - 1) * n
            i += copies * n
        else:
            out.append(words[i])
            i += 1
    return out, removed


def _prompt_for(options: TranscribeOptions, language: str | None) -> str | None:
    hint = options.verbatim_prompt
    if hint == "default":
        return DEFAULT_VERBATIM_PROMPT if (language or "en") == "en" else None
    # faster-whisper allows a hint of up to 223 tokens, and hint + max_new_tokens must
    # fit Whisper's 448: 600 characters is ~150 tokens
    return hint.strip()[:600] or None


_FILLER_TOKEN = re.compile(r"\[([A-Za-z]+)\]")


def _map_filler(text: str, fmap: dict[str, str]) -> str:
    def sub(m: re.Match[str]) -> str:
        return fmap.get(m.group(0).upper(), m.group(0))

    return _FILLER_TOKEN.sub(sub, text)


def decode_piece(
    loaded: LoadedModel,
    piece: NDArray[np.float32],
    offset_s: float,
    options: TranscribeOptions,
    on_progress: Callable[[float], None] | None = None,
    precomputed: SpeechRegions | None = None,
) -> PieceResult:
    import numpy as np

    raw, regions = precomputed if precomputed is not None else piece_regions(piece, options)
    if not regions:
        return PieceResult([], [])
    n = piece.size
    speech = [(offset_s + s / SAMPLE_RATE, offset_s + e / SAMPLE_RATE) for s, e in raw]
    chunks = [piece[s:e] for s, e in regions]
    audio = np.concatenate(chunks) if len(chunks) > 1 else np.ascontiguousarray(chunks[0])
    # concatenated time -> piece time. faster-whisper's map finds the region a time falls
    # in (found by a word's middle, so its start and end map through the same region);
    # the time itself is mapped here in samples, as its get_original_time rounds to 0.01 s
    from faster_whisper.vad import SpeechTimestampsMap

    region_of = SpeechTimestampsMap([{"start": s, "end": e} for s, e in regions], SAMPLE_RATE).get_chunk_index
    starts: list[int] = []
    cum: list[int] = []
    acc = 0
    for s, e in regions:
        starts.append(s)
        cum.append(acc)
        acc += e - s

    def to_piece(t: float, mid: float) -> float:
        k = region_of(mid)
        return (starts[k] + (t * SAMPLE_RATE - cum[k])) / SAMPLE_RATE

    language = None if options.language in ("", "auto") else options.language
    prompt = _prompt_for(options, language)
    model = loaded.model
    try:
        segments, info = model.transcribe(
            audio,
            language=language,
            beam_size=options.beam_size,
            word_timestamps=True,
            vad_filter=False,
            condition_on_previous_text=False,
            hotwords=prompt,
            no_speech_threshold=0.6,
            log_prob_threshold=-1.0,
            compression_ratio_threshold=2.4,
            hallucination_silence_threshold=2.0,
            temperature=(0.0, 0.2, 0.4, 0.6, 0.8, 1.0),
            # A piece is <= one 30-s window; even fast speech (200 wpm) needs < 150 tokens
            # there. The cap bounds the cost of a repetition loop (else up to 448 tokens
            # per try, for each of the 6 fallback temperatures).
            max_new_tokens=MAX_NEW_TOKENS,
        )
        words: list[Word] = []
        dropped = 0
        prompt_norm = " ".join(normalize(t) for t in (prompt or "").split())
        # most of the hint repeated verbatim is an echo, not speech (short overlaps such
        # as "you know" are ordinary speech and stay)
        echo_min = max(6, int(0.6 * len(prompt_norm.split())))
        for seg in segments:
            if seg.no_speech_prob > 0.6 and seg.avg_logprob < -1.0:
                dropped += 1
                continue
            seg_words = [w for w in (seg.words or []) if w.word.strip()]
            seg_norm = " ".join(normalize(w.word) for w in seg_words)
            if prompt_norm and len(seg_words) >= echo_min and seg_norm and seg_norm in prompt_norm:
                dropped += 1  # the hint echoed back, not speech
                continue
            for w in seg_words:
                mid = (w.start + w.end) / 2
                start = to_piece(float(w.start), mid)
                end = to_piece(float(w.end), mid)
                text = _map_filler(w.word, loaded.filler_map)
                words.append(Word(text, offset_s + start, offset_s + end, float(w.probability)))
            if on_progress is not None:
                on_progress(offset_s + to_piece(float(seg.end), float(seg.end)))
    except RehearseError:
        raise
    except Exception as exc:
        first = (str(exc).splitlines() or [type(exc).__name__])[0]
        raise TranscribeError(f"transcription failed ({type(exc).__name__}: {first[:160]})") from None
    words, loops = remove_loops(words)
    if options.trim_invented:
        words, trimmed = trim_invented(words, speech if raw else None)
        dropped += trimmed
    return PieceResult(
        _sanitize(words, offset_s, offset_s + n / SAMPLE_RATE), speech, loops, dropped, getattr(info, "language", None)
    )


_SPEECH_MARGIN_S = 0.15


_TAIL_MIN_P = 0.05  # invented tails measured at p 0.00-0.01; real last words >= 0.3
_FILLER_MIN_P = 0.03  # invented fillers measured at p 0.00-0.01; real ones 0.07-0.93 (benchmarks/filler_prompts.py)
_FILLER_NORMS = frozenset({"um", "uh", "uhm", "umm", "uhh", "hmm", "hm", "mm", "er", "erm", "ah"})


def trim_invented(words: list[Word], speech: Sequence[tuple[float, float]] | None) -> tuple[list[Word], int]:
    """Drop what Whisper wrote but nobody said (each rule measured on real tiny.en output):

    1. words wholly outside the VAD's unpadded speech (0.15-s margin): text written over
       the 0.4-s padding or a silent stretch;
    2. the words at the end of a decoded stretch (the end of speech) with probability
       < 0.05: "... himself. Yeah. Uh," on a LibriVox reading came at p 0.00;
    3. filler words with probability < 0.03 anywhere ("Uh," at p 0.00-0.01 in answers
       without a filler, mostly prompted by the filler hint)."""
    n = len(words)
    if speech is not None:
        words = [
            w
            for w in words
            if any(w.end >= s - _SPEECH_MARGIN_S and w.start <= e + _SPEECH_MARGIN_S for s, e in speech)
        ]
    while words and words[-1].probability < _TAIL_MIN_P:
        words.pop()
    words = [w for w in words if not (w.norm in _FILLER_NORMS and w.probability < _FILLER_MIN_P)]
    return words, n - len(words)


def _sanitize(words: list[Word], lo: float, hi: float) -> list[Word]:
    """Clamp into the piece, keep start order, no negative durations."""
    out: list[Word] = []
    last = lo
    for w in words:
        s = min(max(w.start, lo, last), hi)
        e = min(max(w.end, s), hi)
        p = w.probability if math.isfinite(w.probability) else 0.0
        out.append(Word(w.text, round(s, 3), round(e, 3), max(0.0, min(1.0, p))))
        last = s
    return out
