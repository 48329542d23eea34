"""The board on a full or a read-only disk, and in a folder whose sharing changes while it
is open: what it cannot write is said as the write it is (the path, the disk), what it
made for a failed step is taken back, and what it writes follows the folder's sharing as
it is now, not as it was when the board started.

The disks are simulated in this process (helpers/disks.py): nothing is mounted.
"""

from __future__ import annotations

import grp
import os
import stat
from datetime import date

from bluezone_tui.tui.screens.entry import EntryScreen
from helpers.data import DEMO_DAY
from helpers.disks import full_disk, read_only_disk
from helpers.offices import needs_git
from helpers.pilot import board_app, loaded, press
from helpers.process import run_cli

DAY20 = date(2020, 8, 20)
NEW_DAY = date(2020, 8, 27)
GROUP = grp.getgrgid(os.getegid()).gr_name


def errors(app) -> list[str]:  # type: ignore[no-untyped-def]
    return [str(n.message) for n in app._notifications if n.severity == "error"]


async def test_x_on_a_full_disk_names_the_file_and_leaves_no_exports_folder(
    make_app, data_dir, wait_for, monkeypatch
):
    full_disk(monkeypatch, data_dir)
    app = make_app(DAY20, (16, 0, 0))
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(pilot)
        await press(pilot, "x")
        assert await wait_for(pilot, lambda: len(errors(app)) == 1)
        [said] = errors(app)
        assert "exports/bao-cao-bluezone-2020-08-20" in said
        assert "không ghi được (đĩa đầy, ổ gắn tại" in said and "chưa ghi gì" in said
        assert "lỗi không mong đợi" not in said and "No space" not in said
    assert not (data_dir / "exports").exists()


@needs_git
async def test_g_on_a_read_only_disk_says_the_lock_cannot_be_written(
    offices, wait_for, monkeypatch
):
    district, _ = offices
    district.submit("xa-long-khanh-b", "14:40", "residents_installed=433")  # its state folder
    app = board_app(district.path, DEMO_DAY, (16, 0), poll=0.1)
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(pilot)
        read_only_disk(monkeypatch, district.path)
        await press(pilot, "g")
        assert await wait_for(pilot, lambda: len(errors(app)) == 1, timeout=15)
        [said] = errors(app)
        lock = district.path / ".git" / "bluezone" / "sync-lock"
        assert f"Chưa đồng bộ: {lock}: không ghi được (ổ đĩa chỉ cho đọc, ổ gắn tại" in said
        assert "không đọc được" not in said  # it is a write
        assert "chưa đồng bộ gì" in said


async def test_what_the_board_writes_follows_the_sharing_set_while_it_is_open(
    make_app, data_dir, wait_for
):
    """The office's administrator runs `init --shared` while a clerk's board is open: the
    board's next save makes the day's folder and the unit's file the group's, as a new
    command would, not with the clerk's umask (another clerk could then save nothing)."""
    os.chmod(data_dir, 0o755)
    old = os.umask(0o022)
    try:
        app = make_app(NEW_DAY, (14, 30, 0))
        async with app.run_test(size=(100, 30)) as pilot:
            await loaded(pilot)
            shared = run_cli("init", data_dir, "--shared", GROUP)  # another process: root's
            assert shared.code == 0, shared.err
            await press(pilot, "slash", *"long khanh b", "enter")
            await pilot.pause()
            assert isinstance(app.screen, EntryScreen)
            await press(pilot, *"720", "tab", "4", "tab", "3", "tab", *"900", "tab", "c", "o")
            await press(pilot, "f2")
            day = data_dir / "submissions" / NEW_DAY.isoformat()
            saved = day / "xa-long-khanh-b.toml"
            assert await wait_for(pilot, saved.exists)
    finally:
        os.umask(old)
    assert stat.S_IMODE(day.stat().st_mode) == 0o2775, oct(day.stat().st_mode)
    assert stat.S_IMODE(saved.stat().st_mode) == 0o664, oct(saved.stat().st_mode)
    assert day.stat().st_gid == saved.stat().st_gid == os.getegid()
