"""Practise's recording view: the question, the timer against the target, the level, the
STAR section keys, the live words and figures, and the progress from Enter to the report.
The screen owns the recording and tells the panel what to show."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Digits, Label, ProgressBar, Static

from tui.format import STAR, STAR_COLOUR, STAR_LETTER, C, mmss
from tui.widgets.level_meter import LevelMeter


class RecordingPanel(Vertical):
    """``#rec``: ``#rec-question``, ``#timer``/``#timer-target``, ``#rec-progress``,
    ``#level``, ``#star-keys``, ``#live-stats``, ``#live-words`` and ``#rec-status``."""

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id, classes=classes)
        self._shown_words = 0
        self._shown_behind = ""
        self._finish_total: float | None = None

    def compose(self) -> ComposeResult:
        yield Static("", id="rec-question")
        with Horizontal(id="timer-row"):
            yield Digits("0:00", id="timer")
            yield Label("", id="timer-target")
        yield ProgressBar(id="rec-progress", show_eta=False, show_percentage=False)
        yield LevelMeter(id="level")
        yield Static("", id="star-keys")
        yield Static("", id="live-stats")  # quiet live feedback ([ui] live_feedback)
        yield Static("", id="live-words")
        yield Label("", id="rec-status")

    def begin(self, question: str, target: float) -> None:
        """A new recording of ``question`` against ``target`` seconds."""
        self.query_one("#rec-question", Static).update(Text(question, style="bold"))
        self.query_one("#rec-progress", ProgressBar).update(total=target, progress=0)
        self.query_one("#timer-target", Label).update(f"  of {mmss(target)}")
        self.query_one("#live-words", Static).update("")
        self._shown_words = 0

    def show_time(self, elapsed: float, target: float, level: Any) -> None:
        self.query_one("#timer", Digits).update(mmss(elapsed))
        self.query_one("#timer").set_class(elapsed > target, "over")
        self.query_one("#rec-progress", ProgressBar).update(progress=min(elapsed, target))
        if level is not None:
            self.query_one("#level", LevelMeter).set_level(*level)

    def show_live_words(self, words: Sequence[Any], behind: Any) -> None:
        """The last 60 live words, and how far the live words are behind the voice."""
        behind_text = f"{behind:.0f} s behind" if isinstance(behind, (int, float)) else ""
        if len(words) != self._shown_words or behind_text != self._shown_behind:
            self._shown_words = len(words)
            self._shown_behind = behind_text
            text = Text(" ".join(getattr(w, "text", str(w)).strip() for w in words[-60:]))
            if behind_text:
                text.append(f"  (live words {behind_text})", style="dim")
            self.query_one("#live-words", Static).update(text)

    def show_stats(self, parts: Sequence[tuple[str, str]] | None) -> None:
        """The live figures (``tui.live_feedback.feedback_line``); None: none."""
        box = self.query_one("#live-stats", Static)
        if parts is None:
            box.update("")
            return
        text = Text(style="dim")
        for piece, role in parts:
            text.append(piece, style={"good": C.good, "warn": f"bold {C.warn}"}.get(role, ""))
        box.update(text)

    def show_keys(self, current: str | None, prompt: bool) -> None:
        """The STAR section keys, ``current`` lit; ``prompt``: say when to press them."""
        keys = Text()
        for k in STAR:
            idx = STAR.index(k) + 1
            style = f"bold {C.on_fill} on {STAR_COLOUR[k]}" if k == current else STAR_COLOUR[k]
            keys.append(f" {idx}/{STAR_LETTER[k].lower()} {k.capitalize()} ", style=style)
            keys.append(" ")
        if prompt:
            keys.append(" ← press when you start each part", style="dim")
        self.query_one("#star-keys", Static).update(keys)

    def show_status(self, status: str, recording: bool) -> None:
        label = self.query_one("#rec-status", Label)
        label.update(status)
        label.set_class(recording, "recording")

    # ---- from Enter to the report -----------------------------------------------------
    def finishing(self) -> None:
        """Enter: the progress restarts, with no end known yet."""
        self._finish_total = None
        self.query_one("#rec-progress", ProgressBar).update(total=None, progress=0)

    def show_live_left(self, left: float, eta: float | None) -> None:
        """Seconds of audio the live words still owe, and the time that should take."""
        if left > 0.05:
            text = f"Transcribing: {left:.1f} s of audio left"
            text += f", about {max(1, round(eta))} s" if eta is not None else ""
        else:
            text = "Analysing…"
        self.query_one("#rec-status", Label).update(text)
        total = self._finish_total
        if total is None or left > total:
            self._finish_total = total = max(left, 0.1)
        self.query_one("#rec-progress", ProgressBar).update(total=total, progress=max(0.0, total - left))

    def show_transcribed(self, done: float, total: float | None, spent: float | None) -> None:
        """Progress of transcribing the file; ``spent``: seconds so far, to say how long
        the rest takes (None: the live words own the status line)."""
        self.query_one("#rec-progress", ProgressBar).update(total=total or None, progress=done)
        if total and spent is not None:
            left = max(0.0, total - done)
            text = f"Transcribing: {left:.1f} s of audio left"
            if done > 1.0 and spent > 0.5:
                text += f", about {max(1, round(left * spent / done))} s"
            self.query_one("#rec-status", Label).update(text if left > 0.05 else "Analysing…")
