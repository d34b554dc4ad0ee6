"""The settings file: defaults, round trip, and one-line errors naming the file."""

from __future__ import annotations

import subprocess

import pytest

from analysis import locations
from tui.settings import AppSettings, SettingsError, field_docs, load_settings, save_settings


def test_missing_default_file_means_defaults(rehearse_home):
    assert load_settings() == AppSettings()


def test_rehearse_home_moves_everything(rehearse_home):
    assert locations.data_dir() == rehearse_home
    assert locations.takes_dir() == rehearse_home / "takes"
    assert locations.settings_file() == rehearse_home / "settings.toml"
    assert locations.models_dir() == rehearse_home / "models"


def test_round_trip(tmp_path):
    from dataclasses import replace

    s = AppSettings()
    s = replace(s, ui=replace(s.ui, theme="textual-light", target_seconds=150.0))
    path = save_settings(s, tmp_path / "settings.toml")
    assert path.stat().st_mode & 0o777 == 0o600
    assert load_settings(path) == s


@pytest.mark.parametrize(
    "text, needle",
    [
        ("[ui\ntheme=", "not valid TOML"),
        ("[nonsense]\nx = 1\n", "unknown table [nonsense]"),
        ("[ui]\ncolour = 'red'\n", "unknown setting 'colour'"),
        ("[ui]\ntarget_seconds = 'long'\n", "expected float"),
    ],
)
def test_bad_file_is_one_line_naming_it(tmp_path, text, needle):
    p = tmp_path / "s.toml"
    p.write_text(text)
    with pytest.raises(SettingsError) as err:
        load_settings(p)
    msg = str(err.value)
    assert needle in msg
    assert str(p) in msg
    assert "\n" not in msg


def test_explicit_missing_file_is_an_error(tmp_path):
    with pytest.raises(SettingsError, match="no such settings file"):
        load_settings(tmp_path / "absent.toml")


def test_cli_reports_bad_settings_in_one_line(tmp_path, rehearse_bin):
    p = tmp_path / "s.toml"
    p.write_text("[ui]\ncolour = 1\n")
    t = tmp_path / "t.json"
    t.write_text('{"words": [{"text": " hi", "start": 0, "end": 0.3}]}')
    proc = subprocess.run(
        [*rehearse_bin.split(), "--settings", str(p), "analyze", str(t)], capture_output=True, text=True
    )
    assert proc.returncode == 1
    assert proc.stderr.count("\n") == 1 and "unknown setting 'colour'" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_every_setting_documents_its_meaning():
    from dataclasses import fields

    from tui.settings import SECTIONS

    for cls in SECTIONS.values():
        docs = field_docs(cls)
        for f in fields(cls):
            if f.name == "star" or f.name.startswith("_"):
                continue
            assert docs.get(f.name), f"{cls.__name__}.{f.name} has no docstring (say what it is and its source)"
