"""Fillers: filled pauses, discourse markers, hedges and repetitions, decided in context.

The vocabulary comes from :class:`~analysis.settings.AnalysisSettings` (editable in the
settings file). Filled pauses ("um", "uh", ...) always count. Discourse markers and
hedges count only when they are used as fillers, which is decided from the words around
them, because the same words are ordinary English elsewhere:

- "like" counts in "it was like two hours", "like, the meeting ran long", "and like doing
  some research", "I was like the only designer", "things like i made everyone ..." (a
  clause follows), "summer is like our busiest time", "it was like a total mess", "like
  straight away"; not in "I'd like to", "it felt like", "like you do", "nobody liked it",
  "something like this", "metrics like downloads", "I like my job";
- "you know" counts in "because you know he had", ", you know,"; not in "do you know",
  "you know the answer", "as you know";
- "I mean" counts in "I mean, it worked", "I mean the main thing was"; not in "what I
  mean is", "I mean what I said", "I mean it";
- "actually", "honestly" count at the start of a clause ("Actually, the vendor...")
  not inside one ("before someone actually tested it"); "basically", "literally" always;
- hedges "kind of", "sort of" count as softeners ("I kind of took over", "it's kind of
  hard") not as nouns ("the kind of features we build", "a good kind of idea");
  "I guess" and "maybe" count as softeners (not "if I guess", "a maybe").

Punctuation helps (Whisper puts commas around filler "like" and "you know") but is never
required: the rules work on unpunctuated lower-case caption text.

Repetitions are immediate repeats of a word or a 2-3 word phrase ("we we", "how bad how
bad") and restarts ("I was I wanted"); the item covers the abandoned first attempt.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Final, Literal

from analysis.filler_model import PHRASES as LEARNED_PHRASES
from analysis.filler_model import FillerModel
from analysis.filler_model import load_model as load_filler_model
from analysis.fillers.rules import EXTENSIONS, RULES, Ctx, always
from analysis.fillers.words import (
    ALIASES,
    DISCOURSE_MARKER,
    FILLED_PAUSE,
    HEDGE,
    KINDS,
    LEGIT_DOUBLES,
    LETTERS,
    REPETITION,
    RESTART_BLOCK_PREV,
    RESTART_HEAD,
    RESTART_MID,
    Filler,
    collapse,
)
from analysis.lexicon import Tokens
from analysis.settings import AnalysisSettings
from analysis.transcript import Transcript
from analysis.wordforms import normalize

__all__ = [
    "DISCOURSE_MARKER",
    "FILLED_PAUSE",
    "HEDGE",
    "KINDS",
    "REPETITION",
    "RULES",
    "Ctx",
    "Filler",
    "detect_fillers",
]

# ---- the detector ---------------------------------------------------------------------


@dataclass(frozen=True)
class _Vocab:
    filled: frozenset[str]
    filled_collapsed: frozenset[str]
    variants: bool
    phrases: dict[str, tuple[tuple[tuple[str, ...], str], ...]]
    """first word -> ((phrase words, kind), ...), longest first."""
    aliases: dict[str, tuple[tuple[str, ...], str]]
    context: bool
    repetitions: bool
    triggers: frozenset[str]
    """First words of listed phrases and aliases."""
    cache: dict[str, str] = field(default_factory=dict[str, str], compare=False, repr=False)
    """norm -> canonical filled pause or "" (memo of _filled_pause)."""


_VOCAB_CACHE: dict[tuple[object, ...], _Vocab] = {}


def _vocab(settings: AnalysisSettings) -> _Vocab:
    key = (
        settings.filled_pauses,
        settings.filled_pause_variants,
        settings.discourse_markers,
        settings.hedges,
        settings.context_rules,
        settings.count_repetitions,
    )
    v = _VOCAB_CACHE.get(key)
    if v is not None:
        return v

    def words_of(entry: str) -> tuple[str, ...]:
        # the same normal form as the transcript's words: "So," -> "so", "I'd" -> "i'd"
        return tuple(w for w in (normalize(x) for x in str(entry).split()) if w)

    filled = frozenset(ws[0] for ws in map(words_of, settings.filled_pauses) if len(ws) == 1)
    phrases: dict[str, list[tuple[tuple[str, ...], str]]] = {}
    listed: dict[tuple[str, ...], str] = {}
    multi_filled = [ws for ws in map(words_of, settings.filled_pauses) if len(ws) > 1]
    groups = (
        (FILLED_PAUSE, multi_filled),
        (DISCOURSE_MARKER, [words_of(e) for e in settings.discourse_markers]),
        (HEDGE, [words_of(e) for e in settings.hedges]),
    )
    for kind, entries in groups:
        for words in entries:
            if not words or words in listed or (len(words) == 1 and words[0] in filled):
                continue
            listed[words] = kind
            phrases.setdefault(words[0], []).append((words, kind))
    aliases: dict[str, tuple[tuple[str, ...], str]] = {}
    for alias, target in ALIASES.items():
        if target in listed:
            aliases[alias] = (target, listed[target])
    v = _Vocab(
        filled=filled,
        filled_collapsed=frozenset(collapse(w) for w in filled if LETTERS.match(w)),
        variants=settings.filled_pause_variants,
        phrases={k: tuple(sorted(p, key=lambda x: -len(x[0]))) for k, p in phrases.items()},
        aliases=aliases,
        context=settings.context_rules,
        repetitions=settings.count_repetitions,
        triggers=frozenset(phrases) | frozenset(aliases),
    )
    if len(_VOCAB_CACHE) > 32:
        _VOCAB_CACHE.clear()
    _VOCAB_CACHE[key] = v
    return v


def _filled_pause(norm: str, vocab: _Vocab) -> str | None:
    """The canonical filled pause this word is, or None."""
    hit = vocab.cache.get(norm)
    if hit is None:
        hit = _filled_pause_uncached(norm, vocab) or ""
        if len(vocab.cache) < 100_000:
            vocab.cache[norm] = hit
    return hit or None


def _filled_pause_uncached(norm: str, vocab: _Vocab) -> str | None:
    if norm in vocab.filled:
        return norm
    if not vocab.variants or not norm:
        return None
    if "-" in norm:  # "uh-huh", "mm-hmm"
        parts = norm.split("-")
        if all(_filled_pause_uncached(p, vocab) or p in ("huh", "hmm", "hm") for p in parts if p):
            return norm
        return None
    if len(norm) >= 2 and LETTERS.match(norm):
        col = collapse(norm)
        if col in vocab.filled_collapsed:
            return col if col in vocab.filled else norm
    return None


class _Default(enum.Enum):
    MODEL = 0


_DEFAULT_MODEL: Final = _Default.MODEL
"""detect_fillers()'s default model: the shipped one."""


def detect_fillers(
    transcript: Transcript,
    settings: AnalysisSettings | None = None,
    *,
    tokens: Tokens | None = None,
    model: FillerModel | None | Literal[_Default.MODEL] = _DEFAULT_MODEL,
) -> tuple[Filler, ...]:
    """All fillers in the transcript, in time order. Items never overlap.

    ``model``: the learned decisions for "like" / "you know" / "I mean"
    (analysis.filler_model; default: the shipped one; None: the rules alone)."""
    settings = settings or AnalysisSettings()
    fmodel = load_filler_model() if model is _DEFAULT_MODEL else model
    tokens = tokens if tokens is not None else Tokens.of(transcript)
    vocab = _vocab(settings)
    words = transcript.words
    norms = tokens.norms
    n = len(norms)
    ctx = Ctx(tokens)
    out: list[Filler] = []
    used = bytearray(n)
    cache = vocab.cache
    phrases = vocab.phrases
    # Most words are none of these: find the candidates with one dict lookup per word
    # (a word not yet in the cache may be an elongated filled pause: "1" means "check").
    triggers = vocab.triggers
    candidates_at = [k for k, w in enumerate(norms) if w in triggers or cache.get(w, "1")]
    pos = 0
    while pos < len(candidates_at):
        i = candidates_at[pos]
        pos += 1
        if used[i]:
            continue
        norm = norms[i]
        fp = cache.get(norm)
        if fp is None:
            fp = _filled_pause(norm, vocab) or ""
        if fp:
            out.append(Filler(fp, FILLED_PAUSE, words[i].start, words[i].end, i, i))
            used[i] = 1
            continue
        candidates = phrases.get(norm)
        if candidates:
            for phrase, kind in candidates:
                k = len(phrase)
                if norms[i : i + k] != phrase:
                    continue
                last = i + k - 1
                # only the last word of a phrase may carry punctuation ("you, know" is not one)
                if k > 1 and any(ctx.comma_after(j) for j in range(i, last)):
                    continue
                rule = RULES.get(phrase, always) if vocab.context else always
                decided = rule(ctx, i, last)
                if fmodel is not None and vocab.context and phrase in LEARNED_PHRASES:
                    decided = fmodel.decide(ctx, i, last, phrase, decided)
                if decided:
                    tail = EXTENSIONS.get(phrase)
                    if (
                        tail
                        and norms[last + 1 : last + 1 + len(tail)] == tail
                        and not any(ctx.comma_after(j) for j in range(last, last + len(tail)))
                    ):
                        phrase, last = phrase + tail, last + len(tail)  # "you know what I mean"
                    out.append(Filler(" ".join(phrase), kind, words[i].start, words[last].end, i, last))
                    for j in range(i, last + 1):
                        used[j] = 1
                    break
        elif norm in vocab.aliases:
            phrase, kind = vocab.aliases[norm]
            rule = RULES.get(phrase, always) if vocab.context else always
            decided = rule(ctx, i, i)
            if fmodel is not None and vocab.context and phrase in LEARNED_PHRASES:
                decided = fmodel.decide(ctx, i, i, phrase, decided)
            if decided:
                out.append(Filler(" ".join(phrase), kind, words[i].start, words[i].end, i, i))
                used[i] = 1
    if vocab.repetitions:
        out.extend(_repetitions(transcript, tokens, used))
        out.sort(key=lambda f: f.first)
    return tuple(out)


def _repetitions(transcript: Transcript, tokens: Tokens, used: bytearray) -> Iterable[Filler]:
    """Repeats ("we we", "in the in the") and restarts ("I was I wanted"), ignoring any
    fillers in between ("the, um, the"). Never crosses a sentence end."""
    words = transcript.words
    norms = tokens.norms
    idx = [i for i in range(len(norms)) if not used[i] and norms[i]]
    seq = [norms[i] for i in idx]
    m = len(seq)
    brk = tokens.sentence_break
    pad = seq + ["\0", "\0", "\0"]
    # a repeat or restart can only start where a word recurs within the next three
    starts = [
        j
        for j, (a, b, c, d) in enumerate(zip(seq, pad[1:], pad[2:], pad[3:], strict=False))
        if a == b or a == c or a == d
    ]
    next_ok = 0
    for j in starts:
        if j < next_ok:
            continue  # inside the previous repeat
        found = 0
        for k in (3, 2, 1):
            if j + 2 * k > m or seq[j] != seq[j + k]:
                continue
            if k > 1 and (seq[j : j + k] != seq[j + k : j + 2 * k] or idx[j + k - 1] - idx[j] != k - 1):
                continue  # not a repeat, or its first copy has a filler inside (items never overlap)
            if k == 1 and seq[j] in LEGIT_DOUBLES:
                continue
            if k == 1 and not seq[j].isalpha() and not seq[j].replace("'", "").isalpha():
                continue  # "2 2", "5%" — numbers read out are not stammers
            # no sentence end inside the repeat
            if any(brk[idx[x]] for x in range(j + 1, j + 2 * k)):
                continue
            found = k
            break
        if found:
            first, last = idx[j], idx[j + found - 1]
            yield Filler(" ".join(seq[j : j + found]), REPETITION, words[first].start, words[last].end, first, last)
            next_ok = j + found
            continue
        # restart: "i was i wanted" (head mid head other)
        if (
            j + 3 < m
            and seq[j] in RESTART_HEAD
            and seq[j + 2] == seq[j]
            and seq[j + 1] in RESTART_MID
            and idx[j + 1] == idx[j] + 1
            and seq[j + 3] != seq[j + 1]
            and (j == 0 or seq[j - 1] not in RESTART_BLOCK_PREV)
            and not any(brk[idx[x]] for x in range(j + 1, j + 3))
        ):
            first, last = idx[j], idx[j + 1]
            yield Filler(" ".join(seq[j : j + 2]), REPETITION, words[first].start, words[last].end, first, last)
            next_ok = j + 2
