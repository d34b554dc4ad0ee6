"""Practise: pick a question, set a target, record with a live timer, level meter, STAR
section keys and (optionally) live words; stop -> the take is transcribed, analysed and
opened in Review."""

from __future__ import annotations

import time
from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.message import Message
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Digits, Input, Label, OptionList, ProgressBar, Static
from textual.widgets.option_list import Option

from tui.screens.base import RehearseScreen
from tui.format import C, STAR, STAR_COLOUR, STAR_LETTER, mmss, parse_duration
from tui.messages import Progress, RecordingStarted, TakeReady
from tui.questions import BANK, competency_of, random_question
from tui.screens.dialogs import ConfirmScreen
from tui.widgets.footer import KeysFooter
from tui.widgets.title_bar import TitleBar
from tui.widgets.level_meter import LevelMeter

IDLE, STARTING, RECORDING, PAUSED, FINISHING = "idle", "starting", "recording", "paused", "finishing"
TARGET_STEP = 15.0


class ModelStatus(Message):
    """The speech model check: ``label`` when it loaded, else ``error`` (one line);
    ``offer`` = (name, bytes) of a better model to download; ``done/total`` bytes while
    downloading."""

    def __init__(self, label: str | None = None, error: str | None = None,
                 offer: tuple[str, int] | None = None, download: tuple[int, int] | None = None) -> None:
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
        self.question = ""
        self.competency: str | None = None
        self.live_on = False
        self._shown_words = 0
        self.model_label: str | None = None  # the speech model in use, once it loaded
        self.model_error: str | None = None
        self.model_offer: tuple[str, int] | None = None
        self._downloading = False

    # ---- layout -------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield TitleBar()
        yield Static("", id="mic-banner", classes="hidden")
        with Horizontal(id="pick"):
            yield OptionList(id="questions")
            with Vertical(id="pick-side"):
                yield Label("Question", classes="section-title")
                yield Static("", id="chosen")
                yield Static("", id="last-time", classes="hidden")
                yield Input(placeholder="e: your own question, Enter to use it", id="own")
                with Horizontal(id="target-row"):
                    yield Label("Target ", classes="dim")
                    yield Input(id="target", restrict=r"[0-9:ms]*", max_length=6)
                    yield Label(" +/− 15 s", classes="dim")
                yield Static("", id="live-state")  # (the keys are in the footer)
                yield Static("Speech model: checking…", id="model-state")
        with Vertical(id="rec", classes="hidden"):
            yield Static("", id="rec-question")
            with Horizontal(id="timer-row"):
                yield Digits("0:00", id="timer")
                yield Label("", id="timer-target")
            yield ProgressBar(id="rec-progress", show_eta=False, show_percentage=False)
            yield LevelMeter(id="level")
            yield Static("", id="star-keys")
            yield Static("", id="live-stats")  # quiet live feedback ([ui] live_feedback)
            yield Static("", id="live-words")
            yield Label("", id="rec-status")
        yield KeysFooter()

    def on_mount(self) -> None:
        ol = self.query_one("#questions", OptionList)
        for comp, texts in BANK.items():
            ol.add_option(Option(Text(comp.upper(), style="bold"), disabled=True))
            for i, text in enumerate(texts):
                ol.add_option(Option(text, id=f"{comp}|{i}"))
        ui = self.app.settings.ui
        self.live_on = bool(ui.live_transcription)
        self.query_one("#target", Input).value = mmss(ui.target_seconds)
        first = next(iter(BANK.items()))
        self._choose(first[1][0], first[0])
        ol.highlighted = 1
        ol.focus()
        self._refresh_live_label()
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
        from tui.format import byte_progress, byte_size

        box = self.query_one("#model-state", Static)
        if event.download is not None:
            done, total = event.download
            box.update(Text.assemble(("Speech model: ", "dim"), f"downloading {byte_progress(done, total)}"))
            return
        self.model_label, self.model_error = event.label, event.error
        self.model_offer = event.offer
        if event.error:
            box.update(Text.assemble(("Speech model: ", "dim"), ("not usable — ", "bold"), event.error))
        else:
            line = Text.assemble(("Speech model: ", "dim"), (event.label or "", "bold"))
            if event.offer:
                name, size = event.offer
                line.append(f"\n{name} is more accurate: press d to download it ({'~' + byte_size(size) if size else 'size unknown'}, "
                            "from Hugging Face; nothing is sent before you press d); the bundled model is used meanwhile", style="dim")
            box.update(line)
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
        ol = self.query_one("#questions", OptionList)
        for comp, texts in BANK.items():  # a bank question: highlight it in the list
            if question in texts:
                competency = comp
                for idx in range(ol.option_count):
                    if ol.get_option_at_index(idx).id == f"{comp}|{texts.index(question)}":
                        ol.highlighted = idx
        self._choose(question, competency)
        self._last = last
        self._show_last()
        self.notify("Same question again: press r to record.", timeout=3)

    def _show_last(self) -> None:
        from tui.practice_loop import figures, question_key
        from tui.format import table_date

        last = getattr(self, "_last", None)
        box = self.query_one("#last-time", Static)
        if last is None or question_key(last.question) != question_key(self.question):
            box.add_class("hidden")
            return
        box.update(Text.assemble(("Last take ", "dim"), (f"({table_date(last.created)}): ", "dim"),
                                 (figures(last), "bold")))
        box.remove_class("hidden")

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
    def _choose(self, text: str, competency: str | None) -> None:
        self.question = " ".join(text.split())
        self.competency = competency
        chosen = Text(self.question, style="bold")
        chosen.append(f"\n{competency or 'your own question'}", style="dim italic")
        self.query_one("#chosen", Static).update(chosen)
        self._show_last()

    @on(OptionList.OptionHighlighted, "#questions")
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option.id:
            comp, i = event.option.id.split("|")
            self._choose(BANK[comp][int(i)], comp)

    @on(OptionList.OptionSelected, "#questions")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self.action_record()

    @on(Input.Submitted, "#own")
    def _own_submitted(self, event: Input.Submitted) -> None:
        text = event.value.strip()
        if text:
            self._choose(text, competency_of(text))
            self.query_one("#questions", OptionList).focus()
            self.notify("Your question is set: press r to record.", timeout=3)

    @on(Input.Submitted, "#target")
    def _target_submitted(self, event: Input.Submitted) -> None:
        self._target_seconds()
        self.query_one("#questions", OptionList).focus()

    def _target_seconds(self) -> float:
        box = self.query_one("#target", Input)
        value = parse_duration(box.value)
        if value is None:
            value = float(self.app.settings.ui.target_seconds)
            self.notify("Target length: write minutes:seconds, e.g. 2:00 (5 s to 60 min).", severity="warning")
            box.value = mmss(value)
        return value

    def action_random(self, same_competency: bool = False) -> None:
        q = random_question(competency=self.competency if same_competency else None, exclude=self.question)
        self._choose(q.text, q.competency)
        ol = self.query_one("#questions", OptionList)
        for idx in range(ol.option_count):
            opt = ol.get_option_at_index(idx)
            if opt.id == f"{q.competency}|{BANK[q.competency].index(q.text)}":
                ol.highlighted = idx
                break

    def action_own(self) -> None:
        self.query_one("#own", Input).focus()

    def action_target(self, delta: float) -> None:
        value = max(15.0, min(3600.0, self._target_seconds() + delta))
        self.query_one("#target", Input).value = mmss(value)

    def action_toggle_live(self) -> None:
        self.live_on = not self.live_on
        self._refresh_live_label()

    def _refresh_live_label(self) -> None:
        self.query_one("#live-state", Static).update(
            Text.assemble(("Live words ", "dim"), ("on" if self.live_on else "off", "bold"),
                          (" (words appear as you speak; uses more CPU)" if self.live_on else "", "dim")))

    # ---- recording --------------------------------------------------------------------------
    def action_record(self) -> None:
        if self.state != IDLE:
            return
        if not self.question:
            self.notify("Pick a question or type your own first.", severity="warning")
            return
        self.target = self._target_seconds()
        self.query_one("#mic-banner").add_class("hidden")
        q = Text(self.question, style="bold")
        self.query_one("#rec-question", Static).update(q)
        self.query_one("#rec-progress", ProgressBar).update(total=self.target, progress=0)
        self.query_one("#timer-target", Label).update(f"  of {mmss(self.target)}")
        self.query_one("#live-words", Static).update("")
        self._shown_words = 0
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
            question, competency, lambda folder: services.recorder(folder, on_block=on_block))
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
                banner.update(Text.assemble(("No microphone: ", "bold"), str(error),
                                            ("\nThe library, review and settings still work. Check the "
                                             "input device in Settings (F4).", "")))
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
        self.query_one("#timer", Digits).update(mmss(elapsed))
        over = elapsed > self.target
        self.query_one("#timer").set_class(over, "over")
        self.query_one("#rec-progress", ProgressBar).update(progress=min(elapsed, self.target))
        level = rec.level()
        if level is not None:
            self.query_one("#level", LevelMeter).set_level(*level)
        if s.live is not None:
            words = list(getattr(s.live, "words", []) or [])
            behind = getattr(s.live, "behind_seconds", None)
            behind_text = f"{behind:.0f} s behind" if isinstance(behind, (int, float)) else ""
            if len(words) != self._shown_words or behind_text != getattr(self, "_shown_behind", ""):
                self._shown_words = len(words)
                self._shown_behind = behind_text
                text = Text(" ".join(getattr(w, "text", str(w)).strip() for w in words[-60:]))
                if behind_text:
                    text.append(f"  (live words {behind_text})", style="dim")
                self.query_one("#live-words", Static).update(text)
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
        if left > 0.05:
            text = f"Transcribing: {left:.1f} s of audio left"
            text += f", about {max(1, round(eta))} s" if eta is not None else ""
        else:
            text = "Analysing…"
        self.query_one("#rec-status", Label).update(text)
        total = getattr(self, "_finish_total", None)
        if total is None or left > total:
            self._finish_total = total = max(left, 0.1)
        self.query_one("#rec-progress", ProgressBar).update(total=total, progress=max(0.0, total - left))

    def _update_live_stats(self, elapsed: float) -> None:
        from tui.live_feedback import feedback_line, filler_count

        s = self.session
        box = self.query_one("#live-stats", Static)
        settings = self.app.settings
        if s is None or not getattr(settings.ui, "live_feedback", True):
            box.update("")
            return
        words = list(getattr(s.live, "words", []) or []) if s.live is not None else None
        if words is not None and len(words) != s.counted_words:
            s.counted_words = len(words)
            s.fillers = filler_count(words, settings.analysis)
        parts = feedback_line(words=words, fillers=s.fillers, now=elapsed, section=s.section,
                              section_start=s.section_start, target_s=self.target, analysis=settings.analysis)
        text = Text(style="dim")
        for piece, role in parts:
            text.append(piece, style={"good": C.good, "warn": f"bold {C.warn}"}.get(role, ""))
        box.update(text)

    def _update_status(self) -> None:
        keys = Text()
        current = self.session.section if self.session else None
        for k in STAR:
            idx = STAR.index(k) + 1
            style = f"bold {C.on_fill} on {STAR_COLOUR[k]}" if k == current else STAR_COLOUR[k]
            keys.append(f" {idx}/{STAR_LETTER[k].lower()} {k.capitalize()} ", style=style)
            keys.append(" ")
        if current is None and self.state in (RECORDING, PAUSED):
            keys.append(" ← press when you start each part", style="dim")
        self.query_one("#star-keys", Static).update(keys)
        status = {
            STARTING: "Loading the speech model, then opening the microphone…",
            RECORDING: "● Recording   p pause · Enter stop · Esc cancel",
            PAUSED: "⏸ Paused   p resume · Enter stop · Esc cancel",
            FINISHING: "Transcribing and analysing…",
        }.get(self.state, "")
        if self.session is not None and getattr(self.session.recorder, "overflows", 0):
            status += f"   ({self.session.recorder.overflows} dropped blocks)"
        label = self.query_one("#rec-status", Label)
        label.update(status)
        label.set_class(self.state == RECORDING, "recording")

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
        self._finish_total = None
        self._finish_started = time.monotonic()
        self.query_one("#rec-progress", ProgressBar).update(total=None, progress=0)
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
            transcript, _ = workflow.transcribe_and_score(take.id, live=session.live, markers=markers,
                                                          progress=progress)
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
            self.query_one("#rec-progress", ProgressBar).update(total=event.total or None, progress=event.done)
            if event.total and self.session is not None and self.session.live is None:
                left = max(0.0, event.total - event.done)
                spent = time.monotonic() - getattr(self, "_finish_started", time.monotonic())
                text = f"Transcribing: {left:.1f} s of audio left"
                if event.done > 1.0 and spent > 0.5:
                    text += f", about {max(1, round(left * spent / event.done))} s"
                self.query_one("#rec-status", Label).update(text if left > 0.05 else "Analysing…")

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

        self.app.push_screen(ConfirmScreen("Cancel this recording and throw the audio away?",
                                           yes="Throw away", no="Keep recording"), answer)

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
