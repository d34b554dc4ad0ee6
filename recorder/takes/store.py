"""The take store: every recorded answer as a folder on disk (layout: recorder.takes.layout).

Rules: every file is written atomically (temp file + rename) with mode 0600; folders are
0700 (recordings are personal). A take that cannot be read is skipped with a warning in
:attr:`Library.warnings` and never deleted or rewritten. Nothing the user recorded is
ever overwritten: ids are unique, exports refuse to replace existing files, and deleting
moves a take to the trash. Persistence only: the use cases (record, transcribe, score)
are recorder.workflow's.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import stat
from collections.abc import Callable, Iterator, Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

from analysis.transcript import Transcript
from recorder.errors import LibraryBusyError, LibraryError, LibraryReadOnlyError, TakeNotFoundError
from recorder.takes import layout
from recorder.takes.arrivals import _Arrivals
from recorder.takes.index import _summary_from_dict, _summary_to_dict, read_index, write_index
from recorder.takes.layout import (
    _ID_TIME,
    _SUFFIX_ONLY,
    DIR_MODE,
    FILE_MODE,
    IN_PROGRESS,
    LOCK,
    REPORT,
    SCHEMA_VERSION,
    TAKE_JSON,
    TRANSCRIPT,
    TRASH,
    WRITING,
    _mkdir_private,
    _os_error,
    _sort_key,
    slugify,
)
from recorder.takes.lock import _mark_writing, _root_lock, live_recorder
from recorder.takes.records import (
    Take,
    TakeSummary,
    _check_schema,
    _clean_summary,
    _read_json,
    _reason,
    _take_from_raw,
    _unreadable,
    _write_json,
    report_problem,
    summarize_report,
)
from recorder.takes.recovery import _Recovery
from recorder.takes.trash import _Trash


class Library(_Recovery, _Trash, _Arrivals):
    """The takes under ``root`` (default: ``analysis.locations.takes_dir()``)."""

    def __init__(self, root: str | os.PathLike[str] | None = None, *, lock_timeout: float = 15.0):
        if root is None:
            from analysis.locations import takes_dir

            root = takes_dir()
        self.root = Path(root).expanduser()
        self.lock_timeout = lock_timeout
        self.warnings: list[str] = []
        self.on_wait: Callable[[str], None] | None = None
        """Told at once, in one line, when another Rehearse holds the library lock and
        this one has to wait (None: silent; the commands print it, the app notifies)."""

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
                self._warn(
                    f"skipped {e.path}: a symbolic link, not a take folder; Rehearse does not follow it "
                    "(left untouched)"
                )
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
        index = read_index(self.root) if use_index else {}
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
        if use_index and fresh != index and not self.read_only():
            write_index(self.root, fresh)
        out.sort(key=lambda t: (_sort_key(t.created), t.id), reverse=True)
        return out

    def list(self) -> list[TakeSummary]:
        """All takes, newest first. Unreadable folders are skipped (see :attr:`warnings`)."""
        return self._list_in(self.root, use_index=True)

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
        names = [n for n in started if not _SUFFIX_ONLY.fullmatch(n[len(prefix) :])]
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
                raise TakeNotFoundError(f"take {prefix!r} is in the trash; see `rehearse takes trash` for its full id")
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
            raise LibraryError(
                f"{_unreadable(take.report_path, exc)}; rebuild it with `rehearse rescore {take.id}`"
            ) from None
        problem = report_problem(data)
        if problem:
            raise LibraryError(f"{take.report_path}: damaged ({problem}); rebuild it with `rehearse rescore {take.id}`")
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
            created = layout._now()
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
