"""Issue 7, through the CLI in-process: the report's sentences, entry, files, outputs, messages.

Each test is the regression test of one item; each failed before its fix.
"""

from __future__ import annotations

import os
import shutil
import tomllib
from pathlib import Path

import pytest
import tomli_w

DAY = "2020-08-20"
UNIT = "xa-long-khanh-b"


def day_file(data: Path, day: str = DAY, unit: str = UNIT) -> Path:
    return data / "submissions" / day / f"{unit}.toml"


# --------------------------------------------------------------------------- 1. the report


def test_report_is_the_offices_to_the_district_and_the_province(cli, demo_data):
    code, out, _ = cli("--data", demo_data, "export", "--date", DAY, "--now", "2020-08-20T16:30")
    assert code == 0
    head = out.splitlines()[:5]
    assert "ỦY BAN NHÂN DÂN HUYỆN HỒNG NGỰ" in head[0] and "PHÒNG VĂN HÓA VÀ THÔNG TIN" in head[1]
    assert "Số:      /BC-VHTT" in out
    kinh_gui = " ".join(out.split("Kính gửi:", 1)[1].split("\n\n", 1)[0].split())
    assert kinh_gui == (
        "Ủy ban nhân dân huyện Hồng Ngự; Sở Thông tin và Truyền thông tỉnh Đồng Tháp."
    )
    closing = out.split("Nơi nhận:", 1)[1].splitlines()
    assert "TRƯỞNG PHÒNG" in closing[0]
    assert "CHỦ TỊCH" not in out and "TM. ỦY BAN" not in out
    assert [line.strip() for line in closing[1:]] == [
        "- Như trên;",
        "- Lưu: VT.",
        "",
        "Nguyễn Văn A",
    ]


def test_cut_off_sentence_states_the_moment_counted(cli, demo_data):
    """Exported at 17:10 with a report made at 16:45: the text must not say 16:30."""
    assert cli("--data", demo_data, "submit", "xa-long-thuan", "--date", "2020-08-26",
               "--now", "2020-08-26T16:45", "residents_installed=950")[0] == 0  # fmt: skip
    code, out, _ = cli(
        "--data", demo_data, "export", "--date", "2020-08-26", "--now", "2020-08-26T17:10"
    )
    assert code == 0
    first = " ".join(out.split("I. TÌNH HÌNH BÁO CÁO", 1)[1].split("\n\n")[0].split())
    assert first.startswith("CỦA CÁC ĐƠN VỊ Đến 17 giờ 10 phút ngày 26 tháng 8 năm 2020")
    assert "16:45 trễ hạn" in out  # the table shows it, and the sentence counts it
    assert "trễ hạn 2" in first or "trễ hạn 1" in first


def test_before_the_deadline_section_three_names_who_has_not_reported(cli, demo_data):
    code, out, _ = cli(
        "--data", demo_data, "export", "--date", "2020-08-26", "--now", "2020-08-26T14:50"
    )
    assert code == 0
    # the section is named for what it holds: before the deadline, units not yet due
    section = out.split("III. ĐƠN VỊ TRỄ HẠN, CHƯA BÁO CÁO, CHƯA ĐẾN HẠN\n", 1)[1]
    section = section.split("Nơi nhận:")[0]
    assert "đều" not in section and "Tất cả" not in section
    for name in ("Xã Thường Lạc", "Xã Long Khánh B", "Xã Long Thuận", "Trường THPT Long Khánh A"):
        assert name in section
    # in the words the sentence counts them with: "chưa báo cáo 0; chưa đến hạn 4"
    assert "chưa đến hạn (hạn 15:00)" in section and "chưa báo cáo (hạn" not in section
    first = " ".join(out.split("I. TÌNH HÌNH BÁO CÁO", 1)[1].split("\n\n")[0].split())
    assert "chưa báo cáo 0; chưa đến hạn 4." in first
    assert section.count("chưa đến hạn (hạn 15:00)") == 4


def test_before_the_deadline_the_report_states_the_minute_status_states(cli, demo_data):
    """Main said "Đến 14 giờ 52 phút" at 14:50 (a unit's clock runs ahead: its report is
    timed 14:52), while `status` said 14:50: one moment, the minute of viewing."""
    now = ("--date", "2020-08-26", "--now", "2020-08-26T14:50")
    _, status, _ = cli("--data", demo_data, "status", *now)
    assert "lúc 14:50" in status.splitlines()[0]
    code, out, _ = cli("--data", demo_data, "export", *now)
    assert code == 0 and "14:52 đã báo cáo" in out  # the report counted, at its own time
    first = " ".join(out.split("I. TÌNH HÌNH BÁO CÁO", 1)[1].split("\n\n")[0].split())
    assert first.startswith("CỦA CÁC ĐƠN VỊ Đến 14 giờ 50 phút ngày 26 tháng 8 năm 2020")


def test_all_on_time_sentence_says_who_it_is_about(cli, demo_data):
    late = day_file(demo_data, unit="xa-phu-thuan-a")  # the one late unit of the 20th
    late.write_text(late.read_text().replace("2020-08-20 15:54:00", "2020-08-20 14:54:00"))
    code, out, _ = cli("--data", demo_data, "export", "--date", DAY, "--now", "2020-08-20T16:00")
    section = " ".join(out.split("III. ĐƠN VỊ TRỄ HẠN, CHƯA BÁO CÁO", 1)[1].split())
    assert section.startswith(
        "Tất cả 13 đơn vị phải báo cáo (hạn trước 15 giờ 00) đều đã báo cáo đúng hạn."
    )


@pytest.mark.parametrize("command", ["status", "export", "check"])
def test_a_folder_copied_from_yesterday_is_not_on_time_today(cli, demo_data, command):
    shutil.rmtree(demo_data / "submissions" / "2020-08-21")
    shutil.copytree(demo_data / "submissions" / DAY, demo_data / "submissions" / "2020-08-21")
    args = ["--date", "2020-08-21"] + (["--now", "2020-08-21T16:00"] if command != "check" else [])
    code, out, err = cli("--data", demo_data, command, *args)
    assert code == 1
    assert "không thuộc ngày báo cáo 21/08/2020" in out + err
    if command == "status":
        assert "Đã báo cáo 0/13" in out


def test_a_report_timed_in_year_one_is_not_on_time(cli, demo_data):
    path = day_file(demo_data)
    path.write_text(
        path.read_text().replace("reported_at = 2020-08-20 ", "reported_at = 0001-01-01 ")
    )
    code, out, err = cli("--data", demo_data, "status", "--date", DAY, "--now", "2020-08-20T16:00")
    assert code == 1
    line = next(x for x in out.splitlines() if UNIT in x)
    assert "lỗi tệp" in line


def test_past_day_entry_asks_for_the_report_time_and_keeps_the_days_apart(cli, demo_data):
    """Keying in yesterday's figures this morning: never stamped with now."""
    base = ("--data", demo_data, "submit", "phong-noi-vu", "--date", "2020-08-25",
            "--now", "2020-08-26T09:00", "staff=12", "staff_with_smartphone=10",
            "staff_installed=10")  # fmt: skip
    code, _, err = cli(*base)
    assert code == 1 and "--reported-at" in err and "đã qua" in err
    assert not day_file(demo_data, "2020-08-25", "phong-noi-vu").exists()
    code, _, err = cli(*base, "--reported-at", "14:10")
    assert code == 0, err
    doc = tomllib.loads(day_file(demo_data, "2020-08-25", "phong-noi-vu").read_text())
    assert doc["reported_at"].isoformat() == "2020-08-25T14:10:00+07:00"
    assert doc["entered_at"].isoformat() == "2020-08-26T09:00:00+07:00"
    _, out, _ = cli("--data", demo_data, "status", "--date", "2020-08-25", "--now",
                    "2020-08-26T09:00")  # fmt: skip
    assert "đã báo cáo" in next(x for x in out.splitlines() if "phong-noi-vu" in x)


def test_a_reported_at_offset_is_honoured(cli, empty_data):
    code, _, err = cli("--data", empty_data, "submit", UNIT, "--date", DAY, "--now",
                       "2020-08-20T22:00", "--reported-at", "14:30+00:00",
                       "residents_installed=5")  # fmt: skip
    assert code == 0, err
    doc = tomllib.loads(day_file(empty_data).read_text())
    assert doc["reported_at"].isoformat() == "2020-08-20T21:30:00+07:00"
    code, _, err = cli("--data", empty_data, "submit", UNIT, "--date", DAY, "--now",
                       "2020-08-20T22:00", "--reported-at", "14:30+25:00", "residents_installed=6")  # fmt: skip
    assert code == 2 and "độ lệch" in err


def test_an_unrelated_note_does_not_confirm_a_decrease(cli, empty_data):
    common = ("--data", empty_data, "submit", UNIT, "--date", DAY, "--now", "2020-08-20T14:00")
    assert cli(*common, "residents_installed=500", "--note", "gọi điện lúc 9 giờ")[0] == 0
    before = day_file(empty_data).read_bytes()
    # a same-day correction downwards is a decrease too; the note in the file is not a reason
    code, _, err = cli(*common, "residents_installed=450", "--confirm-warnings")
    assert code == 1 and "giảm từ 500" in err and "--note" in err
    code, _, err = cli(*common, "residents_installed=450", "--confirm-warnings", "--note",
                       "gọi điện lúc 9 giờ")  # fmt: skip
    assert code == 1, "the same old note, given again, is still not written for this"
    assert day_file(empty_data).read_bytes() == before
    code, _, err = cli(*common, "residents_installed=450", "--confirm-warnings", "--note",
                       "bỏ 50 số trùng")  # fmt: skip
    assert code == 0, err


def test_csv_exports_each_rate_with_its_numerator_and_denominator(cli, demo_data):
    code, out, _ = cli("--data", demo_data, "export", "--date", DAY, "--now", "2020-08-20T16:30",
                       "--format", "csv")  # fmt: skip
    import csv
    import io

    rows = list(csv.DictReader(io.StringIO(out.lstrip("\ufeff"))))
    school = next(r for r in rows if r["unit_id"] == "thpt-hong-ngu-2")
    numerator = int(school["staff_installed"]) + int(school["students_installed"])
    denominator = int(school["staff"]) + int(school["students_with_smartphone"])
    assert (int(school["rate_numerator"]), int(school["rate_denominator"])) == (
        numerator,
        denominator,
    )
    assert school["rate_percent"] == f"{100 * numerator / denominator:.2f}"


# --------------------------------------------------------------------------- 3. files


def test_a_save_that_changes_nothing_writes_nothing(cli, demo_data):
    path = day_file(demo_data)
    before, mtime = path.read_bytes(), path.stat().st_mtime_ns
    doc = tomllib.loads(before.decode())
    code, out, _ = cli("--data", demo_data, "submit", UNIT, "--date", DAY, "--now",
                       "2020-08-20T16:00", f"residents_installed={doc['figures']['residents_installed']}")  # fmt: skip
    assert (
        code == 0
        and "Không có gì thay đổi" in out
        and out.splitlines()[-1].endswith("giữ nguyên (bản 1)")
    )
    assert path.read_bytes() == before and path.stat().st_mtime_ns == mtime


def test_comments_and_unknown_keys_survive_a_save(cli, demo_data):
    path = day_file(demo_data)
    text = path.read_text()
    text = "# Lan: sửa sau khi gộp nhánh git\n" + text.replace(
        "[figures]", 'nguon = "điện thoại"  # khóa tự thêm\n\n[figures]'
    )
    path.write_text(text.replace("residents_installed = 433", "residents_installed = 433  # ok"))
    code, _, err = cli("--data", demo_data, "submit", UNIT, "--date", DAY, "--now",
                       "2020-08-20T16:00", "residents_installed=440")  # fmt: skip
    assert code == 0, err
    after = path.read_text()
    assert "# Lan: sửa sau khi gộp nhánh git" in after and "# khóa tự thêm" in after
    assert 'nguon = "điện thoại"' in after
    assert "residents_installed = 440  # ok" in after
    assert tomllib.loads(after)["revision"] == 2


def test_a_byte_order_mark_is_warned_about_and_dropped_by_the_next_save(cli, demo_data):
    path = day_file(demo_data)
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    code, out, _ = cli("--data", demo_data, "check", "--date", DAY)
    assert code == 1 and "BOM" in out and f"{path}:1:1:" in out
    assert cli("--data", demo_data, "submit", UNIT, "--date", DAY, "--now", "2020-08-20T16:00",
               "teams_formed=3")[0] == 0  # fmt: skip
    assert not path.read_bytes().startswith(b"\xef\xbb\xbf")


def test_a_confirmation_stays_with_the_person_who_confirmed(cli, empty_data):
    common = ("--data", empty_data, "submit", UNIT)
    assert cli(*common, "--date", "2020-08-19", "--now", "2020-08-19T14:00",
               "residents_installed=500")[0] == 0  # fmt: skip
    day = ("--date", DAY, "--now", "2020-08-20T14:00")
    assert cli(*common, *day, "residents_installed=450", "--confirm-warnings", "--note",
               "bỏ số trùng", "--entered-by", "lan")[0] == 0  # fmt: skip
    assert cli(*common, "--date", DAY, "--now", "2020-08-20T15:30", "teams_formed=3",
               "--entered-by", "minh")[0] == 0  # fmt: skip
    doc = tomllib.loads(day_file(empty_data).read_text())
    assert doc["entered_by"] == "minh"
    (confirmation,) = doc["confirmations"]
    assert confirmation["warning"] == "decrease:residents_installed"
    assert confirmation["by"] == "lan"
    assert confirmation["at"].isoformat() == "2020-08-20T14:00:00+07:00"


def test_years_with_a_seconds_offset_are_written_so_they_read_back(cli, empty_data):
    """Before 1912 Hồ Chí Minh City was +07:06:30, an offset TOML cannot hold."""
    code, _, err = cli("--data", empty_data, "submit", UNIT, "--date", "1910-08-20", "--now",
                       "1910-08-20T16:00", "--reported-at", "14:30", "residents_installed=5")  # fmt: skip
    assert code == 0, err
    code, out, err = cli("--data", empty_data, "check")
    assert (code, out) == (0, ""), err
    code, out, _ = cli("--data", empty_data, "status", "--date", "1910-08-20", "--now",
                       "1910-08-20T16:00")  # fmt: skip
    assert "14:30" in next(x for x in out.splitlines() if UNIT in x)


@pytest.mark.parametrize("option", ["--note", "--entered-by"])
def test_input_that_would_make_an_unreadable_file_is_refused(cli, empty_data, option):
    code, _, err = cli("--data", empty_data, "submit", UNIT, "--date", DAY, "--now",
                       "2020-08-20T14:00", "residents_installed=5", option, "x" * 1_500_000)  # fmt: skip
    assert code == 1 and "1.500.000 ký tự" in err
    assert not day_file(empty_data).exists()


def test_the_size_limit_message_states_the_real_size(cli, demo_data):
    path = day_file(demo_data)
    path.write_text(path.read_text() + "# " + "x" * 1_500_000 + "\n")
    size = path.stat().st_size
    code, out, _ = cli("--data", demo_data, "check", "--date", DAY)
    assert code == 1
    assert f"dài {size:,} byte".replace(",", ".") in out and "1.048.576 byte" in out


def test_init_is_atomic_and_never_follows_a_dangling_symlink(cli, tmp_path, monkeypatch):
    target = tmp_path / "new"
    real_replace = os.replace

    def disk_full(src, dst):
        if str(dst).endswith("units.yaml"):
            raise OSError(28, "No space left on device")
        return real_replace(src, dst)

    monkeypatch.setattr(os, "replace", disk_full)
    code, _, err = cli("init", target)
    assert code == 1 and "đĩa đầy" in err
    monkeypatch.undo()
    assert not target.exists()  # what the failed init made is taken back, temp files too
    assert "chưa tạo gì" in err
    assert cli("init", target)[0] == 0  # a second init is not blocked
    outside = tmp_path / "outside.yaml"
    other = tmp_path / "other"
    other.mkdir()
    (other / "units.yaml").symlink_to(outside)
    code, _, err = cli("init", other)
    assert code == 1 and "liên kết hỏng" in err
    assert not outside.exists()


def test_ctrl_c_during_export_leaves_no_temp_file(cli, demo_data, tmp_path, monkeypatch):
    def interrupted(*args):
        raise KeyboardInterrupt  # after the temp file is written, before it is renamed

    monkeypatch.setattr(os, "chmod", interrupted)
    code, _, _ = cli("--data", demo_data, "export", "--date", DAY, "-o", tmp_path / "r.txt")
    assert code == 130
    assert list(tmp_path.iterdir()) == [demo_data]


# --------------------------------------------------------------------------- 4. outputs


def test_output_dash_is_standard_output(cli, demo_data, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, out, _ = cli("--data", demo_data, "export", "--date", DAY, "--output", "-")
    assert code == 0 and "BÁO CÁO" in out
    assert not (tmp_path / "-").exists()


def test_output_into_a_fifo_writes_into_it(cli, demo_data, tmp_path):
    import threading

    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()))
    reader.start()
    code, _, _ = cli("--data", demo_data, "export", "--date", DAY, "-o", fifo)
    reader.join(10)
    assert code == 0 and b"BC-VHTT" in got[0]
    assert fifo.is_fifo()


def test_output_onto_a_device_is_not_replaced(cli, demo_data):
    before = os.stat("/dev/null")
    code, _, _ = cli("--data", demo_data, "export", "--date", DAY, "-o", "/dev/null")
    after = os.stat("/dev/null")
    assert code == 0
    assert (after.st_ino, after.st_rdev) == (before.st_ino, before.st_rdev)


@pytest.mark.parametrize(
    "target", ["units.yaml", "submissions/2020-08-20/xa-long-khanh-b.toml", "submissions/x.txt"]
)
def test_output_onto_the_data_is_refused(cli, demo_data, target):
    before = (demo_data / "units.yaml").read_bytes()
    code, _, err = cli("--data", demo_data, "export", "--date", DAY, "-o", demo_data / target)
    assert code == 1 and "dữ liệu của bluezone" in err
    assert (demo_data / "units.yaml").read_bytes() == before
    assert not (demo_data / "submissions" / "x.txt").exists()


def test_nothing_from_a_data_file_reaches_the_terminal_raw(cli, demo_data):
    path = day_file(demo_data)
    evil = "\x1b]0;pwned\x07\x1b[31mđỏ\u202e"
    path.write_text(
        path.read_text()
        .replace('entered_by = "', 'entered_by = "\\u001b[2J')
        .replace("[figures]", tomli_w.dumps({"note": evil}) + "[figures]")
    )
    registry = demo_data / "units.yaml"
    registry.write_text(
        registry.read_text().replace("name: Xã Long Khánh A", 'name: "Xã Long Khánh A\\e[5m"')
    )
    for args in (
        ["status", "--date", DAY, "--now", "2020-08-20T16:00"],
        ["export", "--date", DAY, "--now", "2020-08-20T16:00"],
        ["export", "--date", DAY, "--now", "2020-08-20T16:00", "--format", "csv"],
        ["check"],
        [
            "submit",
            UNIT,
            "--date",
            DAY,
            "--now",
            "2020-08-20T16:00",
            "--if-revision",
            "9",
            "residents_installed=1",
        ],  # fmt: skip
    ):
        _, out, err = cli("--data", demo_data, *args)
        for char in ("\x1b", "\x07", "\u202e"):
            assert char not in out + err, (args, char)
    # a unit name with a control character is refused at its line (issue 20), escaped
    code, out, _ = cli("--data", demo_data, "check")
    assert code == 2 and "ký tự điều khiển U+001B" in out
    assert "«Xã Long Khánh A\\x1b[5m»" in out
    registry.write_text(registry.read_text().replace('"Xã Long Khánh A\\e[5m"', "Xã Long Khánh A"))
    _, out, _ = cli("--data", demo_data, "export", "--date", DAY, "--now", "2020-08-20T16:00")
    assert "\\x1b]0;pwned\\x07" in out  # escaped, visible


def test_entry_refuses_control_characters(cli, empty_data):
    code, _, err = cli("--data", empty_data, "submit", UNIT, "--date", DAY, "--now",
                       "2020-08-20T14:00", "residents_installed=5", "--note", "a\x1b[31mb")  # fmt: skip
    assert code == 1 and "U+001B" in err and "\x1b" not in err
    assert not day_file(empty_data).exists()


# --------------------------------------------------------------------------- 5. messages


def test_messages_say_what_happened(cli, empty_data, tmp_path, monkeypatch):
    code, _, err = cli("--data", empty_data, "status", "--date", "")
    assert code == 2 and "--date" in err
    a_file = tmp_path / "a-file"
    a_file.write_text("x")
    code, _, err = cli("--data", a_file, "status")
    assert code == 2 and "là một tệp" in err and "không tồn tại" not in err
    (empty_data / "units.yaml").unlink()
    code, out, err = cli("--data", empty_data, "check")
    assert code == 2 and (out + err).count(str(empty_data / "units.yaml")) == 1


def test_a_failed_first_save_does_not_claim_an_old_file(cli, empty_data, monkeypatch):
    def disk_full(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", disk_full)
    code, _, err = cli("--data", empty_data, "submit", UNIT, "--date", DAY, "--now",
                       "2020-08-20T14:00", "residents_installed=5")  # fmt: skip
    assert code == 1 and "chưa ghi gì" in err and "tệp cũ vẫn nguyên" not in err


def test_a_late_report_in_the_deadlines_minute_shows_its_seconds(cli, demo_data):
    """15:00:40 is late (the rules keep seconds): every output shows 15:00:40, never 15:00."""
    path = day_file(demo_data)
    text = path.read_text()
    path.write_text(
        "\n".join(
            "reported_at = 2020-08-20 15:00:40+07:00" if line.startswith("reported_at") else line
            for line in text.splitlines()
        )
        + "\n"
    )
    for args in (["status"], ["export"]):
        code, out, _ = cli("--data", demo_data, *args, "--date", DAY, "--now", "2020-08-20T16:00")
        assert code == 0
        line = next(line for line in out.splitlines() if "Long Khánh B" in line)
        assert "15:00:40" in line and "trễ" in line, line


@pytest.mark.parametrize("fmt", ["text", "docx"])
def test_the_systems_reason_reaches_the_clerk_in_vietnamese(cli, demo_data, fmt):
    """An `exports` that is a file: the C library's "File exists" is said in Vietnamese,
    through the one function every file message uses (files.os_reason)."""
    (demo_data / "exports").write_text("not a folder", encoding="utf-8")
    target = ["--output", demo_data / "exports" / "x.txt"] if fmt == "text" else []
    code, _, err = cli("--data", demo_data, "export", "--date", DAY, "--format", fmt, *target)
    assert code == 1 and "chưa ghi gì" in err, err
    assert "File exists" not in err and "Not a directory" not in err, err
    assert "tệp" in err.split("không ghi được", 1)[1], err


def test_os_reason_words():
    import errno

    from bluezone_tui.base.files import NotRegularFile, os_reason

    assert os_reason(OSError(errno.ENOSPC, "No space left on device")) == "đĩa đầy"
    assert "quyền" in os_reason(PermissionError(errno.EACCES, "Permission denied"))
    assert (
        os_reason(NotRegularFile(errno.EINVAL, "một FIFO (ống có tên)")) == "một FIFO (ống có tên)"
    )
    assert os_reason(OSError(errno.ENOTSUP, "Operation not supported")).endswith(
        f"(errno {errno.ENOTSUP})"
    )


def test_section_three_is_named_chua_den_han_before_the_deadline_in_every_format(
    cli, demo_data, tmp_path
):
    """Text, Word and PDF say the same title, from the one report content; after the
    deadline the title is the usual one."""
    import zipfile

    from pypdf import PdfReader

    titled = "III. ĐƠN VỊ TRỄ HẠN, CHƯA BÁO CÁO, CHƯA ĐẾN HẠN"
    base = ("--data", demo_data, "export", "--date", "2020-08-26")
    for now, expected in (("14:50", True), ("17:10", False)):
        code, out, _ = cli(*base, "--now", f"2020-08-26T{now}")
        assert code == 0 and (titled in out) is expected
        assert "III. ĐƠN VỊ TRỄ HẠN, CHƯA BÁO CÁO" in out
        docx_path = tmp_path / f"r{now[:2]}.docx"
        assert cli(*base, "--now", f"2020-08-26T{now}", "--format", "docx", "-o", docx_path)[0] == 0
        xml = zipfile.ZipFile(docx_path).read("word/document.xml").decode()
        assert (titled in xml) is expected
        pdf_path = tmp_path / f"r{now[:2]}.pdf"
        assert cli(*base, "--now", f"2020-08-26T{now}", "--format", "pdf", "-o", pdf_path)[0] == 0
        text = " ".join(" ".join(p.extract_text() for p in PdfReader(pdf_path).pages).split())
        assert (titled in text) is expected
