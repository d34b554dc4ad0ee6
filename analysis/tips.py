"""Tips: at most ``max_tips`` (default 3), most important first, each concrete and
pointing at evidence in the answer (times as m:ss, quotes of what was said).

Every check proposes candidates with an importance score; structural problems (a
missing Result or Action) outrank balance, balance outranks delivery (fillers, pace),
and within a kind the further from the target, the higher. The score formula is a
judgement call, documented here so it can be tuned in one place.
"""

from __future__ import annotations

from collections import Counter

from analysis.fillers import HEDGE, REPETITION
from analysis.pace import PaceStats
from analysis.pauses import PauseStats
from analysis.report import ContentReport, FillerStats, StarReport, Tip
from analysis.settings import AnalysisSettings
from analysis.timefmt import mmss
from analysis.transcript import STAR_NAMES

NAMES = STAR_NAMES


def pct(share: float) -> str:
    return f"{round(share * 100):d}%"


def _times(n: int) -> str:
    return {1: "once", 2: "twice"}.get(n, f"{n} times")


def make_tips(
    star: StarReport,
    content: ContentReport,
    fillers: FillerStats,
    pace: PaceStats,
    pauses: PauseStats,
    settings: AnalysisSettings,
    speech_start: float,
    speech_end: float,
) -> tuple[Tip, ...]:
    cands: list[tuple[float, Tip]] = []

    def add(score: float, tip: Tip) -> None:
        cands.append((score, tip))

    targets = settings.targets
    bal = {b.label: b for b in content.balance}

    # ---- structure ---------------------------------------------------------------
    if "result" in star.missing and star.hook is not None:
        add(
            80,
            Tip(
                "result_missing",
                f"You open with the outcome ({mmss(star.hook.start)}-{mmss(star.hook.end)}) but never come back "
                f"to it: close with a Result (about {pct(targets['result'])} of the answer) that says what "
                "changed, with a figure.",
                speech_end,
            ),
        )
    elif "result" in star.missing:
        add(
            100,
            Tip(
                "result_missing",
                f"You never say how it ended: add a Result (about {pct(targets['result'])} of the answer) "
                "that says what changed, with a figure.",
                speech_end,
            ),
        )
    if "action" in star.missing:
        add(
            95,
            Tip(
                "action_missing",
                f"There is no clear Action: spend about {pct(targets['action'])} of the answer on what you "
                'did yourself, step by step ("First I..., then I...").',
                None,
            ),
        )
    if "situation" in star.missing:
        add(
            58,
            Tip(
                "situation_missing",
                "You start without setting the scene: open with one or two sentences of Situation "
                "(where you were, what was at stake).",
                speech_start,
            ),
        )
    if "task" in star.missing:
        add(
            42,
            Tip(
                "task_missing",
                "Your Task is not stated: say in one sentence what you had to achieve "
                '("My job was to...") before you describe what you did.',
                speech_start,
            ),
        )

    res = star.section("result")
    if res is not None:
        b = bal["result"]
        quoted = ", ".join(f'"{x}"' for x in content.result_numbers[:2])
        if b.verdict == "short" and not content.result_quantified:
            add(
                85 + 100 * (b.low - b.share),
                Tip(
                    "result_short",
                    f"Your Result is {pct(b.share)} of the answer (target about {pct(b.target)}) and has no number: "
                    "say what changed, with a figure.",
                    res.start,
                ),
            )
        elif b.verdict == "short":
            add(
                70 + 100 * (b.low - b.share),
                Tip(
                    "result_short",
                    f"Your Result is {pct(b.share)} of the answer (target about {pct(b.target)}), from {mmss(res.start)}: "
                    f"say more about what changed (you mention {quoted}) and what happened next.",
                    res.start,
                ),
            )
        elif not content.result_quantified:
            add(
                72,
                Tip(
                    "result_unquantified",
                    f"Your Result (from {mmss(res.start)}) has no figure: say what changed with a number: a "
                    "percentage, time or money saved, people helped.",
                    res.start,
                ),
            )
        elif b.verdict == "long":
            add(
                22 + 100 * (b.share - b.high),
                Tip(
                    "result_long",
                    f"Your Result takes {pct(b.share)} of the answer (target about {pct(b.target)}): keep it to the "
                    "outcome and one lesson.",
                    res.start,
                ),
            )

    for label, base_long, base_short in (("situation", 52, 30), ("task", 40, 0), ("action", 30, 62)):
        sec = star.section(label)
        b = bal[label]
        if sec is None:
            continue
        span = f"{mmss(sec.start)}-{mmss(sec.end)}"  # (an opening hook is a section of its own)
        if b.verdict == "long":
            advice = {
                "situation": "cut the background to two or three sentences and get to what you did",
                "task": "state your goal in one sentence",
                "action": "leave time for the Result: what changed because of it",
            }[label]
            add(
                base_long + 100 * (b.share - b.high),
                Tip(
                    f"{label}_long",
                    f"Your {NAMES[label]} takes {pct(b.share)} of the answer ({span}; target about {pct(b.target)}): "
                    f"{advice}.",
                    sec.start,
                ),
            )
        elif b.verdict == "short" and base_short:
            add(
                base_short + 100 * (b.low - b.share),
                Tip(
                    f"{label}_short",
                    f"Your {NAMES[label]} is only {pct(b.share)} of the answer ({span}; target about {pct(b.target)}): "
                    "walk through the two or three things you did, in order, and why.",
                    sec.start,
                ),
            )

    # ---- length ------------------------------------------------------------------
    lo, hi = content.length_target
    # Far off the target (under 3/4 of the minimum, over 5/4 of the maximum) the length
    # is always worth saying: it keeps a place among the tips (see the end).
    far = content.length_seconds < 0.75 * lo or content.length_seconds > 1.25 * hi
    if content.length_verdict == "long":
        add(
            60 + (content.length_seconds - hi) / 6,
            Tip(
                "length_long",
                f"The answer runs {mmss(content.length_seconds)} (target {mmss(lo)}-{mmss(hi)}): trim the set-up and keep "
                "one example per step.",
                None,
            ),
        )
    elif content.length_verdict == "short":
        add(
            50 + (lo - content.length_seconds) / 6,
            Tip(
                "length_short",
                f"The answer is only {mmss(content.length_seconds)} long (target {mmss(lo)}-{mmss(hi)}): add what you did "
                "step by step and a measurable result.",
                None,
            ),
        )

    # ---- delivery ----------------------------------------------------------------
    spoken = [f for f in fillers.items if f.kind not in (REPETITION, HEDGE)]
    if spoken and (
        fillers.per_minute > settings.fillers_per_minute_ok or fillers.per_100_words > settings.fillers_per_100_words_ok
    ):
        common = Counter(f.text for f in spoken).most_common(2)
        top = ", ".join(f'"{t}" {_times(n)}' for t, n in common)
        examples = [f for f in spoken if f.text == common[0][0]][:2]
        where = " and ".join(mmss(f.start) for f in examples)
        add(
            55 + 4 * (fillers.per_minute - settings.fillers_per_minute_ok),
            Tip(
                "fillers",
                f"{fillers.count} fillers ({fillers.per_minute:.1f} a minute), most often {top} (e.g. at {where}): "
                "when you need a moment, pause silently instead.",
                examples[0].start,
            ),
        )

    if pace.verdict != "good" and pace.speaking_seconds >= 15:
        if pace.verdict == "fast":
            fast = pace.fastest
            detail = (
                f", fastest {fast.wpm:.0f} wpm at {mmss(fast.start)}-{mmss(fast.end)}"
                if fast and len(pace.timeline) > 1
                else ""
            )
            add(
                48 + (pace.wpm - pace.band[1]) / 2,
                Tip(
                    "pace_fast",
                    f"At {pace.wpm:.0f} words a minute you are above the {pace.band[0]:.0f}-{pace.band[1]:.0f} "
                    f"band{detail}: "
                    "slow down and pause briefly between sections.",
                    fast.start if fast else None,
                ),
            )
        else:
            slow = pace.slowest
            add(
                45 + (pace.band[0] - pace.wpm) / 2,
                Tip(
                    "pace_slow",
                    f"At {pace.wpm:.0f} words a minute you are below the {pace.band[0]:.0f}-{pace.band[1]:.0f} band "
                    f"(articulation {pace.articulation_wpm:.0f} wpm, {pauses.count} pauses): rehearse the story until the "
                    "steps come without searching.",
                    slow.start if slow else None,
                ),
            )

    # a section rushed compared with the rest (often the Result, said on the way out)
    if pace.verdict != "fast":
        for sec in star.sections:
            if sec.seconds >= 8 and sec.wpm > pace.band[1] + 15 and sec.wpm > pace.wpm * 1.2:
                add(
                    40 + (sec.wpm - pace.band[1]) / 4,
                    Tip(
                        f"{sec.label}_rushed",
                        f"You rush the {NAMES[sec.label]} ({mmss(sec.start)}-{mmss(sec.end)}) at {sec.wpm:.0f} words a "
                        f"minute against {pace.wpm:.0f} overall: slow down there, it is what the listener remembers."
                        if sec.label == "result"
                        else f"You rush the {NAMES[sec.label]} ({mmss(sec.start)}-{mmss(sec.end)}) at {sec.wpm:.0f} words a "
                        f"minute against {pace.wpm:.0f} overall: slow down and pause before the next part.",
                        sec.start,
                    ),
                )
                break

    ratio = content.ownership_ratio
    if ratio is not None and ratio < settings.ownership_min_ratio and content.ownership_we >= 3:
        where = "Action" if content.ownership_scope == "action" else "answer"
        act = star.section("action")
        said_i = f'"I" {_times(content.ownership_i)}' if content.ownership_i else 'never "I"'
        add(
            46 + 20 * (settings.ownership_min_ratio - ratio),
            Tip(
                "ownership",
                f'In your {where} you say "we" {_times(content.ownership_we)} and {said_i}: say what you did '
                'yourself ("I wrote...", "I asked...").',
                act.start if act else None,
            ),
        )

    lp = pauses.longest_pause
    if pauses.long_count and lp is not None:  # a long pause is a pause, so lp is set whenever long_count is
        add(
            34 + 4 * pauses.long_count,
            Tip(
                "long_pauses",
                f"{pauses.long_count} long pause{'s' if pauses.long_count > 1 else ''} (longest {lp.seconds:.1f} s at "
                f'{mmss(lp.start)}): know your next step before you start, and use a signpost ("then I...") to bridge.',
                lp.start,
            ),
        )

    hedges = [f for f in fillers.items if f.kind == HEDGE]
    if len(hedges) > settings.hedges_ok:
        common = Counter(f.text for f in hedges).most_common(2)
        top = ", ".join(f'"{t}" {_times(n)}' for t, n in common)
        add(
            36 + 3 * len(hedges),
            Tip(
                "hedges",
                f"You hedge {len(hedges)} times ({top}; first at {mmss(hedges[0].start)}): say what you did plainly.",
                hedges[0].start,
            ),
        )

    reps = [f for f in fillers.items if f.kind == REPETITION]
    if len(reps) >= 3:
        add(
            28 + 2 * len(reps),
            Tip(
                "repetitions",
                f'You repeat or restart {len(reps)} times (e.g. "{reps[0].text}" at {mmss(reps[0].start)}): '
                "slow down at the start of sentences.",
                reps[0].start,
            ),
        )

    if not content.signposts and content.length_seconds >= 45:
        add(
            20,
            Tip(
                "signposts",
                'No signposts: mark the steps ("first", "then", "in the end") so the listener can follow.',
                None,
            ),
        )

    cands.sort(key=lambda c: -c[0])
    tips = [t for _, t in cands[: settings.max_tips]]
    length_tip = next((t for _, t in cands if t.id in ("length_short", "length_long")), None)
    if far and length_tip is not None and length_tip not in tips and tips:
        tips[-1] = length_tip
    if not tips and settings.max_tips > 0:
        tips.append(
            Tip(
                "keep",
                f"Well shaped: balanced STAR, {pace.wpm:.0f} words a minute and few fillers. Keep this structure, and "
                "practise telling it from memory.",
                None,
            )
        )
    return tuple(tips)
