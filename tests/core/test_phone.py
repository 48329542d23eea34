"""Vietnamese phone numbers: one dialing form for every way a clerk writes one (base/phone.py),
the one function the reminders' CSV (and the reminders-sending feature to come) dials by."""

from __future__ import annotations

import pytest

from bluezone_tui.base.phone import (
    LostZero,
    PhoneError,
    dialable,
    phone_numbers,
    phone_problem,
    says_none,
)


@pytest.mark.parametrize(
    ("written", "number"),
    [
        ("0277 3800 107", "02773800107"),
        ("+84 277 3800 107", "02773800107"),
        ("+84 (0) 277 3800 107", "02773800107"),
        ("+840277 3800 107", "02773800107"),
        ("0084 277 3800 107", "02773800107"),
        ("842773800107", "02773800107"),  # +84 that a spreadsheet kept as a number
        ("(0277) 3800.107", "02773800107"),
        ("0277-3800-107", "02773800107"),
        ("0277\u00a03800\u00a0107", "02773800107"),
        ("0912 345 678", "0912345678"),
        ("+84 912 345 678", "0912345678"),
        ("84912345678", "0912345678"),
        ("0912.345.678", "0912345678"),
        ("024 3825 1234", "02438251234"),
    ],
)
def test_every_way_of_writing_a_number_gives_one_dialing_form(written, number):
    assert dialable(written) == number
    assert phone_numbers(written) == [number]
    assert phone_problem(written) == ""


def test_the_dialing_form_is_never_read_as_a_formula():
    for written in ("+84 277 3800 107", "0277 3800 107", "+84912345678"):
        assert dialable(written)[0] == "0" and dialable(written).isdigit()


@pytest.mark.parametrize(
    ("written", "guess"),
    [("2773847104", "02773847104"), ("912345678", "0912345678"), ("2773800107", "02773800107")],
)
def test_a_number_that_lost_its_leading_zero_is_named_with_its_likely_form(written, guess):
    with pytest.raises(LostZero) as info:
        dialable(written)
    assert "mất số 0 ở đầu" in str(info.value) and guess in str(info.value)


@pytest.mark.parametrize(
    ("written", "words"),
    [
        ("0277 38", "không phải số điện thoại"),
        ("067 3851 234", "không phải số điện thoại"),  # the code before 2017
        ("+1 202 555 0100", "không phải số điện thoại Việt Nam"),
        ("gọi anh Tâm", "không phải số điện thoại"),
        ("0912 345 678 (anh Tâm)", "không phải số điện thoại"),
        ("0912345678 0913456789", "không phải số điện thoại"),
        ("1900 1234", "không phải số điện thoại"),  # a hotline: no SMS reaches it
        ("0277 3800 10²", "không phải số điện thoại"),  # str.isdigit() says yes
        ("０２７７ ３８００ １０７", "không phải số điện thoại"),  # full-width digits
    ],
)
def test_what_is_not_a_number_says_why(written, words):
    with pytest.raises(PhoneError) as info:
        phone_numbers(written)
    assert words in str(info.value)
    assert phone_problem(written) == str(info.value)


@pytest.mark.parametrize(
    "written",
    [
        "0277 3800 107 / 0912 345 678",
        "0277 3800 107; 0912 345 678",
        "0277 3800 107, 0912 345 678",
        "0277 3800 107 hoặc 0912 345 678",
        "0277 3800 107 - 0912 345 678",
        "0277 3800 107\n0912 345 678",
    ],
)
def test_two_numbers_in_one_cell_are_both_dialled(written):
    assert phone_numbers(written) == ["02773800107", "0912345678"]


def test_a_cell_with_one_bad_number_of_two_is_refused_whole():
    with pytest.raises(LostZero) as info:
        phone_numbers("0277 3800 107; 912345678")
    assert "nhiều số thì cách nhau bằng dấu «;»" in str(info.value)


@pytest.mark.parametrize(
    ("written", "numbers"),
    [
        ("+84912345113;", ["0912345113"]),
        ("0912 345 113 ;", ["0912345113"]),
        ("; 0912345113", ["0912345113"]),
        ("0912345113,", ["0912345113"]),
        ("0277 3800 107;; 0912 345 678;", ["02773800107", "0912345678"]),
        ("0277 3800 107 / / 0912 345 678", ["02773800107", "0912345678"]),
    ],
)
def test_empty_parts_between_or_after_separators_are_ignored(written, numbers):
    assert phone_numbers(written) == numbers
    assert phone_problem(written) == ""


def test_a_lone_separator_around_what_is_no_number_is_still_named():
    with pytest.raises(PhoneError):
        phone_numbers("abc;")


def test_the_same_number_twice_is_dialled_once():
    assert phone_numbers("0277 3800 107; +84 277 3800 107") == ["02773800107"]


@pytest.mark.parametrize("written", ["", "  ", "không có", "Không có.", "chưa có", "-", "–", "n/a"])
def test_a_cell_that_says_there_is_no_phone_has_no_number(written):
    assert says_none(written)
    assert phone_numbers(written) == []
    assert phone_problem(written) == ""


def test_a_cell_that_is_not_a_list_of_numbers_is_named_whole():
    with pytest.raises(PhoneError) as info:
        phone_numbers("#N/A")
    assert str(info.value).startswith("«#N/A» không phải số điện thoại")
