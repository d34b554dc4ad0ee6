"""What a take's files hold, read defensively: the Take and TakeSummary records, the
checks of take.json and report.json (one bad field is one line naming the file, never a
traceback), and JSON reading/writing with the store's modes.

``take.json`` carries a ``schema_version`` "MAJOR.MINOR": newer minor versions load
(unknown fields are kept, also when the file is rewritten); a newer major version is
skipped with a warning.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from analysis import jsonfile
from analysis.errors import RehearseError
from analysis.transcript import MAX_SECONDS, STAR_LABELS, Marker, atomic_write_text
from recorder.errors import LibraryError
from recorder.takes.layout import (
    AUDIO,
    FILE_MODE,
    MAX_SAMPLERATE,
    REPORT,
    SCHEMA_VERSION,
    SUPPORTED_MAJOR,
    TAKE_JSON,
    TRANSCRIPT,
)


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
            # an opening result hook is a second Result section: its time is Result time
            shares[s["label"]] = shares.get(s["label"], 0.0) + float(s["share"])
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
    "schema_version",
    "id",
    "question",
    "created",
    "duration",
    "device",
    "model",
    "markers",
    "overflows",
    "recovered",
    "competency",
    "samplerate",
    "source",
    "sample",
    "summary",
}


def _read_json(path: Path) -> Any:
    """Parse a JSON file. Bad content (malformed, not UTF-8, nested too deeply, numbers
    with thousands of digits) raises :class:`analysis.jsonfile.JSONFileError`, a
    ValueError whose text is one line naming the file."""
    return jsonfile.load(path)


def _unreadable(path: Path, exc: BaseException) -> str:
    """ "<path>: unreadable (<why>)" in one line, for any error reading a JSON file."""
    if isinstance(exc, jsonfile.JSONFileError):
        text = str(exc)
        return f"{path}: unreadable ({text[len(str(path)) + 2 :] if text.startswith(f'{path}: ') else text})"
    why = exc.strerror if isinstance(exc, OSError) and exc.strerror else (str(exc).splitlines() or [""])[0]
    return f"{path}: unreadable ({why[:160] or type(exc).__name__})"


def _write_json(path: Path, data: Any, compact: bool = False) -> None:
    """Atomically. ``compact``: one line, for large machine-written files (a report):
    json's C encoder then does the work, 5-10x faster than the indenting one, which is
    a large part of re-scoring a library. (`rehearse takes export ID -f json` or any JSON
    viewer lays it out for reading.)"""
    text = (
        json.dumps(data, ensure_ascii=False, separators=(",", ":"))
        if compact
        else json.dumps(data, indent=1, ensure_ascii=False)
    )
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
    for outer, inner in (
        ("star", "sections"),
        ("star", "missing"),
        ("fillers", "items"),
        ("pauses", "items"),
        ("pace", "timeline"),
        ("content", "balance"),
        ("hesitations", "items"),
    ):
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
    for outer, inner in (
        ("content", "length"),
        ("content", "ownership"),
        ("fillers", "by_text"),
        ("fillers", "by_kind"),
        ("star", "targets"),
    ):
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
        raise LibraryError(f"{where}: written by a newer Rehearse (take schema {version}); upgrade Rehearse to open it")
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
    raw_summary = raw.get("summary")
    summary: dict[str, Any] = raw_summary if isinstance(raw_summary, dict) else {}
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
        and (
            shares_raw is None
            or (
                type(shares_raw) is dict
                and all(k in STAR_LABELS and type(v) in _NUMBER and 0 <= v <= 1 for k, v in shares_raw.items())
            )
        )
        and (missing_raw is None or (type(missing_raw) is list and all(m in STAR_LABELS for m in missing_raw)))
    ):
        return {
            "words": words,
            "wpm": wpm,
            "fillers": fillers,
            "fillers_per_minute": fpm,
            "star_shares": shares_raw or {},
            "star_missing": missing_raw or [],
        }, []
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
