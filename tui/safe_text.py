"""Text from files and devices, made safe to print on a terminal: the one helper every
command-line message goes through for data it did not write itself (transcript words,
questions, model and device names, file names, error messages quoting any of them).

A control character (C0 except newline and tab, DEL, C1) or a bidirectional override
reaching the terminal could move the cursor, clear the screen, retitle the window or
hide text; each one is shown as a visible escape (``\\x1b``, ``\\u202e``) instead.
"""

from __future__ import annotations

import re
from typing import Any

_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_UNSAFE_IN_JSON = re.compile("[\x7f-\x9f\u202a-\u202e\u2066-\u2069]")  # json.dumps escapes C0 itself


def _visible(m: re.Match) -> str:
    c = ord(m.group())
    return f"\\x{c:02x}" if c < 0x100 else f"\\u{c:04x}"


def term(text: Any) -> str:
    """``str(text)`` with every control character shown as an escape (newline and tab kept)."""
    s = text if isinstance(text, str) else str(text)
    return _UNSAFE.sub(_visible, s) if _UNSAFE.search(s) else s


def term_all(value: Any) -> Any:
    """``value`` (a report dict, a list ...) with :func:`term` applied to every string in it."""
    if isinstance(value, str):
        return term(value)
    if isinstance(value, dict):
        return {term_all(k): term_all(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [term_all(v) for v in value]
    return value


def term_json(text: str) -> str:
    """JSON text (from ``json.dumps``) with the characters json leaves raw (DEL, C1,
    bidirectional overrides) written as JSON ``\\uXXXX`` escapes: still the same JSON."""
    return _UNSAFE_IN_JSON.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
