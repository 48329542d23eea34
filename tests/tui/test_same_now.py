"""Every view at the same moment: the trend counts only what the board says has arrived."""

from __future__ import annotations

from datetime import date, datetime

from textual.widgets import Static

from bluezone_tui.day.entry import submit
from bluezone_tui.day.state import State
from bluezone_tui.day.store import Store
from bluezone_tui.tui.screens.trend import TrendScreen
from helpers.pilot import loaded, press

NEW_DAY = date(2020, 8, 27)


async def test_trend_does_not_count_a_report_the_board_says_has_not_arrived(make_app, data_dir):
    app = make_app(NEW_DAY, (14, 50, 0), poll=60)
    tz = app.registry.timezone
    submit(
        Store(data_dir, app.registry),
        "xa-phu-thuan-b",
        NEW_DAY,
        {"residents_installed": "5000"},
        now=datetime(2020, 8, 27, 14, 40, tzinfo=tz),
        reported_at=datetime(2020, 8, 27, 14, 58, tzinfo=tz),
        confirm_warnings=True,
        note="đợt vận động lớn",
    )
    async with app.run_test(size=(100, 40)) as pilot:
        await loaded(pilot)
        board = app.board
        assert board.consolidation.status.of("xa-phu-thuan-b").state is State.NOT_YET_DUE
        board.table.go_to("xa-phu-thuan-b")
        await press(pilot, "t")
        await pilot.pause()
        assert isinstance(app.screen, TrendScreen)
        trend = app.screen.trend
        assert trend.days[-1] == NEW_DAY
        assert trend.installs[-1] == board.consolidation.installs  # 5000 not counted yet
        assert trend.reports["xa-phu-thuan-b"][-1].day != NEW_DAY
        history = str(app.screen.query_one("#trend-unit", Static).render())
        assert "27/08/2020" not in history and "26/08/2020" in history
