"""A right-to-left name in a table row of the text report (and so of the workbook's
"Báo cáo" sheet) is isolated, so the bidi rules cannot reorder the row around it; every
other cell is left as it is, byte for byte."""

from __future__ import annotations

from bluezone_tui.reports.content import Section, Table
from bluezone_tui.reports.text import _section, isolated

FSI, PDI = "\u2068", "\u2069"


def test_only_cells_with_right_to_left_letters_are_isolated():
    for ordinary in ("Xã Long Khánh A", "Trường THPT Hồng Ngự 2", "13,81%", "", "0277 3800 105"):
        assert isolated(ordinary) == ordinary
    assert isolated("Xã שלום 2") == f"{FSI}Xã שלום 2{PDI}"
    assert isolated("مدرسة") == f"{FSI}مدرسة{PDI}"


def test_a_hebrew_name_in_a_table_row_is_isolated_and_the_columns_still_line_up():
    table = Table(
        headers=("STT", "Đơn vị", "Tỷ lệ"),
        rows=(("1", "Xã Long Khánh A", "5,82%"), ("2", "Trường שלום 12", "13,81%")),
        numeric=(True, False, True),
    )
    lines = "\n".join(_section(Section("II. KẾT QUẢ", (table,)))).splitlines()
    ordinary = next(line for line in lines if "Long Khánh A" in line)
    hebrew = next(line for line in lines if "שלום" in line)
    assert f"{FSI}Trường שלום 12{PDI}" in hebrew
    assert FSI not in ordinary
    # the isolates take no column: the rates (right-aligned) end in the same column
    visible = hebrew.replace(FSI, "").replace(PDI, "")
    assert len(visible) == len(ordinary) and visible.endswith("13,81%")


def test_the_quick_search_finds_every_right_to_left_character_in_unicode():
    """isolated() looks up each letter's class only where a search found one of the
    blocks right-to-left letters live in: no such letter lies outside them."""
    import sys
    import unicodedata

    from bluezone_tui.reports.text import _RIGHT_TO_LEFT, _RIGHT_TO_LEFT_BLOCKS

    outside = [
        hex(point)
        for point in range(sys.maxunicode + 1)
        if unicodedata.bidirectional(chr(point)) in _RIGHT_TO_LEFT
        and not _RIGHT_TO_LEFT_BLOCKS.match(chr(point))
    ]
    assert outside == []
