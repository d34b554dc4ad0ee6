"""Tiny CTranslate2 Whisper models built offline, for tests (DESIGN.md "Testing with real parts").

No weights are downloaded: a ``ctranslate2.specs.WhisperSpec`` is filled from numpy and
saved with a synthetic byte-level-BPE ``tokenizer.json`` carrying Whisper's special tokens
(text tokens first, then ``<|endoftext|>`` ... ``<|notimestamps|>``, then the 1501 timestamp
tokens last, as CTranslate2 and faster-whisper expect). faster-whisper then runs on them
for real: feature extraction, encoder, decoding with Whisper's timestamp rules, the
fallback logic, word alignment (cross-attention + DTW) and the punctuation merging.

Models
------
``build_scripted_model(dir, words, times=None)``
    Emits exactly ``words`` (one 30-s window's worth) whatever the audio is. The decoder
    is a state machine over tokens: every token has its own pair of embedding dimensions
    (``+a``/``-a``, so layer norm leaves it exact) and the output projection makes each
    token's *successor* win: ``<|startoftranscript|>`` -> ``<|t0|>`` -> word 1 -> ... ->
    word n -> ``<|t_end|>`` -> ``<|endoftext|>``. Repeated words get their own token ids
    (``" um"``, ``" um\\u20631"``, ...) whose invisible suffix a ``Replace`` decoder removes,
    so they decode to identical text.
    Word timing: the encoder output carries the frame's time as an angle (cos, sin); the
    one cross-attention head (also the alignment head) of the token *before* word k
    looks at word k's time, so faster-whisper's DTW puts word boundaries where the script
    says (to within a few hundredths of a second, plus faster-whisper's own heuristics).
    Times are relative to the decoded window (with VAD: to the speech-only audio).

``build_random_model(dir, seed=0)``
    Small random weights: decodes whatever it decodes. For robustness tests.

``build_synthetic_model(dir, dims=BASE_EN_DIMS, words_per_window=75)``
    The scripted construction at real model dimensions (base.en: d_model 512, 6+6
    layers, 8 heads, 51864 tokens) with small random weights in every layer, so the
    compute per window is a real model's while decoding stays capped at a realistic
    number of tokens. Used by ``benchmarks/feedback_latency.py``.

pytest fixtures (import them into a test module, or use ``model_factory``):
``scripted_model_factory`` builds and caches models per test session.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

TIME_PRECISION = 0.02
N_TIMESTAMPS = 1501
N_FRAMES = 1500  # encoder positions per 30-s window
N_MELS = 80
VARIANT_MARK = "\u2063"  # invisible separator: duplicate-word variants, removed on decode

SPECIALS = [
    "<|endoftext|>",
    "<|startoftranscript|>",
    "<|translate|>",
    "<|transcribe|>",
    "<|startoflm|>",
    "<|startofprev|>",
    "<|nocaptions|>",
    "<|notimestamps|>",
]


@dataclass(frozen=True)
class Dims:
    d_model: int
    encoder_layers: int
    decoder_layers: int
    heads: int
    ffn: int
    vocab: int | None = None  # None: as small as the tokenizer needs


BASE_EN_DIMS = Dims(d_model=512, encoder_layers=6, decoder_layers=6, heads=8, ffn=2048, vocab=51864)


# ---------------------------------------------------------------------------- tokenizer
def _bytes_to_unicode() -> dict[int, str]:
    """GPT-2's reversible byte -> printable character map (what ByteLevel BPE uses)."""
    printable = (
        list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) + list(range(ord("®"), ord("ÿ") + 1))
    )
    chars = printable[:]
    n = 0
    for b in range(256):
        if b not in printable:
            printable.append(b)
            chars.append(256 + n)
            n += 1
    return dict(zip(printable, (chr(c) for c in chars), strict=False))


_B2U = _bytes_to_unicode()


def _bl(text: str) -> str:
    return "".join(_B2U[b] for b in text.encode("utf-8"))


class _Vocab:
    """Token strings (byte-level form) in id order, text tokens first."""

    def __init__(self) -> None:
        self.tokens: list[str] = []
        self.ids: dict[str, int] = {}
        self.merges: list[tuple[str, str]] = []
        for b in range(256):
            self.add(_B2U[b])

    def add(self, token: str) -> int:
        if token not in self.ids:
            self.ids[token] = len(self.tokens)
            self.tokens.append(token)
        return self.ids[token]

    def add_word(self, text: str) -> int:
        """A whole-word token reachable by BPE merges (so prompts encode to it too)."""
        form = _bl(text)
        prev = form[0]
        for ch in form[1:]:
            nxt = prev + ch
            if nxt not in self.ids:
                self.add(nxt)
                self.merges.append((prev, ch))
            prev = nxt
        return self.ids[form]


def _finish_vocab(vocab: _Vocab, size: int | None) -> tuple[list[str], int]:
    """Append specials and timestamps (padding text tokens to reach ``size``)."""
    n_tail = len(SPECIALS) + N_TIMESTAMPS
    if size is not None:
        pad = size - n_tail - len(vocab.tokens)
        if pad < 0:
            raise ValueError("vocabulary too small for the script")
        for i in range(pad):
            vocab.add(f"<pad{i}>")
    eot = len(vocab.tokens)
    for s in SPECIALS:
        vocab.add(s)
    for i in range(N_TIMESTAMPS):
        vocab.add("<|%.2f|>" % (i * TIME_PRECISION))
    return vocab.tokens, eot


def _write_tokenizer(path: Path, vocab: _Vocab) -> None:
    from tokenizers import AddedToken, Regex, Tokenizer, decoders, models, pre_tokenizers

    bpe = models.BPE(vocab=dict(vocab.ids), merges=list(vocab.merges))
    tok = Tokenizer(bpe)
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.Sequence([decoders.Replace(Regex(VARIANT_MARK + "[0-9]+"), ""), decoders.ByteLevel()])
    specials = [t for t in vocab.tokens if t.startswith("<|") and t.endswith("|>")]
    tok.add_special_tokens([AddedToken(t, special=True, normalized=False) for t in specials])
    tok.save(str(path))


# ---------------------------------------------------------------------------- model spec
def _layer_norm(spec, d: int) -> None:
    spec.gamma = np.ones(d, dtype=np.float32)
    spec.beta = np.zeros(d, dtype=np.float32)


def _linear(spec, out_dim: int, in_dim: int, rng, scale: float, bias: bool = True) -> None:
    if scale:
        spec.weight = (rng.standard_normal((out_dim, in_dim)) * scale).astype(np.float32)
    else:
        spec.weight = np.zeros((out_dim, in_dim), dtype=np.float32)
    if bias:
        spec.bias = np.zeros(out_dim, dtype=np.float32)


def _fill_layers(spec, dims: Dims, rng, scale: float) -> None:
    """Every encoder/decoder layer: real shapes, weights ~ N(0, scale) (or zero)."""
    d, f = dims.d_model, dims.ffn
    for layer in spec.encoder.layer:
        _layer_norm(layer.self_attention.layer_norm, d)
        _linear(layer.self_attention.linear[0], 3 * d, d, rng, scale)
        _linear(layer.self_attention.linear[1], d, d, rng, scale)
        _layer_norm(layer.ffn.layer_norm, d)
        _linear(layer.ffn.linear_0, f, d, rng, scale)
        _linear(layer.ffn.linear_1, d, f, rng, scale)
    for layer in spec.decoder.layer:
        _layer_norm(layer.self_attention.layer_norm, d)
        _linear(layer.self_attention.linear[0], 3 * d, d, rng, scale)
        _linear(layer.self_attention.linear[1], d, d, rng, scale)
        _layer_norm(layer.attention.layer_norm, d)
        _linear(layer.attention.linear[0], d, d, rng, scale)
        _linear(layer.attention.linear[1], 2 * d, d, rng, scale)
        _linear(layer.attention.linear[2], d, d, rng, scale)
        _layer_norm(layer.ffn.layer_norm, d)
        _linear(layer.ffn.linear_0, f, d, rng, scale)
        _linear(layer.ffn.linear_1, d, f, rng, scale)


def _new_spec(dims: Dims):
    from ctranslate2.specs import whisper_spec

    return whisper_spec.WhisperSpec(dims.encoder_layers, dims.heads, dims.decoder_layers, dims.heads)


def _save(spec, out: Path, vocab: _Vocab, tokens: list[str], alignment_heads, quantization: str | None = None) -> Path:
    out.mkdir(parents=True, exist_ok=True)
    spec.register_vocabulary(tokens)
    spec.config.suppress_ids = []
    spec.config.suppress_ids_begin = []
    spec.config.lang_ids = []
    spec.config.alignment_heads = alignment_heads
    spec.validate()
    spec.optimize(quantization=quantization)
    spec.save(str(out))
    _write_tokenizer(out / "tokenizer.json", vocab)
    (out / "preprocessor_config.json").write_text(
        json.dumps(
            {"feature_size": N_MELS, "sampling_rate": 16000, "hop_length": 160, "n_fft": 400, "chunk_length": 30}
        )
    )
    return out


def _word_form(text: str) -> str:
    text = text if text.startswith(" ") else " " + text
    return text


def _chain_model(
    out: Path,
    words: Sequence[str],
    times: Sequence[tuple[float, float]] | None,
    dims: Dims | None,
    noise: float,
    seed: int,
    quantization: str | None = None,
) -> Path:
    words = [_word_form(w) for w in words]
    if any(not w.strip() for w in words):
        raise ValueError("empty word in script")
    n = len(words)
    if n > 200:
        raise ValueError("a scripted window holds at most 200 words")
    if times is None:
        times = [(0.3 + 0.4 * i, 0.3 + 0.4 * i + 0.32) for i in range(n)]
    times = [(float(s), float(e)) for s, e in times]
    if len(times) != n:
        raise ValueError("times must give (start, end) for every word")
    for (s, e), (s2, _e2) in zip(times, times[1:] + [(times[-1][1] + 1, 0)] if times else [], strict=False):
        if not 0 <= s < e <= s2 or e > 29.9:
            raise ValueError(f"bad script times {times}")

    vocab = _Vocab()
    seen: dict[str, int] = {}
    word_ids = []
    for w in words:
        k = seen.get(w, 0)
        seen[w] = k + 1
        if k == 0:
            word_ids.append(vocab.add_word(w))
        else:
            word_ids.append(vocab.add(_bl(w) + VARIANT_MARK + str(k)))
    tokens, eot = _finish_vocab(vocab, dims.vocab if dims else None)
    sot, notimestamps = eot + 1, eot + 7  # (eot + 5, eot + 6: sot_prev and nocaptions, unused here)
    ts_begin = notimestamps + 1
    V = len(tokens)

    if n:
        t0 = min(round(times[0][0] / TIME_PRECISION), 50)
        t_end = min(round(times[-1][1] / TIME_PRECISION) + 1, N_TIMESTAMPS - 1)
        t_end = max(t_end, t0 + 1)
    else:
        t0, t_end = 0, 1
    ts0, tsend = ts_begin + t0, ts_begin + t_end

    # The chain: state token -> (successor, time the successor's alignment points at).
    chain: list[tuple[int, int, float | None]] = []
    # A pause of >= 0.3 s between words closes the segment: <|end|><|start|> (Whisper's
    # own way of marking a gap; faster-whisper then trims the words at the pause).
    seq = [sot, ts0]
    for k, wid in enumerate(word_ids):
        if k and times[k][0] - times[k - 1][1] >= 0.3:
            a = round(times[k - 1][1] / TIME_PRECISION)
            b = max(round(times[k][0] / TIME_PRECISION), a + 1)
            seq += [ts_begin + a, ts_begin + b]
        seq.append(wid)
    seq += [tsend, eot]
    for i in range(len(seq) - 1):
        chain.append((seq[i], seq[i + 1], None))
    if n:  # word alignment decodes from <|notimestamps|>: its successor is word 1
        chain.append((notimestamps, word_ids[0], None))
    # Alignment rows: <|notimestamps|> predicts word 1, word k predicts word k+1, the last
    # word predicts <|endoftext|>: each looks at the centre of what it predicts.
    look: dict[int, float] = {}
    if n:
        centres = [(s + e) / 2 for s, e in times]
        look[notimestamps] = centres[0]
        for k in range(n - 1):
            look[word_ids[k]] = centres[k + 1]
        look[word_ids[-1]] = times[-1][1] + (times[-1][1] - centres[-1])
    states = sorted({s for s, _, _ in chain} | set(look))

    d_min = 2 * len(states) + 4
    if dims is None:
        heads = 1
        d = int(math.ceil(d_min / 8) * 8)
        dims = Dims(d_model=d, encoder_layers=1, decoder_layers=1, heads=heads, ffn=4 * d)
    d = dims.d_model
    if d < d_min:
        raise ValueError(f"d_model {d} too small for {n} words (needs {d_min})")
    slot = {s: 4 + 2 * i for i, s in enumerate(states)}  # dims 0..3: angle channel

    rng = np.random.default_rng(seed)
    spec = _new_spec(dims)
    _fill_layers(spec, dims, rng, noise)

    # Encoder: convolutions silent; the output is the frame's time as an angle.
    spec.encoder.conv1.weight = np.zeros((d, N_MELS, 3), dtype=np.float32)
    spec.encoder.conv1.bias = np.zeros(d, dtype=np.float32)
    spec.encoder.conv2.weight = np.zeros((d, d, 3), dtype=np.float32)
    spec.encoder.conv2.bias = np.zeros(d, dtype=np.float32)
    theta = np.arange(N_FRAMES) * (math.pi / N_FRAMES)
    pe = np.zeros((N_FRAMES, d), dtype=np.float32)
    pe[:, 0], pe[:, 1], pe[:, 2], pe[:, 3] = np.cos(theta), np.sin(theta), -np.cos(theta), -np.sin(theta)
    spec.encoder.position_encodings.encodings = pe * 10.0
    _layer_norm(spec.encoder.layer_norm, d)

    # Decoder embeddings: each state gets (+A, -A) in its own two dims.
    A = 100.0
    emb = (rng.standard_normal((V, d)) * noise).astype(np.float32)
    for s, j in slot.items():
        emb[s, :] = 0
        emb[s, j], emb[s, j + 1] = A, -A
    spec.decoder.embeddings.weight = emb
    spec.decoder.position_encodings.encodings = np.zeros((448, d), dtype=np.float32)
    _layer_norm(spec.decoder.layer_norm, d)

    # After layer norm a state vector is +-sqrt(d/2) at its two dims.
    r = math.sqrt(d / 2)
    proj = (rng.standard_normal((V, d)) * noise).astype(np.float32)
    for s, succ, _ in chain:
        proj[succ, slot[s]] += 32.0 / r  # logit 32 for the successor
    # Word alignment feeds text tokens only: a word followed by a pause (timestamp
    # successor) also needs its next word likely (31: the timestamp still wins decoding).
    for k in range(n - 1):
        a, b = word_ids[k], word_ids[k + 1]
        if not any(s == a and succ == b for s, succ, _ in chain):
            proj[b, slot[a]] += 31.0 / r
    spec.decoder.projection.weight = proj
    # Every other hypothesis ends at once (<|endoftext|> at logit 20, 12 below the
    # successor), so beam search does not run on to max_length with losing beams.
    bias = np.zeros(V, dtype=np.float32)
    bias[eot] = 20.0
    spec.decoder.projection.bias = bias
    # ...but never ends the script early: from a chain state, <|endoftext|> is far down.
    for s, succ, _ in chain:
        if succ != eot:
            proj[eot, slot[s]] -= 60.0 / r

    # Cross-attention of the last decoder layer, head 0: query = the looked-at time.
    head_dim = d // dims.heads
    last = spec.decoder.layer[-1].attention
    q = last.linear[0].weight
    kv = last.linear[1].weight
    q[:head_dim, :] = 0
    kv[:head_dim, :] = 0
    enc_r = math.sqrt(d / 2)  # encoder layer norm output: (cos, sin, -cos, -sin) * sqrt(d/2)
    sharp = 12000.0
    for s, t in look.items():
        phi = (t / TIME_PRECISION) * (math.pi / N_FRAMES)
        scale = sharp * math.sqrt(head_dim) / (r * enc_r)
        q[0, slot[s]] = scale * math.cos(phi)
        q[1, slot[s]] = scale * math.sin(phi)
    kv[0, 0] = 1.0
    kv[1, 1] = 1.0
    # this head contributes nothing to the residual stream
    last.linear[2].weight[:, :head_dim] = 0

    return _save(spec, out, vocab, tokens, [[dims.decoder_layers - 1, 0]], quantization)


def build_scripted_model(
    directory: str | os.PathLike[str],
    words: Sequence[str],
    times: Sequence[tuple[float, float]] | None = None,
) -> Path:
    """A CTranslate2 Whisper model that emits exactly ``words`` for each decoded window.

    ``words``: Whisper-style texts (a leading space is added when missing), e.g.
    ``["So,", "um", "I", "led", "the", "project."]``; repeats are fine.
    ``times``: ``(start, end)`` per word in seconds from the window start (default: 0.4 s
    per word from 0.3 s). Returns the model directory (``directory`` itself).
    """
    return _chain_model(Path(directory), list(words), times, None, 0.0, 0)


def build_synthetic_model(
    directory: str | os.PathLike[str],
    dims: Dims = BASE_EN_DIMS,
    words_per_window: int = 75,
    seed: int = 0,
    quantization: str | None = None,
) -> Path:
    """Real-size compute (``dims``, default base.en) with decoding capped by a script of
    ``words_per_window`` words per decoded window (75 words = 150 wpm over 30 s), spoken
    at 150 wpm from 0.5 s. ``quantization`` ("int8", ...) shrinks the saved file."""
    words = [f"w{i}" for i in range(words_per_window)]
    step = 0.4
    times = [(0.5 + i * step, 0.5 + i * step + step * 0.8) for i in range(words_per_window)]
    return _chain_model(Path(directory), words, times, dims, 0.001, seed, quantization)


def build_random_model(directory: str | os.PathLike[str], seed: int = 0) -> Path:
    """Small random Whisper: arbitrary (but valid) output, for robustness tests."""
    out = Path(directory)
    vocab = _Vocab()
    for w in ("the", "and", "um", "uh", "so", "we", "I", "project", "result", "team", "[UM]", "."):
        vocab.add_word(" " + w)
    tokens, _eot = _finish_vocab(vocab, None)
    V = len(tokens)
    dims = Dims(d_model=64, encoder_layers=1, decoder_layers=2, heads=2, ffn=128)
    rng = np.random.default_rng(seed)
    spec = _new_spec(dims)
    _fill_layers(spec, dims, rng, 0.2)
    d = dims.d_model
    spec.encoder.conv1.weight = (rng.standard_normal((d, N_MELS, 3)) * 0.1).astype(np.float32)
    spec.encoder.conv1.bias = np.zeros(d, dtype=np.float32)
    spec.encoder.conv2.weight = (rng.standard_normal((d, d, 3)) * 0.1).astype(np.float32)
    spec.encoder.conv2.bias = np.zeros(d, dtype=np.float32)
    spec.encoder.position_encodings.encodings = (rng.standard_normal((N_FRAMES, d)) * 0.1).astype(np.float32)
    _layer_norm(spec.encoder.layer_norm, d)
    spec.decoder.embeddings.weight = (rng.standard_normal((V, d)) * 1.0).astype(np.float32)
    spec.decoder.position_encodings.encodings = (rng.standard_normal((448, d)) * 0.1).astype(np.float32)
    _layer_norm(spec.decoder.layer_norm, d)
    spec.decoder.projection.weight = (rng.standard_normal((V, d)) * 0.5).astype(np.float32)
    bias = np.zeros(V, dtype=np.float32)
    bias[_eot] = 4.0  # random, but hypotheses end within tens of tokens (keeps tests fast)
    spec.decoder.projection.bias = bias
    return _save(spec, out, vocab, tokens, [[1, 0], [1, 1]])


# ---------------------------------------------------------------------------- fixtures
def _key(*parts) -> str:
    return hashlib.sha1(json.dumps(parts, sort_keys=True).encode()).hexdigest()[:16]


class ModelFactory:
    """Builds models once per test session (pytest's tmp_path_factory) and reuses them."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def scripted(self, words: Sequence[str], times: Sequence[tuple[float, float]] | None = None) -> Path:
        key = _key("scripted", list(words), [list(t) for t in times] if times else None)
        out = self.root / f"scripted-{key}"
        if not (out / "model.bin").exists():
            build_scripted_model(out, words, times)
        return out

    def random(self, seed: int = 0) -> Path:
        out = self.root / f"random-{seed}"
        if not (out / "model.bin").exists():
            build_random_model(out, seed)
        return out


try:  # fixtures, when imported by a test module
    import pytest

    @pytest.fixture(scope="session")
    def whisper_model_factory(tmp_path_factory) -> ModelFactory:
        return ModelFactory(tmp_path_factory.mktemp("whisper-models"))

except ImportError:  # pragma: no cover - outside pytest
    pass
