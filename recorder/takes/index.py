"""The list index (``<takes>/.index.json``): a cache of each take's summary, valid while
its take.json is the same file (inode, mtime, size) and report.json's presence is
unchanged. Rebuilt whenever stale; a missing or damaged index only costs time."""

from __future__ import annotations

import contextlib
import json
from pathlib import Path
from typing import Any

from analysis import jsonfile
from analysis.transcript import MAX_SECONDS, atomic_write_text
from recorder.takes.layout import FILE_MODE, INDEX, INDEX_VERSION
from recorder.takes.records import _NUMBER, TakeSummary, _clean_summary

_SUMMARY_FIELDS = (
    "id",
    "question",
    "created",
    "duration",
    "wpm",
    "fillers_per_minute",
    "fillers",
    "words",
    "star_shares",
    "star_missing",
    "competency",
    "recovered",
    "sample",
    "model",
    "has_report",
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


def read_index(root: Path) -> dict[str, Any]:
    """The cached summaries by take id ({} when there is no usable index)."""
    try:
        with open(root / INDEX, encoding="utf-8") as fh:
            data = jsonfile.loads(fh.read(), root / INDEX)
    except (OSError, ValueError):  # JSONFileError too: a damaged index is only rebuilt
        return {}
    if not isinstance(data, dict) or data.get("version") != INDEX_VERSION:
        return {}
    takes = data.get("takes")
    return takes if isinstance(takes, dict) else {}


def write_index(root: Path, takes: dict[str, Any]) -> None:
    """Replace the index (best effort: a library that cannot be written lists, just slower)."""
    if not root.is_dir():
        return
    with contextlib.suppress(OSError):  # a read-only library still lists, just slower
        atomic_write_text(root / INDEX, json.dumps({"version": INDEX_VERSION, "takes": takes}), FILE_MODE)
