"""Analysis settings: every threshold the analysis uses, each with its source.

One frozen dataclass with defaults; ``tui/`` builds it from the ``[analysis]`` table of
the TOML settings file (``[analysis.star]`` for the STAR segmenter's own settings).
Field docstrings (the string after each field) say where each default comes from; the
Settings screen and the README show them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from analysis.setting_ranges import Num, Words
from analysis.star_settings import StarSettings

# Default filler vocabulary (editable in the settings file). Matching is case-insensitive
# and ignores attached punctuation; multi-word entries are matched as whole phrases.
DEFAULT_FILLED_PAUSES = ("um", "umm", "uh", "uhh", "uhm", "er", "erm", "ah", "hmm", "hm", "mm", "mhm")
DEFAULT_DISCOURSE_MARKERS = (
    "like",
    "you know",
    "i mean",
    "basically",
    "actually",
    "literally",
    "honestly",
    "to be honest",
)
DEFAULT_HEDGES = ("kind of", "sort of", "i guess", "maybe")


@dataclass(frozen=True)
class AnalysisSettings:
    # ---- pauses ------------------------------------------------------------------
    pause_min_s: float = 0.5
    """A gap between words of at least this long counts as a pause. Source: the usual
    cut-off for silent pauses in fluency research (Goldman-Eisler 1968 used 0.25 s; 0.5 s
    keeps only pauses a listener notices, as in most speaking-coach tools)."""
    long_pause_s: float = 2.0
    """A pause of at least this long is a long pause (a listener starts to wonder whether
    you have finished or lost the thread). Source: the project brief (issue 2); pauses of
    2-3 s and more are the ones conversation-analysis studies find listeners treat as a
    'lapse' (Jefferson 1989 gives about 1 s as the standard maximum silence in talk)."""

    # ---- pace --------------------------------------------------------------------
    pace_min_wpm: float = 120.0
    """Below this many words per minute the verdict is "slow". Source: the project brief
    (120-165 wpm band); the National Center for Voice and Speech gives about 150 wpm as
    the average rate of conversational American English, and speaking coaches commonly
    put clear interview/presentation delivery at roughly 120-160 wpm."""
    pace_max_wpm: float = 165.0
    """Above this many words per minute the verdict is "fast". Source: as pace_min_wpm
    (upper end of the 120-165 wpm band of the brief)."""
    pace_window_s: float = 10.0
    """Width of the windows of the pace timeline, in seconds. Source: the brief's example
    (10 s): long enough to hold 20-30 words, short enough to show a rush."""

    # ---- length ------------------------------------------------------------------
    length_min_s: float = 90.0
    """An answer shorter than this (speaking time, first word to last) is "short".
    Source: the brief's 90-180 s target, in line with the common interview-coaching
    advice that a behavioural (STAR) answer take about two minutes."""
    length_max_s: float = 180.0
    """An answer longer than this is "long". Source: as length_min_s (upper end of the
    90-180 s target)."""

    # ---- STAR balance ------------------------------------------------------------
    target_situation: float = 0.15
    """Target share of the answer for the Situation. Source: the brief's defaults
    (S 15%, T 10%, A 55%, R 20%), in line with the usual STAR coaching advice to keep the
    set-up short and spend about half or more of the answer on what you did."""
    target_task: float = 0.10
    """Target share for the Task. Source: as target_situation."""
    target_action: float = 0.55
    """Target share for the Action. Source: as target_situation."""
    target_result: float = 0.20
    """Target share for the Result. Source: as target_situation."""
    share_tolerance: float = 0.10
    """A section within target +/- this many share points (0.10 = 10 points) is "ok";
    outside it is "short"/"long". Source: our choice: a sentence or two either way in a
    two-minute answer (10% of 120 s = 12 s, about 30 words)."""
    action_tolerance: float = 0.15
    """Wider tolerance for the Action, which naturally varies most with the story.
    Source: our choice (the brief asks for tolerances; 55% +/- 15 points = 40-70%)."""

    # ---- fillers -----------------------------------------------------------------
    filled_pauses: tuple[str, ...] = DEFAULT_FILLED_PAUSES
    """Filled pauses: always counted as fillers, in any case, with punctuation attached.
    Elongated spellings (ummm, uhhh, hmmm, mmm, errr) match too when
    filled_pause_variants is on. Source: the brief's list (um, uh, er, erm, ah, hmm, mm,
    mhm); these are the filled pauses of Clark & Fox Tree (2002), 'Using uh and um in
    spontaneous speaking'."""
    filled_pause_variants: bool = True
    """Also match elongated spellings of the filled pauses (letters repeated: ummm, uhhh,
    hmmm, errr). Source: Whisper writes the same sound with varying letter counts."""
    discourse_markers: tuple[str, ...] = DEFAULT_DISCOURSE_MARKERS
    """Discourse markers counted as fillers when used as fillers (decided from context:
    "it was like two hours" counts, "I'd like to" / "it felt like" / "metrics like
    downloads" do not; "you know" counts, "do you know" / "you know the answer" do not;
    "I mean" counts, "what I mean is" does not; "actually" / "honestly" / "to be honest"
    count at the start of a clause, not inside one; "basically" / "literally" always).
    Phrases added here that have no built-in rule always count. Source: the brief's list (issue 2); "like" and
    "you know" as fillers are described by Fox Tree & Schrock (2002) and D'Arcy (2007), 'Like and language
    ideology'."""
    hedges: tuple[str, ...] = DEFAULT_HEDGES
    """Hedges counted as fillers when they soften a statement ("I kind of took over"),
    not when they mean what they say ("the kind of features we build"). Source: the
    brief's list; hedging in speech as described by Lakoff (1973), 'Hedges'."""
    count_repetitions: bool = True
    """Report immediate repeats and restarts ("we we", "I was I wanted", "how bad how
    bad") as fillers of kind "repetition" (each item is the abandoned first attempt).
    Source: the brief; repetitions are the most common disfluency after filled pauses
    (Shriberg 1994)."""
    context_rules: bool = True
    """Decide discourse markers and hedges from context (off: every listed phrase counts
    wherever it occurs). Source: the brief ("decided from context")."""
    fillers_per_100_words_ok: float = 3.0
    """At or below this many fillers per 100 words a rehearsed answer sounds fluent; above
    it the report suggests work on fillers. Source: Bortfeld et al. (2001), 'Disfluency
    rates in conversation', found about 6 disfluencies per 100 words in unrehearsed
    conversation; a prepared answer should need at most half of that."""
    fillers_per_minute_ok: float = 4.0
    """At or below this many fillers per minute the filler count is not raised as a tip
    (about 3 per 100 words at the 135-150 wpm of relaxed speech). Source: derived from
    fillers_per_100_words_ok."""
    hedges_ok: int = 2
    """More hedges than this in one answer get a tip (each one undercuts your claim).
    Source: our choice; interview coaches advise stating actions plainly."""

    # ---- content -----------------------------------------------------------------
    ownership_min_ratio: float = 0.5
    """In the Action, "I/me/my" should be at least this share of "I" + "we" words, or the
    report suggests saying what you did yourself. Source: common STAR advice (the
    interviewer is assessing you, not your team); 0.5 = at least as many "I" as "we"."""
    repeated_word_min: int = 3
    """A content word (stop words excluded) used at least this often is listed among the
    most repeated words. Source: our choice (three uses in two minutes is noticeable)."""
    repeated_words_max: int = 5
    """How many of the most repeated content words to list. Source: our choice."""
    max_tips: int = 3
    """At most this many tips, most important first. Source: the brief (at most three:
    a rehearsal should work on a few things at a time)."""

    # ---- STAR segmentation ([analysis.star]) -------------------------------------
    star: StarSettings = field(default_factory=StarSettings)
    """Settings of the STAR segmenter (see analysis/star/ and analysis/star_settings.py)."""

    def __post_init__(self) -> None:
        checks = [
            (self.pause_min_s > 0, "pause_min_s must be > 0"),
            (self.long_pause_s >= self.pause_min_s, "long_pause_s must be >= pause_min_s"),
            (0 < self.pace_min_wpm < self.pace_max_wpm, "need 0 < pace_min_wpm < pace_max_wpm"),
            (self.pace_window_s > 0, "pace_window_s must be > 0"),
            (0 <= self.length_min_s < self.length_max_s, "need 0 <= length_min_s < length_max_s"),
            (self.max_tips >= 0, "max_tips must be >= 0"),
            (0 <= self.ownership_min_ratio <= 1, "ownership_min_ratio must be between 0 and 1"),
        ]
        shares = (self.target_situation, self.target_task, self.target_action, self.target_result)
        checks.append((all(0 <= s <= 1 for s in shares), "target shares must be between 0 and 1"))
        checks.append((abs(sum(shares) - 1.0) < 0.011, "target shares must add up to 1"))
        for ok, problem in checks:
            if not ok:
                raise ValueError(problem)

    @property
    def targets(self) -> dict[str, float]:
        return {
            "situation": self.target_situation,
            "task": self.target_task,
            "action": self.target_action,
            "result": self.target_result,
        }

    def tolerance(self, label: str) -> float:
        return self.action_tolerance if label == "action" else self.share_tolerance


SHARE = Num(0.0, 1.0)
RANGES = {
    "pause_min_s": Num(0.01, 10.0),
    "long_pause_s": Num(0.01, 60.0),
    "pace_min_wpm": Num(1.0, 600.0),
    "pace_max_wpm": Num(1.0, 600.0),
    "pace_window_s": Num(1.0, 600.0),
    "length_min_s": Num(0.0, 7200.0),
    "length_max_s": Num(1.0, 7200.0),
    "target_situation": SHARE,
    "target_task": SHARE,
    "target_action": SHARE,
    "target_result": SHARE,
    "share_tolerance": SHARE,
    "action_tolerance": SHARE,
    "filled_pauses": Words(),
    "discourse_markers": Words(),
    "hedges": Words(),
    "fillers_per_100_words_ok": Num(0.0, 100.0),
    "fillers_per_minute_ok": Num(0.0, 600.0),
    "hedges_ok": Num(0, 1000, integer=True),
    "ownership_min_ratio": SHARE,
    "repeated_word_min": Num(1, 1000, integer=True),
    "repeated_words_max": Num(0, 100, integer=True),
    "max_tips": Num(0, 20, integer=True),
}
"""The valid range of each setting (analysis.setting_ranges); the README lists them."""
