"""One clock for every figure: the app, the tips, the Markdown export and the command
line write a time the same way (seconds rounded down), differing only in what they
show for a missing time and whether an hour-long take reads 1:02:05."""

from __future__ import annotations


def test_every_front_end_writes_a_time_with_the_one_formatter():
    from analysis import tips
    from analysis.timefmt import mmss
    from recorder.export import _clock
    from tui.commands._takes_util import clock
    from tui.commands.analyze import mmss as cli_mmss
    from tui.format import mmss as app_mmss

    for seconds, shown in ((0, "0:00"), (7.9999999, "0:08"), (101.9, "1:41"), (-3, "0:00"), (3725.2, "62:05")):
        assert mmss(seconds) == app_mmss(seconds) == tips.mmss(seconds) == _clock(seconds) == cli_mmss(seconds) == shown
    assert clock(3725.2) == "1:02:05" and clock(3599.9) == "59:59"
    assert (app_mmss(None), cli_mmss(None), clock(None), _clock("?")) == ("–:––", "-:--", "-", "-")
