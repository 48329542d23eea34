"""The Word report, read back with python-docx: the Decree 30 layout and the same content."""

from __future__ import annotations

import io
import re
import shutil
from datetime import date
from pathlib import Path

import pytest
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from bluezone_tui.day.loader import load_day
from bluezone_tui.day.store import Store
from bluezone_tui.registry.load import load_registry
from bluezone_tui.reports.content import ItemList, Paragraph, Table, build_content
from bluezone_tui.reports.docx import render_docx
from bluezone_tui.reports.layout import KEEP_LEAD, KEEP_TAIL, KEEP_WHOLE, em_width
from helpers.data import DEMO_DAY, at, with_many_communes

SIGNER = "Nguyễn Văn An"


def consolidated(store: Store, day: date = DEMO_DAY):
    return load_day(store, day, at(day, 16, 30))


def read(data: bytes):
    return Document(io.BytesIO(data))


def lines(cell) -> list[str]:
    return [p.text for p in cell.paragraphs if p.text]


def all_text(document) -> str:
    """Every paragraph and cell of the body, one per line; a line break and a no-break space
    (which holds a phone number on one line) read as spaces."""
    body = document.element.body
    return "\n".join(
        "".join(
            (n.text or "") if n.tag == qn("w:t") else " " for n in p.iter(qn("w:t"), qn("w:br"))
        )
        for p in body.iter(qn("w:p"))
    ).replace("\xa0", " ")


def with_signer(data: Path) -> Path:
    registry = data / "units.yaml"
    text = registry.read_text(encoding="utf-8")
    registry.write_text(re.sub(r"signer_name: .*", f'signer_name: "{SIGNER}"', text), "utf-8")
    return data


def widened(data: Path, extra_fields: int) -> Path:
    """The department form with `extra_fields` more figures, each filled in on the 20th."""
    registry = data / "units.yaml"
    text = registry.read_text(encoding="utf-8")
    anchor = '      - {id: relatives_installed, label: "Số người thân đã cài đặt", short: "Người thân", type: int, cumulative: true}\n    rules:\n      - {left: staff_with_smartphone'
    assert anchor in text
    extra = "".join(
        f'      - {{id: extra_{k}, label: "Chỉ tiêu {k}", short: "Chỉ tiêu thêm {k}", type: int}}\n'
        for k in range(1, extra_fields + 1)
    )
    registry.write_text(
        text.replace(anchor, anchor.replace("    rules:\n", extra + "    rules:\n", 1))
    )
    for path in (data / "submissions" / DEMO_DAY.isoformat()).glob("phong-*.toml"):
        figures = "".join(f"extra_{k} = {1000 * k + 7}\n" for k in range(1, extra_fields + 1))
        path.write_text(path.read_text(encoding="utf-8") + figures, encoding="utf-8")
    return data


def docx_of(data: Path, day: date = DEMO_DAY) -> bytes:
    store = Store(data, load_registry(data))
    return render_docx(consolidated(store, day), store.registry)


@pytest.fixture
def demo_docx(demo_data) -> bytes:
    return docx_of(with_signer(demo_data))


def test_a4_portrait_with_decree_30_margins(demo_docx):
    section = read(demo_docx).sections[0]
    assert section.orientation == WD_ORIENT.PORTRAIT
    assert abs(section.page_width - Mm(210)) < Mm(0.5)
    assert abs(section.page_height - Mm(297)) < Mm(0.5)
    twip = Mm(0.02)  # Word stores margins in twips: 15 mm is 850 twips, 14,99 mm
    assert Mm(20) - twip <= section.top_margin <= Mm(25) + twip
    assert Mm(20) - twip <= section.bottom_margin <= Mm(25) + twip
    assert Mm(30) - twip <= section.left_margin <= Mm(35) + twip
    assert Mm(15) - twip <= section.right_margin <= Mm(20) + twip


def test_times_new_roman_and_body_size(demo_docx):
    document = read(demo_docx)
    normal = document.styles["Normal"]
    assert normal.font.name == "Times New Roman"
    assert Pt(13) <= normal.font.size <= Pt(14)
    defaults = document.styles.element.find(qn("w:docDefaults"))
    fonts = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr")).find(qn("w:rFonts"))
    assert {fonts.get(qn(f"w:{slot}")) for slot in ("ascii", "hAnsi", "eastAsia", "cs")} == {
        "Times New Roman"
    }
    # no other font anywhere, and every sentence of the body at 13-14 pt
    for element in document.element.iter(qn("w:rFonts")):
        assert set(element.values()) <= {"Times New Roman"}
    sentences = [p for p in document.paragraphs if "6.090" in p.text]
    assert sentences
    for paragraph in sentences:
        size = paragraph.style.font.size or normal.font.size
        assert Pt(13) <= size <= Pt(14)
        assert paragraph.alignment in (WD_ALIGN_PARAGRAPH.JUSTIFY, None)


def test_page_numbers_from_page_two_centred_at_the_top(demo_docx):
    section = read(demo_docx).sections[0]
    assert section.different_first_page_header_footer
    assert all(not p.text for p in section.first_page_header.paragraphs)
    header = section.header.paragraphs[0]
    assert header.alignment == WD_ALIGN_PARAGRAPH.CENTER
    instructions = [t.text.strip() for t in header._p.iter(qn("w:instrText"))]
    assert instructions == ["PAGE"]


def test_header_table_issuer_and_motto(demo_docx):
    document = read(demo_docx)
    table = document.tables[0]
    borders = table._tbl.tblPr.find(qn("w:tblBorders"))
    assert {edge.get(qn("w:val")) for edge in borders} == {"nil"}
    issuer, motto = table.rows[0].cells
    number, place = table.rows[1].cells
    # the body above the issuer on two balanced lines, as Decree 30's models set it
    assert lines(issuer) == ["ỦY BAN NHÂN DÂN\nHUYỆN HỒNG NGỰ", "PHÒNG VĂN HÓA VÀ THÔNG TIN"]
    body_above, issuer_name = (p for p in issuer.paragraphs if p.text)
    assert not any(run.bold for run in body_above.runs)
    assert all(run.bold for run in issuer_name.runs)
    assert lines(motto) == ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]
    assert all(run.bold for p in motto.paragraphs for run in p.runs)
    # a short rule under the issuer and under the motto: an empty line with a top border
    for cell in (issuer, motto):
        rule = cell.paragraphs[-1]
        assert rule.text == ""
        assert rule._p.pPr.find(qn("w:pBdr")).find(qn("w:top")).get(qn("w:val")) == "single"
    assert lines(number) == ["Số:      /BC-VHTT"]
    assert lines(place) == ["Hồng Ngự, ngày 20 tháng 8 năm 2020"]
    assert all(run.italic for p in place.paragraphs for run in p.runs)


def test_a_long_issuer_is_broken_into_balanced_lines(demo_data):
    registry = demo_data / "units.yaml"
    text = registry.read_text(encoding="utf-8")
    long_name = "ỦY BAN NHÂN DÂN THÀNH PHỐ HỒNG NGỰ TỈNH ĐỒNG THÁP"
    registry.write_text(text.replace("ỦY BAN NHÂN DÂN HUYỆN HỒNG NGỰ", long_name), "utf-8")
    document = read(docx_of(demo_data))
    authority = document.tables[0].rows[0].cells[0].paragraphs[0]
    assert authority.text.split("\n") == ["ỦY BAN NHÂN DÂN THÀNH PHỐ", "HỒNG NGỰ TỈNH ĐỒNG THÁP"]
    assert all(run.font.size == Pt(12) for run in authority.runs)  # 13 pt did not fit


def test_title_subject_and_addressees(demo_docx):
    document = read(demo_docx)
    texts = [p.text for p in document.paragraphs]
    title = document.paragraphs[texts.index("BÁO CÁO")]
    assert title.alignment == WD_ALIGN_PARAGRAPH.CENTER and all(r.bold for r in title.runs)
    subject = document.paragraphs[texts.index("BÁO CÁO") + 1]
    assert subject.text.split("\n") == [
        "Kết quả cài đặt, sử dụng ứng dụng Bluezone",
        "trên địa bàn huyện Hồng Ngự, tỉnh Đồng Tháp",
        "(ngày 20 tháng 8 năm 2020)",
    ]
    assert all(r.bold for r in subject.runs)
    addressed = next(p.text for p in document.paragraphs if p.text.startswith("Kính gửi:"))
    assert addressed.split("\n") == [
        "Kính gửi:\t- Ủy ban nhân dân huyện Hồng Ngự;",
        "- Sở Thông tin và Truyền thông tỉnh Đồng Tháp.",
    ]
    headings = [p for p in document.paragraphs if re.match(r"(I|II|III)\. ", p.text)]
    assert [p.text.split(".")[0] for p in headings] == ["I", "II", "III"]
    assert all(p.style.font.bold for p in headings)


def test_the_district_figures(demo_docx):
    text = all_text(read(demo_docx))
    assert (
        "toàn huyện có 6.090 người cài đặt ứng dụng Bluezone trên tổng số 120.514 người, "
        "đạt tỷ lệ 5,05%" in text
    )


def test_figures_tables_are_real_tables(demo_docx, demo_store):
    document = read(demo_docx)
    communes = next(t for t in document.tables if t.rows[0].cells[1].text == "Đơn vị")
    header = [c.text for c in communes.rows[0].cells]
    assert header == ["STT", "Đơn vị", "Dân số", "Đã cài", "Tỷ lệ", "Tăng/giảm", "Hạng", "Báo cáo"]
    first = [c.text for c in communes.rows[1].cells]
    assert first[:5] == ["1", "Thị trấn Thường Thới Tiền", "14.947", "775", "5,18%"]
    assert first[7] == "09:26 đúng hạn"
    # the installs of the ten communes add up to the district's 6.090
    installs = [int(row.cells[3].text.replace(".", "")) for row in communes.rows[1:]]
    assert sum(installs) == 6090 and len(installs) == 10
    # header row repeats on every page; no row breaks across a page
    assert communes.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    assert all(row._tr.trPr.find(qn("w:cantSplit")) is not None for row in communes.rows)
    # figures right-aligned, names left
    for row in communes.rows[1:]:
        cells = row.cells
        assert all(cells[i].paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.RIGHT for i in (2, 3, 4))
        assert cells[1].paragraphs[0].alignment is None


def test_every_table_fits_between_the_margins(demo_docx):
    document = read(demo_docx)
    section = document.sections[0]
    room = section.page_width - section.left_margin - section.right_margin
    figures = [t for t in document.tables if t.style is not None and t.style.name == "Table Grid"]
    assert len(figures) == 5  # four groups and the late/missing units
    for table in figures:
        assert sum(column.width for column in table.columns) <= room
        assert table._tbl.tblPr.find(qn("w:tblLayout")).get(qn("w:type")) == "fixed"


def test_recipients_and_signature_block(demo_docx):
    document = read(demo_docx)
    closing = document.tables[-1]
    copies, signer = closing.rows[0].cells
    title, *copy_lines = (p for p in copies.paragraphs if p.text)
    assert title.text == "Nơi nhận:"
    assert all(run.bold and run.italic for run in title.runs)
    assert [p.text for p in copy_lines] == ["- Như trên;", "- Lưu: VT."]
    assert all(run.font.size == Pt(11) for p in copy_lines for run in p.runs)
    signed = [p for p in signer.paragraphs if p.text]
    assert [p.text for p in signed] == ["TRƯỞNG PHÒNG", SIGNER]
    assert all(run.bold for p in signed for run in p.runs)
    assert signed[-1].paragraph_format.space_before >= Pt(60)  # room to sign
    assert closing.rows[0]._tr.trPr.find(qn("w:cantSplit")) is not None


def test_the_docx_says_what_the_content_says(demo_data):
    """Every sentence, list line and table cell of the report's content is in the document."""
    data = with_signer(demo_data)
    store = Store(data, load_registry(data))
    consolidation = consolidated(store)
    content = build_content(consolidation, store.registry)
    text = all_text(read(render_docx(consolidation, store.registry)))
    expected = [content.number, content.place_and_date, content.authority, content.issuer]
    expected += [*content.subject, *content.copies_to, *content.signer_title]
    for section in content.sections:
        expected.append(section.title)
        for block in section.blocks:
            if isinstance(block, Paragraph):
                expected.append(block.text)
            elif isinstance(block, ItemList):
                expected += [block.title, *(f"- {item}" for item in block.items)]
            elif isinstance(block, Table):
                expected += [cell for row in (block.headers, *block.rows) for cell in row if cell]
                expected += [block.footnote] if block.footnote else []
            else:
                expected.append(block.text)
    missing = [line for line in expected if line not in text]
    assert not missing


def test_a_wide_table_goes_landscape_and_page_numbers_carry_on(demo_data):
    document = read(docx_of(widened(demo_data, 8)))
    sections = document.sections
    assert [s.orientation for s in sections] == [
        WD_ORIENT.PORTRAIT,
        WD_ORIENT.LANDSCAPE,
        WD_ORIENT.PORTRAIT,
    ]
    landscape = sections[1]
    assert abs(landscape.page_width - Mm(297)) < Mm(0.5)
    assert not landscape.different_first_page_header_footer  # its first page is numbered
    assert all(s.header.is_linked_to_previous for s in sections[1:])
    room = landscape.page_width - landscape.left_margin - landscape.right_margin
    departments = next(
        t for t in document.tables if "Chỉ tiêu thêm 8" in [c.text for c in t.rows[0].cells]
    )
    assert sum(column.width for column in departments.columns) <= room
    assert len(departments.rows[0].cells) == 2 + 4 + 8 + 2
    assert "8.007" in [c.text for c in departments.rows[2].cells]


def test_a_table_too_wide_even_for_landscape_is_split_never_cut(demo_data):
    document = read(docx_of(widened(demo_data, 30)))
    parts = [t for t in document.tables if t.rows[0].cells[0].text == "STT" and len(t.rows) == 15]
    assert len(parts) >= 2
    seen = []
    for part in parts:
        header = [c.text for c in part.rows[0].cells]
        assert header[:2] == ["STT", "Đơn vị"]  # each part names the units again
        seen += header[2:]
        section_room = Mm(297) - Mm(30) - Mm(15)
        assert sum(column.width for column in part.columns) <= section_room
        assert [c.text for c in part.rows[2].cells][:2] == ["2", "Phòng Nội vụ"]
    wanted = [f"Chỉ tiêu thêm {k}" for k in range(1, 31)]
    assert [h for h in seen if h.startswith("Chỉ tiêu thêm")] == wanted  # each once, in order
    figures = [c.text for part in parts for c in part.rows[2].cells]
    assert all(f"{1000 * k + 7:,}".replace(",", ".") in figures for k in range(1, 31))


def test_text_from_files_is_shown_safely(demo_data):
    """A file name holding control characters ends up in the report's list of bad files:
    the document is still written, with the characters shown as escapes."""
    day = demo_data / "submissions" / DEMO_DAY.isoformat()
    (day / "l\x1b[31mạ\ufffe.toml").write_text("[figures]\n", encoding="utf-8")
    text = all_text(read(docx_of(demo_data)))
    assert "l\\x1b[31mạ" in text
    assert "\x1b" not in text


def test_a_day_without_reports_still_makes_a_document(empty_data):
    document = read(docx_of(empty_data, date(2020, 8, 20)))
    text = all_text(document)
    assert "toàn huyện có 0 người cài đặt" in text
    assert "Nơi nhận:" in text


def test_pdf_from_libreoffice_prints_on_a4(demo_docx, tmp_path):
    """Where LibreOffice is installed (not in CI), the document converts to an A4 PDF
    that carries the figures."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice is not installed")
    import subprocess

    source = tmp_path / "bao-cao.docx"
    source.write_bytes(demo_docx)
    profile = (tmp_path / "lo-profile").as_uri()  # its own profile: never locks another's
    result = subprocess.run(
        [soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
         "--outdir", str(tmp_path), str(source)],
        capture_output=True,
        timeout=180,
    )  # fmt: skip
    pdf = tmp_path / "bao-cao.pdf"
    assert result.returncode == 0 and pdf.exists(), result.stderr.decode(errors="replace")
    raw = pdf.read_bytes()
    assert raw.startswith(b"%PDF")
    boxes = set(re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", raw))
    assert boxes and all(abs(float(w) - 595.3) < 1 and abs(float(h) - 841.9) < 1 for w, h in boxes)
    pdftotext = shutil.which("pdftotext")
    if pdftotext:
        text = subprocess.run([pdftotext, str(pdf), "-"], capture_output=True, timeout=60)
        words = " ".join(text.stdout.decode("utf-8").split())
        assert "6.090" in words and "120.514" in words and "5,05%" in words


# ----------------------------------------------------------------------------- measured
# Positions and widths read from the document (twips: 1/20 pt; 1 mm = 56.69 twips).
TWIPS_PER_MM = 1440 / 25.4
# "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in Times New Roman Bold 12 pt, as LibreOffice 7.4 set
# it (Liberation Serif Bold, metric-compatible): 250.1 pt.
MOTTO_WIDTH_PT = 250.1


def attr(element, tag: str, name: str = "w") -> int:
    return int(element.find(qn(tag)).get(qn(f"w:{name}")))


def grid_twips(table) -> list[int]:
    return [int(g.get(qn("w:w"))) for g in table._tbl.tblGrid.iter(qn("w:gridCol"))]


def text_width_twips(section) -> int:
    return round((section.page_width - section.left_margin - section.right_margin) / 635)


def test_the_header_table_lies_between_the_margins_and_the_motto_ends_15_to_20_mm_in(
    demo_docx,
):
    """Decree 30: left margin 30 mm; the motto ends 15–20 mm from the page's right edge."""
    document = read(demo_docx)
    section = document.sections[0]
    settings = document.settings.element
    modes = [
        c.get(qn("w:val"))
        for c in settings.iter(qn("w:compatSetting"))
        if c.get(qn("w:name")) == "compatibilityMode"
    ]
    assert modes == ["14"]  # Word 2010's layout: a table's edge sits a cell margin left of
    table = document.tables[0]  # its indent
    properties = table._tbl.tblPr
    indent = attr(properties, "w:tblInd")
    margin = attr(properties.find(qn("w:tblCellMar")), "w:left")
    assert indent - margin == 0  # its left edge is the left margin (30 mm), not 8 mm into it
    grid = grid_twips(table)
    room = text_width_twips(section)  # 9,354 twips
    assert room - 5 <= sum(grid) <= room  # no wider than the text, and reaching its right
    assert attr(properties, "w:tblW") == sum(grid)
    for row in table.rows:
        assert [attr(c._tc.tcPr, "w:tcW") for c in row.cells] == grid
    right_margin_mm = section.right_margin / 36000
    motto_column_pt = grid[1] / 20 - 2 * margin / 20
    motto_end_mm = (
        right_margin_mm
        + margin / TWIPS_PER_MM
        + ((motto_column_pt - MOTTO_WIDTH_PT) / 2 * 25.4 / 72)
    )
    assert 15 <= motto_end_mm <= 20, motto_end_mm
    # the issuer's column holds its names: each line narrower than the column
    issuer_cell = table.rows[0].cells[0]
    for paragraph in issuer_cell.paragraphs:
        size = paragraph.runs[0].font.size.pt if paragraph.runs else 12
        for line in paragraph.text.split("\n"):
            bold = bool(paragraph.runs and paragraph.runs[0].bold)
            assert em_width(line, bold) * size / 1000 <= (grid[0] - 2 * margin) / 20, line


def test_the_closing_table_lies_between_the_margins_too(demo_docx):
    document = read(demo_docx)
    closing = document.tables[-1]
    properties = closing._tbl.tblPr
    margin = attr(properties.find(qn("w:tblCellMar")), "w:left")
    assert attr(properties, "w:tblInd") - margin == 0
    assert sum(grid_twips(closing)) <= text_width_twips(document.sections[0])


def figure_tables(document):
    return [t for t in document.tables if t.style is not None and t.style.name == "Table Grid"]


def table_size(table) -> float:
    """The type size of a figure table: its paragraphs' style ("Bảng 10")."""
    return table.rows[0].cells[0].paragraphs[0].style.font.size.pt


def wrapped(text: str, width_pt: float, size: float, bold: bool) -> int:
    """How many lines `text` takes in `width_pt`, broken at spaces (Times New Roman)."""
    lines, line = 0, ""
    for word in text.split():
        candidate = f"{line} {word}" if line else word
        if line and em_width(candidate, bold, 1.0) * size / 1000 > width_pt:
            lines, line = lines + 1, word
        else:
            line = candidate
    return lines + 1


def inner_widths(table) -> list[float]:
    margin = attr(table._tbl.tblPr.find(qn("w:tblCellMar")), "w:left")
    return [(w - 2 * margin) / 20 for w in grid_twips(table)]


def test_columns_are_sized_by_their_words_no_heading_over_two_lines(demo_docx):
    """Main wrapped "CB, GV đã cài" in 555 twips onto 4 lines while "Đơn vị" had room: every
    heading now takes at most two lines, and a figure or a phone number one."""
    document = read(demo_docx)
    tables = figure_tables(document)
    assert len(tables) == 5
    for table in tables:
        size = table_size(table)
        widths = inner_widths(table)
        headers = [c.text for c in table.rows[0].cells]
        for header, width in zip(headers, widths, strict=True):
            assert wrapped(header, width, size, True) <= 2, (header, width)
        for row in table.rows[1:]:
            for cell, width in zip(row.cells, widths, strict=True):
                text = cell.text.replace("\xa0", " ")
                if any(ch.isdigit() for ch in text) and " " not in cell.text:
                    assert em_width(text, False, 1.0) * size / 1000 <= width, text
    schools = next(t for t in tables if "CB, GV đã cài" in [c.text for c in t.rows[0].cells])
    column = [c.text for c in schools.rows[0].cells].index("CB, GV đã cài")
    assert grid_twips(schools)[column] > 555


def test_a_phone_number_is_held_on_one_line(demo_data):
    data = demo_data
    document = read(docx_of(data, date(2020, 8, 24)))
    phones = [
        c
        for t in figure_tables(document)
        for row in t.rows[1:]
        for c in row.cells
        if c.text.replace("\xa0", " ").startswith("0277 ")
    ]
    assert phones and all(" " not in c.text and "\xa0" in c.text for c in phones)


def row_keeps(row) -> bool:
    """Whether every paragraph of a table row keeps with the next (w:keepNext)."""
    paragraphs = [p for c in row.cells for p in c.paragraphs]
    kept = [
        p._p.pPr is not None and p._p.pPr.find(qn("w:keepNext")) is not None for p in paragraphs
    ]
    assert all(kept) or not any(kept)  # a row keeps whole or not at all
    return all(kept)


def heading_before(table) -> object:
    previous = table._tbl.getprevious()
    while previous is not None and previous.tag != qn("w:p"):
        previous = previous.getprevious()
    return previous


def test_a_heading_stays_with_its_table_and_a_short_table_is_never_split(demo_docx):
    """Main let a table start at a page's foot with its heading, its header row and one
    row: every row of a short table keeps with the next, and the heading with the table."""
    document = read(demo_docx)
    styles = document.styles
    tables = figure_tables(document)
    for table in tables:
        heading = heading_before(table)
        style_id = heading.pPr.find(qn("w:pStyle")).get(qn("w:val"))
        style = next(s for s in styles if s.style_id == style_id)
        assert style.paragraph_format.keep_with_next
        rows = table.rows
        assert len(rows) - 1 <= KEEP_WHOLE
        assert all(row_keeps(row) for row in rows[:-1])
        assert all(r._tr.trPr.find(qn("w:cantSplit")) is not None for r in rows)
        follower = table._tbl.getnext()  # the footnote (how the rate is counted) or a blank
        footnote = "".join(t.text for t in follower.iter(qn("w:t")))
        last = table._tbl is tables[-1]._tbl  # section III: its rows go with the signature
        assert row_keeps(rows[-1]) == (bool(footnote) or last)


def test_a_long_table_starts_and_ends_with_rows_kept_together(demo_data):
    """A commune table of 310 rows may break between pages, but never right after its
    header row or before its last rows."""
    document = read(docx_of(with_many_communes(demo_data, 300)))
    tables = figure_tables(document)
    communes = max(tables, key=lambda t: len(t.rows))
    tail = tables[[t._tbl for t in tables].index(communes._tbl) + 1]  # its last rows
    rows = [*communes.rows, *tail.rows]
    assert len(tail.rows) == KEEP_TAIL
    count = len(rows) - 1
    assert count == 310
    kept = [row_keeps(row) for row in rows]
    assert kept[:KEEP_LEAD] == [True] * KEEP_LEAD  # the header row and the first rows
    assert not any(kept[KEEP_LEAD : count - KEEP_TAIL + 1])  # the middle may break anywhere
    assert all(kept[count - KEEP_TAIL + 1 :])  # the last rows, and the last with its footnote


def test_check_asks_for_the_signers_name_until_it_is_set(demo_data, cli):
    """Decree 30 types the signer's name under the signature: an empty one is a warning."""
    registry = demo_data / "units.yaml"
    text = registry.read_text(encoding="utf-8")
    registry.write_text(re.sub(r"signer_name: .*", 'signer_name: ""', text), "utf-8")
    code, out, err = cli("--data", demo_data, "check")
    assert code == 1 and "0 lỗi, 1 cảnh báo" in err
    assert re.search(r"units.yaml:\d+:3: cảnh báo: «report.signer_name» \(họ tên người ký\)", out)
    document = read(docx_of(demo_data))
    assert [p.text for p in document.tables[-1].rows[0].cells[1].paragraphs if p.text] == [
        "TRƯỞNG PHÒNG"
    ]
    with_signer(demo_data)
    code, out, err = cli("--data", demo_data, "check")
    assert (code, out) == (0, "") and "không có lỗi" in err
