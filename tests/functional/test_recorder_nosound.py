"""Without PortAudio (or without any audio device) every non-audio command still works,
and the audio commands say what is wrong in one line. Also: the layer rules."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from recorder_helpers import SPEECH_WAV, rehearse_cmd

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "sample_audio" / "customer-pain-point.transcript.json"

NO_PORTAUDIO_HOOK = textwrap.dedent("""
    import sys

    class _NoPortAudio:
        def find_spec(self, name, path=None, target=None):
            if name == "sounddevice" or name.startswith("_sounddevice"):
                raise OSError("PortAudio library not found")
            return None

    sys.meta_path.insert(0, _NoPortAudio())
""")


@pytest.fixture
def no_portaudio_env(tmp_path, rehearse_home):
    hook = tmp_path / "hook"
    hook.mkdir()
    (hook / "sitecustomize.py").write_text(NO_PORTAUDIO_HOOK)
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(hook), str(ROOT)]), REHEARSE_HOME=str(rehearse_home))
    check = subprocess.run([sys.executable, "-c", "import sounddevice"], env=env, capture_output=True, text=True)
    assert "PortAudio library not found" in check.stderr  # the hook works
    return env


def run(args, env, **kw):
    return subprocess.run(rehearse_cmd() + args, env=env, capture_output=True, text=True, timeout=120, **kw)


def one_line_error(r, *needles):
    assert r.returncode == 1, (r.stdout, r.stderr)
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("rehearse: error: "), r.stderr
    for n in needles:
        assert n in lines[0], lines[0]
    assert "Traceback" not in r.stderr


def test_everything_but_audio_works_without_portaudio(no_portaudio_env, rehearse_home, tmp_path):
    env = no_portaudio_env
    assert run(["--help"], env).returncode == 0
    r = run(["import", str(SPEECH_WAV), "--question", "No sound card", "--no-transcribe"], env)
    assert r.returncode == 0, r.stderr
    r = run(["takes", "list", "--json"], env)
    assert r.returncode == 0, r.stderr
    takes = json.loads(r.stdout)
    mine = next(t for t in takes if t["question"] == "No sound card")
    take_id = mine["id"]
    assert run(["takes", "show", take_id], env).returncode == 0
    assert run(["takes", "edit", take_id, "--question", "Renamed"], env).returncode == 0
    r = run(["takes", "export", take_id, "--format", "json"], env)
    assert r.returncode == 0 and json.loads(r.stdout)["question"] == "Renamed"
    if SAMPLE.exists():
        r = run(["analyze", str(SAMPLE), "--json"], env)
        assert r.returncode == 0, r.stderr
        sample = next(t for t in takes if t["sample"])
        r = run(["rescore", sample["id"], "--quiet"], env)
        assert r.returncode == 0, r.stderr
    assert run(["takes", "delete", take_id], env).returncode == 0
    assert run(["takes", "restore", take_id], env).returncode == 0

    one_line_error(run(["record", "--seconds", "1"], env), "PortAudio library not found", "libportaudio2")
    one_line_error(run(["devices"], env), "PortAudio library not found")
    one_line_error(run(["takes", "play", take_id], env), "PortAudio library not found")
    assert not (rehearse_home / "takes" / ".in-progress").exists() or not any(
        (rehearse_home / "takes" / ".in-progress").iterdir()
    )


def test_no_audio_device_is_one_line(rehearse_home, tmp_path):
    # PortAudio present, but no sound server to talk to and (in CI) no sound card.
    env = dict(
        os.environ,
        REHEARSE_HOME=str(rehearse_home),
        PULSE_SERVER=f"unix:{tmp_path}/no-such-socket",
        XDG_RUNTIME_DIR=str(tmp_path),
    )
    probe = subprocess.run(
        [sys.executable, "-c", "import sounddevice as sd; print(len(sd.query_devices()))"],
        env=env,
        capture_output=True,
        text=True,
    )
    if probe.returncode != 0:
        pytest.skip(f"PortAudio not usable here: {probe.stderr.strip()[-200:]}")
    if probe.stdout.strip() != "0":
        pytest.skip("this machine has a real sound card; the no-device case cannot be staged")
    r = run(["record", "--seconds", "1"], env)
    one_line_error(r, "no microphone found")
    assert not any((rehearse_home / "takes" / ".in-progress").iterdir())
    r = run(["devices"], env)
    assert r.returncode == 1 and "no microphone found" in r.stdout


def test_layers_and_lazy_imports():
    code = textwrap.dedent("""
        import sys
        import recorder.capture, recorder.playback, recorder.takes, recorder.workflow, recorder.devices, recorder.export
        assert "textual" not in sys.modules, "recorder imports textual"
        assert "sounddevice" not in sys.modules, "sounddevice must be imported lazily"
        import tui.cli
        tui.cli.build_parser()
        heavy = [m for m in ("sounddevice", "faster_whisper", "ctranslate2", "soundfile") if m in sys.modules]
        assert not heavy, heavy
        print("ok")
    """)
    r = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=dict(os.environ, PYTHONPATH=str(ROOT)),
    )
    assert r.stdout.strip() == "ok", r.stderr
