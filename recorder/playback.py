"""Playing a take: play, pause/resume, seek (the TUI jumps to a filler), position.

The take is decoded into memory once (a 3-minute take at 48 kHz is ~35 MB of float32);
a PortAudio output callback copies from it. Control calls only set fields the callback
reads, so none of them blocks (safe from the Textual event loop); only ``stop()`` and
``close()`` wait for the device to drain.
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from analysis.errors import RehearseError
from recorder.errors import AudioDeviceError


class Player:
    """``Player(path, device=None)``: ``device`` is None (default output), an index, or
    part of a device name. ``on_finished()`` is called (from the audio thread) when the
    end of the take is reached."""

    def __init__(
        self,
        path: str | os.PathLike[str],
        device: Any = None,
        *,
        on_finished: Callable[[], None] | None = None,
        stream_factory: Callable[..., Any] | None = None,
    ):
        import numpy as np
        import soundfile as sf

        self.path = Path(path)
        self.device = device
        self.on_finished = on_finished
        self._stream_factory = stream_factory
        if not self.path.is_file():
            raise RehearseError(f"{self.path}: no such audio file")
        try:
            data, rate = sf.read(str(self.path), dtype="float32", always_2d=True)
        except FileNotFoundError:
            raise RehearseError(f"{self.path}: no such audio file") from None
        except Exception as exc:
            raise RehearseError(
                f"{self.path}: cannot read the audio ({str(exc).splitlines()[0] if str(exc) else exc})"
            ) from None
        self._data = np.ascontiguousarray(data.mean(axis=1) if data.shape[1] > 1 else data[:, 0])
        self.rate = int(rate)
        self._pos = 0
        self._seek_req: int | None = None
        self._paused = True
        self._done = False
        self._stream: Any = None
        self._lock = threading.Lock()
        self.device_name: str | None = None
        self.error: BaseException | None = None

    # ---- state ------------------------------------------------------------------------
    @property
    def duration(self) -> float:
        return len(self._data) / self.rate if self.rate else 0.0

    @property
    def position(self) -> float:
        """Seconds from the start of the take that have been handed to the device."""
        req = self._seek_req
        return (req if req is not None else self._pos) / self.rate

    @property
    def playing(self) -> bool:
        return self._stream is not None and not self._paused and not self._done

    @property
    def finished(self) -> bool:
        return self._done

    # ---- control ----------------------------------------------------------------------
    def play(self, from_s: float | None = None) -> None:
        if from_s is not None:
            self.seek(from_s)
        elif self._done:
            self.seek(0.0)
        self._done = False
        self._paused = False
        if self._stream is None:
            self._open()

    def pause(self) -> None:
        self._paused = True

    def resume(self) -> None:
        self.play()

    def toggle(self) -> bool:
        """Play/pause; returns True when now playing."""
        if self.playing:
            self.pause()
            return False
        self.play()
        return True

    def seek(self, seconds: float) -> None:
        frame = int(round(max(0.0, min(float(seconds), self.duration)) * self.rate))
        self._seek_req = frame
        if frame < len(self._data):
            self._done = False

    def stop(self) -> None:
        """Stop playing and rewind."""
        stream, self._stream = self._stream, None
        self._paused = True
        if stream is not None:
            with contextlib.suppress(Exception):
                stream.stop()
            with contextlib.suppress(Exception):
                stream.close()
        self._seek_req = None
        self._pos = 0
        self._done = False

    def close(self) -> None:
        self.stop()

    def __enter__(self) -> Player:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    # ---- the stream ---------------------------------------------------------------------
    def _open(self) -> None:
        from recorder.devices import import_sounddevice, resolve_device, stream_error

        if self._stream_factory is None:
            sd = import_sounddevice()
            info = resolve_device(self.device, "output")
            self.device_name = info.name
            factory, device_arg = sd.OutputStream, info.index
        else:
            factory, device_arg = self._stream_factory, self.device
            self.device_name = str(self.device) if self.device is not None else "test stream"
        try:
            # "high" latency and 50 ms blocks: no underruns on a busy machine; seeking and
            # pausing still take effect within ~0.1 s.
            stream = factory(
                device=device_arg,
                channels=1,
                samplerate=self.rate,
                dtype="float32",
                blocksize=max(64, self.rate // 20),
                latency="high",
                callback=self._callback,
                finished_callback=self._finished_cb,
            )
            stream.start()
        except AudioDeviceError:
            raise
        except Exception as exc:
            self._paused = True
            raise stream_error(exc, self.device_name, "output") from None
        self._stream = stream

    def _callback(self, outdata: Any, frames: int, time_info: Any, status: Any) -> None:
        req = self._seek_req
        if req is not None:
            self._seek_req = None
            self._pos = req
        if self._paused or self._done:
            outdata.fill(0)
            return
        pos = self._pos
        chunk = self._data[pos : pos + frames]
        n = len(chunk)
        outdata[:n, 0] = chunk
        if n < frames:
            outdata[n:].fill(0)
        self._pos = pos + n
        if pos + n >= len(self._data):
            self._done = True
            if self.on_finished is not None:
                with contextlib.suppress(Exception):
                    self.on_finished()

    def _finished_cb(self) -> None:
        if self._stream is not None and not self._done:
            self.error = AudioDeviceError(f"the output device {self.device_name!r} stopped (disconnected?)")
            self._paused = True
