"""`rehearse import AUDIO [--question TEXT]`: add an existing recording as a take."""

from __future__ import annotations

import argparse


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "import",
        help="import an audio file as a take, then transcribe and score it",
        description="Import an audio file (WAV, FLAC, OGG, MP3, M4A, ... anything libsndfile or FFmpeg "
        "reads) as a new take: stored as mono FLAC at its own sample rate, then transcribed and scored.",
    )
    p.add_argument("audio", metavar="AUDIO", help="the audio file")
    p.add_argument("--question", "-q", metavar="TEXT", help="the question the recording answers")
    p.add_argument("--competency", metavar="TEXT")
    p.add_argument("--model", metavar="M", help="speech model (default: from settings)")
    p.add_argument("--no-transcribe", action="store_true", help="only import the audio")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from analysis.errors import RehearseError
    from tui.commands._takes_util import clock, eprint, finish_hint, format_report, load, workflow

    settings = load(args)
    wf = workflow(settings)
    take = wf.import_file(args.audio, args.question, args.competency)
    eprint(f"Imported {args.audio} as take {take.id} ({clock(take.duration)}, {take.samplerate} Hz)")
    if args.no_transcribe:
        eprint(f"Not transcribed; {finish_hint(take.id, args.model)}")
        return 0
    eprint("Transcribing ...")
    try:
        _, report = wf.transcribe_and_score(take.id, model=args.model)
    except RehearseError as exc:
        eprint(f"rehearse: error: the take {take.id} is saved, but it could not be transcribed: {exc}")
        eprint(f"rehearse: {finish_hint(take.id, args.model)}")
        return 1
    if report is None:
        eprint("No speech detected in this recording.")
        return 1
    print(format_report(report))
    return 0
