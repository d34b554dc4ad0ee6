"""Smoke test of the installed ``rehearse`` command in a real terminal (tmux, 80x24):
first run shows the sample take, open it, play and jump to a filler (heard on a private
PulseAudio server's speaker), pause, quit. Screen contents are checked at each step with
``tmux capture-pane``."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
import uuid

import pytest
from recorder_helpers import VirtualAudio, missing_audio_tools, stop_parecord

pytestmark = pytest.mark.slow


class Tmux:
    def __init__(self, env: dict[str, str]) -> None:
        self.sock = f"rehearse-test-{uuid.uuid4().hex[:8]}"
        self.env = env

    def run(self, *args: str) -> str:
        return subprocess.run(
            ["tmux", "-L", self.sock, *args], env=self.env, capture_output=True, text=True, timeout=10
        ).stdout

    def start(self, command: str) -> None:
        self.run("new-session", "-d", "-s", "t", "-x", "80", "-y", "24", command)

    def keys(self, *keys: str) -> None:
        self.run("send-keys", "-t", "t", *keys)

    def screen(self) -> str:
        return self.run("capture-pane", "-p", "-t", "t")

    def wait_for(self, *texts: str, timeout: float = 20.0) -> str:
        deadline = time.monotonic() + timeout
        screen = ""
        while time.monotonic() < deadline:
            screen = self.screen()
            if all(t in screen for t in texts):
                return screen
            time.sleep(0.1)
        raise AssertionError(f"screen never showed {texts!r}; last screen:\n{screen}")

    def kill(self) -> None:
        subprocess.run(["tmux", "-L", self.sock, "kill-server"], capture_output=True, timeout=10)


@pytest.fixture
def audio():
    why = missing_audio_tools()
    if why:
        yield None  # playback assertions are skipped; the rest still runs
        return
    va = VirtualAudio().start()
    try:
        yield va
    finally:
        va.stop()


@pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed (apt install tmux)")
def test_installed_rehearse_in_tmux(rehearse_bin, rehearse_home, audio, tmp_path):
    env = dict(audio.env if audio is not None else os.environ)
    env.update(REHEARSE_HOME=str(rehearse_home), TERM="xterm-256color")
    env.pop("NO_COLOR", None)
    tmux = Tmux(env)
    tmux.start(f"{rehearse_bin}; echo REHEARSE-EXIT=$?; sleep 30")
    try:
        # 1. first run: the Library with the bundled sample take, scored
        screen = tmux.wait_for("Library", "Tell me about a time you", "1:41", timeout=30)
        assert "Open" in screen and "Record again" in screen and "? Help" in screen
        # 2. open it: the Review with the STAR bar, section table and tips
        tmux.keys("Enter")
        screen = tmux.wait_for("Review", "Situation", "target", "Fillers")
        assert "1:41" in screen
        # 3. jump to the first filler: the Transcript tab, playback from there
        recording = None
        if audio is not None:
            recording = audio.record_speaker(tmp_path / "speaker.wav")
        tmux.keys("f")
        if audio is None:
            screen = tmux.wait_for("SITUATION")
            pytest.skip(f"playback not checked: {missing_audio_tools()}")
        screen = tmux.wait_for("▶ playing", "SITUATION")
        time.sleep(1.5)
        screen = tmux.screen()
        assert "▶ playing 0:0" in screen  # the first filler is in the first seconds
        assert "“" in screen  # the word being played, quoted in the player line
        # 4. space pauses; the position stays
        tmux.keys("Space")
        screen = tmux.wait_for("⏸ paused")
        stop_parecord(recording)
        from recorder_helpers import read_mono

        heard, _ = read_mono(tmp_path / "speaker.wav")
        assert len(heard) > 8000 and float(abs(heard).max()) > 0.05, "nothing was played to the speaker"
        # 5. quit
        tmux.keys("Escape")
        tmux.wait_for("Library")
        tmux.keys("C-q")
        tmux.wait_for("REHEARSE-EXIT=0", timeout=15)
    finally:
        tmux.kill()
