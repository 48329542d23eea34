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
from bluezone_tui.reports.csv import FIXED_COLUMNS, render_csv
from bluezone_tui.reports.workbook import PRINT_WIDTH_PT
from bluezone_tui.reports.xlsx import machine_columns, render_xlsx
from helpers.data import DEMO_DAY, SHIPPED_REGISTRY, at, with_many_communes
from helpers.libreoffice import MM, convert, needs_libreoffice, pages

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
    assert cells[0][:3] == ["Ngày", "Mã đơn vị", "Đơn vị"]  # read by people: Vietnamese
    # the CSV's machine names, but for the rate: a fraction here, under a name of its own
    fixed = len(FIXED_COLUMNS)
    assert machine_columns(cells[0])[:fixed] == [
        "rate" if c == "rate_percent" else c for c in rows[0][:fixed]
    ]
    labels: dict[str, str] = {}  # a field shared by two forms: the first form's label
    for group in demo_store.registry.groups:
        for form_field in group.form.fields:
            labels.setdefault(form_field.id, form_field.label)
    assert cells[0][fixed:] == [labels[c] for c in rows[0][fixed:]]  # each field's label
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
    header = machine_columns([c.value for c in sheet[1]])
    installs = header.index("installs") + 1
    rate = header.index("rate") + 1
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
    assert rows[0][:3] == ["Ngày", "Mã đơn vị", "Đơn vị"]
    total = rows[-1]
    assert "Huyện Hồng Ngự" in total and "10037" in total and "120514" in total
    assert any("Xã Thường Thới Hậu A" in row for row in rows)
    assert any("8.97%" in row for row in rows)  # a number LibreOffice formats as a percentage


# ----------------------------------------------------------------------------- as people read it


def test_one_meaning_per_name_the_csv_rate_percent_is_not_the_workbooks_rate(demo_store):
    """Main held 5.05 under rate_percent in the CSV and 0.0505 under rate_percent in the
    workbook. The workbook keeps a spreadsheet's percentage (formulas over it mean what
    they say), under its own heading and machine name."""
    consolidation = consolidated(demo_store, DEMO_DAY)
    rows = list(csv.DictReader(io.StringIO(render_csv(consolidation, demo_store.registry)[1:])))
    assert rows[-1]["rate_percent"] == "5.05"
    sheet = workbook_of(demo_store, DEMO_DAY)["Số liệu"]
    header = [c.value for c in sheet[1]]
    assert "rate_percent" not in header and "rate_percent" not in machine_columns(header)
    rate = header.index("Tỷ lệ") + 1
    total = sheet.cell(sheet.max_row, rate)
    assert total.value == pytest.approx(0.0505) and total.number_format == "0.00%"
    population = sheet.cell(sheet.max_row, header.index("Dân số") + 1).value
    installs = sheet.cell(sheet.max_row, machine_columns(header).index("installs") + 1).value
    assert installs == 6090  # a percentage: × population is the installs, to its rounding
    assert abs(total.value * population - installs) <= population * 0.00005


def shown_width(value, number_format: str) -> int:
    if value is None:
        return 0
    if number_format == "dd/mm/yyyy hh:mm":
        return len("20/08/2020 14:33")
    if number_format == "dd/mm/yyyy":
        return len("20/08/2020")
    if number_format == "0.00%":
        return len(f"{value * 100:.2f}%")
    if number_format == "#,##0":
        return len(f"{value:,}")
    return len(str(value))


def test_every_column_shows_its_values_whole_a_date_time_never_hashes(demo_data):
    """Main's reported_at column was 13.86 wide for "20/08/2020 09:26" (16): ### in
    LibreOffice and in Excel. Every column is now at least as wide as its widest value as
    shown, with room for the cell's margins."""
    store = Store(with_many_communes(demo_data, 30), load_registry(demo_data))
    sheet = workbook_of(store, DEMO_DAY)["Số liệu"]
    header = [c.value for c in sheet[1]]
    reported_at = header.index("Giờ báo cáo") + 1
    letter = sheet.cell(1, reported_at).column_letter
    assert sheet.column_dimensions[letter].width >= len("20/08/2020 14:33") + 1
    for column in range(1, sheet.max_column + 1):
        letter = sheet.cell(1, column).column_letter
        width = sheet.column_dimensions[letter].width
        widest = max(
            shown_width(sheet.cell(row, column).value, sheet.cell(row, column).number_format)
            for row in range(2, sheet.max_row + 1)
        )
        assert width >= min(widest + 1, 60), (header[column - 1], width, widest)
        words = str(header[column - 1]).split()
        assert width >= max(len(w) for w in words) + 2  # a heading's word beside its filter


def test_the_filter_leaves_the_total_row_out(demo_store):
    """Main's filter covered the TOTAL row: sorting by rate moved the district among units."""
    sheet = workbook_of(demo_store)["Số liệu"]
    last = sheet.max_row
    assert sheet.cell(last, 2).value == "TOTAL"
    assert sheet.auto_filter.ref == f"A1:{sheet.cell(1, sheet.max_column).column_letter}{last - 1}"


def test_the_report_sheet_prints_every_line_whole(demo_store):
    """Main set "fit to one page wide", which LibreOffice ignores: its 133-character lines
    were cut at the page's edge. The sheet now prints at the scale its longest line needs."""
    sheet = workbook_of(demo_store, DEMO_DAY)["Báo cáo"]
    widest = max(len(row[0].value or "") for row in sheet.iter_rows())
    assert widest > 120
    setup = sheet.page_setup
    assert setup.orientation == "landscape" and setup.paperSize == 9
    assert not sheet.sheet_properties.pageSetUpPr.fitToPage
    scale = int(setup.scale)
    assert widest * 6 * scale / 100 <= PRINT_WIDTH_PT  # Courier New 10 pt: 6 pt a letter
    assert scale >= 80  # and not smaller than it needs


@needs_libreoffice
def test_libreoffice_prints_the_workbook_whole(demo_store, tmp_path):
    source = tmp_path / "bao-cao.xlsx"
    source.write_bytes(render_xlsx(consolidated(demo_store, DEMO_DAY), demo_store.registry))
    (pdf,) = convert([source], "pdf", tmp_path)
    printed = pages(pdf)
    text = "\n".join(page.text for page in printed)
    assert "###" not in text
    assert "20/08/2020 09:26" in text  # a date-time, whole
    for page in printed:  # nothing past the right margin (0.7 inch): no line cut
        assert all(w.x1 <= page.width - 0.7 * 25.4 * MM + 1 for w in page.words)
    report = workbook_of(demo_store, DEMO_DAY)["Báo cáo"]
    for row in report.iter_rows():
        line = row[0].value
        if line and line.strip():
            assert line.split()[-1] in text, line
