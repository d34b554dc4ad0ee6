"""The base of the app's screens (apart from the app module, so that screens never
import ``tui.app`` and the app imports its screens one way only)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from textual.screen import Screen
from textual.worker import Worker, WorkerState

if TYPE_CHECKING:  # annotations only: the app imports the screens, never the other way
    from tui.app import RehearseApp


class RehearseScreen(Screen):
    """Base for the app's screens: forwards worker failures to the app (one handler);
    ``self.app`` is typed as the RehearseApp (its settings, services, navigation)."""

    @property
    def app(self) -> RehearseApp:  # type: ignore[override]  # a read-only property, narrowed
        return cast("RehearseApp", super().app)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        try:
            app = self.app
        except Exception:  # noqa: BLE001 - built outside a running app (nothing to save)
            return
        if not getattr(app, "first_frame_shown", True):
            # The start screen: Textual re-parses every stylesheet when a mode's first
            # screen has not seen the app's current CSS "generation", which at start-up
            # it always has (nothing has changed yet). Marking it current saves that
            # second parse, ~10-20 ms of the first frame. (Textual-internal counter: if
            # it is renamed this does nothing and the start is merely slower.)
            self._css_update_count = getattr(app, "_css_update_count", -1)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state == WorkerState.ERROR:
            self.app.on_worker_failed(self, event.worker)
