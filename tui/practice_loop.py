"""The practice loop's small pure helpers (no Textual): which takes answer the same
question, the take before this one, a robust scale for trend charts, and the short
"Focus next" line from a tip."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

from tui.format import clip, mmss, num

_WORD = re.compile(r"[a-z0-9]+")


def question_key(question: str | None) -> str:
    """The question as a grouping key: case, punctuation and spacing do not matter
    ("Tell me about a time you…" and "tell me about a time you ..." are one question)."""
    return " ".join(_WORD.findall((question or "").lower()))


def same_question(takes: Iterable[Any], question: str | None) -> list[Any]:
    """The takes answering ``question`` (by :func:`question_key`), oldest first."""
    key = question_key(question)
    return sorted((t for t in takes if question_key(getattr(t, "question", None)) == key), key=lambda t: str(t.created))


def previous_take(takes: Iterable[Any], take: Any) -> Any | None:
    """The last take of the same question recorded before ``take`` (None if none)."""
    created = str(getattr(take, "created", ""))
    before = [
        t
        for t in same_question(takes, getattr(take, "question", None))
        if t.id != take.id and str(t.created) <= created
    ]
    return before[-1] if before else None


def figures(t: Any) -> str:
    """'1:41 · 161 wpm · 5.4 fillers/min' for a take summary."""
    return f"{mmss(t.duration)} · {num(t.wpm)} wpm · {num(t.fillers_per_minute, 1)} fillers/min"


def robust_top(values: Sequence[float], floor: float = 0.0) -> float:
    """A chart's top that one outlier cannot set: the larger of ``floor`` and 1.25x the
    upper quartile (values above it are drawn as full, clipped bars)."""
    vals = sorted(v for v in values if v is not None)
    if not vals:
        return floor or 1.0
    q3 = vals[min(len(vals) - 1, (3 * len(vals)) // 4)]
    return max(floor, min(vals[-1], 1.25 * q3)) or 1.0


def focus_next(tips: Sequence[dict]) -> str:
    """The advice of the top tip, for a one-line headline: tips read
    "<what was found>: <what to do>", and the second half is what to do next."""
    if not tips:
        return ""
    text = str(tips[0].get("text", "")).strip()
    # the first ": " outside quotes and parentheses starts the advice
    depth = 0
    quote = False
    cut = -1
    for i, ch in enumerate(text):
        if ch == '"':
            quote = not quote
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth = max(0, depth - 1)
        elif ch == ":" and not quote and depth == 0 and text[i + 1 : i + 2] == " ":
            cut = i
            break
    advice = text[cut + 2 :] if cut >= 0 else text
    return advice[:1].upper() + advice[1:]


def distinct_clip(question: str, others: set[str], width: int) -> str:
    """``question`` cut to ``width``, keeping the part that tells it from the other
    questions: "Tell me about a time you failed" next to "Tell me about a time you led"
    becomes "Tell me … you failed" rather than "Tell me about a time yo…"."""
    text = " ".join(question.split())
    if len(text) <= width:
        return text
    words = text.split(" ")
    shared = 0
    for other in others:
        o = " ".join(other.split()).split(" ")
        if o == words:
            continue
        n = 0
        while n < min(len(o), len(words)) and o[n].lower() == words[n].lower():
            n += 1
        shared = max(shared, n)
    if shared >= 3:
        head = " ".join(words[:2])
        tail = " ".join(words[shared:]) or " ".join(words[shared - 1 :])
        return clip(f"{head} … {tail}", width)
    return clip(text, width)


def short_ids(ids: Iterable[str], least: int = 15) -> dict[str, str]:
    """Each take id cut to its shortest unique start (at least ``least`` characters:
    the recording time), which every command accepts in place of the whole id."""
    ids = list(ids)
    out = {}
    for i in ids:
        n = min(len(i), least)
        while n < len(i) and any(o != i and o.startswith(i[:n]) for o in ids):
            n += 1
        out[i] = i[:n]
    return out
