"""Transcript loading: bad input gets one line naming the file and the problem."""

from __future__ import annotations

import json

import pytest

from analysis.transcript import Transcript, TranscriptError


def write(tmp_path, data, name="t.json"):
    p = tmp_path / name
    p.write_text(data if isinstance(data, str) else json.dumps(data))
    return p


GOOD_WORD = {"text": " So,", "start": 0.3, "end": 0.6, "probability": 0.9}


@pytest.mark.parametrize(
    "data, needle",
    [
        ('{"words": [', "malformed JSON"),
        ("[1, 2]", "expected a JSON object"),
        ({"duration": 3}, "missing field 'words'"),
        ({"words": {}}, "'words' must be a list"),
        ({"words": []}, "no words"),
        ({"words": [{"text": " hi", "start": 0.1}]}, "missing field 'end'"),
        ({"words": [{"start": 0.1, "end": 0.2}]}, "missing field 'text'"),
        ({"words": [{"text": " hi", "start": "0.1", "end": 0.2}]}, "must be a number"),
        ({"words": [{"text": " hi", "start": -1.0, "end": 0.2}]}, "negative time"),
        ({"words": [{"text": " hi", "start": 1.0, "end": 0.5}]}, "ends before it starts"),
        ({"words": [GOOD_WORD, {"text": " back", "start": 0.1, "end": 0.2}]}, "times go backwards"),
        ({"words": [{"text": "  ", "start": 0.1, "end": 0.2}]}, "no words"),
        ({"words": [GOOD_WORD], "markers": [{"label": "conclusion", "time": 1}]}, "expected one of"),
        ({"words": [GOOD_WORD], "hesitations": [{"start": 2, "end": 1}]}, "bad times"),
        ({"words": [GOOD_WORD], "duration": -4}, "negative duration"),
    ],
)
def test_bad_transcripts(tmp_path, data, needle):
    p = write(tmp_path, data)
    with pytest.raises(TranscriptError) as exc:
        Transcript.load(p)
    msg = str(exc.value)
    assert needle in msg
    assert str(p) in msg and "\n" not in msg


def test_missing_and_binary_files(tmp_path):
    with pytest.raises(TranscriptError, match="no such file"):
        Transcript.load(tmp_path / "nope.json")
    p = tmp_path / "bin.json"
    p.write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(TranscriptError, match="not a text file"):
        Transcript.load(p)


def test_round_trip_keeps_words_markers_and_extra(tmp_path):
    data = {
        "language": "en",
        "duration": 5.0,
        "model": "base.en",
        "words": [GOOD_WORD, {"text": " we", "start": 0.7, "end": 0.9, "probability": 0.8}],
        "hesitations": [{"start": 1.0, "end": 1.5}],
        "markers": [{"label": "action", "time": 0.7}],
        "question": "Tell me about a time...",
    }
    t = Transcript.from_dict(data, "x")
    p = tmp_path / "out.json"
    t.save(p)
    t2 = Transcript.load(p)
    assert t2 == t and t2.extra["question"] == data["question"]
    assert p.stat().st_mode & 0o777 == 0o600


def test_small_overlaps_are_tolerated():
    t = Transcript.from_dict({"words": [GOOD_WORD, {"text": " x", "start": 0.58, "end": 0.7}]})
    assert len(t.words) == 2
