"""Issue 19 under Pilot: the search's matches, the groups' order, the form's time, focus,
selection and questions, what a save says and where, and NO_COLOR=1.

The same samples typed as a terminal sends them are in tests/keystrokes/test_board_trust_terminal.py.
"""

from __future__ import annotations

import tomllib
from datetime import date, datetime
from pathlib import Path

import pytest
from textual import events
from textual.widgets import Input, Static
from textual.widgets._toast import Toast

from bluezone_tui.tui.screens.entry import EntryScreen
from bluezone_tui.tui.screens.modals import ChoiceScreen, NoteScreen
from bluezone_tui.tui.screens.trend import TrendScreen
from helpers.data import TZ, copy_shipped, new_office
from helpers.pilot import board_app, keys_handled, loaded, notified, screen_lines, wait_for

NEW_DAY = date(2020, 8, 27)  # nobody has reported yet
DAY26 = date(2020, 8, 26)
LAI_VUNG_DAY = date(2021, 9, 6)


def figures(folder: Path, day: date, unit: str) -> dict:
    path = folder / "submissions" / day.isoformat() / f"{unit}.toml"
    return tomllib.loads(path.read_text("utf-8"))


async def settle(pilot) -> None:  # type: ignore[no-untyped-def]
    assert await wait_for(pilot, lambda: keys_handled(pilot.app))
    await pilot.pause()


# ---------------------------------------------------------------- the search


@pytest.fixture
def lai_vung(tmp_path: Path) -> Path:
    return new_office(tmp_path / "lai-vung")


@pytest.mark.parametrize(
    ("query", "unit"),
    [
        ("hoa thanh", "xa-hoa-thanh"),  # not TT Văn hóa - Thể thao và Truyền thanh
        ("phong hoa", "xa-phong-hoa"),  # not Phòng Tài chính - Kế hoạch
        ("Hòa Thành", "xa-hoa-thanh"),
        ("xa-tan-thanh", "xa-tan-thanh"),  # an id
        ("P. Tài chính - KH", "phong-tai-chinh-ke-hoach"),  # a short name
        ("tai chinh", "phong-tai-chinh-ke-hoach"),
        ("truyen thanh", "trung-tam-vhtt-truyen-thanh"),
    ],
)
async def test_the_named_unit_is_found_first(lai_vung, query, unit):
    app = board_app(lai_vung, LAI_VUNG_DAY, (14, 0, 0))
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        await pilot.press("slash", *query, "enter")
        await settle(pilot)
        assert isinstance(app.screen, EntryScreen)
        assert app.screen.unit.id == unit
        title = str(app.screen.query_one("#entry-unit", Static).render())
        assert title.startswith(f"▶ {app.screen.unit.name}")


@pytest.mark.parametrize("size", [(60, 20), (80, 24)], ids=lambda s: f"{s[0]}x{s[1]}")
async def test_several_matches_are_listed_best_first_and_chosen(make_app, size):
    app = make_app(DAY26, (16, 0, 0))
    async with app.run_test(size=size) as pilot:
        await loaded(pilot)
        await pilot.press("slash", *"thuong")
        await settle(pilot)
        table = app.board.table
        # "thuong" next to another word of the name, in the table's order; then where it is
        # a word among others (Phòng Lao động - Thương binh và Xã hội)
        assert table.matches == [
            "tt-thuong-thoi-tien",
            "xa-thuong-phuoc-1",
            "xa-thuong-phuoc-2",
            "xa-thuong-thoi-hau-a",
            "xa-thuong-lac",
            "phong-ldtbxh",
        ]
        lines = screen_lines(app)
        heading = next(line for line in lines if "Tìm «thuong»" in line)
        assert "6 đơn vị" in heading and "Enter mở" in heading
        assert table.current_unit_id == "tt-thuong-thoi-tien"
        await pilot.press("down", "tab", "tab", "up")
        await settle(pilot)
        assert table.current_unit_id == "xa-thuong-phuoc-2"
        await pilot.press("tab", "shift+tab", "shift+tab", "enter")
        await settle(pilot)
        assert isinstance(app.screen, EntryScreen)
        assert app.screen.unit.id == "xa-thuong-phuoc-1"
        await pilot.press("escape")
        await settle(pilot)
        # back on the whole table, on the unit opened
        assert table.search_query is None and table.current_unit_id == "xa-thuong-phuoc-1"


async def test_a_search_that_finds_nothing_says_so(make_app):
    app = make_app(DAY26, (16, 0, 0))
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        await pilot.press("slash", *"xyz")
        await settle(pilot)
        assert any("không có đơn vị nào khớp" in line for line in screen_lines(app))
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is app.board
        assert await notified(pilot, "Không tìm thấy")


async def test_the_board_follows_the_order_of_groups(lai_vung):
    """After init and units import the departments came first: every commune off screen."""
    app = board_app(lai_vung, LAI_VUNG_DAY, (14, 0, 0))
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        headings = [line.row is None and line.heading[0] for line in app.board.table.lines]
        assert [h for h in headings if h] == [
            "Xã, thị trấn",
            "Phòng, ban, ngành huyện",
            "Huyện đoàn",
        ]
        assert any("Xã Hòa Thành" in line for line in screen_lines(app))


# ---------------------------------------------------------------- the board and the mouse


async def test_a_click_highlights_a_row_and_enter_opens_it(make_app):
    app = make_app(DAY26, (16, 0, 0))
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        table = app.board.table
        row = table.index_of("xa-phu-thuan-a")
        await pilot.click(table, offset=(20, row + 1 - round(table.scroll_offset.y)))
        await settle(pilot)
        assert table.current_unit_id == "xa-phu-thuan-a"
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, EntryScreen) and app.screen.unit.id == "xa-phu-thuan-a"


async def test_however_the_table_scrolls_the_highlight_stays_on_screen(make_app):
    app = make_app(DAY26, (16, 0, 0))
    async with app.run_test(size=(60, 20)) as pilot:
        await loaded(pilot)
        table = app.board.table
        for y in (12, 20, 3, 0, 30):  # as a scrollbar dragged there would
            table.scroll_to(y=y, animate=False, immediate=True)
            await pilot.pause()
            top = round(table.scroll_offset.y)
            assert top <= table.cursor < top + table.size.height - 1, (y, top, table.cursor)
            assert table.current_row is not None


# ---------------------------------------------------------------- the form: time


async def test_an_untouched_report_time_is_the_moment_of_saving(make_app, data_dir):
    """Keyed at 15:00:31 in a form opened at 14:59:50: saved as 15:00:00 and on time."""
    app = make_app(NEW_DAY, (14, 59, 50))
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        await pilot.press("slash", *"long khanh b", "enter")
        await settle(pilot)
        form = app.screen
        assert form.input("reported_at").value == "14:59:50"
        app.clock.set(datetime(2020, 8, 27, 15, 0, 31, tzinfo=TZ))
        await pilot.pause(1.2)  # the field follows the clock while untouched
        assert form.input("reported_at").value == "15:00:31"
        assert not form.dirty  # the clock moving is nothing typed
        await pilot.press(*"700", "f2")
        assert await wait_for(pilot, lambda: app.screen is app.board)
    saved = figures(data_dir, NEW_DAY, "xa-long-khanh-b")
    assert saved["reported_at"] == datetime(2020, 8, 27, 15, 0, 31, tzinfo=TZ)


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("15:00:31", datetime(2020, 8, 27, 15, 0, 31, tzinfo=TZ)),  # seconds kept
        ("14h45", datetime(2020, 8, 27, 14, 45, tzinfo=TZ)),
        ("07:30+00:00", datetime(2020, 8, 27, 14, 30, tzinfo=TZ)),  # an offset honoured
        ("2020-08-27 13:05", datetime(2020, 8, 27, 13, 5, tzinfo=TZ)),
    ],
)
async def test_a_typed_report_time_is_read_as_submit_reads_it(make_app, data_dir, typed, kept):
    app = make_app(NEW_DAY, (16, 0, 0))
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        await pilot.press("slash", *"long khanh b", "enter")
        await pilot.press(*"700", "shift+tab", "shift+tab", *typed, "f2")
        assert await wait_for(pilot, lambda: app.screen is app.board)
    assert figures(data_dir, NEW_DAY, "xa-long-khanh-b")["reported_at"] == kept


# ---------------------------------------------------------------- the form: what it shows


async def test_a_blank_form_shows_no_red_until_f2(make_app):
    app = make_app(NEW_DAY, (14, 0, 0))
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        await pilot.press("slash", *"long khanh b", "enter")
        await settle(pilot)
        form = app.screen
        message = form.query_one("#msg-residents_installed", Static)
        assert not message.display
        status = str(form.query_one("#entry-status", Static).render())
        assert "bắt buộc chưa có" in status and "lỗi" not in status
        assert not any("bắt buộc" in line and "✗" in line for line in screen_lines(app))
        await pilot.press("f2")
        await settle(pilot)
        assert message.display and "bắt buộc" in str(message.render())
        assert form.focused is form.input("residents_installed")


async def test_a_yes_no_field_says_what_it_takes(make_app):
    app = make_app(NEW_DAY, (14, 0, 0))
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        await pilot.press("slash", *"long khanh b", "enter")
        await settle(pilot)
        assert app.screen.input("desk_officer").placeholder == "c=có k=không"


async def test_a_save_is_confirmed_beside_its_row_with_no_toast_over_the_table(make_app):
    app = make_app(NEW_DAY, (14, 0, 0))
    async with app.run_test(size=(60, 20)) as pilot:
        await loaded(pilot)
        await pilot.press("slash", *"phu thuan b", "enter", *"900", "f2")
        assert await wait_for(pilot, lambda: app.screen is app.board)
        await settle(pilot)
        detail = str(app.board.query_one("#detail", Static).render())
        assert detail.startswith("✓ Đã lưu bản 1 — Xã Phú Thuận B")
        assert not list(app.screen.query(Toast))
        await pilot.press("up")
        await settle(pilot)
        assert "Đã lưu" not in str(app.board.query_one("#detail", Static).render())


async def test_what_the_form_said_closes_with_it_and_leaves_the_saved_line_clear(make_app):
    """ "Đã dán 2 giá trị…" (or "Đã tải bản 1…") followed the clerk back to the board and at
    60x20 covered "✓ Đã lưu bản N"; a warning still stays its time."""
    app = make_app(NEW_DAY, (14, 0, 0))
    async with app.run_test(size=(60, 20), notifications=True) as pilot:
        await loaded(pilot)
        await pilot.press("slash", *"phu thuan b", "enter")
        assert await wait_for(pilot, lambda: isinstance(app.screen, EntryScreen))
        await settle(pilot)
        app.post_message(events.Paste("900\n3"))  # as the driver hands a paste on
        assert await wait_for(pilot, lambda: bool(list(app.screen.query(Toast))))
        app.screen.notify("cảnh báo giữ lại", severity="warning")
        await pilot.press("f2")
        assert await wait_for(pilot, lambda: app.screen is app.board)
        await settle(pilot)
        detail = str(app.board.query_one("#detail", Static).render())
        assert detail.startswith("✓ Đã lưu bản 1 — Xã Phú Thuận B")
        shown = [str(toast.render()) for toast in app.screen.query(Toast)]
        assert not any("Đã dán" in text for text in shown), shown
        assert any("cảnh báo giữ lại" in text for text in shown), shown


# ---------------------------------------------------------------- the form: focus and selection


async def test_a_click_into_an_input_selects_its_value(make_app, data_dir):
    """teams 7 → 78: the click put the cursor at the end and the digit was appended."""
    app = make_app(DAY26, (16, 0, 0))
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        await pilot.press("slash", *"long khanh a", "enter")
        await settle(pilot)
        teams = app.screen.input("teams_formed")
        await pilot.click(teams, offset=(5, 0))
        await settle(pilot)
        assert teams.has_focus and teams.selected_text == teams.value == "7"
        await pilot.click(teams, offset=(0, 0))  # in the box being edited: the cursor goes there
        await settle(pilot)
        assert teams.selected_text == "" and teams.cursor_position == 0
        await pilot.press("ctrl+a", "8", "f2")
        assert await wait_for(pilot, lambda: app.screen is app.board)
    assert figures(data_dir, DAY26, "xa-long-khanh-a")["figures"]["teams_formed"] == 8


async def test_no_to_a_warning_takes_the_cursor_to_the_suspect_figure(make_app):
    app = make_app(DAY26, (16, 0, 0))
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        await pilot.press("slash", *"long khanh a", "enter")
        await pilot.press("down", "down", "down", "end", *"700", "tab", "tab", "f2")
        assert await wait_for(pilot, lambda: isinstance(app.screen, ChoiceScreen))
        await pilot.press("n")
        await settle(pilot)
        households = app.screen.input("households_visited")
        assert app.screen.focused is households and households.selected_text == "685700"
        assert await notified(pilot, "Con trỏ ở ô «Số hộ")


async def test_emptying_a_cumulative_figure_asks_as_a_decrease(make_app, data_dir):
    app = make_app(DAY26, (16, 0, 0))
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        await pilot.press("slash", *"long khanh a", "enter", "down", "down", "down", "ctrl+x")
        await settle(pilot)
        message = str(app.screen.query_one("#msg-households_visited", Static).render())
        assert "bị xoá" in message and "685" in message
        await pilot.press("f2")
        assert await wait_for(pilot, lambda: isinstance(app.screen, ChoiceScreen))
        await pilot.press("y")  # yes: the reason is asked in the question
        assert await wait_for(pilot, lambda: isinstance(app.screen, NoteScreen))
        await pilot.press("escape")  # no reason: back to the figure removed
        await settle(pilot)
        assert app.screen.focused is app.screen.input("households_visited")
    assert "households_visited" in figures(data_dir, DAY26, "xa-long-khanh-a")["figures"]


async def test_the_conflict_forms_inputs_are_the_forms_inputs(make_app):
    """One home for the forms' keys: both forms are FormScreens with FormInputs."""
    from bluezone_tui.tui.screens.conflict import ConflictScreen
    from bluezone_tui.tui.screens.form import FormScreen

    assert issubclass(ConflictScreen, FormScreen) and issubclass(EntryScreen, FormScreen)
    keys = {b.key for b in FormScreen.BINDINGS}
    assert {"f2,ctrl+s", "escape"} <= keys
    assert not {b.key for b in ConflictScreen.BINDINGS} & keys  # not bound twice


# ---------------------------------------------------------------- typed ahead


async def test_a_key_the_app_presses_itself_goes_before_keys_typed_after(make_app):
    """A click on the footer's "/ Tìm" simulates "/": the letters typed after the click go
    to the search box, not to the board ("t" opened the trend)."""
    app = make_app(DAY26, (16, 0, 0))
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        app.simulate_key("slash")
        for letter in "thuong lac":
            app.post_message(events.Key(letter, letter))
        await settle(pilot)
        assert not isinstance(app.screen, TrendScreen)
        assert app.board.search.value == "thuong lac"


# ---------------------------------------------------------------- NO_COLOR


async def test_no_color_draws_every_screen(tmp_path, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    folder = copy_shipped(tmp_path / "data")
    app = board_app(folder, DAY26, (16, 0, 0))
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        for key in ("t", "escape", "r", "escape", "f1", "escape"):
            await pilot.press(key)
            await settle(pilot)
        await pilot.press("slash", *"long khanh a", "enter", "5", "escape")
        assert await wait_for(pilot, lambda: isinstance(app.screen, ChoiceScreen))
        await pilot.press("y")
        await settle(pilot)
        assert app.screen is app.board
        assert isinstance(app.screen.query_one("#search"), Input)
