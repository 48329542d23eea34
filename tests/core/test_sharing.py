"""A data folder's sharing: read as git reads core.sharedRepository, applied as git applies
it, to every file and folder the tool makes, whatever the login's umask.

These run as any user (modes need no second login); tests/offices/test_several_clerks.py
has the real logins.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import stat
import subprocess
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from bluezone_tui.base import files
from bluezone_tui.base.files import (
    PERM_EVERYBODY,
    PERM_GROUP,
    PERM_UMASK,
    Sharing,
    git_config_perm,
    make_folders,
    open_created,
    parse_shared_setting,
    read_sharing,
    replace_atomically,
    sharing_of,
)
from bluezone_tui.base.sharing import fix_command, group_name, sharing_notice, sharing_problems

GIT = shutil.which("git")


@contextlib.contextmanager
def umask(value: int) -> Iterator[None]:
    old = os.umask(value)
    try:
        yield
    finally:
        os.umask(old)


def mode(path: Path) -> int:
    return stat.S_IMODE(os.lstat(path).st_mode)


def shared_folder(tmp_path: Path, setting: str | None = "group", folder_mode: int = 0o2775) -> Path:
    data = tmp_path / "data"
    (data / ".git").mkdir(parents=True)
    if setting is not None:
        (data / ".git" / "config").write_text(f"[core]\n\tsharedRepository = {setting}\n")
        os.chmod(data / ".git" / "config", 0o664)
    os.chmod(data / ".git", 0o2775)
    os.chmod(data, folder_mode)
    return data


# ----------------------------------------------------------------------------- git's setting


@pytest.mark.parametrize(
    "value, perm",
    [
        (None, PERM_GROUP),  # the bare key
        ("group", PERM_GROUP),
        ("true", PERM_GROUP),
        ("1", PERM_GROUP),
        ("all", PERM_EVERYBODY),
        ("world", PERM_EVERYBODY),
        ("everybody", PERM_EVERYBODY),
        ("2", PERM_EVERYBODY),
        ("umask", PERM_UMASK),
        ("false", PERM_UMASK),
        ("0", PERM_UMASK),
        ("0660", -0o660),
        ("0640", -0o640),
        ("0600", -0o600),
        ("0666", -0o666),
        ("0440", None),  # git refuses: the owner must read and write
        ("nhóm", None),
    ],
)
def test_core_shared_repository_is_read_as_git_reads_it(value, perm):
    assert git_config_perm(value) == perm


@pytest.mark.parametrize(
    "text, found",
    [
        ("[core]\n\tsharedRepository = group\n", (True, "group")),
        ("[Core]\n  SHAREDREPOSITORY=0640 ; comment\n", (True, "0640")),
        ('[core]\n\tsharedrepository = "all" # said\n', (True, "all")),
        ("[core]\n\tsharedRepository\n", (True, None)),
        ("[core] sharedRepository = group\n", (True, "group")),
        ("[core]\n\tbare = false\n[remote]\n\tsharedRepository = group\n", (False, None)),
        ('[core "x"]\n\tsharedRepository = group\n', (False, None)),
        ("[core]\nsharedRepository = group\n[core]\nsharedRepository = umask\n", (True, "umask")),
        ("", (False, None)),
    ],
)
def test_the_setting_is_found_in_a_config_file(text, found):
    assert parse_shared_setting(text) == found


def test_git_decides_else_a_group_writable_folder_is_shared(tmp_path):
    data = shared_folder(tmp_path, "0640", 0o755)
    assert read_sharing(data).perm == -0o640  # git says, the folder's mode aside
    (data / ".git" / "config").write_text("[core]\n\tbare = false\n")
    assert read_sharing(data).perm == PERM_UMASK
    os.chmod(data, 0o775)
    assert read_sharing(data).perm == PERM_GROUP  # git silent: the folder says
    shutil.rmtree(data / ".git")
    assert read_sharing(data).perm == PERM_GROUP  # no git at all
    assert read_sharing(data).gid == os.stat(data).st_gid


@pytest.mark.parametrize(
    "perm, before, after",
    [
        (PERM_GROUP, 0o100644, 0o664),
        (PERM_GROUP, 0o100600, 0o660),
        (PERM_GROUP, 0o100444, 0o444),  # git's objects stay read-only
        (PERM_GROUP, 0o100755, 0o775),
        (PERM_GROUP, 0o040755, 0o2775),
        (PERM_GROUP, 0o040700, 0o2770),
        (PERM_EVERYBODY, 0o100600, 0o664),
        (PERM_EVERYBODY, 0o040700, 0o2775),
        (-0o640, 0o100644, 0o640),
        (-0o640, 0o100666, 0o640),
        (-0o640, 0o040755, 0o2750),
        (-0o600, 0o040755, 0o700),  # nothing for the group: no set-group-id either
        (PERM_UMASK, 0o100600, 0o600),
    ],
)
def test_modes_are_gits(perm, before, after):
    assert Sharing("/x", perm, 0).mode_for(before) == after


@pytest.mark.skipif(GIT is None, reason="git is not installed on this machine")
@pytest.mark.parametrize("setting", ["group", "all", "0640", "0660"])
def test_modes_match_what_git_itself_makes(tmp_path, setting):
    """The same rule as git's own: git makes an object folder and a file in a repository
    shared so; ours, applied to the same plain modes, give the same."""
    repo = tmp_path / "repo"
    env = {**os.environ, "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull}
    with umask(0o022):
        subprocess.run(["git", "init", "-q", f"--shared={setting}", repo], check=True, env=env)
        (repo / "a").write_text("a")
        subprocess.run(["git", "-C", repo, "add", "a"], check=True, env=env)
    sharing = read_sharing(repo)
    folder = next(p for p in (repo / ".git" / "objects").iterdir() if len(p.name) == 2)
    assert mode(folder) == sharing.mode_for(stat.S_IFDIR | 0o755)
    assert mode(repo / ".git" / "index") == sharing.mode_for(stat.S_IFREG | 0o644)


# ----------------------------------------------------------------------------- what the tool makes


@pytest.mark.parametrize("login_umask", [0o022, 0o077, 0o002])
def test_what_the_tool_makes_in_a_shared_folder_is_the_groups_whatever_the_umask(
    tmp_path, login_umask
):
    data = shared_folder(tmp_path)
    sharing_of(data, again=True)
    with umask(login_umask):
        make_folders(data / "submissions" / "2020-08-20")
        replace_atomically(data / "submissions" / "2020-08-20" / "xa.toml", b"x")
        replace_atomically(data / ".git" / "bluezone-pending", b"x", durable=False)
        os.close(open_created(data / ".git" / "lock"))
        make_folders(data / "exports")
        files.write_output(data / "exports" / "a.csv", b"x")
    others = 0o755 & ~login_umask & 0o007  # the umask still decides for other logins
    assert mode(data / "submissions") == 0o2770 | others
    assert mode(data / "submissions" / "2020-08-20") & 0o2070 == 0o2070
    for made in (
        "submissions/2020-08-20/xa.toml",
        ".git/bluezone-pending",
        ".git/lock",
        "exports/a.csv",
    ):
        assert mode(data / made) & 0o060 == 0o060, made


def test_nothing_changes_in_a_folder_that_is_not_shared(tmp_path):
    data = tmp_path / "data"
    data.mkdir(mode=0o755)
    os.chmod(data, 0o755)
    sharing_of(data, again=True)
    with umask(0o022):
        make_folders(data / "submissions" / "2020-08-20")
        replace_atomically(data / "submissions" / "2020-08-20" / "xa.toml", b"x")
        os.close(open_created(data / "lock"))
    assert mode(data / "submissions" / "2020-08-20") == 0o755
    assert mode(data / "submissions" / "2020-08-20" / "xa.toml") == 0o644
    assert mode(data / "lock") == 0o644


def test_outside_a_data_folder_nothing_changes(tmp_path):
    data = shared_folder(tmp_path)
    sharing_of(data, again=True)
    elsewhere = tmp_path / "report.csv"  # an export to the clerk's own folder
    with umask(0o022):
        replace_atomically(elsewhere, b"x")
    assert mode(elsewhere) == 0o644


@pytest.mark.skipif(os.name != "posix" or os.geteuid() != 0, reason="chgrp to any group: root")
def test_what_the_tool_makes_takes_the_folders_group_without_set_group_id(tmp_path):
    data = shared_folder(tmp_path, folder_mode=0o775)  # no set-group-id on the folder
    os.chown(data, -1, 100)
    sharing_of(data, again=True)
    make_folders(data / "submissions")
    replace_atomically(data / "submissions" / "a", b"x")
    assert os.stat(data / "submissions").st_gid == 100
    assert os.stat(data / "submissions" / "a").st_gid == 100


# ----------------------------------------------------------------------------- the check


def test_a_shared_folder_that_the_group_cannot_write_is_named_with_its_fix(tmp_path):
    data = shared_folder(tmp_path, folder_mode=0o755)
    day = data / "submissions" / "2020-08-20"
    day.mkdir(parents=True)
    os.chmod(day, 0o755)
    (day / "a.toml").write_text("x")
    (data / "units.yaml").write_text("x")
    os.chmod(data / "units.yaml", 0o644)
    os.chmod(data / "submissions", 0o2775)
    problems = sharing_problems(data)
    named = {p.path: p.message for p in problems}
    assert set(named) == {data, day, data / "units.yaml"}  # a.toml: its folder's fix covers it
    assert "sudo chmod g+rwX,g+s" in named[data]
    assert f"sudo chmod -R g+rwX {day}" in named[day]
    assert f"find {day} -type d -exec chmod g+s" in named[day]
    assert f"sudo chmod g+rwX {data / 'units.yaml'}" in named[data / "units.yaml"]
    assert all("chủ «" in message for message in named.values())
    notice = sharing_notice(problems)
    assert "cán bộ khác trong nhóm sẽ không lưu được" in notice and "bluezone check" in notice


def test_a_well_shared_folder_and_a_private_one_have_nothing_to_say(tmp_path):
    data = shared_folder(tmp_path)
    with umask(0o077):
        sharing_of(data, again=True)
        make_folders(data / "submissions" / "2020-08-20")
        replace_atomically(data / "submissions" / "2020-08-20" / "a.toml", b"x")
    assert sharing_problems(data) == []
    private = tmp_path / "private"
    (private / "submissions").mkdir(parents=True)
    os.chmod(private, 0o700)
    assert sharing_problems(private) == []


def test_a_group_writable_folder_whose_git_is_not_told_is_warned(tmp_path):
    data = shared_folder(tmp_path, None)
    (data / ".git" / "config").write_text("[core]\n\tbare = false\n")
    os.chmod(data / ".git", 0o2775)
    os.chmod(data / ".git" / "config", 0o664)
    problems = sharing_problems(data)
    assert [p.severity for p in problems] == ["warning"]
    assert "core.sharedRepository group" in problems[0].message


def test_the_boards_quick_look_stays_on_its_day(tmp_path):
    data = shared_folder(tmp_path)
    for day in ("2020-08-19", "2020-08-20"):
        (data / "submissions" / day).mkdir(parents=True)
        (data / "submissions" / day / "a.toml").write_text("x")
        os.chmod(data / "submissions" / day / "a.toml", 0o600)
    os.chmod(data / "submissions", 0o2775)
    for folder in (data / "submissions").iterdir():
        os.chmod(folder, 0o2775)
    quick = sharing_problems(data, date(2020, 8, 20))
    assert [p.path.parent.name for p in quick] == ["2020-08-20"]
    assert len(sharing_problems(data)) == 2


def test_past_twenty_the_rest_is_one_line_with_the_whole_fix(tmp_path):
    data = shared_folder(tmp_path)
    day = data / "submissions" / "2020-08-20"
    day.mkdir(parents=True)
    os.chmod(data / "submissions", 0o2775)
    os.chmod(day, 0o2775)
    for n in range(30):
        (day / f"u{n}.toml").write_text("x")
        os.chmod(day / f"u{n}.toml", 0o644)
    problems = sharing_problems(data)
    assert len(problems) == 21
    assert problems[-1].message.startswith("và 10 mục khác cũng vậy")
    assert fix_command(data, True, group_name(os.stat(data).st_gid)) in problems[-1].message


def test_the_boards_notice_to_a_login_outside_the_group_says_it_is_this_login(monkeypatch):
    from bluezone_tui.base import sharing as module
    from bluezone_tui.base.problems import Problem

    monkeypatch.setattr(module, "login_name", lambda: "bz9")
    outside = Problem("tài khoản «bz9» không thuộc nhóm «g» của thư mục dữ liệu dùng chung x")
    assert "tài khoản này không lưu được" in sharing_notice([outside])
    assert "cán bộ khác" not in sharing_notice([outside])
    assert "cán bộ khác trong nhóm" in sharing_notice([Problem("thư mục dùng chung nhưng …")])


# ----------------------------------------------------------------------------- a folder not made


def test_what_stands_where_a_folder_is_needed_is_named_with_what_it_is(tmp_path):
    """A file or a broken link on the way: named, never "a file of that name is there"
    (which reads as if the folder asked for were taken)."""
    (tmp_path / "tep").write_text("x\n")
    (tmp_path / "hong").symlink_to(tmp_path / "khong-co")
    for spot, what in (("tep", "một tệp"), ("hong", "một liên kết tượng trưng hỏng")):
        with pytest.raises(files.NotAFolder) as caught:
            make_folders(tmp_path / spot / "a" / "b")
        reason = files.os_reason(caught.value)
        assert reason.startswith(f"{tmp_path / spot} là {what}") and "không phải thư mục" in reason
    # the system's ENOTDIR from any other call names the part of the path too
    refused = NotADirectoryError(20, "Not a directory", str(tmp_path / "tep" / "a.txt"))
    assert files.os_reason(refused) == f"{tmp_path / 'tep'} là một tệp, không phải thư mục"
    assert not (tmp_path / "khong-co").exists()
