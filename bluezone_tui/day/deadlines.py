"""The day's deadline instants, in the registry's timezone: one home for the status, the
reports and the board's clock bar (light to import: the board draws its clock first)."""

from __future__ import annotations

import math
from datetime import date, datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bluezone_tui.registry.model import Group, Registry


def deadline_of(group: Group, day: date, registry: Registry) -> datetime | None:
    """When the group's reports are due on `day`; None: the group has no daily deadline."""
    if group.deadline is None:
        return None
    return datetime.combine(day, group.deadline, tzinfo=registry.timezone)


def consolidation_deadline(day: date, registry: Registry) -> datetime:
    """When the district's consolidated report is due on `day`."""
    return datetime.combine(day, registry.consolidation_deadline, tzinfo=registry.timezone)


def day_deadlines(day: date, registry: Registry) -> list[datetime]:
    """Every deadline instant of the day, each once, earliest first."""
    deadlines = (deadline_of(group, day, registry) for group in registry.groups)
    found = {deadline for deadline in deadlines if deadline is not None}
    found.add(consolidation_deadline(day, registry))
    return sorted(found)


def minutes_between(start: datetime, end: datetime) -> int:
    """Whole minutes from start to end, rounded up (30 seconds left is "1 phút", not 0): how
    late a report is, how long until a deadline or since it, on the board and in reminders."""
    return max(0, math.ceil((end - start).total_seconds() / 60))
