"""The footer of every screen: the keys that work here, on one line; click one to press it.

Textual's Footer is a container of one widget per key, thrown away and rebuilt each time
the screen's bindings *might* have changed (every focus change, every mount). Those
widgets were a quarter of all the work before the Library's first frame, and five
rebuilds of 40-60 ms each followed it on a small machine. This footer is one widget that
draws the same hints as one line of text and redraws only when the keys it shows change.

What it shows, left to right: the main keys (the screen's and the app's bindings with
``show=True``, in the order the screen declares them; these always fit at 80 columns, in
a tighter spacing if need be), then, where the terminal is wide enough, the focused
widget's keys and the screen's other keys; on the right, always, ``? Help`` and the
command palette key (both list every key). Keys of one ``Binding.Group`` share a hint
(``← → ±5 s``). The places (f2/f3/f4) are in the title bar, so they cost no room here.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import NamedTuple

from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.screen import Screen
from textual.widget import Widget

PINNED_RIGHT = ("help",)  # binding ids drawn at the right end, beside the palette key
IN_TITLE_BAR = "switch_mode("  # actions the title bar shows as tabs


class _Key(NamedTuple):
    key: str  # the key to simulate on click
    display: str  # how it is shown ("⏎", "f2", "^p")
    description: str
    enabled: bool
    group: Binding.Group | None = None  # consecutive keys of one group share a description


def key_hint(
    display: str,
    description: str,
    key_style: Style,
    description_style: Style,
    enabled: bool = True,
    compact: bool = False,
) -> Text:
    """`` key description `` as drawn in the footer and the title bar (compact: no space
    after the description)."""
    dim = Style(dim=not enabled)
    return Text.assemble(
        (f" {display} ", key_style + dim), (description if compact else f"{description} ", description_style + dim)
    )


def _units(keys: list[_Key]) -> list[list[_Key]]:
    """Keys in hint units: a run of keys of one ``Binding.Group`` is one unit."""
    units: list[list[_Key]] = []
    for key in keys:
        if units and key.group is not None and units[-1][-1].group == key.group:
            units[-1].append(key)
        else:
            units.append([key])
    return units


def _unit_hint(
    unit: list[_Key], key_style: Style, description_style: Style, compact: bool = False
) -> tuple[Text, list[tuple[int, int, str]]]:
    """A unit drawn (`` ← → ±5 s ``) and the (start, end, key) spans a click presses."""
    if len(unit) == 1:
        k = unit[0]
        hint = key_hint(k.display, k.description, key_style, description_style, k.enabled, compact)
        return hint, [(0, hint.cell_len, k.key)]
    text, spans = Text(end=""), []
    for k in unit:
        piece = Text(f" {k.display}", style=key_style + Style(dim=not k.enabled), end="")
        spans.append((text.cell_len, text.cell_len + piece.cell_len, k.key))
        text.append_text(piece)
    text.append(" ", style=key_style)
    description = unit[0].group.description  # type: ignore[union-attr]
    text.append(description if compact else f"{description} ", style=description_style)
    return text, spans


class KeysFooter(Widget):
    """One line of key hints at the bottom of a screen."""

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
        self._main: list[_Key] = []  # show=True bindings
        self._more: list[_Key] = []  # the screen's own show=False bindings, shown if room
        self._right: list[_Key] = []  # help, palette
        self._spans: list[tuple[int, int, str]] = []  # (start, end, key) of each hint drawn
        self._drawn: list[str] = []

    @property
    def keys(self) -> list[str]:
        """The descriptions of every key this footer may show, in order."""
        return [k.description for k in self._main + self._more + self._right]

    @property
    def main_keys(self) -> list[str]:
        """The descriptions of the keys that must fit (main keys, help, palette)."""
        return [k.description for k in self._main + self._right]

    @property
    def shown(self) -> list[str]:
        """The descriptions of the keys drawn at the current width, left to right."""
        self.render()
        return list(self._drawn)

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)
        self._read_bindings()

    def _bindings_changed(self, screen: Screen) -> None:
        if self.is_attached and screen is self.screen:
            self._read_bindings()

    def _read_bindings(self) -> None:
        app = self.app
        screen = self.screen
        declared = [b for b in getattr(type(screen), "BINDINGS", ()) if isinstance(b, Binding)]
        order = {b.action: i for i, b in reversed(list(enumerate(declared)))}
        first_key = {b.action: b.key.split(",")[0].strip() for b in reversed(declared)}
        # One hint per action ("d,delete"), showing the key declared first where it is active.
        chosen: dict[str, tuple[object, Binding, bool]] = {}
        for node, binding, enabled, _tooltip in screen.active_bindings.values():
            if binding.action not in chosen or binding.key == first_key.get(binding.action):
                chosen[binding.action] = (node, binding, enabled)
        main: list[tuple[int, _Key]] = []
        widget: list[_Key] = []
        more: list[_Key] = []
        pinned: dict[str, _Key] = {}
        for node, binding, enabled in chosen.values():
            if binding.action.startswith(IN_TITLE_BAR):
                continue
            key = _Key(binding.key, app.get_key_display(binding), binding.description, enabled, binding.group)
            if binding.id in PINNED_RIGHT and binding.show:
                pinned[binding.id] = key
            elif binding.show and (node is screen or node is app):
                # the screen's keys in the order it declares them (priority bindings come
                # first in active_bindings), then the app's
                main.append((order.get(binding.action, len(order)) if node is screen else len(order), key))
            elif binding.show:  # the focused widget's own keys: first of the others
                widget.append(key)
            elif node is screen and binding.action in order and binding.description:
                more.append(key)
        right = [pinned[i] for i in PINNED_RIGHT if i in pinned]
        active = screen.active_bindings
        if app.ENABLE_COMMAND_PALETTE and app.COMMAND_PALETTE_BINDING in active:
            _, binding, enabled, _tooltip = active[app.COMMAND_PALETTE_BINDING]
            right.append(_Key(binding.key, app.get_key_display(binding), binding.description, enabled))
        ordered = [k for _, k in sorted(main, key=lambda item: item[0])]
        more = widget + more
        signature = (tuple(ordered), tuple(more), tuple(right))
        if signature != self._signature:
            self._signature, self._main, self._more, self._right = signature, ordered, more, right
            self.refresh()

    def render(self) -> Text:
        key_style = self.get_component_rich_style("keys-footer--key", partial=True)
        description_style = self.get_component_rich_style("keys-footer--description", partial=True)
        line, spans, drawn = self._layout(key_style, description_style, compact=False)
        if not set(self.main_keys) <= set(drawn):  # tighter spacing before leaving main keys out
            line, spans, drawn = self._layout(key_style, description_style, compact=True)
        self._spans, self._drawn = spans, drawn
        return line

    def _layout(
        self, key_style: Style, description_style: Style, compact: bool
    ) -> tuple[Text, list[tuple[int, int, str]], list[str]]:
        width = self.size.width
        right = Text("▏", style="dim", end="") if self._right else Text(end="")
        right_spans: list[tuple[int, int, str]] = []
        for unit in _units(self._right):
            hint, spans = _unit_hint(unit, key_style, description_style, compact)
            right_spans += [(right.cell_len + a, right.cell_len + b, k) for a, b, k in spans]
            right.append_text(hint)
        if right.cell_len > width:  # too narrow even for help and the palette
            right, right_spans = Text(end=""), []
        room = width - right.cell_len - (1 if compact and right_spans else 0)
        line = Text(no_wrap=True, overflow="crop", end="")
        all_spans: list[tuple[int, int, str]] = []
        drawn: list[str] = []
        for keys, fill in ((self._main, False), (self._more, True)):
            for unit in _units(keys):  # in order; the rest are listed by ? and the palette
                hint, spans = _unit_hint(unit, key_style, description_style, compact)
                if line.cell_len + hint.cell_len > room:
                    if fill:
                        continue  # a shorter one further on may still fit
                    break
                all_spans += [(line.cell_len + a, line.cell_len + b, k) for a, b, k in spans]
                drawn += [k.description for k in unit]
                line.append_text(hint)
            else:
                continue
            break  # a main key did not fit: none of the others after it
        if right_spans:
            start = width - right.cell_len
            line.append(" " * (start - line.cell_len))
            all_spans += [(start + a, start + b, k) for a, b, k in right_spans]
            drawn += [k.description for k in self._right]
            line.append_text(right)
        return line, all_spans, drawn

    def on_click(self, event: events.Click) -> None:
        for start, end, key in self._spans:
            if start <= event.x < end:
                self.app.simulate_key(key)
                return
