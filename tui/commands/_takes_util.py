"""Shared by the take commands (record, import, rescore, takes): transcribe a take and
score it, print a report, format durations. Not a command module itself."""

from __future__ import annotations

import sys
from functools import partial
from typing import Any

from analysis.errors import NoSpeechError, RehearseError
from analysis.timefmt import mmss


clock = partial(mmss, missing="-", hours=True)  # (rounded down, as the app and the tips count)


def eprint(*parts: Any) -> None:
    from tui.safe_text import term

    print(*(term(p) for p in parts), file=sys.stderr, flush=True)


def load(args: Any):
    from tui.settings import load_settings

    return load_settings(getattr(args, "settings", None))


def transcribe_take(lib: Any, take_id: str, settings: Any, model: str | None = None) -> Any:
    """Transcribe the take's audio with the configured (or given) model; save the
    transcript (carrying the take's STAR markers). Returns the Transcript."""
    take = lib.get(take_id)
    if not take.audio_path.is_file():
        raise RehearseError(f"take {take.id} has no audio ({take.audio_path} is missing)")
    from tui.commands.transcribe import transcribe_file_for_cli

    try:
        transcript = transcribe_file_for_cli(take.audio_path, settings, model=model)
    except NoSpeechError:
        # Keep an empty transcript: the take is done; nothing to re-transcribe.
        from analysis.transcript import Transcript

        transcript = Transcript(words=(), duration=take.duration, model=model or settings.transcription.model,
                                extra={"no_speech": True})
    if take.markers:
        transcript = transcript.with_markers(take.markers)
    lib.save_transcript(take.id, transcript)
    return transcript


def score_take(lib: Any, take_id: str, settings: Any, model: str | None = None, transcribe: bool = True) -> dict | None:
    """(Re)transcribe if asked, then analyse. Returns the report dict, or None when the
    take holds no speech."""
    if transcribe:
        transcript = transcribe_take(lib, take_id, settings, model)
        if not transcript.words:
            return None
    return lib.rescore(take_id, settings.analysis)


def format_report(report: dict, take: Any = None) -> str:
    try:
        from tui.commands.analyze import format_report as fmt
    except ImportError:
        fmt = None
    if fmt is not None:
        import shutil

        return fmt(report, width=min(100, shutil.get_terminal_size((80, 24)).columns))
    from recorder.export import to_markdown

    if take is None:
        from types import SimpleNamespace

        take = SimpleNamespace(id="-", question=None, created="", duration=report.get("duration", 0), competency=None,
                               model=report.get("model"), recovered=False)
    return to_markdown(take, report, None)


def finish_hint(take_id: str, model: str | None = None) -> str:
    extra = f" --model {model}" if model else " [--model NAME]"
    return f"finish it later with: rehearse rescore {take_id} --retranscribe{extra}"
