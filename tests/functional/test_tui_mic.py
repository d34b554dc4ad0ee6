"""Practise through the real microphone path: PortAudio -> ALSA -> a private PulseAudio
server whose virtual mic is fed speech (tests/fixtures/speech_16k.wav); the real Recorder
writes the take, a tiny scripted faster-whisper model transcribes it, Review opens.
(The Pilot run is a subprocess so PortAudio starts with the server in its environment.)"""

from __future__ import annotations

import pytest
from recorder_helpers import SPEECH_WAV, missing_audio_tools, practise_through_the_mic

pytestmark = [pytest.mark.slow, pytest.mark.audio]

WORDS = ["Hello,", "this", "is", "a", "test."]


@pytest.mark.skipif(missing_audio_tools() is not None, reason=str(missing_audio_tools()))
def test_practise_records_from_the_virtual_microphone(tmp_path, rehearse_home):
    from whisper_models import build_scripted_model

    model = build_scripted_model(tmp_path / "model", WORDS)
    result = practise_through_the_mic(str(model), SPEECH_WAV, {"REHEARSE_HOME": str(rehearse_home)})
    assert result["duration"] >= 8.0
    assert result["loudest_db"] > -40  # the live meter saw the speech
    assert [m[0] for m in result["markers"]] == ["situation", "action"]
    assert 2.5 < result["markers"][1][1] - result["markers"][0][1] < 6
    assert result["words"][: len(WORDS)] == WORDS
    assert result["has_report"]
