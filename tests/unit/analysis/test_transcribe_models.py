"""Model resolution, device/compute defaults, the offline error path and the CLI."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from transcribe_helpers import SPEECH_WAV, SR, _private_home, silence, speech_words, write_wav  # noqa: F401

from analysis.errors import RehearseError
from analysis.speech import devices, download
from analysis.speech.download import pull_model
from analysis.speech.errors import ModelNotAvailableError
from analysis.speech.load import load_model
from analysis.speech.models import known_models, model_path
from analysis.speech.options import TranscribeOptions
from tui.cli import main

ROOT = Path(__file__).resolve().parents[3]
REF = speech_words()


@pytest.fixture
def offline():
    """The offline tests need a machine without a route to the model hub (test machines
    have none); on a connected machine they would start a real download, so skip."""
    if download.hub_reachable(timeout=1.0):
        pytest.skip("this machine can reach the model hub")


def test_missing_model_offline_fails_fast_with_one_actionable_line(tmp_path, offline):
    """The real error path: no cached model, and this machine has no route to the hub
    (in CI, too). Must answer in about a second, not after huggingface_hub's retries."""
    start = time.monotonic()
    with pytest.raises(ModelNotAvailableError) as err:
        load_model(TranscribeOptions(model="base.en", device="cpu"))
    elapsed = time.monotonic() - start
    msg = str(err.value)
    assert "\n" not in msg
    assert "'base.en'" in msg and "rehearse models pull base.en" in msg and "model directory" in msg
    assert elapsed < 5.0, elapsed  # measured ~0.1-1 s


def test_cli_offline_transcribe_is_one_line_without_traceback(tmp_path, offline):
    env = {**os.environ, "REHEARSE_HOME": str(tmp_path / "home"), "PYTHONPATH": str(ROOT)}
    out = subprocess.run(
        [sys.executable, "-m", "tui", "transcribe", str(SPEECH_WAV), "--model", "small.en"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        cwd=ROOT,
    )
    assert out.returncode == 1
    lines = [line for line in out.stderr.splitlines() if line.strip()]
    assert lines == [lines[0]] and lines[0].startswith("rehearse: error: speech model 'small.en' is not downloaded")
    assert "Traceback" not in out.stderr


def test_unknown_name_and_bad_directories(tmp_path):
    with pytest.raises(ModelNotAvailableError, match="unknown model 'base-en'.*base.en"):
        load_model(TranscribeOptions(model="base-en", device="cpu"))
    with pytest.raises(ModelNotAvailableError, match="does not exist"):
        load_model(TranscribeOptions(model=str(tmp_path / "nope"), device="cpu"))
    (tmp_path / "empty").mkdir()
    with pytest.raises(ModelNotAvailableError, match="no model.bin"):
        load_model(TranscribeOptions(model=str(tmp_path / "empty"), device="cpu"))
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "model.bin").write_bytes(b"not a model")
    with pytest.raises(ModelNotAvailableError, match="cannot load speech model") as err:
        load_model(TranscribeOptions(model=str(broken), device="cpu"))
    assert "\n" not in str(err.value)


def test_download_off_means_no_network_attempt(monkeypatch):
    monkeypatch.setattr(download, "hub_reachable", lambda timeout=1.0: pytest.fail("must not touch the network"))
    with pytest.raises(ModelNotAvailableError, match="not downloaded"):
        load_model(TranscribeOptions(model="small.en", device="cpu", download=False))


def test_device_compute_threads_and_default_model(monkeypatch):
    o = TranscribeOptions()
    assert devices.resolve_device(o) == "cpu"  # no GPU on test machines
    assert devices.resolve_compute_type(o, "cpu") == "int8"
    assert devices.resolve_compute_type(o, "cuda") == "float16"
    assert devices.resolve_compute_type(TranscribeOptions(compute_type="int8_float16"), "cuda") == "int8_float16"
    assert devices.default_model("cpu") == "base.en" and devices.default_model("cuda") == "large-v3-turbo"
    assert devices.cpu_thread_count(o) == min(4, os.cpu_count() or 1)
    assert devices.cpu_thread_count(TranscribeOptions(cpu_threads=3)) == 3
    with pytest.raises(RehearseError, match="no NVIDIA GPU"):
        devices.resolve_device(TranscribeOptions(device="cuda"))
    with pytest.raises(RehearseError, match="unknown device"):
        devices.resolve_device(TranscribeOptions(device="tpu"))

    class FakeCT2:
        @staticmethod
        def get_cuda_device_count():
            return 1

    monkeypatch.setattr(devices, "load_ctranslate2", lambda: FakeCT2)
    assert devices.resolve_device(o) == "cuda"


def test_preloading_cuda_wheels_is_harmless_without_them():
    devices._CUDA_PRELOADED = False
    devices._preload_nvidia_libraries()  # no nvidia wheels here: nothing to load, no error
    assert devices._CUDA_PRELOADED


def test_cached_model_is_found_listed_and_located(tmp_path, models):
    """A model in the app's cache (Hugging Face layout) is used without any network."""
    from analysis.locations import models_dir

    src = models.scripted(["cached"])
    snap = models_dir() / "models--Systran--faster-whisper-tiny.en" / "snapshots" / "abc123"
    snap.mkdir(parents=True)
    for f in src.iterdir():
        (snap / f.name).write_bytes(f.read_bytes())
    refs = snap.parent.parent / "refs"
    refs.mkdir()
    (refs / "main").write_text("abc123")
    assert model_path("tiny.en") == snap
    assert model_path("base.en") is None
    listed = {m.name: m for m in known_models()}
    assert listed["tiny.en"].downloaded and listed["tiny.en"].size_bytes > 0
    assert not listed["base.en"].downloaded and listed["base.en"].size_bytes == 145_000_000
    assert pull_model("tiny.en") == snap  # already there: no download
    loaded = load_model(TranscribeOptions(model="tiny.en", device="cpu"))
    assert loaded.name == "tiny.en"


def test_cli_models_list_path_pull(capsys, tmp_path, models, offline):
    assert main(["models", "list"]) == 0
    out = capsys.readouterr().out
    assert "base.en" in out and "large-v3-turbo" in out and "~145 MB" in out
    assert str(tmp_path / "home" / "models") in out
    assert main(["models", "path", "base.en"]) == 1
    assert "not downloaded" in capsys.readouterr().err
    assert main(["models", "pull", "base.en"]) == 1
    err = capsys.readouterr().err
    assert err.startswith(
        "rehearse: error: speech model 'base.en' is not downloaded and the model hub cannot be reached"
    )
    assert main(["models", "pull", "nonsense"]) == 1
    assert "unknown model 'nonsense'" in capsys.readouterr().err


def test_cli_transcribe_writes_transcript_json(capsys, tmp_path, models):
    model = models.scripted([w["text"] for w in REF], [(w["start"], w["end"]) for w in REF])
    out = tmp_path / "t.json"
    assert main(["transcribe", str(SPEECH_WAV), "-o", str(out), "--model", str(model)]) == 0
    err = capsys.readouterr().err
    assert "Transcribing speech_16k.wav" in err and f"Wrote {out} (16 words)" in err
    data = json.loads(out.read_text())
    assert [w["text"].strip() for w in data["words"]] == [w["text"] for w in REF]
    # stdout mode prints only JSON
    assert main(["transcribe", str(SPEECH_WAV), "--model", str(model)]) == 0
    assert json.loads(capsys.readouterr().out)["duration"] == pytest.approx(7.396, abs=0.01)
    # and `rehearse analyze AUDIO` transcribes, then reports
    assert main(["analyze", str(SPEECH_WAV), "--json", "--model", str(model)]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["words"] == 16 and report["fillers"]["by_text"].get("um") == 1


def test_cli_bad_audio_and_silence(capsys, tmp_path, models):
    model = models.scripted(["never", "said"])
    junk = tmp_path / "junk.mp3"
    junk.write_bytes(b"ID3" + os.urandom(2000))
    assert main(["transcribe", str(junk), "--model", str(model)]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and str(junk) in err[0] and err[0].startswith("rehearse: error:")
    quiet = write_wav(tmp_path / "quiet.wav", silence(2.0))
    assert main(["analyze", str(quiet), "--model", str(model)]) == 1
    err = capsys.readouterr().err
    assert "no speech detected" in err and str(quiet) in err
    from tui.commands.transcribe import transcribe_file_for_cli
    from tui.settings import load_settings

    with pytest.raises(RehearseError, match="no speech detected"):
        transcribe_file_for_cli(quiet, load_settings(), model=str(model))
    assert main(["transcribe", str(quiet), "--model", str(model), "-o", str(tmp_path / "q.json")]) == 0
    assert "no speech detected" in capsys.readouterr().err
    assert json.loads((tmp_path / "q.json").read_text())["no_speech"] is True


def test_importing_transcribe_is_light():
    code = (
        "import sys, analysis.speech.batch, analysis.speech.live, tui.commands.transcribe, tui.commands.models; "
        "print(sorted(m for m in ('faster_whisper','ctranslate2','av','numpy','huggingface_hub') if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert out.stdout.strip() == "[]", out.stderr
