"""Colours readable in both themes: every section and status colour has at least
4.5:1 contrast (WCAG AA) against the theme's background and surface, as text and as a
fill under its text colour; the app switches palettes with the theme."""

from __future__ import annotations

import pytest


def _luminance(colour) -> float:
    def channel(c: int) -> float:
        c = c / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(colour.r) + 0.7152 * channel(colour.g) + 0.0722 * channel(colour.b)


def contrast(a, b) -> float:
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


@pytest.mark.parametrize("theme_name", ["textual-dark", "textual-light"])
def test_palette_meets_wcag_aa_against_the_theme(theme_name):
    from textual.app import App
    from textual.color import Color

    from tui.format import PALETTES, STAR

    theme = App().available_themes[theme_name]
    system = theme.to_color_system().generate()
    palette = PALETTES["dark" if theme.dark else "light"]
    for role in (*STAR, "good", "warn", "bad", "info"):
        fg = Color.parse(palette[role])
        for where in ("background", "surface"):
            ratio = contrast(fg, Color.parse(system[where]))
            assert ratio >= 4.5, (theme_name, role, where, round(ratio, 2))
    for label in STAR:  # section bars: the label text on the section colour
        ratio = contrast(Color.parse(palette["on_fill"]), Color.parse(palette[label]))
        assert ratio >= 4.5, (theme_name, label, "fill", round(ratio, 2))


async def test_the_app_switches_palette_with_the_theme():
    from tui.app import make_app
    from tui.format import PALETTES, STAR_COLOUR, C
    from tui.settings import AppSettings

    app = make_app(settings=AppSettings())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert STAR_COLOUR["action"] == PALETTES["dark"]["action"]
        app.theme = "textual-light"
        await pilot.pause()
        assert STAR_COLOUR["action"] == PALETTES["light"]["action"] and C.good == PALETTES["light"]["good"]
        app.theme = "textual-dark"
        await pilot.pause()
        assert C.bad == PALETTES["dark"]["bad"]


@pytest.mark.parametrize("theme_name", ["textual-dark", "textual-light"])
def test_the_played_word_is_readable_on_its_highlight(theme_name):
    from textual.app import App
    from textual.color import Color

    from tui.format import PALETTES

    theme = App().available_themes[theme_name]
    palette = PALETTES["dark" if theme.dark else "light"]
    ratio = contrast(Color.parse(palette["on_playing"]), Color.parse(palette["playing"]))
    assert ratio >= 4.5, (theme_name, round(ratio, 2))


def test_screens_and_widgets_take_their_colours_from_the_theme():
    """Colours live in the palettes (tui/format.py) and the stylesheet, not in screens."""
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[3] / "tui"
    assert (root / "screens").is_dir()
    found = [
        f"{p.name}: {m.group()}"
        for folder in ("screens", "widgets")
        for p in sorted((root / folder).glob("*.py"))
        for m in re.finditer(r"#[0-9a-fA-F]{6}\b", p.read_text())
    ]
    assert found == []
