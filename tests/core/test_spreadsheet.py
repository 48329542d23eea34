"""Issue 20: every spreadsheet the tool reads (base/spreadsheet.py), as other programs write
them: files made by openpyxl, and by hand, part by part (tests/helpers/xlsx.py), for what
openpyxl never writes: a stale <dimension>, a hidden first sheet, a formula without its
value, a zip bomb, a truncated file."""

from __future__ import annotations

import io
import struct
import tracemalloc
import zipfile
from pathlib import Path

import openpyxl
import pytest

from bluezone_tui.base.spreadsheet import (
    CP1258,
    MAX_UNPACKED_BYTES,
    UTF8,
    UTF16,
    ErrorValue,
    NoSuchSheet,
    SpreadsheetError,
    Uncomputed,
    read_table,
)
from helpers.xlsx import Formula, Sheet, write_xlsx

HEADER = ["Tên đơn vị", "Dân số", "Điện thoại"]
ROWS = [[f"Xã {n}", 1000 * n, f"0277 3800 10{n}"] for n in range(1, 6)]


def names(table) -> list[str]:
    return [cells[0] for _, cells in table.rows[1:]]


# --------------------------------------------------------------------------- xlsx


@pytest.mark.parametrize("dimension", ["A1:C2", "A1:B6", "A1:A1", "B2:C3", None])
def test_a_stale_dimension_loses_no_row_and_no_column(tmp_path, dimension):
    """openpyxl's read-only mode stops at the <dimension> a program wrote: rows 3–6 and the
    phone column would be lost, silently."""
    path = write_xlsx(tmp_path / "xa.xlsx", Sheet("Xã", [HEADER, *ROWS], dimension=dimension))
    table = read_table(path)
    assert names(table) == [f"Xã {n}" for n in range(1, 6)]
    assert [number for number, _ in table.rows] == [1, 2, 3, 4, 5, 6]
    assert table.rows[-1][1] == ["Xã 5", 5000, "0277 3800 105"]


def test_a_stale_dimension_from_openpyxl_itself(tmp_path):
    """A file openpyxl wrote, whose dimension another program left behind when it added rows."""
    path = tmp_path / "xa.xlsx"
    book = openpyxl.Workbook()
    for row in [HEADER, *ROWS]:
        book.active.append(row)
    book.save(path)
    stale = tmp_path / "stale.xlsx"
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(stale, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                assert b'<dimension ref="A1:C6"/>' in data
                data = data.replace(b'<dimension ref="A1:C6"/>', b'<dimension ref="A1:C2"/>')
            target.writestr(item, data)
    assert len(read_table(stale).rows) == 6


@pytest.mark.parametrize("state", ["hidden", "veryHidden"])
def test_a_hidden_first_sheet_is_skipped_and_said(tmp_path, state):
    path = write_xlsx(
        tmp_path / "xa.xlsx",
        Sheet("Cũ", [HEADER, ["Xã Cũ", 1, ""]], state=state),
        Sheet("Mới", [HEADER, *ROWS]),
    )
    table = read_table(path)
    assert table.sheet == "Mới" and names(table)[0] == "Xã 1"
    assert table.notes == [
        "bỏ qua trang ẩn «Cũ»; đọc trang «Mới», trang đầu tiên đang hiện (chọn trang khác "
        "bằng --sheet)"
    ]
    named = read_table(path, sheet="Cũ")  # asked for by name: read, and said to be hidden
    assert names(named) == ["Xã Cũ"] and "đang ẩn" in named.notes[0]


def test_a_hidden_first_sheet_made_by_openpyxl(tmp_path):
    path = tmp_path / "xa.xlsx"
    book = openpyxl.Workbook()
    book.active.title = "Cũ"
    book.active.append(HEADER)
    book.active.sheet_state = "hidden"
    visible = book.create_sheet("Mới")
    for row in [HEADER, *ROWS]:
        visible.append(row)
    book.active = 1
    book.save(path)
    assert read_table(path).sheet == "Mới"


def test_a_formula_without_a_value_is_named_not_read_as_empty(tmp_path):
    path = write_xlsx(
        tmp_path / "xa.xlsx",
        Sheet(
            "Xã",
            [
                HEADER,
                ["Xã 1", Formula("SUM(400,600)"), "0277 3800 101"],  # never calculated
                ["Xã 2", Formula("SUM(1000,1000)", 2000), "0277 3800 102"],  # calculated
            ],
        ),
    )
    table = read_table(path)
    cell = table.rows[1][1][1]
    assert isinstance(cell, Uncomputed)
    assert (cell.formula, cell.coordinate) == ("=SUM(400,600)", "B2")
    assert "ô B2 là công thức «=SUM(400,600)» chưa được tính" in cell.problem()
    assert table.rows[2][1][1] == 2000


def test_a_formula_that_calculated_to_an_error_is_named_and_typed_text_is_not(tmp_path):
    path = write_xlsx(
        tmp_path / "xa.xlsx",
        Sheet(
            "Xã",
            [HEADER, ["Xã 1", Formula("Sheet2!B7", "#REF!"), "#N/A"]],  # the last: typed text
        ),
    )
    cells = read_table(path).rows[1][1]
    assert isinstance(cells[1], ErrorValue) and cells[1].error == "#REF!"
    assert "ô B2 có lỗi công thức #REF!" in cells[1].problem()
    assert cells[2] == "#N/A"


def test_a_formula_written_by_openpyxl_has_no_value(tmp_path):
    path = tmp_path / "xa.xlsx"
    book = openpyxl.Workbook()
    book.active.append(HEADER)
    book.active.append(["Xã 1", "=1000+500", "0277 3800 101"])
    book.save(path)
    assert isinstance(read_table(path).rows[1][1][1], Uncomputed)


def test_with_wanted_the_first_sheet_whose_header_it_accepts(tmp_path):
    path = write_xlsx(
        tmp_path / "xa.xlsx", Sheet("Báo cáo", [["BÁO CÁO"]]), Sheet("Số liệu", [HEADER, *ROWS])
    )
    assert read_table(path, wanted=lambda cells: cells[0] == "Tên đơn vị").sheet == "Số liệu"
    with pytest.raises(NoSuchSheet):
        read_table(path, wanted=lambda cells: False)


def bomb(path: Path, unpacked: int) -> Path:
    """An xlsx of a few hundred KB whose sheet unpacks to `unpacked` bytes of XML."""
    return write_xlsx(path, Sheet("Xã", [HEADER, *ROWS], padding=unpacked))


def test_a_zip_bomb_is_refused_before_it_is_unpacked(tmp_path):
    path = bomb(tmp_path / "bom.xlsx", 3 * MAX_UNPACKED_BYTES)
    assert path.stat().st_size < MAX_UNPACKED_BYTES // 100
    tracemalloc.start()
    try:
        with pytest.raises(SpreadsheetError) as info:
            read_table(path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 10 * 2**20  # the file itself and its directory, never what it unpacks to
    message = str(info.value)
    assert "giải nén ra 192 MB (quá 64 MB)" in message and "bom nén" in message
    assert str(path) in message


def test_a_zip_bomb_whose_directory_lies_stops_at_the_size_it_says(tmp_path):
    """The central directory says 1 KB: zipfile reads 1 KB, the checksum fails, refused."""
    raw = bytearray(bomb(tmp_path / "bom.xlsx", MAX_UNPACKED_BYTES + 1).read_bytes())
    name = b"xl/worksheets/sheet1.xml"
    at = 0
    while (at := raw.find(b"PK\x01\x02", at + 1)) >= 0:
        length, extra = struct.unpack("<HH", raw[at + 28 : at + 32])
        if raw[at + 46 : at + 46 + length] == name:
            raw[at + 24 : at + 28] = struct.pack("<I", 1024)
            if raw[at + 46 + length : at + 48 + length] == b"\x01\x00":  # zip64: its own size
                start = at + 46 + length + 4
                raw[start : start + 8] = struct.pack("<Q", 1024)
    liar = tmp_path / "noi-doi.xlsx"
    liar.write_bytes(bytes(raw))
    with zipfile.ZipFile(liar) as archive:
        assert sum(i.file_size for i in archive.infolist()) < MAX_UNPACKED_BYTES
    tracemalloc.start()
    try:
        with pytest.raises(SpreadsheetError) as info:
            read_table(liar)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 20 * 2**20
    assert "tệp nén hỏng hoặc bị cắt giữa chừng" in str(info.value)


def broken_copies(good: bytes) -> dict[str, bytes]:
    archive = zipfile.ZipFile(io.BytesIO(good))
    sheet = archive.getinfo("xl/worksheets/sheet1.xml")
    start = sheet.header_offset + 30 + len(sheet.filename) + len(sheet.extra)
    corrupt = bytearray(good)
    corrupt[start + 5 : start + sheet.compress_size] = bytes(sheet.compress_size - 5)

    def rebuilt(changes: dict[str, bytes | None]) -> bytes:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as target:
            for item in archive.infolist():
                data = changes.get(item.filename, archive.read(item))
                if data is not None:
                    target.writestr(item.filename, data)
        return buffer.getvalue()

    laughs = (
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY a "aaaaaaaaaa">'
        + "".join(f'<!ENTITY a{i} "{("&a" + str(i - 1) + ";") * 10}">' for i in range(1, 10))
        + "]>"
    ).replace("&a0;", "&a;")
    sheet_xml = archive.read("xl/worksheets/sheet1.xml").decode()
    sheet_xml = sheet_xml[sheet_xml.index("?>") + 2 :].replace("Xã 1", "&a9;")
    return {
        "truncated-half": good[: len(good) // 2],
        "truncated-tail": good[:-10],
        "corrupt-part": bytes(corrupt),
        "broken-xml": rebuilt({"xl/worksheets/sheet1.xml": b"<worksheet><sheetData><row"}),
        "no-workbook-part": rebuilt({"xl/workbook.xml": None}),
        "billion-laughs": rebuilt({"xl/worksheets/sheet1.xml": (laughs + sheet_xml).encode()}),
        "not-a-zip": "không phải zip".encode(),
        "ole-encrypted": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600),
        "empty": b"",
    }


@pytest.mark.parametrize(
    "case",
    [
        "truncated-half",
        "truncated-tail",
        "corrupt-part",
        "broken-xml",
        "no-workbook-part",
        "billion-laughs",
        "not-a-zip",
        "ole-encrypted",
        "empty",
    ],
)
def test_a_broken_xlsx_is_refused_in_vietnamese_naming_the_file(tmp_path, case):
    good = write_xlsx(tmp_path / "good.xlsx", Sheet("Xã", [HEADER, *ROWS])).read_bytes()
    path = tmp_path / f"{case}.xlsx"
    path.write_bytes(broken_copies(good)[case])
    with pytest.raises(SpreadsheetError) as info:
        read_table(path)
    message = str(info.value)
    assert message.startswith(f"{path}: không đọc được như tệp xlsx: "), message
    for english in ("Error", "error", "File is not", "Bad", "unclosed", "entity", "KeyError"):
        assert english not in message, message


def test_a_row_past_excels_last_is_a_broken_file_not_a_long_wait(tmp_path):
    path = write_xlsx(tmp_path / "xa.xlsx", Sheet("Xã", [HEADER, *ROWS]))
    with zipfile.ZipFile(path) as archive:
        parts = {i.filename: archive.read(i) for i in archive.infolist()}
    sheet = parts["xl/worksheets/sheet1.xml"].decode()
    parts["xl/worksheets/sheet1.xml"] = (
        sheet.replace('<row r="6">', '<row r="99999999">').replace('6"', '99999999"').encode()
    )
    far = tmp_path / "xa-xa.xlsx"
    with zipfile.ZipFile(far, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    with pytest.raises(SpreadsheetError, match="có hơn 1.048.576 dòng"):
        read_table(far)


# --------------------------------------------------------------------------- CSV

TEXT = "Tên đơn vị\tDân số\tKhóm, ấp\nXã Phú Cường\t12500\tẤp 1; Ấp 2\n"


@pytest.mark.parametrize(
    ("raw", "encoding"),
    [
        (TEXT.encode("utf-8"), UTF8),
        (("\ufeff" + TEXT).encode("utf-8"), UTF8),
        (("\ufeff" + TEXT).encode("utf-16-le"), UTF16),  # Excel's "Unicode Text"
        (("\ufeff" + TEXT).encode("utf-16-be"), UTF16),
        (TEXT.encode("utf-16-le"), UTF16),  # without its byte-order mark
        (TEXT.encode("utf-16-be"), UTF16),
    ],
    ids=["utf-8", "utf-8-bom", "utf-16-le", "utf-16-be", "utf-16-le-no-bom", "utf-16-be-no-bom"],
)
def test_a_csv_in_utf8_or_utf16_is_read_as_written(tmp_path, raw, encoding):
    path = tmp_path / "xa.csv"
    path.write_bytes(raw)
    table = read_table(path)
    assert table.encoding == encoding and table.notes == []
    assert table.rows == [
        (1, ["Tên đơn vị", "Dân số", "Khóm, ấp"]),
        (2, ["Xã Phú Cường", "12500", "Ấp 1; Ấp 2"]),
    ]


def test_a_csv_in_windows_1258_is_read_and_said(tmp_path):
    path = tmp_path / "xa.csv"
    path.write_bytes("Tên đơn vị,Dân số\nXã A,1\n".encode("cp1258", errors="replace"))
    table = read_table(path)
    assert table.encoding == CP1258 and "Windows-1258" in table.notes[0]


@pytest.mark.parametrize(
    ("raw", "words"),
    [
        (("\ufeff" + TEXT).encode("utf-32"), "tệp mã UTF-32"),
        (bytes(range(256)) * 4, "tệp nhị phân"),
        (("\ufeff" + TEXT).encode("utf-16-le")[:-1], "tệp UTF-16 bị hỏng"),
    ],
    ids=["utf-32", "binary", "utf-16-cut"],
)
def test_a_csv_that_cannot_be_text_is_refused_clearly(tmp_path, raw, words):
    path = tmp_path / "xa.csv"
    path.write_bytes(raw)
    with pytest.raises(SpreadsheetError) as info:
        read_table(path)
    assert str(info.value).startswith(f"{path}: ") and words in str(info.value)
