"""How sure each STAR section start is: forward-backward over the winning decoding's
scores at the model's calibrated temperature, and how likely each section is there at
all over the sets of kept sections the search tried."""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Sequence

from analysis.star.decode import NEG
from analysis.star.search import SectionSetSearch
from analysis.star.types import CONFIDENCE_WINDOW_S, SectionSpan
from analysis.star.units import Unit
from analysis.transcript import STAR_LABELS


def with_confidence(
    sections: list[SectionSpan],
    search: SectionSetSearch,
    units: list[Unit],
    n_hook: int,
    marker_starts: list[tuple[int, int]],
) -> list[SectionSpan]:
    """``sections`` with the confidence of each start (see SectionSpan.confidence)."""
    fixed = list(sections)
    ctx = search.chosen.get(0)
    if ctx is None or len(fixed) <= 1:
        return fixed
    learned = search.evidence.learned is not None
    temp = search.model.confidence_temperature if learned and search.model else 1.0
    c_pen, c_emit, c_labels, c_allowed, c_forced = ctx
    h = n_hook if 0 < n_hook < len(units) and learned else 0
    if h:
        c_pen, c_emit = c_pen[h:], c_emit[h:]
        c_allowed = c_allowed[h:] if c_allowed else None
        c_forced = {u - h: lab for u, lab in c_forced.items() if u >= h}
    unit_of = {units[u].first: u - h for u in range(h, len(units))}
    marker_firsts = {units[bu].first for bu, _ in marker_starts}
    post = start_posteriors(c_pen, c_emit, c_labels, c_allowed, c_forced, temp)
    # how likely each kept section is there at all (over the sets of kept sections)
    present_p = {}
    set_scores = search.set_scores
    if set_scores:
        top = max(set_scores.values())
        zs = {labs: math.exp((sc - top) / temp) for labs, sc in set_scores.items()}
        total_z = sum(zs.values())
        present_p = {k: sum(z for labs, z in zs.items() if k in labs) / total_z for k in range(4)}
    if fixed and fixed[0].first not in marker_firsts and not marker_starts:
        k0 = STAR_LABELS.index(fixed[0].label)
        fixed[0] = dataclasses.replace(fixed[0], confidence=min(1.0, present_p.get(k0, 1.0)))
    if post is not None:
        starts = [units[u].start for u in range(h, len(units))]
        for i in range(1, len(fixed)):
            s_ = fixed[i]
            k = STAR_LABELS.index(s_.label)
            u = unit_of.get(s_.first)
            if u is None or s_.first in marker_firsts or k not in c_labels:
                continue
            j = list(c_labels).index(k)
            at = starts[u]
            conf = sum(p_ for x, p_ in enumerate(post[j]) if p_ and abs(starts[x] - at) <= CONFIDENCE_WINDOW_S)
            conf = min(conf, present_p.get(k, 1.0))
            fixed[i] = dataclasses.replace(s_, confidence=min(1.0, max(0.0, conf)))
    return fixed


def start_posteriors(
    pen: Sequence[float],
    emit: list[list[float]],
    labels: Sequence[int],
    allowed: list[tuple[int, int]] | None,
    forced: dict[int, int],
    temp: float,
) -> list[list[float]] | None:
    """Forward-backward over the monotonic chain of ``labels`` (the sections the chosen
    decoding kept, each at least one unit, constraints as in decode), with scores
    divided by ``temp``: ``post[j][u]`` = probability that section j starts at unit u.
    Computed with probabilities rescaled at each unit (no logs in the loops)."""
    n, m = len(emit), len(labels)
    if n < m or temp <= 0:
        return None
    inv = 1.0 / temp
    exp = math.exp
    # per unit: the emission weights of the kept labels, relative to the unit's best
    # (a constant per unit cancels out), 0 where the label is not allowed
    e: list[list[float]] = []
    for u in range(n):
        row = [emit[u][k] for k in labels]
        top = max(row)
        if top == NEG:
            return None
        lo, hi = allowed[u] if allowed else (0, 3)
        e.append([exp((x - top) * inv) if x != NEG and lo <= labels[j] <= hi else 0.0 for j, x in enumerate(row)])
    tr = [exp(-x * inv) if x < 700 * temp else 0.0 for x in pen]  # the cost of a start at unit u
    stay = [[1.0] * m for _ in range(n)]
    start = [[1.0] * m for _ in range(n)]
    for u, f in forced.items():
        if 0 <= u < n:
            for j in range(m):
                if labels[j] == f:
                    stay[u][j] = 0.0
                else:
                    start[u][j] = 0.0
    fw = [[0.0] * m for _ in range(n)]
    fw[0][0] = e[0][0]
    scale = [1.0] * n  # the forward normaliser at each unit
    for u in range(1, n):
        prev, row, eu, su, stu, t = fw[u - 1], fw[u], e[u], stay[u], start[u], tr[u]
        total = 0.0
        for j in range(m):
            v = prev[j] * su[j]
            if j:
                v += prev[j - 1] * t * stu[j]
            v *= eu[j]
            row[j] = v
            total += v
        if total <= 0.0:
            return None
        scale[u] = total
        for j in range(m):
            row[j] /= total
    if fw[n - 1][m - 1] <= 0.0:
        return None
    bw = [[0.0] * m for _ in range(n)]
    bw[n - 1][m - 1] = 1.0
    for u in range(n - 2, -1, -1):
        nxt, row, en, sn, stn, t = bw[u + 1], bw[u], e[u + 1], stay[u + 1], start[u + 1], tr[u + 1]
        total = 0.0
        for j in range(m):
            v = en[j] * sn[j] * nxt[j]
            if j + 1 < m:
                v += t * stn[j + 1] * en[j + 1] * nxt[j + 1]
            row[j] = v
            total += v
        if total <= 0.0:
            return None
        for j in range(m):
            row[j] /= total
    # start of section j at unit u: fw[u-1][j-1] * (start cost) * e[u][j] * bw[u][j],
    # divided by the forward scaling at u and the scaled total mass at u
    post = [[0.0] * n for _ in range(m)]
    for u in range(1, n):
        z = scale[u] * sum(fw[u][j] * bw[u][j] for j in range(m))
        if z <= 0.0:
            continue
        a, t, stu, eu, bu = fw[u - 1], tr[u], start[u], e[u], bw[u]
        for j in range(1, m):
            post[j][u] = a[j - 1] * t * stu[j] * eu[j] * bu[j] / z
    return post
