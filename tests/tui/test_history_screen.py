"""h on the board: every version of the highlighted unit's figures for the board's day.

Real git in temp folders (tests/helpers/offices.py): the board runs on the district's
clone, the versions are made with `bluezone submit` as a clerk would.
"""

from __future__ import annotations

import threading
from datetime import date

import pytest
from textual.widgets import Static

from bluezone_tui.git import history as history_module
from bluezone_tui.git.command import GitError
from bluezone_tui.tui.app import BoardApp
from bluezone_tui.tui.screens.board import BoardScreen
from bluezone_tui.tui.screens.history import READING, HistoryScreen
from helpers.offices import needs_git
from helpers.pilot import board_app, footer_drawn, press

DAY = "2020-08-20"
UNIT = "xa-long-khanh-b"


def board(folder, day: date = date(2020, 8, 20)) -> BoardApp:  # type: ignore[no-untyped-def]
    return board_app(folder, day, (16, 0), poll=0.1)


def body(app) -> str:  # type: ignore[no-untyped-def]
    return str(app.screen.query_one("#history-text", Static).render())


def two_saves(office) -> None:  # type: ignore[no-untyped-def]
    for now, figure, who in (("14:40", "433", "lan"), ("15:10", "450", "minh")):
        code, _, err = office.run(
            "submit", UNIT, "--date", DAY, "--now", f"{DAY}T{now}",
            f"residents_installed={figure}", "--reported-at", "14:30", "--entered-by", who,
        )  # fmt: skip
        assert code == 0, err


async def open_history(pilot, app, wait_for) -> None:  # type: ignore[no-untyped-def]
    await wait_for(pilot, lambda: app.board.consolidation is not None)
    assert app.board.table.go_to(UNIT)
    await press(pilot, "h")
    assert await wait_for(pilot, lambda: isinstance(app.screen, HistoryScreen))


@needs_git
@pytest.mark.parametrize("size", [(60, 20), (80, 24)])
async def test_h_shows_every_version_of_the_highlighted_unit(offices, wait_for, size):
    district, _ = offices
    two_saves(district)
    app = board(district.path)
    async with app.run_test(size=size) as pilot:
        await open_history(pilot, app, wait_for)
        assert await wait_for(pilot, lambda: READING not in body(app))
        text = body(app)
        assert "bản 1 · nhập 20/08/2020 14:40 · lan" in text
        assert "bản 2 · nhập 20/08/2020 15:10 · minh" in text
        assert "– → 433" in text and "433 → 450" in text
        lines = await footer_drawn(pilot, ["Quay lại"])
        screen = "\n".join(lines)
        assert "Lịch sử Xã Long Khánh B" in screen and "2 phiên bản" in screen
        assert "Quay lại" in lines[-1]
        await press(pilot, "escape")
        assert isinstance(app.screen, BoardScreen)
        assert app.board.table.current_unit_id == UNIT  # back where the clerk was


@needs_git
async def test_the_board_names_h_beside_a_unit_that_has_figures(offices, wait_for):
    district, _ = offices
    two_saves(district)
    app = board(district.path)
    async with app.run_test(size=(60, 20)) as pilot:
        await wait_for(pilot, lambda: app.board.consolidation is not None)
        assert app.board.table.go_to(UNIT)
        detail = app.board.query_one("#detail", Static)
        assert await wait_for(pilot, lambda: "h xem lịch sử" in str(detail.render()))


@needs_git
async def test_git_runs_in_a_worker_and_its_failure_is_one_line(offices, wait_for, monkeypatch):
    district, _ = offices

    asked, git_answers = threading.Event(), threading.Event()

    def broken(*args, **kwargs):  # type: ignore[no-untyped-def]
        asked.set()
        git_answers.wait(10)
        raise GitError("git log không thành công: fatal: bad object HEAD")

    monkeypatch.setattr(history_module, "unit_history", broken)
    app = board(district.path)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_history(pilot, app, wait_for)  # opened while git has not answered yet
        assert await wait_for(pilot, asked.is_set)  # the worker waits on git
        assert body(app) == READING
        git_answers.set()
        assert await wait_for(pilot, lambda: READING not in body(app))
        assert (
            body(app) == "Không xem được lịch sử: git log không thành công: fatal: bad object HEAD"
        )
        await press(pilot, "q")  # q goes back here, it does not quit the board
        assert isinstance(app.screen, BoardScreen)
    assert app.return_code is None


async def test_h_with_history_off_says_so_in_one_line(make_app, data_dir, wait_for):
    """The demo data says `history: none`: h says what `bluezone history` says."""
    app = make_app(date(2020, 8, 20), (16, 0, 0))
    async with app.run_test(size=(60, 20)) as pilot:
        await open_history(pilot, app, wait_for)
        assert await wait_for(pilot, lambda: READING not in body(app))
        text = body(app)
        assert text.startswith("Phím h cần lịch sử git, nhưng thư mục dữ liệu")
        assert "history: none" in text and "\n" not in text
        assert "h xem lịch sử" not in str(app.board.query_one("#detail", Static).render())
        await press(pilot, "h")
        assert isinstance(app.screen, BoardScreen)
