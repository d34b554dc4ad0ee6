"""The labelled STAR corpus (format: analysis.star.corpus), turned into timed transcripts
for tests.

The words get times the test suite's own way (not the scorer's in benchmarks/): syllable-
based durations with seeded jitter, pauses at punctuation only when the answer is
punctuated, since caption text carries no pause at sentence ends. ``whisper_like=True``
removes the sentence pauses of punctuated answers too, as Whisper's word timestamps
often do.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from pathlib import Path

from analysis.star.corpus import LABELS, read_answer_file
from analysis.transcript import Transcript, Word

CORPUS_DIR = Path(__file__).resolve().parents[1] / "corpus" / "star"
_TOKEN = re.compile(r"\{\??[^}]+\}|[^\s{}]+")
_PUNCT_ONLY = re.compile(r"^[^\w$%]+$")
_VOWEL_GROUPS = re.compile(r"[aeiouy]+")


@dataclass(frozen=True)
class GoldWord:
    label: str | None  # None for X lines
    filler: str | None  # None, "gold" or "ambiguous"


@dataclass(frozen=True)
class GoldFiller:
    first: int
    last: int  # inclusive word index
    text: str
    ambiguous: bool


@dataclass(frozen=True)
class Answer:
    name: str
    question: str
    punct: bool
    wpm: float
    lines: tuple[tuple[str, str], ...]  # (label letter, text)


@dataclass(frozen=True)
class Synthesised:
    answer: Answer
    transcript: Transcript
    gold: tuple[GoldWord, ...]
    fillers: tuple[GoldFiller, ...]


def parse_answer(path: Path) -> Answer:
    meta, lines = read_answer_file(path)
    return Answer(
        name=path.stem,
        question=meta.get("question", ""),
        punct=meta.get("punct", "yes").lower() != "no",
        wpm=float(meta.get("wpm", "150")),
        lines=lines,
    )


def corpus_answers(directory: Path = CORPUS_DIR) -> list[Answer]:
    return [parse_answer(p) for p in sorted(directory.glob("*.txt"))]


def _syllables(word: str) -> int:
    return max(1, len(_VOWEL_GROUPS.findall(word.lower())))


def synthesise(answer: Answer, *, whisper_like: bool = False, seed: int = 0) -> Synthesised:
    """Give every word of the answer a start and end time."""
    rng = random.Random(f"{answer.name}:{seed}")
    # ~1.4 syllables per word in conversational English: seconds per syllable at this rate
    per_syllable = 60.0 / answer.wpm / 1.4
    t = 0.3
    words: list[Word] = []
    gold: list[GoldWord] = []
    fillers: list[GoldFiller] = []
    for label, text in answer.lines:
        for tok in _TOKEN.findall(text):
            kind = None
            if tok.startswith("{"):
                kind = "ambiguous" if tok.startswith("{?") else "gold"
                parts = tok.strip("{}?").split()
            else:
                parts = [tok]
            first = len(words)
            for part in parts:
                if not answer.punct:
                    part = re.sub(r"[^\w'%.-]", "", part).lower().strip(".")
                    if not part:
                        continue
                if _PUNCT_ONLY.match(part):
                    # "{Um}," leaves the comma as its own token: attach it to the word before
                    if words:
                        w = words[-1]
                        words[-1] = Word(w.text + part, w.start, w.end, w.probability)
                        t += _gap_after(part, answer.punct, whisper_like)
                    continue
                dur = per_syllable * (_syllables(part) + 0.4) * rng.uniform(0.85, 1.15)
                if kind:
                    dur = max(dur, 0.3)
                words.append(Word(" " + part, round(t, 3), round(t + dur, 3), 0.9))
                gold.append(GoldWord(LABELS[label], kind))
                t += dur + rng.uniform(0.02, 0.06)
                t += _gap_after(part, answer.punct, whisper_like)
                if kind:
                    t += 0.1
            if kind and len(words) > first:
                fillers.append(GoldFiller(first, len(words) - 1, " ".join(parts).lower(), kind == "ambiguous"))
    transcript = Transcript(words=tuple(words), duration=round(t + 0.4, 3), model="corpus")
    return Synthesised(answer, transcript, tuple(gold), tuple(fillers))


def _gap_after(token: str, punct: bool, whisper_like: bool) -> float:
    if not punct:
        return 0.0
    if token[-1:] in ".?!":
        return 0.0 if whisper_like else 0.5
    if token[-1:] in ",;:":
        return 0.0 if whisper_like else 0.2
    return 0.0


# ---- scoring --------------------------------------------------------------------------


def labels_from_sections(sections, n_words: int) -> list[str | None]:
    """Per word index, the label of the section holding it (from word index spans)."""
    out: list[str | None] = [None] * n_words
    for s in sections:
        first = s["first"] if isinstance(s, dict) else s.first
        last = s["last_exclusive"] if isinstance(s, dict) else s.last_exclusive
        label = s["label"] if isinstance(s, dict) else s.label
        for i in range(first, min(last, n_words)):
            out[i] = label
    return out


def labels_from_times(sections, transcript: Transcript) -> list[str | None]:
    """Per word, the label of the section whose time span holds the word's middle (how a
    report JSON, which has times only, is scored)."""
    out: list[str | None] = []
    for w in transcript.words:
        mid = (w.start + w.end) / 2
        lab = None
        for s in sections:
            if float(s["start"]) <= mid < float(s["end"]) + 1e-6:
                lab = s["label"]
                break
        out.append(lab)
    return out


@dataclass
class Score:
    words: int = 0
    right: int = 0
    gold_fillers: int = 0
    tp: int = 0
    fp: int = 0

    def add(self, other: Score) -> None:
        self.words += other.words
        self.right += other.right
        self.gold_fillers += other.gold_fillers
        self.tp += other.tp
        self.fp += other.fp

    @property
    def accuracy(self) -> float:
        return self.right / self.words if self.words else 1.0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / self.gold_fillers if self.gold_fillers else 1.0


def score(syn: Synthesised, predicted: list[str | None], filler_items=()) -> Score:
    """Word accuracy of ``predicted`` labels over gold S/T/A/R words, and filler
    precision/recall of ``filler_items`` (dicts or objects with ``start`` and ``kind``;
    repetitions are not scored) against the gold fillers, by position."""
    sc = Score()
    for g, p in zip(syn.gold, predicted, strict=False):
        if g.label is None:
            continue
        sc.words += 1
        sc.right += p == g.label
    words = syn.transcript.words
    gold = [f for f in syn.fillers if not f.ambiguous]
    ambiguous = [f for f in syn.fillers if f.ambiguous]
    sc.gold_fillers = len(gold)

    def hit(start: float, pool):
        for f in pool:
            if words[f.first].start - 0.05 <= start < words[f.last].end + 0.05:
                return f
        return None

    found = set()
    for item in filler_items:
        kind = item["kind"] if isinstance(item, dict) else item.kind
        start = float(item["start"] if isinstance(item, dict) else item.start)
        if kind == "repetition":
            continue
        g = hit(start, gold)
        if g is not None:
            found.add(g.first)
        elif hit(start, ambiguous) is None:
            sc.fp += 1
    sc.tp = len(found)
    return sc


def gold_sections(syn: Synthesised) -> dict[str, tuple[int, int]]:
    """label -> (first, last_exclusive) of the longest run of gold words with that label
    (a result-first hook is a short run of its own; X words are skipped over)."""
    labelled = [(i, g.label) for i, g in enumerate(syn.gold) if g.label]
    runs: dict[str, tuple[int, int]] = {}
    k = 0
    while k < len(labelled):
        start, label = labelled[k]
        j = k
        while j + 1 < len(labelled) and labelled[j + 1][1] == label:
            j += 1
        span = (start, labelled[j][0] + 1)
        best = runs.get(label)
        if best is None or span[1] - span[0] > best[1] - best[0]:
            runs[label] = span
        k = j + 1
    return runs


def check_invariants(seg, t: Transcript) -> None:
    """What every segmentation must satisfy: the story's sections in S->T->A->R order,
    each label at most once, after at most one opening result hook (a Result section
    marked ``hook``, where the answer opens with its outcome); contiguous, non-empty,
    covering first word to last; missing = the labels the story lacks."""
    from analysis.transcript import STAR_LABELS

    words = t.words
    assert seg.sections, "a transcript with words has at least one section"
    hooks = [i for i, s in enumerate(seg.sections) if s.hook]
    assert hooks in ([], [0]), "a hook opens the answer, once"
    if hooks:
        assert seg.sections[0].label == "result" and len(seg.sections) > 1 and seg.hook is not None
    story = [s for s in seg.sections if not s.hook]
    order = [STAR_LABELS.index(s.label) for s in story]
    assert order == sorted(set(order)), "S->T->A->R order, each label at most once"
    assert seg.sections[0].first == 0 and seg.sections[-1].last_exclusive == len(words)
    assert seg.sections[0].start == words[0].start
    assert seg.sections[-1].end == words[-1].end
    for a, b in zip(seg.sections, seg.sections[1:], strict=False):
        assert a.last_exclusive == b.first
        assert a.end == b.start
    for s in seg.sections:
        assert s.last_exclusive > s.first, "no empty section"
        assert s.end >= s.start
    assert set(seg.missing) == set(STAR_LABELS) - {s.label for s in story}
