"""The labelled STAR answer format, read once for everyone who reads it: the corpus tests
(tests/star_corpus.py), the in-process scorer and the trainers (benchmarks/).

An answer file (``tests/corpus/star/*.txt``, ``../shared/corpus/star/*.txt``)::

    # question: Tell me about a time you ...
    # punct: yes|no        (no = caption style: lower case, no punctuation)
    # wpm: 150             (speaking rate used to give the words times)
    S: {Um}, so in my last role I was ...
    T: ...
    A: ...
    R: ...
    X: ...                 (ambiguous: not scored)

``{um}`` / ``{you know}`` mark gold fillers, ``{?like}`` an ambiguous use (scored
neither way). How the words get times is up to each reader.
"""

from __future__ import annotations

from pathlib import Path

LABELS = {"S": "situation", "T": "task", "A": "action", "R": "result", "X": None}
"""Line label -> STAR label (None: ambiguous, not scored)."""


class CorpusFormatError(ValueError):
    """An answer file that does not follow the format; ``str()`` names the file and line."""


def read_answer_file(path: Path) -> tuple[dict[str, str], tuple[tuple[str, str], ...]]:
    """(metadata with lower-case keys, the labelled lines as (label letter, text))."""
    meta: dict[str, str] = {}
    lines: list[tuple[str, str]] = []
    for n, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.strip()
        if not line:
            continue
        if line.startswith("#"):
            key, _, value = line[1:].partition(":")
            meta[key.strip().lower()] = value.strip()
            continue
        label, sep, text = line.partition(":")
        if not sep or label not in LABELS:
            raise CorpusFormatError(
                f"{path.name}:{n}: expected 'S:', 'T:', 'A:', 'R:' or 'X:' at the start: {line[:60]}"
            )
        lines.append((label, text.strip()))
    if not lines:
        raise CorpusFormatError(f"{path.name}: no labelled lines")
    return meta, tuple(lines)
