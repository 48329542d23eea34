"""The two small shared helpers: times of day as clerks type them, and terminal-safe text."""

from datetime import date, time
from zoneinfo import ZoneInfo

import pytest

from bluezone_tui.base.clock import parse_reported_at, parse_time_of_day
from bluezone_tui.base.safe_text import control_chars, printable


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("15:45", time(15, 45)),
        ("15.45", time(15, 45)),
        ("14,30", time(14, 30)),
        ("15h45", time(15, 45)),
        ("15g45", time(15, 45)),
        ("9:45", time(9, 45)),
        ("9h45", time(9, 45)),
        ("9h", time(9)),
        (" 09:05 ", time(9, 5)),
        ("15:45:30", time(15, 45, 30)),
        ("00:00", time(0)),
        ("23:59", time(23, 59)),
    ],
)
def test_time_of_day_is_read_whole(typed: str, expected: time) -> None:
    assert parse_time_of_day(typed) == expected


@pytest.mark.parametrize(
    "typed",
    [
        "",
        "15",
        "1545",
        "15:",
        "15:4",
        "15:456",
        "24:00",
        "15:60",
        "15.45.30",
        "15h45:10",
        "15:45:61",
        "a15:45",
        "15:45x",
        "15 45",
        "-1:00",
    ],
)
def test_time_of_day_never_truncated(typed: str) -> None:
    with pytest.raises(ValueError):
        parse_time_of_day(typed)


def test_printable_escapes_what_a_terminal_would_obey() -> None:
    raw = "ghi\x1b]0;pwned\x07 chú\u202e321\nx\x9b"
    shown = printable(raw)
    assert "\x1b" not in shown and "\x07" not in shown and "\u202e" not in shown
    assert "\n" not in shown and "\x9b" not in shown
    assert shown == "ghi\\x1b]0;pwned\\x07 chú\\u202e321\\x0ax\\x9b"


def test_printable_leaves_vietnamese_alone() -> None:
    text = "Xã Long Khánh B — 6.090 người, 5,05%"
    assert printable(text) is text


def test_control_chars_names_each_once() -> None:
    assert control_chars("a\x1bb\x1b\u202e") == [
        "ký tự điều khiển U+001B",
        "ký tự đảo chiều U+202E",
    ]
    assert control_chars("a\u200bb\u2028c\td\ufeff") == [  # Vietnamese words, no English name
        "ký tự vô hình U+200B",
        "ký tự xuống dòng U+2028",
        "ký tự Tab U+0009",
        "ký tự vô hình U+FEFF",
    ]
    assert control_chars("Ấp Long Bình") == []


@pytest.mark.parametrize(
    "typed",
    [
        "٣:٣٠",  # Arabic-Indic: was saved as 03:30
        "１４:３０",  # fullwidth, from an input method: was read as 14:30
        "14:３0",
        "۱۴:۳۰",  # Extended Arabic-Indic
        "१४:३०",  # Devanagari
        "14:30+０7:00",
        "２０２０-08-20 14:30",
        "2020-08-20 １4:30",
    ],
)
def test_a_time_in_digits_other_than_0_to_9_is_refused_by_name(typed: str) -> None:
    """Figures refuse digits of other scripts; the report time read them as 0-9."""
    with pytest.raises(ValueError, match="chữ số 0–9"):
        parse_reported_at(typed, date(2020, 8, 20), ZoneInfo("Asia/Ho_Chi_Minh"))
    if ":" in typed and "-" not in typed and "+" not in typed:
        with pytest.raises(ValueError, match="chữ số 0–9"):
            parse_time_of_day(typed)


def test_noncharacters_are_shown_escaped_and_refused_on_entry():
    """U+FFFE and U+FFFF (and their kin) in a hand-edited note went into the CSV as they
    were, and into a workbook as "_xFFFE_", which a reader gets back as six letters."""
    from bluezone_tui.base.safe_text import control_chars, printable

    assert printable("a\ufffeb\uffff\ufdd0\U0001fffe") == "a\\ufffeb\\uffff\\ufdd0\\U0001fffe"
    assert control_chars("x\ufffe") == ["ký tự vô hình U+FFFE"]
    assert (
        printable("Xã Long Khánh A \U0001f600 \ufdcf\ufdf0")
        == "Xã Long Khánh A \U0001f600 \ufdcf\ufdf0"
    )
