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
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, Final, Literal

from analysis.filler_model import PHRASES as LEARNED_PHRASES
from analysis.filler_model import FillerModel
from analysis.filler_model import load_model as load_filler_model
from analysis.lexicon import Tokens, is_number
from analysis.settings import AnalysisSettings
from analysis.transcript import Transcript
from analysis.wordforms import (
    BE_FORMS,
    CONJUNCTIONS,
    DETERMINERS,
    IRREGULAR_PAST,
    MODAL_FORMS,
    MODALS_AND_TO,
    SUBJECT_PRONOUNS,
    normalize,
)

FILLED_PAUSE = "filled_pause"
DISCOURSE_MARKER = "discourse_marker"
HEDGE = "hedge"
REPETITION = "repetition"
KINDS = (FILLED_PAUSE, DISCOURSE_MARKER, HEDGE, REPETITION)


@dataclass(frozen=True)
class Filler:
    text: str
    """The filler as said, lower case ("um", "you know", "we we" -> "we")."""
    kind: str
    """filled_pause | discourse_marker | hedge | repetition"""
    start: float
    end: float
    first: int
    """Index of its first word in the transcript."""
    last: int
    """Index of its last word (inclusive)."""

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "kind": self.kind, "start": round(self.start, 3), "end": round(self.end, 3)}

    @property
    def indices(self) -> range:
        return range(self.first, self.last + 1)


# ---- context helpers --------------------------------------------------------------------

_ELONGATED = re.compile(r"(.)\1+")
_LETTERS = re.compile(r"^[a-z]+$")


def _collapse(s: str) -> str:
    return _ELONGATED.sub(r"\1", s)


# Spoken contractions of listed phrases, matched as that phrase.
ALIASES = {
    "kinda": ("kind", "of"),
    "sorta": ("sort", "of"),
    "y'know": ("you", "know"),
    "ya'know": ("you", "know"),
}

_PAST_ADVERBS = frozenset(
    {
        "just",
        "totally",
        "really",
        "basically",
        "literally",
        "actually",
        "completely",
        "never",
        "always",
        "kind",
        "sort",
        "suddenly",
        "almost",
        "nearly",
        "only",
        "also",
    }
)
# Words after which "like" is a verb.
_LIKE_VERB_PREV = frozenset(
    {
        "i'd",
        "you'd",
        "we'd",
        "they'd",
        "he'd",
        "she'd",
        "would",
        "wouldn't",
        "to",
        "don't",
        "didn't",
        "doesn't",
        "do",
        "does",
        "did",
        "not",
        "never",
        "also",
        "really",
        "still",
        "always",
        "might",
        "may",
        "will",
        "i'll",
        "we'll",
        "you'll",
        "they'll",
        "he'll",
        "she'll",
        "can",
        "could",
        "should",
        "must",
        "usually",
        "generally",
        "genuinely",
        "truly",
        "personally",
        "especially",
        "actually",
        "definitely",
        "probably",
        "who",
        "people",
        "kids",
        "customers",
        "users",
        "students",
        "clients",
        "dont",
        "didnt",
        "doesnt",
        "wouldnt",
        "id",
        "shall",
        "often",
        "mostly",
        "rather",
    }
)
# Words after which "like" compares or gives examples (a preposition).
_LIKE_PREP_PREV = frozenset(
    {
        "feel",
        "feels",
        "felt",
        "feeling",
        "look",
        "looks",
        "looked",
        "looking",
        "seem",
        "seems",
        "seemed",
        "sound",
        "sounds",
        "sounded",
        "smell",
        "smells",
        "smelled",
        "taste",
        "tastes",
        "tasted",
        "act",
        "acts",
        "acted",
        "acting",
        "behave",
        "behaved",
        "something",
        "anything",
        "nothing",
        "everything",
        "someone",
        "somebody",
        "anyone",
        "anybody",
        "nobody",
        "just",
        "much",
        "more",
        "less",
        "exactly",
        "very",
        "quite",
        "lot",
        "things",
        "stuff",
        "treat",
        "treated",
        "treating",
        "dress",
        "dressed",
        "kind",
        "sort",
        "bit",
        "little",
        "almost",
        "most",
        "unlike",
        "places",
        "companies",
        "teams",
        "tools",
        "ones",
        "issues",
        "problems",
        "words",
        "terms",
    }
)
# Words before "like" after which only the filler fits ("this like feeling", "our like
# biggest month"; "that" is left out: "do it that like you mean it" is not a filler but
# "that like" is rare either way).
_LIKE_DET_PREV = frozenset({"a", "an", "the", "this", "our", "my", "his", "her", "their", "your", "its"})
# Sentence adverbs and clause-taking verbs right before "like": "honestly like nobody had
# checked", "I figured like we could ship it anyway".
_LIKE_ADVERB_PREV = frozenset({"honestly", "literally", "basically", "seriously", "obviously", "frankly", "already"})
_LIKE_CLAUSE_VERB_PREV = frozenset(
    {"figured", "thought", "realised", "realized", "decided", "guessed", "reckoned", "knew"}
)
# Words after "like" that make it a comparison/preposition, not a filler.
_LIKE_OBJECT_NEXT = frozenset(
    {
        "this",
        "that",
        "these",
        "those",
        "it",
        "them",
        "him",
        "her",
        "me",
        "us",
        "what",
        "when",
        "how",
        "something",
        "nothing",
        "anything",
        "someone",
        "somebody",
        "being",
        "having",
        "a",
        "an",
        "many",
        "most",
        "any",
        "my",
        "your",
        "his",
        "our",
        "their",
        "its",
        "other",
        "others",
        "crazy",
        "clockwork",
        "magic",
        "before",
        "usual",
        "new",
        "family",
    }
)
_LIKE_FILLER_NEXT = frozenset(
    {
        "um",
        "uh",
        "umm",
        "uhh",
        "er",
        "erm",
        "ah",
        "basically",
        "literally",
        "actually",
        "honestly",
        "totally",
        "really",
        "super",
        "so",
        "very",
        "pretty",
        "completely",
        "way",
        "almost",
        "maybe",
        "probably",
        "kind",
        "sort",
        "seriously",
        "obviously",
        "definitely",
        "barely",
        "just",
        "nearly",
        "around",
        "about",
        "roughly",
        "half",
        "by",
        "at",
        "oh",
        "no",
        "yeah",
        "okay",
        "whatever",
        "never",
        "not",
        "every",
        "everyone",
        "loads",
        # adverbs of time and degree that no preposition takes: "said sorry like straight away",
        # "a team of fourteen like overnight", "like within two months", "like once a month"
        "straight",
        "overnight",
        "within",
        "once",
        "ever",
        "even",
    }
)
# Words ending in -ly that are not adverbs ("like family", "like early days").
_LY_NOT_ADVERB = frozenset(
    {
        "family",
        "supply",
        "reply",
        "apply",
        "july",
        "italy",
        "assembly",
        "rally",
        "belly",
        "jelly",
        "bully",
        "holy",
        "ugly",
        "silly",
        "lovely",
        "friendly",
        "lonely",
        "elderly",
        "early",
        "daily",
        "weekly",
        "monthly",
        "yearly",
        "only",
        "likely",
        "costly",
        "deadly",
        "lively",
        "ally",
        "fly",
        "anomaly",
        "monopoly",
        "lily",
        "emily",
        "molly",
        "kelly",
        "holly",
        "sally",
        "polly",
        "jolly",
        "curly",
        "smelly",
    }
)
# Degree words and intensifying adjectives after "be like a": "it was like a really big deal",
# "the backlog was like a total mess" (the filler hedges an exaggeration; a comparison names
# the thing compared: "it was like a second house")
# "like a second" is a time ("like a second later") unless a noun follows ("like a second home").
_AFTER_A_SECOND = frozenset({"later", "ago", "and", "or", "but", "so", "before", "after", "then", "of", "i", "we"})
_DEGREE_AFTER_A = frozenset(
    {
        "really",
        "very",
        "pretty",
        "super",
        "totally",
        "completely",
        "little",
        "total",
        "complete",
        "absolute",
        "proper",
        "huge",
        "massive",
        "terrible",
        "awful",
        "real",
        "nightmare",
    }
)
_APPROX_AFTER_A = frozenset(
    {
        "hundred",
        "thousand",
        "million",
        "dozen",
        "couple",
        "few",
        "half",
        "third",
        "quarter",
        "tenth",
        "fifth",
        "lot",
        "bunch",
        "week",
        "month",
        "year",
        "day",
        "hour",
        "minute",
        "second",
    }
)
# After "I like ...", words that cannot start the object of the verb "like".
_FINITE_NEXT = frozenset(
    {
        "can",
        "could",
        "would",
        "will",
        "should",
        "didn't",
        "don't",
        "can't",
        "couldn't",
        "wasn't",
        "weren't",
        "won't",
        "wouldn't",
        "have",
        "has",
        "need",
        "think",
        "know",
        "literally",
        "basically",
        "totally",
        "honestly",
        "actually",
        "um",
        "uh",
        "never",
        "almost",
        "completely",
        "kind",
        "sort",
        "i",
        "we",
        "just",
    }
)
_EXTREME = frozenset(
    {"only", "best", "worst", "most", "least", "first", "last", "whole", "entire", "biggest", "main", "one", "same"}
)
_NOT_SUPERLATIVE = frozenset(
    {
        "interest",
        "request",
        "contest",
        "forest",
        "honest",
        "harvest",
        "protest",
        "manifest",
        "modest",
        "conquest",
        "earnest",
    }
)
_PREPOSITIONS = frozenset(
    {"of", "for", "in", "on", "at", "with", "about", "from", "into", "onto", "after", "before", "during", "within"}
)
# Base verbs that are also common nouns ("I'd like help", "we'd like a change").
_VERB_OR_NOUN = frozenset(
    {
        "help",
        "work",
        "change",
        "call",
        "check",
        "look",
        "deal",
        "talk",
        "push",
        "move",
        "show",
        "set",
        "put",
        "start",
        "stop",
        "finish",
        "fix",
        "build",
        "try",
        "fall",
        "break",
        "hang",
        "run",
    }
)
_BASE_VERBS = frozenset(
    {
        "crash",
        "break",
        "freeze",
        "fail",
        "die",
        "quit",
        "explode",
        "happen",
        "fall",
        "hang",
        "get",
        "go",
        "make",
        "do",
        "take",
        "figure",
        "find",
        "try",
        "see",
        "be",
        "start",
        "stop",
        "keep",
        "think",
        "rethink",
        "change",
        "fix",
        "build",
        "work",
        "talk",
        "ask",
        "tell",
        "call",
        "write",
        "push",
        "move",
        "put",
        "set",
        "show",
        "help",
        "learn",
        "redo",
        "rebuild",
        "explain",
        "convince",
        "prove",
        "understand",
        "deal",
        "handle",
        "manage",
        "finish",
        "check",
        "look",
    }
)
_LIKE_AFTER_VERB = frozenset(
    {
        "had",
        "have",
        "has",
        "got",
        "get",
        "gets",
        "getting",
        "spent",
        "spend",
        "took",
        "take",
        "takes",
        "made",
        "make",
        "build",
        "built",
        "need",
        "needed",
        "want",
        "wanted",
        "saw",
        "see",
        "sent",
        "send",
        "wrote",
        "write",
        "found",
        "find",
        "lost",
        "lose",
        "gained",
        "raised",
        "tried",
        "try",
        "ran",
        "run",
        "did",
        "waited",
        "wait",
        "paid",
        "pay",
        "bought",
        "sold",
        "hired",
        "fixed",
        "called",
        "asked",
        "answered",
        "handled",
        "closed",
        "opened",
        "earned",
        "saved",
        "missed",
        "cost",
        "costs",
        "lasted",
        "doing",
        "having",
        "making",
        "taking",
    }
)
_LIKE_VERB_OBJECT = frozenset(
    {
        "this",
        "that",
        "these",
        "those",
        "it",
        "them",
        "him",
        "her",
        "me",
        "us",
        "you",
        "crazy",
        "clockwork",
        "magic",
        "usual",
        "before",
        "mad",
        "hell",
        "family",
        "friends",
        "new",
        "what",
        "how",
    }
)
_SAY_VERBS = frozenset(
    {"said", "say", "mentioned", "mention", "told", "explained", "noted", "wrote", "guess", "guessed"}
)

_YOU_KNOW_NOT_PREV = frozenset(
    {
        "do",
        "did",
        "does",
        "don't",
        "didn't",
        "doesn't",
        "dont",
        "didnt",
        "if",
        "as",
        "let",
        "would",
        "will",
        "might",
        "may",
        "could",
        "can",
        "should",
        "what",
        "whatever",
        "how",
        "whether",
        "when",
        "all",
        "everything",
        "than",
        "make",
        "help",
        "before",
        "once",
        "until",
        "unless",
        "where",
        "who",
        "would've",
        "i'll",
        "we'll",
        "you'll",
        "thank",
        "want",
        "wanted",
        "need",
        "needed",
        "tell",
        "told",
        "show",
        "showed",
        "to",
        "people",
        "someone",
        "somebody",
        "everyone",
        "everybody",
        "anyone",
        "anybody",
        "person",
        "thing",
        "things",
        "stuff",
        "guy",
        "guys",
        "ones",
        "one",
    }
)
_YOU_KNOW_OBJECT_NEXT = frozenset(
    {
        "the",
        "a",
        "an",
        "that",
        "what",
        "how",
        "where",
        "why",
        "who",
        "whom",
        "when",
        "whether",
        "if",
        "about",
        "it",
        "this",
        "these",
        "those",
        "him",
        "her",
        "them",
        "me",
        "us",
        "my",
        "your",
        "his",
        "their",
        "our",
        "its",
        "everyone",
        "everything",
        "everybody",
        "anyone",
        "anything",
        "someone",
        "something",
        "nothing",
        "exactly",
        "more",
        "much",
        "better",
        "enough",
        "all",
        "any",
        "some",
        "many",
        "most",
        "each",
        "which",
        "whose",
        "both",
        "best",
        "less",
        "little",
        "too",
    }
)
# After a content word in text without commas, "you know" before a noun phrase is the
# filler ("the hard calls too you know the angry ones"); before "what/how/when ..." it is
# the verb ("you know how it is", "you know what people are like").
_YOU_KNOW_MID_NEXT = frozenset(
    {
        "the",
        "a",
        "an",
        "some",
        "all",
        "nothing",
        "my",
        "his",
        "her",
        "their",
        "our",
        "its",
        "each",
        "both",
        "any",
        "many",
        "most",
    }
)
_I_MEAN_NOT_PREV = frozenset(
    {
        "what",
        "that",
        "do",
        "did",
        "does",
        "don't",
        "didn't",
        "if",
        "whatever",
        "really",
        "how",
        "all",
        "truly",
        "genuinely",
    }
)
_THAT_CLAUSE_START = frozenset({"it", "it's", "i'm", "we're", "they're", "you're", "he's", "she's", "there's", "there"})
# ("which, I mean, hurt": after "which" it is the filler -- "the one which I mean" is rare.)
_I_MEAN_NOT_NEXT = frozenset({"it", "what", "to", "him", "her", "them", "business", "well", "no", "every", "exactly"})
_CLAUSE_VERBS = BE_FORMS | frozenset(
    {
        "had",
        "would",
        "did",
        "could",
        "will",
        "can",
        "didn't",
        "doesn't",
        "wasn't",
        "won't",
        "couldn't",
        "has",
        "does",
        "just",
        "really",
        "worked",
        "went",
    }
)
_NEW_SUBJECT = frozenset(
    {
        "i",
        "we",
        "they",
        "he",
        "she",
        "you",
        "there",
        "the",
        "my",
        "our",
        "their",
        "his",
        "her",
        "i'm",
        "we're",
        "they're",
        "it's",
        "there's",
        "that's",
    }
)
_CLAUSE_START_PREV = CONJUNCTIONS | {
    "um",
    "uh",
    "umm",
    "uhh",
    "er",
    "erm",
    "ah",
    "like",
    "mean",
    "know",
    "oh",
    "yes",
    "no",
    "now",
    "right",
}
_HEDGE_PREV = (
    SUBJECT_PRONOUNS
    | BE_FORMS
    | CONJUNCTIONS
    | {
        "it",
        "just",
        "really",
        "also",
        "still",
        "like",
        "got",
        "get",
        "felt",
        "feel",
        "seemed",
        "seems",
        "um",
        "uh",
        "all",
        "only",
        "was",
        "actually",
        "basically",
        "they've",
        "i've",
        "we've",
        "had",
        "have",
        "has",
        "would",
        "could",
        "might",
        "will",
        "did",
        "do",
        "does",
        "people",
        "that",
        "which",
        "who",
        "and",
        "even",
        "pretty",
        "always",
        "never",
        "is",
        "things",
        "everyone",
        "everything",
    }
)
_HEDGE_NOT_PREV = DETERMINERS - {"that", "all", "right"}
_GUESS_NOT_PREV = frozenset(
    {
        "if",
        "would",
        "could",
        "can",
        "can't",
        "couldn't",
        "to",
        "let",
        "me",
        "will",
        "i'll",
        "didn't",
        "did",
        "do",
        "don't",
        "never",
        "you",
        "could've",
    }
)
_GUESS_NOT_NEXT = frozenset({"right", "correctly", "wrong", "wrongly", "again"})
_MAYBE_NOT_PREV = frozenset({"a", "the", "said", "says", "say", "with", "big", "definite"})

# Words that may be said twice on purpose ("that that", "had had", "very very").
_LEGIT_DOUBLES = frozenset(
    {
        "that",
        "had",
        "is",
        "very",
        "really",
        "so",
        "no",
        "yeah",
        "yes",
        "bye",
        "ha",
        "many",
        "much",
        "more",
        "far",
        "long",
        "over",
        "again",
        "round",
        "on",
        "knock",
        "do",
        "blah",
        "well",
        "okay",
        "ok",
        "step",
        "by",
        "out",
        "away",
        "through",
        "little",
        "tick",
        "please",
        "go",
        "come",
        "hey",
        "hi",
        "oh",
        "wow",
    }
)
_RESTART_HEAD = SUBJECT_PRONOUNS | {"it", "the", "my", "our", "this", "there", "they"}
_RESTART_MID = frozenset(
    {
        "was",
        "were",
        "am",
        "'m",
        "i'm",
        "had",
        "have",
        "has",
        "would",
        "will",
        "could",
        "can",
        "should",
        "did",
        "do",
        "is",
        "are",
        "just",
        "went",
        "got",
        "wanted",
        "tried",
        "need",
        "needed",
        "started",
    }
)
# ("said", "thought", "decided", "knew"... take a clause without "that": "I said I would"
# is fluent, so they are not in _RESTART_MID.)
_RESTART_BLOCK_PREV = frozenset({"what", "which", "that", "how", "where", "when", "who", "why", "whatever", "as", "if"})


class _Ctx:
    """Neighbourhood queries over Tokens (None-safe at the edges)."""

    __slots__ = ("t", "n", "_commas")

    def __init__(self, tokens: Tokens):
        self.t = tokens
        self.n = len(tokens.norms)
        self._commas = None

    def has_commas(self) -> bool:
        """Whether the text has any commas at all (caption text, even with its full
        stops kept, has none: then a missing comma tells nothing)."""
        if self._commas is None:
            self._commas = any("," in a for a in self.t.after)
        return self._commas

    def norm(self, i: int) -> str:
        return self.t.norms[i] if 0 <= i < self.n else ""

    def comma_after(self, i: int) -> bool:
        a = self.t.after[i] if 0 <= i < self.n else ""
        return any(c in a for c in ",;:-\u2014\u2013")

    def boundary(self, i: int) -> bool:
        return self.t.boundary[i] if 0 <= i < self.n else True

    def at_end(self, i: int) -> bool:
        return i >= self.n - 1 or any(c in self.t.after[i] for c in ".?!")


def _is_past(word: str) -> bool:
    return word in IRREGULAR_PAST or (len(word) > 4 and word.endswith("ed"))


# Each rule gets (ctx, first, last) for a phrase match spanning words first..last and
# returns True when it is a filler there.


def _like(c: _Ctx, i: int, last: int) -> bool:
    prev, nxt, nxt2 = c.norm(i - 1), c.norm(i + 1), c.norm(i + 2)
    approx = (
        is_number(nxt)
        or (
            nxt in ("a", "an")
            and (nxt2 in _APPROX_AFTER_A or is_number(nxt2))
            and not (nxt2 == "second" and not c.at_end(i + 2) and c.norm(i + 3) not in _AFTER_A_SECOND)
        )
        or nxt in ("forever", "ages")
    )
    if (prev in BE_FORMS or prev.endswith("'s")) and "what" in (c.norm(i - 2), c.norm(i - 3), c.norm(i - 4)):
        return False  # "you know what people are like", "what it's like, uh, ..."
    set_off = c.boundary(i) and (c.comma_after(i) or c.at_end(i))
    if set_off and i > 0:
        return True  # ", like," — a parenthetical
    if prev in _LIKE_DET_PREV:
        return True  # "I had this like feeling", "our like biggest month": no verb or preposition fits there
    if prev in _LIKE_ADVERB_PREV or prev in _LIKE_CLAUSE_VERB_PREV:
        # "and honestly like my stomach dropped", "I figured like a dead server is better"
        return not (nxt in ("i", "you", "we", "he", "she", "they") and nxt2 in _SAY_VERBS)
    adverb_next = len(nxt) > 4 and nxt.endswith("ly") and nxt not in _LY_NOT_ADVERB
    if prev in _LIKE_VERB_PREV:
        # "I'd like to", "to like it" -- but "up to like eight percent", "to like rethink it",
        # "the system would like crash": the verb "like" takes "to" or an object, not a verb
        if nxt in _BASE_VERBS:
            return prev == "to" or (prev in MODAL_FORMS and nxt not in _VERB_OR_NOUN)
        if (
            prev in MODALS_AND_TO
            and nxt
            and nxt not in _LIKE_VERB_OBJECT
            and nxt not in DETERMINERS
            and nxt not in SUBJECT_PRONOUNS
            and nxt not in ("to", "more", "most", "some", "any", "about", "being", "having", "doing")
            and not nxt.endswith("ing")
            and not c.comma_after(i)
        ):
            return True  # "a report that would like pull every record", "to like match them"
        if prev in ("just", "still", "really", "actually") and (
            (_is_past(nxt) and nxt not in ("was", "were", "had")) or adverb_next
        ):
            return True  # "it just like fell apart", "I still like blanked"
        return prev == "to" and (is_number(nxt) or nxt in _LIKE_FILLER_NEXT or adverb_next)
    # a comma parts "like" from the word before: "in fewer words, like really short" is not
    # "words like these", "I love working in teams, like genuinely" not "teams like ours"
    prep_prev = prev in _LIKE_PREP_PREV and not c.comma_after(i - 1)
    if adverb_next and not prep_prev:
        return True  # "like properly terrified", "like especially when it's embarrassing"
    if prev == "just" and _is_past(nxt) and nxt not in ("was", "were", "had"):
        return True  # "the seat map just like spun"
    if prep_prev:
        return False
    if nxt in ("i", "you", "we", "he", "she", "they") and nxt2 in _SAY_VERBS:
        return False  # "like I said"
    if _clause_follows(c, i + 1):
        # "did the small things like i made everyone take a break", "it got worse like they
        # stopped handing over", "dropouts like the whole building would lose signal": a
        # whole clause follows; after a noun or a verb (not after "feel/look/seem", ruled
        # out above) the preposition "like" takes a noun phrase, not a clause -- but "as"
        # does: "like you do", "like we did once" (a do-verb), "like I was" (a form of be)
        return True
    if nxt == "so" and (c.at_end(i + 1) or c.comma_after(i + 1)):
        return False  # "do it like so."
    if nxt in _LIKE_FILLER_NEXT or (c.comma_after(i) and i + 1 < c.n):
        return True
    if prev in SUBJECT_PRONOUNS:
        # "I like basically stole" / "we like just froze": filler; "I like my job": verb
        return (
            _is_past(nxt) or (nxt in _PAST_ADVERBS and _is_past(nxt2)) or nxt in SUBJECT_PRONOUNS or nxt in _FINITE_NEXT
        )
    if approx:
        return True  # "we waited like two hours", "there were like a hundred tickets"
    if c.boundary(i):
        if nxt in _LIKE_OBJECT_NEXT:
            return False
        if c.t.punctuated and i + 1 < c.n:
            # punctuated text writes the filler "Like, ..."; without the comma it is "such
            # as" / a comparison ("Like the rest of the team, I ...", ", like the login
            # page") unless a clause follows ("so, like we were")
            return nxt in SUBJECT_PRONOUNS or nxt in ("there", "it's", "i'm", "we're", "they're")
        return True
    if prev in CONJUNCTIONS or prev in ("um", "uh", "mean", "know", "oh"):
        return nxt not in ("this", "that", "these", "those")
    if prev in _PREPOSITIONS and not (prev == "of" and c.norm(i - 2) in ("kind", "sort")):
        # "a lot of like manual work", "for like an hour" ("kind of like a mentor" is not)
        return nxt not in ("this", "that", "these", "those")
    if prev in BE_FORMS:
        if c.norm(i - 2) == "there":
            return True  # "there was like no plan", "there is like a wall of people"
        if nxt in ("a", "an") and nxt2 in _DEGREE_AFTER_A:
            return True  # "it was like a really big deal"
        if (
            nxt in ("it", "i", "we", "they", "he", "she")
            and (nxt2 in BE_FORMS or _is_past(nxt2))
            and nxt2 not in _SAY_VERBS
        ):
            return True  # "the config was like it was in three places"
        if nxt in ("the", "our", "my", "their", "your"):
            # "I was like the only designer", "summer is like our busiest time" (filler) vs "it
            # is like the old game", "she was like my mother" (comparison)
            return nxt2 in _EXTREME or (len(nxt2) > 5 and nxt2.endswith("est") and nxt2 not in _NOT_SUPERLATIVE)
        return nxt not in _LIKE_OBJECT_NEXT
    if (nxt in IRREGULAR_PAST and nxt not in ("was", "were", "had")) or (
        len(nxt) > 4 and nxt.endswith("ed") and not prev.endswith("s")
    ):
        return True  # "the school like shut overnight": a verb cannot follow "like" the preposition
    if prev in _LIKE_AFTER_VERB:
        # "we had like nothing", "build like a small plan": after a verb that takes an
        # object, "like" cannot be the preposition ("went like this" still is)
        return nxt not in _LIKE_VERB_OBJECT
    return nxt in ("nothing", "everything", "everyone", "everybody", "nobody", "zero", "none")


_NOT_FINITE_AFTER_SUBJECT = (
    BE_FORMS
    | _SAY_VERBS
    | frozenset(
        {
            "do",
            "does",
            "did",
            "had",
            "once",
            "always",
            "never",
            "just",
            "all",
            "both",
            "each",
            "also",
            "still",
            "too",
            "used",
            "and",
            "but",
            "or",
            "so",
        }
    )
)


_SUBJECT_BE = frozenset({"i'm", "we're", "they're", "you're", "he's", "she's"})


def _finite(w: str) -> bool:
    """A verb that can follow a subject and finish a clause's head: "broke", "can't",
    "would", "think" (not "was"/"did": "like I was", "like we did" compare)."""
    if not w or w in _NOT_FINITE_AFTER_SUBJECT or is_number(w) or w in DETERMINERS or w in _PREPOSITIONS:
        return False
    if (len(w) > 4 and w.endswith("ly")) or w.endswith("ing"):
        return False
    return True


def _clause_follows(c: _Ctx, j: int) -> bool:
    """Whether a clause starts at word j: a subject pronoun and a verb ("i think", "they
    stopped")."""
    if c.norm(j) in _SUBJECT_BE and not c.at_end(j) and not c.comma_after(j):
        return True  # "i get it like they're a big society"
    if c.norm(j) in ("this", "it") and c.norm(j + 1) in ("is", "was") and not c.comma_after(j):
        return True  # "and like this is a good example"
    verb = c.norm(j + 1)
    if c.norm(j) not in SUBJECT_PRONOUNS or not _finite(verb) or c.comma_after(j):
        return False
    if verb in MODAL_FORMS and (c.at_end(j + 1) or c.norm(j + 2) in _PREPOSITIONS or c.norm(j + 2) in CONJUNCTIONS):
        return False  # "like you would with a mate": an elliptical comparison
    return True


def _you_know(c: _Ctx, i: int, last: int) -> bool:
    prev = c.norm(i - 1)
    if i > 0 and c.comma_after(i - 1) and (c.comma_after(last) or c.at_end(last)):
        return True  # set off by punctuation: "a colleague who, you know, played", "a job to do, you know?"
    if prev in _YOU_KNOW_NOT_PREV:
        return False
    if prev == "so" and c.norm(i - 2) == "just":
        return False  # "just so you know"
    if c.comma_after(last) or c.at_end(last):
        return True
    nxt, nxt2 = c.norm(last + 1), c.norm(last + 2)
    if nxt == "what" and nxt2 == "i" and c.norm(last + 3) == "mean":
        return True  # "you know what I mean"
    if prev in BE_FORMS or prev in _PREPOSITIONS or (prev in _LIKE_AFTER_VERB and prev not in _YOU_KNOW_NOT_PREV):
        return True  # "it was you know the best week", "we had you know a big launch"
    if nxt in ("it", "that", "this"):
        # "but you know it worked out" (filler) vs "you know it" / "you know that he left"
        return nxt2 in _CLAUSE_VERBS or _is_past(nxt2)
    if (
        prev
        and not c.boundary(i)
        and prev not in CONJUNCTIONS
        and prev not in SUBJECT_PRONOUNS
        and nxt in _YOU_KNOW_MID_NEXT
        and nxt2 not in ("kind", "type", "sort")
        and not c.has_commas()
    ):
        # caption text, mid-clause after a content word: "practise the hard calls too you
        # know the angry ones", "I was expecting you know a big fight" (the questions "do
        # you know the ...", "people you know" are ruled out above)
        return True
    if nxt in _YOU_KNOW_OBJECT_NEXT:
        # "and you know the client actually liked it": after "and/but/so", a whole clause
        # follows (a verb within a few words) -- the speaker is not asking what you know
        if prev in CONJUNCTIONS and nxt in DETERMINERS:
            ahead = [c.norm(k) for k in range(last + 2, min(last + 6, c.n))]
            return any(w in _CLAUSE_VERBS or _is_past(w) for w in ahead[1:])
        return False
    return True


def _i_mean(c: _Ctx, i: int, last: int) -> bool:
    prev = c.norm(i - 1)
    if prev in _I_MEAN_NOT_PREV and not c.boundary(i):
        return False  # "what I mean", "that I mean" -- but "... like that. I mean, it was basic"
    nxt, nxt2 = c.norm(last + 1), c.norm(last + 2)
    if nxt == "that" and (nxt2 in SUBJECT_PRONOUNS or nxt2 in _THAT_CLAUSE_START):
        return False  # "I mean that it's not a line": the verb with a that-clause
    if "say" in (c.norm(i - 2), c.norm(i - 3)) or c.norm(i - 2) == "by":
        return False  # "when I say serious I mean ...", "by waiting I mean ...": a definition
    if prev == "and" and not (c.comma_after(i - 1) or c.t.sentence_break[i - 1]):
        # "and I mean a lot", "and I mean that, ...", "and I mean really still": an
        # emphatic restatement; the filler is set off ("and, I mean, I liked her") or
        # starts a clause ("and I mean it wasn't easy")
        if nxt in SUBJECT_PRONOUNS or nxt == "there":
            return nxt2 in _CLAUSE_VERBS or _is_past(nxt2)  # "and I mean there has not been one"
        return nxt in ("it", "that", "this") and (nxt2 in _CLAUSE_VERBS or _is_past(nxt2))
    if c.comma_after(last) or c.at_end(last):
        return True
    if nxt in ("it", "that", "this"):
        # "I mean it was fine" / "I mean that was hard" (filler) vs "I mean it" / "I mean
        # that literally" (verb)
        return nxt2 in _CLAUSE_VERBS or _is_past(nxt2)
    return nxt not in _I_MEAN_NOT_NEXT


def _clause_initial(c: _Ctx, i: int, last: int) -> bool:
    """Sentence adverbs used as fillers: "Actually, ...", "so honestly we ..."; not inside
    a clause ("someone actually tested it", "it was actually the best")."""
    if c.boundary(i) or c.comma_after(last):
        return True
    prev = c.norm(i - 1)
    if prev in _CLAUSE_START_PREV:
        return True
    # run-on caption text: "... what didn't actually the vendor was helpful" -- an adverb
    # inside a clause is followed by a verb or adjective, not by a new subject
    nxt = c.norm(last + 1)
    if prev in BE_FORMS or prev in _LIKE_AFTER_VERB:
        return False
    return nxt in _NEW_SUBJECT


_INFINITIVE_HEAD = frozenset(
    {
        "want",
        "wants",
        "need",
        "needs",
        "have",
        "has",
        "had",
        "going",
        "try",
        "tries",
        "trying",
        "important",
        "hard",
        "easy",
        "able",
        "chose",
        "meant",
        "supposed",
        "learn",
        "learnt",
        "promised",
        "tried",
        "how",
        "wanted",
        "needed",
        "decided",
        "asked",
        "told",
        "best",
        "better",
        "just",
        "always",
        "never",
    }
)


def _to_be_honest(c: _Ctx, i: int, last: int) -> bool:
    """ "To be honest, ..." as a filler, not "I wanted to be honest with her"."""
    prev = c.norm(i - 1)
    if c.boundary(i) or c.comma_after(last) or prev in _CLAUSE_START_PREV:
        return True
    if prev in _INFINITIVE_HEAD or prev.endswith(("ed", "ing")) or prev in BE_FORMS:
        return False
    return c.norm(last + 1) in _NEW_SUBJECT


def _hedge_of(c: _Ctx, i: int, last: int) -> bool:
    """ "kind of" / "sort of" / "kinda" as a softener, not as a noun."""
    prev = c.norm(i - 1)
    if prev in _HEDGE_NOT_PREV:
        return False
    nxt = c.norm(last + 1)
    if prev not in ("that", "all", "right") and (c.boundary(i) or prev in _HEDGE_PREV):
        return True
    if _is_past(nxt) or nxt in _CLAUSE_VERBS:
        return True  # "that kind of worked"
    return nxt in ("just", "like", "really", "worked", "went", "got") or (
        len(nxt) > 5 and nxt.endswith(("ed", "ing", "ly")) and not nxt.endswith("thing")
    )


def _i_guess(c: _Ctx, i: int, last: int) -> bool:
    return c.norm(i - 1) not in _GUESS_NOT_PREV and c.norm(last + 1) not in _GUESS_NOT_NEXT


def _maybe(c: _Ctx, i: int, last: int) -> bool:
    if c.boundary(i) and c.t.after[last] and c.at_end(last) and i > 0:
        return False  # "Should we ship it? Maybe." -- an answer, not a softener
    return c.norm(i - 1) not in _MAYBE_NOT_PREV


def _always(c: _Ctx, i: int, last: int) -> bool:
    return True


RULES: dict[tuple[str, ...], Callable[[_Ctx, int, int], bool]] = {
    ("like",): _like,
    ("you", "know"): _you_know,
    ("i", "mean"): _i_mean,
    ("actually",): _clause_initial,
    ("honestly",): _clause_initial,
    ("seriously",): _clause_initial,
    ("frankly",): _clause_initial,
    ("obviously",): _clause_initial,
    ("anyway",): _clause_initial,
    ("kind", "of"): _hedge_of,
    ("sort", "of"): _hedge_of,
    ("i", "guess"): _i_guess,
    ("maybe",): _maybe,
    ("to", "be", "honest"): _to_be_honest,
}


# A filler phrase that runs on into a longer set phrase is one item.
EXTENSIONS: dict[tuple[str, ...], tuple[str, ...]] = {("you", "know"): ("what", "i", "mean")}

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
        filled_collapsed=frozenset(_collapse(w) for w in filled if _LETTERS.match(w)),
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
    if len(norm) >= 2 and _LETTERS.match(norm):
        col = _collapse(norm)
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
    ctx = _Ctx(tokens)
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
                rule = RULES.get(phrase, _always) if vocab.context else _always
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
            rule = RULES.get(phrase, _always) if vocab.context else _always
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
            if k == 1 and seq[j] in _LEGIT_DOUBLES:
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
            and seq[j] in _RESTART_HEAD
            and seq[j + 2] == seq[j]
            and seq[j + 1] in _RESTART_MID
            and idx[j + 1] == idx[j] + 1
            and seq[j + 3] != seq[j + 1]
            and (j == 0 or seq[j - 1] not in _RESTART_BLOCK_PREV)
            and not any(brk[idx[x]] for x in range(j + 1, j + 3))
        ):
            first, last = idx[j], idx[j + 1]
            yield Filler(" ".join(seq[j : j + 2]), REPETITION, words[first].start, words[last].end, first, last)
            next_ok = j + 2
