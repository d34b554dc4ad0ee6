"""Shared by the take commands (record, import, rescore, takes): the workflow they call,
printing a report, formatting durations. Not a command module itself."""

from __future__ import annotations

import sys
from functools import partial
from typing import Any

from analysis.timefmt import mmss

clock = partial(mmss, missing="-", hours=True)  # (rounded down, as the app and the tips count)


def eprint(*parts: Any) -> None:
    from tui.safe_text import term

    print(*(term(p) for p in parts), file=sys.stderr, flush=True)


def say_waiting(message: str) -> None:
    """The take library's ``on_wait``: another Rehearse holds the lock; said at once on stderr."""
    import contextlib

    with contextlib.suppress(Exception):
        print(f"rehearse: {message}", file=sys.stderr, flush=True)


def library(**kwargs: Any) -> Any:
    """The take library (recorder.takes.Library) as a command uses it: waits said on stderr."""
    from recorder.takes import Library

    lib = Library(**kwargs)
    lib.on_wait = say_waiting
    return lib


def load(args: Any):
    from tui.settings import load_settings

    return load_settings(getattr(args, "settings", None))


def workflow(settings: Any, lib: Any = None) -> Any:
    """The use cases (recorder.workflow) on the take library for a command: transcribing
    with the settings' model and progress on stderr, analysing with its [analysis]."""
    from recorder.workflow import Workflow, default_analyzer

    return Workflow(
        lib if lib is not None else library(),
        transcribe=cli_transcriber(settings),
        analyze=default_analyzer(settings.analysis),
    )


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
        return Transcript(
            words=(),
            duration=transcript.duration,
            model=model or settings.transcription.model,
            extra={"no_speech": True},
        )

    return transcribe


def format_report(report: dict) -> str:
    """The report as `rehearse analyze` prints it, at most 100 columns wide."""
    import shutil

    from tui.commands.analyze import format_report as fmt

    return fmt(report, width=min(100, shutil.get_terminal_size((80, 24)).columns))


def finish_hint(take_id: str, model: str | None = None) -> str:
    extra = f" --model {model}" if model else " [--model NAME]"
    return f"finish it later with: rehearse rescore {take_id} --retranscribe{extra}"
