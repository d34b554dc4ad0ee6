"""The fillers' word lists and the Filler record: which words can be fillers, and the
contexts the rules (analysis.fillers.rules) read them in."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from analysis.wordforms import BE_FORMS, CONJUNCTIONS, DETERMINERS, SUBJECT_PRONOUNS

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


def words(text: str) -> frozenset[str]:
    """A word list written as comma-separated text (one set, easy to read and diff)."""
    return frozenset(w.strip() for w in text.split(",") if w.strip())


# ---- context helpers --------------------------------------------------------------------

_ELONGATED = re.compile(r"(.)\1+")
LETTERS = re.compile(r"^[a-z]+$")


def collapse(s: str) -> str:
    return _ELONGATED.sub(r"\1", s)


# Spoken contractions of listed phrases, matched as that phrase.
ALIASES = {
    "kinda": ("kind", "of"),
    "sorta": ("sort", "of"),
    "y'know": ("you", "know"),
    "ya'know": ("you", "know"),
}

PAST_ADVERBS = words(
    """
    just, totally, really, basically, literally, actually, completely, never, always, kind, sort,
    suddenly, almost, nearly, only, also
    """
)
# Words after which "like" is a verb.
LIKE_VERB_PREV = words(
    """
    i'd, you'd, we'd, they'd, he'd, she'd, would, wouldn't, to, don't, didn't, doesn't, do, does, did,
    not, never, also, really, still, always, might, may, will, i'll, we'll, you'll, they'll, he'll,
    she'll, can, could, should, must, usually, generally, genuinely, truly, personally, especially,
    actually, definitely, probably, who, people, kids, customers, users, students, clients, dont, didnt,
    doesnt, wouldnt, id, shall, often, mostly, rather
    """
)
# Words after which "like" compares or gives examples (a preposition).
LIKE_PREP_PREV = words(
    """
    feel, feels, felt, feeling, look, looks, looked, looking, seem, seems, seemed, sound, sounds, sounded,
    smell, smells, smelled, taste, tastes, tasted, act, acts, acted, acting, behave, behaved, something,
    anything, nothing, everything, someone, somebody, anyone, anybody, nobody, just, much, more, less,
    exactly, very, quite, lot, things, stuff, treat, treated, treating, dress, dressed, kind, sort, bit,
    little, almost, most, unlike, places, companies, teams, tools, ones, issues, problems, words, terms
    """
)
# Words before "like" after which only the filler fits ("this like feeling", "our like
# biggest month"; "that" is left out: "do it that like you mean it" is not a filler but
# "that like" is rare either way).
LIKE_DET_PREV = frozenset({"a", "an", "the", "this", "our", "my", "his", "her", "their", "your", "its"})
# Sentence adverbs and clause-taking verbs right before "like": "honestly like nobody had
# checked", "I figured like we could ship it anyway".
LIKE_ADVERB_PREV = frozenset({"honestly", "literally", "basically", "seriously", "obviously", "frankly", "already"})
LIKE_CLAUSE_VERB_PREV = frozenset(
    {"figured", "thought", "realised", "realized", "decided", "guessed", "reckoned", "knew", "learned", "learnt"}
)
# Words after "like" that make it a comparison/preposition, not a filler.
LIKE_OBJECT_NEXT = words(
    """
    this, that, these, those, it, them, him, her, me, us, what, when, how, something, nothing, anything,
    someone, somebody, being, having, a, an, many, most, any, my, your, his, our, their, its, other,
    others, crazy, clockwork, magic, before, usual, new, family
    """
)
LIKE_FILLER_NEXT = words(
    """
    um, uh, umm, uhh, er, erm, ah, basically, literally, actually, honestly, totally, really, super, so,
    very, pretty, completely, way, almost, maybe, probably, kind, sort, seriously, obviously, definitely,
    barely, just, nearly, around, about, roughly, half, by, at, oh, no, yeah, okay, whatever, never, not,
    every, everyone, loads, straight, overnight, within, once, ever, even, always
    """
)
# Words ending in -ly that are not adverbs ("like family", "like early days").
LY_NOT_ADVERB = words(
    """
    family, supply, reply, apply, july, italy, assembly, rally, belly, jelly, bully, holy, ugly, silly,
    lovely, friendly, lonely, elderly, early, daily, weekly, monthly, yearly, only, likely, costly,
    deadly, lively, ally, fly, anomaly, monopoly, lily, emily, molly, kelly, holly, sally, polly, jolly,
    curly, smelly
    """
)
# Degree words and intensifying adjectives after "be like a": "it was like a really big deal",
# "the backlog was like a total mess" (the filler hedges an exaggeration; a comparison names
# the thing compared: "it was like a second house")
# "like a second" is a time ("like a second later") unless a noun follows ("like a second home").
AFTER_A_SECOND = frozenset({"later", "ago", "and", "or", "but", "so", "before", "after", "then", "of", "i", "we"})
DEGREE_AFTER_A = words(
    """
    really, very, pretty, super, totally, completely, little, total, complete, absolute, proper, huge,
    massive, terrible, awful, real, nightmare
    """
)
APPROX_AFTER_A = words(
    """
    hundred, thousand, million, dozen, couple, few, half, third, quarter, tenth, fifth, lot, bunch, week,
    month, year, day, hour, minute, second
    """
)
# After "I like ...", words that cannot start the object of the verb "like".
FINITE_NEXT = words(
    """
    can, could, would, will, should, didn't, don't, can't, couldn't, wasn't, weren't, won't, wouldn't,
    have, has, need, think, know, literally, basically, totally, honestly, actually, um, uh, never,
    almost, completely, kind, sort, i, we, just
    """
)
EXTREME = frozenset(
    {"only", "best", "worst", "most", "least", "first", "last", "whole", "entire", "biggest", "main", "one", "same"}
)
NOT_SUPERLATIVE = words(
    """
    interest, request, contest, forest, honest, harvest, protest, manifest, modest, conquest, earnest
    """
)
PREPOSITIONS = frozenset(
    {"of", "for", "in", "on", "at", "with", "about", "from", "into", "onto", "after", "before", "during", "within"}
)
# Base verbs that are also common nouns ("I'd like help", "we'd like a change").
VERB_OR_NOUN = words(
    """
    help, work, change, call, check, look, deal, talk, push, move, show, set, put, start, stop, finish,
    fix, build, try, fall, break, hang, run
    """
)
BASE_VERBS = words(
    """
    crash, break, freeze, fail, die, quit, explode, happen, fall, hang, get, go, make, do, take, figure,
    find, try, see, be, start, stop, keep, think, rethink, change, fix, build, work, talk, ask, tell,
    call, write, push, move, put, set, show, help, learn, redo, rebuild, explain, convince, prove,
    understand, deal, handle, manage, finish, check, look
    """
)
# More verbs that take an object ("I drew like a box", "we added like a column"); before
# "like" + a noun phrase only the filler fits, unless the verb is passive ("was used like a
# hammer"). Verbs that also go without an object ("worked like a charm", "ran like", "read
# like a novel", "dropped like a stone") are left out.
LIKE_TRANSITIVE = words(
    """
    add, added, booked, bring, brought, changed, checked, cleaned, collect, collected, create,
    created, deliver, delivered, drew, explain, explained, filled, finish, finished, give,
    gave, kept, loaded, offered, ordered, organise, organised, organize, organized, packed,
    planned, posted, prepare, prepared, printed, put, remove, removed, replace, replaced,
    reported, rewrote, scheduled, shared, signed, sorted, swapped, tracked, updated, pitched,
    proposed, suggested, suggest, propose, organising, adding, creating, preparing, ordering
    """
)
LIKE_AFTER_VERB = words(
    """
    had, have, has, got, get, gets, getting, spent, spend, took, take, takes, made, make, build, built,
    need, needed, want, wanted, saw, see, sent, send, wrote, write, found, find, lost, lose, gained,
    raised, tried, try, ran, run, did, waited, wait, paid, pay, bought, sold, hired, fixed, called, asked,
    answered, handled, closed, opened, earned, saved, missed, cost, costs, lasted, doing, having, making,
    taking, start, started, starting, stopped, designed
    """
)
# "Verb + object pronoun + like": after a verb that takes two objects, "like" starts the
# second one ("I showed him like the three buttons", "giving me like more responsibility");
# "treating her like a child" (one object, then a comparison) stays.
LIKE_TWO_OBJECT_VERB = words(
    """
    show, showed, shown, showing, give, gave, given, giving, send, sent, sending, tell, told, telling,
    offer, offered, bring, brought, hand, handed, teach, taught, email, emailed, text, texted
    """
)
OBJECT_PRONOUNS = frozenset({"me", "him", "her", "them", "us"})
# Sentence adverbs after "and I mean" (caption text): "and I mean honestly they were fine",
# not the emphatic "and I mean really still", "and I mean actually angry".
SENTENCE_ADVERBS = words(
    """
    honestly, normally, obviously, basically, usually, luckily, thankfully, frankly, technically,
    realistically, hopefully, apparently
    """
)
LIKE_VERB_OBJECT = words(
    """
    this, that, these, those, it, them, him, her, me, us, you, crazy, clockwork, magic, usual, before,
    mad, hell, family, friends, new, what, how
    """
)
SAY_VERBS = frozenset(
    {"said", "say", "mentioned", "mention", "told", "explained", "noted", "wrote", "guess", "guessed"}
)

YOU_KNOW_NOT_PREV = words(
    """
    do, did, does, don't, didn't, doesn't, dont, didnt, if, as, let, would, will, might, may, could, can,
    should, what, whatever, how, whether, when, all, everything, than, make, help, before, once, until,
    unless, where, who, would've, i'll, we'll, you'll, thank, want, wanted, need, needed, tell, told,
    show, showed, to, people, someone, somebody, everyone, everybody, anyone, anybody, person, thing,
    things, stuff, guy, guys, ones, one
    """
)
YOU_KNOW_OBJECT_NEXT = words(
    """
    the, a, an, that, what, how, where, why, who, whom, when, whether, if, about, it, this, these, those,
    him, her, them, me, us, my, your, his, their, our, its, everyone, everything, everybody, anyone,
    anything, someone, something, nothing, exactly, more, much, better, enough, all, any, some, many,
    most, each, which, whose, both, best, less, little, too
    """
)
# After a content word in text without commas, "you know" before a noun phrase is the
# filler ("the hard calls too you know the angry ones"); before "what/how/when ..." it is
# the verb ("you know how it is", "you know what people are like").
YOU_KNOW_MID_NEXT = words(
    """
    the, a, an, some, all, nothing, my, his, her, their, our, its, each, both, any, many, most
    """
)
I_MEAN_NOT_PREV = words(
    """
    what, that, do, did, does, don't, didn't, if, whatever, really, how, all, truly, genuinely
    """
)
THAT_CLAUSE_START = frozenset({"it", "it's", "i'm", "we're", "they're", "you're", "he's", "she's", "there's", "there"})
# ("which, I mean, hurt": after "which" it is the filler -- "the one which I mean" is rare.)
I_MEAN_NOT_NEXT = frozenset({"it", "what", "to", "him", "her", "them", "business", "well", "no", "every", "exactly"})
CLAUSE_VERBS = BE_FORMS | words(
    """
    had, would, did, could, will, can, didn't, doesn't, wasn't, won't, couldn't, has, does, just, really,
    worked, went
    """
)
NEW_SUBJECT = words(
    """
    i, we, they, he, she, you, there, the, my, our, their, his, her, i'm, we're, they're, it's, there's,
    that's
    """
)
CLAUSE_START_PREV = CONJUNCTIONS | {
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
HEDGE_PREV = (
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
HEDGE_NOT_PREV = DETERMINERS - {"that", "all", "right"}
GUESS_NOT_PREV = words(
    """
    if, would, could, can, can't, couldn't, to, let, me, will, i'll, didn't, did, do, don't, never, you,
    could've
    """
)
GUESS_NOT_NEXT = frozenset({"right", "correctly", "wrong", "wrongly", "again"})
MAYBE_NOT_PREV = frozenset({"a", "the", "said", "says", "say", "with", "big", "definite"})

# Words that may be said twice on purpose ("that that", "had had", "very very").
LEGIT_DOUBLES = words(
    """
    that, had, is, very, really, so, no, yeah, yes, bye, ha, many, much, more, far, long, over, again,
    round, on, knock, do, blah, well, okay, ok, step, by, out, away, through, little, tick, please, go,
    come, hey, hi, oh, wow
    """
)
RESTART_HEAD = SUBJECT_PRONOUNS | {"it", "the", "my", "our", "this", "there", "they"}
RESTART_MID = words(
    """
    was, were, am, 'm, i'm, had, have, has, would, will, could, can, should, did, do, is, are, just, went,
    got, wanted, tried, need, needed, started
    """
)
# ("said", "thought", "decided", "knew"... take a clause without "that": "I said I would"
# is fluent, so they are not in RESTART_MID.)
RESTART_BLOCK_PREV = frozenset({"what", "which", "that", "how", "where", "when", "who", "why", "whatever", "as", "if"})

# Quotative "be like" (a reporting verb: "she was like, no way", "he was like are you
# sure"): a person's remark or thought follows. Not a filler.
QUOTE_OPENERS = words(
    """
    oh, okay, ok, right, hey, wow, whoa, yeah, yes, yep, nope, well, sorry, wait, hang, guys,
    come, seriously, cool, fine, thanks, thank, please, listen, ugh, hmm, ah, aha, ooh,
    what, why, how, where, who, are, can, could, do, did, does, is, would, will, should,
    have, let's, don't, stop, send, tell, give, go, whatever, excuse, alright, sure
    """
)
QUOTE_PERSONS = frozenset({"i", "we", "you", "i'm", "we're", "you're", "i've", "we've", "i'll", "we'll"})
"""A quoted remark in the first or second person ("he was like we do not have two days")."""
QUOTE_VERBS = words(
    "am, are, was, were, do, don't, did, didn't, have, had, can, can't, cannot, need, want, will, would"
)
"""Verbs a quoted remark's subject may take that a described clause rarely does."""
QUOTE_SPEAKERS = words(
    """
    i, he, she, they, we, you, everyone, everybody, people, someone, somebody, guy, guys, man,
    woman, lady, boy, girl, kid, kids, manager, boss, lead, customer, customers, client,
    clients, others, team, teacher, supervisor, mum, dad, mom, nurse, doctor, patient, parents,
    colleague, colleagues, friend, friends, driver, chef, owner, coordinator, director, staff,
    one, other
    """
)
"""Who a quoted remark comes from ("the guy was like, oh"); "the problem was like we never
..." describes instead."""
QUOTE_NOT_SPEAKER = words(
    """
    problem, issue, thing, idea, plan, point, reason, question, result, answer, target, time,
    complaint, rule, process, system, goal, day, week, month, year, place, room, queue,
    backlog, situation, job, work, deadline, project, shift, data, number, rate, cost, feeling,
    mood, atmosphere, vibe, weather, traffic, email, message, report, response, reaction
    """
)
"""Nouns after "the/a/one" that describe rather than speak ("the queue was like a wall")."""
# -ing words that are nouns: "just like meeting" could compare with one ("just like a meeting").
ING_NOUNS = words(
    """
    something, nothing, anything, everything, morning, evening, building, meeting, ceiling, during,
    wedding, spring, string, clothing, training, feeling, ending, beginning, setting, thing, things,
    briefing, funding, housing, parking, booking, bookings, listing, ceiling, recording, painting
    """
)
