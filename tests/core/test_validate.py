"""Validation: types, bounds, required fields, cross-field and cross-day rules; entry via submit."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from bluezone_tui.base.problems import Problem, RefusedError
from bluezone_tui.day.entry import prepare, submit
from bluezone_tui.day.submission import MAX_FIGURE, Submission
from bluezone_tui.day.validate import decrease_code, parse_input, validate
from bluezone_tui.registry.load import parse_registry
from helpers.data import SHIPPED_REGISTRY, at

DAY = date(2020, 8, 21)
YESTERDAY = date(2020, 8, 20)

GOOD_COMMUNE = {
    "residents_installed": 433,
    "teams_formed": 3,
    "hamlets_with_team": 3,
    "households_visited": 133,
    "desk_officer": True,
    "desk_helped": 3,
}


def check(registry, unit_id, figures, **kwargs):
    kwargs.setdefault("day", DAY)
    kwargs.setdefault("reported_at", at(DAY, 14))
    return validate(registry.unit(unit_id), figures, **kwargs)


def codes(problems: list[Problem]) -> set[str]:
    return {p.code for p in problems}


def previous(unit_id="xa-long-khanh-b", **figures) -> Submission:
    return Submission(
        unit_id=unit_id,
        day=YESTERDAY,
        figures={**GOOD_COMMUNE, **figures},
        reported_at=at(YESTERDAY, 14),
    )


def test_good_figures_have_no_problems(shipped_registry):
    assert check(shipped_registry, "xa-long-khanh-b", GOOD_COMMUNE) == []
    department = {"staff": 10, "staff_with_smartphone": 10, "staff_installed": 9}
    assert check(shipped_registry, "phong-tu-phap", department) == []
    school = {
        "staff": 78,
        "staff_installed": 62,
        "students_with_smartphone": 904,
        "students_installed": 323,
    }
    assert check(shipped_registry, "thpt-hong-ngu-2", school) == []
    assert check(shipped_registry, "huyen-doan", {"members_sent": 71}) == []


# --------------------------------------------------------------------------- bounds and required


def test_negative_is_below_minimum(shipped_registry):
    problems = check(shipped_registry, "xa-long-khanh-b", {**GOOD_COMMUNE, "teams_formed": -1})
    (problem,) = [p for p in problems if p.field == "teams_formed"]
    assert problem.is_error and problem.code == "min:teams_formed"


def test_absurdly_large_is_above_maximum(shipped_registry):
    figures = {**GOOD_COMMUNE, "households_visited": MAX_FIGURE + 1}
    problems = check(shipped_registry, "xa-long-khanh-b", figures)
    assert "max:households_visited" in codes(problems)
    assert all(p.is_error for p in problems)


def test_field_with_explicit_bounds():
    text = SHIPPED_REGISTRY.read_text(encoding="utf-8").replace(
        'short: "Số Đoàn", type: int', 'short: "Số Đoàn", type: int, min: 1, max: 20'
    )
    registry = parse_registry(text, Path("units.yaml"))
    low = check(registry, "xa-long-khanh-b", {**GOOD_COMMUNE, "teams_formed": 0})
    high = check(registry, "xa-long-khanh-b", {**GOOD_COMMUNE, "teams_formed": 21})
    assert "min:teams_formed" in codes(low)
    assert "max:teams_formed" in codes(high)
    (too_low,) = [p.message for p in low if p.code == "min:teams_formed"]
    assert too_low == "«Số Đoàn hướng dẫn đã thành lập» = 0: không được nhỏ hơn 1"
    (too_high,) = [p.message for p in high if p.code == "max:teams_formed"]
    assert too_high == "«Số Đoàn hướng dẫn đã thành lập» = 21: không được lớn hơn 20"
    assert check(registry, "xa-long-khanh-b", {**GOOD_COMMUNE, "teams_formed": 20}) == []


@pytest.mark.parametrize(
    ("unit_id", "figures", "missing"),
    [
        ("xa-long-khanh-b", {"teams_formed": 1}, {"residents_installed"}),
        ("phong-tu-phap", {"staff": 10}, {"staff_with_smartphone", "staff_installed"}),
        ("huyen-doan", {"hamlets_supported": 3}, {"members_sent"}),
    ],
)
def test_required_fields(shipped_registry, unit_id, figures, missing):
    problems = check(shipped_registry, unit_id, figures)
    assert {p.field for p in problems if p.code.startswith("required:")} == missing
    assert all(p.is_error for p in problems)


def test_optional_fields_may_be_empty(shipped_registry):
    assert check(shipped_registry, "xa-long-khanh-b", {"residents_installed": 5}) == []


# --------------------------------------------------------------------------- cross-field rules


def test_rule_against_unit_attribute_population(shipped_registry):
    figures = {**GOOD_COMMUNE, "residents_installed": 8701}  # population 8700
    (problem,) = check(shipped_registry, "xa-long-khanh-b", figures)
    assert problem.is_error
    assert problem.field == "residents_installed"
    assert "8.701" in problem.message and "8.700" in problem.message
    assert (
        check(shipped_registry, "xa-long-khanh-b", {**figures, "residents_installed": 8700}) == []
    )


def test_rule_against_hamlet_count(shipped_registry):
    figures = {**GOOD_COMMUNE, "hamlets_with_team": 4, "teams_formed": 5}  # 3 hamlets
    (problem,) = check(shipped_registry, "xa-long-khanh-b", figures)
    assert problem.is_error and problem.field == "hamlets_with_team"


def test_rule_between_fields_with_custom_message(shipped_registry):
    figures = {**GOOD_COMMUNE, "teams_formed": 1, "hamlets_with_team": 2}
    (problem,) = check(shipped_registry, "xa-long-khanh-b", figures)
    assert problem.is_error
    assert problem.message.startswith("mỗi khóm, ấp có Đoàn cần ít nhất 01 Đoàn")


def test_department_installed_above_smartphones(shipped_registry):
    figures = {"staff": 10, "staff_with_smartphone": 8, "staff_installed": 9}
    (problem,) = check(shipped_registry, "phong-tu-phap", figures)
    assert problem.is_error and problem.field == "staff_installed"


def test_warning_rule(shipped_registry):
    figures = {**GOOD_COMMUNE, "desk_helped": 434}  # more helped than installed
    (problem,) = check(shipped_registry, "xa-long-khanh-b", figures)
    assert problem.severity == "warning"
    assert problem.field == "desk_helped"
    # a confirmed warning is no longer reported
    assert check(shipped_registry, "xa-long-khanh-b", figures, confirmed=[problem.code]) == []


def test_warning_rule_against_a_number(shipped_registry):
    (problem,) = check(shipped_registry, "huyen-doan", {"members_sent": 5, "hamlets_supported": 40})
    assert problem.severity == "warning"
    assert "39" in problem.message


def test_school_students_with_phone_above_students_is_a_warning(shipped_registry):
    figures = {
        "staff": 78,
        "staff_installed": 62,
        "students_with_smartphone": 1351,  # 1350 students
        "students_installed": 323,
    }
    (problem,) = check(shipped_registry, "thpt-hong-ngu-2", figures)
    assert problem.severity == "warning"


def test_rule_skipped_when_a_side_is_missing(shipped_registry):
    assert (
        check(shipped_registry, "xa-long-khanh-b", {"residents_installed": 5, "desk_helped": 3})
        == []
    )


# --------------------------------------------------------------------------- cross-day


def test_cumulative_decrease_is_a_warning(shipped_registry):
    before = previous(residents_installed=500)
    (problem,) = check(shipped_registry, "xa-long-khanh-b", GOOD_COMMUNE, previous=before)
    assert problem.severity == "warning"
    assert problem.code == decrease_code("residents_installed")
    assert "500" in problem.message and "433" in problem.message
    assert "20/08/2020" in problem.message


def test_confirmed_decrease_still_needs_a_note(shipped_registry):
    before = previous(residents_installed=500)
    code = decrease_code("residents_installed")
    (problem,) = check(
        shipped_registry, "xa-long-khanh-b", GOOD_COMMUNE, previous=before, confirmed=[code]
    )
    assert problem.is_error
    assert problem.field == "note"
    blank = check(
        shipped_registry,
        "xa-long-khanh-b",
        GOOD_COMMUNE,
        previous=before,
        confirmed=[code],
        note="   ",
    )
    assert [p.is_error for p in blank] == [True]
    ok = check(
        shipped_registry,
        "xa-long-khanh-b",
        GOOD_COMMUNE,
        previous=before,
        confirmed=[code],
        note="xã rà soát, bỏ 67 người trùng",
    )
    assert ok == []


def test_non_cumulative_decrease_is_fine(shipped_registry):
    before = previous(teams_formed=10, hamlets_with_team=3)
    assert check(shipped_registry, "xa-long-khanh-b", GOOD_COMMUNE, previous=before) == []


def test_increase_or_equal_is_fine(shipped_registry):
    before = previous(residents_installed=433)
    assert check(shipped_registry, "xa-long-khanh-b", GOOD_COMMUNE, previous=before) == []


def test_each_decreasing_cumulative_field_is_reported(shipped_registry):
    before = previous(residents_installed=500, households_visited=200)
    problems = check(shipped_registry, "xa-long-khanh-b", GOOD_COMMUNE, previous=before)
    assert codes(problems) == {"decrease:residents_installed", "decrease:households_visited"}
    assert all(p.severity == "warning" for p in problems)


def test_reported_at_warnings(shipped_registry):
    early = check(shipped_registry, "xa-long-khanh-b", GOOD_COMMUNE, reported_at=at(YESTERDAY, 9))
    assert codes(early) == {"reported-outside-day"} and early[0].is_error
    future = check(
        shipped_registry, "xa-long-khanh-b", GOOD_COMMUNE, reported_at=at(DAY, 15), now=at(DAY, 14)
    )
    assert codes(future) == {"reported-in-future"}
    assert (
        check(
            shipped_registry,
            "xa-long-khanh-b",
            GOOD_COMMUNE,
            reported_at=at(DAY, 14, 4),
            now=at(DAY, 14),
        )
        == []
    )


# --------------------------------------------------------------------------- typed input


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("6090", 6090),
        ("6.090", 6090),
        ("120.514", 120514),
        ("1 234", 1234),
        (" 42 ", 42),
        ("", None),
    ],
)
def test_parse_input_int(shipped_registry, text, value):
    field = shipped_registry.unit("xa-long-khanh-b").form.field("residents_installed")
    assert parse_input(field, text) == value


@pytest.mark.parametrize("text", ["abc", "4,5", "12.5", "1e9", "nan", "inf", "9" * 30])
def test_parse_input_int_rejects(shipped_registry, text):
    field = shipped_registry.unit("xa-long-khanh-b").form.field("residents_installed")
    assert isinstance(parse_input(field, text), Problem)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("có", True),
        ("Có", True),
        ("co", True),
        ("yes", True),
        ("1", True),
        ("không", False),
        ("khong", False),
        ("no", False),
        ("0", False),
        ("chưa", False),
    ],
)
def test_parse_input_bool(shipped_registry, text, value):
    field = shipped_registry.unit("xa-long-khanh-b").form.field("desk_officer")
    assert parse_input(field, text) is value


def test_parse_input_bool_rejects(shipped_registry):
    field = shipped_registry.unit("xa-long-khanh-b").form.field("desk_officer")
    assert isinstance(parse_input(field, "maybe"), Problem)


# --------------------------------------------------------------------------- entry (one path)


def test_submit_merges_and_refuses_errors(empty_store):
    now = at(DAY, 14)
    saved = submit(empty_store, "xa-long-khanh-b", DAY, {"residents_installed": "433"}, now=now)
    assert saved.revision == 1
    saved = submit(empty_store, "xa-long-khanh-b", DAY, {"teams_formed": "2"}, now=now)
    assert saved.revision == 2
    assert saved.figures == {"residents_installed": 433, "teams_formed": 2}
    path = empty_store.path_for(DAY, "xa-long-khanh-b")
    before = path.read_bytes()
    with pytest.raises(RefusedError) as info:
        submit(empty_store, "xa-long-khanh-b", DAY, {"residents_installed": "-5"}, now=now)
    assert any(p.field == "residents_installed" for p in info.value.problems)
    with pytest.raises(RefusedError):
        submit(empty_store, "xa-long-khanh-b", DAY, {"residents_installed": "abc"}, now=now)
    with pytest.raises(RefusedError) as info:
        submit(empty_store, "xa-long-khanh-b", DAY, {"bogus": "1"}, now=now)
    assert "bogus" in str(info.value.problems[0])
    assert path.read_bytes() == before


def test_submit_decrease_needs_confirmation_and_note(empty_store):
    submit(
        empty_store,
        "xa-long-khanh-b",
        YESTERDAY,
        {"residents_installed": "500"},
        now=at(YESTERDAY, 14),
    )
    now = at(DAY, 14)
    with pytest.raises(RefusedError) as info:
        submit(empty_store, "xa-long-khanh-b", DAY, {"residents_installed": "433"}, now=now)
    assert [p.severity for p in info.value.problems] == ["warning"]
    with pytest.raises(RefusedError) as info:  # confirmed but no note
        submit(
            empty_store,
            "xa-long-khanh-b",
            DAY,
            {"residents_installed": "433"},
            now=now,
            confirm_warnings=True,
        )
    # the confirmation of a new decrease needs a note given with it
    assert [p.code for p in info.value.problems] == ["note-required:residents_installed"]
    assert "ghi chú" in info.value.problems[0].message
    with pytest.raises(RefusedError) as info:  # confirmed with an empty note
        submit(
            empty_store,
            "xa-long-khanh-b",
            DAY,
            {"residents_installed": "433"},
            now=now,
            confirm_warnings=True,
            note=" ",
        )
    assert info.value.problems[0].field == "note"
    assert not empty_store.path_for(DAY, "xa-long-khanh-b").exists()
    saved = submit(
        empty_store,
        "xa-long-khanh-b",
        DAY,
        {"residents_installed": "433"},
        now=now,
        confirm_warnings=True,
        note="bỏ số trùng",
    )
    assert saved.confirmed_warnings == ("decrease:residents_installed",)
    assert saved.note == "bỏ số trùng"
    # the saved file is clean for status/check: the confirmation is stored with it
    parsed = empty_store.read(DAY, "xa-long-khanh-b")
    assert parsed.submission.confirmed_warnings == ("decrease:residents_installed",)
    # once the figure goes back up the stale confirmation is dropped
    saved = submit(empty_store, "xa-long-khanh-b", DAY, {"residents_installed": "600"}, now=now)
    assert saved.confirmed_warnings == ()


def test_prepare_reports_every_problem(empty_store):
    draft = prepare(
        empty_store,
        "xa-long-khanh-b",
        DAY,
        {"residents_installed": "x", "teams_formed": "-1", "desk_officer": "maybe"},
        now=at(DAY, 14),
    )
    fields = {p.field for p in draft.errors}
    assert fields == {"residents_installed", "teams_formed", "desk_officer"}


@pytest.mark.parametrize("unit_id", ["../x", "Xa", "xa-khong-co"])
def test_submit_refuses_unknown_or_bad_unit(empty_store, unit_id):
    with pytest.raises(RefusedError):
        submit(empty_store, unit_id, DAY, {"residents_installed": "1"}, now=at(DAY, 14))


def test_a_cumulative_figure_emptied_is_a_decrease(shipped_registry, empty_store):
    """Issue 19: households 685 emptied (Ctrl+D on the form, or «households_visited=») was
    saved as a removal with no warning."""
    today = Submission(
        unit_id="xa-long-khanh-b", day=DAY, figures=dict(GOOD_COMMUNE), reported_at=at(DAY, 14)
    )
    emptied = {k: v for k, v in GOOD_COMMUNE.items() if k != "households_visited"}
    (problem,) = check(shipped_registry, "xa-long-khanh-b", emptied, current=today)
    assert problem.code == decrease_code("households_visited") and not problem.is_error
    assert "bị xoá" in problem.message and "133" in problem.message
    (problem,) = check(
        shipped_registry, "xa-long-khanh-b", emptied, current=today, confirmed=[problem.code]
    )
    assert problem.code == "note-required:households_visited"
    # not in the day's file: an optional figure left empty is no decrease (nothing removed)
    assert check(shipped_registry, "xa-long-khanh-b", emptied, previous=previous()) == []
    # through the one entry path, as `submit` and the form go
    typed = {key: str(value) for key, value in GOOD_COMMUNE.items() if key != "desk_officer"}
    submit(empty_store, "xa-long-khanh-b", DAY, typed, now=at(DAY, 14))
    with pytest.raises(RefusedError) as info:
        submit(empty_store, "xa-long-khanh-b", DAY, {"households_visited": ""}, now=at(DAY, 15))
    assert [p.code for p in info.value.problems] == ["decrease:households_visited"]
