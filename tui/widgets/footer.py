"""The footer of every screen: Textual's Footer, rebuilt only when what it shows changes.

Textual's Footer throws away and re-mounts all its keys each time the screen's bindings
*might* have changed (every focus change, every mount). On the Library that was five
rebuilds after the first frame, 40-60 ms each on a small machine, while the user waited
for the first key press to answer. Here a rebuild happens only when the keys it would show
(key, label, enabled, tooltip) differ from the ones on screen. And it shows the keys from
its first compose, so they are in the screen's first frame without a rebuild. Compact by
default: more keys fit in 80 columns (and each key is styled once, not twice).
"""

from __future__ import annotations

from typing import Hashable

from textual.app import ComposeResult
from textual.widgets import Footer


class KeysFooter(Footer):
    def __init__(self, *args: object, compact: bool = True, **kwargs: object) -> None:
        super().__init__(*args, compact=compact, **kwargs)  # type: ignore[arg-type]
        self._shown: Hashable | None = None
        # Textual's Footer waits for a first "bindings changed" signal and then rebuilds;
        # the screen's bindings are already known when the footer is composed.
        self.set_reactive(Footer._bindings_ready, True)

    def _signature(self) -> Hashable:
        """What compose() would show now."""
        bindings = tuple(
            (binding.key, binding.action, binding.description, binding.group, enabled, tooltip)
            for (_, binding, enabled, tooltip) in self.screen.active_bindings.values()
            if binding.show
        )
        palette = None
        if self.show_command_palette and self.app.ENABLE_COMMAND_PALETTE:
            entry = self.screen.active_bindings.get(self.app.COMMAND_PALETTE_BINDING)
            if entry is not None:
                palette = (entry.binding.key, entry.binding.description, entry.enabled)
        return (self._bindings_ready, self.compact, self.combine_groups, bindings, palette)

    def compose(self) -> ComposeResult:
        self._shown = self._signature()
        yield from super().compose()

    async def recompose(self) -> None:
        if not self.is_attached:
            return
        signature = self._signature()
        if signature == self._shown:
            return
        self._shown = signature
        await super().recompose()
