"""Where Rehearse keeps things. Five tiny functions; ``REHEARSE_HOME`` moves them all.

Without ``REHEARSE_HOME`` the platform's directories are used (platformdirs):
data (takes) in the user data dir, settings in the user config dir, downloaded models
in the user cache dir.
"""

from __future__ import annotations

import os
from pathlib import Path

APP = "rehearse"


def _home() -> Path | None:
    value = os.environ.get("REHEARSE_HOME")
    return Path(value).expanduser() if value else None


def data_dir() -> Path:
    """Root of the take library and other personal data."""
    home = _home()
    if home:
        return home
    from platformdirs import user_data_path

    return user_data_path(APP, appauthor=False)


def takes_dir() -> Path:
    return data_dir() / "takes"


def settings_file() -> Path:
    home = _home()
    if home:
        return home / "settings.toml"
    from platformdirs import user_config_path

    return user_config_path(APP, appauthor=False) / "settings.toml"


def models_dir() -> Path:
    """Where downloaded speech models live (the Hugging Face cache layout)."""
    home = _home()
    if home:
        return home / "models"
    from platformdirs import user_cache_path

    return user_cache_path(APP, appauthor=False) / "models"
