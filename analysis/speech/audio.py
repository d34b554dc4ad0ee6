"""Audio in: any file PyAV (FFmpeg) or libsndfile reads, or an array, as 16 kHz mono
float32 (what Whisper takes); and a file at its own rate for the take store."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, cast

from analysis.speech.errors import AudioError, TranscribeError

if TYPE_CHECKING:  # pragma: no cover
    from collections.abc import Iterator

    import av
    import numpy as np
    from numpy.typing import NDArray

SAMPLE_RATE = 16000


def load_audio(path: str | os.PathLike[str]) -> NDArray[np.float32]:
    """Decode any audio file PyAV (FFmpeg) reads to 16 kHz mono float32.

    Streams frame by frame into a preallocated array, so memory stays ~4 bytes per
    sample (a one-hour file: ~230 MB), never several copies."""
    import numpy as np

    p = Path(path)
    if not p.exists():
        raise AudioError(f"{p}: no such file")
    if p.is_dir():
        raise AudioError(f"{p}: is a directory, expected an audio file")
    if p.stat().st_size == 0:
        raise AudioError(f"{p}: empty file (0 bytes), not audio")
    fast = _load_with_soundfile(p)
    if fast is not None:
        return fast
    import av
    from av.error import InvalidDataError

    try:
        container = av.open(str(p), mode="r", metadata_errors="ignore")
    except Exception as exc:
        raise AudioError(f"{p}: not a readable audio file ({_av_reason(exc)})") from None
    try:
        if not container.streams.audio:
            raise AudioError(f"{p}: contains no audio stream")
        stream = container.streams.audio[0]
        est = 0
        if stream.duration is not None and stream.time_base is not None:
            est = int(float(stream.duration * stream.time_base) * SAMPLE_RATE) + SAMPLE_RATE
        elif container.duration:
            est = int(container.duration / 1_000_000 * SAMPLE_RATE) + SAMPLE_RATE
        buf = np.zeros(max(est, SAMPLE_RATE), dtype=np.float32)
        n = 0
        resampler = mono16k_resampler()
        bad = 0

        def put(frames: list[av.AudioFrame]) -> None:
            nonlocal buf, n
            for fr in frames:
                arr = _samples(fr)
                if n + arr.size > buf.size:
                    grow = np.zeros(max(buf.size, arr.size) + SAMPLE_RATE * 60, dtype=np.float32)
                    grow[: buf.size] = buf
                    buf = grow
                buf[n : n + arr.size] = arr
                n += arr.size

        try:
            for frame in container.decode(stream):
                frame.pts = None
                put(resampler.resample(frame))
            put(resampler.resample(None))
        except InvalidDataError as exc:
            bad += 1
            if n == 0:
                raise AudioError(f"{p}: corrupt or unsupported audio ({_av_reason(exc)})") from None
        except AudioError:
            raise
        except Exception as exc:
            if n == 0:
                raise AudioError(f"{p}: corrupt or unsupported audio ({_av_reason(exc)})") from None
    finally:
        container.close()
    audio = buf[:n]
    if buf.size > n * 1.2 + SAMPLE_RATE:
        audio = audio.copy()
    return audio


class _SoundFile(Protocol):
    """The part of soundfile.SoundFile (untyped) that _load_with_soundfile uses."""

    samplerate: int
    frames: int

    def seekable(self) -> bool: ...
    def blocks(self, blocksize: int, dtype: str, always_2d: bool) -> Iterator[NDArray[np.float32]]: ...
    def __enter__(self) -> _SoundFile: ...
    def __exit__(self, *exc: object) -> None: ...


MPEG_SUFFIXES = (".mp3", ".mp2", ".mp1", ".mpga")
"""Decoded with PyAV (FFmpeg), never libsndfile: libsndfile hands such files to libmpg123,
which writes "Note: Illegal Audio-MPEG-Header ..." straight to the terminal's stderr
when the file is not really MPEG audio."""


def _load_with_soundfile(p: Path) -> NDArray[np.float32] | None:
    """WAV/FLAC/OGG via libsndfile in large blocks (several times faster than PyAV's
    packet-by-packet decode for long files); None when libsndfile cannot read it."""
    import numpy as np

    if p.suffix.lower() in MPEG_SUFFIXES:
        return None  # libsndfile's MPEG decoder (libmpg123) prints "Note:" lines on bad input
    try:
        import soundfile as sf  # pyright: ignore[reportMissingTypeStubs]  # no stubs; typed by _SoundFile below

        f = cast("_SoundFile", sf.SoundFile(str(p)))
    except Exception:
        return None
    with f:
        rate = f.samplerate
        if f.frames <= 0 and f.seekable():
            return np.zeros(0, dtype=np.float32)
        est = int(f.frames * SAMPLE_RATE / rate) + SAMPLE_RATE if f.frames > 0 else SAMPLE_RATE * 60
        out = np.zeros(est, dtype=np.float32)
        n = 0
        resampler = None
        if rate != SAMPLE_RATE:
            resampler = mono16k_resampler()
        try:
            blocks = f.blocks(blocksize=rate * 20, dtype="float32", always_2d=True)
            for block in blocks:
                mono = block.mean(axis=1, dtype=np.float32) if block.shape[1] > 1 else block[:, 0]
                parts = [mono] if resampler is None else resample_block(resampler, mono, rate)
                for part in parts:
                    if n + part.size > out.size:
                        grow = np.zeros(out.size + part.size + SAMPLE_RATE * 60, dtype=np.float32)
                        grow[:n] = out[:n]
                        out = grow
                    out[n : n + part.size] = part
                    n += part.size
            if resampler is not None:
                for fr in resampler.resample(None):
                    part = _samples(fr)
                    if n + part.size > out.size:
                        out = np.concatenate([out[:n], np.zeros(part.size, dtype=np.float32)])
                    out[n : n + part.size] = part
                    n += part.size
        except Exception as exc:
            if n == 0:
                raise AudioError(f"{p}: corrupt or unsupported audio ({str(exc).splitlines()[0][:120]})") from None
    audio = out[:n]
    return audio.copy() if out.size > n * 1.2 + SAMPLE_RATE else audio


def mono16k_resampler() -> av.AudioResampler:
    """A PyAV resampler to 16 kHz mono float32 (keeps its state between blocks)."""
    import av

    return av.AudioResampler(format="flt", layout="mono", rate=SAMPLE_RATE)


def resample_block(resampler: av.AudioResampler, mono: NDArray[np.float32], rate: int) -> list[NDArray[np.float32]]:
    import av
    import numpy as np

    frame = av.AudioFrame.from_ndarray(
        np.ascontiguousarray(mono, dtype=np.float32).reshape(1, -1), format="flt", layout="mono"
    )
    frame.sample_rate = int(rate)
    return [_samples(fr) for fr in resampler.resample(frame)]


def _samples(frame: av.AudioFrame) -> NDArray[np.float32]:
    """A frame of mono16k_resampler's (format "flt": float32, one channel) as a flat array."""
    return cast("NDArray[np.float32]", frame.to_ndarray().reshape(-1))


def _av_reason(exc: Exception) -> str:
    text = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
    text = re.sub(r":\s*'.*?'$", "", text.splitlines()[0])
    return text[:120]


def as_mono16k(audio: Any) -> NDArray[np.float32]:
    import numpy as np

    arr = np.asarray(audio)
    if arr.ndim == 2:
        arr = arr.mean(axis=1 if arr.shape[1] <= 8 else 0)
    if arr.ndim != 1:
        raise TranscribeError("audio array must be mono (n,) or (n, channels)")
    if arr.dtype.kind == "i":
        arr = arr.astype(np.float32) / float(np.iinfo(arr.dtype).max + 1)
    return np.ascontiguousarray(arr, dtype=np.float32)


def decode_native_rate(src: Path) -> tuple[int, NDArray[np.float32]]:
    """(rate, mono float32 samples) of a file FFmpeg reads, at the file's own sample rate
    (for the take store, which keeps a recording as recorded). Raises AudioError (one line
    naming the file) when it is not audio."""
    import av
    from faster_whisper.audio import decode_audio

    try:
        with av.open(str(src)) as container:
            if not container.streams.audio:
                raise AudioError(f"{src}: has no audio stream")
            rate = int(container.streams.audio[0].rate or 16000)
        return rate, decode_audio(str(src), sampling_rate=rate)
    except AudioError:
        raise
    except Exception as exc:
        # FFmpeg's errors carry an errno ("[Errno 1094995529] Invalid data found ...: 'x.mp3'"):
        # show only its words
        msg = getattr(exc, "strerror", None) or (str(exc).splitlines() or [""])[0] or type(exc).__name__
        msg = re.sub(r"^\[Errno -?\d+\]\s*", "", str(msg))
        msg = re.sub(r":\s*'.*?'$", "", msg)[:120]
        raise AudioError(f"{src}: not an audio file Rehearse can read ({msg})") from None
