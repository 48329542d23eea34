"""Nothing from a data file reaches the terminal raw: no control characters, no markup."""

from __future__ import annotations

from datetime import date

from bluezone_tui.tui.screens.trend import TrendScreen
from helpers.pilot import loaded, press, screen_lines

DAY = date(2020, 8, 26)


def raw(lines: list[str]) -> list[str]:
    return [line for line in lines if any(ord(c) < 0x20 or 0x7F <= ord(c) < 0xA0 for c in line)]


async def test_a_hostile_note_and_entered_by_are_escaped_everywhere(make_app, data_dir):
    path = data_dir / "submissions" / "2020-08-26" / "xa-long-khanh-a.toml"
    text = path.read_text("utf-8")
    text = text.replace('entered_by = "tran.van.hung"', 'entered_by = "tran\\u001b[2Jvan"')
    text = text.replace(
        "[figures]",
        'note = "ghi chú \\u001b]0;pwned\\u0007 [bold]đậm[/] [/] \\u202e321"\n\n[figures]',
    )
    path.write_text(text, "utf-8")
    app = make_app(DAY, (15, 30, 0), poll=60)
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(pilot)
        app.board.table.go_to("xa-long-khanh-a")
        await pilot.pause()
        board = screen_lines(app)
        assert raw(board) == []
        shown = "\n".join(board)
        assert "\\x1b]0;pwned\\x07" in shown  # visible, not obeyed
        assert "tran\\x1b[2Jvan" in shown and "[bold]đậm[/] [/]" in shown and "\\u202e321" in shown
        await press(pilot, "enter")  # the form: its title, the note input
        await pilot.pause()
        form = screen_lines(app)
        assert raw(form) == []
        assert "tran\\x1b[2Jvan" in "\n".join(form)
        await press(pilot, "escape")
        await pilot.pause()
        await press(pilot, "t")  # the trend: the unit's history
        await pilot.pause()
        assert isinstance(app.screen, TrendScreen)
        assert raw(screen_lines(app)) == []
        history = str(app.screen.query_one("#trend-unit").render())
        assert raw(history.split("\n")) == [] and "\\x1b]0;pwned\\x07" in history


async def test_hostile_names_from_the_registry_are_escaped(data_dir, make_app):
    """A control character in a unit's name is refused at its line since issue 20 (it would
    make one name look like another): markup in a name, and an escape in a phone (only a
    warning: not a number to dial), still reach the board, shown as written."""
    registry = data_dir / "units.yaml"
    text = registry.read_text("utf-8")
    text = text.replace("name: Xã Long Khánh A", 'name: "Xã Long Khánh A [red]"', 1)
    text = text.replace('phone: "0277 3800 106"', 'phone: "0277\\e]0;x\\a\\e[5m 3800 106"', 1)
    registry.write_text(text, "utf-8")
    app = make_app(date(2020, 8, 27), (15, 30, 0), poll=60)
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(pilot)
        app.board.table.go_to("xa-long-khanh-a")
        await pilot.pause()
        lines = screen_lines(app)
        assert raw(lines) == []
        assert "Xã Long Khánh A [red]" in "\n".join(lines)
        assert "0277\\x1b]0;x\\x07\\x1b[5m" in "\n".join(lines)


async def test_markup_in_a_typed_value_is_shown_as_typed(make_app):
    """A message quoting what was typed ("«[/]» không phải số nguyên") is text, not markup."""
    app = make_app(date(2020, 8, 27), (14, 0, 0), poll=60)
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        app.board.open_unit("xa-long-khanh-b")
        await pilot.pause()
        app.screen.query_one("#in-residents_installed").value = "[b]1[/b] [/]"
        await pilot.pause()
        message = str(app.screen.query_one("#msg-residents_installed").render())
        assert "«[b]1[/b] [/]»" in message
    assert app.return_code is None
