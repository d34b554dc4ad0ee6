"""What the screens call to do real work: the take library, recorder, player,
transcription and analysis. One facade so the UI code never imports heavy modules at
start-up, and tests can swap any part (``make_app(recorder_factory=..., ...)``).

Everything here may block (disk, audio devices, models): screens call it from workers.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from tui.settings import AppSettings

if TYPE_CHECKING:
    from analysis.settings import AnalysisSettings
    from analysis.speech.live import LiveTranscriber
    from analysis.speech.models import ModelChoice
    from analysis.speech.options import TranscribeOptions
    from analysis.transcript import Transcript
    from recorder.capture import Recorder
    from recorder.devices import DeviceInfo
    from recorder.playback import Player
    from recorder.takes import Library
    from recorder.workflow import DownloadProgress, Progress, Workflow

BlockCallback = Callable[[Any, int], None]
"""Given each recorded block (samples, frames), e.g. a live transcriber's ``feed``."""


class RecorderFactory(Protocol):
    """Builds the recorder for a take folder (recorder.capture.Recorder, or a test's)."""

    def __call__(self, path: Path, *, device: str | None, on_block: BlockCallback | None) -> Recorder: ...


class PlayerFactory(Protocol):
    """Builds the player of a take's audio (recorder.playback.Player, or a test's)."""

    def __call__(self, path: Path, *, device: str | None) -> Player: ...


TranscribeFn = Callable[["Path", "TranscribeOptions", "Progress | None"], "Transcript"]
"""(audio, options, progress) -> Transcript: analysis.speech.batch.transcribe's shape."""
LiveFactory = Callable[["TranscribeOptions"], "LiveTranscriber"]
AnalyzeFn = Callable[["Transcript", "AnalysisSettings"], dict]
"""(transcript, settings) -> report dict."""
PullModelFn = Callable[[str, "DownloadProgress | None"], Any]


class Services:
    def __init__(
        self,
        settings: AppSettings,
        settings_path: str | None = None,
        *,
        library: Library | None = None,
        recorder_factory: RecorderFactory | None = None,
        player_factory: PlayerFactory | None = None,
        transcribe: TranscribeFn | None = None,
        live_transcriber_factory: LiveFactory | None = None,
        analyze: AnalyzeFn | None = None,
        pull_model: PullModelFn | None = None,
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
        self._workflow: Workflow | None = None

    # ---- library ----------------------------------------------------------------------
    @property
    def library(self) -> Library:
        if self._library is None:
            from recorder.takes import Library

            self._library = Library()
            if self.on_library_wait is not None:
                self._library.on_wait = self.on_library_wait
        return self._library

    # ---- analysis ---------------------------------------------------------------------
    def analyze(self, transcript: Transcript) -> dict:
        if self._analyze is not None:
            return self._analyze(transcript, self.settings.analysis)
        from analysis import analyze

        return analyze(transcript, self.settings.analysis).to_dict()

    @property
    def workflow(self) -> Workflow:
        """The use cases (recorder.workflow) on this library, transcribing and analysing
        with the current settings (and the parts a test swapped in)."""
        if self._workflow is None:
            from recorder.workflow import Workflow

            self._workflow = Workflow(self.library, transcribe=self.transcribe, analyze=self.analyze)
        return self._workflow

    # ---- transcription ----------------------------------------------------------------
    def transcribe_options(self, model: str | None = None) -> TranscribeOptions:
        opts = self.settings.transcription
        return dataclasses.replace(opts, model=model) if model else opts

    def transcribe(
        self,
        audio: Path,
        model: str | None = None,
        progress: Progress | None = None,
        download_progress: DownloadProgress | None = None,
    ) -> Transcript:
        """Audio file -> Transcript. A model that is not downloaded yet is fetched first
        (``download_progress(done_bytes, total_bytes)``); offline, the transcription layer
        raises its one-line ModelNotAvailableError."""
        options = self.transcribe_options(model)
        if self._transcribe is not None:
            return self._transcribe(audio, options, progress)
        from analysis.speech.batch import transcribe

        return transcribe(audio, options, progress=progress, download_progress=download_progress)

    def prepare_model(self, download_progress: DownloadProgress | None = None) -> ModelChoice:
        """Load the model recording will use (kept loaded for the live words and the
        report), downloading it first only when nothing local serves; returns its
        ModelChoice. Raises the one-line ModelNotAvailableError when it cannot be had."""
        from analysis.speech.load import load_model
        from analysis.speech.models import choose_model

        load_model(self.settings.transcription, download_progress)
        return choose_model(self.settings.transcription)

    def better_model_offer(self) -> tuple[str, int] | None:
        """(name, approximate bytes) of the default model to offer when "auto" runs on
        the bundled one; None when there is none, downloads are off, or the user said
        they are offline (HF_HUB_OFFLINE). Touches no network: nothing leaves the machine
        until the user accepts the offer (README "Privacy")."""
        from analysis.speech.download import hub_offline
        from analysis.speech.models import APPROX_SIZES_MB, choose_model

        opts = self.settings.transcription
        if not opts.download or hub_offline():
            return None
        choice = choose_model(opts)
        if not choice.better:
            return None
        return choice.better, APPROX_SIZES_MB.get(choice.better, 0) * 1_000_000

    def live_transcriber(self) -> LiveTranscriber:
        if self._live_factory is not None:
            return self._live_factory(self.settings.transcription)
        from analysis.speech.live import LiveTranscriber

        return LiveTranscriber(self.settings.transcription)

    def pull_model(self, name: str, progress: DownloadProgress | None = None) -> Any:
        if self._pull_model is not None:
            return self._pull_model(name, progress)
        from analysis.speech.download import pull_model

        return pull_model(name, progress=progress)

    def retranscribe_choices(self, current: str = "") -> list[tuple[str, str]]:
        """(label, model) for Review's re-transcribe menu: the models on this machine (the
        bundled one, downloaded ones, a local directory from the settings) and, only when
        the model hub answers, the ones to download (with their size)."""
        from analysis.speech.download import hub_reachable
        from analysis.speech.models import choose_model, known_models
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
        online = opts.download and hub_reachable()

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

    # ---- audio ------------------------------------------------------------------------
    def recorder(self, path: Path, on_block: BlockCallback | None = None) -> Recorder:
        device = self.settings.recorder.input_device
        if self._recorder_factory is not None:
            return self._recorder_factory(path, device=device, on_block=on_block)
        from recorder.capture import Recorder

        return Recorder(path, device=device, samplerate=self.settings.recorder.samplerate, on_block=on_block)

    def player(self, path: Path) -> Player:
        device = self.settings.recorder.output_device
        if self._player_factory is not None:
            return self._player_factory(path, device=device)
        from recorder.playback import Player

        return Player(path, device=device)

    def list_devices(self) -> list[DeviceInfo]:
        from recorder.devices import list_devices

        return list(list_devices())
