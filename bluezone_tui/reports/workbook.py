"""Workbooks that a spreadsheet reads as data and a person reads and prints: numbers as
numbers, rates as percentages, times as date-times, headings in Vietnamese, the header row
frozen, columns as wide as what they show, the total row outside the filter.

Written with XlsxWriter (made for writing; nothing here reads a workbook back).
Date-times are naive, in the registry's timezone (a spreadsheet has no timezones):
the time a clerk sees is the time on the board. Every text goes in with
write_string, so a name that starts with "=" is text, never a formula.
"""

from __future__ import annotations

import io
import math
import textwrap
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
HEADING_LINES = 3  # a heading wraps onto at most this many lines
FILTER_BUTTON = 2.5  # the filter's button takes the room of about this many characters
# Widths are counted in the default font's digits (Calibri 11, XlsxWriter's unit): a
# character of text is about one, a date-time shows "dd/mm/yyyy hh:mm"; a spreadsheet
# that draws them in a wider font (LibreOffice without Calibri) widens the columns alike.
SHOWN_WIDTH = {DATETIME: len("20/08/2020 14:33"), DATE: len("20/08/2020")}
CELL_PADDING = 1.5  # characters of room around a cell's text
BOLD = 1.1  # a bold heading's letters are this much wider
LINE_HEIGHT_PT = 15  # the default row's height: one line of Calibri 11
WIDER_FONT = 1.15  # DejaVu Sans, which LibreOffice draws where Calibri is missing
MONOSPACE = "Courier New"  # the text report's columns line up only in a fixed-width font
MONOSPACE_PT = 10
MONOSPACE_RATIO = 1.2  # one Courier New 10 pt letter in widths of the default font's digit
A4 = 9  # XlsxWriter's paper code
# A4 landscape between XlsxWriter's default margins (0.7 inch each side), in points
PRINT_WIDTH_PT = 297 / 25.4 * 72 - 2 * 0.7 * 72
PROPERTY = "bluezone-tui"  # a custom document property naming what the workbook holds

Cell = str | int | Decimal | datetime | date | None


@dataclass(frozen=True, slots=True)
class Table:
    """A sheet of typed rows: `kinds[i]` says how column i is written, `headers[i]` is the
    heading a person reads (the workbook's, in Vietnamese)."""

    name: str
    headers: Sequence[str]
    kinds: Sequence[str]
    rows: Sequence[Sequence[Cell]]
    total_rows: frozenset[int] = frozenset()  # indices into rows, at the end: drawn to stand out
    frozen_columns: int = 0  # columns that stay in view when scrolling right


class Formats:
    """The cell formats of one workbook: header, body and total cells by kind of column."""

    def __init__(self, workbook: Workbook) -> None:
        base = {"valign": "top"}
        self.header = workbook.add_format(
            {**base, "bold": True, "bottom": 1, "bg_color": "#DDEBF7", "text_wrap": True}
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
        self.monospace = workbook.add_format({"font_name": MONOSPACE, "font_size": MONOSPACE_PT})


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


def shown(value: Cell, kind: str) -> str:
    """A cell as a spreadsheet shows it (in an English locale; a Vietnamese one is as wide)."""
    if value is None or value == "":
        return ""
    if kind in SHOWN_WIDTH:
        return "0" * SHOWN_WIDTH[kind]
    if kind == PERCENT:
        return f"{Decimal(str(value)):.2f}%"
    if kind == INTEGER and not isinstance(value, date):
        return f"{int(value):,}"
    return str(value)


def column_widths(table: Table) -> list[float]:
    """Each column as wide as its widest cell as shown (a date-time whole: never "###"),
    in Calibri or the wider font LibreOffice draws without it, and its heading's longest
    word beside the filter's button; MAX_WIDTH at most. A heading
    longer than that wraps, onto HEADING_LINES at most, one line fewer where a quarter
    more width allows."""
    widths = []
    for column, (heading, kind) in enumerate(zip(table.headers, table.kinds, strict=True)):
        widest = max((len(shown(row[column], kind)) for row in table.rows), default=0)
        word = max((len(w) for w in heading.split()), default=0) * BOLD + FILTER_BUTTON
        need = min(max(widest * WIDER_FONT + CELL_PADDING, word), MAX_WIDTH)
        while heading_lines(heading, need) > HEADING_LINES and need < MAX_WIDTH:
            need += 1
        fewer = need
        while heading_lines(heading, fewer) >= heading_lines(heading, need) > 1:
            fewer += 1
        if fewer <= need * 1.25:
            need = fewer
        widths.append(round(min(need, MAX_WIDTH), 2))
    return widths


def heading_lines(heading: str, width: float) -> int:
    """The lines `heading` takes in a column `width` wide, counted in a font a little wider
    than Calibri (LibreOffice's stand-in where Calibri is missing), so that none is cut."""
    room = max(1, int(width / (BOLD * WIDER_FONT)))
    return len(textwrap.wrap(heading, room, break_long_words=False)) or 1


def add_table(workbook: Workbook, formats: Formats, table: Table) -> Worksheet:
    sheet = workbook.add_worksheet(table.name)
    widths = column_widths(table)
    for col, (header, width) in enumerate(zip(table.headers, widths, strict=True)):
        sheet.write_string(0, col, header, formats.header)
        sheet.set_column(col, col, width)
    # a spreadsheet does not grow a row for wrapped text when it opens the file: say how tall
    lines = max(heading_lines(h, w) for h, w in zip(table.headers, widths, strict=True))
    sheet.set_row(0, LINE_HEIGHT_PT * lines)
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
    # the filter covers the units only: sorting them never moves the total among them
    body = min(table.total_rows, default=len(table.rows))
    sheet.autofilter(0, 0, body, len(table.headers) - 1)
    return sheet


def add_text(workbook: Workbook, formats: Formats, name: str, text: str) -> Worksheet:
    """The text report, one line a row, in a fixed-width font so its tables line up, on A4
    landscape at the scale its longest line needs to print whole (Excel and LibreOffice
    both honour a print scale; LibreOffice ignores "fit to one page wide")."""
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
    sheet.set_print_scale(print_scale(widest))
    return sheet


def print_scale(characters: int) -> int:
    """The print scale (percent, 10-100) at which a line of `characters` Courier New letters
    fits between the margins of A4 landscape (a letter is 0.6 of its size wide)."""
    line_pt = characters * 0.6 * MONOSPACE_PT * 1.02  # and a little for the cell's margin
    return max(10, min(100, math.floor(100 * PRINT_WIDTH_PT / line_pt)))


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
