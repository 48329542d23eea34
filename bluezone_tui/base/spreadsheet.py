"""A table from a spreadsheet a district already has: CSV (any Excel or LibreOffice save)
or xlsx, as rows of cells under a header, each row keeping its number in the sheet.

CSV: UTF-8 (with or without a byte-order mark), else Windows-1258, what Excel's plain
"CSV" writes on a Vietnamese Windows; the separator (`,` `;` or Tab) is read from the
header line. xlsx is read with openpyxl (values, not formulas). Old .xls and .ods files
are refused with how to save them as xlsx.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bluezone_tui.base.files import NotRegularFile, TooLarge, os_reason, read_regular
from bluezone_tui.base.vn import nfc

MAX_BYTES = 20 * 1024 * 1024
HEADER_SEARCH_ROWS = 10  # a title ("DANH SÁCH CÁC XÃ…") may stand above the header


class SpreadsheetError(ValueError):
    """The file cannot be read as a table (the message is Vietnamese, for the clerk)."""


@dataclass(slots=True)
class Table:
    path: Path
    rows: list[tuple[int, list[Any]]]  # (row number in the sheet, cells), header first
    encoding_note: str = ""


def read_table(path: Path, sheet: str | None = None) -> Table:
    """Every non-empty row of the file (or of `sheet` in an xlsx), numbered as the sheet
    numbers them. Raises SpreadsheetError with a message a clerk can act on."""
    suffix = path.suffix.lower()
    if suffix in (".xls", ".ods", ".numbers"):
        raise SpreadsheetError(
            f"{path}: tệp {suffix} chưa đọc được; mở bằng Excel hoặc LibreOffice và lưu lại "
            f"dạng .xlsx (Excel Workbook) hoặc CSV UTF-8"
        )
    try:
        raw = read_regular(path, MAX_BYTES)
    except FileNotFoundError:
        raise SpreadsheetError(f"{path}: không có tệp này") from None
    except NotRegularFile as exc:
        raise SpreadsheetError(f"{path}: là {os_reason(exc)}, không phải bảng tính") from None
    except TooLarge:
        raise SpreadsheetError(f"{path}: lớn quá {MAX_BYTES // 2**20} MB") from None
    except PermissionError:
        raise SpreadsheetError(f"{path}: không có quyền đọc tệp") from None
    except OSError as exc:
        raise SpreadsheetError(f"{path}: không đọc được ({os_reason(exc)})") from None
    if raw[:4] == b"PK\x03\x04" or suffix in (".xlsx", ".xlsm"):
        return _read_xlsx(path, raw, sheet)
    if sheet is not None:
        raise SpreadsheetError(f"{path}: --sheet chỉ dùng cho tệp xlsx")
    return _read_csv(path, raw)


def _read_csv(path: Path, raw: bytes) -> Table:
    note = ""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1258", errors="replace")
        note = "tệp không phải UTF-8: đọc theo bảng mã Windows-1258 (CSV của Excel tiếng Việt)"
    text = nfc(text)
    first = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = max((",", ";", "\t"), key=first.count)
    rows = []
    try:
        for number, cells in enumerate(csv.reader(io.StringIO(text), delimiter=delimiter), 1):
            if any(cell.strip() for cell in cells):
                rows.append((number, list(cells)))
    except csv.Error as exc:
        raise SpreadsheetError(f"{path}: CSV không hợp lệ ({exc})") from None
    return Table(path, rows, note)


def _read_xlsx(path: Path, raw: bytes, sheet: str | None) -> Table:
    from zipfile import BadZipFile

    import openpyxl  # only `units import` reads spreadsheets: not loaded by other commands

    try:
        book = openpyxl.load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except (BadZipFile, KeyError, ValueError, OSError) as exc:
        raise SpreadsheetError(
            f"{path}: không đọc được như tệp xlsx ({type(exc).__name__}); lưu lại bằng Excel "
            f"hoặc LibreOffice dạng .xlsx hoặc CSV"
        ) from None
    try:
        names = list(book.sheetnames)
        if sheet is not None and sheet not in names:
            raise SpreadsheetError(f"{path}: không có trang «{sheet}» (có: {', '.join(names)})")
        worksheet = book[sheet] if sheet is not None else book.worksheets[0]
        rows = []
        for number, cells in enumerate(worksheet.iter_rows(values_only=True), 1):
            values = [nfc(c) if isinstance(c, str) else c for c in cells]
            if any(v is not None and str(v).strip() for v in values):
                rows.append((number, values))
    finally:
        book.close()
    return Table(path, rows)


def header_row(table: Table, is_header: Any) -> int | None:
    """Index in table.rows of the header: the first of the first rows that `is_header`
    accepts (a title may stand above it)."""
    for index, (_, cells) in enumerate(table.rows[:HEADER_SEARCH_ROWS]):
        if is_header(cells):
            return index
    return None
