"""SVG snapshots of the key screens at 80x24: the board, a form with an error, the help.

Update after an intended change with: pytest tests/tui --snapshot-update
"""

from __future__ import annotations

from datetime import date

from textual.widgets import Input

DAY = date(2020, 8, 26)


async def _loaded(pilot) -> None:
    app = pilot.app
    for _ in range(100):
        if app.board.consolidation is not None:
            break
        await pilot.pause(0.05)
    await pilot.pause()


def test_board(snap_compare, make_app):
    app = make_app(DAY, (15, 30, 0), poll=60)
    assert snap_compare(app, terminal_size=(80, 24), run_before=_loaded)


def test_form_with_error(snap_compare, make_app):
    app = make_app(DAY, (15, 30, 0), poll=60)

    async def run_before(pilot) -> None:
        await _loaded(pilot)
        await pilot.press("slash", *"phu thuan a", "enter")
        await pilot.pause()
        for widget in pilot.app.screen.query(Input):
            widget.cursor_blink = False
        widget = pilot.app.screen.query_one("#in-residents_installed", Input)
        widget.value = "99999"
        await pilot.pause()

    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)


def test_help(snap_compare, make_app):
    app = make_app(DAY, (15, 30, 0), poll=60)

    async def run_before(pilot) -> None:
        await _loaded(pilot)
        await pilot.press("f1")
        await pilot.pause()

    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)
