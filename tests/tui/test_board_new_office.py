"""Issue 14 in the board: a report time typed 9:45 or 9h45, and help saying how to add a unit."""

from __future__ import annotations

from datetime import date

import pytest
from textual.widgets import Static

from bluezone_tui.tui.screens.entry import EntryScreen
from bluezone_tui.tui.screens.help import HelpScreen
from helpers.pilot import press, rendered_text

NEW_DAY = date(2020, 8, 27)  # no files yet


@pytest.mark.parametrize("typed", ["9:45", "9h45"])
async def test_the_form_takes_9_45_as_09_45(make_app, data_dir, wait_for, typed):
    app = make_app(NEW_DAY, (16, 10, 0))
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: app.board.consolidation is not None)
        await press(pilot, "slash", *"long khanh b", "enter")
        await pilot.pause()
        assert isinstance(app.screen, EntryScreen)
        # from the first input, back past the note to the report time, which typing replaces
        await press(pilot, *"720", "shift+tab", "shift+tab", *typed, "f2")
        path = data_dir / "submissions" / "2020-08-27" / "xa-long-khanh-b.toml"
        assert await wait_for(pilot, path.exists)
        assert "reported_at = 2020-08-27 09:45:00+07:00" in path.read_text("utf-8")


async def test_help_says_how_to_add_a_unit(make_app, wait_for):
    app = make_app(date(2020, 8, 20))
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, "f1")  # typed before the day is read: held until it is
        assert await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen))
        text = rendered_text(app.screen.query_one("#help-text", Static))
        assert "Thêm đơn vị" in text and "bluezone units import" in text


async def test_a_long_help_line_wraps_under_its_own_text(make_app, wait_for):
    """At 60 columns the filter line wraps; its second line stays in the text column."""
    app = make_app(date(2020, 8, 20))
    async with app.run_test(size=(60, 20)) as pilot:
        await press(pilot, "f1")
        assert await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen))
        lines = rendered_text(app.screen.query_one("#help-text", Static)).splitlines()
        start = next(i for i, line in enumerate(lines) if "lọc: chỉ đơn vị" in line)
        column = lines[start].index("lọc")
        assert lines[start + 1][:column].strip() == "", lines[start : start + 2]
        assert lines[start + 1][column:].strip(), lines[start : start + 2]
