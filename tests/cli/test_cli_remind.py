"""`bluezone remind` end to end, in-process, in a temp folder, at injected moments."""

from __future__ import annotations

import csv
import io

REMIND_26 = ("remind", "--date", "2020-08-26")


def test_before_the_deadline(cli, demo_data):
    code, out, err = cli("--data", demo_data, *REMIND_26, "--now", "2020-08-26T14:35")
    assert code == 0 and err == ""
    assert out.startswith("Nhắc báo cáo — Huyện Hồng Ngự, ngày 26/08/2020, lúc 14:35\n")
    assert "4 đơn vị: chưa đến hạn 4." in out
    assert "1. Xã Thường Lạc — chưa đến hạn, còn 25 phút" in out
    assert "   Liên hệ: Văn phòng UBND xã (mẫu), 0277 3800 105" in out
    assert "Trường THPT Long Khánh A" in out


def test_after_the_deadline_as_csv_for_bulk_sms(cli, demo_data):
    code, out, err = cli(
        "--data", demo_data, *REMIND_26, "--now", "2020-08-26T16:05", "--format", "csv"
    )
    assert code == 0 and err == ""
    assert out.startswith("\ufeffphone,name,message\r\n")
    rows = list(csv.DictReader(io.StringIO(out.removeprefix("\ufeff"))))
    assert [(r["phone"], r["name"]) for r in rows] == [
        ("02773800105", "Xã Thường Lạc – Văn phòng UBND xã (mẫu)"),
        ("02773800107", "Xã Long Khánh B – Văn phòng UBND xã (mẫu)"),
        ("02773800108", "Xã Long Thuận – Văn phòng UBND xã (mẫu)"),
    ]
    assert "đã quá 1 giờ 05 phút" in rows[0]["message"]
    assert "trễ 51 phút" in rows[1]["message"]


def test_units_without_a_phone_are_named(cli, demo_data):
    registry = demo_data / "units.yaml"
    text = registry.read_text(encoding="utf-8").replace('phone: "0277 3800 108"', 'phone: ""')
    registry.write_text(text, encoding="utf-8")
    args = ("--data", demo_data, *REMIND_26, "--now", "2020-08-26T16:05")
    code, out, _ = cli(*args)
    assert code == 0
    assert "Xã Long Thuận — chưa báo cáo" in out and "không có số điện thoại" in out
    code, out, err = cli(*args, "--format", "csv")
    assert code == 0
    assert "Xã Long Thuận" not in out  # a bulk tool cannot send to no number
    assert err == "1 đơn vị không có số điện thoại (không có trong CSV): Xã Long Thuận\n"


def test_a_broken_file_is_named_and_the_rest_still_listed(cli, demo_data):
    (demo_data / "submissions" / "2020-08-26" / "xa-phu-thuan-a.toml").write_text("[figures\n")
    code, out, err = cli("--data", demo_data, *REMIND_26, "--now", "2020-08-26T14:35")
    assert code == 1
    assert "xa-phu-thuan-a.toml" in err
    assert "Xã Thường Lạc" in out and "Xã Phú Thuận A" not in out


def test_help_and_usage_errors_are_vietnamese(cli, demo_data):
    code, out, _ = cli("remind", "--help")
    assert code == 0
    assert out.startswith("cách dùng: bluezone remind")
    assert "tùy chọn:" in out and "in trợ giúp này rồi thoát" in out
    assert "phone,name,message" in out
    code, _, err = cli("--data", demo_data, "remind", "--format", "xlsx")
    assert code == 2 and "xem «bluezone remind --help»" in err
