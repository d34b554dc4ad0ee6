"""The Rehearse app: ``make_app()`` builds it (CLI and tests), ``run_app()`` runs it.

Screens (modes): Library (home), Practise, Settings; Review and Compare open on top.
All slow work runs in thread workers; their errors all arrive at
:meth:`RehearseApp.on_worker_failed` (the one place they are shown).
"""

from __future__ import annotations

import contextlib
import gc
import logging
import os
import sys
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen
from textual.worker import Worker

from tui.messages import PractiseAgain
from tui.screens.base import RehearseAppBase
from tui.services import Services
from tui.settings import AppSettings

log = logging.getLogger("rehearse.tui")


THEMES = ("textual-dark", "textual-light")
_SERVICE_KEYS = (
    "library",
    "recorder_factory",
    "player_factory",
    "transcribe",
    "live_transcriber_factory",
    "analyze",
    "pull_model",
)


def _library_screen() -> Screen:
    from tui.screens.library import LibraryScreen

    return LibraryScreen()


def _practise_screen() -> Screen:
    from tui.screens.practise import PractiseScreen

    return PractiseScreen()


def _settings_screen() -> Screen:
    from tui.screens.settings import SettingsScreen

    return SettingsScreen()


class RehearseApp(RehearseAppBase):
    CSS_PATH = "rehearse.tcss"
    TITLE = "Rehearse"
    SUB_TITLE = "practise spoken answers, privately"
    MODES = {"library": _library_screen, "practise": _practise_screen, "settings": _settings_screen}
    BINDINGS = [
        Binding("question_mark", "help", "Help", id="help"),
        Binding("f2", "switch_mode('practise')", "Practise", id="go-practise"),
        Binding("f3", "switch_mode('library')", "Library", id="go-library"),
        Binding("f4", "switch_mode('settings')", "Settings", id="go-settings"),
        Binding("ctrl+t", "toggle_theme", "Light/dark", show=False, id="theme"),
        Binding("ctrl+q", "quit", "Quit", id="quit", priority=True, show=False),
    ]

    def __init__(
        self,
        settings: AppSettings,
        services: Services,
        *,
        start: str = "library",
        open_take: str | None = None,
        ensure_sample: bool = True,
        recover: bool = True,
    ) -> None:
        # Start straight in the wanted mode (no throw-away default screen first).
        # (per app, not per class: a ClassVar to Textual, read by App.__init__)
        self.DEFAULT_MODE = start if start in self.MODES else "library"  # pyright: ignore[reportAttributeAccessIssue]
        super().__init__()
        self.first_frame_shown = False
        self.pending_practise: str | None = None  # a take whose question Practise opens with
        self._after_first_frame: list[tuple[Screen | App, Callable[[], Any]]] = []
        self._terminal_fd: int | None = None  # watched for a hang-up once running
        self.settings = settings
        self.services = services
        services.on_library_wait = self._say_library_wait
        self._start = start
        self._open_take = open_take
        self.ensure_sample = ensure_sample
        self.recover = recover
        theme = settings.ui.theme
        if theme != self.theme and theme in self.available_themes:
            self.theme = theme  # (setting it re-parses all CSS: only when it differs)
        from tui.format import use_palette

        use_palette(bool(getattr(self.available_themes.get(self.theme), "dark", True)))

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: Any = "information",
        timeout: float | None = None,
        markup: bool = False,
    ) -> None:
        """Notifications show their text as written: they carry questions, transcript
        words, file names and error messages, where "[transcription]" is text, not
        markup. (Widgets pass markup=True by default; it is ignored here.)"""
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=False)

    # ---- lifecycle ----------------------------------------------------------------------
    def _say_library_wait(self, message: str) -> None:
        """Another Rehearse holds the library lock: say so at once, as a notification
        (the command line says it on stderr), from whichever thread is waiting."""
        _notify_from_any_thread(self, message)

    def after_first_frame(self, screen: Screen | App, callback: Callable[[], Any]) -> None:
        """Run ``callback`` once the first frame is on the terminal (at once if it already
        is): work that the user need not see in the first frame (loading the library,
        building charts) must not delay it."""
        if self.first_frame_shown:
            screen.call_after_refresh(callback)
        else:
            self._after_first_frame.append((screen, callback))

    def on_ready(self) -> None:
        # Textual's Ready comes while the start-up batch may still be open, before the
        # frame is written; call_after_refresh on the screen then waits for that write.
        self.first_frame_shown = True
        pending, self._after_first_frame = self._after_first_frame, []
        for screen, callback in pending:
            screen.call_after_refresh(callback)
        self._terminal_fd = _terminal_fd()
        if not self.is_headless and self._terminal_fd is not None:
            self.set_interval(1.0, self._check_terminal, name="terminal-watch")

    def _check_terminal(self) -> None:
        """Quit when the terminal has gone away without a SIGHUP (e.g. the program that
        held the other end of the pty was killed): Textual's input loop would otherwise
        spin on the dead terminal at full CPU for ever. A recording in progress is kept
        and recovered at the next start, as with any quit."""
        if terminal_hung_up(self._terminal_fd):
            self.exit(0)  # (nothing to print: there is no terminal to print on)

    def watch_theme(self, theme_name: str) -> None:
        """Text colours follow the theme (each palette readable on its background);
        screens that built coloured text redraw it (``restyle``)."""
        from tui.format import use_palette

        theme = self.available_themes.get(theme_name)
        use_palette(bool(getattr(theme, "dark", True)))
        for screen in list(self.screen_stack):
            restyle = getattr(screen, "restyle", None)
            if callable(restyle) and screen.is_mounted:
                restyle()
            screen.refresh(layout=False)
            for widget in screen.walk_children():
                widget.refresh()

    def on_mount(self) -> None:
        if self.settings.ui.theme not in self.available_themes:
            self.notify(
                f"Unknown theme {self.settings.ui.theme!r} in the settings; using {self.theme}. "
                f"Known: {', '.join(sorted(self.available_themes))}",
                severity="warning",
                timeout=10,
            )
        if self._open_take:
            self.open_review(self._open_take)

    # ---- navigation -----------------------------------------------------------------------
    def open_review(self, take_id: str) -> None:
        from tui.screens.review import ReviewScreen

        self.push_screen(ReviewScreen(take_id))

    def open_compare(self, take_ids: list[str]) -> None:
        from tui.screens.compare import CompareScreen

        self.push_screen(CompareScreen(take_ids))

    def practise_again(self, take_id: str) -> None:
        """Practise the question of take ``take_id`` again (Review and Library: n)."""
        reason = self._busy()
        if reason:
            self.notify(reason, severity="warning")
            return
        while len(self.screen_stack) > 1:  # leave Review/Compare on top of the Library
            self.pop_screen()
        self.pending_practise = take_id  # taken by the Practise screen when it shows
        if self.current_mode == "practise":
            self.screen.post_message(PractiseAgain())
        else:
            self.switch_mode("practise")

    def _busy(self) -> str | None:
        for mode_screen in (self.screen, *self.screen_stack):
            reason = getattr(mode_screen, "busy_reason", None)
            text = reason() if callable(reason) else None
            if text:
                return str(text)
        return None

    async def action_switch_mode(self, mode: str) -> None:
        if mode != self.current_mode:
            reason = self._busy()
            if reason:
                self.notify(reason, severity="warning")
                return
            unsaved = getattr(self.screen, "unsaved", None)
            if callable(unsaved) and unsaved():
                from tui.screens.dialogs import ConfirmScreen

                screen = self.screen

                def answer(leave: bool | None) -> None:
                    if leave:
                        screen.action_revert()  # type: ignore[attr-defined]
                        self.switch_mode(mode)

                self.push_screen(
                    ConfirmScreen(
                        "The settings have unsaved edits.\nLeave without saving them? (Stay, then ctrl+s saves.)",
                        yes="Leave",
                        no="Stay",
                    ),
                    answer,
                )
                return
        self.switch_mode(mode)

    async def action_quit(self) -> None:
        from tui.screens.dialogs import ConfirmScreen

        reason = self._busy()
        unsaved = getattr(self.screen, "unsaved", None)
        if not reason and callable(unsaved) and unsaved():
            self.push_screen(
                ConfirmScreen("The settings have unsaved edits.\nQuit without saving them?", yes="Quit", no="Stay"),
                lambda yes: self.exit(0) if yes else None,
            )
            return
        if not reason:
            self.exit(0)
            return

        def answer(yes: bool | None) -> None:
            if yes:
                self.exit(0)

        self.push_screen(
            ConfirmScreen(
                f"{reason}\nQuit anyway? What was recorded so far is kept and recovered the next time Rehearse starts.",
                yes="Quit",
                no="Stay",
            ),
            answer,
        )

    def action_help(self) -> None:
        from tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))

    def action_toggle_theme(self) -> None:
        """Dark <-> light, remembered in the settings file ([ui] theme)."""
        from dataclasses import replace

        self.theme = THEMES[1] if self.theme == THEMES[0] else THEMES[0]
        ui = replace(self.settings.ui, theme=self.theme)
        self.apply_settings(replace(self.settings, ui=ui), save=True, quiet=True)

    # ---- settings -------------------------------------------------------------------------
    def apply_settings(self, settings: AppSettings, *, save: bool = True, quiet: bool = False) -> None:
        """Use new settings now (analysis, devices, model, theme) and save them to TOML."""
        self.settings = settings
        self.services.settings = settings
        if settings.ui.theme in self.available_themes and self.theme != settings.ui.theme:
            self.theme = settings.ui.theme
        if save:
            from tui.settings import save_settings

            try:
                path = save_settings(settings, self.services.settings_path)
            except OSError as exc:
                self.notify(f"Could not save settings: {exc}", severity="error")
                return
            if not quiet:
                self.notify(f"Saved to {path}", title="Settings")

    # ---- command palette: every binding of the current screen and the app ----------------
    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        seen: set[str] = set()
        for active in screen.active_bindings.values():
            binding = active.binding
            if not binding.description or not active.enabled or binding.action in seen:
                continue
            if type(active.node).__module__.startswith("textual."):
                continue  # built-in widgets' cursor/scroll keys ("Cursor down", "Bottom"): noise here
            seen.add(binding.action)
            display = self.get_key_display(binding)
            node = active.node
            yield SystemCommand(
                f"{binding.description} ({display})",
                binding.tooltip or f"Same as pressing {display}",
                lambda node=node, action=binding.action: self.call_later(self.run_action, action, node),
            )

    # ---- the one place worker errors are shown ---------------------------------------------
    def on_worker_failed(self, screen: Any, worker: Worker) -> None:
        from analysis.errors import RehearseError

        error = worker.error
        if isinstance(error, RehearseError):
            message = str(error)
        else:
            log.exception("worker %s failed", worker.name, exc_info=error)
            message = f"{type(error).__name__}: {error}"
        title = {
            "record": "Recording",
            "transcribe": "Transcription",
            "rescore": "Re-scoring",
            "download": "Model download",
            "library": "Library",
            "library-load": "Library",
            "playback": "Playback",
            "export": "Export",
            "import": "Import",
        }.get(worker.group, "Error")
        hook = getattr(screen, "job_failed", None)
        # a screen's hook returns True when it shows the error itself and has said it
        # once already (e.g. Review's player line: "no speakers found")
        if not (callable(hook) and hook(worker.group, error) is True):
            self.notify(message, title=title, severity="error", timeout=10)


def _notify_from_any_thread(app: App, message: str) -> None:
    import threading

    try:
        if threading.get_ident() == getattr(app, "_thread_id", None):
            app.notify(message, severity="warning", timeout=10)
        else:
            app.call_from_thread(app.notify, message, severity="warning", timeout=10)
    except Exception:  # noqa: BLE001 - the app is not running (yet / any more)
        pass


def make_app(settings_path: str | None = None, **overrides: Any) -> RehearseApp:
    """Build the app. ``overrides``: ``settings`` (an AppSettings, else read from
    ``settings_path``/the user's file), any service part (``library``,
    ``recorder_factory``, ``player_factory``, ``transcribe``, ``live_transcriber_factory``,
    ``analyze``, ``pull_model``), ``start`` (mode name), ``open_take`` (take id),
    ``ensure_sample`` (default True), ``recover`` (default True)."""
    settings = overrides.pop("settings", None)
    if settings is None:
        from tui.settings import load_settings

        settings = load_settings(settings_path)
    service_parts = {k: overrides.pop(k) for k in _SERVICE_KEYS if k in overrides}
    services = Services(settings, settings_path, **service_parts)
    unknown = set(overrides) - {"start", "open_take", "ensure_sample", "recover"}
    if unknown:
        raise TypeError(f"make_app: unknown overrides {sorted(unknown)}")
    return RehearseApp(settings, services, **overrides)


def _terminal_fd() -> int | None:
    """The input terminal's file descriptor, or None when input is not a terminal."""
    try:
        fd = sys.__stdin__.fileno()  # type: ignore[union-attr]
        return fd if os.isatty(fd) else None
    except (AttributeError, OSError, ValueError):
        return None


def terminal_hung_up(fd: int | None) -> bool:
    """True when ``fd`` (a terminal) reports a hang-up: the other end of its pty is
    closed. Looks without reading (poll), so no key press is taken. (A hung-up terminal
    is no longer a tty to isatty(), so check that when it is opened, not here.)"""
    import select

    if fd is None:
        return False
    try:
        poller = select.poll()
        poller.register(fd, select.POLLHUP | select.POLLERR)
        return any(mask & (select.POLLHUP | select.POLLERR | select.POLLNVAL) for _, mask in poller.poll(0))
    except (OSError, ValueError):
        return False


def run_app(settings_path: str | None = None, *, gc_paused: bool = False) -> int:
    """Run the app. ``gc_paused``: the caller paused Python's garbage collector for the
    start-up (tui.cli does); the app resumes it once the first frame is shown."""
    app = make_app(settings_path)
    if gc_paused:
        app.after_first_frame(app, gc.enable)
    with _c_library_noise_to_log():
        app.run()
    return app.return_code or 0


@contextlib.contextmanager
def _c_library_noise_to_log() -> Iterator[None]:
    """PortAudio/ALSA print straight to file descriptor 2 ("ALSA lib ... unable to open
    slave"), which would scribble over the screen. Point fd 2 at <data dir>/audio.log
    (recorder.devices.native_stderr_to_log) and draw the app on the real terminal, which
    Textual reaches through ``sys.__stderr__``."""
    if not sys.__stderr__ or not sys.__stderr__.isatty():
        yield  # not a terminal (tests, pipes): nothing to protect
        return
    from recorder.devices import native_stderr_to_log

    with native_stderr_to_log() as log_path:
        if log_path is None:
            yield
            return
        original = sys.__stderr__
        sys.__stderr__ = sys.stderr  # the real terminal, on a duplicate of the old fd 2
        try:
            yield
        finally:
            sys.__stderr__ = original
