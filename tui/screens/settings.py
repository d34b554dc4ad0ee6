"""Settings: the model, microphone, target length and theme first, then the other
practice, model and device settings, and the analysis thresholds under "Advanced";
Ctrl+S saves into the TOML file (in place) and applies at once. Leaving with unsaved
edits asks first."""

from __future__ import annotations

import dataclasses
import re
import typing
from typing import Any

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Input, Label, ProgressBar, Static, Switch

from tui.format import C, byte_progress
from tui.messages import Progress
from tui.screens.base import RehearseScreen
from tui.widgets.footer import KeysFooter
from tui.widgets.title_bar import TitleBar

SECTION_TITLES = {
    "ui": "Practice and appearance",
    "transcription": "Speech model",
    "recorder": "Audio devices",
    "analysis": "Advanced: analysis thresholds",
}
ORDER = ("ui", "transcription", "recorder", "analysis")
# the settings most people change, first (section, field)
ESSENTIALS = (("transcription", "model"), ("recorder", "input_device"), ("ui", "target_seconds"), ("ui", "theme"))


def help_text(doc: str) -> str:
    """A field's docstring as help for the user: the product only (a "Source:" that
    cites the project's own planning documents is left out)."""
    head, sep, source = doc.partition("Source:")
    if sep and re.search(r"\bbrief\b|\bissue\s*\d|our choice", source, re.IGNORECASE):
        source = ""
    text = head + (sep + source if source else "")
    text = re.sub(r"\s*\((?:see )?(?:the )?(?:project )?(?:brief|issue \d+)[^)]*\)", "", text)
    return " ".join(text.split())


def _is_dataclass_type(hint: Any) -> bool:
    return isinstance(hint, type) and dataclasses.is_dataclass(hint)


def _to_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, (tuple, list)):
        return ", ".join(str(v) for v in value)
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def _from_text(text: str, hint: Any) -> Any:
    """Form text -> a TOML-like value (validated later by tui.settings.build)."""
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    text = text.strip()
    if origin in (typing.Union, getattr(__import__("types"), "UnionType", typing.Union)):
        if text == "":
            return None
        inner = [a for a in args if a is not type(None)]
        for a in inner:
            try:
                return _from_text(text, a)
            except ValueError:
                continue
        return text
    if hint is float:
        return float(text)
    if hint is int:
        return int(text)
    if origin in (tuple, list):
        item = args[0] if args else str
        return [_from_text(p, item) for p in text.split(",") if p.strip()]
    return text


class SettingsScreen(RehearseScreen):
    SUB_TITLE = "Settings"
    BINDINGS = [
        Binding("ctrl+s", "save", "Save & apply", priority=True),
        Binding("ctrl+r", "revert", "Revert", priority=True),
        Binding("ctrl+d", "download", "Download", priority=True),
        Binding("ctrl+t", "app.toggle_theme", "Light/dark"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.fields: dict[str, tuple[str, tuple[str, ...], Any]] = {}  # widget id -> (section, path, hint)

    def compose(self) -> ComposeResult:
        from tui.settings import SECTIONS

        settings = self.app.settings
        yield TitleBar()
        with VerticalScroll(id="settings-form"):
            with Horizontal(id="jobbar", classes="hidden"):
                yield Label("Downloading", id="job-label")
                yield ProgressBar(id="job-progress", show_eta=False)
            yield Label(Text("Most used"), classes="section-title")
            for section, name in ESSENTIALS:
                yield from self._fields_for(section, SECTIONS[section], getattr(settings, section), (), only={name})
            for name in ORDER:
                cls = SECTIONS[name]
                if name == "recorder":
                    yield Static("", id="devices")
                # (Text: "[ui]" as markup would vanish)
                yield Label(Text(f"{SECTION_TITLES.get(name, name)}  [{name}]"), classes="section-title")
                skip = {f for s, f in ESSENTIALS if s == name}
                yield from self._fields_for(name, cls, getattr(settings, name), (), skip=skip)
            yield Static(self._locations(), id="locations")
        yield KeysFooter()

    def _locations(self) -> Text:
        from analysis import locations

        t = Text()
        t.append("Data location (set REHEARSE_HOME to move everything)\n", style="bold")
        path = self.app.services.settings_path or locations.settings_file()
        for label, value in (("takes", locations.takes_dir()), ("settings", path), ("models", locations.models_dir())):
            t.append(f"  {label:<9}", style="dim")
            t.append(f"{value}\n")
        return t

    def _fields_for(
        self,
        section: str,
        cls: type,
        obj: Any,
        path: tuple[str, ...],
        only: set[str] | None = None,
        skip: frozenset[str] | set[str] = frozenset(),
    ) -> ComposeResult:
        from tui.settings import field_docs

        hints = typing.get_type_hints(cls)
        docs = field_docs(cls)
        for f in dataclasses.fields(cls):
            if (only is not None and f.name not in only) or f.name in skip:
                continue
            hint = hints[f.name]
            value = getattr(obj, f.name)
            if _is_dataclass_type(hint) or dataclasses.is_dataclass(value):
                yield Label(Text(f"  {'.'.join(path + (f.name,))}"), classes="subsection-title")
                yield from self._fields_for(section, type(value), value, path + (f.name,))
                continue
            if typing.get_origin(hint) is dict:
                continue  # not editable in a one-line form; edit the TOML file
            wid = "f-" + "-".join((section,) + path + (f.name,))
            self.fields[wid] = (section, path + (f.name,), hint)
            with Horizontal(classes="field-row"):
                yield Label(Text(f.name), classes="field-name")
                if hint is bool:
                    yield Switch(bool(value), id=wid)
                else:
                    yield Input(_to_text(value), id=wid, classes="field-input")
            doc = docs.get(f.name)
            if doc:
                yield Static(Text(help_text(doc)), classes="field-doc")  # Text: never markup

    def on_mount(self) -> None:
        self.load_devices()

    @work(thread=True, exclusive=True, group="devices", exit_on_error=False)
    def load_devices(self) -> None:
        try:
            devices = self.app.services.list_devices()
        except Exception as exc:
            text = Text(f"Audio devices: {exc}", style="bold")
        else:
            text = Text("Audio devices (use a name or its index)\n", style="bold")
            for d in devices:
                name = getattr(d, "name", None) or (d.get("name") if isinstance(d, dict) else str(d))
                idx = getattr(d, "index", None) if not isinstance(d, dict) else d.get("index")
                ins = getattr(d, "max_input_channels", None) if not isinstance(d, dict) else d.get("max_input_channels")
                outs = (
                    getattr(d, "max_output_channels", None) if not isinstance(d, dict) else d.get("max_output_channels")
                )
                kinds = "/".join(k for k, n in (("in", ins), ("out", outs)) if n)
                text.append(f"  {idx if idx is not None else '-':>3}  {name}  ", style="")
                text.append(f"{kinds}\n", style="dim")
            if not devices:
                text.append("  none found: is a sound server running and PortAudio installed?\n", style=C.warn)
        self.app.call_from_thread(self.query_one("#devices", Static).update, text)

    # ---- save / revert ------------------------------------------------------------------
    def collect(self) -> Any:
        """The settings in the form, validated; raises SettingsError naming the field."""
        from tui.settings import SECTIONS, AppSettings, SettingsError, build, to_toml_dict

        current = to_toml_dict(self.app.settings)
        for wid, (section, path, hint) in self.fields.items():
            widget = self.query_one(f"#{wid}")
            assert isinstance(widget, (Switch, Input))  # the form holds nothing else
            table = current.setdefault(section, {})
            for p in path[:-1]:
                table = table.setdefault(p, {})
            if isinstance(widget, Switch):
                value: Any = widget.value
            else:
                assert isinstance(widget, Input)  # the form's fields are Switch or Input (_fields_for)
                try:
                    value = _from_text(widget.value, hint)
                except ValueError:
                    raise SettingsError(
                        f"[{section}] {'.'.join(path)}: {widget.value!r} is not a valid value"
                    ) from None
            if value is None:
                table.pop(path[-1], None)
            else:
                table[path[-1]] = value
        parts = {name: build(SECTIONS[name], current.get(name, {}), f"[{name}]") for name in SECTIONS}
        return AppSettings(**parts)

    def action_save(self) -> None:
        from analysis.errors import RehearseError

        try:
            settings = self.collect()
        except RehearseError as exc:
            self.notify(str(exc), title="Not saved", severity="error", timeout=8)
            return
        self.app.apply_settings(settings)

    def unsaved(self) -> bool:
        """True when the form holds edits that are not saved (or cannot be)."""
        from analysis.errors import RehearseError

        try:
            return self.collect() != self.app.settings
        except RehearseError:
            return True

    def action_revert(self) -> None:
        settings = self.app.settings
        for wid, (section, path, _hint) in self.fields.items():
            value: Any = getattr(settings, section)
            for p in path:
                value = getattr(value, p)
            widget = self.query_one(f"#{wid}")
            assert isinstance(widget, (Switch, Input))  # the form holds nothing else
            if isinstance(widget, Switch):
                widget.value = bool(value)
            else:
                assert isinstance(widget, Input)  # the form's fields are Switch or Input (_fields_for)
                widget.value = _to_text(value)
        self.notify("Form reset to the saved settings.")

    # ---- model download -----------------------------------------------------------------
    def action_download(self) -> None:
        model = self.query_one("#f-transcription-model", Input).value.strip() or "auto"
        self.query_one("#jobbar").remove_class("hidden")
        self.query_one("#job-label", Label).update(Text(f"Downloading {model} "))
        self.query_one("#job-progress", ProgressBar).update(total=None, progress=0)
        self.download(model)

    @work(thread=True, exclusive=True, group="download", exit_on_error=False)
    def download(self, model: str) -> None:
        if model == "auto":
            from analysis.speech.devices import default_model, resolve_device

            model = default_model(resolve_device(self.app.settings.transcription))

        def progress(done: float, total: float) -> None:
            self.post_message(Progress("download", done, total))

        path = self.app.services.pull_model(model, progress=progress)
        self.post_message(Progress("download", 1, 1, f"{model} is ready ({path})"))

    def on_progress(self, event: Progress) -> None:
        if event.task != "download":
            return
        self.query_one("#job-progress", ProgressBar).update(total=event.total or None, progress=event.done)
        if event.total:
            self.query_one("#job-label", Label).update(
                f"Downloading {byte_progress(int(event.done), int(event.total))} "
            )
        if event.note:
            self.query_one("#jobbar").add_class("hidden")
            self.notify(event.note, title="Model download")

    def job_failed(self, group: str, error: BaseException | None) -> None:
        if group == "download":
            self.query_one("#jobbar").add_class("hidden")
