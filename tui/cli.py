"""The ``rehearse`` command. No arguments: the TUI. Subcommands: see ``rehearse --help``.

Each subcommand lives in ``tui/commands/<name>.py`` with ``register(subparsers)``.
Every user-facing failure is a :class:`analysis.errors.RehearseError` and is printed as
one line ``rehearse: error: ...`` with a non-zero exit status, never a traceback.
"""

from __future__ import annotations

import gc
import importlib
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING

from analysis import __version__
from analysis.errors import RehearseError

if TYPE_CHECKING:  # pragma: no cover
    import argparse

# Modules under tui/commands, in the order they appear in --help.
COMMAND_MODULES = ("analyze", "record", "takes", "rescore", "import_audio", "devices", "transcribe", "models")

EXIT_ERROR = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130


def build_parser() -> argparse.ArgumentParser:
    import argparse  # here: `rehearse` alone (the app) never needs it

    parser = argparse.ArgumentParser(
        prog="rehearse",
        description=(
            "Rehearse: practise spoken interview answers locally. Records, transcribes with "
            "faster-whisper on this machine, and coaches: STAR timing, fillers, pace, pauses. "
            "Run without a command to open the app."
        ),
    )
    parser.add_argument("--version", action="version", version=f"rehearse {__version__}")
    parser.add_argument("--settings", metavar="FILE", help="settings file (default: the user's settings.toml)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(f"tui.commands.{name}").register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    from analysis.privacy import private_process

    private_process()  # before anything can load onnxruntime or huggingface_hub
    args = sys.argv[1:] if argv is None else argv
    if not args:
        # The everyday path, `rehearse` alone: straight to the app, without building the
        # argument parser (that imports every command module), and with Python's garbage
        # collector paused until the first frame is on screen (the app resumes it).
        # Unfinished recordings are recovered by the app's Library, which says so on
        # screen (a line on stderr would vanish under the app).
        gc.disable()
        return _guarded(lambda: _run_app(None, gc_paused=True))
    parsed = build_parser().parse_args(args)
    if parsed.command is None:
        return _guarded(lambda: _run_app(parsed.settings))
    _recover_unfinished_takes()
    return _guarded(lambda: parsed.func(parsed))


def _run_app(settings_path: str | None, *, gc_paused: bool = False) -> int:
    from tui.app import run_app

    return run_app(settings_path=settings_path, gc_paused=gc_paused)


def _guarded(run: Callable[[], int | None]) -> int:
    """Run a command; every user-facing failure becomes one line and an exit status."""
    try:
        return run() or 0
    except RehearseError as exc:
        from tui.safe_text import term

        print(f"rehearse: error: {term(exc)}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("rehearse: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:  # e.g. `rehearse analyze x.json | head`
        return 0


def _recover_unfinished_takes() -> None:
    """Every start: turn recordings left unfinished by a crash into takes (one directory
    read when there is nothing to do). Never stops the command from running."""
    try:
        import os

        from analysis.locations import takes_dir
        from recorder.unfinished import has_unfinished

        root = takes_dir()
        if not has_unfinished(root) and not os.path.exists(os.path.join(root, ".writing")):
            return  # the common case: no import of the library at all
        from tui.commands._takes_util import library
        from tui.safe_text import term

        lib = library(lock_timeout=3.0)
        lib.clean_leftovers()  # temp files of a process killed mid-write
        for take in lib.recover_unfinished():
            print(
                f"rehearse: recovered an unfinished recording as take {take.id} "
                f"({take.duration:.1f} s of audio); score it with: rehearse rescore {take.id} --retranscribe",
                file=sys.stderr,
            )
        for warning in lib.warnings:
            print(f"rehearse: warning: {term(warning)}", file=sys.stderr)
    except Exception as exc:  # noqa: BLE001 - recovery must never block the user
        from tui.safe_text import term

        print(f"rehearse: warning: could not check for unfinished recordings: {term(exc)}", file=sys.stderr)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
