"""The app's first frame stays fast: building the app and its first screen imports no
speech, audio or numeric library (they load lazily, in workers, when used)."""

from __future__ import annotations

import subprocess
import sys

HEAVY = ("faster_whisper", "ctranslate2", "sounddevice", "numpy", "soundfile", "av", "huggingface_hub")


def test_app_and_screens_import_no_heavy_modules():
    code = (
        "import sys, tui.cli; tui.cli.build_parser()\n"
        "from tui.app import make_app\n"
        "from tui.screens import library, practise, review, compare, settings, help, dialogs\n"
        "from tui.settings import AppSettings\n"
        "make_app(settings=AppSettings())\n"
        f"print(','.join(m for m in {HEAVY!r} if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "", f"imported at start-up: {out.stdout.strip()}"


def test_screens_and_widgets_do_not_import_the_app():
    """No app <-> screens cycle: the app imports its screens, never the other way round."""
    code = (
        "import sys, pkgutil, importlib, tui.screens, tui.widgets\n"
        "for pkg in (tui.screens, tui.widgets):\n"
        "    for m in pkgutil.iter_modules(pkg.__path__):\n"
        "        importlib.import_module(f'{pkg.__name__}.{m.name}')\n"
        "print('tui.app' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "False", "a screen or widget imports tui.app"
