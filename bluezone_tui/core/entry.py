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

from .problems import Problem, RefusedError
from .registry import Unit, unit_id_problem
from .store import Store, broken_file_refusal, current_user
from .submission import Submission, Value
from .validate import parse_input, validate
from .vn import nfc


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


def find_unit(store: Store, unit_id: str) -> Unit:
    why = unit_id_problem(unit_id)
    if why:
        raise RefusedError(why)
    unit = store.registry.unit(unit_id)
    if unit is None:
        raise RefusedError(
            f"đơn vị «{unit_id}» không có trong {store.registry.path}; "
            f"xem danh sách mã bằng «bluezone status»"
        )
    return unit


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
) -> Draft:
    """Merge `values` (typed text or typed values) into the current file's figures and check.

    With replace=True the figures are exactly `values` (the form sends every field).
    """
    unit = find_unit(store, unit_id)
    current = store.read(day, unit_id)
    if current is not None and (current.submission is None or current.errors):
        # Parse-level errors only (ParsedFile.errors): saving would drop what could not
        # be read. Bounds and cross-field errors come from validate() below, fixable here.
        raise broken_file_refusal(current.path, current)
    existing = current.submission if current is not None else None
    problems: list[Problem] = []
    figures: dict[str, Value] = {} if replace or existing is None else dict(existing.figures)
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
        if isinstance(raw, str):
            parsed = parse_input(form_field, raw)
        else:
            parsed = raw
        if isinstance(parsed, Problem):
            problems.append(parsed)
            continue
        if parsed is None:
            figures.pop(field_id, None)
        else:
            figures[field_id] = parsed
    moment = reported_at or (existing.reported_at if existing else now)
    text_note = nfc(note) if note is not None else (existing.note if existing else "")
    # A confirmation in the file answered the figures as they were: it carries over
    # only while what it answered is unchanged, so a new or bigger drop asks again.
    carried = {
        code
        for code in (existing.confirmed_warnings if existing else ())
        if _unchanged(code, existing, figures, moment)
    }
    confirmed = set(confirm) | carried
    if previous is LOOK_UP:  # the form passes the one it already read: not every keystroke
        previous = store.previous(day, [unit_id]).get(unit_id)
    previous = cast("Submission | None", previous)
    unparsed = {p.field for p in problems}
    found = [
        p
        for p in validate(
            unit,
            figures,
            day=day,
            reported_at=moment,
            previous=previous,
            note=text_note,
            confirmed=confirmed,
            now=now,
        )
        if not (p.code.startswith("required:") and p.field in unparsed)
    ]
    problems.extend(found)
    kept_confirmations = tuple(
        sorted(code for code in confirmed if _still_applies(code, unit, figures, previous))
    )
    submission = Submission(
        unit_id=unit_id,
        day=day,
        figures={f.id: figures[f.id] for f in unit.form.fields if f.id in figures},
        reported_at=moment.astimezone(store.registry.timezone),
        entered_by=nfc(entered_by) if entered_by else current_user(),
        entered_at=now.astimezone(store.registry.timezone),
        revision=existing.revision if existing else 0,
        note=text_note,
        confirmed_warnings=kept_confirmations,
    )
    return Draft(
        unit=unit,
        submission=submission,
        problems=tuple(problems),
        base_revision=existing.revision if existing else 0,
        base_digest=current.digest if current is not None else None,
        previous=previous,
    )


def _unchanged(code: str, existing: Submission, figures: dict[str, Value], moment: datetime) -> bool:
    """Whether what a confirmed warning was about is the same in the new figures."""
    if code.startswith("decrease:"):
        field_id = code.split(":", 1)[1]
        return figures.get(field_id) == existing.figures.get(field_id)
    if code.startswith("reported-"):
        return moment == existing.reported_at
    return figures == existing.figures  # a cross-field rule: any figure may matter


def _still_applies(code: str, unit: Unit, figures: dict[str, Value], previous) -> bool:  # type: ignore[no-untyped-def]
    """Keep a confirmation in the file only while the warning it answers is still there."""
    if code.startswith("decrease:") and previous is not None:
        field_id = code.split(":", 1)[1]
        before, after = previous.figures.get(field_id), figures.get(field_id)
        return isinstance(before, int) and isinstance(after, int) and after < before
    return not code.startswith("decrease:")


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
    """prepare() then commit(); with confirm_warnings every warning found is confirmed.

    Confirming a new decrease of a cumulative figure needs a note given here (note is
    not None): the note already in the file explains an earlier change, not this one.
    """
    prepare_again = functools.partial(
        prepare, store, unit_id, day, values,
        now=now, reported_at=reported_at, note=note, entered_by=entered_by,
    )  # fmt: skip
    draft = prepare_again()
    if confirm_warnings and draft.warnings and not draft.errors:
        decreases = [p for p in draft.warnings if p.code.startswith("decrease:")]
        if decreases and note is None:
            raise RefusedError(
                "số lũy kế giảm: muốn xác nhận thì ghi lý do ngay trong lệnh này bằng "
                '--note "…" (ghi chú cũ trong tệp không dùng lại cho lần giảm mới)',
                decreases,
            )
        draft = prepare_again(confirm=[p.code for p in draft.warnings])
    return commit(store, draft, base_revision=base_revision)
