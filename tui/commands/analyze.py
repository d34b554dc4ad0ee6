"""``rehearse analyze PATH [--json] [--settings FILE] [--model NAME|DIR]``

PATH is a transcript ``.json`` (the contract in DESIGN.md), a take folder holding a
``transcript.json``, or an audio file (transcribed first, on this machine). Prints the
coaching report as text (80 columns; colour only on a terminal and when NO_COLOR is
unset) or, with ``--json``, only the report JSON.

``format_report(report_dict, width=80)`` renders a report dict as that text; the record,
takes and export commands reuse it.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import textwrap
from functools import partial
from pathlib import Path
from typing import Any

from analysis.timefmt import mmss as _mmss
from analysis.transcript import STAR_LETTERS, STAR_NAMES

NAMES = STAR_NAMES
LETTERS = STAR_LETTERS
# ANSI SGR: background + readable foreground, per section.
_ANSI = {"situation": "44;97", "task": "45;97", "action": "43;30", "result": "42;30"}
_BOLD, _DIM, _RESET = "\x1b[1m", "\x1b[2m", "\x1b[0m"
_SPARK = "\u2581\u2582\u2583\u2584\u2585\u2586\u2587\u2588"


def register(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "analyze",
        help="coaching report for a transcript (.json), a take folder or an audio file",
        description=(
            "Analyse one spoken answer and print the coaching report: STAR timing, fillers, "
            "pace, pauses, content checks and tips. PATH is a transcript .json, a take folder, "
            "or an audio file (transcribed locally first)."
        ),
    )
    p.add_argument("path", metavar="PATH", help="transcript .json, take folder, or audio file")
    p.add_argument("--json", action="store_true", help="print only the report as JSON (for scripts)")
    p.add_argument(
        "--settings",
        metavar="FILE",
        default=argparse.SUPPRESS,
        help="settings file (TOML) with an [analysis] table (default: the user's settings.toml)",
    )
    p.add_argument("--model", metavar="NAME|DIR", help="speech model for audio input (default: from settings)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from analysis.errors import RehearseError
    from analysis.transcript import Transcript
    from tui.settings import load_settings

    settings = load_settings(getattr(args, "settings", None))
    path = Path(args.path).expanduser()
    if not path.exists():
        raise RehearseError(f"{path}: no such file (expected a transcript .json, a take folder or an audio file)")
    if path.is_dir():
        candidate = path / "transcript.json"
        if not candidate.is_file():
            raise RehearseError(f"{path}: is a folder without a transcript.json (give a transcript or audio file)")
        path = candidate
    if path.suffix.lower() == ".json":
        if args.model:
            raise RehearseError(f"{path}: --model applies to audio files only; this is already a transcript")
        transcript = Transcript.load(path)
    else:
        from tui.commands.transcribe import transcribe_file_for_cli

        transcript = transcribe_file_for_cli(path, settings, model=args.model)
    report = analyze_for_cli(transcript, settings.analysis, path)
    if args.json:
        from tui.safe_text import term_json

        _write(term_json(json.dumps(report, indent=1, ensure_ascii=False)) + "\n")
    else:
        color = sys.stdout.isatty() and not os.environ.get("NO_COLOR")
        width = 80
        if sys.stdout.isatty():
            import shutil

            width = max(40, min(100, shutil.get_terminal_size((80, 24)).columns))
        _write(format_report(report, width=width, color=color, title=str(path)) + "\n")
    return 0


def analyze_for_cli(transcript: Any, settings: Any, path: Path) -> dict:
    """analyze() with the file named in the 'no speech' error."""
    from analysis.engine import analyze
    from analysis.errors import NoSpeechError

    if not transcript.words:
        raise NoSpeechError(f"{path}: no speech detected (the transcript has no words)")
    try:
        return analyze(transcript, settings).to_dict()
    except NoSpeechError:
        raise NoSpeechError(f"{path}: no speech detected (the transcript has no words)") from None


def _write(text: str) -> None:
    try:
        sys.stdout.write(text)
    except UnicodeEncodeError:
        sys.stdout.write(text.encode(sys.stdout.encoding or "ascii", "replace").decode(sys.stdout.encoding or "ascii"))
    sys.stdout.flush()


# ---- text report ----------------------------------------------------------------------


mmss = partial(_mmss, missing="-:--")


def _pct(x: float | None) -> str:
    return "-" if x is None else f"{round(float(x) * 100):d}%"


def _num(x: Any, nd: int = 0) -> str:
    if x is None:
        return "-"
    return f"{float(x):.{nd}f}"


def _wrap(text: str, width: int, indent: str = "  ", first: str | None = None) -> list[str]:
    return textwrap.wrap(
        text,
        width=width,
        initial_indent=first if first is not None else indent,
        subsequent_indent=indent,
        break_on_hyphens=False,
    ) or [first or indent]


def _join_wrapped(items: list[str], width: int, indent: str = "  ", sep: str = " \u00b7 ") -> list[str]:
    """Items separated by ' · ', wrapped between items (never inside one)."""
    lines: list[str] = []
    cur = indent
    for item in items:
        piece = item if cur == indent else sep + item
        if len(cur) + len(piece) > width and cur != indent:
            lines.append(cur.rstrip())
            cur = indent + item
        else:
            cur += piece
    if cur.strip():
        lines.append(cur.rstrip())
    return lines


def _capped(items: list[str], limit: int = 40) -> list[str]:
    """At most ``limit`` items (a long recording lists hundreds), then "... N more"."""
    if len(items) <= limit:
        return items
    return items[:limit] + [f"... {len(items) - limit} more (see --json)"]


def star_bar(sections: list[dict], width: int, color: bool = False) -> str:
    """A proportional bar: one segment per section with its name (or letter) and share."""
    if not sections:
        return "|" + "(no sections)".center(width - 2, "-") + "|"
    inner = width - 1 - len(sections)  # the '|' separators
    shares = [max(float(s.get("share", 0)), 0.0) for s in sections]
    total = sum(shares) or 1.0
    raw = [x / total * inner for x in shares]
    cells = [max(1, int(r)) for r in raw]
    # hand out the remaining cells by largest remainder
    while sum(cells) < inner:
        k = max(range(len(raw)), key=lambda i: raw[i] - cells[i])
        cells[k] += 1
    while sum(cells) > inner:
        k = max(range(len(cells)), key=lambda i: cells[i] - raw[i] if cells[i] > 1 else -1e9)
        cells[k] -= 1
    out = "" if color else "|"
    for s, w in zip(sections, cells, strict=False):
        label = s.get("label", "")
        share = _pct(s.get("share"))
        for text in (
            f" {NAMES.get(label, label)} {share}",
            f" {LETTERS.get(label, '?')} {share}",
            f" {LETTERS.get(label, '?')}",
            "",
        ):
            if len(text) <= w:
                break
        if color:
            seg = f"\x1b[{_ANSI.get(label, '7')}m" + text.ljust(w) + _RESET
            out += seg + " "
        else:
            out += text.ljust(w, "-") + "|" if text else "-" * w + "|"
    return out.rstrip() if color else out


def _spark(values: list[float], lo: float = 60.0, hi: float = 240.0) -> str:
    out = []
    for v in values:
        k = int((min(max(v, lo), hi) - lo) / (hi - lo) * (len(_SPARK) - 1) + 0.5)
        out.append(_SPARK[k])
    return "".join(out)


def format_report(report: dict, width: int = 80, color: bool = False, title: str | None = None) -> str:
    """The coaching report as text, every line at most ``width`` columns."""
    from tui.safe_text import term, term_all

    report = term_all(report)  # words, model names, tips: no escape sequence reaches the terminal
    title = term(title) if title is not None else None
    width = max(40, int(width))
    b = (lambda s: f"{_BOLD}{s}{_RESET}") if color else (lambda s: s)
    dim = (lambda s: f"{_DIM}{s}{_RESET}") if color else (lambda s: s)
    lines: list[str] = []
    pace = report.get("pace", {})
    content = report.get("content", {})
    length = content.get("length", {})
    star = report.get("star", {})
    fillers = report.get("fillers", {})
    pauses = report.get("pauses", {})

    if title:
        t = title if len(title) <= width - 8 else "..." + title[-(width - 11) :]
        lines.append(b(f"Report: {t}"))
    target = length.get("target") or [None, None]
    head = [
        f"{mmss(length.get('seconds', report.get('duration')))} spoken",
        f"{report.get('words', 0)} words",
        f"{_num(pace.get('wpm'))} wpm",
    ]
    if report.get("model"):
        head.append(f"model {report['model']}")
    lines.extend(_join_wrapped(head, width, indent=""))
    lines.append("")

    # ---- STAR ----
    sections = star.get("sections", [])
    lines.append(b("STAR") + dim(f"  (found by {star.get('method', '?')})"))
    lines.append(star_bar(sections, width, color))
    targets = star.get("targets") or {}
    if targets:
        lines.append(
            dim("  target  " + " \u00b7 ".join(f"{NAMES[k]} {_pct(v)}" for k, v in targets.items() if k in NAMES))
        )
    wide = width >= 64  # the Target column only where it fits
    hdr = f"{'Section':<10} {'From':>5} {'To':>5} {'Secs':>6} {'Share':>6}" + (f" {'Target':>6}" if wide else "")
    hdr += f" {'Words':>6} {'WPM':>5} {'Fillers':>7}"
    lines.append("")
    lines.append(b(hdr[:width]))
    for s in sections:
        lab = s.get("label", "")
        name = "Hook (R)" if s.get("hook") else NAMES.get(lab, lab)  # the Result told first
        section_line = (
            f"{name:<10} {mmss(s.get('start')):>5} {mmss(s.get('end')):>5} "
            f"{_num(s.get('seconds'), 1):>6} {_pct(s.get('share')):>6}"
            + (f" {'' if s.get('hook') else _pct(targets.get(lab)):>6}" if wide else "")
            + f" {s.get('words', 0):>6} {_num(s.get('wpm')):>5} {s.get('fillers', 0):>7}"
        )
        lines.append(section_line[:width])
    missing = star.get("missing") or []
    if missing:
        lines.append(f"Missing: {', '.join(str(NAMES.get(m, m)) for m in missing)}")
    hook = star.get("hook")
    if hook:
        lines.append(
            dim(
                f"Opens with a result hook ({mmss(hook.get('start'))}-{mmss(hook.get('end'))}): counted as Result in the balance."
            )
        )
    lines.append("")

    # ---- fillers ----
    count = fillers.get("count", 0)
    by_text = fillers.get("by_text") or {}
    summary = (
        f"{count} ({_num(fillers.get('per_minute'), 1)} a minute, "
        f"{_num(fillers.get('per_100_words'), 1)} per 100 words)"
    )
    lines.append(b("Fillers") + "  " + summary)
    rep_texts = {i.get("text") for i in fillers.get("items") or [] if i.get("kind") == "repetition"}
    said = {t: n for t, n in by_text.items() if t not in rep_texts}
    if said:
        lines.extend(_join_wrapped([f"{t} \u00d7{n}" for t, n in said.items()], width))
    items = fillers.get("items") or []
    spoken = [i for i in items if i.get("kind") != "repetition"]
    repeats = [i for i in items if i.get("kind") == "repetition"]
    if spoken:
        lines.extend(_join_wrapped(_capped([f"{mmss(i.get('start'))} {i.get('text')}" for i in spoken]), width))
    if repeats:
        lines.extend(
            _join_wrapped(
                _capped([f'{mmss(i.get("start"))} "{i.get("text")}..."' for i in repeats]), width, indent="  repeats: "
            )
        )
    lines.append("")

    # ---- pace ----
    band = pace.get("band") or [None, None]
    lines.append(
        b("Pace") + f"  {_num(pace.get('wpm'))} wpm ({pace.get('verdict', '?')}; band {_num(band[0])}-{_num(band[1])})"
        f", articulation {_num(pace.get('articulation_wpm'))} wpm"
    )
    timeline = pace.get("timeline") or []
    if len(timeline) > 1:
        vals = [float(w.get("wpm", 0)) for w in timeline]
        spark = _spark(vals)
        room = width - 40
        if len(spark) > room:
            spark = spark[:room]
        lines.append(
            f"  per {round(float(timeline[0]['end']) - float(timeline[0]['start']))} s: {spark}  "
            f"min {min(vals):.0f}, max {max(vals):.0f} wpm"
        )
    if sections:
        lines.extend(
            _join_wrapped(
                [
                    f"{'Hook' if s.get('hook') else NAMES.get(s['label'], s['label'])} {_num(s.get('wpm'))}"
                    for s in sections
                ],
                width,
            )
        )
    lines.append("")

    # ---- pauses ----
    pcount = pauses.get("count", 0)
    text = f"{pcount} ({_num(pauses.get('per_minute'), 1)} a minute)"
    if pcount:
        longest_item = max(pauses.get("items") or [{}], key=lambda p: float(p.get("seconds", 0) or 0))
        text += f", longest {_num(pauses.get('longest'), 1)} s at {mmss(longest_item.get('start'))}"
        text += f", {pauses.get('long_count', 0)} long"
    lines.append(b("Pauses") + "  " + text)
    pitems = pauses.get("items") or []
    if pitems:
        lines.extend(
            _join_wrapped(
                _capped(
                    [
                        f"{mmss(p.get('start'))} {_num(p.get('seconds'), 1)} s{' (long)' if p.get('long') else ''}"
                        for p in pitems
                    ]
                ),
                width,
            )
        )
    hes = report.get("hesitations") or {}
    if hes.get("count"):
        lines.extend(
            _wrap(
                f"{hes['count']} possible hesitation{'s' if hes['count'] != 1 else ''} not transcribed, at "
                + ", ".join(mmss(h.get("start")) for h in hes.get("items", [])[:12])
                + ("..." if hes["count"] > 12 else ""),
                width,
            )
        )
    lines.append("")

    # ---- content ----
    lines.append(b("Content"))
    lab = 12

    def row(name: str, value: str) -> None:
        lines.extend(_wrap(value, width, indent=" " * (lab + 2), first=f"  {name:<{lab}}"))

    row(
        "Length",
        f"{mmss(length.get('seconds'))} {length.get('verdict', '?')} (target {mmss(target[0])}-{mmss(target[1])})",
    )
    bal = content.get("balance") or []
    if bal:
        row("Balance", " \u00b7 ".join(f"{NAMES.get(x['label'], x['label'])} {x.get('verdict')}" for x in bal))
    nums = content.get("result_numbers") or []
    if "result" in missing:
        row("Result", "missing")
    elif content.get("result_quantified"):
        row("Result", "quantified: " + ", ".join(f'"{n}"' for n in nums))
    else:
        row("Result", "no figure found")
    own = content.get("ownership") or {}
    ratio = own.get("ratio")
    scope = "Action" if own.get("scope", "action") == "action" else "answer"
    row(
        "Ownership",
        f"{scope}: I {own.get('i', 0)}, we {own.get('we', 0)}" + (f" ({_pct(ratio)} I)" if ratio is not None else ""),
    )
    sp = content.get("signposts") or []
    row(
        "Signposts",
        " \u00b7 ".join(_capped([f"{s.get('text')} {mmss(s.get('start'))}" for s in sp], 16)) if sp else "none",
    )
    row("Hedges", str(content.get("hedges", 0)))
    rep = content.get("repeated_words") or []
    row("Repeated", ", ".join(f"{w} \u00d7{n}" for w, n in rep) if rep else "none")
    lines.append("")

    # ---- tips ----
    tips = report.get("tips") or []
    lines.append(b("Tips"))
    for k, tip in enumerate(tips, 1):
        lines.extend(_wrap(tip.get("text", ""), width, indent="     ", first=f"  {k}. "))
    if not tips:
        lines.append("  none")
    return "\n".join(_fit(line.rstrip(), width) for line in lines)


_ANSI_RE = re.compile(r"\x1b\[[0-9;]*m")


def _fit(line: str, width: int) -> str:
    """Wrap a line that is too wide (its visible text, if it has colour codes)."""
    visible = _ANSI_RE.sub("", line)
    if len(visible) <= width:
        return line
    indent = " " * min(len(visible) - len(visible.lstrip()) + 2, 8)
    return "\n".join(textwrap.wrap(visible, width=width, subsequent_indent=indent, break_on_hyphens=False))
