"""LiveTranscriber: words grow while audio is fed; the final transcript agrees with batch."""

from __future__ import annotations

import time
from dataclasses import replace

import numpy as np
import pytest
from transcribe_helpers import SR, _private_home, resample, silence, speech, speech_words, word_error_rate  # noqa: F401

from analysis.speech.batch import transcribe
from analysis.speech.errors import TranscribeError
from analysis.speech.live import LiveTranscriber
from analysis.speech.options import TranscribeOptions

REF = speech_words()


def answer() -> np.ndarray:
    """~40 s: the fixture sentence five times with pauses of 0.8-1.6 s between."""
    parts = []
    for i in range(5):
        parts += [speech(), silence(0.8 + 0.2 * i)]
    return np.concatenate(parts)


def feed_all(live: LiveTranscriber, audio: np.ndarray, rate: int, block: int) -> None:
    for i in range(0, audio.shape[0], block):
        live.feed(audio[i : i + block], rate)


def wait_for(cond, timeout=30.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if cond():
            return True
        time.sleep(0.02)
    return False


@pytest.fixture(scope="module")
def model(models):
    return models.scripted([w["text"] for w in REF], [(w["start"], w["end"]) for w in REF])


def test_live_words_grow_and_final_matches_batch(model):
    options = TranscribeOptions(model=str(model), device="cpu")
    audio = answer()
    batch = transcribe(audio, replace(options, file_pieces=True))
    live = LiveTranscriber(options)
    feed_all(live, audio, SR, 1600)  # 100-ms blocks, as the recorder delivers them
    # finished pieces are decoded in the background before stop: words appear live and
    # only the tail is left for finish()
    assert wait_for(lambda: len(live.words) > 0)
    assert wait_for(lambda: live.pending_seconds < audio.size / SR / 2)
    assert live.duration == pytest.approx(audio.size / SR)
    final = live.finish()
    ref = [w.norm for w in batch.words]
    hyp = [w.norm for w in final.words]
    assert len(ref) >= 2 * len(REF)  # several pieces, each transcribed
    assert word_error_rate(ref, hyp) <= 0.05
    # same pieces, same decoder: identical words and times, same hesitations
    assert [(w.text, w.start, w.end) for w in final.words] == [(w.text, w.start, w.end) for w in batch.words]
    assert final.hesitations == batch.hesitations
    assert final.duration == pytest.approx(batch.duration, abs=0.001)
    assert live.words == final.words


def test_live_accepts_48k_stereo_blocks(model):
    options = TranscribeOptions(model=str(model), device="cpu")
    mono = speech()
    stereo48 = resample(np.stack([mono, mono], axis=1), SR, 48000)
    live = LiveTranscriber(options)
    feed_all(live, stereo48, 48000, 4800)
    final = live.finish()
    assert [w.text.strip() for w in final.words] == [w["text"] for w in REF]
    assert final.duration == pytest.approx(mono.size / SR, abs=0.02)


def test_live_silence_and_finish_twice(model):
    live = LiveTranscriber(TranscribeOptions(model=str(model), device="cpu"))
    feed_all(live, silence(3.0), SR, 1600)
    t = live.finish()
    assert t.words == () and t.extra["no_speech"] is True
    assert live.finish().words == ()  # idempotent
    with pytest.raises(TranscribeError):
        live.feed(silence(0.1), SR)


def test_pieces_are_cut_in_pauses_never_in_speech(model):
    """Cut points fall in the silences between sentences, not inside them."""
    from analysis.speech.pieces import piece_bounds

    audio = answer()
    bounds = piece_bounds(audio, TranscribeOptions())
    assert len(bounds) >= 3
    assert bounds[0][0] == 0 and bounds[-1][1] == audio.size
    sentence = speech().size
    pos, speech_spans = 0, []
    for i in range(5):
        speech_spans.append((pos + int(REF[0]["start"] * SR), pos + int(REF[-1]["end"] * SR)))
        pos += sentence + int((0.8 + 0.2 * i) * SR)
    for _, cut in bounds[:-1]:
        inside_word = any(
            pos0 + int(w["start"] * SR) < cut < pos0 + int(w["end"] * SR)
            for pos0 in (s - int(REF[0]["start"] * SR) for s, _ in speech_spans)
            for w in REF
        )
        assert not inside_word, cut / SR


def test_live_model_error_surfaces_without_blocking(tmp_path):
    from analysis.speech.errors import ModelNotAvailableError

    start = time.monotonic()
    live = LiveTranscriber(TranscribeOptions(model=str(tmp_path / "no-such-model"), device="cpu"))
    assert time.monotonic() - start < 0.5  # the model loads in the background
    feed_all(live, speech(), SR, 1600)
    assert wait_for(lambda: live.error is not None)
    with pytest.raises(ModelNotAvailableError, match="does not exist"):
        live.finish()


def test_tail_decoded_during_the_final_pause_is_reused(model):
    """Speaker finishes, pauses, presses stop: the tail was already decoded in the pause,
    so finish() decodes nothing, and the result is still exactly the batch result."""
    options = TranscribeOptions(model=str(model), device="cpu")
    audio = np.concatenate([answer(), speech(), silence(1.2)])
    live = LiveTranscriber(options)
    feed_all(live, audio, SR, 1600)
    assert wait_for(lambda: live._spec is not None and not live._queue and not live._busy)
    final = live.finish()
    assert live.reused_tail
    batch = transcribe(audio, replace(options, file_pieces=True))
    assert [(w.text, w.start, w.end) for w in final.words] == [(w.text, w.start, w.end) for w in batch.words]
    assert final.hesitations == batch.hesitations
    # stop in mid-sentence: nothing to reuse, the tail is decoded at finish
    live = LiveTranscriber(options)
    feed_all(live, audio[: int(len(audio) - 2.5 * SR)], SR, 1600)
    final = live.finish()
    assert not live.reused_tail
    batch = transcribe(audio[: int(len(audio) - 2.5 * SR)], replace(options, file_pieces=True))
    assert [(w.text, w.start) for w in final.words] == [(w.text, w.start) for w in batch.words]


def test_cancel_stops_the_background_thread(model):
    live = LiveTranscriber(TranscribeOptions(model=str(model), device="cpu"))
    feed_all(live, answer(), SR, 1600)
    live.cancel()
    live._thread.join(timeout=30)
    assert not live._thread.is_alive()
