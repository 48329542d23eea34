"""Issue 20, "git that is not the default": hooks, a detached HEAD, hand edits, a report
withdrawn, a broken units.yaml arriving, core.autocrlf, a shallow clone, two syncs at
once, git's English. Real git: a bare origin and two clones in temp folders.
"""

from __future__ import annotations

import fcntl
import os
import re
from pathlib import Path

import pytest

from bluezone_tui.git.command import GitError
from helpers.offices import DAY, Office, git, identify, needs_git

pytestmark = needs_git
UNIT = "xa-long-khanh-b"
OTHER = "xa-thuong-lac"


def hook(office: Office, name: str, body: str, folder: str = ".git/hooks") -> Path:
    script = office.path / folder / name
    script.parent.mkdir(parents=True, exist_ok=True)
    script.write_text("#!/bin/sh\n" + body)
    script.chmod(0o755)
    return script


def committed(office: Office, relative: str, rev: str = "HEAD") -> bytes:
    return git_bytes(office.path, "show", f"{rev}:{relative}")


def git_bytes(cwd: Path, *args: str) -> bytes:
    import subprocess

    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, check=True).stdout


def day_path(unit: str = UNIT) -> str:
    return f"submissions/{DAY}/{unit}.toml"


# ----------------------------------------------------------------- hooks


REWRITING_HOOK = (
    "f=submissions/*/xa-long-khanh-b.toml\n"
    "sed -i 's/residents_installed = 700/residents_installed = 1700/' $f\n"
    "git add $f\n"
)


def test_a_hook_that_rewrites_the_staged_file_changes_nothing(offices):
    """The issue's sample: "Đã lưu … (bản 2)", exit 0, and the file and the commit held
    1700 where 700 was typed."""
    district, province = offices
    district.submit(UNIT, "14:30", "residents_installed=600")
    hook(district, "pre-commit", REWRITING_HOOK)
    code, out, err = district.submit(UNIT, "14:40", "residents_installed=700", check=False)
    assert code == 1 and "(bản 2)" in out
    assert "hook pre-commit" in err and "đã sửa" in err and "chưa ghi được lịch sử" in err
    assert district.figures(UNIT)["figures"]["residents_installed"] == 700
    assert b"= 600" in committed(district, day_path())  # bản 1 is the last commit
    assert "1700" not in district.git("log", "-p", "--all")
    (district.path / ".git/hooks/pre-commit").unlink()
    code, out, err = district.sync()
    assert code == 0, err
    assert committed(district, day_path()) == district.file(DAY, UNIT).read_bytes()
    assert province.sync()[0] == 0
    assert province.figures(UNIT)["figures"]["residents_installed"] == 700


def test_a_hook_that_edits_the_file_in_the_folder_is_undone(offices):
    district, _ = offices
    hook(district, "pre-commit", "sed -i 's/= 700/= 1700/' submissions/*/xa-long-khanh-b.toml\n")
    code, out, err = district.submit(UNIT, "14:40", "residents_installed=700", check=False)
    assert code == 1 and "trong thư mục" in err
    assert district.figures(UNIT)["figures"]["residents_installed"] == 700
    assert district.log() == ["Khởi tạo"]


def test_a_hook_that_only_looks_sees_the_save_staged_and_the_save_is_committed(offices):
    district, _ = offices
    seen = district.path.parent / "seen"
    hook(district, "pre-commit", f"git diff --cached --name-only > {seen}\n")
    done = district.path.parent / "done"
    hook(district, "post-commit", f"git log -1 --format=%s > {done}\n")
    district.submit(UNIT, "14:40", "residents_installed=700")
    assert seen.read_text().split() == [day_path()]
    assert done.read_text().startswith(f"{UNIT} {DAY}: báo cáo mới")
    assert committed(district, day_path()) == district.file(DAY, UNIT).read_bytes()
    assert district.git("status", "--porcelain") == ""


def test_hooks_where_core_hooks_path_puts_them(offices):
    district, _ = offices
    district.git("config", "core.hooksPath", "moc")
    hook(district, "pre-commit", "echo 'moc tu choi' >&2\nexit 1\n", folder="moc")
    code, out, err = district.submit(UNIT, "14:40", "residents_installed=700", check=False)
    assert code == 1 and "moc tu choi" in err and "hook pre-commit" in err


def test_a_commit_msg_hook_may_refuse_or_edit_the_message(offices):
    district, _ = offices
    script = hook(district, "commit-msg", "echo 'thieu ma phieu' >&2\nexit 1\n")
    code, _, err = district.submit(UNIT, "14:40", "residents_installed=700", check=False)
    assert code == 1 and "hook commit-msg" in err and "thieu ma phieu" in err
    script.write_text('#!/bin/sh\necho "Phieu: 12" >> "$1"\n')
    code, _, err = district.run("sync")  # no remote branch change; commits the pending save
    assert district.git("log", "-1", "--format=%B").rstrip().endswith("Phieu: 12")


def test_a_save_never_takes_what_a_person_staged(offices):
    district, _ = offices
    (district.path / "ghi-chu.txt").write_text("của tôi\n")
    district.git("add", "ghi-chu.txt")
    district.submit(UNIT, "14:40", "residents_installed=700")
    assert district.git("show", "--name-only", "--format=", "HEAD").split() == [day_path()]
    assert district.git("status", "--porcelain").splitlines() == ["A  ghi-chu.txt"]


def test_a_commit_made_by_another_git_meanwhile_is_kept_and_the_save_goes_on_top(
    offices, monkeypatch
):
    from bluezone_tui.git import plumbing

    district, _ = offices
    real = plumbing.read_head
    calls = []

    def read_then_someone_commits(git_, relative):  # type: ignore[no-untyped-def]
        head = real(git_, relative)
        if not calls:
            calls.append(1)
            district.git("commit", "--quiet", "--allow-empty", "-m", "của người khác")
        return head

    monkeypatch.setattr(plumbing, "read_head", read_then_someone_commits)
    district.submit(UNIT, "14:40", "residents_installed=700")
    assert district.log()[:2] == [
        f"{UNIT} {DAY}: báo cáo mới: residents_installed 700, reported_at 2020-08-20 14:40 (bản 1)",
        "của người khác",
    ]


# ----------------------------------------------------------------- detached HEAD


def test_a_detached_head_refuses_the_save_and_says_how_to_lose_nothing(offices):
    """The issue's sample: submit committed onto a detached HEAD, and sync said to run
    `git switch main`, which left that save in the reflog only."""
    district, _ = offices
    district.git("checkout", "--quiet", "--detach")
    code, out, err = district.submit(UNIT, "14:40", "residents_installed=700", check=False)
    assert code == 2 and "detached HEAD" in err
    assert not district.file(DAY, UNIT).exists()  # nothing written
    assert f"git -C {district.path} switch main" in err
    code, out, err = district.sync()
    assert code == 2 and "detached HEAD" in err and "switch main" in err


def test_commits_made_on_a_detached_head_are_kept_by_the_way_out(offices):
    district, province = offices
    district.git("checkout", "--quiet", "--detach")
    (district.path / "ghi-chu.txt").write_text("x\n")
    district.git("add", "ghi-chu.txt")
    district.git("commit", "--quiet", "-m", "trên HEAD rời")
    code, out, err = district.submit(UNIT, "14:40", "residents_installed=700", check=False)
    assert code == 2
    match = re.search(
        r"«(git -C \S+ branch \S+ && git -C \S+ switch main && git -C \S+ merge \S+)»", err
    )
    assert match, err
    for command in match.group(1).split(" && "):
        git(district.path, *command.split()[3:])
    assert "trên HEAD rời" in district.log()
    district.submit(UNIT, "14:41", "residents_installed=700")
    assert district.sync()[0] == 0 and province.sync()[0] == 0
    assert (province.path / "ghi-chu.txt").exists() and province.file(DAY, UNIT).exists()


def test_a_view_that_stays_open_asks_git_about_the_head_only_when_it_moved(offices, monkeypatch):
    """The board's look at the HEAD each second (git/head.py): a few small reads on a
    branch; the verdict asked of git when HEAD moved, and while not on a branch every
    REFRESH_SECONDS, so a branch made meanwhile changes the way back it gives."""
    from bluezone_tui.git import head as head_module

    district, _ = offices
    asked = []
    head_state = head_module.head_state

    def counted(data_dir):  # type: ignore[no-untyped-def]
        asked.append(1)
        return head_state(data_dir)

    monkeypatch.setattr(head_module, "head_state", counted)
    now = [0.0]
    watch = head_module.HeadWatch(district.path, clock=lambda: now[0])
    state = watch.state()
    assert state is not None and state.writable and state.branch == "main" and len(asked) == 1
    for _ in range(5):
        assert watch.state() is state
    assert len(asked) == 1  # on a branch: HEAD's file read, git not asked

    district.git("checkout", "--quiet", "--detach")
    (district.path / "ghi-chu.txt").write_text("x\n")
    district.git("add", "ghi-chu.txt")
    district.git("commit", "--quiet", "-m", "trên HEAD rời")  # a commit on no branch
    state = watch.state()
    assert state is not None and "commit chưa thuộc nhánh nào" in state.warning()
    assert not state.writable and len(asked) == 2
    district.git("branch", "giu-lai")  # kept on a branch meanwhile: HEAD's file unchanged
    now[0] += head_module.REFRESH_SECONDS - 1
    assert watch.state() is state and len(asked) == 2
    now[0] += 1
    state = watch.state()
    assert state is not None and "đã có trên nhánh «giu-lai»" in state.warning()
    assert len(asked) == 3

    district.git("switch", "--quiet", "main")
    state = watch.state()
    assert state is not None and state.writable and state.branch == "main"
    assert len(asked) == 4
    assert head_module.back_on_branch("main").startswith(
        "Kho git của thư mục dữ liệu đã trở lại nhánh «main»"
    )


# ----------------------------------------------------------------- changes made by hand


def test_a_hand_edit_of_units_yaml_is_synced_in_a_commit_that_says_what_it_holds(offices):
    """The guide asks for this edit (the office's phone): sync said it was in sync and
    left ` M units.yaml`."""
    district, province = offices
    registry = district.path / "units.yaml"
    registry.write_text(
        registry.read_text(encoding="utf-8").replace('"0277 3800 307"', '"0277 3800 999"', 1),
        encoding="utf-8",
    )
    code, out, err = district.sync()
    assert code == 0, err
    subject = district.log("-1")[0]
    assert subject.startswith("units.yaml: sửa ngoài bluezone: office.phone")
    assert "0277 3800 307" in subject and "0277 3800 999" in subject
    assert "đã ghi vào git thay đổi sửa tay" in err
    assert district.git("status", "--porcelain") == ""
    assert province.sync()[0] == 0
    assert "0277 3800 999" in (province.path / "units.yaml").read_text(encoding="utf-8")


def test_a_hand_edit_is_never_swept_into_an_import(offices, tmp_path):
    district, _ = offices
    registry = district.path / "units.yaml"
    registry.write_text(
        registry.read_text(encoding="utf-8").replace('"0277 3800 307"', '"0277 3800 999"', 1),
        encoding="utf-8",
    )
    sheet = tmp_path / "dan-so.csv"
    sheet.write_text("Mã,Tên đơn vị,Dân số\nxa-long-khanh-b,Xã Long Khánh B,8800\n", "utf-8")
    code, out, err = district.run(
        "units", "import", sheet, "--group", "commune", "--update", "--yes"
    )
    assert code == 0, err
    assert district.log("-2") == [
        "units.yaml: danh mục đơn vị",
        "units.yaml: sửa ngoài bluezone: office.phone: «0277 3800 307» → «0277 3800 999»",
    ]
    diff = district.git("show", "--format=", "HEAD")
    assert "8800" in diff and "3800 999" not in diff


def test_a_day_file_removed_or_edited_by_hand_is_synced_saying_so(offices):
    district, province = offices
    district.submit(UNIT, "14:40", "residents_installed=433")
    district.submit(OTHER, "14:41", "residents_installed=700")
    assert district.sync()[0] == 0 and province.sync()[0] == 0
    district.file(DAY, OTHER).unlink()
    path = district.file(DAY, UNIT)
    path.write_text(path.read_text(encoding="utf-8").replace("= 433", "= 434"), "utf-8")
    code, out, err = district.sync("16:10")
    assert code == 0, err
    subjects = district.log("-2")
    assert f"{UNIT} {DAY}: sửa ngoài bluezone: residents_installed 433 → 434 (bản 1)" in subjects
    assert f"{OTHER} {DAY}: xoá tệp ngoài bluezone (không qua «bluezone withdraw»)" in subjects
    assert province.sync("16:11")[0] == 0
    assert not province.file(DAY, OTHER).exists()
    assert province.figures(UNIT)["figures"]["residents_installed"] == 434


def test_a_day_file_broken_by_hand_is_named_and_not_sent(offices):
    district, province = offices
    district.submit(UNIT, "14:40", "residents_installed=433")
    assert district.sync()[0] == 0
    district.file(DAY, UNIT).write_text("revision = [\n", encoding="utf-8")
    district.submit(OTHER, "14:41", "residents_installed=700")
    code, out, err = district.sync("16:10")
    assert code == 1
    assert f"{day_path()}: tệp sửa tay không đọc được nên chưa gửi đi" in err
    assert province.sync("16:11")[0] == 0
    assert province.file(DAY, OTHER).exists()  # the rest still went
    assert province.figures(UNIT)["figures"]["residents_installed"] == 433


def test_a_hand_edit_gets_its_own_commit_before_a_save_of_the_same_file(offices):
    district, _ = offices
    district.submit(UNIT, "14:40", "residents_installed=433", "--note", "a")
    path = district.file(DAY, UNIT)
    path.write_text(path.read_text(encoding="utf-8").replace('note = "a"', 'note = "b"'), "utf-8")
    district.submit(UNIT, "14:50", "residents_installed=450")
    subjects = district.log("-2")
    assert subjects[1].startswith(f"{UNIT} {DAY}: sửa ngoài bluezone: note «a» → «b»")
    assert subjects[0].startswith(f"{UNIT} {DAY}: residents_installed 433 → 450")


# ----------------------------------------------------------------- withdrawing a report


def test_a_mistaken_report_is_withdrawn_recorded_and_shared(offices):
    district, province = offices
    district.submit(UNIT, "14:40", "residents_installed=433", who="lan")
    code, out, err = district.run(
        "withdraw", UNIT, "--date", DAY, "--now", f"{DAY}T15:10",
        "--reason", "nhập nhầm số của xã khác", "--entered-by", "minh",
    )  # fmt: skip
    assert code == 0, err
    assert "Đã rút báo cáo" in out and "(bản 2)" in out
    assert district.git("log", "-1", "--format=%an|%s") == (
        f"minh|{UNIT} {DAY}: rút báo cáo: «nhập nhầm số của xã khác» (bản 2)\n"
    )
    body = district.git("log", "-1", "--format=%b")
    assert "Người rút: minh" in body and "residents_installed 433" in body and "lan" in body
    code, out, err = district.run("history", UNIT, "--date", DAY)
    assert "bản 2 · rút báo cáo 20/08/2020 15:10 · minh" in out
    assert "Lý do: «nhập nhầm số của xã khác»" in out
    assert district.sync()[0] == 0 and province.sync()[0] == 0
    code, out, err = province.run("status", "--date", DAY, "--now", f"{DAY}T16:00")
    row = next(line for line in out.splitlines() if UNIT in line)
    assert "chưa báo cáo" in row and "đã rút" in row
    # a new report replaces the withdrawal, as the next revision
    code, out, err = province.submit(
        UNIT, "16:05", "residents_installed=434", "--reported-at", "15:55", check=False
    )
    assert code == 0, err
    assert province.figures(UNIT)["revision"] == 3


def test_withdrawing_what_is_not_there_or_already_withdrawn(offices):
    district, _ = offices
    args = ("withdraw", UNIT, "--date", DAY, "--now", f"{DAY}T15:10", "--reason", "nhầm")
    code, out, err = district.run(*args)
    assert code == 1 and "chưa có báo cáo" in err
    district.submit(UNIT, "14:40", "residents_installed=433")
    assert district.run(*args)[0] == 0
    code, out, err = district.run(*args)
    assert code == 0 and "Không có gì thay đổi" in out
    assert len(district.log()) == 3
    code, out, err = district.run("withdraw", UNIT, "--date", DAY, "--reason", "  ")
    assert code == 1 and "lý do" in err


def test_a_withdrawn_report_carries_the_last_figures_and_no_error(offices):
    district, _ = offices
    district.run(
        "submit", UNIT, "--date", "2020-08-19", "--now", "2020-08-19T14:00",
        "residents_installed=400",
    )  # fmt: skip
    district.submit(UNIT, "14:40", "residents_installed=433")
    district.run("withdraw", UNIT, "--date", DAY, "--now", f"{DAY}T15:10", "--reason", "nhầm")
    code, out, err = district.run(
        "export", "--format", "csv", "--date", DAY, "--now", f"{DAY}T16:00"
    )
    assert code == 0, err
    row = next(line for line in out.splitlines() if line.split(",")[1] == UNIT)
    assert ",missing," in row and ",400," in row and "2020-08-19" in row
    code, out, err = district.run("check")
    assert code == 0, out


# ----------------------------------------------------------------- a broken units.yaml arrives


def test_a_broken_units_yaml_arriving_by_sync_is_said_with_the_way_back(offices):
    """The issue's sample: sync said "units.yaml đã thay đổi theo kho chung", exit 0, and
    every later command exited 2."""
    district, province = offices
    registry = province.path / "units.yaml"
    registry.write_text(
        registry.read_text(encoding="utf-8").replace("timezone: Asia/Ho_Chi_Minh", "timezone: [x"),
        encoding="utf-8",
    )
    province.git("commit", "--quiet", "-am", "sửa tay hỏng")
    province.git("push", "--quiet")
    code, out, err = district.sync()
    assert code == 2
    assert "units.yaml nhận từ kho chung (do tinh" in err and "bị lỗi" in err
    assert "units.yaml đã thay đổi theo kho chung" not in out
    match = re.search(r"«(git -C \S+ checkout \S+ -- units\.yaml)»", err)
    assert match, err
    git(district.path, *match.group(1).split()[3:])
    code, out, err = district.sync("16:05")
    assert code == 0, err
    assert district.log("-1")[0] == (
        "units.yaml: sửa ngoài bluezone: bản trước không đọc được như YAML, bản này đọc được"
    )
    # the province broke it with git itself, and cannot run bluezone until it is fixed:
    # git brings it the fix
    province.git("pull", "--quiet", "--no-rebase")
    assert province.run("status", "--date", DAY, "--now", f"{DAY}T16:07")[0] == 0


# ----------------------------------------------------------------- autocrlf, shallow, busy


def test_core_autocrlf_leaves_no_phantom_version(offices):
    district, province = offices
    province.git("config", "core.autocrlf", "true")
    district.submit(UNIT, "14:40", "residents_installed=433")
    assert district.sync()[0] == 0 and province.sync()[0] == 0
    assert b"\r\n" in province.file(DAY, UNIT).read_bytes()  # git's checkout, CRLF
    code, out, err = province.run("history", UNIT, "--date", DAY)
    assert "chưa ghi vào git" not in out and "1 phiên bản" in out
    # a save over that file writes it as bluezone does, and commits no line-end change
    province.submit(UNIT, "15:00", "residents_installed=450")
    assert b"\r\n" not in committed(province, day_path())
    assert province.git("status", "--porcelain") == ""
    assert "residents_installed 433 → 450 (bản 2)" in province.log("-1")[0]


def test_a_shallow_clone_says_where_its_history_is_cut(offices, tmp_path, capsys):
    district, _ = offices
    district.submit(UNIT, "14:40", "residents_installed=433")
    district.submit(UNIT, "14:50", "residents_installed=700")
    assert district.sync()[0] == 0
    shallow = tmp_path / "nong"
    git(
        tmp_path,
        "clone",
        "--quiet",
        "--depth",
        "1",
        f"file://{tmp_path / 'origin.git'}",
        str(shallow),
    )
    identify(shallow, "nong")
    office = Office(shallow, "nong", capsys)
    code, out, err = office.run("history", UNIT, "--date", DAY)
    assert code == 0, err
    assert "bản sao git nông" in out and "bản sớm nhất có ở máy này" in out
    assert "– → 700" not in out and "Đã cài (residents_installed): 700" in out


def test_a_second_sync_while_one_runs_is_exit_2_not_a_conflict(offices):
    district, _ = offices
    lock = district.path / ".git" / "bluezone" / "sync-lock"
    lock.parent.mkdir(exist_ok=True)
    fd = os.open(lock, os.O_RDWR | os.O_CREAT)
    try:
        os.write(fd, b"4242 cua thu.ky\n")
        fcntl.flock(fd, fcntl.LOCK_EX)
        code, out, err = district.sync()
    finally:
        os.close(fd)
    assert code == 2 and "đang có một lần đồng bộ khác" in err and "4242" in err
    assert district.sync()[0] == 0


# ----------------------------------------------------------------- git's words, history's order


@pytest.mark.parametrize(
    ("said", "meaning"),
    [
        ("fatal: Could not read from remote repository.", "không đọc được kho chung"),
        ("fatal: the remote end hung up unexpectedly", "ngắt kết nối giữa chừng"),
        (
            "ssh: Could not resolve hostname may-chu: Name or service not known",
            "không tìm thấy máy chủ",
        ),
        ("git@may-chu: Permission denied (publickey).", "khoá SSH"),
    ],
)
def test_gits_english_is_said_in_vietnamese_first(said, meaning):
    from bluezone_tui.git.command import in_vietnamese

    assert meaning in in_vietnamese(said)
    error = GitError("không lấy được số liệu từ kho chung «origin»", said)
    assert error.message.index(meaning) < error.message.index("(git: ")
    assert said.removeprefix("fatal: ") in error.message


def test_a_sync_that_cannot_reach_the_remote_says_why_in_vietnamese(offices, tmp_path):
    district, _ = offices
    district.git("remote", "set-url", "origin", str(tmp_path / "khong-co"))
    code, out, err = district.sync()
    assert code == 2
    assert "địa chỉ kho chung không phải một kho git" in err
    assert "(git: " in err and "does not appear to be a git repository" in err


def test_history_is_in_the_order_the_figures_were_entered(offices):
    district, province = offices
    district.submit(UNIT, "14:40", "residents_installed=433", "--reported-at", "14:30", who="lan")
    assert district.sync()[0] == 0 and province.sync()[0] == 0
    province.submit(UNIT, "15:41", "residents_installed=445", who="minh")
    district.submit(UNIT, "15:42", "residents_installed=450", who="lan")
    assert province.sync()[0] == 0
    assert district.sync("16:00")[0] == 1
    district.run("resolve", UNIT, "--date", DAY, "--keep", "ours", "--now", f"{DAY}T16:10")
    code, out, err = district.run("history", UNIT, "--date", DAY)
    times = re.findall(
        r"20/08/2020 (\d\d:\d\d)",
        "\n".join(line for line in out.splitlines() if line.startswith("- ")),
    )
    assert times == sorted(times) and times[1:3] == ["15:41", "15:42"], out


async def test_the_board_says_a_report_was_withdrawn(offices):
    from datetime import date

    from helpers.pilot import board_app, screen_lines, wait_for

    district, _ = offices
    district.submit(UNIT, "14:40", "residents_installed=433")
    district.run("withdraw", UNIT, "--date", DAY, "--now", f"{DAY}T15:10", "--reason", "nhầm xã")
    app = board_app(district.path, date.fromisoformat(DAY), (15, 30, 0))
    async with app.run_test(size=(100, 30)) as pilot:
        assert await wait_for(pilot, lambda: app.board.consolidation is not None)
        row = next(r for r in app.board.consolidation.rows if r.unit.id == UNIT)
        assert "đã rút báo cáo lúc 15:10" in row.status.aside.text
        detail = app.board._detail_text(row)
        assert "chưa báo cáo" in detail and "«nhầm xã»" in detail
        assert any("đã rút" in line for line in screen_lines(app))


@pytest.mark.parametrize("keep", ["ours", "theirs"])
def test_a_withdrawal_against_a_correction_is_a_conflict_resolved_like_any(offices, keep):
    district, province = offices
    district.submit(UNIT, "14:40", "residents_installed=433", "--reported-at", "14:30")
    assert district.sync()[0] == 0 and province.sync()[0] == 0
    district.run("withdraw", UNIT, "--date", DAY, "--now", f"{DAY}T15:00", "--reason", "nhầm xã")
    province.submit(UNIT, "15:05", "residents_installed=445")
    assert province.sync()[0] == 0
    code, out, err = district.sync()
    assert code == 1 and "bên này đã rút báo cáo, lý do «nhầm xã»" in out
    code, out, err = district.run(
        "resolve", UNIT, "--date", DAY, "--keep", keep, "--now", f"{DAY}T16:10"
    )
    assert code == 0, err
    assert "Đã hết xung đột" in out
    figures = district.figures(UNIT)
    assert figures["revision"] == 3
    if keep == "ours":
        assert figures["withdrawn_reason"] == "nhầm xã"
    else:
        assert figures["figures"]["residents_installed"] == 445
    assert district.sync("16:20")[0] == 0 and province.sync("16:21")[0] == 0
    assert province.figures(UNIT) == figures


def test_an_index_left_by_a_save_killed_during_its_hook_is_cleared_by_the_next(offices):
    district, _ = offices
    hook(district, "pre-commit", "true\n")
    folder = district.path / ".git" / "bluezone"
    folder.mkdir(parents=True, exist_ok=True)
    left = folder / "hook-index.999999999"  # no such process
    left.write_bytes(b"DIRC")
    district.submit(UNIT, "14:40", "residents_installed=700")
    assert not left.exists()
    assert list(folder.glob("hook-index.*")) == []
    assert committed(district, day_path()) == district.file(DAY, UNIT).read_bytes()
