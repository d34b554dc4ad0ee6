"""Speak a script with libespeak-ng and know exactly when each word is heard.

Used by ``sample_audio/make_sample.py`` (the bundled example take) and
``tests/fixtures/make_fixtures.py`` (short speech clips for tests). Not part of the
installed package: these are build scripts for committed data files.

How the timings are exact: libespeak-ng is driven through ctypes in synchronous
retrieval mode. Its synthesis callback hands over the PCM together with
``espeakEVENT_WORD`` events; each event names the word (its character position in the
text we passed) and the sample where that word's sound begins. A word therefore starts
at its event's sample and its sound lasts until the next word's event; within that
stretch the span is trimmed to where the signal is actually audible (an energy envelope),
so the pause that espeak-ng leaves after a comma or a full stop belongs to no word, as
in a Whisper transcript. A few unstressed words ("a" in "was a") are run into the word
before and get no event; they start at their first phoneme (``espeakEVENT_PHONEME``).
Phrases are synthesised one at a time and joined with silences
of chosen lengths, so the pauses in the sample are exactly where the script puts them.

Requires the Debian package ``espeak-ng`` (``libespeak-ng.so.1``). The speech espeak-ng
produces is not covered by its licence (GPLv3 covers the program).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

# --- libespeak-ng ABI (speak_lib.h, API revision 12) ------------------------------------
_AUDIO_OUTPUT_SYNCHRONOUS = 2
_POS_CHARACTER = 1
_CHARS_UTF8 = 1
_EVENT_LIST_TERMINATED = 0
_EVENT_WORD = 1
_EVENT_PHONEME = 7
_INITIALIZE_PHONEME_EVENTS = 0x0001
_PARAM_RATE = 1
_PARAM_PITCH = 3
_PARAM_RANGE = 4


class _EventId(ctypes.Union):
    _fields_ = [("number", ctypes.c_int), ("name", ctypes.c_char_p), ("string", ctypes.c_char * 8)]


class _Event(ctypes.Structure):
    _fields_ = [
        ("type", ctypes.c_int),
        ("unique_identifier", ctypes.c_uint),
        ("text_position", ctypes.c_int),  # 1-based character position in the text
        ("length", ctypes.c_int),  # word length in characters
        ("audio_position", ctypes.c_int),  # ms from the start of this message's audio
        ("sample", ctypes.c_int),  # sample index of the same instant (exact)
        ("user_data", ctypes.c_void_p),
        ("id", _EventId),
    ]


_CALLBACK = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int, ctypes.POINTER(_Event))


class EspeakError(RuntimeError):
    pass


class Espeak:
    """One libespeak-ng instance in synchronous mode. ``synth(text)`` -> (pcm, word events)."""

    def __init__(self, voice: str = "en-us", rate_wpm: int = 160, pitch: int = 50, pitch_range: int = 50):
        name = ctypes.util.find_library("espeak-ng") or "libespeak-ng.so.1"
        try:
            self._lib = ctypes.CDLL(name)
        except OSError as exc:
            raise EspeakError(f"libespeak-ng not found ({exc}); install it: sudo apt-get install espeak-ng") from None
        lib = self._lib
        lib.espeak_Initialize.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_char_p, ctypes.c_int]
        lib.espeak_Initialize.restype = ctypes.c_int
        lib.espeak_SetSynthCallback.argtypes = [_CALLBACK]
        lib.espeak_SetVoiceByName.argtypes = [ctypes.c_char_p]
        lib.espeak_SetParameter.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_int]
        lib.espeak_Synth.argtypes = [
            ctypes.c_void_p,
            ctypes.c_size_t,
            ctypes.c_uint,
            ctypes.c_int,
            ctypes.c_uint,
            ctypes.c_uint,
            ctypes.c_void_p,
            ctypes.c_void_p,
        ]
        lib.espeak_TextToPhonemes.argtypes = [ctypes.POINTER(ctypes.c_char_p), ctypes.c_int, ctypes.c_int]
        lib.espeak_TextToPhonemes.restype = ctypes.c_char_p
        self.samplerate = lib.espeak_Initialize(_AUDIO_OUTPUT_SYNCHRONOUS, 0, None, _INITIALIZE_PHONEME_EVENTS)
        if self.samplerate <= 0:
            raise EspeakError("espeak_Initialize failed (is espeak-ng-data installed?)")
        self._chunks: list[np.ndarray] = []
        self._events: list[tuple[int, int, int, int]] = []
        self._phonemes: list[int] = []
        self._received = 0
        self._callback = _CALLBACK(self._on_audio)  # keep a reference: C holds the pointer
        lib.espeak_SetSynthCallback(self._callback)
        if lib.espeak_SetVoiceByName(voice.encode()) != 0:
            raise EspeakError(f"espeak-ng has no voice {voice!r}")
        lib.espeak_SetParameter(_PARAM_RATE, rate_wpm, 0)
        lib.espeak_SetParameter(_PARAM_PITCH, pitch, 0)
        lib.espeak_SetParameter(_PARAM_RANGE, pitch_range, 0)
        self.version = self._version()

    def _version(self) -> str:
        try:
            fn = self._lib.espeak_Info
            fn.argtypes = [ctypes.POINTER(ctypes.c_char_p)]
            fn.restype = ctypes.c_char_p
            return (fn(None) or b"?").decode()
        except AttributeError:  # pragma: no cover - very old library
            return "?"

    def _on_audio(self, wav, numsamples, events) -> int:
        i = 0
        while events[i].type != _EVENT_LIST_TERMINATED:
            e = events[i]
            if e.type == _EVENT_WORD:
                # ``sample`` is the exact position; check it against the documented ms field.
                if abs(e.sample * 1000 / self.samplerate - e.audio_position) > 1.5:
                    raise EspeakError("espeak-ng event positions disagree; cannot time words")
                self._events.append((e.text_position, e.length, e.sample, e.audio_position))
            elif e.type == _EVENT_PHONEME:
                self._phonemes.append(e.sample)
            i += 1
        if wav and numsamples > 0:
            self._chunks.append(np.ctypeslib.as_array(wav, shape=(numsamples,)).copy())
            self._received += numsamples
        return 0

    def phoneme_count(self, text: str) -> int:
        """How many phonemes espeak-ng uses for ``text`` said on its own."""
        ptr = ctypes.c_char_p(text.encode())
        out = self._lib.espeak_TextToPhonemes(ctypes.byref(ptr), _CHARS_UTF8, ord("_") << 8) or b""
        names = re.split(r"[_\s]+", out.decode(errors="replace").replace("'", "").replace(",", ""))
        return sum(1 for n in names if n)

    def synth(self, text: str) -> tuple[np.ndarray, list[tuple[int, int, int]], list[int]]:
        """Speak ``text`` (ASCII). Returns int16 PCM, word events [(text_position, length,
        sample)] and the start sample of every phoneme."""
        if not text.isascii():
            raise EspeakError("keep scripts ASCII: event positions are counted in characters")
        self._chunks, self._events, self._phonemes, self._received = [], [], [], 0
        data = text.encode() + b"\0"
        rc = self._lib.espeak_Synth(data, len(data), 0, _POS_CHARACTER, 0, _CHARS_UTF8, None, None)
        if rc != 0:
            raise EspeakError(f"espeak_Synth failed with code {rc}")
        self._lib.espeak_Synchronize()
        pcm = np.concatenate(self._chunks) if self._chunks else np.zeros(0, np.int16)
        events = [(p, n, s) for p, n, s, _ms in self._events]
        return pcm.astype(np.int16), events, sorted(self._phonemes)


# --- scripts --------------------------------------------------------------------------
@dataclass(frozen=True)
class Token:
    """One transcript word: ``text`` as written in the transcript, ``spoken`` as fed to espeak."""

    text: str
    spoken: str


_TOKEN = re.compile(r"\{([^|{}]+)\|([^{}]+)\}(\S*)|(\S+)")


def tokens(phrase: str) -> list[Token]:
    """Split a phrase into words. ``{$100|a hundred dollars}`` writes one word, speaks another."""
    out = []
    for m in _TOKEN.finditer(phrase):
        if m.group(4) is not None:
            out.append(Token(m.group(4), m.group(4)))
        else:  # punctuation after the braces belongs to both forms
            out.append(Token(m.group(1) + m.group(3), m.group(2) + m.group(3)))
    return out


@dataclass(frozen=True)
class TimedWord:
    text: str
    start: float  # seconds in the final audio
    end: float


FRAME_S = 0.005  # energy envelope resolution
ACTIVE_DBFS = -45.0  # a 5 ms frame louder than this is audible speech
EDGE_PAD_S = 0.01  # keep 10 ms either side of the audible part of a word


def envelope_dbfs(pcm: np.ndarray, samplerate: int, frame_s: float = FRAME_S) -> np.ndarray:
    """RMS level of consecutive frames, in dBFS (int16 full scale)."""
    n = max(1, int(round(samplerate * frame_s)))
    m = len(pcm) // n
    x = pcm[: m * n].astype(np.float64).reshape(m, n) / 32768.0
    rms = np.sqrt((x * x).mean(axis=1))
    return 20 * np.log10(np.maximum(rms, 1e-9))


def _audible(pcm: np.ndarray, samplerate: int) -> tuple[int, int] | None:
    """First and last+1 sample of the audible part of ``pcm`` (frame resolution)."""
    env = envelope_dbfs(pcm, samplerate)
    on = np.flatnonzero(env > ACTIVE_DBFS)
    if on.size == 0:
        return None
    n = int(round(samplerate * FRAME_S))
    return int(on[0]) * n, min(len(pcm), (int(on[-1]) + 1) * n)


def _place_joined_words(engine, toks, starts, phonemes, phrase) -> None:
    """Give a start to words espeak-ng ran into the previous one.

    espeak-ng joins some unstressed words to the word before ("was a" is one word to it,
    /wVza#/) and reports no event for them. Such a word is the last phonemes of the
    joined stretch: its start is the start of its first phoneme there (phoneme events).
    """
    i = 0
    while i < len(toks):
        if starts[i] is not None:
            i += 1
            continue
        host = i - 1
        if host < 0:
            raise EspeakError(f"espeak-ng gave no word event for {toks[i].text!r} in {phrase!r}")
        j = i
        while j < len(toks) and starts[j] is None:
            j += 1
        end = starts[j] if j < len(toks) else None
        inside = [p for p in phonemes if p >= starts[host] and (end is None or p < end)]
        counts = [engine.phoneme_count(t.spoken) for t in toks[i:j]]
        if min(counts) < 1 or sum(counts) >= len(inside):
            raise EspeakError(f"cannot split {[t.text for t in toks[host:j]]} in {phrase!r}")
        k = len(inside) - sum(counts)
        for n, c in enumerate(counts):
            starts[i + n] = inside[k]
            k += c
        i = j


def speak_phrase(engine: Espeak, phrase: str) -> tuple[np.ndarray, list[tuple[Token, int, int]]]:
    """Synthesise one phrase; return its PCM trimmed of silence at both ends and each
    token's audible (start, end) sample span within it."""
    toks = tokens(phrase)
    spoken, ranges, pos = [], [], 1  # espeak positions are 1-based
    for t in toks:
        if spoken:
            pos += 1  # the joining space
        ranges.append((pos, pos + len(t.spoken)))
        spoken.append(t.spoken)
        pos += len(t.spoken)
    pcm, events, phonemes = engine.synth(" ".join(spoken))
    starts: list[int | None] = [None] * len(toks)
    for text_pos, length, sample in events:
        if text_pos < 1 or length < 1:
            continue  # espeak-ng sometimes adds an empty word event (seen after "And, uh")
        for i, (a, b) in enumerate(ranges):
            if a <= text_pos < b:
                starts[i] = sample if starts[i] is None else min(starts[i], sample)
                break
        else:
            raise EspeakError(f"espeak-ng word event at character {text_pos} outside every word of {phrase!r}")
    _place_joined_words(engine, toks, starts, phonemes, phrase)
    if any(b < a for a, b in zip(starts, starts[1:], strict=False)):  # type: ignore[operator]
        raise EspeakError(f"espeak-ng word events out of order in {phrase!r}")

    pad = int(round(engine.samplerate * EDGE_PAD_S))
    spans = []
    for i, t in enumerate(toks):
        lo = starts[i]
        hi = starts[i + 1] if i + 1 < len(toks) else len(pcm)
        audible = _audible(pcm[lo:hi], engine.samplerate)
        if audible is None:
            raise EspeakError(f"word {t.text!r} in {phrase!r} is silent")
        a, b = audible
        spans.append((t, max(lo, lo + a - pad), min(hi, lo + b + pad)))
    first, last = spans[0][1], spans[-1][2]
    return pcm[first:last], [(t, s - first, e - first) for t, s, e in spans]


def speak_script(
    engine: Espeak, phrases: Sequence[tuple[str, float]], lead_s: float = 0.4, tail_s: float = 0.6
) -> tuple[np.ndarray, list[TimedWord]]:
    """Speak ``[(phrase, silence_after_s), ...]`` as one recording.

    Returns int16 PCM at ``engine.samplerate`` and the words with their times.
    """
    sr = engine.samplerate
    parts = [np.zeros(int(round(lead_s * sr)), np.int16)]
    cursor = len(parts[0])
    words: list[TimedWord] = []
    for i, (phrase, pause_after) in enumerate(phrases):
        pcm, spans = speak_phrase(engine, phrase)
        for t, s, e in spans:
            words.append(TimedWord(t.text, (cursor + s) / sr, (cursor + e) / sr))
        gap = tail_s if i == len(phrases) - 1 else pause_after
        silence = np.zeros(int(round(gap * sr)), np.int16)
        parts += [pcm, silence]
        cursor += len(pcm) + len(silence)
    return np.concatenate(parts), words


# --- resampling ------------------------------------------------------------------------
def resample(pcm: np.ndarray, rate_in: int, rate_out: int) -> np.ndarray:
    """Band-limited resampling of a whole clip in the frequency domain (deterministic).

    The spectrum is cut at 95% of the lower Nyquist frequency with a raised-cosine edge
    (from 85%), which keeps ringing into the silences far below -60 dBFS.
    """
    if rate_in == rate_out:
        return pcm.astype(np.int16)
    from math import gcd

    g = gcd(rate_in, rate_out)
    up, down = rate_out // g, rate_in // g
    n_in = -(-len(pcm) // down) * down  # pad to a whole number of blocks
    x = np.zeros(n_in, np.float64)
    x[: len(pcm)] = pcm
    n_out = n_in // down * up
    spec = np.fft.rfft(x)
    nyq = min(rate_in, rate_out) / 2
    freqs = np.fft.rfftfreq(n_in, 1 / rate_in)
    lo, hi = 0.85 * nyq, 0.95 * nyq
    gain = np.clip((hi - freqs) / (hi - lo), 0, 1)
    gain = 0.5 - 0.5 * np.cos(np.pi * gain)
    spec *= gain
    keep = n_out // 2 + 1
    out_spec = np.zeros(keep, np.complex128)
    m = min(keep, len(spec))
    out_spec[:m] = spec[:m]
    y = np.fft.irfft(out_spec, n_out) * (n_out / n_in)
    y = y[: int(round(len(pcm) * rate_out / rate_in))]
    return np.clip(np.round(y), -32768, 32767).astype(np.int16)


def words_payload(words: Iterable[TimedWord]) -> list[dict]:
    """Words in the transcript contract's form (Whisper style: a leading space)."""
    return [
        {"text": " " + w.text, "start": round(w.start, 3), "end": round(w.end, 3), "probability": 1.0} for w in words
    ]
