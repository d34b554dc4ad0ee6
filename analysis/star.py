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
"""

from __future__ import annotations

import dataclasses
import functools
import math
import re
from dataclasses import dataclass, field
from typing import Iterable, Sequence

from analysis.star_model import load_model, unit_features
from analysis.transcript import STAR_LABELS, Span, Transcript

__all__ = [
    "StarSettings",
    "SectionSpan",
    "Evidence",
    "StarSegmentation",
    "segment",
    "STAR_LABELS",
]

# ------------------------------------------------------------------------------------
# settings


from analysis.star_settings import StarSettings  # noqa: E402  (re-exported)


# ------------------------------------------------------------------------------------
# results


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

    @property
    def seconds(self) -> float:
        return self.end - self.start

    @property
    def words(self) -> int:
        return self.last_exclusive - self.first

    def to_dict(self) -> dict:
        return {"label": self.label, "start": round(self.start, 3), "end": round(self.end, 3),
                "first": self.first, "last_exclusive": self.last_exclusive,
                "confidence": round(self.confidence, 3)}


@dataclass(frozen=True)
class Evidence:
    """Why a section starts where it does: a marker, a signpost, a cue, or the hook."""

    kind: str  # "marker" | "signpost" | "cue" | "hook"
    label: str  # the STAR label it supports
    text: str  # the words (or the marker label)
    start: float
    first: int  # word index

    def to_dict(self) -> dict:
        return {"kind": self.kind, "label": self.label, "text": self.text,
                "start": round(self.start, 3), "first": self.first}


@dataclass(frozen=True)
class StarSegmentation:
    method: str  # "markers" | "signposts" | "cues" | "none"
    sections: tuple[SectionSpan, ...]
    missing: tuple[str, ...]
    hook: Span | None = None
    evidence: tuple[Evidence, ...] = field(default=())

    def label_of(self, index: int) -> str | None:
        for s in self.sections:
            if s.first <= index < s.last_exclusive:
                return s.label
        return None

    def section(self, label: str) -> SectionSpan | None:
        for s in self.sections:
            if s.label == label:
                return s
        return None

    def to_dict(self) -> dict:
        return {
            "method": self.method,
            "sections": [s.to_dict() for s in self.sections],
            "missing": list(self.missing),
            "hook": self.hook.to_dict() if self.hook else None,
            "evidence": [e.to_dict() for e in self.evidence],
        }


# ------------------------------------------------------------------------------------
# lexicons (compiled once). Patterns run on a unit's normalised words joined by single
# spaces, fillers removed. Each cue adds a score vector (S, T, A, R), once per unit.

_S, _T, _A, _R = 0, 1, 2, 3
_HOOK = 4  # decoder state before the Situation

_NUM = (r"(?:\d[\d,.]*|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
        r"thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|"
        r"a hundred|a thousand|thousand|half|a half|a third|a quarter|a couple of|a few|several)")
_PERIOD = r"(?:seconds?|minutes?|hours?|days?|weeks?|months?|quarters?|years?|sprints?|shifts?|terms?|semesters?)"
# Irregular past tenses of verbs that narrate actions (not states: was, had, knew...).
_IRREGULAR_PAST = (
    "went|made|took|sat|spoke|met|wrote|built|ran|got|gave|told|brought|set|put|found|began|"
    "drove|sent|kept|led|bought|paid|chose|drew|flew|fought|hid|held|left|lent|let|lit|"
    "rang|rode|rose|said|saw|sold|shot|shut|sang|sought|spent|split|stood|stuck|swept|"
    "taught|threw|understood|undertook|woke|won|wound|broke|caught|dug|fed|forgave|froze|"
    "grabbed|heard|laid|mapped|overhauled|rebuilt|redid|rewrote|reran|sped|spun|took over|"
    "came up|came back|came in|stepped|pulled|pushed|cut|did"
)
# Regular "-ed" verbs that state feelings, needs or states rather than narrate actions.
_NOT_ACTION_ED = (
    "needed|wanted|hoped|liked|loved|hated|wished|intended|expected|supposed|used|"
    "noticed|realised|realized|learned|learnt|believed|seemed|appeared|belonged|owned|"
    "lived|worked|joined|started|happened|tried|was|were|felt|knew|thought|had|agreed"
)
_ACTION_VERB = rf"(?:(?!(?:{_NOT_ACTION_ED})\b|used to\b)[a-z]+ed|{_IRREGULAR_PAST})"
_ADV = r"(?:(?:also|then|first|quickly|immediately|personally|just|actually|finally|eventually|then also|instead|later|next|again|basically|really|simply|even) )?"


def _rx(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


# Signposts: the speaker names the section. Matched near the start of a unit (after
# connectives), and they are the strongest spoken evidence.
_SIGNPOSTS: tuple[tuple[int, re.Pattern[str]], ...] = (
    (_S, _rx(r"^(?:the |a bit of |some |for )?(?:situation|context|background|setting|scene)\b(?: (?:was|is|here|there|first|at the time)\b|$)")),
    (_S, _rx(r"^(?:to|let me) (?:set the scene|give (?:you )?(?:some |a bit of |the )?(?:context|background))")),
    (_T, _rx(r"^(?:and )?(?:my|the|our) (?:task|job|role|goal|responsibility|assignment|mission|objective|challenge|brief|remit|aim)s? (?:was|were|is|became|here|there|then|at that point)\b")),
    (_T, _rx(r"^(?:what )?(?:i|we) (?:was|were) (?:tasked with|asked to|brought in to|hired to)\b")),
    (_T, _rx(r"^(?:what|the thing) (?:i|we) (?:needed|had|was supposed|were supposed) to (?:do|achieve|figure out|solve)")),
    (_A, _rx(r"^(?:so |and )?(?:what|the first thing|the main thing|the things?) (?:i|we) did\b")),
    (_A, _rx(r"^(?:so |and )?(?:here's|here is|this is) what (?:i|we) did\b")),
    (_A, _rx(r"^(?:my|our) (?:approach|plan|first step|solution|strategy|actions?) (?:was|were|is)\b")),
    (_A, _rx(r"^(?:the )?(?:actions?|steps?) (?:i|we) took\b")),
    (_R, _rx(r"^(?:and |so )?(?:the|our|my) (?:end )?(?:results?|outcome|impact|upshot|payoff) (?:was|were|is|of (?:that|this|all)|here)\b")),
    (_R, _rx(r"^(?:and |so )?(?:as a result|in the end|at the end of the day|in the long run|all in all|overall|ultimately|in terms of (?:results?|impact|outcome))\b")),
)

# Cues: (vector S,T,A,R, pattern). Searched anywhere in a unit unless anchored with ^.
_CUES: tuple[tuple[tuple[float, float, float, float], re.Pattern[str]], ...] = (
    # --- Situation: setting the scene (where, when, who I was), states, ongoing problems.
    ((1.5, 0, 0, 0), _rx(r"\b(?:at|in|during|for) (?:my|our|a|the) (?:last|previous|former|old|current|first|second|summer|part-time|early|new|\w+ing) (?:job|role|position|company|team|internship|workplace|employer|school|placement|year|post|contract|startup|firm|store|shop|ward|hospital)\b")),
    ((1.2, 0, 0, 0), _rx(r"\b(?:i|we) (?:was|were|had been|used to be) (?:a|an|the|one of|part of|on|working|employed|volunteering|studying|still|new|just|only)\b")),
    ((1.2, 0, 0, 0), _rx(r"\bi (?:worked|was working|used to work|had been working|was employed|was interning|was volunteering|was studying) (?:as|at|for|in|on|with)\b|\bi (?:work|am working|'m working|teach) (?:[a-z]+ ){0,2}(?:as|at|for|in|on|with|year|grade)\b")),
    ((1.0, 0, 0, 0), _rx(r"\b(?:i'm|i am|i've been|i have been) (?:a|an|the|one of|part of|on|currently|still)\b")),
    ((1.2, 0, -0.3, 0), _rx(r"\bwhen (?:i|we) (?:first |had )?(?:joined|started|was|were|worked|moved|arrived|took over|got there|began)\b")),
    ((0.8, 0, 0, 0), _rx(rf"\b(?:{_NUM}|many|some|a few) (?:years?|months?|weeks?|summers?|semesters?) ago\b|\b(?:last|this|that|one) (?:year|spring|summer|fall|autumn|winter|semester|term|quarter|christmas|season)\b|\bback (?:in|when|then)\b|\bat the time\b|\bat that (?:time|point in my career)\b|\bin my (?:first|second|third|final) (?:year|month|week)\b")),
    ((1.0, 0.3, 0, 0), _rx(r"\bthe (?:main |big |real )?(?:problem|issue|challenge|trouble|difficulty|risk|complaint|concern)s? (?:was|were|is|there|had)\b")),
    ((0.8, 0, 0, 0), _rx(r"\bthere (?:was|were|had been)\b")),
    ((0.8, 0, 0, 0), _rx(r"\b(?:we|i|they|he|she|it|the \w+) had (?:a|an|about|only|no|some|over|nearly|almost|just|around|roughly|more|less|fewer|too|\d[\d,.]*|two|three|four|five|six|seven|eight|nine|ten|twelve|twenty|thirty|forty|fifty|hundreds|dozens|lots)\b")),
    ((0.7, 0, -0.2, 0), _rx(r"\b(?:was|were) (?:\w+ )?(?:\w+ing)\b(?! (?:to|up|on)\b)")),
    ((0.8, 0, 0, 0), _rx(r"\b(?:had been|used to|kept \w+ing|would always|would often|every (?:single )?(?:day|week|month|time|sprint|shift|morning|night|year|monday|tuesday|wednesday|thursday|friday|saturday|sunday|weekend))\b")),
    ((0.6, 0, 0, 0), _rx(r"^(?:so |okay |ok |well |right )?(?:this|it) was (?:at|when|in|during|back|a|an|my|our|last|about)\b")),
    ((0.6, 0, 0, 0), _rx(r"\b(?:our|the|my) (?:team|company|department|manager|boss|client|customer|ward|shop|store|school|class|office|startup|warehouse|organisation|organization|project|product|app|system|site|website|process)s? (?:was|were|had|did not|didn't|wasn't|weren't)\b")),
    ((0.6, 0, 0, 0), _rx(r"^(?:our|the|my|his|her|their|a|an|this|that|these|those|most|many|all|some) (?:[a-z']+ ){0,4}(?:was|were|had|got|kept|seemed|felt|looked)\b")),
    ((0.6, 0, 0, 0), _rx(r"\b(?:often|usually|always|constantly|regularly|all the time|every time|again and again|pretty much every|most days|most weeks)\b")),
    ((0.5, 0, 0, -0.2), _rx(r"\b(?:wasn't|weren't|didn't|couldn't|hadn't|was not|were not|did not|nobody|no one|none of)\b")),
    ((0.5, 0, -0.2, 0), _rx(r"\b(?:was|were|felt|seemed|looked like|knew|thought|believed|assumed)\b")),
    ((0.6, 0, 0, 0), _rx(r"\b(?:he|she|they|it|everyone|everybody|people) (?:was|were|had|kept|seemed|felt)\b")),
    # --- Task: obligation, goals, responsibility, being asked.
    ((0, 2.0, 0, 0), _rx(r"\b(?:my|our) (?:job|task|role|goal|responsibility|assignment|mission|objective|remit|brief|challenge)\b")),
    ((0, 1.2, 0, 0), _rx(r"\b(?:i|we) (?:still |really |now |then |first |somehow |suddenly |just )?(?:have|need|'ve got|got|am supposed|'m supposed|are supposed) to\b")),
    ((0, 1.6, 0, 0), _rx(r"\bi (?:still |really |also |now |then |first |somehow |suddenly |just )?(?:needed|had|wanted|was supposed|was expected|was meant|was asked|was told|was tasked|was hired|was brought in|got asked|had been asked|was assigned|would have|would need) to\b")),
    ((0, 0.9, 0, 0), _rx(r"\b(?:we|the team|my team|our team) (?:still |really |also |now |then |first |somehow |suddenly |just )?(?:needed|had|wanted|were supposed|were expected|were meant|were asked|were told|would have|would need) to\b")),
    ((0.3, 0.8, 0, 0), _rx(r"\b(?:he|she|they|the client|the customer|the patient|the manager|my manager|the business|the company) (?:really |still |urgently |just )?(?:needed|had to|wanted|was expecting|expected|was counting on)\b")),
    ((0.3, 0.8, 0, 0), _rx(r"\b(?:was|were|it was|we were|i was) (?:going|about) to (?:have to|need|lose|fail|miss|be late|run out|cancel|quit|leave|walk|churn|close)\b|\bnobody (?:had )?(?:asked|told|made|expected|wanted|assigned) (?:me|us)\b|\bno one (?:had )?(?:asked|told|made) (?:me|us)\b")),
    ((0, 1.2, 0, 0), _rx(r"\b(?:i|we) (?:was|were) (?:told|asked|given|handed|put in charge|made responsible|expected|supposed)\b")),
    ((0.3, 0.6, 0, 0), _rx(r"\bif (?:i|we|someone|somebody|nobody|they|he|she) (?:didn't|did not|couldn't|could not|can't|don't|wouldn't|failed|fail|missed|miss|lost|lose)\b|\bunless\b|\botherwise\b|\bat stake\b|\bat risk\b")),
    ((0, 1.6, 0, 0), _rx(r"\b(?:responsible for|in charge of|tasked with|accountable for|put in charge|up to me|fell to me|on me to|my call|left to me)\b")),
    ((0, 1.4, 0, 0.3), _rx(r"\b(?:asked|wanted|needed|told|expected|assigned|hired|brought) (?:me|us|my team) (?:to|with)\b")),
    ((0, 1.4, 0, 0), _rx(r"\bthe (?:goal|aim|target|objective|deadline|mandate|brief|task|job|plan) (?:was|is|were|had)\b")),
    ((0, 1.0, 0, 0), _rx(r"\b(?:goal|aim|target|objective|deadline|mandate|kpi|okr|expectation)s?\b")),
    ((0, 1.4, 0, 0), _rx(r"\b(?:my|our|the) (?:[a-z]+ )?(?:was|is) to (?!be\b)[a-z]+")),
    ((0, 1.0, 0, 0), _rx(r"\b(?:someone|somebody|nobody|no one|anyone) (?:had|needed|would have|was going) to\b")),
    ((0, -0.5, 0, 1.5), _rx(r"\b(?:hit|met|missed|beat|exceeded|reached|smashed|fell short of|came close to|overshot) (?:the|our|my|their|that|a) (?:\w+ )?(?:target|goal|deadline|number|quota|budget|kpi|date)s?\b")),
    ((0, 0, 0, 1.0), _rx(r"\b(?:ended|finished|closed|wrapped up) (?:the|that) (?:year|quarter|month|season|sprint|term|semester|project|week) (?:with|at|on|having|ahead|behind|\d)")),
    ((0, 0.8, 0, 0), _rx(r"\b(?:make sure|figure out|find a way|work out how|without (?:\w+ing|going|hiring|losing|any)|had to be|needed to be|in time for|before the (?:deadline|launch|release|sale|audit|holiday|end))\b")),
    ((0, 1.0, 0, 0), _rx(r"\b(?:i|we) (?:knew|realised|realized|decided|thought|felt|figured) (?:that )?(?:i|we|i'd|we'd) (?:had|needed|should|would have|would need|must|could|wanted|try|have to|need to|better)\b")),
    ((0.2, 0.8, 0, 0), _rx(r"\b(?:i|we) (?:didn't|did not) want (?:to|him|her|them|it|us|the|our|my|anyone|anybody)\b")),
    ((0, 0.8, 0.3, 0), _rx(r"\b(?:i|we) (?:wanted|hoped|tried|set out|aimed|decided|chose|volunteered|offered) to\b")),
    # --- Action: first-person narration of deeds, sequencing.
    ((0, 0, 1.4, 0), _rx(rf"\bi {_ADV}{_ACTION_VERB}\b")),
    ((0, 0, 0.8, 0.1), _rx(rf"\bwe {_ADV}{_ACTION_VERB}\b")),
    ((0, 0, 1.2, 0), _rx(r"^(?:and |so )?(?:first|firstly|first of all|to start|to begin|then|next|after that|afterwards|second|secondly|third|thirdly|from there|meanwhile|at the same time|on top of that|in parallel|once (?:that|i|we|she|he|they)|while)\b")),
    ((0, 0, 1.0, 0), _rx(r"^(?:and |so )?(?:i|we) (?:also|then|first|started|began|made sure|set up|reached out|sat down|went|spent|took|ended up \w+ing)\b")),
    ((0, 0, 1.0, 0), _rx(r"\b(?:i|we) (?:started|began) (?:by |with |to |\w+ing)\b|\bi (?:made sure|set up|reached out|sat down|put together|came up with|followed up|went through|worked with|walked (?:\w+ )?through|pulled together|broke (?:it|them|the \w+) (?:down|up|into))\b")),
    ((0, 0, 0.6, 0), _rx(r"\b(?:i|we) (?:call|ask|tell|say|go|sit|write|build|start|decide|talk|email|set|put|pull|open|check|run)s? (?:him|her|them|up|down|to|with|the|a|my|our|it|that|this)\b")),
    ((0, -0.3, 0.6, 0), _rx(r"\b(?:by \w+ing|so that (?:i|we|they|he|she) could|in order to|step by step|one by one|one on one|myself|personally|on my own)\b")),
    # --- Result: outcomes, numbers, change, aftermath, recognition, lessons.
    ((0, 0, 0, 1.4), _rx(r"\d+(?:\.\d+)?\s*%|\b(?:percent|per cent)\b|\bpercentage points?\b")),
    ((0, 0, 0, 1.0), _rx(rf"\bfrom (?:about |around |roughly |over |under |nearly |almost )?{_NUM}\b[\w ]{{0,25}}? (?:down |up )?to (?:about |around |roughly |just |only |nearly |almost |under |over )?(?:{_NUM}|zero|none|nothing)\b")),
    ((0, 0, 0, 1.2), _rx(r"\b(?:went|grew|jumped|dropped|fell|rose|climbed|improved|came down|went up|went down|increased|decreased|shrank|reduced) (?:\w+ ){0,2}from\b.{0,60}?\bto\b")),
    ((0, 0, 0, 1.0), _rx(rf"\$|\b(?:dollars|pounds|euros|bucks|grand)\b|\b{_NUM} (?:thousand|million|billion|k)\b")),
    ((0, 0, 0, 1.0), _rx(r"\b(?:was|were|got|had been) (?:all |quickly |finally |eventually |then )?(?:corrected|fixed|resolved|caught|prevented|avoided|approved|accepted|adopted|saved|solved|settled|cleared|recovered|restored|signed off|rolled out|paid|reinstated)\b")),
    ((0, 0, 0, 1.0), _rx(r"\b(?:back to normal|back up and running|up and running|back online|resolved|stable again|under control|on track|went live|was live|were live|no longer)\b")),
    ((0, 0.2, 0, 0.6), _rx(rf"\bwithin (?:about |only |just |less than |under )?(?:half an? |an? |the )?(?:{_NUM} )?(?:{_NUM} )?{_PERIOD}\b")),
    ((0, 0, 0, 1.0), _rx(rf"\bby (?:more than |almost |nearly |over |about |around |roughly |at least )?(?:half|a half|a third|a quarter|two thirds|{_NUM} (?:percent|per cent|times|points|%))|\b(?:than (?:before|last|the year before|the previous)|compared (?:to|with)|year on year|year over year)\b")),
    ((0, 0, 0, 1.0), _rx(r"\b(?:doubled|tripled|halved|in half|twice as|three times|ten times|x faster|times faster|times more|times less)\b")),
    ((0, 0, -0.2, 1.0), _rx(r"\b(?:went (?:up|down|from)|dropped|fell|rose|increased|decreased|reduced|improved|grew|declined|shrank|jumped|climbed|came down|went away|disappeared|stopped happening|picked up)\b")),
    ((0, 0, 0, 1.0), _rx(rf"\b(?:{_NUM}|an?) (?:\w+ )?{_PERIOD}? ?instead of\b|\binstead of (?:the |about |over |nearly )?{_NUM}\b|\bin (?:under|less than|just|only) (?:an? |{_NUM} )?{_PERIOD}\b")),
    ((0, 0, 0, 0.8), _rx(r"\b(?:saved|cut|recovered|earned|generated|raised|won|hit|beat|exceeded|met|reached|achieved|delivered|launched|shipped|finished|completed|passed|closed|signed|kept|retained)\b")),
    ((0, 0, 0, 1.0), _rx(r"\b(?:no|zero|not a single|not one|without any|without a single) (?:more |further |new |[a-z]+ ){0,2}(?:complaints?|errors?|bugs?|incidents?|issues?|problems?|timeouts?|outages?|escalations?|falls?|mistakes?|failures?|failed \w+|downtime|delays?|returns?|injuries|accidents|defects?|churn|findings?|losses|breaches|violations|cancellations)\b")),
    ((0, 0, 0, 0.8), _rx(rf"\b(?:an? |{_NUM} )?(?:days?|weeks?|months?|hours?|minutes?) (?:late|early|ahead of schedule|behind schedule|ahead of time)\b|\b(?:ahead of|behind) schedule\b")),
    ((0, 0, 0, 1.0), _rx(r"\b(?:as a result|in the end|ended up|ultimately|outcome|end result|the result|results|impact|succeeded|success|successful|successfully|worked out|paid off|on time|on budget|under budget|ahead of schedule|for the first time|no (?:more |longer |further )?(?:complaints|errors|bugs|incidents|issues|problems|timeouts|outages|escalations|falls|mistakes)|zero \w+)\b")),
    ((0, 0, 0, 1.0), _rx(r"\b(?:is|are|'s|'re|has|have) still\b|\bstill (?:uses?|using|works?|working|runs?|running|is|are|there|in place|going|talks?|calls?|sends?)\b")),
    ((0, 0, 0.2, 0.8), _rx(rf"\b(?:{_NUM}|a few|a couple of|some|many|several) (?:days?|weeks?|months?|years?|quarters?) later\b|\blater (?:that|this|the same) (?:day|week|month|year|quarter)\b")),
    ((0, 0, 0, 1.0), _rx(r"\b(?:since then|ever since|to this day|these days|nowadays|today|now|going forward|from then on|after that (?:quarter|year|month)|the next (?:year|quarter|month|season|semester|term))\b")),
    ((0, 0, 0.3, 0.7), _rx(rf"^(?:and |so )?(?:within|over|after|in|by) (?:the |a |an |about |only |just )?(?:next |first |following |end of the |end of )?(?:{_NUM} )?{_PERIOD}\b|^(?:and |so )?by the (?:end|time|next|following|spring|summer|fall|autumn|winter|deadline)\b|^(?:and |so )?(?:later|eventually|afterwards|finally|a few \w+ later|\w+ \w+ later)\b")),
    ((0, 0, 0, 1.0), _rx(r"\b(?:thank you|thank-you|thanks|thanked|praised|promoted|promotion|award|awarded|recognised|recognized|recognition|compliment|compliments|complimented|congratulated|adopted|rolled (?:it |this |that )?out (?:to|across)|became (?:the|a|our) (?:template|standard|default|norm|model)|standard practice|a good review|good reviews|five star|feedback was|review that|(?:was|were) (?:so |really |very )?(?:happy|pleased|grateful|impressed|relieved|thrilled))\b")),
    ((0, 0, 0.3, 1.0), _rx(r"\b(?:got|managed to get|helped|persuaded|convinced) (?:[a-z']+ ){1,5}to (?:finish|complete|pass|hit|reach|sign|adopt|agree|switch|come back|stay)\b|\b(?:nobody|no one) (?:thought|expected|believed) (?:we|they|i|he|she|it) (?:would|could)\b")),
    ((0, 0, 0, 0.8), _rx(r"\b(?:proudest|proud of|achievement|accomplishment|biggest win|best result)\b")),
    ((0, 0, 0, 1.4), _rx(r"\b(?:i learned|i learnt|i've learned|learned that|learnt that|the lesson|lessons? learned|taught me|what i took away|my takeaway|the takeaway|looking back|in hindsight|next time|if i did it again|i would now|i now|i always \w+ now|since then i|main thing i learned|i realised afterwards|i realized afterwards)\b")),
    ((0, 0, 0, 0.6), _rx(r"\b(?:is|are|has|have) (?:still |now |been )?(?:used|running|in place|part of|the standard)\b|\b(?:she|he|they)(?:'s| is| are|'re) (?:now|still)\b")),
)

# Connectives stripped before the anchored (^) patterns are tried.
_LEAD = _rx(r"^(?:(?:and|so|but|well|okay|ok|right|then|um|uh|anyway|basically|actually|yeah|now|oh)\s+)+")
_LEAD_KEEP_SEQ = _rx(r"^(?:(?:and|but|well|okay|ok|right|um|uh|anyway|yeah|oh)\s+)+")

# Caption-style unit splitting: words that open a clause.
_OPENERS = frozenset(
    "so but then after afterwards once eventually finally first firstly next later "
    "overall ultimately meanwhile however anyway".split()
)
_SUBJECTS = frozenset(
    "i we he she they i'd i'm i've i'll we'd we're we've we'll he'd he's she'd she's they'd "
    "they're they've".split()
)
_NP_OPENERS = frozenset("my our his her their most many nobody everyone everybody none several".split())
# A clause cannot start right after these (they expect more of the same phrase).
_GLUE = frozenset(
    "a an the and or but so that which who whom whose when where why how what if because to "
    "of in on at by for with from about into onto over under after before like than as then "
    "is was were are be been being am do did does had has have not no very really just "
    "i we he she they you it me us him them my our his her their your its this these those "
    "some any every each all both either neither one two three would could should will can "
    "may might must shall said told asked thought knew felt realised realized decided".split()
)
# Words after which a subject pronoun does not start a new clause.
_SUBJ_GLUE = frozenset(
    "a an the and or but so that which who whom whose when where why how what if because to "
    "of in on at by for with from about into onto over under after before like than as then "
    "be been being am do did does had has have not no very really just "
    "i we he she they this these those "
    "would could should will can may might must shall said told thought knew felt realised "
    "realized decided guess mean think know".split()
)
# Words after which an opener ("first", "then", "so") is part of the phrase.
_DETERMINERS = frozenset(
    "a an the my our his her their your its this that these those and but so even not "
    "very the at in on of for to be was were is are from since until till by with "
    "about into onto over under than as".split()
)
_MODALS = frozenset("could would can will might may should".split())
# Time phrases that open a clause ("in the next three months", "within a week", "two
# weeks later"); "in three weeks" after a verb is an adjunct of that clause instead.
_TIME_PREPS = frozenset(
    "in over within after by one two three four five six seven eight nine ten a few several".split()
)
_TIME_PP = _rx(
    rf"^(?:in the (?:next|first|following|end)|over the (?:next|following|last|past)|"
    rf"within|after (?:a|an|about|{_NUM}|the first|the next|a few)|by the (?:end|time)|"
    rf"by (?:week|month|day|year) \w+|(?:{_NUM}|a few|a couple of|several) {_PERIOD} later)\b"
)
# Spoken signposts open a clause whatever comes before them ("... came in the result
# was that ...").
_SIGNPOST_OPENER = _rx(
    r"^(?:the (?:result|outcome|situation|problem|challenge|goal|task|context|impact) (?:was|is|were)|"
    r"(?:my|our) (?:task|job|role|goal|responsibility|challenge) (?:was|is)|what (?:i|we) did (?:was|is)|"
    r"as a result|in the end|the end result|the first thing (?:i|we) did)\b"
)
_SIGNPOST_FIRST = frozenset("the my our what as in".split())
_NOT_BEFORE_SIGNPOST = frozenset("a an the of that this for to with".split())
_NP_DETS = frozenset("the a an all every both each this these those".split())
_FINITE = frozenset(
    "was were is are had has got went did didn't wasn't weren't isn't hadn't dropped fell rose "
    "grew stayed started stopped came became turned ended kept".split()
)
_GLUE_BREAK = frozenset("of to and or".split())
_SO_NOT_OPENER = frozenset("that much many far long well few little".split())
_AND_NEXT = frozenset("then so i we he she they now after by in".split())
_MULTI_OPENERS: tuple[tuple[str, ...], ...] = (
    ("the", "result"), ("the", "outcome"), ("the", "problem"), ("the", "issue"),
    ("the", "situation"), ("the", "goal"), ("the", "task"), ("the", "challenge"),
    ("by", "the", "end"), ("in", "the", "end"), ("at", "the", "end"), ("as", "a", "result"),
    ("over", "the", "next"), ("within",), ("what", "i", "did"), ("my", "job"), ("my", "task"),
    ("my", "role"), ("my", "goal"), ("at", "my"), ("at", "the", "time"), ("the", "first", "thing"),
    ("after", "that"), ("since", "then"), ("by", "the"), ("looking", "back"), ("this", "was"), ("it", "was"),
    ("one", "of", "the"),
)

# Sentences at least this long (words) may be cut at clauses even when punctuated:
# Whisper sometimes writes several spoken sentences as one run-on sentence.
_LONG_SENTENCE = 35
# In caption text, clauses shorter than this (words, fillers not counted) join the next.
_MIN_CAPTION_UNIT = 4
# Skip cost per section, as a multiple of ``skip_penalty``: a Task is nearly always said
# in so many words ("I needed to", "my job was"), so one that is not said is more
# likely absent than unrecognised; Situations and Results are often implicit.
_SKIP_SCALE = (1.0, 0.8, 1.0, 1.0)
# Cost of labelling a unit Task when it has no Task evidence at all: a Task is stated
# with goal or obligation language, so a unit with none is unlikely to be one, whatever
# its position. (Results are often implicit -- "he stayed with us the whole week" -- so
# they get no such cost: an unmarked ending falls back to the position prior. Tried on
# the corpora: a Result cost of 0.6 dropped implicit results; applying these costs only
# to units with clear evidence for another section was worse on every corpus.)
_ABSENT = (0.0, 1.5, 0.0, 0.0)

_END_CHARS = ".?!"
_CLAUSE_CHARS = ",;:\u2014\u2013-"
_MULTI_BY_FIRST: dict[str, list[tuple[str, ...]]] = {}
for _seq in _MULTI_OPENERS:
    _MULTI_BY_FIRST.setdefault(_seq[0], []).append(_seq)
# Every word that can open a clause in _split_units (any other word cannot).
_MAY_OPEN = (_SIGNPOST_FIRST | _OPENERS | _SUBJECTS | _NP_OPENERS | _NP_DETS | _TIME_PREPS
             | frozenset(_MULTI_BY_FIRST) | {"and", "there"})


# ------------------------------------------------------------------------------------
# units

_IRREGULAR_SET = frozenset(_IRREGULAR_PAST.split("|"))
_COMMON_VERBS = frozenset(
    "get make take give tell ask help call show change lose save find need want like love know "
    "see use run lead build keep bring send pay meet move join fix check lost love loved".split()
)


def _looks_like_verb(word: str) -> bool:
    """A transitive verb right before "my"/"our" takes it as its object ("I saved my
    store"), so no clause starts there."""
    return word.endswith("ed") or word in _IRREGULAR_SET or word in _COMMON_VERBS


@dataclass
class _Unit:
    first: int
    last: int  # exclusive
    penalty: float  # cost of starting a new section at this unit
    text: str = ""
    start: float = 0.0
    end: float = 0.0


_NORM_STRIP = _rx(r"^[^\w'$%]+|[^\w'%]+$")
_LEAD_PUNCT = "\"()[]{}<>.,;:!?-\u2014\u2013\u201c\u201d\u2026*/\\#@&+=~^|`"
_TAIL_PUNCT = _LEAD_PUNCT + "$"


def _word_form(text: str) -> tuple[str, str]:
    """(comparable form, last character before closing quotes/brackets) of a word's
    text; cached by text, since the same words recur within and across answers."""
    form = _FORM_CACHE.get(text)
    if form is None:
        t = text.strip().lower()
        if "\u2019" in t:
            t = t.replace("\u2019", "'")
        t = t.lstrip(_LEAD_PUNCT).rstrip(_TAIL_PUNCT)
        if t and not (t[0].isalnum() or t[0] in "'$%_") or t and not (t[-1].isalnum() or t[-1] in "'%_"):
            t = _NORM_STRIP.sub("", t)  # rare: unusual symbols at the edges
        form = (t, text.rstrip().rstrip("\"')]")[-1:])
        if len(_FORM_CACHE) >= 100_000:
            _FORM_CACHE.clear()
        _FORM_CACHE[text] = form
    return form


_FORM_CACHE: dict[str, tuple[str, str]] = {}


def _norms(words) -> list[str]:
    """Each word's comparable form (lower case, no surrounding punctuation)."""
    get = _FORM_CACHE.get
    return [(get(w.text) or _word_form(w.text))[0] for w in words]


def _add_candidate(cand: dict[int, float], skip: frozenset[int], is_end: list[bool],
                   i: int, pen: float) -> None:
    """A unit may start at word ``i`` at cost ``pen``; a filler run right before it
    belongs to the new unit."""
    j = i
    while j - 1 > 0 and (j - 1) in skip and (j - 1) not in cand:
        j -= 1
    if j != i and not is_end[j - 1]:
        cand[j] = min(pen, cand.get(j, pen))
    else:
        cand[i] = min(pen, cand.get(i, pen))


def _split_units(transcript: Transcript, norms: list[str], skip: frozenset[int],
                 settings: StarSettings) -> tuple[list[_Unit], bool]:
    words = transcript.words
    n = len(words)
    get = _FORM_CACHE.get
    tails = [(get(w.text) or _word_form(w.text))[1] for w in words]
    is_end = [t in _END_CHARS and t != "" for t in tails]
    sent_ends = sum(is_end)
    punctuated = sent_ends >= 1 and sent_ends * 45 >= n
    # candidate boundary before word i -> penalty (lower = stronger boundary)
    cand: dict[int, float] = {}
    opener_pen = 2.5 if punctuated else 0.4
    subject_pen = 3.0 if punctuated else 0.8
    last_real = -1  # index of last non-skipped word before i
    pause_s = settings.pause_boundary_s
    for i in range(1, n):
        gap = words[i].start - words[i - 1].end
        pen = None
        if is_end[i - 1]:
            pen = 0.0
        elif gap >= pause_s:
            if punctuated:
                # with punctuation, a pause inside a sentence is mostly a hesitation;
                # only a long one hints at a missed full stop
                pen = 0.6 if gap >= 1.5 else 1.0
            else:
                pen = 0.2 if gap >= 2 * pause_s + 0.3 else 0.6
        elif tails[i - 1] and tails[i - 1] in _CLAUSE_CHARS:
            pen = 1.2 if punctuated else 0.5
        if i - 1 not in skip:
            last_real = i - 1
        if i in skip:
            if pen is None and i - 1 not in skip and not punctuated:
                pen = 1.0  # a filler often opens a new clause in run-on speech
            if pen is not None:
                cand[i] = min(pen, cand.get(i, pen))
            continue
        w = norms[i]
        if w not in _MAY_OPEN:
            if pen is not None:
                _add_candidate(cand, skip, is_end, i, pen)
            continue
        pw = norms[last_real] if last_real >= 0 else ""
        nxt = norms[i + 1] if i + 1 < n else ""
        op = None
        if w in _SIGNPOST_FIRST and pw not in _NOT_BEFORE_SIGNPOST and _SIGNPOST_OPENER.match(" ".join(norms[i:i + 4])):
            op = 0.2 if not punctuated else opener_pen  # a spoken signpost opens a clause
        elif (w in _OPENERS and pw not in _DETERMINERS
                and not (w == "so" and (nxt in _SO_NOT_OPENER or _MODALS.intersection(norms[i + 2:i + 4])))):
            op = opener_pen
        elif w == "and" and nxt in _AND_NEXT:
            op = opener_pen + 0.2
        elif w in _SUBJECTS and pw and pw not in _SUBJ_GLUE:
            op = subject_pen
        elif w in _NP_OPENERS and pw and pw not in _GLUE and not _looks_like_verb(pw):
            op = subject_pen
        elif w == "there" and nxt in ("was", "were", "is", "are", "had") and pw and pw not in _GLUE:
            op = subject_pen
        elif (w in _NP_DETS and pw and pw not in _GLUE and not _looks_like_verb(pw)
              and any(x in _FINITE or (x.endswith("ed") and len(x) > 4) for x in norms[i + 2:i + 5])
              and not any(x in _GLUE_BREAK for x in norms[i + 1:i + 2])):
            # "... slipped | the order was corrected": a noun phrase then a finite verb
            op = subject_pen + 0.4
        elif w in _TIME_PREPS and pw not in _DETERMINERS and _TIME_PP.match(" ".join(norms[i:i + 6])):
            op = opener_pen
        elif w in _MULTI_BY_FIRST and pw not in _GLUE:
            for seq in _MULTI_BY_FIRST[w]:
                if tuple(norms[i:i + len(seq)]) == seq:
                    op = opener_pen
                    break
        if op is not None and (pen is None or op < pen):
            pen = op
        if pen is not None:
            _add_candidate(cand, skip, is_end, i, pen)
    # real[k]: how many words before word k are not skipped (fillers), so that
    # real[b] - real[a] counts the real words of words a..b-1
    real = [0] * (n + 1)
    for k in range(n):
        real[k + 1] = real[k] + (k not in skip)
    if punctuated:
        # with punctuation, clause-level cuts only inside long run-on sentences
        strong = [0] + sorted(k for k, p in cand.items() if p <= 0.6) + [n]
        for a, b in zip(strong, strong[1:]):
            if real[b] - real[a] < _LONG_SENTENCE:
                for k in range(a + 1, b):
                    if cand.get(k, 0.0) > 0.6:
                        del cand[k]
    starts = [0] + sorted(k for k in cand if 0 < k < n)
    units: list[_Unit] = []
    for a, b in zip(starts, starts[1:] + [n]):
        if b <= a:
            continue
        units.append(_Unit(a, b, cand.get(a, 0.0)))
    # merge units without any real word into their neighbour (an "um" between sentences)
    merged: list[_Unit] = []
    for u in units:
        if merged and real[u.last] == real[u.first]:
            merged[-1].last = u.last
        else:
            merged.append(u)
    if len(merged) > 1 and real[merged[0].last] == real[merged[0].first]:
        merged[1].first = merged[0].first
        merged[1].penalty = 0.0
        merged.pop(0)
    if not punctuated:
        # caption text: a clause cut down to a fragment ("so it was", "she") says
        # nothing on its own; join it to the clause it opens
        joined: list[_Unit] = []
        pending: _Unit | None = None
        for u in merged:
            if pending is not None:
                u.first, u.penalty = pending.first, pending.penalty
                pending = None
            if real[u.last] - real[u.first] < _MIN_CAPTION_UNIT and u is not merged[-1]:
                pending = u
                continue
            joined.append(u)
        if pending is not None:  # pragma: no cover - the last unit is never pending
            joined.append(pending)
        if len(joined) > 1:
            last = joined[-1]
            if real[last.last] - real[last.first] < _MIN_CAPTION_UNIT:
                joined[-2].last = last.last
                joined.pop()
        merged = joined
    evidence_words = [w if k not in skip else "" for k, w in enumerate(norms)]
    for u in merged:
        u.text = " ".join([w for w in evidence_words[u.first:u.last] if w])
        u.start = words[u.first].start
        u.end = words[u.last - 1].end
    return merged, punctuated


# ------------------------------------------------------------------------------------
# evidence


# Words every match of these patterns contains (a pattern whose words cannot be read off
# automatically, see _triggers); keyed by the start of the pattern.
_MANUAL_TRIGGERS: dict[str, str] = {
    r"\bthe (?:main |big |real )?(?:problem": "the",
    r"\b(?:was|were) (?:\w+ )?(?:\w+ing)": "was were",
    r"\b(?:our|the|my) (?:team|company": "our the my",
    r"^(?:our|the|my|his|her|their|a|an|this": "was were had got kept seemed felt looked",
    r"\b(?:goal|aim|target|objective": "goal goals aim aims target targets objective objectives deadline deadlines mandate mandates kpi kpis okr okrs expectation expectations",
    r"\bi (?:(?:also|then": "i",
    r"\bwe (?:(?:also|then": "we",
    r"\b(?:i|we) (?:call|ask|tell": "i we",
    r"^(?:and )?(?:my|the|our) (?:task|job": "my the our",
    r"\b(?:thank you|thank-you|thanks": "thank thanks thanked praised promoted promotion award awarded "
    "recognised recognized recognition compliment compliments complimented congratulated adopted "
    "rolled became standard a good five feedback review was were",
}
# Patterns that must run over the whole unit (no trigger words: a match can open inside
# a word, as "'s still" does), with a piece of text every match contains.
_ALWAYS_NEEDS: dict[str, str] = {
    r"\b(?:is|are|'s|'re|has|have) still\b": "still",
}


def _triggers(pattern: str) -> frozenset[str] | None:
    """Words of which every match of ``pattern`` contains at least one (as a whole
    word), or None when that cannot be promised. Lets a unit skip the patterns that
    cannot match it: regex search is the main cost of segmentation, and most patterns
    fail on most units. Read off the pattern's first required element (a word, or a
    group of alternatives each opening with a word); anything else -> None (always run).
    """
    for key, words_ in _MANUAL_TRIGGERS.items():
        if pattern.startswith(key):
            return frozenset(words_.split())
    words = _first_words(pattern)
    return frozenset(words) if words else None


def _split_alternatives(p: str) -> list[str] | None:
    parts, depth, cur, i = [], 0, [], 0
    while i < len(p):
        c = p[i]
        if c == "\\":
            cur.append(p[i:i + 2])
            i += 2
            continue
        if c == "[":  # a character class: copy to its closing bracket
            j = p.find("]", i + 1)
            if j < 0:
                return None
            cur.append(p[i:j + 1])
            i = j + 1
            continue
        if c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
        if c == "|" and depth == 0:
            parts.append("".join(cur))
            cur = []
        else:
            cur.append(c)
        i += 1
    parts.append("".join(cur))
    return parts if depth == 0 else None


def _close(p: str, i: int) -> int:
    """Index of the ")" matching the "(" at ``p[i]``, or -1."""
    depth, j = 0, i
    while j < len(p):
        c = p[j]
        if c == "\\":
            j += 2
            continue
        if c == "[":
            j = p.find("]", j + 1)
            if j < 0:
                return -1
        elif c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
            if depth == 0:
                return j
        j += 1
    return -1


def _first_words(p: str) -> set[str] | None:
    alts = _split_alternatives(p)
    if alts is None:
        return None
    if len(alts) > 1:
        out: set[str] = set()
        for a in alts:
            w = _first_words(a)
            if not w:
                return None
            out |= w
        return out
    i = 0
    while True:
        if p.startswith("^", i):
            i += 1
        elif p.startswith("\\b", i):
            i += 2
        else:
            break
    while i < len(p):
        if p.startswith("(?:", i):
            j = _close(p, i)
            if j < 0:
                return None
            after = p[j + 1:j + 2]
            if after in ("?", "*") or p.startswith("{0", j + 1):
                i = j + 2 if after in ("?", "*") else p.index("}", j) + 1
                continue  # optional: the next element is required
            if after.isalpha() or after == "'":
                return None  # "(?:goal|aim)s": the words inside are stems
            return _first_words(p[i + 3:j])
        if p.startswith("\\d", i):
            return {_DIGIT}
        if p.startswith("\\$", i):
            return {_DOLLAR}
        c = p[i]
        if c.isalpha():  # (a word opening with "'" is a clitic: "she's" is one word)
            j = i
            while j < len(p) and (p[j].isalpha() or p[j] == "'"):
                j += 1
            word, nxt = p[i:j], p[j:j + 1]
            if nxt == "?":
                return {word, word[:-1]}
            if nxt in ("", " ", ")", "|") or p.startswith("\\b", j):
                return {word}
            return None
        return None
    return None


_DIGIT, _PCT, _DOLLAR = "<digit>", "<percent>", "<dollar>"
_CUE_TRIGGERS = tuple(_triggers(rx.pattern) for _, rx in _CUES)
_ANCHORED = tuple(rx.pattern.startswith("^") for _, rx in _CUES)
# Unanchored cues are tried only where a match can begin: at a word that opens one of
# their matches (their trigger words are exactly those first words; see _triggers).
_DISPATCH: dict[str, tuple[int, ...]] = {}
_ALWAYS: tuple[int, ...] = tuple(
    i for i, (anch, trig) in enumerate(zip(_ANCHORED, _CUE_TRIGGERS)) if not anch and trig is None
)
for _i, (_anch, _trig) in enumerate(zip(_ANCHORED, _CUE_TRIGGERS)):
    if not _anch and _trig is not None:
        for _w in _trig:
            _DISPATCH[_w] = _DISPATCH.get(_w, ()) + (_i,)
_ALWAYS_LITERALS: tuple[tuple[int, str | None], ...] = tuple(
    (i, next((lit for key, lit in _ALWAYS_NEEDS.items() if _CUES[i][1].pattern.startswith(key)), None))
    for i in _ALWAYS
)
_WORD_AT = _rx(r"[\w']+|\$")
# One alternation per trigger word over its patterns (from the ``start``-th on): one
# failed match there rules out all of them at once (the common case), without a Python
# call per pattern. Each pattern is a group of its own (the cue patterns have no
# capturing groups), so a match also says which pattern matched first: the ones before
# it do not match there, and the search goes on with the ones after it. Compiled when
# first needed (most words and suffixes never are).
_GATES: dict[tuple[str, int], re.Pattern[str]] = {}


def _gate(key: str, start: int) -> re.Pattern[str]:
    gate = _GATES.get((key, start))
    if gate is None:
        gate = _GATES[(key, start)] = re.compile(
            "|".join(f"({_CUES[i][1].pattern})" for i in _DISPATCH[key][start:]))
    return gate


_ANCHORED_IDX = tuple(i for i, a in enumerate(_ANCHORED) if a)
# Anchored cues are tried only when the unit holds one of their trigger words: bit b of
# a word's mask is set when the word is among the triggers of _GATED[b]; a pattern
# without triggers is always tried.
_GATED: tuple[frozenset[str] | None, ...] = tuple(_CUE_TRIGGERS[i] for i in _ANCHORED_IDX)
_ANCHORED_BITS = tuple(
    (i, 0 if _CUE_TRIGGERS[i] is None else 1 << b) for b, i in enumerate(_ANCHORED_IDX)
)


@functools.lru_cache(maxsize=None)
def _signpost_gate(start: int) -> re.Pattern[str]:
    """The signposts from the ``start``-th on as one alternation (see _gate)."""
    return re.compile("|".join(f"({rx.pattern})" for _, rx in _SIGNPOSTS[start:]))


def _piece_probes(piece: str) -> tuple[int, tuple[tuple[int, str], ...]]:
    """For one space-separated piece of a unit's text (a word's normalised form): the
    trigger mask of its tokens (see _GATED) and the (offset in the piece, dispatch
    key) pairs where an unanchored cue may begin. Cached by piece."""
    info = _PIECE_CACHE.get(piece)
    if info is not None:
        return info
    vocab: set[str] = set()
    probes: list[tuple[int, str]] = []
    for m in _WORD_AT.finditer(piece):
        tok = m.group()
        vocab.add(tok)
        c0 = tok[0]
        keys = [tok]
        if "'" in tok:  # "she's": a match may open with "she"
            keys.append(tok.partition("'")[0])
        if c0.isdigit():
            vocab.add(_DIGIT)
            keys.append(_DIGIT)
        elif c0 == "$":
            vocab.add(_DOLLAR)
            keys = [_DOLLAR]
        probes.extend((m.start(), key) for key in keys if _DISPATCH.get(key))
    if "%" in piece:
        vocab.add(_PCT)
    mask = 0
    for b, trig in enumerate(_GATED):
        if trig is not None and not trig.isdisjoint(vocab):
            mask |= 1 << b
    info = (mask, tuple(probes))
    if len(_PIECE_CACHE) >= 100_000:
        _PIECE_CACHE.clear()
    _PIECE_CACHE[piece] = info
    return info


_PIECE_CACHE: dict[str, tuple[int, tuple[tuple[int, str], ...]]] = {}


def _unit_evidence(text: str, use_triggers: bool = True) -> tuple[list[float], list[float], list[tuple[int, str]]]:
    """Cue vector, signpost vector, and the signposts matched (label, text).

    ``use_triggers=False`` runs every pattern over the whole text: the reference the
    fast path (patterns tried only where they can match) is tested against.
    """
    return _unit_evidence_hits(text, use_triggers)[:3]  # type: ignore[return-value]


def _unit_evidence_hits(text: str, use_triggers: bool = True):
    """As _unit_evidence, plus the sorted indices of the cue patterns that matched (the
    learned model's features)."""
    cue = [0.0, 0.0, 0.0, 0.0]
    sig = [0.0, 0.0, 0.0, 0.0]
    found: list[tuple[int, str]] = []
    if not text:
        return cue, sig, found, []
    head = _LEAD.sub("", text)
    seq_head = _LEAD_KEEP_SEQ.sub("", text)
    hit: list[int] = []
    if use_triggers:
        # The text is the unit's words joined by single spaces, so its tokens are the
        # tokens of each space-separated piece, at the piece's offset.
        seen: set[int] = set()
        mask = 0
        pos = 0
        dispatch, cues, gates, cache = _DISPATCH, _CUES, _GATES, _PIECE_CACHE
        for piece in text.split(" "):
            pmask, probes = cache.get(piece) or _piece_probes(piece)
            mask |= pmask
            for off, key in probes:
                at = pos + off
                cands = dispatch[key]
                start = 0
                while start < len(cands):
                    m = (gates.get((key, start)) or _gate(key, start)).match(text, at)
                    if m is None:
                        break
                    start += m.lastindex  # type: ignore[operator]
                    seen.add(cands[start - 1])
            pos += len(piece) + 1
        for i, literal in _ALWAYS_LITERALS:
            if (literal is None or literal in text) and i not in seen and cues[i][1].search(text):
                seen.add(i)
        for i, bit in _ANCHORED_BITS:
            if bit and not mask & bit:
                continue
            rx = cues[i][1]
            if rx.search(seq_head) or rx.search(head):
                seen.add(i)
        hit = list(seen)
        # signposts: every one opens with ^, so one chained alternation over the head
        start = 0
        while start < len(_SIGNPOSTS):
            m = _signpost_gate(start).match(head)
            if m is None:
                break
            start += m.lastindex  # type: ignore[operator]
            label = _SIGNPOSTS[start - 1][0]
            sig[label] = 1.0
            found.append((label, m.group(m.lastindex)))  # type: ignore[arg-type]
    else:
        for i, (_vec, rx) in enumerate(_CUES):
            if (rx.search(seq_head) or rx.search(head)) if _ANCHORED[i] else rx.search(text):
                hit.append(i)
        for label, rx in _SIGNPOSTS:
            m = rx.search(head)
            if m:
                sig[label] = 1.0
                found.append((label, m.group(0)))
    hit = sorted(hit)
    for i in hit:
        vec = _CUES[i][0]
        cue[0] += vec[0]
        cue[1] += vec[1]
        cue[2] += vec[2]
        cue[3] += vec[3]
    # saturate: a long run-on unit should not pile up evidence without limit
    cue = [min(c, 3.5) for c in cue]
    return cue, sig, found, hit


# ------------------------------------------------------------------------------------
# decoding


def _unit_spans(units: Sequence[_Unit], transcript: Transcript) -> list[tuple[float, float]]:
    """Each unit's time span as shares of the stretch the units cover: from its first
    word's start to the next unit's start (so the spans tile 0..1 and pauses count with
    the unit before)."""
    words = transcript.words
    t0 = units[0].start if units else words[0].start
    total = max(words[-1].end - t0, 1e-6)
    out = []
    for u in units:
        a = (u.start - t0) / total
        b = ((words[u.last].start if u.last < len(words) else words[-1].end) - t0) / total
        out.append((a, max(a, b)))
    return out


def _kept_shares(shares: Sequence[float], labels: Sequence[int]) -> list[float]:
    """Expected shares when only ``labels`` are present: a skipped section's time goes
    to the Action, the elastic part of an answer (someone who skips the Result, or the
    Task, talks longer about what they did), so the other boundaries stay near where
    they were expected. (Tried on the corpora: spreading it over all kept sections, or
    giving it to the neighbouring sections, both did worse.)"""
    out = [shares[k] if k in labels else 0.0 for k in range(4)]
    spare = sum(shares[k] for k in range(4) if k not in labels)
    if _A in labels:
        out[_A] += spare
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


def _prior_costs(spans: Sequence[tuple[float, float]], settings: StarSettings,
                 labels: Sequence[int] = (0, 1, 2, 3)) -> list[list[float]]:
    """Cost of each label for each unit: strength * integral over the unit's time of the
    distance (as a share of the answer) to the label's expected span. The spans are the
    prior shares of the sections in ``labels`` (the ones this hypothesis keeps, see
    _kept_shares); other labels get no span (infinite cost)."""
    bounds = _label_bounds(settings, tuple(labels))
    strength = settings.prior_strength
    out = []
    for a, b in spans:
        row = [_INF, _INF, _INF, _INF]
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


def _emissions(evidence: list[list[float]], prior: list[list[float]]) -> list[list[float]]:
    """Score of each label for each unit: its evidence less its prior cost."""
    return [[e0 - p0, e1 - p1, e2 - p2, e3 - p3]
            for (e0, e1, e2, e3), (p0, p1, p2, p3) in zip(evidence, prior)]


_NEG = float("-inf")
_INF = float("inf")
# The section sets a decoding may keep (the Action is always kept: an answer without
# any action is not a STAR answer, and its words are best called actions).
_ALL_SUBSETS: tuple[tuple[int, ...], ...] = tuple(
    tuple(k for k in range(4) if (mask >> k) & 1) for mask in range(1, 16)
)
_SUBSETS: tuple[tuple[int, ...], ...] = tuple(sorted(
    (tuple(k for k in range(4) if k == _A or (mask >> k) & 1) for mask in range(16) if (mask >> _A) & 1),
    key=lambda labels: -len(labels),
))


def _decode(pen: Sequence[float], emit: list[list[float]], hook_emit: list[float],
            labels: Sequence[int], allowed: list[tuple[int, int]] | None,
            forced_start: dict[int, int]) -> tuple[list[int], float]:
    """Monotonic Viterbi over units with exactly the sections in ``labels`` (in order,
    each at least one unit), optionally preceded by a hook. Returns (labels per unit
    with _HOOK for hook units, score).

    ``pen[u]``: cost of a section starting at unit u. ``allowed[u] = (lo, hi)`` limits
    unit u's label (markers); ``forced_start[u] = label``: a section with that label
    starts at unit u.
    """
    n, m = len(emit), len(labels)
    if n < m or any(lab not in labels for lab in forced_start.values()):
        return [], _NEG
    H = m  # hook state index
    # the state before each section: the section before it (the hook for the first)
    before = [H] + list(range(m - 1))
    back: list[list[int]] = []
    # first unit: the first section, or the hook
    prev = [_NEG] * (m + 1)
    bk = [-1] * (m + 1)
    lo, hi = allowed[0] if allowed else (0, 3)
    if lo <= labels[0] <= hi:
        prev[0] = emit[0][labels[0]]
    if hook_emit[0] != _NEG and forced_start.get(0) is None and lo == 0:
        prev[H] = hook_emit[0]
    back.append(bk)
    for u in range(1, n):
        cur = [_NEG] * (m + 1)
        bk = [-1] * (m + 1)
        forced = forced_start.get(u)
        lo, hi = allowed[u] if allowed else (0, 3)
        e = emit[u]
        p = pen[u]
        for j in range(m):
            k = labels[j]
            if k < lo or k > hi:
                continue
            best, arg = _NEG, -1
            if forced is None or forced != k:
                best, arg = prev[j], j  # stay
            if forced is None or forced == k:
                src = prev[before[j]]  # or start this section here
                if src != _NEG and src - p > best:
                    best, arg = src - p, before[j]
            if best != _NEG:
                cur[j], bk[j] = best + e[k], arg
        if hook_emit[u] != _NEG and forced is None and lo == 0 and prev[H] != _NEG:
            cur[H], bk[H] = prev[H] + hook_emit[u], H
        back.append(bk)
        prev = cur
    if prev[m - 1] == _NEG:
        return [], _NEG
    path = [0] * n
    state = m - 1
    for u in range(n - 1, -1, -1):
        path[u] = labels[state] if state != H else _HOOK
        state = back[u][state]
    return path, prev[m - 1]


def _place_markers(transcript: Transcript, units: list[_Unit], norms, skip,
                   settings: StarSettings) -> list[tuple[int, int]]:
    """Markers -> (unit index, label index), in time order with labels increasing.

    A marker moves to the nearest unit (sentence/clause) start within
    ``marker_snap_s`` (pressing a key a moment late is more common than early); with no
    unit start nearby, the unit holding the marker is split at the marker's word.
    Markers whose label does not come after the previous one's are ignored (a key
    pressed by mistake); two keys on the same word: the later one wins.
    """
    words = transcript.words
    n = len(words)
    placed: list[tuple[int, int]] = []  # (first word index, label index)
    for m in sorted(transcript.markers, key=lambda m: m.time):
        label = STAR_LABELS.index(m.label)
        prev_first = placed[-1][0] if placed else -1
        if placed and label <= placed[-1][1]:
            continue
        best, best_d = None, None
        for u in units:
            if u.first <= prev_first:
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
            _split_unit_at_word(units, transcript, norms, skip, k)
            best = k
        if placed and best == placed[-1][0]:
            placed[-1] = (best, label)
        else:
            placed.append((best, label))
    first_to_unit = {u.first: i for i, u in enumerate(units)}
    return [(first_to_unit[k], lab) for k, lab in placed]


def _split_unit_at_word(units: list[_Unit], transcript: Transcript, norms, skip, k: int) -> None:
    """Make word ``k`` the first word of a unit."""
    words = transcript.words
    for ui, u in enumerate(units):
        if u.first == k:
            return
        if u.first < k < u.last:
            new = _Unit(k, u.last, 0.0)
            u.last = k
            for x in (u, new):
                x.text = " ".join(norms[j] for j in range(x.first, x.last) if j not in skip and norms[j])
                x.start = words[x.first].start
                x.end = words[x.last - 1].end
            units.insert(ui + 1, new)
            return


def _chunk_long_units(units: list[_Unit], transcript: Transcript, norms, skip, max_words: int,
                      penalty: float) -> None:
    """Cut each unit of more than ``max_words`` words into equal pieces (weak boundaries),
    so that a long run of words with little evidence is labelled by its place."""
    words = transcript.words
    out: list[_Unit] = []
    for u in units:
        n = u.last - u.first
        if n <= max_words:
            out.append(u)
            continue
        parts = -(-n // max_words)
        cuts = [u.first + round(n * j / parts) for j in range(parts)] + [u.last]
        for j, (a, b) in enumerate(zip(cuts, cuts[1:])):
            x = _Unit(a, b, u.penalty if j == 0 else penalty)
            x.text = " ".join(norms[k] for k in range(a, b) if k not in skip and norms[k])
            x.start = words[a].start
            x.end = words[b - 1].end
            out.append(x)
    units[:] = out


_DEFAULT_MODEL = object()
# A section start counts as right (for its confidence) within this many seconds: about
# one spoken sentence either way.
CONFIDENCE_WINDOW_S = 3.0


def unit_view(transcript: Transcript, settings: StarSettings | None = None,
              skip: Iterable[int] = frozenset()):
    """(units as (first word, last word exclusive) pairs, the learned model's features
    of each unit) -- what segment() decodes over; used to train the model."""
    settings = settings or StarSettings()
    skip = frozenset(skip)
    if not transcript.words:
        return [], []
    norms = _norms(transcript.words)
    units, punctuated = _split_units(transcript, norms, skip, settings)
    ev = [_unit_evidence_hits(u.text) for u in units]
    feats = unit_features([u.text for u in units], [e[3] for e in ev], [e[1] for e in ev],
                          _unit_spans(units, transcript), punctuated)
    return [(u.first, u.last) for u in units], feats


def segment(transcript: Transcript, settings: StarSettings | None = None,
            skip: Iterable[int] = frozenset(), model=_DEFAULT_MODEL) -> StarSegmentation:
    """Find the STAR sections of ``transcript``.

    ``skip``: indices of words to ignore as evidence (fillers such as "um", "like");
    they still belong to the section they fall in. ``model``: the learned unit evidence
    (analysis.star_model; default: the shipped one, None: the hand-weighted cues).
    """
    settings = settings or StarSettings()
    skip = frozenset(skip)
    words = transcript.words
    n = len(words)
    if n == 0:
        return StarSegmentation("none", (), STAR_LABELS, None, ())
    norms = _norms(words)
    units, _punctuated = _split_units(transcript, norms, skip, settings)
    mdl = load_model() if model is _DEFAULT_MODEL else model
    if not settings.learned or (settings.cue_weight == 0 and settings.signpost_weight == 0):
        mdl = None  # the hand-weighted cues (or, with both weights 0, the prior alone)
    if mdl is not None and mdl.chunk_share > 0 and not _punctuated:
        # (only without sentence ends: a long punctuated sentence is one unit for a reason)
        _chunk_long_units(units, transcript, norms, skip, max(3, math.ceil(mdl.chunk_share * n)), mdl.chunk_penalty)

    evidence_items: list[Evidence] = []
    marker_starts: list[tuple[int, int]] = []
    if transcript.markers:
        marker_starts = _place_markers(transcript, units, norms, skip, settings)

    cues, sigs, found, hits = [], [], [], []
    for u in units:
        c, s, f, h = _unit_evidence_hits(u.text)
        cues.append(c)
        sigs.append(s)
        found.append(f)
        hits.append(h)
    cw, sw = settings.cue_weight, settings.signpost_weight
    lp: list[list[float]] | None = None
    unit_words: list[int] = []
    if mdl is not None:
        lp = mdl.unit_scores([u.text for u in units], hits, sigs, _unit_spans(units, transcript), _punctuated)
        unit_words = [u.text.count(" ") + 1 if u.text else 1 for u in units]
    words_ev = []
    for u in range(len(units)):
        ev = [cues[u][k] + sigs[u][k] for k in range(4)]
        row = []
        for k in range(4):
            v = cw * cues[u][k] + sw * sigs[u][k]
            if ev[k] <= 0.25:
                v -= cw * _ABSENT[k]
            row.append(v)
        words_ev.append(row)
    t0, total = words[0].start, max(words[-1].end - words[0].start, 1e-6)
    hook_units = 0  # units that may form a hook (they end early enough)
    for u, unit in enumerate(units[:-1]):
        if (unit.end - t0) / total > settings.hook_max_share:
            break
        hook_units = u + 1

    allowed = None
    forced: dict[int, int] = {}
    if marker_starts:
        allowed = []
        bounds = marker_starts
        # before the first marker: labels below it (or the first marker's label if it
        # is the situation or the first unit)
        if bounds[0][0] == 0 or bounds[0][1] == 0:
            bounds = [(0, bounds[0][1])] + bounds[1:]
        for u in range(len(units)):
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
        for bu, bl in marker_starts:
            evidence_items.append(Evidence("marker", STAR_LABELS[bl], STAR_LABELS[bl],
                                           units[bu].start, units[bu].first))

    pen = [u.penalty for u in units]
    ignored_markers: list[bool] = []
    chosen: dict[int, tuple] = {}  # decode start -> what the winning decoding was given
    set_scores: dict[tuple[int, ...], float] = {}  # kept sections -> best score (from unit 0)

    def decode_from(lo: int, allow_hook: bool) -> list[int]:
        """Best labelling of units[lo:] over every set of kept sections."""
        sub = units[lo:]
        spans = _unit_spans(sub, transcript)
        sub_pen = pen[lo:]
        sub_ev = words_ev[lo:]
        sub_allowed = allowed[lo:] if allowed else None
        sub_forced = {u - lo: lab for u, lab in forced.items() if u >= lo}
        best_path, best_score = None, _NEG
        best_size = 5
        if lp is not None:
            a = mdl.evidence_scale
            sub_emit = [[a * w * r[0], a * w * r[1], a * w * r[2], a * w * r[3]]
                        for w, r in zip(unit_words[lo:], lp[lo:])]
            sub_hook = [_NEG] * len(sub)
            for u in range(hook_units if allow_hook else 0):
                sub_hook[u] = a * unit_words[lo + u] * lp[lo + u][4]
            sub_pen_m = [p + mdl.start_cost for p in sub_pen]
            beta = mdl.prior_weight
            best_size = 5
            for labels in _SUBSETS:
                # largest sets first; a set two sections smaller than the best so far is
                # only tried when dropping one section helped (as for the cues below)
                if len(labels) < best_size - 1 and len(sub) >= 4 and best_path is not None:
                    break
                emit_l, hook_l = sub_emit, sub_hook
                if beta > 0:
                    # the settings' position prior for this set of kept sections
                    prior = _prior_costs(spans, settings, labels)
                    emit_l = [[e[k] - beta * p[k] if p[k] != _INF else _NEG for k in range(4)]
                              for e, p in zip(sub_emit, prior)]
                    hook_l = [h - beta * p[labels[0]] if h != _NEG else _NEG for h, p in zip(sub_hook, prior)]
                path, score = _decode(sub_pen_m, emit_l, hook_l, labels, sub_allowed, sub_forced)
                score -= sum(mdl.skip_cost[k] for k in range(4) if k not in labels)
                if path and lo == 0:
                    set_scores[labels] = score
                if path and score > best_score:
                    best_path, best_score, best_size = path, score, len(labels)
                    chosen[lo] = (sub_pen_m, emit_l, labels, sub_allowed, sub_forced)
        for labels in (_SUBSETS if lp is None else ()):
            # sets are tried largest first; dropping one more section is only tried when
            # dropping one helped (or the answer is too short to hold them all)
            if len(labels) < best_size - 1 and len(sub) >= 4 and best_path is not None:
                break
            prior = _prior_costs(spans, settings, labels)
            emit = _emissions(sub_ev, prior)
            # hook: opening units with result evidence in place of the set-up evidence,
            # under the first kept section's position prior
            first = labels[0]
            hook_emit = [_NEG] * len(sub)
            for u in range(hook_units if allow_hook else 0):
                result = cw * cues[u][_R] + sw * sigs[u][_R]
                hook_emit[u] = -prior[u][first] + result - settings.hook_bias
            path, score = _decode(sub_pen, emit, hook_emit, labels, sub_allowed, sub_forced)
            score -= settings.skip_penalty * sum(_SKIP_SCALE[k] for k in range(4) if k not in labels)
            if path and score > best_score:
                best_path, best_score, best_size = path, score, len(labels)
                chosen[lo] = (sub_pen, emit, labels, sub_allowed, sub_forced)
        if best_path is None and sub_allowed:
            # markers that leave no room for an Action ("result" pressed at the start):
            # honour them with the sections they allow
            for labels in _ALL_SUBSETS:
                prior = _prior_costs(spans, settings, labels)
                emit = _emissions(sub_ev, prior)
                path, score = _decode(sub_pen, emit, [_NEG] * len(sub), labels, sub_allowed, sub_forced)
                if path and score > best_score:
                    best_path, best_score = path, score
        if best_path is None:  # markers that no section set can honour: ignore them
            ignored_markers.append(True)
            prior = _prior_costs(spans, settings)
            emit = _emissions(sub_ev, prior)
            best_path, _ = _decode(sub_pen, emit, [_NEG] * len(sub), (0, 1, 2, 3)[: max(1, min(4, len(sub)))], None, {})
            if not best_path:
                best_path = [0] * len(sub)
        return best_path

    # (with markers the speaker has said where the story starts: no hook guessing)
    path = decode_from(0, allow_hook=not marker_starts)
    n_hook = next((u for u, lab in enumerate(path) if lab != _HOOK), len(path))
    if 0 < n_hook < len(units) and lp is None:
        # the story starts after the hook: its sections share the time that is left
        path = [_HOOK] * n_hook + decode_from(n_hook, allow_hook=False)

    # hook
    hook = None
    hook_units = [u for u, s in enumerate(path) if s == _HOOK]
    if hook_units:
        a, b = units[hook_units[0]], units[hook_units[-1]]
        hook = Span(words[a.first].start, words[b.last - 1].end)
        evidence_items.append(Evidence("hook", "result", _excerpt(a.text), a.start, a.first))
        first_real = next((s for s in path if s != _HOOK), 0)
        path = [first_real if s == _HOOK else s for s in path]

    # sections from the unit labels
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
            fixed[i] = SectionSpan(fixed[i].label, fixed[i].first, fixed[i].last_exclusive,
                                   prev_s.start, max(fixed[i].end, prev_s.start))
            fixed[i - 1] = SectionSpan(prev_s.label, prev_s.first, prev_s.last_exclusive,
                                       prev_s.start, prev_s.start)
    # how sure each section start is
    ctx = chosen.get(0)
    if ctx is not None and len(fixed) > 1:
        temp = mdl.confidence_temperature if lp is not None else 1.0
        c_pen, c_emit, c_labels, c_allowed, c_forced = ctx
        h = n_hook if 0 < n_hook < len(units) and lp is not None else 0
        if h:
            c_pen, c_emit = c_pen[h:], c_emit[h:]
            c_allowed = c_allowed[h:] if c_allowed else None
            c_forced = {u - h: lab for u, lab in c_forced.items() if u >= h}
        unit_of = {units[u].first: u - h for u in range(h, len(units))}
        marker_firsts = {units[bu].first for bu, _ in marker_starts}
        post = _start_posteriors(c_pen, c_emit, c_labels, c_allowed, c_forced, temp)
        # how likely each kept section is there at all (over the sets of kept sections)
        present_p = {}
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
    present = {s.label for s in fixed}
    missing = tuple(lab for lab in STAR_LABELS if lab not in present)

    # evidence: signposts heard, and the strongest cue at each section start
    signpost_starts = 0
    for u, f in enumerate(found):
        for lab, txt in f:
            evidence_items.append(Evidence("signpost", STAR_LABELS[lab], txt, units[u].start, units[u].first))
    unit_at = {units[u].first: u for u in range(len(units))}
    for s in fixed:
        u = unit_at.get(s.first)
        if u is None:
            continue
        k = STAR_LABELS.index(s.label)
        if sigs[u][k] > 0:
            signpost_starts += 1
        elif cues[u][k] > 0:
            evidence_items.append(Evidence("cue", s.label, _excerpt(units[u].text), units[u].start, units[u].first))
    if marker_starts and not ignored_markers:
        method = "markers"
    elif signpost_starts >= 2:
        method = "signposts"
    else:
        method = "cues"
    evidence_items.sort(key=lambda e: (e.start, e.kind))
    return StarSegmentation(method, tuple(fixed), missing, hook, tuple(evidence_items))


def _lse(a: float, b: float) -> float:
    if a == _NEG:
        return b
    if b == _NEG:
        return a
    if a > b:
        return a + math.log1p(math.exp(b - a))
    return b + math.log1p(math.exp(a - b))


def _start_posteriors(pen, emit, labels, allowed, forced, temp: float):
    """Forward-backward over the monotonic chain of ``labels`` (the sections the chosen
    decoding kept, each at least one unit, constraints as in _decode), with scores
    divided by ``temp``: ``post[j][u]`` = probability that section j starts at unit u.
    Computed with probabilities rescaled at each unit (no logs in the loops)."""
    n, m = len(emit), len(labels)
    if n < m or temp <= 0:
        return None
    inv = 1.0 / temp
    exp = math.exp
    # per unit: the emission weights of the kept labels, relative to the unit's best
    # (a constant per unit cancels out), 0 where the label is not allowed
    e = []
    for u in range(n):
        row = [emit[u][k] for k in labels]
        top = max(row)
        if top == _NEG:
            return None
        lo, hi = allowed[u] if allowed else (0, 3)
        e.append([exp((x - top) * inv) if x != _NEG and lo <= labels[j] <= hi else 0.0
                  for j, x in enumerate(row)])
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


def _excerpt(text: str, words: int = 8) -> str:
    parts = text.split()
    return " ".join(parts[:words]) + (" ..." if len(parts) > words else "")
