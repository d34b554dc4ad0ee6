"""The Review screen's STAR table and bar with an answer that opens with its result."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "analysis"))


async def test_the_hook_has_its_own_row_and_bar_segment():
    from test_star_hook_section import HOOK, STORY, make
    from textual.app import App, ComposeResult

    from analysis import analyze
    from tui.widgets.review_panels import SectionsTable
    from tui.widgets.star_bar import StarBar

    report = analyze(make([HOOK, *STORY]).transcript).to_dict()
    assert report["star"]["sections"][0].get("hook")

    class Host(App):
        def compose(self) -> ComposeResult:
            yield StarBar(report["star"])
            yield SectionsTable(id="sections")

    app = Host()
    async with app.run_test(size=(100, 20)) as pilot:
        table = app.query_one(SectionsTable)
        table.show(report)
        await pilot.pause()
        assert table.row_count == 5  # the hook, then S, T, A, R
        first = [str(c) for c in table.get_row_at(0)]
        assert "Hook" in first[0] and first[3] == "", "no target for the hook"
        bar = str(app.query_one(StarBar).render()).splitlines()[0]
        assert bar.lstrip().startswith("Hook") or bar.lstrip().startswith("R"), bar
