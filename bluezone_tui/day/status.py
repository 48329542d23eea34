"""Where each unit stands on a day: on time, late, missing, not yet due, or a broken file.

Deadlines are instants in the registry's timezone (deadlines.py). A report made at
the deadline minute itself (15:00:00) is on time; from 15:00:01 it is late, and a
unit with no report becomes "missing" at that same second. Completeness and
timeliness follow DHIS2 (reported / expected, on time / expected), to the minute.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Literal

from bluezone_tui.base.files import CONFLICTED
from bluezone_tui.base.problems import Problem
from bluezone_tui.base.vn import fmt_date_short, fmt_duration, fmt_time, percent
from bluezone_tui.day.deadlines import deadline_of, minutes_between
from bluezone_tui.day.state import State
from bluezone_tui.day.store import DayFiles
from bluezone_tui.day.submission import ParsedFile, Submission, Withdrawal
from bluezone_tui.day.validate import FUTURE_TOLERANCE, validate
from bluezone_tui.registry.model import Registry, Unit

AFTER_NOW = "reported-after-now"
_JUST_AFTER = timedelta(microseconds=1)


@dataclass(frozen=True, slots=True)
class Aside:
    """What is shown beside a unit's state (the board's row and detail line, `bluezone
    status`): its file's first error, who to call, or the note sent with the report."""

    kind: Literal["error", "contact", "note"]
    text: str


@dataclass(frozen=True, slots=True)
class UnitStatus:
    unit: Unit
    state: State
    submission: Submission | None = None  # today's report, if it counts
    previous: Submission | None = None  # the last valid report before this day
    problems: tuple[Problem, ...] = ()
    deadline: datetime | None = None
    withdrawal: Withdrawal | None = None  # today's report, withdrawn (`bluezone withdraw`)

    @property
    def latest(self) -> Submission | None:
        """The unit's last valid report up to this day: the next day's `previous`."""
        return self.submission or self.previous

    @property
    def late_minutes(self) -> int:
        if self.state is not State.LATE or self.submission is None or self.deadline is None:
            return 0
        return minutes_between(self.deadline, self.submission.reported_at)  # 1 s late: 1 phút

    @property
    def late_words(self) -> str:
        """ "trễ 51 phút (báo lúc 15:51)": the report's section III, the reminders."""
        assert self.submission is not None  # a late unit has its report
        return f"trễ {fmt_duration(self.late_minutes)} (báo lúc {fmt_time(self.submission.reported_at)})"

    @property
    def first_error(self) -> Problem | None:
        return next((p for p in self.problems if p.is_error), None)

    @property
    def error_message(self) -> str:
        error = self.first_error
        return str(error) if error is not None else ""

    @property
    def aside(self) -> Aside:
        """The file's first error (with its line); who to call while the unit has no report
        or a late one; else the report's note."""
        error = self.first_error
        if self.state.unreadable and error is not None:
            where = f"dòng {error.line}: " if error.line else ""
            return Aside("error", where + error.message)
        if self.withdrawal is not None:
            return Aside("note", self.withdrawal.words())
        if self.submission is None or self.state is State.LATE:
            contact = self.unit.contact
            return Aside("contact", contact.phone or contact.person)
        return Aside("note", self.submission.note)


@dataclass(slots=True)
class DayStatus:
    day: date
    now: datetime | None
    units: list[UnitStatus]
    stray: list[Problem] = field(default_factory=list)
    counts: dict[State, int] = field(default_factory=dict)
    # The first instant after `now` at which the clock alone changes some unit's state (a
    # deadline passes, a report timed ahead arrives); None: none today.
    changes_at: datetime | None = None

    def __post_init__(self) -> None:
        if not self.counts:
            counts = dict.fromkeys(State, 0)
            for status in self.units:
                counts[status.state] += 1
            self.counts = counts

    def count(self, state: State) -> int:
        return self.counts.get(state, 0)

    @property
    def expected(self) -> int:
        return sum(1 for status in self.units if status.unit.group.expected)

    @property
    def reported(self) -> int:
        """Expected units with a valid report (on time or late)."""
        return self.count(State.ON_TIME) + self.count(State.LATE)

    @property
    def completeness(self) -> Decimal | None:
        return percent(self.reported, self.expected)

    @property
    def timeliness(self) -> Decimal | None:
        return percent(self.count(State.ON_TIME), self.expected)

    @property
    def file_errors(self) -> list[UnitStatus]:
        """Units whose file cannot be read: broken, or conflicted between two offices."""
        return [status for status in self.units if status.state.unreadable]

    @property
    def problems(self) -> list[Problem]:
        found = list(self.stray)
        for status in self.units:
            found.extend(status.problems)
        return found

    @property
    def to_name(self) -> list[Problem]:
        """What every view names beside the day's figures: each error (a broken file, one
        carried past), then what was skipped in the folders (a stray file, a folder
        misnamed), so nothing is left out without a word."""
        errors = [problem for problem in self.problems if problem.is_error]
        return errors + [problem for problem in self.stray if not problem.is_error]

    def of(self, unit_id: str) -> UnitStatus | None:
        for status in self.units:
            if status.unit.id == unit_id:
                return status
        return None


def arrived(submission: Submission | None, now: datetime | None) -> bool:
    """Whether a report counts at `now`: one timed after it (beyond FUTURE_TOLERANCE, a
    clock a little ahead) has not been made yet at that moment. None: no moment, all count."""
    return submission is None or now is None or submission.reported_at <= now + FUTURE_TOLERANCE


def unit_status(
    unit: Unit,
    parsed: ParsedFile | None,
    previous: Submission | None,
    deadline: datetime | None,
    now: datetime | None,
) -> UnitStatus:
    """One unit's state on a day: its file (if any) validated once, against `previous`.
    A withdrawn report is no report (the last valid one is carried), said beside it."""
    if parsed is not None and parsed.withdrawal is not None and not parsed.errors:
        waiting = unit_status(unit, None, previous, deadline, now)
        return replace(waiting, problems=parsed.problems, withdrawal=parsed.withdrawal)
    if parsed is None:
        if deadline is None:
            return UnitStatus(unit, State.NO_REPORT, None, previous)
        state = State.MISSING if now is not None and now > deadline else State.NOT_YET_DUE
        return UnitStatus(unit, state, None, previous, (), deadline)
    submission = parsed.submission
    problems = parsed.problems
    if submission is not None and not parsed.errors:
        found = validate(
            unit,
            submission.figures,
            day=submission.day,
            reported_at=submission.reported_at,
            previous=previous,
            note=submission.note,
            confirmed=submission.confirmed_warnings,
        )
        if found:
            problems += parsed.locate(found)
    if submission is None or any(p.is_error for p in problems):
        conflicted = any(p.code == CONFLICTED for p in problems)
        state = State.CONFLICT if conflicted else State.FILE_ERROR
        return UnitStatus(unit, state, None, previous, problems, deadline)
    if not arrived(submission, now):  # not reported yet at `now`: as if there were no file
        at = submission.reported_at
        later = Problem(
            f"báo cáo ghi lúc {fmt_time(at)} ngày {fmt_date_short(at.date())}, sau thời điểm "
            f"đang xem: chưa tính là đã báo cáo",
            field="reported_at",
            severity="warning",
            code=AFTER_NOW,
        )
        waiting = unit_status(unit, None, previous, deadline, now)
        return UnitStatus(
            unit, waiting.state, None, previous, problems + parsed.locate([later]), deadline
        )
    if deadline is None:
        state = State.REPORTED
    elif submission.reported_at <= deadline:
        state = State.ON_TIME
    else:
        state = State.LATE
    return UnitStatus(unit, state, submission, previous, problems, deadline)


def day_status(
    registry: Registry,
    files: DayFiles,
    previous: Mapping[str, Submission],
    now: datetime | None,
    units: Iterable[Unit] | None = None,
) -> DayStatus:
    """Each unit's state on `files.day` (or only these units'), as seen at `now` (an aware
    datetime; None: every report counts), each file validated against `previous`."""
    if now is not None:
        now = now.astimezone(registry.timezone)
    deadlines = {group.id: deadline_of(group, files.day, registry) for group in registry.groups}
    parsed_files = files.files
    statuses = [
        unit_status(
            unit, parsed_files.get(unit.id), previous.get(unit.id), deadlines[unit.group.id], now
        )
        for unit in (registry.units if units is None else units)
    ]
    changes_at = None
    if now is not None:  # a deadline passing, a report timed ahead of `now` arriving
        moments = [d + _JUST_AFTER for d in deadlines.values() if d is not None]
        moments += [
            parsed.submission.reported_at - FUTURE_TOLERANCE
            for parsed in parsed_files.values()
            if parsed.submission is not None
        ]
        changes_at = min((m for m in moments if m > now), default=None)
    stray = sorted(files.stray, key=lambda problem: not problem.is_error)  # errors first
    return DayStatus(files.day, now, statuses, stray, changes_at=changes_at)
