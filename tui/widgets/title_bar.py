"""The top line of every screen: where you are ("Rehearse — Review") and the app's places
as tabs with their keys (f2 Practise, f3 Library, f4 Settings), the current one lit.
Click a tab to go there. One widget drawing one line, like the footer."""

from __future__ import annotations

import re
from typing import NamedTuple

from rich.text import Text
from textual import events
from textual.widget import Widget

from tui.widgets.footer import key_hint

_MODE = re.compile(r"""switch_mode\(['"](\w+)['"]\)""")


class _Tab(NamedTuple):
    key: str
    display: str
    description: str
    mode: str


class TitleBar(Widget):
    """Title on the left, one tab per ``switch_mode`` binding of the app on the right."""

    ALLOW_SELECT = False
    COMPONENT_CLASSES = {"title-bar--title", "title-bar--key", "title-bar--tab", "title-bar--current"}
    DEFAULT_CSS = """
    TitleBar {
        dock: top;
        height: 1;
        background: $panel;
        color: $foreground;
    }
    TitleBar > .title-bar--title { text-style: bold; }
    TitleBar > .title-bar--key { color: $footer-key-foreground; text-style: bold; }
    TitleBar > .title-bar--tab { color: $text-muted; }
    TitleBar > .title-bar--current { background: $accent; color: $text; text-style: bold; }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._spans: list[tuple[int, int, str]] = []

    def tabs(self) -> list[_Tab]:
        """The app's ``switch_mode`` bindings, in the order they are declared."""
        app = self.app
        out: list[_Tab] = []
        for node, binding, _enabled, _tooltip in self.screen.active_bindings.values():
            match = _MODE.fullmatch(binding.action)
            if node is app and match and binding.description:
                out.append(_Tab(binding.key, app.get_key_display(binding), binding.description, match.group(1)))
        return out

    @property
    def title(self) -> str:
        sub = self.screen.sub_title
        return f"{self.app.title} — {sub}" if sub else self.app.title

    def render(self) -> Text:
        title_style = self.get_component_rich_style("title-bar--title", partial=True)
        key_style = self.get_component_rich_style("title-bar--key", partial=True)
        tab_style = self.get_component_rich_style("title-bar--tab", partial=True)
        current_style = self.get_component_rich_style("title-bar--current", partial=True)
        current = self.app.current_mode
        tabs = Text(end="")
        spans: list[tuple[int, int, str]] = []
        for tab in self.tabs():
            lit = tab.mode == current
            hint = key_hint(
                tab.display,
                tab.description,
                key_style + current_style if lit else key_style,
                current_style if lit else tab_style,
            )
            spans.append((tabs.cell_len, tabs.cell_len + hint.cell_len, tab.key))
            tabs.append_text(hint)
        title = Text(f" {self.title} ", style=title_style, end="")
        # Before the first layout the widget has no width yet: draw the whole line (the
        # compositor crops it) rather than a title cut down to "…".
        width = self.size.width or title.cell_len + tabs.cell_len
        if title.cell_len + tabs.cell_len > width:
            tabs, spans = Text(end=""), []  # narrow terminal: the title matters more
        room = width - tabs.cell_len
        title.truncate(room, overflow="ellipsis")
        line = Text(no_wrap=True, overflow="crop", end="")
        line.append_text(title)
        line.append(" " * max(0, room - title.cell_len))
        self._spans = [(room + a, room + b, k) for a, b, k in spans]
        line.append_text(tabs)
        return line

    def on_click(self, event: events.Click) -> None:
        for start, end, key in self._spans:
            if start <= event.x < end:
                self.app.simulate_key(key)
                return
