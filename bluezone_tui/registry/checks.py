"""Checks across the registry: the slips a clerk makes in units.yaml that still build.

Each is an error at its line, with what probably happened and how to fix it: a key
misspelt (`dealine:` would silently mean "no deadline"), a name in a rule or a rate
that nothing defines (`right: student`: the rule would be skipped), a unit without the
attribute its group's rate or rules need (`population`: a rate of 1.110,11%), an
attribute nothing uses (`populaton: 12500`), two units with one name.

A name that is both a field of the form and an attribute of the unit (`staff` on the
department form and `staff: 10` on the unit) is not ambiguous: rules and rates use the
figure the unit reported that day, and the registry's number is that field's ceiling
(a figure above it asks for a confirmation). The messages say so.
"""

from __future__ import annotations

import difflib
import re
from typing import Any, Protocol

from bluezone_tui.base.phone import phone_problem
from bluezone_tui.base.safe_text import control_chars, printable
from bluezone_tui.base.vn import fmt_int, fold
from bluezone_tui.registry.model import Form, Group, Registry, Unit
from bluezone_tui.registry.yaml_source import Locator


class Reporter(Protocol):
    """Where the checks report, each problem placed at the keys it is about (the builder)."""

    locator: Locator

    def error(self, message: str, keys: tuple[Any, ...], field_name: str | None = None) -> None: ...

    def warn(self, message: str, keys: tuple[Any, ...], code: str = "") -> None: ...


TOP_KEYS = (
    "district",
    "timezone",
    "consolidation_deadline",
    "report",
    "office",
    "signing",
    "history",
    "sync",
    "email",
    "reminders",
    "groups",
    "forms",
    "units",
)
DISTRICT_KEYS = ("name", "short_name", "province", "population", "gso_code")
GROUP_KEYS = ("id", "name", "form", "deadline", "counts_in_total", "rate")
RATE_KEYS = ("of", "over", "target", "label")
FORM_KEYS = ("headline", "fields", "rules")
CONTACT_KEYS = ("person", "phone", "email")
_GROUPED_THOUSANDS = re.compile(r"[+-]?\d{1,3}(?:[., \u00a0]\d{3})+")


def suggestion(name: object, candidates: Any) -> str:
    """ "; có phải «students»?" when `name` is close to one of `candidates`, else ""."""
    if not isinstance(name, str):
        return ""
    pool = {fold(str(c)): str(c) for c in candidates}
    close = difflib.get_close_matches(fold(name), list(pool), n=1, cutoff=0.75)
    return f"; có phải «{pool[close[0]]}»?" if close and pool[close[0]] != name else ""


def integer_hint(value: Any, written: str | None) -> str:
    """Why a value meant as a whole number is not one, said as a Vietnamese reader sees it."""
    text = (written if written is not None else str(value)).strip()
    if value is None or text in ("", "~", "null"):
        return "đang để trống: ghi một số, ví dụ 12500"
    if _GROUPED_THOUSANDS.fullmatch(text.strip("\"'")):
        digits = re.sub(r"\D", "", text)
        return (
            f"«{text}» là {fmt_int(int(digits))} theo cách viết tiếng Việt, nhưng tệp YAML "
            f"không có dấu phân cách hàng nghìn: viết liền {digits}, không dấu chấm, dấu "
            f"phẩy hay dấu cách"
        )
    if isinstance(value, str) and value.strip().lstrip("+-").isdigit():
        return f"«{text}» là chữ vì nằm trong ngoặc kép: bỏ ngoặc kép, viết {value.strip()}"
    if isinstance(value, str) and (number := re.match(r"\s*(\d+)", value)):
        return f"«{text}» có chữ sau số: chỉ ghi số, ví dụ {number.group(1)}"
    if isinstance(value, float):
        return f"«{text}» không phải số nguyên: ghi số nguyên, không có phần thập phân"
    return f"«{text}» không phải số nguyên"


def check_registry(builder: Reporter, data: dict, registry: Registry) -> None:
    """Every cross-cutting slip, reported through `builder.error(message, keys, field)`."""
    _unknown_keys(builder, data)
    group_index = _raw_index(data.get("groups"), "id")
    unit_index = _raw_index(data.get("units"), "id")
    _names_in_rules_and_rates(builder, registry, group_index)
    _one_type_per_field_id(builder, registry, data.get("forms"))
    needs = _group_needs(registry)
    _units_have_what_their_group_needs(builder, registry, needs, unit_index)
    _attributes_nothing_uses(builder, registry, needs, unit_index)
    _units_with_one_name(builder, registry, unit_index)
    _groups_without_units(builder, registry, group_index)
    _names_on_one_line(builder, registry, group_index, unit_index)
    _names_apart_only_by_spaces(builder, registry, unit_index)
    _phones_that_cannot_be_dialled(builder, registry, unit_index)


def _raw_index(raw: Any, key: str) -> dict[str, int]:
    """id -> position in the YAML list, for locating an item that was built."""
    if not isinstance(raw, list):
        return {}
    found: dict[str, int] = {}
    for index, item in enumerate(raw):
        if isinstance(item, dict) and isinstance(item.get(key), str):
            found.setdefault(item[key], index)
    return found


def _unknown_key(
    builder: Reporter, raw: Any, allowed: tuple[str, ...], keys: tuple, where: str
) -> None:
    if not isinstance(raw, dict):
        return
    for key in raw:
        if key in allowed:
            continue
        builder.error(
            f"khóa «{key}» không có nghĩa ở {where} nên sẽ bị bỏ qua"
            f"{suggestion(key, allowed) or ' (dùng: ' + ', '.join(allowed) + ')'}"
            + ("; khóa riêng của tệp thì bắt đầu bằng «x-»" if not keys else ""),
            keys + (key,),
            str(key),
        )


def _unknown_keys(builder: Reporter, data: dict) -> None:
    """A misspelt key is read as nothing: `dealine: "15:00"` would mean no deadline.
    Top-level keys starting with `x-` are the file's own (a home for YAML anchors)."""
    own = {key: None for key in data if isinstance(key, str) and key.startswith("x-")}
    _unknown_key(builder, data, TOP_KEYS + tuple(own), (), "đầu danh mục")
    _unknown_key(builder, data.get("district"), DISTRICT_KEYS, ("district",), "«district»")
    groups = data.get("groups")
    for index, group in enumerate(groups if isinstance(groups, list) else []):
        _unknown_key(builder, group, GROUP_KEYS, ("groups", index), "một nhóm")
        if isinstance(group, dict):
            rate = group.get("rate")
            _unknown_key(builder, rate, RATE_KEYS, ("groups", index, "rate"), "«rate»")
    forms = data.get("forms")
    for form_id, form in (forms if isinstance(forms, dict) else {}).items():
        _unknown_key(builder, form, FORM_KEYS, ("forms", form_id), "một biểu mẫu")
    units = data.get("units")
    for index, unit in enumerate(units if isinstance(units, list) else []):
        if isinstance(unit, dict):
            contact = unit.get("contact")
            keys = ("units", index, "contact")
            _unknown_key(builder, contact, CONTACT_KEYS, keys, "«contact»")


def _groups_by_form(registry: Registry) -> dict[str, list[Group]]:
    users: dict[str, list[Group]] = {}
    for group in registry.groups:
        users.setdefault(group.form.id, []).append(group)
    return users


def _attributes_in(registry: Registry, groups: list[Group]) -> set[str]:
    wanted = {group.id for group in groups}
    return {name for unit in registry.units if unit.group.id in wanted for name in unit.attributes}


def _name_problem(name: str, form: Form, attributes: set[str]) -> str:
    """Why `name` names nothing for units on `form`, or "" when it names something."""
    if name in form.by_id or name in attributes or name in _known_attributes():
        return ""
    fields = ", ".join(f.id for f in form.fields)
    known = sorted(attributes | set(_known_attributes()))
    return (
        f"«{name}» không phải chỉ tiêu của biểu mẫu «{form.id}» ({fields}) cũng không phải "
        f"thuộc tính của đơn vị nào dùng biểu mẫu này ({', '.join(known)})"
        f"{suggestion(name, list(form.by_id) + known)}"
    )


def _known_attributes() -> dict[str, str]:
    from bluezone_tui.registry.model import ATTRIBUTE_LABELS

    return ATTRIBUTE_LABELS


def _names_in_rules_and_rates(builder: Reporter, registry: Registry, groups_at: dict) -> None:
    """`right: student` for `students`: the rule would be skipped for every unit."""
    users = _groups_by_form(registry)
    for form in registry.forms.values():
        attributes = _attributes_in(registry, users.get(form.id, []))
        for index, rule in enumerate(form.rules):
            if isinstance(rule.right, str):
                why = _name_problem(rule.right, form, attributes)
                if why:
                    builder.error(
                        f"quy tắc so với {why}: quy tắc sẽ không bao giờ được kiểm tra",
                        ("forms", form.id, "rules", index, "right"),
                        "right",
                    )
    for group in registry.groups:
        if group.rate is None:
            continue
        attributes = _attributes_in(registry, [group])
        for name in group.rate.over:
            why = _name_problem(name, group.form, attributes)
            if why:
                builder.error(
                    f"«rate.over»: {why}: tỷ lệ của nhóm sẽ không tính được",
                    ("groups", groups_at.get(group.id, 0), "rate", "over"),
                    "over",
                )


_TYPE_WORDS = {"int": "số (int)", "bool": "có/không (bool)", "text": "văn bản (text)"}


def _one_type_per_field_id(builder: Reporter, registry: Registry, raw_forms: Any) -> None:
    """One id, one meaning: the report's table has one column per field id, shared by
    every form that has it, and a column holds one kind of value (a yes/no column sums
    to a count; a column of yes/no beside text cannot be written at all)."""
    first: dict[str, tuple[str, str]] = {}  # field id -> (its type, the form it is from)
    for form in registry.forms.values():
        raw = raw_forms.get(form.id) if isinstance(raw_forms, dict) else None
        raw_fields = raw.get("fields") if isinstance(raw, dict) else None
        for form_field in form.fields:
            seen = first.setdefault(form_field.id, (form_field.type, form.id))
            if seen[0] != form_field.type:
                builder.error(
                    f"chỉ tiêu «{form_field.id}» là {_TYPE_WORDS[form_field.type]} ở biểu mẫu "
                    f"«{form.id}» nhưng là {_TYPE_WORDS[seen[0]]} ở biểu mẫu «{seen[1]}»: báo "
                    f"cáo có một cột cho mỗi mã chỉ tiêu, một cột chỉ chứa một loại giá trị; "
                    f"đổi mã một trong hai (ví dụ «{form_field.id}_{form_field.type}») hoặc "
                    f"dùng cùng kiểu",
                    _field_keys(form.id, raw_fields, form_field.id),
                    "type",
                )


def _field_keys(form_id: str, raw_fields: Any, field_id: str) -> tuple[Any, ...]:
    """Where a field's type is written (its `type:`, else its `id:`), for the error's line."""
    items = raw_fields if isinstance(raw_fields, list) else []
    for index, item in enumerate(items):
        if isinstance(item, dict) and item.get("id") == field_id:
            key = "type" if "type" in item else "id"
            return ("forms", form_id, "fields", index, key)
    return ("forms", form_id)


def _needs(group: Group, defined: set[str]) -> dict[str, str]:
    """Attribute -> what needs it: the names in a group's rate and rules that are not fields
    of its form, so come from each unit. Names nothing defines are reported at the rule."""
    form = group.form
    needs: dict[str, str] = {}
    if group.rate is not None:
        for name in group.rate.over:
            if name not in form.by_id and name in defined:
                needs.setdefault(name, f"nhóm «{group.name}» tính tỷ lệ trên «{name}»")
    for rule in form.rules:
        right = rule.right
        if isinstance(right, str) and right not in form.by_id and right in defined:
            needs.setdefault(
                right, f"quy tắc «{rule.left} {rule.op} {right}» của biểu mẫu «{form.id}» cần nó"
            )
    return needs


def _group_needs(registry: Registry) -> dict[str, dict[str, str]]:
    needs = {}
    for group in registry.groups:
        defined = _attributes_in(registry, [group]) | set(_known_attributes())
        needs[group.id] = _needs(group, defined)
    return needs


def _units_have_what_their_group_needs(
    builder: Reporter, registry: Registry, needs: dict[str, dict[str, str]], units_at: dict
) -> None:
    """A commune without `population`: its rate could not be computed, and nothing would
    stop 999999 installs (the rule `<= population` has nothing to compare with)."""
    for unit in registry.units:
        at = ("units", units_at.get(unit.id, 0))
        for name, why in needs[unit.group.id].items():
            if name not in unit.attributes:
                builder.error(_missing_message(unit, name, why), at, name)
        rate = unit.group.rate
        if rate is None or not rate.over or any(name not in unit.attributes for name in rate.over):
            continue
        if not sum(unit.attributes[name] for name in rate.over):
            builder.error(
                f"«{' + '.join(rate.over)}» của đơn vị «{unit.name}» bằng 0: tỷ lệ không "
                f"tính được; ghi số thật",
                at + (rate.over[0],),
                rate.over[0],
            )


def _missing_message(unit: Unit, name: str, why: str) -> str:
    label = _known_attributes().get(name)
    what = f"«{name}» ({label})" if label else f"«{name}»"
    if name == "hamlets":
        how = "thêm «hamlets: [Ấp 1, Ấp 2, …]» (danh sách khóm, ấp)"
    else:
        how = f"thêm «{name}: …» (một số nguyên) vào đơn vị này"
    return f"đơn vị «{unit.name}» thiếu {what}: {why}; {how}"


def _used_names(group: Group, needs: dict[str, str]) -> set[str]:
    used = set(group.form.by_id) | set(needs)
    if group.rate is not None:
        used |= set(group.rate.over)
    used |= {rule.right for rule in group.form.rules if isinstance(rule.right, str)}
    return used


def _attributes_nothing_uses(
    builder: Reporter, registry: Registry, needs: dict[str, dict[str, str]], units_at: dict
) -> None:
    """`populaton: 12500` is read as an attribute of its own, and population is missing.
    The usual attributes (population, staff, students, hamlets) are never flagged."""
    used = {group.id: _used_names(group, needs[group.id]) for group in registry.groups}
    for unit in registry.units:
        names = used[unit.group.id]
        for name in unit.attributes:
            if name in names or name in _known_attributes():
                continue
            builder.error(
                f"«{name}» của đơn vị «{unit.name}» không được dùng ở đâu (không phải chỉ "
                f"tiêu của biểu mẫu «{unit.form.id}», không quy tắc hay tỷ lệ nào nhắc tới)"
                f"{suggestion(name, names)}",
                ("units", units_at.get(unit.id, 0), name),
                name,
            )


def _units_with_one_name(builder: Reporter, registry: Registry, units_at: dict) -> None:
    """Two units with one name: a copied unit whose name was not changed."""
    first: dict[str, Unit] = {}
    for unit in registry.units:
        key = unit.name.casefold()
        if key in first:
            line, _ = builder.locator.find(("units", units_at.get(first[key].id, 0), "name"))
            builder.error(
                f"tên «{unit.name}» đã dùng cho đơn vị «{first[key].id}» (dòng {line}): "
                f"hai đơn vị không được trùng tên (sao chép đơn vị mà chưa sửa tên?)",
                ("units", units_at.get(unit.id, 0), "name"),
                "name",
            )
        else:
            first[key] = unit


def _groups_without_units(builder: Reporter, registry: Registry, groups_at: dict) -> None:
    """A new office's communes and schools come from a spreadsheet: say how, until then.
    Only for groups expected every day; an office may have no department to follow."""
    counted = {unit.group.id for unit in registry.units}
    for group in registry.groups:
        if group.expected and group.id not in counted:
            builder.warn(
                f"nhóm «{group.name}» chưa có đơn vị nào: thêm bằng «bluezone units import "
                f"TỆP --group {group.id}» (bảng tính CSV hoặc xlsx)",
                ("groups", groups_at.get(group.id, 0)),
            )


# --------------------------------------------------------------------------- names and phones
# (issue 20: what the reports print and the reminders dial, kept apart from the checks above)

_BREAKS = "\n\r\v\f\x85\u2028\u2029"
_ODD_SPACES = re.compile(r"\s{2,}|[^\S ]")  # two spaces in a row, or a space that is not " "


def _line_problem(text: str) -> str:
    """Why a name cannot stand as it reads on one line of a table or a message: a line
    break, a Tab, or a character that is invisible or moves text (a zero-width space, a
    bidi override), which would make two different names look the same ("" when none)."""
    found = control_chars(text)
    if not found:
        return ""
    if any(char in text for char in _BREAKS) or "\t" in text:
        what = "ký tự xuống dòng" if any(char in text for char in _BREAKS) else "Tab"
        why = "tên in ra trong bảng, báo cáo và tin nhắn phải nằm trên một dòng"
    else:
        what = ", ".join(found)
        why = "tên phải đọc đúng như viết, không trông giống một tên khác"
    shown = printable(text.replace("\n", "\\n").replace("\t", "\\t"))
    return f"có {what} («{shown}»): {why}; gõ lại tên"


def _names_on_one_line(
    builder: Reporter, registry: Registry, groups_at: dict, units_at: dict
) -> None:
    """A name with a line break ("Xã Thường\\nLạc" in quotes) breaks the board's table, the
    report's table and the reminder's message in two, and one with a zero-width space
    looks like another name: refused at its line."""
    named: list[tuple[str, str, tuple[Any, ...]]] = [
        (registry.district.name, "tên huyện", ("district", "name")),
        (registry.district.short_name, "tên ngắn của huyện", ("district", "short_name")),
        (registry.district.province, "tên tỉnh", ("district", "province")),
        (registry.office.name, "tên nơi nhận báo cáo", ("office", "name")),
    ]
    for group in registry.groups:
        named.append((group.name, "tên nhóm", ("groups", groups_at.get(group.id, 0), "name")))
    for unit in registry.units:
        at = ("units", units_at.get(unit.id, 0))
        named.append((unit.name, "tên đơn vị", at + ("name",)))
        named.append((unit.short_name, "tên ngắn", at + ("short_name",)))
        named.append((unit.contact.person, "người liên hệ", at + ("contact", "person")))
    for text, what, keys in named:
        why = _line_problem(text or "")
        if why:
            builder.error(f"{what} {why}", keys, str(keys[-1]))


def _names_apart_only_by_spaces(builder: Reporter, registry: Registry, units_at: dict) -> None:
    """ "Xã Thường  Lạc" beside "Xã Thường Lạc": two units a reader takes for one. An odd
    space (two in a row, a non-breaking one) is a warning on its own, and an error when
    it is all that tells a name from another's."""
    first: dict[str, Unit] = {}
    for unit in registry.units:
        if control_chars(unit.name):
            continue  # refused above
        key = " ".join(unit.name.split()).casefold()
        at = ("units", units_at.get(unit.id, 0), "name")
        other = first.get(key)
        if other is not None and other.name.casefold() != unit.name.casefold():
            line, _ = builder.locator.find(("units", units_at.get(other.id, 0), "name"))
            builder.error(
                f"tên «{unit.name}» chỉ khác tên của đơn vị «{other.id}» (dòng {line}) ở dấu "
                f"cách: người đọc sẽ tưởng là một đơn vị; sửa cho đúng một dấu cách giữa các chữ",
                at,
                "name",
            )
            continue
        first.setdefault(key, unit)
        if _ODD_SPACES.search(unit.name):
            builder.warn(
                f"tên «{unit.name}» có hai dấu cách liền nhau hoặc dấu cách đặc biệt: viết "
                f"«{' '.join(unit.name.split())}»",
                at,
            )


def _phones_that_cannot_be_dialled(builder: Reporter, registry: Registry, units_at: dict) -> None:
    """A phone that lost its leading 0, two numbers glued together, or words: warned at its
    line, since `remind --format csv` leaves such a unit out (base/phone.py says why)."""
    for unit in registry.units:
        why = phone_problem(unit.contact.phone)
        if why:
            builder.warn(
                f"số điện thoại của «{unit.name}»: {why}; «bluezone remind --format csv» bỏ "
                f"qua đơn vị này",
                ("units", units_at.get(unit.id, 0), "contact", "phone"),
            )
