"""The cue tables of STAR segmentation: signposts ("my task was", "in the end") and the
weighted cue patterns (tense, obligation, first-person actions, outcomes...) that give a
unit its hand-weighted evidence for each section, and the learned model its features.

The patterns are compiled once, at import. Their order is part of the learned model
(feature ``c<i>`` is the i-th cue): add new cues at the end.
"""

from __future__ import annotations

import re

from analysis.wordforms import ACTION_PAST

# Patterns run on a unit's normalised words joined by single
# spaces, fillers removed. Each cue adds a score vector (S, T, A, R), once per unit.

SITUATION, TASK, ACTION, RESULT = 0, 1, 2, 3
HOOK = 4  # decoder state before the Situation

NUM = (
    r"(?:\d[\d,.]*|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
    r"thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|"
    r"a hundred|a thousand|thousand|half|a half|a third|a quarter|a couple of|a few|several)"
)
PERIOD = r"(?:seconds?|minutes?|hours?|days?|weeks?|months?|quarters?|years?|sprints?|shifts?|terms?|semesters?)"
# Regular "-ed" verbs that state feelings, needs or states rather than narrate actions.
_NOT_ACTION_ED = (
    "needed|wanted|hoped|liked|loved|hated|wished|intended|expected|supposed|used|"
    "noticed|realised|realized|learned|learnt|believed|seemed|appeared|belonged|owned|"
    "lived|worked|joined|started|happened|tried|was|were|felt|knew|thought|had|agreed"
)
_ACTION_VERB = rf"(?:(?!(?:{_NOT_ACTION_ED})\b|used to\b)[a-z]+ed|{ACTION_PAST})"
_ADV = r"(?:(?:also|then|first|quickly|immediately|personally|just|actually|finally|eventually|then also|instead|later|next|again|basically|really|simply|even) )?"


def _rx(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


# Signposts: the speaker names the section. Matched near the start of a unit (after
# connectives), and they are the strongest spoken evidence.
SIGNPOSTS: tuple[tuple[int, re.Pattern[str]], ...] = (
    (
        SITUATION,
        _rx(
            r"^(?:the |a bit of |some |for )?(?:situation|context|background|setting|scene)\b(?: (?:was|is|here|there|first|at the time)\b|$)"
        ),
    ),
    (SITUATION, _rx(r"^(?:to|let me) (?:set the scene|give (?:you )?(?:some |a bit of |the )?(?:context|background))")),
    (
        TASK,
        _rx(
            r"^(?:and )?(?:my|the|our) (?:task|job|role|goal|responsibility|assignment|mission|objective|challenge|brief|remit|aim)s? (?:was|were|is|became|here|there|then|at that point)\b"
        ),
    ),
    (TASK, _rx(r"^(?:what )?(?:i|we) (?:was|were) (?:tasked with|asked to|brought in to|hired to)\b")),
    (
        TASK,
        _rx(
            r"^(?:what|the thing) (?:i|we) (?:needed|had|was supposed|were supposed) to (?:do|achieve|figure out|solve)"
        ),
    ),
    (ACTION, _rx(r"^(?:so |and )?(?:what|the first thing|the main thing|the things?) (?:i|we) did\b")),
    (ACTION, _rx(r"^(?:so |and )?(?:here's|here is|this is) what (?:i|we) did\b")),
    (ACTION, _rx(r"^(?:my|our) (?:approach|plan|first step|solution|strategy|actions?) (?:was|were|is)\b")),
    (ACTION, _rx(r"^(?:the )?(?:actions?|steps?) (?:i|we) took\b")),
    (
        RESULT,
        _rx(
            r"^(?:and |so )?(?:the|our|my) (?:end )?(?:results?|outcome|impact|upshot|payoff) (?:was|were|is|of (?:that|this|all)|here)\b"
        ),
    ),
    (
        RESULT,
        _rx(
            r"^(?:and |so )?(?:as a result|in the end|at the end of the day|in the long run|all in all|overall|ultimately|in terms of (?:results?|impact|outcome))\b"
        ),
    ),
)

# Cues: (vector S,T,A,R, pattern). Searched anywhere in a unit unless anchored with ^.
CUES: tuple[tuple[tuple[float, float, float, float], re.Pattern[str]], ...] = (
    # --- Situation: setting the scene (where, when, who I was), states, ongoing problems.
    (
        (1.5, 0, 0, 0),
        _rx(
            r"\b(?:at|in|during|for) (?:my|our|a|the) (?:last|previous|former|old|current|first|second|summer|part-time|early|new|\w+ing) (?:job|role|position|company|team|internship|workplace|employer|school|placement|year|post|contract|startup|firm|store|shop|ward|hospital)\b"
        ),
    ),
    (
        (1.2, 0, 0, 0),
        _rx(
            r"\b(?:i|we) (?:was|were|had been|used to be) (?:a|an|the|one of|part of|on|working|employed|volunteering|studying|still|new|just|only)\b"
        ),
    ),
    (
        (1.2, 0, 0, 0),
        _rx(
            r"\bi (?:worked|was working|used to work|had been working|was employed|was interning|was volunteering|was studying) (?:as|at|for|in|on|with)\b|\bi (?:work|am working|'m working|teach) (?:[a-z]+ ){0,2}(?:as|at|for|in|on|with|year|grade)\b"
        ),
    ),
    ((1.0, 0, 0, 0), _rx(r"\b(?:i'm|i am|i've been|i have been) (?:a|an|the|one of|part of|on|currently|still)\b")),
    (
        (1.2, 0, -0.3, 0),
        _rx(
            r"\bwhen (?:i|we) (?:first |had )?(?:joined|started|was|were|worked|moved|arrived|took over|got there|began)\b"
        ),
    ),
    (
        (0.8, 0, 0, 0),
        _rx(
            rf"\b(?:{NUM}|many|some|a few) (?:years?|months?|weeks?|summers?|semesters?) ago\b|\b(?:last|this|that|one) (?:year|spring|summer|fall|autumn|winter|semester|term|quarter|christmas|season)\b|\bback (?:in|when|then)\b|\bat the time\b|\bat that (?:time|point in my career)\b|\bin my (?:first|second|third|final) (?:year|month|week)\b"
        ),
    ),
    (
        (1.0, 0.3, 0, 0),
        _rx(
            r"\bthe (?:main |big |real )?(?:problem|issue|challenge|trouble|difficulty|risk|complaint|concern)s? (?:was|were|is|there|had)\b"
        ),
    ),
    ((0.8, 0, 0, 0), _rx(r"\bthere (?:was|were|had been)\b")),
    (
        (0.8, 0, 0, 0),
        _rx(
            r"\b(?:we|i|they|he|she|it|the \w+) had (?:a|an|about|only|no|some|over|nearly|almost|just|around|roughly|more|less|fewer|too|\d[\d,.]*|two|three|four|five|six|seven|eight|nine|ten|twelve|twenty|thirty|forty|fifty|hundreds|dozens|lots)\b"
        ),
    ),
    ((0.7, 0, -0.2, 0), _rx(r"\b(?:was|were) (?:\w+ )?(?:\w+ing)\b(?! (?:to|up|on)\b)")),
    (
        (0.8, 0, 0, 0),
        _rx(
            r"\b(?:had been|used to|kept \w+ing|would always|would often|every (?:single )?(?:day|week|month|time|sprint|shift|morning|night|year|monday|tuesday|wednesday|thursday|friday|saturday|sunday|weekend))\b"
        ),
    ),
    (
        (0.6, 0, 0, 0),
        _rx(r"^(?:so |okay |ok |well |right )?(?:this|it) was (?:at|when|in|during|back|a|an|my|our|last|about)\b"),
    ),
    (
        (0.6, 0, 0, 0),
        _rx(
            r"\b(?:our|the|my) (?:team|company|department|manager|boss|client|customer|ward|shop|store|school|class|office|startup|warehouse|organisation|organization|project|product|app|system|site|website|process)s? (?:was|were|had|did not|didn't|wasn't|weren't)\b"
        ),
    ),
    (
        (0.6, 0, 0, 0),
        _rx(
            r"^(?:our|the|my|his|her|their|a|an|this|that|these|those|most|many|all|some) (?:[a-z']+ ){0,4}(?:was|were|had|got|kept|seemed|felt|looked)\b"
        ),
    ),
    (
        (0.6, 0, 0, 0),
        _rx(
            r"\b(?:often|usually|always|constantly|regularly|all the time|every time|again and again|pretty much every|most days|most weeks)\b"
        ),
    ),
    (
        (0.5, 0, 0, -0.2),
        _rx(r"\b(?:wasn't|weren't|didn't|couldn't|hadn't|was not|were not|did not|nobody|no one|none of)\b"),
    ),
    ((0.5, 0, -0.2, 0), _rx(r"\b(?:was|were|felt|seemed|looked like|knew|thought|believed|assumed)\b")),
    ((0.6, 0, 0, 0), _rx(r"\b(?:he|she|they|it|everyone|everybody|people) (?:was|were|had|kept|seemed|felt)\b")),
    # --- Task: obligation, goals, responsibility, being asked.
    (
        (0, 2.0, 0, 0),
        _rx(r"\b(?:my|our) (?:job|task|role|goal|responsibility|assignment|mission|objective|remit|brief|challenge)\b"),
    ),
    (
        (0, 1.2, 0, 0),
        _rx(
            r"\b(?:i|we) (?:still |really |now |then |first |somehow |suddenly |just )?(?:have|need|'ve got|got|am supposed|'m supposed|are supposed) to\b"
        ),
    ),
    (
        (0, 1.6, 0, 0),
        _rx(
            r"\bi (?:still |really |also |now |then |first |somehow |suddenly |just )?(?:needed|had|wanted|was supposed|was expected|was meant|was asked|was told|was tasked|was hired|was brought in|got asked|had been asked|was assigned|would have|would need) to\b"
        ),
    ),
    (
        (0, 0.9, 0, 0),
        _rx(
            r"\b(?:we|the team|my team|our team) (?:still |really |also |now |then |first |somehow |suddenly |just )?(?:needed|had|wanted|were supposed|were expected|were meant|were asked|were told|would have|would need) to\b"
        ),
    ),
    (
        (0.3, 0.8, 0, 0),
        _rx(
            r"\b(?:he|she|they|the client|the customer|the patient|the manager|my manager|the business|the company) (?:really |still |urgently |just )?(?:needed|had to|wanted|was expecting|expected|was counting on)\b"
        ),
    ),
    (
        (0.3, 0.8, 0, 0),
        _rx(
            r"\b(?:was|were|it was|we were|i was) (?:going|about) to (?:have to|need|lose|fail|miss|be late|run out|cancel|quit|leave|walk|churn|close)\b|\bnobody (?:had )?(?:asked|told|made|expected|wanted|assigned) (?:me|us)\b|\bno one (?:had )?(?:asked|told|made) (?:me|us)\b"
        ),
    ),
    (
        (0, 1.2, 0, 0),
        _rx(r"\b(?:i|we) (?:was|were) (?:told|asked|given|handed|put in charge|made responsible|expected|supposed)\b"),
    ),
    (
        (0.3, 0.6, 0, 0),
        _rx(
            r"\bif (?:i|we|someone|somebody|nobody|they|he|she) (?:didn't|did not|couldn't|could not|can't|don't|wouldn't|failed|fail|missed|miss|lost|lose)\b|\bunless\b|\botherwise\b|\bat stake\b|\bat risk\b"
        ),
    ),
    (
        (0, 1.6, 0, 0),
        _rx(
            r"\b(?:responsible for|in charge of|tasked with|accountable for|put in charge|up to me|fell to me|on me to|my call|left to me)\b"
        ),
    ),
    (
        (0, 1.4, 0, 0.3),
        _rx(r"\b(?:asked|wanted|needed|told|expected|assigned|hired|brought) (?:me|us|my team) (?:to|with)\b"),
    ),
    (
        (0, 1.4, 0, 0),
        _rx(r"\bthe (?:goal|aim|target|objective|deadline|mandate|brief|task|job|plan) (?:was|is|were|had)\b"),
    ),
    ((0, 1.0, 0, 0), _rx(r"\b(?:goal|aim|target|objective|deadline|mandate|kpi|okr|expectation)s?\b")),
    ((0, 1.4, 0, 0), _rx(r"\b(?:my|our|the) (?:[a-z]+ )?(?:was|is) to (?!be\b)[a-z]+")),
    ((0, 1.0, 0, 0), _rx(r"\b(?:someone|somebody|nobody|no one|anyone) (?:had|needed|would have|was going) to\b")),
    (
        (0, -0.5, 0, 1.5),
        _rx(
            r"\b(?:hit|met|missed|beat|exceeded|reached|smashed|fell short of|came close to|overshot) (?:the|our|my|their|that|a) (?:\w+ )?(?:target|goal|deadline|number|quota|budget|kpi|date)s?\b"
        ),
    ),
    (
        (0, 0, 0, 1.0),
        _rx(
            r"\b(?:ended|finished|closed|wrapped up) (?:the|that) (?:year|quarter|month|season|sprint|term|semester|project|week) (?:with|at|on|having|ahead|behind|\d)"
        ),
    ),
    (
        (0, 0.8, 0, 0),
        _rx(
            r"\b(?:make sure|figure out|find a way|work out how|without (?:\w+ing|going|hiring|losing|any)|had to be|needed to be|in time for|before the (?:deadline|launch|release|sale|audit|holiday|end))\b"
        ),
    ),
    (
        (0, 1.0, 0, 0),
        _rx(
            r"\b(?:i|we) (?:knew|realised|realized|decided|thought|felt|figured) (?:that )?(?:i|we|i'd|we'd) (?:had|needed|should|would have|would need|must|could|wanted|try|have to|need to|better)\b"
        ),
    ),
    (
        (0.2, 0.8, 0, 0),
        _rx(r"\b(?:i|we) (?:didn't|did not) want (?:to|him|her|them|it|us|the|our|my|anyone|anybody)\b"),
    ),
    ((0, 0.8, 0.3, 0), _rx(r"\b(?:i|we) (?:wanted|hoped|tried|set out|aimed|decided|chose|volunteered|offered) to\b")),
    # --- Action: first-person narration of deeds, sequencing.
    ((0, 0, 1.4, 0), _rx(rf"\bi {_ADV}{_ACTION_VERB}\b")),
    ((0, 0, 0.8, 0.1), _rx(rf"\bwe {_ADV}{_ACTION_VERB}\b")),
    (
        (0, 0, 1.2, 0),
        _rx(
            r"^(?:and |so )?(?:first|firstly|first of all|to start|to begin|then|next|after that|afterwards|second|secondly|third|thirdly|from there|meanwhile|at the same time|on top of that|in parallel|once (?:that|i|we|she|he|they)|while)\b"
        ),
    ),
    (
        (0, 0, 1.0, 0),
        _rx(
            r"^(?:and |so )?(?:i|we) (?:also|then|first|started|began|made sure|set up|reached out|sat down|went|spent|took|ended up \w+ing)\b"
        ),
    ),
    (
        (0, 0, 1.0, 0),
        _rx(
            r"\b(?:i|we) (?:started|began) (?:by |with |to |\w+ing)\b|\bi (?:made sure|set up|reached out|sat down|put together|came up with|followed up|went through|worked with|walked (?:\w+ )?through|pulled together|broke (?:it|them|the \w+) (?:down|up|into))\b"
        ),
    ),
    (
        (0, 0, 0.6, 0),
        _rx(
            r"\b(?:i|we) (?:call|ask|tell|say|go|sit|write|build|start|decide|talk|email|set|put|pull|open|check|run)s? (?:him|her|them|up|down|to|with|the|a|my|our|it|that|this)\b"
        ),
    ),
    (
        (0, -0.3, 0.6, 0),
        _rx(
            r"\b(?:by \w+ing|so that (?:i|we|they|he|she) could|in order to|step by step|one by one|one on one|myself|personally|on my own)\b"
        ),
    ),
    # --- Result: outcomes, numbers, change, aftermath, recognition, lessons.
    ((0, 0, 0, 1.4), _rx(r"\d+(?:\.\d+)?\s*%|\b(?:percent|per cent)\b|\bpercentage points?\b")),
    (
        (0, 0, 0, 1.0),
        _rx(
            rf"\bfrom (?:about |around |roughly |over |under |nearly |almost )?{NUM}\b[\w ]{{0,25}}? (?:down |up )?to (?:about |around |roughly |just |only |nearly |almost |under |over )?(?:{NUM}|zero|none|nothing)\b"
        ),
    ),
    (
        (0, 0, 0, 1.2),
        _rx(
            r"\b(?:went|grew|jumped|dropped|fell|rose|climbed|improved|came down|went up|went down|increased|decreased|shrank|reduced) (?:\w+ ){0,2}from\b.{0,60}?\bto\b"
        ),
    ),
    ((0, 0, 0, 1.0), _rx(rf"\$|\b(?:dollars|pounds|euros|bucks|grand)\b|\b{NUM} (?:thousand|million|billion|k)\b")),
    (
        (0, 0, 0, 1.0),
        _rx(
            r"\b(?:was|were|got|had been) (?:all |quickly |finally |eventually |then )?(?:corrected|fixed|resolved|caught|prevented|avoided|approved|accepted|adopted|saved|solved|settled|cleared|recovered|restored|signed off|rolled out|paid|reinstated)\b"
        ),
    ),
    (
        (0, 0, 0, 1.0),
        _rx(
            r"\b(?:back to normal|back up and running|up and running|back online|resolved|stable again|under control|on track|went live|was live|were live|no longer)\b"
        ),
    ),
    (
        (0, 0.2, 0, 0.6),
        _rx(
            rf"\bwithin (?:about |only |just |less than |under )?(?:half an? |an? |the )?(?:{NUM} )?(?:{NUM} )?{PERIOD}\b"
        ),
    ),
    (
        (0, 0, 0, 1.0),
        _rx(
            rf"\bby (?:more than |almost |nearly |over |about |around |roughly |at least )?(?:half|a half|a third|a quarter|two thirds|{NUM} (?:percent|per cent|times|points|%))|\b(?:than (?:before|last|the year before|the previous)|compared (?:to|with)|year on year|year over year)\b"
        ),
    ),
    (
        (0, 0, 0, 1.0),
        _rx(
            r"\b(?:doubled|tripled|halved|in half|twice as|three times|ten times|x faster|times faster|times more|times less)\b"
        ),
    ),
    (
        (0, 0, -0.2, 1.0),
        _rx(
            r"\b(?:went (?:up|down|from)|dropped|fell|rose|increased|decreased|reduced|improved|grew|declined|shrank|jumped|climbed|came down|went away|disappeared|stopped happening|picked up)\b"
        ),
    ),
    (
        (0, 0, 0, 1.0),
        _rx(
            rf"\b(?:{NUM}|an?) (?:\w+ )?{PERIOD}? ?instead of\b|\binstead of (?:the |about |over |nearly )?{NUM}\b|\bin (?:under|less than|just|only) (?:an? |{NUM} )?{PERIOD}\b"
        ),
    ),
    (
        (0, 0, 0, 0.8),
        _rx(
            r"\b(?:saved|cut|recovered|earned|generated|raised|won|hit|beat|exceeded|met|reached|achieved|delivered|launched|shipped|finished|completed|passed|closed|signed|kept|retained)\b"
        ),
    ),
    (
        (0, 0, 0, 1.0),
        _rx(
            r"\b(?:no|zero|not a single|not one|without any|without a single) (?:more |further |new |[a-z]+ ){0,2}(?:complaints?|errors?|bugs?|incidents?|issues?|problems?|timeouts?|outages?|escalations?|falls?|mistakes?|failures?|failed \w+|downtime|delays?|returns?|injuries|accidents|defects?|churn|findings?|losses|breaches|violations|cancellations)\b"
        ),
    ),
    (
        (0, 0, 0, 0.8),
        _rx(
            rf"\b(?:an? |{NUM} )?(?:days?|weeks?|months?|hours?|minutes?) (?:late|early|ahead of schedule|behind schedule|ahead of time)\b|\b(?:ahead of|behind) schedule\b"
        ),
    ),
    (
        (0, 0, 0, 1.0),
        _rx(
            r"\b(?:as a result|in the end|ended up|ultimately|outcome|end result|the result|results|impact|succeeded|success|successful|successfully|worked out|paid off|on time|on budget|under budget|ahead of schedule|for the first time|no (?:more |longer |further )?(?:complaints|errors|bugs|incidents|issues|problems|timeouts|outages|escalations|falls|mistakes)|zero \w+)\b"
        ),
    ),
    (
        (0, 0, 0, 1.0),
        _rx(
            r"\b(?:is|are|'s|'re|has|have) still\b|\bstill (?:uses?|using|works?|working|runs?|running|is|are|there|in place|going|talks?|calls?|sends?)\b"
        ),
    ),
    (
        (0, 0, 0.2, 0.8),
        _rx(
            rf"\b(?:{NUM}|a few|a couple of|some|many|several) (?:days?|weeks?|months?|years?|quarters?) later\b|\blater (?:that|this|the same) (?:day|week|month|year|quarter)\b"
        ),
    ),
    (
        (0, 0, 0, 1.0),
        _rx(
            r"\b(?:since then|ever since|to this day|these days|nowadays|today|now|going forward|from then on|after that (?:quarter|year|month)|the next (?:year|quarter|month|season|semester|term))\b"
        ),
    ),
    (
        (0, 0, 0.3, 0.7),
        _rx(
            rf"^(?:and |so )?(?:within|over|after|in|by) (?:the |a |an |about |only |just )?(?:next |first |following |end of the |end of )?(?:{NUM} )?{PERIOD}\b|^(?:and |so )?by the (?:end|time|next|following|spring|summer|fall|autumn|winter|deadline)\b|^(?:and |so )?(?:later|eventually|afterwards|finally|a few \w+ later|\w+ \w+ later)\b"
        ),
    ),
    (
        (0, 0, 0, 1.0),
        _rx(
            r"\b(?:thank you|thank-you|thanks|thanked|praised|promoted|promotion|award|awarded|recognised|recognized|recognition|compliment|compliments|complimented|congratulated|adopted|rolled (?:it |this |that )?out (?:to|across)|became (?:the|a|our) (?:template|standard|default|norm|model)|standard practice|a good review|good reviews|five star|feedback was|review that|(?:was|were) (?:so |really |very )?(?:happy|pleased|grateful|impressed|relieved|thrilled))\b"
        ),
    ),
    (
        (0, 0, 0.3, 1.0),
        _rx(
            r"\b(?:got|managed to get|helped|persuaded|convinced) (?:[a-z']+ ){1,5}to (?:finish|complete|pass|hit|reach|sign|adopt|agree|switch|come back|stay)\b|\b(?:nobody|no one) (?:thought|expected|believed) (?:we|they|i|he|she|it) (?:would|could)\b"
        ),
    ),
    ((0, 0, 0, 0.8), _rx(r"\b(?:proudest|proud of|achievement|accomplishment|biggest win|best result)\b")),
    (
        (0, 0, 0, 1.4),
        _rx(
            r"\b(?:i learned|i learnt|i've learned|learned that|learnt that|the lesson|lessons? learned|taught me|what i took away|my takeaway|the takeaway|looking back|in hindsight|next time|if i did it again|i would now|i now|i always \w+ now|since then i|main thing i learned|i realised afterwards|i realized afterwards)\b"
        ),
    ),
    (
        (0, 0, 0, 0.6),
        _rx(
            r"\b(?:is|are|has|have) (?:still |now |been )?(?:used|running|in place|part of|the standard)\b|\b(?:she|he|they)(?:'s| is| are|'re) (?:now|still)\b"
        ),
    ),
)

# Connectives stripped before the anchored (^) patterns are tried.
LEAD = _rx(r"^(?:(?:and|so|but|well|okay|ok|right|then|um|uh|anyway|basically|actually|yeah|now|oh)\s+)+")
LEAD_KEEP_SEQ = _rx(r"^(?:(?:and|but|well|okay|ok|right|um|uh|anyway|yeah|oh)\s+)+")
