"""The context rules: whether a use of "like", "you know", "I mean", a hedge or a
clause-initial adverb is a filler, decided from the words around it."""

from __future__ import annotations

from collections.abc import Callable

from analysis.fillers.words import (
    AFTER_A_SECOND,
    APPROX_AFTER_A,
    BASE_VERBS,
    CLAUSE_START_PREV,
    CLAUSE_VERBS,
    DEGREE_AFTER_A,
    EXTREME,
    FINITE_NEXT,
    GUESS_NOT_NEXT,
    GUESS_NOT_PREV,
    HEDGE_NOT_PREV,
    HEDGE_PREV,
    I_MEAN_NOT_NEXT,
    I_MEAN_NOT_PREV,
    ING_NOUNS,
    LIKE_ADVERB_PREV,
    LIKE_AFTER_VERB,
    LIKE_CLAUSE_VERB_PREV,
    LIKE_DET_PREV,
    LIKE_FILLER_NEXT,
    LIKE_OBJECT_NEXT,
    LIKE_PREP_PREV,
    LIKE_TRANSITIVE,
    LIKE_TWO_OBJECT_VERB,
    LIKE_VERB_OBJECT,
    LIKE_VERB_PREV,
    LY_NOT_ADVERB,
    MAYBE_NOT_PREV,
    NEW_SUBJECT,
    NOT_SUPERLATIVE,
    OBJECT_PRONOUNS,
    PAST_ADVERBS,
    PREPOSITIONS,
    QUOTE_NOT_SPEAKER,
    QUOTE_OPENERS,
    QUOTE_PERSONS,
    QUOTE_SPEAKERS,
    QUOTE_VERBS,
    SAY_VERBS,
    SENTENCE_ADVERBS,
    THAT_CLAUSE_START,
    VERB_OR_NOUN,
    YOU_KNOW_MID_NEXT,
    YOU_KNOW_NOT_PREV,
    YOU_KNOW_OBJECT_NEXT,
    words,
)
from analysis.lexicon import Tokens, is_number
from analysis.wordforms import (
    BE_FORMS,
    CONJUNCTIONS,
    DETERMINERS,
    IRREGULAR_PAST,
    MODAL_FORMS,
    MODALS_AND_TO,
    SUBJECT_PRONOUNS,
)


class Ctx:
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

    def opens_quote(self, i: int) -> bool:
        q = self.t.opens_quote
        return 0 <= i < len(q) and q[i]

    def at_end(self, i: int) -> bool:
        return i >= self.n - 1 or any(c in self.t.after[i] for c in ".?!")


def _is_past(word: str) -> bool:
    return word in IRREGULAR_PAST or (len(word) > 4 and word.endswith("ed"))


# Each rule gets (ctx, first, last) for a phrase match spanning words first..last and
# returns True when it is a filler there.


_QUOTE_NOT_AFTER_COMMA = frozenset(
    {"so", "really", "very", "totally", "super", "kind", "sort", "a", "an", "the", "just", "completely", "such"}
)
"""After "she was like," these describe ("I was like, so tired", "like, a total mess")."""
_QUOTE_PRESENT_OPENERS = frozenset({"that's", "it's", "there's", "nobody's", "this's", "what's", "who's"})
_QUOTE_THIRD = frozenset({"this", "that", "it", "she", "he", "they", "nobody", "everyone", "everything"})


def _quotative(c: Ctx, i: int) -> bool:
    """ "she was like, no way", "he was like are you sure", "I'm like we need to stop":
    "be like" introducing a quoted remark or thought (a reporting verb, not a filler);
    "it was like a mess", "there was like no plan" describe instead."""
    prev, nxt, nxt2 = c.norm(i - 1), c.norm(i + 1), c.norm(i + 2)
    if prev in _SUBJECT_BE:
        subject = prev
    elif prev in BE_FORMS and prev not in ("be", "been", "being"):
        subject = c.norm(i - 2)
    else:
        return False
    named = c.norm(i - 3) in ("the", "a", "one", "my", "our", "this", "that", "his", "her", "their")
    one_of = subject in ("them", "us", "those") and c.norm(i - 3) == "of"  # "one of them was like"
    if not (
        subject in QUOTE_SPEAKERS
        or subject in _SUBJECT_BE
        or one_of
        or (named and subject not in QUOTE_NOT_SPEAKER and subject not in BE_FORMS)
    ):
        return False  # "the problem was like we never had everyone online"
    if c.opens_quote(i + 1):
        return True  # 'she was like, "That can't be right"'
    if (
        c.comma_after(i)
        and not c.comma_after(i - 1)
        and nxt
        and nxt not in _QUOTE_NOT_AFTER_COMMA
        and not nxt.endswith("ly")
    ):
        # "she was like, nobody's going to follow this" (not "I was like, so tired", nor
        # the parenthetical "he was, like, quite drunk")
        return True
    person = subject in QUOTE_SPEAKERS or subject in _SUBJECT_BE or one_of or prev in ("was", "were")
    if person and (nxt in _QUOTE_PRESENT_OPENERS or (nxt in _QUOTE_THIRD and nxt2 in ("is", "are", "am"))):
        # a remark in the present after "was like": "he was like this is exactly what we
        # wanted", "she was like that's an edge case", "the other was like she is so dramatic"
        # (a person, or the tense shifts: "the hub is like it's basically a shed" describes)
        return True
    if nxt == "no":
        # "she was like, no way" / "was like no no no" -- not "was like no help at all"
        return (
            c.comma_after(i)
            or c.comma_after(i + 1)
            or nxt2 in ("way", "no", "that's", "it's", "i", "we", "you", "that", "this", "not", "thanks")
            or c.at_end(i + 1)
        )
    if nxt in QUOTE_OPENERS:
        return nxt not in ("what", "how") or c.comma_after(i) or nxt2 in ("the", "is", "are", "do", "did", "if")
    if nxt == "good" and nxt2 in ("catch", "spot", "job", "work", "call", "idea", "luck"):
        return True  # "he was like good spot"
    if nxt == "just" and nxt2 in ("do", "go", "leave", "give", "tell", "send", "wait", "stop", "try", "start", "ask"):
        return True  # "they were like just leave it"
    if nxt == "so" and nxt2 in QUOTE_PERSONS:
        return True  # "he was like so I am not paying" (not "she was like so tired")
    if nxt not in QUOTE_PERSONS:
        return False
    # the quoted clause's verb, past an adverb ("you never called us back")
    verb = c.norm(i + 3) if nxt2 in ("never", "always", "just", "really", "actually") else nxt2
    return verb not in SAY_VERBS and (verb in QUOTE_VERBS or _finite(verb))


_LIKE_FILLER_AFTER = frozenset({"like", "as", "than", "without"})
"""Words after which "like" can only be the filler: doubled, or after a word that itself
compares or takes a noun phrase ("as like the example", "rather than like arguing")."""
_THAT_CLAUSE_VERBS = LIKE_CLAUSE_VERB_PREV | words(
    "learned, learnt, noticed, found, said, told, think, guess, hoped, felt, mean, meant, realise, realize"
)
_PARTICLE_OBJECT_VERBS = words(
    """
    set, sent, typed, put, wrote, printed, made, turned, figured, found, sorted, handed, gave, pulled,
    brought, drew, picked, filled, wrote, read, laid, rolled, sent, ran, worked, carried, sets, setting
    """
)
"""Verbs that take an object after the particle: "set up like a huddle" (the object), not
"lined the cups up like a production line" (a comparison after the object)."""
_PARTICLE_OBJECT_NEXT = frozenset({"a", "an", "the", "some", "he", "she", "they", "it", "we", "i", "this"})


_AS_IF_SUBJECT = frozenset({"it", "he", "she", "they", "we", "i", "you", "nothing", "nobody", "someone"})


def _as_if(c: Ctx, i: int) -> bool:
    """ "they looked at it like it was a joke", "opened at nine like nothing had happened":
    after a verb phrase, "like" + a past clause that pictures something (a noun phrase after
    "was", a participle, "had" + participle) means "as if" -- not after "and/so/but" or
    at a clause start, where the filler goes ("and like it was a mess")."""
    prev = c.norm(i - 1)
    if c.boundary(i) or prev in CONJUNCTIONS or prev in ("so", "but", "because", "which", "honestly"):
        return False
    subj, verb, after = c.norm(i + 1), c.norm(i + 2), c.norm(i + 3)
    if subj not in _AS_IF_SUBJECT or c.comma_after(i + 1):
        return False
    if verb == "had" and _is_past(after):
        return subj in ("nothing", "nobody", "someone")  # not "like she had been there two years"
    if verb in ("was", "were"):
        if after in ("a", "an"):
            return c.norm(i + 4) not in ("bit", "little", "lot") and c.norm(i + 4) not in DEGREE_AFTER_A
        return _participle(after) and after not in ("had", "did")
    return False


def _participle(w: str) -> bool:
    return _is_past(w) or (
        len(w) > 4 and w.endswith("en") and w not in ("often", "kitchen", "garden", "seven", "eleven")
    )


def _subject_verb(c: Ctx, j: int) -> bool:
    """A subject pronoun at j and a verb (past adverbs) after it: "I still check", "we had"."""
    verb = c.norm(j + 1)
    if verb in ("still", "never", "always", "just", "really", "actually", "also"):
        verb = c.norm(j + 2)
    return c.norm(j) in SUBJECT_PRONOUNS and not c.comma_after(j) and (verb in CLAUSE_VERBS or _finite(verb))


_WANTED = frozenset({"better", "somebody", "someone", "everyone", "everybody", "anyone", "people", "all", "each"})


def _wants_object(c: Ctx, i: int) -> bool:
    """ "I would like somebody to help", "he would like better shifts": the verb "would like"
    with an object (not "the report would like pull every record")."""
    return c.norm(i + 1) in _WANTED or "to" in (c.norm(i + 2), c.norm(i + 3))


def _compares_before(w: str) -> bool:
    """ "it's just like", "looks a lot like": a form of be or a verb of seeming, before
    which "like" compares."""
    return w in BE_FORMS or w.endswith("'s") or w in LIKE_PREP_PREV


def _like(c: Ctx, i: int, last: int) -> bool:
    prev, nxt, nxt2 = c.norm(i - 1), c.norm(i + 1), c.norm(i + 2)
    if _quotative(c, i):
        return False
    approx = (
        is_number(nxt)
        or (
            nxt in ("a", "an")
            and (nxt2 in APPROX_AFTER_A or is_number(nxt2))
            and not (nxt2 == "second" and not c.at_end(i + 2) and c.norm(i + 3) not in AFTER_A_SECOND)
        )
        or nxt in ("forever", "ages")
    )
    if (prev in BE_FORMS or prev.endswith("'s")) and "what" in (c.norm(i - 2), c.norm(i - 3), c.norm(i - 4)):
        return False  # "you know what people are like", "what it's like, uh, ..."
    set_off = c.boundary(i) and (c.comma_after(i) or c.at_end(i))
    if set_off and i > 0:
        return True  # ", like," — a parenthetical
    if prev in _LIKE_FILLER_AFTER:
        return True  # "like, like", "as like the example", "more than like arguing", "without like making"
    prev2 = c.norm(i - 2)
    if prev == "that" and (prev2 in _THAT_CLAUSE_VERBS or prev2 in ("is", "was")):
        return True  # "I learned that like people mostly want ...", "the thing is that like ..."
    if prev in ("up", "out") and prev2 in _PARTICLE_OBJECT_VERBS and nxt in _PARTICLE_OBJECT_NEXT:
        return True  # "I set up like a short huddle", "it turned out like he was working two jobs"
    object_next = nxt in ("a", "an", "the", "some") or is_number(nxt)
    if prev in LIKE_TRANSITIVE and prev2 not in BE_FORMS and prev2 not in DETERMINERS and object_next:
        return True  # "so I drew like a box around it", "we added like a column for it"
    if prev == "lot" and prev2 == "a" and not _compares_before(c.norm(i - 3)):
        return True  # "questions a lot like probably too many" ("it looks a lot like rain" compares)
    if prev == "just" and not _compares_before(prev2):
        if len(nxt) > 5 and nxt.endswith("ing") and nxt not in ING_NOUNS and prev2 not in SUBJECT_PRONOUNS:
            return True  # "for the first week just like keeping it chill" ("it's just like riding a bike")
        if nxt in BASE_VERBS and nxt not in VERB_OR_NOUN and (prev2 in SUBJECT_PRONOUNS or prev2 in MODAL_FORMS):
            return True  # "you just like go with it", "I could just like fix it"
    if prev in LIKE_DET_PREV and not (prev == "her" and (nxt in DETERMINERS or nxt in ("a", "an", "the"))):
        # ("treating her like a child": "her" is the object there, and "like" compares)
        return True  # "I had this like feeling", "our like biggest month": no verb or preposition fits there
    if prev in LIKE_ADVERB_PREV or prev in LIKE_CLAUSE_VERB_PREV:
        # "and honestly like my stomach dropped", "I figured like a dead server is better"
        return not (nxt in ("i", "you", "we", "he", "she", "they") and nxt2 in SAY_VERBS)
    adverb_next = len(nxt) > 4 and nxt.endswith("ly") and nxt not in LY_NOT_ADVERB
    if prev in ("do", "does", "did") and not c.at_end(i) and not c.comma_after(i):
        if approx or nxt == "everything" or (nxt in ("a", "an") and nxt2 not in ("lot", "bit", "little")):
            return True  # "we do like sixty weddings a year", "he did like a video call" ("I do like a bit of ...")
    if prev in LIKE_VERB_PREV:
        # "I'd like to", "to like it" -- but "up to like eight percent", "to like rethink it",
        # "the system would like crash": the verb "like" takes "to" or an object, not a verb
        if nxt in BASE_VERBS:
            return prev == "to" or (prev in MODAL_FORMS and nxt not in VERB_OR_NOUN)
        if (
            prev in MODALS_AND_TO
            and not (prev == "would" and _wants_object(c, i))
            and nxt
            and nxt not in LIKE_VERB_OBJECT
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
        return prev == "to" and (is_number(nxt) or nxt in LIKE_FILLER_NEXT or adverb_next)
    # a comma parts "like" from the word before: "in fewer words, like really short" is not
    # "words like these", "I love working in teams, like genuinely" not "teams like ours"
    prep_prev = prev in LIKE_PREP_PREV and not c.comma_after(i - 1)
    if adverb_next and not prep_prev:
        return True  # "like properly terrified", "like especially when it's embarrassing"
    if prev == "just" and _is_past(nxt) and nxt not in ("was", "were", "had"):
        return True  # "the seat map just like spun"
    if prep_prev:
        return False
    if prev in OBJECT_PRONOUNS and c.norm(i - 2) in LIKE_TWO_OBJECT_VERB and nxt and nxt not in LIKE_VERB_OBJECT:
        return True  # "I showed him like the three buttons", "giving me like more responsibility"
    if nxt in ("i", "you", "we", "he", "she", "they") and nxt2 in SAY_VERBS:
        return False  # "like I said"
    if _as_if(c, i):
        return False
    if _clause_follows(c, i + 1):
        # "did the small things like i made everyone take a break", "it got worse like they
        # stopped handing over", "dropouts like the whole building would lose signal": a
        # whole clause follows; after a noun or a verb (not after "feel/look/seem", ruled
        # out above) the preposition "like" takes a noun phrase, not a clause -- but "as"
        # does: "like you do", "like we did once" (a do-verb), "like I was" (a form of be)
        return True
    if nxt == "so" and (c.at_end(i + 1) or c.comma_after(i + 1)):
        return False  # "do it like so."
    if prev in SUBJECT_PRONOUNS and nxt == "very" and nxt2 == "much":
        return False  # "which I like very much"
    if nxt in LIKE_FILLER_NEXT or (c.comma_after(i) and i + 1 < c.n):
        return True
    if prev in SUBJECT_PRONOUNS:
        # "I like basically stole" / "we like just froze": filler; "I like my job": verb
        return (
            _is_past(nxt) or (nxt in PAST_ADVERBS and _is_past(nxt2)) or nxt in SUBJECT_PRONOUNS or nxt in FINITE_NEXT
        )
    if approx:
        return True  # "we waited like two hours", "there were like a hundred tickets"
    if c.boundary(i):
        if nxt in LIKE_OBJECT_NEXT:
            return False
        if c.t.punctuated and i + 1 < c.n:
            # punctuated text writes the filler "Like, ..."; without the comma it is "such
            # as" / a comparison ("Like the rest of the team, I ...", ", like the login
            # page") unless a clause follows ("so, like we were")
            return nxt in SUBJECT_PRONOUNS or nxt in ("there", "it's", "i'm", "we're", "they're")
        return True
    if prev in CONJUNCTIONS or prev in ("um", "uh", "mean", "know", "oh"):
        return nxt not in ("this", "that", "these", "those")
    if prev in PREPOSITIONS and not (prev == "of" and c.norm(i - 2) in ("kind", "sort")):
        # "a lot of like manual work", "for like an hour" ("kind of like a mentor" is not)
        return nxt not in ("this", "that", "these", "those")
    if prev in BE_FORMS:
        if c.norm(i - 2) == "there":
            return True  # "there was like no plan", "there is like a wall of people"
        if nxt in ("a", "an") and nxt2 in DEGREE_AFTER_A:
            return True  # "it was like a really big deal"
        if prev in ("was", "were") and nxt in ("a", "an", "the") and "to" not in (c.norm(i + 3), c.norm(i + 4)):
            # told in the past, "it was like a total mess", "which was like the nicest thing he
            # could say" are fillers (about 33 in 38 in the corpus); the present "it's like a
            # traffic jam", "she is like a mother to them" are mostly comparisons (11 in 25), and
            # so is a role "to" someone: "the office was like a second home to him"
            return True
        if (
            nxt in ("it", "i", "we", "they", "he", "she")
            and (nxt2 in BE_FORMS or _is_past(nxt2))
            and nxt2 not in SAY_VERBS
        ):
            return True  # "the config was like it was in three places"
        if nxt in ("the", "our", "my", "their", "your"):
            # "I was like the only designer", "summer is like our busiest time" (filler) vs "it
            # is like the old game", "she was like my mother" (comparison)
            return nxt2 in EXTREME or (len(nxt2) > 5 and nxt2.endswith("est") and nxt2 not in NOT_SUPERLATIVE)
        return nxt not in LIKE_OBJECT_NEXT
    if (nxt in IRREGULAR_PAST and nxt not in ("was", "were", "had")) or (
        len(nxt) > 4 and nxt.endswith("ed") and not prev.endswith("s")
    ):
        return True  # "the school like shut overnight": a verb cannot follow "like" the preposition
    if prev in LIKE_AFTER_VERB:
        # "we had like nothing", "build like a small plan": after a verb that takes an
        # object, "like" cannot be the preposition ("went like this" still is)
        return nxt not in LIKE_VERB_OBJECT
    return nxt in ("nothing", "everything", "everyone", "everybody", "nobody", "zero", "none")


_NOT_FINITE_AFTER_SUBJECT = (
    BE_FORMS
    | SAY_VERBS
    | words(
        """
        do, does, did, had, once, always, never, just, all, both, each, also, still, too, used, and,
        but, or, so
        """
    )
)


_SUBJECT_BE = frozenset({"i'm", "we're", "they're", "you're", "he's", "she's"})


def _finite(w: str) -> bool:
    """A verb that can follow a subject and finish a clause's head: "broke", "can't",
    "would", "think" (not "was"/"did": "like I was", "like we did" compare)."""
    if not w or w in _NOT_FINITE_AFTER_SUBJECT or is_number(w) or w in DETERMINERS or w in PREPOSITIONS:
        return False
    if (len(w) > 4 and w.endswith("ly")) or w.endswith("ing"):
        return False
    return True


def _clause_follows(c: Ctx, j: int) -> bool:
    """Whether a clause starts at word j: a subject pronoun and a verb ("i think", "they
    stopped")."""
    if c.norm(j) in _SUBJECT_BE and not c.at_end(j) and not c.comma_after(j):
        return True  # "i get it like they're a big society"
    if c.norm(j) in ("this", "it") and c.norm(j + 1) in ("is", "was") and not c.comma_after(j):
        return True  # "and like this is a good example"
    if c.norm(j) == "it" and not c.comma_after(j) and _is_past(c.norm(j + 1)) and c.norm(j + 1) not in ("had", "did"):
        return True  # "every shift like it got really bad", "the wrong name like it said second floor"
    if c.norm(j) in SUBJECT_PRONOUNS and not c.comma_after(j + 1):
        be, after = c.norm(j + 1), c.norm(j + 2)
        degree = after in ("not", "so", "really", "still", "totally") or (
            after == "a" and c.norm(j + 3) in ("bit", "little")
        )
        if degree and be in ("am", "are", "is", "was", "were"):
            return True  # "which like I was a little bit scared", "like he was not happy"
        if be in ("am", "are", "is") and after in ("the", "a", "an"):
            return True  # "and now like I am the one training them" (past: "like she was a child" compares)
    verb = c.norm(j + 1)
    if c.norm(j) not in SUBJECT_PRONOUNS or not _finite(verb) or c.comma_after(j):
        return False
    if verb in MODAL_FORMS and (c.at_end(j + 1) or c.norm(j + 2) in PREPOSITIONS or c.norm(j + 2) in CONJUNCTIONS):
        return False  # "like you would with a mate": an elliptical comparison
    return True


def _verb_ahead(c: Ctx, j: int, span: int = 5) -> bool:
    """Whether a verb follows within ``span`` words from word j + 1, before any comma or
    conjunction ends the phrase that starts at j: "the whole team went", "most of it was"."""
    for k in range(j, min(j + span, c.n)):
        w = c.norm(k)
        if k > j and (w in CLAUSE_VERBS or _is_past(w)):
            return True
        if k == j + 1 and c.norm(j) in _ONE_SUBJECT and len(w) > 3 and w.endswith("s") and not w.endswith("ss"):
            return True  # "everyone wants", "nobody knows"
        if (k > j and w in CONJUNCTIONS) or c.comma_after(k):
            return False
    return False


_ONE_SUBJECT = frozenset({"everyone", "everybody", "nobody", "someone", "somebody", "he", "she", "it"})
_YOU_KNOW_QUANTIFIERS = frozenset({"most", "some", "all", "none", "nothing", "nobody", "everyone", "everybody", "half"})
_YOU_KNOW_THINK_PREV = frozenset({"thought", "think", "figured", "reckoned", "reckon"})
_YOU_KNOW_CLAUSE_PREV = frozenset({"because", "cause", "cos", "since", "who", "where"})


def _you_know(c: Ctx, i: int, last: int) -> bool:
    prev = c.norm(i - 1)
    if i > 0 and c.comma_after(i - 1) and (c.comma_after(last) or c.at_end(last)):
        return True  # set off by punctuation: "a colleague who, you know, played", "a job to do, you know?"
    if (
        prev in _YOU_KNOW_CLAUSE_PREV
        and not c.comma_after(last)
        and c.norm(last + 1) not in ("what", "how", "why", "where", "who", "if", "whether", "that", "it")
        and c.norm(last + 1) not in SUBJECT_PRONOUNS
        and _verb_ahead(c, last + 1)
    ):
        # "because you know everyone wants to get fit", "a regular who you know always ordered
        # the same", "where you know the same people would ring": a clause goes on past it
        return True
    if prev in YOU_KNOW_NOT_PREV:
        return False
    if prev in _YOU_KNOW_THINK_PREV and not c.comma_after(last):
        return True  # "then I thought you know if she is saying it", "I figured you know what if ..."
    if prev == "so" and c.norm(i - 2) == "just":
        return False  # "just so you know"
    if c.comma_after(last) or c.at_end(last):
        return True
    nxt, nxt2 = c.norm(last + 1), c.norm(last + 2)
    if nxt == "what" and nxt2 == "i" and c.norm(last + 3) == "mean":
        return True  # "you know what I mean"
    if nxt == "what" and (nxt2 in SUBJECT_PRONOUNS or nxt2 in ("it", "happened", "happens", "worked")):
        return False  # "and you know what I did? I called her", "you know what happened": a question
    if prev in BE_FORMS or prev in PREPOSITIONS or (prev in LIKE_AFTER_VERB and prev not in YOU_KNOW_NOT_PREV):
        return True  # "it was you know the best week", "we had you know a big launch"
    if nxt in ("it", "that", "this"):
        # "but you know it worked out" (filler) vs "you know it" / "you know that he left"
        return nxt2 in CLAUSE_VERBS or _is_past(nxt2)
    if (
        prev
        and not c.boundary(i)
        and prev not in CONJUNCTIONS
        and prev not in SUBJECT_PRONOUNS
        and nxt in YOU_KNOW_MID_NEXT
        and nxt2 not in ("kind", "type", "sort")
        and not c.has_commas()
    ):
        # caption text, mid-clause after a content word: "practise the hard calls too you
        # know the angry ones", "I was expecting you know a big fight" (the questions "do
        # you know the ...", "people you know" are ruled out above)
        return True
    if nxt in YOU_KNOW_OBJECT_NEXT:
        # "and you know the client actually liked it": after "and/but/so", a whole clause
        # follows (a verb within a few words) -- the speaker is not asking what you know
        if prev in CONJUNCTIONS and nxt in DETERMINERS:
            ahead = [c.norm(k) for k in range(last + 2, min(last + 6, c.n))]
            return any(w in CLAUSE_VERBS or _is_past(w) for w in ahead[1:])
        if prev in CONJUNCTIONS and nxt in _YOU_KNOW_QUANTIFIERS:
            return _verb_ahead(c, last + 1)  # "and you know most of it was", "and you know nothing worked"
        return False
    return True


def _i_mean(c: Ctx, i: int, last: int) -> bool:
    prev = c.norm(i - 1)
    nxt, nxt2 = c.norm(last + 1), c.norm(last + 2)
    if prev in I_MEAN_NOT_PREV and not c.boundary(i):
        # "what I mean", "that I mean" -- but "... like that. I mean, it was basic", and
        # "things like that I mean I still think about it": a new clause follows
        return prev in ("that", "do", "did") and nxt in SUBJECT_PRONOUNS and _subject_verb(c, last + 1)
    if nxt == "that" and (nxt2 in SUBJECT_PRONOUNS or nxt2 in THAT_CLAUSE_START):
        return False  # "I mean that it's not a line": the verb with a that-clause
    by_x = c.norm(i - 2) == "by" and c.norm(i - 3) != prev  # "by waiting I mean" ("side by side, I mean")
    if ("say" in (c.norm(i - 2), c.norm(i - 3)) and prev not in CONJUNCTIONS) or by_x:
        # "when I say serious I mean ...", "by waiting I mean ...": a definition (not "too
        # polite to say anything and I mean I had to take over")
        return False
    if prev == "and" and not (c.comma_after(i - 1) or c.t.sentence_break[i - 1]):
        # "and I mean a lot", "and I mean that, ...", "and I mean really still": an
        # emphatic restatement; the filler is set off ("and, I mean, I liked her") or
        # starts a clause ("and I mean it wasn't easy")
        if nxt in SUBJECT_PRONOUNS or nxt == "there":
            # "and I mean there has not been one", "and I mean I get it"
            return nxt2 in CLAUSE_VERBS or _is_past(nxt2) or (nxt != "there" and _finite(nxt2))
        if nxt in SENTENCE_ADVERBS:
            return True  # "and I mean honestly they were both fine"
        if nxt in ("those", "these") and c.norm(last + 2) and not c.comma_after(last + 1):
            return _verb_ahead(c, last + 1)  # "and I mean those baskets were way bigger"
        if (nxt in DETERMINERS and nxt not in ("this", "that", "these", "those")) or nxt in (
            "nobody",
            "none",
            "everyone",
            "everybody",
            "for",
        ):
            # "and I mean the whole team went quiet", "and I mean for me it was": a clause
            # follows (a verb within a few words, before any comma or conjunction), not the
            # emphatic "and I mean a lot" / "and I mean a lot, because they'd ..."
            return _verb_ahead(c, last + 1)
        return nxt in ("it", "that", "this") and (nxt2 in CLAUSE_VERBS or _is_past(nxt2) or _third_person_verb(nxt2))
    if c.comma_after(last) or c.at_end(last):
        return True
    if nxt in ("it", "that", "this"):
        # "I mean it was fine" / "I mean that was hard" / "I mean it sounds silly" (filler)
        # vs "I mean it" / "I mean that literally" / "I mean this nicely" (verb)
        return nxt2 in CLAUSE_VERBS or _is_past(nxt2) or _third_person_verb(nxt2)
    return nxt not in I_MEAN_NOT_NEXT


_NOT_THIRD_PERSON = words(
    "is, was, has, does, this, thus, plus, yes, us, less, unless, always, perhaps, sometimes, towards"
)


def _third_person_verb(w: str) -> bool:
    """A present verb after "it/that": "sounds", "seems", "changes" (not "less", "always")."""
    return len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is", "'s")) and w not in _NOT_THIRD_PERSON


def _clause_initial(c: Ctx, i: int, last: int) -> bool:
    """Sentence adverbs used as fillers: "Actually, ...", "so honestly we ..."; not inside
    a clause ("someone actually tested it", "it was actually the best")."""
    if c.boundary(i) or c.comma_after(last):
        return True
    prev = c.norm(i - 1)
    if prev in CLAUSE_START_PREV:
        return True
    # run-on caption text: "... what didn't actually the vendor was helpful" -- an adverb
    # inside a clause is followed by a verb or adjective, not by a new subject
    nxt = c.norm(last + 1)
    if prev in BE_FORMS or prev in LIKE_AFTER_VERB:
        return False
    return nxt in NEW_SUBJECT


_INFINITIVE_HEAD = words(
    """
    want, wants, need, needs, have, has, had, going, try, tries, trying, important, hard, easy, able,
    chose, meant, supposed, learn, learnt, promised, tried, how, wanted, needed, decided, asked, told,
    best, better, just, always, never
    """
)


def _to_be_honest(c: Ctx, i: int, last: int) -> bool:
    """ "To be honest, ..." as a filler, not "I wanted to be honest with her"."""
    prev = c.norm(i - 1)
    if c.boundary(i) or c.comma_after(last) or prev in CLAUSE_START_PREV:
        return True
    if prev in _INFINITIVE_HEAD or prev.endswith(("ed", "ing")) or prev in BE_FORMS:
        return False
    return c.norm(last + 1) in NEW_SUBJECT


def _hedge_of(c: Ctx, i: int, last: int) -> bool:
    """ "kind of" / "sort of" / "kinda" as a softener, not as a noun."""
    prev = c.norm(i - 1)
    if prev in HEDGE_NOT_PREV:
        return False
    nxt = c.norm(last + 1)
    if prev not in ("that", "all", "right") and (c.boundary(i) or prev in HEDGE_PREV):
        return True
    if _is_past(nxt) or nxt in CLAUSE_VERBS:
        return True  # "that kind of worked"
    return nxt in ("just", "like", "really", "worked", "went", "got") or (
        len(nxt) > 5 and nxt.endswith(("ed", "ing", "ly")) and not nxt.endswith("thing")
    )


def _i_guess(c: Ctx, i: int, last: int) -> bool:
    return c.norm(i - 1) not in GUESS_NOT_PREV and c.norm(last + 1) not in GUESS_NOT_NEXT


def _maybe(c: Ctx, i: int, last: int) -> bool:
    if c.boundary(i) and c.t.after[last] and c.at_end(last) and i > 0:
        return False  # "Should we ship it? Maybe." -- an answer, not a softener
    return c.norm(i - 1) not in MAYBE_NOT_PREV


def always(c: Ctx, i: int, last: int) -> bool:
    return True


RULES: dict[tuple[str, ...], Callable[[Ctx, int, int], bool]] = {
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
