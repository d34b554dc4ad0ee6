"""The hook for learned like / you know / I mean decisions (analysis.filler_model).

No model is shipped (cross-validation kept the rules: benchmarks/train_fillers.py), so
by default the rules decide; a model, when given, decides those three phrases only."""

from __future__ import annotations

from analysis_helpers import marked

from analysis.filler_model import MODEL_PATH, FillerModel, load_model
from analysis.fillers import detect_fillers


def _texts(t, **kw):
    return [f.text for f in detect_fillers(t, **kw) if f.kind != "repetition"]


def test_no_model_is_shipped_and_the_rules_decide():
    assert not MODEL_PATH.exists() and load_model() is None
    t, _ = marked("I'd like to say, um, that it was like two hours and you know the rota.")
    assert _texts(t) == _texts(t, model=None) == ["um", "like"]


def test_a_model_decides_like_you_know_and_i_mean_only():
    t, _ = marked("I'd like to say, um, that it was like two hours and you know the rota, basically.")
    always = FillerModel({"like|bias": 30.0, "yk|bias": 30.0}, 0.5)
    assert _texts(t, model=always) == ["like", "um", "like", "you know", "basically"]
    never = FillerModel({"like|bias": -30.0, "yk|bias": -30.0, "im|bias": -30.0}, 0.5)
    assert _texts(t, model=never) == ["um", "basically"]
