"""Word forms: the one normaliser of a word's text and the grammar word lists that STAR
segmentation, the filler rules and the content checks share.

:func:`word_form` reads everything the analysis needs from one word's text (as Whisper
gives it: leading space, punctuation attached) in one pass, cached by text since the same
words recur within and across answers: its comparable form, the punctuation after it,
and the comparable form that keeps a leading currency or percent sign (STAR's cue
patterns read "$5,000" as money; everything else compares "5,000").

Where two parts of the analysis need a list for different purposes, both lists are here,
each named for its purpose and with the reason they differ.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Protocol


class _Worded(Protocol):
    """Anything with a word's text (analysis.transcript.Word), without importing it."""

    @property
    def text(self) -> str: ...


# ---- the normaliser -------------------------------------------------------------------

_NORM_STRIP = re.compile(r"^[^\w']+|[^\w'%]+$")
# As _NORM_STRIP, but a leading "$" or "%" stays (a word that opens with one of them).
_EVIDENCE_STRIP = re.compile(r"^[^\w'$%]+|[^\w'%]+$")
_TRAILING = re.compile(r"[^\w'%$]+$")
_LEADING = re.compile(r"^[^\w'$]+")
_SENTENCE_END = frozenset(".?!")
_CLAUSE_END = frozenset(".?!,;:-\u2014\u2013")


# A word form is a plain tuple of these fields, read by index (a tuple subclass such as a
# NamedTuple would lose CPython's fast tuple indexing in the per-word loops):
NORM = 0
"""Comparable form: lower case, no surrounding punctuation or space ("So," -> "so")."""
AFTER = 1
"""Punctuation attached after the word ("," "." "?" ... or "")."""
OPENS_WITH_PUNCT = 2
"""Whether punctuation (other than quotes) comes before the word ("-so", "(and")."""
ENDS_SENTENCE = 3
"""Whether the punctuation after it holds . ? or !"""
ENDS_CLAUSE = 4
"""Whether the punctuation after it holds . ? ! , ; : or a dash."""
EVIDENCE = 5
"""As NORM, but a leading "$" or "%" is kept ("$5,000"): the form STAR's cue patterns
run on."""
TAIL = 6
"""The last character of the text before closing quotes and brackets ("." for
'done."'), "" for an empty text."""
WordForm = tuple[str, str, bool, bool, bool, str, str]
"""(norm, after, opens_with_punct, ends_sentence, ends_clause, evidence, tail)"""


_FORMS: dict[str, WordForm] = {}


def word_form(text: str) -> WordForm:
    """The word form of a word's text (a tuple of the fields above; cached)."""
    form = _FORMS.get(text)
    if form is None:
        t = text.strip()
        low = t.lower().replace("\u2019", "'")
        m = _TRAILING.search(t)
        after = m.group(0) if m else ""
        m = _LEADING.match(t)
        before = m.group(0).strip("'\"") if m else ""
        form = (
            _NORM_STRIP.sub("", low),
            after,
            bool(before),
            not _SENTENCE_END.isdisjoint(after),
            not _CLAUSE_END.isdisjoint(after),
            _EVIDENCE_STRIP.sub("", low),
            text.rstrip().rstrip("\"')]")[-1:],
        )
        if len(_FORMS) >= 200_000:
            _FORMS.clear()
        _FORMS[text] = form
    return form


def normalize(text: str) -> str:
    """A word's comparable form: lower case, no surrounding punctuation or space.

    >>> normalize(" So,")
    'so'
    >>> normalize("I'd")
    "i'd"
    """
    return (_FORMS.get(text) or word_form(text))[NORM]


def word_forms(words: Iterable[_Worded]) -> list[WordForm]:
    """:func:`word_form` of each word's ``text`` (transcript words), in order: one dict
    look-up a word once cached."""
    get = _FORMS.get
    return [get(w.text) or word_form(w.text) for w in words]


# ---- grammar word lists ----------------------------------------------------------------

SUBJECT_PRONOUNS = frozenset({"i", "you", "we", "they", "he", "she"})
BE_FORMS = frozenset(
    {
        "be",
        "is",
        "was",
        "were",
        "are",
        "am",
        "been",
        "being",
        "'s",
        "'m",
        "'re",
        "it's",
        "that's",
        "i'm",
        "he's",
        "she's",
        "we're",
        "they're",
        "you're",
        "there's",
        "what's",
        "who's",
        "isn't",
        "wasn't",
        "weren't",
        "aren't",
    }
)
CONJUNCTIONS = frozenset(
    {"and", "but", "so", "or", "because", "cause", "'cause", "then", "well", "yeah", "okay", "ok", "plus"}
)
DETERMINERS = frozenset(
    {
        "the",
        "a",
        "an",
        "this",
        "that",
        "these",
        "those",
        "what",
        "which",
        "whatever",
        "some",
        "any",
        "every",
        "each",
        "no",
        "other",
        "another",
        "same",
        "one",
        "my",
        "your",
        "his",
        "her",
        "our",
        "their",
        "its",
        "all",
        "certain",
        "particular",
        "different",
        "right",
        "wrong",
        "new",
        "good",
        "bad",
        "best",
        "worst",
        "whole",
        "similar",
        "only",
        "first",
        "last",
        "weird",
        "strange",
        "specific",
        "main",
    }
)
# Words after which STAR's clause openers ("first", "then", "so", "in the next ...") are
# part of the phrase ("the first", "and then", "was so"): the articles and possessives
# and the function words around them. Not DETERMINERS | these: with "first", "right",
# "what", "which"... in it the corpus scores stay, but 131 of 3,630 test segmentations
# (1,210 answers with and without markers, the learned model and fillers) get other unit
# cuts or confidences.
PHRASE_BEFORE_OPENER = frozenset(
    "a an the my our his her their your its this that these those and but so even not "
    "very the at in on of for to be was were is are from since until till by with "
    "about into onto over under than as".split()
)

MODALS = frozenset("could would can will might may should".split())
"""The modal verbs: STAR's opener test reads "so we could ..." as a purpose clause, not
a clause opened by "so"."""
MODALS_AND_TO = MODALS | {"to", "must"}
"""Modals and "to": after them "like" is the verb ("would like the release", "to like
it") unless a bare verb follows ("would like pull every record": the filler)."""
MODAL_FORMS = MODALS_AND_TO | frozenset(
    "wouldn't won't couldn't can't i'll we'll they'll it'll he'll she'll you'll".split()
)
"""Modals and "to" with their negated and contracted forms: the filler rule for "like"
before a base verb ("the system would like crash", "it'll like break"). STAR keeps the
short list: with "to" in it, "so we had to ..." would stop opening a clause."""

# Irregular past tenses of verbs that narrate actions (not states: was, had, knew...),
# with a few phrasal and regular ones the action cue also reads: STAR's evidence that a
# clause tells what the speaker did ("I went", "we took over"). A regex alternation.
ACTION_PAST = (
    "went|made|took|sat|spoke|met|wrote|built|ran|got|gave|told|brought|set|put|found|began|"
    "drove|sent|kept|led|bought|paid|chose|drew|flew|fought|hid|held|left|lent|let|lit|"
    "rang|rode|rose|said|saw|sold|shot|shut|sang|sought|spent|split|stood|stuck|swept|"
    "taught|threw|understood|undertook|woke|won|wound|broke|caught|dug|fed|forgave|froze|"
    "grabbed|heard|laid|mapped|overhauled|rebuilt|redid|rewrote|reran|sped|spun|took over|"
    "came up|came back|came in|stepped|pulled|pushed|cut|did"
)
ACTION_PAST_SET = frozenset(ACTION_PAST.split("|"))
# Irregular past tenses of any verb, states included: the filler rules' "a past-tense
# verb follows" test ("I like basically stole", "we like just froze"). It holds the
# states the action list leaves out on purpose (was, had, knew, felt...). The two stay
# apart: the union moves both the STAR and the filler corpus scores (STAR's "a verb
# before 'my' takes it as object" test, ACTION_PAST_SET, also keeps its own list).
IRREGULAR_PAST = frozenset(
    """
    was were went had got did made took said told thought knew felt saw came gave found
    left ran wrote stole kept sent spent built brought bought began became put set sat
    stood lost won met paid heard held meant led forgot froze broke chose drove flew fell
    grew hid hit hurt let lay quit rode rang rose shook shot shut sang sank slept slid
    spoke stuck swore swam taught tore threw understood woke wore spun dug fought
    """.split()
)
