"""Audio devices through PortAudio (sounddevice), with one-line errors for every way the
audio stack can be missing: no PortAudio library, no device at all, a busy device, a
name that matches nothing. ``sounddevice`` is imported lazily (here only)."""

from __future__ import annotations

import contextlib
import io
import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from recorder.errors import AudioDeviceError

NO_PORTAUDIO = (
    "PortAudio library not found, so Rehearse cannot use the microphone or speakers: install it "
    "(Debian/Ubuntu: sudo apt install libportaudio2; Fedora: sudo dnf install portaudio; "
    "macOS: brew install portaudio) and try again"
)
NO_INPUT = (
    "no microphone found: PortAudio sees no input device; connect one (or start the sound "
    "server, e.g. PulseAudio/PipeWire) and check `rehearse devices`"
)
NO_OUTPUT = (
    "no speakers found: PortAudio sees no output device; connect one (or start the sound "
    "server, e.g. PulseAudio/PipeWire) and check `rehearse devices`"
)


def import_sounddevice() -> Any:
    """``import sounddevice``, turning a missing PortAudio into a clear AudioDeviceError."""
    try:
        import sounddevice
    except OSError:
        raise AudioDeviceError(NO_PORTAUDIO) from None
    except ImportError as exc:  # pragma: no cover - it is a dependency
        raise AudioDeviceError(f"the sounddevice package is not installed ({exc}); reinstall Rehearse") from None
    return sounddevice


@dataclass(frozen=True)
class DeviceInfo:
    index: int
    name: str
    hostapi: str
    max_input_channels: int
    max_output_channels: int
    default_samplerate: float
    default_input: bool = False
    default_output: bool = False

    def channels(self, kind: str) -> int:
        return self.max_input_channels if kind == "input" else self.max_output_channels


def _defaults(sd: Any) -> tuple[int, int]:
    try:
        d = sd.default.device
        return int(d[0]), int(d[1])
    except Exception:
        return -1, -1


def list_devices() -> list[DeviceInfo]:
    sd = import_sounddevice()
    try:
        devices = sd.query_devices()
        hostapis = sd.query_hostapis()
    except Exception as exc:
        raise AudioDeviceError(f"cannot list audio devices: {_first_line(exc)}") from None
    din, dout = _defaults(sd)
    if din < 0 or dout < 0:
        # PortAudio's own default (sd.default.device is -1 until the user sets it)
        for kind in ("input", "output"):
            try:
                idx = int(sd.query_devices(kind=kind)["index"])
            except Exception:
                continue
            if kind == "input" and din < 0:
                din = idx
            if kind == "output" and dout < 0:
                dout = idx
    out = []
    for d in devices:
        try:
            api = hostapis[d["hostapi"]]["name"]
        except Exception:
            api = "?"
        out.append(
            DeviceInfo(
                index=int(d["index"]),
                name=str(d["name"]),
                hostapi=api,
                max_input_channels=int(d["max_input_channels"]),
                max_output_channels=int(d["max_output_channels"]),
                default_samplerate=float(d["default_samplerate"]),
                default_input=int(d["index"]) == din,
                default_output=int(d["index"]) == dout,
            )
        )
    return out


def resolve_device(spec: Any, kind: str) -> DeviceInfo:
    """The device ``spec`` names: None/"" = the default; an index (int or digits); or a
    name (exact, else a unique case-insensitive substring). ``kind``: "input"/"output"."""
    if kind not in ("input", "output"):
        raise ValueError(kind)
    devices = list_devices()
    usable = [d for d in devices if d.channels(kind) > 0]
    if not usable:
        raise AudioDeviceError(NO_INPUT if kind == "input" else NO_OUTPUT)
    label = "microphone" if kind == "input" else "output device"
    if spec is None or (isinstance(spec, str) and not spec.strip()):
        for d in usable:
            if d.default_input if kind == "input" else d.default_output:
                return d
        return usable[0]
    if isinstance(spec, int) or (isinstance(spec, str) and spec.strip().isdigit()):
        idx = int(spec)
        for d in devices:
            if d.index == idx:
                if d.channels(kind) <= 0:
                    raise AudioDeviceError(
                        f"device {idx} ({d.name}) has no {kind} channels; choose another with --device (see `rehearse devices`)"
                    )
                return d
        raise AudioDeviceError(f"no audio device number {idx}; see `rehearse devices` for the list")
    name = str(spec).strip()
    exact = [d for d in usable if d.name == name]
    if exact:
        return exact[0]
    low = name.lower()
    matches = [d for d in usable if low in d.name.lower()]
    if len(matches) == 1:
        return matches[0]
    if not matches:
        known = ", ".join(repr(d.name) for d in usable[:6])
        raise AudioDeviceError(f"no {label} matches {name!r} (available: {known}); see `rehearse devices`")
    names = ", ".join(f"{d.index}: {d.name!r}" for d in matches[:5])
    raise AudioDeviceError(f"{name!r} matches several devices ({names}); give the number or a longer name")


def stream_error(exc: BaseException, device: str | None, kind: str) -> AudioDeviceError:
    """A PortAudio error opening/starting a stream -> one actionable line."""
    msg = _first_line(exc)
    low = msg.lower()
    what = f"{kind} device {device!r}" if device else f"default {kind} device"
    if "querying device -1" in low or "no default" in low:
        return AudioDeviceError(NO_INPUT if kind == "input" else NO_OUTPUT)
    if "unavailable" in low or "busy" in low or "-9985" in low or "-9993" in low:
        return AudioDeviceError(
            f"the {what} is busy (another program is using it); close that program or choose "
            "another device with --device (see `rehearse devices`)"
        )
    if "sample rate" in low or "-9997" in low:
        return AudioDeviceError(f"the {what} does not support this sample rate ({msg}); choose another device")
    if "channels" in low or "-9998" in low:
        return AudioDeviceError(f"the {what} has no usable {kind} channel ({msg}); choose another device")
    return AudioDeviceError(f"cannot open the {what}: {msg}; check it is connected (see `rehearse devices`)")


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


LOG_LIMIT_BYTES = 1 << 20


@contextlib.contextmanager
def native_stderr_to_log(log_path: str | os.PathLike[str] | None = None) -> Iterator[Path | None]:
    """Send what C libraries (PortAudio, ALSA, JACK) print straight to file descriptor 2
    into a log file (default ``<data dir>/audio.log``), so it never garbles the terminal,
    while Python's ``sys.stderr`` keeps writing to the real stderr. Yields the log path
    (None when redirection was not possible: then nothing changes)."""
    if log_path is None:
        from analysis.locations import data_dir

        log_path = data_dir() / "audio.log"
    path = Path(log_path)
    old_stderr = sys.stderr
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        if path.exists() and path.stat().st_size > LOG_LIMIT_BYTES:
            path.unlink()
        with contextlib.suppress(Exception):
            old_stderr.flush()
        saved = os.dup(2)
    except (OSError, ValueError):
        yield None
        return
    try:
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    except OSError:
        os.close(saved)
        yield None
        return
    os.dup2(fd, 2)
    os.close(fd)
    sys.stderr = io.TextIOWrapper(
        io.FileIO(saved, "w", closefd=False),
        encoding=getattr(old_stderr, "encoding", None) or "utf-8",
        errors="backslashreplace",
        line_buffering=True,
        write_through=True,
    )
    try:
        yield path
    finally:
        with contextlib.suppress(Exception):
            sys.stderr.flush()
        sys.stderr = old_stderr
        os.dup2(saved, 2)
        os.close(saved)
