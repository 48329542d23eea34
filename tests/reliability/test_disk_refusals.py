"""A full or a read-only disk, and names the system will not take: every write the tool
makes is refused in Vietnamese, naming what it was writing and the disk (its mount
point), exit 1 as any output that cannot be written (docs/commands.md); nothing is lost,
and what the failed step made (a day's folder, exports/, a new data folder) is taken
back, so "chưa ghi gì" / "chưa tạo gì" is true. git's failures of the disk are said as
the disk, with the repository's path, never in git's English.

The disks are simulated in this process (helpers/disks.py): nothing is mounted.
"""

from __future__ import annotations

import errno
import os
import shutil
import stat
from pathlib import Path

import pytest

from bluezone_tui.base.files import os_reason
from bluezone_tui.base.mounts import mount_of
from bluezone_tui.git.command import Git, GitWriteRefused
from helpers.disks import full_disk, read_only_disk
from helpers.offices import DAY, needs_git

UNIT = "xa-long-khanh-b"
NEW_DAY = "2020-08-27"  # no folder yet in the demo data
DISKS = {"full": (full_disk, "đĩa đầy"), "read-only": (read_only_disk, "ổ đĩa chỉ cho đọc")}


def clean(err: str) -> None:
    """Vietnamese only: no traceback, no errno, no system or git English."""
    for word in (
        "Traceback",
        "Errno",
        "lỗi không mong đợi",
        "No space left",
        "Read-only file system",
        "Out of diskspace",
        "không đọc được",  # these are writes
    ):
        assert word not in err, err


def entries(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


# ----------------------------------------------------------------------------- what the system says


def test_a_full_or_read_only_disk_names_where_it_is_mounted(tmp_path):
    point = mount_of(tmp_path).point
    for number, words in ((errno.ENOSPC, "đĩa đầy"), (errno.EROFS, "ổ đĩa chỉ cho đọc")):
        said = os_reason(OSError(number, os.strerror(number), str(tmp_path / "x" / "y")))
        assert said == f"{words}, ổ gắn tại {point}"


# ----------------------------------------------------------------------------- the lock files (git side)


@needs_git
@pytest.mark.parametrize("kind", DISKS)
def test_a_save_or_a_withdrawal_on_a_refusing_disk_names_the_lock_and_the_disk(
    offices, monkeypatch, kind
):
    district, _ = offices
    district.submit("xa-thuong-lac", "14:00", "residents_installed=500")
    disk, words = DISKS[kind]
    disk(monkeypatch, district.path)
    lock = district.path / ".git" / "bluezone" / "lock"
    point = mount_of(district.path).point
    for args in (
        ("submit", UNIT, "--date", DAY, "--now", f"{DAY}T14:30", "residents_installed=450"),
        ("withdraw", "xa-thuong-lac", "--date", DAY, "--reason", "nhầm đơn vị"),
    ):
        code, _, err = district.run(*args)
        assert code == 1, err
        assert f"bluezone: {lock}: không ghi được ({words}, ổ gắn tại {point}); chưa ghi gì" in err
        clean(err)
    monkeypatch.undo()
    assert not district.file(DAY, UNIT).exists()
    assert "residents_installed = 500" in district.file(DAY, "xa-thuong-lac").read_text("utf-8")


@needs_git
@pytest.mark.parametrize("kind", DISKS)
def test_a_sync_on_a_refusing_disk_names_its_lock_and_syncs_nothing(offices, monkeypatch, kind):
    district, province = offices
    province.submit(UNIT, "14:00", "residents_installed=500")
    assert province.sync()[0] == 0
    district.submit("xa-thuong-lac", "14:00", "residents_installed=500")  # its state folder
    disk, words = DISKS[kind]
    disk(monkeypatch, district.path)
    code, _, err = district.sync()
    assert code == 1, err
    lock = district.path / ".git" / "bluezone" / "sync-lock"
    assert f"{lock}: không ghi được ({words}, ổ gắn tại" in err and "chưa đồng bộ gì" in err
    clean(err)
    monkeypatch.undo()
    assert not district.file(DAY, UNIT).exists()  # nothing merged
    assert district.sync()[0] == 0  # the disk fixed: it syncs


# ----------------------------------------------------------------------------- what a failed step made


@pytest.mark.parametrize("kind", DISKS)
def test_a_save_without_history_takes_back_the_day_folder_it_made(
    cli, demo_data, monkeypatch, kind
):
    disk, words = DISKS[kind]
    disk(monkeypatch, demo_data)
    code, _, err = cli(
        "--data", demo_data, "submit", UNIT, "--date", NEW_DAY, "--now", f"{NEW_DAY}T14:30",
        "residents_installed=750",
    )  # fmt: skip
    assert code == 1, err
    assert words in err and "chưa ghi gì" in err
    clean(err)
    monkeypatch.undo()
    assert not (demo_data / "submissions" / NEW_DAY).exists()  # "chưa ghi gì" is true


@pytest.mark.parametrize("fmt", ["docx", "xlsx", "pdf"])
def test_an_export_on_a_full_disk_takes_back_the_exports_folder(cli, demo_data, monkeypatch, fmt):
    full_disk(monkeypatch, demo_data)
    code, _, err = cli("--data", demo_data, "export", "--date", DAY, "--format", fmt)
    assert code == 1, err
    target = demo_data / "exports" / f"bao-cao-bluezone-{DAY}.{fmt}"
    assert f"{target}: không ghi được (đĩa đầy, ổ gắn tại" in err and "chưa ghi gì" in err
    clean(err)
    assert not (demo_data / "exports").exists()


def test_an_output_deep_in_a_full_disk_leaves_no_folder(cli, demo_data, tmp_path, monkeypatch):
    disk = tmp_path / "full"
    disk.mkdir()
    full_disk(monkeypatch, disk)
    output = disk / "bao-cao" / "ngay" / "bao-cao.csv"
    code, _, err = cli("--data", demo_data, "export", "--date", DAY, "-o", output)
    assert code == 1, err
    assert f"{output}: không ghi được (đĩa đầy" in err
    assert entries(disk) == []


@pytest.mark.parametrize("kind", DISKS)
def test_init_on_a_refusing_disk_leaves_nothing(cli, tmp_path, monkeypatch, kind):
    disk, words = DISKS[kind]
    place = tmp_path / "o-dia"
    place.mkdir()
    disk(monkeypatch, place)
    code, out, err = cli("init", place / "hong-ngu" / "x", "--district", "Hồng Ngự")
    assert code == 1, err
    assert words in err and "chưa tạo gì" in err
    assert "Đã tạo" not in out
    clean(err)
    monkeypatch.undo()
    assert entries(place) == []


def _long_path(base: Path, length: int) -> Path:
    """A path of exactly `length` characters below `base`, in names of at most 200."""
    path = str(base)
    while len(path) < length:
        left = length - len(path) - 1
        part = "a" * min(200, left if left <= 200 or left - 200 > 1 else left - 2)
        path += "/" + part
    assert len(path) == length
    return Path(path)


def test_init_with_a_name_too_long_takes_back_every_folder_it_made(cli, tmp_path):
    place = tmp_path / "dai"
    place.mkdir()
    target = _long_path(place, 4847)  # the system takes 4095 characters at most
    code, out, err = cli("init", target, "--no-git")
    assert code == 1, err
    assert "tên quá dài" in err and "chưa tạo gì" in err
    assert entries(place) == []  # the ~20 folders made before the name grew too long


def test_init_whose_files_would_not_fit_the_name_takes_back_the_folder(cli, tmp_path):
    place = tmp_path / "vua"
    place.mkdir()
    target = _long_path(place, 4080)  # made; the temp file of submissions/.gitkeep is not
    code, out, err = cli("init", target, "--no-git")
    assert code == 1, err
    assert "tên quá dài" in err and "chưa tạo gì" in err
    assert entries(place) == []


def test_what_another_login_put_in_a_folder_meanwhile_is_never_taken(cli, demo_data, monkeypatch):
    """A day's folder is taken back only while empty: a save that failed never removes
    another clerk's file that went into it meanwhile, and says what is left."""
    from bluezone_tui.base import files

    real = files.replace_atomically

    def another_saves_then_the_disk_fills(path, data, *args, **kwargs):  # type: ignore[no-untyped-def]
        (path.parent / "xa-thuong-lac.toml").write_text("# của người khác\n")
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(
        "bluezone_tui.day.store.replace_atomically", another_saves_then_the_disk_fills
    )
    code, _, err = cli(
        "--data", demo_data, "submit", UNIT, "--date", NEW_DAY, "--now", f"{NEW_DAY}T14:30",
        "residents_installed=750",
    )  # fmt: skip
    assert code == 1 and "đĩa đầy" in err
    kept = demo_data / "submissions" / NEW_DAY / "xa-thuong-lac.toml"
    assert kept.read_text() == "# của người khác\n"
    assert real is files.replace_atomically


# ----------------------------------------------------------------------------- git's own writes


@pytest.fixture
def failing_git(tmp_path, monkeypatch):
    """`git` on PATH is a wrapper around the real one that fails as git does on a full
    disk: making a tag always, `status` unless it may skip its optional index refresh."""
    real = shutil.which("git")
    if real is None:
        pytest.skip("git is not installed on this machine")
    folder = tmp_path / "git-on-a-full-disk"
    folder.mkdir()
    wrapper = folder / "git"
    wrapper.write_text(
        "#!/bin/sh\n"
        'for word in "$@"; do\n'
        '  case "$word" in\n'
        '    --annotate) echo "fatal: unable to write new tag file: No space left on device"'
        " >&2; exit 128;;\n"
        '    status) if [ "$GIT_OPTIONAL_LOCKS" != 0 ]; then'
        ' echo "error: index.lock write error. Out of diskspace" >&2;'
        ' echo "fatal: unable to write new index file" >&2; exit 128; fi;;\n'
        "  esac\n"
        "done\n"
        f'exec {real} "$@"\n'
    )
    wrapper.chmod(wrapper.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv("PATH", f"{folder}{os.pathsep}{os.environ['PATH']}")
    return wrapper


@needs_git
def test_mark_sent_on_a_full_disk_is_said_as_the_disk_naming_the_repository(
    offices, failing_git, tmp_path
):
    district, _ = offices
    district.submit(UNIT, "14:00", "residents_installed=500")
    output = tmp_path / "bao-cao.txt"
    code, out, err = district.run("export", "--date", DAY, "--mark-sent", "-o", output)
    assert code == 1, err  # an output that could not be written (exit codes' table), not 2
    git_dir = district.path / ".git"
    assert f"không ghi được vào kho git {git_dir} (đĩa đầy, ổ gắn tại" in err
    assert "báo cáo đã xuất nhưng chưa được đánh dấu đã gửi" in err
    clean(err)
    assert "(git: " not in err
    assert output.is_file()  # status asked again without its index write: the report went
    assert district.git("tag", "--list", "bao-cao/*").strip() == ""


@needs_git
def test_a_stamped_export_reads_git_status_on_a_full_disk(offices, failing_git, tmp_path):
    """A PDF names the commit it was made from (`git status`): a full disk refuses only
    git's optional index refresh, so the report is still made."""
    district, _ = offices
    district.submit(UNIT, "14:00", "residents_installed=500")
    code, _, err = district.run("export", "--date", DAY, "-o", tmp_path / "bao-cao.pdf")
    assert code == 0, err


def test_the_disk_words_of_git_and_of_a_remote_are_told_apart(tmp_path):
    git = Git(tmp_path, shutil.which("git") or "git", tmp_path / ".git")
    for said in (
        "fatal: Unable to create '/x/.git/index.lock': No space left on device",
        "error: index.lock write error. Out of diskspace",
        "error: unable to write file .git/objects/ab/cd: Read-only file system",
        "fatal: could not write: Disk quota exceeded",
    ):
        assert f"không ghi được vào kho git {tmp_path / '.git'} (" in git.disk_refused(said)
    remote = "remote: error: unable to write sha1 file: No space left on device\n"
    assert git.disk_refused(remote + " ! [remote rejected] main -> main (unpacker error)") == ""
    assert GitWriteRefused.exit_code == 1


def test_a_write_git_names_no_cause_for_is_asked_of_the_disk(tmp_path, monkeypatch):
    """`git config` on a full disk says only "failed to write new configuration file":
    the disk itself is asked then (mounted read-only, or no block left)."""
    from bluezone_tui.git import command

    git = Git(tmp_path, shutil.which("git") or "git", tmp_path / ".git")
    said = f"error: failed to write new configuration file {tmp_path}/.git/config.lock"
    monkeypatch.setattr(command, "disk_state", lambda path: errno.ENOSPC)
    assert "(đĩa đầy, ổ gắn tại" in git.disk_refused(said)
    assert git.disk_refused("fatal: Could not read from remote repository.") == ""
    monkeypatch.setattr(command, "disk_state", lambda path: None)
    assert git.disk_refused(said) == ""
