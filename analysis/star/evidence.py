"""Evidence of STAR segmentation: which cue patterns and signposts a unit's words match
(fast: each pattern is tried only where it can match), and the hand-weighted evidence
rows the cue decoding scores units with."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from analysis.star.cues import CUES, LEAD, LEAD_KEEP_SEQ, SIGNPOSTS
from analysis.star.triggers import ALWAYS_NEEDS, DIGIT, DOLLAR, PCT, triggers
from analysis.star.units import Unit, unit_spans
from analysis.star_settings import StarSettings
from analysis.transcript import Transcript

if TYPE_CHECKING:
    from analysis.star.model import StarModel

_CUE_TRIGGERS = tuple(triggers(rx.pattern) for _, rx in CUES)
_ANCHORED = tuple(rx.pattern.startswith("^") for _, rx in CUES)
# Unanchored cues are tried only where a match can begin: at a word that opens one of
# their matches (their trigger words are exactly those first words; see triggers).
_DISPATCH: dict[str, tuple[int, ...]] = {}
_ALWAYS: tuple[int, ...] = tuple(
    i for i, (anch, trig) in enumerate(zip(_ANCHORED, _CUE_TRIGGERS, strict=False)) if not anch and trig is None
)
for _i, (_anch, _trig) in enumerate(zip(_ANCHORED, _CUE_TRIGGERS, strict=False)):
    if not _anch and _trig is not None:
        for _w in _trig:
            _DISPATCH[_w] = _DISPATCH.get(_w, ()) + (_i,)
_ALWAYS_LITERALS: tuple[tuple[int, str | None], ...] = tuple(
    (i, next((lit for key, lit in ALWAYS_NEEDS.items() if CUES[i][1].pattern.startswith(key)), None)) for i in _ALWAYS
)
_WORD_AT = re.compile(r"[\w']+|\$")
# One alternation per trigger word over its patterns (from the ``start``-th on): one
# failed match there rules out all of them at once (the common case), without a Python
# call per pattern. Each pattern is a group of its own (the cue patterns have no
# capturing groups), so a match also says which pattern matched first: the ones before
# it do not match there, and the search goes on with the ones after it. Compiled when
# first needed (most words and suffixes never are).
_GATES: dict[tuple[str, int], re.Pattern[str]] = {}


def _gate(key: str, start: int) -> re.Pattern[str]:
    gate = _GATES.get((key, start))
    if gate is None:
        gate = _GATES[(key, start)] = re.compile("|".join(f"({CUES[i][1].pattern})" for i in _DISPATCH[key][start:]))
    return gate


_ANCHORED_IDX = tuple(i for i, a in enumerate(_ANCHORED) if a)
# Anchored cues are tried only when the unit holds one of their trigger words: bit b of
# a word's mask is set when the word is among the triggers of _GATED[b]; a pattern
# without triggers is always tried.
_GATED: tuple[frozenset[str] | None, ...] = tuple(_CUE_TRIGGERS[i] for i in _ANCHORED_IDX)
_ANCHORED_BITS = tuple((i, 0 if _CUE_TRIGGERS[i] is None else 1 << b) for b, i in enumerate(_ANCHORED_IDX))


@functools.cache
def _signpost_gate(start: int) -> re.Pattern[str]:
    """The signposts from the ``start``-th on as one alternation (see _gate)."""
    return re.compile("|".join(f"({rx.pattern})" for _, rx in SIGNPOSTS[start:]))


def _piece_probes(piece: str) -> tuple[int, tuple[tuple[int, str], ...]]:
    """For one space-separated piece of a unit's text (a word's normalised form): the
    trigger mask of its tokens (see _GATED) and the (offset in the piece, dispatch
    key) pairs where an unanchored cue may begin. Cached by piece."""
    info = _PIECE_CACHE.get(piece)
    if info is not None:
        return info
    vocab: set[str] = set()
    probes: list[tuple[int, str]] = []
    for m in _WORD_AT.finditer(piece):
        tok = m.group()
        vocab.add(tok)
        c0 = tok[0]
        keys = [tok]
        if "'" in tok:  # "she's": a match may open with "she"
            keys.append(tok.partition("'")[0])
        if c0.isdigit():
            vocab.add(DIGIT)
            keys.append(DIGIT)
        elif c0 == "$":
            vocab.add(DOLLAR)
            keys = [DOLLAR]
        probes.extend((m.start(), key) for key in keys if _DISPATCH.get(key))
    if "%" in piece:
        vocab.add(PCT)
    mask = 0
    for b, trig in enumerate(_GATED):
        if trig is not None and not trig.isdisjoint(vocab):
            mask |= 1 << b
    info = (mask, tuple(probes))
    if len(_PIECE_CACHE) >= 100_000:
        _PIECE_CACHE.clear()
    _PIECE_CACHE[piece] = info
    return info


_PIECE_CACHE: dict[str, tuple[int, tuple[tuple[int, str], ...]]] = {}


def unit_evidence(text: str, use_triggers: bool = True) -> tuple[list[float], list[float], list[tuple[int, str]]]:
    """Cue vector, signpost vector, and the signposts matched (label, text).

    ``use_triggers=False`` runs every pattern over the whole text: the reference the
    fast path (patterns tried only where they can match) is tested against.
    """
    return unit_evidence_hits(text, use_triggers)[:3]


def unit_evidence_hits(
    text: str, use_triggers: bool = True
) -> tuple[list[float], list[float], list[tuple[int, str]], list[int]]:
    """As unit_evidence, plus the sorted indices of the cue patterns that matched (the
    learned model's features)."""
    cue = [0.0, 0.0, 0.0, 0.0]
    sig = [0.0, 0.0, 0.0, 0.0]
    found: list[tuple[int, str]] = []
    if not text:
        return cue, sig, found, []
    head = LEAD.sub("", text)
    seq_head = LEAD_KEEP_SEQ.sub("", text)
    hit: list[int] = []
    if use_triggers:
        # The text is the unit's words joined by single spaces, so its tokens are the
        # tokens of each space-separated piece, at the piece's offset.
        seen: set[int] = set()
        mask = 0
        pos = 0
        dispatch, cues, gates, cache = _DISPATCH, CUES, _GATES, _PIECE_CACHE
        for piece in text.split(" "):
            pmask, probes = cache.get(piece) or _piece_probes(piece)
            mask |= pmask
            for off, key in probes:
                at = pos + off
                cands = dispatch[key]
                start = 0
                while start < len(cands):
                    m = (gates.get((key, start)) or _gate(key, start)).match(text, at)
                    if m is None:
                        break
                    start += m.lastindex  # type: ignore[operator]
                    seen.add(cands[start - 1])
            pos += len(piece) + 1
        for i, literal in _ALWAYS_LITERALS:
            if (literal is None or literal in text) and i not in seen and cues[i][1].search(text):
                seen.add(i)
        for i, bit in _ANCHORED_BITS:
            if bit and not mask & bit:
                continue
            rx = cues[i][1]
            if rx.search(seq_head) or rx.search(head):
                seen.add(i)
        hit = list(seen)
        # signposts: every one opens with ^, so one chained alternation over the head
        start = 0
        while start < len(SIGNPOSTS):
            m = _signpost_gate(start).match(head)
            if m is None:
                break
            start += m.lastindex  # type: ignore[operator]
            label = SIGNPOSTS[start - 1][0]
            sig[label] = 1.0
            found.append((label, m.group(m.lastindex)))  # type: ignore[arg-type]
    else:
        for i, (_vec, rx) in enumerate(CUES):
            if (rx.search(seq_head) or rx.search(head)) if _ANCHORED[i] else rx.search(text):
                hit.append(i)
        for label, rx in SIGNPOSTS:
            m = rx.search(head)
            if m:
                sig[label] = 1.0
                found.append((label, m.group(0)))
    hit = sorted(hit)
    for i in hit:
        vec = CUES[i][0]
        cue[0] += vec[0]
        cue[1] += vec[1]
        cue[2] += vec[2]
        cue[3] += vec[3]
    # saturate: a long run-on unit should not pile up evidence without limit
    cue = [min(c, 3.5) for c in cue]
    return cue, sig, found, hit


# Cost of labelling a unit Task when it has no Task evidence at all: a Task is stated
# with goal or obligation language, so a unit with none is unlikely to be one, whatever
# its position. (Results are often implicit -- "he stayed with us the whole week" -- so
# they get no such cost: an unmarked ending falls back to the position prior. Tried on
# the corpora: a Result cost of 0.6 dropped implicit results; applying these costs only
# to units with clear evidence for another section was worse on every corpus.)
ABSENT = (0.0, 1.5, 0.0, 0.0)


def hand_weighted_rows(cues: list[list[float]], sigs: list[list[float]], settings: StarSettings) -> list[list[float]]:
    """Each unit's hand-weighted evidence for each section: the weighted cues and
    signposts, less the ABSENT cost where a section has next to no evidence."""
    cw, sw = settings.cue_weight, settings.signpost_weight
    words_ev: list[list[float]] = []
    for u in range(len(cues)):
        ev = [cues[u][k] + sigs[u][k] for k in range(4)]
        row: list[float] = []
        for k in range(4):
            v = cw * cues[u][k] + sw * sigs[u][k]
            if ev[k] <= 0.25:
                v -= cw * ABSENT[k]
            row.append(v)
        words_ev.append(row)
    return words_ev


@dataclass
class UnitEvidence:
    """What each unit's words say, one entry per unit."""

    cues: list[list[float]]
    """Hand-weighted cue vector (S, T, A, R)."""
    sigs: list[list[float]]
    """Signpost vector: 1.0 for each section a signpost names."""
    found: list[list[tuple[int, str]]]
    """The signposts heard: (label index, words)."""
    hits: list[list[int]]
    """Indices of the cue patterns that matched (the learned model's features)."""
    settings: StarSettings
    learned: list[list[float]] | None
    """The learned model's log-probabilities of the five classes; None without it."""
    unit_words: list[int]
    """Each unit's evidence words (at least 1), with the learned model only."""

    @functools.cached_property
    def rows(self) -> list[list[float]]:
        """The hand-weighted evidence rows (see hand_weighted_rows): what the cue
        decoding scores, and the learned decoding only when markers leave it no choice."""
        return hand_weighted_rows(self.cues, self.sigs, self.settings)


def gather_evidence(
    units: list[Unit], transcript: Transcript, punctuated: bool, settings: StarSettings, model: StarModel | None
) -> UnitEvidence:
    """The evidence of every unit: its cues and signposts, and the learned model's
    scores where ``model`` is given."""
    cues: list[list[float]] = []
    sigs: list[list[float]] = []
    found: list[list[tuple[int, str]]] = []
    hits: list[list[int]] = []
    for u in units:
        c, s, f, h = unit_evidence_hits(u.text)
        cues.append(c)
        sigs.append(s)
        found.append(f)
        hits.append(h)
    learned: list[list[float]] | None = None
    unit_words: list[int] = []
    if model is not None:
        learned = model.unit_scores([u.text for u in units], hits, sigs, unit_spans(units, transcript), punctuated)
        unit_words = [u.text.count(" ") + 1 if u.text else 1 for u in units]
    return UnitEvidence(cues, sigs, found, hits, settings, learned, unit_words)


def excerpt(text: str, words: int = 8) -> str:
    parts = text.split()
    return " ".join(parts[:words]) + (" ..." if len(parts) > words else "")
