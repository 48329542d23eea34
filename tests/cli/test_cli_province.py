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
