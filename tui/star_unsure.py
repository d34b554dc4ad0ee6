"""Which STAR section starts the analysis is unsure of, said so in Review.

Each section carries ``confidence`` in the report (analysis.star: the probability that
the section is there and starts within about a sentence of where it was put).
Below ``UNSURE_BELOW`` the boundary is shown as a guess (on held-out answers, starts
given 0.5-0.7 were within 3 s of the labelled start about 60 % of the time, those given
0.9 or more 97 %), with what to do about it:
press the section's key while speaking next time (a marker beats any guess), or mark
the start here (select its first word in the transcript and press the key).
"""

from __future__ import annotations

UNSURE_BELOW = 0.6
_KEYS = {"situation": "1", "task": "2", "action": "3", "result": "4"}


def unsure_lines(star: dict | None) -> list[str]:
    """One line per section whose start is unsure, in S->T->A->R order."""
    if not star or star.get("method") == "markers":
        return []
    out = []
    for s in star.get("sections") or []:
        conf = s.get("confidence")
        label = s.get("label")
        if conf is None or label not in _KEYS or conf >= UNSURE_BELOW or s.get("hook"):
            continue
        name = label.capitalize()
        out.append(f"{name}: unsure — press {_KEYS[label]} when you start the {name} next time, or mark it here")
    return out
