"""The line that shows one long job (re-scoring, transcribing, a model download): what runs
and how far; hidden when nothing runs. The screen runs the job and tells the bar."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Label

if TYPE_CHECKING:  # pragma: no cover
    from textual.widgets import ProgressBar


class JobBar(Horizontal):
    """``#jobbar``: a ``#job-label`` and a ``#job-progress`` bar. With ``build=False`` the two
    are mounted later (``build()``), so that a start screen has fewer widgets to style."""

    def __init__(self, label: str = "", *, build: bool = True) -> None:
        super().__init__(id="jobbar", classes="hidden")
        self._label = label
        self._build_now = build

    def compose(self) -> ComposeResult:
        if self._build_now:
            from textual.widgets import ProgressBar

            yield Label(self._label, id="job-label")
            yield ProgressBar(id="job-progress", show_eta=False)

    async def build(self) -> None:
        """Mount the label and the bar if they are not there yet."""
        from textual.widgets import ProgressBar

        if not self.query("#job-progress"):
            await self.mount_all([Label(self._label, id="job-label"), ProgressBar(id="job-progress", show_eta=False)])

    def _bar(self) -> ProgressBar | None:
        from textual.widgets import ProgressBar

        found = self.query("#job-progress").results(ProgressBar)
        return next(iter(found), None)

    def start(self, label: str | Text | None = None) -> None:
        """Show the bar, running with no end known yet."""
        self.remove_class("hidden")
        if label is not None:
            self.say(label)
        bar = self._bar()
        if bar is not None:
            bar.update(total=None, progress=0)

    def say(self, label: str | Text) -> None:
        for found in self.query("#job-label").results(Label):
            found.update(label)

    def advance(self, done: float, total: float | None) -> None:
        bar = self._bar()
        if bar is not None:
            bar.update(total=total, progress=done)

    def finish(self) -> None:
        self.add_class("hidden")
