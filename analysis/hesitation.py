"""Audio-side hints of fillers the speech model did not write ("possible hesitations"; pure
analysis: words, VAD speech regions and, when at hand, the audio in, spans out)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from analysis.transcript import Span, Word

if TYPE_CHECKING:  # pragma: no cover
    import numpy as np
    from numpy.typing import NDArray


def uncovered_speech(
    words: Sequence[Word], speech: Sequence[tuple[float, float]], margin_s: float, min_s: float
) -> list[tuple[float, float]]:
    """Stretches of VAD speech that no word covers (each word widened by ``margin_s`` on
    both sides), of at least ``min_s`` seconds, in time order."""
    spans: list[tuple[float, float]] = []
    covered = sorted((w.start - margin_s, w.end + margin_s) for w in words)
    for s, e in speech:
        cur = s
        for cs, ce in covered:
            if ce <= cur:
                continue
            if cs >= e:
                break
            if cs - cur >= min_s:
                spans.append((cur, cs))
            cur = max(cur, ce)
            if cur >= e:
                break
        if e - cur >= min_s:
            spans.append((cur, e))
    return spans


def _seconds_per_letter(timed: Sequence[Word]) -> float:
    """The speaker's typical pace: median seconds per letter (words of 3 letters or more
    counted as 3)."""
    import statistics

    return statistics.median(w.duration / max(len(w.norm), 3) for w in timed)


def find_hesitations(
    words: Sequence[Word], speech: Sequence[tuple[float, float]], min_uncovered_s: float = 0.3
) -> tuple[Span, ...]:
    """Audio-side hints of fillers Whisper did not write (not counted as fillers).

    1. Speech found by VAD that no word covers (words widened by 0.1 s each side), lasting
       at least ``min_uncovered_s``.
    2. Words far longer than the speaker's typical pace for their length: duration more
       than 2.5x the expected (median seconds per letter x letters, at least 3 letters)
       and at least 0.4 s over it; faster-whisper stretches a neighbour over a dropped "um".
    """
    spans = uncovered_speech(words, speech, 0.1, min_uncovered_s)
    timed = [w for w in words if w.norm and w.duration > 0]
    if len(timed) >= 5:
        per_letter = _seconds_per_letter(timed)
        for w in timed:
            expected = per_letter * max(len(w.norm), 3)
            if w.duration > 2.5 * expected and w.duration - expected >= 0.4:
                # a word stretched over a silent pause is a pause (the analysis counts
                # those from the gaps), not a hesitation: require speech under most of it
                if speech and _overlap(w.start, w.end, speech) < 0.75 * w.duration:
                    continue
                spans.append((w.start, w.end))
    spans.sort()
    merged: list[list[float]] = []
    for s, e in spans:
        if merged and s <= merged[-1][1] + 0.05:
            merged[-1][1] = max(merged[-1][1], e)
        else:
            merged.append([s, e])
    return tuple(Span(round(s, 3), round(e, 3)) for s, e in merged if e > s)


def _overlap(start: float, end: float, regions: Sequence[tuple[float, float]]) -> float:
    return sum(max(0.0, min(end, e) - max(start, s)) for s, e in regions)


# ----------------------------------------------------------------------------- from the audio
# A filled pause ("um", "uh", a drawn-out vowel) is a voiced stretch of at least 200 ms with
# a nearly flat pitch and a stable spectral envelope (Goto, Itou and Hayamizu, "A real-time
# filled pause detection system for spontaneous speech recognition", Eurospeech 1999).
# Pitch: YIN (de Cheveigne and Kawahara, JASA 2002), written here in numpy; it only runs
# on the candidate stretches (a few seconds an answer), so it costs milliseconds, and it
# needs no new dependency (README "Fillers Whisper leaves out" weighs the libraries).

SR = 16000
HOP = 160  # 10-ms frames
_W = 400  # YIN integration window (25 ms)
F0_MIN, F0_MAX = 70.0, 400.0  # the pitch range of speech (Hz)
YIN_THRESHOLD = 0.15  # de Cheveigne and Kawahara's absolute threshold for the first dip
MIN_LEVEL_DB = -55.0  # frames quieter than this (dBFS) are not speech
MIN_FILLED_S = 0.20  # Goto et al.: filled pauses last 200 ms or more
# Chosen on the figures of benchmarks/hesitation_hints.py --sweep (README "Fillers Whisper
# leaves out"): aperiodicity and envelope at the largest values with no false alarm on the
# clean speech; recall did not change with the pitch range (1-3 st), so a strict one is kept;
# the stretch factor between 1.5 (recall 0.97) and 2.5 (0.89), to search fewer words.
VOICED_APERIODICITY = 0.30  # a frame is voiced when its best YIN dip is below this
MAX_PITCH_RANGE_ST = 1.5  # "nearly flat": pitch range within one 200-ms window, semitones
MAX_ENVELOPE_SPREAD_DB = 2.5  # "stable envelope": RMS cepstral distance from the window's mean envelope
STRETCH_FACTOR = 1.8  # a word this many times its expected length is searched inside
SEARCH_MARGIN_S = 0.05  # words widened by this much when finding speech no word covers


@dataclass(frozen=True)
class Frames:
    """Per 10-ms frame of one stretch of audio: pitch (Hz, 0 unvoiced), aperiodicity,
    level (dB) and the spectral envelope (12 cepstral coefficients, in dB units)."""

    start: float
    f0: NDArray[np.float64]
    aperiodicity: NDArray[np.float64]
    db: NDArray[np.float64]
    envelope: NDArray[np.float64]


def analyse_frames(audio: np.ndarray, start_s: float = 0.0, sr: int = SR) -> Frames:
    """YIN pitch and the cepstral spectral envelope of ``audio`` (16 kHz mono float)."""
    import numpy as np

    x = np.asarray(audio, dtype=np.float64)
    tau_min, tau_max = int(sr / F0_MAX), int(sr / F0_MIN) + 1
    length = _W + tau_max
    n = 1 + (x.size - length) // HOP if x.size >= length else 0
    if n <= 0:
        z = np.zeros(0)
        return Frames(start_s, z, z, z, np.zeros((0, 12)))
    idx = np.arange(length)[None, :] + HOP * np.arange(n)[:, None]
    fr = x[idx]
    fr = fr - fr.mean(axis=1, keepdims=True)
    # difference function d(tau) = e(0) + e(tau) - 2 r(tau), r by FFT
    nfft = 1 << int(np.ceil(np.log2(length + _W)))
    a = fr[:, :_W]
    r = np.fft.irfft(np.conj(np.fft.rfft(a, nfft)) * np.fft.rfft(fr, nfft), nfft)[:, : tau_max + 1]
    cs = np.concatenate([np.zeros((n, 1)), np.cumsum(fr**2, axis=1)], axis=1)
    taus = np.arange(tau_max + 1)
    e_tau = cs[:, taus + _W] - cs[:, taus]
    d = np.maximum(e_tau[:, :1] + e_tau - 2 * r, 0.0)
    cum = np.cumsum(d[:, 1:], axis=1)
    cmnd = np.ones_like(d)
    cmnd[:, 1:] = np.where(cum > 0, d[:, 1:] * taus[1:] / np.where(cum > 0, cum, 1.0), 1.0)  # silence: aperiodic
    seg = cmnd[:, tau_min:]
    below = seg < YIN_THRESHOLD
    # (argmax/argmin along an axis are typed Any in numpy's stubs, which np.where's overloads cannot resolve)
    first_below: NDArray[np.intp] = below.argmax(axis=1)
    lowest: NDArray[np.intp] = seg.argmin(axis=1)
    first = np.where(below.any(axis=1), first_below, lowest)
    # walk down to the bottom of the first dip
    best = first.copy()
    for _ in range(tau_max):
        nxt = np.minimum(best + 1, seg.shape[1] - 1)
        move = seg[np.arange(n), nxt] < seg[np.arange(n), best]
        if not move.any():
            break
        best = np.where(move, nxt, best)
    ap = seg[np.arange(n), best]
    t = best + tau_min
    # parabolic interpolation
    lo, hi = np.maximum(t - 1, 1), np.minimum(t + 1, tau_max)
    y0, y1, y2 = cmnd[np.arange(n), lo], cmnd[np.arange(n), t], cmnd[np.arange(n), hi]
    den = y0 - 2 * y1 + y2
    shift = np.where(np.abs(den) > 1e-12, 0.5 * (y0 - y2) / np.where(den == 0, 1, den), 0.0)
    period = t + np.clip(shift, -1, 1)
    f0 = np.where(ap < VOICED_APERIODICITY, sr / period, 0.0)
    # level and spectral envelope from a 25-ms Hann window at the frame's centre
    w = np.hanning(_W)
    c = (length - _W) // 2
    spec = np.abs(np.fft.rfft(fr[:, c : c + _W] * w, 512)) ** 2
    # the envelope: the first 12 cepstral coefficients (liftered well below any pitch
    # period, so harmonics moving with the pitch do not count), scaled so that Euclidean
    # distance between frames is the cepstral distance in dB
    logp = np.log(np.maximum(spec, spec.max(axis=1, keepdims=True) * 1e-6 + 1e-20))
    cep = np.fft.irfft(logp, 512)[:, 1:13] * (10 / np.log(10) * np.sqrt(2))
    db = 10 * np.log10(np.mean(fr[:, c : c + _W] ** 2, axis=1) + 1e-12)
    # a frame's time is the centre of its samples (where the envelope window sits)
    return Frames(start_s + (c + _W / 2) / sr, f0, ap, db, cep)


def filled_pause_runs(frames: Frames, min_s: float = MIN_FILLED_S) -> list[tuple[float, float]]:
    """Stretches of at least ``min_s`` where every 200-ms window is voiced, with a pitch
    range of at most MAX_PITCH_RANGE_ST and an envelope within MAX_ENVELOPE_SPREAD_DB (RMS
    cepstral distance) of the window's mean (seconds, from the frames' times)."""
    import numpy as np

    k = int(round(min_s * SR / HOP))
    n = frames.f0.size
    if n < k:
        return []
    loud = (frames.db > frames.db.max() - 30) & (frames.db > MIN_LEVEL_DB)  # not a breath or hum under the speech
    voiced = (frames.f0 > 0) & loud
    st = 12 * np.log2(np.where(frames.f0 > 0, frames.f0, 1.0))
    ok = np.zeros(n, dtype=bool)
    for i in range(n - k + 1):
        if not voiced[i : i + k].all():
            continue
        s = st[i : i + k]
        if s.max() - s.min() > MAX_PITCH_RANGE_ST:
            continue
        env = frames.envelope[i : i + k]
        sq_dist: NDArray[np.float64] = np.sum((env - env.mean(axis=0)) ** 2, axis=1)  # per frame, to the mean
        if np.sqrt(np.mean(sq_dist)) > MAX_ENVELOPE_SPREAD_DB:
            continue
        ok[i : i + k] = True
    runs: list[tuple[float, float]] = []
    i = 0
    while i < n:
        if ok[i]:
            j = i
            while j < n and ok[j]:
                j += 1
            runs.append((frames.start + (i - 0.5) * HOP / SR, frames.start + (j - 0.5) * HOP / SR))
            i = j
        else:
            i += 1
    return runs


def candidate_spans(
    words: Sequence[Word], speech: Sequence[tuple[float, float]], duration: float | None = None
) -> list[tuple[float, float]]:
    """Where a dropped filler can hide: speech no word covers (words widened by
    SEARCH_MARGIN_S) of at least MIN_FILLED_S, and words longer than STRETCH_FACTOR x the
    speaker's expected length (median seconds per letter x letters, at least 3)."""
    spans = uncovered_speech(words, speech, SEARCH_MARGIN_S, MIN_FILLED_S)
    timed = [w for w in words if w.norm and w.duration > 0]
    if len(timed) >= 5:
        per_letter = _seconds_per_letter(timed)
        for w in timed:
            if w.duration >= MIN_FILLED_S + 0.1 and w.duration > STRETCH_FACTOR * per_letter * max(len(w.norm), 3):
                spans.append((w.start, w.end))
    if duration is not None:
        spans = [(max(0.0, s), min(duration, e)) for s, e in spans]
    return _merge(spans, 0.0)


def find_filled_pauses(
    audio: np.ndarray, words: Sequence[Word], speech: Sequence[tuple[float, float]], sr: int = SR
) -> tuple[Span, ...]:
    """Possible hesitations heard in the audio (16 kHz mono): flat-pitch, steady voiced
    stretches of at least 200 ms inside ``candidate_spans``. Not counted as fillers."""
    import numpy as np

    if sr != SR:
        raise ValueError(f"find_filled_pauses needs {SR}-Hz audio, got {sr}")
    x = np.asarray(audio, dtype=np.float32).reshape(-1)
    dur = x.size / SR
    tau_max = int(SR / F0_MIN) + 1
    pre = (_W + tau_max) // 2  # a frame's centre lies this far into its samples
    hits: list[tuple[float, float]] = []
    for s, e in candidate_spans(words, speech, dur):
        a = max(0, int(s * SR) - pre)
        b = min(x.size, int(e * SR) + pre)
        if b - a < int(MIN_FILLED_S * SR):
            continue
        for rs, re_ in filled_pause_runs(analyse_frames(x[a:b], a / SR)):
            rs, re_ = max(rs, s), min(re_, e)
            if re_ - rs >= MIN_FILLED_S - 0.02:
                hits.append((rs, re_))
    return tuple(Span(round(s, 3), round(e, 3)) for s, e in _merge(hits, 0.05))


def _merge(spans: list[tuple[float, float]], gap: float) -> list[tuple[float, float]]:
    merged: list[list[float]] = []
    for s, e in sorted(spans):
        if merged and s <= merged[-1][1] + gap:
            merged[-1][1] = max(merged[-1][1], e)
        else:
            merged.append([s, e])
    return [(s, e) for s, e in merged if e > s]
