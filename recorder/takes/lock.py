"""The locks of the take store. The library lock: ``<takes>/.lock`` through the
`filelock` package (flock() underneath), held by one thread of a process at a time and
re-entrant within that thread (see Library.locked); a ``.writing`` marker exists while
it is held. The take lock: ``.take.lock`` in an in-progress folder, held while a
process records or converts into it (:func:`folder_is_live` reads it)."""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from recorder.takes.layout import FILE_MODE, TAKE_LOCK, WRITING


@contextlib.contextmanager
def _folder_busy(folder: Path) -> Iterator[None]:
    """Hold the in-progress folder's .take.lock (as a recorder does), so that
    :func:`folder_is_live` reports it busy to other processes."""
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


# Folders being recorded by this process (flock conflicts between fds of one process):
# a recorder claims its folder while it holds the folder's .take.lock.
_LIVE: dict[str, Any] = {}
_LIVE_GUARD = threading.Lock()


def claim(folder: Path, recorder: Any) -> None:
    """``recorder`` (recorder.capture.Recorder) records into ``folder`` now."""
    with _LIVE_GUARD:
        _LIVE[str(folder.resolve())] = recorder


def unclaim(folder: Path) -> None:
    with _LIVE_GUARD:
        _LIVE.pop(str(folder.resolve()), None)


def live_recorder(folder: str | os.PathLike[str]) -> Any:
    """The recorder of this process that owns ``folder``, if any."""
    with _LIVE_GUARD:
        return _LIVE.get(str(Path(folder).resolve()))


def folder_is_live(folder: str | os.PathLike[str]) -> bool:
    """True while some process (this one or another) is recording into ``folder``."""
    import fcntl

    folder = Path(folder)
    with _LIVE_GUARD:
        if str(folder.resolve()) in _LIVE:
            return True
    lock = folder / TAKE_LOCK
    try:
        fd = os.open(lock, os.O_RDWR)
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    except OSError:
        return False
    finally:
        os.close(fd)  # closing drops our lock if we got it
    return False
