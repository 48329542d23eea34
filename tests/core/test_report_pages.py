"""The Word report as LibreOffice prints it (where installed; not in CI): the demo days, a
day with late and missing units and a large district's day converted to PDF, and every
page read back word by word, with its position. What python-docx measures in
test_report_docx.py, seen here on the page."""

from __future__ import annotations

import dataclasses
from datetime import date
from pathlib import Path

import pytest

from bluezone_tui.day.loader import load_day
from bluezone_tui.day.store import Store
from bluezone_tui.registry.load import load_registry
from bluezone_tui.reports import content as report_content
from bluezone_tui.reports import docx as report_docx
from bluezone_tui.reports.content import Heading, Paragraph, ReportContent, Table, build_content
from bluezone_tui.reports.layout import KEEP_WHOLE
from helpers.data import DEMO_DAYS, at, with_many_communes
from helpers.libreoffice import MM, Page, convert, needs_libreoffice, pages

pytestmark = needs_libreoffice

DAYS = [(day, at(day, 16, 30)) for day in DEMO_DAYS] + [
    (date(2020, 8, 24), at(date(2020, 8, 24), 15, 30)),  # late and missing units
    (date(2020, 8, 26), at(date(2020, 8, 26), 14, 50)),  # before the deadline
]


def rendered(data: Path, cases, folder: Path) -> list[tuple[ReportContent, list[Page]]]:
    store = Store(data, load_registry(data))
    contents, sources = [], []
    for index, (day, now) in enumerate(cases):
        consolidation = load_day(store, day, now)
        contents.append(build_content(consolidation, store.registry))
        source = folder / f"bao-cao-{index}.docx"
        source.write_bytes(report_docx.render_docx(consolidation, store.registry))
        sources.append(source)
    return [
        (c, pages(pdf)) for c, pdf in zip(contents, convert(sources, "pdf", folder), strict=True)
    ]


def headings(content: ReportContent) -> set[str]:
    found = {section.title for section in content.sections}
    return found | {b.text for s in content.sections for b in s.blocks if isinstance(b, Heading)}


def body_lines(page: Page) -> list[str]:
    """The page's lines under its number (a number alone at the top, from page 2)."""
    lines = page.lines()
    return lines[1:] if lines and lines[0].isdigit() else lines


def assert_laid_out(content: ReportContent, document: list[Page]) -> None:
    first = document[0]
    for page in document:
        assert abs(page.width - 595.3) < 1 and abs(page.height - 841.9) < 1  # A4 portrait
        for word in page.words:  # nothing in the side margins (30 mm, 15 mm)
            assert 30 * MM - 1 <= word.x0 and word.x1 <= page.width - 15 * MM + 1, word
        lines = body_lines(page)
        assert lines and lines[-1] not in headings(content), lines[-1]  # never at a page's foot
    motto = [w for w in first.words if w.y1 == next(w.y1 for w in first.words if w.text == "CỘNG")]
    end = max(w.x1 for w in motto if w.x0 > first.width / 2)
    assert 15 * MM <= first.width - end <= 20 * MM
    assert min(w.x0 for w in first.words) >= 30 * MM - 0.5
    text = "\n".join(page.text for page in document)
    for section in content.sections:
        for block in section.blocks:
            if isinstance(block, Table) and block.headers[-1] == "Điện thoại":
                for row in block.rows:  # a phone number on one line, whole
                    assert row[-1] in text, row[-1]
    # a short table is on one page with its heading: its last row's number (STT, the first
    # column) under the heading, on the heading's page
    for section in content.sections:
        heading = section.title
        for block in section.blocks:
            if isinstance(block, Heading):
                heading = block.text
            elif isinstance(block, Table) and block.rows and len(block.rows) <= KEEP_WHOLE:
                assert any(numbered_under(page, heading, block.rows[-1][0]) for page in document), (
                    heading
                )


def numbered_under(page: Page, heading: str, number: str) -> bool:
    """Whether `page` holds `heading` and, below it, `number` in a table's first column."""
    lines = body_lines(page)
    if heading not in lines:
        return False
    first_word = heading.split()[0]
    top = max(w.y1 for w in page.words if w.text == first_word)
    return any(w.text == number and w.y0 > top and w.x0 < 30 * MM + 30 for w in page.words)


def test_the_demo_days_and_a_day_with_late_and_missing_units_on_paper(demo_data, tmp_path):
    for content, document in rendered(demo_data, DAYS, tmp_path):
        assert_laid_out(content, document)


def test_a_large_districts_day_on_paper(demo_data, tmp_path):
    data = with_many_communes(demo_data, 300)
    ((content, document),) = rendered(data, [DAYS[0]], tmp_path)
    assert len(document) > 8
    assert_laid_out(content, document)


@pytest.mark.parametrize("section_heading", ["3. Phòng, ban, ngành huyện", "4. Huyện đoàn"])
def test_a_short_table_moves_whole_with_its_heading_wherever_the_page_breaks(
    demo_data, tmp_path, monkeypatch, section_heading
):
    """Text put before a heading, a sentence at a time over a whole page: on main the table
    started at a page's foot with its heading and a row or two, the rest on the next page."""
    store = Store(demo_data, load_registry(demo_data))
    day, now = DAYS[0]
    consolidation = load_day(store, day, now)
    real = report_content.build_content
    filler = Paragraph("Đoạn văn thêm vào để đẩy bảng xuống cuối trang, một dòng rưỡi. " * 2)
    sources = []
    for count in range(0, 24):

        def padded(c, r, count=count):  # type: ignore[no-untyped-def]
            made = real(c, r)
            results = made.sections[1]
            blocks = list(results.blocks)
            at_heading = next(
                i
                for i, b in enumerate(blocks)
                if isinstance(b, Heading) and b.text == section_heading
            )
            blocks[at_heading:at_heading] = [filler] * count
            changed = dataclasses.replace(results, blocks=tuple(blocks))
            return dataclasses.replace(made, sections=(made.sections[0], changed, made.sections[2]))

        monkeypatch.setattr(report_docx, "build_content", padded)
        source = tmp_path / f"dem-{count:02d}.docx"
        source.write_bytes(report_docx.render_docx(consolidation, store.registry))
        sources.append(source)
    content = real(consolidation, store.registry)
    table = next(
        b
        for b in content.sections[1].blocks[
            [getattr(b, "text", "") for b in content.sections[1].blocks].index(section_heading) :
        ]
        if isinstance(b, Table)
    )
    last = table.rows[-1][0]
    breaks = 0
    for pdf in convert(sources, "pdf", tmp_path):
        document = pages(pdf)
        assert any(numbered_under(page, section_heading, last) for page in document), pdf.name
        breaks += len(document)
    assert breaks > 24 * 2  # the filler did push the table across pages
