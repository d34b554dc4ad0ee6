"""Number and content word lists, and the per-word view of a transcript that the analysis
modules share (the grammar word lists and the normaliser are in analysis.wordforms).

:class:`Tokens` is computed once per analysis: each word's normalised form, the
punctuation attached after it, and whether a clause boundary comes before it (from
punctuation when the transcript has any, from pauses when it is caption-style text).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from analysis.transcript import Transcript
from analysis.wordforms import word_forms

# A gap this long before a word marks a likely clause boundary, even without punctuation.
BOUNDARY_GAP_S = 0.3

_UNITS_ONES = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
NUMBER_WORDS = frozenset(_UNITS_ONES) | {
    "hundred",
    "thousand",
    "million",
    "billion",
    "dozen",
    "dozens",
    "half",
    "double",
    "doubled",
    "triple",
    "tripled",
    "quadrupled",
    "twice",
    "thrice",
    "percent",
    "quarter",
    "hundreds",
    "thousands",
    "millions",
}
# "one" and "a" are too common as pronoun/article to be a figure on their own.
WEAK_NUMBER_WORDS = frozenset({"one", "quarter", "half", "double", "triple"})
_DIGITS = re.compile(r"^[$£€]?\d[\d,.]*(%|k|m|x|s|st|nd|rd|th|ms|pm|am)?$")

QUANTITY_UNITS = frozenset(
    {
        "percent",
        "%",
        "per",
        "cent",
        "points",
        "point",
        "seconds",
        "second",
        "minutes",
        "minute",
        "hours",
        "hour",
        "days",
        "day",
        "weeks",
        "week",
        "months",
        "month",
        "years",
        "year",
        "quarters",
        "milliseconds",
        "ms",
        "times",
        "dollars",
        "dollar",
        "pounds",
        "pound",
        "euros",
        "euro",
        "bucks",
        "grand",
        "k",
        "users",
        "customers",
        "clients",
        "people",
        "tickets",
        "bugs",
        "sales",
        "orders",
        "hires",
        "students",
        "members",
        "calls",
        "sprints",
        "releases",
        "hundred",
        "thousand",
        "million",
        "billion",
        "x",
        "fold",
    }
)

STOP_WORDS = frozenset(
    """
    a about above after again against all also am an and any are aren't as at be because
    been before being below between both but by can can't cannot could couldn't did didn't
    do does doesn't doing don't down during each few for from further get got had hadn't
    has hasn't have haven't having he he'd he'll he's her here here's hers herself him
    himself his how how's i i'd i'll i'm i've if in into is isn't it it's its itself just
    let's like me more most mustn't my myself no nor not now of off on once only or other
    ought our ours ourselves out over own really same shan't she she'd she'll she's should
    shouldn't so some such than that that's the their theirs them themselves then there
    there's these they they'd they'll they're they've this those through to too under
    until up very was wasn't we we'd we'll we're we've were weren't what what's when
    when's where where's which while who who's whom why why's will with won't would
    wouldn't you you'd you'll you're you've your yours yourself yourselves um uh er erm ah
    hmm mm mhm yeah okay ok well actually basically literally honestly maybe kind sort
    guess mean know thing things lot lots one two went go going gone said say says make
    made take took able back even still every much many way need needed want wanted
    """.split()
)


def is_number(norm: str) -> bool:
    """A figure: digits (3, 20%, $5,000, 2x) or a spelled-out number word."""
    return norm in NUMBER_WORDS or bool(_DIGITS.match(norm))


def is_strong_number(norm: str) -> bool:
    return (norm in NUMBER_WORDS and norm not in WEAK_NUMBER_WORDS) or bool(_DIGITS.match(norm))


_OPEN_QUOTES = frozenset('"\u201c\u2018')


@dataclass(frozen=True)
class Tokens:
    """Per-word facts for one transcript (computed once, shared by the checks)."""

    norms: tuple[str, ...]
    after: tuple[str, ...]
    """Punctuation attached after each word ("," "." "?" ... or "")."""
    boundary: tuple[bool, ...]
    """True when a clause boundary comes just before the word: the first word, a word
    after , ; : . ? ! or a dash, or after a gap of BOUNDARY_GAP_S or more."""
    sentence_break: tuple[bool, ...]
    """True when the word before ends a sentence (. ? !)."""
    punctuated: bool = False
    """Whether the transcript is punctuated at all (Whisper style) rather than caption
    text: then a missing comma means something."""
    opens_quote: tuple[bool, ...] = ()
    """True when the word opens a quotation (its text starts with a quote mark)."""

    @classmethod
    def of(cls, transcript: Transcript) -> Tokens:
        words = transcript.words
        infos = word_forms(words)  # (norm, after, opens with punctuation, ends a sentence, ends a clause, ...)
        norms = tuple([i[0] for i in infos])
        after = tuple([i[1] for i in infos])
        gap = BOUNDARY_GAP_S
        boundary = [True] + [
            p[4] or c[2] or (w.start - v.end) >= gap
            for p, c, v, w in zip(infos, infos[1:], words, words[1:], strict=False)
        ]
        sentence_break = [True] + [p[3] for p in infos[:-1]]
        if not words:
            boundary, sentence_break = [], []
        marks = sum(1 for i in infos if i[4])
        punctuated = marks >= 2 and marks >= 0.02 * len(infos)
        if any(q in w.text for w in words for q in _OPEN_QUOTES):
            quotes = tuple(w.text.lstrip()[:1] in _OPEN_QUOTES for w in words)
        else:
            quotes = (False,) * len(words)
        return cls(norms, after, tuple(boundary), tuple(sentence_break), punctuated, quotes)
