"""A broken data folder: the board stays up, says what is wrong, and recovers when fixed."""

from __future__ import annotations

import shutil
from datetime import date

from textual.widgets import Static

from bluezone_tui.tui.screens.board import BoardScreen
from helpers.data import REPO
from helpers.pilot import keys_handled, press, screen_lines

DAY = date(2020, 8, 26)


def problems_line(app) -> str:  # type: ignore[no-untyped-def]
    widget = app.board.query_one("#folder-problems", Static)
    return str(widget.render()) if widget.display else ""


async def test_submissions_that_is_a_file_keeps_the_board_up(make_app, data_dir, wait_for):
    shutil.rmtree(data_dir / "submissions")
    (data_dir / "submissions").write_text("not a folder\n")
    app = make_app(DAY, (15, 30, 0), poll=0.1)
    async with app.run_test(size=(80, 24)) as pilot:
        assert await wait_for(pilot, lambda: "submissions" in problems_line(app))
        assert "Không đọc được số liệu ngày 26/08/2020" in "\n".join(screen_lines(app))
        # the day was read, and why it cannot be shown is said: keys are not held for it
        # (they waited SETTLE_LIMIT, 3 s, each: q, g or F1 seemed dead)
        assert app.board.ready_for_keys
        for key in ("t", "x", "enter", "slash", "escape"):  # none of them may crash
            await press(pilot, key)
            await pilot.pause()
            assert isinstance(app.screen, BoardScreen)
        # fixed by hand while the board runs: it reads the day again
        (data_dir / "submissions").unlink()
        shutil.copytree(REPO / "submissions", data_dir / "submissions")
        assert await wait_for(pilot, lambda: app.board.consolidation is not None)
        assert await wait_for(pilot, lambda: problems_line(app) == "")
        assert await wait_for(pilot, lambda: keys_handled(app))
    assert app.return_code is None  # never quit by itself


async def test_a_day_folder_broken_while_the_board_runs_leaves_no_stale_figures(
    make_app, data_dir, wait_for
):
    app = make_app(DAY, (15, 30, 0), poll=0.1)
    async with app.run_test(size=(80, 24)) as pilot:
        assert await wait_for(pilot, lambda: app.board.consolidation is not None)
        day_dir = data_dir / "submissions" / "2020-08-26"
        shutil.rmtree(day_dir)
        day_dir.write_text("")  # what a bad sync or a slip of the hand can leave
        assert await wait_for(pilot, lambda: "2020-08-26" in problems_line(app))
        assert app.board.consolidation is None and app.board.table.lines == []
        lines = "\n".join(screen_lines(app))
        assert "Không đọc được số liệu ngày 26/08/2020" in lines
        assert "chưa báo cáo" not in lines and "đúng hạn" not in lines


async def test_a_stray_file_in_the_day_folder_is_named_and_the_day_still_shows(
    make_app, data_dir, wait_for
):
    (data_dir / "submissions" / "2020-08-26" / "xa-khong-co.toml").write_text("revision = 1\n")
    app = make_app(DAY, (15, 30, 0), poll=0.1)
    async with app.run_test(size=(80, 24)) as pilot:
        assert await wait_for(pilot, lambda: app.board.consolidation is not None)
        assert await wait_for(pilot, lambda: "xa-khong-co.toml" in problems_line(app))
        assert "đúng hạn" in "\n".join(screen_lines(app))


async def test_what_the_views_skip_is_named_on_the_board(make_app, data_dir, wait_for):
    """Issue 20: a day folder misnamed `2020-8-25` and a unit's file named `….TOML`; the
    board said nothing and showed the unit as not reported."""
    submissions = data_dir / "submissions"
    (submissions / "2020-08-25").rename(submissions / "2020-8-25")
    own = submissions / "2020-08-26" / "xa-long-khanh-b.toml"
    own.rename(own.with_name("xa-long-khanh-b.TOML"))
    app = make_app(DAY, (15, 30, 0), poll=0.1)
    async with app.run_test(size=(100, 30)) as pilot:
        assert await wait_for(pilot, lambda: app.board.consolidation is not None)
        assert await wait_for(pilot, lambda: "2020-8-25" in problems_line(app))
        status = app.board.consolidation.status.of("xa-long-khanh-b")
        assert status.state.unreadable and "«xa-long-khanh-b.TOML»" in status.aside.text
