"""Recorder behaviour with a FAKE input stream (fault injection only: overflow flags, a
device that dies mid-take, a full disk). The real audio path is tested end to end in
test_recorder_e2e.py."""

from __future__ import annotations

import errno
import threading
import time
from types import SimpleNamespace

import numpy as np
import pytest
import soundfile as sf

from analysis.transcript import Marker
from recorder.capture import Recorder
from recorder.errors import AudioDeviceError, LibraryError, RecordingError
from recorder.takes import Library
from recorder.takes.lock import folder_is_live

RATE = 16000
BLOCK = 320  # 20 ms


class FakeStream:
    """Stands in for sounddevice.InputStream: calls the callback from its own thread
    with scripted blocks; optionally "dies" (finished_callback) or goes silent."""

    def __init__(self, script, die_after=None, hang_after=None, **kw):
        self.kw = kw
        self.script = script
        self.die_after = die_after
        self.hang_after = hang_after
        self._stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def start(self):
        self.thread.start()

    def _run(self):
        cb = self.kw["callback"]
        for i, (block, flags) in enumerate(self.script):
            if self._stop.is_set():
                return
            if self.die_after is not None and i == self.die_after:
                self.kw["finished_callback"]()
                return
            if self.hang_after is not None and i == self.hang_after:
                return
            cb(block.reshape(-1, 1).astype(np.float32), len(block), None, flags)
            time.sleep(0.001)

    def stop(self):
        self._stop.set()
        if self.thread.is_alive():
            self.thread.join()
        self.kw["finished_callback"]()

    def close(self):
        pass


def factory(script, **opts):
    made = []

    def make(**kw):
        s = FakeStream(script, **opts, **kw)
        made.append(s)
        return s

    make.made = made
    return make


def sine_blocks(n_blocks, amp=0.5, freq=440.0, overflow_at=()):
    t = np.arange(n_blocks * BLOCK) / RATE
    x = (amp * np.sin(2 * np.pi * freq * t)).astype(np.float32)
    ok = SimpleNamespace(input_overflow=False)
    return [
        (x[i * BLOCK : (i + 1) * BLOCK], SimpleNamespace(input_overflow=True) if i in overflow_at else ok)
        for i in range(n_blocks)
    ], x


def wait_for(cond, timeout=5.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if cond():
            return True
        time.sleep(0.01)
    return False


def test_records_exact_audio_levels_and_live_blocks(rehearse_home):
    lib = Library()
    take_id, folder = lib.new_take("levels")
    script, x = sine_blocks(50)
    fed = []
    rec = Recorder(
        folder, samplerate=RATE, stream_factory=factory(script), on_block=lambda b, r: fed.append((len(b), r))
    )
    rec.start()
    assert folder_is_live(folder)
    assert wait_for(lambda: rec.frames_written == len(x))
    rms, peak = rec.level()
    assert rms == pytest.approx(20 * np.log10(0.5 / np.sqrt(2)), abs=0.2)  # -9 dBFS
    assert peak == pytest.approx(20 * np.log10(0.5), abs=0.2)
    assert rec.elapsed == pytest.approx(len(x) / RATE)
    rec.stop()
    take = lib.finish_take(take_id, recorder=rec)
    assert not folder_is_live(folder)
    got, rate = sf.read(take.audio_path, dtype="float32")
    assert rate == RATE and len(got) == len(x)
    assert np.max(np.abs(got - x)) <= 1 / 32768 + 1e-7  # 16-bit quantisation only
    assert sum(n for n, _ in fed) == len(x) and {r for _, r in fed} == {RATE}
    assert take.overflows == 0 and rec.error is None


def test_overflows_counted_live_and_saved(rehearse_home):
    lib = Library()
    take_id, folder = lib.new_take("overflows")
    script, x = sine_blocks(40, overflow_at=(3, 10, 25))
    rec = Recorder(folder, samplerate=RATE, stream_factory=factory(script)).start()
    assert wait_for(lambda: rec.frames_written == len(x))
    assert rec.overflows == 3  # visible while recording
    assert wait_for(lambda: '"overflows": 3' in (folder / "recording.json").read_text())
    rec.stop()
    assert lib.finish_take(take_id, recorder=rec).overflows == 3


def test_device_dies_mid_take_keeps_audio(rehearse_home):
    lib = Library()
    take_id, folder = lib.new_take("unplugged")
    script, x = sine_blocks(60)
    rec = Recorder(folder, samplerate=RATE, stream_factory=factory(script, die_after=25)).start()
    assert wait_for(lambda: rec.error is not None)
    assert isinstance(rec.error, AudioDeviceError)
    assert "stopped" in str(rec.error) and "kept" in str(rec.error) and "\n" not in str(rec.error)
    rec.stop()
    take = lib.finish_take(take_id, recorder=rec)
    assert take.duration == pytest.approx(25 * BLOCK / RATE)


def test_device_goes_silent_is_detected(rehearse_home):
    lib = Library()
    take_id, folder = lib.new_take("silent device")
    script, x = sine_blocks(60)
    rec = Recorder(folder, samplerate=RATE, stall_timeout=0.3, stream_factory=factory(script, hang_after=10)).start()
    assert wait_for(lambda: rec.error is not None)
    assert "stopped delivering audio" in str(rec.error)
    rec.stop()
    assert lib.finish_take(take_id, recorder=rec).duration == pytest.approx(10 * BLOCK / RATE)


class DiskFillsUp(Recorder):
    writes_allowed = 12

    def _write_audio(self, data):
        if self.writes_allowed <= 0:
            raise OSError(errno.ENOSPC, "No space left on device")
        self.writes_allowed -= 1
        super()._write_audio(data)


def test_disk_full_keeps_audio_so_far(rehearse_home):
    lib = Library()
    take_id, folder = lib.new_take("disk full")
    script, x = sine_blocks(40)
    rec = DiskFillsUp(folder, samplerate=RATE, stream_factory=factory(script)).start()
    assert wait_for(lambda: rec.error is not None)
    assert isinstance(rec.error, RecordingError) and "disk is full" in str(rec.error)
    assert "0.2 s are kept" in str(rec.error)  # 12 blocks of 20 ms
    rec.stop()
    take = lib.finish_take(take_id, recorder=rec)
    got, _ = sf.read(take.audio_path, dtype="float32")
    assert len(got) == 12 * BLOCK and np.max(np.abs(got - x[: len(got)])) <= 1 / 32768 + 1e-7


def test_pause_resume_and_markers(rehearse_home):
    lib = Library()
    take_id, folder = lib.new_take("paused")
    gate = threading.Event()
    script, x = sine_blocks(30)

    class Gated(FakeStream):
        def _run(self):
            cb = self.kw["callback"]
            for i, (block, flags) in enumerate(self.script):
                if i in (10, 20):
                    gate.wait(5)
                    gate.clear()
                cb(block.reshape(-1, 1), len(block), None, flags)

    rec = Recorder(folder, samplerate=RATE, stream_factory=lambda **kw: Gated(script, **kw)).start()
    assert wait_for(lambda: rec.frames_written == 10 * BLOCK)
    assert rec.add_marker("Situation") == Marker("situation", 0.2)
    rec.pause()
    assert rec.paused
    gate.set()  # blocks 10..19 arrive while paused: not recorded
    assert wait_for(lambda: not gate.is_set())
    time.sleep(0.05)
    assert rec.frames_written == 10 * BLOCK
    rec.resume()
    gate.set()
    assert wait_for(lambda: rec.frames_written == 20 * BLOCK)
    rec.add_marker("action")
    with pytest.raises(ValueError):
        rec.add_marker("conclusion")
    rec.stop()
    take = lib.finish_take(take_id, recorder=rec)
    assert take.duration == pytest.approx(20 * BLOCK / RATE)
    assert take.markers == (Marker("situation", 0.2), Marker("action", 0.4))
    got, _ = sf.read(take.audio_path, dtype="float32")
    expect = np.concatenate([x[: 10 * BLOCK], x[20 * BLOCK :]])
    assert np.max(np.abs(got - expect)) <= 1 / 32768 + 1e-7


def test_cancel_discards(rehearse_home):
    lib = Library()
    take_id, folder = lib.new_take("cancel me")
    script, _ = sine_blocks(20)
    rec = Recorder(folder, samplerate=RATE, stream_factory=factory(script)).start()
    assert wait_for(lambda: rec.frames_written > 0)
    rec.cancel()
    lib.discard(take_id)
    assert not folder.exists() and lib.list() == []


def test_live_block_failure_never_stops_recording(rehearse_home):
    lib = Library()
    take_id, folder = lib.new_take("live fails")
    script, x = sine_blocks(30)

    def boom(block, rate):
        raise RuntimeError("transcriber crashed")

    rec = Recorder(folder, samplerate=RATE, stream_factory=factory(script), on_block=boom).start()
    assert wait_for(lambda: rec.frames_written == len(x))
    rec.stop()
    assert isinstance(rec.on_block_error, RuntimeError) and rec.error is None
    assert lib.finish_take(take_id, recorder=rec).duration == pytest.approx(len(x) / RATE)


def test_busy_device_is_one_clear_line_and_nothing_left_locked(rehearse_home):
    lib = Library()
    take_id, folder = lib.new_take("busy")

    def busy(**kw):
        raise RuntimeError("Error opening InputStream: Device unavailable [PaErrorCode -9985]")

    rec = Recorder(folder, device="USB mic", samplerate=RATE, stream_factory=busy)
    with pytest.raises(AudioDeviceError, match="busy") as info:
        rec.start()
    assert "\n" not in str(info.value) and "USB mic" in str(info.value)
    assert not folder_is_live(folder)
    lib.discard(take_id)


def test_audio_reaches_disk_while_recording(rehearse_home):
    """Crash safety: what the callback accepted is in audio.pcm (the kernel's hands)
    without waiting for stop — so a SIGKILL cannot take it away."""
    lib = Library()
    take_id, folder = lib.new_take("on disk")
    script, x = sine_blocks(25)
    rec = Recorder(folder, samplerate=RATE, stream_factory=factory(script, hang_after=25)).start()
    assert wait_for(lambda: (folder / "audio.pcm").stat().st_size == 2 * len(x))
    rec.stop()
    lib.finish_take(take_id, recorder=rec)


def test_finish_with_nothing_recorded(rehearse_home):
    lib = Library()
    take_id, folder = lib.new_take("empty")
    rec = Recorder(folder, samplerate=RATE, stream_factory=factory([])).start()
    rec.stop()
    with pytest.raises(LibraryError, match="nothing was recorded"):
        lib.finish_take(take_id, recorder=rec)
    assert lib.list() == []


def test_finish_while_recording_refused_then_allowed(rehearse_home):
    lib = Library()
    take_id, folder = lib.new_take("too early")
    script, x = sine_blocks(20)
    rec = Recorder(folder, samplerate=RATE, stream_factory=factory(script, hang_after=20)).start()
    assert wait_for(lambda: rec.frames_written == len(x))
    with pytest.raises(LibraryError, match="stop the recorder"):
        lib.finish_take(take_id)  # the library finds this process's recorder by its folder
    assert lib.recover_unfinished() == []  # a live take is never "recovered" under its recorder
    rec.stop()
    take = lib.finish_take(take_id)
    assert take.duration == pytest.approx(len(x) / RATE) and not folder_is_live(take.path)


def test_stereo_only_device_is_mixed_to_mono(rehearse_home):
    lib = Library()
    take_id, folder = lib.new_take("stereo only")
    script, x = sine_blocks(10)
    stereo = [(np.stack([b, np.zeros_like(b)], axis=1), f) for b, f in script]

    class StereoOnly(FakeStream):
        def _run(self):
            for block, flags in self.script:
                self.kw["callback"](block, len(block), None, flags)

    def make(channels, **kw):
        if channels != 2:
            raise RuntimeError("Invalid number of channels [PaErrorCode -9998]")
        return StereoOnly(stereo, **kw)

    rec = Recorder(folder, samplerate=RATE, stream_factory=make).start()
    assert wait_for(lambda: rec.frames_written == len(x))
    rec.stop()
    got, _ = sf.read(lib.finish_take(take_id, recorder=rec).audio_path, dtype="float32")
    assert np.max(np.abs(got - x / 2)) <= 1 / 32768 + 1e-7
