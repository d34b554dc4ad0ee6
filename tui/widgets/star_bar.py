"""The STAR bar: one proportional coloured segment per section, with seconds and share."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

from tui.format import DEFAULT_TARGETS, STAR, STAR_COLOUR, STAR_LETTER, C, mmss, pct


def _widths(shares: list[float], width: int) -> list[int]:
    """Split ``width`` cells in proportion to ``shares`` (largest remainder), >= 1 each."""
    n = len(shares)
    if n == 0 or width <= 0:
        return [0] * n
    width = max(width, n)
    total = sum(shares) or 1.0
    raw = [s / total * width for s in shares]
    out = [max(1, int(r)) for r in raw]
    while sum(out) > width:
        i = max(range(n), key=lambda k: (out[k] - raw[k], out[k]))
        out[i] -= 1
    order = sorted(range(n), key=lambda k: raw[k] - int(raw[k]), reverse=True)
    i = 0
    while sum(out) < width:
        out[order[i % n]] += 1
        i += 1
    return out


def star_segments_text(sections: Iterable[Mapping[str, Any]], width: int, *, detail: bool = True) -> Text:
    """One line of coloured segments. ``detail``: 'A 58s 47%' inside wide segments."""
    secs = [s for s in sections if s.get("label") in STAR_COLOUR]
    text = Text(no_wrap=True, overflow="crop")
    if not secs:
        text.append("·" * max(1, width), style="dim")
        return text
    widths = _widths([max(float(s.get("share") or 0.0), 0.0) for s in secs], width)
    for sec, w in zip(secs, widths, strict=False):
        label = sec["label"]
        letter = STAR_LETTER[label]
        name = "Hook" if sec.get("hook") else label.capitalize()  # the Result told first
        if detail:
            candidates = [
                f"{name} {mmss(sec.get('seconds'))} {pct(sec.get('share'))}",
                f"{letter} {mmss(sec.get('seconds'))} {pct(sec.get('share'))}",
                f"{letter} {pct(sec.get('share'))}",
                letter,
            ]
        else:
            candidates = [letter]
        # left-aligned after one space: labels of equal segments start in the same
        # column whatever their length ("T 9%" under "T 10%"), as in the CLI's bar
        inner = next((c for c in candidates if len(c) + 1 <= w), "") or next((c for c in candidates if len(c) <= w), "")
        cell = (" " + inner if len(inner) < w else inner).ljust(w)
        text.append(cell, style=f"bold {C.on_fill} on {STAR_COLOUR[label]}")
    return text


def mini_star_text(shares: Mapping[str, float] | None, width: int = 10) -> Text:
    """A compact bar for tables: letters coloured by section, lengths by share."""
    if not shares:
        return Text("·" * width, style="dim")
    secs = [{"label": k, "share": shares.get(k) or 0.0} for k in STAR if (shares.get(k) or 0) > 0]
    return star_segments_text(secs, width, detail=False)


class StarBar(Widget):
    """Full-width STAR bar with the target split underneath.

    ``star`` is the report's ``star`` dict: ``{sections, missing, targets, method}``.
    """

    DEFAULT_CSS = """
    StarBar { height: 3; }
    """

    star: reactive[dict | None] = reactive(None, layout=True)

    def __init__(self, star: dict | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.set_reactive(StarBar.star, star)

    def render(self) -> Text:
        width = max(8, self.size.width)
        star = self.star or {}
        sections = star.get("sections") or []
        targets = star.get("targets") or DEFAULT_TARGETS
        out = Text(no_wrap=True, overflow="crop")
        out.append_text(star_segments_text(sections, width))
        out.append("\n")
        # Target split, as a thin line in the same colours, with the shares written out.
        t_secs = [{"label": k, "share": targets.get(k, 0.0)} for k in STAR if targets.get(k)]
        widths = _widths([s["share"] for s in t_secs], width)
        for sec, w in zip(t_secs, widths, strict=False):
            out.append("▔" * w, style=STAR_COLOUR[sec["label"]])
        out.append("\n")
        line = Text("target ", style="dim")
        for k in STAR:
            if k in targets:
                line.append(f"{STAR_LETTER[k]} {pct(targets[k])}  ", style=STAR_COLOUR[k])
        missing = star.get("missing") or []
        if missing:
            line.append("missing: " + ", ".join(missing), style=f"bold {C.bad}")
        elif star.get("method"):
            line.append(f"({star['method']})", style="dim")
        out.append_text(line)
        return out
