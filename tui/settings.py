"""The settings file (TOML): one table per layer, each built into that layer's dataclass.

```toml
[analysis]      # analysis.settings.AnalysisSettings
pause_min_s = 0.5
[transcription] # analysis.speech.options.TranscribeOptions
model = "base.en"
[recorder]      # recorder.settings.RecorderSettings
[ui]            # tui.settings.UISettings
theme = "textual-dark"
```
Unknown tables or keys, and values of the wrong type, are one-line errors naming the file.
"""

from __future__ import annotations

import dataclasses
import os
import sys
import types
import typing
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib  # pyright: ignore[reportMissingImports]  (checked as 3.10; installed there)

from analysis.errors import RehearseError
from analysis.setting_ranges import Num, Text, check
from analysis.settings import AnalysisSettings
from analysis.speech.options import TranscribeOptions
from recorder.settings import RecorderSettings


class SettingsError(RehearseError):
    pass


@dataclass(frozen=True)
class UISettings:
    theme: str = "textual-dark"
    """Textual theme name; "textual-light" for a light theme."""
    target_seconds: float = 120.0
    """Default target length of an answer on the Practise screen (2 minutes: the middle
    of the 90-180 s band most interview coaches give for a STAR answer)."""
    live_transcription: bool = True
    """Transcribe while you speak (Practise screen, key l toggles it), so the report is
    ready a second or two after you stop instead of after a whole transcription pass.
    Costs CPU while recording; turn it off on a slow machine."""
    live_feedback: bool = True
    """While recording with live words: a quiet line with the pace of the last 20 s
    against the pace band, the fillers so far, and the current section's time against
    its target share. Off: only the timer, level and section keys."""
    export_dir: str = ""
    """Folder that Export (Review, e) suggests; empty: your documents folder
    (~/Documents), or your home folder when there is none."""


UI_RANGES = {
    "theme": Text(max_len=100),
    "target_seconds": Num(5.0, 3600.0),
    "export_dir": Text(max_len=4096, empty=True),
}
"""The valid range of each [ui] setting (analysis.setting_ranges); the README lists them."""


@dataclass(frozen=True)
class AppSettings:
    analysis: AnalysisSettings = field(default_factory=AnalysisSettings)
    transcription: TranscribeOptions = field(default_factory=TranscribeOptions)
    recorder: RecorderSettings = field(default_factory=RecorderSettings)
    ui: UISettings = field(default_factory=UISettings)


SECTIONS: dict[str, type] = {
    "analysis": AnalysisSettings,
    "transcription": TranscribeOptions,
    "recorder": RecorderSettings,
    "ui": UISettings,
}


def _coerce(value: Any, hint: Any, where: str) -> Any:
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):
        if value is None and type(None) in args:
            return None
        errors = []
        for arg in args:
            if arg is type(None):
                continue
            try:
                return _coerce(value, arg, where)
            except SettingsError as exc:
                errors.append(str(exc))
        raise SettingsError(errors[0] if errors else f"{where}: bad value {value!r}")
    if hint is Any:
        return value
    if hint is bool:
        if isinstance(value, bool):
            return value
    elif hint is float:
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return float(value)
    elif hint is int:
        if isinstance(value, int) and not isinstance(value, bool):
            return value
    elif hint is str:
        if isinstance(value, str):
            return value
    elif origin in (tuple, list):
        if isinstance(value, (list, tuple)):
            item = args[0] if args else Any
            return tuple(_coerce(v, item, where) for v in value)
    elif origin is dict:
        if isinstance(value, dict):
            return dict(value)
    elif isinstance(hint, type) and dataclasses.is_dataclass(hint):
        if isinstance(value, dict):
            # "<file>: [analysis].star" -> "<file>: [analysis.star]" (the TOML table's name)
            head, sep, key = where.rpartition("].")
            return build(hint, value, f"{head}.{key}]" if sep else where)
    else:
        return value
    name = getattr(hint, "__name__", str(hint))
    raise SettingsError(f"{where}: expected {name}, got {value!r}"[:200])


def build(cls: type, table: dict[str, Any], where: str) -> Any:
    """Build dataclass ``cls`` from a TOML table, checking keys and types."""
    hints = typing.get_type_hints(cls)
    known = {f.name for f in fields(cls)}
    kwargs = {}
    ranges = _ranges_of(cls)
    for key, value in table.items():
        if key not in known:
            raise SettingsError(f"{where}: unknown setting '{key}' (known: {', '.join(sorted(known))})")
        try:
            kwargs[key] = _coerce(value, hints[key], f"{where}.{key}")
        except SettingsError as exc:
            if key not in ranges or not where.endswith("]"):
                raise
            shown = repr(value) if len(repr(value)) <= 60 else repr(value)[:57] + "..."
            expected = str(exc).rpartition(": ")[2].split(", got ")[0]  # e.g. "expected float"
            raise SettingsError(
                f"{where} {key} = {shown} is out of range: must be {ranges[key].text()} ({expected})"
            ) from None
    try:
        check(kwargs, ranges)  # every value inside its valid range (analysis.setting_ranges)
        return cls(**kwargs)
    except (TypeError, ValueError) as exc:
        # e.g. "<file>: [transcription] beam_size = -3 is out of range: must be ..."
        raise SettingsError(f"{where} {exc}" if where.endswith("]") else f"{where}: {exc}") from None


def _ranges_of(cls: type) -> dict[str, Any]:
    """The valid ranges of a settings class (its module's ``RANGES``; [ui]: UI_RANGES)."""
    if cls is UISettings:
        return UI_RANGES
    return getattr(sys.modules.get(cls.__module__), "RANGES", {})


def load_settings(path: str | os.PathLike[str] | None = None, *, must_exist: bool = False) -> AppSettings:
    """Read the settings file; a missing default file means all defaults."""
    from analysis.locations import settings_file

    p = Path(path) if path is not None else settings_file()
    try:
        raw = p.read_bytes()
    except FileNotFoundError:
        if must_exist or path is not None:
            raise SettingsError(f"{p}: no such settings file") from None
        return AppSettings()
    except OSError as exc:
        raise SettingsError(f"{p}: cannot read ({exc.strerror or exc})") from None
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise SettingsError(f"{p}: not valid TOML ({exc})") from None
    except RecursionError:
        raise SettingsError(f"{p}: not a settings file: values nested too deeply") from None
    except ValueError as exc:  # e.g. an integer of thousands of digits
        why = "holds a number with thousands of digits" if "digits" in str(exc) else str(exc).split(";")[0][:100]
        raise SettingsError(f"{p}: not a settings file: {why}") from None
    parts = {}
    for key, table in data.items():
        if key not in SECTIONS:
            raise SettingsError(f"{p}: unknown table [{key}] (known: {', '.join(SECTIONS)})")
        if not isinstance(table, dict):
            raise SettingsError(f"{p}: '{key}' must be a table ([{key}])")
        parts[key] = build(SECTIONS[key], table, f"{p}: [{key}]")
    return AppSettings(**parts)


def _toml_table(obj: Any) -> dict[str, Any]:
    table = {}
    for f in fields(obj):
        value = getattr(obj, f.name)
        if value is None:
            continue  # TOML has no null: absent means default/None
        if dataclasses.is_dataclass(value):
            value = _toml_table(value)  # nested settings become a sub-table
        elif isinstance(value, tuple):
            value = list(value)
        table[f.name] = value
    return table


def to_toml_dict(settings: AppSettings) -> dict[str, Any]:
    return {name: _toml_table(getattr(settings, name)) for name in SECTIONS}


def _changed(old: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    """The keys of ``new`` whose value differs from ``old`` (nested tables too); a key
    that is gone from ``new`` (a None value) maps to None."""
    out: dict[str, Any] = {}
    for key in set(old) | set(new):
        a, b = old.get(key), new.get(key)
        if isinstance(a, dict) and isinstance(b, dict):
            sub = _changed(a, b)
            if sub:
                out[key] = sub
        elif a != b:
            out[key] = b
    return out


def _apply(table: Any, changes: dict[str, Any]) -> None:
    import tomlkit

    for key, value in changes.items():
        if isinstance(value, dict):
            sub = table.get(key)
            if not isinstance(sub, dict):
                sub = tomlkit.table()
                table[key] = sub
            _apply(sub, value)
        elif value is None:
            if key in table:
                del table[key]
        else:
            table[key] = value


def save_settings(
    settings: AppSettings, path: str | os.PathLike[str] | None = None, previous: AppSettings | None = None
) -> Path:
    """Write the settings that differ from ``previous`` (default: what the file says now)
    into the file, in place: the user's comments, order and other keys stay as they are,
    and defaults nobody changed are not written (so later versions can improve them)."""
    import tomlkit

    from analysis.locations import settings_file
    from analysis.transcript import atomic_write_text

    p = Path(path) if path is not None else settings_file()
    try:
        text = p.read_text(encoding="utf-8")
    except FileNotFoundError:
        text = ""
    except OSError as exc:
        raise SettingsError(f"{p}: cannot read ({exc.strerror or exc})") from None
    try:
        doc = tomlkit.parse(text)
    except Exception as exc:  # noqa: BLE001 - tomlkit's parse errors have no common base
        raise SettingsError(f"{p}: not valid TOML, not changed ({exc})") from None
    if previous is None:
        try:
            previous = load_settings(p) if text else AppSettings()
        except SettingsError:
            previous = AppSettings()
    changes = _changed(to_toml_dict(previous), to_toml_dict(settings))
    if not changes and text:
        return p
    _apply(doc, changes)
    atomic_write_text(p, tomlkit.dumps(doc))
    return p


def field_docs(cls: type) -> dict[str, str]:
    """Each field's docstring (the string literal after it), for the Settings screen."""
    import ast
    import inspect
    import textwrap

    try:
        tree = ast.parse(textwrap.dedent(inspect.getsource(cls)))
    except (OSError, TypeError):
        return {}
    docs: dict[str, str] = {}
    first = tree.body[0] if tree.body else None
    body = first.body if isinstance(first, ast.ClassDef) else []
    for prev, node in zip(body, body[1:], strict=False):
        if (
            isinstance(prev, ast.AnnAssign)
            and isinstance(prev.target, ast.Name)
            and isinstance(node, ast.Expr)
            and isinstance(node.value, ast.Constant)
            and isinstance(node.value.value, str)
        ):
            docs[prev.target.id] = " ".join(node.value.value.split())
    return docs
