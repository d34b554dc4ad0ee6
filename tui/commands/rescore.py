"""`rehearse rescore [ID|--all] [--retranscribe [--model M]]`: re-run the analysis on stored
transcripts with the current settings; optionally transcribe the audio again first."""

from __future__ import annotations

import argparse


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "rescore",
        help="re-score takes with the current settings (optionally re-transcribe)",
        description="Re-run the analysis on a take's stored transcript with the current settings "
        "(or on every take with --all). --retranscribe transcribes the audio again first, e.g. with "
        "another --model, or to finish a take whose transcription failed.",
    )
    p.add_argument("id", metavar="ID", nargs="?", help="take id (or a unique prefix)")
    p.add_argument("--all", action="store_true", help="every take in the library")
    p.add_argument("--retranscribe", action="store_true", help="transcribe the audio again first")
    p.add_argument("--model", metavar="M", help="speech model for --retranscribe (default: from settings)")
    p.add_argument("--quiet", action="store_true", help="do not print the report")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from analysis.errors import RehearseError
    from tui.commands._takes_util import eprint, format_report, load, workflow

    if bool(args.id) == bool(args.all):
        raise RehearseError("give one take ID or --all (see `rehearse takes list`)")
    if args.model and not args.retranscribe:
        raise RehearseError("--model needs --retranscribe (the model only matters when transcribing)")
    settings = load(args)
    wf = workflow(settings)
    lib = wf.library
    if args.id:
        take = lib.get(lib.resolve_id(args.id))
        if args.retranscribe:
            eprint(f"Transcribing {take.id} ...")
            report = wf.transcribe_and_score(take.id, model=args.model)[1]
        elif not take.has_transcript:
            raise RehearseError(
                f"take {take.id} has no transcript yet; run `rehearse rescore {take.id} --retranscribe`"
            )
        else:
            report = wf.score(take.id)
        if report is None:
            eprint(f"{take.id}: no speech detected; nothing to score")
            return 1
        eprint(f"Re-scored {take.id}")
        if not args.quiet:
            print(format_report(report))
        return 0

    takes = lib.list()
    for w in lib.warnings:
        eprint(f"rehearse: warning: {w}")
    done, problems, empty = wf.rescore_all(
        takes,
        retranscribe=args.retranscribe,
        model=args.model,
        on_take=lambda i, n, take_id: eprint(f"[{i}/{n}] {take_id}"),
    )
    eprint(f"Re-scored {len(done)} take(s)" + (f"; {empty} with no speech" if empty else ""))
    for p in problems:
        eprint(f"rehearse: warning: {p}")
    return 1 if problems and not done else 0
