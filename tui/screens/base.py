"""The base of the app's screens, and the part of the app they use (apart from the app
module, so that screens never import ``tui.app``, not even for type checking: the app
imports its screens, one way only)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, cast

from textual.app import App
from textual.screen import Screen
from textual.worker import Worker, WorkerState

if TYPE_CHECKING:
    from tui.services import Services
    from tui.settings import AppSettings


class RehearseAppBase(App[int]):
    """What the screens use of the Rehearse app; tui.app.RehearseApp implements it."""

    settings: AppSettings
    services: Services
    pending_practise: str | None
    """A take whose question Practise opens with (taken by Practise when it shows)."""
    first_frame_shown: bool
    recover: bool
    """Recover unfinished recordings at start (off in tests that build their own library)."""
    ensure_sample: bool
    """Install the bundled example take on first run."""

    def after_first_frame(self, screen: Screen[Any] | App[Any], callback: Callable[[], Any]) -> None:
        raise NotImplementedError

    def open_review(self, take_id: str) -> None:
        raise NotImplementedError

    def open_compare(self, take_ids: list[str]) -> None:
        raise NotImplementedError

    def practise_again(self, take_id: str) -> None:
        raise NotImplementedError

    def apply_settings(self, settings: AppSettings, *, save: bool = True, quiet: bool = False) -> None:
        raise NotImplementedError

    def on_worker_failed(self, screen: Any, worker: Worker[Any]) -> None:
        raise NotImplementedError


class RehearseScreen(Screen):
    """Base for the app's screens: forwards worker failures to the app (one handler);
    ``self.app`` is typed as the Rehearse app (its settings, services, navigation)."""

    @property
    def app(self) -> RehearseAppBase:  # type: ignore[override]  # a read-only property, narrowed
        return cast(RehearseAppBase, super().app)

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
