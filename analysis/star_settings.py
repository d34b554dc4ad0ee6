"""The STAR segmenter's settings (the ``[analysis.star]`` table of the settings file).

Kept apart from ``analysis.star`` (which re-exports it) so that reading settings, as the
app does before its first frame, does not import the segmenter and its cue lexicon.
"""

from __future__ import annotations

from dataclasses import dataclass

from analysis.setting_ranges import Num


@dataclass(frozen=True)
class StarSettings:
    """How STAR sections are found. The ``[analysis.star]`` table of the settings file."""

    prior_situation: float = 0.20
    """Expected time share of the Situation, used as the position prior when the words
    give no clear evidence. Source: the development corpus' naive reference (fixed shares
    S 20 / T 15 / A 45 / R 20 %, which already labels ~82 % of words right, README of the
    labelled STAR corpus) and coaching guidance that set-up (S+T) is about a third or less
    of a spoken answer (e.g. MIT CAPD and Amazon's interview guidance on the STAR method:
    keep the set-up brief, spend most time on the actions)."""
    prior_task: float = 0.15
    """Expected time share of the Task (same sources as ``prior_situation``)."""
    prior_action: float = 0.45
    """Expected time share of the Action (same sources as ``prior_situation``)."""
    prior_result: float = 0.20
    """Expected time share of the Result (same sources as ``prior_situation``)."""
    prior_strength: float = 160.0
    """How hard the position prior pulls. The cost of a labelling grows with the square
    of how far a boundary moves from its expected place (as a fraction of the answer):
    moving one boundary by 10 % costs ``prior_strength * 0.1**2 / 2`` (0.8 at the
    default), by 30 % costs 7.2 -- a signpost or two strong cues move a boundary a
    little, only consistent evidence moves it far. Tuned on the development corpus and
    checked on a held-out corpus (tests/corpus/star)."""
    cue_weight: float = 1.0
    """Multiplier on cue-word and sentence-feature evidence (1.0 = as designed; 0 turns
    cues off and leaves the position prior, signposts and markers)."""
    signpost_weight: float = 4.0
    """Evidence of one explicit spoken signpost ("the result was", "my task was"), in
    the same units as the prior cost. Signposts are what speaking coaches teach for
    clear STAR answers, so they are strong -- but not absolute (see the module doc)."""
    skip_penalty: float = 3.0
    """Cost of leaving a section out. Most answers have all four sections; one that
    skips one (often the Task, or the Result) has to show it with its words."""
    hook_bias: float = 1.5
    """Result evidence an opening unit needs beyond the Situation's before it counts as
    a result-first *hook* (reported, and kept out of the Result section)."""
    hook_max_share: float = 0.2
    """A hook must end within this share of the answer (a hook is a sentence or two)."""
    pause_boundary_s: float = 0.3
    """A silence between words at least this long can end a unit (a sentence or
    clause). Source: pauses at clause boundaries in read and spontaneous English are
    typically 0.2-1 s (Goldman-Eisler 1968; Krivokapic 2007); 0.3 s avoids the
    articulation gaps inside phrases."""
    learned: bool = True
    """Weigh the words with the learned model (analysis/star/model.json, fitted to the
    labelled corpus and chosen by cross-validation, see analysis.star.model); false uses
    the hand-weighted cues and the position prior of earlier versions."""
    marker_snap_s: float = 2.0
    """A marker (a key pressed while speaking) moves to the start of the nearest
    sentence/clause within this many seconds, since a key is usually pressed a moment
    after the new section begins."""

    def __post_init__(self) -> None:
        shares = (self.prior_situation, self.prior_task, self.prior_action, self.prior_result)
        if any(s < 0 for s in shares) or sum(shares) <= 0:
            raise ValueError("STAR prior shares must be >= 0 and not all zero")
        for name in (
            "prior_strength",
            "cue_weight",
            "signpost_weight",
            "skip_penalty",
            "hook_bias",
            "pause_boundary_s",
            "marker_snap_s",
        ):
            if getattr(self, name) < 0:
                raise ValueError(f"{name} must be >= 0")
        if not 0 <= self.hook_max_share <= 1:
            raise ValueError("hook_max_share must be between 0 and 1")

    @property
    def shares(self) -> tuple[float, float, float, float]:
        s = (self.prior_situation, self.prior_task, self.prior_action, self.prior_result)
        total = sum(s)
        return tuple(x / total for x in s)  # type: ignore[return-value]


RANGES = {
    "prior_situation": Num(0.0, 1.0),
    "prior_task": Num(0.0, 1.0),
    "prior_action": Num(0.0, 1.0),
    "prior_result": Num(0.0, 1.0),
    "prior_strength": Num(0.0, 10000.0),
    "cue_weight": Num(0.0, 100.0),
    "signpost_weight": Num(0.0, 100.0),
    "skip_penalty": Num(0.0, 100.0),
    "hook_bias": Num(0.0, 100.0),
    "hook_max_share": Num(0.0, 1.0),
    "pause_boundary_s": Num(0.0, 10.0),
    "marker_snap_s": Num(0.0, 60.0),
}
"""The valid range of each setting (analysis.setting_ranges); the README lists them."""
