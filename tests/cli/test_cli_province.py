"""`bluezone province` end to end, in-process, on copies of the demo province in a temp folder."""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook

from helpers.data import REPO

DAY20 = ("--date", "2020-08-20", "--now", "2020-08-20T16:45")


@pytest.fixture
def sources(tmp_path: Path, demo_data: Path) -> list[Path]:
    shutil.copytree(REPO / "demo" / "province", tmp_path / "province")
    return [demo_data, *sorted((tmp_path / "province").iterdir())]


LIST = REPO / "demo" / "dong-thap-huyen.csv"


def test_the_readme_command_reproduces_the_letter(cli, sources):
    code, out, err = cli("province", *DAY20, "--districts", LIST, *sources)
    assert code == 0 and err == ""
    assert "12  Huyện Hồng Ngự               6.090    120.514    5,05%" in out
    assert "Đứng cuối: Huyện Hồng Ngự, hạng 12/12 (5,05%)." in out
    prose = " ".join(out.split())
    assert "12/12 huyện, thị xã, thành phố có số liệu; toàn tỉnh có 134.870 người" in prose
    assert "Toàn tỉnh 134.870 1.623.514 8,31%" in prose


def test_without_the_list_of_districts_the_total_is_not_called_the_province(cli, sources):
    """Issue 20: with a district left out, the text still said "Toàn tỉnh"."""
    code, out, err = cli("province", *DAY20, *sources[:-2])
    assert code == 0
    prose = " ".join(out.split())
    assert "Toàn tỉnh" not in prose and "toàn tỉnh có" not in prose
    assert "Cộng 10 huyện" in prose and "không biết còn thiếu huyện nào" in prose
    assert "không có --districts" in err


def test_a_district_left_out_is_named_and_the_total_says_whom_it_covers(cli, sources):
    code, out, err = cli("province", *DAY20, "--districts", LIST, *sources[:-2])
    assert code == 1
    missing = "Thành phố Sa Đéc (mẫu), Thành phố Hồng Ngự (mẫu)"  # in the list's order
    prose = " ".join(out.split())
    assert f"10/12 huyện, thị xã, thành phố có số liệu (chưa có: {missing})" in prose
    assert "Cộng 10/12 huyện" in prose and "Toàn tỉnh" not in prose
    assert f"Chưa có số liệu, không xếp hạng: {missing}." in prose
    assert f"chưa có số liệu của 2/12 huyện trong {LIST}: {missing}" in err
    code, out, err = cli("province", *DAY20, "--districts", LIST, "--format", "csv", *sources[:-2])
    rows = list(csv.DictReader(io.StringIO(out.removeprefix("\ufeff"))))
    assert [(r["district"], r["installs"], r["rank"]) for r in rows[-3:-1]] == [
        ("Thành phố Sa Đéc (mẫu)", "", ""),
        ("Thành phố Hồng Ngự (mẫu)", "", ""),
    ]


def test_csv_and_a_workbook_named_by_its_suffix(cli, sources, tmp_path, monkeypatch):
    code, out, _ = cli("province", *DAY20, "--format", "csv", *sources)
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out.removeprefix("\ufeff"))))
    assert [r["rank"] for r in rows[:-1]] == [str(n) for n in range(1, 13)]
    assert rows[-1]["district"] == "TOTAL"
    target = tmp_path / "xep-hang.xlsx"
    code, out, err = cli("province", *DAY20, "-o", target, *sources)
    assert code == 0 and out == "" and f"Đã ghi {target}" in err
    assert load_workbook(target)["Xếp hạng"]["C13"].value == "Huyện Hồng Ngự"
    monkeypatch.chdir(tmp_path)  # a workbook on a terminal is noise: it goes to a file
    code, out, err = cli("province", *DAY20, "--format", "xlsx", *sources)
    assert code == 0 and out == ""
    assert (tmp_path / "xep-hang-bluezone-2020-08-20.xlsx").exists()


def test_refusals_exit_1_and_name_the_source(cli, sources, tmp_path):
    code, out, err = cli("province", *DAY20, *sources, sources[0])
    assert code == 1 and out == ""
    assert "hai nguồn cho cùng Huyện Hồng Ngự" in err
    code, out, err = cli("province", "--date", "2020-08-21", *sources)
    assert code == 1 and out == ""
    assert "không phải ngày 21/08/2020" in err and "không có số liệu ngày 21/08/2020" in err
    foreign = tmp_path / "tu-lam.csv"
    foreign.write_text("huyen,da_cai\r\nHuyện A,100\r\n", encoding="utf-8")
    code, _, err = cli("province", *DAY20, *sources, foreign)
    assert code == 1 and "tu-lam.csv" in err and "không phải bảng số liệu" in err


def test_usage_errors_exit_2(cli, sources, tmp_path):
    code, _, err = cli("province", *DAY20, tmp_path / "khong-co")
    assert code == 2 and "khong-co: không có tệp hay thư mục này" in err
    code, _, err = cli("province", *DAY20, "--format", "docx", *sources)
    assert code == 2
    code, _, err = cli("province", *DAY20, "-o", tmp_path / "x.docx", *sources)
    assert code == 2 and "bảng xếp hạng không có định dạng .docx" in err
    code, _, err = cli("province", *DAY20, "--format", "xlsx", "-o", tmp_path / "x.csv", *sources)
    assert code == 2 and "không phải định dạng xlsx" in err
    code, _, err = cli("province", *DAY20)
    assert code == 2 and "NGUỒN" in err
    code, out, _ = cli("province", "--help")
    assert code == 0 and out.startswith("cách dùng: bluezone province")
    assert "thư mục dữ liệu hoặc tệp .csv/.xlsx của huyện" in out


def test_a_broken_file_in_a_district_is_named(cli, sources):
    broken = sources[0] / "submissions" / "2020-08-20" / "xa-thuong-lac.toml"
    broken.write_text("[figures\n", encoding="utf-8")
    code, out, err = cli("province", *DAY20, *sources)
    assert code == 1
    assert "xa-thuong-lac.toml" in err and "Huyện Hồng Ngự" in out
    assert "Tệp số liệu bị lỗi ở huyện" in out


# ---------------------------------------------------------------- as the Department reads it


def test_the_current_folder_is_shown_as_typed_never_as_the_servers_path(cli, sources, monkeypatch):
    """Main printed "thư mục dữ liệu /home/…/hong-ngu" for `.`, which the user typed."""
    monkeypatch.chdir(sources[0])
    others = [str(p) for p in sources[1:]]
    code, out, _ = cli("province", *DAY20, ".", *others)
    assert code == 0
    assert str(sources[0].resolve()) not in out and str(sources[0]) not in out
    assert "- Huyện Hồng Ngự: thư mục dữ liệu «.» (thư mục hiện tại)" in out
    code, out, _ = cli("province", *DAY20, "--format", "csv", ".", *others)
    assert str(sources[0].resolve()) not in out
    assert list(csv.DictReader(io.StringIO(out.removeprefix("\ufeff"))))[11]["source"] == "."


def test_completeness_and_timeliness_as_the_district_gives_them_and_for_the_province(cli, sources):
    """Main: "92%" where the district's report says 92,31 %, and a TOTAL row without them."""
    code, out, _ = cli("province", *DAY20, *sources)
    assert code == 0
    hong_ngu = next(line for line in out.splitlines() if "Huyện Hồng Ngự  " in line)
    assert hong_ngu.split()[-2:] == ["100,00%", "92,31%"]
    # without the province's list of districts (--districts), the total of those given
    total = next(line for line in out.splitlines() if line.strip().startswith("Cộng 12 huyện"))
    assert total.split()[-2:] == ["100,00%", "89,13%"]  # 46 expected, 46 reported, 41 on time
    assert "TOTAL" not in out


def test_every_district_has_its_gso_code_whatever_it_sent(cli, sources):
    """Main left gso_code empty for districts sent as CSV or workbook: the district's export
    now carries it on its TOTAL row."""
    code, out, _ = cli("province", *DAY20, "--format", "csv", *sources)
    rows = list(csv.DictReader(io.StringIO(out.removeprefix("\ufeff"))))
    kinds = {Path(r["source"]).suffix for r in rows[:-1]}
    assert {".csv", ".xlsx", ""} <= kinds
    assert all(r["gso_code"].isdigit() for r in rows[:-1]), rows


def test_the_workbook_is_in_vietnamese_and_its_filter_leaves_the_total_out(cli, sources, tmp_path):
    target = tmp_path / "xep-hang.xlsx"
    assert cli("province", *DAY20, "-o", target, *sources)[0] == 0
    sheet = load_workbook(target)["Xếp hạng"]
    header = [c.value for c in sheet[1]]
    assert header[:3] == ["Ngày", "Hạng", "Huyện, thị xã, thành phố"]
    assert not any(name in header for name in ("rate_percent", "completeness_percent", "TOTAL"))
    total = [c.value for c in sheet[14]]
    assert total[2] == "Cộng 12 huyện"  # as the text report names it (not "TOTAL")
    column = header.index("Kịp thời")
    assert (
        total[column] == pytest.approx(0.8913)
        and sheet.cell(14, column + 1).number_format == "0.00%"
    )
    assert sheet.auto_filter.ref == "A1:N13"  # the twelve districts, not the total


@pytest.mark.parametrize("label", ["unit_id", "installs", "status", "date", "gso_code", "Đơn vị"])
def test_a_field_labelled_as_a_fixed_column_is_not_read_as_that_column(
    cli, demo_data, tmp_path, label
):
    """A form field whose label is a fixed column's machine name or heading: the district's
    own workbook must still be read back as its CSV is (it was refused, or its GSO code
    silently lost)."""
    units = demo_data / "units.yaml"
    units.write_text(
        units.read_text("utf-8").replace('label: "Số khóm/ấp được hỗ trợ"', f'label: "{label}"'),
        "utf-8",
    )
    workbook = tmp_path / "huyen.xlsx"
    assert cli("--data", demo_data, "export", *DAY20, "-o", workbook)[0] == 0
    csv_file = tmp_path / "huyen.csv"
    assert cli("--data", demo_data, "export", *DAY20, "-o", csv_file)[0] == 0
    headings = [c.value for c in load_workbook(workbook)["Số liệu"][1]]
    assert f"{label} (hamlets_supported)" in headings
    from_book = cli("province", *DAY20, "--format", "csv", workbook)
    from_csv = cli("province", *DAY20, "--format", "csv", csv_file)
    assert from_book[0] == from_csv[0] == 0, from_book[2]
    assert from_book[1].replace("huyen.xlsx", "huyen.csv") == from_csv[1]  # the source named


def test_what_a_source_hid_in_a_name_is_shown_escaped_in_the_province_workbook(
    cli, sources, tmp_path
):
    """A district's CSV whose district name holds a bell, a right-to-left override, a tab
    and a line break: the province's workbook shows them escaped, as its text does (they
    were written raw into the cell)."""
    source = next(s for s in sources if s.name.startswith("tan-hong"))
    hostile = "Huyện\x07 \u202eTân\tHồng\r\nX"
    source.write_text(
        source.read_text("utf-8-sig").replace(",Huyện Tân Hồng (mẫu),", f',"{hostile}",'), "utf-8"
    )
    target = tmp_path / "xep-hang.xlsx"
    code, _, err = cli("province", *DAY20, "-o", target, *sources)
    assert code == 0, err
    cells = [c.value for row in load_workbook(target)["Xếp hạng"].iter_rows() for c in row]
    names = [v for v in cells if isinstance(v, str) and "Tân" in v and "Huyện" in v]
    assert names == ["Huyện\\x07 \\u202eTân\\x09Hồng\\x0d\\x0aX"]
