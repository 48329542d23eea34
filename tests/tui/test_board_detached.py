"""The board on a data folder whose git is on no branch (a detached HEAD: someone ran
`git checkout <older commit>` in it): the warning `status`, `export` and `check` give,
in the same words, over the table; kept current while the board is open (detached, back
on a branch); a save refused with `submit`'s message, nothing typed lost.

Real git in temp folders: a bare origin and a clone (tests/helpers/offices.py).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input

from bluezone_tui.git.repository import detached_view_problem
from bluezone_tui.tui.screens.entry import EntryScreen
from bluezone_tui.tui.widgets.clamped_text import ClampedText
from bluezone_tui.tui.widgets.fit import ELLIPSIS
from helpers.data import DEMO_DAY
from helpers.offices import DAY, clone, make_origin, needs_git
from helpers.pilot import (
    board_app,
    keys_handled,
    loaded,
    notified,
    press,
    rendered_text,
    wait_for,
)

pytestmark = needs_git
UNIT = "xa-long-khanh-b"


def views_warning(office) -> str:  # type: ignore[no-untyped-def]
    """The warning `bluezone status` gives on stderr, without its "cảnh báo: "."""
    code, _, err = office.run("status", "--date", DAY, "--now", f"{DAY}T16:00")
    assert code == 0, err
    [line] = [line for line in err.splitlines() if "detached HEAD" in line]
    return line.removeprefix("cảnh báo: ")


def head_line(app) -> ClampedText:  # type: ignore[no-untyped-def]
    return app.board.query_one("#head-problem", ClampedText)


def drawn_whole(app, text: str) -> bool:  # type: ignore[no-untyped-def]
    """The warning is drawn whole: every character of `text`, in order, none cut with "…"
    (a path longer than the line is broken where the line ends)."""
    drawn = rendered_text(head_line(app))
    return ELLIPSIS not in drawn and "".join(drawn.split()) == "".join(text.split())


@pytest.mark.parametrize("size", [(80, 24), (60, 20)], ids=lambda s: f"{s[0]}x{s[1]}")
async def test_a_board_opened_on_a_detached_head_shows_the_views_warning_whole(offices, size):
    district, _ = offices
    district.submit(UNIT, "14:40", "residents_installed=433")
    district.git("checkout", "--quiet", "--detach", "HEAD~1")  # before that save
    warning = views_warning(district)
    assert f"git -C {district.path} switch main" in warning
    app = board_app(district.path, DEMO_DAY, (16, 0), poll=0.1)
    async with app.run_test(size=size) as pilot:
        await loaded(pilot)
        assert await wait_for(pilot, lambda: head_line(app).text)
        assert head_line(app).text == f"⚠ {warning}"  # the same words, from the same place
        assert drawn_whole(app, f"⚠ {warning}")
        assert app.board.consolidation.status.of(UNIT).submission is None  # that commit's


async def test_a_head_detached_and_put_back_while_the_board_is_open_is_said_each_time(
    offices, wait_for
):
    district, _ = offices
    app = board_app(district.path, DEMO_DAY, (16, 0), poll=0.1)
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        await pilot.pause(0.3)
        assert head_line(app).text == "" and not head_line(app).display
        # the same commit, so no file of the day changes: the HEAD alone is watched
        district.git("checkout", "--quiet", "--detach")
        assert await wait_for(pilot, lambda: "detached HEAD" in head_line(app).text)
        assert head_line(app).display
        warning = detached_view_problem(app.repository)  # status's words (the test above)
        assert warning is not None and head_line(app).text == f"⚠ {warning.message}"
        district.git("switch", "--quiet", "main")
        assert await wait_for(pilot, lambda: head_line(app).text == "")
        assert not head_line(app).display
        assert await notified(pilot, "Kho git của thư mục dữ liệu đã trở lại nhánh «main»")
        district.git("checkout", "--quiet", "--detach")  # and once more: said again
        assert await wait_for(pilot, lambda: "detached HEAD" in head_line(app).text)


async def test_a_save_on_a_detached_head_is_refused_as_submit_refuses_it_and_keeps_the_form(
    offices, wait_for
):
    district, _ = offices
    district.git("checkout", "--quiet", "--detach")
    code, _, err = district.submit(UNIT, "14:40", "residents_installed=433", check=False)
    assert code == 2
    refusal = err.strip().removeprefix("bluezone: ")
    assert "không lưu số liệu ở đây" in refusal and "switch main" in refusal
    head = district.git("rev-parse", "HEAD")
    app = board_app(district.path, DEMO_DAY, (14, 50), poll=0.1)
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        await press(pilot, "slash", *"long khanh b", "enter")
        assert await wait_for(pilot, lambda: isinstance(app.screen, EntryScreen))
        await press(pilot, *"433", "f2")
        assert await wait_for(pilot, lambda: keys_handled(app) and not app.screen.saving)
        assert await notified(pilot, refusal, "số bạn gõ vẫn còn trong biểu mẫu")
        assert isinstance(app.screen, EntryScreen)  # still open, the figure still typed
        assert app.screen.query_one("#in-residents_installed", Input).value == "433"
        assert app.screen.dirty
        assert not district.file(DAY, UNIT).exists()  # nothing written
        assert district.git("rev-parse", "HEAD") == head  # nothing committed
        assert district.git("status", "--porcelain") == ""
        district.git("switch", "--quiet", "main")  # the way back the message gives
        await press(pilot, "f2")  # the same form, the same F2 (HUONG-DAN §6)
        assert await wait_for(pilot, lambda: not isinstance(app.screen, EntryScreen))
    assert district.figures(UNIT)["figures"]["residents_installed"] == 433
    assert district.log("-1")[0].startswith(f"{UNIT} {DAY}")


@pytest.mark.parametrize("size", [(80, 24), (60, 20)], ids=lambda s: f"{s[0]}x{s[1]}")
def test_snapshot_of_the_board_on_a_detached_head(
    tmp_path, git_env, capsys, monkeypatch, snap_compare, size
):
    """The warning over the table, whole, at both sizes. The same picture every run: the
    data folder named as typed ("huyen", from its parent) and the commits at set dates."""
    for name in ("GIT_AUTHOR_DATE", "GIT_COMMITTER_DATE"):
        monkeypatch.setenv(name, "2020-08-20T08:00:00+07:00")
    origin, _ = make_origin(tmp_path)
    district = clone(origin, tmp_path / "huyen", "huyen", capsys)
    district.git("checkout", "--quiet", "--detach")
    monkeypatch.chdir(tmp_path)
    app = board_app(Path("huyen"), DEMO_DAY, (16, 0), poll=60)

    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await loaded(pilot)
        assert await wait_for(pilot, lambda: head_line(app).text)
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=run_before)
