"""Rates over the days on record: the district's, each commune's, and one unit's history.

A unit that did not report on a day keeps its last figure (cumulative counts
do not go back to zero), so a missing report is a flat step, not a dip.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from .consolidate import rate_of
from .status import arrived
from .store import Store
from .submission import Submission
from .vn import percent

SPARK_CHARS = "▁▂▃▄▅▆▇█"


@dataclass(slots=True)
class Trend:
    days: list[date] = field(default_factory=list)
    installs: list[int] = field(default_factory=list)
    rates: list[Decimal | None] = field(default_factory=list)
    unit_rates: dict[str, list[Decimal | None]] = field(default_factory=dict)
    unit_reported: dict[str, list[bool]] = field(default_factory=dict)


def build_trend(store: Store, until: date | None = None, now: datetime | None = None) -> Trend:
    """The district and per-unit series over every day folder up to `until`.

    Seen at `now` as the board sees it: a report timed after `now` has not arrived.
    ConfigError when submissions/ cannot be used: no trend rather than an empty one.
    """
    store.require_usable()
    registry = store.registry
    tracked = [u for u in registry.units if u.group.rate is not None or u.group.counts_in_total]
    population = registry.population
    trend = Trend(
        unit_rates={u.id: [] for u in tracked},
        unit_reported={u.id: [] for u in tracked},
    )
    last: dict[str, Submission] = {}
    for day in store.days():
        if until is not None and day > until:
            break
        files = store.read_day(day)
        reported_today = set()
        for unit_id, parsed in files.files.items():
            submission = store.usable(parsed)
            if submission is not None and arrived(submission, now):
                last[unit_id] = submission
                reported_today.add(unit_id)
        installs = 0
        for unit in registry.units:
            if unit.group.counts_in_total and unit.id in last:
                value = last[unit.id].figures.get(unit.form.headline.id)
                if isinstance(value, int) and not isinstance(value, bool):
                    installs += value
        trend.days.append(day)
        trend.installs.append(installs)
        trend.rates.append(percent(installs, population))
        for unit in tracked:
            submission = last.get(unit.id)
            rate = None
            if submission is not None and unit.group.rate is not None:
                rate = rate_of(unit.group.rate, unit, submission.figures)
            trend.unit_rates[unit.id].append(rate)
            trend.unit_reported[unit.id].append(unit.id in reported_today)
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
