"""Reading the JSON files Rehearse uses (transcripts, reports, take metadata), safely.

Every JSON file Rehearse reads may have been edited by hand, cut short by a crash or
written by another tool. :func:`loads` turns whatever it holds into either the parsed
value or one :class:`JSONFileError` whose ``str()`` is one line naming the file, so
that a damaged file costs neither a traceback nor unbounded time or memory:

- nesting deeper than :data:`MAX_DEPTH` (Python's parser would raise ``RecursionError``);
- integers of more than :data:`MAX_INT_DIGITS` digits (Python refuses to convert
  4300-digit ones, and big ones cost quadratic time; no field Rehearse reads needs
  more than a handful of digits);
- malformed JSON, text that is not UTF-8.

``NaN``/``Infinity`` and floats that overflow to infinity (``1e400``) still parse:
the reader of each field decides what a non-finite number means (see
:func:`finite_number`).
"""

from __future__ import annotations

import json
import math
import os
from pathlib import Path
from typing import Any, cast

from analysis.errors import RehearseError

MAX_DEPTH = 200
"""No file Rehearse writes nests deeper than about 6 levels."""
MAX_INT_DIGITS = 30


class JSONFileError(RehearseError, ValueError):
    """A JSON file Rehearse cannot use; ``str()`` is one line naming the file."""


_TOO_DEEP = "{where}: nested too deeply (more than {depth} levels); not a file Rehearse can use"


class _TooManyDigits(Exception):
    def __init__(self, digits: int):
        self.digits = digits


def _parse_int(text: str) -> int:
    if len(text) > MAX_INT_DIGITS + 1:  # a sign and MAX_INT_DIGITS digits
        raise _TooManyDigits(len(text.lstrip("-")))
    return int(text)


def loads(text: str, where: str | os.PathLike[str]) -> Any:
    """Parse ``text`` (the content of the file ``where``). Raises JSONFileError."""
    where = str(where)
    try:
        return json.loads(text, parse_int=_parse_int)
    except _TooManyDigits as exc:
        raise JSONFileError(f"{where}: holds a number with {exc.digits} digits; not a file Rehearse can use") from None
    except RecursionError:
        raise JSONFileError(_TOO_DEEP.format(where=where, depth=MAX_DEPTH)) from None
    except json.JSONDecodeError as exc:
        raise JSONFileError(f"{where}: malformed JSON at line {exc.lineno} column {exc.colno} ({exc.msg})") from None
    except ValueError as exc:  # e.g. an int too long for Python to convert
        raise JSONFileError(f"{where}: not usable JSON ({str(exc).splitlines()[0][:120]})") from None


def _nests(x: object) -> bool:
    return isinstance(x, (dict, list))


def check_depth(value: Any, where: str | os.PathLike[str]) -> Any:
    """Raise JSONFileError when a parsed value nests deeper than MAX_DEPTH (without recursion)."""
    stack: list[tuple[object, int]] = [(value, 1)]
    while stack:
        v, d = stack.pop()
        if d > MAX_DEPTH:
            raise JSONFileError(_TOO_DEEP.format(where=where, depth=MAX_DEPTH))
        if isinstance(v, dict):
            stack.extend((x, d + 1) for x in cast("dict[object, object]", v).values() if _nests(x))
        elif isinstance(v, list):
            stack.extend((x, d + 1) for x in cast("list[object]", v) if _nests(x))
    return value


def load(path: str | os.PathLike[str]) -> Any:
    """Read and parse a JSON file. Raises FileNotFoundError/IsADirectoryError/other
    OSErrors as they are (the caller words them), JSONFileError for bad content."""
    p = Path(path)
    with open(p, "rb") as fh:
        data = fh.read()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise JSONFileError(f"{p}: not a text file (expected JSON)") from None
    return check_depth(loads(text, p), p)


def finite_number(value: Any) -> float | None:
    """``value`` as a finite float, or None when it is not a number (bools are not numbers)
    or not finite (NaN, infinity, an int too large for a float)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    try:
        f = float(value)
    except OverflowError:
        return None
    return f if math.isfinite(f) else None
