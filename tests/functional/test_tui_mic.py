"""Practise through the real microphone path: PortAudio -> ALSA -> a private PulseAudio
server whose virtual mic is fed speech (tests/fixtures/speech_16k.wav); the real Recorder
writes the take, a tiny scripted faster-whisper model transcribes it, Review opens.
(The Pilot run is a subprocess so PortAudio starts with the server in its environment.)"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from recorder_helpers import SPEECH_WAV, VirtualAudio, missing_audio_tools

pytestmark = [pytest.mark.slow, pytest.mark.audio]

WORDS = ["Hello,", "this", "is", "a", "test."]


@pytest.mark.skipif(missing_audio_tools() is not None, reason=str(missing_audio_tools()))
def test_practise_records_from_the_virtual_microphone(tmp_path, rehearse_home):
    from whisper_models import build_scripted_model

    model = build_scripted_model(tmp_path / "model", WORDS)
    va = VirtualAudio().start()
    try:
        env = dict(va.env, REHEARSE_HOME=str(rehearse_home))
        proc = subprocess.Popen(
            [sys.executable, str(Path(__file__).resolve().parents[1] / "support" / "tui_mic_pilot.py"), str(model)],
            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        first = proc.stdout.readline()
        assert first.strip() == "RECORDING", first + proc.stderr.read()[-2000:]
        speaker = va.play_into_mic(SPEECH_WAV)
        out, err = proc.communicate(timeout=150)
        speaker.wait(15)
    finally:
        va.stop()
    assert proc.returncode == 0, err[-3000:]
    result = json.loads(out.strip().splitlines()[-1])
    assert result["duration"] >= 8.0
    assert result["loudest_db"] > -40  # the live meter saw the speech
    assert [m[0] for m in result["markers"]] == ["situation", "action"]
    assert 2.5 < result["markers"][1][1] - result["markers"][0][1] < 6
    assert result["words"][: len(WORDS)] == WORDS
    assert result["has_report"]
