"""Workbooks that a spreadsheet reads as data and a person reads and prints: numbers as
numbers, rates as percentages, times as date-times, headings in Vietnamese, the header row
frozen, columns as wide as what they show, the total row outside the filter.

Written with XlsxWriter (made for writing; nothing here reads a workbook back), the
rows of a table or a text by RowsSheet: XlsxWriter keeps an object per cell and writes
its XML when the workbook closes, five times the time of writing that XML at once (a
10,000-unit report holds 200,000 cells); RowsSheet writes the same XML, byte for byte
(a test compares the two), as the rows are added.
Date-times are naive, in the registry's timezone (a spreadsheet has no timezones):
the time a clerk sees is the time on the board. Every text goes in with
write_string, so a name that starts with "=" is text, never a formula.
"""

from __future__ import annotations

import io
import math
import textwrap
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, tzinfo
from decimal import Decimal
from typing import TYPE_CHECKING

import xlsxwriter
from xlsxwriter.utility import xl_col_to_name
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from bluezone_tui.base.safe_text import printable

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


STRING_UNITS = 32767  # a cell holds at most this many UTF-16 units (XlsxWriter cuts the rest)


def _cut(text: str) -> str:
    """`text` as a cell holds it: cut where XlsxWriter's write_string cuts it."""
    if len(text) <= STRING_UNITS // 2 or len(text.encode("utf-16-le", "surrogatepass")) <= (
        2 * STRING_UNITS
    ):
        return text
    units = 0
    for index, char in enumerate(text):
        units += 2 if ord(char) > 0xFFFF else 1
        if units > STRING_UNITS:
            return text[:index]
    return text


class RowsSheet(Worksheet):
    """A worksheet whose rows are written as XML when they are added, not kept as cells.

    The XML is what XlsxWriter writes for the same cells (write_string, write_number,
    write_datetime, write_blank with a format): the same shared strings in the same order,
    the same style numbers, the rows' spans per block of 16. Rows written with
    XlsxWriter's own methods (a header) must come before them; XlsxWriter writes those.
    """

    def __init__(self) -> None:
        super().__init__()
        self.dim_rowmax: int | None  # XlsxWriter's: the last row written (None: none)
        self._rows_xml: list[str] = []
        self._next_row = -1  # rows above this one are written (-1: none yet)
        self._xf: dict[int, int] = {}  # id of a format: its style number
        self._block: list[tuple[int, int, int, str]] = []  # (row, first col, last col, cells)
        self._spans: dict[int, str] = {}  # a block of 16 rows: its first and last columns

    def _style(self, fmt: Format) -> int:
        """A format's style number. XlsxWriter numbers a format the first time a cell that
        uses it is written (in row order, at close): numbered here in the same order, the
        styles are the same."""
        index = self._xf.get(id(fmt))
        if index is None:
            index = self._xf[id(fmt)] = fmt._get_xf_index()
        return index

    def write_rows(
        self,
        first_row: int,
        rows: Sequence[Sequence[Cell]],
        kinds: Sequence[str],
        body: dict[str, Format],
        total: dict[str, Format] | None = None,
        total_rows: frozenset[int] = frozenset(),
    ) -> None:
        """Write `rows` from `first_row` on: column i's cells as `kinds[i]` says, in the
        body's formats; the rows whose indices are in `total_rows` in the total's, their
        empty cells too (a body's empty cell is not written at all)."""
        if self._next_row < 0:  # XlsxWriter writes its own rows first at close: their styles too
            self._next_row = max(self.table, default=-1) + 1
            for row in sorted(self.table):
                for col in sorted(self.table[row]):
                    if self.table[row][col].format is not None:
                        self._style(self.table[row][col].format)
        if first_row < self._next_row:
            raise ValueError(f"row {first_row + 1} is written already")
        letters = [xl_col_to_name(col) for col in range(len(kinds))]
        shared = self.str_table._get_shared_string_index
        numbered = self._xf
        for index, cells in enumerate(rows):
            totals = index in total_rows
            styles = (total or body) if totals else body
            number = first_row + index + 1  # as the XML counts rows
            if len(cells) != len(kinds):
                raise ValueError(f"row {number} has {len(cells)} cells for {len(kinds)} columns")
            parts = []
            first = last = -1
            for col, value in enumerate(cells):
                kind = kinds[col]
                if value is None or value == "":
                    if not totals:
                        continue
                    parts.append(f'<c r="{letters[col]}{number}" s="{self._style(styles[kind])}"/>')
                else:
                    style = numbered.get(id(styles[kind]))  # _style's, read inline
                    if style is None:
                        style = self._style(styles[kind])
                    if kind == TEXT:  # a shared string, as write_string writes it
                        string = shared(_cut(value if isinstance(value, str) else str(value)))
                        parts.append(
                            f'<c r="{letters[col]}{number}" s="{style}" t="s"><v>{string}</v></c>'
                        )
                    else:  # a number, as write_number and write_datetime write it
                        figure = self._figure(value, kind)
                        parts.append(
                            f'<c r="{letters[col]}{number}" s="{style}"><v>{figure:.16G}</v></c>'
                        )
                if first < 0:
                    first = col
                last = col
            if parts:
                self._add_row(number - 1, first, last, "".join(parts))
        self._next_row = first_row + len(rows)

    def _figure(self, value: Cell, kind: str) -> float | int:
        """The number a cell of this kind holds: an integer, a rate as a fraction, a date or
        date-time as a spreadsheet's day number."""
        if kind == INTEGER:
            assert value is not None and not isinstance(value, date)  # numbers only
            figure: float | int = int(value)
        elif kind == PERCENT:  # 5.05 (percent) is stored as 0.0505, shown as 5,05%
            figure = float(Decimal(str(value)) / 100)
        else:
            assert isinstance(value, date)  # a date-time or date column holds dates
            moment = (
                value
                if isinstance(value, datetime)
                else datetime.combine(value, datetime.min.time())
            )
            figure = self._convert_date_time(moment)
        if not math.isfinite(figure):
            raise TypeError(f"{figure} in a number cell")  # as XlsxWriter's write_number
        return figure

    def _add_row(self, row: int, first: int, last: int, cells: str) -> None:
        """Keep a row until its block of 16 is complete: a row's spans are its block's."""
        self._check_dimensions(row, first)
        self._check_dimensions(row, last)
        if self._block and self._block[0][0] // 16 != row // 16:
            self._end_block()
        self._block.append((row, first, last, cells))

    def _end_block(self) -> None:
        block = self._block[0][0] // 16
        first = min(b[1] for b in self._block)
        last = max(b[2] for b in self._block)
        for row in self.table:  # XlsxWriter's own rows in the same block count too
            if row // 16 == block and self.table[row]:
                first = min(first, *self.table[row])
                last = max(last, *self.table[row])
        spans = self._spans[block] = f"{first + 1}:{last + 1}"
        self._rows_xml.extend(
            f'<row r="{row + 1}" spans="{spans}">{cells}</row>'
            for row, _f, _l, cells in self._block
        )
        self._block = []

    def _calculate_spans(self) -> None:
        """XlsxWriter's spans for its own rows, with the cells written here in their block."""
        super()._calculate_spans()
        for block in self.row_spans:
            self.row_spans[block] = self._spans.get(block, self.row_spans[block])

    def _write_sheet_data(self) -> None:
        """XlsxWriter's <sheetData>: its own rows, then those written here."""
        if self._block:
            self._end_block()
        if not self._rows_xml:
            super()._write_sheet_data()
            return
        self._xml_start_tag("sheetData")
        if self.table:
            written = self.dim_rowmax
            self.dim_rowmax = max(self.table)
            try:
                self._write_rows()
            finally:
                self.dim_rowmax = written
        self.fh.write("".join(self._rows_xml))
        self._xml_end_tag("sheetData")


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


def _distinct(rows: Sequence[Sequence[Cell]], column: int, kind: str) -> Iterable[Cell]:
    """The cells of a column that may be shown differently, each once (a figure column of
    10,000 rows holds a few hundred different values): equal numbers are shown alike, and
    so are equal texts, but a text column holding 1 and "1" shows both."""
    values = {row[column] for row in rows}
    if kind == TEXT and not all(v is None or isinstance(v, str) for v in values):
        return [row[column] for row in rows]
    return values


def column_widths(table: Table) -> list[float]:
    """Each column as wide as its widest cell as shown (a date-time whole: never "###"),
    in Calibri or the wider font LibreOffice draws without it, and its heading's longest
    word beside the filter's button; MAX_WIDTH at most. A heading
    longer than that wraps, onto HEADING_LINES at most, one line fewer where a quarter
    more width allows."""
    widths = []
    for column, (heading, kind) in enumerate(zip(table.headers, table.kinds, strict=True)):
        widest = max((len(shown(v, kind)) for v in _distinct(table.rows, column, kind)), default=0)
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
    """The table as a sheet people read: each text as the CSV shows it (a control or
    reordering character from a data file shown escaped, never drawn), typed cells, the
    header frozen and printed on every page, the filter over the rows above the total."""
    table = replace(
        table,
        headers=[printable(h) for h in table.headers],
        rows=[[printable(c) if isinstance(c, str) else c for c in row] for row in table.rows],
    )
    sheet = workbook.add_worksheet(table.name, worksheet_class=RowsSheet)
    widths = column_widths(table)
    for col, (header, width) in enumerate(zip(table.headers, widths, strict=True)):
        sheet.write_string(0, col, header, formats.header)
        sheet.set_column(col, col, width)
    # a spreadsheet does not grow a row for wrapped text when it opens the file: say how tall
    lines = max(heading_lines(h, w) for h, w in zip(table.headers, widths, strict=True))
    sheet.set_row(0, LINE_HEIGHT_PT * lines)
    sheet.write_rows(1, table.rows, table.kinds, formats.body, formats.total, table.total_rows)
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
    sheet = workbook.add_worksheet(name, worksheet_class=RowsSheet)
    lines = text.splitlines()
    sheet.write_rows(0, [(line,) for line in lines], (TEXT,), {TEXT: formats.monospace})
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
