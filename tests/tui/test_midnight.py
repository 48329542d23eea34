"""Left open overnight: the board follows the day in the registry's timezone."""

from __future__ import annotations

from datetime import date, datetime

from textual.widgets import Input, Static

from bluezone_tui.tui.screens.entry import EntryScreen
from helpers.pilot import loaded, notified, press, screen_lines

DAY = date(2020, 8, 26)
NEXT = date(2020, 8, 27)


def clock_bar(app) -> str:  # type: ignore[no-untyped-def]
    return str(app.board.query_one("#clock-bar", Static).render())


async def test_board_moves_to_the_new_day_at_midnight_and_says_so(make_app, data_dir, wait_for):
    app = make_app(DAY, (23, 59, 58), poll=0.1, follow_today=True)
    tz = app.registry.timezone
    yesterday = data_dir / "submissions" / "2020-08-26"
    before = sorted((p.name, p.read_bytes()) for p in yesterday.iterdir())
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        assert "26/08/2020 23:59:58" in clock_bar(app)
        app.clock.set(datetime(2020, 8, 27, 0, 0, 1, tzinfo=tz))
        assert await wait_for(pilot, lambda: app.board.day == NEXT)
        assert await wait_for(
            pilot,
            lambda: (
                app.board.consolidation is not None and app.board.consolidation.status.day == NEXT
            ),
        )
        assert "27/08/2020 00:00:01" in clock_bar(app) and "xem ngày" not in clock_bar(app)
        assert await notified(pilot, "chuyển sang ngày 27/08/2020")
        # figures keyed after midnight land in the new day's folder
        app.board.open_unit("xa-long-khanh-b")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, EntryScreen) and form.day == NEXT
        form.query_one("#in-residents_installed", Input).value = "700"
        form.query_one("#in-note", Input).value = "sáng sớm"
        await press(pilot, "ctrl+s")
        await pilot.pause()
        assert (data_dir / "submissions" / "2020-08-27" / "xa-long-khanh-b.toml").exists()
        assert sorted((p.name, p.read_bytes()) for p in yesterday.iterdir()) == before


async def test_a_board_opened_on_a_given_date_stays_on_it(make_app, wait_for):
    app = make_app(DAY, (23, 59, 58), poll=0.1, follow_today=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        app.clock.set(datetime(2020, 8, 27, 0, 0, 1, tzinfo=app.registry.timezone))
        assert await wait_for(pilot, lambda: "xem ngày 26/08/2020" in clock_bar(app))
        assert app.board.day == DAY


async def test_a_form_open_across_midnight_says_which_day_it_is_for(make_app, wait_for):
    app = make_app(DAY, (23, 59, 0), poll=0.1, follow_today=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        app.board.open_unit("xa-long-khanh-b")
        await pilot.pause()
        form = app.screen
        banner = form.query_one("#entry-day", Static)
        assert not banner.display  # today's form: nothing to say
        app.clock.set(datetime(2020, 8, 27, 0, 1, tzinfo=app.registry.timezone))
        assert await wait_for(pilot, lambda: banner.display)
        text = str(banner.render())
        assert "26/08/2020" in text and "không phải hôm nay" in text and "27/08/2020" in text
        assert await wait_for(
            pilot, lambda: any("Số liệu ngày 26/08/2020" in line for line in screen_lines(app)[:4])
        )
        # it stands out: its own background, not the title's
        assert banner.styles.background != form.query_one("#entry-title").styles.background
