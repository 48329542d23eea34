"""The headless CLI end to end, in-process, against copies of the shipped data in tmp_path."""

from __future__ import annotations

import csv
import io
import os
import tomllib
from pathlib import Path

import pytest

from bluezone_tui.registry.load import load_registry
from bluezone_tui.reports.csv import header
from helpers.data import REPO

NOW_20 = "2020-08-20T16:30"


def submission(data: Path, day: str, unit_id: str) -> Path:
    return data / "submissions" / day / f"{unit_id}.toml"


# --------------------------------------------------------------------------- status


def test_status_on_the_demo_day(cli, demo_data):
    code, out, err = cli("--data", demo_data, "status", "--date", "2020-08-20", "--now", NOW_20)
    assert code == 0, err
    assert err == ""
    assert "Toàn huyện: 6.090 / 120.514 người — 5,05%" in out
    assert "ngày 20 tháng 8 năm 2020" in out
    assert "Đã báo cáo 13/13" in out
    for unit in load_registry(demo_data).units:
        assert unit.id in out


def test_status_date_defaults_to_the_day_of_now_in_registry_timezone(cli, demo_data):
    # 20:00 in New York on the 20th is 07:00 on the 21st in Hồ Chí Minh City
    code, out, _ = cli("--data", demo_data, "status", "--now", "2020-08-20T20:00-04:00")
    assert code == 0
    assert "ngày 21 tháng 8 năm 2020" in out
    assert "lúc 07:00" in out


def test_status_boundary_at_15_00(cli, empty_data):
    code, out, _ = cli("--data", empty_data, "status", "--now", "2020-08-20T15:00")
    assert code == 0
    assert "chưa báo cáo 0 · chưa đến hạn 13" in out
    code, out, _ = cli("--data", empty_data, "status", "--now", "2020-08-20T15:00:01")
    assert code == 0
    assert "chưa báo cáo 13 · chưa đến hạn 0" in out


def test_status_missing_units_show_contacts(cli, demo_data):
    code, out, _ = cli(
        "--data", demo_data, "status", "--date", "2020-08-26", "--now", "2020-08-26T16:00"
    )
    assert code == 0
    line = next(x for x in out.splitlines() if "xa-long-thuan" in x)
    assert "chưa báo cáo" in line and "0277 3800 108" in line


def test_status_accepts_vietnamese_date(cli, demo_data):
    code, out, _ = cli("--data", demo_data, "status", "--date", "20/08/2020", "--now", NOW_20)
    assert code == 0 and "6.090" in out


# --------------------------------------------------------------------------- --data, env, cwd


def test_bluezone_data_environment_variable(cli, demo_data, monkeypatch):
    monkeypatch.setenv("BLUEZONE_DATA", str(demo_data))
    code, out, _ = cli("status", "--date", "2020-08-20", "--now", NOW_20)
    assert code == 0 and "6.090 / 120.514" in out


def test_data_option_beats_environment(cli, demo_data, empty_data, monkeypatch):
    monkeypatch.setenv("BLUEZONE_DATA", str(empty_data))
    code, out, _ = cli("--data", demo_data, "status", "--date", "2020-08-20", "--now", NOW_20)
    assert code == 0 and "6.090 / 120.514" in out


def test_current_folder_is_the_default(cli, demo_data, monkeypatch):
    monkeypatch.delenv("BLUEZONE_DATA", raising=False)
    monkeypatch.chdir(demo_data)
    code, out, _ = cli("status", "--date", "2020-08-20", "--now", NOW_20)
    assert code == 0 and "6.090 / 120.514" in out


def test_missing_data_folder_or_registry_is_exit_2(cli, tmp_path, monkeypatch):
    monkeypatch.delenv("BLUEZONE_DATA", raising=False)
    code, _, err = cli("--data", tmp_path / "nope", "status", "--now", NOW_20)
    assert code == 2 and "nope" in err
    code, _, err = cli("--data", tmp_path, "status", "--now", NOW_20)
    assert code == 2 and "units.yaml" in err and "init" in err
    monkeypatch.chdir(tmp_path)
    code, _, err = cli("export", "--now", NOW_20)
    assert code == 2


# --------------------------------------------------------------------------- submit


def test_submit_creates_merges_and_prints_revision(cli, empty_data):
    base = (
        "--data",
        empty_data,
        "submit",
        "xa-long-khanh-b",
        "--date",
        "2020-08-20",
        "--now",
        "2020-08-20T14:50",
    )
    code, out, err = cli(
        *base, "residents_installed=433", "--reported-at", "14:33", "--entered-by", "lan"
    )
    assert code == 0, err
    path = submission(empty_data, "2020-08-20", "xa-long-khanh-b")
    # one sentence, the revision in it: no number alone on a line of its own
    assert out.splitlines() == [f"Đã lưu {path} (bản 1)"]
    doc = tomllib.loads(path.read_text())
    assert doc["revision"] == 1
    assert doc["figures"] == {"residents_installed": 433}
    assert doc["reported_at"].isoformat() == "2020-08-20T14:33:00+07:00"
    assert doc["entered_by"] == "lan"
    code, out, _ = cli(*base, "teams_formed=3", "hamlets_with_team=2", "desk_officer=có")
    assert code == 0
    assert out.splitlines() == [f"Đã lưu {path} (bản 2)"]
    doc = tomllib.loads(path.read_text())
    assert doc["figures"] == {
        "residents_installed": 433,
        "teams_formed": 3,
        "hamlets_with_team": 2,
        "desk_officer": True,
    }
    assert doc["reported_at"].isoformat() == "2020-08-20T14:33:00+07:00"  # kept
    code, out, _ = cli(*base, "residents_installed=6.090", "--if-revision", "2")
    assert code == 0
    assert out.splitlines() == [f"Đã lưu {path} (bản 3)"]
    assert tomllib.loads(path.read_text())["figures"]["residents_installed"] == 6090


def test_submit_if_revision(cli, empty_data):
    base = (
        "--data",
        empty_data,
        "submit",
        "xa-long-khanh-b",
        "--date",
        "2020-08-20",
        "--now",
        "2020-08-20T14:50",
    )
    assert cli(*base, "residents_installed=400", "--if-revision", "0")[0] == 0
    assert cli(*base, "residents_installed=410", "--if-revision", "1")[0] == 0
    path = submission(empty_data, "2020-08-20", "xa-long-khanh-b")
    before = path.read_bytes()
    code, out, err = cli(*base, "residents_installed=420", "--if-revision", "1")
    assert code == 1
    assert "bản 2" in err and str(path) in err
    assert path.read_bytes() == before
    code, _, _ = cli(*base, "residents_installed=420", "--if-revision", "0")
    assert code == 1
    assert path.read_bytes() == before
    assert sorted(os.listdir(path.parent)) == [path.name]


def test_submit_if_revision_without_a_file_says_there_is_none_yet(cli, empty_data):
    code, _, err = cli(
        "--data", empty_data, "submit", "xa-long-khanh-b", "--date", "2020-08-20",
        "--now", "2020-08-20T14:50", "residents_installed=400", "--if-revision", "5",
    )  # fmt: skip
    assert code == 1
    assert "chưa có tệp" in err and "xa-long-khanh-b" in err and "20/08/2020" in err
    assert "bản hiện tại là 0" in err and "bản 5" in err
    assert "xoá" not in err
    assert not submission(empty_data, "2020-08-20", "xa-long-khanh-b").exists()


def test_submit_reported_at_decides_on_time_or_late(cli, empty_data):
    base = ("--data", empty_data, "submit", "--date", "2020-08-20", "--now", "2020-08-20T16:00")
    assert cli(*base, "xa-long-khanh-b", "residents_installed=1", "--reported-at", "15:00")[0] == 0
    assert cli(*base, "xa-long-khanh-a", "residents_installed=1", "--reported-at", "15:01")[0] == 0
    code, out, _ = cli("--data", empty_data, "status", "--now", "2020-08-20T16:00")
    assert code == 0
    assert "đúng hạn" in next(x for x in out.splitlines() if "xa-long-khanh-b" in x)
    assert "trễ hạn" in next(x for x in out.splitlines() if "xa-long-khanh-a" in x)


@pytest.mark.parametrize("typed", ["٣:٣٠", "１４:３０"])
def test_submit_refuses_a_reported_at_in_other_digits(cli, empty_data, typed):
    """--reported-at ٣:٣٠ was saved as 03:30 (figures refuse such digits)."""
    base = ("--data", empty_data, "submit", "--date", "2020-08-20", "--now", "2020-08-20T16:00")
    code, _, err = cli(*base, "xa-long-khanh-b", "residents_installed=1", "--reported-at", typed)
    assert code == 2 and "chữ số 0–9" in err  # as any --reported-at that is no time
    assert not submission(empty_data, "2020-08-20", "xa-long-khanh-b").exists()


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["xa-long-khanh-b", "residents_installed=-5"], "= -5: không được nhỏ hơn 0"),
        (["xa-long-khanh-b", "residents_installed=abc"], "không phải số nguyên"),
        (["xa-long-khanh-b", "residents_installed=9999"], "dân số"),  # population 8700
        (["xa-long-khanh-b", "residents_installed=99999999999999999999"], "lớn bất thường"),
        (["xa-long-khanh-b", "residents_installed=1", "bogus=3"], "bogus"),
        (["xa-long-khanh-b", "teams_formed=2"], "bắt buộc"),
        (["xa-long-khanh-b", "residents_installed=1", "desk_officer=maybe"], "maybe"),
        (["xa-khong-co", "residents_installed=1"], "xa-khong-co"),
        (["../etc", "residents_installed=1"], "không được chứa"),
        (["Xa-Long-Khanh-B", "residents_installed=1"], "chữ thường"),
    ],
)
def test_submit_refused_input_is_exit_1_and_writes_nothing(cli, empty_data, args, words):
    code, out, err = cli(
        "--data", empty_data, "submit", "--date", "2020-08-20", "--now", "2020-08-20T14:00", *args
    )
    assert code == 1
    assert words in err
    assert list((empty_data / "submissions").rglob("*")) == []


def test_submit_decrease_needs_confirm_and_note(cli, empty_data):
    common = ("--data", empty_data, "submit", "xa-long-khanh-b")
    assert (
        cli(
            *common, "--date", "2020-08-20", "--now", "2020-08-20T14:00", "residents_installed=500"
        )[0]
        == 0
    )
    day = ("--date", "2020-08-21", "--now", "2020-08-21T14:00")
    code, _, err = cli(*common, *day, "residents_installed=450")
    assert code == 1 and "giảm" in err and "--confirm-warnings" in err
    code, _, err = cli(*common, *day, "residents_installed=450", "--confirm-warnings")
    assert code == 1 and "ghi chú" in err
    assert not submission(empty_data, "2020-08-21", "xa-long-khanh-b").exists()
    code, out, err = cli(
        *common,
        *day,
        "residents_installed=450",
        "--confirm-warnings",
        "--note",
        "bỏ 50 người đăng ký trùng",
    )
    assert code == 0, err
    doc = tomllib.loads(submission(empty_data, "2020-08-21", "xa-long-khanh-b").read_text())
    assert doc["note"] == "bỏ 50 người đăng ký trùng"
    assert [c["warning"] for c in doc["confirmations"]] == ["decrease:residents_installed"]
    # the confirmed decrease is not a problem for check
    code, out, err = cli("--data", empty_data, "check")
    assert (code, out) == (0, "")


def test_decrease_confirmation_does_not_reuse_an_older_note(cli, empty_data):
    common = ("--data", empty_data, "submit", "xa-long-khanh-b")
    day20 = ("--date", "2020-08-20", "--now", "2020-08-20T14:00")
    assert cli(*common, *day20, "residents_installed=500")[0] == 0
    day21 = ("--date", "2020-08-21", "--now", "2020-08-21T14:00")
    assert cli(*common, *day21, "residents_installed=520", "--note", "báo qua điện thoại")[0] == 0
    path = submission(empty_data, "2020-08-21", "xa-long-khanh-b")
    before = path.read_bytes()
    code, _, err = cli(*common, *day21, "residents_installed=450", "--confirm-warnings")
    assert code == 1
    assert "--note" in err and "giảm" in err
    assert path.read_bytes() == before
    code, _, err = cli(
        *common, *day21, "residents_installed=450", "--confirm-warnings", "--note", "bỏ số trùng"
    )
    assert code == 0, err
    doc = tomllib.loads(path.read_text())
    assert doc["note"] == "bỏ số trùng"
    assert [c["warning"] for c in doc["confirmations"]] == ["decrease:residents_installed"]
    # once confirmed, later edits of other figures need no new note
    assert cli(*common, *day21, "teams_formed=3")[0] == 0


def test_submit_over_a_broken_file_is_refused(cli, demo_data):
    path = submission(demo_data, "2020-08-20", "xa-thuong-lac")
    broken = "revision = 1\n<<<<<<< HEAD\nresidents_installed = 575\n"
    path.write_text(broken)
    code, _, err = cli(
        "--data",
        demo_data,
        "submit",
        "xa-thuong-lac",
        "--date",
        "2020-08-20",
        "--now",
        NOW_20,
        "residents_installed=580",
    )
    assert code == 1
    assert "xa-thuong-lac.toml" in err
    assert path.read_text() == broken


# --------------------------------------------------------------------------- export


def test_export_text(cli, demo_data):
    code, out, err = cli("--data", demo_data, "export", "--date", "2020-08-20", "--now", NOW_20)
    assert code == 0, err
    for expected in (
        "6.090",
        "120.514",
        "5,05%",
        "ngày 20 tháng 8 năm 2020",
        "BÁO CÁO",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    ):
        assert expected in out


def test_export_csv_to_stdout(cli, demo_data):
    code, out, err = cli(
        "--data", demo_data, "export", "--date", "2020-08-20", "--now", NOW_20, "--format", "csv"
    )
    assert code == 0, err
    assert out.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(out[1:], newline="")))
    assert rows[0] == header(load_registry(demo_data))
    assert [r[1] for r in rows[1:-1]] == [u.id for u in load_registry(demo_data).units]
    cols = {name: i for i, name in enumerate(rows[0])}
    total = rows[-1]
    assert (
        total[cols["unit_id"]],
        total[cols["installs"]],
        total[cols["population"]],
        total[cols["rate_percent"]],
    ) == ("TOTAL", "6090", "120514", "5.05")


def test_export_csv_to_file_with_semicolons(cli, demo_data, tmp_path):
    target = tmp_path / "out" / "bao-cao-2020-08-20.csv"
    code, out, err = cli(
        "--data",
        demo_data,
        "export",
        "--date",
        "2020-08-20",
        "--now",
        NOW_20,
        "--format",
        "csv",
        "--output",
        target,
        "--delimiter",
        ";",
    )
    assert code == 0, err
    assert out == ""
    raw = target.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    text = raw.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
    assert rows[0][:2] == ["date", "unit_id"]
    assert rows[-1][:2] == ["2020-08-20", "TOTAL"]
    assert ";6090;120514;5,05;6090;120514;" in text.splitlines()[-1]  # decimal comma with ;
    assert sorted(os.listdir(target.parent)) == [target.name]  # no temp file left


def test_export_text_to_file(cli, demo_data, tmp_path):
    target = tmp_path / "bao-cao.txt"
    code, out, _ = cli(
        "--data", demo_data, "export", "--date", "2020-08-20", "--now", NOW_20, "-o", target
    )
    assert code == 0 and out == ""
    assert "5,05%" in target.read_text(encoding="utf-8")


def test_export_neutralises_notes_from_the_cli(cli, empty_data):
    cli(
        "--data",
        empty_data,
        "submit",
        "xa-long-khanh-b",
        "--date",
        "2020-08-20",
        "--now",
        "2020-08-20T14:00",
        "residents_installed=10",
        "--note",
        "=cmd|' /C calc'!A0",
    )
    code, out, _ = cli(
        "--data", empty_data, "export", "--date", "2020-08-20", "--now", NOW_20, "--format", "csv"
    )
    rows = list(csv.reader(io.StringIO(out[1:], newline="")))
    row = next(r for r in rows if r[1] == "xa-long-khanh-b")
    assert row[rows[0].index("note")] == "'=cmd|' /C calc'!A0"


# --------------------------------------------------------------------------- one broken file


@pytest.mark.parametrize("command", ["status", "export"])
def test_one_broken_file_does_not_hide_the_others(cli, demo_data, command):
    path = submission(demo_data, "2020-08-20", "xa-thuong-lac")
    path.write_text("revision = 1\nreported_at = 2020-08-20 10:00:00+07:00\n[figures\n")
    code, out, err = cli("--data", demo_data, command, "--date", "2020-08-20", "--now", NOW_20)
    assert code == 1
    assert f"{path}:3:" in err  # names the broken file and its line
    for unit in load_registry(demo_data).units:
        if unit.id != "xa-thuong-lac":
            assert (unit.id if command == "status" else unit.name) in out
    assert "5.515" in out  # 6090 - 575: the other communes are still summed


def test_export_csv_with_broken_file(cli, demo_data):
    submission(demo_data, "2020-08-20", "xa-thuong-lac").write_text("<<<<<<< HEAD\n")
    code, out, err = cli(
        "--data", demo_data, "export", "--date", "2020-08-20", "--now", NOW_20, "--format", "csv"
    )
    assert code == 1
    assert "xa-thuong-lac.toml:1:1:" in err
    rows = list(csv.reader(io.StringIO(out[1:], newline="")))
    assert len(rows) == 30
    assert next(r for r in rows if r[1] == "xa-thuong-lac")[4] == "file_error"


def test_stray_file_is_named_by_status(cli, demo_data):
    stray = demo_data / "submissions" / "2020-08-20" / "xa-khong-co.toml"
    stray.write_text("x = 1\n")
    code, out, err = cli("--data", demo_data, "status", "--date", "2020-08-20", "--now", NOW_20)
    assert code == 1
    assert str(stray) in err
    assert "6.090 / 120.514" in out


# --------------------------------------------------------------------------- check


def test_check_is_clean_on_the_shipped_data(cli, demo_data):
    """No problem is printed; one line says what was checked, so a clerk can tell it ran."""
    code, out, err = cli("--data", demo_data, "check")
    assert (code, out) == (0, "")
    files = len(list((demo_data / "submissions").glob("*/*.toml")))
    assert err == (
        f"Đã kiểm tra units.yaml (28 đơn vị, 4 nhóm) và {files} tệp số liệu của 7 ngày: "
        "không có lỗi\n"
    )
    code, out, err = cli("--data", demo_data, "check", "--date", "2020-08-22")
    assert (code, out) == (0, "") and "của 1 ngày: không có lỗi" in err


def test_check_prints_every_problem_with_location(cli, demo_data):
    day = demo_data / "submissions" / "2020-08-23"
    conflict = day / "xa-long-thuan.toml"
    conflict.write_text("revision = 1\n\n<<<<<<< HEAD\n")
    bad = day / "xa-long-khanh-b.toml"
    text = bad.read_text()
    lines = text.splitlines()
    n = next(i for i, x in enumerate(lines) if x.startswith("desk_helped")) + 1
    bad.write_text(text.replace(lines[n - 1], "desk_helped = nan"))
    unknown = day / "xa-moi.toml"
    unknown.write_text("x = 1\n")
    code, out, err = cli("--data", demo_data, "check")
    assert code == 1
    printed = out.splitlines()
    assert f"{conflict}:3:1: " in out
    assert any(line.startswith(f"{bad}:{n}:1: ") and "nan" in line for line in printed)
    assert any(line.startswith(f"{unknown}: ") for line in printed)
    assert len(printed) == 3
    assert "3 lỗi" in err


def test_check_reports_bad_registry_with_line(cli, demo_data):
    registry = demo_data / "units.yaml"
    text = registry.read_text().replace("id: xa-thuong-phuoc-2", "id: xa-thuong-phuoc-1")
    registry.write_text(text)
    code, out, err = cli("--data", demo_data, "check")
    assert code == 2  # a configuration error, as for every other command
    line = text[: text.index("id: xa-thuong-phuoc-1", text.index("id: xa-thuong-phuoc-1") + 1)]
    assert f"{registry}:{line.count(chr(10)) + 1}:" in out
    assert "bị lặp" in out


def test_check_missing_folder_is_exit_2(cli, tmp_path):
    code, _, err = cli("--data", tmp_path / "nope", "check")
    assert code == 2


# --------------------------------------------------------------------------- bad registry


@pytest.mark.parametrize(
    "command",
    [
        ["status", "--now", NOW_20],
        ["export", "--now", NOW_20],
        ["submit", "xa-long-khanh-b", "--now", NOW_20, "residents_installed=1"],
    ],
)
@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("id: xa-thuong-phuoc-2", "id: xa-thuong-phuoc-1"),
        ("district:\n", "district: [\n"),
        ("name: Xã Thường Lạc", "name: !!python/object/apply:os.system [echo]"),
    ],
)
def test_bad_registry_is_exit_2_with_line(cli, demo_data, command, old, new):
    registry = demo_data / "units.yaml"
    text = registry.read_text()
    assert old in text
    registry.write_text(text.replace(old, new, 1))
    code, out, err = cli("--data", demo_data, *command)
    assert code == 2
    assert f"{registry}:" in err
    assert any(
        line.startswith(f"{registry}:") and line.split(":")[1].isdigit()
        for line in err.splitlines()
    )


# --------------------------------------------------------------------------- init


def test_init_creates_a_working_data_folder(cli, tmp_path):
    target = tmp_path / "huyen-moi"
    code, out, err = cli("init", target)
    assert code == 0, err
    assert (target / "units.yaml").is_file()
    assert (target / "submissions").is_dir()
    assert "#" in (target / "units.yaml").read_text()  # a commented template
    # no commune, no school, no signer's name yet: it says how
    code, out, err = cli("--data", target, "check")
    assert code == 1 and "units import" in out and "0 lỗi, 3 cảnh báo" in err
    assert "«report.signer_name» (họ tên người ký) đang để trống" in out
    code, out, _ = cli("--data", target, "status", "--now", "2021-01-04T09:00")
    assert code == 0 and "ngày 04 tháng 01 năm 2021" in out
    unit = load_registry(target).units[-1]  # the youth union: one required figure
    field = unit.form.fields[0].id
    code, _, err = cli(
        "--data", target, "submit", unit.id, "--now", "2021-01-04T09:00", f"{field}=5"
    )
    assert code == 0, err
    assert cli("--data", target, "check")[0] == 1  # the same three warnings, no error
    code, out, _ = cli("--data", target, "export", "--now", "2021-01-04T16:00")
    assert code == 0
    flat = " ".join(out.split())
    assert "trên địa bàn huyện Mẫu, tỉnh Mẫu" in flat and "Tỉnh Mẫu" not in out


def test_init_never_overwrites(cli, demo_data):
    before = (demo_data / "units.yaml").read_bytes()
    code, _, err = cli("init", demo_data)
    assert code == 1
    assert "units.yaml" in err
    assert (demo_data / "units.yaml").read_bytes() == before


# --------------------------------------------------------------------------- odd input


def test_check_bad_date_is_usage_error(cli, demo_data):
    code, _, err = cli("--data", demo_data, "check", "--date", "hôm qua")
    assert code == 2 and "--date" in err


def test_export_to_unwritable_place_is_refused(cli, demo_data, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    code, out, err = cli(
        "--data",
        demo_data,
        "export",
        "--date",
        "2020-08-20",
        "--now",
        NOW_20,
        "--output",
        blocker / "r.txt",
    )
    assert code == 1
    assert "r.txt" in err
    assert blocker.read_text() == "x"


def test_day_without_folder(cli, demo_data):
    code, out, _ = cli(
        "--data", demo_data, "status", "--date", "2020-09-01", "--now", "2020-09-01T16:00"
    )
    assert code == 0
    assert "Đã báo cáo 0/13" in out and "chưa báo cáo 13" in out
    assert "Xã Long Khánh B*" in out  # every commune carried forward from its last report


def test_unknown_option_is_usage_error(cli, demo_data):
    path = submission(demo_data, "2020-08-20", "xa-long-khanh-b")
    before = path.read_bytes()
    code, _, err = cli(
        "--data",
        demo_data,
        "submit",
        "xa-long-khanh-b",
        "--now",
        NOW_20,
        "--bogus",
        "residents_installed=1",
    )
    assert code == 2 and "--bogus" in err
    assert path.read_bytes() == before


def test_export_onto_a_folder_is_refused_without_leftovers(cli, demo_data, tmp_path):
    target = tmp_path / "out"
    target.mkdir()
    code, _, err = cli(
        "--data", demo_data, "export", "--date", "2020-08-20", "--now", NOW_20, "--output", target
    )
    assert code == 1 and str(target) in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["demo", "out"]
    assert list(target.iterdir()) == []


def test_a_confirmed_decrease_does_not_let_a_later_bigger_drop_through(cli, demo_data):
    """The file's confirmation answered 680; dropping to 100 must ask again."""
    args = (
        "--data",
        demo_data,
        "submit",
        "xa-long-khanh-b",
        "--date",
        "2020-08-27",
        "--now",
        "2020-08-27T14:00",
    )
    code, out, err = cli(*args, "residents_installed=680", "--confirm-warnings", "--note", "trùng")
    assert code == 0, err
    code, out, err = cli(*args, "residents_installed=100")
    assert code == 1
    assert "lũy kế" in err
    path = demo_data / "submissions" / "2020-08-27" / "xa-long-khanh-b.toml"
    assert "residents_installed = 680" in path.read_text(encoding="utf-8")
    # the same confirmed figure again (e.g. adding the households) is not asked twice
    code, out, err = cli(*args, "households_visited=800")
    assert code == 0, err


# --------------------------------------------------------------------------- bluezone alone


def test_bluezone_alone_takes_the_boards_options_as_the_docs_list_them(cli, demo_data, monkeypatch):
    """Main answered `bluezone --now 2020-08-20T14:10` with "LỆNH: «…» không có", though
    docs/commands.md lists `bluezone` with the board's --date and --now."""
    from bluezone_tui.cli import board, main

    table = (REPO / "docs" / "commands.md").read_text("utf-8")
    assert "| `bluezone [--date D] [--now T]` / `bluezone board [--date D] [--now T]` |" in table
    seen = {}

    def the_board(args):  # the real board needs a terminal: see what it would be given
        seen.update(date=args.date, now=args.now)
        return 0

    monkeypatch.setattr(board, "cmd_board", the_board)
    monkeypatch.setattr(main, "has_terminal", lambda: True)
    code, _, err = cli("--data", demo_data, "--date", "2020-08-26", "--now", "2020-08-26T14:10")
    assert code == 0, err
    assert seen == {"date": "2020-08-26", "now": "2020-08-26T14:10"}
    monkeypatch.setattr(main, "has_terminal", lambda: False)  # a pipe: the status instead
    code, out, err = cli("--data", demo_data, "--now", "2020-08-20T14:10")
    assert code == 0 and "không mở bảng theo dõi" in err
    assert out.startswith("Huyện Hồng Ngự — ngày 20 tháng 8 năm 2020 — lúc 14:10")
    # before another command, the options are that command's, if it takes them
    code, out, _ = cli("--data", demo_data, "--now", "2020-08-26T14:50", "status", "--date",
                       "2020-08-26")  # fmt: skip
    assert code == 0 and "lúc 14:50" in out.splitlines()[0]
    code, _, err = cli("--data", demo_data, "--now", "2020-08-26T14:50", "check")
    assert code == 2 and "--now: lệnh «check» không nhận tùy chọn này" in err
