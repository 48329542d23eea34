"""Issue 20, "a figure counted wrong, silently": one rule for what a number is, and form
fields that cannot take a name the reports own or a second type.

Each sample of the issue is a case here that failed before the fix; the rest of each
class was found around it (every input path for numbers, every report column).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bluezone_tui.base.problems import ConfigError, Problem
from bluezone_tui.base.vn import parse_integer
from bluezone_tui.day.validate import parse_input
from bluezone_tui.registry.load import parse_registry
from bluezone_tui.registry.model import REPORT_COLUMNS
from bluezone_tui.reports.csv import FIXED_COLUMNS
from helpers.data import SHIPPED_REGISTRY

TEXT = SHIPPED_REGISTRY.read_text("utf-8")
PATH = Path("units.yaml")
DESK = '{id: desk_helped, label: "Số người được hướng dẫn tại một cửa", short: "HD tại một cửa", type: int, dhis2: BZ_DESK_HELPED}'
MEMBERS = '{id: members_sent, label: "Số đoàn viên tham gia các Đoàn ở khóm/ấp", short: "Đoàn viên", type: int, required: true}'


def edited(old: str, new: str) -> str:
    assert old in TEXT, old
    return TEXT.replace(old, new, 1)


def problems_of(text: str) -> list[Problem]:
    with pytest.raises(ConfigError) as info:
        parse_registry(text, PATH)
    return info.value.problems


# ----------------------------------------------------------------- one rule for a number

# (typed, what it is): the same for submit, the form, resolve and units import
NUMBERS = [
    ("450", 450),
    ("12.500", 12500),
    ("12,500", 12500),
    ("12 500", 12500),
    ("12\u00a0500", 12500),  # a spreadsheet's no-break space
    (" 6.090 ", 6090),
    ("0450", 450),
    ("4_50", None),  # the issue's sample: int() takes it
    ("1_000", None),
    ("٤٥٠", None),  # Arabic-Indic digits: int() takes them too
    ("１２", None),  # full-width digits
    ("12,5", None),  # a decimal comma
    ("1.234,567", None),  # two separators: which one is the decimal?
    ("1,234.567", None),
    ("12.50", None),
    ("1.2345", None),
    ("0x1c2", None),
    ("4e2", None),
    ("+450", None),
    ("1" * 60, None),  # past int()'s own limit it would raise
]


@pytest.mark.parametrize(("typed", "value"), NUMBERS)
def test_one_rule_for_what_a_number_is(typed, value):
    parsed = parse_integer(typed)
    if value is None:
        assert isinstance(parsed, str) and "«" in parsed, parsed
    else:
        assert parsed == value


def test_a_figure_with_an_underscore_is_refused_at_entry(shipped_registry):
    field = shipped_registry.unit("xa-long-khanh-b").form.field("residents_installed")
    problem = parse_input(field, "4_50")
    assert isinstance(problem, Problem) and problem.field == "residents_installed"
    assert "«4_50»" in problem.message and "dấu «_»" in problem.message


def test_submit_refuses_4_50_and_stores_nothing(cli, demo_data):
    path = demo_data / "submissions" / "2020-08-27" / "xa-long-khanh-b.toml"
    code, out, err = cli(
        "--data", demo_data, "submit", "xa-long-khanh-b", "residents_installed=4_50",
        "--date", "2020-08-27", "--now", "2020-08-27T14:00",
    )  # fmt: skip
    assert code == 1 and "4_50" in err
    assert not path.exists()


def test_revision_numbers_follow_the_rule_too(cli, demo_data):
    code, _, err = cli(
        "--data", demo_data, "submit", "xa-long-khanh-b", "residents_installed=450",
        "--if-revision", "١", "--now", "2020-08-27T14:00",
    )  # fmt: skip
    assert code == 2 and "không phải số bản" in err


@pytest.mark.parametrize("written", ["12_500", "0x30D4", "0b11000011010100"])
def test_units_yaml_numbers_are_written_one_way(written):
    text = edited("population: 8700 ", f"population: {written} ")
    (problem,) = problems_of(text)
    assert problem.line == text.count("\n", 0, text.index(written)) + 1
    assert f"«{written}»" in problem.message and "12500" in problem.message


# ----------------------------------------------------------------- names the reports own


def test_the_registry_knows_every_column_the_reports_own():
    assert tuple(FIXED_COLUMNS) == REPORT_COLUMNS


@pytest.mark.parametrize("name", REPORT_COLUMNS)
def test_a_field_named_like_a_report_column_is_refused_at_its_line(name):
    text = edited(DESK, DESK.replace("id: desk_helped", f"id: {name}"))
    found = [p for p in problems_of(text) if f"«{name}»" in p.message and "cột" in p.message]
    assert found, problems_of(text)
    assert found[0].line == text.count("\n", 0, text.index(f"id: {name},")) + 1
    assert "báo cáo tổng hợp" in found[0].message


def test_the_issues_population_field(tmp_path, cli):
    """With a field named `population` the CSV said population 8700 beside a rate
    computed on the 5000 typed: now `check` (and every command) refuses the registry."""
    data = tmp_path / "data"
    data.mkdir()
    (data / "units.yaml").write_text(
        edited(DESK, DESK.replace("id: desk_helped", "id: population")), encoding="utf-8"
    )
    code, out, err = cli("--data", data, "check")
    assert code == 2
    assert "units.yaml:" in out and "«population»" in out and "cột" in out


def test_one_field_id_with_two_types_is_refused(tmp_path, cli):
    """`desk_officer` bool in the communes' form, text in the youth's: the CSV and the
    workbook had one column for both and crashed writing it."""
    text = edited(
        MEMBERS, MEMBERS + '\n      - {id: desk_officer, label: "Ghi chú một cửa", type: text}'
    )
    problems = problems_of(text)
    (problem,) = [p for p in problems if "desk_officer" in p.message]
    assert problem.line == text.count("\n", 0, text.index('{id: desk_officer, label: "Ghi')) + 1
    assert "văn bản (text)" in problem.message and "có/không (bool)" in problem.message
    data = tmp_path / "data"
    data.mkdir()
    (data / "units.yaml").write_text(text, encoding="utf-8")
    code, out, err = cli("--data", data, "export", "--format", "csv", "--date", "2020-08-20")
    assert code == 2 and "desk_officer" in err


def test_the_same_id_with_the_same_type_in_two_forms_is_fine(shipped_registry):
    forms = [form for form in shipped_registry.forms.values() if form.field("staff_installed")]
    assert len(forms) == 2  # the departments' and the schools': one column, one meaning
