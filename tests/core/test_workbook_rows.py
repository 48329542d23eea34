"""RowsSheet writes a table's rows as XML at once; the workbook must be, byte for byte,
the one XlsxWriter writes from the same cells one by one (its public API, as the
workbook was written before): the same shared strings in the same order, the same
style numbers, the same spans, dimensions and cells."""

from __future__ import annotations

import io
import random
import zipfile
from dataclasses import replace
from datetime import date, datetime
from decimal import Decimal

import pytest
import xlsxwriter

from bluezone_tui.base.safe_text import printable
from bluezone_tui.reports.workbook import (
    DATE,
    DATETIME,
    INTEGER,
    MONOSPACE_RATIO,
    PERCENT,
    TEXT,
    Cell,
    Formats,
    RowsSheet,
    Table,
    add_table,
    add_text,
    column_widths,
    heading_lines,
    print_scale,
)

KINDS = (TEXT, INTEGER, PERCENT, DATETIME, DATE)


def _reference_cell(sheet, row: int, col: int, value: Cell, kind: str, fmt) -> None:
    """How a cell was written before RowsSheet: XlsxWriter's public methods."""
    if value is None or value == "":
        sheet.write_blank(row, col, None, fmt)
    elif kind == PERCENT:
        sheet.write_number(row, col, float(Decimal(str(value)) / 100), fmt)
    elif kind == INTEGER:
        sheet.write_number(row, col, int(value), fmt)
    elif kind in (DATETIME, DATE):
        moment = (
            value if isinstance(value, datetime) else datetime.combine(value, datetime.min.time())
        )
        sheet.write_datetime(row, col, moment, fmt)
    else:
        sheet.write_string(row, col, str(value), fmt)


def _reference_table(workbook, formats: Formats, table: Table) -> None:
    table = replace(  # texts as people read them: what a data file hid, shown escaped
        table, rows=[[printable(c) if isinstance(c, str) else c for c in row] for row in table.rows]
    )
    sheet = workbook.add_worksheet(table.name)
    widths = column_widths(table)
    for col, (header, width) in enumerate(zip(table.headers, widths, strict=True)):
        sheet.write_string(0, col, header, formats.header)
        sheet.set_column(col, col, width)
    lines = max(heading_lines(h, w) for h, w in zip(table.headers, widths, strict=True))
    sheet.set_row(0, 15 * lines)
    for index, cells in enumerate(table.rows):
        total = index in table.total_rows
        styles = formats.total if total else formats.body
        for col, (value, kind) in enumerate(zip(cells, table.kinds, strict=True)):
            if total or (value is not None and value != ""):
                _reference_cell(sheet, index + 1, col, value, kind, styles[kind])
    sheet.freeze_panes(1, table.frozen_columns)
    sheet.set_paper(9)
    sheet.set_landscape()
    sheet.repeat_rows(0)
    body = min(table.total_rows, default=len(table.rows))
    sheet.autofilter(0, 0, body, len(table.headers) - 1)


def _reference_text(workbook, formats: Formats, text: str) -> None:
    sheet = workbook.add_worksheet("Báo cáo")
    lines = text.splitlines()
    for row, line in enumerate(lines):
        if line:
            sheet.write_string(row, 0, line, formats.monospace)
    sheet.set_column(0, 0, 30)


def _fast_text(workbook, formats: Formats, text: str) -> None:
    sheet = workbook.add_worksheet("Báo cáo", worksheet_class=RowsSheet)
    lines = text.splitlines()
    sheet.write_rows(0, [(line,) for line in lines], (TEXT,), {TEXT: formats.monospace})
    sheet.set_column(0, 0, 30)


def _book(write) -> dict[str, bytes]:
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    workbook.set_properties({"created": datetime(2020, 8, 20, 16, 0)})
    write(workbook, Formats(workbook))
    workbook.close()
    with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _value(kind: str, rng: random.Random) -> Cell:
    roll = rng.random()
    if roll < 0.15:
        return rng.choice([None, ""])
    if kind == TEXT:
        return rng.choice(
            [
                "Xã Thường Thới Tiền",
                "=SUM(A1)",
                'a & b < c > "d"',
                "  leading and trailing  ",
                "tab\there\x01\x1f",
                "ký tự \U0001f600 ngoài BMP",
                str(rng.randint(0, 50)),  # repeated strings: shared
                rng.randint(0, 9),  # not a str in a text column
                "x" * rng.choice([10, 40_000]),  # past a cell's 32,767 units: cut
                "\U0001f600" * 16_390,  # cut between two halves of a pair: never
            ]
        )
    if kind == INTEGER:
        return rng.choice([rng.randint(-(10**6), 10**6), 0, 10**17 + 3, True])
    if kind == PERCENT:
        return rng.choice([Decimal("5.05"), Decimal("0"), Decimal("100.00"), 12, "3.5"])
    if kind == DATETIME:
        return datetime(
            2020, 8, rng.randint(1, 28), rng.randint(0, 23), rng.randint(0, 59), rng.randint(0, 59)
        )
    return date(rng.choice([1900, 2020]), rng.choice([1, 2, 3, 8]), rng.randint(1, 28))


@pytest.mark.parametrize("seed", range(12))
def test_rows_written_at_once_are_the_bytes_xlsxwriter_writes_cell_by_cell(seed: int) -> None:
    rng = random.Random(seed)
    kinds = [rng.choice(KINDS) for _ in range(rng.randint(1, 30))]
    count = rng.choice([0, 1, 15, 16, 17, 40, 300])
    rows = [[_value(kind, rng) for kind in kinds] for _ in range(count)]
    if rows and rng.random() < 0.3:  # a row of nothing but empty cells
        rows[rng.randrange(len(rows))] = [None] * len(kinds)
    totals = frozenset({count - 1}) if count and seed % 2 else frozenset()
    table = Table(
        name="Số liệu",
        headers=[f"Cột {i} có tên dài" for i in range(len(kinds))],
        kinds=kinds,
        rows=rows,
        total_rows=totals,
        frozen_columns=min(3, len(kinds)),
    )
    text = "\n".join(
        rng.choice(["", "  dòng  ", "I. KẾT QUẢ", "x" * 90]) for _ in range(rng.randint(0, 40))
    )

    def fast(workbook, formats):
        add_table(workbook, formats, table)
        _fast_text(workbook, formats, text)

    def reference(workbook, formats):
        _reference_table(workbook, formats, table)
        _reference_text(workbook, formats, text)

    assert _book(fast) == _book(reference)


def test_the_text_sheet_of_the_report_is_xlsxwriters() -> None:
    text = "BÁO CÁO\n\n  1. Xã A   6.090\n\n\n=1+1\n" + "dòng\n" * 40
    lines = text.splitlines()
    widest = max(len(line) for line in lines)

    def reference(workbook, formats):
        sheet = workbook.add_worksheet("Báo cáo")
        for row, line in enumerate(lines):
            if line:
                sheet.write_string(row, 0, line, formats.monospace)
        sheet.set_column(0, 0, round(widest * MONOSPACE_RATIO) + 2)
        sheet.set_paper(9)
        sheet.set_landscape()
        sheet.set_print_scale(print_scale(widest))

    fast = _book(lambda workbook, formats: add_text(workbook, formats, "Báo cáo", text))
    assert fast == _book(reference)
    assert b"=1+1" not in fast["xl/worksheets/sheet1.xml"]  # a text, never a formula


def test_a_row_cannot_be_written_twice_nor_short_of_cells() -> None:
    def write(workbook, formats):
        sheet = workbook.add_worksheet("x", worksheet_class=RowsSheet)
        sheet.write_string(0, 0, "heading", formats.header)
        with pytest.raises(ValueError, match="row 1"):
            sheet.write_rows(0, [["a"]], [TEXT], formats.body)
        with pytest.raises(ValueError, match="2 cells for 1 columns"):
            sheet.write_rows(1, [["a", "b"]], [TEXT], formats.body)

    _book(write)
