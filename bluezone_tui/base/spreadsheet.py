"""A table from a spreadsheet that this tool did not write: CSV (any Excel or LibreOffice
save) or xlsx, as rows of cells under a header, each row keeping its number in the sheet.
Every spreadsheet the tool reads comes through here (`units import`, the province's
district files), so every one of them gets the same checks.

CSV: UTF-8 (with or without a byte-order mark); UTF-16 with its byte-order mark (Excel's
"Unicode Text"), or without one when its zero bytes show it; else Windows-1258, what
Excel's plain "CSV" writes on a Vietnamese Windows, and said so. The separator (`,` `;`
or Tab) is read from the header line. A binary file is refused.

xlsx: read with openpyxl (values, not formulas) in read-only mode, but without trusting
the sheet's `<dimension>`, which a program may have left stale (openpyxl would stop at
it and lose rows). The first visible sheet is read unless one is named; a hidden sheet
before it is said. A formula that was never calculated (a file written by a program and
never opened in Excel) has no value: its cell is an `Uncomputed`, which the reader names
instead of reading it as empty; a formula whose value is an error (#REF!) is an
`ErrorValue`, named likewise (both are `BadCell`s). A file that unpacks to more than MAX_UNPACKED_BYTES (a
"zip bomb") is refused before anything is unpacked; a broken or truncated file is
refused with a Vietnamese reason. Old .xls and .ods files are refused with how to save
them as xlsx.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from itertools import zip_longest
from pathlib import Path
from typing import Any

from bluezone_tui.base.files import NotRegularFile, TooLarge, os_reason, read_regular
from bluezone_tui.base.vn import fmt_int, nfc

MAX_BYTES = 20 * 1024 * 1024
# Unpacked, an xlsx is some 5 to 20 times its size; 10,000 rows of 20 columns unpack to
# about 12 MB. More than this is not a list of units or a district's report.
MAX_UNPACKED_BYTES = 64 * 1024 * 1024
MAX_SHEET_ROWS = 1_048_576  # Excel's last row
HEADER_SEARCH_ROWS = 10  # a title ("DANH SÁCH CÁC XÃ…") may stand above the header
UTF8, UTF16, CP1258 = "UTF-8", "UTF-16", "Windows-1258"
XLSX_FIX = "mở bằng Excel hoặc LibreOffice rồi lưu lại dạng .xlsx"
EXCEL_ERRORS = frozenset(
    ("#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#GETTING_DATA")
)
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # a Compound File: .xls, or encrypted


class SpreadsheetError(ValueError):
    """The file cannot be read as a table (the message is Vietnamese, for the clerk)."""


class NoSuchSheet(SpreadsheetError):
    """No sheet of the workbook is the one asked for (`wanted` accepted none)."""


class BadCell:
    """A cell that holds no value to read, for a reason its `problem()` says (Vietnamese,
    naming the cell): never read as an empty cell, and never as a value."""

    coordinate: str

    def problem(self) -> str:
        raise NotImplementedError


@dataclass(frozen=True, slots=True)
class Uncomputed(BadCell):
    """A formula cell whose value was never calculated."""

    formula: str
    coordinate: str

    def __str__(self) -> str:
        return self.formula

    def problem(self) -> str:
        return (
            f"ô {self.coordinate} là công thức «{self.formula}» chưa được tính (tệp do một "
            f"chương trình ghi, chưa mở bằng Excel): {XLSX_FIX}, hoặc gõ số vào ô"
        )


@dataclass(frozen=True, slots=True)
class ErrorValue(BadCell):
    """A cell whose value is one of Excel's errors (#REF!, #VALUE!…): a formula that failed."""

    error: str
    coordinate: str

    def __str__(self) -> str:
        return self.error

    def problem(self) -> str:
        return (
            f"ô {self.coordinate} có lỗi công thức {self.error} (công thức tham chiếu sai hoặc "
            f"tính không được): sửa công thức trong Excel, hoặc gõ số vào ô"
        )


@dataclass(slots=True)
class Table:
    path: Path
    rows: list[tuple[int, list[Any]]]  # (row number in the sheet, cells), header first
    encoding: str = ""  # of a CSV: UTF8, UTF16 or CP1258; "" for an xlsx
    sheet: str = ""  # of an xlsx: the sheet read
    notes: list[str] = field(default_factory=list)  # what the reader did that the clerk should know


def read_table(
    path: Path, sheet: str | None = None, wanted: Callable[[list[Any]], bool] | None = None
) -> Table:
    """Every non-empty row of the file (or of `sheet` in an xlsx), numbered as the sheet
    numbers them. Without `sheet`, an xlsx's first visible sheet, or with `wanted` its first
    sheet whose first row `wanted` accepts. Raises SpreadsheetError with a message a clerk
    can act on."""
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
    if raw[:4] == b"PK\x03\x04" or raw.startswith(OLE_MAGIC) or suffix in (".xlsx", ".xlsm"):
        return _read_xlsx(path, raw, sheet, wanted)
    if sheet is not None:
        raise SpreadsheetError(f"{path}: --sheet chỉ dùng cho tệp xlsx")
    return _read_csv(path, raw)


# --------------------------------------------------------------------------- CSV


def decode(path: Path, raw: bytes) -> tuple[str, str]:
    """The text of a CSV and the encoding it was read in (UTF8, UTF16 or CP1258)."""
    if raw.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        raise SpreadsheetError(
            f"{path}: tệp mã UTF-32: lưu lại dạng «CSV UTF-8 (Comma delimited)» rồi nhập lại"
        )
    encoding = UTF8
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding, codec = UTF16, "utf-16"
    elif b"\x00" in raw[:4096]:
        guessed = _utf16_without_bom(raw)
        if guessed is None:
            raise SpreadsheetError(
                f"{path}: tệp nhị phân (có byte 0), không phải bảng tính CSV hay xlsx"
            )
        encoding, codec = UTF16, guessed
    else:
        codec = "utf-8-sig"
    try:
        text = raw.decode(codec)
    except UnicodeDecodeError:
        if encoding == UTF16:
            raise SpreadsheetError(
                f"{path}: tệp UTF-16 bị hỏng hoặc bị cắt giữa chừng: lưu lại dạng «CSV UTF-8»"
            ) from None
        text, encoding = raw.decode("cp1258", errors="replace"), CP1258
    if "\x00" in text:
        raise SpreadsheetError(f"{path}: có ký tự NUL: không phải bảng tính CSV (tệp hỏng?)")
    return nfc(text), encoding


def _utf16_without_bom(raw: bytes) -> str | None:
    """UTF-16 without its byte-order mark: text whose every other byte is zero."""
    sample = raw[: 4096 - 4096 % 2]
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    half = len(sample) // 2
    if half and odd > 0.8 * half and even < 0.1 * half:
        return "utf-16-le"
    if half and even > 0.8 * half and odd < 0.1 * half:
        return "utf-16-be"
    return None


def _read_csv(path: Path, raw: bytes) -> Table:
    text, encoding = decode(path, raw)
    notes = []
    if encoding == CP1258:
        notes.append(
            "tệp không phải UTF-8: đọc theo bảng mã Windows-1258 (CSV của Excel tiếng Việt)"
        )
    first = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = max((",", ";", "\t"), key=first.count)
    rows = []
    try:
        for number, cells in enumerate(csv.reader(io.StringIO(text), delimiter=delimiter), 1):
            if any(cell.strip() for cell in cells):
                rows.append((number, list(cells)))
    except csv.Error as exc:
        raise SpreadsheetError(f"{path}: CSV không hợp lệ ({exc})") from None
    return Table(path, rows, encoding=encoding, notes=notes)


# --------------------------------------------------------------------------- xlsx


def _read_xlsx(
    path: Path, raw: bytes, sheet: str | None, wanted: Callable[[list[Any]], bool] | None
) -> Table:
    import warnings

    _check_unpacked_size(path, raw)
    with warnings.catch_warnings():  # openpyxl's English warnings ("no default style") are noise
        warnings.simplefilter("ignore")
        try:
            return _read_workbook(path, raw, sheet, wanted)
        except SpreadsheetError:
            raise
        except MemoryError:
            raise SpreadsheetError(f"{path}: tệp xlsx quá lớn để đọc") from None
        except Exception as exc:  # noqa: BLE001 - openpyxl raises anything on a broken file
            raise SpreadsheetError(f"{path}: không đọc được như tệp xlsx: {_broken(exc)}") from None


def _check_unpacked_size(path: Path, raw: bytes) -> None:
    """What the file unpacks to, as its directory says, refused above the bound. A part that
    unpacks to more than it says fails its checksum when read (zipfile stops at the size
    said), so this bounds the memory and the time of reading it."""
    import zipfile

    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            unpacked = sum(member.file_size for member in archive.infolist())
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError, OSError):
        if raw.startswith(OLE_MAGIC):  # Excel 97-2003, or an xlsx encrypted by a password
            raise SpreadsheetError(
                f"{path}: không đọc được như tệp xlsx: đây là tệp Excel cũ (.xls) hoặc tệp có "
                f"đặt mật khẩu: mở bằng Excel, bỏ mật khẩu nếu có, rồi lưu lại dạng .xlsx"
            ) from None
        if not raw.startswith(b"PK"):
            raise SpreadsheetError(
                f"{path}: không đọc được như tệp xlsx: không phải tệp Excel (.xlsx là tệp nén; "
                f"tệp này là tệp khác mang đuôi .xlsx?)"
            ) from None
        raise SpreadsheetError(
            f"{path}: không đọc được như tệp xlsx: {_BROKEN_ZIP}; chép lại tệp, hoặc {XLSX_FIX}"
        ) from None
    if unpacked > MAX_UNPACKED_BYTES:
        raise SpreadsheetError(
            f"{path}: tệp xlsx {fmt_int(len(raw) // 1024)} KB nhưng giải nén ra "
            f"{fmt_int(unpacked // 2**20)} MB (quá {MAX_UNPACKED_BYTES // 2**20} MB): không "
            f"phải một bảng tính thường (có thể là «bom nén»); không đọc"
        )


_BROKEN_ZIP = "tệp nén hỏng hoặc bị cắt giữa chừng (tải hay chép chưa hết?)"


def _broken(exc: BaseException) -> str:
    """Why openpyxl could not read the file, in Vietnamese (its own words are English)."""
    import zipfile
    import zlib
    from xml.etree.ElementTree import ParseError

    if isinstance(exc, zipfile.BadZipFile | zlib.error | EOFError):
        reason = _BROKEN_ZIP
    elif isinstance(exc, KeyError):
        reason = "thiếu một phần bắt buộc của tệp xlsx"
    elif isinstance(exc, ParseError | SyntaxError) or type(exc).__name__ == "XMLSyntaxError":
        reason = "nội dung XML bên trong bị hỏng"
    else:
        reason = "cấu trúc không đúng chuẩn xlsx"
    return f"{reason}; chép lại tệp, hoặc {XLSX_FIX}"


def _read_workbook(
    path: Path, raw: bytes, sheet: str | None, wanted: Callable[[list[Any]], bool] | None
) -> Table:
    import openpyxl  # only commands that read spreadsheets load it

    # two readings of the same bytes, side by side: the values, and which cells are formulas
    values_book = openpyxl.load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    formulas_book = openpyxl.load_workbook(io.BytesIO(raw), read_only=True, data_only=False)
    try:
        sheets = list(values_book.worksheets)
        if not sheets:
            raise SpreadsheetError(f"{path}: tệp xlsx không có trang tính nào")
        names = [ws.title for ws in sheets]
        notes: list[str] = []
        if sheet is not None:
            if sheet not in names:
                raise SpreadsheetError(f"{path}: không có trang «{sheet}» (có: {', '.join(names)})")
            index = names.index(sheet)
            if _hidden(sheets[index]):
                notes.append(f"trang «{sheet}» đang ẩn trong tệp; vẫn đọc vì đã chọn bằng --sheet")
            candidates = [index]
        else:
            visible = [i for i, ws in enumerate(sheets) if not _hidden(ws)]
            candidates = visible + [i for i in range(len(sheets)) if i not in visible]
        for index in candidates:
            rows = _rows(path, sheets[index], formulas_book.worksheets[index])
            if wanted is None or (rows and wanted(rows[0][1])):
                break
        else:
            raise NoSuchSheet(f"{path}: không có trang nào đúng dạng cần đọc")
        chosen = sheets[index]
        skipped = [ws.title for ws in sheets[:index] if _hidden(ws)]
        if sheet is None and _hidden(chosen):
            notes.append(f"trang «{chosen.title}» đang ẩn trong tệp")
        elif sheet is None and skipped:
            how = ", trang đầu tiên đang hiện (chọn trang khác bằng --sheet)" if not wanted else ""
            notes.append(
                f"bỏ qua trang ẩn «{'», «'.join(skipped)}»; đọc trang «{chosen.title}»{how}"
            )
    finally:
        values_book.close()
        formulas_book.close()
    return Table(path, rows, sheet=chosen.title, notes=notes)


def _hidden(worksheet: Any) -> bool:
    return getattr(worksheet, "sheet_state", "visible") != "visible"


def _rows(path: Path, values_sheet: Any, formulas_sheet: Any) -> list[tuple[int, list[Any]]]:
    """A sheet's non-empty rows, numbered; a formula without a value as an Uncomputed."""
    values_sheet.reset_dimensions()  # a stale <dimension> must not end the sheet early
    formulas_sheet.reset_dimensions()
    rows = []
    pairs: Iterator[tuple[Any, Any]] = zip_longest(
        values_sheet.iter_rows(values_only=True), formulas_sheet.iter_rows(), fillvalue=()
    )
    for number, (values, cells) in enumerate(pairs, 1):
        if number > MAX_SHEET_ROWS:
            raise SpreadsheetError(
                f"{path}: trang «{values_sheet.title}» có hơn {fmt_int(MAX_SHEET_ROWS)} dòng "
                f"(giới hạn của Excel): tệp hỏng"
            )
        row = list(values)
        for column, value in enumerate(row):
            kind = cells[column].data_type if column < len(cells) else "n"
            if isinstance(value, str) and kind in ("f", "e") and value in EXCEL_ERRORS:
                row[column] = ErrorValue(value, cells[column].coordinate)
            elif isinstance(value, str):
                row[column] = nfc(value)
            elif value is None and kind == "f":
                row[column] = Uncomputed(str(cells[column].value), cells[column].coordinate)
        if any(v is not None and str(v).strip() for v in row):
            rows.append((number, row))
    return rows


def header_row(table: Table, is_header: Any) -> int | None:
    """Index in table.rows of the header: the first of the first rows that `is_header`
    accepts (a title may stand above it)."""
    for index, (_, cells) in enumerate(table.rows[:HEADER_SEARCH_ROWS]):
        if is_header(cells):
            return index
    return None
