"""The transcript: words with times, as Whisper gives them (DESIGN.md, "Data contracts").

```json
{"language": "en", "duration": 123.4, "model": "base.en",
 "words": [{"text": " So,", "start": 0.32, "end": 0.58, "probability": 0.93}],
 "hesitations": [{"start": 12.1, "end": 12.6}],
 "markers": [{"label": "action", "time": 41.0}]}
```

``text`` keeps Whisper's form (leading space, punctuation attached); input may also be
unpunctuated lower-case caption text. Loading validates everything and raises
:class:`TranscriptError` with one line naming the file and the problem.
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import tempfile
from collections.abc import Callable, Generator, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol, TypeVar

from analysis.errors import RehearseError
from analysis.wordforms import normalize  # noqa: F401  (re-exported: the one normaliser)

SCHEMA_KEYS = ("language", "duration", "model", "words", "hesitations", "markers")
STAR_LABELS = ("situation", "task", "action", "result")
STAR_NAMES = {label: label.capitalize() for label in STAR_LABELS}  # "Situation", as shown
STAR_LETTERS = {label: label[0].upper() for label in STAR_LABELS}  # "S", as on the STAR bar

# The longest answer a transcript may describe: times beyond it are a damaged or
# hand-made file (a per-time-window structure over them would be unbounded).
MAX_SECONDS = 24 * 3600.0

# Tolerance for times that go backwards: Whisper's word timestamps can overlap their
# neighbour by a few hundredths of a second; anything larger is a broken transcript.
_BACKWARDS_TOLERANCE = 0.05

_FAST_NUMBER = (float, int)

JSONValue = dict[str, Any] | list[Any] | str | int | float | bool | None
"""A value parsed from JSON, one level deep (what the validation below checks, step by step)."""
Fail = Callable[[str], "TranscriptError"]
"""Builds the error for one problem ("<source>: <problem>")."""


class TranscriptError(RehearseError, ValueError):
    """A transcript that cannot be used. ``str()`` is one line naming the file."""


@dataclass(frozen=True)
class Word:
    text: str
    start: float
    end: float
    probability: float = 1.0

    @property
    def norm(self) -> str:
        return normalize(self.text)

    @property
    def duration(self) -> float:
        return self.end - self.start

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "start": round(self.start, 3),
            "end": round(self.end, 3),
            "probability": round(self.probability, 4),
        }


@dataclass(frozen=True)
class Span:
    """A stretch of time, e.g. a hesitation the speech model did not transcribe."""

    start: float
    end: float

    def to_dict(self) -> dict[str, Any]:
        return {"start": round(self.start, 3), "end": round(self.end, 3)}


@dataclass(frozen=True)
class Marker:
    """A key the speaker pressed while talking: "from here on I am in the <label>"."""

    label: str
    time: float

    def to_dict(self) -> dict[str, Any]:
        return {"label": self.label, "time": round(self.time, 3)}


@dataclass(frozen=True)
class Transcript:
    words: tuple[Word, ...]
    duration: float
    language: str = "en"
    model: str | None = None
    hesitations: tuple[Span, ...] = ()
    markers: tuple[Marker, ...] = ()
    extra: Mapping[str, Any] = field(default_factory=dict[str, Any], compare=False, repr=False)

    # ---- construction -------------------------------------------------------------
    @classmethod
    def from_dict(
        cls, data: JSONValue, source: str | os.PathLike[str] = "transcript", *, require_words: bool = True
    ) -> Transcript:
        """Validate and build. Raises TranscriptError("<source>: <problem>")."""
        where = str(source)

        def fail(problem: str) -> TranscriptError:
            return TranscriptError(f"{where}: {problem}")

        if not isinstance(data, dict):
            raise fail("not a transcript: expected a JSON object with a 'words' list")
        if "words" not in data:
            raise fail("missing field 'words' (a list of {text, start, end})")
        raw_words: JSONValue = data["words"]
        if not isinstance(raw_words, list):
            raise fail("'words' must be a list")
        if require_words and not raw_words:
            raise fail("no words: nothing was said, so there is nothing to analyse")

        words: list[Word] = []
        last_start = -math.inf
        w: JSONValue  # each word: checked below
        # the fields as read: their types are checked by `type(x) in _FAST_NUMBER` (fast path) or
        # _number, checks pyright does not narrow on
        text: Any
        start: Any
        end: Any
        prob: Any
        for i, w in enumerate(raw_words):
            if type(w) is dict:
                # fast path for a well-formed word (the common case); anything unusual
                # (bool, NaN, inf, negative, backwards...) falls through to the checks below
                text, start, end = w.get("text"), w.get("start"), w.get("end")
                prob = w.get("probability", 1.0)
                if (
                    type(text) is str
                    and type(start) in _FAST_NUMBER
                    and type(end) in _FAST_NUMBER
                    and 0.0 <= start <= end <= MAX_SECONDS
                    and start >= last_start - _BACKWARDS_TOLERANCE
                    and (prob is None or (type(prob) in _FAST_NUMBER and prob - prob == 0))
                ):
                    if start > last_start:
                        last_start = start
                    if text.strip():
                        words.append(Word(text, float(start), float(end), 1.0 if prob is None else float(prob)))
                    continue
            if not isinstance(w, dict):
                raise fail(f"word {i + 1} is not an object with text/start/end")
            for key in ("text", "start", "end"):
                if key not in w:
                    raise fail(f"word {i + 1} is missing field '{key}'")
            text = w["text"]
            if not isinstance(text, str):
                raise fail(f"word {i + 1}: 'text' must be a string")
            start = _number(w["start"], lambda p, i=i, text=text: fail(f"word {i + 1} ({text.strip()!r}): 'start' {p}"))
            end = _number(w["end"], lambda p, i=i, text=text: fail(f"word {i + 1} ({text.strip()!r}): 'end' {p}"))
            if start < 0 or end < 0:
                raise fail(f"word {i + 1} ({text.strip()!r}) has a negative time ({start:g}-{end:g} s)")
            if end < start:
                raise fail(f"word {i + 1} ({text.strip()!r}) ends before it starts ({start:g}-{end:g} s)")
            if end > MAX_SECONDS:
                raise fail(
                    f"word {i + 1} ({text.strip()!r}) is at {end:g} s, beyond the {_max_text()} a transcript may span"
                )
            if start < last_start - _BACKWARDS_TOLERANCE:
                raise fail(
                    f"times go backwards at word {i + 1} ({text.strip()!r}): "
                    f"starts at {start:g} s after a word that started at {last_start:g} s"
                )
            prob = w.get("probability", 1.0)
            prob = _number(prob, lambda p, i=i: fail(f"word {i + 1}: 'probability' {p}")) if prob is not None else 1.0
            last_start = max(last_start, start)
            if not text.strip():
                continue  # an empty token carries nothing to analyse
            words.append(Word(text=text, start=start, end=end, probability=prob))
        if require_words and not words:
            raise fail("no words: every word is empty")

        last_end = max((w.end for w in words), default=0.0)
        duration = data.get("duration", last_end)
        duration = _number(duration, lambda p: fail(f"'duration' {p}")) if duration is not None else last_end
        if duration < 0:
            raise fail(f"negative duration ({duration:g} s)")
        if duration > MAX_SECONDS:
            raise fail(f"'duration' is {duration:g} s, beyond the {_max_text()} a transcript may span")
        duration = max(duration, last_end)

        language = data.get("language") or "en"
        if not isinstance(language, str):
            raise fail("'language' must be a string such as \"en\"")
        model = data.get("model")
        if model is not None and not isinstance(model, str):
            raise fail("'model' must be a string")

        hesitations = tuple(_spans(data.get("hesitations") or [], fail))
        markers = tuple(_markers(data.get("markers") or [], fail))
        extra = {k: v for k, v in data.items() if k not in SCHEMA_KEYS}
        return cls(
            words=tuple(words),
            duration=duration,
            language=language,
            model=model,
            hesitations=hesitations,
            markers=markers,
            extra=extra,
        )

    @classmethod
    def load(cls, path: str | os.PathLike[str], *, require_words: bool = True) -> Transcript:
        path = Path(path)
        try:
            raw = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise TranscriptError(f"{path}: no such file") from None
        except IsADirectoryError:
            raise TranscriptError(f"{path}: is a directory, expected a transcript .json file") from None
        except UnicodeDecodeError:
            raise TranscriptError(f"{path}: not a text file (expected transcript JSON)") from None
        except OSError as exc:
            raise TranscriptError(f"{path}: cannot read ({exc.strerror or exc})") from None
        from analysis import jsonfile

        try:
            data = jsonfile.check_depth(jsonfile.loads(raw, path), path)
        except jsonfile.JSONFileError as exc:
            raise TranscriptError(str(exc)) from None
        return cls.from_dict(data, path, require_words=require_words)

    # ---- output -------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "language": self.language,
            "duration": round(self.duration, 3),
            "model": self.model,
            "words": [w.to_dict() for w in self.words],
        }
        if self.hesitations:
            out["hesitations"] = [h.to_dict() for h in self.hesitations]
        if self.markers:
            out["markers"] = [m.to_dict() for m in self.markers]
        for k, v in self.extra.items():
            out.setdefault(k, v)
        return out

    def save(self, path: str | os.PathLike[str]) -> None:
        atomic_write_text(Path(path), json.dumps(self.to_dict(), indent=1, ensure_ascii=False) + "\n")

    # ---- conveniences -------------------------------------------------------------
    @property
    def text(self) -> str:
        return "".join(w.text for w in self.words).strip()

    @property
    def speech_start(self) -> float:
        return self.words[0].start if self.words else 0.0

    @property
    def speech_end(self) -> float:
        return self.words[-1].end if self.words else 0.0

    def with_markers(self, markers: Iterable[Marker]) -> Transcript:
        from dataclasses import replace

        return replace(self, markers=tuple(sorted(markers, key=lambda m: m.time)))


def _number(value: JSONValue, fail: Callable[[str], Exception]) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise fail(f"must be a number, got {value!r}"[:120])
    try:
        value = float(value)
    except OverflowError:
        value = math.inf
    if not math.isfinite(value):
        raise fail("must be a finite number")
    return value


def _max_text() -> str:
    return f"{MAX_SECONDS / 3600:g} h"


def _spans(items: JSONValue, fail: Fail) -> Iterable[Span]:
    if not isinstance(items, list):
        raise fail("'hesitations' must be a list of {start, end}")
    h: JSONValue
    for i, h in enumerate(items):
        if not isinstance(h, dict) or "start" not in h or "end" not in h:
            raise fail(f"hesitation {i + 1} needs 'start' and 'end'")
        s = _number(h["start"], lambda p, i=i: fail(f"hesitation {i + 1}: 'start' {p}"))
        e = _number(h["end"], lambda p, i=i: fail(f"hesitation {i + 1}: 'end' {p}"))
        if s < 0 or e < s or e > MAX_SECONDS:
            raise fail(f"hesitation {i + 1} has bad times ({s:g}-{e:g} s)")
        yield Span(s, e)


def _markers(items: JSONValue, fail: Fail) -> list[Marker]:
    if not isinstance(items, list):
        raise fail("'markers' must be a list of {label, time}")
    out: list[Marker] = []
    m: JSONValue
    for i, m in enumerate(items):
        if not isinstance(m, dict) or "label" not in m or "time" not in m:
            raise fail(f"marker {i + 1} needs 'label' and 'time'")
        label = str(m["label"]).strip().lower()
        if label not in STAR_LABELS:
            raise fail(f"marker {i + 1} has label {m['label']!r}; expected one of {', '.join(STAR_LABELS)}")
        t = _number(m["time"], lambda p, i=i: fail(f"marker {i + 1}: 'time' {p}"))
        if t < 0:
            raise fail(f"marker {i + 1} has a negative time ({t:g} s)")
        if t > MAX_SECONDS:
            raise fail(f"marker {i + 1} is at {t:g} s, beyond the {_max_text()} a transcript may span")
        out.append(Marker(label, t))
    out.sort(key=lambda m: m.time)
    return out


@contextlib.contextmanager
def atomic_path(path: Path, mode: int = 0o600) -> Generator[Path]:
    """Write-temp-and-rename, the one copy: yields a temp file beside ``path``
    (".<name>.<random>.tmp") to write by name; when the block ends it is given ``mode``,
    fsynced and renamed over ``path`` (readers see the old or the new content, never
    half of it); when the block raises it is deleted."""
    with _atomic(path, mode) as (tmp, _fd):
        yield tmp


@contextlib.contextmanager
def _atomic(path: Path, mode: int) -> Generator[tuple[Path, int]]:
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    tmp = Path(name)
    try:
        try:
            yield tmp, fd
            os.fsync(fd)  # the file's data, whichever descriptor wrote it
        finally:
            os.close(fd)
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def atomic_write_text(path: Path, text: str, mode: int = 0o600) -> None:
    """Write a text file atomically (see :func:`atomic_path`)."""
    with _atomic(path, mode) as (_tmp, fd):
        data = memoryview(text.encode("utf-8"))
        while data:
            data = data[os.write(fd, data) :]


class _Labelled(Protocol):
    @property
    def label(self) -> str: ...


_L = TypeVar("_L", bound=_Labelled)


def section_named(sections: Sequence[_L], label: str) -> _L | None:
    """The story's section with ``label`` (sections, segment or report), or None when
    missing; an opening result hook (a "result" section before the story) is not the
    Result."""
    return next((s for s in sections if s.label == label and not getattr(s, "hook", False)), None)


class _Dictable(Protocol):
    def to_dict(self) -> dict[str, Any]: ...


class _StarLike(Protocol):
    @property
    def method(self) -> str: ...
    @property
    def sections(self) -> Sequence[_Dictable]: ...
    @property
    def missing(self) -> Sequence[str]: ...
    @property
    def hook(self) -> Span | None: ...


def star_dict(star: _StarLike, evidence: list[dict[str, Any]], **extra: Any) -> dict[str, Any]:
    """The JSON shape of STAR sections (a segmentation, or the report's ``star``):
    method, sections, missing, then ``extra`` (e.g. targets), hook, evidence."""
    return {
        "method": star.method,
        "sections": [s.to_dict() for s in star.sections],
        "missing": list(star.missing),
        **extra,
        "hook": star.hook.to_dict() if star.hook else None,
        "evidence": evidence,
    }
