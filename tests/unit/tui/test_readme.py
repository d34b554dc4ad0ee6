"""The README's examples work: its settings file loads, its commands exist."""

from __future__ import annotations

import re
from pathlib import Path

from tui.cli import build_parser
from tui.settings import load_settings

README = Path(__file__).resolve().parents[3] / "README.md"


def _toml_blocks() -> list[str]:
    return re.findall(r"```toml\n(.*?)```", README.read_text(encoding="utf-8"), flags=re.S)


def test_every_settings_example_in_the_readme_loads(tmp_path):
    blocks = _toml_blocks()
    assert len(blocks) >= 3
    for i, block in enumerate(blocks):
        p = tmp_path / f"example{i}.toml"
        p.write_text(block)
        load_settings(p)  # raises SettingsError (naming the key) if the README drifted


def test_every_command_in_the_reference_exists():
    text = README.read_text(encoding="utf-8")
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    known = set(sub.choices)
    used = set(re.findall(r"`rehearse ([a-z]+)", text))
    assert used, "the README names no commands"
    assert used <= known, f"README mentions commands that do not exist: {sorted(used - known)}"


def test_the_readme_says_what_live_words_default_to():
    from tui.settings import UISettings

    text = " ".join(README.read_text(encoding="utf-8").split())
    said = re.findall(r"Live (?:transcription|words) (?:is|are) (on|off) by default", text)
    assert said, "the README no longer says whether live words are on by default"
    assert set(said) == {"on" if UISettings().live_transcription else "off"}
