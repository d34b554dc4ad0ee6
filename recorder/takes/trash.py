"""The trash (``<takes>/.trash/``): deleting moves a take there, restorable; only a
purge removes it for good, and only from the trash."""

# pyright: reportAttributeAccessIssue=false
# (a mixin of recorder.takes.store.Library: the attributes it uses are the Library's own)
from __future__ import annotations

import contextlib
import os
import shutil
from pathlib import Path

from recorder.errors import LibraryError
from recorder.takes import layout
from recorder.takes.layout import TAKE_JSON, _mkdir_private, _os_error
from recorder.takes.records import Take, TakeSummary, _read_json, _write_json


class _Trash:
    """Library's part that handles deleted takes (mixed into Library)."""

    def trash(self) -> list[TakeSummary]:
        """Deleted takes (restorable), newest first."""
        return self._list_in(self.trash_dir)

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
                    self._update_meta(dest, trashed=layout._now().isoformat())
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
