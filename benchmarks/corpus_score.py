#!/usr/bin/env python3
"""Score STAR sections and fillers on labelled answers, in process (fast).

The same synthesis and scoring as the shared scorer (``../shared/corpus/star_eval.py``,
which runs ``rehearse analyze --json`` once per file), written again here so that a
whole corpus scores in about a second by calling ``analysis.analyze`` directly:

- each answer file (``tests/corpus/star/*.txt``: ``# key: value`` metadata, then
  ``LABEL: text`` lines, ``{um}`` gold fillers, ``{?like}`` ambiguous) becomes
  Whisper-style timed words: a duration from the word's letters and the speaking rate
  with a deterministic jitter (sha256 of file name and position), pauses after . ? !
  and , ; : only when the answer is punctuated (``# punct: yes``); caption answers
  (``no``) are lower-cased with punctuation stripped;
- STAR: word-level accuracy of the section holding each gold S/T/A/R word's midpoint;
- fillers: precision and recall by position (an item hits a gold filler when it starts
  within [gold start - 0.05, gold end)); repetitions are not scored, items on
  ambiguous uses count neither way.

It also scores the naive reference: fixed time shares S 20 / T 15 / A 45 / R 20 % of
the speaking time, and only "um"/"uh" as fillers.

Usage:
  corpus_score.py [DIR_OR_FILE ...] [--per-file] [--by batch,style,punct] [--json]
Defaults to tests/corpus/star and ../shared/corpus/star. Prints per-group tables and,
last, one line: "star_accuracy=... naive=... filler_precision=... filler_recall=...".
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from analysis.star.corpus import CorpusFormatError, read_answer_file  # noqa: E402
from analysis.transcript import Transcript, Word  # noqa: E402

LABELS = {"S": "situation", "T": "task", "A": "action", "R": "result"}
_TOKEN = re.compile(r"\{\??[^}]+\}|[^\s{}]+")
_CAPTION_STRIP = re.compile(r"[^\w'.%-]")
NAIVE_SHARES = (("situation", 0.20), ("task", 0.15), ("action", 0.45), ("result", 0.20))
# The fillers the blind writers were asked to mark (WRITER_BRIEF.md): filled pauses,
# "like", "you know", "I mean". They left hedges ("kind of", "basically") unmarked, which
# Rehearse counts too (and the shared corpus marks), so fillers are also scored on these
# words alone: the "brief" figures.
BRIEF_WORDS = frozenset({"like", "you know", "i mean", "you know what i mean"})
DEFAULT_DIRS = (ROOT / "tests" / "corpus" / "star", ROOT.parent / "shared" / "corpus" / "star")


@dataclass
class Answer:
    path: Path
    meta: dict
    lines: list  # (label letter, text)

    @property
    def name(self) -> str:
        return self.path.stem

    @property
    def punct(self) -> bool:
        return self.meta.get("punct", "yes").strip().lower() != "no"

    @property
    def styles(self) -> list[str]:
        raw = self.meta.get("style", "")
        return [s.strip().lower() for s in re.split(r"[,;/]", raw) if s.strip()] or ["(none)"]

    @property
    def group(self) -> str:
        """The batch an answer came in: ``w1_b03`` for blind batches, the letter of the
        older development files (``b``, ``c``, ...), ``shared`` for ../shared's."""
        m = re.match(r"(w\d+_b\d+)_", self.name)
        if m:
            return m.group(1)
        if self.path.parent.parent.name == "corpus" and self.path.parent.parent.parent.name == "shared":
            return "shared"
        return "dev-" + self.name[:1]


def parse(path: Path) -> Answer:
    meta, lines = read_answer_file(path)
    return Answer(path, meta, list(lines))


def _jitter(key: str) -> float:
    h = int(hashlib.sha256(key.encode()).hexdigest()[:8], 16)
    return h / 0x7FFFFFFF - 1.0


@dataclass
class Synth:
    answer: Answer
    transcript: Transcript
    gold_words: list  # (label letter, mid time, filler kind or None), one per word
    gold_fillers: list  # (start, end, kind "gold"|"ambiguous")
    word_labels: list = field(default_factory=list)  # label letter per transcript word


_BARE_STRIP = re.compile(r"[^\w'%-]")


def synthesise(answer: Answer, bare: bool = False) -> Synth:
    """``bare``: caption text without any punctuation at all, whatever the file says
    (the shared scorer's caption style keeps full stops: "café." stays)."""
    punct = answer.punct and not bare
    base = 60.0 / float(answer.meta.get("wpm", "150") or 150)
    t = 0.35
    words: list[Word] = []
    texts: list[str] = []
    gold_words, gold_fillers, word_labels = [], [], []
    name = answer.path.name
    for li, (label, text) in enumerate(answer.lines):
        for ti, tok in enumerate(_TOKEN.findall(text)):
            kind = None
            if tok.startswith("{"):
                kind = "ambiguous" if tok.startswith("{?") else "gold"
                parts = (tok[2:-1] if kind == "ambiguous" else tok[1:-1]).split()
            else:
                parts = [tok]
            first_start = None
            for pi, part in enumerate(parts):
                if not punct:
                    part = (_BARE_STRIP if bare else _CAPTION_STRIP).sub("", part).lower()
                    if bare:
                        part = part.strip("-")
                    if not part:
                        continue
                if part in {",", ".", "?", "!", ";", ":"} and texts:
                    texts[-1] += part
                    continue
                letters = max(1, len(re.sub(r"\W", "", part)))
                dur = base * (0.55 + 0.09 * letters) * (1 + 0.12 * _jitter(f"{name}{li}{ti}{pi}"))
                if kind:
                    dur = max(dur, 0.32)
                start, end = round(t, 3), round(t + dur, 3)
                texts.append(" " + part)
                words.append((start, end))
                if first_start is None:
                    first_start = start
                gold_words.append((label, round((start + end) / 2, 3), kind))
                word_labels.append(label)
                t = end + 0.04
                if punct and part[-1:] in ".?!":
                    t += 0.45
                elif punct and part[-1:] in ",;:":
                    t += 0.18
                if kind:
                    t += 0.12
            if kind and first_start is not None:
                gold_fillers.append((first_start, round(t, 3), kind))
    ws = tuple(Word(txt, s, e, 0.9) for txt, (s, e) in zip(texts, words, strict=True))
    transcript = Transcript(words=ws, duration=round(t + 0.5, 3))
    return Synth(answer, transcript, gold_words, gold_fillers, word_labels)


@dataclass
class Tally:
    words: int = 0
    right: int = 0
    naive_right: int = 0
    gold_fillers: int = 0
    tp: int = 0
    predicted: int = 0
    naive_tp: int = 0
    naive_predicted: int = 0
    files: int = 0
    brief_tp: int = 0
    brief_predicted: int = 0

    def add(self, o: Tally) -> None:
        for k in self.__dataclass_fields__:
            setattr(self, k, getattr(self, k) + getattr(o, k))

    @property
    def acc(self) -> float:
        return self.right / self.words if self.words else 0.0

    @property
    def naive(self) -> float:
        return self.naive_right / self.words if self.words else 0.0

    @property
    def precision(self) -> float:
        return self.tp / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        return self.tp / self.gold_fillers if self.gold_fillers else 1.0

    @property
    def brief_precision(self) -> float:
        return self.brief_tp / self.brief_predicted if self.brief_predicted else 1.0

    @property
    def brief_recall(self) -> float:
        return self.brief_tp / self.gold_fillers if self.gold_fillers else 1.0

    @property
    def naive_precision(self) -> float:
        return self.naive_tp / self.naive_predicted if self.naive_predicted else 1.0

    @property
    def naive_recall(self) -> float:
        return self.naive_tp / self.gold_fillers if self.gold_fillers else 1.0


def _section_at(sections, mid: float):
    for label, start, end in sections:
        if start <= mid < end + 1e-6:
            return label
    return None


def naive_sections(t: Transcript):
    t0, t1 = t.words[0].start, t.words[-1].end
    out, acc = [], t0
    for label, share in NAIVE_SHARES:
        end = acc + share * (t1 - t0)
        out.append((label, acc, end))
        acc = end
    return out


def naive_fillers(t: Transcript):
    return [(w.start, w.end) for w in t.words if re.sub(r"[^\w]", "", w.text.lower()) in ("um", "uh")]


def score_items(syn: Synth, sections, filler_starts) -> Tally:
    """sections: (label, start, end); filler_starts: start times of non-repetition items."""
    tally = Tally(files=1)
    for label, mid, _kind in syn.gold_words:
        if label not in LABELS:
            continue
        tally.words += 1
        tally.right += _section_at(sections, mid) == LABELS[label]
    gold = [f for f in syn.gold_fillers if f[2] == "gold"]
    amb = [f for f in syn.gold_fillers if f[2] == "ambiguous"]
    tally.gold_fillers = len(gold)
    found, predicted = set(), 0
    for s in filler_starts:
        hit = next((k for k, g in enumerate(gold) if g[0] - 0.05 <= s < g[1]), None)
        if hit is not None:
            found.add(hit)
            predicted += 1
        elif not any(g[0] - 0.05 <= s < g[1] for g in amb):
            predicted += 1
    tally.tp, tally.predicted = len(found), predicted
    return tally


def score_answer(syn: Synth, report: dict) -> Tally:
    secs = [(s["label"], float(s["start"]), float(s["end"])) for s in report["star"]["sections"]]
    items = [float(i["start"]) for i in report["fillers"]["items"] if i.get("kind") != "repetition"]
    tally = score_items(syn, secs, items)
    brief = score_items(
        syn,
        secs,
        [
            float(i["start"])
            for i in report["fillers"]["items"]
            if i.get("kind") == "filled_pause" or i.get("text") in BRIEF_WORDS
        ],
    )
    tally.brief_tp, tally.brief_predicted = brief.tp, brief.predicted
    naive = score_items(syn, naive_sections(syn.transcript), [s for s, _ in naive_fillers(syn.transcript)])
    tally.naive_right = naive.right
    tally.naive_tp, tally.naive_predicted = naive.tp, naive.predicted
    return tally


def collect(paths) -> list[Path]:
    files: list[Path] = []
    for p in paths:
        p = Path(p)
        files.extend(sorted(p.glob("*.txt")) if p.is_dir() else [p])
    return files


def run(files, analyze_fn=None, settings=None, bare=False):
    """Yield (answer, synth, report dict, tally) per file."""
    if analyze_fn is None:
        from analysis import analyze as analyze_fn  # noqa: N813
    for path in files:
        answer = parse(path)
        syn = synthesise(answer, bare=bare)
        report = analyze_fn(syn.transcript, settings) if settings is not None else analyze_fn(syn.transcript)
        rep = report.to_dict() if hasattr(report, "to_dict") else report
        yield answer, syn, rep, score_answer(syn, rep)


def _row(name: str, t: Tally) -> str:
    return (
        f"{name:34s} {t.files:4d} {t.words:6d}  star {t.acc:.3f}  naive {t.naive:.3f}  "
        f"{t.acc - t.naive:+.3f}  fillers P {t.precision:.3f} R {t.recall:.3f} "
        f"({t.tp}/{t.gold_fillers}, {t.predicted - t.tp} FP)  "
        f"brief P {t.brief_precision:.3f} R {t.brief_recall:.3f}"
    )


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("paths", nargs="*", type=Path)
    ap.add_argument("--per-file", action="store_true")
    ap.add_argument("--by", default="batch,style,punct", help="groupings to print: batch,style,punct")
    ap.add_argument("--json", action="store_true", help="print the totals as one JSON line at the end")
    ap.add_argument(
        "--bare", action="store_true", help="feed every answer as caption text without any punctuation (full stops too)"
    )
    args = ap.parse_args(argv)
    paths = args.paths or [d for d in DEFAULT_DIRS if d.exists()]
    files = collect(paths)
    if not files:
        print("no answer files", file=sys.stderr)
        return 2
    total = Tally()
    groups: dict[str, dict[str, Tally]] = {"batch": {}, "style": {}, "punct": {}}
    try:
        results = list(run(files, bare=args.bare))
    except CorpusFormatError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    for answer, _syn, rep, tally in results:
        total.add(tally)
        keys = {"batch": [answer.group], "style": answer.styles, "punct": ["punct=yes" if answer.punct else "punct=no"]}
        for g, names in keys.items():
            for k in names:
                groups[g].setdefault(k, Tally()).add(tally)
        if args.per_file:
            labels = ",".join(
                f"{s['label'][:1].upper()}{float(s['end']) - float(s['start']):.0f}s" for s in rep["star"]["sections"]
            )
            print(_row(answer.name, tally) + f"  [{labels}]")
    for g in args.by.split(","):
        g = g.strip()
        if g not in groups:
            continue
        print(f"--- by {g}")
        for k in sorted(groups[g]):
            print(_row(k, groups[g][k]))
    print(_row("ALL", total))
    summary = {
        "files": total.files,
        "words": total.words,
        "star_accuracy": round(total.acc, 4),
        "naive": round(total.naive, 4),
        "filler_precision": round(total.precision, 4),
        "filler_recall": round(total.recall, 4),
        "brief_precision": round(total.brief_precision, 4),
        "brief_recall": round(total.brief_recall, 4),
    }
    if args.json:
        print(json.dumps(summary))
    print(
        f"star_accuracy={total.acc:.3f} naive={total.naive:.3f} "
        f"filler_precision={total.precision:.3f} filler_recall={total.recall:.3f} "
        f"brief_precision={total.brief_precision:.3f} brief_recall={total.brief_recall:.3f} files={total.files}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
