"""Model download, for real, against a local fake model hub.

``rehearse models pull``, ``analysis.speech.download.pull_model`` and the Settings screen's
Ctrl+D run the real huggingface_hub code (HfApi.model_info with files_metadata, then
hf_hub_download per file: HEAD for the metadata, GET for the bytes) against
``FakeHub``: a ThreadingHTTPServer on 127.0.0.1 that answers like huggingface.co does
for a model repo (huggingface_hub 2.4.0's view of it):

* ``GET /api/models/{repo}[/revision/{rev}]?blobs=True``: the repo's ``sha`` and its
  ``siblings`` with ``size``, ``blobId`` and, for LFS files, ``lfs`` {size, sha256}.
* ``HEAD|GET /{repo}/resolve/{rev}/{file}``: a regular file is served right there with
  ``ETag`` (its git blob id), ``X-Repo-Commit`` and ``Content-Length``; an LFS file
  (model.bin) answers 302 to a "CDN" (a second server on another port, so, as with the
  real CDN, huggingface_hub does not follow it for metadata) with ``X-Linked-Etag``
  (sha256), ``X-Linked-Size`` and ``X-Repo-Commit``. No ``X-Xet-*`` headers unless
  ``xet=True``, so downloads take the plain-HTTP path even though hf_xet is installed.
* ``Range: bytes=N-`` is honoured (206) as huggingface_hub resumes with it after a drop.

The model served is a tiny CTranslate2 Whisper built offline (tests/support/whisper_models.py)
that "says" the words of tests/fixtures/speech_16k.wav, under the repo id faster-whisper
maps ``small.en`` to. Subprocesses find the hub through HF_ENDPOINT; in-process tests
patch the constants huggingface_hub derived from it at import time.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import socket
import subprocess
import threading
import types
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
from transcribe_helpers import SPEECH_WAV, speech_words
from whisper_models import build_scripted_model

from analysis.speech.download import pull_model
from analysis.speech.errors import ModelNotAvailableError
from analysis.speech.load import load_model
from analysis.speech.models import model_path, repo_for
from analysis.speech.options import TranscribeOptions

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
REPO = "Systran/faster-whisper-small.en"
COMMIT = hashlib.sha1(b"fake hub commit").hexdigest()
LFS_FILES = ("model.bin",)
EXTRA_FILES = {  # in the repo, but not part of the model: must not be downloaded
    ".gitattributes": b"*.bin filter=lfs diff=lfs merge=lfs -text\n",
    "README.md": b"# faster-whisper small.en (fake)\n",
}
REF = speech_words()
PROXY_VARS = ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY")
CLI_TIMEOUT = 180  # generous: a loaded 2-core machine; a run takes ~2-8 s


def _git_blob_id(data: bytes) -> str:
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


def _lfs_pointer(data: bytes) -> bytes:
    return b"version https://git-lfs.github.com/spec/v1\noid sha256:%s\nsize %d\n" % (
        hashlib.sha256(data).hexdigest().encode(),
        len(data),
    )


# ----------------------------------------------------------------------------- fake hub
class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, like the Hub (huggingface_hub pools connections)
    server: _Server

    def log_message(self, *args) -> None:  # quiet
        pass

    def do_HEAD(self) -> None:
        self._dispatch(head=True)

    def do_GET(self) -> None:
        self._dispatch(head=False)

    # -- plumbing
    def _dispatch(self, head: bool) -> None:
        hub = self.server.hub
        hub.log(self.server.role, self.command, self.path)
        if hub.down:  # the network went away: the connection closes without an answer
            self.close_connection = True
            return
        url = urlsplit(self.path)
        path = unquote(url.path)
        if self.server.role == "cdn":
            m = re.fullmatch(r"/lfs/([0-9a-f]{64})", path)
            name = hub.by_sha256.get(m.group(1)) if m else None
            if name is None:
                return self._json(404, {"error": "not found"}, head)
            return self._send_file(name, head, {"ETag": f'"{hub.sha256[name]}"'})
        m = re.fullmatch(r"/api/models/(.+?)(?:/revision/([^/]+))?", path)
        if m:
            if m.group(1) != hub.repo_id:
                return self._json(404, {"error": "Repository not found"}, head, {"X-Error-Code": "RepoNotFound"})
            blobs = parse_qs(url.query).get("blobs", [""])[0].lower() in ("1", "true")
            return self._json(200, hub.model_info(blobs=blobs), head)
        m = re.fullmatch(rf"/{re.escape(hub.repo_id)}/resolve/([^/]+)/(.+)", path)
        if m:
            revision, name = m.groups()
            if revision not in ("main", hub.commit):
                return self._json(404, {"error": "Revision not found"}, head, {"X-Error-Code": "RevisionNotFound"})
            if name not in hub.files:
                return self._json(
                    404,
                    {"error": "Entry not found"},
                    head,
                    {"X-Error-Code": "EntryNotFound", "X-Repo-Commit": hub.commit},
                )
            if name in hub.lfs:
                data = hub.files[name]
                headers = {
                    "Location": f"{hub.cdn_url}/lfs/{hub.sha256[name]}?X-Amz-Signature=fake",
                    "ETag": f'"{_git_blob_id(_lfs_pointer(data))}"',
                    "X-Linked-Etag": f'"{hub.sha256[name]}"',
                    "X-Linked-Size": str(len(data)),
                    "X-Repo-Commit": hub.commit,
                }
                if hub.xet:
                    headers["X-Xet-Hash"] = hub.sha256[name]  # stands in for the Xet merkle hash
                    headers["X-Xet-Refresh-Route"] = f"/api/models/{hub.repo_id}/xet-read-token/{hub.commit}"
                return self._empty(302, headers, head)
            return self._send_file(
                name, head, {"ETag": f'"{_git_blob_id(hub.files[name])}"', "X-Repo-Commit": hub.commit}
            )
        return self._json(404, {"error": "not found"}, head)

    def _empty(self, status: int, headers: dict, head: bool) -> None:
        self.send_response(status)
        for k, v in headers.items():
            self.send_header(k, v)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _json(self, status: int, obj, head: bool, headers: dict | None = None) -> None:
        body = json.dumps(obj).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        if not head:
            self.wfile.write(body)

    def _send_file(self, name: str, head: bool, headers: dict) -> None:
        hub = self.server.hub
        data = hub.files[name]
        start = 0
        rng = re.fullmatch(r"bytes=(\d+)-", self.headers.get("Range", "") or "")
        if rng and int(rng.group(1)) < len(data):
            start = int(rng.group(1))
            self.send_response(206)
            self.send_header("Content-Range", f"bytes {start}-{len(data) - 1}/{len(data)}")
        else:
            self.send_response(200)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Content-Length", str(len(data) - start))
        self.send_header("Accept-Ranges", "bytes")
        for k, v in headers.items():
            self.send_header(k, v)
        self.end_headers()
        if head:
            return
        hub.log_get(name)
        if hub.hold is not None and hub.hold[0] == name:
            hub.holding.set()
            hub.hold[1].wait(60)  # the test releases it once it has seen the partial progress
        drop_at = None
        if hub.drop is not None and hub.drop[0] == name:
            drop_at = start + hub.drop[1]
            hub.drop = None
        pos = start
        while pos < len(data):
            end = min(len(data), pos + 16 * 1024)
            if drop_at is not None and end >= drop_at:
                self.wfile.write(data[pos:drop_at])
                self.wfile.flush()
                hub.down = True  # ... and stays down until the test brings it back
                self.close_connection = True
                self.connection.shutdown(socket.SHUT_RDWR)
                return
            self.wfile.write(data[pos:end])
            pos = end


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, hub: FakeHub, role: str) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.hub = hub
        self.role = role


class FakeHub:
    """A Hugging Face model hub serving one repo, on 127.0.0.1 (plus its "CDN").

    ``requests``: (role, method, path) of every request; ``gets``: names of the files
    whose bytes were sent. Faults: ``drop = (file, n)`` sends the file's headers (full
    Content-Length) and ``n`` bytes, closes the connection and goes ``down`` (every later
    request: connection closed, no answer) until ``down = False``; ``hold = (file, event)``
    sends the headers and waits for ``event`` before the body (``holding`` is set then)."""

    def __init__(self, repo_id: str, files: dict[str, bytes], lfs=LFS_FILES, commit: str = COMMIT) -> None:
        self.repo_id = repo_id
        self.files = dict(files)
        self.lfs = set(lfs)
        self.commit = commit
        self.sha256 = {n: hashlib.sha256(d).hexdigest() for n, d in self.files.items()}
        self.by_sha256 = {h: n for n, h in self.sha256.items() if n in self.lfs}
        self.requests: list[tuple[str, str, str]] = []
        self.gets: list[str] = []
        self.down = False
        self.drop: tuple[str, int] | None = None
        self.hold: tuple[str, threading.Event] | None = None
        self.holding = threading.Event()
        self.xet = False
        self._lock = threading.Lock()
        self._servers = [_Server(self, "hub"), _Server(self, "cdn")]
        self._threads = [
            threading.Thread(target=s.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True) for s in self._servers
        ]
        for t in self._threads:
            t.start()
        self.running = True

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._servers[0].server_address[1]}"

    @property
    def cdn_url(self) -> str:
        return f"http://127.0.0.1:{self._servers[1].server_address[1]}"

    def log(self, role: str, method: str, path: str) -> None:
        with self._lock:
            self.requests.append((role, method, path))

    def log_get(self, name: str) -> None:
        with self._lock:
            self.gets.append(name)

    def model_info(self, blobs: bool) -> dict:
        siblings = []
        for name in sorted(self.files):  # the Hub lists them in path order
            entry: dict = {"rfilename": name}
            if blobs:
                data = self.files[name]
                if name in self.lfs:
                    entry.update(
                        size=len(data),
                        blobId=_git_blob_id(_lfs_pointer(data)),
                        lfs={"size": len(data), "sha256": self.sha256[name], "pointerSize": len(_lfs_pointer(data))},
                    )
                else:
                    entry.update(size=len(data), blobId=_git_blob_id(data))
            siblings.append(entry)
        return {
            "_id": "0" * 24,
            "id": self.repo_id,
            "modelId": self.repo_id,
            "author": self.repo_id.split("/")[0],
            "sha": self.commit,
            "private": False,
            "disabled": False,
            "gated": False,
            "downloads": 0,
            "likes": 0,
            "tags": ["ctranslate2", "audio", "automatic-speech-recognition"],
            "library_name": "ctranslate2",
            "lastModified": "2024-01-01T00:00:00.000Z",
            "createdAt": "2024-01-01T00:00:00.000Z",
            "siblings": siblings,
        }

    def stop(self) -> None:
        if self.running:
            self.running = False
            for s in self._servers:
                s.shutdown()
                s.server_close()


# ----------------------------------------------------------------------------- fixtures
@pytest.fixture(scope="module")
def model_files(tmp_path_factory) -> dict[str, bytes]:
    """The files of the tiny scripted model (it transcribes speech_16k.wav as REF)."""
    out = build_scripted_model(
        tmp_path_factory.mktemp("served-model"), [w["text"] for w in REF], [(w["start"], w["end"]) for w in REF]
    )
    files = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    assert "model.bin" in files and "tokenizer.json" in files
    return files


@pytest.fixture
def hub(model_files, monkeypatch, tmp_path):
    """The fake hub, serving the model under small.en's repo id; this process's
    huggingface_hub pointed at it, online, without proxies or the user's token."""
    assert repo_for("small.en") == REPO
    server = FakeHub(REPO, {**model_files, **EXTRA_FILES})
    from huggingface_hub import constants
    from huggingface_hub.utils import _http

    for var in PROXY_VARS:
        monkeypatch.delenv(var, raising=False)
        monkeypatch.delenv(var.lower(), raising=False)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    for var in (
        "HF_HUB_OFFLINE",
        "TRANSFORMERS_OFFLINE",
        "HF_ENDPOINT",
        "HF_HUB_DISABLE_XET",
        "HF_TOKEN",
        "HUGGING_FACE_HUB_TOKEN",
    ):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setattr(constants, "HF_HUB_OFFLINE", False)
    monkeypatch.setattr(constants, "HF_TOKEN_PATH", str(tmp_path / "hf-token"))  # none
    monkeypatch.setattr(constants, "ENDPOINT", server.url)
    monkeypatch.setattr(
        constants, "HUGGINGFACE_CO_URL_TEMPLATE", server.url + "/{repo_id}/resolve/{revision}/{filename}"
    )
    _http.close_session()  # a fresh client: it reads the proxy settings above
    yield server
    _http.close_session()  # drops the pooled keep-alive connections first
    server.stop()


def _model_file_names(files: dict[str, bytes]) -> list[str]:
    return sorted(n for n in files if n not in EXTRA_FILES)


def _cli_env(hub_url: str, hf_home: Path, **extra: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k.upper() not in PROXY_VARS
        and not k.startswith(("HF_", "HUGGINGFACE_", "HUGGING_FACE_"))
        and k != "TRANSFORMERS_OFFLINE"
    }
    env.update(
        HF_ENDPOINT=hub_url,
        HF_HOME=str(hf_home),
        NO_PROXY="127.0.0.1,localhost",
        HF_HUB_DISABLE_TELEMETRY="1",
        PYTHONUNBUFFERED="1",
    )
    env.update(extra)  # REHEARSE_HOME: the autouse fixture already put it in os.environ
    return env


def _rehearse(rehearse_bin: str, *args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [*rehearse_bin.split(), *args], capture_output=True, text=True, env=env, timeout=CLI_TIMEOUT, cwd=ROOT
    )


def _error_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("rehearse: error:")]


# ----------------------------------------------------------------------------- tests
def test_cli_pull_downloads_once_then_transcribes_offline(hub, model_files, rehearse_home, rehearse_bin, tmp_path):
    """`rehearse models pull small.en`: a progress bar, the model files (only those) in the
    app's model cache, a second pull that fetches nothing, and offline transcription."""
    env = _cli_env(hub.url, tmp_path / "hf")
    out = _rehearse(rehearse_bin, "models", "pull", "small.en", env=env)
    assert out.returncode == 0, out.stderr
    assert "Traceback" not in out.stderr
    # the CLI's download bar (tqdm on stderr) ran to the end
    assert re.search(r"Downloading small\.en: +100%\|", out.stderr), out.stderr
    last = out.stdout.strip().splitlines()[-1]
    assert last.startswith("small.en downloaded to "), out.stdout
    snap = Path(last.removeprefix("small.en downloaded to "))
    assert snap.is_relative_to(rehearse_home / "models") and snap.is_dir()
    names = _model_file_names(model_files)
    assert sorted(p.name for p in snap.iterdir()) == names  # no README/.gitattributes
    for name in names:
        assert (snap / name).read_bytes() == model_files[name], name
    assert sorted(hub.gets) == names  # every model file fetched once, over plain HTTP
    assert ("cdn", "GET", f"/lfs/{hub.sha256['model.bin']}?X-Amz-Signature=fake") in hub.requests

    # a second pull: already there, nothing fetched (not even the repo listing)
    seen = len(hub.requests)
    again = _rehearse(rehearse_bin, "models", "pull", "small.en", env=env)
    assert again.returncode == 0, again.stderr
    assert again.stdout.strip() == f"small.en is already downloaded: {snap}"
    assert hub.requests[seen:] == [] and sorted(hub.gets) == names

    # and transcription works from the cache with the hub gone and huggingface_hub offline
    hub.stop()
    out_json = tmp_path / "t.json"
    env_off = {**env, "HF_HUB_OFFLINE": "1"}
    tx = _rehearse(rehearse_bin, "transcribe", str(SPEECH_WAV), "--model", "small.en", "-o", str(out_json), env=env_off)
    assert tx.returncode == 0, tx.stderr
    assert "Downloading" not in tx.stderr
    words = [w["text"].strip() for w in json.loads(out_json.read_text())["words"]]
    assert words == [w["text"] for w in REF]


def test_pull_model_reports_bytes_monotonically_from_zero_to_total(hub, model_files, rehearse_home):
    """progress(done, total): total is the size of the model files (from the repo
    listing), done goes 0 -> total without going back or past it."""
    calls: list[tuple[int, int]] = []
    path = pull_model("small.en", lambda done, total: calls.append((done, total)))
    total = sum(len(model_files[n]) for n in _model_file_names(model_files))
    assert calls[0] == (0, total)
    assert calls[-1] == (total, total)
    assert {t for _, t in calls} == {total}
    dones = [d for d, _ in calls]
    assert dones == sorted(dones) and max(dones) == total  # never backwards, never past the total
    assert any(0 < d < total for d in dones)  # and something in between (several files)
    assert path == model_path("small.en") and path.is_relative_to(rehearse_home / "models")
    assert (path / "model.bin").read_bytes() == model_files["model.bin"]


def test_cli_pull_connection_dropped_mid_file(hub, model_files, rehearse_home, rehearse_bin, tmp_path):
    """The connection drops in tokenizer.json (after model.bin in the Hub's listing
    order) and the network stays down: one error line, exit 1, and no model on disk that
    `models path`/loading would take for a complete one. A re-run completes."""
    env = _cli_env(hub.url, tmp_path / "hf")
    hub.drop = ("tokenizer.json", len(model_files["tokenizer.json"]) // 3)
    out = _rehearse(rehearse_bin, "models", "pull", "small.en", env=env)
    assert out.returncode == 1, out.stdout + out.stderr
    assert "Traceback" not in out.stderr
    errors = _error_lines(out.stderr)
    assert len(errors) == 1, out.stderr
    assert errors[0] == out.stderr.strip().splitlines()[-1]
    assert "'small.en'" in errors[0] and "could not download" in errors[0]
    assert "rehearse models pull small.en` again" in errors[0]  # what to do about it
    assert "Trying to resume" not in out.stderr  # huggingface_hub's retry notices are kept quiet
    assert "downloaded to" not in out.stdout
    assert "tokenizer.json" in hub.gets  # it did get that far

    # nothing that passes for a downloaded model
    assert model_path("small.en") is None
    with pytest.raises(ModelNotAvailableError, match="not downloaded"):
        load_model(TranscribeOptions(model="small.en", device="cpu", download=False))
    assert not list((rehearse_home / "models").rglob("*.incomplete"))

    # the network is back: a re-run completes, without fetching finished files again
    hub.down = False
    done_before = [n for n in hub.gets if n != "tokenizer.json"]
    again = _rehearse(rehearse_bin, "models", "pull", "small.en", env=env)
    assert again.returncode == 0, again.stderr
    assert again.stdout.strip().splitlines()[-1].startswith("small.en downloaded to ")
    snap = model_path("small.en")
    assert snap is not None
    for name in _model_file_names(model_files):
        assert (snap / name).read_bytes() == model_files[name], name
    assert all(hub.gets.count(n) == 1 for n in done_before), hub.gets


def test_pull_model_dropped_in_the_weights_leaves_nothing_usable(hub, model_files, rehearse_home, monkeypatch):
    """Same in-process, the drop in model.bin itself; huggingface_hub's 1-s pauses
    between its resume attempts are skipped (they are what makes the CLI test slow)."""
    import huggingface_hub.file_download as fd

    monkeypatch.setattr(fd, "time", types.SimpleNamespace(sleep=lambda s: None))
    hub.drop = ("model.bin", len(model_files["model.bin"]) // 2)
    with pytest.raises(ModelNotAvailableError) as err:
        pull_model("small.en")
    msg = str(err.value)
    assert "\n" not in msg and "'small.en'" in msg and REPO in msg
    assert "model.bin" in hub.gets
    assert model_path("small.en") is None
    assert not list((rehearse_home / "models").rglob("*.incomplete"))
    hub.down = False
    path = pull_model("small.en")
    assert (path / "model.bin").read_bytes() == model_files["model.bin"]
    assert load_model(TranscribeOptions(model="small.en", device="cpu", download=False)).path == path


def test_xet_backed_weights_count_each_byte_once(hub, model_files, rehearse_home, monkeypatch):
    """The real Hub serves model weights through Xet (hf_xet is installed with
    huggingface_hub), which reports bytes received and bytes written separately. The
    native hf_xet transfer is replaced here by a stand-in that writes the file and feeds
    huggingface_hub's own XetDownloadProgressReporter the reports hf_xet would."""
    import huggingface_hub.file_download as fd
    from huggingface_hub.utils._runtime import is_xet_available
    from huggingface_hub.utils._xet_progress_reporting import XetDownloadProgressReporter

    if not is_xet_available():
        pytest.skip("hf_xet is not installed: huggingface_hub never takes the Xet path")

    used: list[str] = []

    def xet_get(
        *,
        incomplete_path,
        xet_file_data,
        headers,
        expected_size=None,
        displayed_filename=None,
        tqdm_class=None,
        _tqdm_bar=None,
    ):
        name = hub.by_sha256[xet_file_data.file_hash]
        used.append(name)
        data = hub.files[name]
        with XetDownloadProgressReporter(
            reconstruction_desc=f"{displayed_filename}: reconstructing file",
            transfer_desc=f"{displayed_filename}: downloading bytes",
            total=expected_size,
            log_level=fd.logger.getEffectiveLevel(),
            name="huggingface_hub.xet_get",
            tqdm_class=tqdm_class,
            external_reconstruction_bar=_tqdm_bar,
        ) as progress:
            for k in range(1, 5):
                n = len(data) * k // 4
                progress.update_progress(
                    types.SimpleNamespace(
                        total_bytes=len(data),
                        total_bytes_completed=n,
                        total_transfer_bytes_completed=n,
                        total_bytes_completion_rate=None,
                        total_transfer_bytes_completion_rate=None,
                    )
                )
        Path(incomplete_path).write_bytes(data)

    monkeypatch.setattr(fd, "xet_get", xet_get)
    hub.xet = True
    calls: list[tuple[int, int]] = []
    path = pull_model("small.en", lambda done, total: calls.append((done, total)))
    assert used == ["model.bin"]
    total = sum(len(model_files[n]) for n in _model_file_names(model_files))
    dones = [d for d, _ in calls]
    assert max(dones) == total and dones == sorted(dones), (dones, total)
    assert calls[-1] == (total, total)
    assert (path / "model.bin").read_bytes() == model_files["model.bin"]


async def test_settings_download_shows_the_job_bar_then_ready(hub, model_files, rehearse_home):
    """Settings, Ctrl+D on "small.en": the job bar shows the bytes part-way (the hub holds
    model.bin's body until the test has seen it), then hides; "small.en is ready"."""
    from textual.widgets import ProgressBar
    from tui_helpers import download_from_settings, settle, wait_for

    from tui.app import make_app
    from tui.settings import AppSettings

    release = threading.Event()
    hub.hold = ("model.bin", release)  # the weights' body waits until the bar was seen mid-way
    total = sum(len(model_files[n]) for n in _model_file_names(model_files))
    app = make_app(settings=AppSettings())
    try:
        async with app.run_test(size=(100, 30)) as pilot:
            screen = await download_from_settings(pilot, app, "small.en")
            bar = screen.query_one("#job-progress", ProgressBar)
            await wait_for(
                pilot,
                lambda: hub.holding.is_set() and bar.total == total and 0 < bar.progress < total,
                timeout=60,
                what="the download bar part-way",
            )
            assert not screen.query_one("#jobbar").has_class("hidden")
            label = str(screen.query_one("#job-label").content)
            # "Downloading 0.4/1.6 MB": in the total's unit, with a decimal for a small model
            match = re.search(r"Downloading (\d+(?:\.\d)?)/(\d+(?:\.\d)?) (KB|MB|GB)", label)
            assert match, label
            scale = {"KB": 1e3, "MB": 1e6, "GB": 1e9}[match[3]]
            assert abs(float(match[2]) * scale - total) <= 0.05 * scale + 1, (label, total)
            assert 0 <= float(match[1]) * scale < total + 0.05 * scale, label
            release.set()
            await wait_for(
                pilot,
                lambda: any(n.title == "Model download" for n in app._notifications),
                timeout=60,
                what="the download to finish",
            )
            await settle(pilot)
            [note] = [n for n in app._notifications if n.title == "Model download"]
            assert note.severity == "information" and "small.en is ready" in note.message, note.message
            assert screen.query_one("#jobbar").has_class("hidden")
    finally:
        release.set()
    path = model_path("small.en")
    assert path is not None and path.is_relative_to(rehearse_home / "models")
    assert (path / "model.bin").read_bytes() == model_files["model.bin"]


@pytest.mark.real_model
async def test_practise_offers_the_better_model_and_switches_to_it(hub, model_files, rehearse_home):
    """First run with the hub reachable: Practise uses the bundled tiny.en at once and
    offers base.en with its size; `d` downloads it (progress in the model line), then
    "auto" uses it."""
    from tui_helpers import settle, wait_for

    from tui.app import make_app
    from tui.settings import AppSettings

    hub.repo_id = "Systran/faster-whisper-base.en"  # the same small model, served as base.en
    release = threading.Event()
    hub.hold = ("model.bin", release)
    app = make_app(settings=AppSettings(), start="practise", ensure_sample=False)
    try:
        async with app.run_test(size=(100, 30)) as pilot:
            screen = app.screen
            box = screen.query_one("#model-state")
            await wait_for(pilot, lambda: screen.model_offer, timeout=60, what="the offer")
            text = str(box.content)
            assert "Speech model: auto: tiny.en (bundled)" in text
            assert "base.en is more accurate: press d to download it (~145 MB, from Hugging Face" in text, text
            await pilot.press("d")
            await wait_for(
                pilot,
                lambda: hub.holding.is_set() and "downloading" in str(box.content),
                timeout=60,
                what="the download progress",
            )
            assert re.search(r"downloading \d+(\.\d)?/\d+(\.\d)? (KB|MB)", str(box.content)), str(box.content)
            release.set()
            await wait_for(pilot, lambda: screen.model_label == "auto: base.en", timeout=60, what="the switch")
            await settle(pilot)
            assert "press d" not in str(box.content) and screen.model_offer is None
    finally:
        release.set()
    path = model_path("base.en")
    assert path is not None and path.is_relative_to(rehearse_home / "models")
