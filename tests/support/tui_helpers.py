"""Helpers for the TUI tests: stand-in PortAudio streams (so Pilot tests drive the real
Recorder and Player code without a sound card), app builders, and waiting utilities."""

from __future__ import annotations

import shutil
import threading
import time
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import numpy as np

from recorder.workflow import Workflow

ROOT = Path(__file__).resolve().parents[2]
SPEECH_WAV = ROOT / "tests" / "fixtures" / "speech_16k.wav"
SAMPLE_DIR = ROOT / "sample_audio"
FIXED_NOW = datetime(2026, 11, 20, 9, 30, 0, tzinfo=timezone.utc)


def read_wav(path: Path = SPEECH_WAV) -> tuple[np.ndarray, int]:
    import soundfile as sf

    data, rate = sf.read(str(path), dtype="float32", always_2d=True)
    return data[:, 0].copy(), int(rate)


class FakeInputStream:
    """Behaves like ``sounddevice.InputStream``: a thread calls ``callback`` with blocks of
    ``signal`` (looped) every ``block/rate`` seconds (``speed`` times faster)."""

    def __init__(
        self,
        signal: np.ndarray,
        *,
        callback: Callable,
        samplerate: int,
        speed: float = 1.0,
        finished_callback: Callable | None = None,
        block: int = 1600,
        **_: Any,
    ) -> None:
        self.signal = signal.astype("float32")
        self.callback = callback
        self.finished_callback = finished_callback
        self.rate = samplerate
        self.block = block
        self.speed = speed
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        pos = 0
        n = len(self.signal)
        while not self._stop.is_set():
            idx = (np.arange(pos, pos + self.block)) % n
            block = self.signal[idx].reshape(-1, 1)
            self.callback(block, self.block, None, 0)
            pos += self.block
            time.sleep(self.block / self.rate / self.speed)

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(2)

    def close(self) -> None:
        self.stop()
        if self.finished_callback:
            self.finished_callback()


def input_stream_factory(signal: np.ndarray, speed: float = 1.0) -> Callable[..., FakeInputStream]:
    def factory(**kwargs: Any) -> FakeInputStream:
        return FakeInputStream(signal, speed=speed, **kwargs)

    return factory


class FakeOutputStream:
    """Like ``sounddevice.OutputStream``: a thread pulls blocks through ``callback`` at
    real-time pace and records what was played."""

    def __init__(
        self,
        *,
        callback: Callable,
        samplerate: int,
        finished_callback: Callable | None = None,
        channels: int = 1,
        **_: Any,
    ) -> None:
        self.callback = callback
        self.finished_callback = finished_callback
        self.rate = int(samplerate)
        self.channels = channels
        self.block = max(1, self.rate // 50)
        self.played = 0
        self.active = False
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self.active = True
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        out = np.zeros((self.block, self.channels), dtype="float32")
        while not self._stop.is_set():
            try:
                self.callback(out, self.block, None, 0)
            except Exception:  # CallbackStop/CallbackAbort end the stream, as in PortAudio
                break
            self.played += self.block
            time.sleep(self.block / self.rate)
        self.active = False
        if self.finished_callback and not self._stop.is_set():
            self.finished_callback()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(2)
        self.active = False

    def abort(self) -> None:
        self.stop()

    def close(self) -> None:
        self.stop()


def output_stream_factory(**kwargs: Any) -> FakeOutputStream:
    return FakeOutputStream(**kwargs)


def fake_player_factory(path: Path, device: Any = None) -> Any:
    from recorder.playback import Player

    return Player(path, device=device, stream_factory=output_stream_factory)


async def wait_for(pilot: Any, condition: Callable[[], Any], timeout: float = 20.0, what: str = "condition") -> Any:
    """Let the app run until ``condition()`` is truthy (workers, timers) or fail."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        await pilot.pause(0.05)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")


async def settle(pilot: Any) -> None:
    """Wait for the app's workers and the messages they post. A worker that failed has
    already been reported by the app (a notification), which is what tests check."""
    from textual.worker import WorkerFailed

    for _ in range(2):
        try:
            await pilot.app.workers.wait_for_complete()
        except WorkerFailed:
            pass
        await pilot.pause()


def copy_sample(dest: Path) -> Path:
    """A private copy of the bundled sample (tests may not touch the source)."""
    out = dest / "sample"
    shutil.copytree(SAMPLE_DIR, out, ignore=shutil.ignore_patterns("*.py", "__pycache__", "README*"))
    return out


def second_take_of_sample(question_suffix: str = "") -> str:
    """Another take of the sample's question: same audio, a transcript without fillers."""
    from dataclasses import replace

    from recorder.takes import Library

    lib = Library()
    [sample] = lib.list()
    src = lib.get(sample.id)
    take_id, folder = lib.new_take(sample.question + question_suffix, sample.competency)
    shutil.copyfile(src.audio_path, folder / "audio.flac")
    take = lib.finish_take(take_id)
    t = lib.load_transcript(sample.id)
    fillers = {"um", "uh", "like"}
    t2 = replace(t, words=tuple(w for w in t.words if w.norm not in fillers))
    lib.save_transcript(take.id, t2)
    Workflow(lib).score(take.id)
    return take.id


async def download_from_settings(pilot: Any, app: Any, name: str) -> Any:
    """Open Settings (F4), set the speech model to ``name`` and press Ctrl+D (download it);
    returns the Settings screen."""
    await pilot.press("f4")
    await settle(pilot)
    screen = app.screen
    screen.query_one("#f-transcription-model").value = name
    await pilot.press("ctrl+d")
    return screen


async def library_and_takes(pilot: Any, app: Any) -> tuple[Any, Any]:
    """Let the app settle on its first screen (the Library); that screen and its takes table."""
    from textual.widgets import DataTable

    await settle(pilot)
    screen = app.screen
    return screen, screen.query_one("#takes", DataTable)


def stand_in_recorder_factory(speed: float = 1.0, signal: np.ndarray | None = None) -> Callable[..., Any]:
    """A recorder factory for the app: the real Recorder on a stand-in input stream that
    plays ``signal`` (default: the fixture speech, at half level) ``speed`` x real time."""
    from recorder.capture import Recorder

    if signal is None:
        signal = read_wav()[0] * 0.5

    def factory(path: Any, device: Any = None, on_block: Any = None) -> Recorder:
        return Recorder(
            path, device, samplerate=16000, on_block=on_block, stream_factory=input_stream_factory(signal, speed=speed)
        )

    return factory
