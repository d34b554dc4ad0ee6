"""The one check every start of ``rehearse`` makes: is a recording left unfinished?

Kept apart from the ``recorder.takes`` store so that the check costs one directory read and no
imports beyond the standard library (it runs before every command and the app).
"""

from __future__ import annotations

import os
from pathlib import Path

IN_PROGRESS = ".in-progress"  # takes/<IN_PROGRESS>/<id>/: a take being recorded


def has_unfinished(takes_root: Path) -> bool:
    """True when ``takes_root`` holds an in-progress recording (live or crashed)."""
    try:
        with os.scandir(takes_root / IN_PROGRESS) as it:
            return any(not e.name.startswith(".") for e in it)
    except OSError:
        return False
