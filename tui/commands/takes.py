"""`rehearse takes ...`: list, show, edit, delete (to the trash), restore, export takes."""

from __future__ import annotations

import argparse
import json
import sys


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "takes",
        help="list, show, export, edit, delete or restore recorded takes",
        description="The take library. IDs may be shortened to any unique prefix.",
    )
    tsub = p.add_subparsers(dest="takes_command", metavar="ACTION")
    p.set_defaults(func=run_list, json=False)

    q = tsub.add_parser("list", help="all takes, newest first")
    q.add_argument("--json", action="store_true", help="machine-readable output")
    q.set_defaults(func=run_list)

    q = tsub.add_parser("show", help="a take's details and report")
    q.add_argument("id", metavar="ID")
    q.add_argument("--transcript", action="store_true", help="also print the transcript")
    q.set_defaults(func=run_show)

    q = tsub.add_parser("play", help="play a take's audio (Enter or Ctrl-C stops)")
    q.add_argument("id", metavar="ID")
    q.add_argument("--from", dest="start", type=float, default=0.0, metavar="S", help="start at S seconds")
    q.add_argument("--device", metavar="X", help="output device: number or part of its name")
    q.set_defaults(func=run_play)

    q = tsub.add_parser("edit", help="change a take's question (its title) or competency")
    q.add_argument("id", metavar="ID")
    q.add_argument("--question", "-q", metavar="TEXT")
    q.add_argument("--competency", metavar="TEXT")
    q.set_defaults(func=run_edit)

    q = tsub.add_parser("delete", help="move a take to the trash (restorable)")
    q.add_argument("id", metavar="ID", nargs="+")
    q.set_defaults(func=run_delete)

    q = tsub.add_parser("restore", help="bring a take back from the trash")
    q.add_argument("id", metavar="ID", nargs="+")
    q.set_defaults(func=run_restore)

    q = tsub.add_parser("trash", help="list deleted takes")
    q.set_defaults(func=run_trash)

    q = tsub.add_parser("purge", help="delete takes from the trash for good (cannot be undone)")
    q.add_argument("id", metavar="ID", nargs="*", help="trashed take(s); see `rehearse takes trash`")
    q.add_argument("--all", action="store_true", help="empty the whole trash")
    q.add_argument("--yes", action="store_true", help="do it (required: this cannot be undone)")
    q.set_defaults(func=run_purge)

    q = tsub.add_parser("export", help="export a take: Markdown report, JSON, CSV row, or its audio")
    q.add_argument("id", metavar="ID", nargs="*", help="take(s) to export (csv: several, or --all)")
    q.add_argument(
        "--format",
        "-f",
        default="md",
        choices=("md", "json", "csv", "audio", "wav"),
        help="md (report), json (take+transcript+report), csv (one row per take), "
        "audio (copy of audio.flac) or wav (converted)",
    )
    q.add_argument("-o", "--output", metavar="FILE", help="write to FILE (never overwrites); default: stdout")
    q.add_argument("--all", action="store_true", help="csv: one row for every take")
    q.set_defaults(func=run_export)


def _print(*parts, **kwargs) -> None:
    """print() for every line of these commands: questions, ids, device and model names
    and file names come from files, so each part goes through tui.safe_text.term."""
    from tui.safe_text import term

    print(*(term(p) for p in parts), **kwargs)


def _lib():
    from tui.commands._takes_util import library

    return library()


def _warn(lib) -> None:
    for w in lib.warnings:
        _print(f"rehearse: warning: {w}", file=sys.stderr)


def _finite(value):
    """``value`` with every non-finite float (NaN, infinity) replaced by None: JSON has no
    NaN, and scripts reading `takes list --json` must get valid JSON whatever a file held."""
    import math

    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_finite(v) for v in value]
    return value


def _fmt_num(v, spec: str) -> str:
    return format(v, spec) if isinstance(v, (int, float)) else "-"


def run_list(args: argparse.Namespace) -> int:
    from recorder.workflow import Workflow
    from tui.commands._takes_util import clock

    lib = _lib()
    new = Workflow(lib).install_sample()  # scored with the default settings if it has no report
    takes = lib.list()
    _warn(lib)
    if new is not None:
        _print(f"(added the example take {new.id}; delete it with `rehearse takes delete {new.id}`)", file=sys.stderr)
    if getattr(args, "json", False):
        out = [
            {
                "id": t.id,
                "question": t.question,
                "created": t.created,
                "duration": t.duration,
                "wpm": t.wpm,
                "fillers": t.fillers,
                "fillers_per_minute": t.fillers_per_minute,
                "words": t.words,
                "star_shares": dict(t.star_shares),
                "star_missing": list(t.star_missing),
                "competency": t.competency,
                "recovered": t.recovered,
                "sample": t.sample,
                "model": t.model,
                "has_report": t.has_report,
            }
            for t in takes
        ]
        from tui.safe_text import term_json

        sys.stdout.write(term_json(json.dumps(_finite(out), indent=1, ensure_ascii=False, allow_nan=False)) + "\n")
        return 0
    if not takes:
        _print("No takes yet. Record one with `rehearse record` (or open the app: `rehearse`).")
        return 0
    import shutil

    from tui.practice_loop import distinct_clip, short_ids

    width = shutil.get_terminal_size((100, 24)).columns
    tty = sys.stdout.isatty()  # only a terminal gets short ids and questions cut to its width
    shown = short_ids(t.id for t in takes) if tty else {t.id: t.id for t in takes}
    questions = {t.question or "" for t in takes}
    idw = max(len(x) for x in shown.values())
    from tui.format import table_date

    when = (lambda c: table_date(c)) if tty else (lambda c: c.replace("T", " ")[:16])
    dw = 12 if tty else 16
    head = f"{'ID':<{idw}}  {'RECORDED':<{dw}}  {'LENGTH':>6}  {'WPM':>4}  {'FILL/MIN':>8}  QUESTION"
    _print(head)
    for t in takes:
        flags = ("[recovered] " if t.recovered else "") + ("[example] " if t.sample else "")
        q = flags + (t.question or "(no question)")
        line = (
            f"{shown[t.id]:<{idw}}  {when(t.created):<{dw}}  {clock(t.duration):>6}  "
            f"{_fmt_num(t.wpm, '.0f'):>4}  {_fmt_num(t.fillers_per_minute, '.1f'):>8}  "
        )
        room = max(12, width - len(line) - 1)
        if len(q) > room and tty:
            q = flags + distinct_clip(t.question or "(no question)", questions, max(8, room - len(flags)))
        _print(line + q)
    _print(f"{len(takes)} take(s) in {lib.root}")
    if tty and any(v != k for k, v in shown.items()):
        _print("(ids shortened: any unique start of an id works, e.g. in `rehearse takes show`)")
    return 0


def run_show(args: argparse.Namespace) -> int:
    from tui.commands._takes_util import clock, format_report

    lib = _lib()
    take = lib.get(lib.resolve_id(args.id))
    _print(f"Take       {take.id}")
    _print(f"Question   {take.question or '(no question)'}")
    if take.competency:
        _print(f"Competency {take.competency}")
    _print(f"Recorded   {take.created.replace('T', ' ')}")
    rate = f", {take.samplerate} Hz" if take.samplerate else ""
    _print(f"Length     {clock(take.duration)} ({take.duration:.1f} s{rate})")
    if take.device:
        _print(f"Device     {take.device}")
    if take.source:
        _print(f"Imported   from {take.source}")
    if take.model:
        _print(f"Model      {take.model}")
    if take.markers:
        _print("Markers    " + ", ".join(f"{m.label} {clock(m.time)}" for m in take.markers))
    if take.overflows:
        _print(f"Overflows  {take.overflows} (some audio was dropped while recording)")
    if take.recovered:
        _print("Recovered  yes (saved after Rehearse stopped unexpectedly)")
    _print(f"Folder     {take.path}")
    from recorder.takes import format_guard

    report = lib.load_report(take.id)
    _print()
    if report is None:
        hint = "" if take.has_transcript else " --retranscribe"
        _print(f"Not scored yet: run `rehearse rescore {take.id}{hint}`")
    else:
        _print(format_guard(take.id, take.report_path, lambda: format_report(report)))
    if args.transcript:
        t = lib.load_transcript(take.id)
        _print()
        _print(t.text if t is not None and t.words else "(no transcript)")
    return 0


def run_edit(args: argparse.Namespace) -> int:
    from analysis.errors import RehearseError

    if args.question is None and args.competency is None:
        raise RehearseError("nothing to change: give --question TEXT and/or --competency TEXT")
    lib = _lib()
    take = lib.get(lib.resolve_id(args.id))
    if args.question is not None:
        take = lib.set_question(take.id, args.question)
    if args.competency is not None:
        take = lib.set_competency(take.id, args.competency)
    _print(f"{take.id}: {take.question or '(no question)'}" + (f" [{take.competency}]" if take.competency else ""))
    return 0


def run_delete(args: argparse.Namespace) -> int:
    lib = _lib()
    ids = [lib.resolve_id(i) for i in args.id]  # all or nothing: check every id first
    for take_id in ids:
        lib.delete(take_id)
        _print(f"Moved {take_id} to the trash (undo: rehearse takes restore {take_id})")
    return 0


def run_restore(args: argparse.Namespace) -> int:
    lib = _lib()
    for name in [lib.resolve_id(i, trash=True) for i in args.id]:  # check every id first
        take = lib.restore(name)
        _print(f"Restored {take.id}")
    return 0


def run_trash(args: argparse.Namespace) -> int:
    from tui.commands._takes_util import clock

    lib = _lib()
    items = lib.trash()
    _warn(lib)
    if not items:
        _print("The trash is empty.")
        return 0
    for t in items:
        _print(f"{t.id}  {clock(t.duration):>6}  {t.question or '(no question)'}")
    _print(f"{len(items)} deleted take(s) in {lib.trash_dir}; restore with `rehearse takes restore ID`")
    return 0


def run_purge(args: argparse.Namespace) -> int:
    from analysis.errors import RehearseError

    if bool(args.id) == bool(args.all):
        raise RehearseError("give trashed take ID(s) or --all (see `rehearse takes trash`)")
    lib = _lib()
    names = [t.id for t in lib.trash()] if args.all else [lib.resolve_id(i, trash=True) for i in args.id]
    if not args.yes:
        raise RehearseError(f"this deletes {len(names)} take(s) and their audio for good; add --yes to confirm")
    for name in names:
        lib.purge(name)
        _print(f"Deleted {name} for good")
    if not names:
        _print("The trash is empty.")
    return 0


def run_export(args: argparse.Namespace) -> int:
    from analysis.errors import RehearseError
    from recorder import export as ex

    lib = _lib()
    if args.all:
        if args.format != "csv":
            raise RehearseError("--all works with --format csv only")
        ids = [t.id for t in lib.list()]
        _warn(lib)
    else:
        if not args.id:
            raise RehearseError("give a take ID (see `rehearse takes list`), or --all with --format csv")
        ids = [lib.resolve_id(i) for i in args.id]
    if args.format == "csv":
        text = ex.to_csv(_csv_rows(lib, ids, skip_damaged=args.all))
        if args.output:
            path = ex.write_new(__import__("pathlib").Path(args.output), text)
            _print(f"Wrote {path}", file=sys.stderr)
        else:
            sys.stdout.write(_safe_out(text))
        return 0
    if len(ids) != 1:
        raise RehearseError(f"--format {args.format} exports one take at a time")
    result = lib.export(ids[0], args.format, args.output)
    if args.output:
        _print(f"Wrote {result}", file=sys.stderr)
    else:
        sys.stdout.write(_safe_out(str(result)))
    return 0


def _safe_out(text: str) -> str:
    """An export written to stdout: JSON keeps its form (escapes only), Markdown/CSV get
    control characters made visible; a file (-o) always gets the exact text."""
    from tui.safe_text import term, term_json

    return term_json(text) if text.lstrip().startswith(("{", "[")) else term(text)


def _csv_rows(lib, ids, skip_damaged: bool):
    """(take, report) for each id. With --all a damaged take is left out with a one-line
    warning (every other take is still exported); a take named on the command line that
    is damaged is an error."""
    from analysis.errors import RehearseError
    from recorder import export as ex
    from recorder.takes import format_guard

    for i in ids:
        try:
            take = lib.get(i)
            report = lib.load_report(i)
            format_guard(take.id, take.report_path, lambda take=take, report=report: ex.csv_row(take, report))
        except RehearseError as exc:
            if not skip_damaged:
                raise
            _print(f"rehearse: warning: skipped take {i} in the export: {exc}", file=sys.stderr)
            continue
        yield take, report


def run_play(args: argparse.Namespace) -> int:
    from recorder.devices import native_stderr_to_log
    from recorder.playback import Player
    from tui.commands._takes_util import load

    settings = load(args)
    lib = _lib()
    take = lib.get(lib.resolve_id(args.id))
    device = args.device if args.device is not None else settings.recorder.output_device
    player = Player(take.audio_path, device=device)
    with native_stderr_to_log():
        return _play(player, take, args)


def _play(player, take, args) -> int:
    import threading
    import time

    from tui.commands._takes_util import clock, eprint

    stop = threading.Event()
    from tui.commands.record import _watch_stdin

    _watch_stdin(stop)
    tty = sys.stderr.isatty()
    player.play(from_s=args.start)
    eprint(f"Playing {take.id} ({clock(player.duration)}) on {player.device_name!r} - Enter or Ctrl-C stops")
    try:
        while not stop.is_set() and not player.finished and player.error is None:
            if tty:
                sys.stderr.write(f"\r{clock(player.position)} / {clock(player.duration)} ")
                sys.stderr.flush()
            time.sleep(0.1)
        if player.finished:
            time.sleep(0.3)  # let the device play out its buffer
    except KeyboardInterrupt:
        pass
    finally:
        if tty:
            sys.stderr.write("\n")
        player.close()
    if player.error is not None:
        raise player.error
    return 0
