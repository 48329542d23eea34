"""The board's r: the units to remind, following the board and the clock, and copying a message."""

from __future__ import annotations

from datetime import date

from textual.widgets import OptionList

from bluezone_tui.day.entry import submit
from bluezone_tui.day.state import State
from bluezone_tui.tui.screens.remind import RemindScreen
from helpers.pilot import loaded, press, screen_lines

DAY = date(2020, 8, 26)


def listed(app) -> list[tuple[str, State]]:  # type: ignore[no-untyped-def]
    return [(r.unit.id, r.state) for r in app.screen.found]


async def test_r_lists_the_units_and_enter_copies_the_message_composed_now(make_app):
    app = make_app(DAY, (14, 35, 0), poll=60)
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        await press(pilot, "r")
        await pilot.pause()
        assert isinstance(app.screen, RemindScreen)
        assert [unit for unit, _ in listed(app)] == [
            "xa-thuong-lac",
            "xa-long-khanh-b",
            "xa-long-thuan",
            "thpt-long-khanh-a",
        ]
        lines = "\n".join(screen_lines(app))
        assert "4 đơn vị: chưa đến hạn 4" in lines
        assert "Xã Thường Lạc — 0277 3800 105" in lines
        assert "Liên hệ: Văn phòng UBND xã (mẫu), 0277 3800 105" in lines
        await press(pilot, "down")
        app.clock.advance(minutes=5)  # the message is composed when it is copied
        await press(pilot, "enter")
        await pilot.pause()
        assert app.clipboard.startswith("Kính gửi Xã Long Khánh B: chưa nhận được báo cáo")
        assert "còn 20 phút" in app.clipboard
        await press(pilot, "c")
        assert "còn 20 phút" in app.clipboard
        await press(pilot, "escape")
        await pilot.pause()
        assert app.screen is app.board


async def test_the_list_follows_the_board_and_the_deadline(make_app, data_dir, wait_for):
    app = make_app(DAY, (14, 59, 0), poll=0.1)
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        await press(pilot, "r")
        await pilot.pause()
        await press(pilot, "down")  # Xã Long Khánh B, kept highlighted while the list changes
        assert {state for _, state in listed(app)} == {State.NOT_YET_DUE}
        submit(
            app.store,
            "xa-thuong-lac",
            DAY,
            {"residents_installed": "1100"},
            now=app.clock(),
        )
        app.clock.advance(minutes=1, seconds=1)  # 15:00:01
        await wait_for(pilot, lambda: listed(app) and listed(app)[0][1] is State.MISSING)
        assert listed(app) == [
            ("xa-long-khanh-b", State.MISSING),
            ("xa-long-thuan", State.MISSING),
        ]
        option_list = app.screen.query_one(OptionList)
        assert option_list.highlighted_option.id == "xa-long-khanh-b"
        assert "chưa báo cáo, đã quá 1 phút" in "\n".join(screen_lines(app))


async def test_a_unit_without_a_phone_says_so(make_app, data_dir):
    registry = data_dir / "units.yaml"
    text = registry.read_text(encoding="utf-8").replace('phone: "0277 3800 105"', 'phone: ""')
    registry.write_text(text, encoding="utf-8")
    app = make_app(DAY, (14, 35, 0), poll=60)
    async with app.run_test(size=(60, 20)) as pilot:
        await loaded(pilot)
        await press(pilot, "r")
        await pilot.pause()
        lines = "\n".join(screen_lines(app))
        assert "Xã Thường Lạc — không có số điện thoại" in lines
        assert "Liên hệ: Văn phòng UBND xã (mẫu), không có số điện thoại" in lines


async def test_nothing_to_remind_and_nothing_to_copy(make_app):
    day = date(2020, 8, 20)  # one commune reported late that day: say it was on time
    app = make_app(day, (16, 0, 0), poll=60)
    submit(
        app.store,
        "xa-phu-thuan-a",
        day,
        {},
        now=app.clock(),
        reported_at=app.clock().replace(hour=14),
    )
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        await press(pilot, "r")
        await pilot.pause()
        assert listed(app) == []
        assert "Không có đơn vị nào cần nhắc." in "\n".join(screen_lines(app))
        await press(pilot, "enter", "c")
        assert app.clipboard == ""


async def test_phones_are_read_as_the_csv_reads_them(make_app, data_dir):
    """What r shows of a phone goes through base/phone.py, as `remind --format csv` does:
    a cell that says there is none says so in words, and a number a phone cannot dial (a
    leading 0 lost in a spreadsheet) says why, instead of showing as if it could be called."""
    registry = data_dir / "units.yaml"
    text = registry.read_text(encoding="utf-8")
    text = text.replace('phone: "0277 3800 105"', 'phone: "không có"')
    text = text.replace('phone: "0277 3800 107"', 'phone: "2773800107"')
    registry.write_text(text, encoding="utf-8")
    app = make_app(DAY, (14, 35, 0), poll=60)
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        await press(pilot, "r")
        await pilot.pause()
        lines = "\n".join(screen_lines(app))
        assert "Xã Thường Lạc — không có số điện thoại" in lines
        assert "Xã Long Khánh B — ⚠ số điện thoại «2773800107» đã mất số 0" in lines
        assert "có phải 02773800107?" in lines  # the detail of the unit highlighted
