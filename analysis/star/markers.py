"""Markers (keys the speaker pressed while talking) in STAR segmentation: where each one
lands among the units, and the labels they allow each unit and the section starts they
force on the decoding."""

from __future__ import annotations

from collections.abc import Container, Sequence

from analysis.star.types import Evidence
from analysis.star.units import Unit, split_unit_at_word
from analysis.star_settings import StarSettings
from analysis.transcript import STAR_LABELS, Transcript


def place_markers(
    transcript: Transcript, units: list[Unit], norms: Sequence[str], skip: Container[int], settings: StarSettings
) -> list[tuple[int, int]]:
    """Markers -> (unit index, label index), in time order with labels increasing.

    A marker moves to the nearest unit (sentence/clause) start within
    ``marker_snap_s`` (pressing a key a moment late is more common than early); with no
    unit start nearby, the unit holding the marker is split at the marker's word.
    A marker never snaps onto or past the next section's marker. Markers whose label
    does not come after the previous one's are ignored (a key pressed by mistake); two
    keys on the same word: the later one wins.
    """
    words = transcript.words
    n = len(words)
    placed: list[tuple[int, int]] = []  # (first word index, label index)
    ordered = sorted(transcript.markers, key=lambda m: m.time)
    for j, m in enumerate(ordered):
        label = STAR_LABELS.index(m.label)
        prev_first = placed[-1][0] if placed else -1
        if placed and label <= placed[-1][1]:
            continue
        # never snap onto or past the next section's own marker (that would drop this one)
        later = [o.time for o in ordered[j + 1 :] if STAR_LABELS.index(o.label) > label]
        limit = later[0] if later else float("inf")
        best, best_d = None, None
        for u in units:
            if u.first <= prev_first or u.start >= limit:
                continue
            d = m.time - u.start
            if -0.5 * settings.marker_snap_s <= d <= settings.marker_snap_s:
                dd = abs(d) * (1.0 if d >= 0 else 1.5)
                if best_d is None or dd < best_d:
                    best, best_d = u.first, dd
        if best is None and not placed and m.time <= words[0].start + settings.marker_snap_s:
            best = 0
        if best is None:
            k = 0
            while k < n and words[k].start < m.time - 0.15:
                k += 1
            if placed and k <= prev_first:
                placed[-1] = (prev_first, label)  # two keys at the same moment: the later wins
                continue
            if k >= n:
                continue  # pressed after the last word began: nothing left to label
            split_unit_at_word(units, transcript, norms, skip, k)
            best = k
        if placed and best == placed[-1][0]:
            placed[-1] = (best, label)
        else:
            placed.append((best, label))
    first_to_unit = {u.first: i for i, u in enumerate(units)}
    return [(first_to_unit[k], lab) for k, lab in placed]


def marker_constraints(
    marker_starts: list[tuple[int, int]], n_units: int
) -> tuple[list[tuple[int, int]] | None, dict[int, int]]:
    """(``allowed``, ``forced``) for the decoding from the placed markers: the label
    range each unit may take, and the units where a section with a given label must
    start. (None, {}) without markers."""
    if not marker_starts:
        return None, {}
    allowed: list[tuple[int, int]] = []
    bounds = marker_starts
    # before the first marker: labels below it (or the first marker's label if it
    # is the situation or the first unit)
    if bounds[0][0] == 0 or bounds[0][1] == 0:
        bounds = [(0, bounds[0][1])] + bounds[1:]
    for u in range(n_units):
        lo, hi = 0, 3
        cur = None
        nxt = None
        for bu, bl in bounds:
            if bu <= u:
                cur = bl
            else:
                nxt = bl
                break
        if cur is None:
            lo, hi = 0, (nxt - 1 if nxt is not None else 3)
            lo = min(lo, hi)
        else:
            lo = cur
            hi = (nxt - 1) if nxt is not None else 3
            hi = max(hi, lo)
        allowed.append((lo, hi))
    forced = {bu: bl for bu, bl in bounds if bu > 0}
    return allowed, forced


def marker_evidence(marker_starts: list[tuple[int, int]], units: list[Unit]) -> list[Evidence]:
    """The evidence items of the placed markers."""
    return [
        Evidence("marker", STAR_LABELS[bl], STAR_LABELS[bl], units[bu].start, units[bu].first)
        for bu, bl in marker_starts
    ]
