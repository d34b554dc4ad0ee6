"""Review's panels as widgets: each shows one part of a take's report (a report dict as
``report.json`` holds it) and knows nothing of the library, the player or the workers.

- :class:`FocusPanel`    "Focus next: …" and the previous take of the question beside this one
- :class:`TipsList`      the tips, each with its ▶ time (selecting one is the screen's business)
- :class:`SectionsTable` time, share against target, wpm and fillers per STAR section
- :class:`MetricsPanel`  length, pace, fillers and where, pauses, the Result's figures, I/we…
- :class:`PausesPanel`   the Pace tab's pauses and hesitations
- :func:`legend_text`, :func:`title_text`, :func:`pace_window_text`: one-line pieces
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich.text import Text
from textual.widgets import DataTable, OptionList, Static
from textual.widgets.option_list import Option

from tui.format import DEFAULT_TARGETS, STAR, STAR_COLOUR, C, clip, mmss, num, pct, short_date, table_date
from tui.practice_loop import figures, focus_next


class _Lines:
    """Label-value lines that wrap in a narrow panel: "Label value…" (label bold)."""

    def __init__(self) -> None:
        self.text = Text()

    def add_row(self, label: str, value: Any) -> None:
        if self.text:
            self.text.append("\n")
        if label:
            self.text.append(label + " ", style="bold")
        else:
            self.text.append("  ")
        self.text.append_text(value if isinstance(value, Text) else Text(str(value)))

    def __rich__(self) -> Text:
        return self.text


def title_text(take: Any, report: dict) -> Text:
    """The question, then "date · length · words · model · example take"."""
    q = getattr(take, "question", "") or "(no question)"
    dur = report.get("duration", getattr(take, "duration", None))
    model = report.get("model") or getattr(take, "model", None)
    facts = [short_date(getattr(take, "created", None)), mmss(dur), f"{report.get('words', 0)} words"]
    if model:
        facts.append(f"model {model}")
    if getattr(take, "sample", False):
        facts.append("example take")
    if getattr(take, "recovered", False):
        facts.append("recovered after a crash")
    return Text.assemble((clip(q, 200), "bold"), "\n", (" · ".join(facts), "dim"))


def legend_text() -> Text:
    """The Transcript tab's key to its colours and marks."""
    legend = Text()
    for k in STAR:
        legend.append(f"■ {k.capitalize()}  ", style=STAR_COLOUR[k])
    legend.append("filler", style=C.filler_style)
    legend.append("  ⏸ pause  …? hesitation", style="dim")
    return legend


def pace_window_text(report: dict, pos: float, band: Sequence[float]) -> Text:
    """The pace of the window under ``pos`` (empty without a timeline)."""
    timeline = (report.get("pace") or {}).get("timeline") or []
    if not timeline:
        return Text("")
    win = next(
        (w for w in timeline if w["start"] <= pos < w["end"]),
        timeline[0] if pos < timeline[0]["start"] else timeline[-1],
    )
    ok = band[0] <= win.get("wpm", 0) <= band[1]
    return Text.assemble(
        (f"At {mmss(pos)} (the window {mmss(win['start'])}–{mmss(win['end'])}): ", "dim"),
        (f"{num(win.get('wpm'))} wpm", "bold"),
        (" ✓" if ok else " ✗ outside the band", C.good if ok else C.warn),
        ("   ←/→ move", "dim"),
    )


class FocusPanel(Static):
    """The first thing to read: what to work on next, and how this take compares with
    the previous take of the same question."""

    def show(self, report: dict, previous: Any = None, this: Any = None) -> None:
        tips = report.get("tips") or []
        out = Text()
        advice = focus_next(tips)
        if advice:
            out.append("Focus next: ", style="bold")
            out.append(advice)
        elif report:
            out.append("Focus next: ", style="bold")
            out.append("keep this shape, and practise telling it from memory.")
        if previous is not None and this is not None:
            out.append("\n")
            out.append(f"Last take ({table_date(previous.created)}): ", style="dim")
            out.append(figures(previous), style="dim")
            out.append("  →  this: ", style="dim")
            out.append(figures(this))
        self.update(out)


class TipsList(OptionList):
    """The tips, most important first, each with the time its ▶ link plays (ids tip0…)."""

    def show(self, report: dict, has_transcript: bool) -> None:
        tips = report.get("tips") or []
        self.clear_options()
        if not report:
            why = (
                "This take has no transcript yet (the transcription failed or was interrupted)."
                if not has_transcript
                else "Nothing was said in this take, so there is nothing to analyse."
            )
            self.add_option(
                Option(Text.assemble((why, f"bold {C.warn}"), "\nPress m to transcribe it (again)."), disabled=True)
            )
        elif not tips:
            self.add_option(Option(Text("No tips: this answer hits every check.", style="dim"), disabled=True))
        for i, tip in enumerate(tips):
            at = tip.get("at")
            prompt = Text(f"{i + 1}. ", style="bold")
            prompt.append(tip.get("text", ""))
            if at is not None:
                prompt.append(f"  ▶ {mmss(at)}", style="dim")
            self.add_option(Option(prompt, id=f"tip{i}"))


class SectionsTable(DataTable):
    """One row per STAR section: time, share (✓/✗ against the target), target, wpm, fillers."""

    def on_mount(self) -> None:
        for label, key, w in (
            ("Section", "s", 11),
            ("Time", "t", 4),
            ("Share", "p", 7),
            ("Target", "g", 6),
            ("wpm", "w", 3),
            ("Fillers", "f", 7),
        ):
            self.add_column(label, key=key, width=w)

    def show(self, report: dict) -> None:
        star = report.get("star") or {}
        targets = star.get("targets") or DEFAULT_TARGETS
        self.clear()
        by_label = {s["label"]: s for s in star.get("sections") or [] if not s.get("hook")}
        if not report:
            return
        for s in star.get("sections") or []:
            if s.get("hook"):  # the Result told first, before the story
                name = Text("■ Hook (R)", style=STAR_COLOUR["result"])
                self.add_row(
                    name,
                    mmss(s.get("seconds")),
                    pct(s.get("share")),
                    "",
                    num(s.get("wpm")),
                    str(s.get("fillers", "–")),
                    key="hook",
                )
        for k in STAR:
            s = by_label.get(k)
            name = Text(f"■ {k.capitalize()}", style=STAR_COLOUR[k])
            if s is None:
                self.add_row(name, "–", Text("missing", style=f"bold {C.bad}"), pct(targets.get(k)), "–", "–", key=k)
                continue
            share = s.get("share")
            tgt = targets.get(k)
            share_txt = Text(pct(share))
            if share is not None and tgt is not None:  # a mark, not colour alone
                off = abs(share - tgt) > 0.10
                share_txt.append(" ✗" if off else " ✓")
                if off:
                    share_txt.stylize(f"bold {C.warn}")
            self.add_row(
                name, mmss(s.get("seconds")), share_txt, pct(tgt), num(s.get("wpm")), str(s.get("fillers", "–")), key=k
            )


class MetricsPanel(Static):
    """The details the CLI report has, with plain labels: length, pace, fillers and
    where they are, repeats, pauses, hesitations, the Result's figures, I/we,
    signposts, hedges and repeated words."""

    def show(self, report: dict, band: Sequence[Any]) -> None:
        self.update(metrics_text(report, band))


def metrics_text(r: dict, band: Sequence[Any]) -> Text:
    if not r:
        return Text("Not analysed yet.", style="dim italic")
    pace = r.get("pace") or {}
    fil = r.get("fillers") or {}
    pau = r.get("pauses") or {}
    content = r.get("content") or {}
    length = content.get("length") or {}
    hes = r.get("hesitations") or {}
    good, warn = C.good, C.warn
    t = _Lines()

    def verdict(word: str, ok: bool) -> Text:
        return Text(("✓ " if ok else "✗ ") + word, style=good if ok else warn)

    target = length.get("target") or [90, 180]
    lv = length.get("verdict", "")
    row = Text(mmss(r.get("duration")) + " ")
    if lv:
        row.append_text(verdict(lv, lv == "good"))
    row.append(f" (aim {mmss(target[0])}–{mmss(target[1])})", style="dim")
    spoken = length.get("seconds")
    if spoken is not None and mmss(spoken) != mmss(r.get("duration")):
        row.append(f", {mmss(spoken)} of it speaking", style="dim")
    t.add_row("Length", row)
    pv = pace.get("verdict", "")
    row = Text(f"{num(pace.get('wpm'))} wpm ")
    if pv:
        row.append_text(verdict(pv, pv == "good"))
    row.append(f" (aim {band[0]}–{band[1]})", style="dim")
    t.add_row("Pace", row)
    items = fil.get("items") or []
    said = [i for i in items if i.get("kind") != "repetition"]
    repeats = [i for i in items if i.get("kind") == "repetition"]
    t.add_row("Fillers", f"{fil.get('count', 0)} · {num(fil.get('per_minute'), 1)} a minute")
    by_word: dict[str, list[float]] = {}
    for i in said:
        by_word.setdefault(str(i.get("text", "?")), []).append(float(i.get("start", 0)))
    for word, starts in sorted(by_word.items(), key=lambda kv: -len(kv[1])):
        t.add_row(
            "",
            Text.assemble(
                (f"“{word}” ×{len(starts)}", C.filler_style.replace(" underline", "")),
                (" at " + ", ".join(mmss(x) for x in starts[:6]), "dim"),
            ),
        )
    if repeats:
        t.add_row("Restarts", Text(", ".join(f"“{i.get('text')}…” {mmss(i.get('start'))}" for i in repeats[:6])))
    longest = max(pau.get("items") or [{}], key=lambda p: float(p.get("seconds", 0) or 0))
    pause_txt = f"{pau.get('count', len(pau.get('items') or []))}"
    if pau.get("count"):
        pause_txt += f" · longest {num(pau.get('longest'), 1)} s at {mmss(longest.get('start'))}"
        pause_txt += f" · {pau.get('long_count', 0)} long"
    t.add_row("Pauses", pause_txt)
    t.add_row("Hesitations", Text.assemble(str(hes.get("count", 0)), (" (audio hints, not fillers)", "dim")))
    missing = (r.get("star") or {}).get("missing") or []
    if "result" in missing:
        t.add_row("Result", Text("✗ missing", style=warn))
    elif "result_quantified" in content:
        nums = content.get("result_numbers") or []
        t.add_row(
            "Result",
            verdict(
                "has figures: " + ", ".join(f"“{n}”" for n in nums[:4])
                if content.get("result_quantified")
                else "no figure",
                bool(content.get("result_quantified")),
            ),
        )
    own = content.get("ownership") or {}
    if own:
        scope = "Action" if own.get("scope", "action") == "action" else "answer"
        t.add_row("I vs we", f"“I” {own.get('i', 0)}, “we” {own.get('we', 0)} in the {scope}")
    sp = content.get("signposts") or []
    t.add_row(
        "Signposts",
        " · ".join(f"{s.get('text')} {mmss(s.get('start'))}" for s in sp[:8])
        if sp
        else Text("none (“first”, “then”, “in the end”)", style=warn),
    )
    if "hedges" in content:
        t.add_row("Hedges", str(content.get("hedges", 0)))
    rep = content.get("repeated_words") or []
    if rep:
        t.add_row("Said often", ", ".join(f"{w} ×{n}" for w, n in rep[:5]))
    return t.text


class PausesPanel(Static):
    """The Pace tab's pauses (the long ones first) and possible hesitations."""

    def show(self, report: dict) -> None:
        pau = report.get("pauses") or {}
        hes = (report.get("hesitations") or {}).get("items") or []
        text = Text()
        long_items = [p for p in pau.get("items") or [] if p.get("long")]
        text.append(
            f"Pauses: {pau.get('count', 0)} ({num(pau.get('per_minute'), 1)}/min), "
            f"{pau.get('long_count', len(long_items))} long\n",
            style="bold",
        )
        for p in (long_items or pau.get("items") or [])[:6]:
            text.append(f"  ⏸ {mmss(p['start'])}  {num(p.get('seconds', p['end'] - p['start']), 1)} s\n")
        text.append(f"Possible hesitations (audio hints, not counted as fillers): {len(hes)}\n", style="bold")
        for h in hes[:6]:
            text.append(f"  …? {mmss(h['start'])}  {num(h['end'] - h['start'], 1)} s\n")
        self.update(text)
