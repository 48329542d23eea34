"""The district's consolidated figures for a day, the content of both reports and the board.

District installs are the sum over the units whose group `counts_in_total`
(communes/town): departments, schools and the youth union are subsets of the
same residents and would count people twice. A unit that has not reported
today is shown (a commune also counted) with its last report, and the report says so.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from bluezone_tui.base.vn import percent
from bluezone_tui.day.status import DayStatus, UnitStatus
from bluezone_tui.day.submission import Value
from bluezone_tui.registry.model import ATTRIBUTE_LABELS, Form, Group, Rate, Unit

HAMLETS_WITH_TEAM = "hamlets_with_team"
DESK_OFFICER = "desk_officer"


@dataclass(frozen=True, slots=True)
class HamletGap:
    """A commune some of whose hamlets have no team yet (the letter asks for one in each)."""

    unit: Unit
    without_team: int
    hamlets: int


@dataclass(slots=True)
class UnitRow:
    """A unit's figures on the day: its report's, else its last ones (`carried_from`)."""

    status: UnitStatus
    figures: dict[str, Value]
    carried_from: date | None = None
    headline: int | None = None
    previous_headline: int | None = None
    rate: Decimal | None = None
    rate_numerator: int | None = None  # sum of the group's `rate.of`: a reader can check it
    rate_denominator: int | None = None  # sum of `rate.over`
    previous_rate: Decimal | None = None
    rank: int | None = None  # in its group, by rate; set once every row is known
    meets_target: bool | None = None

    @property
    def unit(self) -> Unit:
        return self.status.unit

    @property
    def change(self) -> int | None:
        if self.headline is None or self.previous_headline is None or self.carried_from:
            return None
        return self.headline - self.previous_headline

    @property
    def rate_change(self) -> Decimal | None:
        if self.rate is None or self.previous_rate is None or self.carried_from:
            return None
        return self.rate - self.previous_rate

    def figure(self, field_id: str) -> Value | None:
        return self.figures.get(field_id)


@dataclass(slots=True)
class Consolidation:
    status: DayStatus
    rows: list[UnitRow]
    installs: int = 0
    population: int = 0
    previous_installs: int | None = None
    by_group: dict[str, list[UnitRow]] = field(default_factory=dict)

    @property
    def day(self) -> date:
        return self.status.day

    @property
    def rate(self) -> Decimal | None:
        return percent(self.installs, self.population)

    @property
    def previous_rate(self) -> Decimal | None:
        if self.previous_installs is None:
            return None
        return percent(self.previous_installs, self.population)

    @property
    def change(self) -> int | None:
        if self.previous_installs is None:
            return None
        return self.installs - self.previous_installs

    @property
    def rate_change(self) -> Decimal | None:
        if self.rate is None or self.previous_rate is None:
            return None
        return self.rate - self.previous_rate

    def rows_in(self, group: Group) -> list[UnitRow]:
        return self.by_group.get(group.id, [])

    @property
    def carried(self) -> list[UnitRow]:
        """Units without a report today, shown (and, for communes, counted) with their last."""
        return [row for row in self.rows if row.carried_from]

    @property
    def without_figures(self) -> list[UnitRow]:
        """Units in the total that have never reported: they add 0."""
        return [row for row in self.rows if row.unit.group.counts_in_total and row.headline is None]

    @property
    def hamlets_without_team(self) -> list[HamletGap]:
        """The communes where some hamlet has no team."""
        found = []
        for row in self.rows:
            if row.unit.form.field(HAMLETS_WITH_TEAM) is None or not row.unit.hamlets:
                continue
            with_team = row.figures.get(HAMLETS_WITH_TEAM)
            if isinstance(with_team, int) and not isinstance(with_team, bool):
                total = len(row.unit.hamlets)
                if with_team < total:
                    found.append(HamletGap(row.unit, total - with_team, total))
        return found

    @property
    def without_desk_officer(self) -> list[Unit]:
        return [
            row.unit
            for row in self.rows
            if row.unit.form.field(DESK_OFFICER) is not None
            and row.figures.get(DESK_OFFICER) is False
        ]


def rate_parts(rate: Rate, unit: Unit, figures: dict[str, Value]) -> tuple[int, int] | None:
    """(sum of `of`, sum of `over`): the numerator and denominator a reader can check."""
    numerator = _sum(rate.of, unit, figures)
    denominator = _sum(rate.over, unit, figures)
    if numerator is None or denominator is None:
        return None
    return numerator, denominator


def rate_of(rate: Rate, unit: Unit, figures: dict[str, Value]) -> Decimal | None:
    """sum(of) / sum(over) in percent; None if a part is missing or the base is 0."""
    parts = rate_parts(rate, unit, figures)
    return percent(*parts) if parts is not None else None


def rate_definition(rate: Rate, form: Form) -> str:
    """ "Tỷ lệ cài = (CB, GV đã cài + HS đã cài) / (CB, GV + HS có ĐTTM)", for the report."""

    def side(names: tuple[str, ...]) -> str:
        words = []
        for name in names:
            form_field = form.field(name)
            words.append(form_field.short_label if form_field else ATTRIBUTE_LABELS.get(name, name))
        text = " + ".join(words)
        return f"({text})" if len(words) > 1 else text

    return f"{rate.label} = {side(rate.of)} / {side(rate.over)} × 100%"


def _sum(names: tuple[str, ...], unit: Unit, figures: dict[str, Value]) -> int | None:
    total = 0
    for name in names:
        value = (
            figures.get(name) if unit.form.field(name) is not None else unit.attributes.get(name)
        )
        if not isinstance(value, int) or isinstance(value, bool):
            return None
        total += value
    return total


def _headline(unit: Unit, figures: dict[str, Value]) -> int | None:
    value = figures.get(unit.form.headline.id)
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    return None


def unit_row(unit_status: UnitStatus) -> UnitRow:
    """A unit's row before ranking: a function of its status alone."""
    unit = unit_status.unit
    rate = unit.group.rate
    submission = unit_status.submission
    previous = unit_status.previous
    row = UnitRow(unit_status, {})
    if submission is not None:
        row.figures = submission.figures
    elif previous is not None:  # shown with its last figures, and marked so
        row.figures = previous.figures
        row.carried_from = previous.day
    row.headline = _headline(unit, row.figures)
    if previous is not None:
        row.previous_headline = _headline(unit, previous.figures)
        if rate is not None:
            row.previous_rate = rate_of(rate, unit, previous.figures)
    if rate is not None and row.figures:
        parts = rate_parts(rate, unit, row.figures)
        if parts is not None:
            row.rate_numerator, row.rate_denominator = parts
            row.rate = percent(*parts)
        if rate.target is not None and row.rate is not None:  # carried too: never vanish
            row.meets_target = row.rate >= rate.target
    return row


def consolidate(status: DayStatus) -> Consolidation:
    """Totals, rates, ranks and changes from a day's status (pure: no files read).

    The one home of the district total: the headline figures of the groups that count
    in it, a unit without a report today counted with its last ones.
    """
    rows = [unit_row(unit_status) for unit_status in status.units]
    result = Consolidation(status, rows)
    previous_total = None
    for row in rows:
        unit = row.unit
        result.by_group.setdefault(unit.group.id, []).append(row)
        if unit.group.counts_in_total:
            result.population += unit.attributes.get("population", 0)
            if row.headline is not None:
                result.installs += row.headline
            if row.previous_headline is not None:
                previous_total = (previous_total or 0) + row.previous_headline
    result.previous_installs = previous_total
    for group_rows in result.by_group.values():
        ranks = competition_ranks([row.rate for row in group_rows])
        for row, rank in zip(group_rows, ranks, strict=True):
            row.rank = rank
    return result


def competition_ranks(rates: list[Decimal | None]) -> list[int | None]:
    """Competition ranking by rate, highest first (1, 2, 2, 4); unrated rows get no rank."""
    rated = [(index, rate) for index, rate in enumerate(rates) if rate is not None]
    order = [index for index, _ in sorted(rated, key=lambda pair: pair[1], reverse=True)]
    ranks: list[int | None] = [None] * len(rates)
    last_rate = None
    last_rank = 0
    for position, index in enumerate(order, 1):
        rate = rates[index]
        if rate != last_rate:
            last_rank = position
            last_rate = rate
        ranks[index] = last_rank
    return ranks
