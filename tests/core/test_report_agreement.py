"""The text report and the Word report say the same things: both lay out one content."""

from __future__ import annotations

import io
from datetime import date

import pytest
from docx import Document
from docx.oxml.ns import qn

from bluezone_tui.day.loader import load_day
from bluezone_tui.day.store import Store
from bluezone_tui.registry.load import load_registry
from bluezone_tui.reports.content import (
    Heading,
    ItemList,
    Paragraph,
    ReportContent,
    Table,
    build_content,
)
from bluezone_tui.reports.docx import BODY_STYLE, render_docx
from bluezone_tui.reports.text import render_text
from helpers.data import at

SCENARIOS = {
    "the letter's day, at the deadline": (date(2020, 8, 20), at(date(2020, 8, 20), 16, 30)),
    "before 15:00, units not due yet": (date(2020, 8, 26), at(date(2020, 8, 26), 14, 50)),
    "after 15:00, late and missing": (date(2020, 8, 24), at(date(2020, 8, 24), 15, 30)),
    "a past day, seen the morning after": (date(2020, 8, 23), at(date(2020, 8, 24), 8, 0)),
    "a day without any report": (date(2020, 9, 1), at(date(2020, 9, 1), 16, 0)),
}


def sentences(content: ReportContent) -> list[str]:
    """Every sentence and list line of the content, in order."""
    found = []
    for section in content.sections:
        for block in section.blocks:
            if isinstance(block, Paragraph):
                found.append(block.text)
            elif isinstance(block, ItemList):
                found += [block.title, *(f"- {item}" for item in block.items)]
    return found


def words(text: str) -> str:
    return " ".join(text.split())


def paragraph_text(paragraph) -> str:
    """A Word paragraph's text as read: a line break is a space, and so is a no-break space
    (which holds a phone number on one line)."""
    parts = [
        (node.text or "") if node.tag == qn("w:t") else " "
        for node in paragraph.iter(qn("w:t"), qn("w:br"))
    ]
    return "".join(parts).replace("\xa0", " ")


@pytest.fixture(params=sorted(SCENARIOS))
def case(request, demo_data) -> tuple[ReportContent, str, Document]:
    day, now = SCENARIOS[request.param]
    (demo_data / "submissions" / "2020-08-24" / "xa-thuong-lac.toml").write_text("[figures\n")
    store = Store(demo_data, load_registry(demo_data))
    consolidation = load_day(store, day, now)
    registry = store.registry
    return (
        build_content(consolidation, registry),
        render_text(consolidation, registry),
        Document(io.BytesIO(render_docx(consolidation, registry))),
    )


def test_the_word_report_has_exactly_the_contents_sentences(case):
    content, _, document = case
    body = [p.text for p in document.paragraphs if p.style.style_id == BODY_STYLE[1]]
    assert body == sentences(content)


def test_the_text_report_has_the_contents_sentences_in_order(case):
    content, text, _ = case
    flowing = words(text)
    position = 0
    for sentence in sentences(content):
        found = flowing.find(words(sentence), position)
        assert found >= 0, sentence
        position = found + len(words(sentence))


def test_both_have_the_same_headings_tables_and_frame(case):
    content, text, document = case
    docx_text = "\n".join(paragraph_text(p) for p in document.element.body.iter(qn("w:p")))
    lines = text.splitlines()
    frame = [
        content.authority,
        content.issuer,
        content.number,
        content.place_and_date,
        *content.subject,
        *content.copies_to,
        *content.signer_title,
    ]
    for line in frame:
        assert line in docx_text and line in text, line
    cursor = 0  # the text's lines are read in order: each table row after the one before
    for section in content.sections:
        assert section.title in lines and section.title in docx_text.splitlines()
        for block in section.blocks:
            if isinstance(block, Heading):
                assert block.text in lines and block.text in docx_text.splitlines()
            elif isinstance(block, Table):
                for row in (block.headers, *block.rows):
                    cursor = next(
                        i for i in range(cursor, len(lines)) if all(c in lines[i] for c in row)
                    )
                    assert all(cell in docx_text for cell in row), row
                if block.footnote:
                    assert words(block.footnote) in words(text) and block.footnote in docx_text


def test_the_district_figures_of_the_letter_in_both(demo_store):
    consolidation = load_day(demo_store, date(2020, 8, 20), at(date(2020, 8, 20), 16, 30))
    text = words(render_text(consolidation, demo_store.registry))
    document = Document(io.BytesIO(render_docx(consolidation, demo_store.registry)))
    docx_text = words(" ".join(p.text for p in document.paragraphs))
    sentence = (
        "toàn huyện có 6.090 người cài đặt ứng dụng Bluezone trên tổng số 120.514 người, "
        "đạt tỷ lệ 5,05%"
    )
    assert sentence in text and sentence in docx_text
