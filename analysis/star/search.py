"""The search over whole answers: STAR decoding is run once for each set of sections the
answer may contain (all four; no Task; no Result; ...), each with the prior shares of
the sections it keeps, and leaving a section out costs a skip cost; the best
hypothesis wins, so "missing" is a decision between whole answers rather than a side
effect of one boundary."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, NamedTuple

from analysis.star.cues import HOOK, RESULT
from analysis.star.decode import ALL_SUBSETS, INF, NEG, SKIP_SCALE, SUBSETS, decode, emissions, prior_costs
from analysis.star.evidence import UnitEvidence
from analysis.star.units import Unit, unit_spans
from analysis.star_settings import StarSettings
from analysis.transcript import Transcript

if TYPE_CHECKING:
    from analysis.star.model import StarModel

DecodeInputs = tuple[list[float], list[list[float]], tuple[int, ...], list[tuple[int, int]] | None, dict[int, int]]
"""What a decoding was given: (pen, emit, labels, allowed, forced), as decode() takes them."""


class _SubProblem(NamedTuple):
    """The sections of units[lo:] still to decide: their time spans, skip penalties, the
    labels markers allow and force there, and how many leading units may form a hook."""

    lo: int
    spans: list[tuple[float, float]]
    sub_pen: list[float]
    sub_allowed: list[tuple[int, int]] | None
    sub_forced: dict[int, int]
    n_hook: int


@dataclass
class SectionSetSearch:
    """Best labellings of the units (from a given unit on) over every set of kept
    sections, with what the winning decodings were given (for the confidences)."""

    units: list[Unit]
    transcript: Transcript
    settings: StarSettings
    evidence: UnitEvidence
    model: StarModel | None
    """The learned model, or None for the hand-weighted cues."""
    allowed: list[tuple[int, int]] | None
    """The label range each unit may take (markers), or None."""
    forced: dict[int, int]
    """unit -> label of a section that must start there (markers)."""
    hook_units: int
    """How many opening units may form a hook (they end early enough)."""
    pen: list[float] = field(init=False)
    """Cost of a section starting at each unit."""
    ignored_markers: bool = field(default=False, init=False)
    """Whether no section set could honour the markers (they were ignored)."""
    chosen: dict[int, DecodeInputs] = field(default_factory=dict[int, DecodeInputs], init=False)
    """decode start -> what the winning decoding was given (pen, emit, labels, allowed, forced)."""
    set_scores: dict[tuple[int, ...], float] = field(default_factory=dict[tuple[int, ...], float], init=False)
    """kept sections -> best score (from unit 0; learned model only)."""

    def __post_init__(self) -> None:
        self.pen = [u.penalty for u in self.units]

    def decode_from(self, lo: int, allow_hook: bool) -> list[int]:
        """Best labelling of units[lo:] over every set of kept sections."""
        sub = self.units[lo:]
        spans = unit_spans(sub, self.transcript)
        sub_pen = self.pen[lo:]
        sub_allowed = self.allowed[lo:] if self.allowed else None
        sub_forced = {u - lo: lab for u, lab in self.forced.items() if u >= lo}
        n_hook = self.hook_units if allow_hook else 0
        problem = _SubProblem(lo, spans, sub_pen, sub_allowed, sub_forced, n_hook)
        if self.evidence.learned is not None:
            best_path, best_score = self._learned_sets(problem)
        else:
            best_path, best_score = self._cue_sets(problem)
        settings = self.settings
        if best_path is None and sub_allowed:
            sub_ev = self.evidence.rows[lo:]
            # markers that leave no room for an Action ("result" pressed at the start):
            # honour them with the sections they allow
            for labels in ALL_SUBSETS:
                prior = prior_costs(spans, settings, labels)
                emit = emissions(sub_ev, prior)
                path, score = decode(sub_pen, emit, [NEG] * len(sub), labels, sub_allowed, sub_forced)
                if path and score > best_score:
                    best_path, best_score = path, score
        if best_path is None:  # markers that no section set can honour: ignore them
            sub_ev = self.evidence.rows[lo:]
            self.ignored_markers = True
            prior = prior_costs(spans, settings)
            emit = emissions(sub_ev, prior)
            best_path, _ = decode(sub_pen, emit, [NEG] * len(sub), (0, 1, 2, 3)[: max(1, min(4, len(sub)))], None, {})
            if not best_path:
                best_path = [0] * len(sub)
        return best_path

    def _learned_sets(self, problem: _SubProblem) -> tuple[list[int] | None, float]:
        """The learned model's scores: its log-probabilities weighted by each unit's
        words, the settings' position prior at the model's weight, its skip costs."""
        lo, spans, sub_pen, sub_allowed, sub_forced, n_hook = problem
        mdl, ev = self.model, self.evidence
        lp, unit_words = ev.learned, ev.unit_words
        assert mdl is not None and lp is not None  # decode_from calls this only when the model gave evidence
        n_sub = len(spans)
        best_path, best_score = None, NEG
        a = mdl.evidence_scale
        sub_emit = [
            [a * w * r[0], a * w * r[1], a * w * r[2], a * w * r[3]]
            for w, r in zip(unit_words[lo:], lp[lo:], strict=False)
        ]
        sub_hook = [NEG] * n_sub
        for u in range(n_hook):
            sub_hook[u] = a * unit_words[lo + u] * lp[lo + u][4]
        sub_pen_m = [p + mdl.start_cost for p in sub_pen]
        beta = mdl.prior_weight
        best_size = 5
        for labels in SUBSETS:
            # largest sets first; a set two sections smaller than the best so far is
            # only tried when dropping one section helped (as for the cues)
            if len(labels) < best_size - 1 and n_sub >= 4 and best_path is not None:
                break
            emit_l, hook_l = sub_emit, sub_hook
            if beta > 0:
                # the settings' position prior for this set of kept sections
                prior = prior_costs(spans, self.settings, labels)
                emit_l = [
                    [e[k] - beta * p[k] if p[k] != INF else NEG for k in range(4)]
                    for e, p in zip(sub_emit, prior, strict=False)
                ]
                hook_l = [h - beta * p[labels[0]] if h != NEG else NEG for h, p in zip(sub_hook, prior, strict=False)]
            path, score = decode(sub_pen_m, emit_l, hook_l, labels, sub_allowed, sub_forced)
            score -= sum(mdl.skip_cost[k] for k in range(4) if k not in labels)
            if path and lo == 0:
                self.set_scores[labels] = score
            if path and score > best_score:
                best_path, best_score, best_size = path, score, len(labels)
                self.chosen[lo] = (sub_pen_m, emit_l, labels, sub_allowed, sub_forced)
        return best_path, best_score

    def _cue_sets(self, problem: _SubProblem) -> tuple[list[int] | None, float]:
        """The hand-weighted cues: evidence rows less the position prior, the settings'
        skip penalty; the hook scored by its result evidence."""
        lo, spans, sub_pen, sub_allowed, sub_forced, n_hook = problem
        settings, ev = self.settings, self.evidence
        cw, sw = settings.cue_weight, settings.signpost_weight
        sub_ev = ev.rows[lo:]
        n_sub = len(spans)
        best_path, best_score = None, NEG
        best_size = 5
        for labels in SUBSETS:
            # sets are tried largest first; dropping one more section is only tried when
            # dropping one helped (or the answer is too short to hold them all)
            if len(labels) < best_size - 1 and n_sub >= 4 and best_path is not None:
                break
            prior = prior_costs(spans, settings, labels)
            emit = emissions(sub_ev, prior)
            # hook: opening units with result evidence in place of the set-up evidence,
            # under the first kept section's position prior
            first = labels[0]
            hook_emit = [NEG] * n_sub
            for u in range(n_hook):
                result = cw * ev.cues[u][RESULT] + sw * ev.sigs[u][RESULT]
                hook_emit[u] = -prior[u][first] + result - settings.hook_bias
            path, score = decode(sub_pen, emit, hook_emit, labels, sub_allowed, sub_forced)
            score -= settings.skip_penalty * sum(SKIP_SCALE[k] for k in range(4) if k not in labels)
            if path and score > best_score:
                best_path, best_score, best_size = path, score, len(labels)
                self.chosen[lo] = (sub_pen, emit, labels, sub_allowed, sub_forced)
        return best_path, best_score

    def best_path(self, with_markers: bool) -> tuple[list[int], int]:
        """(label per unit, HOOK for hook units; how many units open the path before
        the first non-hook one). With markers the speaker has said where the story
        starts: no hook guessing."""
        path = self.decode_from(0, allow_hook=not with_markers)
        n_hook = next((u for u, lab in enumerate(path) if lab != HOOK), len(path))
        if 0 < n_hook < len(self.units) and self.evidence.learned is None:
            # the story starts after the hook: its sections share the time that is left
            path = [HOOK] * n_hook + self.decode_from(n_hook, allow_hook=False)
        return path, n_hook
