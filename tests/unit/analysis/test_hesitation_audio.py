"""Filled pauses found in the audio (analysis.hesitation.find_filled_pauses), on synthetic
vowels: a voiced stretch of >= 200 ms with a flat pitch and a steady spectrum is a possible
hesitation; a pitch glide, a changing vowel, noise or a short vowel is not."""

from __future__ import annotations

import numpy as np
import pytest

from analysis.hesitation import candidate_spans, find_filled_pauses
from analysis.transcript import Span, Word

SR = 16000


def vowel(dur: float, f0=(120.0, 120.0), f1=(700.0, 700.0), f2=(1200.0, 1200.0), bw: float = 90.0) -> np.ndarray:
    """A harmonic vowel: pitch and the first two formants move linearly from start to end."""
    n = int(dur * SR)
    f0s = np.linspace(*f0, n)
    phase = 2 * np.pi * np.cumsum(f0s) / SR
    formants = [np.linspace(*f1, n), np.linspace(*f2, n), np.full(n, 2600.0)]
    y = np.zeros(n)
    for h in range(1, 40):
        fh = f0s * h
        amp = sum(1 / (1 + ((fh - f) / bw) ** 2) for f in formants)
        y += amp * np.sin(h * phase) * (fh < 7000)
    t = np.arange(n) / SR
    env = np.minimum(1, np.minimum(t, t[::-1]) / 0.02)
    return (0.1 * y / np.abs(y).max() * env).astype(np.float32)


def padded(sound: np.ndarray, before: float = 0.5, after: float = 0.5) -> np.ndarray:
    return np.concatenate([np.zeros(int(before * SR), np.float32), sound, np.zeros(int(after * SR), np.float32)])


def uncovered(sound: np.ndarray) -> tuple[np.ndarray, list, list]:
    """The sound as VAD speech that no word covers (a filler Whisper dropped)."""
    return padded(sound), [], [(0.5, 0.5 + sound.size / SR)]


def test_flat_vowel_of_400_ms_is_found_with_its_times():
    hits = find_filled_pauses(*uncovered(vowel(0.4)))
    assert len(hits) == 1
    assert hits[0].start == pytest.approx(0.5, abs=0.05)
    assert hits[0].end == pytest.approx(0.9, abs=0.05)


def test_a_higher_voice_is_found_too():
    assert len(find_filled_pauses(*uncovered(vowel(0.4, f0=(220, 222))))) == 1


@pytest.mark.parametrize(
    "sound",
    [
        vowel(0.4, f0=(120, 180)),  # a pitch glide (7 semitones): intonation, not a filler
        vowel(0.4, f1=(800, 250), f2=(800, 2700), bw=40),  # flat pitch, but the vowel changes ("ai")
        (0.05 * np.random.default_rng(1).standard_normal(int(0.4 * SR))).astype(np.float32),  # noise
        vowel(0.15),  # flat but too short (filled pauses last >= 200 ms)
    ],
    ids=["glide", "changing-vowel", "noise", "150-ms"],
)
def test_not_a_filled_pause(sound):
    assert find_filled_pauses(*uncovered(sound)) == ()


def test_searched_inside_a_stretched_word_but_not_inside_ordinary_words():
    # eight ordinary words (0.25 s each), then "I" lasting 1.2 s over a flat 0.5-s vowel
    words = [Word(f" w{i}", i * 0.3, i * 0.3 + 0.25) for i in range(8)]
    audio = np.zeros(int(4.5 * SR), np.float32)
    audio[int(2.6 * SR) : int(2.6 * SR) + int(0.5 * SR)] = vowel(0.5)
    stretched = words + [Word(" I", 2.4, 3.6), Word(" did", 3.6, 3.85)]
    hits = find_filled_pauses(audio, stretched, [(0.0, 3.9)])
    assert len(hits) == 1 and 2.55 <= hits[0].start <= 2.7 and 3.0 <= hits[0].end <= 3.15
    # the same vowel under a word of ordinary length (and no speech left uncovered) is a word
    ordinary = words + [Word(" ordinary", 2.58, 3.12), Word(" did", 3.12, 3.4)]
    assert (2.58, 3.12) not in candidate_spans(ordinary, [(0.0, 3.4)])
    assert find_filled_pauses(audio, ordinary, [(0.0, 3.4)]) == ()


def test_silence_and_empty_audio_give_nothing():
    assert find_filled_pauses(np.zeros(3 * SR, np.float32), [], [(0.5, 2.5)]) == ()
    assert find_filled_pauses(np.zeros(0, np.float32), [], [(0.5, 2.5)]) == ()


def test_hints_are_spans_in_the_recording():
    audio, words, speech = uncovered(vowel(0.6))
    (hit,) = find_filled_pauses(audio, words, speech)
    assert isinstance(hit, Span) and 0 <= hit.start < hit.end <= audio.size / SR
