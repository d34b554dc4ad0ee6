"""``rehearse transcribe AUDIO [-o transcript.json] [--model NAME|DIR]``

Transcribes an audio file on this machine with faster-whisper and writes the transcript
JSON (DESIGN.md "Data contracts") to ``-o FILE`` or stdout. Progress goes to stderr.

``transcribe_file_for_cli(path, settings, model=None) -> Transcript`` is the same path for
other commands (``rehearse analyze AUDIO``, ``rehearse record``, ``rehearse import``): it
shows the model download and transcription progress on stderr and raises NoSpeechError
(a RehearseError: "... no speech detected ...") when the recording holds no speech.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any


def register(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "transcribe",
        help="transcribe an audio file to transcript JSON (locally, with faster-whisper)",
        description=(
            "Transcribe an audio file (wav, flac, mp3, ogg, m4a; any sample rate or channel "
            "count) on this machine and write the transcript JSON: words with start/end times "
            "and probabilities, plus possible hesitations. Progress is shown on stderr."
        ),
    )
    p.add_argument("audio", metavar="AUDIO", help="audio file to transcribe")
    p.add_argument("-o", "--output", metavar="FILE", help="write the transcript JSON here (default: stdout)")
    p.add_argument(
        "--model", metavar="NAME|DIR", help="speech model name (e.g. base.en) or CTranslate2 model directory"
    )
    p.add_argument(
        "--settings",
        metavar="FILE",
        default=argparse.SUPPRESS,
        help="settings file (TOML) with a [transcription] table (default: the user's settings.toml)",
    )
    p.set_defaults(func=run)


class _StderrProgress:
    """A one-line progress bar on stderr (only when stderr is a terminal; otherwise one
    line at start and end, so logs stay readable)."""

    def __init__(self, label: str) -> None:
        from tui.safe_text import term

        self.label = term(label)  # a file name: never drives the terminal
        self.tty = sys.stderr.isatty()
        self.last = 0.0
        self.started = time.monotonic()
        self.shown = False

    def __call__(self, done: float, total: float) -> None:
        now = time.monotonic()
        if not self.shown:
            self.shown = True
            if not self.tty:
                print(f"{self.label}: {_fmt_s(total)} of audio ...", file=sys.stderr, flush=True)
        if not self.tty:
            return
        if now - self.last < 0.1 and done < total:
            return
        self.last = now
        frac = 0.0 if total <= 0 else max(0.0, min(1.0, done / total))
        width = 30
        bar = "#" * int(frac * width) + "-" * (width - int(frac * width))
        print(
            f"\r{self.label} [{bar}] {frac * 100:3.0f}%  {_fmt_s(done)}/{_fmt_s(total)}",
            end="",
            file=sys.stderr,
            flush=True,
        )

    def close(self) -> None:
        took = time.monotonic() - self.started
        if self.tty and self.shown:
            print(file=sys.stderr)
        print(f"{self.label}: done in {took:.1f} s", file=sys.stderr, flush=True)


def _fmt_s(s: float) -> str:
    s = max(0.0, s)
    return f"{int(s // 60)}:{s % 60:04.1f}"


def download_bar(name: str):
    """A real download progress bar (size and speed) on stderr, as a (done, total) callback."""
    from tqdm.auto import tqdm

    state: dict[str, Any] = {"bar": None, "done": 0}

    def cb(done: int, total: int) -> None:
        if state["bar"] is None:
            state["bar"] = tqdm(
                total=total or None,
                unit="B",
                unit_scale=True,
                unit_divisor=1024,
                desc=f"Downloading {name}",
                file=sys.stderr,
                leave=True,
            )
        bar = state["bar"]
        if done > state["done"]:
            bar.update(done - state["done"])
            state["done"] = done
        if total and done >= total:
            bar.close()

    def close() -> None:
        if state["bar"] is not None:
            state["bar"].close()

    cb.close = close  # type: ignore[attr-defined]
    return cb


def options_for(settings: Any, model: str | None = None):
    from dataclasses import replace

    from analysis.speech.options import TranscribeOptions

    options = getattr(settings, "transcription", None) or TranscribeOptions()
    if model:
        options = replace(options, model=model)
    return options


def _transcribe_with_progress(path: Path, options: Any):
    """Decode, load (downloading with a bar if needed) and transcribe with progress on stderr."""
    from analysis.speech.audio import load_audio
    from analysis.speech.batch import transcribe
    from analysis.speech.load import load_model

    audio = load_audio(path)  # errors name the file, before any model work
    dl = download_bar(options.model if options.model != "auto" else "model")
    try:
        load_model(options, dl)
    finally:
        dl.close()
    from analysis.speech.models import choose_model

    bar = _StderrProgress(f"Transcribing {path.name} with {choose_model(options).label}")
    try:
        return transcribe(audio, options, progress=bar)
    finally:
        bar.close()


def transcribe_file_for_cli(path: str | Path, settings: Any, model: str | None = None):
    """Transcribe ``path`` with the settings' [transcription] options (``model``
    overrides), showing progress on stderr. Raises RehearseError on bad audio, a missing
    model, or NoSpeechError ("no speech detected")."""
    from analysis.errors import NoSpeechError

    options = options_for(settings, model)
    path = Path(path)
    transcript = _transcribe_with_progress(path, options)
    if not transcript.words:
        raise NoSpeechError(
            f"{path}: no speech detected ({transcript.duration:.1f} s of audio); check the microphone "
            "level, or that the file holds speech"
        )
    return transcript


def run(args: argparse.Namespace) -> int:
    from analysis.errors import RehearseError
    from tui.settings import load_settings

    settings = load_settings(getattr(args, "settings", None))
    options = options_for(settings, args.model)
    path = Path(args.audio).expanduser()
    transcript = _transcribe_with_progress(path, options)
    if not transcript.words:
        from tui.safe_text import term

        print(term(f"rehearse: warning: {path}: no speech detected"), file=sys.stderr)
    if args.output:
        out = Path(args.output).expanduser()
        if out.resolve() == path.resolve():
            raise RehearseError(f"{out}: refusing to overwrite the audio file with the transcript")
        try:
            transcript.save(out)
        except OSError as exc:
            raise RehearseError(f"{out}: cannot write ({exc.strerror or exc})") from None
        from tui.safe_text import term

        print(term(f"Wrote {out} ({len(transcript.words)} words)"), file=sys.stderr)
    else:
        from tui.safe_text import term_json

        sys.stdout.write(term_json(json.dumps(transcript.to_dict(), indent=1, ensure_ascii=False)) + "\n")
    return 0
