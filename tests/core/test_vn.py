"""Vietnamese formats and diacritic-insensitive search."""

from __future__ import annotations

import unicodedata
from datetime import date, datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bluezone_tui.base.vn import (
    ALIASED,
    EXACT,
    INSIDE,
    NAME_END,
    PHRASE,
    PREFIXES,
    WORDS,
    fmt_date_long,
    fmt_date_short,
    fmt_decimal,
    fmt_duration,
    fmt_int,
    fmt_percent,
    fmt_signed,
    fmt_signed_points,
    fmt_time,
    fmt_time_words,
    fold,
    matches,
    nfc,
    percent,
    search_rank,
)
from helpers.data import TZ


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (6090, "6.090"),
        (120514, "120.514"),
        (0, "0"),
        (999, "999"),
        (1000, "1.000"),
        (1234567, "1.234.567"),
        (-1234, "-1.234"),
        (None, "–"),
    ],
)
def test_fmt_int(value, text):
    assert fmt_int(value) == text


@given(st.integers(min_value=-(10**15), max_value=10**15))
def test_fmt_int_round_trips(value):
    assert int(fmt_int(value).replace(".", "")) == value


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (Decimal("5.05"), "5,05%"),
        (Decimal("100"), "100,00%"),
        (Decimal("0"), "0,00%"),
        (Decimal("92.3076"), "92,31%"),
        (Decimal("1234.5"), "1.234,50%"),
        (5.055, "5,06%"),  # half up
        (None, "–"),
    ],
)
def test_fmt_percent(value, text):
    assert fmt_percent(value) == text


def test_percent_rounds_half_up_to_two_places():
    assert percent(6090, 120514) == Decimal("5.05")
    assert percent(1, 8) == Decimal("12.50")
    assert percent(1, 3) == Decimal("33.33")
    assert percent(2, 3) == Decimal("66.67")
    assert percent(1, 200000) == Decimal("0.00")
    assert percent(1, 40000) == Decimal("0.00")  # 0.0025 -> 0.00
    assert percent(1, 800) == Decimal("0.13")  # 0.125 -> 0.13, not banker's 0.12
    assert percent(5, 0) is None


def test_other_number_formats():
    assert fmt_decimal(Decimal("5.05")) == "5,05"
    assert fmt_decimal(Decimal("12345.678"), 1) == "12.345,7"
    assert fmt_signed(120) == "+120"
    assert fmt_signed(-3) == "-3"
    assert fmt_signed(0) == "0"
    assert fmt_signed(1500) == "+1.500"
    assert fmt_signed(None) == "–"
    assert fmt_signed_points(Decimal("0.42")) == "+0,42"
    assert fmt_signed_points(Decimal("-0.1")) == "-0,10"


@pytest.mark.parametrize(
    ("day", "text"),
    [
        (date(2020, 8, 20), "ngày 20 tháng 8 năm 2020"),
        (date(2020, 8, 5), "ngày 05 tháng 8 năm 2020"),
        (date(2020, 12, 31), "ngày 31 tháng 12 năm 2020"),
        # Decree 30/2020: days below 10 and months 1 and 2 take a leading zero
        (date(2021, 1, 9), "ngày 09 tháng 01 năm 2021"),
        (date(2021, 2, 14), "ngày 14 tháng 02 năm 2021"),
        (date(2021, 3, 1), "ngày 01 tháng 3 năm 2021"),
    ],
)
def test_fmt_date_long(day, text):
    assert fmt_date_long(day) == text


def test_short_dates_and_times():
    assert fmt_date_short(date(2020, 8, 5)) == "05/08/2020"
    assert fmt_time(datetime(2020, 8, 20, 9, 5, tzinfo=TZ)) == "09:05"
    assert fmt_time(None) == "–"
    # a late report in the deadline's own minute must not read as 15:00 beside "trễ hạn"
    assert fmt_time(datetime(2020, 8, 20, 15, 0, 40, tzinfo=TZ)) == "15:00:40"
    assert fmt_time_words((15, 0)) == "15 giờ 00"
    assert fmt_time_words((16, 30)) == "16 giờ 30 phút"
    assert fmt_duration(25) == "25 phút"
    assert fmt_duration(65) == "1 giờ 05 phút"
    assert fmt_duration(-25) == "25 phút"


# --------------------------------------------------------------------------- search


def test_fold():
    assert fold("Xã Long Khánh B") == "xa long khanh b"
    assert fold("Đồng Tháp") == "dong thap"
    assert fold("ĐOÀN") == "doan"
    assert fold("Thường Thới Hậu A") == "thuong thoi hau a"
    assert fold(unicodedata.normalize("NFD", "Khánh")) == "khanh"


@pytest.mark.parametrize(
    ("query", "text"),
    [
        ("long khanh b", "Xã Long Khánh B"),
        ("LONG KHÁNH", "Xã Long Khánh B"),
        ("khanh long", "Xã Long Khánh B"),  # every word, any order
        ("", "Xã Long Khánh B"),
        ("doan", "Huyện đoàn Hồng Ngự"),
        ("đoàn", "Huyen doan Hong Ngu"),
        (unicodedata.normalize("NFD", "khánh"), "Xã Long Khánh B"),
        ("thpt hong ngu 2", "Trường THPT Hồng Ngự 2"),
    ],
)
def test_matches(query, text):
    assert matches(query, text)


@pytest.mark.parametrize(
    ("query", "text"),
    [
        ("long khanh c", "Xã Long Khánh B"),
        ("phu", "Xã Long Khánh B"),
        ("thuong lac z", "Xã Thường Lạc"),
    ],
)
def test_does_not_match(query, text):
    assert not matches(query, text)


def test_search_over_shipped_units(shipped_registry):
    found = [u.id for u in shipped_registry.units if matches("long khanh b", u.name)]
    assert found == ["xa-long-khanh-b"]
    found = [u.id for u in shipped_registry.units if matches("thuong phuoc", u.name)]
    assert found == ["xa-thuong-phuoc-1", "xa-thuong-phuoc-2"]


def test_nfc():
    nfd = unicodedata.normalize("NFD", "Hồng Ngự")
    assert nfd != "Hồng Ngự"
    assert nfc(nfd) == "Hồng Ngự"


# --------------------------------------------------------------------------- search ranking


LAI_VUNG = [  # (name, short name, id) as `init` and `units import` write them
    ("Phòng Tài chính - Kế hoạch", "P. Tài chính - KH", "phong-tai-chinh-ke-hoach"),
    ("Phòng Văn hóa và Thông tin", "P. VH và TT", "phong-van-hoa-thong-tin"),
    (
        "Trung tâm Văn hóa - Thể thao và Truyền thanh",
        "TT Văn hóa-Thể thao",
        "trung-tam-vhtt-truyen-thanh",
    ),  # fmt: skip
    ("Xã Phong Hòa", "Xã Phong Hòa", "xa-phong-hoa"),
    ("Xã Hòa Thành", "Xã Hòa Thành", "xa-hoa-thanh"),
    ("Xã Tân Thành", "Xã Tân Thành", "xa-tan-thanh"),
]


def best(query: str) -> list[str]:
    """The ids matching `query`, best first, equals in the list's order (as the board)."""
    ranked = [(rank, i, unit[2]) for i, unit in enumerate(LAI_VUNG)
              if (rank := search_rank(query, *unit)) is not None]  # fmt: skip
    return [unit_id for _rank, _i, unit_id in sorted(ranked)]


@pytest.mark.parametrize(
    ("query", "first"),
    [
        ("hoa thanh", "xa-hoa-thanh"),  # the end of a name beats words spread over another
        ("phong hoa", "xa-phong-hoa"),  # … and beats word beginnings (Kế hoạch)
        ("Xã Hòa Thành", "xa-hoa-thanh"),  # exact
        ("xa-tan-thanh", "xa-tan-thanh"),  # an id
        ("P. Tài chính - KH", "phong-tai-chinh-ke-hoach"),  # a short name
        ("tt van hoa", "trung-tam-vhtt-truyen-thanh"),
        ("tan thanh", "xa-tan-thanh"),
        ("ke hoa", "phong-tai-chinh-ke-hoach"),  # word beginnings
    ],
)
def test_the_unit_named_comes_first(query, first):
    assert best(query)[0] == first


def test_every_match_is_kept_best_first():
    assert best("hoa thanh") == ["xa-hoa-thanh", "trung-tam-vhtt-truyen-thanh"]
    assert best("phong hoa") == [
        "xa-phong-hoa",
        "phong-van-hoa-thong-tin",
        "phong-tai-chinh-ke-hoach",
    ]
    assert best("zzz") == [] and best("  ") == []


WITH_SCHOOLS = [
    *LAI_VUNG,
    ("Thị trấn Lai Vung", "Thị trấn Lai Vung", "tt-lai-vung"),
    ("THPT Lai Vung 1", "THPT Lai Vung 1", "thpt-lai-vung-1"),
    ("THPT Lai Vung 2", "THPT Lai Vung 2", "thpt-lai-vung-2"),
    ("Xã Lai Vung Tây", "Xã Lai Vung Tây", "xa-lai-vung-tay"),
]


def best_of(units: list[tuple[str, str, str]], query: str) -> list[str]:
    ranked = [(rank, i, unit[2]) for i, unit in enumerate(units)
              if (rank := search_rank(query, *unit)) is not None]  # fmt: skip
    return [unit_id for _rank, _i, unit_id in sorted(ranked)]


@pytest.mark.parametrize(
    ("query", "first"),
    [
        ("truong lai vung 2", "thpt-lai-vung-2"),  # "trường": the word a school's kind says
        ("tt lai vung", "tt-lai-vung"),  # tt = thị trấn
        ("thi tran lai vung", "tt-lai-vung"),
        ("tt van hoa", "trung-tam-vhtt-truyen-thanh"),  # tt as the short name writes it
        ("x tan thanh", "xa-tan-thanh"),
        ("truong trung hoc pho thong lai vung 1", "thpt-lai-vung-1"),
    ],
)
def test_a_common_abbreviation_finds_the_unit(query, first):
    assert best_of(WITH_SCHOOLS, query)[0] == first


def test_an_abbreviation_never_beats_the_words_as_typed():
    """Any match of the words typed, however loose, comes before a match through an
    abbreviation; and through one, the better match first."""
    assert search_rank("tt lai vung", "Thị trấn Lai Vung") == ALIASED + EXACT
    assert search_rank("truong lai vung 2", "THPT Lai Vung 2") == ALIASED + WORDS
    assert search_rank("lai vung 2", "THPT Lai Vung 2") == NAME_END
    # "tt" is also in TT Văn hóa-Thể thao and P. VH và TT: as typed, they come first
    assert best_of(WITH_SCHOOLS, "tt")[:2] == [
        "phong-van-hoa-thong-tin",
        "trung-tam-vhtt-truyen-thanh",
    ]
    assert best_of(WITH_SCHOOLS, "tt")[-1] == "tt-lai-vung"
    assert best_of(WITH_SCHOOLS, "lai vung") == [
        "tt-lai-vung",
        "thpt-lai-vung-1",
        "thpt-lai-vung-2",
        "xa-lai-vung-tay",
    ]  # nothing spelled out: the words as typed, in the table's order among equals


def test_search_rank_tiers():
    assert search_rank("xa long khanh b", "Xã Long Khánh B") == EXACT
    assert search_rank("long khanh b", "Xã Long Khánh B") == NAME_END
    assert search_rank("long khanh", "Xã Long Khánh B") == PHRASE
    assert search_rank("khanh long", "Xã Long Khánh B") == WORDS
    assert search_rank("lo kh", "Xã Long Khánh B") == PREFIXES
    assert search_rank("hanh", "Xã Long Khánh B") == INSIDE
    assert search_rank("long khanh c", "Xã Long Khánh B") is None
