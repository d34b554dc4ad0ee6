"""Suite-wide fixtures (owned by the lead). Area fixtures live in tests/support/<area>_helpers.py
(importable as top-level modules: `pythonpath` in pyproject's pytest config)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

# Session fixtures shared by many test files (tiny Whisper models built offline, once).
from transcribe_helpers import models  # noqa: F401
from whisper_models import whisper_model_factory  # noqa: F401

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path_factory, monkeypatch):
    """Every test gets its own empty REHEARSE_HOME: nothing touches the user's library."""
    home = tmp_path_factory.mktemp("rehearse-home")
    monkeypatch.setenv("REHEARSE_HOME", str(home))
    monkeypatch.setenv("NO_COLOR", "1")
    yield home


@pytest.fixture
def rehearse_home(_isolated_home) -> Path:
    return _isolated_home


@pytest.fixture
def rehearse_bin() -> str:
    """The installed console script (tests run it as a user would)."""
    exe = Path(sys.executable).parent / "rehearse"
    return str(exe) if exe.exists() else f"{sys.executable} -m tui"


def subprocess_env(**extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(extra)
    return env
