"""End to end through the REAL audio stack: a private PulseAudio server with a virtual
microphone fed from a speech WAV; `rehearse` runs as a subprocess and records through
PortAudio -> ALSA -> PulseAudio (DESIGN.md, "Virtual microphone")."""

from __future__ import annotations

import json
import signal
import subprocess
import time

import numpy as np
import pytest
from recorder_helpers import (
    SPEECH_WAV,
    VirtualAudio,
    best_alignment,
    missing_audio_tools,
    read_mono,
    rehearse_cmd,
    stop_parecord,
)

pytestmark = [pytest.mark.audio, pytest.mark.slow]

WHY = missing_audio_tools()
if WHY:
    pytest.skip(f"real-audio tests need PulseAudio: {WHY}", allow_module_level=True)


@pytest.fixture(scope="module")
def audio():
    va = VirtualAudio().start()
    yield va
    va.stop()


@pytest.fixture
def env(audio, rehearse_home):
    e = dict(audio.env)
    e["REHEARSE_HOME"] = str(rehearse_home)
    return e


def speech_words() -> list[str]:
    return [w["text"] for w in json.loads(SPEECH_WAV.with_suffix(".words.json").read_text())]


def start_recording(args, env, stdin=subprocess.DEVNULL):
    """Run `rehearse record ...`; returns (process, monotonic time the stream started)."""
    p = subprocess.Popen(
        rehearse_cmd() + ["record", *args],
        env=env,
        stdin=stdin,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    line = p.stderr.readline()
    started = time.monotonic()
    assert line.startswith("Recording from"), line + p.stderr.read()
    return p, started


def only_take(home):
    takes = [
        d
        for d in (home / "takes").iterdir()
        if not d.name.startswith(".") and not json.loads((d / "take.json").read_text()).get("sample")
    ]  # `takes list` adds the bundled example take on first run
    assert len(takes) == 1, takes
    return takes[0]


def test_record_matches_source_and_is_scored(audio, env, rehearse_home, whisper_model_factory):
    model = whisper_model_factory.scripted(speech_words())
    p, started = start_recording(["--seconds", "8.2", "--question", "Test the microphone", "--model", str(model)], env)
    time.sleep(0.5)
    play_at = time.monotonic() - started
    player = audio.play_into_mic(SPEECH_WAV)
    out, err = p.communicate(timeout=120)
    player.wait(10)
    assert p.returncode == 0, err
    assert "Saved take" in err and "Transcribing" in err and "no sound from the microphone" not in err

    folder = only_take(rehearse_home)
    meta = json.loads((folder / "take.json").read_text())
    assert meta["question"] == "Test the microphone" and meta["device"] == "default"
    assert meta["overflows"] == 0 and not meta["recovered"]
    assert 8.2 <= meta["duration"] < 8.7

    ref, _ = read_mono(SPEECH_WAV)
    got, _ = read_mono(folder / "audio.flac")  # recorded at the device rate; compared at 16 kHz
    corr, lag = best_alignment(ref, got, max_lag=1600)
    assert corr > 0.95
    delay = lag / 16000 - play_at
    print(f"DELAY {delay * 1000:.0f} ms corr {corr:.4f}")
    assert abs(delay) < 0.1, f"audio is {delay * 1000:.0f} ms off"

    transcript = json.loads((folder / "transcript.json").read_text())
    assert [w["text"].strip() for w in transcript["words"]] == speech_words()
    report = json.loads((folder / "report.json").read_text())
    assert report["words"] == len(speech_words()) and report["fillers"]["count"] >= 1  # "Um,"
    assert "Um" in out or "um" in out  # the printed report names the filler


def test_silence_is_saved_and_reported_as_no_speech(env, rehearse_home, whisper_model_factory):
    model = whisper_model_factory.scripted(speech_words())
    p, _ = start_recording(["--seconds", "3.5", "--model", str(model)], env)
    out, err = p.communicate(timeout=120)
    assert p.returncode == 1
    assert "No speech detected" in err and "Traceback" not in err
    assert "no sound from the microphone" in err  # said while recording, after 3 s of silence
    folder = only_take(rehearse_home)
    assert json.loads((folder / "transcript.json").read_text())["words"] == []
    assert (folder / "audio.flac").exists()


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "sigterm"])
def test_ctrl_c_stops_and_keeps_the_take(audio, env, rehearse_home, sig):
    p, started = start_recording(["--no-transcribe"], env, stdin=subprocess.PIPE)
    player = audio.play_into_mic(SPEECH_WAV)
    time.sleep(2.5)
    stopped_at = time.monotonic() - started
    p.send_signal(sig)
    out, err = p.communicate(timeout=30)
    player.kill()
    player.wait(10)
    assert p.returncode == 0, err
    assert "Saved take" in err and "rescore" in err
    meta = json.loads((only_take(rehearse_home) / "take.json").read_text())
    assert stopped_at - 1.0 < meta["duration"] < stopped_at + 1.0, (meta["duration"], stopped_at)


def test_enter_stops(audio, env, rehearse_home):
    p, started = start_recording(["--no-transcribe"], env, stdin=subprocess.PIPE)
    time.sleep(1.0)
    stopped_at = time.monotonic() - started
    p.stdin.write("\n")
    p.stdin.flush()
    out, err = p.communicate(timeout=30)
    assert p.returncode == 0, err
    meta = json.loads((only_take(rehearse_home) / "take.json").read_text())
    assert stopped_at - 0.8 < meta["duration"] < stopped_at + 1.0, (meta["duration"], stopped_at)


def test_sigkill_mid_take_is_recovered(audio, env, rehearse_home):
    p, started = start_recording(["--question", "Killed"], env, stdin=subprocess.PIPE)
    player = audio.play_into_mic(SPEECH_WAV)
    time.sleep(4.0)
    p.kill()  # SIGKILL: no cleanup at all
    killed_at = time.monotonic() - started
    p.wait(10)
    player.kill()
    player.wait(10)
    assert (rehearse_home / "takes" / ".in-progress").is_dir()

    r = subprocess.run(rehearse_cmd() + ["takes", "list"], env=env, capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    assert "recovered an unfinished recording" in r.stderr
    assert "[recovered]" in r.stdout and "Killed" in r.stdout
    folder = only_take(rehearse_home)
    meta = json.loads((folder / "take.json").read_text())
    assert meta["recovered"] is True and meta["question"] == "Killed"
    assert killed_at - 1.0 <= meta["duration"] <= killed_at + 0.2
    assert sorted(x.name for x in folder.iterdir()) == ["audio.flac", "take.json"]
    ref, _ = read_mono(SPEECH_WAV)
    got, _ = read_mono(folder / "audio.flac")
    corr, lag = best_alignment(ref[: 16000 * 2], got, max_lag=1600)  # the first 2 s of speech
    assert corr > 0.95
    again = subprocess.run(rehearse_cmd() + ["takes", "list"], env=env, capture_output=True, text=True, timeout=60)
    assert "recovered" not in again.stderr  # once only


def test_playback_reaches_the_speakers(audio, env, rehearse_home, tmp_path):
    imp = subprocess.run(
        rehearse_cmd() + ["import", str(SPEECH_WAV), "--no-transcribe"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert imp.returncode == 0, imp.stderr
    take_id = only_take(rehearse_home).name
    out = tmp_path / "speaker.wav"
    rec = audio.record_speaker(out)
    time.sleep(0.5)
    play = subprocess.run(
        rehearse_cmd() + ["takes", "play", take_id[:15], "--from", "4.0"],
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
    )
    time.sleep(0.3)
    stop_parecord(rec)
    assert play.returncode == 0, play.stderr
    ref, _ = read_mono(SPEECH_WAV)
    got, _ = read_mono(out)
    corr, lag = best_alignment(ref[64000:], got, max_lag=0)  # played from 4.0 s
    assert corr > 0.95, f"speaker capture correlates {corr:.3f} with the take (lag {lag / 16000:.2f} s)"
    assert np.abs(got).max() > 0.05


def test_devices_lists_the_virtual_mic(env):
    r = subprocess.run(rehearse_cmd() + ["devices"], env=env, capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    assert "default (ALSA)" in r.stdout
    line = next(ln for ln in r.stdout.splitlines() if "default (ALSA)" in ln)
    assert ">" in line.split("default")[0]


def test_unknown_device_is_one_line(env, rehearse_home):
    r = subprocess.run(
        rehearse_cmd() + ["record", "--seconds", "1", "--device", "no-such-mic"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert r.returncode == 1
    assert r.stderr.strip().count("\n") == 0
    assert r.stderr.startswith("rehearse: error: no microphone matches 'no-such-mic'")
    assert not any((rehearse_home / "takes").glob("2*"))


def test_sound_server_dies_mid_take(rehearse_home):
    """The device vanishes for real (its PulseAudio server is killed): one clear warning,
    PortAudio's own noise kept out of the terminal (in audio.log), the audio so far kept."""
    own = VirtualAudio().start(settle=1.0)
    try:
        env = dict(own.env, REHEARSE_HOME=str(rehearse_home))
        p, started = start_recording(["--no-transcribe"], env, stdin=subprocess.PIPE)
        player = own.play_into_mic(SPEECH_WAV)
        time.sleep(2.0)
        killed_at = time.monotonic() - started
        own.proc.kill()
        own.proc.wait(10)
        out, err = p.communicate(timeout=30)
        player.kill()
    finally:
        own.stop()
    assert p.returncode == 1, err
    assert "stopped (disconnected?)" in err and "are kept" in err
    assert "pa_linux_alsa" not in err and "Expression" not in err
    take = only_take(rehearse_home)
    meta = json.loads((take / "take.json").read_text())
    assert meta["recording_error"]
    # Everything the server had delivered is kept. What it still held in its buffers when
    # it was killed is gone with it: up to a second on a loaded machine (CI once kept 1.45 s
    # of 2.0 s), so the window is measured from this run, not fixed.
    assert killed_at - 1.0 < meta["duration"] < killed_at + 0.6, (meta["duration"], killed_at)
    audio, sr = read_mono(take / "audio.flac", rate=None)
    assert abs(len(audio) / sr - meta["duration"]) < 0.05
