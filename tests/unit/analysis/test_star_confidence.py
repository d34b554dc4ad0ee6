"""How sure each STAR boundary is: analysis.star's per-section confidence, in the report
JSON, and the "unsure" note of the Review screen."""

from __future__ import annotations

import copy

from star_corpus import Answer, synthesise
from tui_helpers import fake_player_factory, settle, wait_for

from analysis import analyze
from analysis.star import StarSettings, segment
from analysis.transcript import Marker
from tui.star_unsure import UNSURE_BELOW, unsure_lines

SIGNPOSTED = [
    ("S", "The situation was that our warehouse kept missing its morning dispatch by an hour."),
    ("S", "Drivers were waiting and the shops were getting their stock late."),
    ("T", "My task was to get every truck out by six without hiring anyone."),
    ("A", "What I did was map the picking route for the first twenty orders."),
    ("A", "Then I moved the fast sellers next to the loading bay and split the night shift in two."),
    ("A", "I also set up a five minute check at half past five with the shift leads."),
    ("R", "The result was that every truck left by six within two weeks."),
    ("R", "Late deliveries dropped from twelve a week to one, and the rota is still the same today."),
]
BLAND = [("X", "the blue table stands near a green window beside the old red door.")] * 12


def _t(lines):
    return synthesise(Answer("c", "q", True, 150.0, tuple(lines))).transcript


def test_clear_signposts_give_sure_boundaries_and_bland_words_unsure_ones():
    sure = segment(_t(SIGNPOSTED), StarSettings())
    assert [s.label for s in sure.sections] == ["situation", "task", "action", "result"]
    assert all(s.confidence >= 0.8 for s in sure.sections), sure.sections
    bland = segment(_t(BLAND), StarSettings())
    assert all(s.confidence < UNSURE_BELOW for s in bland.sections[1:]), bland.sections


def test_markers_make_boundaries_certain():
    t = _t(BLAND)
    w = t.words
    marked = t.with_markers(
        [Marker("task", w[26].start), Marker("action", w[52].start), Marker("result", w[130].start)]
    )
    seg = segment(marked, StarSettings())
    assert seg.method == "markers"
    assert [s.confidence for s in seg.sections] == [1.0] * len(seg.sections)


def test_report_json_carries_each_sections_confidence():
    report = analyze(_t(SIGNPOSTED)).to_dict()
    confs = [s["confidence"] for s in report["star"]["sections"]]
    assert len(confs) == 4 and all(0.0 <= c <= 1.0 for c in confs)
    bland = analyze(_t(BLAND)).to_dict()
    lines = unsure_lines(bland["star"])
    assert lines and all("unsure — press" in ln for ln in lines)
    labels = [s["label"] for s in bland["star"]["sections"] if s["confidence"] < UNSURE_BELOW]
    assert [ln.split(":")[0].lower() for ln in lines] == labels


def test_unsure_lines_name_the_key_and_skip_sure_or_marked_sections():
    star = {
        "method": "cues",
        "sections": [
            {"label": "situation", "confidence": 1.0},
            {"label": "task", "confidence": 0.3},
            {"label": "action", "confidence": 0.9},
            {"label": "result", "confidence": 0.59},
        ],
    }
    assert unsure_lines(star) == [
        "Task: unsure — press 2 when you start the Task next time, or mark it here",
        "Result: unsure — press 4 when you start the Result next time, or mark it here",
    ]
    assert unsure_lines({**star, "method": "markers"}) == []
    assert unsure_lines({"sections": [{"label": "situation"}, {"label": "task"}]}) == []  # older reports


async def test_review_says_which_start_is_unsure():
    from textual.widgets import Label

    from tui.app import make_app
    from tui.screens.review import ReviewScreen
    from tui.settings import AppSettings

    app = make_app(player_factory=fake_player_factory, settings=AppSettings())
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, ReviewScreen), what="Review")
        await settle(pilot)
        review = pilot.app.screen
        note = review.query_one("#star-unsure", Label)
        report = copy.deepcopy(review.report)
        sure = all(s.get("confidence", 1.0) >= UNSURE_BELOW for s in report["star"]["sections"][1:])
        assert note.display is (not sure)
        task = next(s for s in report["star"]["sections"] if s["label"] == "task")
        task["confidence"] = 0.2
        review._show(review.take, review.transcript, report)
        await pilot.pause()
        assert note.display
        assert "Task: unsure — press 2 when you start the Task next time, or mark it here" in str(note.content)
