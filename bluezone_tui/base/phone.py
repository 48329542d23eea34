"""Vietnamese phone numbers: what a cell holds, and the one form a phone or an SMS tool dials.

A unit's phone is stored as the clerk typed it ("0277 3800 107", "+84 277 3800 107",
"0277.3800.107"); every output that dials it (the reminders' CSV, the reminders-sending
feature) goes through `dialable`, which gives one form for all of them: the national
number with its leading 0, digits only ("02773800107"). That form never starts with a
character a spreadsheet reads as a formula (`+`, `=`), so it goes out as it is.

Since 2018 a Vietnamese number is 0 + 9 digits (a mobile: 03, 05, 07, 08, 09) or
0 + 10 digits (a landline: 02 + the province's code, 0277 for Đồng Tháp); from abroad,
+84 and the same digits without the 0. A spreadsheet that kept a phone as a number
dropped its 0 (2773847104): that is named, never dialled as it is. A cell may hold
several numbers ("0277 3800 107; 0912 345 678") or say there is none ("không có").
"""

from __future__ import annotations

import re

from bluezone_tui.base.vn import fold

MOBILE_FIRST = "35789"  # the digit after the 0 of a mobile number (since 2018)
LANDLINE_FIRST = "2"  # 02x: every province's landline code (since 2017)
# What a clerk writes for "no phone": the cell holds no number, on purpose.
NONE_WORDS = frozenset(
    ("khong co", "khong", "chua co", "khong co so", "chua co so", "n/a", "na", "none", "-", "--",
     "–", "—", "x", "...", "…")
)  # fmt: skip
# Between two numbers in one cell: ; , / | a line break, "hoặc", "và", or a dash
# standing alone between spaces.
_SEPARATORS = re.compile(r"\s*(?:[;,/|\n]|\s(?:hoặc|hoac|và|va|or|-|–|—)\s)\s*", re.IGNORECASE)
_INSIDE = re.compile(r"[\s.\-()\u00a0\u2010-\u2015]")  # spaces, dots, dashes, brackets


class PhoneError(ValueError):
    """Not a number a phone can dial; the message says why, in Vietnamese."""


class LostZero(PhoneError):
    """A number whose leading 0 a spreadsheet dropped (2773847104): never a number as is."""


def says_none(text: str) -> bool:
    """The cell is empty or says, in words, that there is no phone."""
    words = fold(text).strip().rstrip(".").strip()
    return not words or words in NONE_WORDS


def dialable(text: str) -> str:
    """One Vietnamese number in its one dialing form: "+84 277 3800 107", "0277.3800.107"
    and "(0277) 3800 107" all give "02773800107". PhoneError says why not."""
    written = " ".join(text.split())
    compact = _INSIDE.sub("", written)
    if compact.startswith("+"):
        if not compact.startswith("+84"):
            raise PhoneError(f"«{written}» không phải số điện thoại Việt Nam (+84)")
        national = compact[3:]
    elif compact.startswith("0084"):
        national = compact[4:]
    elif compact.startswith("84") and _digits(compact) and len(compact) in (11, 12):
        national = compact[2:]  # +84 that a spreadsheet kept as a number
    elif compact.startswith("0"):
        national = compact[1:]
    elif _digits(compact) and len(compact) in (9, 10) and _shaped(compact):
        raise LostZero(
            f"số điện thoại «{written}» đã mất số 0 ở đầu (bảng tính đã lưu nó thành số): "
            f"có phải 0{compact}?"
        )
    else:
        national = None
    if national is not None and national.startswith("0") and _shaped(national[1:]):
        national = national[1:]  # "+84 (0)277 …": the 0 is not dialled after +84
    if national is None or not _shaped(national):
        raise PhoneError(
            f"«{written}» không phải số điện thoại: cần 10 số (di động, 09…) hoặc 11 số "
            f"(cố định, 02…), bắt đầu bằng 0 hoặc +84"
        )
    return "0" + national


def _shaped(national: str) -> bool:
    """The digits after the 0: 9 for a mobile, 10 for a landline."""
    if not _digits(national):
        return False
    if len(national) == 9:
        return national[0] in MOBILE_FIRST
    return len(national) == 10 and national[0] == LANDLINE_FIRST


def _digits(text: str) -> bool:
    """0–9 only: str.isdigit() also takes "²" and other scripts' digits, which no phone dials."""
    return text.isascii() and text.isdigit()


def phone_numbers(text: str) -> list[str]:
    """Every number a cell holds, each in its dialing form, in the order written: [] for an
    empty cell or one that says there is none ("không có"). PhoneError names the part that
    is not a number."""
    if says_none(text):
        return []
    try:
        return [dialable(text)]
    except PhoneError as exc:
        whole = exc  # kept: the name is unbound when the except block ends
    # empty parts (a separator at the end, two in a row: "+84912345113;") say nothing
    parts = [part for part in _SEPARATORS.split(text.strip()) if part.strip()]
    if not parts or (len(parts) == 1 and parts[0].strip() == text.strip()):
        raise whole
    numbers, failed = [], []
    for part in parts:
        try:
            numbers.append(dialable(part))
        except PhoneError as exc:
            failed.append(exc)
    if not numbers:  # not a list of numbers: say what the cell is, not what a piece is
        raise whole
    if failed:
        raise type(failed[0])(f"{failed[0]}; nhiều số thì cách nhau bằng dấu «;»") from None
    return list(dict.fromkeys(numbers))


def phone_problem(text: str) -> str:
    """Why the cell is not a list of numbers (Vietnamese), or "" when it is one."""
    try:
        phone_numbers(text)
    except PhoneError as exc:
        return str(exc)
    return ""
