"""The take commands as a user types them: takes list/show/edit/delete/restore/trash/export,
rescore, import (in-process through tui.cli.main, which also runs crash recovery)."""

from __future__ import annotations

import csv
import io
import json

import numpy as np
import pytest
import soundfile as sf
from recorder_helpers import SPEECH_WAV

from analysis.transcript import Transcript, Word
from recorder.takes import RAW_AUDIO, RECORDING_JSON, Library
from recorder.workflow import Workflow
from tui.cli import main

ANSWER = (
    "so um last year our team missed every deadline my task was to fix the release plan "
    "I talked to each engineer then I split the work and I set weekly demos "
    "as a result we shipped two weeks early and cut bugs by 30 percent"
)


def scored_take(question: str) -> str:
    lib = Library()
    take_id, folder = lib.new_take(question)
    (folder / RAW_AUDIO).write_bytes((np.sin(np.arange(32000) / 5) * 9000).astype("<i2").tobytes())
    (folder / RECORDING_JSON).write_text(json.dumps({"samplerate": 16000}))
    lib.finish_take(take_id)
    words = tuple(Word(" " + w, 0.2 + i * 0.4, 0.5 + i * 0.4) for i, w in enumerate(ANSWER.split()))
    lib.save_transcript(take_id, Transcript(words=words, duration=words[-1].end + 0.3, model="test"))
    Workflow(lib).score(take_id)
    return take_id


def cli(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_list_empty_then_example_then_mine(capsys, rehearse_home):
    code, out, err = cli(capsys, "takes", "list")
    assert code == 0
    has_sample = "[example]" in out
    take_id = scored_take("Tell me about a deadline")
    code, out, err = cli(capsys, "takes")  # `takes` alone lists
    assert code == 0
    rows = [ln for ln in out.splitlines()[1:] if ln[:8].isdigit()]
    assert rows[0].startswith(take_id)  # newest first
    assert "Tell me about a deadline" in rows[0]
    assert len(rows) == 1 + has_sample
    code, out, _ = cli(capsys, "takes", "list", "--json")
    data = json.loads(out)
    assert data[0]["id"] == take_id and data[0]["wpm"] > 0 and data[0]["has_report"]


def test_show_edit_and_prefix_errors(capsys, rehearse_home):
    take_id = scored_take("Original question")
    code, out, _ = cli(capsys, "takes", "show", take_id[:12], "--transcript")
    assert code == 0
    assert "Original question" in out and "0:02" in out and "so um last year" in out
    assert cli(capsys, "takes", "edit", take_id, "--question", "Better question")[0] == 0
    assert Library().get(take_id).question == "Better question"
    code, out, err = cli(capsys, "takes", "show", "nope")
    assert code == 1 and err.startswith("rehearse: error: no take 'nope'") and err.count("\n") == 1
    scored_take("Original question")
    code, _, err = cli(capsys, "takes", "show", take_id[:9])
    assert code == 1 and "matches 2 takes" in err
    code, _, err = cli(capsys, "takes", "edit", take_id)
    assert code == 1 and "nothing to change" in err


def test_delete_trash_restore(capsys, rehearse_home):
    take_id = scored_take("Delete me")
    code, out, _ = cli(capsys, "takes", "delete", take_id)
    assert code == 0 and f"rehearse takes restore {take_id}" in out
    assert take_id not in cli(capsys, "takes", "list", "--json")[1]
    code, out, _ = cli(capsys, "takes", "trash")
    assert take_id in out
    assert cli(capsys, "takes", "restore", take_id[:10])[0] == 0
    assert (rehearse_home / "takes" / take_id / "audio.flac").exists()
    code, out, _ = cli(capsys, "takes", "trash")
    assert "empty" in out
    # purge: only from the trash, only with --yes
    other = scored_take("Gone for good")
    code, _, err = cli(capsys, "takes", "purge", other)
    assert code == 1 and "no take" in err and (rehearse_home / "takes" / other).is_dir()
    cli(capsys, "takes", "delete", other)
    code, _, err = cli(capsys, "takes", "purge", other)
    assert code == 1 and "--yes" in err and (rehearse_home / "takes" / ".trash" / other).is_dir()
    code, out, _ = cli(capsys, "takes", "purge", "--all", "--yes")
    assert code == 0 and f"Deleted {other}" in out
    assert not (rehearse_home / "takes" / ".trash" / other).exists()
    assert (rehearse_home / "takes" / take_id).is_dir()


def test_export_to_stdout_and_files(capsys, rehearse_home, tmp_path):
    a = scored_take("First")
    b = scored_take("Second")
    code, out, _ = cli(capsys, "takes", "export", a)
    assert code == 0 and out.startswith("# First") and "## STAR timing" in out
    code, out, _ = cli(capsys, "takes", "export", a, "--format", "json")
    assert json.loads(out)["report"]["words"] == len(ANSWER.split())
    code, out, _ = cli(capsys, "takes", "export", "--all", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert {r["id"] for r in rows} >= {a, b}
    dest = tmp_path / "a.md"
    code, _, err = cli(capsys, "takes", "export", a, "-o", str(dest))
    assert code == 0 and dest.read_text().startswith("# First")
    code, _, err = cli(capsys, "takes", "export", b, "-o", str(dest))
    assert code == 1 and "already exists" in err and dest.read_text().startswith("# First")
    flac = tmp_path / "a.flac"
    assert cli(capsys, "takes", "export", a, "--format", "audio", "-o", str(flac))[0] == 0
    assert sf.info(str(flac)).frames == 32000
    code, _, err = cli(capsys, "takes", "export", a, "--format", "audio")
    assert code == 1 and "-o FILE" in err


def test_rescore_one_and_all(capsys, rehearse_home, tmp_path):
    a = scored_take("A")
    settings = tmp_path / "settings.toml"
    settings.write_text("[analysis]\npause_min_s = 0.05\n")
    before = Library().load_report(a)["pauses"]["count"]
    code, out, err = cli(capsys, "--settings", str(settings), "rescore", a)
    assert code == 0 and "Re-scored" in err and out.strip()
    assert Library().load_report(a)["pauses"]["count"] > before
    code, _, err = cli(capsys, "rescore", "--all")
    assert code == 0 and "Re-scored" in err
    code, _, err = cli(capsys, "rescore")
    assert code == 1 and "one take ID or --all" in err


def test_import_then_retranscribe_with_model(capsys, rehearse_home, whisper_model_factory):
    words = [w["text"] for w in json.loads(SPEECH_WAV.with_suffix(".words.json").read_text())]
    model = whisper_model_factory.scripted(words)
    code, _, err = cli(capsys, "import", str(SPEECH_WAV), "--question", "Imported", "--no-transcribe")
    assert code == 0 and "rescore" in err
    take = next(t for t in Library().list() if t.question == "Imported")
    code, _, err = cli(capsys, "rescore", take.id)
    assert code == 1 and "--retranscribe" in err
    code, out, err = cli(capsys, "rescore", take.id, "--retranscribe", "--model", str(model))
    assert code == 0, err
    t = Library().load_transcript(take.id)
    assert [w.text.strip() for w in t.words] == words
    assert Library().load_report(take.id)["words"] == len(words)


def test_import_bad_file_is_one_line(capsys, rehearse_home, tmp_path):
    bad = tmp_path / "answer.mp3"
    bad.write_bytes(b"definitely not audio")
    code, _, err = cli(capsys, "import", str(bad))
    assert code == 1 and err.count("\n") == 1 and "answer.mp3" in err
    assert not any(p for p in Library().list() if not p.sample)


def test_recovery_runs_at_start_of_any_command(capsys, rehearse_home):
    lib = Library()
    take_id, folder = lib.new_take("Crashed answer")
    (folder / RAW_AUDIO).write_bytes(np.ones(16000, "<i2").tobytes())
    (folder / RECORDING_JSON).write_text(json.dumps({"samplerate": 16000}))
    code, out, err = cli(capsys, "rescore", "--all")
    assert f"recovered an unfinished recording as take {take_id}" in err
    assert f"rehearse rescore {take_id} --retranscribe" in err
    t = Library().get(take_id)
    assert t.recovered and t.duration == pytest.approx(1.0)
