"""`bluezone units import`: units of one group from a spreadsheet, as a plan to preview.

The header names the columns, in Vietnamese or English (`Tên đơn vị`/`name`, `Dân
số`/`population`, `Khóm, ấp`/`hamlets`, `Người liên hệ`/`person`, `Điện thoại`/
`phone`…, and any integer attribute the group uses). Each unit's id comes from its name
(`Xã Phú Cường` → `xa-phu-cuong`) unless an id column gives it. A row that cannot be
used is an error naming its row in the sheet; nothing is written while there is one.
A "Tổng cộng" row (the sheet's total) is skipped and said so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from bluezone_tui.base.phone import LostZero, PhoneError, phone_numbers, says_none
from bluezone_tui.base.safe_text import printable
from bluezone_tui.base.spreadsheet import BadCell, Table, header_row
from bluezone_tui.base.vn import fmt_int, fold, parse_integer, slug
from bluezone_tui.registry.checks import suggestion
from bluezone_tui.registry.model import ATTRIBUTE_LABELS, Group, Registry, Unit, unit_id_problem

# column key -> headers that mean it (folded: no case, no diacritics)
COLUMNS = {
    "name": ("ten don vi", "ten", "don vi", "name", "ten xa", "ten xa, thi tran", "ten truong",
             "ten co quan", "ten phong, ban", "unit", "unit name"),
    "id": ("ma don vi", "ma", "id", "unit id"),
    "short_name": ("ten ngan", "ten viet tat", "ten goi tat", "short_name", "short name"),
    "population": ("dan so", "so dan", "tong dan so", "population"),
    "hamlets": ("khom, ap", "khom ap", "khom/ap", "ap", "khom", "cac khom, ap",
                "danh sach khom, ap", "ten khom, ap", "ap, khom", "hamlets"),
    "person": ("nguoi lien he", "lien he", "ho ten", "ho va ten", "can bo lien he",
               "person", "contact", "contact person"),
    "phone": ("dien thoai", "so dien thoai", "sdt", "dt", "dien thoai lien he", "phone",
              "telephone"),
    "gso_code": ("ma thong ke", "ma gso", "ma hanh chinh", "ma dvhc", "gso_code", "gso code"),
    "staff": ("so can bo", "can bo", "so cb", "staff"),
    "students": ("so hoc sinh", "hoc sinh", "so hs", "students"),
}  # fmt: skip
IGNORED = ("stt", "tt", "so thu tu", "no", "no.", "#")
TOTAL_ROWS = ("tong", "tong cong", "cong", "tong so", "total", "toan huyen")
TEXT_KEYS = ("name", "id", "short_name", "person", "phone", "gso_code")
MAX_ROWS = 10_000


@dataclass(slots=True)
class Row:
    """One unit as the sheet gives it: only the keys it has columns for."""

    number: int
    values: dict[str, Any]


@dataclass(slots=True)
class Change:
    """One unit to add or update; `before` is the unit in the registry (None: new)."""

    row: Row
    unit_id: str
    values: dict[str, Any]
    before: Unit | None = None
    changed: dict[str, tuple[Any, Any]] = field(default_factory=dict)  # key: (old, new)

    @property
    def action(self) -> str:
        if self.before is None:
            return "add"
        return "update" if self.changed else "same"


@dataclass(slots=True)
class Plan:
    group: Group
    changes: list[Change] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    columns: dict[str, str] = field(default_factory=dict)  # header as written -> key

    def count(self, action: str) -> int:
        return sum(1 for change in self.changes if change.action == action)


def _folded_header(cell: Any) -> str:
    text = fold(str(cell or "")).strip().rstrip(":*").strip()
    text = re.sub(r"\s*\([^)]*\)\s*", " ", text)  # "Dân số (người)" -> "dan so"
    return " ".join(text.split())


def _attributes_of(group: Group, registry: Registry) -> set[str]:
    """Integer attributes the group's units may carry: those its units have, those its rules
    and rate name that are not fields, and fields whose registry number is their ceiling."""
    names = {name for unit in registry.units_in(group) for name in unit.attributes}
    names |= {r.right for r in group.form.rules if isinstance(r.right, str)}
    if group.rate is not None:
        names |= set(group.rate.over)
    names |= set(group.form.by_id)
    return {name for name in names if name != "hamlets"} | {"population"}


def map_columns(headers: list[Any], attributes: set[str]) -> tuple[dict[int, str], list[str]]:
    """column index -> key, and the headers that mean nothing here (shown, never silent)."""
    known = {alias: key for key, aliases in COLUMNS.items() for alias in aliases}
    for name in attributes:
        known.setdefault(name, name)
        if name in ATTRIBUTE_LABELS:
            known.setdefault(fold(ATTRIBUTE_LABELS[name]), name)
    mapping: dict[int, str] = {}
    ignored: list[str] = []
    for index, cell in enumerate(headers):
        header = _folded_header(cell)
        if not header:
            continue
        key = known.get(header)
        if key is None or key in mapping.values() or header in IGNORED:
            if header not in IGNORED:
                ignored.append(str(cell).strip())
            continue
        mapping[index] = key
    return mapping, ignored


def _is_header(cells: list[Any]) -> bool:
    return any(_folded_header(c) in COLUMNS["name"] for c in cells)


def _integer(value: Any) -> int | str:
    """A cell as a whole number, or why not (Vietnamese). 12.500 / 12,500 / 12 500 with
    groups of three are the thousands separators of a Vietnamese or English sheet."""
    if isinstance(value, bool):
        return f"«{value}» không phải số"
    if isinstance(value, int):
        return value if value >= 0 else f"«{value}» là số âm"
    if isinstance(value, float):
        return (
            int(value) if value.is_integer() and value >= 0 else f"«{value}» không phải số nguyên"
        )
    text = str(value).strip()
    number = parse_integer(text)  # the one rule for a typed number (base/vn.py)
    if isinstance(number, int):
        return number if number >= 0 else f"«{text}» là số âm"
    return number


PHONE_FIX = (
    "sửa thành số có 0 ở đầu; trong Excel, định dạng cột «Điện thoại» là Văn bản (Text) "
    "trước khi gõ"
)


def _text(value: Any, key: str) -> str:
    """A text cell. A phone number typed into a number cell has lost its leading 0, and so
    has one that a CSV kept as the digits of such a cell (2773847104)."""
    if key == "phone" and isinstance(value, (int, float)) and not isinstance(value, bool):
        raise ValueError(
            f"số điện thoại {value:.0f} là ô kiểu số nên đã mất số 0 ở đầu: {PHONE_FIX}"
        )
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = " ".join(str(value).split())
    if printable(text) != text:
        raise ValueError(f"«{printable(text)}» có ký tự điều khiển")
    if key == "phone":
        try:
            phone_numbers(text)
        except LostZero as exc:
            raise ValueError(f"{exc} ({PHONE_FIX})") from None
        except PhoneError:
            pass  # kept as typed, and said (_phone_notes): a clerk may know better
    return text


def _phone_notes(values: dict[str, Any], number: int, plan: Plan) -> None:
    """A phone cell that says there is none is left empty; one that is not a number a phone
    can dial is kept as typed and named: `remind` leaves it out of its CSV."""
    phone = values.get("phone")
    if phone is None:
        return
    if says_none(phone):
        del values["phone"]
        plan.notes.append(f"dòng {number}: điện thoại «{phone}»: coi như không có số")
        return
    try:
        phone_numbers(phone)
    except PhoneError as exc:
        plan.notes.append(
            f"dòng {number}: {exc}; vẫn ghi như đã gõ, nhưng «bluezone remind --format csv» "
            f"không gửi tin nhắn tới số này"
        )


def _hamlets(value: Any) -> list[str]:
    text = str(value)
    separator = ";" if ";" in text else "\n" if "\n" in text else ","
    return [" ".join(part.split()) for part in text.split(separator) if part.strip()]


def read_rows(table: Table, group: Group, registry: Registry, plan: Plan) -> list[Row]:
    """The sheet's units, with every unusable cell an error naming its row."""
    header_at = header_row(table, _is_header)
    if header_at is None:
        plan.errors.append(
            "không thấy dòng tiêu đề có cột tên đơn vị («Tên đơn vị» hoặc «name») trong "
            f"{len(table.rows[:10])} dòng đầu"
        )
        return []
    header_number, headers = table.rows[header_at]
    mapping, ignored = map_columns(headers, _attributes_of(group, registry))
    plan.columns = {str(headers[i]).strip(): key for i, key in mapping.items()}
    if ignored:
        plan.notes.append(f"bỏ qua cột không dùng: {', '.join(ignored)}")
    rows: list[Row] = []
    width = max((i for i, c in enumerate(headers) if c is not None and str(c).strip()), default=0)
    for number, cells in table.rows[header_at + 1 :][:MAX_ROWS]:
        values: dict[str, Any] = {}
        problems: list[str] = []
        refused: set[str] = set()  # columns whose cell was refused (and said why)
        if any(c is not None and str(c).strip() for c in cells[width + 1 :]):
            problems.append(
                "có nhiều ô hơn dòng tiêu đề: một ô có dấu phân cách (dấu phẩy, chấm phẩy) mà "
                "không đặt trong ngoặc kép? Các ô sau có thể đã bị lệch cột"
            )
        for index, key in mapping.items():
            cell = cells[index] if index < len(cells) else None
            if cell is None or str(cell).strip() == "":
                continue
            try:
                values[key] = _cell(key, cell)
            except ValueError as exc:
                problems.append(f"cột «{str(headers[index]).strip()}»: {exc}")
                refused.add(key)
        name = values.get("name", "")
        if fold(name).strip(" .:") in TOTAL_ROWS:
            plan.notes.append(f"bỏ dòng {number} («{name}»): dòng tổng, không phải đơn vị")
            continue
        if not name:
            if "name" in refused:
                pass  # the name cell's own problem is said; it is not missing
            elif values:
                problems.append("thiếu tên đơn vị")
            else:
                continue
        for problem in problems:
            plan.errors.append(f"dòng {number}: {problem}")
        _phone_notes(values, number, plan)
        rows.append(Row(number, values))
    if len(table.rows) - header_at - 1 > MAX_ROWS:
        plan.errors.append(f"bảng có hơn {fmt_int(MAX_ROWS)} dòng: tách thành nhiều tệp")
    return rows


def _cell(key: str, cell: Any) -> Any:
    if isinstance(cell, BadCell):
        raise ValueError(cell.problem())
    if key == "hamlets":
        return _hamlets(cell)
    if key in TEXT_KEYS:
        return _text(cell, key)
    number = _integer(cell)
    if isinstance(number, str):
        raise ValueError(f"{number}: ghi số nguyên, ví dụ 12500")
    return number


def plan_import(table: Table, group_id: str, registry: Registry, update: bool) -> Plan:
    """What importing `table` into `group_id` would change; errors say why it cannot."""
    group = registry.group(group_id)
    if group is None:
        ids = [g.id for g in registry.groups]
        raise KeyError(
            f"nhóm «{group_id}» không có trong units.yaml (có: {', '.join(ids)})"
            f"{suggestion(group_id, ids)}"
        )
    plan = Plan(group)
    plan.notes.extend(table.notes)
    rows = read_rows(table, group, registry, plan)
    if not rows and not plan.errors:
        plan.errors.append("bảng không có đơn vị nào dưới dòng tiêu đề")
    taken: dict[str, Row] = {}
    for row in rows:
        if "name" not in row.values:
            continue
        change = _change_for(row, group, registry, update, taken, plan)
        if change is not None:
            plan.changes.append(change)
    return plan


def _change_for(
    row: Row, group: Group, registry: Registry, update: bool, taken: dict[str, Row], plan: Plan
) -> Change | None:
    values = dict(row.values)
    name = values["name"]
    given = values.pop("id", None)
    # a unit already registered under this name keeps its id (tt-thuong-thoi-tien is not
    # the slug of "Thị trấn Thường Thới Tiền"); otherwise the id comes from the name
    same_name = next((u for u in registry.units if u.name.casefold() == name.casefold()), None)
    unit_id = given or (same_name.id if same_name is not None else slug(name))
    why = unit_id_problem(unit_id)
    if why:
        if given is None:  # made from the name: the clerk can give one in a «Mã» column
            why = (
                f"{why} (mã tự lập từ tên «{unit_id}»); thêm cột «Mã» ghi mã ngắn cho đơn vị "
                "này, chỉ gồm chữ thường a-z không dấu, số và dấu «-», ví dụ xa-phu-cuong"
            )
        plan.errors.append(f"dòng {row.number} («{name}»): {why}")
        return None
    if unit_id in taken:
        other = taken[unit_id]
        if other.values["name"].casefold() == name.casefold() or given:
            plan.errors.append(
                f"dòng {row.number} («{name}»): trùng với dòng {other.number} (mã {unit_id})"
            )
            return None
        base, suffix = unit_id, 2
        while f"{base}-{suffix}" in taken or registry.unit(f"{base}-{suffix}"):
            suffix += 1
        unit_id = f"{base}-{suffix}"
        plan.notes.append(f"dòng {row.number} («{name}»): mã {base} đã dùng, lấy mã {unit_id}")
    taken[unit_id] = row
    before = registry.unit(unit_id)
    if before is None:
        return Change(row, unit_id, values)
    line = f"units.yaml có đơn vị «{before.name}» mã {unit_id}"
    if before.group is not group:
        plan.errors.append(
            f"dòng {row.number} («{name}»): {line} ở nhóm «{before.group.id}», không phải "
            f"«{group.id}»; đổi tên hoặc ghi cột mã khác"
        )
        return None
    if not update:
        plan.errors.append(
            f"dòng {row.number} («{name}»): {line}; thêm --update để cập nhật đơn vị đã có"
        )
        return None
    change = Change(row, unit_id, values, before)
    current = _current_values(before)
    for key, value in values.items():
        if current.get(key) != value:
            change.changed[key] = (current.get(key), value)
    return change


def _current_values(unit: Unit) -> dict[str, Any]:
    values: dict[str, Any] = {"name": unit.name, **unit.attributes}
    values.pop("hamlets", None)
    if unit.short_name:
        values["short_name"] = unit.short_name
    if unit.hamlets:
        values["hamlets"] = list(unit.hamlets)
    if unit.contact.person:
        values["person"] = unit.contact.person
    if unit.contact.phone:
        values["phone"] = unit.contact.phone
    if unit.gso_code:
        values["gso_code"] = unit.gso_code
    return values


def expected_unit(change: Change) -> dict[str, Any]:
    """What the unit must read back as after the edit: every key the sheet gave."""
    expected = _current_values(change.before) if change.before is not None else {}
    expected.update(change.values)
    return expected


def unit_values(unit: Unit) -> dict[str, Any]:
    """A unit as the keys of a sheet's columns (for comparing what was written)."""
    return _current_values(unit)


def describe(change: Change) -> str:
    """One line of the preview: what the sheet adds or changes, in Vietnamese formats."""
    if change.action == "add":
        return "; ".join(
            _shown(key, value) for key, value in change.values.items() if key != "name"
        )
    if change.action == "same":
        return "không đổi"
    return "; ".join(
        f"{_shown(key, old)} → {_shown(key, new, bare=True)}"
        for key, (old, new) in change.changed.items()
    )


_LABELS = {
    "short_name": "tên ngắn",
    "person": "liên hệ",
    "phone": "điện thoại",
    "gso_code": "mã thống kê",
    "name": "tên",
}


def _shown(key: str, value: Any, bare: bool = False) -> str:
    if key == "hamlets":
        return f"{len(value)} khóm, ấp" if value else "–"
    if isinstance(value, int):
        text = fmt_int(value)
    else:
        text = printable(str(value)) if value is not None else "–"
    if bare:
        return text
    label = _LABELS.get(key) or ATTRIBUTE_LABELS.get(key) or key
    return f"{label} {text}"


def written_problems(plan: Plan, before: Registry, after: Registry) -> list[str]:
    """What the edited registry holds that the plan did not ask for (empty: as planned).
    Every unit the plan does not touch must read back exactly as before."""
    touched = {change.unit_id: change for change in plan.changes}
    found = []
    for unit in before.units:
        if unit.id in touched:
            continue
        again = after.unit(unit.id)
        if (
            again is None
            or again.group.id != unit.group.id
            or unit_values(again) != unit_values(unit)
        ):
            found.append(f"đơn vị «{unit.id}» sẽ bị đổi ngoài ý muốn")
    for unit_id, change in touched.items():
        again = after.unit(unit_id)
        if again is None or again.group.id != plan.group.id:
            found.append(f"đơn vị «{unit_id}» không đọc lại được sau khi ghi")
            continue
        values = unit_values(again)
        for key, value in expected_unit(change).items():
            if values.get(key) != value:
                found.append(f"đơn vị «{unit_id}»: «{key}» đọc lại là {values.get(key)!r}")
    if len(after.units) != len(before.units) + plan.count("add"):
        found.append("số đơn vị sau khi ghi không khớp")
    return found
