"""The one path from files to figures, as beancount's loader: read and parse (the store,
locations carried from the parse) → validate each file once, against the unit's last valid
earlier report → status → consolidation.

`load_day` (or `load_status`, when no figures are needed) is what every command and
view calls; the board reads the files itself (`read_days`) so that it computes again
only when they, or the clock, changed.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Sequence
from datetime import date, datetime

from .consolidate import Consolidation, consolidate
from .registry import Registry
from .status import DayStatus, day_status
from .store import DayFiles, Store
from .submission import Submission


def read_days(store: Store, until: date, unit_ids: Collection[str] | None = None) -> list[DayFiles]:
    """The files `until`'s figures come from: every day folder before it, oldest first,
    then `until` itself (empty without a folder); only these units' files if given."""
    days = [day for day in store.days() if day < until] + [until]
    return [store.read_day(day, unit_ids) for day in days]


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
    changes_at = None
    for files in days:
        status = day_status(registry, files, previous, now, units)
        if status.changes_at is not None and (changes_at is None or status.changes_at < changes_at):
            changes_at = status.changes_at
        status.changes_at = changes_at
        yield status
        previous = {s.unit.id: s.latest for s in status.units if s.latest is not None}  # type: ignore[misc]


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
