"""Helpers for the analysis tests: build transcripts from marked-up text.

Markup: ``{um}`` marks a gold filler (``{you know}`` a multi-word one); everything else
is a gold non-filler. ``caption=True`` gives Whisper-caption style: lower case, no
punctuation, no pauses at sentence ends.
"""

from __future__ import annotations

import re

from analysis.transcript import Transcript, Word

_TOKEN = re.compile(r"\{[^}]+\}[,.;:?!]*|[^\s{}]+")


def marked(text: str, *, caption: bool = False, wpm: float = 150.0, start: float = 0.4, ambiguous: list | None = None):
    """(Transcript, gold) where gold is a list of (first, last) word-index spans.
    ``{?like}`` marks an ambiguous use: its span goes to ``ambiguous`` (if given), not gold."""
    words: list[Word] = []
    gold: list[tuple[int, int]] = []
    t = start
    base = 60.0 / wpm
    for tok in _TOKEN.findall(text):
        filler = tok.startswith("{")
        unsure = tok.startswith("{?")
        if filler:
            inner, _, trail = tok[2 if unsure else 1 :].partition("}")
            parts = inner.split()
            if parts:
                parts[-1] += trail
        else:
            parts = [tok]
        first = len(words)
        for part in parts:
            if caption:
                part = re.sub(r"[^\w'%$.-]", "", part).lower().rstrip(".")
                if not part:
                    continue
            dur = base * (0.6 + 0.05 * len(part))
            words.append(Word(" " + part, round(t, 3), round(t + dur, 3), 0.9))
            t += dur + 0.03
            if not caption and part[-1:] in ".?!":
                t += 0.45
            elif not caption and part[-1:] in ",;:":
                t += 0.15
        if filler and unsure:
            if ambiguous is not None:
                ambiguous.append((first, len(words) - 1))
        elif filler:
            gold.append((first, len(words) - 1))
    return Transcript(words=tuple(words), duration=round(t + 0.3, 3)), gold


def filler_spans(transcript: Transcript, settings=None, *, kinds=None) -> list[tuple[int, int]]:
    from analysis.fillers import REPETITION, detect_fillers

    out = []
    for f in detect_fillers(transcript, settings):
        if kinds is None and f.kind == REPETITION:
            continue
        if kinds is not None and f.kind not in kinds:
            continue
        out.append((f.first, f.last))
    return out


def words_of(spec: list[tuple[str, float, float]] | str, gap: float = 0.05, dur: float = 0.3) -> Transcript:
    """A transcript from (text, start, end) triples, or from a plain string (even timing)."""
    if isinstance(spec, str):
        ws, t = [], 0.5
        for w in spec.split():
            ws.append(Word(" " + w, round(t, 3), round(t + dur, 3)))
            t += dur + gap
        return Transcript(words=tuple(ws), duration=round(t + 0.5, 3))
    ws = tuple(Word(" " + x, s, e) for x, s, e in spec)
    return Transcript(words=ws, duration=max((w.end for w in ws), default=0.0) + 0.5)


def labelled_answer(path):
    """A labelled answer file (the shared corpus format: '# key: value' metadata, then
    'LABEL: text' lines) -> (Transcript, gold filler spans, ambiguous spans)."""
    from pathlib import Path

    meta, texts = {}, []
    for raw in Path(path).read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line:
            continue
        if line.startswith("#"):
            key, _, value = line[1:].partition(":")
            meta[key.strip()] = value.strip()
            continue
        _label, _, text = line.partition(":")
        texts.append(text.strip())
    ambiguous: list = []
    t, gold = marked(
        " ".join(texts),
        caption=meta.get("punct", "yes") == "no",
        wpm=float(meta.get("wpm", 150)),
        ambiguous=ambiguous,
    )
    return t, gold, ambiguous
