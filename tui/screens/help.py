"""`?`: every key of the current screen and the app, generated from the bindings."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Label, Static

ABOUT = {
    "LibraryScreen": "Your takes, newest first (new ones highlighted). Open one to see its report; "
    "n records the highlighted take's question again. Trends (t: all questions, this "
    "question, off) show fillers/min, pace and Action share over time.",
    "PractiseScreen": "Pick a question (or type your own), set a target length, record. While "
    "recording press 1-4 or s/t/a/r when you move on to the Situation, Task, Action, Result: "
    "those markers make the STAR timing exact.",
    "ReviewScreen": "The report of one take. Space plays, ←/→ seek 5 s, Enter plays from the word "
    "under the cursor, f jumps to the next filler after where you are: the word cursor and "
    "playback are one position. Select a word and press 1-4 to say 'this section starts "
    "here': the report is re-scored at once. n records this question again.",
    "CompareScreen": "Takes of the same question side by side, with the change from the first to the last.",
    "SettingsScreen": "The most used settings first (model, microphone, target length, theme), "
    "the analysis thresholds last under Advanced. Ctrl+S saves into your settings file, "
    "changing only what you changed, and applies at once.",
}


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,question_mark,q", "dismiss", "Close")]

    def __init__(self, under: Screen) -> None:
        super().__init__(classes="dialog-screen")
        self.under = under

    def compose(self) -> ComposeResult:
        table = Table(box=None, show_header=False, padding=(0, 2, 0, 0), expand=True)
        table.add_column(style="bold", no_wrap=True)
        table.add_column()
        seen = set()

        # listed once each, below: the palette and moving between panels
        covered = {
            "command_palette",
            "app.command_palette",
            "focus_next",
            "focus_previous",
            "app.focus_next",
            "app.focus_previous",
        }

        def add(binding: Binding, key_display: str) -> None:
            name = binding.description.strip().lower()
            if not name or name in seen or binding.action in covered:
                return
            seen.add(name)
            table.add_row(key_display, Text(binding.description))

        # The screen's own keys first (all of them, even where a focused widget shadows
        # the key), then our custom widgets' keys, then the app's.
        for b in type(self.under).BINDINGS:
            if isinstance(b, Binding):
                add(b, ", ".join(self.app.get_key_display(Binding(k, b.action)) for k in b.key.split(",")))
        for active in self.under.active_bindings.values():
            if type(active.node).__module__.startswith("textual."):
                continue  # scrolling/editing keys of built-in widgets: standard, not ours
            add(active.binding, self.app.get_key_display(active.binding))
        extra = [
            ("ctrl+p", "Command palette: search every action by name"),
            ("tab / shift+tab", "Move between panels"),
        ]
        for k, d in extra:
            table.add_row(k, d)
        with VerticalScroll(classes="dialog wide tall"):
            yield Label(f"Help — {type(self.under).__name__.replace('Screen', '')}", classes="dialog-question")
            yield Static(ABOUT.get(type(self.under).__name__, ""), classes="help-about")
            yield Static(table)
            yield Label("Esc or ? closes", classes="dim")
