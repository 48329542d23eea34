"""The province's ranking of its districts for a day, from what each district sends.

A source is a district's data folder (`units.yaml` + `submissions/`, or a git clone
of one), read through the same pipeline as `bluezone export`, or a CSV or workbook
that `bluezone export` wrote for that district, recognised by its stable header.
Anything else is refused, and so are two sources for one district and a source
for another day: a ranking built on them would be wrong without saying so.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from bluezone_tui.base.files import os_reason
from bluezone_tui.base.problems import BluezoneError, ConfigError, Problem, RefusedError
from bluezone_tui.base.vn import fmt_date_short, fold, percent
from bluezone_tui.day.consolidate import competition_ranks
from bluezone_tui.day.state import State
from bluezone_tui.registry.model import REGISTRY_FILE
from bluezone_tui.reports.csv import FIXED_COLUMNS, TOTAL_ID

MAX_SOURCE_BYTES = 20 * 1024 * 1024
# The district report's first columns, which never change: how its CSV is recognised.
SIGNATURE = FIXED_COLUMNS[:6]
EXPECTED_ONLY = frozenset(
    s.code for s in (State.ON_TIME, State.LATE, State.MISSING, State.NOT_YET_DUE)
)
FOLDER, CSV_FILE, WORKBOOK = "thư mục dữ liệu", "CSV", "Excel"


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


# --------------------------------------------------------------------------- sources


def read_source(path: Path, day: date, now: datetime) -> DistrictDay:
    """One district's day from a data folder, a CSV or a workbook; RefusedError otherwise."""
    if path.is_dir():
        return _from_folder(path, day, now)
    if not path.exists():
        raise RefusedError(f"{path}: không có tệp hay thư mục này")
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return _from_table(_csv_rows(path), path, day, CSV_FILE)
    if suffix == ".xlsx":
        return _from_table(_workbook_rows(path), path, day, WORKBOOK)
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
    if not store.day_dir(day).is_dir():
        raise RefusedError(
            f"{path}: không có số liệu ngày {fmt_date_short(day)} "
            f"(không có thư mục submissions/{day.isoformat()})"
        )
    consolidation = load_day(store, day, now)
    status = consolidation.status
    district = registry.district
    return DistrictDay(
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
    )


def _read_bytes(path: Path) -> bytes:
    try:
        if path.stat().st_size > MAX_SOURCE_BYTES:
            raise RefusedError(f"{path}: lớn quá {MAX_SOURCE_BYTES // (1024 * 1024)} MB")
        return path.read_bytes()
    except OSError as exc:
        raise RefusedError(f"{path}: không đọc được: {os_reason(exc)}") from None


def _not_ours(path: Path, what: str) -> RefusedError:
    return RefusedError(
        f"{path}: {what}: không phải bảng số liệu do «bluezone export» xuất (dòng tiêu đề "
        f"phải bắt đầu bằng {','.join(SIGNATURE)}); chỉ nhận tệp đó, thư mục dữ liệu, "
        f"hoặc tệp Excel do bluezone xuất"
    )


def _csv_rows(path: Path) -> list[dict[str, object]]:
    try:
        text = _read_bytes(path).decode("utf-8-sig")
    except UnicodeDecodeError:
        raise _not_ours(path, "không phải văn bản UTF-8") from None
    first = text.split("\n", 1)[0]
    delimiter = next((d for d in ",;\t" if first.startswith("date" + d)), None)
    if first.startswith("dataelement,"):
        raise _not_ours(path, "đây là tệp DHIS2 («export --format dhis2»)")
    if delimiter is None:
        raise _not_ours(path, "dòng tiêu đề lạ")
    try:
        return list(csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as exc:
        raise _not_ours(path, f"CSV hỏng ({exc})") from None


def _workbook_rows(path: Path) -> list[dict[str, object]]:
    import zipfile

    from openpyxl import load_workbook

    data = _read_bytes(path)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise _not_ours(path, f"không mở được như tệp Excel ({type(exc).__name__})") from None
    try:
        for sheet in workbook.worksheets:
            rows = sheet.iter_rows(values_only=True)
            header = next(rows, None)
            if header is None or tuple(header[: len(SIGNATURE)]) != SIGNATURE:
                continue
            names = [str(h) if h is not None else "" for h in header]
            return [dict(zip(names, row, strict=False)) for row in rows if any(row)]
    finally:
        workbook.close()
    raise _not_ours(path, "không có trang nào có dòng tiêu đề của bảng số liệu")


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    text = str(value)
    return text[1:] if text.startswith("'") else text  # a neutralised cell, as written


def _int(value: object, path: Path, column: str) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise _not_ours(path, f"cột {column} không phải số")
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    try:
        return int(str(value).strip())
    except ValueError:
        raise _not_ours(path, f"cột {column} có «{value}», không phải số nguyên") from None


def _from_table(rows: list[dict[str, object]], path: Path, day: date, kind: str) -> DistrictDay:
    if not rows or any(column not in rows[0] for column in SIGNATURE):
        raise _not_ours(path, "thiếu cột")
    totals = [r for r in rows if _text(r.get("unit_id")) == TOTAL_ID]
    if len(totals) != 1 or _text(totals[0].get("group")) != "district":
        raise _not_ours(path, "không có đúng một dòng TOTAL của huyện")
    total = totals[0]
    days = sorted({_text(r.get("date")) for r in rows})
    if days != [day.isoformat()]:
        shown = ", ".join(fmt_date_short(date.fromisoformat(d)) for d in days if _is_iso(d))
        raise RefusedError(
            f"{path}: là số liệu ngày {shown or ', '.join(days)}, không phải ngày "
            f"{fmt_date_short(day)}"
        )
    # earlier exports named the district's installs "headline" and their change "change"
    installs_column = next((c for c in ("installs", "headline") if c in total), "installs")
    change_column = "installs_change" if "installs_change" in total else "change"
    installs = _int(total.get(installs_column), path, installs_column)
    population = _int(total.get("population"), path, "population")
    if installs is None or population is None:
        raise _not_ours(path, "dòng TOTAL thiếu số cài đặt hoặc dân số")
    units = [r for r in rows if r is not total]
    expected_groups = {
        _text(r.get("group")) for r in units if _text(r.get("status")) in EXPECTED_ONLY
    }
    expected = [r for r in units if _text(r.get("group")) in expected_groups]
    codes = [_text(r.get("status")) for r in expected]
    return DistrictDay(
        name=_text(total.get("unit_name")),
        source=path,
        kind=kind,
        installs=installs,
        population=population,
        change=_int(total.get(change_column), path, change_column),
        expected=len(expected),
        reported=sum(1 for c in codes if c in (State.ON_TIME.code, State.LATE.code)),
        on_time=codes.count(State.ON_TIME.code),
        gso_code=_text(total.get("gso_code")),
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
    districts: list[DistrictDay], day: date, now: datetime, province: str = ""
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
    )


def province_ranking(
    sources: list[Path], day: date, now: datetime, province: str = ""
) -> ProvinceRanking:
    """Read every source, then rank; every refusal names its source."""
    districts = []
    refusals: list[Problem] = []
    for path in sources:
        try:
            districts.append(read_source(path, day, now))
        except BluezoneError as exc:
            refusals.append(Problem(exc.message))
            refusals.extend(exc.problems)
    if refusals:
        raise RefusedError(refusals[0].message, refusals)
    return rank(districts, day, now, province)
