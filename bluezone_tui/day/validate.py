"""Checks on figures: types, bounds, required fields, cross-field and cross-day rules.

The one validation path: the CLI's `submit`, the board's form and `check` on the
files all call `validate()`. Errors block a save; warnings need a confirmation,
and a cumulative figure that went down also needs a note.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterable
from datetime import date, datetime, timedelta
from typing import TypeGuard

from bluezone_tui.base.problems import Problem
from bluezone_tui.base.vn import fmt_date_short, fmt_int, fmt_time, fold, nfc, parse_integer
from bluezone_tui.day.submission import MAX_FIGURE, Submission, Value, check_type
from bluezone_tui.registry.model import ATTRIBUTE_LABELS, Field, Rule, Unit

_OPERATORS: dict[str, Callable[[int, int], bool]] = {
    "<=": operator.le,
    "<": operator.lt,
    ">=": operator.ge,
    ">": operator.gt,
    "==": operator.eq,
    "!=": operator.ne,
}
_OPERATOR_WORDS = {
    "<=": "không được lớn hơn",
    "<": "phải nhỏ hơn",
    ">=": "không được nhỏ hơn",
    ">": "phải lớn hơn",
    "==": "phải bằng",
    "!=": "phải khác",
}
_TRUE_WORDS = {"co", "c", "yes", "y", "true", "1", "x", "dung", "da"}
_FALSE_WORDS = {"khong", "k", "no", "n", "false", "0", "chua"}
FUTURE_TOLERANCE = timedelta(minutes=5)
OUTSIDE_DAY = "reported-outside-day"


def parse_input(form_field: Field, text: str) -> Value | None | Problem:
    """A value typed by a person ("6.090", "có", "") -> the field's type, None, or a Problem.

    A number follows vn.parse_integer, the rule every input path shares."""
    text = nfc(text).strip()
    if text == "":
        return None
    if form_field.type == "int":
        value = parse_integer(text)
        if isinstance(value, str):
            return Problem(
                f"«{form_field.label}»: {value}",
                field=form_field.id,
                code=f"type:{form_field.id}",
            )
        checked = check_type("int", value)
        if isinstance(checked, str):
            return Problem(f"«{form_field.label}»: {checked}", field=form_field.id)
        return value
    if form_field.type == "bool":
        word = fold(text)
        if word in _TRUE_WORDS:
            return True
        if word in _FALSE_WORDS:
            return False
        return Problem(
            f"«{form_field.label}»: trả lời «có» hoặc «không», không phải «{text}»",
            field=form_field.id,
            code=f"type:{form_field.id}",
        )
    return text


def decrease_code(field_id: str) -> str:
    return f"decrease:{field_id}"


def validate(
    unit: Unit,
    figures: dict[str, Value],
    *,
    day: date,
    reported_at: datetime | None,
    previous: Submission | None = None,
    note: str = "",
    confirmed: Iterable[str] = (),
    now: datetime | None = None,
    current: Submission | None = None,
    fresh: Iterable[str] = (),
    note_is_new: bool = True,
) -> list[Problem]:
    """Every problem with these figures for this unit and day; none means they can be saved.

    reported_at is in the registry's timezone. For an entry: `current` is the file the
    save replaces (a same-day correction downwards is a decrease too), `fresh` the
    warnings confirmed in this very save, whose note must be written for it
    (`note_is_new`): a note already in the file explains an earlier change, not this one.
    """
    problems: list[Problem] = []
    confirmed = set(confirmed)
    fresh = set(fresh)
    form = unit.form
    for form_field in form.fields:
        problems += _field_problems(form_field, figures.get(form_field.id))
    for index, rule in enumerate(form.rules):
        problem = _check_rule(unit, rule, figures, index)
        if problem is not None:
            problems.append(problem)
    for form_field in form.fields:
        if form_field.cumulative:
            problems += _decrease(
                form_field, figures, previous, current, confirmed, fresh, note, note_is_new
            )
    problems += slips(unit, figures, previous, problems)
    if reported_at is not None:
        problems += _moment_problems(reported_at, day, now)
    return [p for p in problems if p.is_error or p.code not in confirmed]


def _field_problems(form_field: Field, value: Value | None) -> list[Problem]:
    """A figure on its own: given when required, within the field's bounds."""
    if value is None or value == "":
        if not form_field.required:
            return []
        return [
            Problem(
                f"«{form_field.label}» là chỉ tiêu bắt buộc",
                field=form_field.id,
                code=f"required:{form_field.id}",
            )
        ]
    if form_field.type != "int" or not _counts(value):
        return []
    problems = []
    if form_field.min is not None and value < form_field.min:
        problems.append(
            Problem(
                f"«{form_field.label}» = {fmt_int(value)}: không được nhỏ hơn "
                f"{fmt_int(form_field.min)}",
                field=form_field.id,
                code=f"min:{form_field.id}",
            )
        )
    limit = form_field.max if form_field.max is not None else MAX_FIGURE
    if value > limit:
        problems.append(
            Problem(
                f"«{form_field.label}» = {fmt_int(value)}: không được lớn hơn {fmt_int(limit)}",
                field=form_field.id,
                code=f"max:{form_field.id}",
            )
        )
    return problems


def _moment_problems(reported_at: datetime, day: date, now: datetime | None) -> list[Problem]:
    """The report's time: within its own day, and not in the future."""
    if reported_at.date() != day:
        return [
            Problem(
                f"thời điểm báo cáo {fmt_date_short(reported_at.date())} "
                f"{fmt_time(reported_at)} không thuộc ngày báo cáo {fmt_date_short(day)}: báo cáo của một ngày phải ghi giờ trong chính ngày đó "
                f"(tệp chép từ ngày khác, hay nhập bù mà quên giờ báo cáo?)",
                field="reported_at",
                code=OUTSIDE_DAY,
            )
        ]
    if now is not None and reported_at > now + FUTURE_TOLERANCE:
        return [
            Problem(
                f"thời điểm báo cáo {reported_at:%d/%m/%Y %H:%M} ở tương lai "
                f"(bây giờ là {now:%d/%m/%Y %H:%M})",
                field="reported_at",
                severity="warning",
                code="reported-in-future",
            )
        ]
    return []


def _decrease(
    form_field: Field,
    figures: dict[str, Value],
    previous: Submission | None,
    current: Submission | None,
    confirmed: set[str],
    fresh: set[str],
    note: str,
    note_is_new: bool,
) -> list[Problem]:
    """A cumulative figure below the last day's, or below what the day's file holds; a
    figure the day's file holds and the entry leaves out (emptied) is a decrease too."""
    after = figures.get(form_field.id)
    today = current.figures.get(form_field.id) if current is not None else None
    if after is None and _counts(today):
        text = (
            f"«{form_field.label}» là số lũy kế nhưng bị xoá (số đang có trong tệp hôm nay: "
            f"{fmt_int(today)})"
        )
        return _confirmed_with_note(form_field, text, confirmed, fresh, note, note_is_new)
    if not _counts(after):
        return []
    drops = []
    if previous is not None:
        before = previous.figures.get(form_field.id)
        if _counts(before) and after < before:
            drops.append(f"từ {fmt_int(before)} (ngày {previous.day:%d/%m/%Y})")
    if current is not None:
        before = current.figures.get(form_field.id)
        if _counts(before) and after < before:
            drops.append(f"từ {fmt_int(before)} (số đang có trong tệp hôm nay)")
    if not drops:
        return []
    text = (
        f"«{form_field.label}» là số lũy kế nhưng giảm {' và '.join(drops)} xuống {fmt_int(after)}"
    )
    return _confirmed_with_note(form_field, text, confirmed, fresh, note, note_is_new)


def _confirmed_with_note(
    form_field: Field,
    text: str,
    confirmed: set[str],
    fresh: set[str],
    note: str,
    note_is_new: bool,
) -> list[Problem]:
    """A decrease: a warning to confirm, then a note that explains it."""
    code = decrease_code(form_field.id)
    if code not in confirmed:
        return [Problem(text + ": cần xác nhận và ghi chú lý do", field=form_field.id,
                        severity="warning", code=code)]  # fmt: skip
    if code in fresh and not note_is_new:
        why = ": đã xác nhận nhưng cần ghi chú lý do viết cho lần xác nhận này (ghi chú đang có trong tệp là của lần trước)"
    elif not note.strip():
        why = ": đã xác nhận nhưng thiếu ghi chú giải thích"
    else:
        return []
    return [Problem(text + why, field="note", code=f"note-required:{form_field.id}")]


def _operand_value(unit: Unit, figures: dict[str, Value], name: str | int) -> int | None:
    if isinstance(name, int):
        return name
    if name in unit.form.by_id:
        value = figures.get(name)
        return value if _counts(value) else None
    return unit.attributes.get(name)


def _operand_label(unit: Unit, name: str | int) -> str:
    if isinstance(name, int):
        return fmt_int(name)
    form_field = unit.form.field(name)
    if form_field is not None:
        return f"«{form_field.label}»"
    return f"{ATTRIBUTE_LABELS.get(name, name)} của đơn vị"


def _check_rule(unit: Unit, rule: Rule, figures: dict[str, Value], index: int) -> Problem | None:
    left = _operand_value(unit, figures, rule.left)
    right = _operand_value(unit, figures, rule.right)
    if left is None or right is None:
        return None  # a missing figure is the 'required' check's business
    if _OPERATORS[rule.op](left, right):
        return None
    message = rule.message or (
        f"{_operand_label(unit, rule.left)} ({fmt_int(left)}) {_OPERATOR_WORDS[rule.op]} "
        f"{_operand_label(unit, rule.right)} ({fmt_int(right)})"
    )
    return Problem(
        message,
        field=rule.left,
        severity="warning" if rule.level == "warning" else "error",
        code=f"rule:{index}:{rule.left}",
    )


SLIP_FACTOR = 10
SLIP_SMALLEST = 100  # below this a tenfold jump is ordinary (1 person helped, then 10)


def slips(
    unit: Unit, figures: dict[str, Value], previous: Submission | None, found: list[Problem]
) -> list[Problem]:
    """Figures that look like a slip of the fingers: warnings that need a confirmation.

    DHIS2 flags values far from a unit's history and outside min-max ranges; here a
    figure of 100 or more that is ten times the unit's previous report or more (685 ->
    6850, 700685: digits typed onto the old value), or above what the registry says the unit has (its
    population; its staff or students for a field of that name). Fields that already have a problem
    (`found`) are left to it, so one slip gives one message.
    """
    flagged = {p.field for p in found}
    problems = []
    for form_field in unit.form.fields:
        after = figures.get(form_field.id)
        if form_field.type != "int" or form_field.id in flagged or not _counts(after):
            continue
        assert isinstance(after, int)
        why = _far_from_previous(form_field, after, previous) or _above_registry(
            unit, form_field, after
        )
        if why:
            problems.append(
                Problem(
                    f"«{form_field.label}» = {fmt_int(after)}: {why} — có gõ nhầm không?",
                    field=form_field.id,
                    severity="warning",
                    code=f"slip:{form_field.id}",
                )
            )
    return problems


def _counts(value: object) -> TypeGuard[int]:
    return type(value) is int  # a number, not a bool


def _far_from_previous(form_field: Field, after: int, previous: Submission | None) -> str:
    before = previous.figures.get(form_field.id) if previous is not None else None
    if previous is None or not _counts(before) or before <= 0:
        return ""
    assert isinstance(before, int)
    # Only upwards: a lost digit in a cumulative figure is already a decrease to confirm,
    # and a daily count (people helped at the desk) rightly swings from 12 to 1.
    if after >= max(SLIP_FACTOR * before, SLIP_SMALLEST):
        return (
            f"gấp {fmt_int(after // before)} lần số báo cáo trước "
            f"({fmt_int(before)}, ngày {previous.day:%d/%m/%Y})"
        )
    return ""


def _above_registry(unit: Unit, form_field: Field, after: int) -> str:
    for name in (form_field.id, "population"):
        bound = unit.attributes.get(name)
        if bound is not None and after > bound:
            what = ATTRIBUTE_LABELS.get(name, name)
            return f"lớn hơn {what} của đơn vị trong danh mục ({fmt_int(bound)})"
    return ""
