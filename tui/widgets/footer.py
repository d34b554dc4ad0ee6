"""The footer of every screen: the keys that work here, on one line; click one to press it.

Textual's Footer is a container of one widget per key, thrown away and rebuilt each time
the screen's bindings *might* have changed (every focus change, every mount). Those
widgets were a quarter of all the work before the Library's first frame, and five
rebuilds of 40-60 ms each followed it on a small machine. This footer is one widget that
draws the same hints as one line of text and redraws only when the keys it shows change.
"""

from __future__ import annotations

from typing import Hashable, NamedTuple

from rich.style import Style
from rich.text import Text
from textual import events
from textual.screen import Screen
from textual.widget import Widget


class _Key(NamedTuple):
    key: str  # the key to simulate on click
    display: str  # how it is shown ("⏎", "f2", "^p")
    description: str
    enabled: bool


class KeysFooter(Widget):
    """One line of key hints at the bottom of a screen (the screen's and the app's
    bindings with ``show=True``; the command palette key on the right)."""

    ALLOW_SELECT = False
    COMPONENT_CLASSES = {"keys-footer--key", "keys-footer--description"}
    DEFAULT_CSS = """
    KeysFooter {
        dock: bottom;
        height: 1;
        background: $footer-background;
        color: $footer-foreground;
    }
    KeysFooter > .keys-footer--key {
        color: $footer-key-foreground;
        background: $footer-key-background;
        text-style: bold;
    }
    KeysFooter > .keys-footer--description {
        color: $footer-description-foreground;
    }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._signature: Hashable = None
        self._keys: list[_Key] = []
        self._palette: _Key | None = None
        self._spans: list[tuple[int, int, str]] = []  # (start, end, key) of each hint

    @property
    def shown(self) -> list[str]:
        """The descriptions of the keys shown, in order (the palette key last)."""
        return [k.description for k in self._keys] + ([self._palette.description] if self._palette else [])

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)
        self._read_bindings()

    def _bindings_changed(self, screen: Screen) -> None:
        if self.is_attached and screen is self.screen:
            self._read_bindings()

    def _read_bindings(self) -> None:
        app = self.app
        active = self.screen.active_bindings
        keys: list[_Key] = []
        seen: set[str] = set()
        for _, binding, enabled, _tooltip in active.values():
            if not binding.show or binding.action in seen:
                continue  # several keys for one action ("d,delete"): the first one
            seen.add(binding.action)
            keys.append(_Key(binding.key, app.get_key_display(binding), binding.description, enabled))
        palette = None
        if app.ENABLE_COMMAND_PALETTE and app.COMMAND_PALETTE_BINDING in active:
            _, binding, enabled, _tooltip = active[app.COMMAND_PALETTE_BINDING]
            palette = _Key(binding.key, app.get_key_display(binding), binding.description, enabled)
        signature = (tuple(keys), palette)
        if signature != self._signature:
            self._signature, self._keys, self._palette = signature, keys, palette
            self.refresh()

    def _hint(self, key: _Key, key_style: Style, description_style: Style) -> Text:
        dim = Style(dim=not key.enabled)
        return Text.assemble((f" {key.display} ", key_style + dim), (f"{key.description} ", description_style + dim))

    def render(self) -> Text:
        key_style = self.get_component_rich_style("keys-footer--key", partial=True)
        description_style = self.get_component_rich_style("keys-footer--description", partial=True)
        width = self.size.width
        right = Text()
        if self._palette is not None:
            right = Text("▏", style="dim") + self._hint(self._palette, key_style, description_style)
        room = max(0, width - right.cell_len)
        line = Text(no_wrap=True, overflow="crop", end="")
        self._spans = []
        for key in self._keys:  # the ones that fit, in order (? opens the full list)
            hint = self._hint(key, key_style, description_style)
            if line.cell_len + hint.cell_len > room:
                break
            self._spans.append((line.cell_len, line.cell_len + hint.cell_len, key.key))
            line.append_text(hint)
        if right and width >= right.cell_len:
            line.append(" " * (room - line.cell_len))
            self._spans.append((room, width, self._palette.key))  # type: ignore[union-attr]
            line.append_text(right)
        return line

    def on_click(self, event: events.Click) -> None:
        for start, end, key in self._spans:
            if start <= event.x < end:
                self.app.simulate_key(key)
                return
