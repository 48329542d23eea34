"""The workbook: the CSV's table as numbers, percentages and date-times, and the text report."""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
from datetime import date, datetime
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from bluezone_tui.day.loader import load_day
from bluezone_tui.day.store import Store
from bluezone_tui.province.sources import read_source
from bluezone_tui.registry.load import load_registry
from bluezone_tui.reports.csv import render_csv
from bluezone_tui.reports.xlsx import render_xlsx
from helpers.data import DEMO_DAY, SHIPPED_REGISTRY, at

DAY26 = date(2020, 8, 26)


def consolidated(store: Store, day: date = DAY26):
    return load_day(store, day, at(day, 16, 30))


def workbook_of(store: Store, day: date = DAY26):
    return load_workbook(io.BytesIO(render_xlsx(consolidated(store, day), store.registry)))


def test_the_data_sheet_is_the_csv_with_types(demo_store):
    consolidation = consolidated(demo_store)
    rows = list(csv.reader(io.StringIO(render_csv(consolidation, demo_store.registry)[1:])))
    workbook = workbook_of(demo_store)
    assert workbook.sheetnames == ["Số liệu", "Báo cáo"]
    sheet = workbook["Số liệu"]
    cells = [[c.value for c in row] for row in sheet.iter_rows()]
    assert cells[0] == rows[0]
    assert len(cells) == len(rows)
    cols = {name: i for i, name in enumerate(rows[0])}
    for written, expected in zip(cells[1:], rows[1:], strict=True):
        for name, index in cols.items():
            value, text = written[index], expected[index]
            if text == "":
                assert value is None, name
            elif name == "rate_percent":
                assert value == pytest.approx(float(Decimal(text) / 100)), name
            elif name == "reported_at":  # a real date-time, naive, in the registry's time
                assert value == datetime.fromisoformat(text).replace(tzinfo=None), name
            elif name in ("date", "carried_from"):
                assert value == datetime.fromisoformat(text), name
            elif isinstance(value, int):
                assert str(value) == text, name
            else:
                assert value == text, name
    names = [row[cols["unit_name"]] for row in cells[1:]]
    assert "Xã Thường Thới Hậu A" in names and "Huyện Hồng Ngự" in names  # every letter


def test_numbers_sum_percentages_show_and_the_total_stands_out(demo_store):
    sheet = workbook_of(demo_store)["Số liệu"]
    header = [c.value for c in sheet[1]]
    installs = header.index("installs") + 1
    rate = header.index("rate_percent") + 1
    last = sheet.max_row
    body = [sheet.cell(row, installs).value for row in range(2, last)]
    assert sum(v for v in body if v is not None) == sheet.cell(last, installs).value == 10037
    assert sheet.cell(2, rate).number_format == "0.00%"  # 0.0897 shown as 8,97% in vi-VN
    assert sheet.cell(2, installs).number_format == "#,##0"
    assert sheet.cell(2, header.index("reported_at") + 1).is_date
    assert sheet.freeze_panes == "D2"  # the header row and the unit's name stay in view
    assert sheet.cell(last, 3).font.b and not sheet.cell(2, 3).font.b
    assert sheet.cell(last, 3).fill.fgColor.rgb != sheet.cell(2, 3).fill.fgColor.rgb
    width = sheet.column_dimensions["C"].width
    assert width >= len("Huyện đoàn Hồng Ngự (Đoàn TNCS Hồ Chí Minh)") * 0.9


def test_the_report_sheet_is_the_text_report(demo_store):
    from bluezone_tui.reports.text import render_text

    consolidation = consolidated(demo_store, DEMO_DAY)
    text = render_text(consolidation, demo_store.registry)
    sheet = workbook_of(demo_store, DEMO_DAY)["Báo cáo"]
    lines = [row[0].value or "" for row in sheet.iter_rows()]
    assert lines == text.rstrip("\n").splitlines()
    assert sheet["A1"].font.name == "Courier New"


def test_the_same_report_is_the_same_bytes(demo_store):
    consolidation = consolidated(demo_store)
    assert render_xlsx(consolidation, demo_store.registry) == render_xlsx(
        consolidated(demo_store), demo_store.registry
    )


def test_a_name_that_looks_like_a_formula_stays_text(demo_data):
    text = SHIPPED_REGISTRY.read_text(encoding="utf-8").replace(
        "name: Xã Thường Lạc", 'name: "=1+1"'
    )
    (demo_data / "units.yaml").write_text(text, encoding="utf-8")
    store = Store(demo_data, load_registry(demo_data))
    sheet = workbook_of(store)["Số liệu"]
    cell = next(c for c in sheet["C"] if c.value == "=1+1")
    assert cell.data_type == "s"


def test_the_province_reads_the_workbook_as_the_folder(demo_data, demo_store, tmp_path):
    target = tmp_path / "hong-ngu.xlsx"
    target.write_bytes(render_xlsx(consolidated(demo_store), demo_store.registry))
    now = at(DAY26, 16, 30)
    from_workbook = read_source(target, DAY26, now)
    from_folder = read_source(demo_data, DAY26, now)
    for attribute in ("name", "installs", "population", "change", "expected", "reported"):
        assert getattr(from_workbook, attribute) == getattr(from_folder, attribute), attribute
    assert from_workbook.kind == "Excel"


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_libreoffice_opens_it_with_every_letter_and_number(demo_store, tmp_path):
    source = tmp_path / "bao-cao.xlsx"
    source.write_bytes(render_xlsx(consolidated(demo_store), demo_store.registry))
    profile = tmp_path / "profile"  # never the user's LibreOffice profile
    result = subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,1",
            "--outdir",
            str(tmp_path / "out"),
            str(source),
        ],
        capture_output=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr.decode(errors="replace")
    converted = next((tmp_path / "out").glob("*.csv")).read_text(encoding="utf-8")
    rows = list(csv.reader(io.StringIO(converted)))
    assert rows[0][:3] == ["date", "unit_id", "unit_name"]
    total = rows[-1]
    assert "Huyện Hồng Ngự" in total and "10037" in total and "120514" in total
    assert any("Xã Thường Thới Hậu A" in row for row in rows)
    assert any("8.97%" in row for row in rows)  # a number LibreOffice formats as a percentage
