"""The take library: every recorded answer as a folder on disk (DESIGN.md, "A take on disk").

```
<takes>/                       locations.takes_dir() (REHEARSE_HOME/takes when set), 0700
  <YYYYmmdd-HHMMSS>-<slug>/    one take, 0700; its id is the folder name
    take.json                  metadata + a small summary of the report (for fast listing)
    audio.flac                 the recording: mono, at the device's rate
    transcript.json            words with times (analysis.transcript)
    report.json                the analysis (recomputable from transcript.json)
  .in-progress/<id>/           a take being recorded (raw PCM written as it arrives)
  .trash/<id>/                 deleted takes, restorable with `rehearse takes restore`
  .lock                        flock()ed around every change, so two running
                               instances never interleave writes
```

Rules: every file is written atomically (temp file + rename) with mode 0600; folders are
0700 (recordings are personal). A take that cannot be read is skipped with a warning in
:attr:`Library.warnings` and never deleted or rewritten. ``take.json`` carries a
``schema_version`` "MAJOR.MINOR": newer minor versions load (unknown fields are kept,
also when the file is rewritten); a newer major version is skipped with a warning.
Nothing the user recorded is ever overwritten: ids are unique, exports refuse to
replace existing files, and deleting moves a take to the trash.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import re
import shutil
import stat
import sys
import threading
import time
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Callable, Iterator, Mapping

from analysis import jsonfile
from analysis.errors import RehearseError
from analysis.transcript import MAX_SECONDS, STAR_LABELS, Marker, Transcript, atomic_write_text
from recorder.errors import LibraryBusyError, LibraryError, LibraryReadOnlyError, TakeNotFoundError
from recorder.unfinished import IN_PROGRESS, has_unfinished

SCHEMA_VERSION = "1.0"
MAX_SAMPLERATE = 768_000  # Hz: the fastest rate any audio interface records at
SUPPORTED_MAJOR = 1

TAKE_JSON = "take.json"
AUDIO = "audio.flac"
TRANSCRIPT = "transcript.json"
REPORT = "report.json"
# Written by recorder.capture.Recorder inside an in-progress folder:
RAW_AUDIO = "audio.pcm"  # signed 16-bit little-endian PCM, appended as it is recorded
RECORDING_JSON = "recording.json"  # rate, channels, device, markers, overflows, state
TAKE_LOCK = ".take.lock"  # flock()ed by the recording process while it records

TRASH = ".trash"
LOCK = ".lock"
SAMPLE_MARK = ".sample-installed"
WRITING = ".writing"
INDEX = ".index.json"
INDEX_VERSION = 1

DIR_MODE = 0o700
FILE_MODE = 0o600

_ID_TIME = "%Y%m%d-%H%M%S"
# What the library appends to keep ids unique (same second: "-2"; trashed twice: "~2").
_SUFFIX_ONLY = re.compile(r"(-\d+)?(~\d+)?")


def _now() -> datetime:
    return datetime.now().astimezone().replace(microsecond=0)


def slugify(text: str | None, max_len: int = 40) -> str:
    """A short ASCII folder-name slug from a question: "Tell me about a conflict" -> "tell-me-about-a-conflict"."""
    if not text:
        return "take"
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", text.lower())
    slug = ""
    for w in words:
        cand = f"{slug}-{w}" if slug else w
        if len(cand) > max_len:
            break
        slug = cand
    return slug or "take"


def summarize_report(report: Mapping[str, Any] | None) -> dict[str, Any]:
    """The few figures the take list shows, from a report dict (tolerant of missing keys)."""
    if not isinstance(report, Mapping):
        return {}

    def get(d: Any, key: str) -> Any:
        return d.get(key) if isinstance(d, Mapping) else None

    pace = report.get("pace")
    fillers = report.get("fillers")
    star = report.get("star")
    shares: dict[str, float] = {}
    for s in get(star, "sections") or []:
        if isinstance(s, Mapping) and s.get("label") in STAR_LABELS and isinstance(s.get("share"), (int, float)):
            shares[s["label"]] = float(s["share"])
    missing = get(star, "missing")
    if missing is None:
        missing = get(get(report, "content"), "missing")
    return {
        "words": report.get("words"),
        "wpm": get(pace, "wpm"),
        "pace_verdict": get(pace, "verdict"),
        "fillers": get(fillers, "count"),
        "fillers_per_minute": get(fillers, "per_minute"),
        "long_pauses": get(report.get("pauses"), "long_count"),
        "star_method": get(star, "method"),
        "star_shares": shares,
        "star_missing": list(missing) if isinstance(missing, (list, tuple)) else [],
    }


# ---------------------------------------------------------------------------------------
# Data classes


@dataclass(frozen=True)
class Take:
    id: str
    path: Path
    question: str | None = None
    created: str = ""
    duration: float = 0.0
    device: str | None = None
    model: str | None = None
    markers: tuple[Marker, ...] = ()
    overflows: int = 0
    recovered: bool = False
    competency: str | None = None
    schema_version: str = SCHEMA_VERSION
    samplerate: int | None = None
    source: str | None = None
    """For an imported take: the original file's name."""
    sample: bool = False
    """The bundled example take."""
    summary: Mapping[str, Any] = field(default_factory=dict, compare=False, repr=False)
    extra: Mapping[str, Any] = field(default_factory=dict, compare=False, repr=False)
    """Fields of take.json this version does not know (kept when the file is rewritten)."""

    @property
    def title(self) -> str:
        return self.question or "(no question)"

    @property
    def audio_path(self) -> Path:
        return self.path / AUDIO

    @property
    def transcript_path(self) -> Path:
        return self.path / TRANSCRIPT

    @property
    def report_path(self) -> Path:
        return self.path / REPORT

    @property
    def has_transcript(self) -> bool:
        return self.transcript_path.is_file()

    @property
    def has_report(self) -> bool:
        return self.report_path.is_file()

    @property
    def created_dt(self) -> datetime | None:
        return _parse_time(self.created)


@dataclass(frozen=True)
class TakeSummary:
    """One row of the take list: read from take.json only."""

    id: str
    question: str | None
    created: str
    duration: float
    wpm: float | None = None
    fillers_per_minute: float | None = None
    fillers: int | None = None
    words: int | None = None
    star_shares: Mapping[str, float] = field(default_factory=dict)
    star_missing: tuple[str, ...] = ()
    competency: str | None = None
    recovered: bool = False
    sample: bool = False
    model: str | None = None
    has_report: bool = False
    path: Path | None = None

    @property
    def title(self) -> str:
        return self.question or "(no question)"


_TAKE_KEYS = {
    "schema_version", "id", "question", "created", "duration", "device", "model", "markers",
    "overflows", "recovered", "competency", "samplerate", "source", "sample", "summary",
}


_SUMMARY_FIELDS = (
    "id", "question", "created", "duration", "wpm", "fillers_per_minute", "fillers", "words", "star_shares",
    "star_missing", "competency", "recovered", "sample", "model", "has_report",
)


def _summary_to_dict(s: TakeSummary) -> dict[str, Any]:
    d = {f: getattr(s, f) for f in _SUMMARY_FIELDS}
    d["star_shares"] = dict(s.star_shares)
    d["star_missing"] = list(s.star_missing)
    return d


def _summary_from_dict(d: Any, folder: Path) -> TakeSummary | None:
    """A row of the list index, or None when it is not one this version wrote (then the
    take's own take.json is read instead)."""
    if not isinstance(d, dict) or d.get("id") != folder.name:
        return None
    try:
        kwargs = {f: d[f] for f in _SUMMARY_FIELDS}
        duration = kwargs["duration"]
        if type(duration) not in _NUMBER or not 0 <= duration <= MAX_SECONDS:
            return None
        clean, bad = _clean_summary(kwargs)
        if bad:
            return None
        for key in ("question", "created", "competency", "model"):
            if kwargs[key] is not None and type(kwargs[key]) is not str:
                return None
        kwargs.update(clean, duration=float(duration), star_missing=tuple(clean["star_missing"]))
        return TakeSummary(**kwargs, path=folder)
    except (KeyError, TypeError, ValueError):
        return None


def _parse_time(s: str | None) -> datetime | None:
    if not s:
        return None
    try:
        dt = datetime.fromisoformat(s)
    except ValueError:
        return None
    return dt if dt.tzinfo else dt.astimezone()


def _read_json(path: Path) -> Any:
    """Parse a JSON file. Bad content (malformed, not UTF-8, nested too deeply, numbers
    with thousands of digits) raises :class:`analysis.jsonfile.JSONFileError`, a
    ValueError whose text is one line naming the file."""
    return jsonfile.load(path)


def _unreadable(path: Path, exc: BaseException) -> str:
    """"<path>: unreadable (<why>)" in one line, for any error reading a JSON file."""
    if isinstance(exc, jsonfile.JSONFileError):
        text = str(exc)
        return f"{path}: unreadable ({text[len(str(path)) + 2:] if text.startswith(f'{path}: ') else text})"
    why = exc.strerror if isinstance(exc, OSError) and exc.strerror else (str(exc).splitlines() or [""])[0]
    return f"{path}: unreadable ({why[:160] or type(exc).__name__})"


def _write_json(path: Path, data: Any, compact: bool = False) -> None:
    """Atomically. ``compact``: one line, for large machine-written files (a report):
    json's C encoder then does the work, 5-10x faster than the indenting one, which is
    a large part of re-scoring a library. (`rehearse takes export ID -f json` or any JSON
    viewer lays it out for reading.)"""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":")) if compact else \
        json.dumps(data, indent=1, ensure_ascii=False)
    atomic_write_text(path, text + "\n", mode=FILE_MODE)


def _reason(exc: BaseException) -> str:
    """An exception as one short line: a RehearseError's own text, else its type and text."""
    text = (str(exc).splitlines() or [""])[0][:200]
    if isinstance(exc, RehearseError):
        return text
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


_REPORT_OBJECTS = ("pace", "pauses", "fillers", "star", "content", "hesitations")


def report_problem(data: Any) -> str | None:
    """What makes ``data`` unusable as a report (the report.json contract), or None.
    Checks the shape the list, show and export read; a formatter that still fails on a
    deeper field is guarded where it runs (see :func:`format_guard`)."""
    if not isinstance(data, dict):
        return "not a JSON object"
    for key in _REPORT_OBJECTS:
        if data.get(key) is not None and not isinstance(data[key], dict):
            return f"'{key}' must be an object, got {_short(data[key])}"
    for key in ("duration", "words"):
        v = data.get(key)
        if v is not None and jsonfile.finite_number(v) is None:
            return f"'{key}' must be a finite number, got {_short(v)}"
    if data.get("tips") is not None and not isinstance(data["tips"], list):
        return f"'tips' must be a list, got {_short(data['tips'])}"
    for outer, inner in (("star", "sections"), ("star", "missing"), ("fillers", "items"), ("pauses", "items"),
                         ("pace", "timeline"), ("content", "balance"), ("hesitations", "items")):
        v = (data.get(outer) or {}).get(inner)
        if v is None:
            continue
        if not isinstance(v, list):
            return f"'{outer}.{inner}' must be a list, got {_short(v)}"
        if inner == "missing":
            continue
        for i, item in enumerate(v):  # the screens and exports read these items' fields
            if not isinstance(item, dict):
                return f"'{outer}.{inner}' item {i + 1} must be an object, got {_short(item)}"
            for key in _REPORT_ITEM_NUMBERS:
                if item.get(key) is not None and jsonfile.finite_number(item[key]) is None:
                    return f"'{outer}.{inner}' item {i + 1}: '{key}' must be a finite number, got {_short(item[key])}"
            if "label" in item and not isinstance(item["label"], str):
                return f"'{outer}.{inner}' item {i + 1}: 'label' must be text, got {_short(item['label'])}"
    for outer, inner in (("content", "length"), ("content", "ownership"), ("fillers", "by_text"),
                         ("fillers", "by_kind"), ("star", "targets")):
        v = (data.get(outer) or {}).get(inner)
        if v is not None and not isinstance(v, dict):
            return f"'{outer}.{inner}' must be an object, got {_short(v)}"
    for i, tip in enumerate(data.get("tips") or []):
        if not isinstance(tip, (dict, str)):
            return f"tip {i + 1} must be an object or text, got {_short(tip)}"
    return None


_REPORT_ITEM_NUMBERS = ("start", "end", "seconds", "share", "words", "wpm", "fillers", "target")


def format_guard(take_id: str, report_path: Path, render: Callable[[], Any]) -> Any:
    """Run ``render`` (a report formatter); any failure on a damaged report becomes one
    LibraryError line saying how to rebuild it, never a traceback."""
    try:
        return render()
    except RehearseError:
        raise
    except Exception as exc:  # noqa: BLE001
        raise LibraryError(
            f"{report_path}: damaged ({_reason(exc)}); rebuild it with `rehearse rescore {take_id}`"
        ) from None


def _check_schema(raw: Mapping[str, Any], where: Path) -> str:
    version = raw.get("schema_version", SCHEMA_VERSION)
    m = re.fullmatch(r"(\d+)(?:\.(\d+))?", str(version))
    if not m:
        raise LibraryError(f"{where}: unreadable schema_version {version!r}")
    if int(m.group(1)) > SUPPORTED_MAJOR:
        raise LibraryError(
            f"{where}: written by a newer Rehearse (take schema {version}); upgrade Rehearse to open it"
        )
    return str(version)


def _markers_from(raw: Any) -> tuple[Marker, ...]:
    out = []
    for m in raw or []:
        if not isinstance(m, Mapping):
            continue
        label = m.get("label")
        t = jsonfile.finite_number(m.get("time"))
        if isinstance(label, str) and label.strip().lower() in STAR_LABELS and t is not None and 0 <= t <= MAX_SECONDS:
            out.append(Marker(label.strip().lower(), t))
    return tuple(sorted(out, key=lambda m: m.time))


class _Bad(Exception):
    """A field of take.json that cannot be used (turned into a LibraryError naming the file)."""


def _opt_str(raw: Mapping[str, Any], key: str) -> str | None:
    v = raw.get(key)
    if v is None or isinstance(v, str):
        return v
    raise _Bad(f"'{key}' must be text, got {_short(v)}")


def _seconds(raw: Mapping[str, Any], key: str) -> float:
    v = raw.get(key)
    if v is None:
        return 0.0
    f = jsonfile.finite_number(v)
    if f is None or not 0 <= f <= MAX_SECONDS:
        raise _Bad(f"'{key}' must be a number of seconds from 0 to {MAX_SECONDS:g}, got {_short(v)}")
    return f


def _count(raw: Mapping[str, Any], key: str, lo: int, hi: int, default: int | None) -> int | None:
    v = raw.get(key)
    if v is None:
        return default
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    if isinstance(v, bool) or not isinstance(v, int) or not lo <= v <= hi:
        raise _Bad(f"'{key}' must be a whole number from {lo} to {hi}, got {_short(v)}")
    return v


def _short(v: Any) -> str:
    text = repr(v)
    return text if len(text) <= 40 else text[:37] + "..."


def _take_from_raw(raw: Any, folder: Path) -> Take:
    where = folder / TAKE_JSON
    if not isinstance(raw, dict):
        raise LibraryError(f"{where}: not a take (expected a JSON object)")
    version = _check_schema(raw, where)
    try:
        duration = _seconds(raw, "duration")
        overflows = _count(raw, "overflows", 0, 10**12, 0)
        rate = _count(raw, "samplerate", 1, MAX_SAMPLERATE, None)
        markers = raw.get("markers")
        if markers is not None and not isinstance(markers, list):
            raise _Bad(f"'markers' must be a list of {{label, time}}, got {_short(markers)}")
        question = raw.get("question")
        if question is not None and not isinstance(question, str):
            raise _Bad(f"'question' must be text, got {_short(question)}")
        created = raw.get("created")
        if created is not None and not isinstance(created, str):
            raise _Bad(f"'created' must be a date and time as text, got {_short(created)}")
        device, model, competency, source = (_opt_str(raw, k) for k in ("device", "model", "competency", "source"))
    except _Bad as exc:
        raise LibraryError(f"{where}: {exc}") from None
    summary = raw.get("summary") if isinstance(raw.get("summary"), dict) else {}
    return Take(
        id=folder.name,
        path=folder,
        question=question or None,
        created=created or "",
        duration=duration,
        device=device,
        model=model,
        markers=_markers_from(markers),
        overflows=overflows or 0,
        recovered=bool(raw.get("recovered")),
        competency=competency,
        schema_version=version,
        samplerate=rate,
        source=source,
        sample=bool(raw.get("sample")),
        summary=summary,
        extra={k: v for k, v in raw.items() if k not in _TAKE_KEYS},
    )


@contextlib.contextmanager
def _folder_busy(folder: Path) -> Iterator[None]:
    """Hold the in-progress folder's .take.lock (as a recorder does), so that
    recorder.capture.folder_is_live() reports it busy to other processes."""
    import fcntl

    fd = os.open(folder / TAKE_LOCK, os.O_RDWR | os.O_CREAT, FILE_MODE)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def _mark_writing(root: Path) -> None:
    """<root>/.writing exists while a process holds the library lock: found at a start
    with nobody holding the lock, a process died mid-change and may have left temp files."""
    with contextlib.suppress(OSError):
        os.close(os.open(root / WRITING, os.O_WRONLY | os.O_CREAT, FILE_MODE))


# Temp files of an atomic write (analysis.transcript.atomic_write_text: ".<name>.<random>.tmp")
# and of the audio conversions (".audio.flac.tmp"): what a kill mid-write leaves behind.
_TEMP_FILE = re.compile(r"\.(?:take\.json|transcript\.json|report\.json|recording\.json|audio\.flac|"
                        r"index\.json|sample-installed)\.(?:[A-Za-z0-9_]+\.)?tmp")
LEFTOVER_AGE_S = 60.0  # temps outside the lock younger than this may belong to a running write


def _remove_temp_files(folder: Path, min_age: float = 0.0) -> int:
    """Delete the temp files of interrupted writes in ``folder`` (never a real file)."""
    removed = 0
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return 0
    now = time.time()
    for e in entries:
        if not _TEMP_FILE.fullmatch(e.name):
            continue
        try:
            if not e.is_file(follow_symlinks=False) or now - e.stat(follow_symlinks=False).st_mtime < min_age:
                continue
            os.unlink(e.path)
            removed += 1
        except OSError:
            pass
    return removed


_NUMBER = (int, float)


def _clean_summary(s: Mapping[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """The list figures of a take.json summary (a cache of report.json), each checked:
    a value that is not a sane number is left out. Returns (clean, names of bad fields)."""
    # the common case, checked cheaply (listing 1,000 takes calls this 1,000 times)
    words, wpm, fillers, fpm = s.get("words"), s.get("wpm"), s.get("fillers"), s.get("fillers_per_minute")
    shares_raw, missing_raw = s.get("star_shares"), s.get("star_missing")
    if (
        (words is None or (type(words) is int and 0 <= words <= 10**9))
        and (fillers is None or (type(fillers) is int and 0 <= fillers <= 10**9))
        and (wpm is None or (type(wpm) in _NUMBER and 0 <= wpm <= 10**5))
        and (fpm is None or (type(fpm) in _NUMBER and 0 <= fpm <= 10**5))
        and (shares_raw is None or (type(shares_raw) is dict and all(
            k in STAR_LABELS and type(v) in _NUMBER and 0 <= v <= 1 for k, v in shares_raw.items())))
        and (missing_raw is None or (type(missing_raw) is list and all(m in STAR_LABELS for m in missing_raw)))
    ):
        return {"words": words, "wpm": wpm, "fillers": fillers, "fillers_per_minute": fpm,
                "star_shares": shares_raw or {}, "star_missing": missing_raw or []}, []
    bad: list[str] = []

    def num(key: str, hi: float) -> float | None:
        v = s.get(key)
        f = jsonfile.finite_number(v)
        if v is not None and (f is None or not 0 <= f <= hi):
            bad.append(key)
            return None
        return f

    def count(key: str) -> int | None:
        f = num(key, 10**9)
        return None if f is None else int(f)

    shares_raw = s.get("star_shares")
    shares: dict[str, float] = {}
    if isinstance(shares_raw, Mapping):
        for label, v in shares_raw.items():
            f = jsonfile.finite_number(v)
            if label in STAR_LABELS and f is not None and 0 <= f <= 1:
                shares[label] = f
            else:
                bad.append("star_shares")
    elif shares_raw is not None:
        bad.append("star_shares")
    missing_raw = s.get("star_missing")
    missing: list[str] = []
    if isinstance(missing_raw, list) and all(m in STAR_LABELS for m in missing_raw):
        missing = list(missing_raw)
    elif missing_raw is not None:
        bad.append("star_missing")
    clean = {
        "words": count("words"),
        "wpm": num("wpm", 10**5),
        "fillers": count("fillers"),
        "fillers_per_minute": num("fillers_per_minute", 10**5),
        "star_shares": shares,
        "star_missing": missing,
    }
    return clean, sorted(set(bad))


def _recording_format(rec: Mapping[str, Any], meta: Mapping[str, Any], folder: Path) -> tuple[int, int, int]:
    """(sample rate, channels, overflows) of an in-progress take, from its recording.json
    (else take.json, else 48 kHz mono). A value that cannot be right raises LibraryError:
    guessing would turn the raw audio into noise, so the folder is left as it is."""
    where = folder / RECORDING_JSON
    try:
        rate = _count(rec, "samplerate", 1000, MAX_SAMPLERATE, None)
        if rate is None:
            rate = _count(meta, "samplerate", 1000, MAX_SAMPLERATE, None) or 48000
        channels = _count(rec, "channels", 1, 64, 1) or 1
        overflows = _count(rec, "overflows", 0, 10**12, None)
        if overflows is None:
            overflows = _count(meta, "overflows", 0, 10**12, 0) or 0
        markers = rec.get("markers")
        if markers is not None and not isinstance(markers, list):
            raise _Bad(f"'markers' must be a list of {{label, time}}, got {_short(markers)}")
    except _Bad as exc:
        raise LibraryError(
            f"{where}: {exc}; the recording was left as it is in {folder} (fix that value to recover it)"
        ) from None
    return rate, channels, overflows


def _mkdir_private(path: Path) -> None:
    """Create ``path`` 0700; an existing folder open to others is made private, but never
    given a permission it lacks (a read-only library stays read-only)."""
    path.mkdir(mode=DIR_MODE, parents=True, exist_ok=True)
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
        if mode & 0o077:
            os.chmod(path, mode & DIR_MODE)
    except OSError:
        pass


def _fsync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


class KeptTakeError(LibraryError):
    """A take could not be saved, but its audio is kept (in ``.in-progress/``) and is
    recovered by the next start of Rehearse. Never a reason to discard the take."""


def _disk_full(folder: Path, exc: BaseException | None = None) -> bool:
    if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return True
    try:
        st = os.statvfs(folder)
    except OSError:
        return False
    return st.f_bavail * st.f_frsize < 1 << 20  # under 1 MiB left: nothing useful fits


def _kept_message(folder: Path, exc: BaseException, raw: Path, rate: int, channels: int) -> str:
    """One line: why the take could not be saved, that its audio is kept, where, and how
    to get it back."""
    if _disk_full(folder, exc):
        why = "the disk is full"
    elif isinstance(exc, OSError):
        why = exc.strerror or str(exc)
    else:
        why = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    try:
        seconds = f"{raw.stat().st_size / (2 * max(1, channels) * max(1, rate)):.1f} s of audio"
    except OSError:
        seconds = "its audio"
    return (
        f"cannot save the take {folder.name} ({why}); {seconds} is kept in {folder}: free some space, "
        "then start rehearse again (any command) and it is recovered as a take"
    )


def _os_error(exc: OSError, what: str) -> LibraryError:
    if exc.errno == errno.ENOSPC:
        return LibraryError(f"{what}: the disk is full; free some space and try again")
    if exc.errno in (errno.EACCES, errno.EPERM):
        return LibraryError(f"{what}: permission denied ({exc.filename or ''})")
    return LibraryError(f"{what}: {exc.strerror or exc}")


# ---------------------------------------------------------------------------------------
# The inter-process lock: flock() on <root>/.lock (through the `filelock` package), held
# by one thread of a process at a time and re-entrant within that thread.


class _RootLock:
    def __init__(self, path: Path):
        self.path = path
        self.rlock = threading.RLock()
        self.depth = 0
        self._file_lock: Any = None

    @property
    def file_lock(self) -> Any:
        if self._file_lock is None:
            from filelock import FileLock

            # preserve_lock_file: the file stays, as with the plain flock() earlier versions
            # used, so an older Rehearse running at the same time still excludes this one.
            try:
                self._file_lock = FileLock(self.path, mode=FILE_MODE, thread_local=False, preserve_lock_file=True)
            except TypeError:  # filelock 3.x: has no such option and never deletes the file
                self._file_lock = FileLock(self.path, mode=FILE_MODE, thread_local=False)
        return self._file_lock


_LOCKS: dict[str, _RootLock] = {}
_LOCKS_GUARD = threading.Lock()


def _root_lock(path: Path) -> _RootLock:
    key = str(path.resolve())
    with _LOCKS_GUARD:
        lock = _LOCKS.get(key)
        if lock is None:
            lock = _LOCKS[key] = _RootLock(path)
        return lock


# ---------------------------------------------------------------------------------------


class Library:
    """The takes under ``root`` (default: ``analysis.locations.takes_dir()``)."""

    def __init__(self, root: str | os.PathLike[str] | None = None, *, lock_timeout: float = 15.0):
        if root is None:
            from analysis.locations import takes_dir

            root = takes_dir()
        self.root = Path(root).expanduser()
        self.lock_timeout = lock_timeout
        self.warnings: list[str] = []
        self.on_wait: Callable[[str], None] | None = _say_on_stderr
        """Told at once, in one line, when another Rehearse holds the library lock and
        this one has to wait (None: silent)."""

    # ---- paths & lock -----------------------------------------------------------------
    @property
    def in_progress_dir(self) -> Path:
        return self.root / IN_PROGRESS

    @property
    def trash_dir(self) -> Path:
        return self.root / TRASH

    def _ensure_root(self) -> None:
        try:
            if not self.root.parent.exists():
                _mkdir_private(self.root.parent)
            _mkdir_private(self.root)
        except OSError as exc:
            raise _os_error(exc, f"cannot create the take library at {self.root}") from None

    def read_only(self) -> bool:
        """True when the user made takes/ read-only (no owner write bit, or no write access):
        Rehearse then changes nothing in it and never makes it writable again."""
        try:
            st = os.stat(self.root)
        except OSError:
            return False  # not there yet: created on the first write
        return not st.st_mode & stat.S_IWUSR or not os.access(self.root, os.W_OK)

    def _check_writable(self) -> None:
        if self.read_only():
            mode = stat.S_IMODE(os.stat(self.root).st_mode)
            raise LibraryReadOnlyError(
                f"the take library {self.root} is read-only (mode {mode:04o}); nothing was changed. "
                f"To record, edit or delete takes, make it writable: chmod u+w {self.root}"
            )

    @contextlib.contextmanager
    def locked(self, why: str = "change the take library", *, wait: bool = True) -> Iterator[None]:
        """Hold the library lock (exclusive across processes; re-entrant in this one).
        ``why``: what this process waits for, said at once when another one holds it.
        ``wait=False``: raise LibraryBusyError at once (silently) if another process holds it."""
        from filelock import Timeout

        self._check_writable()
        self._ensure_root()
        lock = _root_lock(self.root / LOCK)
        with lock.rlock:
            if lock.depth == 0:
                try:
                    try:
                        lock.file_lock.acquire(timeout=0)
                    except Timeout:
                        if not wait:
                            raise LibraryBusyError(f"{self.root}: the take library is in use") from None
                        if self.on_wait is not None:
                            self.on_wait(
                                f"another Rehearse is using the take library {self.root}; waiting up to "
                                f"{self.lock_timeout:g} s for it to finish, to {why}"
                            )
                        try:
                            lock.file_lock.acquire(timeout=self.lock_timeout)
                        except Timeout:
                            raise LibraryBusyError(
                                f"{self.root}: the take library is locked by another running rehearse; "
                                f"could not {why}. Wait for it to finish and try again"
                            ) from None
                except OSError as exc:
                    raise _os_error(exc, f"cannot open the library lock {lock.path}") from None
                _mark_writing(self.root)
            lock.depth += 1
            try:
                yield
            finally:
                lock.depth -= 1
                if lock.depth == 0:
                    with contextlib.suppress(OSError):
                        os.unlink(self.root / WRITING)
                    lock.file_lock.release()

    # ---- reading ------------------------------------------------------------------------
    def _folders(self, base: Path) -> list[Path]:
        try:
            entries = list(os.scandir(base))
        except FileNotFoundError:
            return []
        except OSError as exc:
            raise _os_error(exc, f"cannot read the take library {base}") from None
        out = []
        for e in entries:
            if e.name.startswith("."):
                continue
            if e.is_symlink():
                self._warn(f"skipped {e.path}: a symbolic link, not a take folder; Rehearse does not follow it "
                           "(left untouched)")
            elif e.is_dir(follow_symlinks=False):
                out.append(Path(e.path))
        return out

    def _warn(self, msg: str) -> None:
        if msg not in self.warnings:
            self.warnings.append(msg)

    def _summary_of(self, folder: Path) -> TakeSummary:
        try:
            raw = _read_json(folder / TAKE_JSON)
        except FileNotFoundError:
            raise LibraryError(f"{folder}: no take.json") from None
        except (OSError, ValueError) as exc:
            raise LibraryError(_unreadable(folder / TAKE_JSON, exc)) from None
        take = _take_from_raw(raw, folder)
        s = dict(take.summary)
        has_report = (folder / REPORT).is_file()
        if not s and has_report:  # e.g. a take written by a tool that left no summary
            try:
                s = summarize_report(_read_json(folder / REPORT))
            except (OSError, ValueError):
                s = {}
        s, bad = _clean_summary(s)
        if bad:
            self._warn(
                f"take {take.id}: {folder / TAKE_JSON} has unusable list figures ({', '.join(bad)}); "
                f"listed without them (rebuild them with `rehearse rescore {take.id}`)"
            )
        return TakeSummary(
            id=take.id,
            question=take.question,
            created=take.created,
            duration=take.duration,
            wpm=s["wpm"],
            fillers_per_minute=s["fillers_per_minute"],
            fillers=s["fillers"],
            words=s["words"],
            star_shares=s["star_shares"],
            star_missing=tuple(s["star_missing"]),
            competency=take.competency,
            recovered=take.recovered,
            sample=take.sample,
            model=take.model,
            has_report=has_report,
            path=folder,
        )

    def _list_in(self, base: Path, use_index: bool = False) -> list[TakeSummary]:
        index = self._read_index() if use_index else {}
        fresh: dict[str, Any] = {}
        out = []
        for folder in self._folders(base):
            name = folder.name
            try:
                st = os.stat(os.path.join(folder, TAKE_JSON))
                key = [st.st_ino, st.st_mtime_ns, st.st_size, os.path.isfile(os.path.join(folder, REPORT))]
            except OSError:
                key = None
            cached = index.get(name)
            summary = None
            hit = False
            if key is not None and isinstance(cached, list) and len(cached) == 2 and cached[0] == key:
                summary = _summary_from_dict(cached[1], folder)
                hit = summary is not None
            if summary is None:
                try:  # the one guard every take folder is read behind: a damaged take is
                    summary = self._summary_of(folder)  # skipped with a warning, never hides the rest
                except Exception as exc:  # noqa: BLE001
                    self._warn(f"skipped take {name}: {_reason(exc)} (left untouched)")
                    continue
            out.append(summary)
            if key is not None:
                fresh[name] = cached if hit else [key, _summary_to_dict(summary)]
        if use_index and fresh != index:
            self._write_index(fresh)
        out.sort(key=lambda t: (_sort_key(t.created), t.id), reverse=True)
        return out

    # The list index: a cache of each take's summary, valid while its take.json is the
    # same file (inode, mtime, size) and report.json's presence is unchanged. Rebuilt
    # whenever stale; a missing or damaged index only costs time.
    def _read_index(self) -> dict[str, Any]:
        try:
            with open(self.root / INDEX, encoding="utf-8") as fh:
                data = jsonfile.loads(fh.read(), self.root / INDEX)
        except (OSError, ValueError):  # JSONFileError too: a damaged index is only rebuilt
            return {}
        if not isinstance(data, dict) or data.get("version") != INDEX_VERSION:
            return {}
        takes = data.get("takes")
        return takes if isinstance(takes, dict) else {}

    def _write_index(self, takes: dict[str, Any]) -> None:
        if not self.root.is_dir() or self.read_only():
            return
        with contextlib.suppress(OSError):  # a read-only library still lists, just slower
            atomic_write_text(self.root / INDEX, json.dumps({"version": INDEX_VERSION, "takes": takes}), FILE_MODE)

    def list(self) -> list[TakeSummary]:
        """All takes, newest first. Unreadable folders are skipped (see :attr:`warnings`)."""
        return self._list_in(self.root, use_index=True)

    def trash(self) -> list[TakeSummary]:
        """Deleted takes (restorable), newest first."""
        return self._list_in(self.trash_dir)

    def resolve_id(self, prefix: str, *, trash: bool = False) -> str:
        """The take id that ``prefix``, as a person typed it on the command line, names:
        an exact id, or a prefix of exactly one id. For the command line only: every
        other method takes exact ids and never matches a prefix.

        A typed complete id is never taken for another take: the library itself makes
        ``<id>-2`` (same second, same question) and ``<id>~2`` (trashed twice), so "X" does
        not match "X-2" or "X~2" — once X is deleted, "X" means nothing, not the next take.
        """
        base = self.trash_dir if trash else self.root
        prefix = (prefix or "").strip().rstrip("/")
        where = "trash" if trash else "library"
        hint = "rehearse takes trash" if trash else "rehearse takes list"
        if not prefix or "/" in prefix or prefix.startswith("."):
            raise TakeNotFoundError(f"{prefix!r} is not a take id; see `{hint}`")
        if (base / prefix).is_symlink():
            raise LibraryError(
                f"{base / prefix} is a symbolic link, not a take folder; Rehearse does not follow it "
                "(nothing was read or changed there)"
            )
        if (base / prefix).is_dir():
            return prefix
        started = sorted(p.name for p in self._folders(base) if p.name.startswith(prefix))
        names = [n for n in started if not _SUFFIX_ONLY.fullmatch(n[len(prefix):])]
        if not names:
            if not trash and (self.trash_dir / prefix).is_dir():
                raise TakeNotFoundError(
                    f"take {prefix!r} is in the trash; bring it back with `rehearse takes restore {prefix}`"
                )
            if started:
                shown = ", ".join(started[:5]) + (", ..." if len(started) > 5 else "")
                raise TakeNotFoundError(
                    f"no take {prefix!r} in the {where} ({base}); it is not the same take as {shown}: "
                    "type that full id if you mean it"
                )
            if not trash and any(p.name.startswith(prefix) for p in self._folders(self.trash_dir)):
                raise TakeNotFoundError(
                    f"take {prefix!r} is in the trash; see `rehearse takes trash` for its full id"
                )
            raise TakeNotFoundError(f"no take {prefix!r} in the {where} ({base}); see `{hint}`")
        if len(names) > 1:
            shown = ", ".join(names[:5]) + (", ..." if len(names) > 5 else "")
            raise TakeNotFoundError(f"{prefix!r} matches {len(names)} takes ({shown}); give more of the id")
        return names[0]

    def _exact(self, take_id: str, *, trash: bool = False) -> str:
        """``take_id`` itself, if that exact take exists (never a prefix match)."""
        base = self.trash_dir if trash else self.root
        name = take_id if isinstance(take_id, str) else ""
        if not name or "/" in name or name.startswith(".") or name in (IN_PROGRESS, TRASH):
            raise TakeNotFoundError(f"{take_id!r} is not a take id")
        if (base / name).is_symlink():
            raise LibraryError(
                f"{base / name} is a symbolic link, not a take folder; Rehearse does not follow it "
                "(nothing was read or changed there)"
            )
        if not (base / name).is_dir():
            where = "trash" if trash else "library"
            if not trash and (self.trash_dir / name).is_dir():
                raise TakeNotFoundError(
                    f"take {name!r} is in the trash; bring it back with `rehearse takes restore {name}`"
                )
            raise TakeNotFoundError(f"no take {name!r} in the {where} ({base}): it was deleted or moved")
        return name

    def get(self, take_id: str) -> Take:
        """The take with exactly this id (see :meth:`resolve_id` for typed prefixes)."""
        folder = self.root / self._exact(take_id)
        return self._load(folder)

    def _load(self, folder: Path) -> Take:
        try:
            raw = _read_json(folder / TAKE_JSON)
        except FileNotFoundError:
            raise LibraryError(f"{folder}: no take.json; this folder is not a readable take") from None
        except (OSError, ValueError) as exc:
            raise LibraryError(f"{_unreadable(folder / TAKE_JSON, exc)}; the take was left untouched") from None
        try:
            return _take_from_raw(raw, folder)
        except LibraryError as exc:
            raise LibraryError(f"{exc}; the take was left untouched") from None
        except Exception as exc:  # noqa: BLE001 - a damaged take is one line, never a traceback
            raise LibraryError(f"{folder / TAKE_JSON}: damaged ({_reason(exc)}); the take was left untouched") from None

    def load_report(self, take_id: str) -> dict | None:
        """The take's report.json, or None when it has none. A damaged one (unreadable,
        or not shaped like a report) raises LibraryError saying how to rebuild it."""
        take = self.get(take_id)
        try:
            data = _read_json(take.report_path)
        except FileNotFoundError:
            return None
        except (OSError, ValueError) as exc:
            raise LibraryError(f"{_unreadable(take.report_path, exc)}; rebuild it with `rehearse rescore {take.id}`") from None
        problem = report_problem(data)
        if problem:
            raise LibraryError(
                f"{take.report_path}: damaged ({problem}); rebuild it with `rehearse rescore {take.id}`"
            )
        return data

    def load_transcript(self, take_id: str) -> Transcript | None:
        take = self.get(take_id)
        if not take.transcript_path.is_file():
            return None
        return Transcript.load(take.transcript_path, require_words=False)

    # ---- writing metadata ---------------------------------------------------------------
    def _update_meta(self, folder: Path, **changes: Any) -> Take:
        """Rewrite take.json with ``changes``, keeping every field we do not know."""
        path = folder / TAKE_JSON
        try:
            raw = _read_json(path)
        except (OSError, ValueError) as exc:
            raise LibraryError(f"{path}: unreadable ({exc}); not changing it") from None
        if not isinstance(raw, dict):
            raise LibraryError(f"{path}: not a take; not changing it")
        _check_schema(raw, path)
        raw.update(changes)
        try:
            _write_json(path, raw)
        except OSError as exc:
            raise _os_error(exc, f"cannot write {path}") from None
        return _take_from_raw(raw, folder)

    def set_question(self, take_id: str, question: str | None) -> Take:
        question = (question or "").strip() or None
        with self.locked():
            folder = self.root / self._exact(take_id)
            return self._update_meta(folder, question=question)

    def set_competency(self, take_id: str, competency: str | None) -> Take:
        with self.locked():
            folder = self.root / self._exact(take_id)
            return self._update_meta(folder, competency=(competency or None))

    def save_transcript(self, take_id: str, transcript: Transcript) -> Take:
        with self.locked("save the transcript"):
            folder = self.root / self._exact(take_id)
            try:
                transcript.save(folder / TRANSCRIPT)
                os.chmod(folder / TRANSCRIPT, FILE_MODE)
            except OSError as exc:
                raise _os_error(exc, f"cannot write {folder / TRANSCRIPT}") from None
            return self._update_meta(folder, model=transcript.model)

    def save_report(self, take_id: str, report: Mapping[str, Any]) -> Take:
        with self.locked("save the report"):
            folder = self.root / self._exact(take_id)
            try:
                _write_json(folder / REPORT, dict(report), compact=True)
            except OSError as exc:
                raise _os_error(exc, f"cannot write {folder / REPORT}") from None
            return self._update_meta(folder, summary=summarize_report(report))

    # ---- new takes ----------------------------------------------------------------------
    def _id_taken(self, take_id: str) -> bool:
        return any((base / take_id).exists() for base in (self.root, self.in_progress_dir, self.trash_dir))

    def _new_id(self, when: datetime, question: str | None) -> str:
        base = f"{when.strftime(_ID_TIME)}-{slugify(question)}"
        take_id, n = base, 2
        while self._id_taken(take_id):
            take_id = f"{base}-{n}"
            n += 1
        return take_id

    def _initial_meta(self, take_id: str, created: datetime, question: str | None, competency: str | None) -> dict:
        return {
            "schema_version": SCHEMA_VERSION,
            "id": take_id,
            "question": (question or "").strip() or None,
            "competency": competency or None,
            "created": created.isoformat(),
            "duration": 0.0,
            "samplerate": None,
            "device": None,
            "model": None,
            "markers": [],
            "overflows": 0,
            "recovered": False,
        }

    def new_take(self, question: str | None = None, competency: str | None = None) -> tuple[str, Path]:
        """Reserve an id and an in-progress folder to record into (see recorder.capture.Recorder).

        The question is saved at once, so a take recovered after a crash keeps it.
        """
        with self.locked("start a new take"):
            created = _now()
            take_id = self._new_id(created, question)
            folder = self.in_progress_dir / take_id
            try:
                _mkdir_private(self.in_progress_dir)
                folder.mkdir(mode=DIR_MODE)
                _write_json(folder / TAKE_JSON, self._initial_meta(take_id, created, question, competency))
            except OSError as exc:
                raise _os_error(exc, f"cannot create a take in {self.in_progress_dir}") from None
            return take_id, folder

    def discard(self, take_id: str) -> None:
        """Throw away an in-progress take (the user cancelled the recording)."""
        with self.locked():
            folder = self.in_progress_dir / take_id
            if folder.is_dir():
                shutil.rmtree(folder, ignore_errors=True)

    def finish_take(self, take_id: str, *, recorder: Any = None) -> Take:
        """Turn a stopped in-progress take into a library take (audio.flac + take.json).

        ``recorder``: the stopped :class:`recorder.capture.Recorder`, released afterwards.
        """
        from recorder.capture import live_recorder

        if recorder is None:  # the recorder of this process that owns the folder, if any
            recorder = live_recorder(self.in_progress_dir / take_id)
        if recorder is not None and getattr(recorder, "recording", False):
            raise LibraryError(f"take {take_id}: stop the recorder before finishing the take")
        try:
            with self.locked("save the take"):
                folder = self.in_progress_dir / take_id
                if not folder.is_dir():
                    raise TakeNotFoundError(f"no take {take_id!r} being recorded in {self.in_progress_dir}")
                take = self._finalize(folder, recovered=False)
                if take is None:
                    raise LibraryError(f"take {take_id}: nothing was recorded (0 s of audio)")
        finally:
            if recorder is not None and hasattr(recorder, "release"):
                recorder.release()
        return take

    def _finalize(self, folder: Path, *, recovered: bool) -> Take | None:
        """In-progress folder -> library take. Returns None (folder removed) if it holds no audio."""
        meta_path = folder / TAKE_JSON
        try:
            meta = _read_json(meta_path)
            if not isinstance(meta, dict):
                raise ValueError("not a JSON object")
        except FileNotFoundError:
            meta = self._initial_meta(folder.name, _time_from_id(folder.name), None, None)
        except (OSError, ValueError) as exc:
            self._warn(f"{_unreadable(meta_path, exc)}; rebuilt its metadata")
            meta = self._initial_meta(folder.name, _time_from_id(folder.name), None, None)
        rec: dict[str, Any] = {}
        try:
            loaded = _read_json(folder / RECORDING_JSON)
            rec = loaded if isinstance(loaded, dict) else {}
        except FileNotFoundError:
            pass
        except (OSError, ValueError) as exc:
            self._warn(f"{_unreadable(folder / RECORDING_JSON, exc)}; assuming 16-bit mono at 48 kHz")
        raw = folder / RAW_AUDIO
        flac = folder / AUDIO
        rate, channels, overflows = _recording_format(rec, meta, folder)
        if raw.exists():
            try:
                frames = _pcm_to_flac(raw, flac, rate, channels)
            except Exception as exc:  # OSError, or libsndfile's own error on a full disk
                raise KeptTakeError(_kept_message(folder, exc, raw, rate, channels)) from None
        elif flac.exists():
            frames = _flac_frames(flac)
            if frames is None:
                raise LibraryError(f"{flac}: unreadable audio; the take was left in {folder}")
        else:
            frames = 0
        if frames == 0:
            shutil.rmtree(folder, ignore_errors=True)
            return None
        meta.update(
            schema_version=meta.get("schema_version") or SCHEMA_VERSION,
            id=folder.name,
            duration=round(frames / rate, 3),
            samplerate=rate,
            device=rec.get("device", meta.get("device")),
            markers=rec.get("markers", meta.get("markers") or []),
            overflows=overflows,
            recovered=bool(recovered or meta.get("recovered")),
        )
        if rec.get("error"):
            meta["recording_error"] = rec["error"]
        try:
            _write_json(meta_path, meta)
            for name in (RAW_AUDIO, RECORDING_JSON, TAKE_LOCK):
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(folder / name)
            _remove_temp_files(folder)
            dest = self.root / folder.name
            if dest.exists():  # never overwrite: find a free id
                n = 2
                while (self.root / f"{folder.name}-{n}").exists():
                    n += 1
                dest = self.root / f"{folder.name}-{n}"
                meta["id"] = dest.name
                _write_json(meta_path, meta)
            os.rename(folder, dest)
            _fsync_dir(self.root)
        except OSError as exc:
            raise _os_error(exc, f"cannot save the take {folder.name} (it is kept in {folder})") from None
        return _take_from_raw(meta, dest)

    # ---- crash recovery -----------------------------------------------------------------
    def has_unfinished(self) -> bool:
        """Cheap check (one directory read) used at every start of `rehearse`."""
        return has_unfinished(self.root)

    def recover_unfinished(self) -> list[Take]:
        """Turn takes left in progress by a crashed/killed rehearse into normal takes (marked
        recovered). Takes still being recorded (by this or another process) are left alone."""
        if not self.has_unfinished():
            return []
        from recorder.capture import folder_is_live

        if self.read_only():
            self._warn(f"unfinished recordings in {self.in_progress_dir} are not recovered while the take "
                       f"library is read-only (make it writable: chmod u+w {self.root})")
            return []
        recovered = []
        with self.locked("check for unfinished recordings"):
            for folder in sorted(self._folders(self.in_progress_dir)):
                try:  # each folder on its own: a bad one never stops the others' recovery
                    if folder_is_live(folder):
                        continue
                    _remove_temp_files(folder)  # e.g. the .audio.flac.tmp of an interrupted import
                    if not any((folder / n).exists() for n in (RAW_AUDIO, AUDIO)) and _age(folder) < STALE_EMPTY_S:
                        continue  # just created by new_take(); its recorder may be about to start
                    take = self._finalize(folder, recovered=True)
                except Exception as exc:  # noqa: BLE001
                    self._warn(f"could not recover the unfinished recording {folder.name}: {_reason(exc)}")
                    continue
                if take is not None:
                    recovered.append(take)
        return recovered

    def needs_cleanup(self) -> bool:
        """Cheap (one stat): did a process die while changing the library?"""
        return (self.root / WRITING).exists()

    def clean_leftovers(self) -> int:
        """Delete the temp files that a process killed mid-write left in take folders and
        in the trash (only temp files: a take's own files are never touched). Returns how
        many. Run at the start when :meth:`needs_cleanup` says so."""
        if not self.needs_cleanup():
            return 0
        removed = 0
        with contextlib.ExitStack() as stack:
            try:
                stack.enter_context(self.locked("clean up after an interrupted write", wait=False))
            except LibraryBusyError:
                return 0  # another Rehearse holds the lock: it is alive, its temp files are its own
            # nobody else is writing now; our own marker is back, see below
            for base in (self.root, self.trash_dir):
                for folder in self._folders(base):
                    removed += _remove_temp_files(folder)
            removed += _remove_temp_files(self.root, min_age=LEFTOVER_AGE_S)  # the index: written unlocked
        return removed

    # ---- trash --------------------------------------------------------------------------
    def delete(self, take_id: str) -> Path:
        """Move a take to the trash (restorable with :meth:`restore`). Returns its new folder."""
        with self.locked("move the take to the trash"):
            take_id = self._exact(take_id)
            src = self.root / take_id
            try:
                _mkdir_private(self.trash_dir)
                dest = self.trash_dir / take_id
                n = 2
                while dest.exists():
                    dest = self.trash_dir / f"{take_id}~{n}"
                    n += 1
                os.rename(src, dest)
                with contextlib.suppress(LibraryError):
                    self._update_meta(dest, trashed=_now().isoformat())
            except OSError as exc:
                raise _os_error(exc, f"cannot move take {take_id} to the trash") from None
            return dest

    def restore(self, take_id: str) -> Take:
        """Bring a take back from the trash."""
        with self.locked():
            name = self._exact(take_id, trash=True)
            src = self.trash_dir / name
            target = name.split("~", 1)[0]
            dest = self.root / target
            if dest.exists():
                raise LibraryError(f"cannot restore {name}: a take {target} already exists in {self.root}")
            try:
                os.rename(src, dest)
            except OSError as exc:
                raise _os_error(exc, f"cannot restore take {name}") from None
            with contextlib.suppress(LibraryError):
                path = dest / TAKE_JSON
                raw = _read_json(path)
                if isinstance(raw, dict) and "trashed" in raw:
                    raw.pop("trashed")
                    _write_json(path, raw)
            return self._load(dest)

    def purge(self, take_id: str) -> str:
        """Delete a take from the trash for good (only from the trash). Returns its name."""
        with self.locked():
            name = self._exact(take_id, trash=True)
            try:
                shutil.rmtree(self.trash_dir / name)
            except OSError as exc:
                raise _os_error(exc, f"cannot delete {self.trash_dir / name}") from None
            return name

    def empty_trash(self) -> list[str]:
        """Delete every take in the trash for good. Returns their names."""
        with self.locked():
            return [self.purge(p.name) for p in sorted(self._folders(self.trash_dir))]

    # ---- import / export ----------------------------------------------------------------
    def import_audio(
        self, path: str | os.PathLike[str], question: str | None = None, competency: str | None = None
    ) -> Take:
        """Import an audio file (any format libsndfile or FFmpeg reads) as a new take:
        converted to FLAC, mixed down to mono, at the file's own sample rate."""
        src = Path(path).expanduser()
        if not src.is_file():
            raise LibraryError(f"{src}: no such audio file")
        take_id, folder = self.new_take(question, competency)
        try:
            with _folder_busy(folder):  # a start meanwhile leaves its temp file alone
                rate, frames = _import_to_flac(src, folder / AUDIO)
        except BaseException:
            self.discard(take_id)
            raise
        with self.locked():
            self._update_meta(folder, source=src.name, samplerate=rate, device=None)
            take = self._finalize(folder, recovered=False)
        if take is None:
            raise LibraryError(f"{src}: the file holds no audio (0 samples)")
        return take

    def export(self, take_id: str, fmt: str, dest: str | os.PathLike[str] | None = None) -> str | Path:
        """Export a take: "md" (Markdown report), "json" (metadata + transcript + report),
        "csv" (a header and one row), "audio" (a copy of audio.flac; "wav" converts).
        Without ``dest`` returns the text (md/json/csv); with it writes the file (never
        replacing an existing one) and returns its path."""
        from recorder import export as ex

        take = self.get(take_id)
        fmt = fmt.lower()
        if fmt in ("audio", "flac", "wav"):
            if dest is None:
                raise LibraryError("exporting audio needs an output file (-o FILE)")
            return ex.export_audio(take, Path(dest), wav=(fmt == "wav" or str(dest).lower().endswith(".wav")))
        report = self.load_report(take.id)
        try:
            transcript = self.load_transcript(take.id)
        except RehearseError:
            transcript = None
        if fmt in ("md", "markdown"):
            text = format_guard(take.id, take.report_path, lambda: ex.to_markdown(take, report, transcript))
        elif fmt == "json":
            text = format_guard(take.id, take.report_path, lambda: ex.to_json(take, report, transcript))
        elif fmt == "csv":
            text = format_guard(take.id, take.report_path, lambda: ex.to_csv([(take, report)]))
        else:
            raise LibraryError(f"unknown export format {fmt!r}; use md, json, csv or audio")
        if dest is None:
            return text
        return ex.write_new(Path(dest), text)

    # ---- the bundled sample -------------------------------------------------------------
    def ensure_sample(self, sample_dir: str | os.PathLike[str] | None = None) -> Take | None:
        """On first run, copy the bundled example take into the library (once: if the user
        deletes it, it stays deleted). Returns the new take, or None. (Scored, when it
        comes without a report, by recorder.workflow.Workflow.install_sample.)"""
        mark = self.root / SAMPLE_MARK
        if mark.exists() or self.read_only():
            return None
        src = Path(sample_dir) if sample_dir is not None else bundled_sample_dir()
        audio = _first(src, "*.flac") if src is not None and src.is_dir() else None
        if audio is None:
            return None
        stem = audio.name[: -len(".flac")]
        transcript_src = src / f"{stem}.transcript.json"
        report_src = src / f"{stem}.report.json"
        meta_src = src / f"{stem}.take.json"
        with self.locked():
            if mark.exists():
                return None
            extra: dict[str, Any] = {}
            if meta_src.is_file():
                with contextlib.suppress(OSError, ValueError):
                    loaded = _read_json(meta_src)
                    extra = loaded if isinstance(loaded, dict) else {}
            question = extra.get("question") or "Tell me about a time you solved a difficult problem. (example take)"
            take_id, folder = self.new_take(question, extra.get("competency"))
            try:
                shutil.copyfile(audio, folder / AUDIO)
                os.chmod(folder / AUDIO, FILE_MODE)
                rate = _flac_rate(folder / AUDIO)
                changes: dict[str, Any] = {"sample": True, "source": audio.name, "samplerate": rate}
                if _parse_time(extra.get("created")):
                    changes["created"] = extra["created"]  # sorts below the user's own takes
                if transcript_src.is_file():
                    t = Transcript.load(transcript_src, require_words=False)
                    t.save(folder / TRANSCRIPT)
                    changes["model"] = t.model
                    if t.markers:
                        changes["markers"] = [m.to_dict() for m in t.markers]
                if report_src.is_file():
                    report = _read_json(report_src)
                    _write_json(folder / REPORT, report, compact=True)
                    changes["summary"] = summarize_report(report)
                self._update_meta(folder, **changes)
                take = self._finalize(folder, recovered=False)
            except (OSError, ValueError) as exc:
                self.discard(take_id)
                self._warn(f"could not install the example take from {src}: {exc}")
                return None
            except Exception:
                self.discard(take_id)
                raise
            atomic_write_text(mark, (take.id if take else "") + "\n", mode=FILE_MODE)
            return take


def bundled_sample_dir() -> Path | None:
    """The example take's folder: recorder/sample/ in an installed package (the wheel
    ships it there), else sample_audio/ of a source checkout; None when neither exists."""
    here = Path(__file__).resolve().parent
    for folder in (here / "sample", here.parent / "sample_audio"):
        if folder.is_dir():
            return folder
    return None


def _first(folder: Path, pattern: str) -> Path | None:
    found = sorted(folder.glob(pattern))
    return found[0] if found else None


def _num(v: Any) -> float | None:
    return float(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else None


def _int(v: Any) -> int | None:
    return int(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else None


def _sort_key(created: str) -> float:
    dt = _parse_time(created)
    return dt.timestamp() if dt else 0.0


STALE_EMPTY_S = 600.0


def _age(folder: Path) -> float:
    try:
        return time.time() - folder.stat().st_mtime
    except OSError:
        return 0.0


def _time_from_id(take_id: str) -> datetime:
    try:
        return datetime.strptime(take_id[:15], _ID_TIME).astimezone()
    except ValueError:
        return _now()


# ---------------------------------------------------------------------------------------
# Audio conversions (numpy/soundfile imported lazily)

_CHUNK_FRAMES = 1 << 18


def _pcm_to_flac(raw: Path, flac: Path, rate: int, channels: int) -> int:
    """Encode the raw 16-bit PCM a recorder wrote into FLAC (temp + rename). Returns frames.
    A torn last frame (the process was killed mid-write) is dropped."""
    import numpy as np
    import soundfile as sf

    frame_bytes = 2 * channels
    size = raw.stat().st_size
    frames = size // frame_bytes
    if frames == 0:
        return 0
    tmp = flac.with_name(f".{flac.name}.tmp")
    try:
        with open(raw, "rb") as src, sf.SoundFile(
            tmp, "w", samplerate=rate, channels=channels, format="FLAC", subtype="PCM_16"
        ) as out:
            left = frames
            while left:
                n = min(left, _CHUNK_FRAMES)
                data = np.frombuffer(src.read(n * frame_bytes), dtype="<i2")
                got = len(data) // channels
                if got == 0:
                    break
                out.write(data[: got * channels].reshape(got, channels))
                left -= got
        os.chmod(tmp, FILE_MODE)
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, flac)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return frames - left


def _flac_frames(path: Path) -> int | None:
    import soundfile as sf

    try:
        return sf.info(str(path)).frames
    except Exception:
        return None


def _flac_rate(path: Path) -> int | None:
    import soundfile as sf

    try:
        return int(sf.info(str(path)).samplerate)
    except Exception:
        return None


_MPEG_SUFFIXES = (".mp3", ".mp2", ".mp1", ".mpga")  # as analysis.transcribe.MPEG_SUFFIXES: FFmpeg decodes them


def _import_to_flac(src: Path, dest: Path) -> tuple[int, int]:
    """Any audio file -> mono FLAC at its own rate. Tries libsndfile, then FFmpeg (PyAV)."""
    import numpy as np
    import soundfile as sf

    tmp = dest.with_name(f".{dest.name}.tmp")
    try:
        info = None
        if src.suffix.lower() not in _MPEG_SUFFIXES:  # libsndfile's libmpg123 prints "Note:" lines
            with contextlib.suppress(Exception):
                info = sf.info(str(src))
        if info is not None and info.frames != 0:
            subtype = "PCM_24" if info.subtype in ("PCM_24", "PCM_32", "FLOAT", "DOUBLE") else "PCM_16"
            frames = 0
            with sf.SoundFile(str(src)) as f, sf.SoundFile(
                tmp, "w", samplerate=f.samplerate, channels=1, format="FLAC", subtype=subtype
            ) as out:
                for block in f.blocks(blocksize=_CHUNK_FRAMES, dtype="float32", always_2d=True):
                    mono = block.mean(axis=1) if block.shape[1] > 1 else block[:, 0]
                    out.write(np.clip(mono, -1.0, 1.0))
                    frames += len(mono)
            rate = int(info.samplerate)
        else:
            rate, audio = _decode_with_ffmpeg(src)
            frames = len(audio)
            if frames == 0:
                raise LibraryError(f"{src}: the file holds no audio")
            sf.write(tmp, np.clip(audio, -1.0, 1.0), rate, format="FLAC", subtype="PCM_16")
        os.chmod(tmp, FILE_MODE)
        os.replace(tmp, dest)
        return rate, frames
    except OSError as exc:
        raise _os_error(exc, f"cannot import {src}") from None
    except sf.LibsndfileError as exc:  # libsndfile's own error, e.g. writing to a full disk
        if _disk_full(dest.parent):
            raise LibraryError(f"cannot import {src}: the disk is full; free some space and try again") from None
        raise LibraryError(f"cannot import {src}: {exc.error_string or exc}") from None
    finally:
        with contextlib.suppress(OSError):
            os.unlink(tmp)


def _decode_with_ffmpeg(src: Path):
    from analysis.privacy import disable_telemetry

    disable_telemetry()  # faster_whisper's import loads huggingface_hub
    try:
        import av
        from faster_whisper.audio import decode_audio
    except ImportError:  # pragma: no cover - faster-whisper is a dependency
        raise LibraryError(f"{src}: not an audio format this installation can read") from None
    try:
        with av.open(str(src)) as container:
            if not container.streams.audio:
                raise LibraryError(f"{src}: has no audio stream")
            rate = int(container.streams.audio[0].rate or 16000)
        return rate, decode_audio(str(src), sampling_rate=rate)
    except LibraryError:
        raise
    except Exception as exc:
        # FFmpeg's errors carry an errno ("[Errno 1094995529] Invalid data found ...: 'x.mp3'"):
        # show only its words
        msg = getattr(exc, "strerror", None) or (str(exc).splitlines() or [""])[0] or type(exc).__name__
        msg = re.sub(r"^\[Errno -?\d+\]\s*", "", str(msg))
        msg = re.sub(r":\s*'.*?'$", "", msg)[:120]
        raise LibraryError(f"{src}: not an audio file Rehearse can read ({msg})") from None


def _say_on_stderr(message: str) -> None:
    with contextlib.suppress(Exception):
        print(f"rehearse: {message}", file=sys.stderr, flush=True)


def print_warnings(lib: Library, stream=None) -> None:
    for w in lib.warnings:
        print(f"rehearse: warning: {w}", file=stream or sys.stderr)
