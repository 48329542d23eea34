"""The PDF report, read back by libraries other than the one that wrote it (pdfminer.six for
text and positions, pypdf for the file's structure): Decree 30's page, the same content as
the Word and text reports, fonts embedded, the signature field between title and name, the
metadata, and the same bytes for the same data."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
from pdfminer.high_level import extract_pages, extract_text
from pdfminer.layout import LTTextLine
from pypdf import PdfReader

from bluezone_tui.base.vn import fmt_int
from bluezone_tui.day.loader import load_day
from bluezone_tui.day.store import Store
from bluezone_tui.registry.load import load_registry
from bluezone_tui.reports.content import ItemList, Paragraph, Table, build_content, content_digest
from bluezone_tui.reports.pdf import (
    META_CONTENT,
    META_COUNTED_AT,
    META_DAY,
    META_REVISION,
    SIGNATURE_FIELD,
    FieldBox,
    field_size,
    render_pdf,
)
from helpers.data import DEMO_DAY, at

SIGNER = "Nguyễn Văn An"
A4 = (595.28, 841.89)
MM = 72 / 25.4


def with_signer(data: Path, title: str = "TRƯỞNG PHÒNG") -> Path:
    registry = data / "units.yaml"
    text = registry.read_text(encoding="utf-8")
    text = re.sub(r"signer_name: .*", f'signer_name: "{SIGNER}"', text)
    text = re.sub(r"signer_title: .*", f"signer_title: {title}", text)
    registry.write_text(text, "utf-8")
    return data


def pdf_of(data: Path, day: date = DEMO_DAY, hour: int = 16, revision: str = "abc123") -> bytes:
    store = Store(data, load_registry(data))
    return render_pdf(load_day(store, day, at(day, hour, 30)), store.registry, revision)


def flat(text: str) -> str:
    """Text with every run of white space one space (lines wrap where the layout wants)."""
    return " ".join(text.replace("\u00a0", " ").split())


@pytest.fixture
def demo_pdf(demo_data) -> bytes:
    return pdf_of(with_signer(demo_data))


def test_every_page_is_a4(demo_pdf):
    reader = PdfReader(io.BytesIO(demo_pdf))
    assert len(reader.pages) >= 2
    for page in reader.pages:
        box = page.mediabox
        assert (float(box.width), float(box.height)) == pytest.approx(A4, abs=0.5)
    assert reader.pdf_header >= "%PDF-1.4"  # Decree 30: PDF 1.4 or later


def test_every_font_is_embedded_with_a_unicode_map(demo_pdf):
    reader = PdfReader(io.BytesIO(demo_pdf))
    seen = set()
    for page in reader.pages:
        fonts = page["/Resources"]["/Font"]
        for ref in fonts.values():
            font = ref.get_object()
            seen.add(str(font["/BaseFont"]))
            assert "/ToUnicode" in font, font["/BaseFont"]
            descriptor = font["/FontDescriptor"].get_object()
            assert "/FontFile2" in descriptor, font["/BaseFont"]
    names = {name.split("+", 1)[1] for name in seen}
    assert names == {
        "LiberationSerif",
        "LiberationSerif-Bold",
        "LiberationSerif-Italic",
        "LiberationSerif-BoldItalic",
    }


def test_the_text_can_be_searched_in_vietnamese(demo_pdf):
    text = flat(extract_text(io.BytesIO(demo_pdf)))
    for words in (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "PHÒNG VĂN HÓA VÀ THÔNG TIN",
        "Hồng Ngự, ngày 20 tháng 8 năm 2020",
        "toàn huyện có 6.090 người cài đặt ứng dụng Bluezone trên tổng số 120.514 người, "
        "đạt tỷ lệ 5,05%",
        "Thị trấn Thường Thới Tiền",
        "Kính gửi:",
        "Nơi nhận:",
        SIGNER,
    ):
        assert words in text, words


def test_the_pdf_says_what_the_content_says(demo_data):
    """Every sentence, list line and table cell of the content is in the PDF's text, in
    order: the PDF, the Word file and the text report are one content laid out."""
    with_signer(demo_data)
    store = Store(demo_data, load_registry(demo_data))
    consolidation = load_day(store, DEMO_DAY, at(DEMO_DAY, 16, 30))
    content = build_content(consolidation, store.registry)
    text = flat(extract_text(io.BytesIO(render_pdf(consolidation, store.registry))))
    position = 0
    for section in content.sections:
        position = text.index(flat(section.title), position)
        for block in section.blocks:
            pieces: list[str] = []
            if isinstance(block, Paragraph):
                pieces = [block.text]
            elif isinstance(block, ItemList):
                pieces = [block.title, *(f"- {item}" for item in block.items)]
            elif isinstance(block, Table):
                pieces = [cell for row in block.rows for cell in row if cell]
            for piece in pieces:
                found = text.find(flat(piece), position)
                assert found >= 0, piece
                if not isinstance(block, Table):  # a table's cells may wrap: only present
                    position = found


def test_metadata_names_the_day_the_data_and_the_content(demo_data):
    with_signer(demo_data)
    store = Store(demo_data, load_registry(demo_data))
    consolidation = load_day(store, DEMO_DAY, at(DEMO_DAY, 16, 30))
    data = render_pdf(consolidation, store.registry, "0123abcd")
    info = PdfReader(io.BytesIO(data)).metadata
    assert info[META_DAY] == "2020-08-20"
    assert info[META_COUNTED_AT] == "2020-08-20T16:30:00+07:00"
    assert info[META_REVISION] == "0123abcd"
    assert info[META_CONTENT] == content_digest(build_content(consolidation, store.registry))
    assert info["/CreationDate"] == "D:20200820163000+07'00'"  # the moment counted, not now
    assert info["/Title"].startswith("BÁO CÁO Kết quả cài đặt")


def test_same_data_same_bytes_and_other_data_other_bytes(demo_data):
    first = pdf_of(demo_data)
    assert pdf_of(demo_data) == first
    assert pdf_of(demo_data, revision="other") != first
    later = pdf_of(demo_data, hour=17)
    assert later != first
    # the document ID is fixed by the content, not random
    ids = {tuple(PdfReader(io.BytesIO(d)).trailer["/ID"]) for d in (first, pdf_of(demo_data))}
    assert len(ids) == 1
    figures = demo_data / "submissions" / "2020-08-20" / "xa-thuong-lac.toml"
    figures.write_text(
        figures.read_text(encoding="utf-8").replace("575", "576", 1), encoding="utf-8"
    )
    changed = pdf_of(demo_data)
    assert changed != first
    assert (
        PdfReader(io.BytesIO(changed)).metadata[META_CONTENT]
        != PdfReader(io.BytesIO(first)).metadata[META_CONTENT]
    )


def _lines(data: bytes, page_number: int) -> list[LTTextLine]:
    page = list(extract_pages(io.BytesIO(data)))[page_number]
    found = []
    stack = list(page)
    while stack:
        item = stack.pop()
        if isinstance(item, LTTextLine):
            found.append(item)
        elif hasattr(item, "__iter__"):
            stack.extend(item)
    return found


@pytest.mark.parametrize("title", ["TRƯỞNG PHÒNG", "[KT. TRƯỞNG PHÒNG, PHÓ TRƯỞNG PHÒNG]"])
def test_the_signature_field_lies_between_the_signers_title_and_name(demo_data, title):
    data = pdf_of(with_signer(demo_data, title))
    reader = PdfReader(io.BytesIO(data))
    fields = reader.get_fields()
    assert fields is not None and list(fields) == [SIGNATURE_FIELD]
    assert fields[SIGNATURE_FIELD]["/FT"] == "/Sig"
    assert "/V" not in fields[SIGNATURE_FIELD]  # empty: not signed yet
    (page_number,) = [
        i
        for i, page in enumerate(reader.pages)
        for annot in page.get("/Annots") or []
        if annot.get_object().get("/T") == SIGNATURE_FIELD
    ]
    widget = next(
        a.get_object()
        for a in reader.pages[page_number]["/Annots"]
        if a.get_object().get("/T") == SIGNATURE_FIELD
    )
    x0, y0, x1, y1 = (float(v) for v in widget["/Rect"])
    width, height = field_size()
    assert (x1 - x0, y1 - y0) == pytest.approx((width, height), abs=0.1)
    assert 20 * MM <= y1 - y0 <= 35 * MM  # room for the signature image and the seal
    lines = _lines(data, page_number)
    last_title = title.strip("[]").split(", ")[-1]
    (title_line,) = [line for line in lines if flat(line.get_text()) == last_title]
    (name_line,) = [line for line in lines if flat(line.get_text()) == SIGNER]
    # below the title, above the name, overlapping neither
    assert y1 <= title_line.y0 + 1
    assert y0 >= name_line.y1 - 1
    # the field, and the signature image in it, centred under the title and the name
    # (a stamp drawn across the field too); the seal reaches out to the image's left
    title_centre = (title_line.x0 + title_line.x1) / 2
    assert (x0 + x1) / 2 == pytest.approx(title_centre, abs=1)
    assert (x0 + x1) / 2 == pytest.approx((name_line.x0 + name_line.x1) / 2, abs=1)
    signature_x, _, signature_width, _ = FieldBox(x0, y0, x1 - x0, y1 - y0).signature
    assert x0 + signature_x + signature_width / 2 == pytest.approx(title_centre, abs=1)
    assert x0 < title_line.x0 + 5
    assert x1 <= A4[0] - 15 * MM  # within the right margin


def test_a_wide_table_goes_landscape_and_page_numbers_carry_on(demo_data):
    registry = demo_data / "units.yaml"
    text = registry.read_text(encoding="utf-8")
    anchor = "    rules:\n      - {left: staff_with_smartphone"
    extra = "".join(
        f'      - {{id: extra_{k}, label: "Chỉ tiêu {k}", short: "Chỉ tiêu thêm {k}", type: int}}\n'
        for k in range(1, 9)
    )
    registry.write_text(text.replace(anchor, extra + anchor, 1), encoding="utf-8")
    for path in (demo_data / "submissions" / "2020-08-20").glob("phong-*.toml"):
        figures = "".join(f"extra_{k} = {1000 * k + 7}\n" for k in range(1, 9))
        path.write_text(path.read_text(encoding="utf-8") + figures, encoding="utf-8")
    data = pdf_of(demo_data)
    reader = PdfReader(io.BytesIO(data))
    sizes = [
        (round(float(p.mediabox.width)), round(float(p.mediabox.height))) for p in reader.pages
    ]
    assert (842, 595) in sizes  # a landscape page
    assert sizes[0] == (595, 842) and sizes[-1] == (595, 842)  # and back for the signature
    text = flat(extract_text(io.BytesIO(data)))
    for k in range(1, 9):
        assert fmt_int(1000 * k + 7) in text


def test_text_from_files_is_shown_safely(demo_data):
    """A file name holding control characters, and markup, end up in the report's list of
    bad files: shown as escapes and as written, never read as the layout's markup."""
    day = demo_data / "submissions" / DEMO_DAY.isoformat()
    (day / "l\x1b[31mạ<b>&amp;\ufffe.toml").write_text("[figures]\n", encoding="utf-8")
    shown = flat(extract_text(io.BytesIO(pdf_of(demo_data))))
    assert "l\\x1b[31mạ<b>&amp;" in shown
    assert "\x1b" not in shown


def test_a_day_without_reports_still_makes_a_pdf(empty_data):
    data = pdf_of(empty_data)
    assert PdfReader(io.BytesIO(data)).get_fields()
    text = flat(extract_text(io.BytesIO(data)))
    assert "toàn huyện có 0 người cài đặt" in text and "Nơi nhận:" in text


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="pdftoppm (poppler-utils) not here")
def test_poppler_renders_every_page(demo_pdf, tmp_path):
    """Another reader, poppler, draws every page without complaint (the PNGs were looked at
    when this test was written: docs/bao-cao-2020-08-20-pdf-trang-1.png)."""
    source = tmp_path / "r.pdf"
    source.write_bytes(demo_pdf)
    done = subprocess.run(
        ["pdftoppm", "-png", "-r", "30", str(source), str(tmp_path / "p")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0 and not done.stderr, done.stderr
    assert len(list(tmp_path.glob("p-*.png"))) == len(PdfReader(source).pages)


def test_the_header_and_the_columns_follow_the_word_reports_layout(demo_pdf):
    """The PDF takes the Word report's layout decisions (layout.py) with its own face's
    widths: the header between the margins, the motto ending 15–20 mm from the page's
    right edge; no heading over two lines while a name column has room."""
    mm = 72 / 25.4
    lines = _lines(demo_pdf, 0)
    motto = next(line for line in lines if flat(line.get_text()).startswith("CỘNG HÒA"))
    authority = next(line for line in lines if flat(line.get_text()).startswith("ỦY BAN"))
    assert 15 * mm <= 595.28 - motto.x1 <= 20 * mm
    assert authority.x0 >= 30 * mm
    # the school table's headings take two lines at most: main's Word report set
    # "CB, GV đã cài" as "CB," / "GV" / "đã" / "cài"
    texts = [flat(line.get_text()) for line in _lines(demo_pdf, 1)]
    assert "đã cài" in texts and "đã" not in texts
