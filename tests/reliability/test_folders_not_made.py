"""A folder or file the user named that cannot be made: `init DIR` (with or without
`--shared`), `export -o`, `province -o`, where a folder on the way is another login's, is
this login's but read-only, or is no folder at all (a file, a broken link).

Each says what refused (the path, its owner, that this login cannot make the folder
there) and a command that works for the one told to run it, exit 1 as any output that
cannot be written (docs/commands.md), never a traceback or the system's English.

Permissions are tried as a login they bind (as root: without the capabilities that
bypass them, helpers/permissions.py); what the administrator is told to run is then run
as root, and the command tried again succeeds. Something that is no folder in the way
binds root too: those run in-process, as any login.
"""

from __future__ import annotations

import os
import pwd
import re
import subprocess
from pathlib import Path

import pytest

from bluezone_tui.base.sharing import group_name
from helpers.data import copy_shipped
from helpers.permissions import NOBODY, require_binding_permissions, run_as
from helpers.process import Run

DAY = "2020-08-20"
NOW = "2020-08-20T16:00"
ME = pwd.getpwuid(os.geteuid()).pw_name
GROUP = group_name(os.getegid())
ADMIN_COMMAND = re.compile(r"«sudo (install -d -o \S+ \S+)»")


@pytest.fixture
def anothers(tmp_path: Path) -> Path:
    """A folder another login owns (rwxr-xr-x): this login, held to permissions, cannot
    make anything in it. Making one takes root (chown)."""
    if os.geteuid() != 0:
        pytest.skip("a folder owned by another login is made with chown: root only")
    require_binding_permissions(tmp_path, copy_shipped(tmp_path / "probe-data") / "units.yaml")
    folder = tmp_path / "cua-nguoi-khac"
    folder.mkdir()
    os.chown(folder, NOBODY, NOBODY)
    return folder


def clean(result: Run) -> None:
    """No traceback, no system English, no errno, no "unexpected error"."""
    for word in ("Traceback", "Errno", "lỗi không mong đợi", "Permission denied", "such file"):
        assert word not in result.text, result.text


def admin_runs(result: Run) -> None:
    """The command the message gives the administrator, run as the administrator (root)."""
    match = ADMIN_COMMAND.search(result.err)
    assert match, result.err
    subprocess.run(match.group(1).split(), check=True, capture_output=True, timeout=60)


# ----------------------------------------------------------------------------- init


@pytest.mark.parametrize("shared", [False, True], ids=["init", "init --shared"])
def test_init_in_another_logins_folder_names_it_and_the_administrators_command(anothers, shared):
    target = anothers / "hong-ngu"
    args = ["init", target, "--no-git", *(["--shared", GROUP] if shared else [])]
    result = run_as(True, *args)
    assert result.code == 1, result.text
    clean(result)
    owner = pwd.getpwuid(NOBODY).pw_name
    assert (
        f"tài khoản «{ME}» không có quyền ghi vào thư mục {anothers} (chủ «{owner}»" in result.err
    )
    assert f"nên không tạo được {target} trong đó" in result.err
    assert f"«sudo install -d -o {ME} {target}»" in result.err
    assert "bluezone init THƯ_MỤC" not in result.err  # the old hint sent them round in a circle
    assert not target.exists()
    admin_runs(result)
    again = run_as(True, *args)
    assert again.code == 0, again.text
    assert (target / "units.yaml").is_file()
    if shared:
        assert f"dùng chung cho nhóm «{GROUP}»" in again.out


def test_init_several_folders_deep_is_one_command_for_the_whole_path(anothers):
    target = anothers / "bluezone" / "dong-thap" / "hong-ngu"
    result = run_as(True, "init", target, "--no-git")
    assert result.code == 1, result.text
    assert f"«sudo install -d -o {ME} {target}»" in result.err
    admin_runs(result)
    assert run_as(True, "init", target, "--no-git").code == 0


def test_init_in_an_empty_folder_of_another_login_asks_for_that_folder(anothers):
    target = anothers / "hong-ngu"
    target.mkdir()
    os.chown(target, NOBODY, NOBODY)
    result = run_as(True, "init", target, "--no-git", "--shared", GROUP)
    assert result.code == 1, result.text
    clean(result)
    assert f"thư mục {target} không phải của tài khoản «{ME}»" in result.err
    assert f"«sudo install -d -o {ME} {target}»" in result.err
    admin_runs(result)
    assert run_as(True, "init", target, "--no-git", "--shared", GROUP).code == 0


def test_init_in_another_logins_folder_that_holds_files_never_offers_to_take_it(anothers):
    (anothers / "ghi-chu.txt").write_text("của người khác\n")
    result = run_as(True, "init", anothers, "--no-git")
    assert result.code == 1, result.text
    clean(result)
    assert f"thư mục {anothers} không phải của tài khoản «{ME}»" in result.err
    assert "đã có tệp bên trong; chọn một thư mục mới" in result.err
    assert "install" not in result.err and "chown" not in result.err
    assert sorted(p.name for p in anothers.iterdir()) == ["ghi-chu.txt"]


def test_init_in_this_logins_own_read_only_folder_says_to_fix_it_oneself(tmp_path):
    require_binding_permissions(tmp_path, copy_shipped(tmp_path / "probe-data") / "units.yaml")
    parent = tmp_path / "cua-minh"
    parent.mkdir()
    parent.chmod(0o555)
    try:
        result = run_as(True, "init", parent / "hong-ngu", "--no-git")
        assert result.code == 1, result.text
        clean(result)
        assert f"không có quyền ghi vào thư mục {parent} (chủ «{ME}»" in result.err
        assert f"tự sửa: «chmod u+w {parent}»" in result.err
        parent.chmod(0o755)  # what it says
        assert run_as(True, "init", parent / "hong-ngu", "--no-git").code == 0
    finally:
        parent.chmod(0o755)


# ----------------------------------------------------------------------------- outputs


@pytest.mark.parametrize("command", ["export", "province"])
def test_an_output_in_another_logins_folder_says_to_write_in_ones_own(anothers, tmp_path, command):
    data = copy_shipped(tmp_path / "data")
    source = ["province", data] if command == "province" else ["--data", data, "export"]
    when = ["--date", DAY, "--now", NOW]
    result = run_as(True, *source, *when, "-o", anothers / "bao-cao.txt")
    assert result.code == 1, result.text
    clean(result)
    assert f"{anothers / 'bao-cao.txt'}: không ghi được (tài khoản «{ME}»" in result.err
    assert "thư mục đó không phải của tài khoản này; ghi vào một thư mục của mình" in result.err
    assert "bluezone init THƯ_MỤC" not in result.err  # it is no data folder
    # in a folder still to be made there: the administrator can make it for this login
    deeper = anothers / "bao-cao" / "ngay.txt"
    result = run_as(True, *source, *when, "-o", deeper)
    assert result.code == 1, result.text
    assert f"«sudo install -d -o {ME} {deeper.parent}»" in result.err
    admin_runs(result)
    assert run_as(True, *source, *when, "-o", deeper).code == 0
    assert deeper.is_file()


# ----------------------------------------------------------------------------- no folder at all


def in_the_way(tmp_path: Path, kind: str) -> tuple[Path, str]:
    """Something that is no folder where a folder is needed, and how it is named."""
    spot = tmp_path / "o-day"
    if kind == "a file":
        spot.write_text("x\n")
        return spot, f"{spot} là một tệp, không phải thư mục"
    if kind == "a broken link":
        spot.symlink_to(tmp_path / "khong-co")
        return spot, f"{spot} là một liên kết tượng trưng hỏng (tới «{tmp_path / 'khong-co'}»"
    (tmp_path / "tep.txt").write_text("x\n")
    spot.symlink_to(tmp_path / "tep.txt")
    return spot, f"{spot} là một liên kết tượng trưng tới một tệp"


KINDS = ["a file", "a broken link", "a link to a file"]


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("depth", ["", "ngay/"], ids=["parent", "grandparent"])
def test_init_through_something_that_is_no_folder_names_it(cli, tmp_path, kind, depth):
    spot, named = in_the_way(tmp_path, kind)
    code, out, err = cli("init", spot / depth / "hong-ngu", "--shared", GROUP)
    assert code == 1, err
    assert named in err and "chạy lại khi đã sửa" in err
    assert "đã có một tệp cùng tên" not in err  # said before: as if DIR itself were taken


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("command", ["export", "province"])
def test_an_output_through_something_that_is_no_folder_names_it(
    cli, demo_data, tmp_path, kind, command
):
    spot, named = in_the_way(tmp_path, kind)
    source = ["province", demo_data] if command == "province" else ["--data", demo_data, "export"]
    for output in (spot / "bao-cao.xlsx", spot / "ngay" / "bao-cao.csv"):
        code, out, err = cli(*source, "--date", DAY, "--now", NOW, "-o", output)
        assert code == 1, err
        assert f"{output}: không ghi được ({named}" in err and "chưa ghi gì" in err
