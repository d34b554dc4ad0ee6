"""STAR segmentation: which stretch of an answer is Situation, Task, Action, Result.

The answer is cut into *units* (sentences; clauses at pauses and clause-opening words
where the transcript has no punctuation) and each unit gets soft evidence for each
section. A monotonic Viterbi decoding over the units then picks the labelling with the
best total score under the order constraint S -> T -> A -> R. It is run once for each
set of sections the answer may contain (all four; no Task; no Result; ...), each with
the prior shares of the sections it keeps, and leaving a section out costs
``skip_penalty``; the best hypothesis wins, so "missing" is a decision between whole
answers rather than a side effect of one boundary. Evidence, strongest first:

1. **Markers** (keys the speaker pressed while talking, ``Transcript.markers``) fix the
   section boundaries they name; the decoding only fills in boundaries they leave open.
2. **Signposts** the speaker says ("the situation was", "my task was", "what I did was",
   "the result was", "in the end") are strong evidence that a section starts there --
   but still only evidence: "the result was that I convinced them to run a pilot" in the
   middle of the actions is outvoted by the actions around it and by the position prior.
3. **Cues and sentence features**: tense and aspect ("I was working as", "had been"),
   obligation ("I needed to", "my job was"), first-person past-tense action verbs and
   sequencing ("so I called", "then we"), outcome language, numbers and percentages,
   aftermath ("since then", "still", "now"), lessons learned.

All of that is weighed against a **position prior**: typical time shares of the four
sections. Cue evidence has to overcome it, so weak evidence falls back to sensible
proportions instead of collapsing a section to a few seconds. The prior costs grow with
the square of how far a boundary moves from its expected place, so small moves are cheap
and large ones need strong evidence.

An answer that opens with its result ("I cut our release time in half -- let me tell
you how.") has a *hook*: a short opening unit with strong result evidence before the
story starts. The decoder has a hook state for it; the hook stays inside the first
section (sections are contiguous and ordered) and is reported as ``hook``, and the story
after it is decoded again with the position prior spread over the time that is left.

Everything here is pure Python over a :class:`~analysis.transcript.Transcript`; the
cost is linear in the number of words (regexes are compiled once, at import).

The modules, one stage each: ``types`` (the result), ``cues`` (the cue tables) and
``triggers`` (which words each cue pattern needs), ``units`` (sentences and clauses),
``evidence`` (what each unit's words say), ``model`` (the learned evidence, with
``model.json``), ``markers``, ``decode`` (the position prior and the Viterbi),
``search`` (the best whole answer over the sets of kept sections), ``confidence`` and
``segment`` (the stages in order).
"""

from __future__ import annotations

from analysis.star.segment import segment, unit_view
from analysis.star.types import CONFIDENCE_WINDOW_S, Evidence, SectionSpan, StarSegmentation
from analysis.star_settings import StarSettings
from analysis.transcript import STAR_LABELS

__all__ = [
    "StarSettings",
    "SectionSpan",
    "Evidence",
    "StarSegmentation",
    "segment",
    "unit_view",
    "CONFIDENCE_WINDOW_S",
    "STAR_LABELS",
]
