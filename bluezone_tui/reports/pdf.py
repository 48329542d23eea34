"""The consolidated report as PDF, laid out under Decree 30/2020/NĐ-CP as the Word file is.

The same content as the text and Word reports (content.py), drawn by ReportLab's page
layout engine (platypus) with the Word report's page (docx.py: A4, margins, type sizes,
page numbers from page 2) and its layout decisions, taken in layout.py from the content
and this face's own widths: the issuer and the motto side by side (the motto ending
15-20 mm from the page's edge), columns sized by their words, a table too wide for the
page on a landscape page or split into parts, a heading kept with its table, a short
table kept whole and a long one never leaving a lone row on a page. The face is Liberation
Serif (Times New Roman's metrics, every Vietnamese letter; SIL OFL 1.1, in fonts/),
embedded as subsets with a ToUnicode map, so the text can be selected and searched.

An empty signature field lies between the signer's title and name, where Decree 30
Appendix I puts the signature image and, over its left third, the seal: the VGCA Sign
Tool or any PAdES signer signs there.

Same data, same bytes: the file's dates are the moment the report was counted at, its
ID comes from its content, and its metadata names the day, the revision of the data it
was made from and a digest of the report's content (what `bluezone sent add` checks a
signed file against, by making the file again).
"""

from __future__ import annotations

import hashlib
import io
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cache, partial
from pathlib import Path
from typing import Any, Literal
from xml.sax.saxutils import escape

import reportlab
from reportlab.lib.colors import black
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.pdfdoc import PDFArray, PDFDate, PDFDictionary, PDFInfo, PDFName, PDFString
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    KeepTogether,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus import Paragraph as Para

from bluezone_tui import __version__
from bluezone_tui.base.safe_text import printable
from bluezone_tui.base.vn import nfc
from bluezone_tui.day.consolidate import Consolidation
from bluezone_tui.registry.model import Registry
from bluezone_tui.reports import docx as word  # the Word report's layout decisions
from bluezone_tui.reports.content import (
    Block,
    Heading,
    ItemList,
    Paragraph,
    ReportContent,
    build_content,
    content_digest,
)
from bluezone_tui.reports.content import Table as ContentTable
from bluezone_tui.reports.layout import (
    KEEP_WHOLE,
    MOTTO_PT,
    PageRoom,
    TableFit,
    fit_tables,
    header_layout,
    kept_spans,
)

FONT_FOLDER = Path(__file__).with_name("fonts")
_FACES = {  # (bold, italic) -> the face's name and file
    (False, False): "LiberationSerif-Regular",
    (True, False): "LiberationSerif-Bold",
    (False, True): "LiberationSerif-Italic",
    (True, True): "LiberationSerif-BoldItalic",
}
PAGE = (word.PAGE_WIDTH.pt, word.PAGE_HEIGHT.pt)
MARGINS = (word.MARGIN_TOP.pt, word.MARGIN_BOTTOM.pt, word.MARGIN_LEFT.pt, word.MARGIN_RIGHT.pt)
MM = 72 / 25.4
_SPACES = re.compile(" {2,}")
_LINE = 1.15  # one line of Times New Roman is 1.15 em (ascent, descent and gap, as Word sets it)
_BODY_LEADING = word.BODY_PT * _LINE * 1.15  # the Word report's body: 1.15 lines
_CELL_X = word.CELL_MARGIN.pt  # left and right, inside every cell
_CELL_Y = 2.0  # above and below a table cell's text (the Word tables' 2 pt)
_GRID = 0.5
# The room between the margins and what a table cell adds to its text, for layout.py.
PAGE_ROOM = PageRoom(
    portrait=PAGE[0] - MARGINS[2] - MARGINS[3],
    landscape=PAGE[1] - MARGINS[2] - MARGINS[3],
    cell_padding=2 * _CELL_X + _GRID + 0.5,
)

# The signature field (Decree 30, Appendix I): the signature image centred between the
# signer's title and name, the seal over its left third. Sized for both, in the
# signature space the Word report leaves (docx.SIGNATURE_SPACE_PT, about 3 cm).
SIGNATURE_FIELD = "ChuKyNguoiKy"
SIGNATURE_BOX = (45 * MM, 27 * MM)  # the signature image: width, height
SEAL_DIAMETER = 27 * MM
SEAL_OVER = 1 / 3  # of the signature image's width, on its left

# The file's own account of itself, in its document information dictionary.
META_DAY = "/BluezoneDay"  # 2020-08-20
META_COUNTED_AT = "/BluezoneCountedAt"  # the moment the report counts to, ISO 8601 with offset
META_REVISION = "/BluezoneRevision"  # the data's git commit, or sha256:… of its files
META_CONTENT = "/BluezoneContent"  # sha256:… of what the report says (content_digest)
META_TOOL = "/BluezoneTool"  # bluezone-tui 0.1.0, ReportLab 4.x


@dataclass(frozen=True, slots=True)
class FieldBox:
    """The signature field's rectangle, and the images' places inside it, in points."""

    x: float
    y: float
    width: float
    height: float

    @property
    def seal(self) -> tuple[float, float, float, float]:
        """x, y, width, height of the seal, relative to the field (on the left)."""
        return (0.0, (self.height - SEAL_DIAMETER) / 2, SEAL_DIAMETER, SEAL_DIAMETER)

    @property
    def signature(self) -> tuple[float, float, float, float]:
        """x, y, width, height of the signature image, relative to the field (centred)."""
        width, height = SIGNATURE_BOX
        return ((self.width - width) / 2, (self.height - height) / 2, width, height)


def field_size() -> tuple[float, float]:
    """The field's width and height: the signature image in the middle, the seal over its
    left third, and as much room on the right, so that the field, the image and a text
    stamp drawn across the field are all centred under the signer's title."""
    width, height = SIGNATURE_BOX
    reach = SEAL_DIAMETER - width * SEAL_OVER  # how far the seal stands out on the left
    return (width + 2 * reach, max(height, SEAL_DIAMETER))


def render_pdf(consolidation: Consolidation, registry: Registry, revision: str = "") -> bytes:
    """The report as the bytes of a PDF file. `revision`: the data it is made from (a git
    commit, or sha256:… of the files), written into its metadata."""
    content = build_content(consolidation, registry)
    now = consolidation.status.now
    assert now is not None  # a report counts the day at a moment (only `check` has none)
    digest = content_digest(content)
    extra = {
        META_DAY: consolidation.day.isoformat(),
        META_COUNTED_AT: now.isoformat(),
        META_REVISION: revision,
        META_CONTENT: digest,
        META_TOOL: f"bluezone-tui {__version__}, ReportLab {reportlab.Version}",
    }
    identity = hashlib.sha256("\n".join(f"{k} {v}" for k, v in extra.items()).encode()).digest()
    out = io.BytesIO()
    document = _Document(out, content)
    document.build(
        list(_story(content)),
        canvasmaker=partial(_StampedCanvas, moment=now, extra=extra, identity=identity[:16]),
    )
    return out.getvalue()


# ----------------------------------------------------------------------------- fonts


@cache
def _registered() -> None:
    """Liberation Serif's four faces, known to ReportLab once per process."""
    for face in _FACES.values():
        pdfmetrics.registerFont(TTFont(face, str(FONT_FOLDER / f"{face}.ttf")))
    pdfmetrics.registerFontFamily(
        _FACES[(False, False)],
        normal=_FACES[(False, False)],
        bold=_FACES[(True, False)],
        italic=_FACES[(False, True)],
        boldItalic=_FACES[(True, True)],
    )


def face(bold: bool = False, italic: bool = False) -> str:
    """A face of Liberation Serif, registered with ReportLab (its name for setFont)."""
    _registered()
    return _FACES[(bold, italic)]


@cache
def _width_pt(text: str, size: float, bold: bool = False) -> float:
    return pdfmetrics.stringWidth(text, face(bold), size)


def _em(text: str, bold: bool = False) -> float:
    """How wide Liberation Serif sets `text`, in 1/1000 em (layout.py's Measure)."""
    return _width_pt(_clean(text), 1000, bold)


def _clean(text: str) -> str:
    """Text from data files as the page shows it: NFC, controls shown as escapes."""
    return printable(nfc(text))


def _markup(text: str) -> str:
    """Text for a ReportLab paragraph, whose markup is XML-like; a run of spaces is kept
    (the number's "Số:      /BC-VHTT" leaves room for the clerk's number)."""
    return _SPACES.sub(lambda m: " " + "\u00a0" * (len(m.group()) - 1), escape(_clean(text)))


# ----------------------------------------------------------------------------- the file


class _Info(PDFInfo):
    """The document information dictionary, with bluezone's own keys."""

    def __init__(self, extra: dict[str, str]) -> None:
        super().__init__()
        self.extra = extra

    def format(self, document: Any) -> bytes:
        values: dict[str, Any] = {
            "Title": PDFString(self.title),
            "Author": PDFString(self.author),
            "Subject": PDFString(self.subject),
            "Keywords": PDFString(self.keywords),
            "Creator": PDFString(self.creator),
            "Producer": PDFString(self.producer),
            "CreationDate": PDFDate(ts=document._timeStamp),
            "ModDate": PDFDate(ts=document._timeStamp),
            "Trapped": PDFName("False"),
        }
        values.update({key[1:]: PDFString(value) for key, value in self.extra.items()})
        formatted: bytes = PDFDictionary(values).format(document)
        return formatted


class _Moment:
    """A moment as ReportLab's TimeStamp gives it (the file's creation date)."""

    def __init__(self, moment: datetime) -> None:
        offset = moment.utcoffset()
        minutes = int(offset.total_seconds() // 60) if offset is not None else 0
        self.t = moment.timestamp()
        self.YMDhms = moment.timetuple()[:6]
        self.dhh, self.dmm = int(minutes / 60), abs(minutes) % 60


class _StampedCanvas(Canvas):
    """A canvas whose file is dated at the report's moment, carries bluezone's metadata and
    has an ID made from them: the same report is the same file."""

    def __init__(
        self,
        *args: Any,
        moment: datetime,
        extra: dict[str, str],
        identity: bytes,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        document = self._doc  # type: ignore[attr-defined]  # ReportLab's, not in its stubs
        document.info = _Info(extra)
        document._timeStamp = _Moment(moment)
        hexed = identity.hex().upper().encode()
        document._ID = b"\n[<" + hexed + b"><" + hexed + b">]\n"


class _Document(BaseDocTemplate):
    """A4 portrait pages, and landscape ones for tables too wide; numbers from page 2."""

    def __init__(self, out: io.BytesIO, content: ReportContent) -> None:
        top, bottom, left, right = MARGINS
        super().__init__(
            out,
            pagesize=PAGE,
            topMargin=top,
            bottomMargin=bottom,
            leftMargin=left,
            rightMargin=right,
            title=_clean(" ".join((content.title, *content.subject))),
            author=_clean(content.issuer),
            subject=_clean(" ".join(content.subject)),
            creator=f"bluezone-tui {__version__}",
            producer=f"ReportLab {reportlab.Version}",
            keywords=["Bluezone", "báo cáo"],
            invariant=1,
            lang="vi-VN",
            initialFontName=face(),
        )
        self.addPageTemplates([_template("doc", False), _template("ngang", True)])


def _template(name: str, landscape: bool) -> PageTemplate:
    width, height = (PAGE[1], PAGE[0]) if landscape else PAGE
    top, bottom, left, right = MARGINS
    frame = Frame(
        left,
        bottom,
        width - left - right,
        height - top - bottom,
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
        id=name,
    )
    return PageTemplate(id=name, frames=[frame], onPage=_page_number, pagesize=(width, height))


def _page_number(canvas: Canvas, document: BaseDocTemplate) -> None:
    """From page 2, the page's number centred in the top margin (Decree 30)."""
    number = canvas.getPageNumber()
    if number < 2:
        return
    width, height = canvas._pagesize  # type: ignore[attr-defined]  # not in the stubs
    _, _, left, right = MARGINS
    canvas.saveState()
    canvas.setFont(face(), word.HEADER_PT)
    baseline = height - word.HEADER_DISTANCE.pt - word.HEADER_PT * 0.9
    canvas.drawCentredString((left + width - right) / 2, baseline, str(number))
    canvas.restoreState()


def _room_pt(landscape: bool) -> float:
    """The width between the margins, in points."""
    _, _, left, right = MARGINS
    return (PAGE[1] if landscape else PAGE[0]) - left - right


# ----------------------------------------------------------------------------- styles


def _style(
    size: float,
    *,
    bold: bool = False,
    italic: bool = False,
    align: Literal[0, 1, 2, 4] = TA_CENTER,
    before: float = 0,
    after: float = 0,
    leading: float | None = None,
    first_indent: float = 0,
    left_indent: float = 0,
    keep: bool = False,
) -> ParagraphStyle:
    return ParagraphStyle(
        f"s{size}{bold:d}{italic:d}{align}",
        fontName=face(bold, italic),
        fontSize=size,
        leading=leading if leading is not None else size * _LINE,
        alignment=align,
        spaceBefore=before,
        spaceAfter=after,
        firstLineIndent=first_indent,
        leftIndent=left_indent,
        keepWithNext=int(keep),
    )


def _body(keep: bool = False, align: Literal[0, 1, 2, 4] = TA_JUSTIFY) -> ParagraphStyle:
    return _style(
        word.BODY_PT,
        align=align,
        after=6,  # Decree 30: at least 6 pt between paragraphs
        leading=_BODY_LEADING,
        first_indent=word.FIRST_LINE_INDENT.pt,
        keep=keep,
    )


def _para(lines: str | Sequence[str], style: ParagraphStyle) -> Para:
    """A paragraph; several lines are kept apart by line breaks."""
    text = [lines] if isinstance(lines, str) else lines
    return Para("<br/>".join(_markup(line) for line in text), style)


class _Rule(Flowable):
    """A short centred line (Decree 30's rule under the issuer, the motto and the subject)."""

    def __init__(self, length: float, before: float = 3) -> None:
        super().__init__()
        self.length = length
        self.before = before

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.width = available_width
        return available_width, self.before + 2

    def draw(self) -> None:
        start = max(0.0, (self.width - self.length) / 2)
        self.canv.setLineWidth(0.75)
        self.canv.line(start, 1, start + min(self.length, self.width), 1)


# ----------------------------------------------------------------------------- the story


def _story(content: ReportContent) -> Iterator[Flowable]:
    yield _header_block(content)
    yield from _title_block(content)
    yield from _recipients(content.recipients)
    tables = [
        b for s in content.sections for b in s.blocks if isinstance(b, ContentTable) and b.rows
    ]
    fits = fit_tables(tables, PAGE_ROOM, _em)
    section_titles = {section.title for section in content.sections}
    groups = list(_groups(content))
    last_group = next((i for i in range(len(groups) - 1, -1, -1) if groups[i][1]), None)
    landscape = False
    held: list[Flowable] = []  # the last group's lines, kept with the signature
    for index, (title, blocks) in enumerate(groups):
        wide = any(fits[id(block)].landscape for block in blocks if id(block) in fits)
        if wide != landscape:
            yield NextPageTemplate("ngang" if wide else "doc")
            yield PageBreak()
            landscape = wide
        heading = _heading(title, top_level=title in section_titles)
        flowables: list[Flowable] = [heading]
        for block in blocks:
            if isinstance(block, ContentTable) and id(block) in fits:
                flowables += _table(block, fits[id(block)])
            else:
                flowables += _block(block)
        if index == last_group:
            held = flowables
            continue
        long = any(isinstance(b, ContentTable) and len(b.rows) > KEEP_WHOLE for b in blocks)
        if long:  # its heading keeps with the table, which keeps its first and last rows
            yield from flowables
        else:
            yield _kept(flowables)
    if landscape:
        yield NextPageTemplate("doc")
        yield PageBreak()
    # the signature never stands alone on a page: the last lines of text move with it
    yield _kept([*held, _closing(content)])


def _kept(flowables: list[Flowable]) -> Flowable:
    """A heading and what follows it on one page when they fit on one (a short table is
    not split, a heading never ends a page); split as usual when they do not. A group
    with a long table is not kept whole: the table's NOSPLIT spans (layout.kept_spans)
    keep its header row with its first rows and its last rows together."""
    return KeepTogether(flowables)


def _groups(content: ReportContent) -> Iterator[tuple[str, list[Block]]]:
    """(heading, its blocks): a section title or a numbered heading and what follows it,
    the unit that moves to a landscape page together (as in the Word report)."""
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


def _heading(text: str, top_level: bool) -> Para:
    style = _body(keep=True)
    style.fontName = face(bold=True)
    style.spaceBefore = 6 if top_level else 3
    return _para(text, style)


def _block(block: Block) -> list[Flowable]:
    if isinstance(block, Paragraph):
        return [_para(block.text, _body())]
    if isinstance(block, ItemList):
        lines: list[Flowable] = [_para(block.title, _body(keep=True))]
        # a list line is left-aligned: justified, one long word would spread the line
        return lines + [_para(f"- {item}", _body(align=TA_LEFT)) for item in block.items]
    return []  # a table without rows: nothing to show


# ----------------------------------------------------------------------------- header


def _header_block(content: ReportContent) -> Table:
    """Issuer | motto, then number | place and date: a borderless two-column table between
    the margins, its columns as layout.header_layout sets them for this face (the motto
    ending about 17 mm from the page's right edge), the cells with no side padding."""
    header = header_layout(content, _room_pt(False), _em)
    size = header.issuer_size
    issuer_cell: list[Flowable] = []
    if header.authority:
        issuer_cell.append(_para(header.authority, _style(size)))
    if header.issuer:
        issuer_cell.append(_para(header.issuer, _style(size, bold=True)))
    issuer_cell.append(
        _Rule(max(_width_pt(line, size, True) for line in header.issuer or [""]) * 0.4)
    )
    motto_cell = [
        _para(content.motto[0], _style(MOTTO_PT[0], bold=True)),
        _para(content.motto[1], _style(MOTTO_PT[1], bold=True)),
        _Rule(_width_pt(content.motto[1], MOTTO_PT[1], bold=True)),
    ]
    number = _para(content.number, _style(word.HEADER_PT, before=4))
    date = _para(content.place_and_date, _style(header.date_size, italic=True, before=4))
    return _frame([[issuer_cell, motto_cell], [number, date]], [header.left, header.right], 0)


def _frame(rows: list[list[Any]], widths: list[float], padding: float = _CELL_X) -> Table:
    """A borderless layout table (the header, the closing) between the margins."""
    table = Table(rows, colWidths=widths, hAlign="CENTER")
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), face(), word.BODY_PT),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), padding),
                ("RIGHTPADDING", (0, 0), (-1, -1), padding),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    return table


def _title_block(content: ReportContent) -> Iterator[Flowable]:
    yield _para(content.title, _style(word.BODY_PT, bold=True, before=18, keep=True))
    yield _para(content.subject, _style(word.BODY_PT, bold=True, keep=True))
    longest = max((_width_pt(line, word.BODY_PT, bold=True) for line in content.subject), default=0)
    yield _Rule(longest * 0.4)


def _recipients(recipients: Sequence[str]) -> Iterator[Flowable]:
    """ "Kính gửi:" and the addressees, one a line, aligned after the words."""
    if not recipients:
        return
    if len(recipients) == 1:
        yield _para(f"Kính gửi: {recipients[0]}.", _style(word.BODY_PT, before=12, after=6))
        return
    lead = _width_pt("Kính gửi: ", word.BODY_PT) + 6
    indent = 25 * MM
    lines = [
        f"- {name}{'.' if index == len(recipients) - 1 else ';'}"
        for index, name in enumerate(recipients)
    ]
    table = Table(
        [
            [
                _para("Kính gửi:", _style(word.BODY_PT, align=TA_LEFT, left_indent=indent)),
                _para(lines, _style(word.BODY_PT, align=TA_LEFT)),
            ]
        ],
        colWidths=[indent + lead, _room_pt(False) - indent - lead],
    )
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), face(), word.BODY_PT),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 12),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
            ]
        )
    )
    yield table


# ----------------------------------------------------------------------------- tables


def _table(table: ContentTable, fit: TableFit) -> list[Flowable]:
    """The table (or its parts, one under the other), then its footnote or a blank line.
    The header row repeats on every page; a row never breaks across pages."""
    size = fit.size
    flowables: list[Flowable] = []
    for number, (columns, widths) in enumerate(fit.parts):
        if number:
            flowables.append(Spacer(1, size * _LINE))
        inner = [w - 2 * _CELL_X - _GRID for w in widths]
        header = [
            _cell(table.headers[c], size, room, bold=True, align="CENTER")
            for c, room in zip(columns, inner, strict=True)
        ]
        body = [
            [
                _cell(values[c], size, room, align="RIGHT" if table.numeric[c] else "LEFT")
                for c, room in zip(columns, inner, strict=True)
            ]
            for values in table.rows
        ]
        drawn = Table([header, *body], colWidths=list(widths), repeatRows=1, hAlign="CENTER")
        style: list[tuple[Any, ...]] = [
            ("FONT", (0, 0), (-1, -1), face(), size, size * _LINE),
            ("FONT", (0, 0), (-1, 0), face(bold=True), size, size * _LINE),
            ("GRID", (0, 0), (-1, -1), _GRID, black),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("ALIGN", (0, 0), (-1, 0), "CENTER"),
            ("LEFTPADDING", (0, 0), (-1, -1), _CELL_X),
            ("RIGHTPADDING", (0, 0), (-1, -1), _CELL_X),
            ("TOPPADDING", (0, 0), (-1, -1), _CELL_Y),
            ("BOTTOMPADDING", (0, 0), (-1, -1), _CELL_Y + size * 0.1),
        ]
        style += [
            ("ALIGN", (k, 1), (k, -1), "RIGHT") for k, c in enumerate(columns) if table.numeric[c]
        ]
        last_keeps = bool(table.footnote) or number < len(fit.parts) - 1
        style += [
            ("NOSPLIT", (0, first), (-1, last))
            for first, last in kept_spans(len(table.rows), last_keeps=last_keeps)
        ]
        drawn.setStyle(TableStyle(style))
        flowables.append(drawn)
    if table.footnote:  # how the rate is computed, right under the table
        note = _style(word.FOOTNOTE_PT, italic=True, align=TA_LEFT, before=3, after=6)
        flowables.append(_para(table.footnote, note))
    else:
        flowables.append(Spacer(1, word.BODY_PT * _LINE))
    return flowables


_ALIGNS: dict[str, Literal[0, 1, 2, 4]] = {"LEFT": TA_LEFT, "CENTER": TA_CENTER, "RIGHT": TA_RIGHT}


def _cell(text: str, size: float, room: float, *, bold: bool = False, align: str) -> Any:
    """A cell's text: as it is where it fits on one line, else a paragraph that wraps it
    (a long name); a figure always fits, its column being at least as wide."""
    shown = _clean(text)
    if _width_pt(shown, size, bold) <= room:
        return shown
    return Para(escape(shown), _style(size, bold=bold, align=_ALIGNS[align]))


# ----------------------------------------------------------------------------- closing


class _SignatureSpace(Flowable):
    """The room between the signer's title and name, holding the empty signature field."""

    def __init__(self, height: float) -> None:
        super().__init__()
        self.height = height

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.width = available_width
        return available_width, self.height

    def draw(self) -> None:
        width, height = field_size()
        x = (self.width - width) / 2  # centred, as the title and the name are
        y = (self.height - height) / 2
        (x0, y0), (x1, y1) = (
            self.canv.absolutePosition(x, y),
            self.canv.absolutePosition(x + width, y + height),
        )
        _add_signature_field(self.canv, (round(x0, 2), round(y0, 2), round(x1, 2), round(y1, 2)))


def _add_signature_field(canvas: Canvas, rect: tuple[float, float, float, float]) -> None:
    """An unsigned signature field (a widget annotation of type /Sig) at `rect` on this page,
    listed in the document's form, printed when signed."""
    document = canvas._doc  # type: ignore[attr-defined]  # ReportLab's, not in its stubs
    widget = PDFDictionary(
        {
            "Type": PDFName("Annot"),
            "Subtype": PDFName("Widget"),
            "FT": PDFName("Sig"),
            "T": PDFString(SIGNATURE_FIELD),
            "TU": PDFString("Chữ ký số của người ký (Nghị định 30/2020/NĐ-CP, Phụ lục I)"),
            "Rect": PDFArray(list(rect)),
            "F": 4,  # printed
            "P": document.thisPageRef(),
        }
    )
    canvas._addAnnotation(widget, name=SIGNATURE_FIELD)  # type: ignore[attr-defined]  # ReportLab's, not in its stubs
    form = canvas.acroForm
    form.fields.append(form.getRef(widget))


def _closing(content: ReportContent) -> Table:
    """ "Nơi nhận:" on the left, the signer on the right, kept together on one page."""
    page = _room_pt(False)
    left: Literal[0] = TA_LEFT
    copies: list[Flowable] = [
        _para("Nơi nhận:", _style(word.COPIES_TITLE_PT, bold=True, italic=True, align=left))
    ]
    copies += [_para(f"- {line}", _style(word.COPIES_PT, align=left)) for line in content.copies_to]
    signer: list[Flowable] = []
    if content.signer_title:
        signer.append(_para(content.signer_title, _style(word.BODY_PT, bold=True)))
    signer.append(_SignatureSpace(word.SIGNATURE_SPACE_PT))
    if content.signer_name:
        signer.append(_para(content.signer_name, _style(word.BODY_PT, bold=True)))
    return _frame([[copies, signer]], [page * 0.45, page * 0.55])
