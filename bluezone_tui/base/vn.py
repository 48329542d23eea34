"""Vietnamese formats: the one place that knows how numbers and dates are written.

Prose and screens use "6.090", "5,05%", "ngày 20 tháng 8 năm 2020";
machine files (CSV) use plain numbers and ISO dates and never call this module.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime, time
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

_TWO_PLACES = Decimal("0.01")


def nfc(text: str) -> str:
    """Text as stored: NFC-normalised, so "Khánh" typed on any keyboard compares equal."""
    return unicodedata.normalize("NFC", text)


def round_rate(value: Decimal) -> Decimal:
    """Rates are rounded half-up to two places, as the letter writes 5,05%."""
    return value.quantize(_TWO_PLACES, rounding=ROUND_HALF_UP)


def percent(numerator: int, denominator: int) -> Decimal | None:
    """numerator / denominator in percent, two places; None when there is no denominator."""
    if not denominator:
        return None
    return round_rate(Decimal(numerator) * 100 / Decimal(denominator))


def fmt_int(value: int | None) -> str:
    """6090 -> "6.090"; -1234 -> "-1.234"; None -> "–"."""
    if value is None:
        return "–"
    return f"{value:,}".replace(",", ".")


_QUANTA = {places: Decimal(1).scaleb(-places) for places in range(7)}
_SWAP_SEPARATORS = str.maketrans({",": ".", ".": ","})  # English 1,234.5 -> 1.234,5


def fmt_decimal(value: Decimal | float | None, places: int = 2) -> str:
    """5.05 -> "5,05" (Vietnamese decimal comma, "." between thousands)."""
    if value is None:
        return "–"
    quantum = _QUANTA.get(places)
    if quantum is None:
        quantum = Decimal(1).scaleb(-places)
    number = value if isinstance(value, Decimal) else Decimal(str(value))
    rounded = number.quantize(quantum, rounding=ROUND_HALF_UP)
    return f"{rounded:,.{places}f}".translate(_SWAP_SEPARATORS)


def fmt_percent(value: Decimal | float | None, places: int = 2) -> str:
    """5.05 -> "5,05%"."""
    if value is None:
        return "–"
    return fmt_decimal(value, places) + "%"


def fmt_signed(value: int | None) -> str:
    """A change: +120, -3, 0; None -> "–"."""
    if value is None:
        return "–"
    return ("+" if value > 0 else "") + fmt_int(value)


def fmt_signed_points(value: Decimal | None) -> str:
    """A change in rate, in percentage points: "+0,42"."""
    if value is None:
        return "–"
    return ("+" if value > 0 else "") + fmt_decimal(value)


def fmt_date_long(day: date) -> str:
    """ "ngày 20 tháng 8 năm 2020", the form used in prose and the place-and-date line.

    Decree 30/2020/NĐ-CP: days below 10 and the months 1 and 2 take a leading zero
    ("ngày 05 tháng 02 năm 2021").
    """
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"


def fmt_date_short(day: date) -> str:
    """ "20/08/2020", the form used in tables."""
    return f"{day.day:02d}/{day.month:02d}/{day.year:04d}"


def fmt_time(moment: datetime | time | None) -> str:
    """ "14:32", or "15:00:40" when the seconds are not zero ("–" when unknown).

    Deadlines are kept to the second (15:00:00 is on time, 15:00:01 late), so a time
    shown without its seconds could read as on time next to the word "trễ hạn".
    """
    if moment is None:
        return "–"
    if moment.second:
        return f"{moment.hour:02d}:{moment.minute:02d}:{moment.second:02d}"
    return f"{moment.hour:02d}:{moment.minute:02d}"


def fmt_time_words(moment_hhmm: tuple[int, int]) -> str:
    """(15, 0) -> "15 giờ 00", (16, 30) -> "16 giờ 30 phút", as the letter writes deadlines."""
    hour, minute = moment_hhmm
    if minute:
        return f"{hour} giờ {minute:02d} phút"
    return f"{hour} giờ 00"


def fmt_duration(minutes: int) -> str:
    """A span as "1 giờ 05 phút" / "25 phút"; negative spans are written as their size."""
    minutes = abs(minutes)
    hours, rest = divmod(minutes, 60)
    if hours:
        return f"{hours} giờ {rest:02d} phút"
    return f"{rest} phút"


def fold(text: str) -> str:
    """Case- and diacritic-insensitive key: "Xã Long Khánh B" -> "xa long khanh b"."""
    decomposed = unicodedata.normalize("NFD", text.casefold())
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return stripped.replace("đ", "d")


def matches(query: str, text: str) -> bool:
    """True when every word of the query occurs in the text, ignoring case and diacritics."""
    haystack = fold(text)
    return all(word in haystack for word in fold(query).split())


_WORD = re.compile(r"[^\W_]+")

# How well a query names a text, best first (what search_rank returns).
EXACT = 0  # the whole name: "xa hoa thanh", "TT Thường Thới Tiền", "xa-hoa-thanh"
NAME_END = 1  # the words that end the name: "hoa thanh" for "Xã Hòa Thành"
PHRASE = 2  # whole words next to each other: "long khanh" in "Xã Long Khánh A"
WORDS = 3  # whole words, anywhere: "hoa thanh" in "Trung tâm Văn hóa … Truyền thanh"
PREFIXES = 4  # each word starts a word: "phong hoa" in "Phòng Tài chính - Kế hoạch"
INSIDE = 5  # each word somewhere inside the text (matches())
# Through a common abbreviation ("tt lai vung" for Thị trấn Lai Vung, "truong lai vung 2"
# for THPT Lai Vung 2): ALIASED + the rank of the spelled-out words, after every match of
# the words as typed, so an abbreviation never beats a name that says what was typed.
ALIASED = INSIDE + 1

# Abbreviations of unit names, folded, and what they stand for. A school's kind carries
# the word "trường" that a clerk says and a spreadsheet leaves out. Not "p" (phường, but
# also Phòng in "P. Tài chính"); "tt" is also Trung tâm or Thông tin ("P. VH và TT"),
# which match it as typed and so come first.
_ABBREVIATIONS = {
    "tt": ("thi", "tran"),
    "tx": ("thi", "xa"),
    "tp": ("thanh", "pho"),
    "x": ("xa",),
    "thpt": ("truong", "trung", "hoc", "pho", "thong"),
    "thcs": ("truong", "trung", "hoc", "co", "so"),
    "th": ("truong", "tieu", "hoc"),
    "mn": ("truong", "mam", "non"),
    "ubnd": ("uy", "ban", "nhan", "dan"),
    "hdnd": ("hoi", "dong", "nhan", "dan"),
}


@lru_cache(maxsize=65536)
def search_words(text: str) -> tuple[str, ...]:
    """A name's words as search compares them: folded, punctuation and "-" dropped."""
    return tuple(_WORD.findall(fold(text)))


def search_rank(query: str, *texts: str) -> int | None:
    """How well `query` names something called `texts` (a name, a short name, an id):
    EXACT … INSIDE, lower is better, or None when it does not match at all. An exact name
    beats the end of a name, which beats words anywhere, which beat word beginnings, so
    "hoa thanh" finds Xã Hòa Thành before Trung tâm Văn hóa - Thể thao và Truyền thanh,
    whatever the order of the units.
    """
    wanted = search_words(query)
    if not wanted:
        return None
    ranks = [rank for text in texts if (rank := _rank(wanted, search_words(text))) is not None]
    if ranks:
        return min(ranks)
    wanted_long = _spelled_out(wanted)
    best = None
    for text in texts:
        words = search_words(text)
        long = _spelled_out(words)
        if long is words and wanted_long is wanted:
            continue  # nothing to spell out: the same as the words as typed
        rank = _rank(wanted_long, long)
        if rank is not None and (best is None or rank < best):
            best = rank
    return None if best is None else ALIASED + best


@lru_cache(maxsize=65536)
def _spelled_out(words: tuple[str, ...]) -> tuple[str, ...]:
    """`words` with each abbreviation replaced by the words it stands for (`words` itself
    when there is none)."""
    if not any(word in _ABBREVIATIONS for word in words):
        return words
    return tuple(long for word in words for long in _ABBREVIATIONS.get(word, (word,)))


def _rank(wanted: tuple[str, ...], words: tuple[str, ...]) -> int | None:
    size = len(wanted)
    if words == wanted:
        return EXACT
    if words[-size:] == wanted:
        return NAME_END
    if any(words[i : i + size] == wanted for i in range(len(words) - size + 1)):
        return PHRASE
    if all(word in words for word in wanted):
        return WORDS
    if all(any(w.startswith(word) for w in words) for word in wanted):
        return PREFIXES
    joined = " ".join(words)
    if all(word in joined for word in wanted):
        return INSIDE
    return None


def slug(text: str) -> str:
    """A unit id from a name: "Xã Phú Cường" -> "xa-phu-cuong" (a-z, 0-9 and "-")."""
    words = "".join(ch if ch.isascii() and ch.isalnum() else " " for ch in fold(text))
    return "-".join(words.split())


# Between groups of three digits: the Vietnamese "12.500", the English "12,500", and
# spaces (typed, or the no-break and thin spaces a spreadsheet or a word processor puts).
_GROUP_SEPARATORS = "., \u00a0\u202f\u2009"
_ASCII_DIGITS = frozenset("0123456789")
MAX_INTEGER_CHARS = 40


def _no_leading_zero(written: str, digits: str) -> int | str:
    """The number, or why not: a leading zero (`0450`) is refused as in units.yaml, not
    read as 450, since a figure is stored exactly as typed and 0450 is no way to type
    one (a slip, or a code that lost its meaning as a number)."""
    if len(digits) > 1 and digits[0] == "0":
        return (
            f"«{written}» có số 0 ở đầu: một số liệu không viết như vậy; nếu là "
            f"{fmt_int(int(digits))} thì gõ lại không có số 0 ở đầu"
        )
    return int("-" + digits if written.startswith("-") else digits)


def parse_integer(text: str) -> int | str:
    """A whole number as a person writes it, or why it is not one (Vietnamese).

    The one rule for every number typed or read from a sheet (`submit`, the board's
    form, `resolve`, `units import`, `province`): ASCII digits, an optional leading "-",
    no leading zero (as in units.yaml), and thousands grouped by threes with one
    separator throughout ("12.500", "12,500", "12 500"). Python's int() also takes "4_50", "٤٥٠" and "１２" — none of which a clerk
    means as a figure — so it is never called on text directly.
    """
    written = text.strip()
    body = written[1:] if written.startswith("-") else written
    if len(body) > MAX_INTEGER_CHARS:  # int() itself refuses past 4,300 digits
        return f"«{written[:20]}…» dài {len(written)} ký tự: không phải một số liệu"
    if body and set(body) <= _ASCII_DIGITS:
        return _no_leading_zero(written, body)
    separators = set(body) - _ASCII_DIGITS
    if len(separators) == 1 and body[:1] in _ASCII_DIGITS:
        separator = separators.pop()
        groups = body.split(separator)
        if (
            separator in _GROUP_SEPARATORS
            and 1 <= len(groups[0]) <= 3
            and all(len(group) == 3 for group in groups[1:])
        ):
            digits = "".join(groups)
            return _no_leading_zero(written, digits)
    if "_" in body:
        return f"«{written}» có dấu «_»: chỉ ghi chữ số, ví dụ 12500 hoặc 12.500"
    if any(ch.isdigit() and ch not in _ASCII_DIGITS for ch in body):
        return f"«{written}» có chữ số không phải 0–9 (bàn phím khác?): gõ lại bằng chữ số thường"
    return f"«{written}» không phải số nguyên"
