"""`rehearse devices`: the microphones and speakers PortAudio sees."""

from __future__ import annotations

import argparse
import json


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "devices",
        help="list microphones and speakers",
        description="List the audio devices PortAudio sees. Choose one with `rehearse record --device X` "
        "(a number or part of its name) or in the settings file ([recorder] input_device / output_device).",
    )
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from recorder.devices import NO_INPUT, list_devices, native_stderr_to_log
    from tui.safe_text import term

    with native_stderr_to_log():
        devices = list_devices()
    if args.json:
        print(json.dumps([d.__dict__ for d in devices], indent=1))
        return 0
    if not devices:
        print(f"No audio devices: {NO_INPUT}")
        return 1
    print("     #  IN  OUT  RATE    NAME (host API)")
    for d in devices:
        mark = (">" if d.default_input else " ") + ("<" if d.default_output else " ")
        print(
            f"  {mark}{d.index:>2}  {d.max_input_channels:>2}  {d.max_output_channels:>3}  "
            f"{d.default_samplerate / 1000:>5.1f}k  {term(d.name)} ({term(d.hostapi)})"
        )
    print("> default microphone   < default output")
    if not any(d.max_input_channels for d in devices):
        print(f"Warning: {NO_INPUT}")
    return 0
