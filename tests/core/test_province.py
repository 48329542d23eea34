"""The province's ranking: reading each district's source, refusing what would mislead, ranking."""

from __future__ import annotations

import csv
import io
import shutil
from datetime import date
from pathlib import Path

import pytest

from bluezone_tui.base.problems import RefusedError
from bluezone_tui.day.loader import load_day
from bluezone_tui.province.report import (
    CSV_COLUMNS,
    WORKBOOK_COLUMNS,
    render_csv,
    render_text,
    render_xlsx,
)
from bluezone_tui.province.sources import (
    CSV_FILE,
    FOLDER,
    WORKBOOK,
    DistrictDay,
    province_ranking,
    rank,
    read_source,
)
from bluezone_tui.reports.csv import render_csv as district_csv
from helpers.data import DEMO_DAY, REPO, at

NOW = at(DEMO_DAY, 16, 45)


@pytest.fixture
def province(tmp_path: Path, demo_data: Path) -> list[Path]:
    """Hồng Ngự's data (a copy of the shipped folder) and the eleven sample districts."""
    shutil.copytree(REPO / "demo" / "province", tmp_path / "province")
    return [demo_data, *sorted((tmp_path / "province").iterdir())]


def district(name: str, installs: int, population: int, **more) -> DistrictDay:
    return DistrictDay(
        name=name,
        source=Path(name),
        kind=FOLDER,
        installs=installs,
        population=population,
        change=more.pop("change", None),
        expected=10,
        reported=10,
        on_time=9,
        **more,
    )


def test_the_demo_province_ranks_hong_ngu_12th_of_12(province):
    ranking = province_ranking(province, DEMO_DAY, NOW)
    assert ranking.province == "Đồng Tháp"
    assert len(ranking.districts) == 12
    last = ranking.districts[-1]
    assert (last.district.name, last.rank) == ("Huyện Hồng Ngự", 12)
    assert (last.district.installs, last.district.population) == (6090, 120514)
    assert str(last.district.rate) == "5.05"
    assert [r.rank for r in ranking.districts] == list(range(1, 13))
    rates = [r.district.rate for r in ranking.districts]
    assert rates == sorted(rates, reverse=True)
    samples = [r.district.name for r in ranking.districts[:-1]]
    assert all(name.endswith("(mẫu)") for name in samples)  # labelled as sample data
    assert {r.district.kind for r in ranking.districts} == {FOLDER, CSV_FILE, WORKBOOK}
    assert ranking.installs == sum(r.district.installs for r in ranking.districts)
    assert ranking.change is None  # Hồng Ngự's data starts on the 20th
    text = render_text(ranking)
    assert "Đứng cuối: Huyện Hồng Ngự, hạng 12/12 (5,05%)." in text
    assert "UBND TỈNH ĐỒNG THÁP" in text and "SỞ THÔNG TIN VÀ TRUYỀN THÔNG" in text
    assert "Đồng Tháp, ngày 20 tháng 8 năm 2020" in text


def test_a_folder_and_the_csv_it_exports_give_the_same_figures(demo_data, demo_store, tmp_path):
    """What the province reads from a CSV is what it would read from the folder itself,
    completeness and timeliness included (the 26th: late and missing communes)."""
    day = date(2020, 8, 26)
    now = at(day, 16, 30)
    from_folder = read_source(demo_data, day, now)
    for delimiter in (",", ";"):
        target = tmp_path / f"hong-ngu-{delimiter == ';'}.csv"
        consolidation = load_day(demo_store, day, now)
        target.write_text(
            district_csv(consolidation, demo_store.registry, delimiter), encoding="utf-8"
        )
        from_csv = read_source(target, day, now)
        for attribute in ("name", "installs", "population", "change", "expected", "reported"):
            assert getattr(from_csv, attribute) == getattr(from_folder, attribute), attribute
        assert from_csv.on_time == from_folder.on_time
    assert (from_folder.expected, from_folder.reported, from_folder.on_time) == (13, 11, 10)


def test_two_sources_for_one_district_are_refused(province, demo_store, tmp_path):
    consolidation = load_day(demo_store, DEMO_DAY, NOW)
    copy = tmp_path / "hong-ngu-tu-huyen-gui.csv"
    copy.write_text(district_csv(consolidation, demo_store.registry), encoding="utf-8")
    with pytest.raises(RefusedError) as info:
        province_ranking([*province, copy], DEMO_DAY, NOW)
    assert info.value.exit_code == 1
    assert "hai nguồn cho cùng Huyện Hồng Ngự" in info.value.message
    assert str(province[0]) in info.value.message and str(copy) in info.value.message


def test_a_source_for_another_day_is_refused(province, tmp_path):
    csv_source = next(p for p in province if p.suffix == ".csv")
    with pytest.raises(RefusedError) as info:
        read_source(csv_source, date(2020, 8, 21), NOW)
    assert "là số liệu ngày 20/08/2020, không phải ngày 21/08/2020" in info.value.message
    folder = next(p for p in province[1:] if p.is_dir())
    with pytest.raises(RefusedError) as info:
        read_source(folder, date(2020, 8, 21), NOW)
    assert "không có số liệu ngày 21/08/2020" in info.value.message


@pytest.mark.parametrize(
    "content, words",
    [
        ("stt,ten_huyen,da_cai,dan_so\r\n1,Huyện A,100,1000\r\n", "dòng tiêu đề lạ"),
        (
            "dataelement,period,orgunit,categoryoptioncombo,attributeoptioncombo,value\r\n",
            "tệp DHIS2",
        ),
        ("\ufeffphone,name,message\r\n0277,Xã A,Kính gửi\r\n", "dòng tiêu đề lạ"),
        (
            "date,unit_id,unit_name,group,status,status_vi,population\r\n"
            "2020-08-20,xa-a,Xã A,commune,on_time,đúng hạn,1000\r\n",
            "không có đúng một dòng TOTAL",
        ),
        (
            "date,unit_id,unit_name,group,status,status_vi,headline,population\r\n"
            "2020-08-20,TOTAL,Huyện A,district,,,nhiều,1000\r\n",
            "không phải số nguyên",
        ),
    ],
)
def test_a_csv_this_tool_did_not_write_is_refused(tmp_path, content, words):
    source = tmp_path / "nguon.csv"
    source.write_text(content, encoding="utf-8")
    with pytest.raises(RefusedError) as info:
        read_source(source, DEMO_DAY, NOW)
    assert words in info.value.message and "không phải bảng số liệu" in info.value.message
    assert str(source) in info.value.message


def test_other_files_and_folders_are_refused(tmp_path, demo_data):
    latin = tmp_path / "latin1.csv"
    latin.write_bytes("date,unit_id\r\nHồng Ngự\r\n".encode("cp1258", errors="replace") + b"\xff")
    not_a_workbook = tmp_path / "bao-cao.xlsx"
    not_a_workbook.write_text("không phải zip", encoding="utf-8")
    empty_folder = tmp_path / "trong"
    empty_folder.mkdir()
    for source, words in (
        (latin, "không phải văn bản UTF-8"),
        (not_a_workbook, "không đọc được như tệp xlsx: không phải tệp Excel"),
        (empty_folder, "không có units.yaml"),
        (demo_data / "submissions", "chỉ thư mục chứa nó"),
        (tmp_path / "bao-cao.docx", "không có tệp hay thư mục này"),
    ):
        with pytest.raises(RefusedError) as info:
            read_source(source, DEMO_DAY, NOW)
        assert words in info.value.message, source
    docx = tmp_path / "bao-cao.docx"
    docx.write_bytes(b"PK")
    with pytest.raises(RefusedError) as info:
        read_source(docx, DEMO_DAY, NOW)
    assert "không phải nguồn số liệu của huyện" in info.value.message


def test_every_refused_source_is_named_at_once(province, tmp_path):
    stray = tmp_path / "ghi-chu.csv"
    stray.write_text("ghi chú\r\n", encoding="utf-8")
    with pytest.raises(RefusedError) as info:
        province_ranking([*province, stray, tmp_path / "province" / "nope"], DEMO_DAY, NOW)
    messages = [p.message for p in info.value.problems]
    assert any("ghi-chu.csv" in m for m in messages)
    assert any("nope" in m for m in messages)


def test_ties_share_a_rank_and_a_district_without_population_comes_last():
    ranking = rank(
        [
            district("Huyện B", 50, 1000),
            district("Huyện A", 100, 1000),
            district("Huyện C", 50, 1000),
            district("Huyện D", 0, 0),
        ],
        DEMO_DAY,
        NOW,
    )
    assert [(r.district.name, r.rank) for r in ranking.districts] == [
        ("Huyện A", 1),
        ("Huyện B", 2),
        ("Huyện C", 2),
        ("Huyện D", None),
    ]


def test_districts_of_another_province_are_refused():
    districts = [
        district("Huyện A", 1, 10, province="Đồng Tháp"),
        district("Huyện B", 1, 10, province="An Giang"),
    ]
    with pytest.raises(RefusedError, match="nhiều tỉnh"):
        rank(districts, DEMO_DAY, NOW)
    with pytest.raises(RefusedError, match="thuộc tỉnh An Giang, không phải tỉnh Đồng Tháp"):
        rank(districts, DEMO_DAY, NOW, province="Đồng Tháp")


def test_the_province_change_needs_every_district_change():
    ranking = rank(
        [district("Huyện A", 110, 1000, change=10), district("Huyện B", 60, 1000, change=-5)],
        DEMO_DAY,
        NOW,
    )
    assert ranking.change == 5
    assert str(ranking.districts[0].district.rate_change) == "1.00"
    assert "so với lần báo cáo trước tăng 5 người" in render_text(ranking)


def test_csv_and_workbook_of_the_ranking(province):
    from openpyxl import load_workbook

    ranking = province_ranking(province, DEMO_DAY, NOW)
    text = render_csv(ranking)
    assert text.startswith("\ufeff" + ",".join(CSV_COLUMNS) + "\r\n")
    lines = text.removeprefix("\ufeff").splitlines()
    assert lines[12].startswith("2020-08-20,12,Huyện Hồng Ngự,870,6090,120514,5.05,,13,13,12,")
    # the CSV keeps its machine TOTAL, now with the province's completeness and timeliness
    assert lines[13].startswith("2020-08-20,,TOTAL,,")
    assert lines[13].endswith(",46,46,41,100.00,89.13,")
    data = render_xlsx(ranking)
    assert render_xlsx(ranking) == data  # the same ranking, the same bytes
    workbook = load_workbook(io.BytesIO(data))
    sheet = workbook["Xếp hạng"]
    assert [c.value for c in sheet[1]] == [WORKBOOK_COLUMNS[c][1] for c in CSV_COLUMNS]
    assert sheet.freeze_panes == "D2"
    hong_ngu = [c.value for c in sheet[13]]
    assert hong_ngu[1:7] == [12, "Huyện Hồng Ngự", "870", 6090, 120514, pytest.approx(0.0505)]
    assert sheet.cell(13, 7).number_format == "0.00%"
    assert sheet.cell(13, 5).number_format == "#,##0"
    assert sheet.cell(14, 3).font.b  # the province total stands out
    assert sum(sheet.cell(row, 5).value for row in range(2, 14)) == sheet.cell(14, 5).value
    report = workbook["Báo cáo"]
    assert any("hạng 12/12" in (row[0].value or "") for row in report.iter_rows())


# --------------------------------------------------------------------------- issue 20


def test_an_earlier_exports_headline_for_every_unit_still_adds_up(demo_store, tmp_path):
    """Earlier exports wrote every unit's main figure in "headline", departments and schools
    too: the TOTAL is the communes' sum, one set of the file's groups, and is accepted."""
    consolidation = load_day(demo_store, DEMO_DAY, NOW)
    text = district_csv(consolidation, demo_store.registry).removeprefix("\ufeff")
    rows = list(csv.reader(io.StringIO(text)))
    header = rows[0]
    at = header.index("installs")
    header[at] = "headline"
    header[header.index("installs_change")] = "change"
    for row, unit_row in zip(rows[1:-1], consolidation.rows, strict=True):
        row[at] = "" if unit_row.headline is None else str(unit_row.headline)
    assert any(r[header.index("group")] == "department" and r[at] for r in rows[1:-1])
    source = tmp_path / "cu.csv"
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    source.write_text(buffer.getvalue(), encoding="utf-8")
    district = read_source(source, DEMO_DAY, NOW)
    assert (district.installs, district.population) == (6090, 120514)
    rows[-1][at] = "6091"
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    source.write_text(buffer.getvalue(), encoding="utf-8")
    with pytest.raises(RefusedError, match="dòng 30 \\(TOTAL\\): số cài đặt 6.091"):
        read_source(source, DEMO_DAY, NOW)


def listed_districts(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "huyen.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_list_of_districts_names_who_is_missing(tmp_path):
    from bluezone_tui.province.districts import read_districts

    listed = read_districts(
        listed_districts(
            tmp_path, "DANH SÁCH\nMã thống kê,Tên huyện\n1,Huyện A\n2,Huyện B\n,Huyện C\n"
        )
    )
    districts = [district("Huyện A", 50, 1000, gso_code="1"), district("huyện c", 10, 100)]
    ranking = rank(districts, DEMO_DAY, NOW, listed=listed)
    assert [d.name for d in ranking.missing] == ["Huyện B"] and not ranking.whole
    assert rank(districts, DEMO_DAY, NOW).missing == []  # without a list, nobody is known
    assert not rank(districts, DEMO_DAY, NOW).whole
    everyone = [*districts, district("Huyện B (đổi tên)", 1, 10, gso_code="2")]
    assert rank(everyone, DEMO_DAY, NOW, listed=listed).whole  # matched by its GSO code
    text = render_text(rank(everyone, DEMO_DAY, NOW, listed=listed))
    assert "3/3 huyện, thị xã, thành phố có số liệu; toàn tỉnh có" in " ".join(text.split())


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("Huyện\n", "danh sách không có huyện nào"),
        ("STT,Ghi chú\n1,x\n", "không thấy dòng tiêu đề có cột tên huyện"),
        ("Tên huyện,Mã\nHuyện A,1\nhuyện a,2\n", "dòng 3: «huyện a» trùng với dòng 2"),
        ("Tên huyện,Mã\nHuyện A,1\nHuyện B,1\n", "dòng 3: «Huyện B» trùng với dòng 2"),
        ("Tên huyện,Mã\n,1\n", "dòng 2: thiếu tên huyện"),
    ],
)
def test_a_list_of_districts_that_cannot_be_used_is_a_usage_error(tmp_path, text, words):
    from bluezone_tui.base.problems import ConfigError
    from bluezone_tui.province.districts import read_districts

    path = listed_districts(tmp_path, text)
    with pytest.raises(ConfigError) as info:
        read_districts(path)
    assert info.value.exit_code == 2
    assert info.value.message.startswith(f"--districts: {path}") and words in info.value.message
