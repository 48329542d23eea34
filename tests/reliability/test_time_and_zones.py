"""Time: deadlines are instants in the registry's timezone, whatever TZ the server has.

Through the real CLI under TZ=UTC and TZ=America/New_York: a report at exactly
15:00:00 is on time and from 15:00:01 late; a unit with no report is "not yet
due" up to 15:00:00 and "missing" from 15:00:01; "today" turns at midnight in
Asia/Ho_Chi_Minh, not at the server's midnight.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from helpers.data import copy_shipped
from helpers.process import run_cli

ZONES = ["UTC", "America/New_York"]
DAY = "2020-08-27"  # after the demo days: every unit starts without a report
ON_THE_MINUTE = {
    "xa-long-khanh-a": "14:59:59",
    "xa-long-khanh-b": "15:00:00",
    "xa-thuong-lac": "15:00:01",
}
SILENT = "xa-phu-thuan-a"  # never reports that day


@pytest.fixture(scope="module")
def timed_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Three communes report at 14:59:59, 15:00:00 and 15:00:01 (entered under TZ=UTC)."""
    data = copy_shipped(tmp_path_factory.mktemp("timed") / "data")
    for unit_id, clock in ON_THE_MINUTE.items():
        result = run_cli(
            "--data", data, "submit", unit_id, "--date", DAY,
            "--now", f"{DAY}T16:00", "--reported-at", f"{DAY}T{clock}",
            "residents_installed=5000", "teams_formed=6", "hamlets_with_team=3",
            env={"TZ": "UTC"},
        )  # fmt: skip
        assert result.code == 0, result.text
    return data


def states(data: Path, now: str, zone: str, day: str | None = DAY) -> dict[str, str]:
    """unit id -> state code, from the CSV export as seen at `now` under TZ=zone."""
    args = ["--data", data, "export", "--format", "csv", "--now", now]
    if day:
        args += ["--date", day]
    result = run_cli(*args, env={"TZ": zone})
    assert result.code == 0, result.text
    rows = list(csv.reader(io.StringIO(result.out.lstrip("\ufeff"))))
    return {row[1]: row[4] for row in rows[1:]}


@pytest.mark.parametrize("zone", ZONES)
def test_reports_on_the_deadline_minute(timed_data: Path, zone: str) -> None:
    seen = states(timed_data, f"{DAY}T16:00", zone)
    assert seen["xa-long-khanh-a"] == "on_time"  # 14:59:59
    assert seen["xa-long-khanh-b"] == "on_time"  # 15:00:00 exactly
    assert seen["xa-thuong-lac"] == "late"  # 15:00:01


@pytest.mark.parametrize("zone", ZONES)
@pytest.mark.parametrize(
    ("now", "expected"),
    [("14:59:59", "pending"), ("15:00:00", "pending"), ("15:00:01", "missing")],
)
def test_missing_from_the_second_after_the_deadline(
    timed_data: Path, zone: str, now: str, expected: str
) -> None:
    assert states(timed_data, f"{DAY}T{now}", zone)[SILENT] == expected


@pytest.mark.parametrize("zone", ZONES)
def test_status_command_agrees(timed_data: Path, zone: str) -> None:
    before = run_cli(
        "--data", timed_data, "status", "--date", DAY, "--now", f"{DAY}T15:00:00",
        env={"TZ": zone},
    )  # fmt: skip
    after = run_cli(
        "--data", timed_data, "status", "--date", DAY, "--now", f"{DAY}T15:00:01",
        env={"TZ": zone},
    )  # fmt: skip
    assert before.code == after.code == 0, before.text + after.text
    line = next(line for line in before.out.splitlines() if SILENT in line)
    assert "chưa đến hạn" in line
    line = next(line for line in after.out.splitlines() if SILENT in line)
    assert "chưa báo cáo" in line
    late = next(line for line in after.out.splitlines() if "xa-thuong-lac" in line)
    assert "trễ hạn" in late and "15:00" in late
    assert "lúc 15:00" in after.out.splitlines()[0]  # the registry's clock, not the server's


@pytest.mark.parametrize("zone", ZONES)
@pytest.mark.parametrize(
    ("now", "today"),
    [
        ("2020-08-27T23:59:59", "ngày 27 tháng 8 năm 2020"),
        ("2020-08-28T00:00:00", "ngày 28 tháng 8 năm 2020"),
        # the same instants written in UTC: Hồ Chí Minh is 7 hours ahead
        ("2020-08-27T16:59:59+00:00", "ngày 27 tháng 8 năm 2020"),
        ("2020-08-27T17:00:00+00:00", "ngày 28 tháng 8 năm 2020"),
        # New York's evening of the 27th is already the 28th in the district
        ("2020-08-27T13:30:00-04:00", "ngày 28 tháng 8 năm 2020"),
    ],
)
def test_today_turns_at_the_registrys_midnight(
    timed_data: Path, zone: str, now: str, today: str
) -> None:
    result = run_cli("--data", timed_data, "status", "--now", now, env={"TZ": zone})
    assert result.code == 0, result.text
    assert today in result.out.splitlines()[0]


@pytest.mark.parametrize("zone", ZONES)
def test_yesterdays_reports_are_not_todays(timed_data: Path, zone: str) -> None:
    """Right after midnight the new day starts empty: nothing due yet, nobody late."""
    seen = states(timed_data, "2020-08-28T00:00:00", zone, day=None)
    communes = [unit for unit in seen if unit.startswith(("xa-", "tt-"))]
    assert communes and all(seen[unit] == "pending" for unit in communes)
