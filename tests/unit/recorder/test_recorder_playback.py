"""Player logic (play, pause, seek, position, end) driven by a fake output stream that the
test pulls block by block; the real path to the speakers is in test_recorder_e2e.py."""

from __future__ import annotations

import numpy as np
import pytest
import soundfile as sf

from analysis.errors import RehearseError
from recorder.errors import AudioDeviceError
from recorder.playback import Player

RATE = 8000


class PulledStream:
    def __init__(self, **kw):
        self.kw = kw
        self.started = self.closed = False

    def start(self):
        self.started = True

    def stop(self):
        pass

    def close(self):
        self.closed = True

    def pull(self, frames=800):
        out = np.full((frames, 1), 9.0, dtype=np.float32)
        self.kw["callback"](out, frames, None, None)
        return out[:, 0]


@pytest.fixture
def ramp(tmp_path):
    x = (np.arange(RATE * 2) % 1000 / 1000 - 0.5).astype(np.float32)  # 2 s, recognisable samples
    path = tmp_path / "take.flac"
    sf.write(path, x, RATE, subtype="PCM_24")
    return path, sf.read(path, dtype="float32")[0]


def make(path, **kw):
    streams = []

    def factory(**skw):
        streams.append(PulledStream(**skw))
        return streams[-1]

    return Player(path, stream_factory=factory, **kw), streams


def test_play_pause_seek_and_end(ramp):
    path, x = ramp
    finished = []
    p, streams = make(path, on_finished=lambda: finished.append(True))
    assert p.duration == pytest.approx(2.0) and p.position == 0 and not p.playing
    p.play()
    s = streams[0]
    assert s.kw["samplerate"] == RATE and s.kw["channels"] == 1 and p.playing
    assert np.array_equal(s.pull(), x[:800])
    assert p.position == pytest.approx(0.1)
    p.pause()
    assert not np.any(s.pull()) and p.position == pytest.approx(0.1)  # silence while paused
    p.seek(1.5)  # the TUI jumps to a filler
    assert p.position == pytest.approx(1.5)
    p.resume()
    assert np.array_equal(s.pull(), x[12000:12800])
    block = s.pull(4000)  # runs past the end: the rest is silence
    assert np.array_equal(block[:3200], x[12800:]) and not np.any(block[3200:])
    assert p.finished and not p.playing and finished == [True]
    assert p.position == pytest.approx(2.0)
    p.play()  # after the end, play starts again from the top
    assert np.array_equal(s.pull(), x[:800])
    assert p.toggle() is False and not p.playing
    p.play(from_s=0.5)
    assert np.array_equal(s.pull(), x[4000:4800])
    p.seek(99)
    assert p.position == pytest.approx(2.0)
    p.close()
    assert s.closed and p.position == 0


def test_bad_files_and_busy_output(tmp_path, ramp):
    with pytest.raises(RehearseError, match="no such audio file"):
        Player(tmp_path / "missing.flac")
    junk = tmp_path / "junk.flac"
    junk.write_bytes(b"junk")
    with pytest.raises(RehearseError, match="junk.flac: cannot read"):
        Player(junk)

    def busy(**kw):
        raise RuntimeError("Error opening OutputStream: Device unavailable [PaErrorCode -9985]")

    p = Player(ramp[0], device="hdmi", stream_factory=busy)
    with pytest.raises(AudioDeviceError, match="busy"):
        p.play()
    assert not p.playing
