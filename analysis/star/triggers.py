"""Which words a cue pattern needs: a small reader of the cue patterns' own regex sources.

Regex search is the main cost of segmentation and most patterns fail on most units, so
a unit is searched only with the patterns that can match it: those whose trigger words
(read off each pattern's first required element, see :func:`triggers`) it contains.
"""

from __future__ import annotations

# Tokens that stand for a digit, a percent sign and a dollar sign among trigger words.
DIGIT, PCT, DOLLAR = "<digit>", "<percent>", "<dollar>"

# Words every match of these patterns contains (a pattern whose words cannot be read off
# automatically, see triggers); keyed by the start of the pattern.
_MANUAL_TRIGGERS: dict[str, str] = {
    r"\bthe (?:main |big |real )?(?:problem": "the",
    r"\b(?:was|were) (?:\w+ )?(?:\w+ing)": "was were",
    r"\b(?:our|the|my) (?:team|company": "our the my",
    r"^(?:our|the|my|his|her|their|a|an|this": "was were had got kept seemed felt looked",
    r"\b(?:goal|aim|target|objective": "goal goals aim aims target targets objective objectives deadline deadlines "
    "mandate mandates kpi kpis okr okrs expectation expectations",
    r"\bi (?:(?:also|then": "i",
    r"\bwe (?:(?:also|then": "we",
    r"\b(?:i|we) (?:call|ask|tell": "i we",
    r"^(?:and )?(?:my|the|our) (?:task|job": "my the our",
    r"\b(?:thank you|thank-you|thanks": "thank thanks thanked praised promoted promotion award awarded "
    "recognised recognized recognition compliment compliments complimented congratulated adopted "
    "rolled became standard a good five feedback review was were",
}
# Patterns that must run over the whole unit (no trigger words: a match can open inside
# a word, as "'s still" does), with a piece of text every match contains.
ALWAYS_NEEDS: dict[str, str] = {
    r"\b(?:is|are|'s|'re|has|have) still\b": "still",
}


def triggers(pattern: str) -> frozenset[str] | None:
    """Words of which every match of ``pattern`` contains at least one (as a whole
    word), or None when that cannot be promised. Lets a unit skip the patterns that
    cannot match it: regex search is the main cost of segmentation, and most patterns
    fail on most units. Read off the pattern's first required element (a word, or a
    group of alternatives each opening with a word); anything else -> None (always run).
    """
    for key, words_ in _MANUAL_TRIGGERS.items():
        if pattern.startswith(key):
            return frozenset(words_.split())
    words = _first_words(pattern)
    return frozenset(words) if words else None


def _split_alternatives(p: str) -> list[str] | None:
    parts: list[str] = []
    cur: list[str] = []
    depth, i = 0, 0
    while i < len(p):
        c = p[i]
        if c == "\\":
            cur.append(p[i : i + 2])
            i += 2
            continue
        if c == "[":  # a character class: copy to its closing bracket
            j = p.find("]", i + 1)
            if j < 0:
                return None
            cur.append(p[i : j + 1])
            i = j + 1
            continue
        if c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
        if c == "|" and depth == 0:
            parts.append("".join(cur))
            cur = []
        else:
            cur.append(c)
        i += 1
    parts.append("".join(cur))
    return parts if depth == 0 else None


def _close(p: str, i: int) -> int:
    """Index of the ")" matching the "(" at ``p[i]``, or -1."""
    depth, j = 0, i
    while j < len(p):
        c = p[j]
        if c == "\\":
            j += 2
            continue
        if c == "[":
            j = p.find("]", j + 1)
            if j < 0:
                return -1
        elif c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
            if depth == 0:
                return j
        j += 1
    return -1


def _first_words(p: str) -> set[str] | None:
    alts = _split_alternatives(p)
    if alts is None:
        return None
    if len(alts) > 1:
        out: set[str] = set()
        for a in alts:
            w = _first_words(a)
            if not w:
                return None
            out |= w
        return out
    i = 0
    while True:
        if p.startswith("^", i):
            i += 1
        elif p.startswith("\\b", i):
            i += 2
        else:
            break
    while i < len(p):
        if p.startswith("(?:", i):
            j = _close(p, i)
            if j < 0:
                return None
            after = p[j + 1 : j + 2]
            if after in ("?", "*") or p.startswith("{0", j + 1):
                i = j + 2 if after in ("?", "*") else p.index("}", j) + 1
                continue  # optional: the next element is required
            if after.isalpha() or after == "'":
                return None  # "(?:goal|aim)s": the words inside are stems
            return _first_words(p[i + 3 : j])
        if p.startswith("\\d", i):
            return {DIGIT}
        if p.startswith("\\$", i):
            return {DOLLAR}
        c = p[i]
        if c.isalpha():  # (a word opening with "'" is a clitic: "she's" is one word)
            j = i
            while j < len(p) and (p[j].isalpha() or p[j] == "'"):
                j += 1
            word, nxt = p[i:j], p[j : j + 1]
            if nxt == "?":
                return {word, word[:-1]}
            if nxt in ("", " ", ")", "|") or p.startswith("\\b", j):
                return {word}
            return None
        return None
    return None
