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
from helpers.data import DEMO_DAY, at

SIGNER = "Nguyễn Văn An"


def consolidated(store: Store, day: date = DEMO_DAY):
    return load_day(store, day, at(day, 16, 30))


def read(data: bytes):
    return Document(io.BytesIO(data))


def lines(cell) -> list[str]:
    return [p.text for p in cell.paragraphs if p.text]


def all_text(document) -> str:
    """Every paragraph and cell of the body, one per line."""
    body = document.element.body
    return "\n".join("".join(t.text or "" for t in p.iter(qn("w:t"))) for p in body.iter(qn("w:p")))


def with_signer(data: Path) -> Path:
    registry = data / "units.yaml"
    text = registry.read_text(encoding="utf-8")
    registry.write_text(re.sub(r'signer_name: ".*"', f'signer_name: "{SIGNER}"', text), "utf-8")
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
    assert lines(issuer) == ["ỦY BAN NHÂN DÂN HUYỆN HỒNG NGỰ", "PHÒNG VĂN HÓA VÀ THÔNG TIN"]
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
