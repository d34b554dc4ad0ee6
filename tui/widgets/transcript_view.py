"""The transcript, coloured by STAR section, fillers highlighted, pauses shown inline.

A word cursor (keys or mouse) selects a word; Enter or a click posts
:class:`TranscriptView.WordActivated` (Review plays from there). ``playing`` highlights
the word under the playback position as it moves.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from tui.format import STAR_COLOUR, C, mmss


@dataclass(frozen=True)
class TWord:
    text: str
    start: float
    end: float
    section: str | None = None
    filler: bool = False
    pause_after: float | None = None  # seconds of silence after this word, if a pause
    hesitation_after: bool = False


_EPS = 0.02


def build_words(transcript: Any, report: dict[str, Any]) -> list[TWord]:
    """Transcript words annotated from the report: section, filler, pause/hesitation after."""
    words = list(getattr(transcript, "words", ()) or ())
    sections = (report.get("star") or {}).get("sections") or []
    fillers = (report.get("fillers") or {}).get("items") or []
    pauses = (report.get("pauses") or {}).get("items") or []
    hes = (report.get("hesitations") or {}).get("items") or []
    out: list[TWord] = []
    for i, w in enumerate(words):
        section = None
        for s in sections:
            if s["start"] - _EPS <= w.start < s["end"] + _EPS:
                section = s["label"]
                if w.start < s["end"] - _EPS:
                    break
        filler = any(f["start"] - _EPS <= w.start and w.end <= f["end"] + _EPS for f in fillers)
        nxt = words[i + 1].start if i + 1 < len(words) else float("inf")
        pause = next(
            (p.get("seconds", p["end"] - p["start"]) for p in pauses if w.end - _EPS * 5 <= p["start"] <= nxt + _EPS),
            None,
        )
        hes_after = any(w.end - _EPS <= h["start"] < nxt + _EPS for h in hes)
        out.append(TWord(w.text, w.start, w.end, section, filler, pause, hes_after))
    return out


@dataclass(frozen=True)
class _Token:
    kind: str  # "word" | "pause" | "head"
    x: int
    text: str
    index: int = -1  # word index for "word"
    section: str | None = None


class TranscriptView(ScrollView, can_focus=True):
    DEFAULT_CSS = """
    TranscriptView { height: 1fr; padding: 0 1; }
    """

    BINDINGS = [
        Binding("down", "line(1)", "Next line", show=False),
        Binding("up", "line(-1)", "Prev line", show=False),
        Binding("right_square_bracket", "word(1)", "Next word", show=False),
        Binding("left_square_bracket", "word(-1)", "Prev word", show=False),
        Binding("home", "jump(0)", "First word", show=False),
        Binding("end", "jump(-1)", "Last word", show=False),
        Binding("enter", "activate", "Play from word"),
    ]

    class WordActivated(Message):
        def __init__(self, view: TranscriptView, index: int) -> None:
            super().__init__()
            self.view = view
            self.index = index

    class CursorMoved(Message):
        def __init__(self, view: TranscriptView, index: int) -> None:
            super().__init__()
            self.view = view
            self.index = index

    cursor: reactive[int] = reactive(0, always_update=True)
    playing: reactive[int] = reactive(-1)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.words: list[TWord] = []
        self._lines: list[list[_Token]] = []
        self._word_line: dict[int, int] = {}
        self._starts: list[float] = []
        self._layout_width = -1

    # ---- data -----------------------------------------------------------------------
    def set_words(self, words: Sequence[TWord], keep_cursor: bool = True) -> None:
        self.words = list(words)
        self._starts = [w.start for w in self.words]
        self._layout_width = -1
        self._relayout()
        if not keep_cursor:
            self.set_reactive(TranscriptView.cursor, 0)
        self.cursor = min(self.cursor, max(0, len(self.words) - 1))
        self.refresh()

    def index_at(self, t: float) -> int:
        """Index of the word being spoken at time ``t`` (the last word started by then)."""
        if not self._starts:
            return -1
        return max(0, bisect_right(self._starts, t + 1e-6) - 1)

    # ---- following playback ---------------------------------------------------------
    def cue(self, index: int) -> float:
        """Where playing word ``index`` starts: 0.05 s before the word."""
        return max(0.0, self.words[index].start - 0.05)

    def index_at_position(self, t: float) -> int:
        """The word at playback position ``t`` (+0.06: playback starts 0.05 s before a word,
        which is that word's position)."""
        return self.index_at(t + 0.06)

    def follow(self, t: float, playing: bool) -> None:
        """Put the word cursor (and, while playing, the played word) on the word at ``t``."""
        if not self.words:
            return
        index = self.index_at_position(t)
        if playing:
            self.playing = index
        if index != self.cursor:
            self.cursor = index

    def played_text(self) -> str | None:
        """The word being played, if any."""
        return self.words[self.playing].text.strip() if 0 <= self.playing < len(self.words) else None

    # ---- layout ---------------------------------------------------------------------
    def _relayout(self) -> None:
        width = max(20, self.scrollable_content_region.width or self.size.width or 78)
        if width == self._layout_width:
            return
        self._layout_width = width
        lines: list[list[_Token]] = [[]]
        x = 0
        current_section: str | None = "__none__"

        def put(
            kind: str, text: str, index: int = -1, newline_before: bool = False, section: str | None = None
        ) -> None:
            nonlocal x
            if newline_before and lines[-1]:
                lines.append([])
                x = 0
            n = len(text)
            if x and x + 1 + n > width:
                lines.append([])
                x = 0
            if x:
                x += 1
            lines[-1].append(_Token(kind, x, text[:width], index, section))
            x += min(n, width)

        self._word_line = {}
        for i, w in enumerate(self.words):
            if w.section != current_section:
                current_section = w.section
                if w.section:
                    put("head", f"▍{w.section.upper()} {mmss(w.start)}", newline_before=True, section=w.section)
            put("word", w.text.strip() or "·", i)
            self._word_line[i] = len(lines) - 1
            if w.pause_after:
                put("pause", f"⏸{w.pause_after:.1f}s")
            elif w.hesitation_after:
                put("pause", "…?")
        self._lines = lines if lines[-1] or len(lines) == 1 else lines[:-1]
        self.virtual_size = Size(width, len(self._lines))

    def on_resize(self, event: events.Resize) -> None:
        self._relayout()
        self.refresh()

    # ---- rendering ------------------------------------------------------------------
    def render_line(self, y: int) -> Strip:
        self._relayout()
        scroll_x, scroll_y = self.scroll_offset
        line_no = y + scroll_y
        width = self.scrollable_content_region.width
        base = self.rich_style
        if line_no >= len(self._lines) or not self.words:
            if line_no == 0 and not self.words:
                text = Text("No words: nothing was transcribed for this take.", style="dim italic")
                return Strip(list(text.render(self.app.console)), text.cell_len).crop_extend(0, width, base)
            return Strip.blank(width, base)
        text = Text(no_wrap=True, overflow="crop")
        pos = 0
        for tok in self._lines[line_no]:
            if tok.x > pos:
                text.append(" " * (tok.x - pos))
                pos = tok.x
            style = self._token_style(tok)
            text.append(tok.text, style=style)
            pos += len(tok.text)
        segments = [Segment(s.text, base + s.style if s.style else base) for s in text.render(self.app.console)]
        return Strip(segments).crop_extend(scroll_x, scroll_x + width, base)

    def _token_style(self, tok: _Token) -> Style:
        if tok.kind == "head":
            return Style.parse(f"bold {STAR_COLOUR.get(tok.section or '', C.unknown)}")
        if tok.kind == "pause":
            return Style.parse("dim italic")
        w = self.words[tok.index]
        style = Style.parse(STAR_COLOUR[w.section]) if w.section in STAR_COLOUR else Style()
        if w.filler:
            style += Style.parse(C.filler_style)
        if tok.index == self.cursor and self.has_focus:
            style += Style(reverse=True)
        elif tok.index == self.cursor:
            style += Style(underline=True)
        if tok.index == self.playing:
            # A highlighter-yellow marks the word being played, in dark and light themes.
            style += Style.parse(C.playing_style)
        return style

    # ---- cursor ---------------------------------------------------------------------
    def watch_cursor(self, old: int, new: int) -> None:
        if self.words:
            self._scroll_to_word(new)
            self.post_message(self.CursorMoved(self, new))
        self.refresh()

    def watch_playing(self, old: int, new: int) -> None:
        if new >= 0 and self.words:
            self._scroll_to_word(new)
        self.refresh()

    def _scroll_to_word(self, index: int) -> None:
        line = self._word_line.get(index)
        if line is not None:
            self.scroll_to_region(Region(0, line, 1, 1), animate=False, force=True)

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()

    def action_word(self, step: int) -> None:
        if self.words:
            self.cursor = max(0, min(len(self.words) - 1, self.cursor + step))

    def action_jump(self, index: int) -> None:
        if self.words:
            self.cursor = index % len(self.words)

    def action_line(self, step: int) -> None:
        if not self.words:
            return
        line = self._word_line.get(self.cursor, 0)
        x = next((t.x for t in self._lines[line] if t.index == self.cursor), 0)
        target = line + step
        while 0 <= target < len(self._lines):
            cands = [t for t in self._lines[target] if t.kind == "word"]
            if cands:
                self.cursor = min(cands, key=lambda t: abs(t.x - x)).index
                return
            target += step

    def action_filler(self, step: int) -> None:
        n = len(self.words)
        i = self.cursor
        for _ in range(n):
            i += step
            if not 0 <= i < n:
                break
            if self.words[i].filler:
                self.cursor = i
                return
        self.notify("No more fillers in that direction.", timeout=2)

    def action_activate(self) -> None:
        if self.words:
            self.post_message(self.WordActivated(self, self.cursor))

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        line_no = offset.y + int(self.scroll_offset.y)
        if not 0 <= line_no < len(self._lines):
            return
        x = offset.x + int(self.scroll_offset.x)
        for tok in self._lines[line_no]:
            if tok.kind == "word" and tok.x <= x < tok.x + len(tok.text) + 1:
                self.cursor = tok.index
                self.post_message(self.WordActivated(self, tok.index))
                return
