"""Where a take's files live, what they are called, and the file-system helpers of the
take store (DESIGN.md, "A take on disk"). Imports nothing of the rest of Rehearse but
the error types, so recorder.capture can take its file names from here.

```
<takes>/                       locations.takes_dir() (REHEARSE_HOME/takes when set), 0700
  <YYYYmmdd-HHMMSS>-<slug>/    one take, 0700; its id is the folder name
    take.json                  metadata + a small summary of the report (for fast listing)
    audio.flac                 the recording: mono, at the device's rate
    transcript.json            words with times (analysis.transcript)
    report.json                the analysis (recomputable from transcript.json)
  .in-progress/<id>/           a take being recorded (raw PCM written as it arrives)
  .trash/<id>/                 deleted takes, restorable with `rehearse takes restore`
  .lock                        locked (filelock) around every change, so two running
                               instances never interleave writes
```
"""

from __future__ import annotations

import errno
import os
import re
import stat
import time
import unicodedata
from datetime import datetime
from pathlib import Path

from recorder.errors import LibraryError
from recorder.unfinished import IN_PROGRESS as IN_PROGRESS  # takes/<IN_PROGRESS>/<id>/: being recorded

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


def _parse_time(s: str | None) -> datetime | None:
    if not s:
        return None
    try:
        dt = datetime.fromisoformat(s)
    except ValueError:
        return None
    return dt if dt.tzinfo else dt.astimezone()


def _sort_key(created: str) -> float:
    dt = _parse_time(created)
    return dt.timestamp() if dt else 0.0


def _time_from_id(take_id: str) -> datetime:
    try:
        return datetime.strptime(take_id[:15], _ID_TIME).astimezone()
    except ValueError:
        return _now()


STALE_EMPTY_S = 600.0


def _age(folder: Path) -> float:
    try:
        return time.time() - folder.stat().st_mtime
    except OSError:
        return 0.0


# Temp files of an atomic write (analysis.transcript.atomic_path: ".<name>.<random>.tmp"; the
# audio conversions of earlier versions: ".audio.flac.tmp"): what a kill mid-write leaves behind.
_TEMP_FILE = re.compile(
    r"\.(?:take\.json|transcript\.json|report\.json|recording\.json|audio\.flac|"
    r"index\.json|sample-installed)\.(?:[A-Za-z0-9_]+\.)?tmp"
)


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


def fsync_dir(path: Path) -> None:
    """fsync() a folder, so that a rename into it survives a power cut (best effort)."""
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


def _disk_full(folder: Path, exc: BaseException | None = None) -> bool:
    if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return True
    try:
        st = os.statvfs(folder)
    except OSError:
        return False
    return st.f_bavail * st.f_frsize < 1 << 20  # under 1 MiB left: nothing useful fits


def _os_error(exc: OSError, what: str) -> LibraryError:
    if exc.errno == errno.ENOSPC:
        return LibraryError(f"{what}: the disk is full; free some space and try again")
    if exc.errno in (errno.EACCES, errno.EPERM):
        return LibraryError(f"{what}: permission denied ({exc.filename or ''})")
    return LibraryError(f"{what}: {exc.strerror or exc}")


def bundled_sample_dir() -> Path | None:
    """The example take's folder: recorder/sample/ in an installed package (the wheel
    ships it there), else sample_audio/ of a source checkout; None when neither exists."""
    here = Path(__file__).resolve().parent.parent  # recorder/
    for folder in (here / "sample", here.parent / "sample_audio"):
        if folder.is_dir():
            return folder
    return None


def _first(folder: Path, pattern: str) -> Path | None:
    found = sorted(folder.glob(pattern))
    return found[0] if found else None
