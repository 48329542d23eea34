"""The safety net for slips: a figure far from the unit's last report, or beyond what the
registry says the unit has, is a warning that needs a confirmation (form and `submit`)."""

from __future__ import annotations

import tomllib
from datetime import date

import pytest

from bluezone_tui.base.problems import RefusedError
from bluezone_tui.cli.main import main
from bluezone_tui.day.entry import submit
from bluezone_tui.day.submission import Submission
from bluezone_tui.day.validate import validate
from helpers.data import at

DAY = date(2020, 8, 27)
LAST = Submission(
    unit_id="xa-long-khanh-a",
    day=date(2020, 8, 26),
    figures={"residents_installed": 1315, "teams_formed": 7, "households_visited": 685,
             "desk_helped": 1},
    reported_at=at(date(2020, 8, 26), 14),
)  # fmt: skip


def slips_in(registry, unit_id, figures, previous=LAST):
    found = validate(
        registry.unit(unit_id), figures, day=DAY, reported_at=at(DAY, 14), previous=previous
    )
    return {p.field: p for p in found if p.code.startswith("slip:")}


@pytest.mark.parametrize(
    ("field", "typed"),
    [
        ("households_visited", 700685),  # '700' typed onto 685 (Ctrl+A went to the start)
        ("households_visited", 6850),  # one digit too many
        ("teams_formed", 700),  # '700' meant for the next input
    ],
)
def test_ten_times_the_last_report_is_a_warning_naming_it(shipped_registry, field, typed):
    figures = {"residents_installed": 1400, field: typed}
    found = slips_in(shipped_registry, "xa-long-khanh-a", figures)
    problem = found[field]
    assert problem.severity == "warning" and problem.code == f"slip:{field}"
    before = LAST.figures[field]
    shown = f"{before:,}".replace(",", ".")  # Vietnamese thousands separator
    assert f"số báo cáo trước ({shown}, ngày 26/08/2020)" in problem.message


def test_the_error_rule_speaks_alone_for_installs_above_the_population(shipped_registry):
    """End, then 1400 typed onto 1315: the population rule's error is the one message."""
    found = validate(
        shipped_registry.unit("xa-long-khanh-a"),
        {"residents_installed": 13151400},
        day=DAY,
        reported_at=at(DAY, 14),
        previous=LAST,
    )
    assert [p.code for p in found if p.field == "residents_installed"] == [
        "rule:0:residents_installed"
    ]


@pytest.mark.parametrize(
    ("field", "typed"),
    [
        ("households_visited", 6849),  # just under ten times
        ("teams_formed", 33),  # ten times, but small figures jump for real
        ("desk_helped", 10),  # 1 person helped at the desk, then 10
    ],
)
def test_ordinary_changes_are_not_slips(shipped_registry, field, typed):
    assert field not in slips_in(
        shipped_registry, "xa-long-khanh-a", {"residents_installed": 1400, field: typed}
    )


def test_above_the_population_in_the_registry(shipped_registry):
    found = slips_in(
        shipped_registry, "xa-long-khanh-b", {"residents_installed": 700, "households_visited": 9000},
        previous=None,
    )  # fmt: skip
    assert "dân số của đơn vị trong danh mục (8.700)" in found["households_visited"].message


def test_above_the_staff_in_the_registry(shipped_registry):
    figures = {"staff": 320, "staff_with_smartphone": 30, "staff_installed": 30}
    found = slips_in(shipped_registry, "vp-hdnd-ubnd", figures, previous=None)
    assert "số cán bộ của đơn vị trong danh mục (32)" in found["staff"].message


def test_submit_refuses_until_confirmed_and_keeps_the_confirmation(empty_store):
    now = at(DAY, 14, 30)
    submit(empty_store, "xa-long-khanh-a", date(2020, 8, 26),
           {"residents_installed": "1315", "households_visited": "685"},
           now=at(date(2020, 8, 26), 14), reported_at=at(date(2020, 8, 26), 14))  # fmt: skip
    with pytest.raises(RefusedError) as refused:
        submit(empty_store, "xa-long-khanh-a", DAY,
               {"residents_installed": "1400", "households_visited": "700685"},
               now=now, reported_at=at(DAY, 14))  # fmt: skip
    assert [p.code for p in refused.value.problems] == ["slip:households_visited"]
    assert "685" in refused.value.problems[0].message
    saved = submit(empty_store, "xa-long-khanh-a", DAY,
                   {"residents_installed": "1400", "households_visited": "700685"},
                   now=now, reported_at=at(DAY, 14), confirm_warnings=True)  # fmt: skip
    assert saved.figures["households_visited"] == 700685
    assert saved.confirmed_warnings == ("slip:households_visited",)


def test_the_submit_command_shows_the_previous_value(empty_data, capsys):
    base = ["--data", str(empty_data), "submit", "xa-long-khanh-a"]
    assert main([*base, "--date", "2020-08-26", "--now", "2020-08-26T14:50",
                 "--reported-at", "14:40", "households_visited=685",
                 "residents_installed=1315"]) == 0  # fmt: skip
    capsys.readouterr()
    code = main([*base, "--date", "2020-08-27", "--now", "2020-08-27T14:50",
                 "--reported-at", "14:45", "households_visited=700685",
                 "residents_installed=1400"])  # fmt: skip
    out, err = capsys.readouterr()
    assert code == 1
    assert "700.685" in err and "số báo cáo trước (685, ngày 26/08/2020)" in err
    path = empty_data / "submissions" / "2020-08-27" / "xa-long-khanh-a.toml"
    assert not path.exists()
    assert main([*base, "--date", "2020-08-27", "--now", "2020-08-27T14:50",
                 "--reported-at", "14:45", "households_visited=700685",
                 "residents_installed=1400", "--confirm-warnings"]) == 0  # fmt: skip
    assert tomllib.loads(path.read_text())["figures"]["households_visited"] == 700685
