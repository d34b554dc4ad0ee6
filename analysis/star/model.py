"""The learned unit evidence of the STAR segmenter.

A multinomial logistic model gives each unit (sentence or clause, see analysis.star)
the probability of each of five classes: Situation, Task, Action, Result, and Hook (a
result told first, before the story). Its features are what the words and the place
say, weighed by data rather than by hand:

- the cue patterns and signposts of analysis.star that match the unit (one feature
  each), and those of the units before and after it;
- the unit's words (a vocabulary learned from the corpus), its word pairs, its first
  word and first two words, and the words of the units either side of it (at half
  weight: a fragment of run-on caption text is read with its neighbours);
- its place in the answer: smooth bumps over the time position of its middle, its start
  and end, whether it is the first or the last unit. With no telling words these are
  all that is left, so weak evidence falls back to where sections usually are.

The log-probabilities, weighted by each unit's words, feed the monotonic S -> T -> A -> R
decoding in analysis.star, together with its decode settings (how much a unit's
evidence counts, and the cost of leaving a section out), all chosen by cross-validation
over the labelled corpus grouped by batch and writer (``make train``, which runs
benchmarks/train_star.py and writes ``model.json`` next to this file).

At run time the weights are arrays (numpy) indexed by word, pair and cue, summed per
unit by slices; ``split_scores(unit_features(...))`` is the readable reference that the
fast path is tested against.
"""

from __future__ import annotations

import functools
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

Row = tuple[float, ...]
"""N_CLASSES scores, one per class."""

MODEL_PATH = Path(__file__).with_name("model.json")
_PLACE = frozenset({"start", "end", "first", "last"})
_CUE_NAMES = tuple(f"c{i}" for i in range(256))
_SIG_NAMES = ("s0", "s1", "s2", "s3")
N_CLASSES = 5  # situation, task, action, result, hook
_RBF_CENTRES = tuple(i / 10 for i in range(11))
_RBF_WIDTH = 0.09
_NEIGHBOUR_WEIGHT = 0.5
"""Value of a neighbouring unit's word as a feature (a unit's own words count 1)."""


class _WordTables(NamedTuple):
    """The word features' weights by family (see unit_features)."""

    words: dict[str, Row]
    first: dict[str, Row]
    first_two: dict[str, Row]
    pairs: dict[str, Row]
    prev_words: dict[str, Row]
    """The previous unit's words, already at _NEIGHBOUR_WEIGHT."""
    next_words: dict[str, Row]
    """The next unit's words, already at _NEIGHBOUR_WEIGHT."""


class _ScoreArrays(NamedTuple):
    """The model's weights as arrays (StarModel.unit_scores)."""

    vocab: dict[str, int]
    """Word -> row of word_rows."""
    word_rows: Any
    """(words, 3, N_CLASSES): a word's weights as the unit's own, the previous unit's, the next unit's."""
    cue_ids: tuple[tuple[int | None, int | None, int | None], ...]
    """Cue index (signposts after the cues) -> rows of ``rows`` as own, previous, next."""
    pairs: dict[str, int]
    first: dict[str, int]
    first_two: dict[str, int]
    rows: Any
    """(rows, N_CLASSES): the cue, signpost, pair and first-word weights."""
    place: Any
    """(len(_RBF_CENTRES) + 2, N_CLASSES): position bumps, start, end (x position_weight)."""
    first_last: tuple[Any, Any]


def _sums(table: Any, ids: list[int], ends: Sequence[int]) -> Any:
    """Sum the rows ``table[ids]`` per unit, unit k owning items ends[k]..ends[k + 1]
    (one gather, one reduceat over the units that own any)."""
    import numpy as np

    cut = np.asarray(ends)
    out = np.zeros((len(ends) - 1, *table.shape[1:]))
    if ids:
        owns = cut[1:] > cut[:-1]
        out[owns] = np.add.reduceat(table.take(np.asarray(ids, dtype=np.intp), axis=0), cut[:-1][owns], axis=0)
    return out


@dataclass(frozen=True, eq=False)
class StarModel:
    weights: dict[str, Row]  # feature -> tuple of N_CLASSES floats
    bias: Row
    evidence_scale: float
    """Multiplier of (words x log-probability) in the decoding."""
    skip_cost: Row
    """Cost of leaving out each of S, T, A, R."""
    start_cost: float
    """Extra cost of each section start (on top of the unit's boundary penalty)."""
    confidence_temperature: float = 1.0
    """Divides the decoding scores when boundary confidences are computed."""
    meta: dict[str, Any] | None = None
    position_weight: float = 1.0
    """Weight of the model's own position features (and class base rates) in the
    decoding; 0 leaves the place of a section to the settings' prior shares."""
    prior_weight: float = 0.0
    """Weight of the settings' position prior (analysis.star's prior costs)."""
    chunk_share: float = 0.0
    """In text without sentence ends (caption text), a unit holding more than this share
    of the answer's words (terse notes: a few long units) is cut into equal pieces of at most that
    share before decoding, so that weak evidence inside it falls back to where sections
    usually are, instead of the whole answer collapsing into one or two sections; 0: never."""
    chunk_penalty: float = 1.0
    """Boundary penalty of such a cut (a weak boundary)."""

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> StarModel:
        """Read the form that ``to_dict`` writes (model.json)."""
        decode: dict[str, Any] = d["decode"]
        weights: dict[str, list[float]] = d["weights"]
        return cls(
            weights={k: tuple(v) for k, v in weights.items()},
            bias=tuple(d["bias"]),
            evidence_scale=float(decode["evidence_scale"]),
            skip_cost=tuple(decode["skip_cost"]),
            start_cost=float(decode.get("start_cost", 0.0)),
            confidence_temperature=float(decode.get("confidence_temperature", 1.0)),
            meta=d.get("meta"),
            position_weight=float(decode.get("position_weight", 1.0)),
            prior_weight=float(decode.get("prior_weight", 0.0)),
            chunk_share=float(decode.get("chunk_share", 0.0)),
            chunk_penalty=float(decode.get("chunk_penalty", 1.0)),
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "meta": self.meta or {},
            "bias": [round(b, 5) for b in self.bias],
            "decode": {
                "evidence_scale": self.evidence_scale,
                "skip_cost": list(self.skip_cost),
                "start_cost": self.start_cost,
                "confidence_temperature": self.confidence_temperature,
                "position_weight": self.position_weight,
                "prior_weight": self.prior_weight,
                "chunk_share": self.chunk_share,
                "chunk_penalty": self.chunk_penalty,
            },
            "weights": {k: [round(x, 5) for x in v] for k, v in sorted(self.weights.items())},
        }

    @functools.cached_property
    def _tables(
        self,
    ) -> tuple[_WordTables, dict[str, Row], dict[str, Row], dict[str, Row], list[Row], dict[str, Row], Row]:
        """The weights split by feature family, so that scoring needs no feature names."""
        zero = (0.0,) * N_CLASSES
        fam: dict[str, dict[str, Row]] = {"w": {}, "f": {}, "f2": {}, "b": {}, "pw": {}, "nw": {}}
        own_c: dict[str, Row] = {}
        prev_c: dict[str, Row] = {}
        next_c: dict[str, Row] = {}
        other: dict[str, Row] = {}
        for name, row in self.weights.items():
            head, sep, rest = name.partition(":")
            if sep and head in fam:
                fam[head][rest] = row
            elif name[:1] in "cs" and name[1:].isdigit():
                own_c[name] = row
            elif name[:1] == "p" and name[1:2] in "cs" and name[2:].isdigit():
                prev_c[name[1:]] = row
            elif name[:1] == "n" and name[1:2] in "cs" and name[2:].isdigit():
                next_c[name[1:]] = row
            else:
                other[name] = row
        pos = [other.get(f"pos{i}", zero) for i in range(len(_RBF_CENTRES))]
        place = {k: other.get(k, zero) for k in ("start", "end", "first", "last")}
        half = {k: {t: tuple(_NEIGHBOUR_WEIGHT * x for x in r) for t, r in fam[k].items()} for k in ("pw", "nw")}
        words = _WordTables(fam["w"], fam["f"], fam["f2"], fam["b"], half["pw"], half["nw"])
        return words, own_c, prev_c, next_c, pos, place, other.get("caption", zero)

    @functools.cached_property
    def _arrays(self) -> _ScoreArrays:
        """The weights as arrays for the run-time path (see _ScoreArrays)."""
        import numpy as np

        words, own_c, prev_c, next_c, pos, place, _caption = self._tables
        families = (words.words, words.prev_words, words.next_words)
        vocab: dict[str, int] = {}
        for fam in families:
            for t in fam:
                vocab.setdefault(t, len(vocab))
        word_rows = np.zeros((len(vocab), 3, N_CLASSES))
        for j, fam in enumerate(families):
            for t, row in fam.items():
                word_rows[vocab[t], j] = row
        rows: list[Row] = []

        def index(table: dict[str, Row]) -> dict[str, int]:
            out: dict[str, int] = {}
            for key, row in table.items():
                out[key] = len(rows)
                rows.append(row)
            return out

        own, prev, nxt = index(own_c), index(prev_c), index(next_c)
        names = [*_CUE_NAMES, *_SIG_NAMES]
        cue_ids = tuple((own.get(nm), prev.get(nm), nxt.get(nm)) for nm in names)
        g = self.position_weight
        return _ScoreArrays(
            vocab=vocab,
            word_rows=word_rows,
            cue_ids=cue_ids,
            pairs=index(words.pairs),
            first=index(words.first),
            first_two=index(words.first_two),
            rows=np.asarray(rows, dtype=float).reshape(-1, N_CLASSES),
            place=g * np.asarray([*pos, place["start"], place["end"]], dtype=float).reshape(-1, N_CLASSES),
            first_last=(g * np.asarray(place["first"]), g * np.asarray(place["last"])),
        )

    def unit_scores(
        self,
        texts: Sequence[str],
        hits: Sequence[Sequence[int]],
        sigs: Sequence[Sequence[float]],
        spans: Sequence[tuple[float, float]],
        punctuated: bool,
    ) -> list[list[float]]:
        """``split_scores(unit_features(...))`` computed without building the feature
        lists (the run-time path; the two are tested to agree). Python only looks the
        unit's words up; the rows they name are summed per unit as array slices."""
        import numpy as np

        ar = self._arrays
        n = len(texts)
        if n == 0:
            return []
        tok_lists = [t.split() for t in texts]
        # the unit's own words, and the same words as the previous / next unit's
        get_id = ar.vocab.get
        word_ids: list[int] = []
        word_ends = [0]
        for toks in tok_lists:
            word_ids.extend(i for i in map(get_id, set(toks)) if i is not None)
            word_ends.append(len(word_ids))
        per_unit = _sums(ar.word_rows, word_ids, word_ends)  # (n, 3, classes)
        scores = per_unit[:, 0]
        scores[1:] += per_unit[:-1, 1]
        scores[:-1] += per_unit[1:, 2]
        # cue and signpost rows (own, and the neighbours'), word pairs, first words
        keyed: list[list[int]] = [[] for _ in range(n)]
        n_cues = len(_CUE_NAMES)
        for u, (h, sg) in enumerate(zip(hits, sigs, strict=False)):
            for i in [*h, *(n_cues + k for k in range(4) if sg[k] > 0)]:
                own, prev, nxt = ar.cue_ids[i] if i < len(ar.cue_ids) else (None, None, None)
                if own is not None:
                    keyed[u].append(own)
                if prev is not None and u + 1 < n:
                    keyed[u + 1].append(prev)
                if nxt is not None and u > 0:
                    keyed[u - 1].append(nxt)
        get_pair, get_first, get_two = ar.pairs.get, ar.first.get, ar.first_two.get
        row_ids: list[int] = []
        row_ends = [0]
        for u, toks in enumerate(tok_lists):
            row_ids.extend(keyed[u])
            row_ids.extend(
                i for i in map(get_pair, {a + " " + b for a, b in zip(toks, toks[1:], strict=False)}) if i is not None
            )
            if toks:
                i = get_first(toks[0])
                if i is not None:
                    row_ids.append(i)
                if len(toks) > 1:
                    i = get_two(toks[0] + " " + toks[1])
                    if i is not None:
                        row_ids.append(i)
            row_ends.append(len(row_ids))
        scores += _sums(ar.rows, row_ids, row_ends)
        # the place: bumps over the unit's middle, its start and end, first and last
        bias = np.asarray(self.bias) * self.position_weight
        if not punctuated:
            bias = bias + np.asarray(self._tables[6])
        scores += bias
        if self.position_weight:
            ab = np.round(np.asarray(spans, dtype=float).reshape(-1, 2), 3)
            mid = ab.sum(axis=1) / 2
            bumps: Any = np.exp(-(((mid[:, None] - np.asarray(_RBF_CENTRES)) / _RBF_WIDTH) ** 2) / 2)
            bumps = np.where(bumps > 0.01, bumps.round(3), 0.0)
            scores += np.concatenate([bumps, ab], axis=1) @ ar.place
            scores[0] += ar.first_last[0]
            scores[-1] += ar.first_last[1]
        return scores.tolist()

    def split_scores(self, features: Sequence[Sequence[tuple[str, float]]]) -> list[list[float]]:
        """Per unit, the class scores as (words part + position_weight * place part),
        where the place part is the base rates plus the position features: the
        log-probabilities up to a constant per unit (which no decoding can tell from
        zero, since every labelling covers every unit once)."""
        w = self.weights
        g = self.position_weight
        out: list[list[float]] = []
        for feats in features:
            s = [g * b for b in self.bias]
            for name, v in feats:
                row = w.get(name)
                if row is not None:
                    if name in _PLACE or name[:3] == "pos":
                        v = v * g
                    s[0] += v * row[0]
                    s[1] += v * row[1]
                    s[2] += v * row[2]
                    s[3] += v * row[3]
                    s[4] += v * row[4]
            out.append(s)
        return out


@functools.lru_cache(maxsize=1)
def load_model(path: str | None = None) -> StarModel | None:
    """The shipped model, or None when there is none (the hand-weighted cues are used)."""
    p = Path(path) if path else MODEL_PATH
    try:
        return StarModel.from_dict(json.loads(p.read_text(encoding="utf-8")))
    except (OSError, ValueError, KeyError):
        return None


@functools.lru_cache(maxsize=4096)
def _position_features(a: float, b: float) -> tuple[tuple[str, float], ...]:
    mid = (a + b) / 2
    out: list[tuple[str, float]] = []
    for i, c in enumerate(_RBF_CENTRES):
        v = math.exp(-(((mid - c) / _RBF_WIDTH) ** 2) / 2)
        if v > 0.01:
            out.append((f"pos{i}", round(v, 3)))
    out.append(("start", round(a, 3)))
    out.append(("end", round(b, 3)))
    return tuple(out)


def unit_features(
    texts: Sequence[str],
    hits: Sequence[Sequence[int]],
    sigs: Sequence[Sequence[float]],
    spans: Sequence[tuple[float, float]],
    punctuated: bool,
) -> list[list[tuple[str, float]]]:
    """The features of each unit (see the module doc). ``texts``: the units' evidence
    words; ``hits``: cue indices; ``sigs``: signpost vectors; ``spans``: time shares."""
    n = len(texts)
    cue_names = [
        [f"c{i}" for i in h] + [f"s{k}" for k in range(4) if s[k] > 0] for h, s in zip(hits, sigs, strict=False)
    ]
    out: list[list[tuple[str, float]]] = []
    for u in range(n):
        toks = texts[u].split()
        feats: list[tuple[str, float]] = [(name, 1.0) for name in cue_names[u]]
        if u > 0:
            feats.extend(("p" + name, 1.0) for name in cue_names[u - 1])
        if u + 1 < n:
            feats.extend(("n" + name, 1.0) for name in cue_names[u + 1])
        seen: set[str] = set()
        for t in toks:
            if t not in seen:
                seen.add(t)
                feats.append(("w:" + t, 1.0))
        pairs: set[str] = set()
        for a, b in zip(toks, toks[1:], strict=False):
            pair = a + " " + b
            if pair not in pairs:
                pairs.add(pair)
                feats.append(("b:" + pair, 1.0))
        for v, head in ((u - 1, "pw:"), (u + 1, "nw:")):
            if 0 <= v < n:
                feats.extend((head + t, _NEIGHBOUR_WEIGHT) for t in dict.fromkeys(texts[v].split()))
        if toks:
            feats.append(("f:" + toks[0], 1.0))
            if len(toks) > 1:
                feats.append(("f2:" + toks[0] + " " + toks[1], 1.0))
        feats.extend(_position_features(round(spans[u][0], 3), round(spans[u][1], 3)))
        if u == 0:
            feats.append(("first", 1.0))
        if u == n - 1:
            feats.append(("last", 1.0))
        if not punctuated:
            feats.append(("caption", 1.0))
        out.append(feats)
    return out
