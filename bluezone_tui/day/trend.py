"""Rates over the days on record: the district's, each commune's, and one unit's history.

Each day is consolidated as the report of that day would be, so a unit that did not
report keeps its last figure (cumulative counts do not go back to zero): a missing
report is a flat step, not a dip.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from bluezone_tui.day.consolidate import consolidate
from bluezone_tui.day.loader import walk
from bluezone_tui.day.store import Store
from bluezone_tui.day.submission import Submission

SPARK_CHARS = "▁▂▃▄▅▆▇█"


@dataclass(slots=True)
class Trend:
    days: list[date] = field(default_factory=list)
    installs: list[int] = field(default_factory=list)
    rates: list[Decimal | None] = field(default_factory=list)
    unit_rates: dict[str, list[Decimal | None]] = field(default_factory=dict)
    reports: dict[str, list[Submission]] = field(default_factory=dict)  # each unit's, oldest first


def build_trend(store: Store, until: date, now: datetime | None = None) -> Trend:
    """The district and per-unit series over every day folder up to `until`.

    Seen at `now` as the board sees it: a report timed after `now` has not arrived.
    ConfigError when submissions/ cannot be used: no trend rather than an empty one.
    """
    store.require_usable()
    registry = store.registry
    tracked = [u for u in registry.units if u.group.rate is not None or u.group.counts_in_total]
    trend = Trend(
        unit_rates={u.id: [] for u in tracked}, reports={u.id: [] for u in registry.units}
    )
    days = [store.read_day(day) for day in store.days() if day <= until]
    for status in walk(registry, days, now):
        consolidation = consolidate(status)
        trend.days.append(status.day)
        trend.installs.append(consolidation.installs)
        trend.rates.append(consolidation.rate)
        for row in consolidation.rows:
            if row.unit.id in trend.unit_rates:
                trend.unit_rates[row.unit.id].append(row.rate)
            if row.status.submission is not None:
                trend.reports[row.unit.id].append(row.status.submission)
    return trend


def sparkline(
    values: list[Decimal | None],
    width: int | None = None,
    low: Decimal | None = None,
    high: Decimal | None = None,
) -> str:
    """A one-line chart; gaps (None) are spaces. Scaled from low to high (default: the
    series' own min and max; pass a group's so that its rows compare with each other)."""
    if width is not None and len(values) > width:
        values = values[-width:]
    known = [v for v in values if v is not None]
    if not known:
        return " " * len(values)
    low = min(known) if low is None else low
    high = max(known) if high is None else high
    span = high - low
    out = []
    for value in values:
        if value is None:
            out.append(" ")
        elif span == 0:
            out.append(SPARK_CHARS[len(SPARK_CHARS) // 2])
        else:
            index = int((min(max(value, low), high) - low) / span * (len(SPARK_CHARS) - 1))
            out.append(SPARK_CHARS[index])
    return "".join(out)
