"""What lands around the tool, not in its files: permissions, a full disk, a closed or
full standard output, a non-UTF-8 locale, a FIFO where the registry cache should be.

Each runs the real CLI as a bounded process. Permissions are tried as a non-root user
(as root, without the capabilities that bypass permissions; skipped where that fails).
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from helpers.data import REPO, copy_shipped, snapshot
from helpers.permissions import require_binding_permissions, run_as
from helpers.process import TIMEOUT_SECONDS, Run, run_cli
from helpers.terminal import read_until_closed

DAY = "2020-08-20"
NOW = "2020-08-20T16:00"
UNIT = "xa-long-khanh-b"


@pytest.fixture
def user_data(tmp_path: Path) -> Iterator[tuple[bool, Path]]:
    """A data folder, and the flag for run_as that makes permissions bind (root reads
    everything: as root the CLI runs without the capabilities that bypass them)."""
    data = copy_shipped(tmp_path / "data")
    require_binding_permissions(tmp_path, data / "units.yaml")
    try:
        yield True, data
    finally:
        for root, dirs, _ in os.walk(tmp_path):
            for name in dirs:
                os.chmod(os.path.join(root, name), 0o755)


def status(uid: bool, data: Path) -> Run:
    return run_as(uid, "--data", data, "status", "--date", DAY, "--now", NOW)


def test_unreadable_submissions_folder_is_a_configuration_error(user_data):
    uid, data = user_data
    os.chmod(data / "submissions", 0)
    for args in (["status", "--date", DAY, "--now", NOW], ["check"], ["export", "--date", DAY]):
        result = run_as(uid, "--data", data, *args)
        assert result.code == 2, result.text
        assert "không có quyền đọc thư mục" in result.text and "submissions" in result.text


@pytest.mark.parametrize("mode", [0o000, 0o300])  # unreadable; writable but not readable
def test_unreadable_day_folder_is_named_not_every_unit_missing(user_data, mode):
    uid, data = user_data
    os.chmod(data / "submissions" / DAY, mode)
    result = status(uid, data)
    assert result.code == 1, result.text
    assert "không có quyền đọc thư mục" in result.err and DAY in result.err
    result = run_as(uid, "--data", data, "submit", UNIT, "--date", DAY, "--now", NOW,
                    "residents_installed=500")  # fmt: skip
    assert result.code == 1, result.text
    assert "quyền" in result.err and "sửa tệp bằng tay" not in result.err


def test_an_unreadable_earlier_day_is_one_permission_message_not_a_broken_file_per_unit(
    user_data,
):
    """The day before cannot be read: its figures cannot be carried. That is said once,
    naming the folder that refused, as a permission, never as a file to edit per unit."""
    uid, data = user_data
    os.chmod(data / "submissions" / DAY, 0)
    result = run_as(uid, "--data", data, "status", "--date", "2020-08-21",
                    "--now", "2020-08-21T16:00")  # fmt: skip
    assert result.code == 1, result.text
    carried = [line for line in result.err.splitlines() if "không tính được" in line]
    assert len(carried) == 1, result.err
    assert carried[0].startswith(f"{data / 'submissions' / DAY}: "), carried
    assert "kiểm tra quyền" in carried[0] and "sửa tệp" not in result.err, result.err


def test_unreadable_file_says_permission_not_edit_by_hand(user_data):
    uid, data = user_data
    path = data / "submissions" / DAY / f"{UNIT}.toml"
    os.chmod(path, 0)
    result = status(uid, data)
    assert result.code == 1 and "không có quyền đọc tệp" in result.err, result.text
    result = run_as(uid, "--data", data, "submit", UNIT, "--date", DAY, "--now", NOW,
                    "residents_installed=500")  # fmt: skip
    assert result.code == 1 and "quyền" in result.err, result.text
    assert "sửa tệp bằng tay" not in result.err


@pytest.mark.parametrize("day_folder_exists", [True, False])
def test_a_full_disk_is_the_same_refusal_whether_or_not_the_day_had_a_folder(
    tmp_path, day_folder_exists
):
    data = copy_shipped(tmp_path / "data")
    day = DAY if day_folder_exists else "2020-08-27"
    path = data / "submissions" / day / f"{UNIT}.toml"
    before = snapshot(data)
    result = run_as(False, "--data", data, "submit", UNIT, "--date", day, "--now", f"{day}T16:00",
                    "residents_installed=800", "--note", "x" * 900, limit_file_bytes=200)  # fmt: skip
    assert result.code == 1, result.text
    assert "không ghi được" in result.err
    assert ("tệp cũ vẫn nguyên" in result.err) == day_folder_exists
    assert snapshot(data) == before  # nothing changed, no temp file left
    assert path.exists() == day_folder_exists


def test_a_full_disk_during_export_leaves_no_temp_file(tmp_path):
    data = copy_shipped(tmp_path / "data")
    out = tmp_path / "out"
    out.mkdir()
    result = run_as(False, "--data", data, "export", "--date", DAY, "-o", out / "r.txt",
                    limit_file_bytes=100)  # fmt: skip
    assert result.code == 1 and "không ghi được" in result.err, result.text
    assert list(out.iterdir()) == []


@pytest.mark.parametrize("how", ["closed", "full"])
@pytest.mark.parametrize(
    "args", [["status"], ["export"], ["export", "--format", "csv"], ["check", "--date", DAY]]
)
def test_a_closed_or_full_standard_output_is_an_error(tmp_path, how, args):
    data = copy_shipped(tmp_path / "data")
    command = [sys.executable, "-m", "bluezone_tui", "--data", str(data), *args]
    if args[0] != "check":
        command += ["--date", DAY, "--now", NOW]
    if args[0] == "check":  # check prints nothing when all is well: give it a problem
        (data / "submissions" / DAY / "ghi-chu.txt").write_text("x")
    with open("/dev/full", "wb") as full:
        result = subprocess.run(
            command,
            stdout=full if how == "full" else None,
            stderr=subprocess.PIPE,
            cwd=REPO,
            timeout=TIMEOUT_SECONDS,
            preexec_fn=(lambda: os.close(1)) if how == "closed" else None,  # noqa: PLW1509
        )
    err = result.stderr.decode()
    assert result.returncode == 1, err
    assert "đầu ra chuẩn" in err and "lỗi không mong đợi" not in err and "Traceback" not in err


def test_output_is_utf8_whatever_the_locale(tmp_path):
    data = copy_shipped(tmp_path / "data")
    env = {"LANG": "en_US.ISO-8859-1", "LC_ALL": "en_US.ISO-8859-1", "PYTHONIOENCODING": "latin-1"}
    for args in (["--format", "csv"], []):
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "bluezone_tui",
                "--data",
                str(data),
                "export",
                "--date",
                DAY,
                "--now",
                NOW,
                *args,
            ],  # fmt: skip
            capture_output=True,
            env={**os.environ, **env},
            cwd=REPO,
            timeout=TIMEOUT_SECONDS,
        )
        assert result.returncode == 0, result.stderr
        text = result.stdout.decode("utf-8")  # strict: every byte is UTF-8
        assert "Xã Long Khánh B" in text and "Kh?nh" not in text


def test_a_fifo_where_the_registry_cache_should_be_does_not_hang(tmp_path):
    from bluezone_tui.registry import cache as registry_cache

    data = copy_shipped(tmp_path / "data")
    registry = data / "units.yaml"
    with open(registry, "a", encoding="utf-8") as handle:  # big enough to be cached
        handle.write(("# " + "đệm " * 60 + "\n") * 1200)
    cache_home = tmp_path / "cache"
    os.environ["XDG_CACHE_HOME"] = str(cache_home)
    try:
        key = registry_cache.key_for(registry.read_bytes(), registry)
    finally:
        del os.environ["XDG_CACHE_HOME"]
    assert key is not None
    key[0].parent.mkdir(parents=True)
    os.mkfifo(key[0])
    result = run_cli("--data", data, "status", "--date", DAY, "--now", NOW,
                     env={"XDG_CACHE_HOME": str(cache_home)})  # fmt: skip
    assert result.code == 0, result.text
    assert "6.090" in result.out


def test_a_terminal_that_cannot_show_vietnamese_gets_the_fix_not_question_marks(tmp_path):
    pty = pytest.importorskip("pty")
    data = copy_shipped(tmp_path / "data")
    primary, secondary = pty.openpty()
    env = {**os.environ, "PYTHONIOENCODING": "latin-1"}
    try:
        result = subprocess.run(
            [sys.executable, "-m", "bluezone_tui", "--data", str(data), "status", "--date", DAY],
            stdin=secondary,
            stdout=secondary,
            stderr=secondary,
            env=env,
            cwd=REPO,
            timeout=TIMEOUT_SECONDS,
        )
        os.close(secondary)
        output = read_until_closed(primary)
    finally:
        os.close(primary)
    assert result.returncode == 2
    assert b"LANG=C.UTF-8" in output and b"?" not in output.split(b"LANG")[0][-20:]


# --------------------------------------------------------------------------- units import (issue 20)


def office_and_sheet(tmp_path: Path) -> tuple[Path, Path]:
    """A new office (no git: the refusal is the write's, not a commit's) and a sheet of
    communes, made by hand (tests/helpers/xlsx.py)."""
    from helpers.xlsx import Sheet, write_xlsx

    office = tmp_path / "office"
    made = run_cli("init", office, "--district", "Huyện Tân Hồng", "--no-git")
    assert made.code == 0, made.text
    rows = [["Tên đơn vị", "Dân số", "Khóm, ấp"]]
    rows += [[f"Xã {n}", 1000 * n, "Ấp 1; Ấp 2"] for n in range(1, 40)]
    return office, write_xlsx(tmp_path / "xa.xlsx", Sheet("Xã", rows))


def test_units_import_on_a_full_disk_says_so_and_changes_nothing(tmp_path):
    office, sheet = office_and_sheet(tmp_path)
    before = snapshot(office)
    size = (office / "units.yaml").stat().st_size
    result = run_as(False, "--data", office, "units", "import", sheet, "--group", "commune",
                    "--yes", limit_file_bytes=size + 100)  # fmt: skip
    assert result.code == 1, result.text
    assert f"{office / 'units.yaml'}: không ghi được (tệp vượt giới hạn kích thước" in result.err
    assert "lỗi không mong đợi" not in result.text and "Errno" not in result.text
    assert snapshot(office) == before


def test_units_import_into_a_read_only_folder_says_so_and_changes_nothing(user_data, tmp_path):
    uid, _ = user_data
    office, sheet = office_and_sheet(tmp_path)
    before = snapshot(office)
    os.chmod(office, 0o555)
    os.chmod(office / "units.yaml", 0o444)
    result = run_as(uid, "--data", office, "units", "import", sheet, "--group", "commune", "--yes")
    assert result.code == 1, result.text
    assert f"{office / 'units.yaml'}: không ghi được (" in result.err
    # the folder that refused, whose it is, and the fix (base/sharing.py: denied)
    assert f"không có quyền ghi vào thư mục {office} (chủ «" in result.err
    assert "lỗi không mong đợi" not in result.text and "Errno" not in result.text
    assert snapshot(office) == before


def test_a_zip_bomb_is_refused_within_a_small_memory(tmp_path):
    """1 GB of XML packed into about 1 MB: refused from its directory, in a process that
    may not use more than 400 MB (openpyxl would have parsed the whole gigabyte)."""
    import resource

    from helpers.xlsx import Sheet, write_xlsx

    office, _ = office_and_sheet(tmp_path)
    sheet = write_xlsx(
        tmp_path / "bom.xlsx", Sheet("Xã", [["Tên đơn vị"], ["Xã A"]], padding=2**30)
    )
    assert sheet.stat().st_size < 2 * 2**20

    def small() -> None:  # pragma: no cover - runs in the child
        resource.setrlimit(resource.RLIMIT_AS, (400 * 2**20, 400 * 2**20))

    result = run_cli("--data", office, "units", "import", sheet, "--group", "commune", "--yes",
                     child_setup=small)  # fmt: skip
    assert result.code == 2, result.text
    assert "giải nén ra 1.024 MB (quá 64 MB)" in result.err and "bom nén" in result.err
