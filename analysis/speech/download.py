"""The model hub: whether it can be reached (without a minute of timeouts when offline) and
``pull_model``, the one download Rehearse makes (into the app's model cache)."""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from analysis.speech.errors import ModelNotAvailableError
from analysis.speech.models import MODEL_FILES, cached_snapshot, check_model_dir, is_path_like, repo_for

DownloadProgressFn = Callable[[int, int], None]


def hub_offline() -> bool:
    """The user said there is no model hub to reach (HF_HUB_OFFLINE, as huggingface_hub reads it)."""
    return os.environ.get("HF_HUB_OFFLINE", "").strip().lower() in ("1", "true", "yes", "on")


def hub_reachable(timeout: float = 1.0) -> bool:
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
    proxy = next(
        (os.environ[k] for k in ("HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy") if os.environ.get(k)), ""
    )
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
    if is_path_like(name):
        return check_model_dir(Path(os.path.expanduser(name)), name)
    repo_id = repo_for(name)
    cached = cached_snapshot(repo_id)
    if cached is not None:
        return cached
    if not hub_reachable():
        raise ModelNotAvailableError(_offline_message(name))
    from analysis.locations import models_dir

    root = models_dir()
    root.mkdir(parents=True, exist_ok=True)
    try:
        import fnmatch

        # huggingface_hub annotates hf_hub_download's user_agent as a bare dict, so pyright calls it partly unknown
        from huggingface_hub import HfApi, hf_hub_download  # pyright: ignore[reportUnknownVariableType]
        from tqdm.auto import tqdm as base_tqdm

        info = HfApi().model_info(repo_id, files_metadata=True)
        files = [
            (s.rfilename, int(getattr(s, "size", 0) or 0))
            for s in (info.siblings or [])
            if any(fnmatch.fnmatch(s.rfilename, pat) for pat in MODEL_FILES)
        ]
        # model.bin last: a model directory counts as downloaded when model.bin is in it
        # (cached_snapshot), so a download cut short must not leave model.bin without
        # the tokenizer/vocabulary/config beside it (the Hub lists files in path order).
        files.sort(key=lambda f: f[0] == "model.bin")
        total = sum(size for _, size in files)
        state = {"done": 0}
        lock = threading.Lock()

        class _Forward(base_tqdm):  # per-file byte bars, summed into one callback
            def __init__(self, *args: Any, **kwargs: Any) -> None:
                kwargs["disable"] = True
                super().__init__(*args, **kwargs)  # pyright: ignore[reportUnknownMemberType]  # tqdm: Iterable[Unknown]

            def update(self, n: float | None = 1) -> bool | None:
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
            def update_transfer(self, n: float | None = 1) -> None:
                pass

            def set_transfer_postfix_str(self, *args: Any, **kwargs: Any) -> None:
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
    snap = cached_snapshot(repo_id) or (Path(path).parent if path else None)
    if snap is None or not (snap / "model.bin").is_file():
        raise ModelNotAvailableError(f"download of speech model {name!r} ({repo_id}) is incomplete; run it again")
    return snap
