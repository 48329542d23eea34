"""Where each unit stands today: on time, late, missing, not yet due, or a broken file.

Deadlines are instants in the registry's timezone. A report made at the
deadline minute itself (15:00:00) is on time; from 15:00:01 it is late, and a
unit with no report becomes "missing" at that same second. Completeness and
timeliness follow DHIS2 (reported / expected, on time / expected), to the minute.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from .files import CONFLICTED
from .problems import Problem
from .registry import Group, Registry, Unit
from .state import State
from .store import DayFiles, Store
from .submission import ParsedFile, Submission, at_local
from .validate import FUTURE_TOLERANCE, locate, validate
from .vn import fmt_date_short, fmt_time, percent

AFTER_NOW = "reported-after-now"


@dataclass(frozen=True, slots=True)
class UnitStatus:
    unit: Unit
    state: State
    submission: Submission | None = None
    previous: Submission | None = None
    problems: tuple[Problem, ...] = ()
    deadline: datetime | None = None

    @property
    def late_minutes(self) -> int:
        if self.state is not State.LATE or self.submission is None or self.deadline is None:
            return 0
        seconds = (self.submission.reported_at - self.deadline).total_seconds()
        return max(1, int(-(-seconds // 60)))

    @property
    def error_message(self) -> str:
        errors = [p for p in self.problems if p.is_error]
        return str(errors[0]) if errors else ""


@dataclass(slots=True)
class DayStatus:
    day: date
    now: datetime
    units: list[UnitStatus]
    stray: list[Problem] = field(default_factory=list)
    counts: dict[State, int] = field(default_factory=dict)
    # What this status was computed from, for the next computation of the same day
    memo: DayMemo | None = field(default=None, repr=False, compare=False)

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

    def of(self, unit_id: str) -> UnitStatus | None:
        for status in self.units:
            if status.unit.id == unit_id:
                return status
        return None

    def in_group(self, group: Group) -> list[UnitStatus]:
        return [status for status in self.units if status.unit.group is group]


def deadline_of(group: Group, day: date, registry: Registry) -> datetime | None:
    if group.deadline is None:
        return None
    return at_local(day, group.deadline, registry.timezone)


def consolidation_deadline(day: date, registry: Registry) -> datetime:
    return at_local(day, registry.consolidation_deadline, registry.timezone)


def arrived(submission: Submission | None, now: datetime | None) -> bool:
    """Whether a report counts at `now`: one timed after it (beyond FUTURE_TOLERANCE, a
    clock a little ahead) has not been made yet at that moment. None: no moment, all count."""
    return submission is None or now is None or submission.reported_at <= now + FUTURE_TOLERANCE


def _after_now_problem(submission: Submission, now: datetime, path) -> Problem:  # type: ignore[no-untyped-def]
    at = submission.reported_at
    # No "now" in the words: the memo keeps this status while the clock moves on.
    problem = Problem(
        f"báo cáo ghi lúc {fmt_time(at)} ngày {fmt_date_short(at.date())}, sau thời điểm "
        f"đang xem: chưa tính là đã báo cáo",
        field="reported_at",
        severity="warning",
        code=AFTER_NOW,
    )
    return locate([problem], path)[0] if path is not None else problem


def unit_status(
    registry: Registry,
    unit: Unit,
    day: date,
    now: datetime | None,
    parsed_problems: tuple[Problem, ...],
    submission: Submission | None,
    previous: Submission | None,
    path=None,  # type: ignore[no-untyped-def]
) -> UnitStatus:
    deadline = deadline_of(unit.group, day, registry)
    return _unit_status(unit, day, now, parsed_problems, submission, previous, path, deadline)


def _unit_status(
    unit: Unit,
    day: date,
    now: datetime | None,
    parsed_problems: tuple[Problem, ...],
    submission: Submission | None,
    previous: Submission | None,
    path,  # type: ignore[no-untyped-def]
    deadline: datetime | None,
) -> UnitStatus:
    problems = parsed_problems
    if submission is not None and not any(p.is_error for p in parsed_problems):
        found = validate(
            unit,
            submission.figures,
            day=day,
            reported_at=submission.reported_at,
            previous=previous,
            note=submission.note,
            confirmed=submission.confirmed_warnings,
        )
        if found and path is not None:
            found = locate(found, path)
        problems = parsed_problems + tuple(found)
    if any(p.is_error for p in problems) or (submission is None and problems):
        conflicted = any(p.code == CONFLICTED for p in problems)
        state = State.CONFLICT if conflicted else State.FILE_ERROR
        return UnitStatus(unit, state, None, previous, problems, deadline)
    if not arrived(submission, now):  # not reported yet at `now`: as if there were no file
        problems = problems + (_after_now_problem(submission, now, path),)  # type: ignore[arg-type]
        submission = None
    if submission is not None:
        if deadline is None:
            state = State.REPORTED
        elif submission.reported_at <= deadline:
            state = State.ON_TIME
        else:
            state = State.LATE
        return UnitStatus(unit, state, submission, previous, problems, deadline)
    if deadline is None:
        return UnitStatus(unit, State.NO_REPORT, None, previous, problems, None)
    state = State.MISSING if now is not None and now > deadline else State.NOT_YET_DUE
    return UnitStatus(unit, state, None, previous, problems, deadline)


# How many days' memos a registry keeps (the board shows one day at a time).
MEMO_DAYS = 4


@dataclass(slots=True)
class DayMemo:
    """What the last status of a day was computed from, and its parts, so that the next
    computation redoes only what changed: a unit whose file (the same ParsedFile object,
    which the store hands out again while the file is unchanged) and previous report
    are the same, and whose report has (or has not) arrived at `now` as before, keeps its
    UnitStatus; nothing changed at all keeps the whole list.
    Kept in `Registry.memo`; consolidate() keeps its own parts here too.

    A report timed after `now` does not count yet (see arrived()), so `now` matters for
    units with a file too: each unit's entry keeps its arrival key (0: counts; 1: not yet,
    deadline not passed; 2: not yet, deadline passed), and `window` is the range of
    now + FUTURE_TOLERANCE within which every unit's arrival stays as last computed:
    (latest reported_at that counted, earliest that did not), None for no bound."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    files: DayFiles | None = None
    previous: dict[str, Submission] | None = None
    passed: tuple[bool, ...] = ()
    window: tuple[datetime | None, datetime | None] = (None, None)
    status: DayStatus | None = None
    units: dict[str, tuple[ParsedFile, Submission | None, UnitStatus, int]] = field(
        default_factory=dict
    )
    # consolidate(): unit id -> (UnitStatus, its figures before ranking), the final rows,
    # each group's ranks, and the last result
    rows: dict[str, tuple[UnitStatus, tuple]] = field(default_factory=dict)
    final: dict[str, object] = field(default_factory=dict)
    ranks: dict[str, list[int | None]] = field(default_factory=dict)
    consolidation: object = None


def _memo_for(registry: Registry, day: date) -> DayMemo:
    key = ("day-status", day)
    memo = registry.memo.get(key)
    if not isinstance(memo, DayMemo):
        memo = registry.memo[key] = DayMemo()
        days = [k for k in registry.memo if isinstance(k, tuple) and k[0] == "day-status"]
        for old in days[:-MEMO_DAYS]:
            registry.memo.pop(old, None)
    return memo


def _same_previous(a: dict[str, Submission] | None, b: dict[str, Submission]) -> bool:
    if a is b:
        return True
    if a is None or len(a) != len(b):
        return False
    get = a.get
    return all(get(unit_id) is submission for unit_id, submission in b.items())


def day_status(
    registry: Registry,
    files: DayFiles,
    previous: dict[str, Submission],
    now: datetime,
) -> DayStatus:
    """Each unit's state on `files.day` as seen at `now` (an aware datetime).

    Only units whose file or previous report changed since the last call for the
    same day are computed again (see DayMemo); `now` only moves units between
    "not yet due" and "missing", and decides whether a report timed after it counts.
    """
    now = now.astimezone(registry.timezone)
    day = files.day
    deadlines = {group.id: deadline_of(group, day, registry) for group in registry.groups}
    passed_by_group = {gid: d is not None and now > d for gid, d in deadlines.items()}
    passed = tuple(passed_by_group.values())
    limit = now + FUTURE_TOLERANCE
    memo = _memo_for(registry, day)
    with memo.lock:
        last = memo.status
        low, high = memo.window
        if (
            last is not None
            and memo.files is files
            and memo.passed == passed
            and (low is None or limit >= low)
            and (high is None or limit < high)
            and _same_previous(memo.previous, previous)
        ):
            return DayStatus(
                day=day,
                now=now,
                units=list(last.units),
                stray=list(last.stray),
                counts=dict(last.counts),
                memo=memo,
            )
        statuses = []
        append = statuses.append
        known = memo.units
        kept: dict[str, tuple[ParsedFile, Submission | None, UnitStatus, int]] = {}
        parsed_files = files.files
        get_previous = previous.get
        low = high = None
        for unit in registry.units:
            unit_id = unit.id
            parsed = parsed_files.get(unit_id)
            before = get_previous(unit_id)
            if parsed is None:
                deadline = deadlines[unit.group.id]
                if deadline is None:
                    append(UnitStatus(unit, State.NO_REPORT, None, before, (), None))
                else:
                    state = State.MISSING if now > deadline else State.NOT_YET_DUE
                    append(UnitStatus(unit, state, None, before, (), deadline))
                continue
            submission = parsed.submission
            came = 0
            if submission is not None:
                at = submission.reported_at
                if at <= limit:
                    if low is None or at > low:
                        low = at
                else:  # not reported yet at `now`
                    came = 2 if passed_by_group[unit.group.id] else 1
                    if high is None or at < high:
                        high = at
            hit = known.get(unit_id)
            if hit is not None and hit[0] is parsed and hit[1] is before and hit[3] == came:
                status = hit[2]
            else:
                status = _unit_status(
                    unit,
                    day,
                    now,
                    parsed.problems,
                    parsed.submission,
                    before,
                    parsed.path,
                    deadlines[unit.group.id],
                )
            kept[unit_id] = (parsed, before, status, came)
            append(status)
        result = DayStatus(day=day, now=now, units=statuses, stray=list(files.stray), memo=memo)
        memo.units = kept
        memo.files = files
        memo.previous = dict(previous)  # a copy: the caller may change its dict
        memo.passed = passed
        memo.window = (low, high)
        memo.status = result
        return result


def load_status(store: Store, day: date, now: datetime) -> DayStatus:
    """Read the day (cached) and the previous reports, and compute the status."""
    files = store.read_day(day)
    previous = store.previous(day)
    return day_status(store.registry, files, previous, now)
