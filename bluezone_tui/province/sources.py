"""The province's ranking of its districts for a day, from what each district sends.

A source is a district's data folder (`units.yaml` + `submissions/`, or a git clone
of one), read through the same pipeline as `bluezone export`, or a CSV or workbook
that `bluezone export` wrote for that district, recognised by its stable header.
Anything else is refused, and so are two sources for one district and a source
for another day: a ranking built on them would be wrong without saying so.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from bluezone_tui.base.problems import BluezoneError, ConfigError, Problem, RefusedError
from bluezone_tui.base.spreadsheet import (
    UTF8,
    BadCell,
    NoSuchSheet,
    SpreadsheetError,
    read_table,
)
from bluezone_tui.base.vn import fmt_date_short, fmt_decimal, fmt_int, fold, parse_integer, percent
from bluezone_tui.day.consolidate import competition_ranks
from bluezone_tui.day.state import State
from bluezone_tui.province.districts import Listed, is_listed, not_listed
from bluezone_tui.registry.model import MAX_PEOPLE, REGISTRY_FILE
from bluezone_tui.reports.csv import FIXED_COLUMNS, TOTAL_ID
from bluezone_tui.reports.xlsx import DATA_SHEET

# The district report's first columns, which never change: how its CSV is recognised.
SIGNATURE = FIXED_COLUMNS[:6]
EXPECTED_ONLY = frozenset(
    s.code for s in (State.ON_TIME, State.LATE, State.MISSING, State.NOT_YET_DUE)
)
STATE_CODES = frozenset(s.code for s in State)
FRESH = frozenset(s.code for s in (State.ON_TIME, State.LATE, State.REPORTED))  # of the day
MAX_OPTIONAL_GROUPS = 12  # groups tried in and out of the TOTAL: 4,096 sets at most
FOLDER, CSV_FILE, WORKBOOK = "thư mục dữ liệu", "CSV", "Excel"
Row = dict[str, object]


@dataclass(frozen=True, slots=True)
class DistrictDay:
    """One district's figures for the day, as its source gives them."""

    name: str
    source: Path
    kind: str
    installs: int
    population: int
    change: int | None  # installs since the district's previous report, if the source has it
    expected: int
    reported: int
    on_time: int
    gso_code: str = ""
    province: str = ""
    problems: tuple[Problem, ...] = ()  # broken files in a data folder: named, not fatal
    notes: tuple[str, ...] = ()  # what reading the source skipped (a hidden sheet), said

    @property
    def rate(self) -> Decimal | None:
        return percent(self.installs, self.population)

    @property
    def rate_change(self) -> Decimal | None:
        if self.change is None or self.rate is None:
            return None
        before = percent(self.installs - self.change, self.population)
        return None if before is None else self.rate - before

    @property
    def completeness(self) -> Decimal | None:
        return percent(self.reported, self.expected)

    @property
    def timeliness(self) -> Decimal | None:
        return percent(self.on_time, self.expected)


@dataclass(frozen=True, slots=True)
class RankedDistrict:
    district: DistrictDay
    rank: int | None


@dataclass(frozen=True, slots=True)
class ProvinceRanking:
    day: date
    province: str
    districts: tuple[RankedDistrict, ...]  # highest rate first
    now: datetime
    listed: tuple[Listed, ...] | None = None  # the province's districts (--districts), if given

    @property
    def missing(self) -> list[Listed]:
        """The listed districts that no source speaks for (none when there is no list)."""
        return [
            entry
            for entry in self.listed or ()
            if not any(
                is_listed(entry, r.district.name, r.district.gso_code) for r in self.districts
            )
        ]

    @property
    def whole(self) -> bool:
        """Every district of the province is here: known only from its list."""
        return self.listed is not None and not self.missing

    @property
    def installs(self) -> int:
        return sum(r.district.installs for r in self.districts)

    @property
    def population(self) -> int:
        return sum(r.district.population for r in self.districts)

    @property
    def rate(self) -> Decimal | None:
        return percent(self.installs, self.population)

    @property
    def change(self) -> int | None:
        """The province's change, when every district's source has one."""
        changes = [r.district.change for r in self.districts]
        if not changes or any(c is None for c in changes):
            return None
        return sum(c for c in changes if c is not None)

    @property
    def rate_change(self) -> Decimal | None:
        change = self.change
        if change is None or self.rate is None:
            return None
        before = percent(self.installs - change, self.population)
        return None if before is None else self.rate - before

    @property
    def problems(self) -> list[Problem]:
        return [p for r in self.districts for p in r.district.problems]

    @property
    def notes(self) -> list[str]:
        return [f"{r.district.source}: {note}" for r in self.districts for note in r.district.notes]


# --------------------------------------------------------------------------- sources


def read_source(path: Path, day: date, now: datetime) -> DistrictDay:
    """One district's day from a data folder, a CSV or a workbook; RefusedError otherwise."""
    if path.is_dir():
        return _from_folder(path, day, now)
    if not path.exists():
        raise RefusedError(f"{path}: không có tệp hay thư mục này")
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return _checked(_from_table(path, day, CSV_FILE))
    if suffix == ".xlsx":
        return _checked(_from_table(path, day, WORKBOOK))
    raise RefusedError(
        f"{path}: không phải nguồn số liệu của huyện: cần thư mục dữ liệu (có {REGISTRY_FILE}), "
        f"hoặc tệp .csv / .xlsx do «bluezone export» xuất"
    )


def _from_folder(path: Path, day: date, now: datetime) -> DistrictDay:
    from bluezone_tui.day.loader import load_day
    from bluezone_tui.day.store import Store
    from bluezone_tui.registry.load import load_registry

    if not (path / REGISTRY_FILE).exists():
        hint = ""
        if (path.resolve().parent / REGISTRY_FILE).exists():
            hint = f" (đây là thư mục con; chỉ thư mục chứa nó, nơi có {REGISTRY_FILE})"
        raise RefusedError(
            f"{path}: không có {REGISTRY_FILE}: không phải thư mục dữ liệu của một huyện{hint}"
        )
    try:
        registry = load_registry(path)
    except ConfigError as exc:  # the district's data is refused; the province's run is not
        raise RefusedError(f"{path}: danh mục của huyện không dùng được", exc.problems) from None
    store = Store(path, registry)
    day_dir = store.day_dir(day)
    if not day_dir.is_dir():
        raise RefusedError(
            f"{path}: không có số liệu ngày {fmt_date_short(day)} "
            f"(không có thư mục submissions/{day.isoformat()})"
        )
    consolidation = load_day(store, day, now)
    status = consolidation.status
    counted = [row for row in consolidation.rows if row.unit.group.counts_in_total]
    if not any(row.status.submission is not None for row in counted):
        files = sum(1 for _ in day_dir.glob("*.toml"))
        why = (
            f"thư mục submissions/{day.isoformat()} trống"
            if not files
            else f"{files} tệp trong submissions/{day.isoformat()} nhưng không có báo cáo "
            f"nào đọc được của các đơn vị tính vào tổng của huyện"
        )
        carried = [row.carried_from for row in counted if row.carried_from is not None]
        if carried:
            why += f"; số liệu mới nhất là của ngày {fmt_date_short(max(carried))}"
        raise _stale(path, day, why)
    district = registry.district
    return _checked(
        DistrictDay(
            name=district.name,
            source=path,
            kind=FOLDER,
            installs=consolidation.installs,
            population=consolidation.population,
            change=consolidation.change,
            expected=status.expected,
            reported=status.reported,
            on_time=status.count(State.ON_TIME),
            gso_code=district.gso_code,
            province=district.province,
            problems=tuple(p for p in status.problems if p.is_error),
            notes=_head_notes(path),
        )
    )


def _head_notes(path: Path) -> tuple[str, ...]:
    """A district's folder whose git is not on a branch (a clone left on an old commit):
    its figures are that commit's, said as every view of a data folder says it."""
    from bluezone_tui.git.head import head_problem

    problem = head_problem(path)
    return (problem.message,) if problem is not None else ()


def _checked(district: DistrictDay) -> DistrictDay:
    """A district's totals are counts of people: never negative, never above MAX_PEOPLE."""
    for what, value in (("số người đã cài", district.installs), ("dân số", district.population)):
        if not 0 <= value <= MAX_PEOPLE:
            raise RefusedError(
                f"{district.source}: {what} của {district.name} là {_digits(value)}: không phải "
                f"số người (từ 0 đến {fmt_int(MAX_PEOPLE)}); huyện sửa số liệu rồi gửi lại"
            )
    return district


def _not_ours(path: Path, what: str) -> RefusedError:
    return RefusedError(
        f"{path}: {what}: không phải bảng số liệu do «bluezone export» xuất (dòng tiêu đề "
        f"phải bắt đầu bằng {','.join(SIGNATURE)}); chỉ nhận tệp đó, thư mục dữ liệu, "
        f"hoặc tệp Excel do bluezone xuất"
    )


def _has_signature(cells: list[object]) -> bool:
    return tuple(_names(cells)[: len(SIGNATURE)]) == SIGNATURE


def _names(cells: list[object]) -> list[str]:
    """A header's column names: a workbook's Vietnamese headings read as the CSV's names
    ("Mã đơn vị": unit_id; reports/xlsx.py), a CSV's as they are."""
    from bluezone_tui.reports.xlsx import machine_columns

    return machine_columns([str(h) if h is not None else "" for h in cells])


def _table_rows(path: Path, kind: str) -> tuple[list[str], list[tuple[int, Row]], list[str]]:
    """The header and each row under it (its line in the file, its cells by column),
    read as every spreadsheet is (base/spreadsheet.py: a stale dimension, hidden sheets,
    formulas without values, zip bombs)."""
    try:
        table = read_table(path, wanted=_has_signature if kind == WORKBOOK else None)
    except NoSuchSheet:
        raise _not_ours(path, "không có trang nào có dòng tiêu đề của bảng số liệu") from None
    except SpreadsheetError as exc:
        raise RefusedError(str(exc)) from None
    if kind == CSV_FILE and table.encoding != UTF8:
        raise _not_ours(path, "không phải văn bản UTF-8")
    if not table.rows:
        raise _not_ours(path, "tệp trống")
    first = table.rows[0][1]
    if kind == CSV_FILE and str(first[0]).strip() == "dataelement":
        raise _not_ours(path, "đây là tệp DHIS2 («export --format dhis2»)")
    if not _has_signature(first):
        raise _not_ours(path, "dòng tiêu đề lạ")
    if kind == WORKBOOK and table.sheet != DATA_SHEET:
        raise RefusedError(
            f"{path}: bảng số liệu ở trang «{table.sheet}», không phải trang «{DATA_SHEET}» "
            f"mà «bluezone export» xuất"
            + (f" ({'; '.join(table.notes)})" if table.notes else "")
            + ": tệp bị sửa sau khi xuất?; huyện xuất lại rồi gửi lại"
        )
    header = _names(first)
    rows = [(line, dict(zip(header, cells, strict=False))) for line, cells in table.rows[1:]]
    return header, rows, table.notes


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    text = str(value)
    return text[1:] if text.startswith("'") else text  # a neutralised cell, as written


def _count(value: object, path: Path, line: int, column: str) -> int | None:
    """A whole number of people in a cell (None: empty), refused at its line when it is not
    one, is negative, or is larger than any count of people (MAX_PEOPLE)."""
    where = f"{path}: dòng {line}, cột {column}"
    if value is None or value == "":
        return None
    if isinstance(value, BadCell):
        raise RefusedError(f"{where}: {value.problem()}")
    number: int | None = None
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    elif isinstance(value, float) and value.is_integer():
        number = int(value)
    elif isinstance(value, str):  # the one rule for a number (full-width, ٤٥٠, 4_50: no)
        parsed = parse_integer(value)
        if isinstance(parsed, str):  # never what the exporter writes
            raise _not_ours(path, f"dòng {line}, cột {column}: {parsed}")
        number = parsed
    if number is None:
        raise _not_ours(path, f"dòng {line}, cột {column} có «{value}», không phải số nguyên")
    if number < 0:
        raise RefusedError(f"{where}: {fmt_int(number)} là số âm: không phải số người")
    if number > MAX_PEOPLE:
        raise RefusedError(
            f"{where}: {_digits(number)} lớn hơn dân số cả nước (quá {fmt_int(MAX_PEOPLE)}): "
            f"không phải số người; huyện gửi lại tệp đúng"
        )
    return number


def _digits(number: int) -> str:
    text = fmt_int(number)
    return text if len(text) <= 20 else f"một số {len(str(number))} chữ số"


def _from_table(path: Path, day: date, kind: str) -> DistrictDay:
    header, rows, notes = _table_rows(path, kind)
    if any(column not in header for column in SIGNATURE):
        raise _not_ours(path, "thiếu cột")
    totals = [(line, r) for line, r in rows if _text(r.get("unit_id")) == TOTAL_ID]
    if len(totals) != 1 or _text(totals[0][1].get("group")) != "district":
        raise _not_ours(path, "không có đúng một dòng TOTAL của huyện")
    total_line, total = totals[0]
    days = sorted({_text(r.get("date")) for _, r in rows})
    if days != [day.isoformat()]:
        shown = ", ".join(fmt_date_short(date.fromisoformat(d)) for d in days if _is_iso(d))
        raise RefusedError(
            f"{path}: là số liệu ngày {shown or ', '.join(days)}, không phải ngày "
            f"{fmt_date_short(day)}"
        )
    # earlier exports named the district's installs "headline" and their change "change"
    installs_column = "installs" if "installs" in header else "headline"
    change_column = "installs_change" if "installs_change" in header else "change"
    installs = _count(total.get(installs_column), path, total_line, installs_column)
    population = _count(total.get("population"), path, total_line, "population")
    if installs is None or population is None:
        raise _not_ours(path, "dòng TOTAL thiếu số cài đặt hoặc dân số")
    units = [(line, r) for line, r in rows if r is not total]
    first: dict[str, int] = {}
    for line, row in units:
        unit_id = _text(row.get("unit_id"))
        if unit_id in first:
            raise _edited(path, line, f"đơn vị {unit_id} lặp lại dòng {first[unit_id]}", False)
        first[unit_id] = line
    unknown = [(line, r) for line, r in units if _text(r.get("status")) not in STATE_CODES]
    if unknown:
        line, row = unknown[0]
        raise _not_ours(path, f"dòng {line}: trạng thái «{_text(row.get('status'))}» lạ")
    _check_total(path, total_line, total, units, installs_column)
    for line, row in rows:  # each row against itself, the TOTAL's too
        _check_row(path, line, row, installs_column, total=row is total)
    fresh = [
        r
        for _, r in units
        if r.get(installs_column) not in (None, "")
        and _text(r.get("status")) in FRESH
        and not _text(r.get("carried_from"))
    ]
    if not fresh:
        carried = sorted(
            {_text(r.get("carried_from")) for _, r in units if _text(r.get("carried_from"))}
        )
        if carried:
            why = (
                f"mọi số liệu trong tệp là số của ngày trước (cột carried_from, mới nhất "
                f"ngày {carried[-1]})"
            )
        else:
            why = "tệp không có số liệu nào: không đơn vị nào báo cáo, không có số mang sang"
        raise _stale(path, day, why)
    expected_groups = {
        _text(r.get("group")) for _, r in units if _text(r.get("status")) in EXPECTED_ONLY
    }
    expected = [r for _, r in units if _text(r.get("group")) in expected_groups]
    codes = [_text(r.get("status")) for r in expected]
    change = total.get(change_column)
    return DistrictDay(
        name=_text(total.get("unit_name")),
        source=path,
        kind=kind,
        installs=installs,
        population=population,
        change=None if change in (None, "") else _signed(change, path, total_line, change_column),
        expected=len(expected),
        reported=sum(1 for c in codes if c in (State.ON_TIME.code, State.LATE.code)),
        on_time=codes.count(State.ON_TIME.code),
        gso_code=_text(total.get("gso_code")),
        notes=tuple(notes),
    )


def _signed(value: object, path: Path, line: int, column: str) -> int:
    """The change since the last report: a whole number, negative when installs went down."""
    if isinstance(value, int | float) and not isinstance(value, bool) and value < 0:
        return -(_count(-value, path, line, column) or 0)
    text = _text(value).strip()
    if text.startswith("-"):
        return -(_count(text[1:], path, line, column) or 0)
    return _count(value, path, line, column) or 0


def _check_total(
    path: Path, line: int, total: Row, units: list[tuple[int, Row]], installs_column: str
) -> None:
    """The TOTAL row is what the file's unit rows add up to, or the file was edited by hand
    after it was exported (a TOTAL of 999.999 over rows that sum to 6.090 would rank the
    district first at 829,78 %). The district total counts only the groups whose units
    count in it, which a file does not say: some set of its groups must add up to the TOTAL's
    installs and population (and its numerator and denominator), and every group with an
    installs figure is one of them (the installs column is filled only for those)."""
    installs: dict[str, int] = {}
    population: dict[str, int] = {}
    filled: set[str] = set()
    for row_line, row in units:
        group = _text(row.get("group"))
        figure = _count(row.get(installs_column), path, row_line, installs_column)
        people = _count(row.get("population"), path, row_line, "population")
        installs[group] = installs.get(group, 0) + (figure or 0)
        population[group] = population.get(group, 0) + (people or 0)
        if figure is not None:
            filled.add(group)
    total_installs = _count(total.get(installs_column), path, line, installs_column)
    total_population = _count(total.get("population"), path, line, "population")
    if installs_column == "installs":
        required = sorted(filled)
        optional = sorted(set(installs) - filled)
    else:  # an earlier export filled "headline" for every unit: any set of groups
        required, optional = [], sorted(installs)
    if len(optional) > MAX_OPTIONAL_GROUPS:
        optional = []
    sets = [
        required + list(chosen)
        for size in range(len(optional) + 1)
        for chosen in itertools.combinations(optional, size)
    ]
    adds_up = [s for s in sets if sum(installs[g] for g in s) == total_installs]
    if not adds_up:
        shown = sum(installs[g] for g in required or installs)
        raise _edited(
            path,
            line,
            f"số cài đặt {_digits(total_installs or 0)} nhưng các dòng đơn vị cộng lại "
            f"{fmt_int(shown)}",
        )
    if not any(sum(population[g] for g in s) == total_population for s in adds_up):
        shown = sum(population[g] for g in adds_up[0])
        raise _edited(
            path,
            line,
            f"dân số {_digits(total_population or 0)} nhưng các dòng đơn vị cộng lại "
            f"{fmt_int(shown)}",
        )
    for column, expected in (
        ("rate_numerator", total_installs),
        ("rate_denominator", total_population),
    ):
        given = _count(total.get(column), path, line, column)
        if given is not None and given != expected:
            raise _edited(
                path,
                line,
                f"cột {column} ghi {fmt_int(given)}, khác {fmt_int(expected or 0)} của chính dòng đó",
            )


def _check_row(path: Path, line: int, row: Row, installs_column: str, total: bool) -> None:
    """A row as the exporter writes it agrees with itself: the district's installs are
    no more than its population, and are its rate's numerator; every rate_percent is
    its numerator over its denominator, rounded to two places as the exporter writes
    it. Anything else was typed over after the export (a rate of 413 %, a percent that
    says one thing and the counts another)."""
    installs = _count(row.get(installs_column), path, line, installs_column)
    population = _count(row.get("population"), path, line, "population")
    numerator = _count(row.get("rate_numerator"), path, line, "rate_numerator")
    denominator = _count(row.get("rate_denominator"), path, line, "rate_denominator")
    if total and installs is not None and population is not None and installs > population:
        raise _edited(
            path,
            line,
            f"số cài đặt {fmt_int(installs)} lớn hơn dân số {fmt_int(population)}",
            total,
        )
    if total and numerator is not None and installs is not None and numerator != installs:
        raise _edited(
            path,
            line,
            f"cột rate_numerator ghi {fmt_int(numerator)}, khác số cài đặt {fmt_int(installs)}",
            total,
        )
    written = _rate(row.get("rate_percent"), path, line)
    if written is None:
        return
    if numerator is None or denominator is None:
        raise _edited(path, line, "có rate_percent mà thiếu tử số hoặc mẫu số", total)
    expected = percent(numerator, denominator)
    if expected != written:
        raise _edited(
            path,
            line,
            f"cột rate_percent ghi {fmt_decimal(written)} %, khác {fmt_int(numerator)} / "
            f"{fmt_int(denominator)} = {fmt_decimal(expected) if expected is not None else '–'} %",
            total,
        )


def _rate(value: object, path: Path, line: int) -> Decimal | None:
    """rate_percent as the exporter writes it: a number with a decimal point (or comma,
    beside a ";" delimiter), or a workbook's number; None when empty."""
    if value is None or value == "":
        return None
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return Decimal(str(value))
    text = _text(value).strip()
    if re.fullmatch(r"-?[0-9]{1,12}(?:[.,][0-9]{1,10})?", text):
        return Decimal(text.replace(",", "."))
    raise RefusedError(f"{path}: dòng {line}, cột rate_percent: «{text}» không phải một tỷ lệ")


def _edited(path: Path, line: int, what: str, total: bool = True) -> RefusedError:
    where = " (TOTAL)" if total else ""
    return RefusedError(
        f"{path}: dòng {line}{where}: {what}: tệp không khớp với chính nó (bị sửa sau khi "
        f"xuất?); huyện xuất lại bằng «bluezone export» rồi gửi lại"
    )


def _stale(path: Path, day: date, why: str) -> RefusedError:
    """A district with no report of the day: ranked, it would stand on old figures."""
    return RefusedError(
        f"{path}: không đơn vị nào của huyện có báo cáo ngày {fmt_date_short(day)}: {why}; "
        f"xếp hạng bằng số cũ là sai: bỏ nguồn này cho đến khi huyện có số liệu của ngày"
    )


def _is_iso(text: str) -> bool:
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True


# --------------------------------------------------------------------------- ranking


def _same_district(a: DistrictDay, b: DistrictDay) -> bool:
    if a.gso_code and b.gso_code:
        return a.gso_code == b.gso_code
    return fold(a.name) == fold(b.name)


def rank(
    districts: list[DistrictDay],
    day: date,
    now: datetime,
    province: str = "",
    listed: list[Listed] | None = None,
) -> ProvinceRanking:
    """The districts by rate, highest first (competition ranks: 1, 2, 2, 4)."""
    for index, district in enumerate(districts):
        for earlier in districts[:index]:
            if _same_district(earlier, district):
                raise RefusedError(
                    f"hai nguồn cho cùng {district.name}: {earlier.source} và {district.source}; "
                    f"bỏ bớt một nguồn"
                )
    named = sorted({d.province for d in districts if d.province})
    if province and named and named != [province]:
        others = [d for d in districts if d.province and d.province != province]
        raise RefusedError(
            f"{others[0].source}: {others[0].name} thuộc tỉnh {others[0].province}, "
            f"không phải tỉnh {province}"
        )
    if not province and len(named) > 1:
        raise RefusedError(
            "các nguồn thuộc nhiều tỉnh (" + ", ".join(named) + "); mỗi lần chỉ xếp hạng một tỉnh"
        )
    ranks = competition_ranks([d.rate for d in districts])
    order = sorted(
        range(len(districts)),
        key=lambda i: (ranks[i] is None, ranks[i] or 0, fold(districts[i].name)),
    )
    return ProvinceRanking(
        day=day,
        province=province or (named[0] if named else ""),
        districts=tuple(RankedDistrict(districts[i], ranks[i]) for i in order),
        now=now,
        listed=tuple(listed) if listed is not None else None,
    )


def province_ranking(
    sources: list[Path],
    day: date,
    now: datetime,
    province: str = "",
    districts_file: Path | None = None,
) -> ProvinceRanking:
    """Read every source, then rank; every refusal names its source. With the province's
    list of districts (districts_file), a source for a district not on it is refused, and
    the ranking knows which districts are missing."""
    from bluezone_tui.province.districts import read_districts

    listed = read_districts(districts_file) if districts_file is not None else None
    districts = []
    refusals: list[Problem] = []
    for path in sources:
        try:
            district = read_source(path, day, now)
            if listed is not None and not any(
                is_listed(entry, district.name, district.gso_code) for entry in listed
            ):
                assert districts_file is not None
                raise not_listed(path, district.name, districts_file)
            districts.append(district)
        except BluezoneError as exc:
            refusals.append(Problem(exc.message))
            refusals.extend(exc.problems)
    if refusals:
        raise RefusedError(refusals[0].message, refusals)
    return rank(districts, day, now, province, listed)
