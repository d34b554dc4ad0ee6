"""What the screens call to do real work: the take library, recorder, player,
transcription and analysis. One facade so the UI code never imports heavy modules at
start-up, and tests can swap any part (``make_app(recorder_factory=..., ...)``).

Everything here may block (disk, audio devices, models): screens call it from workers.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any, Callable

from tui.settings import AppSettings


class Services:
    def __init__(
        self,
        settings: AppSettings,
        settings_path: str | None = None,
        *,
        library: Any = None,
        recorder_factory: Callable[..., Any] | None = None,
        player_factory: Callable[..., Any] | None = None,
        transcribe: Callable[..., Any] | None = None,
        live_transcriber_factory: Callable[..., Any] | None = None,
        analyze: Callable[..., dict] | None = None,
        pull_model: Callable[..., Any] | None = None,
    ) -> None:
        self.settings = settings
        self.settings_path = settings_path
        self._library = library
        self.on_library_wait: Callable[[str], None] | None = None
        """Told when another Rehearse holds the library lock (the app: a notification)."""
        self._recorder_factory = recorder_factory
        self._player_factory = player_factory
        self._transcribe = transcribe
        self._live_factory = live_transcriber_factory
        self._analyze = analyze
        self._pull_model = pull_model
        self._workflow: Any = None

    # ---- library ----------------------------------------------------------------------
    @property
    def library(self) -> Any:
        if self._library is None:
            from recorder.library import Library

            self._library = Library()
            if self.on_library_wait is not None:
                self._library.on_wait = self.on_library_wait
        return self._library

    # ---- analysis ---------------------------------------------------------------------
    def analyze(self, transcript: Any) -> dict:
        if self._analyze is not None:
            return self._analyze(transcript, self.settings.analysis)
        from analysis import analyze

        return analyze(transcript, self.settings.analysis).to_dict()

    @property
    def workflow(self) -> Any:
        """The use cases (recorder.workflow) on this library, transcribing and analysing
        with the current settings (and the parts a test swapped in)."""
        if self._workflow is None:
            from recorder.workflow import Workflow

            self._workflow = Workflow(self.library, transcribe=self.transcribe, analyze=self.analyze)
        return self._workflow

    # ---- transcription ----------------------------------------------------------------
    def transcribe_options(self, model: str | None = None) -> Any:
        opts = self.settings.transcription
        return dataclasses.replace(opts, model=model) if model else opts

    def transcribe(self, audio: Path, model: str | None = None,
                   progress: Callable[[float, float], None] | None = None,
                   download_progress: Callable[[int, int], None] | None = None) -> Any:
        """Audio file -> Transcript. A model that is not downloaded yet is fetched first
        (``download_progress(done_bytes, total_bytes)``); offline, the transcription layer
        raises its one-line ModelNotAvailableError."""
        options = self.transcribe_options(model)
        if self._transcribe is not None:
            return self._transcribe(audio, options, progress)
        from analysis.transcribe import transcribe

        return transcribe(audio, options, progress=progress, download_progress=download_progress)

    def model_choice(self) -> Any:
        """The speech model the settings select (analysis.transcribe.ModelChoice), found
        without loading it or touching the network; raises the one-line error for an
        unknown name or a bad directory."""
        from analysis.transcribe import choose_model

        return choose_model(self.settings.transcription)

    def prepare_model(self, download_progress: Callable[[int, int], None] | None = None) -> Any:
        """Load the model recording will use (kept loaded for the live words and the
        report), downloading it first only when nothing local serves; returns its
        ModelChoice. Raises the one-line ModelNotAvailableError when it cannot be had."""
        from analysis.transcribe import choose_model, load_model

        load_model(self.settings.transcription, download_progress)
        return choose_model(self.settings.transcription)

    def better_model_offer(self) -> tuple[str, int] | None:
        """(name, approximate bytes) of the default model to offer when "auto" runs on
        the bundled one; None when there is none, downloads are off, or the user said
        they are offline (HF_HUB_OFFLINE). Touches no network: nothing leaves the machine
        until the user accepts the offer (README "Privacy")."""
        from analysis.transcribe import _APPROX_SIZES_MB, choose_model, hub_offline

        opts = self.settings.transcription
        if not opts.download or hub_offline():
            return None
        choice = choose_model(opts)
        if not choice.better:
            return None
        return choice.better, _APPROX_SIZES_MB.get(choice.better, 0) * 1_000_000

    def live_transcriber(self) -> Any:
        if self._live_factory is not None:
            return self._live_factory(self.settings.transcription)
        from analysis.transcribe import LiveTranscriber

        return LiveTranscriber(self.settings.transcription)

    def pull_model(self, name: str, progress: Callable[[float, float], None] | None = None) -> Any:
        if self._pull_model is not None:
            return self._pull_model(name, progress)
        from analysis.transcribe import pull_model

        return pull_model(name, progress=progress)

    def retranscribe_choices(self, current: str = "") -> list[tuple[str, str]]:
        """(label, model) for Review's re-transcribe menu: the models on this machine (the
        bundled one, downloaded ones, a local directory from the settings) and, only when
        the model hub answers, the ones to download (with their size)."""
        from analysis.transcribe import _hub_reachable, choose_model, known_models
        from tui.format import byte_size

        opts = self.settings.transcription
        models = known_models()
        names = {m.name for m in models}
        items: list[tuple[str, str]] = []
        configured = opts.model
        try:
            choice = choose_model(opts)
        except Exception:
            choice = None
        if configured not in names and configured != "auto":
            here = choice is not None and choice.path is not None
            if here or opts.download:
                items.append((f"{configured}  (from settings)", configured))
        online = opts.download and _hub_reachable()

        def tag(name: str) -> str:
            return "  (current)" if name == current else ""

        for m in models:
            if m.downloaded:
                items.append((f"{m.name}{'  (bundled)' if m.bundled else ''}{tag(m.name)}", m.name))
        if online:
            for m in models:
                if not m.downloaded:
                    size = f" ~{byte_size(m.size_bytes)}" if m.size_bytes else ""
                    items.append((f"{m.name}{tag(m.name)}  (download{size})", m.name))
        return items

    def known_models(self) -> list[tuple[str, bool]]:
        """(name, downloaded) for every model name faster-whisper knows."""
        from analysis.transcribe import known_models

        out = []
        for m in known_models():
            name = getattr(m, "name", None) or str(m)
            out.append((name, bool(getattr(m, "downloaded", False))))
        return out

    # ---- audio ------------------------------------------------------------------------
    def recorder(self, path: Path, on_block: Callable[..., None] | None = None) -> Any:
        device = self.settings.recorder.input_device
        if self._recorder_factory is not None:
            return self._recorder_factory(path, device=device, on_block=on_block)
        from recorder.capture import Recorder

        rate = getattr(self.settings.recorder, "samplerate", None)
        return Recorder(path, device=device, samplerate=rate, on_block=on_block)

    def player(self, path: Path) -> Any:
        device = self.settings.recorder.output_device
        if self._player_factory is not None:
            return self._player_factory(path, device=device)
        from recorder.playback import Player

        return Player(path, device=device)

    def list_devices(self) -> list[Any]:
        from recorder.devices import list_devices

        return list(list_devices())
