"""Shared by the take commands (record, import, rescore, takes): the workflow they call,
printing a report, formatting durations. Not a command module itself."""

from __future__ import annotations

import sys
from typing import Any


def clock(seconds: float | None) -> str:
    if seconds is None:
        return "-"
    s = max(0, int(float(seconds) + 1e-6))  # rounded down, as the app and the tips count
    h, rem = divmod(s, 3600)
    m, sec = divmod(rem, 60)
    return f"{h}:{m:02d}:{sec:02d}" if h else f"{m}:{sec:02d}"


def eprint(*parts: Any) -> None:
    from tui.safe_text import term

    print(*(term(p) for p in parts), file=sys.stderr, flush=True)


def load(args: Any):
    from tui.settings import load_settings

    return load_settings(getattr(args, "settings", None))


def workflow(settings: Any, library: Any = None) -> Any:
    """The use cases (recorder.workflow) on the take library for a command: transcribing
    with the settings' model and progress on stderr, analysing with its [analysis]."""
    from recorder.library import Library
    from recorder.workflow import Workflow, default_analyzer

    return Workflow(library if library is not None else Library(), transcribe=cli_transcriber(settings),
                    analyze=default_analyzer(settings.analysis))


def cli_transcriber(settings: Any) -> Any:
    """Audio file -> Transcript with the settings' (or the given) model, the download and
    transcription progress on stderr. No speech gives a transcript without words: the
    take is done, there is nothing to re-transcribe."""

    def transcribe(audio: Any, model: str | None = None, progress: Any = None, download_progress: Any = None) -> Any:
        from analysis.transcript import Transcript
        from tui.commands.transcribe import _transcribe_with_progress, options_for

        transcript = _transcribe_with_progress(audio, options_for(settings, model))
        if transcript.words:
            return transcript
        return Transcript(words=(), duration=transcript.duration, model=model or settings.transcription.model,
                          extra={"no_speech": True})

    return transcribe


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
