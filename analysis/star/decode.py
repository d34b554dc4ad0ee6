"""Decoding of STAR segmentation: the position prior (typical time shares of the four
sections, with costs that grow with the square of how far a boundary moves) and the
monotonic Viterbi that labels the units S -> T -> A -> R under it."""

from __future__ import annotations

import functools
from collections.abc import Sequence

from analysis.star.cues import ACTION, HOOK
from analysis.star_settings import StarSettings

# Skip cost per section, as a multiple of ``skip_penalty``: a Task is nearly always said
# in so many words ("I needed to", "my job was"), so one that is not said is more
# likely absent than unrecognised; Situations and Results are often implicit.
SKIP_SCALE = (1.0, 0.8, 1.0, 1.0)


def _kept_shares(shares: Sequence[float], labels: Sequence[int]) -> list[float]:
    """Expected shares when only ``labels`` are present: a skipped section's time goes
    to the Action, the elastic part of an answer (someone who skips the Result, or the
    Task, talks longer about what they did), so the other boundaries stay near where
    they were expected. (Tried on the corpora: spreading it over all kept sections, or
    giving it to the neighbouring sections, both did worse.)"""
    out = [shares[k] if k in labels else 0.0 for k in range(4)]
    spare = sum(shares[k] for k in range(4) if k not in labels)
    if ACTION in labels:
        out[ACTION] += spare
    total = sum(out) or 1.0
    return [x / total for x in out]


@functools.lru_cache(maxsize=256)
def _label_bounds(settings: StarSettings, labels: tuple[int, ...]) -> tuple[tuple[int, float, float], ...]:
    """(label, start, end) of each kept section's expected span, as shares of the answer."""
    shares = _kept_shares(settings.shares, labels)
    bounds: list[tuple[int, float, float]] = []
    acc = 0.0
    for k in labels:
        bounds.append((k, acc, acc + shares[k]))
        acc += shares[k]
    return tuple(bounds)


def prior_costs(
    spans: Sequence[tuple[float, float]], settings: StarSettings, labels: Sequence[int] = (0, 1, 2, 3)
) -> list[list[float]]:
    """Cost of each label for each unit: strength * integral over the unit's time of the
    distance (as a share of the answer) to the label's expected span. The spans are the
    prior shares of the sections in ``labels`` (the ones this hypothesis keeps, see
    _kept_shares); other labels get no span (infinite cost)."""
    bounds = _label_bounds(settings, tuple(labels))
    strength = settings.prior_strength
    out: list[list[float]] = []
    for a, b in spans:
        row = [INF, INF, INF, INF]
        for k, lo, hi in bounds:
            # integral over [a, b] of the distance to [lo, hi]
            c = 0.0
            if a < lo:
                e = b if b < lo else lo
                c += ((lo - a) ** 2 - (lo - e) ** 2) / 2
            if b > hi:
                st = a if a > hi else hi
                c += ((b - hi) ** 2 - (st - hi) ** 2) / 2
            row[k] = strength * c
        out.append(row)
    return out


def emissions(evidence: list[list[float]], prior: list[list[float]]) -> list[list[float]]:
    """Score of each label for each unit: its evidence less its prior cost."""
    return [
        [e0 - p0, e1 - p1, e2 - p2, e3 - p3]
        for (e0, e1, e2, e3), (p0, p1, p2, p3) in zip(evidence, prior, strict=False)
    ]


NEG = float("-inf")
INF = float("inf")
# The section sets a decoding may keep (the Action is always kept: an answer without
# any action is not a STAR answer, and its words are best called actions).
ALL_SUBSETS: tuple[tuple[int, ...], ...] = tuple(tuple(k for k in range(4) if (mask >> k) & 1) for mask in range(1, 16))
SUBSETS: tuple[tuple[int, ...], ...] = tuple(
    sorted(
        (tuple(k for k in range(4) if k == ACTION or (mask >> k) & 1) for mask in range(16) if (mask >> ACTION) & 1),
        key=lambda labels: -len(labels),
    )
)


def decode(
    pen: Sequence[float],
    emit: list[list[float]],
    hook_emit: list[float],
    labels: Sequence[int],
    allowed: list[tuple[int, int]] | None,
    forced_start: dict[int, int],
) -> tuple[list[int], float]:
    """Monotonic Viterbi over units with exactly the sections in ``labels`` (in order,
    each at least one unit), optionally preceded by a hook. Returns (labels per unit
    with HOOK for hook units, score).

    ``pen[u]``: cost of a section starting at unit u. ``allowed[u] = (lo, hi)`` limits
    unit u's label (markers); ``forced_start[u] = label``: a section with that label
    starts at unit u.
    """
    n, m = len(emit), len(labels)
    if n < m or any(lab not in labels for lab in forced_start.values()):
        return [], NEG
    H = m  # hook state index
    # the state before each section: the section before it (the hook for the first)
    before = [H] + list(range(m - 1))
    back: list[list[int]] = []
    # first unit: the first section, or the hook
    prev = [NEG] * (m + 1)
    bk = [-1] * (m + 1)
    lo, hi = allowed[0] if allowed else (0, 3)
    if lo <= labels[0] <= hi:
        prev[0] = emit[0][labels[0]]
    if hook_emit[0] != NEG and forced_start.get(0) is None and lo == 0:
        prev[H] = hook_emit[0]
    back.append(bk)
    for u in range(1, n):
        cur = [NEG] * (m + 1)
        bk = [-1] * (m + 1)
        forced = forced_start.get(u)
        lo, hi = allowed[u] if allowed else (0, 3)
        e = emit[u]
        p = pen[u]
        for j in range(m):
            k = labels[j]
            if k < lo or k > hi:
                continue
            best, arg = NEG, -1
            if forced is None or forced != k:
                best, arg = prev[j], j  # stay
            if forced is None or forced == k:
                src = prev[before[j]]  # or start this section here
                if src != NEG and src - p > best:
                    best, arg = src - p, before[j]
            if best != NEG:
                cur[j], bk[j] = best + e[k], arg
        if hook_emit[u] != NEG and forced is None and lo == 0 and prev[H] != NEG:
            cur[H], bk[H] = prev[H] + hook_emit[u], H
        back.append(bk)
        prev = cur
    if prev[m - 1] == NEG:
        return [], NEG
    path = [0] * n
    state = m - 1
    for u in range(n - 1, -1, -1):
        path[u] = labels[state] if state != H else HOOK
        state = back[u][state]
    return path, prev[m - 1]
