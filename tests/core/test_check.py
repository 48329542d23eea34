"""`check_data`: every problem in the registry and the files, with path, line and column."""

from __future__ import annotations

import tomllib
from datetime import date

import pytest

from bluezone_tui.base.problems import ConfigError
from bluezone_tui.day.check import check_data


def test_shipped_data_is_clean(demo_data):
    assert check_data(demo_data).problems == []
    assert check_data(demo_data, date(2020, 8, 24)).problems == []


def test_every_problem_is_found(demo_data):
    day_dir = demo_data / "submissions" / "2020-08-21"
    conflict = day_dir / "xa-thuong-lac.toml"
    conflict.write_text("revision = 1\n<<<<<<< HEAD\nx = 1\n=======\nx = 2\n>>>>>>> b\n")
    bad_figure = day_dir / "xa-long-khanh-b.toml"
    lines = bad_figure.read_text().splitlines()
    index = next(i for i, line in enumerate(lines) if line.startswith("teams_formed"))
    lines[index] = 'teams_formed = "ba"'
    bad_figure.write_text("\n".join(lines) + "\n")
    stranger = day_dir / "xa-khong-co.toml"
    stranger.write_text("x = 1\n")
    bad_name = demo_data / "submissions" / "2020-08-22" / "Xa-Long.toml"
    bad_name.write_text("x = 1\n")
    problems = check_data(demo_data).problems
    by_path = {p.path: p for p in problems}
    assert set(by_path) == {conflict, bad_figure, stranger, bad_name}
    assert by_path[conflict].line == 2
    assert (by_path[bad_figure].line, by_path[bad_figure].column) == (index + 1, 1)
    assert str(by_path[bad_figure]).startswith(f"{bad_figure}:{index + 1}:1: ")
    # only one day
    only = check_data(demo_data, date(2020, 8, 22)).problems
    assert [p.path for p in only] == [bad_name]


def test_cross_day_decrease_without_confirmation_is_reported(demo_data):
    path = demo_data / "submissions" / "2020-08-22" / "xa-long-khanh-b.toml"
    before = tomllib.loads((path.parent.parent / "2020-08-21" / path.name).read_text())
    lower = before["figures"]["residents_installed"] - 1
    text = path.read_text()
    line = next(x for x in text.splitlines() if x.startswith("residents_installed"))
    path.write_text(text.replace(line, f"residents_installed = {lower}"))
    problems = check_data(demo_data).problems
    assert [p.code for p in problems] == ["decrease:residents_installed"]
    assert problems[0].severity == "warning"
    assert problems[0].path == path and problems[0].line is not None
    # the same check restricted to that day finds the previous day's figure too
    assert [p.code for p in check_data(demo_data, date(2020, 8, 22)).problems] == [
        "decrease:residents_installed"
    ]


def test_bad_registry_problems_are_listed(demo_data):
    registry = demo_data / "units.yaml"
    registry.write_text(registry.read_text().replace("id: xa-thuong-phuoc-2", "id: xa/2"))
    with pytest.raises(ConfigError) as info:  # exit 2, as for every other command
        check_data(demo_data)
    (problem,) = info.value.problems
    assert problem.path == registry and problem.line is not None


def test_stray_entries_in_submissions_root(demo_data):
    (demo_data / "submissions" / "notes.txt").write_text("x")
    (demo_data / "submissions" / "2020-02-30").mkdir()
    problems = check_data(demo_data).problems
    assert len(problems) == 2
    assert all(p.severity == "warning" for p in problems)
