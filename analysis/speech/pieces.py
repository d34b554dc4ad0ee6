"""Cutting audio into pieces at pauses (a causal rule, so the live and the batch path cut
at the same places) and finding the speech in a piece (Silero VAD, bundled with
faster-whisper), padded so first syllables are not clipped."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from analysis.speech.audio import SAMPLE_RATE
from analysis.speech.options import TranscribeOptions

if TYPE_CHECKING:  # pragma: no cover
    import numpy as np
    from numpy.typing import NDArray

FRAME = 320  # 20 ms at 16 kHz: the energy resolution for pauses

SpeechRegions = tuple[list[tuple[int, int]], list[tuple[int, int]]]
"""(raw speech regions, padded regions to decode): (start, end) sample pairs."""


class PauseCutter:
    """Causal cut rule: after ``min_s`` since the last cut, cut in the middle of the first
    stretch of ``pause_s`` quiet; after ``max_s`` without such a pause, cut at the quietest
    frame of the last 3 s. "Quiet" = more than 30 dB below the loudest frame heard so far
    (and at most -35 dBFS); anything under -60 dBFS is always quiet.

    Fed 20-ms frame energies in order; identical input gives identical cuts whether the
    audio arrives all at once (batch) or in blocks (live)."""

    def __init__(self, min_s: float, max_s: float, pause_s: float) -> None:
        self.min_f = int(min_s * 50)
        self.max_f = max(int(max_s * 50), self.min_f + 1)
        self.pause_f = max(int(pause_s * 50), 1)
        self.peak = -120.0
        self.last_cut = 0  # frame index
        self.quiet_run = 0
        self.recent: list[float] = []  # dB of frames since last cut
        self.cuts: list[int] = []  # frame indices

    def push(self, db_values: Iterable[float], first_index: int) -> None:
        i = first_index
        for db in db_values:
            self.peak = max(self.peak, db)
            threshold = max(-60.0, min(self.peak - 30.0, -35.0))
            self.quiet_run = self.quiet_run + 1 if db < threshold else 0
            self.recent.append(db)
            since = i + 1 - self.last_cut
            if since >= self.min_f and self.quiet_run >= self.pause_f:
                self._cut(i + 1 - self.quiet_run + self.quiet_run // 2)
            elif since >= self.max_f:
                window = self.recent[-150:]
                j = min(range(len(window)), key=lambda k: window[k])
                self._cut(i + 1 - len(window) + j)
            i += 1

    def _cut(self, frame: int) -> None:
        frame = max(frame, self.last_cut + 1)
        self.cuts.append(frame)
        keep = len(self.recent) - (frame - self.last_cut)
        self.recent = self.recent[len(self.recent) - keep :] if keep > 0 else []
        self.last_cut = frame
        self.quiet_run = 0


def frame_db(audio: NDArray[np.float32]) -> NDArray[np.float32]:
    import numpy as np

    n = audio.size // FRAME
    if n == 0:
        return np.zeros(0, dtype=np.float32)
    x = audio[: n * FRAME].reshape(n, FRAME).astype(np.float32)
    rms = np.sqrt(np.mean(x * x, axis=1) + 1e-12)
    return (20 * np.log10(rms)).astype(np.float32)


def piece_bounds(audio: NDArray[np.float32], options: TranscribeOptions) -> list[tuple[int, int]]:
    cutter = PauseCutter(options.piece_min_s, options.piece_max_s, options.pause_s)
    # feed in blocks to keep memory flat for long files
    total = audio.size
    step = FRAME * 50 * 60
    for start in range(0, total - total % FRAME, step):
        cutter.push(frame_db(audio[start : min(start + step, total - total % FRAME)]).tolist(), start // FRAME)
    cuts = [c * FRAME for c in cutter.cuts if 0 < c * FRAME < total]
    bounds: list[tuple[int, int]] = []
    prev = 0
    for c in cuts + [total]:
        if c > prev:
            bounds.append((prev, c))
            prev = c
    return bounds


def _speech_regions(piece: NDArray[np.float32], options: TranscribeOptions) -> list[tuple[int, int]]:
    """Silero speech regions (samples, unpadded) in ``piece``; [] for (near) silence."""
    import numpy as np

    if piece.size < FRAME:
        return []
    db = frame_db(piece)
    if db.size == 0 or float(db.max()) < -60.0:
        return []  # digital silence / room tone far below speech: skip the VAD model
    from faster_whisper.vad import VadOptions, get_speech_timestamps

    vad = VadOptions(
        threshold=options.vad_threshold,
        min_speech_duration_ms=120,
        min_silence_duration_ms=options.vad_min_silence_ms,
        speech_pad_ms=0,
    )
    regions = get_speech_timestamps(np.ascontiguousarray(piece), vad)
    return [(int(r["start"]), int(r["end"])) for r in regions if r["end"] > r["start"]]


def _pad_regions(regions: list[tuple[int, int]], pad: int, n: int) -> list[tuple[int, int]]:
    out: list[list[int]] = []
    for s, e in regions:
        s, e = max(0, s - pad), min(n, e + pad)
        if out and s <= out[-1][1]:
            out[-1][1] = max(out[-1][1], e)
        else:
            out.append([s, e])
    return [(s, e) for s, e in out]


def piece_regions(piece: NDArray[np.float32], options: TranscribeOptions) -> SpeechRegions:
    """(raw speech regions, padded regions to decode), in samples of ``piece``.

    The decoder sees exactly the padded regions' samples, so two pieces with the same
    regions (e.g. the tail of a recording before and after more trailing silence) decode
    to the same words."""
    n = piece.size
    if n == 0:
        return [], []
    if not options.vad:
        return [], [(0, n)]
    raw = _speech_regions(piece, options)
    return raw, (_pad_regions(raw, int(options.vad_speech_pad_ms * SAMPLE_RATE / 1000), n) if raw else [])


def file_regions(samples: NDArray[np.float32], options: TranscribeOptions) -> SpeechRegions:
    """(raw speech regions, padded regions to decode) of a whole file, in samples.

    The VAD runs piece by piece (cut at pauses by the live path's rule, so the regions
    are those the live transcriber finds, and memory stays flat for an hour-long file);
    the padded regions of neighbouring pieces that touch are merged."""
    if samples.size == 0:
        return [], []
    if not options.vad:
        return [], [(0, samples.size)]
    raw_all: list[tuple[int, int]] = []
    padded_all: list[tuple[int, int]] = []
    for start, end in piece_bounds(samples, options):
        raw, padded = piece_regions(samples[start:end], options)
        raw_all += [(s + start, e + start) for s, e in raw]
        padded_all += [(s + start, e + start) for s, e in padded]
    return raw_all, _pad_regions(padded_all, 0, samples.size)
