"""`rehearse analyze`: text report in 80 columns, --json, --settings, bad input."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from analysis_helpers import marked

from tui.cli import main
from tui.commands.analyze import format_report, star_bar

ROOT = Path(__file__).resolve().parents[3]
FIXTURES = ROOT / "tests" / "fixtures"

ANSWER = (
    "{Um}, so last year I was a support engineer at a small company that builds booking tools for clinics. "
    "Clinics kept telling us that patients were, {like}, missing appointments because reminders came late. "
    "My job was to find out why and get the complaints down before renewal season. "
    "So first I pulled every reminder ticket from the last three months and tagged each one by time zone. "
    "Then I sat down with one of our developers and, {you know}, we traced it to a job that stored times badly. "
    "I wrote a script to find every affected appointment and I called the five clinics with the most complaints. "
    "Finally I added a check to our release list so it could not come back. "
    "In the end complaints dropped by eighty percent within a month and all five clinics renewed."
)


@pytest.fixture
def transcript_file(tmp_path) -> Path:
    t, _ = marked(ANSWER)
    p = tmp_path / "answer.transcript.json"
    t.save(p)
    return p


def run_cli(*args: str, capsys) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_text_report_fits_80_columns(transcript_file, capsys):
    code, out, err = run_cli("analyze", str(transcript_file), capsys=capsys)
    assert code == 0 and err == ""
    lines = out.splitlines()
    assert max(len(line) for line in lines) <= 80
    assert "\x1b[" not in out  # not a terminal: no colour
    for heading in ("STAR", "Section", "Fillers", "Pace", "Pauses", "Content", "Tips"):
        assert any(line.startswith(heading) for line in lines), heading
    bar = next(line for line in lines if line.startswith("|"))
    assert len(bar) == 80 and "Action" in bar
    assert "0:00 um" in out  # fillers with m:ss timestamps
    assert "like" in out and "you know" in out
    assert "eighty percent" in out  # the quantified result is listed


def test_json_output_is_only_the_report(transcript_file, capsys):
    code, out, err = run_cli("analyze", "--json", str(transcript_file), capsys=capsys)
    assert code == 0
    report = json.loads(out)
    assert report["version"] == 1
    assert [f["text"] for f in report["fillers"]["items"]] == ["um", "like", "you know"]
    assert {s["label"] for s in report["star"]["sections"]} <= {"situation", "task", "action", "result"}


def test_settings_file_changes_the_filler_list(transcript_file, tmp_path, capsys):
    settings = tmp_path / "s.toml"
    settings.write_text('[analysis]\nfilled_pauses = ["um"]\ndiscourse_markers = ["so"]\nhedges = []\n')
    code, out, _ = run_cli("analyze", "--json", "--settings", str(settings), str(transcript_file), capsys=capsys)
    assert code == 0
    texts = [f["text"] for f in json.loads(out)["fillers"]["items"]]
    assert "like" not in texts and "you know" not in texts
    assert texts.count("so") == 3 and "um" in texts  # "so last year", "So first", "so it could"
    # the global form (before the command) works too
    code, out2, _ = run_cli("--settings", str(settings), "analyze", "--json", str(transcript_file), capsys=capsys)
    assert json.loads(out2)["fillers"] == json.loads(out)["fillers"]


def test_settings_file_changes_thresholds(transcript_file, tmp_path, capsys):
    settings = tmp_path / "s.toml"
    settings.write_text("[analysis]\npace_min_wpm = 200.0\npace_max_wpm = 260.0\n")
    _, out, _ = run_cli("analyze", "--json", "--settings", str(settings), str(transcript_file), capsys=capsys)
    pace = json.loads(out)["pace"]
    assert pace["verdict"] == "slow" and pace["band"] == [200, 260]


@pytest.mark.parametrize(
    "content, needle",
    [
        ("{not json", "malformed JSON"),
        ('{"duration": 3}', "missing field 'words'"),
        ('{"words": []}', "no words"),
        ('{"words": [{"text": " a", "start": 2.0, "end": 1.0}]}', "ends before it starts"),
        ('{"words": [{"text": " a", "start": -2.0, "end": 1.0}]}', "negative time"),
        (
            '{"words": [{"text": " a", "start": 2.0, "end": 2.5}, {"text": " b", "start": 1.0, "end": 1.2}]}',
            "backwards",
        ),
    ],
)
def test_bad_transcript_one_line_error(tmp_path, content, needle, capsys):
    p = tmp_path / "bad.json"
    p.write_text(content)
    code, out, err = run_cli("analyze", str(p), capsys=capsys)
    assert code == 1 and out == ""
    assert err.count("\n") == 1 and err.startswith("rehearse: error: ")
    assert str(p) in err and needle in err


def test_missing_file_and_bad_settings(tmp_path, transcript_file, capsys):
    code, _, err = run_cli("analyze", str(tmp_path / "nope.json"), capsys=capsys)
    assert code == 1 and "nope.json: no such file" in err and err.count("\n") == 1
    bad = tmp_path / "s.toml"
    bad.write_text("[analysis]\npace_min_wpm = 'fast'\n")
    code, _, err = run_cli("analyze", "--settings", str(bad), str(transcript_file), capsys=capsys)
    assert code == 1 and "pace_min_wpm" in err and err.count("\n") == 1
    bad.write_text("[analysis]\npace_min_wpm = 200.0\n")
    code, _, err = run_cli("analyze", "--settings", str(bad), str(transcript_file), capsys=capsys)
    assert code == 1 and str(bad) in err and "pace_min_wpm < pace_max_wpm" in err and err.count("\n") == 1


def test_take_folder_is_accepted(transcript_file, tmp_path, capsys):
    folder = tmp_path / "take"
    folder.mkdir()
    (folder / "transcript.json").write_text(transcript_file.read_text())
    code, out, _ = run_cli("analyze", "--json", str(folder), capsys=capsys)
    assert code == 0 and json.loads(out)["words"] > 100


def test_real_console_script(transcript_file, rehearse_bin):
    """As a user runs it: the installed script, a pipe (no colour), exit codes."""
    exe = rehearse_bin.split()
    r = subprocess.run(exe + ["analyze", "--json", str(transcript_file)], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0 and json.loads(r.stdout)["words"] > 100 and r.stderr == ""
    r = subprocess.run(
        exe + ["analyze", str(transcript_file.parent / "missing.json")], capture_output=True, text=True, timeout=60
    )
    assert r.returncode == 1 and r.stdout == "" and len(r.stderr.strip().splitlines()) == 1
    assert "Traceback" not in r.stderr and "missing.json" in r.stderr
    r = subprocess.run(exe + ["--version"], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0 and r.stdout.startswith("rehearse ")
    r = subprocess.run(exe + ["analyze", "--help"], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0 and "--json" in r.stdout and "--settings" in r.stdout and "--model" in r.stdout
    r = subprocess.run(exe + ["--help"], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0 and "analyze" in r.stdout


def test_sample_take_report(capsys):
    sample = sorted((ROOT / "sample_audio").glob("*.transcript.json"))
    if not sample:
        pytest.skip("no bundled sample")
    code, out, _ = run_cli("analyze", str(sample[0]), capsys=capsys)
    assert code == 0 and max(map(len, out.splitlines())) <= 80


def test_format_report_respects_width_and_colour(transcript_file, capsys):
    run_cli("analyze", "--json", str(transcript_file), capsys=capsys)
    from analysis import analyze
    from analysis.transcript import Transcript

    report = analyze(Transcript.load(transcript_file)).to_dict()
    for width in (40, 50, 60, 80, 100):
        text = format_report(report, width=width)
        assert max(len(line) for line in text.splitlines()) <= width
    coloured = format_report(report, color=True)
    assert "\x1b[" in coloured


def test_star_bar_is_proportional():
    secs = [
        {"label": "situation", "share": 0.2},
        {"label": "task", "share": 0.1},
        {"label": "action", "share": 0.5},
        {"label": "result", "share": 0.2},
    ]
    bar = star_bar(secs, 80)
    assert len(bar) == 80
    parts = bar.strip("|").split("|")
    assert sum(len(p) for p in parts) == 75  # 80 minus 5 separators
    for p, sec in zip(parts, secs, strict=False):
        assert abs(len(p) - sec["share"] * 75) <= 1
    assert parts[0].startswith(" Situation 20%")


def test_colour_only_on_a_terminal_without_no_color(transcript_file, monkeypatch, capsys):
    import io

    class Tty(io.StringIO):
        def isatty(self):
            return True

    for no_color, expect in (("", True), ("1", False)):
        monkeypatch.setenv("NO_COLOR", no_color)
        buf = Tty()
        monkeypatch.setattr(sys, "stdout", buf)
        assert main(["analyze", str(transcript_file)]) == 0
        assert ("\x1b[" in buf.getvalue()) is expect


@pytest.mark.slow
def test_audio_file_is_transcribed_then_analysed(tmp_path, capsys):
    """A real audio file through faster-whisper (tiny scripted offline model) to the report."""
    pytest.importorskip("ctranslate2")
    from whisper_models import build_scripted_model

    ref = json.loads((FIXTURES / "speech_16k.words.json").read_text())
    words = ref["words"] if isinstance(ref, dict) else ref
    model = build_scripted_model(
        tmp_path / "model", [w["text"] for w in words], [(w["start"], w["end"]) for w in words]
    )
    code, out, err = run_cli(
        "analyze", "--json", "--model", str(model), str(FIXTURES / "speech_16k.wav"), capsys=capsys
    )
    assert code == 0, err
    report = json.loads(out)
    assert report["words"] == len(words)
    assert report["model"] == str(model)


def test_model_option_is_for_audio_only(transcript_file, capsys):
    code, _, err = run_cli("analyze", "--model", "tiny.en", str(transcript_file), capsys=capsys)
    assert code == 1 and "audio files only" in err


def test_text_report_shows_missing_sections_hook_and_hesitations():
    report = {
        "duration": 70.0,
        "words": 150,
        "pace": {"wpm": 140, "articulation_wpm": 150, "verdict": "good", "band": [120, 165], "timeline": []},
        "pauses": {
            "count": 1,
            "per_minute": 0.9,
            "longest": 2.5,
            "long_count": 1,
            "items": [{"start": 30.2, "end": 32.7, "seconds": 2.5, "long": True}],
        },
        "fillers": {
            "count": 2,
            "per_minute": 1.7,
            "per_100_words": 1.3,
            "by_kind": {},
            "by_text": {"um": 1, "we": 1},
            "items": [
                {"text": "um", "kind": "filled_pause", "start": 3.2, "end": 3.5},
                {"text": "we", "kind": "repetition", "start": 40.0, "end": 40.2},
            ],
        },
        "star": {
            "method": "cues",
            "missing": ["result"],
            "targets": {"situation": 0.15, "task": 0.1, "action": 0.55, "result": 0.2},
            "hook": {"start": 0.4, "end": 6.0},
            "sections": [
                {
                    "label": "situation",
                    "start": 0.4,
                    "end": 20.0,
                    "seconds": 19.6,
                    "share": 0.28,
                    "words": 40,
                    "wpm": 122,
                    "fillers": 1,
                },
                {
                    "label": "task",
                    "start": 20.0,
                    "end": 28.0,
                    "seconds": 8.0,
                    "share": 0.12,
                    "words": 18,
                    "wpm": 135,
                    "fillers": 0,
                },
                {
                    "label": "action",
                    "start": 28.0,
                    "end": 70.0,
                    "seconds": 42.0,
                    "share": 0.6,
                    "words": 92,
                    "wpm": 131,
                    "fillers": 1,
                },
            ],
        },
        "content": {
            "length": {"seconds": 69.6, "target": [90, 180], "verdict": "short"},
            "balance": [],
            "result_quantified": False,
            "result_numbers": [],
            "ownership": {"i": 4, "we": 6, "ratio": 0.4, "scope": "action"},
            "signposts": [{"text": "first", "start": 28.1}],
            "hedges": 0,
            "repeated_words": [["team", 3]],
            "missing": ["result"],
        },
        "hesitations": {"count": 2, "items": [{"start": 12.0, "end": 12.4}, {"start": 50.0, "end": 50.5}]},
        "tips": [{"id": "result_missing", "text": "You never say how it ended.", "at": 70.0}],
    }
    text = format_report(report)
    assert "Missing: Result" in text
    assert "Opens with a result hook (0:00-0:06)" in text
    assert "0:30 2.5 s (long)" in text
    assert "2 possible hesitations not transcribed, at 0:12, 0:50" in text
    assert 'repeats: 0:40 "we..."' in text and "we \u00d71" not in text
    assert "Ownership   Action: I 4, we 6 (40% I)" in text
    assert "  1. You never say how it ended." in text
    assert max(len(line) for line in text.splitlines()) <= 80


def test_long_recordings_keep_the_text_report_short():
    from analysis_helpers import words_of

    from analysis import analyze

    t = words_of(" ".join(["so um we like shipped it then"] * 800), gap=0.6)
    text = format_report(analyze(t).to_dict())
    assert len(text.splitlines()) < 120
    assert "more (see --json)" in text
