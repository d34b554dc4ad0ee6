"""The units STAR segmentation labels: sentences, and clauses where the transcript has no
punctuation (cut at pauses and at clause-opening words), each with the cost of a section
starting there; and the edits markers and the learned model make to them.
"""

from __future__ import annotations

import re
from collections.abc import Container, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from analysis.star.cues import NUM, PERIOD
from analysis.star_settings import StarSettings
from analysis.transcript import Transcript
from analysis.wordforms import ACTION_PAST_SET, EVIDENCE, MODALS, PHRASE_BEFORE_OPENER, TAIL, word_forms

if TYPE_CHECKING:
    from analysis.transcript import Word


def evidence_norms(words: Iterable[Word]) -> list[str]:
    """Each word's comparable form as the cue patterns read it (lower case, no
    surrounding punctuation, a leading "$" or "%" kept)."""
    return [f[EVIDENCE] for f in word_forms(words)]


# Caption-style unit splitting: words that open a clause.
_OPENERS = frozenset(
    "so but then after afterwards once eventually finally first firstly next later "
    "overall ultimately meanwhile however anyway".split()
)
_SUBJECTS = frozenset(
    "i we he she they i'd i'm i've i'll we'd we're we've we'll he'd he's she'd she's they'd they're they've".split()
)
_NP_OPENERS = frozenset("my our his her their most many nobody everyone everybody none several".split())
# A clause cannot start right after these (they expect more of the same phrase).
_GLUE = frozenset(
    "a an the and or but so that which who whom whose when where why how what if because to "
    "of in on at by for with from about into onto over under after before like than as then "
    "is was were are be been being am do did does had has have not no very really just "
    "i we he she they you it me us him them my our his her their your its this these those "
    "some any every each all both either neither one two three would could should will can "
    "may might must shall said told asked thought knew felt realised realized decided".split()
)
# Words after which a subject pronoun does not start a new clause.
_SUBJ_GLUE = frozenset(
    "a an the and or but so that which who whom whose when where why how what if because to "
    "of in on at by for with from about into onto over under after before like than as then "
    "be been being am do did does had has have not no very really just "
    "i we he she they this these those "
    "would could should will can may might must shall said told thought knew felt realised "
    "realized decided guess mean think know".split()
)
# Time phrases that open a clause ("in the next three months", "within a week", "two
# weeks later"); "in three weeks" after a verb is an adjunct of that clause instead.
_TIME_PREPS = frozenset(
    "in over within after by one two three four five six seven eight nine ten a few several".split()
)
_TIME_PP = re.compile(
    rf"^(?:in the (?:next|first|following|end)|over the (?:next|following|last|past)|"
    rf"within|after (?:a|an|about|{NUM}|the first|the next|a few)|by the (?:end|time)|"
    rf"by (?:week|month|day|year) \w+|(?:{NUM}|a few|a couple of|several) {PERIOD} later)\b"
)
# Spoken signposts open a clause whatever comes before them ("... came in the result
# was that ...").
_SIGNPOST_OPENER = re.compile(
    r"^(?:the (?:result|outcome|situation|problem|challenge|goal|task|context|impact) (?:was|is|were)|"
    r"(?:my|our) (?:task|job|role|goal|responsibility|challenge) (?:was|is)|what (?:i|we) did (?:was|is)|"
    r"as a result|in the end|the end result|the first thing (?:i|we) did)\b"
)
_SIGNPOST_FIRST = frozenset("the my our what as in".split())
_NOT_BEFORE_SIGNPOST = frozenset("a an the of that this for to with".split())
_NP_DETS = frozenset("the a an all every both each this these those".split())
_FINITE = frozenset(
    "was were is are had has got went did didn't wasn't weren't isn't hadn't dropped fell rose "
    "grew stayed started stopped came became turned ended kept".split()
)
_GLUE_BREAK = frozenset("of to and or".split())
_SO_NOT_OPENER = frozenset("that much many far long well few little".split())
_AND_NEXT = frozenset("then so i we he she they now after by in".split())
_MULTI_OPENERS: tuple[tuple[str, ...], ...] = (
    ("the", "result"),
    ("the", "outcome"),
    ("the", "problem"),
    ("the", "issue"),
    ("the", "situation"),
    ("the", "goal"),
    ("the", "task"),
    ("the", "challenge"),
    ("by", "the", "end"),
    ("in", "the", "end"),
    ("at", "the", "end"),
    ("as", "a", "result"),
    ("over", "the", "next"),
    ("within",),
    ("what", "i", "did"),
    ("my", "job"),
    ("my", "task"),
    ("my", "role"),
    ("my", "goal"),
    ("at", "my"),
    ("at", "the", "time"),
    ("the", "first", "thing"),
    ("after", "that"),
    ("since", "then"),
    ("by", "the"),
    ("looking", "back"),
    ("this", "was"),
    ("it", "was"),
    ("one", "of", "the"),
)

# Sentences at least this long (words) may be cut at clauses even when punctuated:
# Whisper sometimes writes several spoken sentences as one run-on sentence.
_LONG_SENTENCE = 35
# In caption text, clauses shorter than this (words, fillers not counted) join the next.
_MIN_CAPTION_UNIT = 4
_END_CHARS = ".?!"
_CLAUSE_CHARS = ",;:\u2014\u2013-"
_MULTI_BY_FIRST: dict[str, list[tuple[str, ...]]] = {}
for _seq in _MULTI_OPENERS:
    _MULTI_BY_FIRST.setdefault(_seq[0], []).append(_seq)
# Every word that can open a clause in split_units (any other word cannot).
_MAY_OPEN = (
    _SIGNPOST_FIRST
    | _OPENERS
    | _SUBJECTS
    | _NP_OPENERS
    | _NP_DETS
    | _TIME_PREPS
    | frozenset(_MULTI_BY_FIRST)
    | {"and", "there"}
)


_COMMON_VERBS = frozenset(
    "get make take give tell ask help call show change lose save find need want like love know "
    "see use run lead build keep bring send pay meet move join fix check lost love loved".split()
)


def _looks_like_verb(word: str) -> bool:
    """A transitive verb right before "my"/"our" takes it as its object ("I saved my
    store"), so no clause starts there."""
    return word.endswith("ed") or word in ACTION_PAST_SET or word in _COMMON_VERBS


@dataclass
class Unit:
    first: int
    last: int  # exclusive
    penalty: float  # cost of starting a new section at this unit
    text: str = ""
    start: float = 0.0
    end: float = 0.0


def _add_candidate(cand: dict[int, float], skip: frozenset[int], is_end: list[bool], i: int, pen: float) -> None:
    """A unit may start at word ``i`` at cost ``pen``; a filler run right before it
    belongs to the new unit."""
    j = i
    while j - 1 > 0 and (j - 1) in skip and (j - 1) not in cand:
        j -= 1
    if j != i and not is_end[j - 1]:
        cand[j] = min(pen, cand.get(j, pen))
    else:
        cand[i] = min(pen, cand.get(i, pen))


def split_units(
    transcript: Transcript, norms: list[str], skip: frozenset[int], settings: StarSettings
) -> tuple[list[Unit], bool]:
    words = transcript.words
    n = len(words)
    tails = [f[TAIL] for f in word_forms(words)]
    is_end = [t in _END_CHARS and t != "" for t in tails]
    sent_ends = sum(is_end)
    punctuated = sent_ends >= 1 and sent_ends * 45 >= n
    # candidate boundary before word i -> penalty (lower = stronger boundary)
    cand: dict[int, float] = {}
    opener_pen = 2.5 if punctuated else 0.4
    subject_pen = 3.0 if punctuated else 0.8
    last_real = -1  # index of last non-skipped word before i
    pause_s = settings.pause_boundary_s
    for i in range(1, n):
        gap = words[i].start - words[i - 1].end
        pen = None
        if is_end[i - 1]:
            pen = 0.0
        elif gap >= pause_s:
            if punctuated:
                # with punctuation, a pause inside a sentence is mostly a hesitation;
                # only a long one hints at a missed full stop
                pen = 0.6 if gap >= 1.5 else 1.0
            else:
                pen = 0.2 if gap >= 2 * pause_s + 0.3 else 0.6
        elif tails[i - 1] and tails[i - 1] in _CLAUSE_CHARS:
            pen = 1.2 if punctuated else 0.5
        if i - 1 not in skip:
            last_real = i - 1
        if i in skip:
            if pen is None and i - 1 not in skip and not punctuated:
                pen = 1.0  # a filler often opens a new clause in run-on speech
            if pen is not None:
                cand[i] = min(pen, cand.get(i, pen))
            continue
        w = norms[i]
        if w not in _MAY_OPEN:
            if pen is not None:
                _add_candidate(cand, skip, is_end, i, pen)
            continue
        pw = norms[last_real] if last_real >= 0 else ""
        nxt = norms[i + 1] if i + 1 < n else ""
        op = None
        if (
            w in _SIGNPOST_FIRST
            and pw not in _NOT_BEFORE_SIGNPOST
            and _SIGNPOST_OPENER.match(" ".join(norms[i : i + 4]))
        ):
            op = 0.2 if not punctuated else opener_pen  # a spoken signpost opens a clause
        elif (
            w in _OPENERS
            and pw not in PHRASE_BEFORE_OPENER
            and not (w == "so" and (nxt in _SO_NOT_OPENER or MODALS.intersection(norms[i + 2 : i + 4])))
        ):
            op = opener_pen
        elif w == "and" and nxt in _AND_NEXT:
            op = opener_pen + 0.2
        elif w in _SUBJECTS and pw and pw not in _SUBJ_GLUE:
            op = subject_pen
        elif w in _NP_OPENERS and pw and pw not in _GLUE and not _looks_like_verb(pw):
            op = subject_pen
        elif w == "there" and nxt in ("was", "were", "is", "are", "had") and pw and pw not in _GLUE:
            op = subject_pen
        elif (
            w in _NP_DETS
            and pw
            and pw not in _GLUE
            and not _looks_like_verb(pw)
            and any(x in _FINITE or (x.endswith("ed") and len(x) > 4) for x in norms[i + 2 : i + 5])
            and not any(x in _GLUE_BREAK for x in norms[i + 1 : i + 2])
        ):
            # "... slipped | the order was corrected": a noun phrase then a finite verb
            op = subject_pen + 0.4
        elif w in _TIME_PREPS and pw not in PHRASE_BEFORE_OPENER and _TIME_PP.match(" ".join(norms[i : i + 6])):
            op = opener_pen
        elif w in _MULTI_BY_FIRST and pw not in _GLUE:
            for seq in _MULTI_BY_FIRST[w]:
                if tuple(norms[i : i + len(seq)]) == seq:
                    op = opener_pen
                    break
        if op is not None and (pen is None or op < pen):
            pen = op
        if pen is not None:
            _add_candidate(cand, skip, is_end, i, pen)
    # real[k]: how many words before word k are not skipped (fillers), so that
    # real[b] - real[a] counts the real words of words a..b-1
    real = [0] * (n + 1)
    for k in range(n):
        real[k + 1] = real[k] + (k not in skip)
    if punctuated:
        # with punctuation, clause-level cuts only inside long run-on sentences
        strong = [0] + sorted(k for k, p in cand.items() if p <= 0.6) + [n]
        for a, b in zip(strong, strong[1:], strict=False):
            if real[b] - real[a] < _LONG_SENTENCE:
                for k in range(a + 1, b):
                    if cand.get(k, 0.0) > 0.6:
                        del cand[k]
    starts = [0] + sorted(k for k in cand if 0 < k < n)
    units: list[Unit] = []
    for a, b in zip(starts, starts[1:] + [n], strict=False):
        if b <= a:
            continue
        units.append(Unit(a, b, cand.get(a, 0.0)))
    # merge units without any real word into their neighbour (an "um" between sentences)
    merged: list[Unit] = []
    for u in units:
        if merged and real[u.last] == real[u.first]:
            merged[-1].last = u.last
        else:
            merged.append(u)
    if len(merged) > 1 and real[merged[0].last] == real[merged[0].first]:
        merged[1].first = merged[0].first
        merged[1].penalty = 0.0
        merged.pop(0)
    if not punctuated:
        # caption text: a clause cut down to a fragment ("so it was", "she") says
        # nothing on its own; join it to the clause it opens
        joined: list[Unit] = []
        pending: Unit | None = None
        for u in merged:
            if pending is not None:
                u.first, u.penalty = pending.first, pending.penalty
                pending = None
            if real[u.last] - real[u.first] < _MIN_CAPTION_UNIT and u is not merged[-1]:
                pending = u
                continue
            joined.append(u)
        if pending is not None:  # pragma: no cover - the last unit is never pending
            joined.append(pending)
        if len(joined) > 1:
            last = joined[-1]
            if real[last.last] - real[last.first] < _MIN_CAPTION_UNIT:
                joined[-2].last = last.last
                joined.pop()
        merged = joined
    evidence_words = [w if k not in skip else "" for k, w in enumerate(norms)]
    for u in merged:
        u.text = " ".join([w for w in evidence_words[u.first : u.last] if w])
        u.start = words[u.first].start
        u.end = words[u.last - 1].end
    return merged, punctuated


def unit_spans(units: Sequence[Unit], transcript: Transcript) -> list[tuple[float, float]]:
    """Each unit's time span as shares of the stretch the units cover: from its first
    word's start to the next unit's start (so the spans tile 0..1 and pauses count with
    the unit before)."""
    words = transcript.words
    t0 = units[0].start if units else words[0].start
    total = max(words[-1].end - t0, 1e-6)
    out: list[tuple[float, float]] = []
    for u in units:
        a = (u.start - t0) / total
        b = ((words[u.last].start if u.last < len(words) else words[-1].end) - t0) / total
        out.append((a, max(a, b)))
    return out


def split_unit_at_word(
    units: list[Unit], transcript: Transcript, norms: Sequence[str], skip: Container[int], k: int
) -> None:
    """Make word ``k`` the first word of a unit."""
    words = transcript.words
    for ui, u in enumerate(units):
        if u.first == k:
            return
        if u.first < k < u.last:
            new = Unit(k, u.last, 0.0)
            u.last = k
            for x in (u, new):
                x.text = " ".join(norms[j] for j in range(x.first, x.last) if j not in skip and norms[j])
                x.start = words[x.first].start
                x.end = words[x.last - 1].end
            units.insert(ui + 1, new)
            return


def chunk_long_units(
    units: list[Unit],
    transcript: Transcript,
    norms: Sequence[str],
    skip: Container[int],
    max_words: int,
    penalty: float,
) -> None:
    """Cut each unit of more than ``max_words`` words into equal pieces (weak boundaries),
    so that a long run of words with little evidence is labelled by its place."""
    words = transcript.words
    out: list[Unit] = []
    for u in units:
        n = u.last - u.first
        if n <= max_words:
            out.append(u)
            continue
        parts = -(-n // max_words)
        cuts = [u.first + round(n * j / parts) for j in range(parts)] + [u.last]
        for j, (a, b) in enumerate(zip(cuts, cuts[1:], strict=False)):
            x = Unit(a, b, u.penalty if j == 0 else penalty)
            x.text = " ".join(norms[k] for k in range(a, b) if k not in skip and norms[k])
            x.start = words[a].start
            x.end = words[b - 1].end
            out.append(x)
    units[:] = out
