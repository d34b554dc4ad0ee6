"""Where the model runs: CPU or CUDA (with the pip CUDA 12 wheels preloaded), the
compute type, CPU threads, and the default model for the device."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Protocol

from analysis.speech.errors import TranscribeError
from analysis.speech.options import TranscribeOptions


def cpu_thread_count(options: TranscribeOptions) -> int:
    if options.cpu_threads > 0:
        return options.cpu_threads
    return max(1, min(4, os.cpu_count() or 1))


_CUDA_PRELOADED = False


def _preload_nvidia_libraries() -> None:
    """Make the pip CUDA 12 wheels (``rehearse[cuda]``: nvidia-cublas-cu12,
    nvidia-cudnn-cu12) visible to CTranslate2 without LD_LIBRARY_PATH: load their shared
    libraries with RTLD_GLOBAL before CTranslate2 dlopen()s them by soname (faster-whisper's
    README sets LD_LIBRARY_PATH to these same directories)."""
    global _CUDA_PRELOADED
    if _CUDA_PRELOADED:
        return
    _CUDA_PRELOADED = True  # pyright: ignore[reportConstantRedefinition]  # a once-flag (tests reset it by name)
    import ctypes
    import importlib.util
    import sys

    if not sys.platform.startswith("linux"):
        return
    for pkg in ("nvidia.cuda_runtime", "nvidia.cublas", "nvidia.cudnn"):
        try:
            spec = importlib.util.find_spec(pkg)
        except (ImportError, ValueError):
            continue
        if spec is None or not spec.submodule_search_locations:
            continue
        for base in spec.submodule_search_locations:
            lib = Path(base) / "lib"
            if not lib.is_dir():
                continue
            # Libraries depend on each other (cuBLAS on cuBLASLt, cuDNN's parts on
            # libcudnn_graph...): load in passes until no more succeed.
            todo = sorted(p for p in lib.glob("lib*.so*") if p.is_file())
            for _ in range(4):
                failed: list[Path] = []
                for so in todo:
                    try:
                        ctypes.CDLL(str(so), mode=ctypes.RTLD_GLOBAL)
                    except OSError:
                        failed.append(so)
                if not failed or len(failed) == len(todo):
                    break
                todo = failed


class CTranslate2(Protocol):
    """What this package uses of the ctranslate2 module."""

    def get_cuda_device_count(self) -> int: ...


def load_ctranslate2() -> CTranslate2:
    _preload_nvidia_libraries()
    import ctranslate2

    return ctranslate2


def resolve_device(options: TranscribeOptions) -> str:
    device = (options.device or "auto").lower()
    if device not in ("auto", "cpu", "cuda"):
        raise TranscribeError(f"unknown device {options.device!r}: use auto, cpu or cuda")
    if device == "auto":
        try:
            return "cuda" if load_ctranslate2().get_cuda_device_count() > 0 else "cpu"
        except Exception:  # a broken CUDA install must not stop CPU transcription
            return "cpu"
    if device == "cuda":
        try:
            count = load_ctranslate2().get_cuda_device_count()
        except Exception as exc:
            raise TranscribeError(f'CUDA is not usable ({exc}); set device = "cpu"') from None
        if count == 0:
            raise TranscribeError(
                'device = "cuda" but CTranslate2 sees no NVIDIA GPU; install the CUDA 12 '
                'libraries (pip install "rehearse[cuda]") or set device = "cpu"'
            )
    return device


def resolve_compute_type(options: TranscribeOptions, device: str) -> str:
    if options.compute_type and options.compute_type != "default":
        return options.compute_type
    return "float16" if device == "cuda" else "int8"


def default_model(device: str) -> str:
    return "large-v3-turbo" if device == "cuda" else "base.en"
