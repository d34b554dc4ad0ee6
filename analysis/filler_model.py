"""Learned decisions for the context-dependent fillers "like", "you know" and "I mean".

The hand-written rules of analysis.fillers decide from the words around a use whether
it is a filler ("the backlog was like a total mess") or ordinary English ("it looked
like rain", "you know the rota?", "I mean it"). A small logistic model, fitted to the
labelled corpus (benchmarks/train_fillers.py, ``make train``), weighs the same kind of
context: the words before and after (and their classes: a form of "be", a pronoun, a
determiner, a number, an -ing or -ed word ...), the punctuation around the phrase, where
the clause starts, whether the text is punctuated at all -- and the rule's own decision
as one feature among them. A use counts as a filler when the model's probability is at
least the model's threshold, which cross-validation chose to keep precision high.

Pure Python at run time: ``filler_model.json`` holds feature -> weight.
"""

from __future__ import annotations

import functools
import json
import math
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from analysis.lexicon import is_number
from analysis.wordforms import BE_FORMS, CONJUNCTIONS, DETERMINERS, SUBJECT_PRONOUNS

if TYPE_CHECKING:
    from analysis.lexicon import Tokens

MODEL_PATH = Path(__file__).with_name("filler_model.json")
PHRASES: dict[tuple[str, ...], str] = {("like",): "like", ("you", "know"): "yk", ("i", "mean"): "im"}
_PREPS = frozenset({"of", "for", "in", "on", "at", "with", "about", "from", "into", "to", "by", "after", "before"})
_OBJ_PRON = frozenset({"me", "us", "him", "her", "them", "it", "this", "that", "these", "those", "you"})
_FILLED = frozenset({"um", "uh", "umm", "uhh", "er", "erm", "ah", "hmm", "mm"})


def _cls(w: str) -> str:
    if not w:
        return "edge"
    if w in _FILLED:
        return "fp"
    if w in BE_FORMS:
        return "be"
    if w in SUBJECT_PRONOUNS:
        return "subj"
    if w in _OBJ_PRON:
        return "obj"
    if w in DETERMINERS:
        return "det"
    if w in CONJUNCTIONS:
        return "conj"
    if w in _PREPS:
        return "prep"
    if is_number(w):
        return "num"
    if w.endswith("ing") and len(w) > 4:
        return "ing"
    if w.endswith("ed") and len(w) > 4:
        return "ed"
    if w.endswith("ly") and len(w) > 4:
        return "ly"
    if w.endswith("'d") or w.endswith("'ll") or w in ("would", "could", "should", "will", "can", "might", "to"):
        return "modal"
    return "word"


class FillerContext(Protocol):
    """What the model reads around a use: the neighbourhood queries of analysis.fillers.rules.Ctx."""

    @property
    def t(self) -> Tokens: ...
    def norm(self, i: int) -> str: ...
    def comma_after(self, i: int) -> bool: ...
    def boundary(self, i: int) -> bool: ...
    def at_end(self, i: int) -> bool: ...


def features(ctx: FillerContext, first: int, last: int, key: str, rule: bool) -> list[str]:
    """Feature names of the use at words first..last (``ctx``: analysis.fillers.rules.Ctx)."""
    p1, p2 = ctx.norm(first - 1), ctx.norm(first - 2)
    n1, n2 = ctx.norm(last + 1), ctx.norm(last + 2)
    c1p, c1n, c2n = _cls(p1), _cls(n1), _cls(n2)
    f = [
        "bias",
        f"rule={int(rule)}",
        f"p1={p1}",
        f"p2={p2}",
        f"n1={n1}",
        f"n2={n2}",
        f"cp1={c1p}",
        f"cp2={_cls(p2)}",
        f"cn1={c1n}",
        f"cn2={c2n}",
        f"cp1n1={c1p}_{c1n}",
        f"cn1n2={c1n}_{c2n}",
        f"p1n1={p1}_{n1}",
        f"comma_before={int(ctx.comma_after(first - 1))}",
        f"comma_after={int(ctx.comma_after(last))}",
        f"boundary={int(ctx.boundary(first))}",
        f"end={int(ctx.at_end(last))}",
        f"punct={int(bool(ctx.t.punctuated))}",
    ]
    if rule:
        f.append(f"rule_punct={int(bool(ctx.t.punctuated))}")
    return [key + "|" + x for x in f]


@dataclass(frozen=True)
class FillerModel:
    weights: dict[str, float]
    threshold: float
    meta: dict[str, Any] | None = None

    def probability(self, names: Iterable[str]) -> float:
        w = self.weights
        s = sum(w.get(n, 0.0) for n in names)
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, s))))

    def decide(self, ctx: FillerContext, first: int, last: int, phrase: tuple[str, ...], rule: bool) -> bool:
        key = PHRASES.get(phrase)
        if key is None:
            return rule
        return self.probability(features(ctx, first, last, key, rule)) >= self.threshold

    def to_dict(self) -> dict[str, Any]:
        return {
            "meta": self.meta or {},
            "threshold": self.threshold,
            "weights": {k: round(v, 5) for k, v in sorted(self.weights.items())},
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> FillerModel:
        weights: dict[str, Any] = d["weights"]
        return cls({k: float(v) for k, v in weights.items()}, float(d["threshold"]), d.get("meta"))


@functools.lru_cache(maxsize=1)
def load_model(path: str | None = None) -> FillerModel | None:
    """The shipped model, or None (then the rules decide alone)."""
    p = Path(path) if path else MODEL_PATH
    try:
        return FillerModel.from_dict(json.loads(p.read_text(encoding="utf-8")))
    except (OSError, ValueError, KeyError):
        return None
