"""Workbooks that a spreadsheet reads as data: numbers as numbers, rates as percentages,
times as date-times, the header row frozen, columns as wide as their text.

Written with XlsxWriter (made for writing; nothing here reads a workbook back).
Date-times are naive, in the registry's timezone (a spreadsheet has no timezones):
the time a clerk sees is the time on the board. Every text goes in with
write_string, so a name that starts with "=" is text, never a formula.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from decimal import Decimal
from typing import TYPE_CHECKING

import xlsxwriter
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

if TYPE_CHECKING:
    from xlsxwriter.format import Format

# the kinds of column a table holds
TEXT, INTEGER, PERCENT, DATETIME, DATE = "text", "integer", "percent", "datetime", "date"
MAX_WIDTH = 60  # columns wider than this wrap in the spreadsheet, they are not cut
MONOSPACE = "Courier New"  # the text report's columns line up only in a fixed-width font
MONOSPACE_RATIO = 1.2  # one Courier New 10 pt letter in widths of the default font's digit
A4 = 9  # XlsxWriter's paper code
PROPERTY = "bluezone-tui"  # a custom document property naming what the workbook holds

Cell = str | int | Decimal | datetime | date | None


@dataclass(frozen=True, slots=True)
class Table:
    """A sheet of typed rows: `kinds[i]` says how column i is written."""

    name: str
    headers: Sequence[str]
    kinds: Sequence[str]
    rows: Sequence[Sequence[Cell]]
    total_rows: frozenset[int] = frozenset()  # indices into rows: drawn to stand out
    frozen_columns: int = 0  # columns that stay in view when scrolling right


class Formats:
    """The cell formats of one workbook: header, body and total cells by kind of column."""

    def __init__(self, workbook: Workbook) -> None:
        base = {"valign": "top"}
        self.header = workbook.add_format(
            {**base, "bold": True, "bottom": 1, "bg_color": "#DDEBF7"}
        )
        self.body = {
            TEXT: workbook.add_format(base),
            INTEGER: workbook.add_format({**base, "num_format": "#,##0"}),
            PERCENT: workbook.add_format({**base, "num_format": "0.00%"}),
            DATETIME: workbook.add_format({**base, "num_format": "dd/mm/yyyy hh:mm"}),
            DATE: workbook.add_format({**base, "num_format": "dd/mm/yyyy"}),
        }
        total = {**base, "bold": True, "top": 1, "bottom": 6, "bg_color": "#FFF2CC"}
        self.total = {
            TEXT: workbook.add_format(total),
            INTEGER: workbook.add_format({**total, "num_format": "#,##0"}),
            PERCENT: workbook.add_format({**total, "num_format": "0.00%"}),
            DATETIME: workbook.add_format({**total, "num_format": "dd/mm/yyyy hh:mm"}),
            DATE: workbook.add_format({**total, "num_format": "dd/mm/yyyy"}),
        }
        self.monospace = workbook.add_format({"font_name": MONOSPACE, "font_size": 10})


def local(moment: datetime, timezone: tzinfo) -> datetime:
    """A spreadsheet's date-time: the same instant, in the registry's timezone, naive."""
    return moment.astimezone(timezone).replace(tzinfo=None)


def _write_cell(sheet: Worksheet, row: int, col: int, value: Cell, kind: str, fmt: Format) -> None:
    if value is None or value == "":
        sheet.write_blank(row, col, None, fmt)
    elif kind == PERCENT:
        # 5.05 (percent) is stored as 0.0505 and shown as 5,05% in a Vietnamese locale
        sheet.write_number(row, col, float(Decimal(str(value)) / 100), fmt)
    elif kind == INTEGER:
        assert not isinstance(value, date)  # an integer column holds numbers
        sheet.write_number(row, col, int(value), fmt)
    elif kind in (DATETIME, DATE):
        assert isinstance(value, date)  # a date-time or date column holds dates
        moment = (
            value if isinstance(value, datetime) else datetime.combine(value, datetime.min.time())
        )
        sheet.write_datetime(row, col, moment, fmt)
    else:
        sheet.write_string(row, col, str(value), fmt)


def add_table(workbook: Workbook, formats: Formats, table: Table) -> Worksheet:
    sheet = workbook.add_worksheet(table.name)
    for col, header in enumerate(table.headers):
        sheet.write_string(0, col, header, formats.header)
    for index, cells in enumerate(table.rows):
        total = index in table.total_rows
        styles = formats.total if total else formats.body
        for col, (value, kind) in enumerate(zip(cells, table.kinds, strict=True)):
            if total or (value is not None and value != ""):  # an empty body cell: nothing
                _write_cell(sheet, index + 1, col, value, kind, styles[kind])
    sheet.freeze_panes(1, table.frozen_columns)
    sheet.set_paper(A4)  # printed (the Word report is the one made for paper): landscape
    sheet.set_landscape()  # A4, the header row on every page
    sheet.repeat_rows(0)
    sheet.autofilter(0, 0, max(len(table.rows), 1), len(table.headers) - 1)
    sheet.autofit(max_width=MAX_WIDTH * 7)  # XlsxWriter measures in pixels, ~7 a character
    return sheet


def add_text(workbook: Workbook, formats: Formats, name: str, text: str) -> Worksheet:
    """The text report, one line a row, in a fixed-width font so its tables line up."""
    sheet = workbook.add_worksheet(name)
    lines = text.splitlines()
    for row, line in enumerate(lines):
        if line:
            sheet.write_string(row, 0, line, formats.monospace)
    widest = max((len(line) for line in lines), default=10)
    # a width counts the default font's digits; Courier New's letters are wider
    sheet.set_column(0, 0, round(widest * MONOSPACE_RATIO) + 2)
    sheet.set_paper(A4)
    sheet.set_landscape()  # the tables are wider than a portrait page
    sheet.fit_to_pages(1, 0)
    return sheet


def workbook_bytes(
    build: Callable[[Workbook, Formats], None],
    *,
    title: str,
    kind: str,
    company: str,
    created: datetime,
) -> bytes:
    """A whole workbook in memory. `kind` goes into a custom document property, by which
    `bluezone province` knows a workbook this tool wrote; `created` (the report's moment,
    naive local time) makes the same report the same bytes."""
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    workbook.set_properties(
        {
            "title": title,
            "author": "bluezone-tui",
            "company": company,
            "created": created,
            "comments": "Xuất bởi bluezone-tui",
        }
    )
    workbook.set_custom_property(PROPERTY, kind)
    build(workbook, Formats(workbook))
    workbook.close()
    return buffer.getvalue()
