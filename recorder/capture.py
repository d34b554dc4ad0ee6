"""Microphone capture that never loses audio.

Three activities, none of which waits on another (the pattern of sounddevice's
``examples/rec_gui.py``):

* the **audio callback** (PortAudio's thread) copies each block into a queue, counts
  input overflows, and offers the block's level to a size-1 queue (dropped if full). It
  never blocks and never touches a file;
* the **writer thread** owns the files: it appends each block as 16-bit PCM to
  ``audio.pcm`` in the take's in-progress folder with unbuffered writes (so a SIGKILL
  loses at most the blocks still queued, a few tens of milliseconds), fsyncs every 2 s,
  keeps ``recording.json`` (rate, device, markers, overflows) up to date, feeds
  ``on_block`` (live transcription) and watches for a device that stopped delivering;
* the **caller** (CLI or TUI) polls ``elapsed``, ``level()``, ``overflows``, ``error``.

While recording, the process holds an flock on ``.take.lock`` in the folder, so another
``rehearse`` never "recovers" a take that is still being recorded; after a crash the
kernel drops the lock and :meth:`recorder.takes.Library.recover_unfinished` turns the
folder into a normal take (FLAC) marked recovered.
"""

from __future__ import annotations

import contextlib
import errno
import json
import math
import os
import queue
import threading
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from analysis.transcript import STAR_LABELS, Marker, atomic_write_text
from recorder.errors import AudioDeviceError, RecordingError
from recorder.takes.layout import RAW_AUDIO, RECORDING_JSON, TAKE_LOCK
from recorder.takes.lock import claim, unclaim

FLOOR_DBFS = -120.0
FSYNC_EVERY_S = 2.0
META_EVERY_S = 1.0


def dbfs(x: float) -> float:
    return max(FLOOR_DBFS, 20.0 * math.log10(x)) if x > 0 else FLOOR_DBFS


class Recorder:
    """Record mono audio from ``device`` into the take folder ``path``.

    ``path``: the in-progress folder (from :meth:`Library.new_take`); created if missing.
    ``device``: None (the default microphone), an index, or a (sub)string of its name.
    ``samplerate``: None = the device's default rate. ``on_block(block, rate)``: called
    from the writer thread with each float32 mono block (for live transcription); an
    exception there disables it (see ``on_block_error``) but never stops the recording.
    ``stream_factory``: a stand-in for ``sounddevice.InputStream`` (tests only).
    """

    def __init__(
        self,
        path: str | os.PathLike[str],
        device: Any = None,
        samplerate: int | None = None,
        on_block: Callable[[Any, int], None] | None = None,
        *,
        blocksize: int | None = None,
        latency: Any = "high",
        stall_timeout: float = 3.0,
        stream_factory: Callable[..., Any] | None = None,
    ):
        self.path = Path(path)
        self.device = device
        self.samplerate = int(samplerate) if samplerate else None
        self.on_block = on_block
        self.blocksize = blocksize
        self.latency = latency
        self.stall_timeout = stall_timeout
        self._stream_factory = stream_factory
        self.device_name: str | None = None
        self.error: BaseException | None = None
        self.on_block_error: BaseException | None = None
        self._q: queue.Queue = queue.Queue()
        self._level_q: queue.Queue = queue.Queue(maxsize=1)
        self._last_level = (FLOOR_DBFS, FLOOR_DBFS)
        self._frames = 0  # frames accepted by the callback (not paused)
        self._written = 0  # frames on disk
        self._base_frames = 0  # frames already in audio.pcm when we started
        self._overflows = 0
        self._paused = False
        self._started = False
        self._stopping = False
        self._stopped = False
        self._markers: list[Marker] = []
        self._meta_dirty = threading.Event()
        self._stream: Any = None
        self._writer: threading.Thread | None = None
        self._file: Any = None
        self._lock_fd: int | None = None
        self._last_cb = 0.0
        self._np: Any = None
        self.created = datetime.now().astimezone().replace(microsecond=0).isoformat()

    # ---- state ------------------------------------------------------------------------
    @property
    def recording(self) -> bool:
        return self._started and not self._stopped

    @property
    def paused(self) -> bool:
        return self._paused

    @property
    def overflows(self) -> int:
        return self._overflows

    @property
    def elapsed(self) -> float:
        """Seconds of audio recorded so far (pauses excluded)."""
        if not self.samplerate:
            return 0.0
        return (self._base_frames + self._frames) / self.samplerate

    @property
    def frames_written(self) -> int:
        return self._base_frames + self._written

    @property
    def markers(self) -> tuple[Marker, ...]:
        return tuple(self._markers)

    @property
    def audio_file(self) -> Path:
        return self.path / RAW_AUDIO

    def level(self) -> tuple[float, float]:
        """(RMS dBFS, peak dBFS) of the latest block the callback offered."""
        try:
            self._last_level = self._level_q.get_nowait()
        except queue.Empty:
            pass
        return self._last_level

    def add_marker(self, label: str) -> Marker:
        """Mark "from now on I am in <label>" at the current audio time."""
        label = str(label).strip().lower()
        if label not in STAR_LABELS:
            raise ValueError(f"marker label must be one of {', '.join(STAR_LABELS)}, not {label!r}")
        m = Marker(label, round(self.elapsed, 3))
        self._markers.append(m)
        self._meta_dirty.set()
        return m

    # ---- control ----------------------------------------------------------------------
    def start(self) -> Recorder:
        if self._started:
            raise RecordingError("this recorder was already started; make a new one for a new take")
        from recorder.devices import import_sounddevice, resolve_device, stream_error

        if self._stream_factory is None:
            import_sounddevice()  # without PortAudio: the clear one-line error, before any file is made
        import numpy as np

        self._np = np
        if self._stream_factory is None:
            info = resolve_device(self.device, "input")
            self.device_name = info.name
            device_arg: Any = info.index
            if not self.samplerate:
                self.samplerate = int(info.default_samplerate)
        else:
            self.device_name = str(self.device) if self.device is not None else "test stream"
            device_arg = self.device
            self.samplerate = self.samplerate or 16000
        self._open_files()
        factory = self._stream_factory if self._stream_factory is not None else import_sounddevice().InputStream
        try:
            # 50 ms blocks and PortAudio's "high" latency: ~20 callbacks a second keep the
            # capture near 1-2% of a core (vs ~5% with tiny default blocks), the meter at 20 Hz.
            blocksize = self.blocksize if self.blocksize is not None else max(64, self.samplerate // 20)
            kwargs = dict(
                device=device_arg,
                samplerate=self.samplerate,
                dtype="float32",
                blocksize=blocksize,
                latency=self.latency,
                callback=self._callback,
                finished_callback=self._finished,
            )
            try:
                self._stream = factory(channels=1, **kwargs)
            except Exception as exc:
                # Some raw (hw:) devices only open in stereo: record both, keep their mix.
                if "channels" not in str(exc).lower():
                    raise
                self._stream = factory(channels=2, **kwargs)
        except Exception as exc:
            self._close_files()
            self.release()
            raise stream_error(exc, self.device_name, "input") from None
        self._started = True
        self._last_cb = time.monotonic()
        self._writer = threading.Thread(target=self._write_loop, name="rehearse-writer", daemon=True)
        self._writer.start()
        try:
            self._stream.start()
        except Exception as exc:
            self._stopping = True
            self._q.put(None)
            self._writer.join()
            self._stopped = True
            with contextlib.suppress(Exception):
                self._stream.close()
            self.release()
            raise stream_error(exc, self.device_name, "input") from None
        return self

    def pause(self) -> None:
        self._paused = True

    def resume(self) -> None:
        self._paused = False
        self._last_cb = time.monotonic()

    def stop(self) -> Path:
        """Stop recording; everything captured is on disk when this returns. Returns the
        take folder (finish it with :meth:`Library.finish_take`). Safe to call twice."""
        if not self._started or self._stopped:
            return self.path
        self._stopping = True
        stream, self._stream = self._stream, None
        if stream is not None:
            with contextlib.suppress(Exception):
                stream.stop()
            with contextlib.suppress(Exception):
                stream.close()
        self._q.put(None)
        if self._writer is not None:
            self._writer.join()
        self._stopped = True
        return self.path

    def cancel(self) -> None:
        """Stop and throw the recording away (the user asked to discard it)."""
        self.stop()
        self.release()
        import shutil

        shutil.rmtree(self.path, ignore_errors=True)

    def release(self) -> None:
        """Drop the take's lock (after the library has finished or discarded the take)."""
        with contextlib.suppress(OSError):
            unclaim(self.path)
        if self._lock_fd is not None:
            with contextlib.suppress(OSError):
                os.close(self._lock_fd)
            self._lock_fd = None

    def __enter__(self) -> Recorder:
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.stop()

    # ---- the audio callback (PortAudio's thread: never blocks, no I/O) -----------------
    def _callback(self, indata: Any, frames: int, time_info: Any, status: Any) -> None:
        self._last_cb = time.monotonic()
        if status and getattr(status, "input_overflow", False):
            self._overflows += 1
        np = self._np
        if getattr(indata, "ndim", 1) == 2:
            block = indata[:, 0].copy() if indata.shape[1] == 1 else indata.mean(axis=1, dtype=np.float32)
        else:
            block = indata.copy()
        if len(block):
            peak = float(np.max(np.abs(block)))
            rms = float(np.sqrt(np.mean(np.square(block, dtype=np.float64))))
            level = (dbfs(rms), dbfs(peak))
            try:
                self._level_q.put_nowait(level)
            except queue.Full:  # replace the unread older level; never wait
                try:
                    self._level_q.get_nowait()
                    self._level_q.put_nowait(level)
                except (queue.Empty, queue.Full):
                    pass
        if self._paused or self._stopped or self.error is not None:
            return
        self._frames += len(block)
        self._q.put_nowait(block)

    def _finished(self) -> None:
        # PortAudio calls this when the stream ends: by our stop(), or on its own (device gone).
        if not self._stopping and self.error is None:
            self.error = AudioDeviceError(
                f"the microphone {self.device_name!r} stopped (disconnected?); recording stopped — "
                f"the first {self.elapsed:.1f} s are kept"
            )

    # ---- the writer thread (owns the files) ---------------------------------------------
    def _open_files(self) -> None:
        import fcntl

        try:
            self.path.mkdir(mode=0o700, parents=True, exist_ok=True)
            fd = os.open(self.path / TAKE_LOCK, os.O_RDWR | os.O_CREAT, 0o600)
        except OSError as exc:
            raise RecordingError(f"cannot create the take folder {self.path}: {exc.strerror or exc}") from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            raise RecordingError(f"{self.path} is already being recorded by another rehearse") from None
        self._lock_fd = fd
        claim(self.path, self)
        try:
            # Unbuffered: every block goes straight to the kernel; never truncates old audio.
            fd = os.open(self.audio_file, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)  # private from the start
            self._file = open(fd, "ab", buffering=0)
            os.chmod(self.audio_file, 0o600)
            self._base_frames = os.fstat(self._file.fileno()).st_size // 2
            self._write_meta(state="recording")
        except OSError as exc:
            self._close_files()
            self.release()
            raise RecordingError(f"cannot write {self.audio_file}: {exc.strerror or exc}") from None

    def _close_files(self) -> None:
        f, self._file = self._file, None
        if f is not None:
            with contextlib.suppress(OSError):
                os.fsync(f.fileno())
            with contextlib.suppress(OSError):
                f.close()

    def _write_meta(self, state: str) -> None:
        data = {
            "format": "pcm_s16le",
            "samplerate": self.samplerate,
            "channels": 1,
            "device": self.device_name,
            "started": self.created,
            "frames": self.frames_written,
            "overflows": self._overflows,
            "markers": [m.to_dict() for m in self._markers],
            "state": state,
            "error": str(self.error) if self.error is not None else None,
        }
        atomic_write_text(self.path / RECORDING_JSON, json.dumps(data, indent=1) + "\n")

    def _write_audio(self, data: bytes) -> None:
        view = memoryview(data)
        while view:
            n = self._file.write(view)
            if n is None:  # pragma: no cover - only for non-blocking files
                continue
            view = view[n:]

    def _write_loop(self) -> None:
        np = self._np
        on_block = self.on_block
        last_sync = last_meta = time.monotonic()
        overflows_seen = 0
        failed = False
        while True:
            try:
                block = self._q.get(timeout=0.1)
            except queue.Empty:
                block = False
            if block is None:
                break
            if block is not False and not failed:
                pcm = np.clip(np.rint(block * 32768.0), -32768, 32767).astype("<i2")
                try:
                    self._write_audio(pcm.tobytes())
                    self._written += len(pcm)
                except OSError as exc:
                    failed = True
                    self._on_write_error(exc)
                if on_block is not None and not failed:
                    try:
                        on_block(block, int(self.samplerate or 0))
                    except Exception as exc:  # live transcription must never stop the take
                        self.on_block_error = exc
                        on_block = None
            now = time.monotonic()
            if (
                not failed
                and self.error is None
                and not self._paused
                and not self._stopping
                and now - self._last_cb > self.stall_timeout
            ):
                self.error = AudioDeviceError(
                    f"the microphone {self.device_name!r} stopped delivering audio (disconnected?); "
                    f"recording stopped — the first {self.elapsed:.1f} s are kept"
                )
            if failed:
                continue
            if now - last_sync >= FSYNC_EVERY_S:
                with contextlib.suppress(OSError):
                    os.fsync(self._file.fileno())
                last_sync = now
            if self._meta_dirty.is_set() or self._overflows != overflows_seen or now - last_meta >= META_EVERY_S:
                self._meta_dirty.clear()
                overflows_seen = self._overflows
                last_meta = now
                with contextlib.suppress(OSError):
                    self._write_meta(state="recording")
        self._close_files()
        with contextlib.suppress(OSError):
            self._write_meta(state="stopped")

    def _on_write_error(self, exc: OSError) -> None:
        kept = self.frames_written / self.samplerate if self.samplerate else 0.0
        if exc.errno == errno.ENOSPC:
            why = "the disk is full"
        elif exc.errno == errno.EDQUOT:
            why = "the disk quota is exceeded"
        else:
            why = f"cannot write {self.audio_file} ({exc.strerror or exc})"
        self.error = RecordingError(f"recording stopped: {why}; the first {kept:.1f} s are kept")
