"""Issue 20's class, "git set-ups that are not the default", where the data folder's git
is not on a branch: a rebase, cherry-pick, bisect or merge stopped half way, an unborn
branch, a HEAD that is garbage or that this login cannot read, a linked worktree, a HEAD
that is a symbolic link, a folder or a branch whose name the shell would read, and a
checked-out commit whose units.yaml says `history: none`.

One verdict (bluezone_tui/git/head.py) for all of them: every writer refuses (exit 2,
nothing written, nothing committed) with the way back that fits, every view warns in
the same words, and every command offered is quoted for the shell it is pasted into.
Real git in temp folders: a bare origin and clones (tests/helpers/offices.py).
"""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest

from helpers.data import SHIPPED_REGISTRY
from helpers.offices import DAY, Office, clone, git, make_origin, needs_git, registry_text
from helpers.permissions import require_binding_permissions, run_as

pytestmark = needs_git
UNIT = "xa-long-khanh-b"
NOW = f"{DAY}T16:00"


def view(office: Office, command: str = "status") -> tuple[int, str]:
    """A view of the day (status, export, check, remind) and its warning about git."""
    args = {
        "status": ["status", "--date", DAY, "--now", NOW],
        "export": ["export", "--date", DAY, "--now", NOW, "--output", "-"],
        "check": ["check"],
        "remind": ["remind", "--date", DAY, "--now", NOW],
    }[command]
    code, _, err = office.run(*args)
    said = [line for line in err.splitlines() if "kho git của thư mục dữ liệu" in line]
    return code, "\n".join(said)


def untouched(office: Office, head: str) -> None:
    """Nothing committed and nothing written by the refused command."""
    assert office.git("rev-parse", "HEAD", check=False).strip() == head
    assert office.git("tag", "--list") == ""


def offered(text: str) -> list[str]:
    """The shell commands a message offers, as pasted (between « and »)."""
    return [c for c in re.findall(r"«([^»]*)»", text) if c.startswith(("git ", "echo "))]


def paste(command: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """`command` pasted into a shell, as the clerk would."""
    return subprocess.run(["sh", "-c", command], cwd=cwd, capture_output=True, text=True)


def refused_everywhere(office: Office, words: str) -> None:
    """Every writer of the command line refused with `words` (exit 2); nothing written."""
    head = office.git("rev-parse", "HEAD", check=False).strip()
    before = office.git("status", "--porcelain", "--untracked-files=all")
    sheet = office.path.parent / "xa-moi.csv"
    sheet.write_text("Tên đơn vị,Dân số,Khóm ấp\nXã Tân Hộ Cơ,9000,Ấp 1\n", encoding="utf-8")
    for args in (
        ["submit", "xa-long-khanh-a", "--date", DAY, "--now", f"{DAY}T14:50", "residents_installed=5"],
        ["withdraw", UNIT, "--date", DAY, "--now", f"{DAY}T15:10", "--reason", "nhầm"],
        ["units", "import", sheet, "--group", "commune", "--yes"],
        ["export", "--date", DAY, "--now", NOW, "--mark-sent", "--output", office.path.parent / "r.txt"],
        ["sync", "--now", NOW],
    ):  # fmt: skip
        code, out, err = office.run(*args)
        assert code == 2, (args, out, err)
        assert words in err, (args, err)
    untouched(office, head)
    assert office.git("status", "--porcelain", "--untracked-files=all") == before
    assert not (office.path.parent / "r.txt").exists()


# ----------------------------------------------------------------- git stopped half way


def rebase_stopped(office: Office) -> None:
    """A rebase stopped at a conflict on UNIT's day file (git detaches HEAD for it)."""
    office.submit(UNIT, "14:00", "residents_installed=400")
    office.git("checkout", "--quiet", "-b", "ban-nhap", "HEAD~1")
    office.submit(UNIT, "14:10", "residents_installed=420")
    office.git("rebase", "main", check=False)
    assert "rebase in progress" in office.git("status")


def test_a_rebase_stopped_at_a_conflict_refuses_resolve_and_says_the_rebase(offices):
    """The tester's A1: status and the board offered «git switch main», which git refuses
    mid-rebase; `resolve --keep ours` exited 0 and committed onto the rebase's HEAD."""
    district, _ = offices
    rebase_stopped(district)
    head = district.git("rev-parse", "HEAD").strip()
    conflicted = district.file(DAY, UNIT).read_bytes()
    for command in ("status", "export", "check"):
        _, warning = view(district, command)
        assert "đang rebase dở nhánh «ban-nhap»" in warning, command
        assert f"«git -C {district.path} rebase --continue»" in warning
        assert f"«git -C {district.path} rebase --abort»" in warning
        assert "switch main" not in warning
        assert "«bên này» (ours) là nhánh đích của rebase" in warning  # the sides swapped
    code, _, err = district.run("resolve", UNIT, "--date", DAY, "--keep", "ours", "--now", NOW)
    assert code == 2 and "không giải quyết xung đột ở đây" in err and "rebase --abort" in err
    assert district.file(DAY, UNIT).read_bytes() == conflicted
    untouched(district, head)
    refused_everywhere(district, "đang rebase dở")
    # the way out it gives works, and then everything saves again
    [abort] = [c for c in offered(warning) if c.endswith("rebase --abort")]
    assert paste(abort, district.path.parent).returncode == 0
    assert district.git("symbolic-ref", "--short", "HEAD").strip() == "ban-nhap"
    assert view(district)[1] == ""
    district.submit(UNIT, "14:20", "residents_installed=425")


@pytest.mark.parametrize("operation", ["cherry-pick", "revert"])
def test_a_cherry_pick_or_revert_stopped_on_a_branch_refuses_saves(offices, operation):
    """On the branch, but git waits for a conflict to be settled: a save there would be
    committed under it, and sync would commit the conflict markers as hand edits."""
    district, _ = offices
    district.submit(UNIT, "14:00", "residents_installed=400")
    district.submit(UNIT, "14:10", "residents_installed=420")
    picked = district.git("rev-parse", "HEAD").strip()
    if operation == "cherry-pick":
        district.git("checkout", "--quiet", "-b", "khac", "HEAD~2")
        district.submit(UNIT, "14:05", "residents_installed=410")
        district.git("cherry-pick", picked, check=False)
    else:
        district.submit(UNIT, "14:30", "residents_installed=430")
        district.git("revert", "--no-edit", picked, check=False)
    _, warning = view(district)
    assert f"đang {operation} dở trên nhánh" in warning
    assert f"«git -C {district.path} {operation} --abort»" in warning
    refused_everywhere(district, f"đang {operation} dở")
    district.git(operation, "--abort")
    assert view(district)[1] == ""


def test_a_bisect_says_bisect_reset(offices):
    district, _ = offices
    district.submit(UNIT, "14:00", "residents_installed=400")
    district.submit(UNIT, "14:10", "residents_installed=420")
    district.submit(UNIT, "14:20", "residents_installed=430")
    district.git("bisect", "start", "HEAD", "HEAD~3")
    _, warning = view(district)
    assert "đang tìm commit lỗi dở (git bisect" in warning
    assert f"«git -C {district.path} bisect reset» (trở lại nhánh «main»)" in warning
    refused_everywhere(district, "git bisect")
    for command in offered(warning):
        assert paste(command, district.path.parent).returncode == 0, command
    assert view(district)[1] == ""


def test_a_merge_stopped_on_a_detached_head_is_not_taken_for_the_syncs_own(offices):
    """A merge on a branch is the sync's, finished by `resolve`; one on a detached HEAD
    would be committed where the next checkout leaves it."""
    district, _ = offices
    district.submit(UNIT, "14:00", "residents_installed=400")
    district.git("checkout", "--quiet", "-b", "khac", "HEAD~1")
    district.submit(UNIT, "14:05", "residents_installed=410")
    district.git("checkout", "--quiet", "--detach", "main")
    district.git("merge", "khac", check=False)
    _, warning = view(district)
    assert "đang gộp dở (git merge) trên HEAD rời" in warning and "merge --abort" in warning
    code, _, err = district.run("resolve", UNIT, "--date", DAY, "--keep", "ours", "--now", NOW)
    assert code == 2 and "merge --abort" in err
    refused_everywhere(district, "đang gộp dở")


# ----------------------------------------------------------------- not a branch


def test_a_save_left_pending_is_not_committed_by_mark_sent_on_a_detached_head(offices):
    """The tester's A2: a save whose pre-commit hook failed was committed (and tagged)
    by `export --mark-sent` while HEAD was detached."""
    district, _ = offices
    district.submit(UNIT, "14:00", "residents_installed=400")
    hook = district.path / ".git" / "hooks" / "pre-commit"
    hook.write_text("#!/bin/sh\nexit 1\n")
    hook.chmod(0o755)
    code, _, err = district.submit(UNIT, "14:10", "residents_installed=410", check=False)
    assert code == 1 and "chưa ghi được lịch sử" in err
    hook.unlink()
    district.git("checkout", "--quiet", "--detach")
    head = district.git("rev-parse", "HEAD").strip()
    output = district.path.parent / "bao-cao.txt"
    code, _, err = district.run(
        "export", "--date", DAY, "--now", NOW, "--mark-sent", "--output", output
    )
    assert code == 2 and "không đánh dấu báo cáo đã gửi ở đây" in err and "detached HEAD" in err
    untouched(district, head)
    assert not output.exists()
    assert (district.path / ".git" / "bluezone" / "pending").read_text().strip()
    district.git("switch", "--quiet", "main")  # the way back; then the same command works
    code, _, err = district.run(
        "export", "--date", DAY, "--now", NOW, "--mark-sent", "--output", output
    )
    assert code == 0, err
    assert district.log("-1")[0].startswith(f"{UNIT} {DAY}: residents_installed 400 → 410")
    assert district.git("tag", "--list").split() == ["bao-cao/2020-08-20"]


def test_an_unborn_branch_beside_the_data_refuses_saves(offices):
    """The tester's A3: after `git checkout --orphan newb` submit made a root commit of one
    .toml (no units.yaml), gone from the folder at `git switch main`."""
    district, _ = offices
    district.submit(UNIT, "14:00", "residents_installed=400")
    district.git("checkout", "--quiet", "--orphan", "newb")
    _, warning = view(district)
    assert "ở nhánh «newb» chưa có commit nào, còn số liệu nằm ở nhánh «main»" in warning
    code, _, err = district.submit("xa-long-khanh-a", "14:10", "residents_installed=5", check=False)
    assert code == 2 and "sẽ mất khỏi thư mục khi trở lại nhánh «main»" in err
    assert not district.file(DAY, "xa-long-khanh-a").exists()
    assert district.git("rev-parse", "--verify", "--quiet", "newb", check=False) == ""
    refused_everywhere(district, "chưa có commit nào")
    [command] = offered(warning)
    assert paste(command, district.path.parent).returncode == 0
    district.submit("xa-long-khanh-a", "14:10", "residents_installed=5")
    assert district.git("ls-files", "units.yaml").strip() == "units.yaml"


def test_a_new_repository_with_no_commit_at_all_still_starts_its_history(tmp_path, git_env, capsys):
    """Unborn, with no other branch: nothing to go back to; the first save starts it."""
    (tmp_path / "units.yaml").write_text(registry_text(None), encoding="utf-8")
    git(tmp_path, "init", "--quiet", "--initial-branch=main")
    git(tmp_path, "config", "user.name", "a")
    git(tmp_path, "config", "user.email", "a@x")
    office = Office(tmp_path, "moi", capsys)
    assert view(office)[1] == ""
    office.submit(UNIT, "14:00", "residents_installed=1")
    assert office.log() == [office.log()[0]] and office.log()[0].startswith(UNIT)


def test_a_head_that_is_garbage_is_a_broken_repository_everywhere(offices):
    """The tester's A4: the CLI refused a save but status said nothing, and the board
    (tests/tui/test_board_detached.py) saved; now one verdict, with its fix."""
    district, _ = offices
    district.submit(UNIT, "14:00", "residents_installed=400")
    (district.path / ".git" / "HEAD").write_text("garbage\n")
    for command in ("status", "export", "check", "remind"):
        code, warning = view(district, command)
        assert f"bị hỏng: tệp {district.path}/.git/HEAD chứa «garbage»" in warning, command
    before = district.file(DAY, UNIT).read_bytes()
    code, _, err = district.submit(UNIT, "14:10", "residents_installed=410", check=False)
    assert code == 2 and "không lưu số liệu ở đây" in err and "bị hỏng" in err
    assert district.file(DAY, UNIT).read_bytes() == before
    code, _, err = district.sync()
    assert code == 2 and "không đồng bộ ở đây" in err
    [fix, check] = offered(view(district)[1])
    assert fix == f"echo 'ref: refs/heads/main' > {district.path}/.git/HEAD"
    assert paste(fix, district.path.parent).returncode == 0
    assert paste(check, district.path.parent).returncode == 0
    assert view(district)[1] == ""
    district.submit(UNIT, "14:10", "residents_installed=410")


def test_an_unreadable_head_is_named_and_refuses_saves(offices, tmp_path):
    """The tester's A5: with .git/HEAD unreadable to the clerk, a detached HEAD went
    unseen: status silent, submit saved into the checkout ("không phải kho git")."""
    district, _ = offices
    require_binding_permissions(tmp_path, SHIPPED_REGISTRY)
    district.git("checkout", "--quiet", "--detach")
    head_file = district.path / ".git" / "HEAD"
    os.chmod(head_file, 0)
    try:
        status = run_as(True, "--data", district.path, "status", "--date", DAY, "--now", NOW)
        assert status.code == 0, status.err
        assert f"không đọc được ({head_file}: không có quyền đọc)" in status.err
        assert f"chmod u+r {head_file}" in status.err
        saved = run_as(
            True, "--data", district.path, "submit", UNIT, "--date", DAY, "--now", NOW,
            "residents_installed=433",
        )  # fmt: skip
        assert saved.code == 2 and "không lưu số liệu ở đây" in saved.err
        assert str(head_file) in saved.err
    finally:
        os.chmod(head_file, 0o644)
    assert not district.file(DAY, UNIT).exists()


def test_every_command_offered_is_quoted_for_the_shell(tmp_path, git_env, capsys):
    """The tester's A6: `--data "/tmp/my data"` gave «git -C /tmp/my data switch main»,
    and a branch named 'x$(touch${IFS}pwn);y' was offered unquoted (run if pasted)."""
    origin, _ = make_origin(tmp_path)
    office = clone(origin, tmp_path / "my data", "huyen", capsys)
    branch = "x$(touch${IFS}pwn);y"
    office.git("branch", "-m", "main", branch)
    office.git("checkout", "--quiet", "--detach")
    (office.path / "ghi-chu.txt").write_text("x\n")
    office.git("add", "ghi-chu.txt")
    office.git("commit", "--quiet", "-m", "trên HEAD rời")
    _, warning = view(office)
    [command] = offered(warning)
    assert command.startswith(f"git -C '{office.path}' branch giu-lai-")
    assert f"switch '{branch}'" in command
    done = paste(command, tmp_path)
    assert done.returncode == 0, done.stderr
    assert not (tmp_path / "pwn").exists() and not (office.path / "pwn").exists()
    assert office.git("symbolic-ref", "--short", "HEAD").strip() == branch
    assert "trên HEAD rời" in office.log()


def test_a_linked_worktree_is_offered_its_own_branch(offices, tmp_path):
    """The tester's A7: in `git worktree add … -b wtb`, detached, the advice was «switch
    main», which git refuses (main is checked out in the first folder)."""
    district, _ = offices
    worktree = tmp_path / "ban-lam-viec"
    district.git("worktree", "add", "--quiet", str(worktree), "-b", "wtb")
    office = Office(worktree, "wt", district.capsys)
    office.git("checkout", "--quiet", "--detach")
    _, warning = view(office)
    assert f"«git -C {worktree} switch wtb»" in warning and "switch main" not in warning
    refused_everywhere(office, "detached HEAD")
    [command] = offered(warning)
    assert paste(command, tmp_path).returncode == 0
    office.submit(UNIT, "14:00", "residents_installed=400")
    assert git(district.path, "log", "-1", "--format=%s", "wtb").startswith(UNIT)


def test_a_head_that_is_a_symbolic_link_is_on_its_branch(offices):
    """The tester's A8: with core.preferSymlinkRefs=true HEAD is a link to refs/heads/main;
    read as a file it looked detached, and every save was refused forever."""
    district, _ = offices
    district.git("config", "core.preferSymlinkRefs", "true")
    district.git("checkout", "--quiet", "--detach")
    district.git("switch", "--quiet", "main")
    assert (district.path / ".git" / "HEAD").is_symlink()
    assert view(district)[1] == ""
    district.submit(UNIT, "14:00", "residents_installed=400")
    assert district.log("-1")[0].startswith(UNIT)
    assert district.sync()[0] == 0


def test_history_none_in_the_checked_out_commit_does_not_make_the_folder_writable(offices):
    """The tester's A9: units.yaml of the checked-out commit said `history: none`: the
    warning went, and submit wrote an untracked file into the detached checkout. A data
    folder whose `.git` is not on a branch is one, whatever units.yaml says."""
    district, _ = offices
    (district.path / "units.yaml").write_text(registry_text("none"), encoding="utf-8")
    district.git("commit", "--quiet", "-am", "không ghi lịch sử")
    district.git("checkout", "--quiet", "--detach")
    for command in ("status", "export", "check"):
        assert "detached HEAD" in view(district, command)[1], command
    head = district.git("rev-parse", "HEAD").strip()
    for args in (
        ["submit", UNIT, "--date", DAY, "--now", f"{DAY}T14:50", "residents_installed=5"],
        ["withdraw", UNIT, "--date", DAY, "--now", f"{DAY}T15:10", "--reason", "nhầm"],
    ):
        code, _, err = district.run(*args)
        assert code == 2 and "detached HEAD" in err, (args, err)
    untouched(district, head)
    assert district.git("status", "--porcelain", "--untracked-files=all") == ""


def test_the_province_reading_a_district_clone_left_on_an_old_commit_says_so(offices):
    """A view of a data folder like any other: the province's ranking over a district's
    clone on a detached HEAD uses that commit's figures, and says so (exit 0)."""
    district, _ = offices
    district.submit(UNIT, "14:00", "residents_installed=400")
    district.submit("xa-long-khanh-a", "14:05", "residents_installed=500")
    district.git("checkout", "--quiet", "--detach", "HEAD~1")  # Long Khánh A's not there
    code, out, err = district.run("province", "--date", DAY, "--now", NOW, district.path)
    assert code == 0, err
    assert f"{district.path}: kho git của thư mục dữ liệu {district.path} không ở trên" in err
    assert "detached HEAD" in err and "switch main" in err
