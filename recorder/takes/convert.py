"""Audio conversions of the take store (numpy/soundfile imported lazily): the raw PCM a
recorder wrote -> FLAC, any audio file -> mono FLAC for an import. Each writes a temp
file beside its target and renames it into place."""

from __future__ import annotations

import contextlib
from pathlib import Path

from analysis.transcript import atomic_path
from recorder.errors import LibraryError
from recorder.takes.layout import FILE_MODE, _disk_full, _os_error

_CHUNK_FRAMES = 1 << 18


def _pcm_to_flac(raw: Path, flac: Path, rate: int, channels: int) -> int:
    """Encode the raw 16-bit PCM a recorder wrote into FLAC (atomically). Returns frames.
    A torn last frame (the process was killed mid-write) is dropped."""
    import numpy as np
    import soundfile as sf

    frame_bytes = 2 * channels
    size = raw.stat().st_size
    frames = size // frame_bytes
    if frames == 0:
        return 0
    with (
        atomic_path(flac, FILE_MODE) as tmp,
        open(raw, "rb") as src,
        sf.SoundFile(tmp, "w", samplerate=rate, channels=channels, format="FLAC", subtype="PCM_16") as out,
    ):
        left = frames
        while left:
            n = min(left, _CHUNK_FRAMES)
            data = np.frombuffer(src.read(n * frame_bytes), dtype="<i2")
            got = len(data) // channels
            if got == 0:
                break
            out.write(data[: got * channels].reshape(got, channels))
            left -= got
    return frames - left


def _flac_frames(path: Path) -> int | None:
    import soundfile as sf

    try:
        return sf.info(str(path)).frames
    except Exception:
        return None


def _flac_rate(path: Path) -> int | None:
    import soundfile as sf

    try:
        return int(sf.info(str(path)).samplerate)
    except Exception:
        return None


def _import_to_flac(src: Path, dest: Path) -> tuple[int, int]:
    """Any audio file -> mono FLAC at its own rate. Tries libsndfile, then FFmpeg (PyAV)."""
    import numpy as np
    import soundfile as sf

    from analysis.speech.audio import MPEG_SUFFIXES

    try:
        with atomic_path(dest, FILE_MODE) as tmp:
            info = None
            if src.suffix.lower() not in MPEG_SUFFIXES:  # libsndfile's libmpg123 prints "Note:" lines
                with contextlib.suppress(Exception):
                    info = sf.info(str(src))
            if info is not None and info.frames != 0:
                subtype = "PCM_24" if info.subtype in ("PCM_24", "PCM_32", "FLOAT", "DOUBLE") else "PCM_16"
                frames = 0
                with (
                    sf.SoundFile(str(src)) as f,
                    sf.SoundFile(tmp, "w", samplerate=f.samplerate, channels=1, format="FLAC", subtype=subtype) as out,
                ):
                    for block in f.blocks(blocksize=_CHUNK_FRAMES, dtype="float32", always_2d=True):
                        mono = block.mean(axis=1) if block.shape[1] > 1 else block[:, 0]
                        out.write(np.clip(mono, -1.0, 1.0))
                        frames += len(mono)
                rate = int(info.samplerate)
            else:
                from analysis.speech.audio import decode_native_rate
                from analysis.speech.errors import AudioError

                try:  # a format libsndfile cannot read: FFmpeg, through the speech package
                    rate, audio = decode_native_rate(src)
                except AudioError as exc:
                    raise LibraryError(str(exc)) from None
                frames = len(audio)
                if frames == 0:
                    raise LibraryError(f"{src}: the file holds no audio")
                sf.write(tmp, np.clip(audio, -1.0, 1.0), rate, format="FLAC", subtype="PCM_16")
        return rate, frames
    except OSError as exc:
        raise _os_error(exc, f"cannot import {src}") from None
    except sf.LibsndfileError as exc:  # libsndfile's own error, e.g. writing to a full disk
        if _disk_full(dest.parent):
            raise LibraryError(f"cannot import {src}: the disk is full; free some space and try again") from None
        raise LibraryError(f"cannot import {src}: {exc.error_string or exc}") from None
