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

from .registry import ATTRIBUTE_LABELS, Form, Group, Rate, Unit
from .status import DayMemo, DayStatus, State, UnitStatus
from .submission import Submission, Value
from .vn import percent

HAMLETS_WITH_TEAM = "hamlets_with_team"
DESK_OFFICER = "desk_officer"


@dataclass(frozen=True, slots=True)
class UnitRow:
    status: UnitStatus
    figures: dict[str, Value]
    carried_from: date | None = None
    headline: int | None = None
    previous_headline: int | None = None
    rate: Decimal | None = None
    previous_rate: Decimal | None = None
    rank: int | None = None
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
    def hamlets_without_team(self) -> list[tuple[Unit, int, int]]:
        """(commune, hamlets without a team, hamlets in all) where some hamlet has no team."""
        found = []
        for row in self.rows:
            if row.unit.form.field(HAMLETS_WITH_TEAM) is None or not row.unit.hamlets:
                continue
            with_team = row.figures.get(HAMLETS_WITH_TEAM)
            if isinstance(with_team, int) and not isinstance(with_team, bool):
                total = len(row.unit.hamlets)
                if with_team < total:
                    found.append((row.unit, total - with_team, total))
        return found

    @property
    def without_desk_officer(self) -> list[Unit]:
        return [
            row.unit
            for row in self.rows
            if row.unit.form.field(DESK_OFFICER) is not None
            and row.figures.get(DESK_OFFICER) is False
        ]

    @property
    def below_target(self) -> list[UnitRow]:
        return [row for row in self.rows if row.meets_target is False]

    @property
    def late(self) -> list[UnitStatus]:
        return [s for s in self.status.units if s.state is State.LATE]

    @property
    def missing(self) -> list[UnitStatus]:
        return [s for s in self.status.units if s.state is State.MISSING]


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


def _row_values(unit_status: UnitStatus) -> tuple:
    """A unit's figures before ranking: (figures, carried_from, headline, previous_headline,
    rate, previous_rate, meets_target); a function of the UnitStatus alone."""
    unit = unit_status.unit
    group = unit.group
    submission: Submission | None = unit_status.submission
    previous = unit_status.previous
    carried_from = None
    if submission is not None:
        figures = submission.figures
    elif previous is not None:  # shown with its last figures, and marked so
        figures = previous.figures
        carried_from = previous.day
    else:
        figures = {}
    headline = _headline(unit, figures)
    previous_figures = previous.figures if previous is not None else None
    previous_headline = _headline(unit, previous_figures) if previous_figures else None
    rate = previous_rate = None
    meets_target = None
    if group.rate is not None:
        rate = rate_of(group.rate, unit, figures) if figures else None
        if previous_figures:
            previous_rate = rate_of(group.rate, unit, previous_figures)
        if group.rate.target is not None and rate is not None:  # carried too: never vanish
            meets_target = rate >= group.rate.target
    return (figures, carried_from, headline, previous_headline, rate, previous_rate, meets_target)


def consolidate(status: DayStatus) -> Consolidation:
    """Totals, rates, ranks and changes from a day's status (pure: no files read).

    A status from day_status() carries the memo of its day: rows whose UnitStatus is
    the same object as last time are reused, and when no unit changed at all the
    last result is reused whole (with this status's `now`).
    """
    memo = status.memo
    if memo is None:
        return _consolidate(status, DayMemo())
    with memo.lock:
        return _consolidate(status, memo)


def _same_items(a: list | tuple, b: list | tuple) -> bool:
    return len(a) == len(b) and all(x is y for x, y in zip(a, b, strict=True))


def _consolidate(status: DayStatus, memo: DayMemo) -> Consolidation:
    last = memo.consolidation
    if isinstance(last, Consolidation):
        if last.status is status:
            return last
        if _same_items(last.status.units, status.units):
            result = Consolidation(
                status=status,
                rows=list(last.rows),
                installs=last.installs,
                population=last.population,
                previous_installs=last.previous_installs,
                by_group={group_id: list(rows) for group_id, rows in last.by_group.items()},
            )
            memo.consolidation = result
            return result
    known = memo.rows
    kept: dict[str, tuple[UnitStatus, tuple]] = {}
    all_values: list[tuple] = []
    members: dict[str, list[int]] = {}
    installs = 0
    population = 0
    previous_total = 0
    has_previous = False
    for index, unit_status in enumerate(status.units):
        unit = unit_status.unit
        hit = known.get(unit.id)
        if hit is not None and hit[0] is unit_status:
            values = hit[1]
        else:
            values = _row_values(unit_status)
        kept[unit.id] = (unit_status, values)
        all_values.append(values)
        group = unit.group
        if group.counts_in_total:
            population += unit.attributes.get("population", 0)
            if values[2] is not None:
                installs += values[2]
            if values[3] is not None:
                previous_total += values[3]
                has_previous = True
        group_members = members.get(group.id)
        if group_members is None:
            group_members = members[group.id] = []
        group_members.append(index)
    ranks: list[int | None] = [None] * len(all_values)
    kept_ranks: dict[str, tuple[tuple, list[int | None]]] = {}
    for group_id, indices in members.items():
        group_values = tuple(all_values[i] for i in indices)
        cached = memo.ranks.get(group_id)
        if cached is not None and _same_items(cached[0], group_values):  # type: ignore[index]
            group_ranks = cached[1]  # type: ignore[index]
        else:
            group_ranks = competition_ranks([values[4] for values in group_values])
        kept_ranks[group_id] = (group_values, group_ranks)
        for i, rank in zip(indices, group_ranks, strict=True):
            ranks[i] = rank
    final = memo.final
    kept_final: dict[str, UnitRow] = {}
    rows: list[UnitRow] = []
    for unit_status, values, rank in zip(status.units, all_values, ranks, strict=True):
        unit_id = unit_status.unit.id
        row = final.get(unit_id)
        if not (
            isinstance(row, UnitRow)
            and row.status is unit_status
            and row.rank == rank
            and row.figures is values[0]
        ):
            row = UnitRow(
                status=unit_status,
                figures=values[0],
                carried_from=values[1],
                headline=values[2],
                previous_headline=values[3],
                rate=values[4],
                previous_rate=values[5],
                rank=rank,
                meets_target=values[6],
            )
        kept_final[unit_id] = row
        rows.append(row)
    by_group = {group_id: [rows[i] for i in indices] for group_id, indices in members.items()}
    result = Consolidation(
        status=status,
        rows=rows,
        installs=installs,
        population=population,
        previous_installs=previous_total if has_previous else None,
        by_group=by_group,
    )
    memo.rows = kept
    memo.ranks = kept_ranks  # type: ignore[assignment]
    memo.final = kept_final  # type: ignore[assignment]
    memo.consolidation = result
    return result


def competition_ranks(rates: list[Decimal | None]) -> list[int | None]:
    """Competition ranking by rate, highest first (1, 2, 2, 4); unrated rows get no rank."""
    order = sorted(
        (index for index, rate in enumerate(rates) if rate is not None),
        key=rates.__getitem__,
        reverse=True,
    )
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
