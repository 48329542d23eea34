"""What the commands print on a terminal narrower than their tables: fitted to its width,
never a figure or a word broken (a terminal folds a longer line wherever its edge falls:
main's `status` showed "0277 3" on one line and "847 105" on the next)."""

from __future__ import annotations

import re
from datetime import date

import pytest

from bluezone_tui.base.spreadsheet import read_table
from bluezone_tui.day import remind
from bluezone_tui.day.loader import load_day, load_status
from bluezone_tui.registry.units_import import plan_import
from bluezone_tui.reports.status import render_status
from bluezone_tui.reports.terminal_text import table
from bluezone_tui.reports.units import render_plan, render_units
from helpers.data import at

DAY26 = date(2020, 8, 26)
WIDTHS = (40, 50, 60, 72, 80, 100)
PHONE = re.compile(r"\b0\d{3} \d{4} \d{3}\b")
FIGURE = re.compile(r"[+-]?\d[\d.,:]*%?")


def assert_whole(text: str, width: int, wide: str) -> None:
    """Every line within `width`; every phone number, figure and word of the wide output in
    the fitted one, whole (as a token of some line)."""
    lines = text.splitlines()
    # wider only where a single word is (a file's path): it is left whole, not cut
    too_wide = [
        ln for ln in lines if len(ln) > width and not any(len(w) > width for w in ln.split())
    ]
    assert not too_wide
    tokens = {token.rstrip(":") for line in lines for token in line.split()}
    joined = "\n".join(lines)
    for phone in PHONE.findall(wide):
        assert any(phone in line for line in lines), phone
    for word in wide.split():
        if not set(word) <= set("-"):  # a table's rule is redrawn at the column's width
            assert word.rstrip(":") in tokens, word
    assert len(FIGURE.findall(joined)) >= len(FIGURE.findall(wide))


def test_a_plain_table_keeps_its_figures_and_words_whole_at_every_width():
    headers = ["Tình trạng", "Mã", "Đơn vị", "Đã cài", "Ghi chú"]
    rows = [
        ["· chưa đến hạn", "xa-thuong-lac", "Xã Thường Lạc*", "1.033", "0277 3800 105"],
        ["✓ đúng hạn", "xa-long-khanh-a", "Xã Long Khánh A", "+1.315", "gửi qua Zalo lúc 11:16"],
    ]
    align = ("left", "left", "left", "right", "left")
    wide = table(headers, rows, align)
    assert table(headers, rows, align, width=200) == wide  # a wide terminal: as in a pipe
    for width in range(24, 90):
        assert_whole(table(headers, rows, align, width), width, wide)


@pytest.mark.parametrize("width", WIDTHS)
def test_status_fits_the_terminal(demo_store, width):
    consolidation = load_day(demo_store, DAY26, at(DAY26, 14, 50))
    wide = render_status(consolidation, demo_store.registry)
    assert max(map(len, wide.splitlines())) > 100  # wider than any of these terminals
    fitted = render_status(consolidation, demo_store.registry, width)
    assert_whole(fitted, width, wide)
    assert "0277 3800 105" in fitted  # main, at 40 columns: "0277 3" / "847 105"


@pytest.mark.parametrize("width", WIDTHS)
def test_units_list_fits_the_terminal(demo_store, width):
    registry = demo_store.registry
    wide = render_units(registry, registry.groups)
    assert_whole(render_units(registry, registry.groups, width), width, wide)


@pytest.mark.parametrize("width", WIDTHS)
def test_the_import_preview_fits_the_terminal(demo_store, tmp_path, width):
    sheet = tmp_path / "xa.csv"
    sheet.write_text(
        "Tên đơn vị,Dân số,Khóm, ấp,Người liên hệ,Điện thoại\n"
        'Xã Tân Hộ Cơ,12500,"Ấp 1; Ấp 2; Ấp Phú Thọ",Văn phòng UBND xã,0277 3830 001\n'
        'Xã Long Khánh B,8800,"Ấp Long Thái; Ấp Long Thạnh",,0277 3800 107\n',
        encoding="utf-8",
    )
    plan = plan_import(read_table(sheet), "commune", demo_store.registry, update=True)
    wide = render_plan(plan, str(sheet), "units.yaml")
    assert max(map(len, wide.splitlines())) > 100
    assert_whole(render_plan(plan, str(sheet), "units.yaml", width), width, wide)


@pytest.mark.parametrize("width", WIDTHS)
def test_reminders_fit_the_terminal(demo_store, width):
    now = at(DAY26, 14, 10)
    status = load_status(demo_store, DAY26, now)
    found = remind.reminders(status, demo_store.registry, now)
    wide = remind.render_text(found, demo_store.registry, DAY26, now)
    fitted = remind.render_text(found, demo_store.registry, DAY26, now, width)
    # each ready-made SMS is one line, whole at every width: the terminal folds it on
    # screen, and a copy of it carries no line breaks; the rest fits the width
    messages = {reminder.message for reminder in found}
    assert messages and all(f"\n{message}\n" in fitted for message in messages)
    assert_whole(
        "\n".join(line for line in fitted.splitlines() if line not in messages),
        width,
        "\n".join(line for line in wide.splitlines() if line not in messages),
    )
