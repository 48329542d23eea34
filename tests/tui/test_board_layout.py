"""The board and the form at 60×20, 80×24 and 120×40: every number whole, text cut only with "…"."""

from __future__ import annotations

import re
from datetime import date, datetime

import pytest
from rich.cells import cell_len
from textual.widgets import Input, Static

from bluezone_tui.base.vn import fmt_int, fmt_percent, fmt_signed
from bluezone_tui.day.entry import submit
from bluezone_tui.day.state import State
from bluezone_tui.day.store import Store
from bluezone_tui.tui.widgets.status_table import NUMBER_TITLES, column_layout
from helpers.pilot import footer_drawn, loaded, press, screen_lines

DAY = date(2020, 8, 26)
NEW_DAY = date(2020, 8, 27)


def unit_lines(app) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """unit id -> its row as drawn, for every unit row on screen."""
    table = app.board.table
    top = round(table.scroll_offset.y)
    rows = {}
    for y in range(1, table.size.height):
        index = y - 1 + top
        if index < len(table.lines) and table.lines[index].row is not None:
            rows[table.lines[index].row.unit.id] = table.render_line(y).text
    return rows


@pytest.mark.parametrize("size", [(60, 20), (80, 24), (120, 40)])
async def test_every_number_on_a_row_is_whole(make_app, size):
    app = make_app(DAY, (15, 30, 0), poll=60)
    async with app.run_test(size=size) as pilot:
        await loaded(pilot)
        table = app.board.table
        width = table.content_width
        layout = column_layout(width, table.needs)
        header = table.render_line(0).text
        lines = unit_lines(app)
        assert lines
        for row in app.board.consolidation.rows:
            line = lines.get(row.unit.id)
            if line is None or row.status.state is State.FILE_ERROR:
                continue
            tokens = line.split()
            if row.headline is not None:
                assert fmt_int(row.headline) in tokens, line
            if row.rate is not None and layout.numbers[2] is not None:
                assert fmt_percent(row.rate) in tokens, line
            if row.change is not None and layout.numbers[3] is not None:
                assert fmt_signed(row.change) in tokens, line
        for title, shown in zip(NUMBER_TITLES, layout.numbers, strict=True):
            assert (title in header) == (shown is not None)
        # the rows are drawn in the width left by the scrollbar, not under it
        assert width == table.size.width - (1 if table.show_vertical_scrollbar else 0)
        assert all(cell_len(table.render_line(y).text) == width for y in range(table.size.height))


async def test_at_80_columns_a_cut_title_keeps_its_ellipsis_beside_the_scrollbar(make_app):
    app = make_app(DAY, (15, 30, 0), poll=60)
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        header = screen_lines(app)[3]
        assert "Liên hệ / gh…" in header or "Liên hệ / ghi chú" in header
        phones = [line for line in screen_lines(app) if "0277 3800 10" in line]
        assert phones and all(re.search(r"0277 3800 10\d", line) for line in phones)


async def test_wide_terminal_gives_the_extra_width_to_the_contact_and_note(make_app):
    app = make_app(DAY, (15, 30, 0), poll=60)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        header = app.board.table.render_line(0).text
        name_start = header.index("Đơn vị")
        time_start = header.index("Lúc")
        assert time_start - name_start <= app.board.table.needs.name + 1
        assert "Liên hệ / ghi chú" in header


async def test_status_words_are_whole_at_60_columns(make_app):
    app = make_app(date(2020, 8, 27), (15, 30, 0), poll=60)  # nobody has reported yet
    async with app.run_test(size=(60, 20)) as pilot:
        await loaded(pilot)
        await press(pilot, "end")
        await pilot.pause()
        seen = set()
        for row in app.board.consolidation.rows:
            line = unit_lines(app).get(row.unit.id)
            if line is not None:
                state = row.status.state
                assert line.startswith(f"{state.symbol} {state.label} "), line
                seen.add(state)
        assert State.NO_REPORT in seen  # "- chưa có số liệu", the longest, at the end


async def test_the_line_under_the_table_wraps_and_keeps_the_phone_whole(make_app):
    app = make_app(DAY, (15, 30, 0), poll=60)
    async with app.run_test(size=(60, 20)) as pilot:
        await loaded(pilot)
        app.board.table.go_to("xa-long-khanh-b")  # missing: "liên hệ ... 0277 3800 107"
        await pilot.pause()
        detail = str(app.board.query_one("#detail", Static).render()).split("\n")
        assert any("0277 3800 107" in line for line in detail)  # on one line
        assert len(detail) <= 2 and all(cell_len(line) <= 58 for line in detail)


async def test_a_count_never_wraps_away_from_its_word(make_app, data_dir):
    """At 60 columns "· chờ 0 · lỗi tệp 1" wrapped as "chờ" / "0 · lỗi tệp 1"."""
    app = make_app(NEW_DAY, (15, 20, 0), poll=60)
    store, tz = Store(data_dir, app.registry), app.registry.timezone
    for unit_id, value, hour, minute in (
        ("tt-thuong-thoi-tien", "1466", 14, 30),
        ("xa-phu-thuan-b", "904", 11, 0),
        ("xa-long-khanh-a", "1330", 13, 0),
        ("xa-thuong-phuoc-1", "1301", 15, 10),
    ):
        submit(
            store,
            unit_id,
            NEW_DAY,
            {"residents_installed": value},
            now=datetime(2020, 8, 27, hour, minute, tzinfo=tz),
        )
    (data_dir / "submissions" / "2020-08-27" / "xa-long-thuan.toml").write_text("<<<<<<< HEAD\n")
    async with app.run_test(size=(60, 20)) as pilot:
        await loaded(pilot)
        top = screen_lines(app)[:6]  # the clock bar and the summary, wrapped at 60
        for group in (
            "27/08/2020 15:20:00",
            "15:00 đã qua",
            "16:30 còn 1:10",
            "Báo cáo 4/13 (30,77%)",
            "thiếu 8",
            "chờ 0",
            "lỗi tệp 1",
            "8,57% (+287)",
        ):
            assert any(group in line for line in top), (group, top)


async def test_form_inputs_and_previous_figures_are_whole(make_app):
    app = make_app(date(2020, 8, 27), (14, 0, 0), poll=60)
    for size in ((80, 24), (60, 20)):
        async with app.run_test(size=size) as pilot:
            await loaded(pilot)
            app.board.open_unit("xa-long-khanh-b")
            await pilot.pause()
            form = app.screen
            note = form.query_one("#in-note", Input)
            assert note.size.width >= 30 if size[0] == 80 else note.size.width >= 12
            for prev in form.query(".entry-prev"):
                text = str(prev.render())
                assert cell_len(text) <= prev.content_size.width, (size, text)
            assert "trước: 691" in "\n".join(screen_lines(app))
        app = type(app)(app.data_dir, app.registry, app.board.day, app.clock, poll_seconds=60)


async def test_trend_lines_keep_each_rate_beside_its_name_at_60_columns(make_app):
    app = make_app(DAY, (15, 30, 0), poll=60)
    async with app.run_test(size=(60, 20)) as pilot:
        await loaded(pilot)
        await press(pilot, "t")
        await pilot.pause()
        widget = app.screen.query_one("#trend-district", Static)
        lines = str(widget.render()).split("\n")
        units = [line for line in lines if line.startswith("  ") and "Xã" in line]
        assert len(units) >= 9
        assert all(re.search(r"\d+,\d\d%$", line) for line in units), units
        assert all(cell_len(line) <= widget.content_size.width for line in lines)


@pytest.mark.parametrize("size", [(60, 20), (80, 24)])
async def test_every_key_of_the_board_shows_in_its_footer(make_app, size):
    """A key that falls off the right edge is a key the clerk never learns about."""
    app = make_app(DAY, (15, 30, 0), poll=60)
    async with app.run_test(size=size) as pilot:
        await loaded(pilot)
        shown = [
            b
            for b in app.board.BINDINGS  # type: ignore[union-attr]
            if b.show and app.board.check_action(b.action, ())
        ]
        assert len(shown) == 8  # g (sync) is there only with history on: test_board_git
        footer = (await footer_drawn(pilot, [b.description for b in shown]))[-1]
        for binding in shown:
            assert binding.description in footer, (binding.description, footer)
        assert cell_len(footer.rstrip()) <= size[0]


async def test_a_late_report_in_the_deadlines_minute_shows_its_seconds(make_app, data_dir):
    """15:00:40 is late: the row must not say 15:00 beside "trễ hạn"."""
    path = data_dir / "submissions" / DAY.isoformat() / "xa-long-khanh-b.toml"
    path.write_text(
        re.sub(
            r"(?m)^reported_at = .*$", "reported_at = 2020-08-26 15:00:40+07:00", path.read_text()
        )
    )
    app = make_app(DAY, (16, 0, 0), poll=60)
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        line = unit_lines(app)["xa-long-khanh-b"]
        assert "15:00:40" in line and "trễ" in line, line
