"""The Settings screen as a user meets it: the most used settings first, thresholds
under "Advanced", help that speaks of the product, text in brackets shown as written,
and a question before leaving with unsaved edits."""

from __future__ import annotations

from tui_helpers import settle, wait_for


def _app(**kw):
    from tui.app import make_app
    from tui.settings import AppSettings

    kw.setdefault("settings", AppSettings())
    return make_app(start="settings", **kw)


async def test_order_help_and_brackets():
    from textual.widgets import Input, Label, Static

    app = _app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        inputs = [w.id for w in screen.query(Input)]
        assert inputs[:3] == ["f-transcription-model", "f-recorder-input_device", "f-ui-target_seconds"]
        assert "f-ui-theme" in inputs[:4]
        titles = [str(w.content) for w in screen.query(Label) if w.has_class("section-title")]
        assert titles[0] == "Most used" and titles[-1].startswith("Advanced")
        assert "Speech model  [transcription]" in titles  # not eaten as markup
        helps = " ".join(str(w.content) for w in screen.query(Static) if w.has_class("field-doc"))
        assert "issue 2" not in helps and "brief" not in helps
        assert "Model name faster-whisper knows" in helps


async def test_leaving_with_unsaved_edits_asks():
    from textual.widgets import Input

    from tui.screens.dialogs import ConfirmScreen
    from tui.screens.settings import SettingsScreen

    app = _app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        box = app.screen.query_one("#f-ui-target_seconds", Input)
        box.value = "150"
        await pilot.press("f3")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen), what="the question")
        await pilot.press("escape")  # stay
        await wait_for(pilot, lambda: isinstance(app.screen, SettingsScreen), what="Settings again")
        assert app.screen.query_one("#f-ui-target_seconds", Input).value == "150"
        await pilot.press("ctrl+q")  # quitting asks too
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen), what="the quit question")
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, SettingsScreen), what="Settings again")
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("f3")  # saved: no question
        await wait_for(pilot, lambda: type(app.screen).__name__ == "LibraryScreen", what="Library")
        assert app.settings.ui.target_seconds == 150


def test_help_text_keeps_the_product_and_drops_planning_references():
    from tui.screens.settings import help_text

    doc = "Below this many words a minute the pace is slow. Source: the project brief (issue 2)."
    assert help_text(doc) == "Below this many words a minute the pace is slow."
    doc = "Pauses longer than this count. Source: Goldman-Eisler (1968)."
    assert help_text(doc) == doc


async def test_error_text_in_brackets_is_shown_as_written():
    """A worker error naming [transcription] (or any bracketed text) is not eaten as markup."""
    from textual import work

    from analysis.errors import RehearseError

    app = _app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen

        @work(thread=True, group="download", exit_on_error=False)
        def fail(self) -> None:
            raise RehearseError("settings.toml: [transcription] model: CrisperWhisper writes [laughter]")

        fail(screen)
        await wait_for(pilot, lambda: any("[transcription]" in n.message for n in app._notifications), what="the error")
        note = next(n for n in app._notifications if "[transcription]" in n.message)
        assert not note.markup and "[laughter]" in note.message  # shown as written


async def test_every_input_has_a_visible_border_in_both_themes():
    from textual.widgets import Input

    for theme in ("textual-dark", "textual-light"):
        from tui.settings import AppSettings, UISettings

        app = _app(settings=AppSettings(ui=UISettings(theme=theme)))
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            boxes = list(app.screen.query(Input))
            assert len(boxes) > 10
            for box in boxes:
                for edge in (
                    box.styles.border_top,
                    box.styles.border_bottom,
                    box.styles.border_left,
                    box.styles.border_right,
                ):
                    kind, colour = edge
                    assert kind not in ("", "none", "hidden"), (theme, box.id)
                    assert colour.a > 0 and colour != box.styles.background, (theme, box.id)


def test_no_help_text_speaks_of_planning_documents():
    import re

    from tui.screens.settings import help_text
    from tui.settings import SECTIONS, field_docs

    def docs(cls):
        import dataclasses

        for f in dataclasses.fields(cls):
            doc = field_docs(cls).get(f.name)
            if doc:
                yield f.name, help_text(doc)
            value = f.default_factory() if f.default_factory is not dataclasses.MISSING else f.default
            if dataclasses.is_dataclass(value):
                yield from docs(type(value))

    found = [(name, text) for cls in SECTIONS.values() for name, text in docs(cls)]
    assert len(found) > 20
    for name, text in found:
        assert not re.search(r"\bbrief\b|\bissue\s*#?\d|our choice", text, re.IGNORECASE), (name, text)


async def test_a_save_error_naming_a_table_is_shown_as_written():
    from textual.widgets import Input

    app = _app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.screen.query_one("#f-ui-target_seconds", Input).value = "not a number"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: any(n.title == "Not saved" for n in app._notifications), what="the error")
        note = next(n for n in app._notifications if n.title == "Not saved")
        assert "[ui]" in note.message and "target_seconds" in note.message and not note.markup
