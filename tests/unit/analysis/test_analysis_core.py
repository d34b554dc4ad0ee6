"""Pace, pauses, content checks, tips and the report contract of analyze()."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest
from analysis_helpers import marked, words_of

from analysis import analyze
from analysis.engine import NoSpeechError
from analysis.errors import RehearseError
from analysis.lexicon import Tokens
from analysis.pace import measure_pace
from analysis.pauses import find_pauses
from analysis.settings import AnalysisSettings
from analysis.transcript import Marker, Span, Transcript, Word

S = AnalysisSettings()

STORY = (
    "Last year I was a support engineer at a small software company that builds booking tools for dental clinics. "
    "Clinics kept telling us that patients were missing appointments because reminders came at the wrong time. "
    "My job was to find out why the reminders were late and get the complaints down before renewal season. "
    "So first I pulled every reminder ticket from the last three months and tagged each one by time zone. "
    "Then I sat down with one of our developers and we traced it to a job that stored times without a zone. "
    "I wrote a script to find every affected appointment and I called the five clinics with the most complaints. "
    "Finally I added a check to our release list so it could not come back. "
    "In the end reminder complaints dropped by eighty percent within a month and all five clinics renewed."
)


def timed(words: list[str], times: list[tuple[float, float]]) -> Transcript:
    return Transcript(
        words=tuple(Word(" " + w, s, e) for w, (s, e) in zip(words, times, strict=False)), duration=times[-1][1] + 1
    )


# ---- pauses -------------------------------------------------------------------------


def test_pauses_thresholds_and_stats():
    t = timed(
        ["a", "b", "c", "d", "e"],
        [(0.0, 0.5), (0.9, 1.2), (1.7, 2.0), (4.5, 5.0), (5.1, 6.0)],
    )
    p = find_pauses(t, S)
    assert [(x.start, x.end) for x in p.items] == [(1.2, 1.7), (2.0, 4.5)]  # 0.4 s gap is not a pause
    assert p.count == 2 and p.long_count == 1
    assert p.longest == pytest.approx(2.5)
    assert p.per_minute == pytest.approx(2 / (6.0 / 60))
    d = p.to_dict()
    assert d["items"][1] == {"start": 2.0, "end": 4.5, "seconds": 2.5, "long": True}
    stricter = find_pauses(t, replace(S, pause_min_s=0.3, long_pause_s=3.0))
    assert stricter.count == 3 and stricter.long_count == 0


def test_no_pause_before_first_or_after_last_word():
    t = Transcript(words=(Word(" hi", 5.0, 5.4), Word(" there", 5.45, 5.8)), duration=30.0)
    assert find_pauses(t, S).count == 0


# ---- pace ---------------------------------------------------------------------------


def test_pace_wpm_articulation_timeline_and_verdict():
    # 60 words, one every 0.4 s, with a 6 s pause after word 30 (at 12.9-18.9 s)
    times, t = [], 1.0
    for i in range(60):
        times.append((t, t + 0.3))
        t += 0.4 + (6.0 if i == 29 else 0.0)
    tr = timed(["word"] * 60, times)
    pauses = find_pauses(tr, S)
    assert [round(p.seconds, 2) for p in pauses.items] == [6.1]
    pace = measure_pace(tr, pauses, S)
    span = times[-1][1] - times[0][0]  # 29.9 s
    assert span == pytest.approx(29.9)
    assert pace.wpm == pytest.approx(60 * 60 / 29.9)  # 120.4: just inside the band
    assert pace.verdict == "good"
    assert pace.articulation_wpm == pytest.approx(60 * 60 / (29.9 - 6.1))
    # three 10 s windows; the middle one holds the pause and is the slowest
    assert [(round(w.start, 2), round(w.end, 2)) for w in pace.timeline] == [(1.0, 11.0), (11.0, 21.0), (21.0, 30.9)]
    assert sum(w.words for w in pace.timeline) == 60
    assert pace.slowest is pace.timeline[1]
    assert pace.timeline[0].wpm == pytest.approx(25 * 6)  # 25 words in the first 10 s


@pytest.mark.parametrize("wpm, verdict", [(100, "slow"), (150, "good"), (200, "fast")])
def test_pace_verdict_against_band(wpm, verdict):
    t, _ = marked(STORY, wpm=wpm)
    r = analyze(t)
    assert r.pace.verdict == verdict
    assert r.to_dict()["pace"]["band"] == [120, 165]


# ---- content ------------------------------------------------------------------------


def test_result_figures_are_found_and_listed():
    t, _ = marked(STORY)
    r = analyze(t)
    assert r.content.result_quantified
    assert "eighty percent" in r.content.result_numbers


def test_result_without_a_figure_is_flagged_with_a_tip():
    story = STORY.replace(
        "dropped by eighty percent within a month and all five clinics renewed", "went down and the clinics were happy"
    )
    r = analyze(marked(story)[0])
    assert not r.content.result_quantified
    assert any(tip.id.startswith("result") for tip in r.tips)


@pytest.mark.parametrize(
    "text, figures",
    [
        ("sales were up 18% on the year before", ["18%"]),
        ("we saved $5,000 a month", ["5,000 a month"]),
        ("response time fell to ninety minutes within six weeks", ["ninety minutes", "six weeks"]),
        ("the query dropped to forty milliseconds", ["forty milliseconds"]),
        ("we cut it in half and revenue doubled", ["half", "doubled"]),
        ("one of them adopted it a few weeks later", []),
        ("two thousand three hundred users signed up", ["two thousand three hundred users"]),
    ],
)
def test_figures(text, figures):
    from analysis.content import _figures

    t = words_of(text)
    tokens = Tokens.of(t)
    assert list(_figures(tokens, range(len(t.words)), frozenset())) == figures


def test_ownership_counts_i_and_we_in_the_action():
    t, _ = marked(STORY)
    r = analyze(t)
    d = r.to_dict()["content"]["ownership"]
    assert d["scope"] == "action"
    assert d["i"] >= 4 and d["we"] >= 1
    assert d["ratio"] == pytest.approx(d["i"] / (d["i"] + d["we"]), abs=1e-3)


def test_we_heavy_action_gets_an_ownership_tip():
    story = (
        "Our team ran a warehouse and the scanners were new. My task was to train the night shift. "
        "We paired people up and we ran practice sessions and we wrote guides and we reviewed errors every week "
        "and we changed the routes and we tracked speed and we shared results with our manager every friday. "
        "In the end our error rate fell by thirty percent."
    )
    r = analyze(marked(story)[0], replace(S, max_tips=10))
    assert r.content.ownership_we >= 5
    tip = next(t for t in r.tips if t.id == "ownership")
    assert tip.text.startswith('In your Action you say "we" ') and 'never "I"' in tip.text


def test_signposts_hedges_and_repeated_words():
    text = (
        "First I called the vendor. Then I {kind of} rebuilt the vendor report, and after that the vendor agreed. "
        "Finally the vendor fixed it. {I guess} it worked."
    )
    r = analyze(marked(text)[0])
    sp = [s.text for s in r.content.signposts]
    assert sp[:4] == ["first", "then", "after that", "finally"]
    assert r.content.hedges == 2
    assert r.content.repeated_words[0] == ("vendor", 4)


def test_length_verdicts():
    short = analyze(marked(STORY, wpm=400)[0], replace(S, max_tips=10))
    assert short.content.length_verdict == "short"
    assert "length_short" in [t.id for t in short.tips]
    long_ = analyze(marked(" ".join([STORY] * 4))[0], replace(S, max_tips=10))
    assert long_.content.length_verdict == "long"
    tip = next(t for t in long_.tips if t.id == "length_long")
    assert "target 1:30-3:00" in tip.text
    assert analyze(marked(" ".join([STORY] * 2))[0]).content.length_verdict == "good"


# ---- report ------------------------------------------------------------------------


def test_report_contract():
    t, _ = marked("{Um}, " + STORY + " {You know}, it was worth it.")
    t = replace(t, hesitations=(Span(3.0, 3.4),), model="base.en")
    d = analyze(t).to_dict()
    json.dumps(d)  # serialisable
    assert d["version"] == 1 and d["words"] == len(t.words) and d["model"] == "base.en" and d["language"] == "en"
    assert set(d) >= {
        "version",
        "duration",
        "words",
        "pace",
        "pauses",
        "fillers",
        "star",
        "content",
        "hesitations",
        "tips",
    }
    assert set(d["pace"]) >= {"wpm", "articulation_wpm", "verdict", "band", "timeline"}
    assert set(d["pauses"]) >= {"count", "per_minute", "longest", "long_count", "items"}
    assert set(d["fillers"]) >= {"count", "per_minute", "per_100_words", "by_kind", "by_text", "items"}
    assert d["fillers"]["count"] == 2 and d["fillers"]["by_text"] == {"um": 1, "you know": 1}
    assert set(d["fillers"]["items"][0]) == {"text", "kind", "start", "end"}
    assert set(d["star"]) >= {"method", "sections", "missing", "targets", "hook"}
    for s in d["star"]["sections"]:
        assert set(s) >= {"label", "start", "end", "seconds", "share", "words", "wpm", "fillers"}
    assert sum(s["share"] for s in d["star"]["sections"]) == pytest.approx(1.0, abs=1e-9)
    assert sum(s["words"] for s in d["star"]["sections"]) == d["words"]
    assert sum(s["fillers"] for s in d["star"]["sections"]) == d["fillers"]["count"]
    c = d["content"]
    assert set(c) >= {
        "length",
        "balance",
        "result_quantified",
        "result_numbers",
        "ownership",
        "signposts",
        "hedges",
        "repeated_words",
        "missing",
    }
    assert c["length"]["target"] == [90, 180]
    assert d["hesitations"] == {"count": 1, "items": [{"start": 3.0, "end": 3.4}]}
    assert 1 <= len(d["tips"]) <= 3
    assert all(set(tip) == {"id", "text", "at"} for tip in d["tips"])


def test_hesitations_are_not_fillers():
    t, _ = marked(STORY)
    plain = analyze(t)
    hes = analyze(replace(t, hesitations=(Span(1.0, 1.5), Span(9.0, 9.6))))
    assert hes.fillers.count == plain.fillers.count
    assert hes.to_dict()["hesitations"]["count"] == 2


def test_markers_drive_sections():
    t, _ = marked(STORY)
    words = t.words
    marks = (Marker("task", words[40].start), Marker("action", words[60].start), Marker("result", words[140].start))
    d = analyze(replace(t, markers=marks)).to_dict()
    assert d["star"]["method"] == "markers"
    starts = {s["label"]: s["start"] for s in d["star"]["sections"]}
    assert starts["action"] == pytest.approx(words[60].start)


def _star(sections, missing, hook=None):
    """A StarReport as analyze() builds it; ``hook=(start, end)``: the opening result
    hook, cut from the first section as a Result section of its own."""
    from analysis.report import SectionStats, StarReport

    if hook:
        label, s, e = sections[0]
        sections = [("result", s, hook[1], True), (label, hook[1], e), *sections[1:]]
    total = sum(sec[2] - sec[1] for sec in sections)
    stats, first = [], 0
    for label, s, e, *is_hook in sections:
        share = (e - s) / total
        stats.append(SectionStats(label, s, e, e - s, share, 10, 150.0, 0, first, first + 10, hook=bool(is_hook)))
        first += 10
    return StarReport("cues", tuple(stats), tuple(missing), S.targets, hook=Span(*hook) if hook else None)


def _tips_for(star):
    from analysis.content import check_content
    from analysis.fillers import detect_fillers
    from analysis.pace import measure_pace
    from analysis.report import FillerStats
    from analysis.tips import make_tips

    t = words_of(" ".join(["word"] * (10 * len(star.sections))), gap=0.1, dur=0.3)
    fillers = detect_fillers(t)
    content = check_content(t, Tokens.of(t), fillers, star, S)
    pauses = find_pauses(t, S)
    return make_tips(
        star, content, FillerStats((), 0.0, 0.0), measure_pace(t, pauses, S), pauses, S, 0.0, 100.0
    ), content


def test_missing_result_is_reported_and_tipped_first():
    star = _star([("situation", 0, 20), ("task", 20, 30), ("action", 30, 100)], ["result"])
    tips, content = _tips_for(star)
    assert content.missing == ("result",)
    assert [b.verdict for b in content.balance][-1] == "missing"
    assert tips[0].id == "result_missing"
    assert tips[0].at == 100.0


def test_short_unquantified_result_tip_quotes_share_and_target():
    star = _star([("situation", 0, 20), ("task", 20, 30), ("action", 30, 92), ("result", 92, 100)], [])
    tips, _ = _tips_for(star)
    assert tips[0].id == "result_short"
    assert tips[0].text.startswith("Your Result is 8% of the answer (target about 20%) and has no number")
    assert tips[0].at == 92


def test_long_situation_tip_gives_times():
    star = _star([("situation", 0, 45), ("task", 45, 50), ("action", 50, 80), ("result", 80, 100)], [])
    tips, _ = _tips_for(star)
    tip = next(t for t in tips if t.id == "situation_long")
    assert "45%" in tip.text and "0:00-0:45" in tip.text


def test_tips_point_at_evidence():
    text = "{Um} " + STORY.replace(". ", ". {Um}, {like}, ")
    r = analyze(marked(text)[0])
    tip = next(t for t in r.tips if t.id == "fillers")
    assert '"um"' in tip.text and "a minute" in tip.text and ":" in tip.text
    assert tip.at is not None
    assert len(r.tips) <= 3


def test_max_tips_setting():
    text = "{Um} " + STORY.replace(". ", ". {Um}, {like}, ")
    assert len(analyze(marked(text)[0], replace(S, max_tips=1)).tips) == 1


def test_no_words_is_a_clear_error():
    with pytest.raises(NoSpeechError, match="no speech detected"):
        analyze(Transcript(words=(), duration=3.0))
    assert issubclass(NoSpeechError, RehearseError)


def test_single_word_and_zero_length_words():
    d = analyze(Transcript(words=(Word(" hello", 1.0, 1.0),), duration=2.0)).to_dict()
    assert sum(s["share"] for s in d["star"]["sections"]) == pytest.approx(1.0)
    assert d["pace"]["wpm"] == 0


def test_settings_validation():
    with pytest.raises(ValueError):
        AnalysisSettings(pace_min_wpm=200)
    with pytest.raises(ValueError):
        AnalysisSettings(target_action=0.9)


def test_every_setting_cites_a_source():
    from dataclasses import fields

    from tui.settings import field_docs

    docs = field_docs(AnalysisSettings)
    for f in fields(AnalysisSettings):
        assert f.name in docs, f"{f.name} has no docstring"
        if f.name != "star":
            assert "Source" in docs[f.name] or "source" in docs[f.name], f.name


def test_result_hook_counts_as_result_in_the_balance():
    star = _star([("situation", 0, 30), ("task", 30, 40), ("action", 40, 85), ("result", 85, 100)], [], hook=(0, 10))
    tips, content = _tips_for(star)
    bal = {b.label: b for b in content.balance}
    assert bal["situation"].share == pytest.approx(0.2) and bal["situation"].verdict == "ok"
    assert bal["result"].share == pytest.approx(0.25) and bal["result"].verdict == "ok"


def test_hook_without_a_closing_result():
    star = _star([("situation", 0, 20), ("task", 20, 30), ("action", 30, 100)], ["result"], hook=(0, 8))
    tips, content = _tips_for(star)
    bal = {b.label: b for b in content.balance}
    # with no Result to join, the hook's time stays with the set-up it opens
    assert bal["situation"].share == pytest.approx(0.2) and bal["result"].verdict == "missing"
    tip = next(t for t in tips if t.id == "result_missing")
    assert tip.text.startswith("You open with the outcome (0:00-0:08) but never come back to it")


def test_short_quantified_result_tip_quotes_the_figure():
    from analysis.content import check_content

    star = _star([("situation", 0, 20), ("task", 20, 30), ("action", 30, 94), ("result", 94, 100)], [])
    t = words_of(" ".join(["word"] * 30) + " sales rose twenty percent " + " ".join(["word"] * 6), gap=0.1, dur=0.3)
    from analysis.report import SectionStats, StarReport

    secs = list(star.sections)
    secs[-1] = SectionStats("result", 94, 100, 6, secs[-1].share, 10, 150.0, 0, 30, len(t.words))
    star = StarReport("cues", tuple(secs), (), S.targets)
    content = check_content(t, Tokens.of(t), (), star, S)
    assert content.result_numbers == ("twenty percent",)
    from analysis.report import FillerStats
    from analysis.tips import make_tips

    pauses = find_pauses(t, S)
    tips = make_tips(star, content, FillerStats((), 0.0, 0.0), measure_pace(t, pauses, S), pauses, S, 0.0, 100.0)
    tip = next(x for x in tips if x.id == "result_short")
    assert '(you mention "twenty percent")' in tip.text and "6% of the answer" in tip.text


def test_rushed_section_tip():
    # a calm answer (about 125 wpm) whose Result is said at about 200 wpm
    calm = "we worked through the backlog together and I checked every ticket with the team " * 6
    t1, _ = marked(calm, wpm=112)
    rushed, _ = marked(
        "in the end complaints dropped by eighty percent and every clinic renewed its contract " * 4,
        wpm=185,
        start=t1.words[-1].end + 0.1,
    )
    t = replace(t1, words=t1.words + rushed.words, markers=(Marker("result", rushed.words[0].start),))
    r = analyze(t, replace(S, max_tips=10))
    tip = next(x for x in r.tips if x.id == "result_rushed")
    assert "You rush the Result" in tip.text and "words a minute" in tip.text
