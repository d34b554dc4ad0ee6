"""The take library on disk: layout, listing, trash, permissions, schema, lock, export, import."""

from __future__ import annotations

import csv
import io
import json
import os
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from analysis.transcript import Marker, Transcript, Word
from recorder.errors import LibraryBusyError, LibraryError, TakeNotFoundError
from recorder.takes import RAW_AUDIO, RECORDING_JSON, Library, slugify
from recorder.workflow import Workflow, default_analyzer, default_transcriber

ROOT = Path(__file__).resolve().parents[3]
SAMPLE_DIR = ROOT / "sample_audio"


def make_recorded(
    lib: Library,
    question: str | None = "Tell me about a conflict",
    seconds: float = 1.0,
    rate: int = 16000,
    markers=(),
    overflows: int = 0,
):
    """A take as the recorder leaves it (raw PCM + recording.json), then finished."""
    take_id, folder = lib.new_take(question)
    t = np.arange(int(seconds * rate)) / rate
    pcm = (np.sin(2 * np.pi * 220 * t) * 12000).astype("<i2")
    (folder / RAW_AUDIO).write_bytes(pcm.tobytes())
    (folder / RECORDING_JSON).write_text(
        json.dumps(
            {
                "samplerate": rate,
                "channels": 1,
                "device": "test mic",
                "overflows": overflows,
                "markers": [{"label": m[0], "time": m[1]} for m in markers],
            }
        )
    )
    return lib.finish_take(take_id), pcm


def transcript_for(words: str, step: float = 0.4) -> Transcript:
    ws = tuple(Word(" " + w, 0.3 + i * step, 0.3 + i * step + step * 0.8) for i, w in enumerate(words.split()))
    return Transcript(words=ws, duration=ws[-1].end + 0.5, model="test-model")


ANSWER = (
    "so last year our team had a problem with late deliveries my task was to fix the schedule "
    "I first talked to every supplier then I built a shared tracker and I called each client "
    "as a result late deliveries fell by 40 percent in three months"
)


def test_recorded_take_layout_and_fields(rehearse_home):
    lib = Library()
    take, pcm = make_recorded(lib, "Tell me about a conflict!", 1.5, 44100, markers=[("action", 0.5)], overflows=2)
    assert take.id.endswith("-tell-me-about-a-conflict")
    assert take.path == rehearse_home / "takes" / take.id
    assert sorted(p.name for p in take.path.iterdir()) == ["audio.flac", "take.json"]
    data, rate = sf.read(take.audio_path, dtype="int16")
    assert rate == 44100 and np.array_equal(data, pcm)  # kept as recorded: mono, device rate
    assert take.duration == pytest.approx(1.5)
    assert take.markers == (Marker("action", 0.5),)
    assert take.overflows == 2 and take.device == "test mic" and not take.recovered
    raw = json.loads((take.path / "take.json").read_text())
    assert raw["schema_version"] == "1.0" and raw["question"] == "Tell me about a conflict!"
    assert not (rehearse_home / "takes" / ".in-progress" / take.id).exists()


def test_permissions_are_private(rehearse_home):
    lib = Library()
    take, _ = make_recorded(lib)
    lib.save_transcript(take.id, transcript_for(ANSWER))
    for d in (lib.root, take.path):
        assert stat.S_IMODE(d.stat().st_mode) == 0o700, d
    for f in take.path.iterdir():
        assert stat.S_IMODE(f.stat().st_mode) == 0o600, f


def test_ids_unique_and_prefix_resolution(rehearse_home):
    lib = Library()
    a, _ = make_recorded(lib, "Same question")
    b, _ = make_recorded(lib, "Same question")
    assert a.id != b.id
    assert lib.get(b.id).id == b.id
    with pytest.raises(TakeNotFoundError, match="matches 2 takes"):
        lib.resolve_id(a.id[:8])
    with pytest.raises(TakeNotFoundError, match="no take 'zzz'"):
        lib.get("zzz")
    assert slugify("  Tell me — about Ünïcode & stuff?") == "tell-me-about-unicode-stuff"
    assert slugify(None) == "take"


def test_list_newest_first_with_summary(rehearse_home):
    lib = Library()
    ids = []
    for i in range(3):
        take, _ = make_recorded(lib, f"Question {i}")
        ids.append(take.id)
        raw = json.loads((take.path / "take.json").read_text())
        raw["created"] = f"2026-01-0{i + 1}T10:00:00+00:00"
        (take.path / "take.json").write_text(json.dumps(raw))
    lib.save_report(
        ids[1],
        {
            "words": 50,
            "pace": {"wpm": 150.0},
            "fillers": {"count": 3, "per_minute": 2.5},
            "star": {"sections": [{"label": "action", "share": 0.6}], "missing": ["result"]},
        },
    )
    listed = lib.list()
    assert [t.id for t in listed] == ids[::-1]
    scored = listed[1]
    assert (scored.wpm, scored.fillers_per_minute, scored.fillers, scored.words) == (150.0, 2.5, 3, 50)
    assert scored.star_shares == {"action": 0.6} and scored.star_missing == ("result",)
    assert scored.has_report and not listed[0].has_report


def test_thousand_takes_list_reads_only_take_json(rehearse_home, monkeypatch):
    lib = Library()
    lib.root.mkdir(parents=True)
    for i in range(1000):
        folder = lib.root / f"2025{i // 100 + 1:02d}{i % 28 + 1:02d}-1200{i % 60:02d}-q{i}"
        folder.mkdir()
        (folder / "take.json").write_text(
            json.dumps(
                {
                    "schema_version": "1.0",
                    "question": f"q{i}",
                    "created": "2025-01-01T00:00:00+00:00",
                    "duration": 60 + i,
                    "summary": {"wpm": 100 + i % 50, "fillers_per_minute": 1.0},
                }
            )
        )
        (folder / "report.json").write_text("{ this report must not be read while listing")
    opened = []
    real_open = open

    def spy(path, *a, **k):
        opened.append(str(path))
        return real_open(path, *a, **k)

    monkeypatch.setattr("builtins.open", spy)
    takes = lib.list()
    assert len(takes) == 1000 and not lib.warnings
    assert all(p.endswith(("take.json", ".index.json")) for p in opened)  # never report/transcript/audio
    assert takes[0].id > takes[-1].id  # same created time: ties broken by id, newest first
    opened.clear()
    assert lib.list() == takes
    assert not [p for p in opened if p.endswith("take.json")]  # the index answers; no take is re-read
    monkeypatch.setattr("builtins.open", real_open)
    # the index is rebuilt for what changed, and a damaged index only costs time
    lib.set_question(takes[5].id, "changed")
    (lib.root / takes[7].id / "report.json").unlink()
    again = {t.id: t for t in lib.list()}
    assert again[takes[5].id].question == "changed" and not again[takes[7].id].has_report
    (lib.root / ".index.json").write_text("garbage")
    assert [t.id for t in lib.list()] == [t.id for t in takes]


def test_corrupt_take_skipped_with_warning_and_kept(rehearse_home):
    lib = Library()
    good, _ = make_recorded(lib, "good")
    bad = lib.root / "20260101-000000-broken"
    bad.mkdir()
    (bad / "take.json").write_text("{not json")
    (bad / "audio.flac").write_bytes(b"precious")
    nometa = lib.root / "20260101-000001-nometa"
    nometa.mkdir()
    takes = lib.list()
    assert [t.id for t in takes] == [good.id]
    assert len(lib.warnings) == 2
    assert any("20260101-000000-broken" in w and "left untouched" in w for w in lib.warnings)
    assert (bad / "take.json").read_text() == "{not json" and (bad / "audio.flac").read_bytes() == b"precious"
    with pytest.raises(LibraryError, match="unreadable"):
        lib.get("20260101-000000-broken")
    with pytest.raises(LibraryError):
        lib.set_question("20260101-000000-broken", "x")
    assert (bad / "take.json").read_text() == "{not json"


def test_schema_forward_compatible(rehearse_home):
    lib = Library()
    take, _ = make_recorded(lib, "old title")
    path = take.path / "take.json"
    raw = json.loads(path.read_text())
    raw.update(schema_version="1.7", mood="confident", future={"nested": [1, 2]})
    path.write_text(json.dumps(raw))
    loaded = lib.get(take.id)
    assert loaded.schema_version == "1.7" and loaded.extra["mood"] == "confident"
    lib.set_question(take.id, "new title")
    after = json.loads(path.read_text())
    assert after["question"] == "new title"
    assert after["mood"] == "confident" and after["future"] == {"nested": [1, 2]}
    assert after["schema_version"] == "1.7"
    # a newer MAJOR version is not understood: skipped with a warning, not rewritten
    raw["schema_version"] = "2.0"
    path.write_text(json.dumps(raw))
    assert lib.list() == []
    assert "newer Rehearse" in lib.warnings[0]


def test_trash_and_restore(rehearse_home):
    lib = Library()
    take, pcm = make_recorded(lib, "keep me")
    dest = lib.delete(lib.resolve_id(take.id[:10]))  # a typed prefix: resolved first
    assert dest == lib.trash_dir / take.id and dest.is_dir()
    assert lib.list() == [] and [t.id for t in lib.trash()] == [take.id]
    with pytest.raises(TakeNotFoundError, match="is in the trash; bring it back with `rehearse takes restore"):
        lib.get(take.id)
    restored = lib.restore(lib.resolve_id(take.id[:10], trash=True))
    assert restored.id == take.id and lib.trash() == []
    data, _ = sf.read(restored.audio_path, dtype="int16")
    assert np.array_equal(data, pcm)
    assert "trashed" not in json.loads((restored.path / "take.json").read_text())
    # deleting twice keeps both copies in the trash
    lib.delete(take.id)
    make_dup = lib.root / take.id
    make_dup.mkdir()
    (make_dup / "take.json").write_text(json.dumps({"question": "dup"}))
    lib.delete(take.id)
    assert len(lib.trash()) == 2
    with pytest.raises(LibraryError, match="already exists"):
        (lib.root / take.id).mkdir()
        lib.restore(take.id + "~2")


def test_edit_question_and_competency(rehearse_home):
    lib = Library()
    take, _ = make_recorded(lib, "first")
    lib.set_question(take.id, "  Second question  ")
    lib.set_competency(take.id, "leadership")
    t = lib.get(take.id)
    assert t.question == "Second question" and t.competency == "leadership"
    assert t.id == take.id  # the id (folder) stays stable


def test_rescore_with_settings_and_summary(rehearse_home):
    from analysis.settings import AnalysisSettings

    lib = Library()
    wf = Workflow(lib)
    take, _ = make_recorded(lib, "delivery")
    with pytest.raises(LibraryError, match="no transcript"):
        wf.score(take.id)
    lib.save_transcript(take.id, transcript_for(ANSWER))
    report = wf.score(take.id)
    assert report["words"] == len(ANSWER.split())
    assert json.loads(take.report_path.read_text())["words"] == report["words"]
    summary = lib.list()[0]
    assert summary.wpm == pytest.approx(report["pace"]["wpm"])
    strict = AnalysisSettings(pause_min_s=0.05)
    again = Workflow(lib, analyze=default_analyzer(strict)).score(take.id)
    assert again["pauses"]["count"] > report["pauses"]["count"]  # the current settings are used
    done, problems, empty = wf.rescore_all()
    assert done == [take.id] and problems == [] and empty == 0


def test_export_formats(rehearse_home, tmp_path):
    lib = Library()
    take, pcm = make_recorded(lib, "Export | me", markers=[("action", 2.0)])
    lib.save_transcript(take.id, transcript_for(ANSWER).with_markers([Marker("action", 2.0)]))
    report = Workflow(lib).score(take.id)
    md = lib.export(take.id, "md")
    assert md.startswith("# Export \\| me") and "## Summary" in md and "## Transcript" in md
    assert "**[Action — 0:02]**" in md and f"{report['pace']['wpm']:.0f} words/min" in md
    data = json.loads(lib.export(take.id, "json"))
    assert data["id"] == take.id and data["report"]["words"] == report["words"]
    assert len(data["transcript"]["words"]) == len(ANSWER.split())
    rows = list(csv.DictReader(io.StringIO(lib.export(take.id, "csv"))))
    assert len(rows) == 1 and rows[0]["id"] == take.id and rows[0]["question"] == "Export | me"
    assert float(rows[0]["wpm"]) == pytest.approx(report["pace"]["wpm"], abs=0.05)
    out = lib.export(take.id, "audio", tmp_path / "copy.flac")
    assert np.array_equal(sf.read(out, dtype="int16")[0], pcm)
    wav = lib.export(take.id, "wav", tmp_path / "copy.wav")
    assert sf.info(str(wav)).format == "WAV" and np.array_equal(sf.read(wav, dtype="int16")[0], pcm)
    target = tmp_path / "report.md"
    target.write_text("mine")
    with pytest.raises(LibraryError, match="already exists"):
        lib.export(take.id, "md", target)
    assert target.read_text() == "mine"


def test_import_audio_keeps_rate_and_mixes_to_mono(rehearse_home, tmp_path):
    lib = Library()
    rate = 22050
    t = np.arange(rate) / rate
    left = 0.5 * np.sin(2 * np.pi * 300 * t)
    stereo = np.stack([left, left], axis=1)
    src = tmp_path / "answer.wav"
    sf.write(src, stereo, rate, subtype="PCM_16")
    take = lib.import_audio(src, "Imported question")
    info = sf.info(str(take.audio_path))
    assert (info.samplerate, info.channels, info.format) == (rate, 1, "FLAC")
    assert take.duration == pytest.approx(1.0) and take.source == "answer.wav"
    got, _ = sf.read(take.audio_path)
    assert np.max(np.abs(got - left)) < 1e-3
    ogg = tmp_path / "answer.ogg"
    sf.write(ogg, left, rate, format="OGG", subtype="VORBIS")
    assert lib.import_audio(ogg).duration == pytest.approx(1.0, abs=0.05)
    m4a = tmp_path / "phone.m4a"  # not a libsndfile format: decoded with FFmpeg (PyAV)
    _write_aac(m4a, left, rate)
    phone = lib.import_audio(m4a, "From my phone")
    assert phone.samplerate == rate and phone.duration == pytest.approx(1.0, abs=0.1)
    bad = tmp_path / "notes.txt"
    bad.write_text("not audio at all")
    with pytest.raises(LibraryError, match="notes.txt"):
        lib.import_audio(bad)
    with pytest.raises(LibraryError, match="no such audio file"):
        lib.import_audio(tmp_path / "missing.wav")
    assert len(lib.list()) == 3 and not any(lib.in_progress_dir.iterdir())


def _write_aac(path, x, rate):
    av = pytest.importorskip("av")
    out = av.open(str(path), "w")
    stream = out.add_stream("aac", rate=rate)
    stream.layout = "mono"
    frame = av.AudioFrame.from_ndarray(np.asarray(x, np.float32).reshape(1, -1), format="flt", layout="mono")
    frame.sample_rate = rate
    for packet in list(stream.encode(frame)) + list(stream.encode(None)):
        out.mux(packet)
    out.close()


@pytest.mark.skipif(not (SAMPLE_DIR / "customer-pain-point.flac").exists(), reason="sample_audio not present")
def test_ensure_sample_once(rehearse_home):
    lib = Library()
    take = lib.ensure_sample()
    assert take is not None and take.sample and take.has_transcript and take.has_report
    assert lib.ensure_sample() is None
    lib.delete(take.id)
    assert lib.ensure_sample() is None  # a deleted example stays deleted
    assert lib.list() == []


def test_ensure_sample_absent_is_quiet(rehearse_home, tmp_path):
    lib = Library()
    assert lib.ensure_sample(tmp_path / "nothing-here") is None
    assert lib.list() == [] and lib.warnings == []


def test_recover_unfinished_skips_live_and_recovers_dead(rehearse_home):
    lib = Library()
    live_id, live = lib.new_take("still recording")
    (live / RAW_AUDIO).write_bytes(np.zeros(1600, "<i2").tobytes())
    fd = os.open(live / ".take.lock", os.O_RDWR | os.O_CREAT)
    code = (
        f"import fcntl,os,time; fd=os.open({str(live / '.take.lock')!r}, os.O_RDWR); "
        "fcntl.flock(fd, fcntl.LOCK_EX); print('locked', flush=True); time.sleep(30)"
    )
    holder = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        dead_id, dead = lib.new_take("crashed")
        (dead / RAW_AUDIO).write_bytes(np.full(8001, 1000, "<i2").tobytes()[:-1])  # torn last sample
        (dead / RECORDING_JSON).write_text(
            json.dumps({"samplerate": 8000, "markers": [{"label": "task", "time": 0.2}]})
        )
        empty_id, empty = lib.new_take("nothing")
        os.utime(empty, (0, 0))  # an empty folder left long ago: nothing recorded, tidied away
        young_id, young = lib.new_take("about to start")  # its recorder may start any moment
        recovered = lib.recover_unfinished()
        assert [t.id for t in recovered] == [dead_id]
        assert young.is_dir()
        t = recovered[0]
        assert t.recovered and t.question == "crashed" and t.duration == pytest.approx(1.0)
        assert t.markers == (Marker("task", 0.2),)
        assert live.is_dir() and not empty.exists()
    finally:
        holder.kill()
        holder.wait()
        os.close(fd)
    assert [t.id for t in lib.recover_unfinished()] == [live_id]


LOCK_HOLDER = textwrap.dedent("""
    import sys, time
    from recorder.takes import Library
    lib = Library(sys.argv[1])
    with lib.locked():
        print("holding", flush=True)
        time.sleep(float(sys.argv[2]))
""")

WRITER = textwrap.dedent("""
    import sys
    from recorder.takes import Library
    lib = Library(sys.argv[1])
    for i in range(int(sys.argv[2])):
        take_id, folder = lib.new_take("race")
        (folder / "audio.pcm").write_bytes(b"\\x01\\x00" * 800)
        lib.finish_take(take_id)
        lib.set_question(take_id, f"race {sys.argv[3]} {i}")
""")


def test_lock_blocks_other_process(rehearse_home):
    lib = Library(lock_timeout=0.3)
    lib.root.mkdir(parents=True)
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    holder = subprocess.Popen(
        [sys.executable, "-c", LOCK_HOLDER, str(lib.root), "30"], stdout=subprocess.PIPE, text=True, env=env
    )
    try:
        assert holder.stdout.readline().strip() == "holding"
        with pytest.raises(LibraryBusyError, match="locked by another running rehearse"):
            lib.new_take("blocked")
        assert lib.list() == []  # reading never needs the lock
    finally:
        holder.kill()
        holder.wait()
    take_id, _ = lib.new_take("free again")  # the kernel released the dead holder's lock
    assert take_id


def test_two_processes_writing_at_once(rehearse_home):
    lib = Library()
    lib.root.mkdir(parents=True)
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, str(lib.root), "15", str(n)], env=env, stderr=subprocess.PIPE, text=True
        )
        for n in range(2)
    ]
    for p in procs:
        _, err = p.communicate(timeout=60)
        assert p.returncode == 0, err
    takes = lib.list()
    assert len(takes) == 30 and not lib.warnings
    assert len({t.id for t in takes}) == 30
    assert sorted(t.question for t in takes) == sorted(f"race {n} {i}" for n in range(2) for i in range(15))


def test_retranscribe_with_another_model_keeps_markers(rehearse_home, tmp_path, whisper_model_factory):
    from recorder_helpers import SPEECH_WAV

    from analysis.speech.options import TranscribeOptions

    words = [w["text"] for w in json.loads(SPEECH_WAV.with_suffix(".words.json").read_text())]
    lib = Library()
    take = lib.import_audio(SPEECH_WAV, "Retranscribe me")
    lib.set_competency(take.id, "communication")
    path = take.path / "take.json"
    raw = json.loads(path.read_text())
    raw["markers"] = [{"label": "action", "time": 2.0}]
    path.write_text(json.dumps(raw))
    model = whisper_model_factory.scripted(words)
    wf = Workflow(lib, transcribe=default_transcriber(TranscribeOptions(model=str(model), device="cpu")))
    t, report = wf.retranscribe(take.id)
    assert [w.text.strip() for w in t.words] == words
    assert t.markers == (Marker("action", 2.0),)
    stored = lib.load_transcript(take.id)
    assert stored.markers == t.markers and len(stored.words) == len(words)
    assert lib.get(take.id).model == t.model
    assert report["star"]["method"] == "markers"
    assert json.loads(take.report_path.read_text())["star"]["method"] == "markers"
