"""Every setting has a valid range, checked when settings.toml is read: a value outside it
(NaN included) is one line naming the file, the key and the range, never a crash later
(CTranslate2 segfaulting on cpu_threads = 100000, "no speech detected" for
vad_threshold = 5, an IndexError in the tips for hedges_ok = -1)."""

from __future__ import annotations

import json
import math
import re
import subprocess
from pathlib import Path

import pytest

from analysis import settings as analysis_settings
from analysis import star_settings
from analysis.setting_ranges import Choice, Num, Text, Words, check, describe
from analysis.speech import options as transcribe_options
from recorder import settings as recorder_settings
from tui import settings as tui_settings
from tui.settings import SettingsError, load_settings

ROOT = Path(__file__).resolve().parents[3]

TABLES = {
    "analysis": analysis_settings.RANGES,
    "analysis.star": star_settings.RANGES,
    "transcription": transcribe_options.RANGES,
    "recorder": recorder_settings.RANGES,
    "ui": tui_settings.UI_RANGES,
}
CLASSES = {
    "analysis": analysis_settings.AnalysisSettings,
    "analysis.star": star_settings.StarSettings,
    "transcription": transcribe_options.TranscribeOptions,
    "recorder": recorder_settings.RecorderSettings,
    "ui": tui_settings.UISettings,
}


def _toml(value) -> str:
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value)  # JSON string escapes are TOML basic-string escapes
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    return str(value)


def _bad_values(rule):
    if isinstance(rule, Num):
        bad = [float("nan"), float("inf"), rule.lo - 1, rule.hi + 1]
        if rule.integer:
            bad = [int(rule.lo) - 1, int(rule.hi) + 1, 2.5]
        return bad
    if isinstance(rule, Choice):
        return ["nonsense"]
    if isinstance(rule, Text):
        return ["x" * (rule.max_len + 1), "bad\x1b[2Jvalue"] + ([] if rule.empty else ["  "])
    if isinstance(rule, Words):
        return [[1], ["x" * (rule.max_len + 1)], ["bad\x1b[2J"]]
    raise AssertionError(rule)


CASES = [
    (table, key, bad) for table, ranges in TABLES.items() for key, rule in ranges.items() for bad in _bad_values(rule)
]


def test_every_field_of_every_table_has_a_range():
    from dataclasses import fields

    for table, cls in CLASSES.items():
        names = {f.name for f in fields(cls)}
        kinds = {f.name: f.type for f in fields(cls)}
        unranged = {n for n in names - set(TABLES[table]) if kinds[n] not in ("bool",)}
        unranged.discard("star")  # the [analysis.star] sub-table, ranged itself
        assert not unranged, f"[{table}] settings without a range: {sorted(unranged)}"
        defaults = cls()
        check({f.name: getattr(defaults, f.name) for f in fields(cls)}, TABLES[table])  # defaults are in range


@pytest.mark.parametrize("table, key, bad", CASES, ids=[f"{t}.{k}={b!r}"[:60] for t, k, b in CASES])
def test_out_of_range_value_is_one_line_naming_file_key_and_range(tmp_path, table, key, bad):
    p = tmp_path / "settings.toml"
    p.write_text(f"[{table}]\n{key} = {_toml(bad)}\n")
    with pytest.raises(SettingsError) as err:
        load_settings(p)
    msg = str(err.value)
    assert str(p) in msg and f"[{table}] {key} = " in msg, msg
    assert TABLES[table][key].text() in msg
    assert "\n" not in msg and "\x1b" not in msg


@pytest.mark.parametrize(
    "text, needle",
    [
        (
            "[transcription]\ncpu_threads = 100000\n",
            "cpu_threads = 100000 is out of range: must be a whole number from 0 to 64",
        ),
        ("[transcription]\nbeam_size = -3\n", "beam_size = -3 is out of range: must be a whole number from 1 to 20"),
        ("[analysis.star]\nskip_penalty = nan\n", "[analysis.star] skip_penalty = nan is out of range"),
        (
            "[transcription]\nvad_threshold = 5\n",
            "vad_threshold = 5.0 is out of range: must be a number from 0.01 to 0.99",
        ),
        ("[transcription]\npiece_min_s = 0\n", "piece_min_s = 0.0 is out of range: must be a number from 1 to 60"),
        ("[analysis]\nhedges_ok = -1\n", "hedges_ok = -1 is out of range"),
        (
            "[analysis]\npace_window_s = 0.000001\n",
            "pace_window_s = 1e-06 is out of range: must be a number from 1 to 600",
        ),
    ],
)
def test_the_reported_cases_from_the_command_line(tmp_path, rehearse_bin, text, needle):
    p = tmp_path / "s.toml"
    p.write_text(text)
    t = tmp_path / "t.json"
    t.write_text('{"words": [{"text": " hi", "start": 0, "end": 0.3}]}')
    proc = subprocess.run(
        [*rehearse_bin.split(), "--settings", str(p), "analyze", str(t)], capture_output=True, text=True, timeout=120
    )
    assert proc.returncode == 1
    assert proc.stdout == ""
    assert proc.stderr.count("\n") == 1 and str(p) in proc.stderr and needle in proc.stderr, proc.stderr


def test_readme_lists_every_range():
    readme = (ROOT / "README.md").read_text()
    for table, ranges in TABLES.items():
        for key, text in describe(ranges).items():
            line = re.search(rf"^\| `\[{re.escape(table)}\]` \| `{re.escape(key)}` \| (.*?) \|$", readme, re.M)
            assert line, f"README does not list the range of [{table}] {key}"
            assert line.group(1) == text, f"README range of {key}: {line.group(1)!r} != {text!r}"


@pytest.mark.parametrize(
    "value, needle", [("[" * 100_000 + "]" * 100_000, "nested too deeply"), ("9" * 5000, "thousands of digits")]
)
def test_a_settings_file_nested_100k_deep_or_with_a_5000_digit_number_is_one_line(tmp_path, value, needle):
    p = tmp_path / "settings.toml"
    p.write_text(f"[ui]\ntarget_seconds = {value}\n")
    with pytest.raises(SettingsError) as err:
        load_settings(p)
    msg = str(err.value)
    assert msg.startswith(f"{p}: ") and needle in msg and "\n" not in msg
