"""`rehearse record`: record an answer from the microphone, then transcribe and score it.

A live one-line meter (level, peak, time) runs on stderr; Enter or Ctrl-C stops (so
does SIGTERM, and --seconds N). Stopping never loses the take: the audio is on disk as
it is recorded, and the take is saved before transcription starts. If transcription
fails (e.g. the model is not available offline), the take keeps its audio and the user
is told how to finish it later.
"""

from __future__ import annotations

import argparse
import contextlib
import signal
import sys
import threading
import time


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "record",
        help="record an answer from the microphone, then transcribe and score it",
        description="Record an answer from the microphone (Enter or Ctrl-C stops), save it as a take, "
        "then transcribe it and print the report.",
    )
    p.add_argument("--question", "-q", metavar="TEXT", help="the interview question you are answering")
    p.add_argument("--competency", metavar="TEXT", help="the competency the question tests (e.g. teamwork)")
    p.add_argument("--seconds", type=float, metavar="N", help="stop automatically after N seconds")
    p.add_argument("--device", metavar="X", help="microphone: number or part of its name (see `rehearse devices`)")
    p.add_argument("--model", metavar="M", help="speech model name or directory (default: from settings)")
    p.add_argument("--no-transcribe", action="store_true", help="only record and save the take")
    p.set_defaults(func=run)


BAR_CELLS = 24
SILENT_AFTER_S = 3.0
SILENT_DBFS = -70.0  # a live microphone's noise floor is well above this (digital silence: -120)
METER_FLOOR_DB = -60.0


def meter_line(elapsed: float, rms_db: float, peak_db: float, overflows: int, limit: float | None) -> str:
    from tui.commands._takes_util import clock

    frac = max(0.0, min(1.0, (rms_db - METER_FLOOR_DB) / -METER_FLOOR_DB))
    cells = int(round(frac * BAR_CELLS))
    bar = "#" * cells + "-" * (BAR_CELLS - cells)
    t = clock(elapsed) + (f"/{clock(limit)}" if limit else "")
    level = f"{rms_db:5.0f} dB" if rms_db > -100 else "  -inf"
    line = (
        f"REC {t}  [{bar}] {level}  peak {peak_db:4.0f}" if peak_db > -100 else f"REC {t}  [{bar}] {level}  peak -inf"
    )
    if peak_db > -1.0:
        line += "  CLIPPING: speak softer"
    if overflows:
        line += f"  overflows {overflows}"
    return line + "   (Enter or Ctrl-C: stop)"


def _watch_stdin(stop: threading.Event) -> None:
    stdin = sys.stdin
    if stdin is None:
        return

    def reader() -> None:
        try:
            line = stdin.readline()
        except (OSError, ValueError):
            return
        if line:  # a line (Enter); EOF (e.g. stdin is /dev/null) does not stop
            stop.set()

    threading.Thread(target=reader, name="rehearse-stdin", daemon=True).start()


def _wait(rec, seconds: float | None, stop: threading.Event) -> str:
    """Show the meter until Enter/Ctrl-C/SIGTERM/--seconds/an error. Returns why it stopped."""
    tty = sys.stderr.isatty()
    last_line = 0.0
    width = 0
    loudest = -200.0
    warned_silent = False
    try:
        while not stop.is_set():
            if seconds is not None and rec.elapsed >= seconds:
                return "time"
            if rec.error is not None:
                return "error"
            now = time.monotonic()
            rms, peak = rec.level()
            loudest = max(loudest, peak)
            if not warned_silent and rec.elapsed >= SILENT_AFTER_S and loudest < SILENT_DBFS:
                warned_silent = True
                sys.stderr.write("\r" + " " * width + "\r")
                print(
                    f"rehearse: warning: no sound from the microphone {rec.device_name!r} so far "
                    f"(peak {loudest:.0f} dBFS): is it muted, or is another input the default? "
                    "See `rehearse devices`",
                    file=sys.stderr,
                    flush=True,
                )
            if tty:
                line = meter_line(rec.elapsed, rms, peak, rec.overflows, seconds)
                sys.stderr.write("\r" + line.ljust(width))
                sys.stderr.flush()
                width = len(line)
            elif now - last_line >= 5.0:
                if last_line:
                    print(
                        f"recording {rec.elapsed:5.1f} s  level {rms:.0f} dB  peak {peak:.0f} dB"
                        f"  overflows {rec.overflows}",
                        file=sys.stderr,
                        flush=True,
                    )
                last_line = now
            stop.wait(0.1)
        return "user"
    except KeyboardInterrupt:
        return "user"
    finally:
        if tty:
            sys.stderr.write("\r" + " " * width + "\r")
            sys.stderr.flush()


def run(args: argparse.Namespace) -> int:
    from recorder.devices import native_stderr_to_log

    # PortAudio/ALSA diagnostics go to <data dir>/audio.log, not over the meter.
    with native_stderr_to_log():
        return _run(args)


def _check_model(settings, model: str | None) -> str:
    """Load the speech model (downloading it first, with a bar, only when nothing local
    serves); say which. A model that cannot be had stops here, before recording."""
    from analysis.errors import RehearseError
    from analysis.speech.load import load_model
    from analysis.speech.models import choose_model
    from tui.commands.transcribe import download_bar, options_for

    options = options_for(settings, model)
    try:
        choice = choose_model(options)
        bar = download_bar(choice.name)
        try:
            load_model(options, bar)
        finally:
            bar.close()
    except RehearseError as exc:
        raise RehearseError(f"{exc}; nothing was recorded (--no-transcribe records without a model)") from None
    return choose_model(options).label


def _run(args: argparse.Namespace) -> int:
    from analysis.errors import RehearseError
    from recorder.capture import Recorder
    from recorder.devices import import_sounddevice
    from tui.commands._takes_util import clock, eprint, finish_hint, format_report, load, workflow

    settings = load(args)
    if args.seconds is not None and args.seconds <= 0:
        raise RehearseError("--seconds must be more than 0")
    import_sounddevice()  # a clear message before anything is created
    model_label = None if args.no_transcribe else _check_model(settings, args.model)  # before, never after
    wf = workflow(settings)
    device = args.device if args.device is not None else settings.recorder.input_device
    take_id, rec = wf.start_recording(
        args.question,
        args.competency,
        lambda folder: Recorder(folder, device=device, samplerate=settings.recorder.samplerate),
    )

    stop = threading.Event()
    old_term = None
    with contextlib.suppress(ValueError):  # only possible in the main thread
        old_term = signal.signal(signal.SIGTERM, lambda *_: stop.set())
    limit = f"; stops after {args.seconds:g} s" if args.seconds else ""
    eprint(f"Recording from {rec.device_name!r} at {rec.samplerate} Hz - press Enter or Ctrl-C to stop{limit}")
    if model_label:
        eprint(f"Speech model: {model_label}")
    if args.question:
        eprint(f"Question: {args.question}")
    _watch_stdin(stop)
    _wait(rec, args.seconds, stop)

    # Saving must not be interrupted: ignore Ctrl-C/SIGTERM until the take is on disk.
    old_int = None
    with contextlib.suppress(ValueError):
        old_int = signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
    try:
        take = wf.finish_recording(take_id, rec, discard_empty=True)
    finally:
        with contextlib.suppress(ValueError, TypeError):
            signal.signal(signal.SIGINT, old_int if old_int is not None else signal.default_int_handler)
            signal.signal(signal.SIGTERM, old_term if old_term is not None else signal.SIG_DFL)

    eprint(f"Saved take {take.id} ({clock(take.duration)}) in {take.path}")
    problem = 0
    if rec.error is not None:
        eprint(f"rehearse: warning: {rec.error}")
        problem = 1
    if rec.overflows:
        eprint(
            f"rehearse: warning: {rec.overflows} input overflow(s): some audio was dropped because the "
            "computer was too busy; close other programs for cleaner takes"
        )
    if rec.on_block_error is not None:  # pragma: no cover - no on_block here
        eprint(f"rehearse: warning: live processing failed: {rec.on_block_error}")
    if args.no_transcribe:
        eprint(f"Not transcribed; {finish_hint(take.id, args.model)}")
        return problem
    eprint("Transcribing ...")
    try:
        _, report = wf.transcribe_and_score(take.id, model=args.model)
    except KeyboardInterrupt:
        eprint(f"rehearse: transcription interrupted; the take is saved - {finish_hint(take.id, args.model)}")
        return 130
    except RehearseError as exc:
        eprint(f"rehearse: error: the take {take.id} is saved, but it could not be transcribed: {exc}")
        eprint(f"rehearse: {finish_hint(take.id, args.model)}")
        return 1
    if report is None:
        eprint("No speech detected in this take: check the microphone level (`rehearse devices`) and try again.")
        return problem or 1
    print(format_report(report))
    return problem
