"""The board on a data folder whose git is not on a branch (issue 20's class: a detached
HEAD, a rebase stopped at a conflict, an unborn branch, a HEAD git cannot read, a
checked-out commit whose units.yaml says `history: none`): the warning `status`,
`export` and `check` give, its first words over the table and the whole of it on F1;
kept current while the board is open; every save (the form's F2, the conflict form's
F2) refused with `submit`'s message, nothing typed lost, nothing written.

Real git in temp folders: a bare origin and a clone (tests/helpers/offices.py).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input, Static

from bluezone_tui.git.head import head_state
from bluezone_tui.tui.screens.conflict import ConflictScreen
from bluezone_tui.tui.screens.entry import EntryScreen
from bluezone_tui.tui.screens.help import HelpScreen
from bluezone_tui.tui.widgets.clamped_text import ClampedText
from bluezone_tui.tui.widgets.fit import ELLIPSIS
from helpers.data import DEMO_DAY
from helpers.offices import DAY, clone, make_origin, needs_git, registry_text
from helpers.pilot import (
    board_app,
    keys_handled,
    loaded,
    notified,
    press,
    rendered_text,
    screen_lines,
    wait_for,
)

pytestmark = needs_git
UNIT = "xa-long-khanh-b"


def views_warning(office) -> str:  # type: ignore[no-untyped-def]
    """The warning `bluezone status` gives on stderr, without its "cảnh báo: "."""
    code, _, err = office.run("status", "--date", DAY, "--now", f"{DAY}T16:00")
    assert code in (0, 1), err  # 1: a conflict in the day's files
    [line] = [line for line in err.splitlines() if "kho git của thư mục dữ liệu" in line]
    return line.removeprefix("cảnh báo: ")


def head_line(app) -> ClampedText:  # type: ignore[no-untyped-def]
    return app.board.query_one("#head-problem", ClampedText)


def drawn_whole(app, text: str) -> bool:  # type: ignore[no-untyped-def]
    """The line is drawn whole: every character of `text`, in order, none cut with "…"."""
    drawn = rendered_text(head_line(app))
    return ELLIPSIS not in drawn and "".join(drawn.split()) == "".join(text.split())


async def help_warning(pilot, app) -> str:  # type: ignore[no-untyped-def]
    """F1's box: the warning at its top, as drawn (then closed again)."""
    await press(pilot, "f1")
    assert await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen))
    text = rendered_text(app.screen.query_one("#help-warning", Static))
    await press(pilot, "escape")
    assert await wait_for(pilot, lambda: not isinstance(app.screen, HelpScreen))
    return text


def table_rows(app) -> int:  # type: ignore[no-untyped-def]
    """Units' rows the table shows on screen (a state's word starts each)."""
    states = ("✗ chưa báo cáo", "✓ đúng hạn", "· chưa đến", "! trễ", "⇄ xung đột")
    return sum(1 for line in screen_lines(app) if line.lstrip().startswith(states))


@pytest.mark.parametrize("size", [(80, 24), (60, 20)], ids=lambda s: f"{s[0]}x{s[1]}")
async def test_a_board_opened_on_a_detached_head_says_so_in_short_and_whole_on_f1(offices, size):
    """The warning's first words over the table (2 lines at 60 columns: the tester's
    60x20 had 4 rows left under its 5), the whole of it, status's very words, on F1."""
    district, _ = offices
    district.submit(UNIT, "14:40", "residents_installed=433")
    district.git("checkout", "--quiet", "--detach", "HEAD~1")  # before that save
    warning = views_warning(district)
    assert f"git -C {district.path} switch main" in warning
    state = head_state(district.path)
    assert state is not None and warning == state.warning()
    app = board_app(district.path, DEMO_DAY, (16, 0), poll=0.1)
    async with app.run_test(size=size) as pilot:
        await loaded(pilot)
        assert await wait_for(pilot, lambda: head_line(app).text)
        assert head_line(app).text == f"⚠ {state.headline()}"
        assert state.headline().startswith("Kho git không ở trên nhánh nào (detached HEAD")
        assert drawn_whole(app, f"⚠ {state.headline()}")
        assert len(rendered_text(head_line(app)).splitlines()) <= 2
        assert table_rows(app) >= (5 if size == (60, 20) else 9)
        assert app.board.consolidation.status.of(UNIT).submission is None  # that commit's
        assert "".join((await help_warning(pilot, app)).split()) == "".join(f"⚠ {warning}".split())


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
        state = head_state(district.path)  # what status says (the test above)
        assert state is not None and app.board.head_warning == state.warning()
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


def rebase_stopped(office) -> None:  # type: ignore[no-untyped-def]
    """A rebase stopped at a conflict on UNIT's day file (git detaches HEAD for it): the
    clerk's 420 on a branch of their own, rebased onto main's 400."""
    office.submit(UNIT, "14:00", "residents_installed=400")
    office.git("checkout", "--quiet", "-b", "ban-nhap", "HEAD~1")
    office.submit(UNIT, "14:10", "residents_installed=420")
    office.git("rebase", "main", check=False)  # stops: both added the day's file
    assert "rebase in progress" in office.git("status")


async def test_the_conflict_form_during_a_rebase_is_refused_and_says_the_rebase(offices):
    """The tester's A1: Enter on the ⇄ row, F5, F2 committed onto the rebase's detached
    HEAD; the advice was «git switch main», which git refuses mid-rebase."""
    district, _ = offices
    rebase_stopped(district)
    head = district.git("rev-parse", "HEAD")
    before = district.file(DAY, UNIT).read_bytes()
    warning = views_warning(district)
    assert "rebase --abort" in warning and "rebase --continue" in warning
    assert "switch main" not in warning and "«bên này» (ours) là nhánh đích" in warning
    app = board_app(district.path, DEMO_DAY, (16, 0), poll=0.1)
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        assert await wait_for(pilot, lambda: "đang rebase dở" in head_line(app).text)
        await press(pilot, "slash", *"long khanh b", "enter")
        assert await wait_for(pilot, lambda: isinstance(app.screen, ConflictScreen))
        await press(pilot, "f5", "f2")
        status = app.screen.query_one("#conflict-status", Static)
        assert await wait_for(
            pilot, lambda: "không giải quyết xung đột ở đây" in str(status.render())
        )
        assert "rebase --abort" in str(status.render())
        assert isinstance(app.screen, ConflictScreen)
    assert district.git("rev-parse", "HEAD") == head  # nothing committed
    assert district.file(DAY, UNIT).read_bytes() == before  # nothing written


async def test_an_unborn_branch_is_not_taken_for_a_branch_come_back(offices):
    """The tester's A3: after `git checkout --orphan newb2` the board said "đã trở lại
    nhánh «newb2»"; a save made a root commit of one file, gone at `git switch main`."""
    district, _ = offices
    district.submit(UNIT, "14:00", "residents_installed=400")
    app = board_app(district.path, DEMO_DAY, (16, 0), poll=0.1)
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        district.git("checkout", "--quiet", "--detach")
        assert await wait_for(pilot, lambda: "detached HEAD" in head_line(app).text)
        district.git("checkout", "--quiet", "--orphan", "newb2")
        assert await wait_for(pilot, lambda: "«newb2» chưa có commit nào" in head_line(app).text)
        await pilot.pause(0.3)
        assert not any("đã trở lại" in str(n.message) for n in app._notifications)
        await press(pilot, "slash", *"long khanh a", "enter")
        assert await wait_for(pilot, lambda: isinstance(app.screen, EntryScreen))
        await press(pilot, *"500", "f2")
        assert await notified(pilot, "không lưu số liệu ở đây", "switch main")
    assert not district.file(DAY, "xa-long-khanh-a").exists()
    assert district.git("rev-parse", "--verify", "--quiet", "newb2", check=False) == ""


async def test_a_head_git_cannot_read_is_one_verdict_on_the_board_and_the_command_line(offices):
    """The tester's A4: garbage in .git/HEAD; the board said "đã trở lại một nhánh … lưu và
    đồng bộ được như thường", the sync line "chưa có kho chung", and F2 wrote the file
    (which the next sync committed as a hand edit); status said nothing."""
    district, _ = offices
    app = board_app(district.path, DEMO_DAY, (16, 0), poll=0.1)
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        await pilot.pause(0.3)
        sync_bar = app.board.query_one("#sync-bar", ClampedText)
        assert "g đồng bộ" in sync_bar.text
        (district.path / ".git" / "HEAD").write_text("garbage\n")
        assert await wait_for(pilot, lambda: "bị hỏng" in head_line(app).text)
        assert "chưa có kho chung" not in sync_bar.text and "g đồng bộ" not in sync_bar.text
        assert not any("đã trở lại" in str(n.message) for n in app._notifications)
        on_board = app.board.head_warning
        await press(pilot, "slash", *"long khanh b", "enter")
        assert await wait_for(pilot, lambda: isinstance(app.screen, EntryScreen))
        await press(pilot, *"433", "f2")
        assert await notified(pilot, "bị hỏng", "không lưu số liệu ở đây")
        assert isinstance(app.screen, EntryScreen)
        assert not district.file(DAY, UNIT).exists()
        await press(pilot, "escape", "y")
        (district.path / ".git" / "HEAD").write_text("ref: refs/heads/main\n")  # its fix
        assert await wait_for(pilot, lambda: head_line(app).text == "")
        assert await notified(pilot, "đã trở lại nhánh «main»")
        assert await wait_for(pilot, lambda: "g đồng bộ" in sync_bar.text)
    (district.path / ".git" / "HEAD").write_text("garbage\n")
    assert views_warning(district) == on_board  # status: the board's very words
    code, _, err = district.submit(UNIT, "14:40", "residents_installed=433", check=False)
    assert code == 2 and "bị hỏng" in err and not district.file(DAY, UNIT).exists()
    code, _, err = district.sync()
    assert code == 2 and "không đồng bộ ở đây" in err


async def test_history_none_in_the_checked_out_commit_does_not_switch_the_warning_off(offices):
    """The tester's A9: the board (its registry read on the branch) warned, while status
    (units.yaml of the checked-out commit: `history: none`) said nothing and submit
    wrote an untracked file into the detached checkout. One rule now: a data folder with
    `.git` whose git is not on a branch refuses saves and warns, whatever units.yaml says."""
    district, _ = offices
    (district.path / "units.yaml").write_text(registry_text("none"), encoding="utf-8")
    district.git("commit", "--quiet", "-am", "không ghi lịch sử")
    district.git("checkout", "--quiet", "--detach")
    warning = views_warning(district)
    assert "detached HEAD" in warning
    code, _, err = district.submit(UNIT, "14:40", "residents_installed=433", check=False)
    assert code == 2 and "không lưu số liệu ở đây" in err
    assert not district.file(DAY, UNIT).exists()
    app = board_app(district.path, DEMO_DAY, (16, 0), poll=0.1)
    assert app.repository is None  # history off: the verdict is the folder's all the same
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        assert await wait_for(pilot, lambda: "detached HEAD" in head_line(app).text)
        assert app.board.head_warning == warning
        await press(pilot, "slash", *"long khanh b", "enter")
        assert await wait_for(pilot, lambda: isinstance(app.screen, EntryScreen))
        await press(pilot, *"433", "f2")
        assert await notified(pilot, "không lưu số liệu ở đây")
    assert not district.file(DAY, UNIT).exists()


async def test_the_saved_line_goes_when_the_file_it_names_is_no_longer_there(offices):
    """The tester's A10: after a checkout of a commit without today's report, "✓ Đã lưu
    bản 1 — Xã Long Khánh A" stayed beside a unit that had no report any more."""
    district, _ = offices
    app = board_app(district.path, DEMO_DAY, (14, 50), poll=0.1)
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        await press(pilot, "slash", *"long khanh a", "enter")
        assert await wait_for(pilot, lambda: isinstance(app.screen, EntryScreen))
        await press(pilot, *"500", "f2")
        assert await wait_for(pilot, lambda: not isinstance(app.screen, EntryScreen))
        detail = app.board.query_one("#detail", ClampedText)
        assert await wait_for(pilot, lambda: detail.text.startswith("✓ Đã lưu bản 1"))
        await pilot.pause(0.5)  # the reads after the save keep it: the file is the one saved
        assert detail.text.startswith("✓ Đã lưu bản 1")
        district.git("checkout", "--quiet", "--detach", "HEAD~1")  # before that save
        assert await wait_for(pilot, lambda: "detached HEAD" in head_line(app).text)
        assert await wait_for(pilot, lambda: not detail.text.startswith("✓"))
        assert "Xã Long Khánh A: chưa đến hạn" in detail.text  # no report: not due yet


@pytest.mark.parametrize("size", [(80, 24), (60, 20)], ids=lambda s: f"{s[0]}x{s[1]}")
def test_snapshot_of_the_board_on_a_detached_head(
    tmp_path, git_env, capsys, monkeypatch, snap_compare, size
):
    """The warning's first words over the table, whole, at both sizes, with the table's
    rows under it. The same picture every run: the data folder named as typed ("huyen",
    from its parent) and the commits at set dates."""
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
        # the line under the table too, laid out: its height follows its text a frame later
        detail = app.board.query_one("#detail", ClampedText)
        assert await wait_for(pilot, lambda: detail.text and detail.size.height == 2)
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=run_before)


def test_snapshot_of_f1_on_a_detached_head(tmp_path, git_env, capsys, monkeypatch, snap_compare):
    """F1 at 60x20: the whole warning, status's words with the way back, over the keys."""
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
        await press(pilot, "f1")
        assert await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen))
        await pilot.pause()

    assert snap_compare(app, terminal_size=(60, 20), run_before=run_before)
