"""Status of a day from an injected clock, in the registry's timezone (never the server's)."""

from __future__ import annotations

import time
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from bluezone_tui.base.clock import ManualClock, fixed_clock, parse_now, running_clock
from bluezone_tui.day.loader import load_day, load_status
from bluezone_tui.day.status import State
from bluezone_tui.day.store import Store
from bluezone_tui.day.submission import Submission
from helpers.data import TZ, at

DAY = date(2020, 8, 20)
FIGURES = {
    "commune": {"residents_installed": 100},
    "school": {
        "staff": 10,
        "staff_installed": 5,
        "students_with_smartphone": 50,
        "students_installed": 20,
    },
    "department": {"staff": 10, "staff_with_smartphone": 10, "staff_installed": 9},
    "youth": {"members_sent": 10},
}


def put(store: Store, unit_id: str, reported_at: datetime, day: date = DAY) -> None:
    unit = store.registry.unit(unit_id)
    sub = Submission(
        unit_id=unit_id,
        day=day,
        figures=dict(FIGURES[unit.group.id]),
        reported_at=reported_at,
        entered_by="test",
        entered_at=reported_at,
    )
    store.save(sub, base_revision=None)


def state(store: Store, unit_id: str, now: datetime, day: date = DAY) -> State:
    return load_day(store, day, now).status.of(unit_id).state


# --------------------------------------------------------------------------- the boundary


def test_report_at_exactly_15_00_00_is_on_time(empty_store):
    put(empty_store, "xa-long-khanh-b", at(DAY, 15, 0, 0))
    put(empty_store, "xa-long-khanh-a", at(DAY, 15, 0, 1))
    put(empty_store, "thpt-hong-ngu-2", at(DAY, 14, 59, 59))
    status = load_day(empty_store, DAY, at(DAY, 16)).status
    assert status.of("xa-long-khanh-b").state is State.ON_TIME
    assert status.of("xa-long-khanh-a").state is State.LATE
    assert status.of("thpt-hong-ngu-2").state is State.ON_TIME
    assert status.of("xa-long-khanh-a").late_minutes == 1
    assert status.of("xa-long-khanh-b").late_minutes == 0


def test_no_report_is_not_yet_due_at_15_00_00_and_missing_at_15_00_01(empty_store):
    clock = ManualClock(at(DAY, 14, 59, 59))
    assert state(empty_store, "xa-long-khanh-b", clock()) is State.NOT_YET_DUE
    clock.advance(seconds=1)
    assert clock() == at(DAY, 15, 0, 0)
    assert state(empty_store, "xa-long-khanh-b", clock()) is State.NOT_YET_DUE
    assert state(empty_store, "thpt-hong-ngu-3", clock()) is State.NOT_YET_DUE
    clock.advance(seconds=1)
    assert state(empty_store, "xa-long-khanh-b", clock()) is State.MISSING
    assert state(empty_store, "thpt-hong-ngu-3", clock()) is State.MISSING


def test_late_report_stays_late_whatever_now(empty_store):
    put(empty_store, "xa-long-khanh-b", at(DAY, 15, 25))
    for now in (at(DAY, 15, 30), at(DAY, 23, 59), at(DAY + timedelta(days=3), 9)):
        status = load_day(empty_store, DAY, now).status.of("xa-long-khanh-b")
        assert status.state is State.LATE
        assert status.late_minutes == 25


def test_report_after_deadline_seen_before_now_is_late(empty_store):
    # entered late in the evening for a report made at 15:10
    put(empty_store, "xa-long-khanh-b", at(DAY, 15, 10))
    assert state(empty_store, "xa-long-khanh-b", at(DAY, 20)) is State.LATE


def test_departments_and_youth_have_no_deadline(empty_store):
    put(empty_store, "phong-tu-phap", at(DAY, 8))
    for now in (at(DAY, 9), at(DAY, 15, 0, 1), at(DAY, 23, 59)):
        status = load_day(empty_store, DAY, now).status
        assert status.of("phong-tu-phap").state is State.REPORTED
        assert status.of("phong-noi-vu").state is State.NO_REPORT
        assert status.of("huyen-doan").state is State.NO_REPORT
        assert status.of("phong-tu-phap").deadline is None
        assert status.count(State.MISSING) + status.count(State.NOT_YET_DUE) == 13


# --------------------------------------------------------------------------- reports after now


def test_report_timed_after_now_does_not_count_yet(empty_store):
    put(empty_store, "xa-long-khanh-b", at(DAY, 15, 51))
    early = load_day(empty_store, DAY, at(DAY, 14, 50)).status.of("xa-long-khanh-b")
    assert early.state is State.NOT_YET_DUE
    assert early.submission is None
    (warning,) = early.problems
    assert (warning.code, warning.field, warning.severity) == (
        "reported-after-now",
        "reported_at",
        "warning",
    )
    assert "15:51" in warning.message and "sau thời điểm đang xem" in warning.message
    assert warning.path == empty_store.path_for(DAY, "xa-long-khanh-b") and warning.line == 2
    # after the deadline, still before the report: missing, as a unit without a file
    assert state(empty_store, "xa-long-khanh-b", at(DAY, 15, 45)) is State.MISSING
    # within the 5-minute tolerance of a clock a little ahead, and after: late
    assert state(empty_store, "xa-long-khanh-b", at(DAY, 15, 46)) is State.LATE
    late = load_day(empty_store, DAY, at(DAY, 15, 52)).status.of("xa-long-khanh-b")
    assert late.state is State.LATE and late.problems == () and late.late_minutes == 51


def test_report_after_now_in_a_group_without_deadline(empty_store):
    put(empty_store, "phong-tu-phap", at(DAY, 22))
    status = load_day(empty_store, DAY, at(DAY, 9)).status.of("phong-tu-phap")
    assert status.state is State.NO_REPORT
    assert [p.code for p in status.problems] == ["reported-after-now"]
    assert state(empty_store, "phong-tu-phap", at(DAY, 23, 59)) is State.REPORTED


def test_status_follows_now_across_a_report_time(empty_store):
    """The same files seen at different moments: no earlier answer is kept."""
    put(empty_store, "xa-long-khanh-b", at(DAY, 15, 51))
    put(empty_store, "xa-long-khanh-a", at(DAY, 14))
    for now, expected in [
        (at(DAY, 15, 52), State.LATE),
        (at(DAY, 14, 50), State.NOT_YET_DUE),
        (at(DAY, 15, 52), State.LATE),
        (at(DAY, 15, 45), State.MISSING),
        (at(DAY, 14, 50), State.NOT_YET_DUE),
    ]:
        assert state(empty_store, "xa-long-khanh-b", now) is expected, now
    # another unit's file changes: the day is computed again
    load_day(empty_store, DAY, at(DAY, 15, 52))
    put(empty_store, "xa-long-khanh-a", at(DAY, 14, 5))
    status = load_day(empty_store, DAY, at(DAY, 14, 50)).status
    assert status.of("xa-long-khanh-b").state is State.NOT_YET_DUE
    assert status.of("xa-long-khanh-a").state is State.ON_TIME


def test_consolidation_carries_the_last_figures_until_the_report_time(empty_store):
    day_before = DAY - timedelta(days=1)
    for day, moment, figure in [(day_before, at(day_before, 14), 400), (DAY, at(DAY, 15, 51), 500)]:
        empty_store.save(
            Submission(
                unit_id="xa-long-khanh-b",
                day=day,
                figures={"residents_installed": figure},
                reported_at=moment,
                entered_by="test",
                entered_at=moment,
            ),
            base_revision=None,
        )

    def row(now):
        consolidation = load_day(empty_store, DAY, now)
        found = next(r for r in consolidation.rows if r.unit.id == "xa-long-khanh-b")
        return found.headline, found.carried_from, consolidation.installs

    for _ in range(2):  # and again, the same
        assert row(at(DAY, 15, 52)) == (500, None, 500)
        assert row(at(DAY, 14, 50)) == (400, day_before, 400)


def test_file_error_state(empty_store):
    put(empty_store, "xa-long-khanh-b", at(DAY, 14))
    path = empty_store.path_for(DAY, "xa-thuong-lac")
    path.write_text("revision = 1\nreported_at = oops\n")
    status = load_day(empty_store, DAY, at(DAY, 16)).status
    broken = status.of("xa-thuong-lac")
    assert broken.state is State.FILE_ERROR
    assert broken.error_message.startswith(str(path))
    assert status.file_errors == [broken]
    assert status.of("xa-long-khanh-b").state is State.ON_TIME
    assert status.count(State.MISSING) == 11
    assert status.reported == 1  # a broken file is not a report


def test_a_file_git_could_not_merge_is_a_conflict_not_a_file_error(empty_store):
    put(empty_store, "xa-long-khanh-b", at(DAY, 14))
    path = empty_store.path_for(DAY, "xa-long-khanh-b")
    good = path.read_text()
    path.write_text(
        good.replace(
            "residents_installed = 100\n",
            "<<<<<<< HEAD\nresidents_installed = 100\n=======\nresidents_installed = 110\n"
            ">>>>>>> origin/main\n",
        )
    )
    status = load_status(empty_store, DAY, at(DAY, 16))
    conflicted = status.of("xa-long-khanh-b")
    assert conflicted.state is State.CONFLICT and conflicted.state.label == "xung đột"
    assert "bluezone resolve xa-long-khanh-b --date 2020-08-20" in conflicted.error_message
    assert status.file_errors == [conflicted]  # no figures can be read from it
    assert status.reported == 0 and status.count(State.FILE_ERROR) == 0


def test_invalid_figures_are_a_file_error_with_line(empty_store):
    put(empty_store, "xa-long-khanh-b", at(DAY, 14))
    path = empty_store.path_for(DAY, "xa-long-khanh-b")
    path.write_text(
        path.read_text().replace("residents_installed = 100", "residents_installed = 9000")
    )
    status = load_day(empty_store, DAY, at(DAY, 16)).status.of("xa-long-khanh-b")
    assert status.state is State.FILE_ERROR
    (problem,) = status.problems
    assert problem.path == path
    assert problem.line == path.read_text().splitlines().index("residents_installed = 9000") + 1


def test_stray_files_are_listed(empty_store):
    path = empty_store.day_dir(DAY) / "xa-khong-co.toml"
    path.parent.mkdir(parents=True)
    path.write_text("x")
    status = load_day(empty_store, DAY, at(DAY, 16)).status
    assert [p.path for p in status.stray] == [path]
    assert len(status.units) == 28


# --------------------------------------------------------------------------- completeness


def test_completeness_and_timeliness(empty_store):
    # 13 expected units (10 communes + 3 schools): 8 on time, 2 late, 3 missing.
    expected = [u for u in empty_store.registry.units if u.group.expected]
    assert len(expected) == 13
    for unit in expected[:8]:
        put(empty_store, unit.id, at(DAY, 10))
    for unit in expected[8:10]:
        put(empty_store, unit.id, at(DAY, 15, 30))
    put(empty_store, "phong-tu-phap", at(DAY, 10))  # not expected: not counted
    status = load_day(empty_store, DAY, at(DAY, 16)).status
    assert status.expected == 13
    assert status.reported == 10
    assert status.count(State.ON_TIME) == 8
    assert status.count(State.LATE) == 2
    assert status.count(State.MISSING) == 3
    assert status.count(State.REPORTED) == 1
    assert status.count(State.NO_REPORT) == 14
    assert status.completeness == Decimal("76.92")  # 10 / 13
    assert status.timeliness == Decimal("61.54")  # 8 / 13


def test_completeness_on_the_demo_day(demo_store):
    status = load_day(demo_store, DAY, at(DAY, 16, 30)).status
    assert status.expected == 13
    assert status.reported == 13
    assert status.count(State.LATE) == 1
    assert status.of("xa-phu-thuan-a").state is State.LATE
    assert status.completeness == Decimal("100.00")
    assert status.timeliness == Decimal("92.31")
    assert status.problems == []


def test_demo_day_with_missing_units(demo_store):
    day = date(2020, 8, 26)
    status = load_day(demo_store, day, at(day, 16)).status
    missing = {s.unit.id for s in status.units if s.state is State.MISSING}
    assert missing == {"xa-thuong-lac", "xa-long-thuan"}
    assert status.of("xa-long-khanh-b").state is State.LATE


# --------------------------------------------------------------------------- timezones & clocks


def test_now_in_another_timezone_is_converted(empty_store):
    # 08:00:00 UTC is 15:00:00 in Hồ Chí Minh City, 04:00 in New York
    boundary_utc = datetime(2020, 8, 20, 8, 0, 0, tzinfo=UTC)
    assert state(empty_store, "xa-long-khanh-b", boundary_utc) is State.NOT_YET_DUE
    just_after_ny = (boundary_utc + timedelta(seconds=1)).astimezone(ZoneInfo("America/New_York"))
    assert state(empty_store, "xa-long-khanh-b", just_after_ny) is State.MISSING
    status = load_day(empty_store, DAY, just_after_ny).status
    assert status.now.tzinfo == TZ
    assert status.of("xa-long-khanh-b").deadline == at(DAY, 15)


def test_report_time_in_utc_in_the_file(empty_store):
    put(empty_store, "xa-long-khanh-b", datetime(2020, 8, 20, 8, 0, 0, tzinfo=UTC))
    put(empty_store, "xa-long-khanh-a", datetime(2020, 8, 20, 8, 0, 1, tzinfo=UTC))
    status = load_day(empty_store, DAY, at(DAY, 16)).status
    assert status.of("xa-long-khanh-b").state is State.ON_TIME
    assert status.of("xa-long-khanh-a").state is State.LATE


@pytest.mark.parametrize("tz_name", ["UTC", "America/New_York", "Pacific/Kiritimati"])
def test_status_ignores_process_tz(empty_store, monkeypatch, tz_name):
    monkeypatch.setenv("TZ", tz_name)
    time.tzset()
    try:
        put(empty_store, "xa-long-khanh-b", at(DAY, 15, 0, 0))
        status = load_day(empty_store, DAY, at(DAY, 15, 0, 1)).status
        assert status.of("xa-long-khanh-b").state is State.ON_TIME
        assert status.of("xa-long-khanh-a").state is State.MISSING
        moment = parse_now("2020-08-20T15:00", TZ)
        assert moment == at(DAY, 15)
        assert fixed_clock(
            datetime(2020, 8, 20, 20, 0, tzinfo=UTC).astimezone(TZ)
        )().date() == date(2020, 8, 21)
    finally:
        monkeypatch.undo()
        time.tzset()


def test_clocks():
    moment = at(DAY, 14, 59)
    assert fixed_clock(moment)() == moment
    clock = ManualClock(moment)
    assert clock.advance(minutes=1) == at(DAY, 15)
    clock.set(at(DAY, 16))
    assert clock() == at(DAY, 16)
    running = running_clock(moment)
    assert moment <= running() < moment + timedelta(seconds=5)
    assert parse_now("2020-08-20T14:59", TZ) == moment
    assert parse_now("2020-08-20T14:59:30", TZ) == moment + timedelta(seconds=30)
    assert parse_now("2020-08-20T07:59+00:00", TZ) == moment
    assert parse_now("2020-08-20T07:59+00:00", TZ).tzinfo == TZ
    with pytest.raises(ValueError):
        parse_now("yesterday", TZ)
