"""STAR segmentation in named stages: build the units -> weigh their evidence -> place
the markers -> decode the best whole answer -> the result (sections, confidences,
evidence). See the package doc for the method."""

from __future__ import annotations

import enum
import math
from collections.abc import Iterable
from typing import Final, Literal

from analysis.star.confidence import with_confidence
from analysis.star.cues import HOOK
from analysis.star.evidence import UnitEvidence, excerpt, gather_evidence, unit_evidence_hits
from analysis.star.markers import marker_constraints, marker_evidence, place_markers
from analysis.star.model import StarModel, load_model, unit_features
from analysis.star.search import SectionSetSearch
from analysis.star.types import Evidence, SectionSpan, StarSegmentation
from analysis.star.units import Unit, chunk_long_units, evidence_norms, split_units, unit_spans
from analysis.star_settings import StarSettings
from analysis.transcript import STAR_LABELS, Span, Transcript


class _Default(enum.Enum):
    MODEL = 0


_DEFAULT_MODEL: Final = _Default.MODEL
"""segment()'s default model: the shipped one."""


def unit_view(
    transcript: Transcript, settings: StarSettings | None = None, skip: Iterable[int] = frozenset()
) -> tuple[list[tuple[int, int]], list[list[tuple[str, float]]]]:
    """(units as (first word, last word exclusive) pairs, the learned model's features
    of each unit) -- what segment() decodes over; used to train the model."""
    settings = settings or StarSettings()
    skip = frozenset(skip)
    if not transcript.words:
        return [], []
    norms = evidence_norms(transcript.words)
    units, punctuated = split_units(transcript, norms, skip, settings)
    ev = [unit_evidence_hits(u.text) for u in units]
    feats = unit_features(
        [u.text for u in units], [e[3] for e in ev], [e[1] for e in ev], unit_spans(units, transcript), punctuated
    )
    return [(u.first, u.last) for u in units], feats


def segment(
    transcript: Transcript,
    settings: StarSettings | None = None,
    skip: Iterable[int] = frozenset(),
    model: StarModel | None | Literal[_Default.MODEL] = _DEFAULT_MODEL,
) -> StarSegmentation:
    """Find the STAR sections of ``transcript``.

    ``skip``: indices of words to ignore as evidence (fillers such as "um", "like");
    they still belong to the section they fall in. ``model``: the learned unit evidence
    (analysis.star.model; default: the shipped one, None: the hand-weighted cues).
    """
    settings = settings or StarSettings()
    skip = frozenset(skip)
    if not transcript.words:
        return StarSegmentation("none", (), STAR_LABELS, None, ())
    mdl = _model_for(settings, model)
    norms = evidence_norms(transcript.words)
    units, punctuated = build_units(transcript, norms, skip, settings, mdl)
    marker_starts = place_markers(transcript, units, norms, skip, settings) if transcript.markers else []
    evidence = gather_evidence(units, transcript, punctuated, settings, mdl)
    allowed, forced = marker_constraints(marker_starts, len(units))
    search = SectionSetSearch(
        units, transcript, settings, evidence, mdl, allowed, forced, _hook_candidates(units, transcript, settings)
    )
    path, n_hook = search.best_path(with_markers=bool(marker_starts))
    return _result(transcript, units, evidence, search, path, n_hook, marker_starts)


def _model_for(settings: StarSettings, model: StarModel | None | Literal[_Default.MODEL]) -> StarModel | None:
    """The learned model to decode with, or None for the hand-weighted cues."""
    mdl = load_model() if model is _DEFAULT_MODEL else model
    if not settings.learned or (settings.cue_weight == 0 and settings.signpost_weight == 0):
        mdl = None  # the hand-weighted cues (or, with both weights 0, the prior alone)
    return mdl


def build_units(
    transcript: Transcript, norms: list[str], skip: frozenset[int], settings: StarSettings, model: StarModel | None
) -> tuple[list[Unit], bool]:
    """(the units to label, whether the transcript is punctuated). With the learned
    model, caption text's long units are cut into equal pieces (only without sentence
    ends: a long punctuated sentence is one unit for a reason)."""
    units, punctuated = split_units(transcript, norms, skip, settings)
    if model is not None and model.chunk_share > 0 and not punctuated:
        n = len(transcript.words)
        chunk_long_units(units, transcript, norms, skip, max(3, math.ceil(model.chunk_share * n)), model.chunk_penalty)
    return units, punctuated


def _hook_candidates(units: list[Unit], transcript: Transcript, settings: StarSettings) -> int:
    """How many opening units may form a hook: those that end within the answer's first
    ``hook_max_share`` (never all of them)."""
    words = transcript.words
    t0, total = words[0].start, max(words[-1].end - words[0].start, 1e-6)
    hook_units = 0
    for u, unit in enumerate(units[:-1]):
        if (unit.end - t0) / total > settings.hook_max_share:
            break
        hook_units = u + 1
    return hook_units


def _result(
    transcript: Transcript,
    units: list[Unit],
    evidence: UnitEvidence,
    search: SectionSetSearch,
    path: list[int],
    n_hook: int,
    marker_starts: list[tuple[int, int]],
) -> StarSegmentation:
    """The segmentation from the decoded unit labels."""
    words = transcript.words
    evidence_items = marker_evidence(marker_starts, units)
    hook = None
    hook_units = [u for u, s in enumerate(path) if s == HOOK]
    if hook_units:
        a, b = units[hook_units[0]], units[hook_units[-1]]
        hook = Span(words[a.first].start, words[b.last - 1].end)
        evidence_items.append(Evidence("hook", "result", excerpt(a.text), a.start, a.first))
        first_real = next((s for s in path if s != HOOK), 0)
        path = [first_real if s == HOOK else s for s in path]
    sections = with_confidence(_sections(path, units, transcript), search, units, n_hook, marker_starts)
    present = {s.label for s in sections}
    missing = tuple(lab for lab in STAR_LABELS if lab not in present)
    start_items, signpost_starts = _start_evidence(sections, units, evidence)
    if hook_units and hook_units[-1] + 1 < len(units):
        sections = _split_hook(sections, units[hook_units[-1] + 1].first, transcript)
    evidence_items.extend(start_items)
    if marker_starts and not search.ignored_markers:
        method = "markers"
    elif signpost_starts >= 2:
        method = "signposts"
    else:
        method = "cues"
    evidence_items.sort(key=lambda e: (e.start, e.kind))
    return StarSegmentation(method, tuple(sections), missing, hook, tuple(evidence_items))


def _split_hook(sections: list[SectionSpan], story_first: int, transcript: Transcript) -> list[SectionSpan]:
    """The opening result hook as a section of its own, labelled Result and marked
    ``hook``, before the story's first section (which then starts after it): the hook's
    words are the Result told first, not set-up. Its confidence is the first section's
    (how likely a story section is there at all)."""
    first = sections[0]
    if not first.first < story_first < first.last_exclusive:
        return sections
    at = transcript.words[story_first].start
    hook = SectionSpan("result", first.first, story_first, first.start, at, first.confidence, hook=True)
    story = SectionSpan(first.label, story_first, first.last_exclusive, at, first.end, first.confidence)
    return [hook, story, *sections[1:]]


def _sections(path: list[int], units: list[Unit], transcript: Transcript) -> list[SectionSpan]:
    """Contiguous sections from the unit labels (hook units already relabelled)."""
    words = transcript.words
    n = len(words)
    sections: list[SectionSpan] = []
    for u, lab in enumerate(path):
        if sections and sections[-1].label == STAR_LABELS[lab]:
            continue
        sections.append(SectionSpan(STAR_LABELS[lab], units[u].first, -1, 0.0, 0.0))
    fixed: list[SectionSpan] = []
    for i, s in enumerate(sections):
        last = sections[i + 1].first if i + 1 < len(sections) else n
        start = words[s.first].start
        end = words[last].start if last < n else words[-1].end
        fixed.append(SectionSpan(s.label, s.first, last, start, end))
    # contiguity in time: an overlap of word times (Whisper's words can overlap a few
    # hundredths) must not create a section that ends before it starts
    for i in range(1, len(fixed)):
        if fixed[i].start < fixed[i - 1].start:
            prev_s = fixed[i - 1]
            fixed[i] = SectionSpan(
                fixed[i].label, fixed[i].first, fixed[i].last_exclusive, prev_s.start, max(fixed[i].end, prev_s.start)
            )
            fixed[i - 1] = SectionSpan(prev_s.label, prev_s.first, prev_s.last_exclusive, prev_s.start, prev_s.start)
    return fixed


def _start_evidence(
    sections: list[SectionSpan], units: list[Unit], evidence: UnitEvidence
) -> tuple[list[Evidence], int]:
    """(the signposts heard and the strongest cue at each section start, how many
    section starts a signpost names)."""
    items: list[Evidence] = []
    signpost_starts = 0
    for u, f in enumerate(evidence.found):
        for lab, txt in f:
            items.append(Evidence("signpost", STAR_LABELS[lab], txt, units[u].start, units[u].first))
    unit_at = {units[u].first: u for u in range(len(units))}
    for s in sections:
        u = unit_at.get(s.first)
        if u is None:
            continue
        k = STAR_LABELS.index(s.label)
        if evidence.sigs[u][k] > 0:
            signpost_starts += 1
        elif evidence.cues[u][k] > 0:
            items.append(Evidence("cue", s.label, excerpt(units[u].text), units[u].start, units[u].first))
    return items, signpost_starts
