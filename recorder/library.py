"""Decoding an audio file with FFmpeg (PyAV, through faster-whisper) for an import that
libsndfile cannot read. (The take store that was here is the recorder.takes package.)"""

from __future__ import annotations

import re
from pathlib import Path

from recorder.errors import LibraryError


def _decode_with_ffmpeg(src: Path):
    from analysis.privacy import disable_telemetry

    disable_telemetry()  # faster_whisper's import loads huggingface_hub
    try:
        import av
        from faster_whisper.audio import decode_audio
    except ImportError:  # pragma: no cover - faster-whisper is a dependency
        raise LibraryError(f"{src}: not an audio format this installation can read") from None
    try:
        with av.open(str(src)) as container:
            if not container.streams.audio:
                raise LibraryError(f"{src}: has no audio stream")
            rate = int(container.streams.audio[0].rate or 16000)
        return rate, decode_audio(str(src), sampling_rate=rate)
    except LibraryError:
        raise
    except Exception as exc:
        # FFmpeg's errors carry an errno ("[Errno 1094995529] Invalid data found ...: 'x.mp3'"):
        # show only its words
        msg = getattr(exc, "strerror", None) or (str(exc).splitlines() or [""])[0] or type(exc).__name__
        msg = re.sub(r"^\[Errno -?\d+\]\s*", "", str(msg))
        msg = re.sub(r":\s*'.*?'$", "", msg)[:120]
        raise LibraryError(f"{src}: not an audio file Rehearse can read ({msg})") from None
