"""xlsx files written by hand, part by part (raw zip and XML), as other programs write them:
a stale `<dimension>`, a hidden first sheet, a formula without its calculated value, a
zip bomb, a truncated file. openpyxl never writes these, so tests cannot get them from it.
"""

from __future__ import annotations

import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape

from openpyxl.utils import get_column_letter

CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>
{sheets}
</Types>"""
SHEET_TYPE = (
    '<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
)
ROOT_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>
</Relationships>"""
WORKBOOK = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">
<sheets>{sheets}</sheets>
</workbook>"""
WORKBOOK_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
{rels}
</Relationships>"""
SHEET_REL = (
    '<Relationship Id="rId{n}" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/worksheet" Target="worksheets/sheet{n}.xml"/>'
)
SHEET = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">
{dimension}<sheetData>{rows}</sheetData>
</worksheet>"""


@dataclass
class Formula:
    """A formula cell; `value` None: never calculated (no `<v>`), as a program writes it;
    a str: the error it calculated to ("#REF!")."""

    formula: str
    value: int | str | None = None


@dataclass
class Sheet:
    name: str
    rows: Sequence[Sequence[object]]
    state: str = "visible"  # or "hidden", "veryHidden"
    dimension: str | None = None  # the `<dimension ref>` as written (None: none at all)
    padding: int = 0  # spaces between the sheet's rows: a zip bomb's payload (XML to parse)
    extra: dict[str, bytes] = field(default_factory=dict)


def cell_xml(ref: str, value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, Formula):
        cached = "" if value.value is None else f"<v>{value.value}</v>"
        kind = ' t="e"' if isinstance(value.value, str) else ""
        return f'<c r="{ref}"{kind}><f>{escape(value.formula)}</f>{cached}</c>'
    if isinstance(value, bool):
        return f'<c r="{ref}" t="b"><v>{int(value)}</v></c>'
    if isinstance(value, int | float):
        return f'<c r="{ref}"><v>{value}</v></c>'
    return f'<c r="{ref}" t="inlineStr"><is><t>{escape(str(value))}</t></is></c>'


def sheet_xml(sheet: Sheet) -> str:
    rows = []
    for r, cells in enumerate(sheet.rows, 1):
        inner = "".join(cell_xml(f"{get_column_letter(c)}{r}", v) for c, v in enumerate(cells, 1))
        rows.append(f'<row r="{r}">{inner}</row>')
    dimension = "" if sheet.dimension is None else f'<dimension ref="{sheet.dimension}"/>'
    return SHEET.format(dimension=dimension, rows="".join(rows))


def write_xlsx(path: Path, *sheets: Sheet) -> Path:
    """A minimal valid xlsx (inline strings, no styles), one part at a time."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        numbers = range(1, len(sheets) + 1)
        archive.writestr(
            "[Content_Types].xml",
            CONTENT_TYPES.format(sheets="".join(SHEET_TYPE.format(n=n) for n in numbers)),
        )
        archive.writestr("_rels/.rels", ROOT_RELS)
        entries = "".join(
            f'<sheet name="{escape(s.name)}" sheetId="{n}" state="{s.state}" r:id="rId{n}"/>'
            for n, s in zip(numbers, sheets, strict=True)
        )
        archive.writestr("xl/workbook.xml", WORKBOOK.format(sheets=entries))
        archive.writestr(
            "xl/_rels/workbook.xml.rels",
            WORKBOOK_RELS.format(rels="".join(SHEET_REL.format(n=n) for n in numbers)),
        )
        for n, sheet in zip(numbers, sheets, strict=True):
            _write_sheet(archive, f"xl/worksheets/sheet{n}.xml", sheet)
            for name, data in sheet.extra.items():
                archive.writestr(name, data)
    return path


def _write_sheet(archive: zipfile.ZipFile, name: str, sheet: Sheet) -> None:
    """The sheet's XML, with `padding` spaces streamed in after <sheetData> (spaces compress
    about 1000 to 1: a few hundred KB unpack to hundreds of MB of XML)."""
    head, tail = sheet_xml(sheet).split("<sheetData>")
    info = zipfile.ZipInfo(name)
    info.compress_type = zipfile.ZIP_DEFLATED
    with archive.open(info, "w", force_zip64=sheet.padding > 0) as part:
        part.write((head + "<sheetData>").encode())
        block = b" " * (1024 * 1024)
        left = sheet.padding
        while left > 0:
            part.write(block[: min(left, len(block))])
            left -= len(block)
        part.write(tail.encode())
