"""Audio -> faster-whisper (real, with tiny offline models) -> Transcript -> report."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest
from transcribe_helpers import (  # noqa: F401  (fixtures)
    SPEECH_WAV,
    SR,
    _private_home,
    encode,
    espeak,
    resample,
    silence,
    speech,
    speech_words,
    write_wav,
)

from analysis.hesitation import find_hesitations
from analysis.speech.batch import transcribe
from analysis.speech.decode import remove_loops
from analysis.speech.errors import AudioError
from analysis.speech.load import load_model
from analysis.speech.options import TranscribeOptions
from analysis.transcript import Span, Transcript, Word

REF = speech_words()
REF_TEXTS = [w["text"] for w in REF]
REF_TIMES = [(w["start"], w["end"]) for w in REF]


def opts(path, **kw) -> TranscribeOptions:
    return TranscribeOptions(model=str(path), device="cpu", **kw)


@pytest.fixture(scope="module")
def fixture_model(tmp_path_factory):
    """Scripted to say the fixture's words at the fixture's times."""
    from whisper_models import build_scripted_model

    return build_scripted_model(tmp_path_factory.mktemp("m") / "speech", REF_TEXTS, REF_TIMES)


def test_speech_file_to_words_with_times_and_report(fixture_model):
    t = transcribe(SPEECH_WAV, opts(fixture_model))
    assert [w.text.strip() for w in t.words] == REF_TEXTS
    assert t.model == str(fixture_model)
    assert t.duration == pytest.approx(7.396, abs=0.01)
    assert not t.extra.get("no_speech")
    starts = [w.start for w in t.words]
    assert starts == sorted(starts)
    for w in t.words:
        assert 0 <= w.start <= w.end <= t.duration
        assert 0 <= w.probability <= 1
    # DTW puts word boundaries between the scripted word centres: every word's middle
    # lands within 0.3 s of the real one (the VAD padding shifts times by < 0.05 s)
    for w, (s, e) in zip(t.words, REF_TIMES, strict=False):
        assert abs((w.start + w.end) / 2 - (s + e) / 2) < 0.3, (w, s, e)
    assert t.hesitations == ()  # clean speech: no hints
    # the JSON contract round-trips
    again = Transcript.from_dict(json.loads(json.dumps(t.to_dict())), "t.json")
    assert [w.text for w in again.words] == [w.text for w in t.words]

    from analysis import analyze

    report = analyze(t).to_dict()
    assert report["words"] == len(REF_TEXTS)
    assert report["fillers"]["by_text"].get("um") == 1
    assert report["duration"] == pytest.approx(t.duration, abs=0.01)


def test_progress_is_seconds_done_of_total(fixture_model):
    calls = []
    transcribe(SPEECH_WAV, opts(fixture_model), progress=lambda d, t: calls.append((d, t)))
    assert calls[0] == (0.0, pytest.approx(7.396, abs=0.01))
    assert calls[-1][0] == pytest.approx(calls[-1][1])
    done = [d for d, _ in calls]
    assert done == sorted(done)


def test_verbatim_model_filler_tokens_become_um_and_uh(models):
    path = models.scripted(["So", "[UM]", "I", "[UH]", "led", "it."])
    t = transcribe(speech(), opts(path))
    assert [w.text for w in t.words] == [" So", " um", " I", " uh", " led", " it."]
    from analysis import analyze

    report = analyze(t).to_dict()
    assert report["fillers"]["by_text"] == {"um": 1, "uh": 1}


def test_speech_no_word_covers_becomes_a_hesitation(tmp_path, models):
    # the fixture speech (0.45-7.0 s), 1.5 s of silence, then a held "uhh" (one pitch, 0.4 s)
    # that the model does not transcribe (as Whisper drops an "um")
    extra = espeak('<speak><prosody rate="40%" range="0%">uh,</prosody></speak>', tmp_path, ssml=True)
    audio = np.concatenate([speech(), silence(1.5), extra, silence(0.5)])
    second_start = speech().size / SR + 1.5
    path = models.scripted(REF_TEXTS, REF_TIMES)
    t = transcribe(audio, opts(path, piece_min_s=30))
    assert [w.text.strip() for w in t.words] == REF_TEXTS
    assert all(w.end < second_start for w in t.words)
    assert len(t.hesitations) == 1
    h = t.hesitations[0]
    assert second_start - 0.1 <= h.start < second_start + 0.4
    assert h.end <= second_start + extra.size / SR + 0.1
    from analysis import analyze

    report = analyze(t).to_dict()
    assert report["hesitations"]["count"] == 1
    assert report["fillers"]["count"] == 1  # the transcribed "Um," only: hints are not fillers


def test_long_stretched_word_is_a_hesitation_hint():
    words = [Word(f" w{i}", i * 0.3, i * 0.3 + 0.25) for i in range(8)]
    words.append(Word(" I", 2.4, 3.6))  # "I" lasting 1.2 s: a dropped "um" absorbed
    words.append(Word(" did", 3.6, 3.85))
    assert find_hesitations(words, []) == (Span(2.4, 3.6),)
    # but not when the stretch is silence per VAD (that is a pause, counted elsewhere)
    speech_regions = [(0.0, 2.6), (3.5, 3.9)]
    assert find_hesitations(words, speech_regions) == ()


def test_silence_gives_no_words_and_no_speech_flag(models):
    path = models.scripted(["invented", "words"])
    for audio in (silence(5.0), np.random.default_rng(0).normal(0, 0.003, 5 * SR).astype(np.float32)):
        t = transcribe(audio, opts(path))
        assert t.words == ()
        assert t.extra["no_speech"] is True
        assert t.hesitations == ()
        assert t.duration == pytest.approx(5.0)


def test_stereo_48k_file_matches_mono_16k(tmp_path, fixture_model):
    mono = speech()
    stereo = np.stack([mono, mono * 0.5], axis=1)
    path = write_wav(tmp_path / "stereo48k.wav", resample(stereo, SR, 48000), 48000)
    a = transcribe(SPEECH_WAV, opts(fixture_model))
    b = transcribe(path, opts(fixture_model))
    assert [w.text for w in b.words] == [w.text for w in a.words]
    assert b.duration == pytest.approx(a.duration, abs=0.01)
    for x, y in zip(a.words, b.words, strict=False):
        assert abs(x.start - y.start) <= 0.1 and abs(x.end - y.end) <= 0.1


@pytest.mark.parametrize(
    "codec,suffix,rate",
    [("mp3", ".mp3", 44100), ("libopus", ".ogg", 48000), ("aac", ".m4a", 16000), ("flac", ".flac", 16000)],
)
def test_compressed_formats(tmp_path, fixture_model, codec, suffix, rate):
    path = encode(tmp_path / f"speech{suffix}", resample(speech(), SR, rate), rate, codec)
    t = transcribe(path, opts(fixture_model))
    assert [w.text.strip() for w in t.words] == REF_TEXTS
    assert t.duration == pytest.approx(7.4, abs=0.15)


def test_corrupt_empty_and_missing_audio_name_the_file(tmp_path, fixture_model):
    junk = tmp_path / "junk.wav"
    junk.write_bytes(os.urandom(4000))
    empty = tmp_path / "empty.flac"
    empty.write_bytes(b"")
    header_only = tmp_path / "header.wav"
    header_only.write_bytes(SPEECH_WAV.read_bytes()[:44])
    for bad in (junk, empty, tmp_path / "missing.wav", tmp_path):
        with pytest.raises(AudioError) as err:
            transcribe(bad, opts(fixture_model))
        msg = str(err.value)
        assert str(bad) in msg and "\n" not in msg
    # a WAV header with no samples is valid audio of zero length: no speech, no crash
    t = transcribe(header_only, opts(fixture_model))
    assert t.words == () and t.extra["no_speech"]


def test_random_model_output_is_always_a_valid_transcript(models):
    rng = np.random.default_rng(3)
    noise = (rng.standard_normal(12 * SR) * 0.1).astype(np.float32)
    for seed, beam, piece in ((0, 1, 28.0), (0, 2, 5.0), (1, 1, 28.0)):
        path = models.random(seed)
        for o in (opts(path, vad=False, beam_size=beam, piece_max_s=piece),):
            t = transcribe(noise, o)
            d = t.to_dict()
            again = Transcript.from_dict(json.loads(json.dumps(d)), "t.json", require_words=False)
            assert again.duration == pytest.approx(12.0)
            starts = [w.start for w in t.words]
            assert starts == sorted(starts)
            assert all(0 <= w.start <= w.end <= 12.0 for w in t.words)
            assert all(w.text.strip() for w in t.words)


def test_repetition_loops_are_collapsed_but_real_repeats_stay():
    def ws(texts):
        return [Word(" " + x, i * 0.2, i * 0.2 + 0.15) for i, x in enumerate(texts)]

    looped, n = remove_loops(ws(["so", "thank", "you", "thank", "you", "thank", "you", "thank", "you", "bye"]))
    assert [w.norm for w in looped] == ["so", "thank", "you", "bye"] and n == 6
    kept, n = remove_loops(ws(["I", "I", "I", "think", "the", "the", "plan"]))
    assert [w.norm for w in kept] == ["i", "i", "i", "think", "the", "the", "plan"] and n == 0


def test_model_is_loaded_once_per_process(fixture_model):
    a = load_model(opts(fixture_model))
    b = load_model(opts(fixture_model))
    assert a is b and a.model is b.model
    c = load_model(opts(fixture_model, cpu_threads=1))
    assert c is not a  # different options, different instance


ONE_HOUR = textwrap.dedent(
    """
    import resource, sys, time
    import numpy as np, soundfile as sf
    sys.path.insert(0, sys.argv[3])
    from analysis.speech.batch import transcribe
    from analysis.speech.load import load_model
    from analysis.speech.options import TranscribeOptions
    opts = TranscribeOptions(model=sys.argv[2], device="cpu")
    load_model(opts)
    speech, _ = sf.read(sys.argv[4], dtype="float32")
    rss0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    t0 = time.time()
    t = transcribe(sys.argv[1], opts)
    rss1 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(rss0, rss1, len(t.words), t.duration, time.time() - t0)
    """
)


@pytest.mark.slow
def test_one_hour_file_with_bounded_memory(tmp_path, models):
    """A one-hour recording (mostly silence, a sentence every 10 minutes) decodes with
    peak memory ~ the float32 samples (230 MB), not the hour's spectrogram (GBs)."""
    import soundfile as sf

    path = tmp_path / "hour.wav"
    sp = (speech() * 32767).astype(np.int16)
    with sf.SoundFile(str(path), "w", SR, 1, subtype="PCM_16") as f:
        block = np.zeros(SR * 60, dtype=np.int16)
        for minute in range(60):
            if minute % 10 == 5:
                b = block.copy()
                b[SR * 10 : SR * 10 + sp.size] = sp
                f.write(b)
            else:
                f.write(block)
    model = models.scripted(["one", "sentence."], [(0.6, 1.0), (1.0, 1.6)])
    script = tmp_path / "hour.py"
    script.write_text(ONE_HOUR)
    root = str(Path(__file__).resolve().parents[3])
    out = subprocess.run(
        [sys.executable, str(script), str(path), str(model), root, str(SPEECH_WAV)],
        capture_output=True,
        text=True,
        timeout=240,
        env={**os.environ, "PYTHONPATH": root},
    )
    assert out.returncode == 0, out.stderr[-2000:]
    rss0, rss1, nwords, duration, seconds = out.stdout.split()
    growth_mb = (int(rss1) - int(rss0)) / 1024
    assert float(duration) == pytest.approx(3600.0)
    # 6 sentences; the scripted model says its 2 words once per 30-s window decoded: the
    # file's speech (6 x ~6 s, padded) is joined and decoded in one or two windows
    assert 2 <= int(nwords) <= 8 and int(nwords) % 2 == 0
    print(f"one hour: {float(seconds):.1f} s, peak RSS +{growth_mb:.0f} MB")
    assert growth_mb < 450, f"peak RSS grew by {growth_mb:.0f} MB"
