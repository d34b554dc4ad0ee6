"""The valid range of every setting, checked when a settings object is built (and so
when the settings file is read): one place that says what each key accepts.

Each settings module lists its dataclass's ranges in a ``RANGES`` mapping (field ->
rule); the settings-file reader (``tui.settings.build``, also used by the Settings
screen) calls :func:`check` on every value it reads. A value outside its range raises
``ValueError("<key> = <value> is out of range: <rule>")``; the reader adds the file and
the table. (Code that builds settings objects itself is not checked: tests use values
outside the ranges on purpose.) NaN is outside every numeric range (comparisons with NaN are
false), and so is infinity. The README lists them all (:func:`describe`).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, cast


@dataclass(frozen=True)
class Num:
    """A number from ``lo`` to ``hi`` (inclusive); ``integer``: a whole number."""

    lo: float
    hi: float
    integer: bool = False
    allow_none: bool = False

    def ok(self, value: Any) -> bool:
        if value is None:
            return self.allow_none
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return False
        if self.integer and not isinstance(value, int):
            return False
        try:
            return math.isfinite(float(value)) and self.lo <= value <= self.hi
        except OverflowError:
            return False

    def text(self) -> str:
        kind = "a whole number" if self.integer else "a number"
        extra = " (or unset)" if self.allow_none else ""
        return f"{kind} from {_g(self.lo)} to {_g(self.hi)}{extra}"


@dataclass(frozen=True)
class Choice:
    """One of a few words (compared case-insensitively)."""

    options: tuple[str, ...]

    def ok(self, value: Any) -> bool:
        return isinstance(value, str) and value.strip().lower() in self.options

    def text(self) -> str:
        return "one of " + ", ".join(f'"{o}"' for o in self.options)


@dataclass(frozen=True)
class Text:
    """A string of at most ``max_len`` characters (``empty``: "" allowed), no control characters."""

    max_len: int = 200
    empty: bool = False
    allow_none: bool = False

    def ok(self, value: Any) -> bool:
        if value is None:
            return self.allow_none
        if not isinstance(value, str) or len(value) > self.max_len or _has_control(value):
            return False
        return self.empty or bool(value.strip())

    def text(self) -> str:
        what = "text" if self.empty else "non-empty text"
        return f"{what} of at most {self.max_len} characters, without control characters" + (
            " (or unset)" if self.allow_none else ""
        )


@dataclass(frozen=True)
class Words:
    """A list of at most ``max_items`` non-empty phrases of at most ``max_len`` characters."""

    max_items: int = 200
    max_len: int = 60
    pattern: str | None = None
    """A human description of a required form (checked by ``form``), e.g. "TOKEN=word"."""
    form: Any = None

    def ok(self, value: Any) -> bool:
        if not isinstance(value, (list, tuple)):
            return False
        items = cast("list[Any] | tuple[Any, ...]", value)
        if len(items) > self.max_items:
            return False
        for item in items:  # an empty entry is ignored, as the analysis does
            if not isinstance(item, str) or len(item) > self.max_len or _has_control(item):
                return False
            if self.form is not None and not self.form(item):
                return False
        return True

    def text(self) -> str:
        what = f'entries of the form "{self.pattern}"' if self.pattern else "phrases"
        return f"a list of at most {self.max_items} {what}, each at most {self.max_len} characters"


def _has_control(s: str) -> bool:
    return any(ord(c) < 32 or 127 <= ord(c) < 160 for c in s)


def _g(x: float) -> str:
    return f"{int(x)}" if float(x).is_integer() else f"{x:g}"


def check(values: Mapping[str, Any], ranges: Mapping[str, Any]) -> None:
    """Raise ValueError naming the first of ``values`` (setting -> value) outside its range."""
    for name, value in values.items():
        rule = ranges.get(name)
        if rule is not None and not rule.ok(value):
            shown = repr(value)
            if len(shown) > 60:
                shown = shown[:57] + "..."
            raise ValueError(f"{name} = {shown} is out of range: must be {rule.text()}")


def describe(ranges: Mapping[str, Any]) -> dict[str, str]:
    """Each field's range in words (for the README and the Settings screen)."""
    return {name: rule.text() for name, rule in ranges.items()}
