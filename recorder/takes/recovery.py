"""In-progress folders become takes: right after a recording (Library.finish_take), or
at the next start after a crash or a kill (recover_unfinished), and the temp files an
interrupted write left are cleaned (clean_leftovers). A folder that cannot be turned
into a take is left as it is, and the message says where and how to get it back."""

# pyright: reportAttributeAccessIssue=false
# (a mixin of recorder.takes.store.Library: the attributes it uses are the Library's own)
from __future__ import annotations

import contextlib
import os
import shutil
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from recorder.errors import KeptTakeError, LibraryBusyError, LibraryError
from recorder.takes.convert import _flac_frames, _pcm_to_flac
from recorder.takes.layout import (
    AUDIO,
    LEFTOVER_AGE_S,
    RAW_AUDIO,
    RECORDING_JSON,
    SCHEMA_VERSION,
    STALE_EMPTY_S,
    TAKE_JSON,
    TAKE_LOCK,
    WRITING,
    _age,
    _disk_full,
    _os_error,
    _remove_temp_files,
    _time_from_id,
    fsync_dir,
)
from recorder.takes.lock import folder_is_live
from recorder.takes.records import (
    MAX_SAMPLERATE,
    Take,
    _Bad,
    _count,
    _read_json,
    _reason,
    _short,
    _take_from_raw,
    _unreadable,
    _write_json,
)
from recorder.unfinished import has_unfinished


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


class _Recovery:
    """Library's part that turns in-progress folders into takes (mixed into Library)."""

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
            fsync_dir(self.root)
        except OSError as exc:
            raise _os_error(exc, f"cannot save the take {folder.name} (it is kept in {folder})") from None
        return _take_from_raw(meta, dest)

    def has_unfinished(self) -> bool:
        """Cheap check (one directory read) used at every start of `rehearse`."""
        return has_unfinished(self.root)

    def recover_unfinished(self) -> list[Take]:
        """Turn takes left in progress by a crashed/killed rehearse into normal takes (marked
        recovered). Takes still being recorded (by this or another process) are left alone."""
        if not self.has_unfinished():
            return []
        if self.read_only():
            self._warn(
                f"unfinished recordings in {self.in_progress_dir} are not recovered while the take "
                f"library is read-only (make it writable: chmod u+w {self.root})"
            )
            return []
        recovered = []
        with self.locked("check for unfinished recordings"):
            for folder in sorted(self._folders(self.in_progress_dir)):
                try:  # each folder on its own: a bad one never stops the others' recovery
                    if folder_is_live(folder):
                        continue
                    _remove_temp_files(folder)  # e.g. the audio.flac temp file of an interrupted import
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
