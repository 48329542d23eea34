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


def test_the_whole_report_keeps_its_isolates_and_escapes_what_the_data_hid(demo_data):
    """Through render_text, as `export --format text` and the workbook's "Báo cáo" sheet
    show it: the isolates around a Hebrew name are the report's own and stay (escaping
    them, as once, showed "\\u2068" and pushed the row's figures 12 columns right); a
    reordering character the registry itself holds is shown as an escape."""
    from datetime import date, datetime
    from zoneinfo import ZoneInfo

    from bluezone_tui.day.loader import load_day
    from bluezone_tui.day.store import Store
    from bluezone_tui.registry.load import load_registry
    from bluezone_tui.reports.text import render_text

    units = demo_data / "units.yaml"
    text = units.read_text("utf-8")
    text = text.replace("name: Thanh tra huyện", 'name: "שלום עולם"')
    units.write_text(text, "utf-8")
    note = demo_data / "submissions" / "2020-08-20" / "phong-y-te.toml"
    note.write_text('note = "xong \\u202e\\u2068x"\n' + note.read_text("utf-8"), "utf-8")
    registry = load_registry(demo_data)
    now = datetime(2020, 8, 20, 16, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
    report = render_text(load_day(Store(demo_data, registry), date(2020, 8, 20), now), registry)
    hebrew = next(line for line in report.splitlines() if "שלום" in line and FSI in line)
    assert f"{FSI}שלום עולם{PDI}" in hebrew and "\\u2068" not in hebrew
    assert "xong \\u202e\\u2068x" in report and "\u202e" not in report
    ordinary = next(line for line in report.splitlines() if "Phòng Nội vụ" in line and "%" in line)
    shown = hebrew.replace(FSI, "").replace(PDI, "")
    assert len(shown) == len(ordinary)  # the figures stand in their columns
