"""Every command a message suggests works for the one told to run it, is quoted for the
shell, and names what is known (the data folder, its group) instead of a placeholder;
where no command can help (the kernel's own filesystems), none is offered. A refusal is
said once, whole, and a setting-up that did not succeed never says it did.

Permissions are tried as a login they bind (as root: without the capabilities that
bypass them, helpers/permissions.py).
"""

from __future__ import annotations

import os
import pwd
import re
import shlex
import subprocess
from pathlib import Path

import pytest

from bluezone_tui.base import files, sharing
from bluezone_tui.base.files import read_sharing
from bluezone_tui.base.sharing import denied, group_name, outside_group
from helpers.data import copy_shipped
from helpers.logins import office_group_and_private_login
from helpers.offices import git, needs_git
from helpers.permissions import NOBODY, require_binding_permissions, run_as
from helpers.process import Run

DAY = "2020-08-20"
NOW = "2020-08-20T16:00"
ME = pwd.getpwuid(os.geteuid()).pw_name
GROUP = group_name(os.getegid())


@pytest.fixture
def bound(tmp_path: Path) -> None:
    """Permissions bind the CLI run by run_as(True, …): else skip, saying why."""
    if os.geteuid() != 0:
        pytest.skip("another login's folder is made with chown: root only")
    require_binding_permissions(tmp_path, copy_shipped(tmp_path / "probe-data") / "units.yaml")


def clean(result: Run) -> None:
    for word in ("Traceback", "Errno", "lỗi không mong đợi", "Permission denied", "such file"):
        assert word not in result.text, result.text


def quoted_commands(text: str) -> list[str]:
    return re.findall(r"«((?:sudo |bluezone |git |chmod |chgrp |find )[^»]*)»", text)


def chown_tree(folder: Path, uid: int, gid: int) -> None:
    for where, folders, names in os.walk(folder):
        for name in [".", *folders, *names]:
            os.chown(os.path.join(where, name), uid, gid, follow_symlinks=False)


# ----------------------------------------------------------------------------- nothing can help


@pytest.mark.parametrize("target", ["/sys/kernel/bluezone-thu", "/proc/bluezone-thu", "/proc/1/x"])
@pytest.mark.parametrize("login", ["root", "a login"])
def test_the_kernels_filesystems_are_said_as_such_with_no_command(tmp_path, target, login):
    if not os.path.isdir(os.path.dirname(target)):
        pytest.skip(f"no {os.path.dirname(target)} here")
    if login == "a login":
        if os.geteuid() != 0:
            pytest.skip("a login bound by permissions is made from root")
        require_binding_permissions(tmp_path, copy_shipped(tmp_path / "probe-data") / "units.yaml")
    for args in (
        ("init", target, "--no-git"),
        ("--data", copy_shipped(tmp_path / "data"), "export", "--date", DAY, "-o",
         f"{target}/moi/bao-cao.txt"),
    ):  # fmt: skip
        result = run_as(login != "root", *args)
        assert result.code == 1, result.text
        clean(result)
        assert "là hệ thống tệp ảo «" in result.err, result.err
        assert "install -d" not in result.err and "sudo" not in result.err
        assert "không có tệp hoặc thư mục này" not in result.err
        assert not os.path.lexists(target)


# ----------------------------------------------------------------------------- quoting


@pytest.mark.parametrize("name", ["$(id)", "a b", "-x", "nhóm", "a;b", "x" * 33, "12345x'"])
def test_a_group_name_groupadd_would_refuse_is_refused_with_no_command(cli, tmp_path, name):
    code, out, err = cli("init", tmp_path / "moi", f"--shared={name}")
    assert code == 2, err
    assert "không phải tên nhóm dùng được" in err
    assert "groupadd" not in err and "usermod" not in err
    assert not (tmp_path / "moi").exists()


@pytest.mark.parametrize("name", ["canbo.moi", "may$"])
def test_a_missing_group_is_made_by_a_command_quoted_for_the_shell(cli, tmp_path, name):
    code, out, err = cli("init", tmp_path / "moi", "--shared", name)
    assert code == 2, err
    assert f"«sudo groupadd {shlex.quote(name)}»" in err
    assert f"«sudo usermod -aG {shlex.quote(name)} TÊN_ĐĂNG_NHẬP»" in err


@pytest.mark.parametrize("name", ["tan hong", "tân'hồng", "a\nb"])
def test_the_next_steps_of_init_are_commands_that_work(cli, tmp_path, name):
    target = tmp_path / name
    code, out, err = cli("init", target, "--no-git")
    assert code == 0, err
    steps = [line.split(". ", 1)[1] for line in out.splitlines() if re.match(r"  [234]\. ", line)]
    assert len(steps) == 3
    for step in steps:
        words = subprocess.run(  # the shell's own reading of the line: DIR as one word
            ["bash", "-c", f'printf "%s\\0" {step}'], capture_output=True, check=True
        ).stdout.split(b"\0")
        assert words[:3] == [b"bluezone", b"--data", os.fsencode(str(target))], step
    assert "\nb/units.yaml" not in out  # a line break in DIR is shown escaped, not raw


# ----------------------------------------------------------------------------- the real folder and group


@pytest.fixture
def groups():
    with office_group_and_private_login() as made:
        yield made


def _not_shared_with_anothers_exports(tmp_path: Path, gid: int) -> Path:
    data = copy_shipped(tmp_path / "van-phong")
    os.chown(data, 0, gid)
    os.chmod(data, 0o755)  # not group-writable: not shared
    exports = data / "exports"
    exports.mkdir()
    os.chown(exports, NOBODY, NOBODY)
    return data


def test_a_folder_not_set_up_names_itself_and_its_group_in_the_fix(bound, tmp_path, groups):
    data = _not_shared_with_anothers_exports(tmp_path, groups.office_gid)
    result = run_as(True, "--data", data, "export", "--date", DAY, "--format", "docx")
    assert result.code == 1, result.text
    clean(result)
    assert f"«bluezone init {data} --shared {groups.office}»" in result.err
    assert "THƯ_MỤC" not in result.err and "NHÓM" not in result.err


def test_a_group_that_cannot_be_known_is_said_what_to_put(bound, tmp_path):
    data = _not_shared_with_anothers_exports(tmp_path, 0)  # root's group: no office's
    result = run_as(True, "--data", data, "export", "--date", DAY, "--format", "docx")
    assert result.code == 1, result.text
    assert f"«bluezone init {data} --shared NHÓM»" in result.err
    assert "NHÓM: nhóm chung của các cán bộ" in result.err and "THƯ_MỤC" not in result.err


def test_a_clerks_own_group_is_never_joined_another_group_is_set_up(tmp_path, groups, monkeypatch):
    """A folder made writable for a clerk's own group (chmod 777, group = that clerk):
    adding another clerk to it is not the fix; the office's group is."""
    data = tmp_path / "van-phong"
    (data / "submissions").mkdir(parents=True)
    for folder in (data, data / "submissions"):
        os.chown(folder, 0, groups.own_gid)
        os.chmod(folder, 0o777)
    monkeypatch.setattr(sharing, "in_group", lambda gid: False)  # another login, outside it
    monkeypatch.setattr(sharing, "login_name", lambda: "minh")
    files.sharing_of(data, again=True)
    refused = PermissionError(13, "Permission denied", str(data / "submissions" / "moi"))
    said = denied(refused, data / "submissions") or ""
    [checked] = sharing.sharing_problems(data)  # no chgrp to that clerk's group either
    for text in (said, outside_group(read_sharing(data)), checked.message):
        assert f"nhóm riêng của tài khoản «{groups.login}»" in text, text
        assert "usermod" not in text and "chgrp" not in text
        assert f"«bluezone init {os.path.realpath(data)} --shared" in text


# ----------------------------------------------------------------------------- said once, whole


def test_a_day_folder_that_cannot_be_read_is_said_once(bound, tmp_path):
    data = copy_shipped(tmp_path / "data")
    day = data / "submissions" / DAY
    chown_tree(day, NOBODY, 0)
    os.chmod(day, 0o2700)
    result = run_as(
        True, "--data", data, "submit", "xa-long-khanh-b", "--date", DAY, "--now", NOW,
        "residents_installed=700",
    )  # fmt: skip
    assert result.code == 1, result.text
    clean(result)
    lines = result.err.strip().splitlines()
    assert len(lines) == 1, result.err
    assert lines[0].startswith("bluezone: ") and "không có quyền đọc thư mục" in lines[0]


@needs_git
def test_init_shared_on_another_logins_folder_says_so_briefly_and_not_done(bound, tmp_path):
    data = tmp_path / "cua-nguoi-khac"
    made = run_as(False, "init", data, "--district", "Hồng Ngự")
    assert made.code == 0, made.text
    for day in ("2020-08-19", DAY):
        saved = run_as(
            False, "--data", data, "submit", "phong-y-te", "--date", day, "--now",
            f"{day}T16:00", "staff=10", "staff_with_smartphone=5", "staff_installed=3",
        )  # fmt: skip
        assert saved.code == 0, saved.text
    chown_tree(data, NOBODY, NOBODY)
    result = run_as(True, "init", data, "--shared", GROUP)
    assert result.code == 1, result.text
    clean(result)
    assert "dùng chung cho nhóm" not in result.out  # never said done when it is not
    assert f"chưa giao xong thư mục {data} cho nhóm «{GROUP}»" in result.err
    lines = result.err.strip().splitlines()
    assert len(lines) <= 23, result.err  # a folder's fix covers what it holds: not a line a file
    assert "không đặt được git dùng chung: không đặt được" not in result.err
    assert "(git: " not in result.err and "could not lock" not in result.err
    owner = pwd.getpwuid(NOBODY).pw_name
    assert f"{data}: không đổi được nhóm hoặc quyền (của «{owner}»" in result.err
    assert git(data, "config", "--get", "core.sharedRepository", check=False).strip() == ""
