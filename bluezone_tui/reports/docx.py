"""The consolidated report as a Word document, laid out under Decree 30/2020/NĐ-CP.

The same content as the text report (report_content.py), as the office prints and
signs it: A4 portrait, Times New Roman, the issuer and the national motto side by
side in a borderless table, page numbers from page 2 centred at the top, real
tables whose header row repeats on every page, "Nơi nhận:" and the signature block.
A table too wide for the page gets smaller type, then a landscape section, then is
split into parts that repeat the unit's name: a figure is never cut or broken.

python-docx builds the frame (page, styles, header, closing). Table rows and list
lines, which grow with the number of units, are written as WordprocessingML text and
spliced into the saved package: building them node by node through python-docx (or
moving parsed nodes into its tree) took minutes at 10,000 units.
"""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from xml.sax.saxutils import escape

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_PARAGRAPH_ALIGNMENT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.section import Section as DocxSection
from docx.shared import Length, Mm, Pt
from docx.styles.style import ParagraphStyle
from docx.table import Table as DocxTable
from docx.table import _Cell
from docx.text.paragraph import Paragraph as DocxParagraph
from docx.text.run import Run
from lxml import etree

from bluezone_tui.base.safe_text import printable
from bluezone_tui.day.consolidate import Consolidation
from bluezone_tui.registry.model import Registry
from bluezone_tui.reports.content import (
    Block,
    Heading,
    ItemList,
    Paragraph,
    ReportContent,
    Table,
    build_content,
)

FONT = "Times New Roman"
BODY_PT = 14  # Decree 30: body 13-14 pt
HEADER_PT = 13  # number, page numbers
ISSUER_PT = (13.0, 12.0)  # the body above the issuer and the issuer: 12-13 pt
MOTTO_PT = (12, 13)  # "CỘNG HÒA …" 12-13 pt, "Độc lập - Tự do - Hạnh phúc" 13-14 pt
COPIES_TITLE_PT = 12  # "Nơi nhận:" bold italic
COPIES_PT = 11  # its lines
FIRST_LINE_INDENT = Mm(10)  # Decree 30: 1-1.27 cm
PAGE_WIDTH, PAGE_HEIGHT = Mm(210), Mm(297)  # A4
MARGIN_TOP, MARGIN_BOTTOM, MARGIN_LEFT, MARGIN_RIGHT = Mm(20), Mm(20), Mm(30), Mm(15)
HEADER_DISTANCE = Mm(10)  # the page number sits in the top margin
SIGNATURE_SPACE_PT = 84  # about 3 cm to sign and stamp
# Table type sizes, largest first: the first that fits is used (portrait, then landscape).
TABLE_SIZES = (12.0, 11.0, 10.0)
LANDSCAPE_SIZES = (12.0, 11.0, 10.0, 9.0)
CELL_MARGIN = Mm(1.5)  # left and right, inside every cell
CELL_PADDING_PT = 2 * CELL_MARGIN.pt + 1.5  # both cell margins and a border
HEADER_TABLE_OVERHANG = Mm(10)  # the header table may reach this far into each side margin
BODY_STYLE = ("Báo cáo - nội dung", "BaoCaoNoiDung")  # (name shown in Word, id)
HEADING_STYLE = ("Báo cáo - đề mục", "BaoCaoDeMuc")
FOOTNOTE_STYLE = ("Báo cáo - ghi chú bảng", "BaoCaoGhiChuBang")
FOOTNOTE_PT = 12

# Times New Roman advance widths in 1/1000 em (Adobe's Times-Roman metrics, which
# Times New Roman and Liberation Serif share), to size table columns before Word does.
_WIDTHS = {
    **dict.fromkeys("0123456789", 500),
    **dict(zip("abcdefghijklmnopqrstuvwxyz", (444, 500, 444, 500, 444, 333, 500, 500, 278, 278,
                                               500, 278, 778, 500, 500, 500, 500, 333, 389, 278,
                                               500, 500, 722, 500, 500, 444), strict=True)),
    **dict(zip("ABCDEFGHIJKLMNOPQRSTUVWXYZ", (722, 667, 667, 722, 611, 556, 722, 722, 333, 389,
                                               722, 611, 889, 722, 722, 556, 722, 667, 556, 611,
                                               722, 722, 944, 722, 722, 611), strict=True)),
    " ": 250, ".": 250, ",": 250, ":": 278, ";": 278, "!": 333, "?": 444, "'": 180, '"': 408,
    "(": 333, ")": 333, "[": 333, "]": 333, "-": 333, "–": 500, "—": 1000, "/": 278, "+": 564,
    "%": 833, "*": 500, "&": 778, "#": 500, "@": 921, "=": 564, "_": 500,
}  # fmt: skip
_BOLD_FACTOR = 1.08  # Times-Bold is about this much wider than Times-Roman
_SAFETY = 1.04  # kerning, hinting and the odd glyph not in the table
# Characters XML 1.0 cannot hold at all (printable() has shown the controls as escapes).
_NOT_XML = re.compile("[\ufffe\uffff\ud800-\udfff]")
_SLOT = "bluezone-slot"  # a processing instruction: no text or markup can look like it
_SLOT_PATTERN = re.compile(rf"<\?{_SLOT} (\d+)\?>")


def render_docx(consolidation: Consolidation, registry: Registry) -> bytes:
    """The report as the bytes of a .docx file."""
    content = build_content(consolidation, registry)
    document = _new_document()
    properties = document.core_properties
    properties.title = _clean(" ".join((content.title, *content.subject)))
    properties.author = properties.last_modified_by = _clean(content.issuer)
    properties.language = "vi-VN"
    properties.comments = ""  # not "generated by python-docx"
    now = consolidation.status.now
    assert now is not None  # a report counts the day at a moment (only `check` has none)
    counted_at = now.astimezone(UTC).replace(tzinfo=None)
    properties.created = properties.modified = counted_at
    _header_block(document, content)
    _title_block(document, content)
    _recipients(document, content.recipients)
    tables = [b for s in content.sections for b in s.blocks if isinstance(b, Table) and b.rows]
    measures = {id(table): _measure(table) for table in tables}
    # one type size for every portrait table: the largest that the widest of them allows
    largest = min(
        (f.size for f in (_fit(t, measures[id(t)]) for t in tables) if not f.landscape),
        default=TABLE_SIZES[0],
    )
    fits = {id(t): _fit(t, measures[id(t)], largest) for t in tables}
    section_titles = {section.title for section in content.sections}
    groups = list(_groups(content))
    last_block = next((blocks[-1] for _, blocks in reversed(groups) if blocks), None)
    bulk = _Bulk(document)
    landscape = False
    for title, blocks in groups:
        wide = any(fits[id(block)].landscape for block in blocks if id(block) in fits)
        if wide != landscape:
            _new_section(document, wide)
            landscape = wide
        _heading(document, title, top_level=title in section_titles)
        for block in blocks:
            # the signature never stands alone on a page: the last lines of text move with it
            keep = block is last_block
            if isinstance(block, Table) and id(block) in fits:
                bulk.add(_table_xml(document, block, fits[id(block)], keep))
            else:
                bulk.add(_block_xml(block, keep))
    if landscape:
        _new_section(document, False)
    _closing(document, content)
    return bulk.save(_zip_stamp(now))


class _Bulk:
    """Body XML kept as text: a placeholder now, the text itself in the saved package."""

    def __init__(self, document: DocumentObject) -> None:
        self.document = document
        self.parts: list[str] = []

    def add(self, xml: str) -> None:
        end = self.document.element.body.find(qn("w:sectPr"))
        end.addprevious(etree.ProcessingInstruction(_SLOT, str(len(self.parts))))
        self.parts.append(xml)

    def save(self, stamp: tuple[int, int, int, int, int, int]) -> bytes:
        """The file's bytes; every part dated `stamp` (the moment of the count), so the
        same report is the same file (`export --as-of` rebuilds it byte for byte)."""
        saved = io.BytesIO()
        self.document.save(saved)
        result = io.BytesIO()
        with (
            zipfile.ZipFile(saved) as source,
            zipfile.ZipFile(result, "w", zipfile.ZIP_DEFLATED) as target,
        ):
            for info in source.infolist():
                data = source.read(info)
                if info.filename == "word/document.xml":
                    text = data.decode("utf-8")
                    text = _SLOT_PATTERN.sub(lambda m: self.parts[int(m.group(1))], text)
                    data = text.encode("utf-8")
                info.date_time = stamp
                target.writestr(info, data)
        return result.getvalue()


def _zip_stamp(moment: datetime) -> tuple[int, int, int, int, int, int]:
    """A zip entry's date: the moment of the count, within what zip can hold (1980–2107)."""
    clamped = min(max(moment.replace(tzinfo=None), datetime(1980, 1, 1)), datetime(2107, 12, 31))
    return (clamped.year, clamped.month, clamped.day, clamped.hour, clamped.minute, clamped.second)


# ----------------------------------------------------------------------------- the page


def _new_document() -> DocumentObject:
    document = Document()
    # the template's preview picture is of another page: a file manager would show it
    package_rels = document.part.package.rels
    for rel_id, rel in list(package_rels.items()):
        if rel.reltype == RT.THUMBNAIL:
            package_rels.pop(rel_id)
    defaults = document.styles.element.find(qn("w:docDefaults"))
    run_defaults = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    fonts = run_defaults.find(qn("w:rFonts"))
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(theme), None)
    for slot in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(slot), FONT)
    run_defaults.find(qn("w:lang")).set(qn("w:val"), "vi-VN")  # Word's spelling checker
    spacing = defaults.find(qn("w:pPrDefault")).find(qn("w:pPr")).find(qn("w:spacing"))
    spacing.set(qn("w:after"), "0")
    spacing.set(qn("w:line"), "240")  # single
    normal = document.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(BODY_PT)
    body = _paragraph_style(document, BODY_STYLE, BODY_PT)
    body.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    body.paragraph_format.first_line_indent = FIRST_LINE_INDENT
    body.paragraph_format.space_after = Pt(6)  # Decree 30: at least 6 pt between paragraphs
    body.paragraph_format.line_spacing = 1.15  # Decree 30: single to 1.5 lines
    heading = _paragraph_style(document, HEADING_STYLE, BODY_PT)
    heading.base_style = body
    heading.font.bold = True
    heading.paragraph_format.space_before = Pt(6)
    heading.paragraph_format.keep_with_next = True
    footnote = _paragraph_style(document, FOOTNOTE_STYLE, FOOTNOTE_PT)
    footnote.font.italic = True
    footnote.paragraph_format.space_before = Pt(3)
    footnote.paragraph_format.space_after = Pt(6)
    section = document.sections[0]
    _page(section, landscape=False)
    section.different_first_page_header_footer = True  # no number on page 1
    header = section.header.paragraphs[0]
    header.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _page_field(header.add_run(), HEADER_PT)
    return document


def _paragraph_style(
    document: DocumentObject, name_and_id: tuple[str, str], size: float
) -> ParagraphStyle:
    name, style_id = name_and_id
    style = document.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    style.style_id = style_id
    style.base_style = document.styles["Normal"]
    style.font.size = Pt(size)
    return style


def _page(section: DocxSection, landscape: bool) -> None:
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (
        (PAGE_HEIGHT, PAGE_WIDTH) if landscape else (PAGE_WIDTH, PAGE_HEIGHT)
    )
    section.top_margin, section.bottom_margin = MARGIN_TOP, MARGIN_BOTTOM
    section.left_margin, section.right_margin = MARGIN_LEFT, MARGIN_RIGHT
    section.header_distance = section.footer_distance = HEADER_DISTANCE


def _new_section(document: DocumentObject, landscape: bool) -> None:
    """A new page in the other orientation; page numbers carry on and show on its first page."""
    section = document.add_section(WD_SECTION.NEW_PAGE)
    _page(section, landscape)
    section.different_first_page_header_footer = False


def _room_pt(landscape: bool) -> float:
    """The width between the margins, in points."""
    width = (PAGE_HEIGHT if landscape else PAGE_WIDTH) - MARGIN_LEFT - MARGIN_RIGHT
    return Length(width).pt


def _page_field(run: Run, size: float) -> None:
    """A PAGE field: Word and LibreOffice put each page's own number there."""
    run.font.size = Pt(size)
    for part in (
        f'<w:fldChar {nsdecls("w")} w:fldCharType="begin"/>',
        f'<w:instrText {nsdecls("w")} xml:space="preserve"> PAGE </w:instrText>',
        f'<w:fldChar {nsdecls("w")} w:fldCharType="separate"/>',
        f"<w:t {nsdecls('w')}>2</w:t>",
        f'<w:fldChar {nsdecls("w")} w:fldCharType="end"/>',
    ):
        run._r.append(parse_xml(part))


# ----------------------------------------------------------------------------- text


def _clean(text: str) -> str:
    """Text from data files as Word can hold it: NFC, controls shown as escapes."""
    return _NOT_XML.sub("\ufffd", printable(unicodedata.normalize("NFC", text)))


def _paragraph(
    document: DocumentObject,
    text: str = "",
    *,
    bold: bool = False,
    align: WD_PARAGRAPH_ALIGNMENT = WD_ALIGN_PARAGRAPH.CENTER,
    space_before: float = 0,
    space_after: float = 0,
    keep_with_next: bool = False,
) -> DocxParagraph:
    """A paragraph of the frame (title, subject, addressees), centred unless told."""
    paragraph = document.add_paragraph()
    paragraph.alignment = align
    fmt = paragraph.paragraph_format
    fmt.space_before, fmt.space_after = Pt(space_before), Pt(space_after)
    fmt.keep_with_next = keep_with_next
    if text:
        _run(paragraph, text, size=BODY_PT, bold=bold)
    return paragraph


def _run(
    paragraph: DocxParagraph, text: str, *, size: float, bold: bool = False, italic: bool = False
) -> None:
    run = paragraph.add_run(_clean(text))
    run.font.size = Pt(size)
    run.bold = bold or None
    run.italic = italic or None


def _rule(paragraph: DocxParagraph, length_pt: float, width_pt: float) -> None:
    """A short centred line (Decree 30's rule under the issuer, the motto and the subject):
    the top border of an empty 2 pt line, indented to the rule's length."""
    indent = max(0.0, (width_pt - length_pt) / 2)
    fmt = paragraph.paragraph_format
    fmt.left_indent = fmt.right_indent = Pt(indent)
    fmt.space_before, fmt.space_after = Pt(3), Pt(0)
    properties = paragraph._p.get_or_add_pPr()
    properties.insert_element_before(
        parse_xml(
            f'<w:pBdr {nsdecls("w")}><w:top w:val="single" w:sz="6" w:space="1" '
            'w:color="000000"/></w:pBdr>'
        ),
        *("w:shd", "w:tabs", "w:spacing", "w:ind", "w:jc", "w:rPr"),
    )
    properties.append(parse_xml(f'<w:rPr {nsdecls("w")}><w:sz w:val="4"/></w:rPr>'))


@lru_cache(maxsize=8192)
def _em_width(text: str, bold: bool = False) -> float:
    """How wide `text` is in Times New Roman, in 1/1000 em (diacritics take no width)."""
    total = 0
    for char in unicodedata.normalize("NFD", text):
        if unicodedata.combining(char):
            continue
        base = {"đ": "d", "Đ": "D"}.get(char, char)
        total += _WIDTHS.get(base, 722 if base.isupper() else 556)
    return total * (_BOLD_FACTOR if bold else 1.0) * _SAFETY


def _width_pt(text: str, size: float, bold: bool = False) -> float:
    return _em_width(text, bold) * size / 1000


# ----------------------------------------------------------------------------- header


def _header_block(document: DocumentObject, content: ReportContent) -> None:
    """Issuer | motto, then number | place and date: a borderless two-column table.

    The table may reach into the side margins, as official templates do; an issuer still
    too long for its column is set in 12 pt, then broken into balanced lines
    ("ỦY BAN NHÂN DÂN" / "HUYỆN HỒNG NGỰ"), never wrapped one word short.
    """
    right = CELL_PADDING_PT + max(
        _width_pt(content.motto[0], MOTTO_PT[0], bold=True),
        _width_pt(content.motto[1], MOTTO_PT[1], bold=True),
        _width_pt(content.place_and_date, BODY_PT),
    )
    page = _room_pt(False)
    room = page + 2 * Length(HEADER_TABLE_OVERHANG).pt
    right = min(right, room * 0.6)
    available = room - right - CELL_PADDING_PT
    size = next(
        (
            size
            for size in ISSUER_PT
            if max(_width_pt(content.authority, size), _width_pt(content.issuer, size, True))
            <= available
        ),
        ISSUER_PT[-1],
    )
    authority = _balanced_lines(content.authority, size, False, available)
    issuer = _balanced_lines(content.issuer, size, True, available)
    left = CELL_PADDING_PT + max(
        [_width_pt(line, size) for line in authority]
        + [_width_pt(line, size, True) for line in issuer]
        + [_width_pt(content.number, HEADER_PT)]
    )
    overhang = 0.0
    if left + right <= page:  # spread over the page, the motto's column keeping more
        extra = page - left - right
        left, right = left + extra * 0.4, right + extra * 0.6
    else:
        overhang = (left + right - page) / 2
    table = _frame_table(document, [left, right], rows=2)
    if overhang:
        table._tbl.tblPr.insert_element_before(
            parse_xml(f'<w:tblInd {nsdecls("w")} w:w="{round(-overhang * 20)}" w:type="dxa"/>'),
            *("w:tblBorders", "w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook"),
        )
    issuer_cell, motto_cell = table.rows[0].cells
    number_cell, date_cell = table.rows[1].cells
    _cell_text(issuer_cell, authority, size, first=True)  # the body above the issuer
    _cell_text(issuer_cell, issuer, size, bold=True, first=not authority)
    rule = max(_width_pt(line, size, bold=True) for line in issuer or [""]) * 0.4  # 1/3 to 1/2
    _rule(issuer_cell.add_paragraph(), rule, left - CELL_PADDING_PT)
    _cell_text(motto_cell, content.motto[0], MOTTO_PT[0], bold=True, first=True)
    _cell_text(motto_cell, content.motto[1], MOTTO_PT[1], bold=True)
    motto_rule = _width_pt(content.motto[1], MOTTO_PT[1], bold=True) / _SAFETY  # as long
    _rule(motto_cell.add_paragraph(), motto_rule, right - CELL_PADDING_PT)
    _cell_text(number_cell, content.number, HEADER_PT, first=True, space_before=4)
    _cell_text(date_cell, content.place_and_date, BODY_PT, italic=True, first=True, space_before=4)


def _balanced_lines(text: str, size: float, bold: bool, width: float) -> list[str]:
    """`text` on one line if it fits, else broken where the longest line is shortest."""
    words = text.split()
    if not words or _width_pt(text, size, bold) <= width:
        return [text] if words else []
    splits = [(" ".join(words[:i]), " ".join(words[i:])) for i in range(1, len(words))]
    return list(min(splits, key=lambda pair: max(_width_pt(p, size, bold) for p in pair)))


def _cell_text(
    cell: _Cell,
    text: str | Sequence[str],
    size: float,
    *,
    bold: bool = False,
    italic: bool = False,
    first: bool = False,
    space_before: float = 0,
    align: int = WD_ALIGN_PARAGRAPH.CENTER,
) -> DocxParagraph:
    """A paragraph in `cell` (its first one if `first`); several lines are kept apart by
    line breaks."""
    paragraph = cell.paragraphs[0] if first else cell.add_paragraph()
    paragraph.alignment = align
    paragraph.paragraph_format.space_before = Pt(space_before)
    for index, line in enumerate([text] if isinstance(text, str) else text):
        if index:
            paragraph.runs[-1].add_break(WD_BREAK.LINE)
        if line:
            _run(paragraph, line, size=size, bold=bold, italic=italic)
    return paragraph


def _title_block(document: DocumentObject, content: ReportContent) -> None:
    _paragraph(document, content.title, bold=True, space_before=18, keep_with_next=True)
    subject = _paragraph(document, bold=True, keep_with_next=True)
    for index, line in enumerate(content.subject):
        if index:
            subject.runs[-1].add_break(WD_BREAK.LINE)
        _run(subject, line, size=BODY_PT, bold=True)
    longest = max((_width_pt(line, BODY_PT, bold=True) for line in content.subject), default=0)
    _rule(document.add_paragraph(), longest * 0.4, _room_pt(False))


def _recipients(document: DocumentObject, recipients: Sequence[str]) -> None:
    """ "Kính gửi:" and the addressees, one a line, aligned after the words."""
    if not recipients:
        return
    paragraph = _paragraph(document, align=WD_ALIGN_PARAGRAPH.LEFT, space_before=12, space_after=6)
    if len(recipients) == 1:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _run(paragraph, f"Kính gửi: {recipients[0]}.", size=BODY_PT)
        return
    fmt = paragraph.paragraph_format
    lead = Pt(_width_pt("Kính gửi: ", BODY_PT) + 6)
    fmt.left_indent = Mm(25) + lead
    fmt.first_line_indent = -lead
    fmt.tab_stops.add_tab_stop(fmt.left_indent)
    _run(paragraph, "Kính gửi:", size=BODY_PT)
    paragraph.runs[-1].add_tab()
    for index, name in enumerate(recipients):
        if index:
            paragraph.runs[-1].add_break(WD_BREAK.LINE)
        end = "." if index == len(recipients) - 1 else ";"
        _run(paragraph, f"- {name}{end}", size=BODY_PT)


# ----------------------------------------------------------------------------- body


def _groups(content: ReportContent) -> Iterator[tuple[str, list[Block]]]:
    """(heading, its blocks): a section title or a numbered heading and what follows it,
    the unit that moves to a landscape page together."""
    for section in content.sections:
        title = section.title
        blocks: list[Block] = []
        for block in section.blocks:
            if isinstance(block, Heading):
                yield title, blocks
                title, blocks = block.text, []
            else:
                blocks.append(block)
        yield title, blocks


def _heading(document: DocumentObject, text: str, top_level: bool) -> None:
    paragraph = document.add_paragraph(_clean(text), style=document.styles[HEADING_STYLE[0]])
    if not top_level:
        paragraph.paragraph_format.space_before = Pt(3)


def _body_xml(text: str, *, keep_with_next: bool = False) -> str:
    keep = "<w:keepNext/>" if keep_with_next else ""
    return (
        f'<w:p><w:pPr><w:pStyle w:val="{BODY_STYLE[1]}"/>{keep}</w:pPr>'
        f'<w:r><w:t xml:space="preserve">{escape(_clean(text))}</w:t></w:r></w:p>'
    )


def _block_xml(block: Block, keep_with_next: bool) -> str:
    if isinstance(block, Paragraph):
        return _body_xml(block.text, keep_with_next=keep_with_next)
    if isinstance(block, ItemList):
        lines = [_body_xml(block.title, keep_with_next=True)]
        lines += [
            _body_xml(f"- {item}", keep_with_next=keep_with_next and index == len(block.items))
            for index, item in enumerate(block.items, 1)
        ]
        return "".join(lines)
    return ""  # a table without rows: nothing to show


# ----------------------------------------------------------------------------- tables


@dataclass(frozen=True, slots=True)
class _TableFit:
    """How a table goes on the page: orientation, type size, and its parts' column widths."""

    landscape: bool
    size: float
    parts: tuple[tuple[tuple[int, ...], tuple[float, ...]], ...]  # (columns, widths in pt)


@dataclass(frozen=True, slots=True)
class _Measure:
    """Per column, in 1/1000 em: its longest word, its longest name or figure, its header."""

    least: tuple[float, ...]
    unwrapped: tuple[float, ...]
    whole: tuple[float, ...]

    def at(self, size: float) -> _Measure:
        """The same widths in points at `size`, with the cell's padding."""
        return _Measure(
            *(
                tuple(w * size / 1000 + CELL_PADDING_PT for w in widths)
                for widths in (self.least, self.unwrapped, self.whole)
            )
        )


def _measure(table: Table) -> _Measure:
    count = len(table.headers)
    least, unwrapped, whole = [0.0] * count, [0.0] * count, [0.0] * count
    cells = [(table.headers, True)] + [(row, False) for row in table.rows]
    for values, bold in cells:
        for column, value in enumerate(values):
            width = _em_width(value, bold)
            if width > least[column]:
                words = value.split() or [""]
                least[column] = max(least[column], *(_em_width(w, bold) for w in words))
            if bold:
                whole[column] = max(whole[column], width)
            else:
                unwrapped[column] = max(unwrapped[column], width)
    unwrapped = [max(u, m) for u, m in zip(unwrapped, least, strict=True)]
    whole = [max(w, u) for w, u in zip(whole, unwrapped, strict=True)]
    return _Measure(tuple(least), tuple(unwrapped), tuple(whole))


def _fit(table: Table, measure: _Measure, largest: float = TABLE_SIZES[0]) -> _TableFit:
    """Portrait if it fits, in the largest type (up to `largest`) that keeps every name and
    figure on one line, else the largest with names wrapped; then the same in landscape;
    else split into parts that each repeat the key columns."""
    columns = tuple(range(len(table.headers)))
    for landscape, sizes in ((False, TABLE_SIZES), (True, LANDSCAPE_SIZES)):
        room = _room_pt(landscape)
        needs = [(size, measure.at(size)) for size in sizes if size <= largest]
        for size, need in needs:
            if sum(need.unwrapped) <= room:
                return _TableFit(landscape, size, ((columns, _spread(need, columns, room)),))
        for size, need in needs:
            if sum(need.least) <= room:
                return _TableFit(landscape, size, ((columns, _spread(need, columns, room)),))
    size = LANDSCAPE_SIZES[-1]
    room = _room_pt(True)
    need = measure.at(size)
    keys = columns[: table.key_columns]
    # the repeated columns keep room for a name on a line or two, up to a third of the page
    key_room = max(
        sum(need.least[i] for i in keys), min(sum(need.unwrapped[i] for i in keys), room / 3)
    )
    others = list(columns[table.key_columns :])
    parts: list[list[int]] = []
    current: list[int] = []
    used = key_room
    for column in others:
        if current and used + need.least[column] > room:
            parts.append(current)
            current, used = [], key_room
        current.append(column)
        used += need.least[column]
    parts.append(current)
    # as many columns in each part as that many parts allow, if each part still fits
    per_part = -(-len(others) // len(parts))
    even = [others[i : i + per_part] for i in range(0, len(others), per_part)]
    if len(even) == len(parts) and all(
        key_room + sum(need.least[i] for i in part) <= room for part in even
    ):
        parts = even
    return _TableFit(
        True,
        size,
        tuple(((*keys, *part), _spread(need, (*keys, *part), room)) for part in parts),
    )


def _spread(need: _Measure, columns: Sequence[int], room: float) -> tuple[float, ...]:
    """Widths that fill `room`. Each column starts at its narrowest; what is left goes first
    to the columns whose names or figures would wrap, then to headers that would, the
    smallest want first (a short "08:33 đã báo cáo" stays on one line, a long name wraps);
    anything still left widens every column alike."""
    widths = [need.least[i] for i in columns]
    for wanted in (need.unwrapped, need.whole):
        lacking = sorted(
            (wanted[i] - widths[k], k) for k, i in enumerate(columns) if wanted[i] > widths[k]
        )
        for lack, k in lacking:
            spare = room - sum(widths)
            if spare <= 0:
                break
            widths[k] += min(lack, spare)
    spare = room - sum(widths)
    if spare > 0:
        total = sum(widths)
        widths = [w + spare * w / total for w in widths]
    return tuple(widths)


def _table_xml(document: DocumentObject, table: Table, fit: _TableFit, keep: bool) -> str:
    """The table (or its parts, one under the other) and a blank line after it."""
    style_id = _table_style(document, fit.size)
    parts = []
    for columns, widths in fit.parts:
        twips = [int(w * 20) for w in widths]  # rounded down: the sum stays within the page
        aligns = ["right" if table.numeric[c] else "" for c in columns]
        rows = [_row_xml([table.headers[c] for c in columns], twips, style_id, header=True)]
        rows += [
            _row_xml(
                [values[c] for c in columns],
                twips,
                style_id,
                aligns=aligns,
                keep_with_next=keep and index == len(table.rows),
            )
            for index, values in enumerate(table.rows, 1)
        ]
        grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in twips)
        parts.append(
            f'<w:tbl><w:tblPr><w:tblStyle w:val="TableGrid"/>'
            f'<w:tblW w:w="{sum(twips)}" w:type="dxa"/><w:jc w:val="center"/>'
            f'<w:tblLayout w:type="fixed"/>{_cell_margins_xml()}'
            f'<w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="0" '
            f'w:lastColumn="0" w:noHBand="0" w:noVBand="1"/></w:tblPr>'
            f"<w:tblGrid>{grid}</w:tblGrid>{''.join(rows)}</w:tbl>"
        )
    keep_xml = "<w:keepNext/>" if keep else ""
    if table.footnote:  # how the rate is computed, right under the table
        blank = (
            f'<w:p><w:pPr><w:pStyle w:val="{FOOTNOTE_STYLE[1]}"/>{keep_xml}</w:pPr>'
            f'<w:r><w:t xml:space="preserve">{escape(_clean(table.footnote))}</w:t></w:r></w:p>'
        )
    else:
        blank = f"<w:p><w:pPr>{keep_xml}</w:pPr></w:p>"
    return "<w:p/>".join(parts) + blank


def _row_xml(
    values: Sequence[str],
    twips: Sequence[int],
    style_id: str,
    *,
    header: bool = False,
    aligns: Sequence[str] = (),
    keep_with_next: bool = False,
) -> str:
    """A table row: never split across pages; the header row repeats at the top of each."""
    cells = []
    keep = "<w:keepNext/>" if keep_with_next else ""
    for index, (value, width) in enumerate(zip(values, twips, strict=True)):
        align = "center" if header else (aligns[index] if aligns else "")
        jc = f'<w:jc w:val="{align}"/>' if align else ""
        bold = "<w:rPr><w:b/></w:rPr>" if header else ""
        text = (
            f'<w:r>{bold}<w:t xml:space="preserve">{escape(_clean(value))}</w:t></w:r>'
            if value
            else ""
        )
        cells.append(
            f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/><w:vAlign w:val="center"/>'
            f'</w:tcPr><w:p><w:pPr><w:pStyle w:val="{style_id}"/>{keep}{jc}</w:pPr>{text}</w:p></w:tc>'
        )
    repeat = "<w:tblHeader/>" if header else ""
    return f"<w:tr><w:trPr><w:cantSplit/>{repeat}</w:trPr>{''.join(cells)}</w:tr>"


def _table_style(document: DocumentObject, size: float) -> str:
    """A paragraph style per table type size ("Bảng 11"): small XML for large tables."""
    name = f"Bảng {size:g}"
    style_id = f"Bang{size:g}".replace(".", "_")
    if document.styles.element.get_by_id(style_id) is None:
        style = _paragraph_style(document, (name, style_id), size)
        style.paragraph_format.space_before = style.paragraph_format.space_after = Pt(2)
    return style_id


def _cell_margins_xml(namespaces: str = "") -> str:
    twips = round(Length(CELL_MARGIN).pt * 20)
    return (
        f'<w:tblCellMar{namespaces}><w:left w:w="{twips}" w:type="dxa"/>'
        f'<w:right w:w="{twips}" w:type="dxa"/></w:tblCellMar>'
    )


def _frame_table(document: DocumentObject, widths_pt: list[float], rows: int) -> DocxTable:
    """A borderless layout table (the header, the closing) with fixed column widths."""
    table = document.add_table(rows=rows, cols=len(widths_pt))
    table.autofit = False
    for column, width in zip(table.columns, widths_pt, strict=True):
        column.width = Pt(width)
    for row in table.rows:
        for cell, width in zip(row.cells, widths_pt, strict=True):
            cell.width = Pt(width)
    borders = "".join(
        f'<w:{edge} w:val="nil"/>'
        for edge in ("top", "left", "bottom", "right", "insideH", "insideV")
    )
    properties = table._tbl.tblPr
    properties.insert_element_before(
        parse_xml(f"<w:tblBorders {nsdecls('w')}>{borders}</w:tblBorders>"),
        *("w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook"),
    )
    properties.insert_element_before(parse_xml(_cell_margins_xml(f" {nsdecls('w')}")), "w:tblLook")
    return table


# ----------------------------------------------------------------------------- closing


def _closing(document: DocumentObject, content: ReportContent) -> None:
    """ "Nơi nhận:" on the left, the signer on the right, kept together on one page."""
    page = _room_pt(False)
    table = _frame_table(document, [page * 0.45, page * 0.55], rows=1)
    row = table.rows[0]
    row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
    copies, signer = row.cells
    left = WD_ALIGN_PARAGRAPH.LEFT
    _cell_text(copies, "Nơi nhận:", COPIES_TITLE_PT, bold=True, italic=True, first=True, align=left)
    for line in content.copies_to:
        _cell_text(copies, f"- {line}", COPIES_PT, align=left)
    for index, line in enumerate(content.signer_title):
        _cell_text(signer, line, BODY_PT, bold=True, first=index == 0)
    _cell_text(
        signer,
        content.signer_name,
        BODY_PT,
        bold=True,
        first=not content.signer_title,
        space_before=SIGNATURE_SPACE_PT,
    )
