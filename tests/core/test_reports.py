"""The text report (Vietnamese, administrative layout) and the CSV export."""

from __future__ import annotations

import csv
import io
import re
from datetime import date
from pathlib import Path

import pytest

from bluezone_tui.base.safe_text import neutralise
from bluezone_tui.day.loader import load_day
from bluezone_tui.day.store import Store
from bluezone_tui.day.submission import Confirmation, Submission
from bluezone_tui.registry.load import load_registry
from bluezone_tui.reports.csv import FIXED_COLUMNS, TOTAL_ID, header, render_csv
from bluezone_tui.reports.status import render_status
from bluezone_tui.reports.text import render_text
from helpers.data import DEMO_DAY, DEMO_DAYS, REPO, SHIPPED_REGISTRY, at


def consolidated(store: Store, day: date = DEMO_DAY):
    return load_day(store, day, at(day, 16, 30))


def parse_csv(text: str, delimiter: str = ",") -> list[list[str]]:
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:], newline=""), delimiter=delimiter))


# --------------------------------------------------------------------------- text


def test_text_report_of_the_demo_day(demo_store):
    text = render_text(consolidated(demo_store), demo_store.registry)
    for expected in (
        "6.090",
        "120.514",
        "5,05%",
        "ngày 20 tháng 8 năm 2020",
        "BÁO CÁO",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "ỦY BAN NHÂN DÂN HUYỆN HỒNG NGỰ",
        "PHÒNG VĂN HÓA VÀ THÔNG TIN",
        "Hồng Ngự, ngày 20 tháng 8 năm 2020",
        "Số:      /BC-VHTT",
        "Nơi nhận:",
        "Kính gửi:",
    ):
        assert expected in text, expected
    assert "toàn huyện có 6.090 người cài đặt ứng dụng" in " ".join(text.split())
    assert "đạt tỷ lệ 5,05%" in " ".join(text.split())
    # every unit is named, in tables made with tabulate
    for unit in demo_store.registry.units:
        assert unit.name in text
    assert "-----  " in text
    # late unit with its contact
    assert "Xã Phú Thuận A" in text.split("III.")[1]
    assert "0277 3800 109" in text
    # departments below target, communes without desk officer, hamlets without team
    assert "Chưa đạt mục tiêu 100%" in text
    assert "Phòng Kinh tế và Hạ tầng (62,50%)" in " ".join(text.split())
    assert "Chưa bố trí công chức hướng dẫn" in text
    assert "Khóm, ấp chưa có Đoàn hướng dẫn" in text
    # numbers never in machine format in prose
    assert "6090" not in text and "5.05%" not in text
    assert "13/13" in text and "100,00%" in text and "92,31%" in text


def test_text_report_header_order(demo_store):
    lines = render_text(consolidated(demo_store), demo_store.registry).splitlines()
    first = lines[0]
    assert "ỦY BAN NHÂN DÂN" in first and "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in first
    assert first.index("ỦY BAN") < first.index("CỘNG HÒA")
    title = next(i for i, line in enumerate(lines) if line.strip() == "BÁO CÁO")
    place = next(i for i, line in enumerate(lines) if "Hồng Ngự, ngày" in line)
    assert place < title
    assert max(len(line) for line in lines[: title + 4]) <= 78


def test_text_report_change_and_carried(demo_store):
    text = render_text(consolidated(demo_store, date(2020, 8, 24)), demo_store.registry)
    flat = " ".join(text.split())
    assert "so với lần báo cáo trước tăng" in flat
    assert "Xã Thường Phước 2 (*)" in text
    assert "(số liệu ngày 23/08/2020)" in flat
    assert "ngày 24 tháng 8 năm 2020" in text


def test_text_report_lists_the_units_notes(demo_store):
    for unit_id, note in [
        ("xa-long-khanh-b", "bỏ 50 người\nđăng ký\x1b[2J trùng"),
        ("phong-tu-phap", "cán bộ mới chuyển đến"),
    ]:
        parsed = demo_store.read(DEMO_DAY, unit_id)
        demo_store.save(
            parsed.submission.with_changes(note=note), base_revision=parsed.submission.revision
        )
    text = render_text(consolidated(demo_store), demo_store.registry)
    lines = text.splitlines()
    start = lines.index("Ghi chú của đơn vị:")
    assert lines[start + 1 : start + 3] == [
        "- Xã Long Khánh B: bỏ 50 người đăng ký\\x1b[2J trùng",  # no ESC reaches a terminal
        "- Phòng Tư pháp: cán bộ mới chuyển đến",
    ]
    assert lines[start + 3] == ""
    assert lines[start + 4].startswith("III.")  # after the group tables, before section III
    tables = [i for i, line in enumerate(lines) if line.startswith("-----  ")]
    assert len([i for i in tables if i < start]) == len(demo_store.registry.groups)


def test_text_report_without_notes_has_no_notes_section(demo_store):
    assert "Ghi chú của đơn vị" not in render_text(consolidated(demo_store), demo_store.registry)


def test_text_report_recipients_are_flush_left_beside_the_signer(demo_store):
    lines = render_text(consolidated(demo_store), demo_store.registry).splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("Nơi nhận:"))
    block = lines[start : start + 3]
    assert [line[:11].rstrip() for line in block] == ["Nơi nhận:", "- Như trên;", "- Lưu: VT."]
    assert "TRƯỞNG PHÒNG" in block[0]
    assert block[0].index("TRƯỞNG PHÒNG") > 30


def test_text_report_names_broken_files(demo_store, demo_data):
    path = demo_data / "submissions" / "2020-08-20" / "xa-thuong-lac.toml"
    path.write_text("<<<<<<< HEAD\n")
    text = render_text(consolidated(demo_store), demo_store.registry)
    assert "Tệp số liệu bị lỗi" in text
    assert "xa-thuong-lac.toml" in text
    assert "Xã Long Khánh B" in text  # others still reported


def test_status_text(demo_store):
    text = render_status(consolidated(demo_store), demo_store.registry)
    assert "Toàn huyện: 6.090 / 120.514 người — 5,05%" in text
    assert "Đã báo cáo 13/13" in text
    for unit in demo_store.registry.units:
        assert unit.id in text


@pytest.mark.parametrize("hour", [9, 14, 16])
def test_status_tables_fit_a_narrow_window(demo_store, hour):
    """An SSH window of 100 columns (about; 80 wraps less with short names) holds every
    group's table on every demo day, whatever the mix of states."""
    for day in DEMO_DAYS:
        text = render_status(load_day(demo_store, day, at(day, hour, 50)), demo_store.registry)
        tables = [line for line in text.splitlines()[3:] if line]
        # 105: a department without a report today shows its last rate (marked *)
        assert max(len(line) for line in tables) <= 105, day
    lines = render_status(consolidated(demo_store), demo_store.registry).splitlines()
    header = lines[lines.index("Xã, thị trấn (hạn 15:00)") + 1]
    assert header.split() == "Tình trạng Mã Đơn vị Lúc Đã cài Tỷ lệ +/- Ghi chú".split()
    row = next(line for line in lines if " xa-phu-thuan-a " in line)
    # late: who to call, as on the board
    assert (
        row.split()
        == "! trễ hạn xa-phu-thuan-a Xã Phú Thuận A 15:54 461 4,80% 0277 3800 109".split()
    )
    # nothing essential dropped: the change, and the contact of a unit still to report
    day = date(2020, 8, 26)
    lines = render_status(
        load_day(demo_store, day, at(day, 14, 50)), demo_store.registry
    ).splitlines()
    row = next(line for line in lines if " xa-phu-thuan-a " in line)
    assert row.split() == "✓ đúng hạn xa-phu-thuan-a Xã Phú Thuận A 13:24 808 8,42% +94".split()
    row = next(line for line in lines if " xa-thuong-lac " in line)
    assert row.split()[-3:] == ["0277", "3800", "105"] and "Xã Thường Lạc*" in row


def test_status_text_says_when_the_day_is_seen(demo_store):
    registry = demo_store.registry

    def first_line(now):
        text = render_status(load_day(demo_store, DEMO_DAY, now), registry)
        return text.splitlines()[0]

    same_day = first_line(at(DEMO_DAY, 14, 50))
    assert same_day.endswith("ngày 20 tháng 8 năm 2020 — lúc 14:50 (tổng hợp trước 16:30)")
    past = first_line(at(date(2026, 11, 29), 9, 54))
    assert past.endswith("ngày 20 tháng 8 năm 2020 — cuối ngày (tổng hợp trước 16:30)")
    assert "09:54" not in past
    future = first_line(at(date(2020, 8, 19), 9, 54))
    assert "— xem lúc 09:54 ngày 19/08/2020 (tổng hợp trước 16:30)" in future


# --------------------------------------------------------------------------- CSV


def test_csv_layout(demo_store):
    registry = demo_store.registry
    text = render_csv(consolidated(demo_store), registry)
    assert text.startswith("\ufeff")
    assert text.encode("utf-8").startswith(b"\xef\xbb\xbf")
    rows = parse_csv(text)
    assert rows[0] == header(registry)
    assert rows[0][: len(FIXED_COLUMNS)] == list(FIXED_COLUMNS)
    assert rows[0][:3] == ["date", "unit_id", "unit_name"]
    body, total = rows[1:-1], rows[-1]
    assert [r[1] for r in body] == [u.id for u in registry.units]  # registry order
    assert len(rows) == 1 + 28 + 1
    assert all(len(r) == len(rows[0]) for r in rows)
    assert all(r[0] == "2020-08-20" for r in rows[1:])  # ISO dates
    cols = {name: i for i, name in enumerate(rows[0])}
    assert total[cols["unit_id"]] == TOTAL_ID
    assert total[cols["installs"]] == "6090"
    assert total[cols["population"]] == "120514"
    assert total[cols["rate_percent"]] == "5.05"
    assert [total[cols[c]] for c in ("installs", "population", "rate_percent")] == [
        "6090",
        "120514",
        "5.05",
    ]
    lkb = next(r for r in body if r[1] == "xa-long-khanh-b")
    assert lkb[cols["installs"]] == "433"
    assert lkb[cols["population"]] == "8700"
    assert lkb[cols["rate_percent"]] == "4.98"
    assert lkb[cols["status"]] == "on_time"
    assert lkb[cols["reported_at"]] == "2020-08-20T14:33:00+07:00"
    assert lkb[cols["desk_officer"]] == "1"
    assert lkb[cols["unit_name"]] == "Xã Long Khánh B"
    assert text.count("\r\n") == 30


def test_csv_columns_each_hold_one_measure_so_sums_mean_something(demo_store):
    """Summing the old `headline` column gave 13.279 for a district of 6.090: it mixed
    residents, students, staff and youth members. Now every count sums to its total."""
    rows = parse_csv(render_csv(consolidated(demo_store), demo_store.registry))
    cols = {name: i for i, name in enumerate(rows[0])}
    body, total = rows[1:-1], rows[-1]

    def column_sum(name: str) -> int:
        return sum(int(r[cols[name]]) for r in body if r[cols[name]])

    assert "headline" not in cols
    assert column_sum("installs") == int(total[cols["installs"]]) == 6090
    assert column_sum("residents_installed") == 6090
    assert column_sum("population") == int(total[cols["population"]]) == 120514
    communes = {r[1] for r in body if r[cols["group"]] == "commune"}
    assert {r[1] for r in body if r[cols["installs"]]} == communes
    assert column_sum("students_installed") == sum(
        int(r[cols["students_installed"]]) for r in body if r[cols["group"]] == "school"
    )


def test_csv_header_is_stable(shipped_registry):
    assert header(shipped_registry) == [
        *FIXED_COLUMNS,
        "residents_installed",
        "teams_formed",
        "hamlets_with_team",
        "households_visited",
        "desk_officer",
        "desk_helped",
        "staff",
        "staff_installed",
        "students_with_smartphone",
        "students_installed",
        "relatives_installed",
        "staff_with_smartphone",
        "members_sent",
        "hamlets_supported",
    ]


def test_csv_semicolon_delimiter(demo_store):
    text = render_csv(consolidated(demo_store), demo_store.registry, delimiter=";")
    rows = parse_csv(text, ";")
    assert rows[0] == header(demo_store.registry)
    assert rows[-1][rows[0].index("rate_percent")] == "5,05"  # the decimal comma goes with ;
    assert text.splitlines()[0].count(";") == len(rows[0]) - 1


def test_csv_carried_and_change(demo_store):
    rows = parse_csv(render_csv(consolidated(demo_store, date(2020, 8, 24)), demo_store.registry))
    cols = {name: i for i, name in enumerate(rows[0])}
    tp2 = next(r for r in rows if r[1] == "xa-thuong-phuoc-2")
    assert tp2[cols["carried_from"]] == "2020-08-23"
    assert tp2[cols["status"]] == "missing"
    assert tp2[cols["installs_change"]] == ""
    lkb = next(r for r in rows if r[1] == "xa-long-khanh-b")
    assert int(lkb[cols["installs_change"]]) > 0
    assert int(rows[-1][cols["installs_change"]]) > 0


@pytest.mark.parametrize(
    "text", ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx", '=HYPERLINK("http://x")']
)
def test_neutralise(text):
    assert neutralise(text) == "'" + text


@pytest.mark.parametrize("text", ["Xã Long Khánh B", "1", "", "a=b", " =x"])
def test_neutralise_leaves_safe_text(text):
    assert neutralise(text) == text


@pytest.mark.parametrize("start", ["=", "+", "-", "@"])
def test_csv_neutralises_notes(empty_store, start):
    note = f'{start}HYPERLINK("http://evil.example","bấm vào")'
    empty_store.save(
        Submission(
            "xa-long-khanh-b",
            DEMO_DAY,
            {"residents_installed": 433},
            reported_at=at(DEMO_DAY, 10),
            note=note,
        ),
        base_revision=0,
    )
    rows = parse_csv(render_csv(consolidated(empty_store), empty_store.registry))
    cols = {name: i for i, name in enumerate(rows[0])}
    lkb = next(r for r in rows if r[1] == "xa-long-khanh-b")
    assert lkb[cols["note"]] == "'" + note
    for r in rows[1:]:
        for cell in r:
            assert not cell.startswith(("=", "+", "@", "\t", "\r")), cell


def test_csv_neutralises_unit_and_district_names(tmp_path):
    text = SHIPPED_REGISTRY.read_text(encoding="utf-8")
    for old, new in [
        ("name: Xã Long Khánh B", 'name: "=Xã Long Khánh B"'),
        ("name: Xã Long Thuận", 'name: "+Xã Long Thuận"'),
        ("name: Xã Phú Thuận A", 'name: "@Xã Phú Thuận A"'),
        ("name: Phòng Tư pháp,", 'name: "-Phòng Tư pháp",'),
        ("  name: Huyện Hồng Ngự", '  name: "=Huyện Hồng Ngự"'),
    ]:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    (tmp_path / "units.yaml").write_text(text, encoding="utf-8")
    registry = load_registry(tmp_path)
    store = Store(tmp_path, registry)
    rows = parse_csv(render_csv(consolidated(store), registry))
    names = {r[1]: r[2] for r in rows[1:]}
    assert names["xa-long-khanh-b"] == "'=Xã Long Khánh B"
    assert names["xa-long-thuan"] == "'+Xã Long Thuận"
    assert names["xa-phu-thuan-a"] == "'@Xã Phú Thuận A"
    assert names["phong-tu-phap"] == "'-Phòng Tư pháp"
    assert names[TOTAL_ID] == "'=Huyện Hồng Ngự"


def test_csv_negative_numbers_are_not_neutralised(demo_store):
    day = date(2020, 8, 27)
    before = demo_store.read(date(2020, 8, 26), "xa-long-khanh-b").submission
    lower = before.figures["residents_installed"] - 5
    demo_store.save(
        Submission(
            "xa-long-khanh-b",
            day,
            {**before.figures, "residents_installed": lower},
            reported_at=at(day, 10),
            note="-5: bỏ số trùng",
            confirmations=(Confirmation("decrease:residents_installed", "lan"),),
        ),
        base_revision=0,
    )
    result = consolidated(demo_store, day)
    rows = parse_csv(render_csv(result, demo_store.registry))
    cols = {name: i for i, name in enumerate(rows[0])}
    lkb = next(r for r in rows if r[1] == "xa-long-khanh-b")
    assert lkb[cols["installs_change"]] == "-5"
    assert lkb[cols["note"]] == "'-5: bỏ số trùng"
    assert lkb[cols["status"]] == "on_time"
    total_change = rows[-1][cols["installs_change"]]
    assert total_change.lstrip("-").isdigit()
    assert total_change == str(result.change)


def test_csv_for_a_day_with_a_broken_file(demo_store, demo_data):
    (demo_data / "submissions" / "2020-08-20" / "xa-thuong-lac.toml").write_text("[figures\n")
    rows = parse_csv(render_csv(consolidated(demo_store), demo_store.registry))
    cols = {name: i for i, name in enumerate(rows[0])}
    assert len(rows) == 30
    bad = next(r for r in rows if r[1] == "xa-thuong-lac")
    assert bad[cols["status"]] == "file_error"
    assert rows[-1][cols["installs"]] == str(6090 - 575)


def test_output_written_by_path(tmp_path: Path, demo_store):
    from bluezone_tui.export import write_report

    target = tmp_path / "exports" / "r.csv"
    write_report(target, render_csv(consolidated(demo_store), demo_store.registry), tmp_path)
    assert target.read_bytes().startswith(b"\xef\xbb\xbfdate,unit_id,")
    assert list(target.parent.iterdir()) == [target]


def test_docs_document_the_csv_header(shipped_registry):
    formats = (REPO / "docs" / "formats.md").read_text(encoding="utf-8")
    section = formats.split("\n## The CSV\n", 1)[1].split("\n## ", 1)[0]
    documented = re.findall(r"`([^`]+)`", " ".join(section.split()))
    columns = [c.strip() for part in documented if "," in part for c in part.split(",")]
    for column in header(shipped_registry):
        assert column in columns, column
    for state in ("on_time", "late", "missing", "pending", "reported", "no_report", "file_error"):
        assert state in columns
