"""The result of STAR segmentation: sections, the evidence for where they start, and the
whole segmentation (what the report's ``star`` block is built from)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from analysis.transcript import Span, section_named, star_dict

# A section start counts as right (for its confidence) within this many seconds: about
# one spoken sentence either way.
CONFIDENCE_WINDOW_S = 3.0


@dataclass(frozen=True)
class SectionSpan:
    """One STAR section: words ``first`` .. ``last_exclusive - 1``, times start..end."""

    label: str
    first: int
    last_exclusive: int
    start: float
    end: float
    confidence: float = 1.0
    """How sure the start of this section is: the probability (under the decoding's
    scores, at the model's calibrated temperature) that the section is there at all and
    starts within ``CONFIDENCE_WINDOW_S`` of where it is put; for the first section
    (which starts with the answer), the probability that it is there at all. 1.0 where
    markers decided."""
    hook: bool = False
    """A result told first, before the story (labelled "result"; the story's own
    sections follow it, each label once)."""

    @property
    def seconds(self) -> float:
        return self.end - self.start

    @property
    def words(self) -> int:
        return self.last_exclusive - self.first

    def to_dict(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "start": round(self.start, 3),
            "end": round(self.end, 3),
            "first": self.first,
            "last_exclusive": self.last_exclusive,
            "confidence": round(self.confidence, 3),
        } | ({"hook": True} if self.hook else {})


@dataclass(frozen=True)
class Evidence:
    """Why a section starts where it does: a marker, a signpost, a cue, or the hook."""

    kind: str  # "marker" | "signpost" | "cue" | "hook"
    label: str  # the STAR label it supports
    text: str  # the words (or the marker label)
    start: float
    first: int  # word index

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "label": self.label,
            "text": self.text,
            "start": round(self.start, 3),
            "first": self.first,
        }


@dataclass(frozen=True)
class StarSegmentation:
    method: str  # "markers" | "signposts" | "cues" | "none"
    sections: tuple[SectionSpan, ...]
    missing: tuple[str, ...]
    hook: Span | None = None
    evidence: tuple[Evidence, ...] = field(default=())

    def section(self, label: str) -> SectionSpan | None:
        return section_named(self.sections, label)

    def to_dict(self) -> dict[str, Any]:
        return star_dict(self, [e.to_dict() for e in self.evidence])
