"""The report: frozen dataclasses whose ``to_dict()`` is the report JSON contract.

Everything downstream (take library, TUI, export) reads report dicts (``report.json``),
so :meth:`Report.to_dict` is the contract (DESIGN.md "Data contracts" plus the extras
agreed in the team's interface notes). Times are seconds, rounded to milliseconds.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from analysis.fillers import KINDS, Filler
from analysis.pace import PaceStats
from analysis.pauses import PauseStats
from analysis.transcript import Span, section_named, star_dict

REPORT_VERSION = 1


def _r(x: float | None, nd: int = 3) -> float | None:
    return None if x is None else round(x, nd)


@dataclass(frozen=True)
class SectionStats:
    label: str
    start: float
    end: float
    seconds: float
    share: float
    """Share of the speaking time (all sections' shares add up to 1)."""
    words: int
    wpm: float
    fillers: int
    first: int
    """Index of the section's first word."""
    last_exclusive: int
    confidence: float = 1.0
    """How sure the section's start is (analysis.star.SectionSpan.confidence)."""
    hook: bool = False
    """The opening result hook (analysis.star.SectionSpan.hook)."""

    def to_dict(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "start": _r(self.start),
            "end": _r(self.end),
            "seconds": _r(self.seconds, 2),
            "share": round(self.share, 4),
            "words": self.words,
            "wpm": _r(self.wpm, 1),
            "fillers": self.fillers,
            "confidence": round(self.confidence, 2),
        } | ({"hook": True} if self.hook else {})


@dataclass(frozen=True)
class StarReport:
    method: str
    sections: tuple[SectionStats, ...]
    missing: tuple[str, ...]
    targets: dict[str, float]
    hook: Span | None = None
    evidence: tuple[dict[str, Any], ...] = ()

    def section(self, label: str) -> SectionStats | None:
        return section_named(self.sections, label)

    def to_dict(self) -> dict[str, Any]:
        return star_dict(self, list(self.evidence), targets=dict(self.targets))


@dataclass(frozen=True)
class FillerStats:
    items: tuple[Filler, ...]
    per_minute: float
    per_100_words: float

    @property
    def count(self) -> int:
        return len(self.items)

    @property
    def by_kind(self) -> dict[str, int]:
        c = Counter(f.kind for f in self.items)
        return {k: c[k] for k in KINDS if c[k]}

    @property
    def by_text(self) -> dict[str, int]:
        c = Counter(f.text for f in self.items)
        return dict(sorted(c.items(), key=lambda kv: (-kv[1], kv[0])))

    def to_dict(self) -> dict[str, Any]:
        return {
            "count": self.count,
            "per_minute": round(self.per_minute, 2),
            "per_100_words": round(self.per_100_words, 2),
            "by_kind": self.by_kind,
            "by_text": self.by_text,
            "items": [f.to_dict() for f in self.items],
        }


@dataclass(frozen=True)
class Balance:
    label: str
    share: float
    target: float
    low: float
    high: float
    verdict: str
    """"ok" | "short" | "long" | "missing" """

    def to_dict(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "share": round(self.share, 4),
            "target": self.target,
            "range": [round(self.low, 4), round(self.high, 4)],
            "verdict": self.verdict,
        }


@dataclass(frozen=True)
class Signpost:
    text: str
    start: float

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "start": _r(self.start)}


@dataclass(frozen=True)
class ContentReport:
    length_seconds: float
    length_target: tuple[float, float]
    length_verdict: str
    """"short" | "good" | "long" """
    balance: tuple[Balance, ...]
    result_quantified: bool
    result_numbers: tuple[str, ...]
    ownership_i: int
    ownership_we: int
    ownership_scope: str
    """Where ownership was counted: "action" or "answer" (no Action section found)."""
    signposts: tuple[Signpost, ...]
    hedges: int
    repeated_words: tuple[tuple[str, int], ...]
    missing: tuple[str, ...]

    @property
    def ownership_ratio(self) -> float | None:
        total = self.ownership_i + self.ownership_we
        return self.ownership_i / total if total else None

    def to_dict(self) -> dict[str, Any]:
        lo, hi = self.length_target
        ratio = self.ownership_ratio
        return {
            "length": {
                "seconds": _r(self.length_seconds, 2),
                "target": [_int(lo), _int(hi)],
                "verdict": self.length_verdict,
            },
            "balance": [b.to_dict() for b in self.balance],
            "result_quantified": self.result_quantified,
            "result_numbers": list(self.result_numbers),
            "ownership": {
                "i": self.ownership_i,
                "we": self.ownership_we,
                "ratio": None if ratio is None else round(ratio, 3),
                "scope": self.ownership_scope,
            },
            "signposts": [s.to_dict() for s in self.signposts],
            "hedges": self.hedges,
            "repeated_words": [[w, n] for w, n in self.repeated_words],
            "missing": list(self.missing),
        }


def _int(x: float) -> float | int:
    return int(x) if float(x).is_integer() else x


@dataclass(frozen=True)
class Tip:
    id: str
    """Stable identifier of the kind of tip (e.g. "result_short", "fillers")."""
    text: str
    at: float | None = None
    """Where in the answer it points (seconds), if anywhere."""

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "text": self.text, "at": _r(self.at)}


@dataclass(frozen=True)
class Report:
    duration: float
    words: int
    language: str
    model: str | None
    pace: PaceStats
    pauses: PauseStats
    fillers: FillerStats
    star: StarReport
    content: ContentReport
    hesitations: tuple[Span, ...]
    tips: tuple[Tip, ...]
    version: int = REPORT_VERSION

    def to_dict(self) -> dict[str, Any]:
        return {
            "version": self.version,
            "duration": _r(self.duration),
            "words": self.words,
            "language": self.language,
            "model": self.model,
            "pace": self.pace.to_dict(),
            "pauses": self.pauses.to_dict(),
            "fillers": self.fillers.to_dict(),
            "star": self.star.to_dict(),
            "content": self.content.to_dict(),
            "hesitations": {"count": len(self.hesitations), "items": [h.to_dict() for h in self.hesitations]},
            "tips": [t.to_dict() for t in self.tips],
        }
