"""SVG snapshots of the key screens at 80×24 and 60×20 (and the board at 120×40).

Update after an intended change with: pytest tests/tui --snapshot-update, then look
at every changed picture before committing it.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from textual.widgets import Input

from helpers.pilot import loaded, press

DAY = date(2020, 8, 26)
SIZES = [(80, 24), (60, 20)]


def _steady(pilot) -> None:
    for widget in pilot.app.screen.query(Input):
        widget.cursor_blink = False


@pytest.mark.parametrize("size", [*SIZES, (120, 40)], ids=lambda s: f"{s[0]}x{s[1]}")
def test_board(snap_compare, make_app, size):
    app = make_app(DAY, (15, 30, 0), poll=60)
    assert snap_compare(app, terminal_size=size, run_before=loaded)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_form_with_error(snap_compare, make_app, size):
    app = make_app(DAY, (15, 30, 0), poll=60)

    async def run_before(pilot) -> None:
        await loaded(pilot)
        await press(pilot, "slash", *"phu thuan a", "enter")
        await pilot.pause()
        _steady(pilot)
        await pilot.press(*"99999")  # typed over the selected value, as a clerk does
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_form_with_a_note_on_another_day(snap_compare, make_app, size):
    """The board opened on yesterday's date: the form's day stands out; the note is visible."""
    app = make_app(DAY, datetime(2020, 8, 27, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh")), poll=60)

    async def run_before(pilot) -> None:
        await loaded(pilot)
        await press(pilot, "slash", *"long khanh b", "enter")
        await pilot.pause()
        _steady(pilot)
        screen = pilot.app.screen
        screen.query_one("#in-residents_installed", Input).value = "904"
        screen.query_one("#in-note", Input).value = "đếm lại theo danh sách ấp"
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_help(snap_compare, make_app, size):
    app = make_app(DAY, (15, 30, 0), poll=60)

    async def run_before(pilot) -> None:
        await loaded(pilot)
        await press(pilot, "f1")
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_reminders(snap_compare, make_app, size):
    """After 15:00: two communes missing, one late; the late one's message below."""
    app = make_app(DAY, (16, 5, 0), poll=60)

    async def run_before(pilot) -> None:
        await loaded(pilot)
        await press(pilot, "r")
        await pilot.pause()
        await press(pilot, "down")
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_search_with_several_matches(snap_compare, make_app, size):
    """'/thuong': every match listed best first under what was searched, the best
    highlighted; the line under the table names it in full."""
    app = make_app(DAY, (15, 30, 0), poll=60)

    async def run_before(pilot) -> None:
        await loaded(pilot)
        await pilot.press("slash", *"thuong", "down")
        await pilot.pause()
        _steady(pilot)

    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_blank_form(snap_compare, make_app, size):
    """A new report: the unit on its own line, no red before anything is typed, the report
    time following the clock "= lúc lưu", the yes/no input saying what it takes."""
    app = make_app(date(2020, 8, 27), (14, 30, 5), poll=60)

    async def run_before(pilot) -> None:
        await loaded(pilot)
        await pilot.press("slash", *"long khanh b", "enter")
        await pilot.pause()
        _steady(pilot)

    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_decrease_asks_for_its_reason(snap_compare, make_app, size):
    app = make_app(date(2020, 8, 27), (14, 30, 0), poll=60)

    async def run_before(pilot) -> None:
        await loaded(pilot)
        await pilot.press("slash", *"long khanh b", "enter", *"600", "f2", "y", *"dem lai")
        await pilot.pause()
        _steady(pilot)

    assert snap_compare(app, terminal_size=size, run_before=run_before)
