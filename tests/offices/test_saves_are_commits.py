"""Every save is a commit of exactly its file, authored by who entered the figures."""

from __future__ import annotations

import subprocess

import pytest

from bluezone_tui.cli.main import main
from helpers.offices import GIT, git, identify, needs_git, registry_text

pytestmark = needs_git
DAY = "2020-08-20"
UNIT = "xa-long-khanh-b"


def test_git_is_here_and_recent_enough():
    """CI has git: the history tests must run, not skip, wherever git is installed."""
    out = subprocess.run([GIT, "--version"], capture_output=True, text=True).stdout
    major, minor = (int(part) for part in out.split()[2].split(".")[:2])
    assert (major, minor) >= (2, 30), out


def test_a_save_commits_its_file_with_an_audit_line(offices):
    district, _ = offices
    code, out, err = district.run(
        "submit", UNIT, "--date", DAY, "--now", f"{DAY}T14:40", "--reported-at", "14:30",
        "residents_installed=433", "--entered-by", "lan",
    )  # fmt: skip
    assert code == 0, err
    code, out, err = district.run(
        "submit", UNIT, "--date", DAY, "--now", f"{DAY}T14:52", "--entered-by", "lan",
        "residents_installed=450",
    )  # fmt: skip
    assert code == 0, err
    assert err == ""
    assert district.log("-1") == [f"{UNIT} {DAY}: residents_installed 433 → 450 (bản 2)"]
    author, committer, date = district.git("log", "-1", "--format=%an <%ae>%n%cn%n%aI").split("\n")[
        :3
    ]
    assert author == "lan <>"
    assert committer == "huyen"  # the login user's own git identity
    assert date == f"{DAY}T14:52:00+07:00"  # the tool's clock, in the registry's timezone
    changed = district.git("show", "--name-only", "--format=", "HEAD").split()
    assert changed == [f"submissions/{DAY}/{UNIT}.toml"]
    assert district.git("status", "--porcelain") == ""


def test_the_login_user_is_the_author_with_their_git_address(offices):
    district, _ = offices
    code, _, err = district.run(
        "submit", UNIT, "--date", DAY, "--now", f"{DAY}T14:40", "residents_installed=1"
    )
    assert code == 0, err
    assert district.git("log", "-1", "--format=%an <%ae>").strip() == (
        "thu.ky <huyen@hongngu.example>"
    )
    assert district.log("-1")[0].startswith(f"{UNIT} {DAY}: báo cáo mới: residents_installed 1")


def test_a_persons_other_edits_stay_uncommitted(offices):
    """Only the file the save wrote is committed: a staged file, a changed registry and a
    new file of the person's own stay as they were."""
    district, _ = offices
    (district.path / "ghi-chu.txt").write_text("của tôi\n")
    (district.path / "staged.txt").write_text("đã add\n")
    district.git("add", "staged.txt")
    registry = district.path / "units.yaml"
    registry.write_text(registry.read_text(encoding="utf-8") + "\n# sửa tay\n", encoding="utf-8")
    code, _, err = district.run(
        "submit", UNIT, "--date", DAY, "--now", f"{DAY}T14:40", "residents_installed=433"
    )
    assert code == 0, err
    assert district.git("show", "--name-only", "--format=", "HEAD").split() == [
        f"submissions/{DAY}/{UNIT}.toml"
    ]
    status = set(district.git("status", "--porcelain").splitlines())
    assert status == {"?? ghi-chu.txt", "A  staged.txt", " M units.yaml"}


def test_a_save_that_changes_nothing_makes_no_commit(offices):
    district, _ = offices
    args = ("submit", UNIT, "--date", DAY, "--now", f"{DAY}T14:40", "residents_installed=433")
    assert district.run(*args)[0] == 0
    commits = district.log()
    code, out, _ = district.run(*args)
    assert code == 0 and "Không có gì thay đổi" in out
    assert district.log() == commits


def test_history_none_never_commits(offices):
    district, _ = offices
    (district.path / "units.yaml").write_text(registry_text("none"), encoding="utf-8")
    district.git("commit", "-qam", "history: none")
    commits = district.log()
    code, _, err = district.run(
        "submit", UNIT, "--date", DAY, "--now", f"{DAY}T14:40", "residents_installed=433"
    )
    assert code == 0, err
    assert district.log() == commits
    assert district.git("status", "--porcelain").strip() == f"?? submissions/{DAY}/"


def test_the_shipped_demo_never_records_history():
    """Trying the demo in a clone of this project must never commit into the project."""
    from bluezone_tui.git.repository import open_repository
    from bluezone_tui.registry.load import load_registry
    from helpers.data import REPO

    assert load_registry(REPO).history == "none"
    assert open_repository(REPO, load_registry(REPO)) is None


def test_history_git_in_a_folder_without_git_is_exit_2(tmp_path, git_env, capsys):
    (tmp_path / "units.yaml").write_text(registry_text("git"), encoding="utf-8")
    code = main(["--data", str(tmp_path), "submit", UNIT, "--date", DAY, "residents_installed=1"])
    err = capsys.readouterr().err
    assert code == 2
    assert "history: git" in err and "không phải thư mục gốc của một kho git" in err
    assert not (tmp_path / "submissions").exists()


def test_without_history_line_a_git_data_folder_records(tmp_path, git_env, capsys):
    """`history:` absent: on when the data folder is the top of a git work tree."""
    (tmp_path / "units.yaml").write_text(registry_text(None), encoding="utf-8")
    git(tmp_path, "init", "--quiet")
    git(tmp_path, "config", "user.name", "a")
    git(tmp_path, "config", "user.email", "a@x")
    code = main(
        ["--data", str(tmp_path), "submit", UNIT, "--date", DAY, "--now", f"{DAY}T14:00",
         "residents_installed=1"]
    )  # fmt: skip
    assert code == 0, capsys.readouterr().err
    assert git(tmp_path, "log", "--format=%s").startswith(f"{UNIT} {DAY}: báo cáo mới")


def test_a_subfolder_of_a_repository_records_nothing(tmp_path, git_env, capsys):
    """Only the top of a work tree records: a data folder inside some other repository
    (a clone of this project, a home folder in git) is left alone."""
    git(tmp_path, "init", "--quiet")
    data = tmp_path / "data"
    data.mkdir()
    (data / "units.yaml").write_text(registry_text(None), encoding="utf-8")
    code = main(
        ["--data", str(data), "submit", UNIT, "--date", DAY, "--now", f"{DAY}T14:00",
         "residents_installed=1"]
    )  # fmt: skip
    assert code == 0, capsys.readouterr().err
    assert git(tmp_path, "log", "--oneline", check=False) == ""


@pytest.mark.parametrize("no_git", [False, True])
def test_init_makes_a_repository_with_the_template_committed(tmp_path, git_env, capsys, no_git):
    target = tmp_path / "van-phong"
    code = main(["init", str(target), *(["--no-git"] if no_git else [])])
    out = capsys.readouterr().out
    assert code == 0
    if no_git:
        assert not (target / ".git").exists()
        return
    assert "kho git" in out
    assert git(target, "status", "--porcelain") == ""
    assert sorted(git(target, "ls-files").split()) == [
        ".gitignore",
        "submissions/.gitkeep",
        "units.yaml",
    ]


def test_a_data_folder_named_relative_to_the_current_folder(tmp_path, git_env, capsys, monkeypatch):
    """`bluezone init huyen` then `--data huyen`: git is handed absolute paths (it reads
    --git-dir relative to -C, so it looked for huyen/huyen/.git)."""
    monkeypatch.chdir(tmp_path)
    assert main(["init", "huyen", "--district", "Huyện Hồng Ngự"]) == 0
    assert "chưa tạo kho git" not in capsys.readouterr().err
    (tmp_path / "huyen" / "units.yaml").write_text(registry_text(), encoding="utf-8")
    identify(tmp_path / "huyen", "huyen")
    git(tmp_path / "huyen", "commit", "--quiet", "-am", "danh mục thật")
    code = main(
        ["--data", "huyen", "submit", UNIT, "--date", DAY, "--now", f"{DAY}T14:00",
         "residents_installed=1"]
    )  # fmt: skip
    assert code == 0, capsys.readouterr().err
    assert git(tmp_path / "huyen", "log", "-1", "--format=%s").startswith(f"{UNIT} {DAY}")


def test_a_broken_git_folder_never_sends_a_commit_to_a_repository_above(tmp_path, git_env, capsys):
    """A data folder with an empty `.git`, kept inside another repository: git must not
    go looking upwards and commit into that one; and a repository git cannot use is no
    place to save (issue 20's class: refused as a detached HEAD is, nothing written)."""
    git(tmp_path, "init", "--quiet")
    git(tmp_path, "config", "user.name", "a")
    git(tmp_path, "config", "user.email", "a@x")
    git(tmp_path, "commit", "--quiet", "--allow-empty", "-m", "the project's own")
    data = tmp_path / "data"
    data.mkdir()
    (data / "units.yaml").write_text(registry_text(None), encoding="utf-8")
    (data / ".git").mkdir()
    code = main(
        ["--data", str(data), "submit", UNIT, "--date", DAY, "--now", f"{DAY}T14:00",
         "residents_installed=1"]
    )  # fmt: skip
    err = capsys.readouterr().err
    assert code == 2 and "bị hỏng" in err and "không lưu số liệu ở đây" in err
    assert git(tmp_path, "log", "--format=%s").splitlines() == ["the project's own"]
    assert not (data / "submissions" / DAY / f"{UNIT}.toml").exists()


def test_units_import_commits_units_yaml_and_a_sync_takes_it_to_the_other_office(offices, tmp_path):
    """units.yaml written by `units import` is a save like any other: left uncommitted, a
    sync said "gửi 0 commit" and the other office never got the new unit."""
    district, province = offices
    sheet = tmp_path / "xa-moi.csv"
    sheet.write_text("Tên đơn vị,Dân số,Khóm ấp\nXã Tân Hộ Cơ,9000,Ấp 1\n", encoding="utf-8")
    code, out, err = district.run("units", "import", sheet, "--group", "commune", "--yes")
    assert code == 0, err
    assert district.log("-1") == ["units.yaml: danh mục đơn vị"]
    assert district.git("show", "--name-only", "--format=", "HEAD").split() == ["units.yaml"]
    assert district.git("status", "--porcelain") == ""
    assert district.run("sync")[0] == 0
    assert province.run("sync")[0] == 0
    assert "xa-tan-ho-co" in (province.path / "units.yaml").read_text(encoding="utf-8")
