"""Entering figures: merge what was typed into the day's submission, validate, save.

The CLI's `submit` and the board's form both go through `prepare()` and
`commit()`, so a figure is checked the same way whichever way it came in.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import cast

from bluezone_tui.base.problems import Problem, RefusedError
from bluezone_tui.base.safe_text import control_chars
from bluezone_tui.base.vn import fmt_int, nfc
from bluezone_tui.day.loader import earlier_report
from bluezone_tui.day.status import unit_status
from bluezone_tui.day.store import Store, broken_file_refusal, current_user, find_unit
from bluezone_tui.day.submission import (
    MAX_NAME_CHARS,
    MAX_NOTE_CHARS,
    MAX_TEXT_FIGURE_CHARS,
    Confirmation,
    ParsedFile,
    Submission,
    Value,
    Withdrawal,
)
from bluezone_tui.day.validate import parse_input, validate
from bluezone_tui.registry.model import Unit

REPORTED_AT_REQUIRED = "required:reported_at"


@dataclass(frozen=True, slots=True)
class Draft:
    """A submission ready to save, the problems it has, and the revision it is based on."""

    unit: Unit
    submission: Submission
    problems: tuple[Problem, ...]
    base_revision: int
    base_digest: int | None
    previous: Submission | None

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if not p.is_error]


LOOK_UP = object()  # prepare(previous=…) default: read the unit's last earlier report


def prepare(
    store: Store,
    unit_id: str,
    day: date,
    values: Mapping[str, str | Value | None],
    *,
    now: datetime,
    reported_at: datetime | None = None,
    note: str | None = None,
    entered_by: str | None = None,
    confirm: Iterable[str] = (),
    replace: bool = False,
    previous: Submission | None | object = LOOK_UP,
    base: Submission | None | object = LOOK_UP,
    existing: Submission | None | object = LOOK_UP,
) -> Draft:
    """Merge `values` (typed text or typed values) into the current file's figures and check.

    With replace=True the figures are exactly `values` (the form sends every field).
    reported_at None keeps the file's report time; with no file it is `now`, except
    for a past day: there the unit reported at some time that day, which must be given
    (a problem on field "reported_at", code REPORTED_AT_REQUIRED), never taken from now.
    A draft with errors is never saved. `base`: the day's report the edit started from
    (the form's; default the file now), against which a lower figure is a correction
    downwards, a decrease like any other. `existing`: the report this entry replaces
    when it is not the file (a side of a conflict being resolved); default the file.
    """
    unit = find_unit(store, unit_id)
    timezone = store.registry.timezone
    now = now.astimezone(timezone).replace(microsecond=0)  # a file holds whole seconds
    current, existing = _replaced(store, unit_id, day, existing)
    figures: dict[str, Value] = {} if replace or existing is None else dict(existing.figures)
    problems = _merge_typed(unit, values, figures)
    moment = _report_moment(day, now, reported_at, existing, problems)
    text_note = nfc(note) if note is not None else (existing.note if existing else "")
    problems += text_problems(text_note, "note", "Ghi chú", MAX_NOTE_CHARS)
    note_is_new = bool(text_note.strip()) and (existing is None or text_note != existing.note)
    who = nfc(entered_by) if entered_by else current_user()
    problems += text_problems(who, "entered_by", "Người nhập", MAX_NAME_CHARS)
    carried = _carried(existing, figures, moment, text_note)
    confirmed = set(confirm) | set(carried)
    if previous is LOOK_UP:  # the form passes the one it already read: not every keystroke
        previous = earlier_report(store, unit_id, day, now)
    previous = cast("Submission | None", previous)
    unparsed = {p.field for p in problems}
    checks = functools.partial(
        validate,
        unit,
        figures,
        day=day,
        reported_at=moment,
        previous=previous,
        note=text_note,
        now=now,
        current=_correction_base(unit, current, previous, base),
        fresh=set(confirm) - set(carried),
        note_is_new=note_is_new,
    )
    problems += [
        p
        for p in checks(confirmed=confirmed)
        if not (p.code.startswith("required:") and p.field in unparsed)
    ]
    # Confirmations are kept while the warning they answer is still there.
    warned = {p.code for p in checks() if not p.is_error}
    confirmations = tuple(
        carried.get(code) or Confirmation(code, who, now) for code in sorted(confirmed & warned)
    )
    submission = Submission(
        unit_id=unit_id,
        day=day,
        figures={f.id: figures[f.id] for f in unit.form.fields if f.id in figures},
        reported_at=moment if moment is not None else now,  # placeholder: an error stands
        entered_by=who,
        entered_at=now,
        revision=existing.revision if existing else 0,
        note=text_note,
        confirmations=confirmations,
    )
    return Draft(
        unit=unit,
        submission=submission,
        problems=tuple(problems),
        base_revision=existing.revision if existing else 0,
        base_digest=current.digest if current is not None else None,
        previous=previous,
    )


def _replaced(
    store: Store, unit_id: str, day: date, existing: Submission | None | object
) -> tuple[ParsedFile | None, Submission | None]:
    """The day's file as it is, and the report this entry replaces (the file's, unless
    the caller gave another: a side of a conflict being resolved)."""
    current = store.read(day, unit_id) if existing is LOOK_UP else None
    if current is not None and current.broken:
        # Parse-level errors only (ParsedFile.errors): saving would drop what could not
        # be read. Bounds and cross-field errors come from validate(), fixable in the entry.
        raise broken_file_refusal(current.path, current)
    if existing is LOOK_UP:
        existing = current.submission if current is not None else None
    return current, cast("Submission | None", existing)


def _carried(
    existing: Submission | None,
    figures: dict[str, Value],
    moment: datetime | None,
    note: str,
) -> dict[str, Confirmation]:
    """A confirmation in the file answered the figures (and note) as they were: it carries
    over, still its author's, only while what it answered is unchanged."""
    if existing is None:
        return {}
    return {
        c.warning: c
        for c in existing.confirmations
        if _unchanged(c.warning, existing, figures, moment, note)
    }


def _merge_typed(
    unit: Unit, values: Mapping[str, str | Value | None], figures: dict[str, Value]
) -> list[Problem]:
    """Each typed value parsed by its field's type and merged into `figures` (None removes
    the figure); what cannot be used is a problem on its field, and `figures` keeps the
    value it had."""
    problems: list[Problem] = []
    for field_id, raw in values.items():
        form_field = unit.form.field(field_id)
        if form_field is None:
            known = ", ".join(f.id for f in unit.form.fields)
            problems.append(
                Problem(
                    f"chỉ tiêu «{field_id}» không có trong biểu mẫu «{unit.group.name}» "
                    f"(có: {known})",
                    field=field_id,
                    code=f"unknown:{field_id}",
                )
            )
            continue
        parsed = parse_input(form_field, raw) if isinstance(raw, str) else raw
        if isinstance(parsed, str):
            problems += text_problems(
                parsed, form_field.id, form_field.label, MAX_TEXT_FIGURE_CHARS
            )
        if isinstance(parsed, Problem):
            problems.append(parsed)
        elif parsed is None:
            figures.pop(field_id, None)
        else:
            figures[field_id] = parsed
    return problems


def _report_moment(
    day: date,
    now: datetime,
    reported_at: datetime | None,
    existing: Submission | None,
    problems: list[Problem],
) -> datetime | None:
    """When the unit reported: as given, else the file's, else now for today; a past day's
    must be given (None, and a problem on "reported_at"), never taken from now."""
    if reported_at is not None:
        return reported_at.astimezone(now.tzinfo).replace(microsecond=0)
    if existing is not None:
        return existing.reported_at
    if day < now.date():
        problems.append(
            Problem(
                f"ngày {day:%d/%m/%Y} đã qua: cần ghi giờ đơn vị báo cáo hôm đó (không lấy "
                f"giờ nhập, {now:%d/%m/%Y %H:%M}, làm giờ báo cáo)",
                field="reported_at",
                code=REPORTED_AT_REQUIRED,
            )
        )
        return None
    return now


def _correction_base(
    unit: Unit, current: ParsedFile | None, previous: Submission | None, base: object
) -> Submission | None:
    """What a same-day correction is compared with: the base the edit started from, if it
    was a report the board counts (fixing a figure that was in error is no decrease)."""
    if base is not LOOK_UP:
        return cast("Submission | None", base)
    return unit_status(unit, current, previous, None, None).submission


def text_problems(text: str, field_id: str, label: str, limit: int) -> list[Problem]:
    """Typed text is stored as typed, so it must be safe to show and of a sane length."""
    found = []
    unsafe = control_chars(text)
    if unsafe:
        found.append(
            Problem(
                f"«{label}» chứa {', '.join(unsafe)}: không lưu; hãy gõ lại bằng chữ thường",
                field=field_id,
                code=f"control:{field_id}",
            )
        )
    if len(text) > limit:
        found.append(
            Problem(
                f"«{label}» dài {fmt_int(len(text))} ký tự, quá {fmt_int(limit)} ký tự",
                field=field_id,
                code=f"length:{field_id}",
            )
        )
    return found


def _unchanged(
    code: str,
    existing: Submission,
    figures: dict[str, Value],
    moment: datetime | None,
    note: str,
) -> bool:
    """Whether what a confirmed warning was about is the same in the new entry."""
    if code.startswith("decrease:"):  # the figure and the note that explains it
        field_id = code.split(":", 1)[1]
        return figures.get(field_id) == existing.figures.get(field_id) and note == existing.note
    if code.startswith("reported-"):
        return moment == existing.reported_at
    return figures == existing.figures  # a cross-field rule: any figure may matter


def commit(
    store: Store,
    draft: Draft,
    *,
    base_revision: int | None = None,
    base_digest: int | None = None,
) -> Submission:
    """Save the draft if it has no errors and every warning was confirmed; else refuse.

    base_revision/base_digest: what the person started editing from (the form keeps
    them from when it opened); by default, the file as the draft was prepared.
    """
    if draft.errors:
        raise RefusedError("số liệu có lỗi, chưa lưu", list(draft.errors))
    if draft.warnings:
        raise RefusedError(
            "số liệu có cảnh báo cần xác nhận (--confirm-warnings, kèm --note nếu số lũy kế giảm)",
            list(draft.warnings),
        )
    if base_revision is None:
        base_revision, base_digest = draft.base_revision, draft.base_digest
    return store.save(draft.submission, base_revision=base_revision, base_digest=base_digest)


def confirmed_draft(
    store: Store,
    unit_id: str,
    day: date,
    values: Mapping[str, str | Value | None],
    *,
    now: datetime,
    reported_at: datetime | None = None,
    note: str | None = None,
    entered_by: str | None = None,
    confirm_warnings: bool = False,
) -> Draft:
    """prepare(); with confirm_warnings every warning found is confirmed (the CLI's way).

    Confirming a new decrease of a cumulative figure needs a note given here: the
    note already in the file explains an earlier change, not this one.
    """
    prepare_again = functools.partial(
        prepare, store, unit_id, day, values,
        now=now, reported_at=reported_at, note=note, entered_by=entered_by,
    )  # fmt: skip
    draft = prepare_again()
    if confirm_warnings and draft.warnings and not draft.errors:
        draft = prepare_again(confirm=[p.code for p in draft.warnings])
    return draft


def submit(
    store: Store,
    unit_id: str,
    day: date,
    values: Mapping[str, str | Value | None],
    *,
    now: datetime,
    reported_at: datetime | None = None,
    note: str | None = None,
    entered_by: str | None = None,
    confirm_warnings: bool = False,
    base_revision: int | None = None,
) -> Submission:
    """confirmed_draft() then commit(), without history (the commit of a save is git.save)."""
    draft = confirmed_draft(
        store, unit_id, day, values,
        now=now, reported_at=reported_at, note=note, entered_by=entered_by,
        confirm_warnings=confirm_warnings,
    )  # fmt: skip
    return commit(store, draft, base_revision=base_revision)


def withdraw(
    store: Store,
    unit_id: str,
    day: date,
    *,
    reason: str,
    now: datetime,
    withdrawn_by: str | None = None,
    base_revision: int | None = None,
) -> tuple[Withdrawal, bool]:
    """Withdraw the unit's report of `day` (`bluezone withdraw`): the reason is required
    and kept as typed, like a note; see Store.withdraw."""
    find_unit(store, unit_id)
    reason = nfc(reason).strip()
    who = nfc(withdrawn_by).strip() if withdrawn_by is not None else current_user()
    problems = [] if reason else [Problem("cần ghi lý do rút báo cáo", field="reason")]
    problems += text_problems(reason, "reason", "Lý do", MAX_NOTE_CHARS)
    problems += text_problems(who, "withdrawn_by", "Người rút", MAX_NAME_CHARS)
    if problems:
        raise RefusedError("chưa rút báo cáo", problems)
    return store.withdraw(unit_id, day, by=who, reason=reason, at=now, base_revision=base_revision)
