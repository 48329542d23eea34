"""What changed between two versions of a unit's day file, field by field.

One diff for the commit message of a save (an audit line such as
`xa-long-khanh-b 2020-08-20: residents_installed 433 → 450 (bản 3)`), for a
resolution's record of both sides, and for `bluezone history`: every reader of
history sees the same old → new, computed from the files themselves.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from bluezone_tui.base.safe_text import printable
from bluezone_tui.base.vn import fmt_date_short, fmt_int, fmt_time
from bluezone_tui.day.submission import Submission, Value, Withdrawal
from bluezone_tui.registry.model import Form

REPORTED_AT = "reported_at"
NOTE = "note"
CONFIRMATIONS = "confirmations"
SUBJECT_LIMIT = 110  # characters of changes in a subject line; the body has them all
TEXT_LIMIT = 40  # characters of a text value or note in a subject line

Shown = Value | datetime | tuple[str, ...] | None


@dataclass(frozen=True, slots=True)
class Change:
    """One field (or the report time, the note, the confirmations) from old to new."""

    key: str
    old: Shown
    new: Shown

    def audit(self, limit: int | None = None) -> str:
        """`residents_installed 433 → 450` (`residents_installed 450` for a first value):
        plain values, as the file holds them."""
        if self.old is None and self.new is not None:
            return f"{self.key} {audit_value(self.new, limit)}"
        return f"{self.key} {audit_value(self.old, limit)} → {audit_value(self.new, limit)}"

    def for_people(self, form: Form | None = None) -> str:
        """`Đã cài (residents_installed): 433 → 1.450`, Vietnamese numbers."""
        return f"{label(self.key, form)}: {people_value(self.old)} → {people_value(self.new)}"


def label(key: str, form: Form | None) -> str:
    """A field's short label with its id (the id is what `resolve FIELD=VALUE` takes)."""
    words = {REPORTED_AT: "Giờ báo cáo", NOTE: "Ghi chú", CONFIRMATIONS: "Xác nhận cảnh báo"}
    if key in words:
        return words[key]
    field = form.field(key) if form is not None else None
    return f"{field.short_label} ({key})" if field is not None else key


def changes(before: Submission | None, after: Submission | None, form: Form) -> list[Change]:
    """Every difference a reader sees: figures in form order (then any other key), the
    report time, the note, the confirmed warnings. Revision and entry time are not
    changes of their own: they change with every save."""
    old = before.figures if before is not None else {}
    new = after.figures if after is not None else {}
    keys = [f.id for f in form.fields]
    keys += [k for k in (*old, *new) if k not in keys and form.field(k) is None]
    found = [
        Change(key, old.get(key), new.get(key))
        for key in dict.fromkeys(keys)
        if _differs(old.get(key), new.get(key))
    ]
    old_at = before.reported_at if before is not None else None
    new_at = after.reported_at if after is not None else None
    if (old_at is None) != (new_at is None) or (
        old_at is not None and new_at is not None and old_at != new_at
    ):
        found.append(Change(REPORTED_AT, old_at, new_at))
    old_note = before.note if before is not None else ""
    new_note = after.note if after is not None else ""
    if old_note != new_note:
        found.append(Change(NOTE, old_note or None, new_note or None))
    old_confirmed = before.confirmed_warnings if before is not None else ()
    new_confirmed = after.confirmed_warnings if after is not None else ()
    if set(old_confirmed) != set(new_confirmed):
        found.append(Change(CONFIRMATIONS, old_confirmed or None, new_confirmed or None))
    return found


def _differs(a: Value | None, b: Value | None) -> bool:
    return a != b or type(a) is not type(b)  # 1 and True are not the same figure


def audit_value(value: Shown, limit: int | None = None) -> str:
    if value is None:
        return "–"
    if isinstance(value, bool):
        return "có" if value else "không"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S" if value.second else "%Y-%m-%d %H:%M")
    if isinstance(value, tuple):
        return ", ".join(printable(item) for item in value)
    text = printable(value).replace("\n", " ")
    if limit is not None and len(text) > limit:
        text = text[: limit - 1] + "…"
    return f"«{text}»"


def people_value(value: Shown) -> str:
    """A value as a person reads it: 12.500; 20/08/2020 14:30; có; «ghi chú»."""
    if isinstance(value, int) and not isinstance(value, bool):
        return fmt_int(value)
    if isinstance(value, datetime):
        return f"{fmt_date_short(value.date())} {fmt_time(value)}"
    return audit_value(value)


def subject(unit_id: str, after: Submission, found: Iterable[Change], prefix: str = "") -> str:
    """The commit's first line: unit, day, the changes that fit, the new revision."""
    listed: list[str] = []
    rest = list(found)
    used = 0
    for index, change in enumerate(rest):
        text = change.audit(TEXT_LIMIT)
        if listed and used + len(text) > SUBJECT_LIMIT:
            listed.append(f"+{len(rest) - index} thay đổi khác")
            break
        listed.append(text)
        used += len(text) + 2
    what = ", ".join(listed) if listed else "không đổi số liệu"
    return f"{unit_id} {after.day.isoformat()}: {prefix}{what} (bản {after.revision})"


def body(found: Iterable[Change], after: Submission) -> str:
    """Every change on a line of its own, then who entered them and when."""
    lines = [change.audit() for change in found]
    who = printable(after.entered_by) or "không rõ"
    when = f" lúc {after.entered_at:%Y-%m-%d %H:%M:%S %z}" if after.entered_at else ""
    lines.append(f"Người nhập: {who}{when}")
    return "\n".join(lines)


def save_message(before: Submission | None, after: Submission, form: Form) -> str:
    """The whole commit message of one save: subject, blank line, body."""
    found = changes(before, after, form)
    prefix = "báo cáo mới: " if before is None else ""
    return f"{subject(after.unit_id, after, found, prefix)}\n\n{body(found, after)}\n"


def withdrawal_message(before: Submission | None, withdrawal: Withdrawal, form: Form) -> str:
    """The commit of `bluezone withdraw`: the subject says the report was withdrawn and
    why; the body who withdrew it, when, and the figures withdrawn."""
    reason = audit_value(withdrawal.reason, TEXT_LIMIT)
    lines = [
        f"{withdrawal.unit_id} {withdrawal.day.isoformat()}: rút báo cáo: {reason} "
        f"(bản {withdrawal.revision})",
        "",
        f"Lý do: {printable(withdrawal.reason)}",
        f"Người rút: {printable(withdrawal.by) or 'không rõ'} lúc "
        f"{withdrawal.at:%Y-%m-%d %H:%M:%S %z}",
    ]
    if before is not None:
        withdrawn = ", ".join(change.audit() for change in changes(None, before, form))
        who = printable(before.entered_by) or "không rõ"
        lines.append(f"Báo cáo đã rút (bản {before.revision}, {who} nhập): {withdrawn}")
    return "\n".join(lines) + "\n"


# ----------------------------------------------------------------------------- units.yaml


def registry_changes(before: bytes | None, after: bytes | None) -> list[str]:
    """What an edit of units.yaml changed, value by value: `office.phone: «…» → «…»`,
    `units[xa-long-khanh-b].contact.phone: …`, a unit added or removed by its id. Empty
    when only comments or layout changed; one line saying so when either side is not
    YAML that can be read."""
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

    def read(raw: bytes | None) -> tuple[object, bool]:
        try:
            return (yaml.load(raw.decode("utf-8-sig"), Loader=loader) if raw else None), True  # noqa: S506 - a safe loader
        except (yaml.YAMLError, UnicodeDecodeError, ValueError):
            return None, False

    old, old_read = read(before)
    new, new_read = read(after)
    if not old_read or not new_read:
        was = "bản trước đọc được" if old_read else "bản trước không đọc được như YAML"
        now = "bản này đọc được" if new_read else "bản này không đọc được như YAML"
        return [f"{was}, {now}"]
    found: list[str] = []
    _diff("", old, new, found)
    return found


def _diff(where: str, old: object, new: object, found: list[str]) -> None:
    if isinstance(old, dict) and isinstance(new, dict):
        for key in dict.fromkeys([*new, *old]):
            _diff(f"{where}.{key}" if where else str(key), old.get(key), new.get(key), found)
        return
    if _keyed(old) and _keyed(new):
        assert isinstance(old, list) and isinstance(new, list)
        before = {item["id"]: item for item in old}
        after = {item["id"]: item for item in new}
        for key in dict.fromkeys([*after, *before]):
            place = f"{where}[{key}]"
            if key not in before:
                found.append(f"{place}: thêm")
            elif key not in after:
                found.append(f"{place}: bỏ")
            else:
                _diff(place, before[key], after[key], found)
        return
    if old != new or type(old) is not type(new):
        found.append(f"{where}: {_yaml_value(old)} → {_yaml_value(new)}")


def _keyed(value: object) -> bool:
    """A list of tables each with its own `id` (units, groups): compared by id."""
    if not isinstance(value, list):
        return False
    ids = [item.get("id") for item in value if isinstance(item, dict)]
    return (
        len(ids) == len(value)
        and all(isinstance(i, str) for i in ids)
        and len(set(ids)) == len(ids)
    )


def _yaml_value(value: object) -> str:
    if value is None:
        return "–"
    if isinstance(value, str):
        return audit_value(value, TEXT_LIMIT)
    if isinstance(value, bool | int):
        return audit_value(value)
    text = printable(str(value)).replace("\n", " ")
    return text if len(text) <= TEXT_LIMIT else text[: TEXT_LIMIT - 1] + "…"


def shortened(lines: list[str]) -> str:
    """As many of `lines` as fit a commit's subject, then how many more."""
    listed: list[str] = []
    used = 0
    for index, line in enumerate(lines):
        if listed and used + len(line) > SUBJECT_LIMIT:
            listed.append(f"+{len(lines) - index} thay đổi khác")
            break
        listed.append(line)
        used += len(line) + 2
    return ", ".join(listed)
