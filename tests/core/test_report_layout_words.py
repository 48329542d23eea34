"""Layout decisions for bad words: one very long word in a unit's name is broken inside
rather than turning its table to a landscape page; a list line (units' notes) is
left-aligned, never justified across the page."""

from __future__ import annotations

from bluezone_tui.reports import docx, pdf
from bluezone_tui.reports.content import ItemList, Table
from bluezone_tui.reports.layout import LONG_WORD_EM, column_needs, fit_tables, width_pt

LONG = "Trường" + "A" * 60  # a name typed without spaces, or a pasted identifier


def _table(name: str, phone: str = "0277 3800 105") -> Table:
    rows = [(str(i), f"Xã Thử {i}", "trễ 7 phút (báo lúc 15:07)", phone) for i in range(1, 5)]
    rows.append(("5", name, "chưa báo cáo", phone))
    return Table(
        headers=("STT", "Đơn vị", "Tình trạng", "Điện thoại"),
        rows=tuple(rows),
        numeric=(True, False, False, False),
        unbroken=(False, False, False, True),
    )


def test_one_long_word_in_a_name_keeps_the_table_portrait():
    ordinary = fit_tables([_table("Trường THPT Long Khánh A")], docx.PAGE)
    table = _table(LONG)
    fit = fit_tables([table], docx.PAGE)[id(table)]
    assert not fit.landscape
    assert fit.size == next(iter(ordinary.values())).size  # nor smaller type
    ((_, widths),) = fit.parts
    assert widths[1] < width_pt(LONG, fit.size)  # the word is broken at the cell's edge
    assert sum(widths) <= docx.PAGE.portrait + 0.01
    pdf_fit = fit_tables([table], pdf.PAGE_ROOM)[id(table)]
    assert not pdf_fit.landscape


def test_the_cap_is_for_words_of_text_never_a_figure_or_a_phone():
    needs = column_needs(_table(LONG, phone="0" * 40))
    assert needs.least[1] == LONG_WORD_EM  # the name column: the long word capped
    assert needs.least[3] > LONG_WORD_EM  # a phone (held whole) keeps its width
    assert needs.unwrapped[1] > LONG_WORD_EM  # one line if there were room for it


def test_ordinary_words_are_not_capped():
    needs = column_needs(_table("Trường THPT Long Khánh A"))
    assert needs.least[1] < LONG_WORD_EM


def test_list_lines_are_left_aligned_in_word_and_pdf():
    notes = ItemList("Ghi chú của đơn vị:", ("Xã A: " + "x" * 50 + " đã đôn đốc",))
    xml = docx._block_xml(notes, keep_with_next=False)
    title, line = xml.split("</w:p>")[:2]
    assert '<w:jc w:val="left"/>' in line
    assert "<w:jc" not in title  # the title is a body line (justified by its style)
    flowables = pdf._block(notes)
    assert flowables[1].style.alignment == pdf.TA_LEFT


def test_a_name_given_its_line_gets_its_text_and_both_cell_margins():
    """The tester saw "Trường THPT Long Khánh A" (about 2,400 twips at 10 pt) in a
    2,435-twip column, which wrapped "A" alone: a column that holds its names on one line
    is as wide as the text and both cell margins (Word 85 twips each; the PDF its own)."""
    name = "Trường THPT Long Khánh A"
    for page, margins in ((docx.PAGE, 2 * docx.CELL_MARGIN.pt), (pdf.PAGE_ROOM, 2 * pdf._CELL_X)):
        table = _table(name)
        fit = fit_tables([table], page)[id(table)]
        ((_, widths),) = fit.parts
        assert widths[1] >= width_pt(name, fit.size, safety=1.0) + margins
