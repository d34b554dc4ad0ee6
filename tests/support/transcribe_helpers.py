"""Shared helpers for the transcription tests: speech audio, encoders, tiny models.

Speech comes from the committed fixture ``tests/fixtures/speech_16k.wav`` (espeak-ng,
16 kHz mono, with its exact word times in ``speech_16k.words.json``) and, for extra
utterances, from espeak-ng itself (installed by .ci/run).
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
from whisper_models import ModelFactory, build_scripted_model  # noqa: F401  (re-export)

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
SPEECH_WAV = FIXTURES / "speech_16k.wav"
SPEECH_WORDS = FIXTURES / "speech_16k.words.json"
SR = 16000


def speech() -> np.ndarray:
    import soundfile as sf

    audio, rate = sf.read(str(SPEECH_WAV), dtype="float32")
    assert rate == SR
    return audio


def speech_words() -> list[dict]:
    return json.loads(SPEECH_WORDS.read_text())


def espeak(text: str, out_dir: Path, ssml: bool = False) -> np.ndarray:
    """Speak ``text`` with espeak-ng (``ssml``: text is SSML markup); 16 kHz mono float32."""
    if shutil.which("espeak-ng") is None:
        pytest.skip("espeak-ng is not installed")
    import soundfile as sf

    raw = out_dir / "espeak.wav"
    subprocess.run(["espeak-ng", *(["-m"] if ssml else []), "-w", str(raw), text], check=True, capture_output=True)
    audio, rate = sf.read(str(raw), dtype="float32")
    return resample(audio, rate, SR)


def resample(audio: np.ndarray, rate: int, to: int) -> np.ndarray:
    if rate == to:
        return audio.astype(np.float32)
    n = int(round(audio.shape[0] * to / rate))
    x = np.linspace(0, audio.shape[0] - 1, n)
    if audio.ndim == 1:
        return np.interp(x, np.arange(audio.shape[0]), audio).astype(np.float32)
    return np.stack([np.interp(x, np.arange(audio.shape[0]), audio[:, c]) for c in range(audio.shape[1])], 1).astype(
        np.float32
    )


def silence(seconds: float) -> np.ndarray:
    return np.zeros(int(seconds * SR), dtype=np.float32)


def write_wav(path: Path, audio: np.ndarray, rate: int = SR) -> Path:
    import soundfile as sf

    sf.write(str(path), audio, rate, subtype="PCM_16")
    return path


def encode(path: Path, audio: np.ndarray, rate: int, codec: str) -> Path:
    """Encode with PyAV (bundled FFmpeg): codec in mp3 | libopus (ogg) | aac (m4a) | flac."""
    import av

    layout = "mono" if audio.ndim == 1 else "stereo"
    planar = audio.reshape(1, -1) if audio.ndim == 1 else np.ascontiguousarray(audio.T)
    fmt = {"mp3": "fltp", "libopus": "flt", "aac": "fltp", "flac": "s16"}[codec]
    with av.open(str(path), "w") as out:
        stream = out.add_stream(codec, rate=rate, layout=layout)
        if fmt == "s16":
            data = (np.clip(audio, -1, 1) * 32767).astype(np.int16).reshape(1, -1)
            frame = av.AudioFrame.from_ndarray(data, format="s16", layout=layout)
        elif fmt == "flt":
            data = np.ascontiguousarray(audio, dtype=np.float32).reshape(1, -1)
            frame = av.AudioFrame.from_ndarray(data, format="flt", layout=layout)
        else:
            frame = av.AudioFrame.from_ndarray(planar.astype(np.float32), format="fltp", layout=layout)
        frame.sample_rate = rate
        for packet in stream.encode(frame):
            out.mux(packet)
        for packet in stream.encode(None):
            out.mux(packet)
    return path


def word_error_rate(ref: list[str], hyp: list[str]) -> float:
    """Word-level Levenshtein distance / len(ref)."""
    d = list(range(len(hyp) + 1))
    for i, r in enumerate(ref, 1):
        prev, d[0] = d[0], i
        for j, h in enumerate(hyp, 1):
            cur = min(d[j] + 1, d[j - 1] + 1, prev + (r != h))
            prev, d[j] = d[j], cur
    return d[len(hyp)] / max(len(ref), 1)


@pytest.fixture(scope="session")
def models(tmp_path_factory) -> ModelFactory:
    """Tiny offline Whisper models, built once per test session."""
    return ModelFactory(tmp_path_factory.mktemp("whisper-models"))


@pytest.fixture(autouse=True)
def _private_home(tmp_path, monkeypatch):
    """Every transcription test gets its own REHEARSE_HOME (model cache, settings)."""
    monkeypatch.setenv("REHEARSE_HOME", str(tmp_path / "home"))
