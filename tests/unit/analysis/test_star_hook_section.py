"""A result told first (the hook) is a Result section of its own before the story: the
report, the balance, the take list, exports, markers and the screens read it so."""

from __future__ import annotations

from star_corpus import Answer, synthesise

from analysis import analyze
from analysis.star import StarSettings, segment

HOOK = ("R", "We halved the time our wards waited for a porter in one month, and this is how.")
STORY = [
    ("S", "I was a senior porter at a city hospital with about sixty porters across three shifts."),
    ("S", "Wards phoned requests in, and at busy times a patient could wait forty minutes for a move."),
    ("T", "The facilities manager asked me to bring the average wait under twenty minutes by the winter."),
    ("A", "First I logged every request for two weeks and saw that most delays came from one switchboard."),
    ("A", "Then I set up a shared request board on the ward tablets so jobs went straight to the nearest porter."),
    ("A", "I also moved two porters onto the early afternoon, when the theatre lists finished."),
    ("A", "After that I met the ward sisters every Friday and we went through the slowest jobs together."),
    ("R", "Within a month the average wait went from forty minutes to nineteen."),
    ("R", "The board is still used on every ward, and two other hospitals have copied it."),
]


def make(lines, punct=True, wpm=150.0):
    return synthesise(Answer("hook", "q", punct, wpm, tuple(lines)))


def _report():
    syn = make([HOOK, *STORY])
    return syn, analyze(syn.transcript).to_dict()


def test_the_hook_is_a_result_section_before_the_story():
    syn, rep = _report()
    sections = rep["star"]["sections"]
    assert sections[0]["label"] == "result" and sections[0]["hook"] is True
    assert [s["label"] for s in sections[1:]] == ["situation", "task", "action", "result"]
    assert not any(s.get("hook") for s in sections[1:]), "only the hook carries the flag"
    hook_words = len(HOOK[1].split())
    assert sections[0]["end"] <= syn.transcript.words[hook_words].start + 1e-6
    assert rep["star"]["missing"] == []
    assert abs(sum(s["share"] for s in sections) - 1.0) < 1e-6


def test_the_balance_counts_the_hook_as_result_time():
    _, rep = _report()
    sections = rep["star"]["sections"]
    result_share = sum(s["share"] for s in sections if s["label"] == "result")
    bal = {b["label"]: b for b in rep["content"]["balance"]}
    assert abs(bal["result"]["share"] - result_share) < 1e-3
    assert abs(bal["situation"]["share"] - sections[1]["share"]) < 1e-3


def test_the_result_of_the_story_is_the_one_named_result():
    syn = make([HOOK, *STORY])
    seg = segment(syn.transcript, StarSettings())
    result = seg.section("result")
    assert result is not None and not result.hook
    assert result.first > len(syn.transcript.words) * 0.6


def test_consumers_read_the_hook_as_result_time():
    from recorder.takes.records import summarize_report
    from recorder.workflow import move_boundary
    from tui.screens.compare import _sec_share
    from tui.star_unsure import unsure_lines

    _, rep = _report()
    sections = rep["star"]["sections"]
    result_share = sum(s["share"] for s in sections if s["label"] == "result")
    assert abs(summarize_report(rep)["star_shares"]["result"] - result_share) < 1e-9
    assert abs(_sec_share(rep, "result") - result_share) < 1e-9
    # moving a boundary turns the story's sections into markers: the hook is not one
    markers, _ = move_boundary([], sections, "task", sections[2]["start"])
    by_label = {m.label: m.time for m in markers}
    assert by_label["result"] == sections[-1]["start"]
    # a hook is never "unsure — press 4 when you start the Result"
    low = [dict(s, confidence=0.1) if s.get("hook") else s for s in sections]
    assert not any(line.startswith("Result") for line in unsure_lines(dict(rep["star"], sections=low)))


def test_the_hook_section_and_star_hook_agree_in_caption_text_too():
    # (in caption text this hook is not recognised: its words then open the Situation)
    rep = analyze(make([HOOK, *STORY], punct=False).transcript).to_dict()
    flagged = [s for s in rep["star"]["sections"] if s.get("hook")]
    assert bool(flagged) == (rep["star"]["hook"] is not None)
    assert [s["label"] for s in rep["star"]["sections"] if not s.get("hook")] == [
        "situation",
        "task",
        "action",
        "result",
    ]


def test_the_cli_report_and_the_csv_name_the_hook():
    from types import SimpleNamespace

    from recorder.export import csv_row
    from tui.commands.analyze import format_report

    _, rep = _report()
    text = format_report(rep, width=100)
    assert "Hook (R)" in text and "Hook " in text.split("Pace")[1]
    take = SimpleNamespace(
        id="t",
        created="2026-12-04T10:00:00",
        question="q",
        competency=None,
        duration=100.0,
        model="tiny.en",
        recovered=False,
        overflows=0,
    )
    row = csv_row(take, rep)
    result_share = sum(s["share"] for s in rep["star"]["sections"] if s["label"] == "result")
    assert abs(row["result_share"] - round(result_share, 3)) < 1e-9, "the hook adds to the Result's share"
