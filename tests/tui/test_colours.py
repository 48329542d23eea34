"""Late, missing and a broken file keep three different colours in 16 and in 256 colours."""

from __future__ import annotations

from datetime import date

from rich.color import Color, ColorSystem

from bluezone_tui.day.state import State
from bluezone_tui.tui.widgets.status_table import STATE_COMPONENTS

# the 16 ANSI colours by number: a colour and its bright twin count as the same hue
HUE_16 = {1: "red", 9: "red", 3: "yellow", 11: "yellow", 5: "magenta", 13: "magenta"}


def downgraded(app, state: State, system: ColorSystem) -> int:  # type: ignore[no-untyped-def]
    """The colour number the terminal gets for `state` (as Textual's console downgrades it)."""
    style = app.board.table.get_component_rich_style(STATE_COMPONENTS[state], partial=True)
    color = style.color.downgrade(system)
    return color.number


async def test_late_missing_and_broken_differ_in_16_and_256_colours(make_app):
    app = make_app(date(2020, 8, 26), (15, 30, 0), poll=60)
    async with app.run_test(size=(80, 24)):
        states = (State.LATE, State.MISSING, State.FILE_ERROR)
        for system in (ColorSystem.STANDARD, ColorSystem.EIGHT_BIT):
            numbers = [downgraded(app, state, system) for state in states]
            assert len(set(numbers)) == 3, (system, numbers)
        hues = [HUE_16.get(downgraded(app, s, ColorSystem.STANDARD)) for s in states]
        assert hues == ["yellow", "red", "magenta"]


async def test_the_forms_warning_and_error_differ_in_16_colours(make_app):
    app = make_app(date(2020, 8, 26), (15, 30, 0), poll=60)
    async with app.run_test(size=(80, 24)):
        variables = app.theme_variables
        warning = Color.parse(variables["warning"]).downgrade(ColorSystem.STANDARD).number
        error = Color.parse(variables["error"]).downgrade(ColorSystem.STANDARD).number
        assert HUE_16.get(warning) == "yellow" and HUE_16.get(error) == "red"
