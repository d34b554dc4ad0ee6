"""Nothing leaves the machine: switch off the telemetry of the libraries Rehearse loads.

Called first thing by every entry point (``rehearse``, ``python -m tui``) and by
the ``analysis.speech`` package before it can import faster-whisper, so code that uses the
library directly is covered too. Each opt-out must be in the environment before its
library reads it (onnxruntime: when it initialises; huggingface_hub: at import), which
is why this runs before any of them is imported.

What phones home, and the switch that stops it:

- onnxruntime (loaded by faster-whisper's Silero VAD, on every transcription): its
  official builds send usage events to ``mobile.events.data.microsoft.com`` a few
  seconds after start, and keep a device id and an event queue under
  ``~/.cache/Microsoft/DeveloperTools/``. ``ORT_DISABLE_TELEMETRY=1`` stops all of it
  (onnxruntime's Privacy.md, "Disabling Telemetry").
- huggingface_hub (only used to download a model the user asked for): adds library and
  environment details to the user agent of its requests unless
  ``HF_HUB_DISABLE_TELEMETRY`` (or ``DO_NOT_TRACK``) is set.
- ``DO_NOT_TRACK=1``: the cross-tool convention (https://donottrack.sh), honoured by
  huggingface_hub and inherited by anything Rehearse starts.

tqdm, ctranslate2, PyAV, sounddevice, soundfile, platformdirs and textual send nothing
(textual's devtools connect to localhost, and only when the user sets ``TEXTUAL=devtools``).

The values are forced, not defaulted: Rehearse promises that nothing leaves the machine
except a model download the user asked for. The test that proves it is
``tests/test_privacy.py`` (every command under strace).
"""

from __future__ import annotations

import os
import sys

OPT_OUTS: dict[str, str] = {
    "ORT_DISABLE_TELEMETRY": "1",
    "HF_HUB_DISABLE_TELEMETRY": "1",
    "DO_NOT_TRACK": "1",
}

PRIVATE_UMASK = 0o077


def disable_telemetry() -> None:
    """Put every opt-out into the environment (idempotent, cheap)."""
    for name, value in OPT_OUTS.items():
        if os.environ.get(name) != value:
            os.environ[name] = value
    ort = sys.modules.get("onnxruntime")
    if ort is not None:  # imported before us (by the host program): turn its events off too
        try:
            ort.disable_telemetry_events()
        except Exception:  # noqa: BLE001 - an older or stripped build without the API
            pass


def private_process() -> None:
    """For Rehearse's own programs: no telemetry, and every file and folder the process
    creates (takes, exports, settings, logs, downloaded models) is private to the user
    (0600/0700), whatever umask the shell had."""
    disable_telemetry()
    os.umask(PRIVATE_UMASK)
