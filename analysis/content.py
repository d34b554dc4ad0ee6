"""Content checks: length, STAR balance, a quantified Result, ownership, signposting,
hedges and the most repeated content words.

- **Length**: the speaking time (first word to last) against length_min_s..length_max_s.
- **Balance**: each section's share of the speaking time against its target share,
  "ok" within the tolerance, else "short"/"long"; a skipped section is "missing".
- **Quantified Result**: figures said in the Result (and in an opening result hook):
  digits ("20%", "$5,000", "3x"), spelled-out numbers ("seventy percent", "two
  thousand"), durations ("six weeks", "forty milliseconds"), money ("five hundred
  dollars"), multipliers ("doubled", "twice"). "one" alone and vague amounts ("a few",
  "several") are not figures.
- **Ownership**: "I/me/my/myself..." against "we/us/our/ourselves..." in the Action
  (in the whole answer when no Action was found), as counts and the share of "I".
- **Signposting**: words that tell the listener where they are in the story ("first",
  "phase one", "then", "after that", "finally", "the result was", ...).
- **Repeated words**: content words (stop words and fillers excluded) said at least
  repeated_word_min times.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from analysis.fillers import HEDGE, Filler
from analysis.lexicon import (
    NUMBER_WORDS,
    QUANTITY_UNITS,
    STOP_WORDS,
    Tokens,
    is_number,
    is_strong_number,
)
from analysis.report import Balance, ContentReport, Signpost, StarReport
from analysis.settings import AnalysisSettings
from analysis.transcript import STAR_LABELS, Transcript

I_WORDS = frozenset({"i", "me", "my", "mine", "myself", "i'm", "i've", "i'd", "i'll"})
WE_WORDS = frozenset({"we", "us", "our", "ours", "ourselves", "we're", "we've", "we'd", "we'll", "let's"})

_ORDINAL_HEAD = frozenset({"the", "my", "our", "his", "her", "their", "its", "a", "at", "your", "this", "that"})
_THEN_NOT_PREV = frozenset({"back", "since", "by", "until", "till", "than", "even", "right", "just", "from", "only"})
_NEXT_NOT_NEXT = frozenset(
    {"week", "day", "month", "year", "morning", "time", "quarter", "sprint", "door", "one", "few", "two", "three", "to"}
)
_RATE_UNITS = frozenset(
    {
        "second",
        "minute",
        "hour",
        "day",
        "week",
        "month",
        "year",
        "quarter",
        "sprint",
        "shift",
        "person",
        "user",
        "customer",
    }
)
_MULTIPLIERS = frozenset({"twice", "thrice", "double", "doubled", "triple", "tripled", "quadrupled", "half", "percent"})
_YEAR = re.compile(r"^(19|20)\d\d$")
_ALPHA = re.compile(r"^[a-z][a-z']*[a-z]$")

# Multi-word signposts (matched on normalised words), longest first.
_SIGNPOST_PHRASES: tuple[tuple[str, ...], ...] = tuple(
    sorted(
        (
            tuple(p.split())
            for p in (
                "first of all",
                "to begin with",
                "to start with",
                "the first thing",
                "after that",
                "in the end",
                "at the end of the day",
                "as a result",
                "the result was",
                "the outcome was",
                "the situation was",
                "my task was",
                "my job was",
                "my role was",
                "what i did",
                "to sum up",
                "in the meantime",
                "the next step",
                "once that was done",
                "phase one",
                "phase two",
                "phase three",
                "step one",
                "step two",
                "step three",
                "stage one",
                "stage two",
                "the last thing",
            )
        ),
        key=len,
        reverse=True,
    )
)
_SIGNPOST_SECOND: dict[str, frozenset[str]] = {}
for _p in _SIGNPOST_PHRASES:
    _SIGNPOST_SECOND[_p[0]] = _SIGNPOST_SECOND.get(_p[0], frozenset()) | {_p[1]}
_SIGNPOST_WORDS = frozenset(
    {
        "firstly",
        "secondly",
        "thirdly",
        "finally",
        "lastly",
        "afterwards",
        "afterward",
        "first",
        "second",
        "third",
        "then",
        "next",
    }
)
_SIGNPOST_TRIGGERS = _SIGNPOST_WORDS | frozenset(_SIGNPOST_SECOND)


def _signposts(tokens: Tokens, transcript: Transcript, skip: frozenset[int]) -> tuple[Signpost, ...]:
    norms = tokens.norms
    words = transcript.words
    n = len(norms)
    out: list[Signpost] = []
    triggers = _SIGNPOST_TRIGGERS
    next_ok = 0
    for i in [k for k, w in enumerate(norms) if w in triggers]:
        if i < next_ok or i in skip:
            continue
        w = norms[i]
        hit = None
        second = _SIGNPOST_SECOND.get(w)
        if second is not None and i + 1 < n and norms[i + 1] in second:
            for p in _SIGNPOST_PHRASES:
                if norms[i : i + len(p)] == p:
                    hit = p
                    break
        if hit:
            out.append(Signpost(" ".join(hit), words[i].start))
            next_ok = i + len(hit)
            continue
        prev = norms[i - 1] if i else ""
        nxt = norms[i + 1] if i + 1 < n else ""
        ok = False
        if w in ("firstly", "secondly", "thirdly", "finally", "lastly", "afterwards", "afterward"):
            ok = True
        elif w == "first":
            # "First I called...", "First, ...", "and first we..." -- not "first response time"
            ok = (tokens.boundary[i] or prev in ("and", "so", "then", "um", "uh")) and (
                bool(tokens.after[i]) or nxt in ("i", "we", "i'd", "we'd", "off", "step", "thing", "things", "up")
            )
        elif w in ("second", "third"):
            ok = (tokens.boundary[i] or prev in ("and", "then", "so")) and prev not in _ORDINAL_HEAD
        elif w == "then":
            ok = prev not in _THEN_NOT_PREV and prev not in ("if",)
        elif w == "next":
            ok = (tokens.boundary[i] or prev in ("and", "so")) and nxt not in _NEXT_NOT_NEXT
        if ok:
            out.append(Signpost(w, words[i].start))
    return tuple(out)


def _figures(tokens: Tokens, indices: Sequence[int], skip: frozenset[int]) -> tuple[str, ...]:
    """Number phrases ("seventy percent", "6 weeks", "$5,000") among the given words."""
    norms = tokens.norms
    out: list[str] = []
    idx = [i for i in indices if i not in skip]
    k = 0
    while k < len(idx):
        i = idx[k]
        w = norms[i]
        if not is_number(w) or (w == "one" and k + 1 < len(idx) and norms[idx[k + 1]] == "of"):
            k += 1
            continue
        run = [w]
        k2 = k + 1
        while k2 < len(idx):
            nw = norms[idx[k2]]
            if is_number(nw) and nw != "percent":
                run.append(nw)
            elif (
                nw == "and"
                and k2 + 1 < len(idx)
                and norms[idx[k2 + 1]] in NUMBER_WORDS
                and run[-1] in ("hundred", "thousand", "million")
            ):
                run.append(nw)
            elif nw in ("point",) and k2 + 1 < len(idx) and is_number(norms[idx[k2 + 1]]):
                run.append(nw)
            else:
                break
            k2 += 1
        unit = None
        if k2 < len(idx):
            nw = norms[idx[k2]]
            nxt2 = norms[idx[k2 + 1]] if k2 + 1 < len(idx) else ""
            if nw == "per" and nxt2 == "cent":
                unit, k2 = "per cent", k2 + 2
            elif nw in ("a", "per") and nxt2 in _RATE_UNITS:
                unit, k2 = f"{nw} {nxt2}", k2 + 2  # "12 a week"
            elif nw in QUANTITY_UNITS:
                unit, k2 = nw, k2 + 1
            elif (
                _ALPHA.match(nw)
                and nw not in STOP_WORDS
                and not is_number(nw)
                and not run[-1].endswith("%")
                and run[-1] not in _MULTIPLIERS
            ):
                unit, k2 = nw, k2 + 1  # "five clinics": the thing counted
        prev = norms[idx[k - 1]] if k > 0 else ""
        strong = any(is_strong_number(x) for x in run)
        if len(run) == 1 and _YEAR.match(run[0]) and unit is None:
            strong = False  # "in 2021": a date, not a figure
        if run == ["one"] and (unit is None or unit not in QUANTITY_UNITS):
            strong = False
        if run[0] in ("half", "quarter", "double", "triple") and unit is None:
            strong = prev in ("in", "by")  # "cut it in half", "grew by half"
        if strong or (unit is not None and unit in QUANTITY_UNITS):
            out.append(" ".join(run + ([unit] if unit else [])))
        k = max(k2, k + 1)
    return tuple(out)


def check_content(
    transcript: Transcript,
    tokens: Tokens,
    fillers: Sequence[Filler],
    star: StarReport,
    settings: AnalysisSettings,
) -> ContentReport:
    words = transcript.words
    n = len(words)
    skip = frozenset(i for f in fillers for i in f.indices)
    span = (words[-1].end - words[0].start) if n else 0.0

    if span < settings.length_min_s:
        length_verdict = "short"
    elif span > settings.length_max_s:
        length_verdict = "long"
    else:
        length_verdict = "good"

    # an opening result hook ("I cut release time in half -- here's how") is a Result
    # section of its own before the story: its time counts as Result time, not set-up
    # (a hook without a Result at the end still leaves the Result missing: its time
    # counts with the section the story opens with)
    story = [s for s in star.sections if not s.hook]
    story_labels = {s.label for s in story}
    shares: dict[str, float] = {}
    for s in star.sections:
        label = s.label if not s.hook or s.label in story_labels or not story else story[0].label
        shares[label] = shares.get(label, 0.0) + s.share
    balance: list[Balance] = []
    targets = settings.targets
    for label in STAR_LABELS:
        target = targets[label]
        tol = settings.tolerance(label)
        lo, hi = max(0.0, target - tol), min(1.0, target + tol)
        if label not in shares:
            verdict = "missing"
            share = 0.0
        else:
            share = shares[label]
            verdict = "short" if share < lo else "long" if share > hi else "ok"
        balance.append(Balance(label, share, target, lo, hi, verdict))

    # the Result, plus an opening result hook (figures said up front count too)
    result = star.section("result")
    result_idx: list[int] = list(range(result.first, result.last_exclusive)) if result else []
    if star.hook is not None:
        hook_idx = [i for i in range(n) if star.hook.start - 1e-6 <= words[i].start < star.hook.end]
        result_idx = hook_idx + [i for i in result_idx if i not in set(hook_idx)]
    numbers = _figures(tokens, result_idx, skip) if result_idx else ()

    action = star.section("action")
    if action is not None:
        scope, rng = "action", range(action.first, action.last_exclusive)
    else:
        scope, rng = "answer", range(n)
    n_i = n_we = 0
    norms = tokens.norms
    for i in rng:
        if i in skip:
            continue
        w = norms[i]
        if w in I_WORDS:
            n_i += 1
        elif w in WE_WORDS:
            n_we += 1

    counts: Counter[str] = Counter([w for w in norms if w not in STOP_WORDS and len(w) > 2])
    for i in skip:  # fillers are not content ("like" is a stop word anyway)
        if counts.get(norms[i]):
            counts[norms[i]] -= 1
    # Counter keeps first-seen order, so ties stay in order of first use
    repeated = sorted(
        ((w, c) for w, c in counts.items() if c >= settings.repeated_word_min and _ALPHA.match(w)),
        key=lambda wc: -wc[1],
    )[: settings.repeated_words_max]

    return ContentReport(
        length_seconds=span,
        length_target=(settings.length_min_s, settings.length_max_s),
        length_verdict=length_verdict,
        balance=tuple(balance),
        result_quantified=bool(numbers),
        result_numbers=numbers,
        ownership_i=n_i,
        ownership_we=n_we,
        ownership_scope=scope,
        signposts=_signposts(tokens, transcript, skip),
        hedges=sum(1 for f in fillers if f.kind == HEDGE),
        repeated_words=tuple(repeated),
        missing=star.missing,
    )
