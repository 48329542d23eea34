"""The one path from files to figures, as beancount's loader: read and parse (the store,
locations carried from the parse) → validate each file once, against the unit's last valid
earlier report → status → consolidation.

`load_day` (or `load_status`, when no figures are needed) is what every command and
view calls; the board reads the files itself (`read_days`) so that it computes again
only when they, or the clock, changed.
"""

from __future__ import annotations

import os
from collections.abc import Collection, Iterator, Sequence
from datetime import date, datetime

from bluezone_tui.base.problems import Problem
from bluezone_tui.base.vn import fmt_date_short
from bluezone_tui.day.consolidate import Consolidation, consolidate
from bluezone_tui.day.status import DayStatus, UnitStatus, day_status
from bluezone_tui.day.store import UNREADABLE, DayFiles, Store
from bluezone_tui.day.submission import Submission
from bluezone_tui.registry.model import Registry

# How many of a unit's earlier reports are read back: the one its figures may be carried
# from, the one that report's cross-day checks are judged against, and one more in case
# the newest turns out invalid. The oldest read stands on its own day's checks.
EARLIER_REPORTS_READ = 3
CARRIED_PAST_BROKEN = "carried-past-broken"  # Problem.code


def read_days(
    store: Store,
    until: date,
    unit_ids: Collection[str] | None = None,
    until_files: DayFiles | None = None,
) -> list[DayFiles]:
    """The files `until`'s figures come from, oldest first, then `until` itself (empty
    without a folder; `until_files` when the caller knows them unchanged); only these
    units' files if given.

    Earlier days are read backwards, each only for the units still short of
    EARLIER_REPORTS_READ parsed reports, and no further than needed: a year of folders
    costs a unit what its last few reports cost, not its whole history.
    """
    wanted = [unit.id for unit in store.registry.units] if unit_ids is None else unit_ids
    short = dict.fromkeys(wanted, EARLIER_REPORTS_READ)
    earlier: list[DayFiles] = []
    for day in reversed(store.days()):
        if not short:
            break
        if day >= until:
            continue
        files = store.read_day(day, list(short))
        for unit_id, parsed in files.files.items():
            if parsed.submission is not None:
                short[unit_id] -= 1
                if not short[unit_id]:
                    del short[unit_id]
        earlier.append(files)
    earlier.reverse()
    days = [*earlier, until_files if until_files is not None else store.read_day(until, unit_ids)]
    store.keep_parses()  # for the next command, when this one's store keeps them
    return days


def walk(
    registry: Registry,
    days: Sequence[DayFiles],
    now: datetime | None,
    unit_ids: Collection[str] | None = None,
) -> Iterator[DayStatus]:
    """Each day's status, oldest first, as seen at `now`.

    The one home of "the last valid earlier report": a unit's report counts from the day
    after it if it passed its own day's checks against the one before it, and had been
    made by `now`; a file shown as "lỗi tệp" is never carried. The last status's
    `changes_at` is the earliest over every day walked.
    """
    units = None if unit_ids is None else [registry.by_id[unit_id] for unit_id in unit_ids]
    previous: dict[str, Submission] = {}
    # unit id -> its files shown as "lỗi tệp" since its last valid report: what is skipped
    # when a figure is carried
    skipped: dict[str, list[tuple[date, UnitStatus]]] = {}
    changes_at = None
    last = len(days) - 1
    for position, files in enumerate(days):
        status = day_status(registry, files, previous, now, units)
        if status.changes_at is not None and (changes_at is None or status.changes_at < changes_at):
            changes_at = status.changes_at
        status.changes_at = changes_at
        if position == last:
            status.stray[:0] = carried_past_broken(status, skipped)  # errors first
        yield status
        previous = {s.unit.id: s.latest for s in status.units if s.latest is not None}
        for unit_status in status.units:
            if unit_status.submission is not None:
                skipped.pop(unit_status.unit.id, None)
            elif unit_status.state.unreadable:
                skipped.setdefault(unit_status.unit.id, []).append((status.day, unit_status))


def carried_past_broken(
    status: DayStatus, skipped: dict[str, list[tuple[date, UnitStatus]]]
) -> list[Problem]:
    """A unit without a report today whose last figures would be carried (or would be,
    but cannot) across earlier files that could not be counted: an error naming them,
    never a silent older figure."""
    found = []
    refused: dict[str, tuple[Problem, set[date], int]] = {}  # a permission: said once
    for unit_status in status.units:
        broken = skipped.get(unit_status.unit.id)
        if unit_status.submission is not None or not broken:
            continue
        first = broken[-1][1].first_error
        if first is not None and first.code == UNREADABLE:
            problem, days_refused, count = refused.get(first.message, (first, set(), 0))
            days_refused.update(day for day, _ in broken)
            refused[first.message] = (problem, days_refused, count + 1)
            continue
        unit = unit_status.unit
        days = ", ".join(fmt_date_short(day) for day, _ in broken)
        earlier = unit_status.previous
        if earlier is not None:
            what = f"số liệu mang sang là của ngày {fmt_date_short(earlier.day)}"
        else:
            what = "không có số liệu gần nhất để mang sang"
        first = broken[-1][1].first_error
        found.append(
            Problem(
                f"«{unit.name}» ({unit.id}) chưa có báo cáo ngày {fmt_date_short(status.day)}: "
                f"{what}, vì tệp ngày {days} bị lỗi nên không tính; sửa tệp (bluezone check) "
                f"hoặc nhập lại số liệu ngày đó",
                path=first.path if first is not None else None,
                code=CARRIED_PAST_BROKEN,
            )
        )
    for problem, days_refused, count in refused.values():  # not a broken file: a permission
        path = problem.path
        while path is not None and not os.path.lexists(path) and path.parent != path:
            path = path.parent  # the folder that refused, not a file name guessed inside it
        days = ", ".join(fmt_date_short(day) for day in sorted(days_refused))
        found.append(
            Problem(
                f"{problem.message}; vì vậy số liệu ngày {days} của {count} đơn vị chưa có báo "
                f"cáo ngày {fmt_date_short(status.day)} không tính được (không phải tệp hỏng: "
                f"kiểm tra quyền truy cập)",
                path=path,
                code=CARRIED_PAST_BROKEN,
            )
        )
    return found


def figures_of(registry: Registry, days: Sequence[DayFiles], now: datetime) -> Consolidation:
    """The consolidation of the last of `days` (see read_days), from files already read."""
    *_, status = walk(registry, days, now)
    return consolidate(status)


def load_status(store: Store, day: date, now: datetime) -> DayStatus:
    """The day's status as seen at `now`: who reported, who is late (`bluezone remind`)."""
    *_, status = walk(store.registry, read_days(store, day), now)
    return status


def load_day(store: Store, day: date, now: datetime) -> Consolidation:
    """The day's status and figures as seen at `now`: what every report and view shows."""
    return consolidate(load_status(store, day, now))


def earlier_report(store: Store, unit_id: str, day: date, now: datetime) -> Submission | None:
    """The unit's last valid report before `day`: the form's "trước:" and the cross-day checks."""
    *_, status = walk(store.registry, read_days(store, day, [unit_id]), now, [unit_id])
    return status.units[0].previous
