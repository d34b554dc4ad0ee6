"""Where exports go by default: the folder set in the settings ([ui] export_dir), else
the user's documents folder (~/Documents), else the home folder; never the current
directory (with `make run` that would be the source checkout)."""

from __future__ import annotations

from pathlib import Path
from typing import Any


def export_folder(settings: Any) -> Path:
    chosen = str(getattr(getattr(settings, "ui", None), "export_dir", "") or "").strip()
    if chosen:
        return Path(chosen).expanduser()
    try:
        import platformdirs

        docs = Path(platformdirs.user_documents_dir())
    except Exception:  # noqa: BLE001 - any failure: the home folder
        docs = Path.home() / "Documents"
    return docs if docs.is_dir() else Path.home()
