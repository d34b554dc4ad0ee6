"""Loading the selected model (downloading it first when allowed): one WhisperModel per
model, device, compute type and thread count, reused for the whole process."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from analysis.speech.devices import cpu_thread_count, load_ctranslate2, resolve_compute_type, resolve_device
from analysis.speech.download import DownloadProgressFn, pull_model
from analysis.speech.errors import ModelNotAvailableError
from analysis.speech.models import choose_model
from analysis.speech.options import TranscribeOptions

if TYPE_CHECKING:  # pragma: no cover
    from faster_whisper import WhisperModel


def _resolve_model_dir(
    options: TranscribeOptions, device: str, download_progress: DownloadProgressFn | None
) -> tuple[Path, str]:
    """(local directory, display name) for the configured model."""
    choice = choose_model(options, device)
    name = choice.name
    if choice.path is not None:
        return choice.path, name
    if not options.download:
        raise ModelNotAvailableError(
            f"speech model {name!r} is not downloaded; run `rehearse models pull {name}` "
            "or set [transcription] model to a local CTranslate2 model directory"
        )
    return pull_model(name, download_progress), name


@dataclass
class LoadedModel:
    model: WhisperModel
    name: str
    path: Path
    device: str
    compute_type: str
    filler_map: dict[str, str]


_MODELS: dict[tuple[str, str, str, int], LoadedModel] = {}
_MODELS_LOCK = threading.Lock()


def load_model(options: TranscribeOptions, download_progress: DownloadProgressFn | None = None) -> LoadedModel:
    """The WhisperModel for these options: loaded once per process and reused."""
    device = resolve_device(options)
    compute = resolve_compute_type(options, device)
    path, name = _resolve_model_dir(options, device, download_progress)
    key = (str(path.resolve()), device, compute, cpu_thread_count(options))
    with _MODELS_LOCK:
        loaded = _MODELS.get(key)
        if loaded is not None:
            return loaded
        load_ctranslate2()
        from faster_whisper import WhisperModel

        try:
            model = WhisperModel(str(path), device=device, compute_type=compute, cpu_threads=cpu_thread_count(options))
        except Exception as exc:
            first = (str(exc).splitlines() or [type(exc).__name__])[0]
            raise ModelNotAvailableError(f"cannot load speech model {name!r} from {path}: {first[:200]}") from None
        loaded = LoadedModel(model, name, path, device, compute, _filler_map(options))
        _MODELS[key] = loaded
        return loaded


def _filler_map(options: TranscribeOptions) -> dict[str, str]:
    out: dict[str, str] = {}
    for item in options.filler_tokens:
        token, _, word = item.partition("=")
        if token.strip() and word.strip():
            out[token.strip().upper()] = word.strip()
    return out
