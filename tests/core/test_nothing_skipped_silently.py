"""Issue 20's tester, "every file counted or named": hidden files and hidden day folders
are named by every view as `#x.toml#`, `.bak` and `.TOML` are; `check --date D` agrees
with the views about a figure carried past a broken or misnamed file."""

from __future__ import annotations

from pathlib import Path

import pytest

UNIT = "xa-long-khanh-b"
VIEW = ("--date", "2020-08-26", "--now", "2020-08-26T16:00")
VIEWS = (
    ("status", *VIEW),
    ("export", "--format", "csv", *VIEW),
    ("remind", *VIEW),
    ("check", "--date", "2020-08-26"),
)


def day_file(data: Path, day: str, unit: str = UNIT) -> Path:
    return data / "submissions" / day / f"{unit}.toml"


def said(command: tuple[str, ...], out: str, err: str) -> str:
    return out if command[0] == "check" else err


@pytest.mark.parametrize("name", [".xa-long-khanh-b.toml", ".Xa-Long-Khanh-B.TOML"])
def test_a_hidden_units_file_is_named_by_every_view(cli, demo_data, name):
    """`.thi-tran-sa-rai.toml` was skipped by every view and the 25th's figure carried."""
    path = day_file(demo_data, "2020-08-26")
    path.rename(path.with_name(name))
    for command in VIEWS:
        code, out, err = cli("--data", demo_data, *command)
        assert code == 1, command
        assert f"«{name}»" in said(command, out, err), command
    code, out, _ = cli("--data", demo_data, "status", *VIEW)
    row = next(line for line in out.splitlines() if UNIT in line)
    assert "lỗi tệp" in row


def test_a_hidden_copy_beside_the_units_file_is_a_warning(cli, demo_data):
    path = day_file(demo_data, "2020-08-26")
    path.with_name(f".{UNIT}.toml").write_bytes(path.read_bytes())
    code, out, err = cli("--data", demo_data, "status", *VIEW)
    assert code == 0 and f".{UNIT}.toml" in err and "bỏ qua" in err


def test_other_hidden_files_are_named_and_temp_files_are_not(cli, demo_data):
    folder = demo_data / "submissions" / "2020-08-26"
    (folder / ".DS_Store").write_bytes(b"\0")
    (folder / f".{UNIT}.toml.abc123.tmp").write_text("x", encoding="utf-8")
    (folder / ".gitkeep").write_text("", encoding="utf-8")
    code, out, err = cli("--data", demo_data, "status", *VIEW)
    assert code == 0 and ".DS_Store" in err
    assert ".tmp" not in err and ".gitkeep" not in err


def test_a_hidden_day_folder_is_named_by_every_view_of_its_day_and_later(cli, demo_data):
    folder = demo_data / "submissions" / "2020-08-26"
    folder.rename(folder.with_name(".2020-08-26"))
    for command in VIEWS:
        code, out, err = cli("--data", demo_data, *command)
        assert code == 1, command
        text = said(command, out, err)
        assert ".2020-08-26" in text and "«2020-08-26»" in text and "ẩn" in text, command
    code, out, err = cli(
        "--data", demo_data, "status", "--date", "2020-08-25", "--now", "2020-08-25T16:00"
    )
    assert code == 0 and ".2020-08-26" in err  # an earlier day: a warning


def test_a_hidden_earlier_day_is_an_error_for_the_day_carrying_past_it(cli, demo_data):
    folder = demo_data / "submissions" / "2020-08-25"
    folder.rename(folder.with_name(".2020-08-25"))
    for command in VIEWS:
        code, out, err = cli("--data", demo_data, *command)
        assert code == 1 and ".2020-08-25" in said(command, out, err), command


def test_check_of_one_day_names_a_figure_carried_past_broken_files(cli, demo_data):
    """22–25 Aug broken for one unit, no file on the 26th: status, export and remind exit 1
    naming the days; `check --date` said nothing and exited 0."""
    for day in range(22, 26):
        day_file(demo_data, f"2020-08-{day}").write_text("revision = [\n", encoding="utf-8")
    day_file(demo_data, "2020-08-26").unlink()
    for command in VIEWS:
        code, out, err = cli("--data", demo_data, *command)
        assert code == 1, command
        (line,) = [line for line in said(command, out, err).splitlines() if "mang sang" in line]
        assert "21/08/2020" in line and "25/08/2020" in line, command


def test_check_of_one_day_names_a_figure_carried_past_a_misnamed_file(cli, demo_data):
    path = day_file(demo_data, "2020-08-25")
    path.rename(path.with_name(f"{UNIT}.TOML"))
    day_file(demo_data, "2020-08-26").unlink()
    for command in VIEWS:
        code, out, err = cli("--data", demo_data, *command)
        assert code == 1, command
        assert "mang sang" in said(command, out, err), command


def test_a_day_folder_linked_inside_submissions_is_neither_read_nor_written(cli, demo_data):
    """`2020-08-27 -> 2020-08-26` was read (the 26th's reports counted on the 27th) and
    written through, while a unit's file that is a link is refused."""
    root = demo_data / "submissions"
    (root / "2020-08-27").symlink_to("2020-08-26")
    before = day_file(demo_data, "2020-08-26").read_bytes()
    view = ("--date", "2020-08-27", "--now", "2020-08-27T16:00")
    for command in (
        ("status", *view),
        ("export", "--format", "csv", *view),
        ("check", "--date", "2020-08-27"),
    ):
        code, out, err = cli("--data", demo_data, *command)
        assert code == 1, command
        assert "2020-08-27" in said(command, out, err) and "liên kết tượng trưng" in said(
            command, out, err
        ), command
    code, out, err = cli(
        "--data", demo_data, "submit", UNIT, "residents_installed=999", *view,
        "--reported-at", "14:00",
    )  # fmt: skip
    assert code == 1 and "liên kết tượng trưng" in err, err
    assert day_file(demo_data, "2020-08-26").read_bytes() == before


def test_a_leading_zero_is_refused_by_submit_as_by_units_yaml(cli, demo_data):
    """formats.md said a leading zero is an error everywhere; submit stored 0450 as 450."""
    before = day_file(demo_data, "2020-08-26").read_bytes()
    code, out, err = cli(
        "--data", demo_data, "submit", UNIT, "residents_installed=0450", *VIEW,
        "--reported-at", "14:00",
    )  # fmt: skip
    assert code == 1 and "«0450» có số 0 ở đầu" in err
    assert day_file(demo_data, "2020-08-26").read_bytes() == before
