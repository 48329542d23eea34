"""Who to phone, and what to tell them: the units to remind, each with a message ready to send.

Before a unit's deadline: the expected units that have not reported yet. After it:
the ones still missing, and the ones that reported late. Each message names the
unit, what it has to send, the deadline and the time left (or how late it is), and
where to send the figures (`office:` in units.yaml). Seen at an injected `now`.
"""

from __future__ import annotations

import csv
import io
import re
import textwrap
from dataclasses import dataclass
from datetime import date, datetime

from bluezone_tui.base.phone import PhoneError, phone_numbers, phone_problem, says_none
from bluezone_tui.base.safe_text import neutralise, printable
from bluezone_tui.base.vn import fmt_date_short, fmt_duration, fmt_time, fmt_time_words
from bluezone_tui.day.deadlines import minutes_between
from bluezone_tui.day.state import State
from bluezone_tui.day.status import DayStatus, UnitStatus
from bluezone_tui.registry.model import Registry, Unit

REMINDED = (State.NOT_YET_DUE, State.MISSING, State.LATE)
CSV_COLUMNS = ("phone", "name", "message")
NO_PHONE = "không có số điện thoại"
WIDTH = 78
_DIGIT_SPACE = re.compile(r"(?:(?<=[0-9])|(?<=ĐT)) (?=[0-9+])")  # inside "ĐT 0277 3800 307"
NO_BREAK = "\u00a0"


@dataclass(frozen=True, slots=True)
class Reminder:
    status: UnitStatus
    message: str

    @property
    def unit(self) -> Unit:
        return self.status.unit

    @property
    def state(self) -> State:
        return self.status.state

    @property
    def deadline(self) -> datetime:
        assert self.status.deadline is not None  # only units with a deadline are reminded
        return self.status.deadline

    @property
    def phone(self) -> str:
        """The unit's phone as units.yaml writes it ("" or "không có": none)."""
        return self.unit.contact.phone

    @property
    def phone_words(self) -> str:
        """The phone as the reminders show it to the person who dials: as units.yaml writes
        it, "không có số điện thoại" for none ("", "không có"), and why it cannot be dialled
        where it cannot (a lost leading 0, words): base/phone.py, as the CSV reads it."""
        if says_none(self.phone):
            return NO_PHONE
        why = phone_problem(self.phone)
        return f"⚠ {why}" if why else self.phone

    @property
    def numbers(self) -> list[str]:
        """The numbers to dial, one dialing form each (base/phone.py); [] when there is none
        or the phone is not a number (named by `undialable`)."""
        try:
            return phone_numbers(self.phone)
        except PhoneError:
            return []

    @property
    def recipient(self) -> str:
        """The unit, and the person to ask for where units.yaml names one."""
        person = self.unit.contact.person
        return f"{self.unit.name} – {person}" if person else self.unit.name


def reminders(status: DayStatus, registry: Registry, now: datetime) -> list[Reminder]:
    """Every unit to remind at `now`, in registry order, with its message."""
    now = now.astimezone(registry.timezone)
    found = []
    for unit_status in status.units:
        if unit_status.state in REMINDED and unit_status.deadline is not None:
            found.append(Reminder(unit_status, message(unit_status, status.day, registry, now)))
    return found


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def what_to_send(unit: Unit) -> str:
    """The figures the unit's form requires ("số người dân đã cài đặt (lũy kế)")."""
    fields = [f for f in unit.form.fields if f.required] or list(unit.form.fields)
    return "; ".join(_lower_first(f.label) for f in fields)


def _send_to(registry: Registry) -> str:
    office = registry.office
    if not office.name:
        return ""
    return f" về {office.name}" + (f" (ĐT {office.phone})" if office.phone else "")


def message(unit_status: UnitStatus, day: date, registry: Registry, now: datetime) -> str:
    """The ready-to-send Vietnamese message for one unit."""
    unit = unit_status.unit
    deadline = unit_status.deadline
    assert deadline is not None  # only units with a deadline are reminded
    by = fmt_time_words((deadline.hour, deadline.minute))
    send_to = _send_to(registry)
    subject = "báo cáo kết quả cài đặt Bluezone"
    if unit_status.state is State.LATE and unit_status.submission is not None:
        at = unit_status.submission.reported_at.astimezone(registry.timezone)
        return (
            f"Kính gửi {unit.name}: {subject} ngày {fmt_date_short(day)} của đơn vị nhận lúc "
            f"{fmt_time(at)}, trễ {fmt_duration(unit_status.late_minutes)} so với hạn {by}. "
            f"Đề nghị những ngày sau gửi số liệu{send_to} trước {by}."
        )
    asked = (
        f"Kính gửi {unit.name}: chưa nhận được {subject} ngày {fmt_date_short(day)} của đơn vị "
        f"({what_to_send(unit)}). Hạn trước {by}"
    )
    if unit_status.state is State.NOT_YET_DUE:
        return f"{asked}, {time_left(now, deadline)}. Đề nghị gửi số liệu{send_to}."
    if now.date() == day:
        late = fmt_duration(minutes_between(deadline, now))
        return f"{asked}, đã quá {late}. Đề nghị gửi ngay số liệu{send_to}."
    return f"{asked} ngày {fmt_date_short(day)}. Đề nghị gửi bổ sung số liệu{send_to}."


def time_left(now: datetime, deadline: datetime) -> str:
    left = minutes_between(now, deadline)
    return f"còn {fmt_duration(left)}" if left else "đã đến hạn"


def situation(reminder: Reminder, now: datetime) -> str:
    """ "chưa đến hạn, còn 25 phút" / "chưa báo cáo, đã quá 1 giờ 05 phút" /
    "trễ 51 phút (báo lúc 15:51)"."""
    if reminder.state is State.NOT_YET_DUE:
        return f"{reminder.state.label}, {time_left(now, reminder.deadline)}"
    if reminder.state is State.MISSING:
        if now.date() != reminder.deadline.date():
            return reminder.state.label
        late = fmt_duration(minutes_between(reminder.deadline, now))
        return f"{reminder.state.label}, đã quá {late}"
    if reminder.status.submission is None:
        return reminder.state.label
    return reminder.status.late_words


def render_text(
    found: list[Reminder],
    registry: Registry,
    day: date,
    now: datetime,
    width: int | None = None,
) -> str:
    """The list for a person: each unit, its situation, whom to call, and the message, in
    WIDTH columns, or `width` on a narrower terminal (never a number broken)."""
    columns = min(width or WIDTH, WIDTH)
    now = now.astimezone(registry.timezone)
    title = (
        f"Nhắc báo cáo — {registry.district.name}, ngày {fmt_date_short(day)}, lúc {fmt_time(now)}"
    )
    lines = [*_wrapped(title, columns), ""]
    if not found:
        lines.append("Không có đơn vị nào cần nhắc.")
        return "\n".join(lines) + "\n"
    counts = {state: sum(1 for r in found if r.state is state) for state in REMINDED}
    lines += _wrapped(
        f"{len(found)} đơn vị: "
        + ", ".join(f"{state.label} {counts[state]}" for state in REMINDED if counts[state])
        + ".",
        columns,
    )
    lines.append("")
    for number, reminder in enumerate(found, 1):
        unit = reminder.unit
        contact = ", ".join(p for p in (unit.contact.person, reminder.phone_words) if p)
        lines += _wrapped(f"{number}. {unit.name} — {situation(reminder, now)}", columns)
        lines += _wrapped(f"   Liên hệ: {contact}", columns)
        # the ready-made SMS on a line of its own, never wrapped here: copied from the
        # terminal (which folds it on screen only) it carries no line breaks
        lines.append("   Tin nhắn:")
        lines.append(printable(reminder.message))
        lines.append("")
    return "\n".join(lines)


def _wrapped(line: str, width: int) -> list[str]:
    """A line of the list in `width` columns, broken between words, never in a number."""
    parts = textwrap.wrap(
        numbers_whole(printable(line)),
        width,
        subsequent_indent="   ",
        break_long_words=False,
        break_on_hyphens=False,
    )
    return [part.replace(NO_BREAK, " ") for part in parts] or [""]


def numbers_whole(text: str) -> str:
    """The spaces inside a phone number ("ĐT 0277 3800 307") made unbreakable, for
    wrapping: nobody should dial half a number."""
    return _DIGIT_SPACE.sub(NO_BREAK, text)


def render_csv(found: list[Reminder]) -> str:
    """`phone,name,message` for bulk-SMS or Zalo tools: UTF-8 with a byte-order mark (so a
    spreadsheet reads the Vietnamese), CRLF. Each phone in its one dialing form, digits
    only with the leading 0 (`02773800107`: nothing a spreadsheet reads as a formula, so
    written as it is); a unit with two numbers has a row for each; units without a phone,
    or whose phone is not a number, are left out (`without_phone`, `undialable`)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for reminder in found:
        for number in reminder.numbers:
            writer.writerow([number, neutralise(reminder.recipient), neutralise(reminder.message)])
    return "\ufeff" + buffer.getvalue()


def without_phone(found: list[Reminder]) -> list[Reminder]:
    """The units with no phone: none in units.yaml, or one that says so ("không có")."""
    return [reminder for reminder in found if says_none(reminder.phone)]


def undialable(found: list[Reminder]) -> list[tuple[Reminder, str]]:
    """The units whose phone is not a number a phone can dial, each with why (Vietnamese)."""
    return [(r, why) for r in found if not says_none(r.phone) and (why := phone_problem(r.phone))]
