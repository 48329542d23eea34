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
from bluezone_tui.day.submission import Submission, Value
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
