"""Saving settings edits the user's file in place: only the changed keys are written,
comments and order stay, and defaults nobody changed are not frozen into the file."""

from __future__ import annotations

from dataclasses import replace

from tui.settings import AppSettings, load_settings, save_settings

USER_FILE = """\
# my Rehearse settings
[ui]
target_seconds = 90.0   # I practise short answers
"""


def test_only_the_changed_key_is_written_and_comments_stay(tmp_path):
    path = tmp_path / "settings.toml"
    path.write_text(USER_FILE)
    before = load_settings(path)
    after = replace(before, ui=replace(before.ui, theme="textual-light"))
    save_settings(after, path)
    text = path.read_text()
    assert text.startswith(USER_FILE)  # untouched, comments and all
    assert text[len(USER_FILE) :].strip() == 'theme = "textual-light"'
    assert load_settings(path) == after
    # a nested setting: a sub-table appears, nothing else
    again = replace(after, transcription=replace(after.transcription, model="tiny.en"))
    save_settings(again, path)
    assert load_settings(path) == again
    assert len(path.read_text().splitlines()) <= 7


def test_new_file_holds_only_what_differs_from_the_defaults(tmp_path):
    path = tmp_path / "settings.toml"
    s = AppSettings()
    save_settings(replace(s, ui=replace(s.ui, theme="textual-light")), path)
    assert path.read_text().split() == ["[ui]", "theme", "=", '"textual-light"']


async def test_ctrl_t_keeps_the_users_file(tmp_path):
    from tui.app import make_app

    path = tmp_path / "settings.toml"
    path.write_text(USER_FILE)
    app = make_app(settings_path=str(path))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+t")
        await pilot.pause()
    text = path.read_text()
    assert text.startswith(USER_FILE) and len(text.splitlines()) == 4
    assert load_settings(path).ui.theme == "textual-light"
