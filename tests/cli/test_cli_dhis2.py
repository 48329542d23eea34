"""`bluezone export --format dhis2` end to end, in-process, in a temp folder."""

from __future__ import annotations

import csv
import io

EXPORT_26 = ("export", "--date", "2020-08-26", "--now", "2020-08-26T14:30")


def test_dhis2_to_stdout_names_what_it_leaves_out(cli, demo_data):
    code, out, err = cli("--data", demo_data, *EXPORT_26, "--format", "dhis2")
    assert code == 0, err
    found = list(csv.DictReader(io.StringIO(out)))
    assert len(found) == 7 * 6  # seven communes had reported by 14:30
    assert {row["period"] for row in found} == {"20200826"}
    assert "3 đơn vị chưa có báo cáo ngày này nên chưa có dòng" in err
    assert "Xã Long Khánh B" in err


def test_a_csv_file_name_takes_the_dhis2_format(cli, demo_data, tmp_path):
    plain = tmp_path / "gui-tinh.csv"
    code, _, err = cli("--data", demo_data, *EXPORT_26, "--format", "dhis2", "-o", plain)
    assert code == 0, err
    assert plain.read_text(encoding="utf-8").startswith("dataelement,period,orgunit,")
    named = tmp_path / "ngay-26.DHIS2.csv"  # the name alone chooses the format
    code, _, err = cli("--data", demo_data, *EXPORT_26, "-o", named)
    assert code == 0, err
    assert named.read_bytes() == plain.read_bytes()
    report = tmp_path / "bao-cao.csv"  # and a plain .csv is still the report
    code, _, _ = cli("--data", demo_data, *EXPORT_26, "-o", report)
    assert code == 0
    assert report.read_text(encoding="utf-8-sig").startswith("date,unit_id,")


def test_a_word_name_for_dhis2_is_refused(cli, demo_data, tmp_path):
    target = tmp_path / "x.docx"
    code, out, err = cli("--data", demo_data, *EXPORT_26, "--format", "dhis2", "-o", target)
    assert code == 2 and "dhis2" in err and not target.exists() and out == ""


def test_a_shared_code_refuses_the_export_and_writes_nothing(cli, demo_data, tmp_path):
    registry = demo_data / "units.yaml"
    text = registry.read_text(encoding="utf-8")
    registry.write_text(text.replace('dhis2: "29983"', 'dhis2: "29980"'), encoding="utf-8")
    code, _, err = cli("--data", demo_data, "check")
    assert code == 1 and "cùng mã DHIS2 «29980»" in err + _
    target = tmp_path / "dhis2.csv"
    code, out, err = cli("--data", demo_data, *EXPORT_26, "--format", "dhis2", "-o", target)
    assert code == 1
    assert "units.yaml" in err and "xa-long-khanh-b" in err and "29980" in err
    assert not target.exists() and out == ""
    code, out, _ = cli("--data", demo_data, *EXPORT_26, "--format", "text")
    assert code == 0 and "Xã Long Khánh B" in out  # the day's other work is not blocked
