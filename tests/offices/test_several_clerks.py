"""Several clerks, one server: two real logins in one group share one data folder.

The administrator (root) makes the folder with `bluezone init DIR --shared GROUP`; each
clerk runs `bluezone` as their own login (`runuser -u`). Every save works whoever made
the day's folder, the lock or the files before; `history` names each clerk; a folder
the group cannot write is named by `check` with its owner and fix; a save refused for a
permission says which file or folder, whose, and what to ask the administrator.
"""

from __future__ import annotations

import grp
import os
import pwd
import re
import stat
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from helpers.logins import Office, not_the_groups, office_logins
from helpers.offices import needs_git, registry_text

pytestmark = needs_git
DAY = "2020-08-20"
COMMUNES = "Tên đơn vị,Dân số,Khóm ấp\nXã Phú Cường,12500,Ấp 1;Ấp 2\nXã Tân Hội,9800,Ấp 1\n"
FIGURES = ("teams_formed=1", "hamlets_with_team=1", "households_visited=10")


@pytest.fixture(scope="module")
def logins() -> Iterator[Office]:
    with office_logins(3) as office:
        yield office


@pytest.fixture
def office(logins: Office, request: pytest.FixtureRequest) -> Iterator[Office]:
    """The module's logins with a data folder of this test's own (made by the test)."""
    yield logins
    subprocess.run(["rm", "-rf", str(logins.place / request.node.name)], check=False)


def data_of(office: Office, request: pytest.FixtureRequest) -> Path:
    return office.place / request.node.name


def shared_office(office: Office, data: Path) -> None:
    """What the administrator does: `init --shared`, then the first clerk imports the
    communes (units.yaml rewritten by a clerk, in the shared folder)."""
    made = office.run(None, "init", data, "--district", "Huyện Hồng Ngự", "--shared", office.group)
    assert made.code == 0, made.text
    assert f"dùng chung cho nhóm «{office.group}»" in made.out
    sheet = office.place / "xa.csv"
    sheet.write_text(COMMUNES, encoding="utf-8")
    sheet.chmod(0o644)
    imported = office.run(
        office.clerks[0], "--data", data, "units", "import", sheet, "--group", "commune", "--yes"
    )
    assert imported.code == 0, imported.text


def submit(office: Office, clerk: str, data: Path, unit: str, at: str, residents: int):
    return office.run(
        clerk, "--data", data, "submit", unit, "--date", DAY, "--now", f"{DAY}T{at}",
        f"residents_installed={residents}", *FIGURES,
    )  # fmt: skip


def git_log(data: Path, form: str) -> list[str]:
    out = subprocess.run(
        ["git", "-C", str(data), "log", f"--format={form}"],
        capture_output=True, text=True, check=True,
        env={**os.environ, "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": "/dev/null"},
    ).stdout  # fmt: skip
    return out.splitlines()


# ----------------------------------------------------------------------------- done when


def test_two_clerks_save_and_correct_each_others_units_and_history_names_each(office, request):
    data = data_of(office, request)
    first, second = office.clerks[:2]
    shared_office(office, data)

    saved = submit(office, first, data, "xa-phu-cuong", "10:00", 100)
    assert saved.code == 0, saved.text
    saved = submit(office, second, data, "xa-tan-hoi", "10:05", 200)  # the same day
    assert saved.code == 0, saved.text
    saved = submit(office, second, data, "xa-phu-cuong", "10:06", 150)  # the first's unit
    assert saved.code == 0, saved.text
    assert "(bản 2)" in saved.out

    gid = grp.getgrnam(office.group).gr_gid
    assert not_the_groups(data, gid) == []
    for clerk in (first, second):  # each sees both, and both are fine
        status = office.run(clerk, "--data", data, "status", "--date", DAY, "--now", f"{DAY}T16:00")
        assert "Xã Phú Cường" in status.out and "Xã Tân Hội" in status.out, status.text
        assert status.out.count("đúng hạn") >= 2, status.out
        checked = office.run(clerk, "--data", data, "check")
        assert " 0 lỗi" in checked.err and "dùng chung" not in checked.text, checked.text
        exported = office.run(clerk, "--data", data, "export", "--format", "csv", "--date", DAY,
                              "--now", f"{DAY}T16:00")  # fmt: skip
        assert exported.code == 0, exported.text

    history = office.run(first, "--data", data, "history", "xa-phu-cuong", "--date", DAY)
    assert history.code == 0, history.text
    lines = [line for line in history.out.splitlines() if line.startswith("- bản")]
    assert [f" · {first} · " in lines[0], f" · {second} · " in lines[1]] == [True, True], lines
    # each commit is the clerk's own: author and committer are their login
    authors = git_log(data, "%an|%cn")[:3]
    assert authors == [f"{second}|{second}", f"{second}|{second}", f"{first}|{first}"]
    assert not_the_groups(data, gid) == []  # the exports too


def test_the_administrators_own_setup_by_hand_works_too(office, request):
    """The issue's setup: a plain `init`, then chgrp -R, chmod -R g+rwX, set-group-id and
    core.sharedRepository by hand: the second clerk of the day saves too."""
    data = data_of(office, request)
    assert office.run(None, "init", data).code == 0
    (data / "units.yaml").write_text(registry_text("git"), encoding="utf-8")
    for command in (
        [
            "git",
            "-c",
            "user.name=quan.tri",
            "-c",
            "user.email=qt@ubnd.example",
            "-C",
            data,
            "commit",
            "-qam",
            "danh mục",
        ],  # fmt: skip
        ["chgrp", "-R", office.group, data],
        ["chmod", "-R", "g+rwX", data],
        ["find", data, "-type", "d", "-exec", "chmod", "g+s", "{}", "+"],
        ["git", "-C", data, "config", "core.sharedRepository", "group"],
    ):
        assert office.shell(None, *command).returncode == 0
    first, second = office.clerks[:2]
    assert submit(office, first, data, "xa-long-khanh-b", "10:00", 100).code == 0
    saved = submit(office, second, data, "xa-long-khanh-a", "10:05", 200)
    assert saved.code == 0, saved.text
    saved = submit(office, second, data, "xa-long-khanh-b", "10:06", 150)
    assert saved.code == 0, saved.text
    assert git_log(data, "%an")[:3] == [second, second, first]


def test_a_folder_without_the_group_bit_is_named_by_check_with_its_fix(office, request):
    data = data_of(office, request)
    first = office.clerks[0]
    shared_office(office, data)
    assert submit(office, first, data, "xa-phu-cuong", "10:00", 100).code == 0
    day = data / "submissions" / DAY
    os.chmod(day, 0o2755)  # set up without the group bit
    os.chmod(data, 0o755)

    checked = office.run(office.clerks[1], "--data", data, "check")
    assert checked.code == 1, checked.text
    lines = checked.out.splitlines()
    for path, owner in ((data, "root"), (day, first)):
        line = next(line for line in lines if line.startswith(f"{path}: "))
        assert f"nhóm «{office.group}» không ghi được" in line, line
        assert f"chủ «{owner}»" in line, line
        assert f"sudo chmod {'g+rwX,g+s' if path == data else '-R g+rwX'} {path}" in line, line

    command = re.search(r"«(sudo chgrp [^»]*)»", line)
    assert command is not None, line
    fix = office.shell(None, "sh", "-c", command.group(1).replace("sudo ", ""))  # as root
    assert fix.returncode == 0, fix.stderr
    os.chmod(data, 0o2775)
    checked = office.run(office.clerks[1], "--data", data, "check")
    assert " 0 lỗi" in checked.err and "dùng chung" not in checked.text, checked.text
    assert submit(office, office.clerks[1], data, "xa-phu-cuong", "10:10", 120).code == 0


def test_init_shared_gives_an_existing_folder_to_the_group(office, request):
    """A folder used by one login so far: `init --shared` on it gives it to the group,
    its registry and figures untouched."""
    data = data_of(office, request)
    assert office.run(None, "init", data).code == 0
    (data / "units.yaml").write_text(registry_text("git"), encoding="utf-8")
    before = (data / "units.yaml").read_bytes()
    assert submit(office, None, data, "xa-long-khanh-b", "10:00", 100).code == 0
    refused = submit(office, office.clerks[0], data, "xa-long-khanh-b", "10:05", 110)
    assert refused.code == 1
    assert "HUONG-DAN.md" in refused.err and "--shared" in refused.err, refused.text

    shared = office.run(None, "init", data, "--shared", office.group)
    assert shared.code == 0, shared.text
    assert (data / "units.yaml").read_bytes() == before
    assert not_the_groups(data, grp.getgrnam(office.group).gr_gid) == []
    assert submit(office, office.clerks[0], data, "xa-long-khanh-b", "10:05", 110).code == 0
    assert (
        "group"
        in subprocess.run(
            ["git", "-C", str(data), "config", "core.sharedRepository"],
            capture_output=True,
            text=True,
        ).stdout
    )


# ----------------------------------------------------------------------------- refused saves


def refused_names(run, path: Path, owner: str) -> None:
    text = run.text
    assert run.code == 1, text
    assert "lỗi không mong đợi" not in text and "Traceback" not in text, text
    assert f"{path} (chủ «{owner}»" in text, text
    assert "nhờ người quản trị máy chủ" in text, text


def test_a_save_refused_for_a_permission_names_the_path_its_owner_and_the_fix(office, request):
    data = data_of(office, request)
    first, second = office.clerks[:2]
    shared_office(office, data)
    assert submit(office, first, data, "xa-phu-cuong", "10:00", 100).code == 0
    lock = data / ".git" / "bluezone" / "lock"
    day = data / "submissions" / DAY
    state = data / ".git" / "bluezone"

    os.chmod(lock, 0o644)  # the lock, as an older version made it
    refused = submit(office, second, data, "xa-tan-hoi", "10:05", 200)
    refused_names(refused, lock, first)
    assert "chưa ghi gì" in refused.err and not (day / "xa-tan-hoi.toml").exists()
    os.chmod(lock, 0o664)

    os.chmod(day, 0o2755)  # the day folder
    refused = submit(office, second, data, "xa-tan-hoi", "10:05", 200)
    refused_names(refused, day, first)
    assert f"sudo chmod -R g+rwX {day}" in refused.err
    os.chmod(day, 0o2775)

    os.chmod(data / "submissions", 0o2755)  # the folder a new day's folder is made in
    refused = office.run(
        second, "--data", data, "submit", "xa-tan-hoi", "--date", "2020-08-21",
        "--now", "2020-08-21T10:00", "residents_installed=210", *FIGURES,
    )  # fmt: skip
    refused_names(refused, data / "submissions", "root")
    os.chmod(data / "submissions", 0o2775)

    os.chmod(state, 0o2755)  # the list of saves not committed yet: saved, history waits
    saved = submit(office, second, data, "xa-tan-hoi", "10:05", 200)
    refused_names(saved, state, first)
    assert "đã lưu, nhưng chưa ghi được lịch sử" in saved.err
    os.chmod(state, 0o2775)

    store = data / ".git" / "objects"
    objects = [store, *sorted(p for p in store.iterdir() if len(p.name) == 2)]
    for folder in objects:  # git's objects, as a clerk's plain `git` with umask 022 left them
        os.chmod(folder, 0o2755)
    saved = submit(office, second, data, "xa-phu-cuong", "10:06", 150)
    assert saved.code == 1 and "đã lưu, nhưng chưa ghi được lịch sử" in saved.err, saved.text
    assert "(chủ «" in saved.err and "/.git/objects" in saved.err, saved.text
    assert "lỗi không mong đợi" not in saved.text
    for folder in objects:
        os.chmod(folder, 0o2775)

    os.chmod(data / ".git", 0o2755)  # git's index (index.lock is made in .git)
    saved = submit(office, second, data, "xa-phu-cuong", "10:07", 160)
    refused_names(saved, data / ".git", "root")
    os.chmod(data / ".git", 0o2775)

    saved = submit(office, second, data, "xa-phu-cuong", "10:08", 170)  # all fixed
    assert saved.code == 0, saved.text
    assert git_log(data, "%an")[0] == second
    assert (
        subprocess.run(  # every save before is committed now, none left behind
            ["git", "-C", str(data), "status", "--porcelain"], capture_output=True, text=True
        ).stdout
        == ""
    )


def test_a_login_outside_the_group_is_told_to_ask_for_it(office, request):
    data = data_of(office, request)
    shared_office(office, data)
    outsider = office.clerks[2]
    assert office.shell(None, "gpasswd", "-d", outsider, office.group).returncode == 0
    try:
        refused = submit(office, outsider, data, "xa-phu-cuong", "10:00", 100)
        assert refused.code == 1, refused.text
        assert f"sudo usermod -aG {office.group} {outsider}" in refused.err, refused.text
        checked = office.run(outsider, "--data", data, "check")
        assert checked.code == 1
        assert f"«{outsider}» không thuộc nhóm «{office.group}»" in checked.out, checked.text
    finally:
        office.shell(None, "gpasswd", "-a", outsider, office.group)


def test_init_shared_refuses_a_group_the_machine_does_not_have(office, request):
    made = office.run(None, "init", data_of(office, request), "--shared", "khong-co-nhom-nay")
    assert made.code == 2
    assert "sudo groupadd khong-co-nhom-nay" in made.err, made.text


def test_a_clerk_cannot_give_a_folder_to_a_group_they_are_not_in(office, request):
    made = office.run(office.clerks[0], "init", office.place / "x", "--shared", "root")
    assert made.code == 1 and "không thuộc nhóm «root»" in made.err, made.text


def test_a_clerks_init_where_only_root_may_write_gives_the_administrator_one_command(
    office, request
):
    """The clerk runs `init DIR --shared GROUP` in a folder only root may write: told
    whose folder refused and the command for the administrator, which then works."""
    clerk = office.clerks[0]
    parent = data_of(office, request)
    parent.mkdir(mode=0o755)  # root's, as /srv is
    target = parent / "hong-ngu"
    made = office.run(clerk, "init", target, "--shared", office.group)
    assert made.code == 1, made.text
    assert f"«{clerk}» không có quyền ghi vào thư mục {parent} (chủ «root»" in made.err
    assert f"nên không tạo được {target} trong đó" in made.err
    fix = re.search(r"«sudo (install -d -o [^»]*)»", made.err)
    assert fix is not None and f"-o {clerk} {target}" in fix.group(1), made.err
    assert "Traceback" not in made.text and "Errno" not in made.text
    assert office.shell(None, "sh", "-c", fix.group(1)).returncode == 0  # the administrator
    made = office.run(clerk, "init", target, "--shared", office.group)
    assert made.code == 0, made.text
    assert target.stat().st_uid == pwd.getpwnam(clerk).pw_uid
    assert not_the_groups(target, grp.getgrnam(office.group).gr_gid) == []


# ----------------------------------------------------------------------------- per login


def test_the_registry_cache_is_each_logins_own(office, request):
    """A large registry's cache lives in each login's home, and each is used."""
    data = data_of(office, request)
    shared_office(office, data)
    rows = "".join(f"Xã Số {n},{1000 + n},Ấp 1\n" for n in range(3000))
    sheet = office.place / "nhieu-xa.csv"
    sheet.write_text("Tên đơn vị,Dân số,Khóm ấp\n" + rows, encoding="utf-8")
    sheet.chmod(0o644)
    first, second = office.clerks[:2]
    imported = office.run(first, "--data", data, "units", "import", sheet, "--group", "commune",
                          "--yes")  # fmt: skip
    assert imported.code == 0, imported.text
    assert (data / "units.yaml").stat().st_size > 256 * 1024
    for clerk in (first, second):
        for _ in range(2):
            listed = office.run(clerk, "--data", data, "units", "list", "--group", "commune")
            assert listed.code == 0 and "Xã Số 2999" in listed.out, listed.text
        home = Path(os.path.expanduser(f"~{clerk}"))
        cached = list((home / ".cache" / "bluezone-tui").glob("registry-*.json"))
        assert len(cached) == 1 and cached[0].stat().st_uid == pwd.getpwnam(clerk).pw_uid


# ----------------------------------------------------------------------------- git's own writes


def test_what_a_sync_brings_into_a_shared_folder_is_the_groups(offices):
    """git writes the day folders and files a merge brings in itself: in a shared data
    folder it runs with the group's umask, so they are the group's too (no logins needed)."""
    district, province = offices
    for command in (
        ["chmod", "-R", "g+rwX", district.path],
        ["find", district.path, "-type", "d", "-exec", "chmod", "g+s", "{}", "+"],
    ):
        subprocess.run(command, check=True)
    district.git("config", "core.sharedRepository", "group")
    province.submit("xa-long-khanh-b", "14:41", "residents_installed=700")
    assert province.sync()[0] == 0
    old = os.umask(0o022)
    try:
        code, _, err = district.sync()
    finally:
        os.umask(old)
    assert code == 0, err
    day = district.path / "submissions" / "2020-08-20"
    assert stat.S_IMODE(day.stat().st_mode) & 0o2070 == 0o2070
    assert stat.S_IMODE((day / "xa-long-khanh-b.toml").stat().st_mode) & 0o060 == 0o060
    from bluezone_tui.base.sharing import sharing_problems

    assert sharing_problems(district.path) == []


# ----------------------------------------------------------------------------- the fixes given


def test_every_fix_offered_works_for_who_it_is_offered_to(office, request):
    """The owner's own command (only what they own), git's sharing set by root and by a
    clerk, and a login outside the group told so by git's reads (history)."""
    data = data_of(office, request)
    first, second, outsider = office.clerks
    shared_office(office, data)
    assert submit(office, first, data, "xa-phu-cuong", "10:00", 100).code == 0
    assert submit(office, second, data, "xa-tan-hoi", "10:05", 200).code == 0
    day = data / "submissions" / DAY
    os.chown(day, pwd.getpwnam(first).pw_uid, -1)
    os.chmod(day, 0o755)  # the first's folder, holding the second's file
    os.chmod(day / "xa-phu-cuong.toml", 0o644)
    checked = office.run(second, "--data", data, "check")
    line = next(line for line in checked.out.splitlines() if line.startswith(f"{day}: "))
    own = re.search(rf"«{first}», chủ của nó, tự chạy «([^»]*)»", line)
    assert own is not None and f"-user {first}" in own.group(1), line
    assert office.shell(first, "sh", "-c", own.group(1)).returncode == 0
    assert stat.S_IMODE(day.stat().st_mode) & 0o2070 == 0o2070
    assert stat.S_IMODE((day / "xa-phu-cuong.toml").stat().st_mode) & 0o060 == 0o060

    subprocess.run(["git", "-C", data, "config", "--unset", "core.sharedRepository"], check=True)
    checked = office.run(second, "--data", data, "check")
    fix = re.search(r"«sudo (git -c safe\.directory=[^»]*)»", checked.out)
    assert fix is not None, checked.text
    for who in (None, second):  # root and a clerk of the group
        assert office.shell(who, "sh", "-c", fix.group(1)).returncode == 0, who

    assert office.shell(None, "gpasswd", "-d", outsider, office.group).returncode == 0
    try:
        os.chmod(day, 0o2770)
        for folder in (data / ".git" / "objects").iterdir():
            os.chmod(folder, 0o2770)
        history = office.run(outsider, "--data", data, "history", "xa-phu-cuong", "--date", DAY)
        assert f"sudo usermod -aG {office.group} {outsider}" in history.err, history.text
        assert "unable to read" not in history.err, history.text
    finally:
        office.shell(None, "gpasswd", "-a", outsider, office.group)
