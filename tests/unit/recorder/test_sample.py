"""The bundled sample take (sample_audio/) and the speech fixture (tests/fixtures/).

These are data files other tests and a new user's first run rely on, so the checks are
about what a user would notice: the transcript's words are where the audio has speech
(and the pauses are really silent), the take is a 1-2 minute answer, and
`rehearse analyze` on it gives a full STAR report that matches the committed one.
"""

from __future__ import annotations

import importlib.util
import json
import shlex
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from analysis.transcript import Transcript

ROOT = Path(__file__).resolve().parents[3]
SAMPLE_DIR = ROOT / "sample_audio"
NAME = "customer-pain-point"
FLAC = SAMPLE_DIR / f"{NAME}.flac"
TRANSCRIPT = SAMPLE_DIR / f"{NAME}.transcript.json"
TAKE = SAMPLE_DIR / f"{NAME}.take.json"
REPORT = SAMPLE_DIR / f"{NAME}.report.json"
FIXTURES = ROOT / "tests" / "fixtures"
REGENERATE = ".venv/bin/python sample_audio/make_sample.py --report"

WORD_MIN_DBFS = -40.0  # a word span holds speech: espeak-ng words here are -32..-20 dBFS
GAP_MAX_DBFS = -60.0  # a gap between words (>= 0.1 s) is silence (here below -75 dBFS)
EDGE_MIN_DBFS = -60.0  # the first and last 30 ms of a word are already/still audible
EDGE_S = 0.03
GAP_MIN_S = 0.1
STAR = ["situation", "task", "action", "result"]


def _dbfs(x: np.ndarray) -> float:
    if x.size == 0:
        return -200.0
    rms = float(np.sqrt(np.mean(np.square(x, dtype=np.float64))))
    return 20 * np.log10(max(rms, 1e-10))


def alignment_problems(audio: np.ndarray, sr: int, spans: list[tuple[str, float, float]]) -> list[str]:
    """Every way the word times disagree with the audio (empty list: they match)."""
    problems = []

    def seg(a: float, b: float) -> np.ndarray:
        return audio[max(0, int(round(a * sr))) : max(0, int(round(b * sr)))]

    for text, start, end in spans:
        level = _dbfs(seg(start, end))
        if level < WORD_MIN_DBFS:
            problems.append(f"word {text!r} at {start:.2f}-{end:.2f} s is quiet ({level:.0f} dBFS)")
        for where, a, b in (("start", start, start + EDGE_S), ("end", end - EDGE_S, end)):
            level = _dbfs(seg(a, b))
            if level < EDGE_MIN_DBFS:
                problems.append(f"word {text!r} has silence at its {where} ({a:.2f} s, {level:.0f} dBFS)")
    edges = [(0.0, spans[0][1])] + [(a[2], b[1]) for a, b in zip(spans, spans[1:], strict=False)]
    edges.append((spans[-1][2], len(audio) / sr))
    for a, b in edges:
        if b - a >= GAP_MIN_S:
            level = _dbfs(seg(a, b))
            if level > GAP_MAX_DBFS:
                problems.append(f"gap {a:.2f}-{b:.2f} s has sound ({level:.0f} dBFS)")
    return problems


@pytest.fixture(scope="module")
def transcript() -> Transcript:
    return Transcript.load(TRANSCRIPT)


@pytest.fixture(scope="module")
def audio() -> tuple[np.ndarray, int]:
    data, sr = sf.read(FLAC, dtype="float32", always_2d=False)
    return data, sr


def _spans(t: Transcript) -> list[tuple[str, float, float]]:
    return [(w.text.strip(), w.start, w.end) for w in t.words]


# ---- the audio and the transcript agree ------------------------------------------------
def test_sample_audio_is_small_mono_16k_flac(audio):
    data, sr = audio
    info = sf.info(FLAC)
    assert (info.format, info.subtype, info.channels, sr) == ("FLAC", "PCM_16", 1, 16000)
    assert FLAC.stat().st_size < 2_000_000
    assert data.ndim == 1


def test_sample_transcript_covers_the_audio_and_lasts_one_to_two_minutes(transcript, audio):
    data, sr = audio
    seconds = len(data) / sr
    assert abs(transcript.duration - seconds) < 0.1
    assert 60 <= seconds <= 120
    assert 0 < transcript.speech_start < 1.0
    assert seconds - 1.0 < transcript.speech_end <= seconds
    assert transcript.markers == ()  # the report must find the sections from the words
    assert transcript.model is None and transcript.language == "en"
    assert 200 <= len(transcript.words) <= 320


def test_sample_word_timings_match_the_audio(transcript, audio):
    data, sr = audio
    assert alignment_problems(data, sr, _spans(transcript)) == []


def _speech_runs(spans, min_gap: float) -> list[tuple[float, float]]:
    runs: list[list[float]] = []
    for _, start, end in spans:
        if runs and start - runs[-1][1] < min_gap:
            runs[-1][1] = end
        else:
            runs.append([start, end])
    return [(a, b) for a, b in runs]


def _vad_regions(data: np.ndarray, sr: int, min_silence_ms: int) -> list[tuple[float, float]]:
    from faster_whisper.vad import VadOptions, get_speech_timestamps

    assert sr == 16000
    opts = VadOptions(min_silence_duration_ms=min_silence_ms, speech_pad_ms=0)
    return [(t["start"] / sr, t["end"] / sr) for t in get_speech_timestamps(data, opts)]


def _assert_same_stretches(vad, runs, seconds: float, tol: float = 0.2) -> None:
    for (va, vb), (ra, rb) in zip(vad, runs, strict=False):
        assert abs(va - ra) < tol, (vad, runs)
        if vb >= seconds - 0.01:  # a tail shorter than min_silence: the VAD runs to the end
            assert rb <= vb, (vad, runs)
        else:
            assert abs(vb - rb) < tol, (vad, runs)


def test_silero_vad_hears_speech_where_the_transcript_has_words(transcript, audio):
    """An independent judge: the VAD faster-whisper uses finds the same stretches of speech
    (split at the two long pauses) and every word lies inside a stretch it calls speech."""
    data, sr = audio
    spans = _spans(transcript)
    fine = _vad_regions(data, sr, min_silence_ms=300)  # one VAD pass (~1 s of CPU)
    vad = _speech_runs([("", a, b) for a, b in fine], min_gap=1.0)
    runs = _speech_runs(spans, min_gap=1.0)
    assert len(vad) == len(runs) == 3
    _assert_same_stretches(vad, runs, len(data) / sr)
    for text, start, end in spans:
        middle = (start + end) / 2  # Silero decides per 32 ms window, with some onset lag
        assert any(a <= middle <= b for a, b in fine), (text, start, end)


@pytest.mark.parametrize("shift", [-0.1, 0.06, 0.25])
def test_alignment_check_catches_shifted_timings(transcript, audio, shift):
    """The check above can fail: the same words moved by a fraction of a word no longer fit."""
    data, sr = audio
    shifted = [(t, max(0.0, s + shift), e + shift) for t, s, e in _spans(transcript)]
    assert alignment_problems(data, sr, shifted)


def test_sample_has_pauses_where_the_script_puts_them(transcript):
    gaps = [
        (b.start - a.end, a.text.strip(), b.text.strip())
        for a, b in zip(transcript.words, transcript.words[1:], strict=False)
    ]
    long = [g for g in gaps if g[0] >= 2.0]
    thinking = [g for g in gaps if 1.0 <= g[0] < 2.0]
    assert [(w1, w2) for _, w1, w2 in long] == [("back.", "In")]
    assert [(w1, w2) for _, w1, w2 in thinking] == [("zone.", "And")]


def _load_generator():
    spec = importlib.util.spec_from_file_location("make_sample", SAMPLE_DIR / "make_sample.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_sample_transcript_is_the_generator_script(transcript):
    """The committed transcript is exactly what make_sample.py speaks (nothing hand-edited)."""
    gen = _load_generator()
    sys.path.insert(0, str(SAMPLE_DIR))
    try:
        import speech
    finally:
        sys.path.remove(str(SAMPLE_DIR))
    written = [tok.text for phrase, _ in gen.SCRIPT for tok in speech.tokens(phrase)]
    assert [w.text.strip() for w in transcript.words] == written
    assert all(w.text.startswith(" ") for w in transcript.words)  # Whisper's form


def test_sample_speaks_like_a_person(transcript):
    """Fillers a coach should catch are really in the answer, plus a quantified result."""
    norms = [w.norm for w in transcript.words]
    assert norms.count("um") >= 3 and norms.count("uh") >= 2
    assert "you know" in " ".join(norms)
    assert "80%" in norms


def test_sample_take_metadata(transcript):
    take = json.loads(TAKE.read_text(encoding="utf-8"))
    assert take["question"].startswith("Tell me about a time")
    assert take["device"] == "espeak-ng" and take["model"] is None
    assert abs(take["duration"] - transcript.duration) < 1e-6
    assert take["markers"] == [] and take["schema_version"] == 1
    assert take["created"].endswith("+00:00")


# ---- rehearse analyze on the sample ---------------------------------------------------
def _rehearse(rehearse_bin: str, *args: str) -> subprocess.CompletedProcess:
    cmd = shlex.split(rehearse_bin) + list(args)
    return subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=120)


def _check_star(star: dict, duration: float) -> None:
    sections = star["sections"]
    assert [s["label"] for s in sections] == STAR
    assert star["method"] in ("signposts", "cues")  # no markers in the sample
    for a, b in zip(sections, sections[1:], strict=False):
        assert a["end"] == pytest.approx(b["start"], abs=1e-3)
    assert sum(s["share"] for s in sections) == pytest.approx(1.0, abs=0.01)
    assert all(0 <= s["start"] < s["end"] <= duration for s in sections)


def test_rehearse_analyze_sample_prints_a_star_report(rehearse_bin):
    run = _rehearse(rehearse_bin, "analyze", str(TRANSCRIPT.relative_to(ROOT)))
    assert run.returncode == 0, run.stderr
    assert run.stderr == ""
    text = run.stdout.lower()
    for label in STAR:
        assert label in text
    assert "um" in text  # the fillers are listed


def test_rehearse_analyze_sample_json_has_the_report_fields(rehearse_bin, transcript):
    run = _rehearse(rehearse_bin, "analyze", "--json", str(TRANSCRIPT))
    assert run.returncode == 0, run.stderr
    report = json.loads(run.stdout)
    for key in ("version", "duration", "words", "pace", "pauses", "fillers", "star", "content", "tips"):
        assert key in report, key
    assert report["words"] == len(transcript.words)
    assert report["duration"] == pytest.approx(transcript.duration, abs=0.01)
    assert 120 <= report["pace"]["wpm"] <= 180
    assert report["fillers"]["count"] >= 7  # um x3, uh x2, like x2, you know
    kinds = {f["text"].strip(",. ").lower(): f["kind"] for f in report["fillers"]["items"]}
    assert kinds.get("um") == "filled_pause" and kinds.get("uh") == "filled_pause"
    assert any(p["seconds"] >= 2.0 for p in report["pauses"]["items"])
    _check_star(report["star"], transcript.duration)


def test_committed_sample_report_matches_a_fresh_analysis(transcript):
    """report.json is what the current analysis says; if this fails, run: """ + REGENERATE
    from analysis import analyze

    fresh = json.loads(json.dumps(analyze(transcript).to_dict()))
    assert REPORT.exists(), f"missing {REPORT.name}: run {REGENERATE}"
    committed = json.loads(REPORT.read_text(encoding="utf-8"))
    assert committed == fresh, f"{REPORT.name} is stale: run {REGENERATE}"
    _check_star(committed["star"], transcript.duration)


# ---- tests/fixtures/speech_16k.wav ------------------------------------------------------
def test_speech_fixture_is_short_16k_mono_speech_with_its_text():
    info = sf.info(FIXTURES / "speech_16k.wav")
    assert (info.format, info.subtype, info.channels, info.samplerate) == ("WAV", "PCM_16", 1, 16000)
    assert 5.0 <= info.duration <= 8.0
    text = (FIXTURES / "speech_16k.txt").read_text(encoding="utf-8").strip()
    words = json.loads((FIXTURES / "speech_16k.words.json").read_text(encoding="utf-8"))
    assert " ".join(w["text"] for w in words) == text
    data, sr = sf.read(FIXTURES / "speech_16k.wav", dtype="float32")
    spans = [(w["text"], w["start"], w["end"]) for w in words]
    assert alignment_problems(data, sr, spans) == []
    # Real speech to a VAD: two stretches, split at the 0.7 s pause after "microphone."
    vad = _vad_regions(data, sr, min_silence_ms=500)
    runs = _speech_runs(spans, min_gap=0.5)
    assert len(vad) == len(runs) == 2
    _assert_same_stretches(vad, runs, len(data) / sr)
