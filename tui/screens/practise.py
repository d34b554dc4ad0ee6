"""Practise: pick a question, set a target, record with a live timer, level meter, STAR
section keys and (optionally) live words; stop -> the take is transcribed, analysed and
opened in Review."""

from __future__ import annotations

import time
from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.widgets import Input, OptionList, Static

from tui.messages import Progress, RecordingStarted, TakeReady
from tui.screens.base import RehearseScreen
from tui.screens.dialogs import ConfirmScreen
from tui.widgets.footer import KeysFooter
from tui.widgets.question_picker import QuestionPicker
from tui.widgets.recording_panel import RecordingPanel
from tui.widgets.title_bar import TitleBar

IDLE, STARTING, RECORDING, PAUSED, FINISHING = "idle", "starting", "recording", "paused", "finishing"
TARGET_STEP = 15.0


class ModelStatus(Message):
    """The speech model check: ``label`` when it loaded, else ``error`` (one line);
    ``offer`` = (name, bytes) of a better model to download; ``done/total`` bytes while
    downloading."""

    def __init__(
        self,
        label: str | None = None,
        error: str | None = None,
        offer: tuple[str, int] | None = None,
        download: tuple[int, int] | None = None,
    ) -> None:
        super().__init__()
        self.label = label
        self.error = error
        self.offer = offer
        self.download = download


class Session:
    """One recording in progress: the library take id, the recorder, live words."""

    def __init__(self, take_id: str, recorder: Any, live: Any, question: str) -> None:
        self.take_id = take_id
        self.recorder = recorder
        self.live = live
        self.question = question
        self.section: str | None = None
        self.section_start: float | None = None  # recording time the section began
        self.fillers = 0  # live filler count, recomputed when new words arrive
        self.counted_words = -1


# keys sharing one hint in the footer
SECTION = Binding.Group("STAR section")
TARGET = Binding.Group("target ±15 s")


class PractiseScreen(RehearseScreen):
    AUTO_FOCUS = "#questions"  # focused on arrival (not just the first focusable widget)
    SUB_TITLE = "Practise"
    BINDINGS = [
        # idle
        Binding("r", "record", "Record"),
        Binding("n", "random", "Random question"),
        Binding("N", "random(True)", "Random, same competency", show=False),
        Binding("e", "own", "Own question"),
        Binding("plus,equals_sign", "target(15)", "+15 s", show=False, group=TARGET),
        Binding("minus", "target(-15)", "−15 s", show=False, group=TARGET),
        Binding("l", "toggle_live", "Live words", show=False),
        Binding("d", "download_model", "Better model"),
        # recording
        Binding("1,s", "section('situation')", "Situation", group=SECTION),
        Binding("2,t", "section('task')", "Task", group=SECTION),
        Binding("3,a", "section('action')", "Action", group=SECTION),
        Binding("4,r", "section('result')", "Result", group=SECTION),
        Binding("p", "pause", "Pause/resume"),
        Binding("enter,x", "stop", "Stop"),
        Binding("escape", "cancel", "Cancel"),
    ]
    IDLE_ACTIONS = {"record", "random", "own", "target", "toggle_live", "download_model"}
    RECORD_ACTIONS = {"section", "pause", "stop", "cancel"}

    def __init__(self) -> None:
        super().__init__()
        self.state = IDLE
        self.session: Session | None = None
        self.picker = QuestionPicker(lambda: float(self.app.settings.ui.target_seconds), id="pick")
        self.live_on = False
        self.model_label: str | None = None  # the speech model in use, once it loaded
        self.model_error: str | None = None
        self.model_offer: tuple[str, int] | None = None
        self._downloading = False

    @property
    def question(self) -> str:
        return self.picker.question

    @property
    def competency(self) -> str | None:
        return self.picker.competency

    # ---- layout -------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield TitleBar()
        yield Static("", id="mic-banner", classes="hidden")
        yield self.picker
        yield RecordingPanel(id="rec", classes="hidden")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.live_on = bool(self.app.settings.ui.live_transcription)
        self.picker.fill()
        self.query_one("#questions", OptionList).focus()
        self.picker.show_live(self.live_on)
        self.set_interval(0.1, self._tick)
        self.check_model()
        self.on_practise_again()

    # ---- the speech model ---------------------------------------------------------------
    @work(thread=True, exclusive=True, group="model", exit_on_error=False)
    def check_model(self) -> None:
        """Load the model before anyone records (never find out after the answer), and
        see whether a better one can be offered (the bundled one is used meanwhile)."""
        from analysis.errors import RehearseError

        services = self.app.services

        def download(done: int, total: int) -> None:
            self.post_message(ModelStatus(download=(done, total)))

        try:
            choice = services.prepare_model(download)
        except RehearseError as exc:
            self.post_message(ModelStatus(error=str(exc)))
            return
        self.post_message(ModelStatus(label=choice.label))
        try:
            offer = services.better_model_offer()
        except Exception:  # only an offer: never in the way of recording
            offer = None
        if offer:
            self.post_message(ModelStatus(label=choice.label, offer=offer))

    def on_model_status(self, event: ModelStatus) -> None:
        if event.download is not None:
            self.picker.show_model_download(*event.download)
            return
        self.model_label, self.model_error = event.label, event.error
        self.model_offer = event.offer
        self.picker.show_model(event.label, event.error, event.offer)
        self.refresh_bindings()

    def action_download_model(self) -> None:
        if not self.model_offer or self._downloading:
            return
        self._downloading = True
        self.download_better(self.model_offer[0])

    @work(thread=True, exclusive=True, group="download", exit_on_error=False)
    def download_better(self, name: str) -> None:
        services = self.app.services

        def progress(done: int, total: int) -> None:
            self.post_message(ModelStatus(download=(done, total)))

        try:
            services.pull_model(name, progress)
        finally:
            self._downloading = False
            self.app.call_from_thread(self.check_model)  # "auto" now picks the downloaded model

    # ---- practising a take's question again (Review/Library: n) ----------------------------
    def on_screen_resume(self) -> None:
        self.on_practise_again()

    def on_practise_again(self, event: Any = None) -> None:
        take_id = self.app.pending_practise
        if take_id and self.state == IDLE:
            self.app.pending_practise = None
            self.load_again(take_id)

    @work(thread=True, exclusive=True, group="library", exit_on_error=False)
    def load_again(self, take_id: str) -> None:
        from tui.practice_loop import same_question

        lib = self.app.services.library
        take = lib.get(take_id)
        takes = same_question(lib.list(), take.question)
        self.app.call_from_thread(self._again, take.question or "", take.competency, takes[-1] if takes else None)

    def _again(self, question: str, competency: str | None, last: Any) -> None:
        self.picker.again(question, competency, last)
        self.notify("Same question again: press r to record.", timeout=3)

    # ---- state-dependent keys -------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "download_model":
            return self.state == IDLE and self.model_offer is not None and not self._downloading
        if action in self.IDLE_ACTIONS:
            return self.state == IDLE
        if action in self.RECORD_ACTIONS:
            return self.state in (RECORDING, PAUSED)
        return True

    def _set_state(self, state: str) -> None:
        self.state = state
        recording = state in (STARTING, RECORDING, PAUSED, FINISHING)
        self.query_one("#pick").set_class(recording, "hidden")
        self.query_one("#rec").set_class(not recording, "hidden")
        if recording:
            self.set_focus(None)
        else:
            self.query_one("#questions", OptionList).focus()
        self.refresh_bindings()
        self._update_status()

    def busy_reason(self) -> str | None:
        if self.state in (STARTING, RECORDING, PAUSED):
            return "A recording is running: stop it (Enter) or cancel it (Esc) first."
        if self.state == FINISHING:
            return "The take is being transcribed; it opens in Review when done."
        return None

    # ---- picking a question ---------------------------------------------------------------
    @on(OptionList.OptionSelected, "#questions")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self.action_record()

    def action_random(self, same_competency: bool = False) -> None:
        self.picker.random(same_competency)

    def action_own(self) -> None:
        self.query_one("#own", Input).focus()

    def action_target(self, delta: float) -> None:
        self.picker.nudge_target(delta)

    def action_toggle_live(self) -> None:
        self.live_on = not self.live_on
        self.picker.show_live(self.live_on)

    # ---- recording --------------------------------------------------------------------------
    def action_record(self) -> None:
        if self.state != IDLE:
            return
        if not self.question:
            self.notify("Pick a question or type your own first.", severity="warning")
            return
        self.target = self.picker.target_seconds()
        self.query_one("#mic-banner").add_class("hidden")
        self.query_one(RecordingPanel).begin(self.question, self.target)
        self._set_state(STARTING)
        self.start_recording(self.question, self.competency, self.live_on)

    @work(thread=True, exclusive=True, group="record", exit_on_error=False)
    def start_recording(self, question: str, competency: str | None, live_on: bool) -> None:
        services = self.app.services
        # the model must load before the answer is spoken, not after (a model error
        # here keeps the screen idle with the reason shown)

        def download(done: int, total: int) -> None:
            self.post_message(ModelStatus(download=(done, total)))

        choice = services.prepare_model(download)
        self.post_message(ModelStatus(label=choice.label, offer=self.model_offer))
        live = None
        if live_on:
            try:
                live = services.live_transcriber()
            except Exception as exc:  # live words are optional: record anyway
                self.app.call_from_thread(self.notify, f"Live words off: {exc}", severity="warning")
        on_block = live.feed if live is not None else None
        take_id, recorder = services.workflow.start_recording(
            question, competency, lambda folder: services.recorder(folder, on_block=on_block)
        )
        self.post_message(RecordingStarted(Session(take_id, recorder, live, question)))

    def on_recording_started(self, event: RecordingStarted) -> None:
        self.session = event.session
        self._started_at = time.monotonic()
        self._set_state(RECORDING)

    def job_failed(self, group: str, error: BaseException | None) -> None:
        if group == "record":
            from recorder.errors import AudioDeviceError

            if isinstance(error, (AudioDeviceError, OSError)):
                banner = self.query_one("#mic-banner", Static)
                banner.update(
                    Text.assemble(
                        ("No microphone: ", "bold"),
                        str(error),
                        ("\nThe library, review and settings still work. Check the input device in Settings (F4).", ""),
                    )
                )
                banner.remove_class("hidden")
            else:
                from analysis.errors import RehearseError

                if isinstance(error, RehearseError) and not isinstance(error, AudioDeviceError):
                    self.post_message(ModelStatus(error=str(error)))
            self.session = None
            self._set_state(IDLE)
        elif group == "transcribe":
            self.session = None
            self._set_state(IDLE)

    def _tick(self) -> None:
        s = self.session
        if s is not None and self.state == FINISHING and s.live is not None:
            self._finishing_progress(s.live)
            return
        if s is None or self.state not in (RECORDING, PAUSED):
            return
        rec = s.recorder
        elapsed = float(rec.elapsed)
        panel = self.query_one(RecordingPanel)
        panel.show_time(elapsed, self.target, rec.level())
        if s.live is not None:
            panel.show_live_words(list(getattr(s.live, "words", []) or []), getattr(s.live, "behind_seconds", None))
        self._update_live_stats(elapsed)
        live_err = getattr(rec, "on_block_error", None)
        if live_err is not None and s.live is not None:
            s.live = None  # the recorder stopped feeding it; the recording itself goes on
            self.notify(f"Live words stopped: {live_err}. Recording continues.", severity="warning", timeout=8)
        err = getattr(rec, "error", None)
        if err is not None and self.state == RECORDING:
            self.notify(f"Recording stopped: {err}. The audio so far is kept.", severity="error", timeout=10)
            self.action_stop()
            return
        self._update_status()

    def _finishing_progress(self, live: Any) -> None:
        """From Enter to the report: seconds of audio left to transcribe and the time
        that should take, at this take's own decoding speed."""
        left = float(getattr(live, "pending_seconds", 0.0) or 0.0)
        eta = live.eta_seconds() if hasattr(live, "eta_seconds") else None
        self.query_one(RecordingPanel).show_live_left(left, eta)

    def _update_live_stats(self, elapsed: float) -> None:
        from tui.live_feedback import feedback_line, filler_count

        s = self.session
        panel = self.query_one(RecordingPanel)
        settings = self.app.settings
        if s is None or not getattr(settings.ui, "live_feedback", True):
            panel.show_stats(None)
            return
        words = list(getattr(s.live, "words", []) or []) if s.live is not None else None
        if words is not None and len(words) != s.counted_words:
            s.counted_words = len(words)
            s.fillers = filler_count(words, settings.analysis)
        parts = feedback_line(
            words=words,
            fillers=s.fillers,
            now=elapsed,
            section=s.section,
            section_start=s.section_start,
            target_s=self.target,
            analysis=settings.analysis,
        )
        panel.show_stats(parts)

    def _update_status(self) -> None:
        panel = self.query_one(RecordingPanel)
        current = self.session.section if self.session else None
        panel.show_keys(current, current is None and self.state in (RECORDING, PAUSED))
        status = {
            STARTING: "Loading the speech model, then opening the microphone…",
            RECORDING: "● Recording   p pause · Enter stop · Esc cancel",
            PAUSED: "⏸ Paused   p resume · Enter stop · Esc cancel",
            FINISHING: "Transcribing and analysing…",
        }.get(self.state, "")
        if self.session is not None and getattr(self.session.recorder, "overflows", 0):
            status += f"   ({self.session.recorder.overflows} dropped blocks)"
        panel.show_status(status, self.state == RECORDING)

    def action_section(self, label: str) -> None:
        if self.session is None:
            return
        self.session.recorder.add_marker(label)
        self.session.section = label
        self.session.section_start = float(self.session.recorder.elapsed)
        self._update_status()

    def action_pause(self) -> None:
        if self.session is None:
            return
        if self.state == RECORDING:
            self.session.recorder.pause()
            self._set_state(PAUSED)
        elif self.state == PAUSED:
            self.session.recorder.resume()
            self._set_state(RECORDING)

    def action_stop(self) -> None:
        if self.session is None or self.state not in (RECORDING, PAUSED):
            return
        self._set_state(FINISHING)
        self._finish_started = time.monotonic()
        self.query_one(RecordingPanel).finishing()
        if self.session.live is not None:
            # From the first frame after Enter: how much audio the live words still owe.
            self._finishing_progress(self.session.live)
        self.finish_recording(self.session)

    @work(thread=True, exclusive=True, group="transcribe", exit_on_error=False)
    def finish_recording(self, session: Session) -> None:
        from analysis.errors import RehearseError
        from recorder.workflow import TranscriptionFailed

        workflow = self.app.services.workflow
        rec = session.recorder
        # never throws the recording away: a take that cannot be saved stays in
        # .in-progress/ (the error says where) and is recovered at the next start
        take = workflow.finish_recording(session.take_id, rec)
        markers = tuple(getattr(rec, "markers", ()) or ())
        self.post_message(Progress("transcribe", 0, None, "Transcribing…"))

        def progress(done: float, total: float) -> None:
            self.post_message(Progress("transcribe", done, total))

        try:
            transcript, _ = workflow.transcribe_and_score(
                take.id, live=session.live, markers=markers, progress=progress
            )
        except TranscriptionFailed as exc:
            raise RehearseError(
                f"the recording is saved ({take.id}) but could not be transcribed: {exc.cause} "
                "— fix that, then open the take and press m to transcribe it"
            ) from exc.cause
        if transcript.words:
            self.post_message(TakeReady(take.id))
        else:
            self.post_message(TakeReady(take.id, "No speech detected in this take: check the microphone level."))

    def on_progress(self, event: Progress) -> None:
        if event.task == "transcribe":
            spent = None
            if self.session is not None and self.session.live is None:  # (else the live words say it)
                spent = time.monotonic() - getattr(self, "_finish_started", time.monotonic())
            self.query_one(RecordingPanel).show_transcribed(event.done, event.total, spent)

    def on_take_ready(self, event: TakeReady) -> None:
        self.session = None
        self._set_state(IDLE)
        if event.note:
            self.notify(event.note, severity="warning", timeout=8)
        self.app.open_review(event.take_id)

    def action_cancel(self) -> None:
        if self.session is None:
            return
        session = self.session

        def answer(yes: bool | None) -> None:
            if yes and self.session is session:
                self.session = None
                self.cancel_recording(session)
                self._set_state(IDLE)
                self.notify("Recording cancelled and thrown away.")

        self.app.push_screen(
            ConfirmScreen("Cancel this recording and throw the audio away?", yes="Throw away", no="Keep recording"),
            answer,
        )

    @work(thread=True, group="record", exit_on_error=False)
    def cancel_recording(self, session: Session) -> None:
        self.app.services.workflow.cancel_recording(session.take_id, session.recorder)

    def on_unmount(self) -> None:
        if self.session is not None and self.state in (RECORDING, PAUSED):
            # Quitting mid-recording: stop and keep it (recovered on next start).
            try:
                self.session.recorder.stop()
            except Exception:
                pass
