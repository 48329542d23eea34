"""The board's column layout and text fitting, as pure functions: no number is ever cut."""

from __future__ import annotations

import pytest
from rich.cells import cell_len

from bluezone_tui.day.state import State
from bluezone_tui.tui.widgets.fit import NO_BREAK, clamp_lines, fit, fit_middle, keep_groups, wrap
from bluezone_tui.tui.widgets.status_table import (
    EXTRA_MIN,
    NAME_MIN,
    NUMBER_TITLES,
    STATUS_WIDTH,
    ColumnNeeds,
    column_layout,
    heading_text,
)

# the shipped demo day: widest name 20 cells, "1.341", "100,00%", "+147"
SHIPPED = ColumnNeeds(name=20, numbers=(5, 5, 7, 4))


def total(layout) -> int:  # type: ignore[no-untyped-def]
    numbers = sum(w + 1 for w in layout.numbers if w is not None)
    return STATUS_WIDTH + 1 + layout.name + 1 + numbers + layout.extra


def test_status_words_are_never_cut():
    assert all(cell_len(f"{s.symbol} {s.label}") <= STATUS_WIDTH for s in State)
    assert STATUS_WIDTH >= cell_len("- chưa có số liệu")


@pytest.mark.parametrize("width", range(30, 241))
def test_every_width_keeps_each_shown_number_whole_and_fits(width):
    needs = ColumnNeeds(name=24, numbers=(5, 9, 8, 6))  # 10,000 units: "1.234.567"
    layout = column_layout(width, needs)
    for title, need, shown in zip(NUMBER_TITLES, needs.numbers, layout.numbers, strict=True):
        assert shown is None or shown >= max(need, cell_len(title))
    assert layout.numbers[1] is not None  # the figure itself is never left out
    if layout.name >= NAME_MIN or layout.extra:
        assert total(layout) <= width
    assert layout.extra == 0 or layout.extra >= EXTRA_MIN


def test_60_columns_drops_the_contact_and_then_a_whole_number_column_not_a_digit():
    layout = column_layout(59, SHIPPED)  # 60 less the scrollbar
    assert layout.extra == 0
    assert layout.name >= NAME_MIN
    shown = [w for w in layout.numbers if w is not None]
    assert all(w >= n for w, n in zip(layout.numbers, SHIPPED.numbers, strict=True) if w)
    assert len(shown) >= 3


def test_80_columns_keeps_every_number_and_the_whole_name():
    layout = column_layout(79, SHIPPED)
    assert None not in layout.numbers
    assert layout.name == SHIPPED.name
    assert layout.extra >= 13  # a phone number, "0277 3800 105", fits whole
    assert total(layout) == 79


def test_wide_terminal_gives_the_room_to_the_column_that_is_cut():
    layout = column_layout(119, SHIPPED)
    assert layout.name == SHIPPED.name  # not 60 blank cells after the name
    assert layout.extra == 119 - (total(layout) - layout.extra)
    assert layout.extra > 40


def test_heading_cuts_the_group_name_never_the_count_or_the_deadline():
    name = "Phòng, ban, ngành huyện và các đơn vị sự nghiệp"
    text = heading_text(name, "hạn 15:00", "125 đơn vị", 50)
    assert cell_len(text) == 50 and "…" in text
    assert text.rstrip().endswith("(hạn 15:00) — 125 đơn vị")
    # too narrow for the name and the deadline: both go whole, the count stays
    assert heading_text(name, "hạn 15:00", "125 đơn vị", 20) == "── 125 đơn vị       "
    assert heading_text("Xã", "hạn 15:00", "3 đơn vị", 40).startswith("── Xã (hạn 15:00) — 3")


def test_fit_cuts_only_with_an_ellipsis():
    assert fit("Liên hệ / ghi chú", 14) == "Liên hệ / ghi…"
    assert fit("ngắn", 6) == "ngắn  "
    assert fit("x", 0) == ""


def test_fit_middle_keeps_the_end_that_tells_names_apart():
    one, two = fit_middle("Xã Thường Phước 1", 12), fit_middle("Xã Thường Phước 2", 12)
    assert one != two and "…" in one and one.endswith("1") and cell_len(one) == 12
    assert fit_middle("Xã Long Khánh A", 20) == "Xã Long Khánh A     "


def test_wrap_never_splits_a_phone_number():
    phone = NO_BREAK.join(["0277", "3800", "107"])
    text = f"Xã Long Khánh B: chưa báo cáo — liên hệ Nguyễn Văn An {phone}"
    for width in range(20, 70):
        lines = wrap(text, width)
        assert any(phone in line for line in lines)
        assert all(cell_len(line) <= width for line in lines)


def test_clamp_lines_marks_what_it_leaves_out():
    text = "một hai ba bốn năm sáu bảy tám chín mười " * 4
    clamped = clamp_lines(text, 20, 2).split("\n")
    assert len(clamped) == 2 and clamped[-1].endswith("…")
    assert all(cell_len(line) <= 20 for line in clamped)
    assert clamp_lines("ngắn", 20, 2) == "ngắn"


def test_keep_groups_breaks_only_after_a_separator():
    line = "Báo cáo 4/13 (30,77%) · đúng hạn 3 · trễ 1 · thiếu 8 · chờ 0 · lỗi tệp 1"
    for width in range(16, 80):
        lines = clamp_lines(keep_groups(line), width, 10).split("\n")
        assert " ".join(lines) == line  # nothing lost, no word or number split
        if width >= cell_len("Báo cáo 4/13 (30,77%) ·"):
            for wrapped in lines[1:]:  # every group fits a line: breaks only after "·"
                assert wrapped.split(" ")[0] in {"đúng", "trễ", "thiếu", "chờ", "lỗi"}, lines
