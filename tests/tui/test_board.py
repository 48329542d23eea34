"""Pilot tests of every board flow: live updates, deadlines, entry, refusals, export."""

from __future__ import annotations

import os
import threading
from datetime import date, datetime

from textual import events
from textual.widgets import Input, Static

from bluezone_tui.day.entry import submit
from bluezone_tui.day.status import State
from bluezone_tui.day.store import Store
from bluezone_tui.export import board_formats
from bluezone_tui.tui.screens.entry import EntryScreen
from bluezone_tui.tui.screens.help import HelpScreen
from bluezone_tui.tui.screens.modals import ChoiceScreen, NoteScreen
from bluezone_tui.tui.screens.trend import TrendScreen
from helpers.pilot import notified, press, rendered_text

DAY20 = date(2020, 8, 20)
NEW_DAY = date(2020, 8, 27)  # no files yet: everyone still to report


def state_of(app, unit_id: str) -> State | None:
    if app.board.consolidation is None:
        return None
    status = app.board.consolidation.status.of(unit_id)
    return status.state if status else None


def summary(app) -> str:
    return str(app.query_one("#summary", Static).render())


async def test_board_shows_district_figures(make_app, wait_for):
    app = make_app(DAY20, (16, 0, 0))
    async with app.run_test(size=(80, 24)) as pilot:
        assert await wait_for(pilot, lambda: app.board.consolidation is not None)
        text = summary(app)
        assert "6.090 / 120.514" in text
        assert "5,05%" in text
        assert "13/13" in text
        bar = str(app.query_one("#clock-bar", Static).render())
        assert "20/08/2020 16:00:00" in bar and "15:00 đã qua" in bar


async def test_search_ignores_case_and_diacritics_and_opens_form(make_app, wait_for):
    app = make_app(DAY20)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: app.board.consolidation is not None)
        await press(pilot, "slash", *"long khanh b", "enter")
        await pilot.pause()
        assert isinstance(app.screen, EntryScreen)
        assert app.screen.unit.id == "xa-long-khanh-b"
        # the first input is the group's first field: cumulative installs
        assert app.focused.id == "in-residents_installed"


async def test_enter_on_highlighted_row_opens_it(make_app, wait_for):
    app = make_app(DAY20)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: app.board.consolidation is not None)
        await press(pilot, "down", "enter")
        await pilot.pause()
        assert isinstance(app.screen, EntryScreen)
        assert app.screen.unit.id == "xa-thuong-phuoc-1"
        await press(pilot, "escape")  # nothing typed: straight back
        await pilot.pause()
        assert not isinstance(app.screen, EntryScreen)


async def test_entry_saves_a_new_report(make_app, data_dir, wait_for):
    app = make_app(NEW_DAY, (14, 30, 0))
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: app.board.consolidation is not None)
        assert state_of(app, "xa-long-khanh-b") is State.NOT_YET_DUE
        await press(pilot, "slash", *"long khanh b", "enter")
        await pilot.pause()
        await press(pilot, *"720", "tab", "4", "tab", "3", "tab", *"900", "tab", "c", "o")
        await press(pilot, "ctrl+s")
        await pilot.pause()
        assert not isinstance(app.screen, EntryScreen)
        path = data_dir / "submissions" / "2020-08-27" / "xa-long-khanh-b.toml"
        text = path.read_text("utf-8")
        assert "revision = 1" in text and "residents_installed = 720" in text
        assert "reported_at = 2020-08-27 14:30:00+07:00" in text
        assert await wait_for(pilot, lambda: state_of(app, "xa-long-khanh-b") is State.ON_TIME)


async def test_inline_error_blocks_save_and_writes_nothing(make_app, data_dir, wait_for):
    app = make_app(NEW_DAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: app.board.consolidation is not None)
        await press(pilot, "slash", *"phu thuan a", "enter")
        await pilot.pause()
        await press(pilot, *"abc")
        await pilot.pause()
        message = app.screen.query_one("#msg-residents_installed", Static)
        assert message.display and "không phải số nguyên" in str(message.render())
        await press(pilot, "f2")
        await pilot.pause()
        assert isinstance(app.screen, EntryScreen)
        assert not (data_dir / "submissions" / "2020-08-27").exists()


async def test_more_installs_than_population_is_an_error(make_app, wait_for):
    app = make_app(NEW_DAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: app.board.consolidation is not None)
        await press(pilot, "slash", *"long khanh b", "enter")
        await pilot.pause()
        await press(pilot, *"999999")
        await pilot.pause()
        message = str(app.screen.query_one("#msg-residents_installed", Static).render())
        assert "8.700" in message  # the unit's population, in Vietnamese format


async def test_decrease_needs_confirmation_and_a_note(make_app, data_dir, wait_for):
    app = make_app(NEW_DAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: app.board.consolidation is not None)
        await press(pilot, "slash", *"long khanh b", "enter")
        await pilot.pause()
        await press(pilot, *"600", "ctrl+s")  # 26 Aug had 691: a cumulative figure went down
        await pilot.pause()
        assert isinstance(app.screen, ChoiceScreen)
        await press(pilot, "y")
        await pilot.pause()
        # no note yet: the question asks for the reason itself (issue 19)
        assert isinstance(app.screen, NoteScreen)
        await press(pilot, "enter")  # an empty reason is no answer
        await pilot.pause()
        assert isinstance(app.screen, NoteScreen)
        await press(pilot, *"dem lai", "enter")
        assert await wait_for(pilot, lambda: not isinstance(app.screen, (EntryScreen, NoteScreen)))
        text = (data_dir / "submissions" / "2020-08-27" / "xa-long-khanh-b.toml").read_text()
        assert 'note = "dem lai"' in text
        assert "decrease:residents_installed" in text


async def test_escape_with_unsaved_edits_asks_first(make_app, wait_for):
    app = make_app(NEW_DAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: app.board.consolidation is not None)
        await press(pilot, "enter")
        await pilot.pause()
        await press(pilot, "5", "escape")
        await pilot.pause()
        assert isinstance(app.screen, ChoiceScreen)
        await press(pilot, "n")
        await pilot.pause()
        assert isinstance(app.screen, EntryScreen)
        assert app.screen.query_one("#in-residents_installed", Input).value == "5"
        await press(pilot, "escape", "y")
        await pilot.pause()
        assert not isinstance(app.screen, (EntryScreen, ChoiceScreen))


async def test_save_refused_after_concurrent_change_then_reload(make_app, data_dir, wait_for):
    app = make_app(DAY20, (16, 0, 0))
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: app.board.consolidation is not None)
        await press(pilot, "slash", *"thuong lac", "enter")
        await pilot.pause()
        form = app.screen
        assert form.base_revision == 1
        # another staff member saves the same unit meanwhile
        other = Store(data_dir, app.registry)
        submit(
            other,
            "xa-thuong-lac",
            DAY20,
            {"residents_installed": "580", "households_visited": "999"},
            now=datetime(2020, 8, 20, 16, 1, tzinfo=app.registry.timezone),
        )
        field = form.query_one("#in-residents_installed", Input)
        field.value = "590"
        await press(pilot, "ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ChoiceScreen)
        assert "đã thay đổi" in app.screen.title_text
        assert "bản 2" in app.screen.message
        path = data_dir / "submissions" / "2020-08-20" / "xa-thuong-lac.toml"
        assert "residents_installed = 580" in path.read_text()  # the other save is intact
        await press(pilot, "r")
        await pilot.pause()
        assert app.screen is form and form.base_revision == 2
        assert field.value == "590"  # nothing typed was lost
        # a field this person did not touch takes the other person's new value
        assert form.query_one("#in-households_visited", Input).value == "999"
        await press(pilot, "ctrl+s")
        await pilot.pause()
        assert not isinstance(app.screen, (EntryScreen, ChoiceScreen))
        text = path.read_text()
        assert "residents_installed = 590" in text and "revision = 3" in text
        assert "households_visited = 999" in text


async def test_file_written_from_outside_shows_within_two_seconds(make_app, data_dir, wait_for):
    app = make_app(NEW_DAY, poll=1.0)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: app.board.consolidation is not None)
        assert state_of(app, "xa-phu-thuan-b") is State.NOT_YET_DUE
        other = Store(data_dir, app.registry)
        submit(
            other,
            "xa-phu-thuan-b",
            NEW_DAY,
            {"residents_installed": "900"},
            now=datetime(2020, 8, 27, 14, 40, tzinfo=app.registry.timezone),
        )
        assert await wait_for(
            pilot, lambda: state_of(app, "xa-phu-thuan-b") is State.ON_TIME, timeout=2.0
        )


async def test_deadline_passing_flips_not_yet_due_to_missing(make_app, wait_for):
    app = make_app(NEW_DAY, (14, 59, 59))
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: app.board.consolidation is not None)
        assert state_of(app, "xa-thuong-lac") is State.NOT_YET_DUE
        app.clock.set(datetime(2020, 8, 27, 15, 0, 0, tzinfo=app.registry.timezone))
        await pilot.pause(0.3)
        assert state_of(app, "xa-thuong-lac") is State.NOT_YET_DUE  # 15:00:00 is still in time
        app.clock.advance(seconds=1)
        assert await wait_for(
            pilot, lambda: state_of(app, "xa-thuong-lac") is State.MISSING, timeout=5.0
        )
        assert "thiếu 13" in summary(app)


async def test_broken_file_is_shown_and_the_rest_works(make_app, data_dir, wait_for):
    broken = data_dir / "submissions" / "2020-08-20" / "xa-long-thuan.toml"
    broken.write_text("revision = \n")
    app = make_app(DAY20, (16, 0, 0))
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: app.board.consolidation is not None)
        assert state_of(app, "xa-long-thuan") is State.FILE_ERROR
        assert state_of(app, "xa-long-khanh-b") is State.ON_TIME
        assert "lỗi tệp 1" in summary(app)
        table = app.query_one("#table")
        table.go_to("xa-long-thuan")
        await pilot.pause()
        line = table.render_line(table.cursor + 1 - round(table.scroll_offset.y)).text
        assert "lỗi tệp" in line and "dòng 1" in line
        detail = str(app.query_one("#detail", Static).render())
        assert "xa-long-thuan.toml:1:1" in detail


async def test_a_conflicted_file_is_xung_dot_with_the_way_out(make_app, data_dir, wait_for):
    broken = data_dir / "submissions" / "2020-08-20" / "xa-long-thuan.toml"
    broken.write_text("<<<<<<< HEAD\nrevision = 1\n=======\nrevision = 2\n>>>>>>> x\n")
    app = make_app(DAY20, (16, 0, 0))
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: app.board.consolidation is not None)
        assert state_of(app, "xa-long-thuan") is State.CONFLICT
        assert state_of(app, "xa-long-khanh-b") is State.ON_TIME
        assert "xung đột 1" in summary(app)
        table = app.query_one("#table")
        table.go_to("xa-long-thuan")
        await pilot.pause()
        line = table.render_line(table.cursor + 1 - round(table.scroll_offset.y)).text
        assert "xung đột" in line and "hai nơi đã lưu số liệu khác nhau" in line
        detail = str(app.query_one("#detail", Static).render())
        assert "Enter để xem hai bên" in detail


async def test_filter_and_sort(make_app, wait_for):
    app = make_app(date(2020, 8, 26), (15, 30, 0))
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: app.board.consolidation is not None)
        table = app.query_one("#table")
        await press(pilot, "f")
        shown = [line.row.status.state for line in table.lines if line.row]
        assert shown and all(s in (State.LATE, State.MISSING) for s in shown)
        assert "lọc" in summary(app)
        await press(pilot, "f", "s")
        communes = [
            line.row for line in table.lines if line.row and line.row.unit.group.id == "commune"
        ]
        rates = [row.rate for row in communes]
        assert rates == sorted(rates, reverse=True)


async def test_export_writes_text_and_csv(make_app, data_dir, wait_for):
    app = make_app(DAY20, (16, 0, 0))
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: app.board.consolidation is not None)
        await press(pilot, "x")
        folder = data_dir / "exports"
        assert await notified(pilot, "Đã xuất:")
        assert await wait_for(pilot, lambda: not app.board.exporting)
        text = (folder / "bao-cao-bluezone-2020-08-20.txt").read_text("utf-8")
        assert "6.090" in text and "5,05%" in text
        csv = (folder / "bao-cao-bluezone-2020-08-20.csv").read_text("utf-8")
        assert csv.startswith("\ufeff") and "TOTAL" in csv


async def test_export_runs_in_a_worker_and_the_board_keeps_answering(
    make_app, data_dir, wait_for, monkeypatch
):
    """At 10,000 units an export takes seconds: the board must not freeze meanwhile."""
    from bluezone_tui import export

    written = export.export_day
    may_finish = threading.Event()

    def slow_export(*args, **kwargs):  # type: ignore[no-untyped-def]
        assert may_finish.wait(10)
        return written(*args, **kwargs)

    monkeypatch.setattr(export, "export_day", slow_export)
    app = make_app(DAY20, (16, 0, 0))
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: app.board.consolidation is not None)

        def said() -> str:
            return " ".join(str(n.message) for n in app._notifications)

        await press(pilot, "x")
        assert "Đang xuất…" in said()
        await press(pilot, "f")  # answered while the export waits
        assert app.board.table.only_unfinished and "lọc" in summary(app)
        await press(pilot, "x")  # a second export is refused while the first runs
        assert "Đang xuất, chờ xong đã." in said()
        may_finish.set()
        assert await wait_for(pilot, lambda: "Đã xuất:" in said())
        assert said().count("Đã xuất:") == 1
    assert (data_dir / "exports" / "bao-cao-bluezone-2020-08-20.txt").is_file()


async def test_an_export_that_fails_says_why(make_app, data_dir, wait_for):
    (data_dir / "exports").write_text("not a folder\n")
    app = make_app(DAY20, (16, 0, 0))
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: app.board.consolidation is not None)

        def errors() -> list[str]:
            return [str(n.message) for n in app._notifications if n.severity == "error"]

        await press(pilot, "x")
        assert await wait_for(pilot, lambda: len(errors()) == 1)
        assert "exports" in errors()[-1]
        assert await wait_for(pilot, lambda: not app.board.exporting)
        await press(pilot, "x")  # and the next x tries again
        assert await wait_for(pilot, lambda: len(errors()) == 2)


async def test_trends_and_unit_history(make_app, wait_for):
    app = make_app(date(2020, 8, 26), (16, 0, 0))
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: app.board.consolidation is not None)
        await press(pilot, "t")
        await pilot.pause()
        assert isinstance(app.screen, TrendScreen)
        district = str(app.screen.query_one("#trend-district", Static).render())
        assert "Tỷ lệ toàn huyện" in district and "5,05%" in district
        history = str(app.screen.query_one("#trend-unit", Static).render())
        assert "Lịch sử báo cáo: Thị trấn Thường Thới Tiền" in history
        assert "20/08/2020" in history and "26/08/2020" in history
        await press(pilot, "escape")
        await pilot.pause()
        assert not isinstance(app.screen, TrendScreen)


async def test_help_lists_every_key_and_q_quits(make_app, wait_for):
    app = make_app(DAY20)
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, "f1")  # typed before the day is read: held until it is
        assert await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen))
        text = rendered_text(app.screen.query_one("#help-text", Static))
        for key in ("/", "Enter", "Tab", "F2", "Esc", "x", "t", "f", "q", "F1"):
            assert key in text
        # what `x` writes, as the export table says (pdf was missing from a typed list)
        exported = [fmt.suffix.lstrip(".") for fmt in board_formats()]
        assert "pdf" in exported
        assert f"xuất {' '.join(exported)} vào exports/" in " ".join(text.split())
        await press(pilot, "escape")
        await press(pilot, "question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        await press(pilot, "escape", "q")
        await pilot.pause()
    assert app.return_code == 0 or app.return_code is None


async def test_keys_typed_in_one_burst_after_slash_reach_the_search(make_app, wait_for):
    """Over SSH or from tmux, '/' and the name can arrive in one read: nothing may be lost."""
    app = make_app(DAY20)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: app.board.consolidation is not None)
        # as a terminal driver does: all keys queued at once, before "/" moves the focus
        for key, char in [
            ("slash", "/"),
            ("p", "p"),
            ("h", "h"),
            ("u", "u"),
            ("space", " "),
            ("t", "t"),
            ("h", "h"),
            ("u", "u"),
            ("a", "a"),
            ("n", "n"),
            ("space", " "),
            ("b", "b"),
            ("enter", "\r"),
        ]:
            app.post_message(events.Key(key, char))
        assert await wait_for(pilot, lambda: isinstance(app.screen, EntryScreen))
        assert app.screen.unit.id == "xa-phu-thuan-b"


async def test_board_keys_do_nothing_inside_the_form(make_app, wait_for):
    app = make_app(DAY20)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: app.board.consolidation is not None)
        await press(pilot, "enter")
        await pilot.pause()
        form = app.screen
        app.set_focus(None)
        await press(pilot, "slash", "t", "x", "f")
        await pilot.pause()
        assert app.screen is form


async def test_keys_typed_in_one_burst_in_the_form_go_to_the_right_inputs(make_app, wait_for):
    """'100<Tab>5' arriving in one read must give 100 and 5, never 1005."""
    app = make_app(NEW_DAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: app.board.consolidation is not None)
        await press(pilot, "enter")
        await pilot.pause()
        for key, char in [
            ("1", "1"),
            ("0", "0"),
            ("0", "0"),
            ("tab", "\t"),
            ("5", "5"),
            ("tab", "\t"),
            ("3", "3"),
        ]:
            app.post_message(events.Key(key, char))
        form = app.screen
        last = form.query_one("#in-hamlets_with_team", Input)
        assert await wait_for(pilot, lambda: last.value == "3")
        assert form.query_one("#in-residents_installed", Input).value == "100"
        assert form.query_one("#in-teams_formed", Input).value == "5"
        assert form.query_one("#in-hamlets_with_team", Input).value == "3"


async def test_ctrl_q_asks_before_dropping_unsaved_figures(make_app, wait_for):
    app = make_app(NEW_DAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: app.board.consolidation is not None)
        await press(pilot, "enter", "7")
        await pilot.pause()
        await press(pilot, "ctrl+q")
        await pilot.pause()
        assert isinstance(app.screen, ChoiceScreen)
        await press(pilot, "n")
        await pilot.pause()
        assert isinstance(app.screen, EntryScreen)
        assert app.screen.query_one("#in-residents_installed", Input).value == "7"
        await press(pilot, "ctrl+q")
        await pilot.pause()
        await press(pilot, "y")
        await pilot.pause()
    assert app.return_code == 0


async def test_form_on_a_broken_file_says_so_and_never_overwrites_it(make_app, data_dir, wait_for):
    path = data_dir / "submissions" / "2020-08-20" / "xa-long-thuan.toml"
    broken = (
        "revision = 1\nreported_at = 2020-08-20 14:00:00+07:00\n"
        '[figures]\nresidents_installed = "nhiều"\n'
    )
    path.write_text(broken, encoding="utf-8")
    app = make_app(DAY20, (15, 3, 0))
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: app.board.consolidation is not None)
        await press(pilot, "slash", *"long thuan", "enter")
        await pilot.pause()
        form = app.screen
        assert "TỆP ĐANG BỊ LỖI" in str(form.query_one("#entry-title", Static).render())
        await press(pilot, *"950", "ctrl+s")
        await pilot.pause()
        assert app.screen is form
    assert path.read_text(encoding="utf-8") == broken


async def test_editing_a_figure_keeps_the_exact_time_reported(make_app, data_dir, wait_for):
    """The form shows HH:MM; an untouched time must not lose its seconds (late stays late)."""
    app = make_app(NEW_DAY, (15, 20, 0))
    other = Store(data_dir, app.registry)
    tz = app.registry.timezone
    submit(
        other,
        "xa-long-khanh-b",
        NEW_DAY,
        {"residents_installed": "700"},
        now=datetime(2020, 8, 27, 15, 10, tzinfo=tz),
        reported_at=datetime(2020, 8, 27, 15, 0, 40, tzinfo=tz),
    )
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: app.board.consolidation is not None)
        assert state_of(app, "xa-long-khanh-b") is State.LATE
        await press(pilot, "slash", *"long khanh b", "enter")
        await pilot.pause()
        app.screen.query_one("#in-teams_formed", Input).value = "4"
        await press(pilot, "ctrl+s")
        await pilot.pause()
        assert not isinstance(app.screen, EntryScreen)
        text = (data_dir / "submissions" / "2020-08-27" / "xa-long-khanh-b.toml").read_text()
        assert "reported_at = 2020-08-27 15:00:40+07:00" in text and "teams_formed = 4" in text
        assert await wait_for(pilot, lambda: state_of(app, "xa-long-khanh-b") is State.LATE)


async def test_a_report_timed_a_little_ahead_appears_when_its_time_comes(
    make_app, data_dir, wait_for
):
    app = make_app(NEW_DAY, (14, 40, 0))
    tz = app.registry.timezone
    submit(
        Store(data_dir, app.registry),
        "xa-phu-thuan-b",
        NEW_DAY,
        {"residents_installed": "900"},
        now=datetime(2020, 8, 27, 14, 40, tzinfo=tz),
        reported_at=datetime(2020, 8, 27, 14, 58, tzinfo=tz),
        confirm_warnings=True,
    )
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: app.board.consolidation is not None)
        assert state_of(app, "xa-phu-thuan-b") is State.NOT_YET_DUE
        app.clock.set(datetime(2020, 8, 27, 14, 56, tzinfo=tz))  # within 5 minutes of 14:58
        assert await wait_for(pilot, lambda: state_of(app, "xa-phu-thuan-b") is State.ON_TIME)


async def test_the_board_header_and_the_reminders_agree_on_the_time_left(make_app, wait_for):
    """At 14:50:09 9 min 51 s are left before 15:00: rounded up, as the reminders say."""
    from bluezone_tui.day.remind import time_left

    app = make_app(NEW_DAY, (14, 50, 9))
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: app.board.consolidation is not None)
        now = app.clock()
        deadline = now.replace(hour=15, minute=0, second=0)
        assert time_left(now, deadline) == "còn 10 phút"
        bar = str(app.query_one("#clock-bar", Static).render())
        assert "15:00 còn 0:10" in bar and "16:30 còn 1:40" in bar, bar


async def test_a_quiet_poll_reads_no_file_and_an_edit_in_place_is_read(
    make_app, data_dir, wait_for, monkeypatch
):
    # the poll driven by hand (its timer an hour): no timing in the test
    app = make_app(DAY20, (16, 0, 0), poll=3600.0)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: app.board.consolidation is not None)
        reads: list[object] = []
        read_day = app.store.read_day

        def counted(*args, **kwargs):
            reads.append(args)
            return read_day(*args, **kwargs)

        monkeypatch.setattr(app.store, "read_day", counted)
        board = app.board
        for _ in range(5):
            assert board.compute(DAY20) is None  # nothing changed: nothing computed
        assert reads == []  # nor any file stat'ed or read
        path = data_dir / "submissions" / "2020-08-20" / "xa-long-khanh-a.toml"
        old = path.read_text("utf-8")
        assert "residents_installed = 792" in old
        with open(path, "r+", encoding="utf-8") as file:  # in place: same inode, folder untouched
            file.write(old.replace("residents_installed = 792", "residents_installed = 793"))
        for _ in range(61):  # inotify: the next poll; without it, within a sweep
            consolidation = board.compute(DAY20)
            if consolidation is not None:
                break
        assert consolidation is not None
        row = next(r for r in consolidation.rows if r.status.unit.id == "xa-long-khanh-a")
        assert row.figures["residents_installed"] == 793
        # a write in place that keeps the size and puts the modification time back
        st = path.stat()
        with open(path, "r+", encoding="utf-8") as file:
            file.write(
                path.read_text("utf-8").replace(
                    "residents_installed = 793", "residents_installed = 799"
                )
            )
        os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
        assert (path.stat().st_size, path.stat().st_mtime_ns) == (st.st_size, st.st_mtime_ns)
        for _ in range(61):
            consolidation = board.compute(DAY20)
            if consolidation is not None:
                break
        assert consolidation is not None
        row = next(r for r in consolidation.rows if r.status.unit.id == "xa-long-khanh-a")
        assert row.figures["residents_installed"] == 799
