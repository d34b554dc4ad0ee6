"""Practise's question choice: the bank of questions, your own question, the target length,
and the lines beside them (the last take of the question, live words on/off, the speech
model). The screen reads ``question``/``competency`` and the target from here."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from tui.format import byte_progress, byte_size, mmss, parse_duration
from tui.questions import BANK, competency_of, random_question


class QuestionPicker(Horizontal):
    """``#pick``: ``#questions`` (the bank) beside ``#chosen``, ``#last-time``, ``#own``,
    ``#target``, ``#live-state`` and ``#model-state``."""

    def __init__(self, default_target: Callable[[], float], *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id)
        self.question = ""
        self.competency: str | None = None
        self.default_target = default_target  # the target when the box holds no length
        self._last: Any = None  # the last take of a question practised again

    def compose(self) -> ComposeResult:
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

    def fill(self) -> None:
        """The bank into the list, the default target into the box, the first question chosen."""
        ol = self.query_one("#questions", OptionList)
        for comp, texts in BANK.items():
            ol.add_option(Option(Text(comp.upper(), style="bold"), disabled=True))
            for i, text in enumerate(texts):
                ol.add_option(Option(text, id=f"{comp}|{i}"))
        self.query_one("#target", Input).value = mmss(self.default_target())
        first = next(iter(BANK.items()))
        self.choose(first[1][0], first[0])
        ol.highlighted = 1

    def choose(self, text: str, competency: str | None) -> None:
        self.question = " ".join(text.split())
        self.competency = competency
        chosen = Text(self.question, style="bold")
        chosen.append(f"\n{competency or 'your own question'}", style="dim italic")
        self.query_one("#chosen", Static).update(chosen)
        self._show_last()

    def _highlight(self, option_id: str) -> None:
        ol = self.query_one("#questions", OptionList)
        for idx in range(ol.option_count):
            if ol.get_option_at_index(idx).id == option_id:
                ol.highlighted = idx
                break

    def again(self, question: str, competency: str | None, last: Any) -> None:
        """The question of a take practised again (highlighted when it is in the bank)."""
        for comp, texts in BANK.items():
            if question in texts:
                competency = comp
                self._highlight(f"{comp}|{texts.index(question)}")
        self.choose(question, competency)
        self._last = last
        self._show_last()

    def random(self, same_competency: bool = False) -> None:
        q = random_question(competency=self.competency if same_competency else None, exclude=self.question)
        self.choose(q.text, q.competency)
        self._highlight(f"{q.competency}|{BANK[q.competency].index(q.text)}")

    def _show_last(self) -> None:
        from tui.format import table_date
        from tui.practice_loop import figures, question_key

        last = self._last
        box = self.query_one("#last-time", Static)
        if last is None or question_key(last.question) != question_key(self.question):
            box.add_class("hidden")
            return
        box.update(
            Text.assemble(("Last take ", "dim"), (f"({table_date(last.created)}): ", "dim"), (figures(last), "bold"))
        )
        box.remove_class("hidden")

    def show_live(self, on: bool) -> None:
        self.query_one("#live-state", Static).update(
            Text.assemble(
                ("Live words ", "dim"),
                ("on" if on else "off", "bold"),
                (" (words appear as you speak; uses more CPU)" if on else "", "dim"),
            )
        )

    def show_model_download(self, done: int, total: int) -> None:
        self.query_one("#model-state", Static).update(
            Text.assemble(("Speech model: ", "dim"), f"downloading {byte_progress(done, total)}")
        )

    def show_model(self, label: str | None, error: str | None, offer: tuple[str, int] | None) -> None:
        """The speech model in use (or why none is usable), and a better one to download."""
        box = self.query_one("#model-state", Static)
        if error:
            box.update(Text.assemble(("Speech model: ", "dim"), ("not usable — ", "bold"), error))
            return
        line = Text.assemble(("Speech model: ", "dim"), (label or "", "bold"))
        if offer:
            name, size = offer
            line.append(
                f"\n{name} is more accurate: press d to download it "
                f"({'~' + byte_size(size) if size else 'size unknown'}, from Hugging Face; nothing is sent "
                "before you press d); the bundled model is used meanwhile",
                style="dim",
            )
        box.update(line)

    # ---- the target length ------------------------------------------------------------
    def target_seconds(self) -> float:
        """The target in the box (a length it cannot read: the default, said once)."""
        box = self.query_one("#target", Input)
        value = parse_duration(box.value)
        if value is None:
            value = self.default_target()
            self.notify("Target length: write minutes:seconds, e.g. 2:00 (5 s to 60 min).", severity="warning")
            box.value = mmss(value)
        return value

    def nudge_target(self, delta: float) -> None:
        value = max(15.0, min(3600.0, self.target_seconds() + delta))
        self.query_one("#target", Input).value = mmss(value)

    # ---- the boxes ----------------------------------------------------------------------
    @on(OptionList.OptionHighlighted, "#questions")
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option.id:
            comp, i = event.option.id.split("|")
            self.choose(BANK[comp][int(i)], comp)

    @on(Input.Submitted, "#own")
    def _own_submitted(self, event: Input.Submitted) -> None:
        text = event.value.strip()
        if text:
            self.choose(text, competency_of(text))
            self.query_one("#questions", OptionList).focus()
            self.notify("Your question is set: press r to record.", timeout=3)

    @on(Input.Submitted, "#target")
    def _target_submitted(self, event: Input.Submitted) -> None:
        self.target_seconds()
        self.query_one("#questions", OptionList).focus()
