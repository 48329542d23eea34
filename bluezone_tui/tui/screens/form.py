"""What the entry form and the conflict form share: their keys, moving between inputs,
leaving with figures not yet saved, and the questions a save asks.

- F2 / Ctrl+S save; Esc goes back, asking "Bỏ thay đổi?" when something typed would be
  lost (so does Ctrl+Q, app.py); Tab / Enter / ↓ and Shift+Tab / ↑ move (FormInput).
- Arriving at an input selects its value, by the keyboard, a click, or back from a
  dialog, so typing replaces it.
- A refused save moves the cursor to the first red line's input and says which; "Không,
  sửa lại" on a warning moves it to the figure the warning is about.
- A cumulative figure that went down asks for the reason in the question itself.
- A report time is read by base.clock.parse_reported_at, as `bluezone submit
  --reported-at` reads it.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import date, datetime, tzinfo
from typing import TypeVar

from textual import on
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Static

from bluezone_tui.base.clock import parse_reported_at
from bluezone_tui.base.problems import Problem
from bluezone_tui.base.safe_text import printable
from bluezone_tui.base.vn import fmt_int
from bluezone_tui.day.entry import Draft
from bluezone_tui.day.submission import MAX_NOTE_CHARS, Value
from bluezone_tui.tui.screens.modals import ChoiceScreen, NoteScreen
from bluezone_tui.tui.widgets.inputs import FormInput
from bluezone_tui.tui.width_classes import set_width_classes

ResultType = TypeVar("ResultType")

REPORTED_AT = "reported_at"
NOTE = "note"
TIME_LIMIT = 40  # characters a report time can need: "2020-08-20 14:30:05+07:00"
FIGURE_LIMIT = 30  # an int field: "1.000.000.000" is 13
NOTE_REQUIRED = "note-required:"


class FieldRows(VerticalScroll, can_focus=False):
    """The form's rows: scrolled to follow the focus, never a stop of its own in the Tab order."""


def clock_text(moment: datetime) -> str:
    """A time of day as a form shows it: seconds only when there are some to show."""
    return f"{moment:%H:%M}" if moment.second == 0 else f"{moment:%H:%M:%S}"


def show_figure(value: Value | None) -> str:
    """A figure as people read it: 6.090, có, or "–"."""
    if isinstance(value, int) and not isinstance(value, bool):
        return fmt_int(value)
    return show(value) or "–"


def show(value: Value | None) -> str:
    """A figure as an input holds it: 6090, có, text, or empty."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "có" if value else "không"
    if isinstance(value, int):
        return str(value)
    return value


def problem_line(problem: Problem) -> str:
    mark = "✗" if problem.is_error else "!"
    return f"{mark} {printable(problem.message)}"


def show_field_problems(
    screen: Screen, problems: list[Problem], keys: Collection[str]
) -> list[Problem]:
    """Each field's problems under its input (#msg-KEY, #in-KEY), on the form and on the
    conflict form alike; the problems of no field are returned for the status line."""
    by_field: dict[str, list[Problem]] = {}
    general: list[Problem] = []
    for problem in problems:
        if problem.field is not None and problem.field in keys:
            by_field.setdefault(problem.field, []).append(problem)
        else:
            general.append(problem)
    for key in keys:
        found = by_field.get(key, [])
        error = any(p.is_error for p in found)
        message = screen.query_one(f"#msg-{key}", Static)
        message.update("\n".join(problem_line(p) for p in found))
        message.set_class(error, "-error")
        message.set_class(bool(found) and not error, "-warning")
        message.display = bool(found)
        screen.query_one(f"#in-{key}", FormInput).set_class(error, "-invalid-value")
    return general


def report_time(text: str, day: date, zone: tzinfo, field: str = REPORTED_AT) -> datetime | Problem:
    """A report time typed in a form: as `submit --reported-at` reads it (15:45, 15h45,
    15:45:30, 14:30+00:00, 2020-08-20 14:30), or the reason it cannot be read."""
    try:
        return parse_reported_at(text, day, zone)
    except ValueError as exc:
        return Problem(str(exc), field=field, code=f"type:{field}")


class FormScreen(Screen[ResultType]):
    """A form of inputs #in-KEY (FormInput), one per key of `initial`, in order."""

    BINDINGS = [
        Binding("f2,ctrl+s", "save", "Lưu", key_display="F2/^S"),
        Binding("escape", "back", "Quay lại", key_display="Esc"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.initial: dict[str, str] = {}
        self.saving = False  # a save is running in its worker: F2 again rings
        self.tried_save = False  # F2 was pressed: every problem is shown, not only typed ones
        set_width_classes(self)  # -narrow from the first frame: a click lands where drawn

    @property
    def ready_for_keys(self) -> bool:
        """Keys typed after F2 wait for the save: they belong to what the save leads to."""
        return not self.saving

    # ------------------------------------------------------------------ what each form says

    @property
    def unit_name(self) -> str:
        """The unit the form is for (the question before quitting names it)."""
        raise NotImplementedError

    def label(self, key: str) -> str:
        """The name of `key`'s input as the clerk reads it."""
        return key

    def prepare_draft(self, confirm: Sequence[str] = ()) -> tuple[Draft | None, list[Problem]]:
        """What the inputs hold, checked by the core: the draft (None if it cannot be
        made) and every problem."""
        raise NotImplementedError

    def show_problems(self, problems: list[Problem]) -> None:
        """Each problem under its input, the rest on the status line."""
        raise NotImplementedError

    def commit_draft(self, draft: Draft) -> None:
        """Save `draft` (in a worker); the form is dismissed when it is saved."""
        raise NotImplementedError

    # ------------------------------------------------------------------ inputs

    def input(self, key: str) -> FormInput:
        return self.query_one(f"#in-{key}", FormInput)

    def values(self) -> dict[str, str]:
        return {key: self.input(key).value for key in self.initial}

    @property
    def dirty(self) -> bool:
        """Something typed that leaving would lose."""
        return self.values() != self.initial

    def action_next_input(self) -> None:
        self.focus_next(FormInput)

    def action_previous_input(self) -> None:
        self.focus_previous(FormInput)

    def on_screen_resume(self) -> None:
        """Back from a dialog: the input is arrived at again, so what it holds is selected."""
        self.select_focused()

    def select_focused(self) -> None:
        if isinstance(self.focused, FormInput):
            self.focused.select_all()

    def focus_field(self, key: str | None, why: str) -> None:
        """Put the cursor in `key`'s input (its value selected) and say so, with `why`."""
        if key is None or key not in self.initial:
            self.notify(why, markup=False, timeout=6)
            return
        field = self.input(key)
        field.focus()
        field.select_all()
        self.notify(f"{why} Con trỏ ở ô «{printable(self.label(key))}».", markup=False, timeout=6)

    @on(FormInput.Pasted)
    def fill_following(self, message: FormInput.Pasted) -> None:
        """Several values pasted: this input and the following ones, in order, or none."""
        inputs = list(self.query(FormInput))
        start = inputs.index(message.target)
        targets = inputs[start : start + len(message.cells)]
        if len(targets) < len(message.cells):
            self.app.bell()
            self.notify(
                f"Chưa dán: có {len(message.cells)} giá trị nhưng từ ô này đến cuối biểu mẫu "
                f"chỉ có {len(targets)} ô. Không ô nào bị thay đổi.",
                severity="error",
                timeout=8,
            )
            return
        for widget, cell in zip(targets, message.cells, strict=True):
            if widget.refuse_long([cell]):
                return
        for widget, cell in zip(targets, message.cells, strict=True):
            widget.value = cell
        message.target.select_all()
        self.notify(
            f"Đã dán {len(message.cells)} giá trị vào {len(targets)} ô, từ ô này trở xuống."
        )

    # ------------------------------------------------------------------ leaving

    def action_back(self) -> None:
        if self.saving:
            self.app.bell()
            return
        if not self.dirty:
            self.dismiss(None)
            return

        def answered(choice: str | None) -> None:
            if choice == "y":
                self.dismiss(None)

        self.app.push_screen(
            ChoiceScreen(
                "Bỏ thay đổi?",
                "Biểu mẫu có số chưa lưu. Bỏ các thay đổi và quay lại bảng?",
                {"y": "Bỏ thay đổi", "n": "Ở lại biểu mẫu"},
            ),
            answered,
        )

    # ------------------------------------------------------------------ saving

    def action_save(self) -> None:
        if self.saving:
            self.app.bell()
            return
        self.tried_save = True
        draft, problems = self.prepare_draft()
        self.show_problems(problems)
        errors = [p for p in problems if p.is_error]
        if draft is None or errors:
            self.refuse(errors)
            return
        if draft.warnings:
            self._ask_warnings(draft.warnings)
            return
        self.commit_draft(draft)

    def refuse(self, errors: list[Problem], summary: str = "Chưa lưu: số liệu còn lỗi.") -> None:
        """Nothing saved: ring, and take the clerk to the first red line's input."""
        self.app.bell()
        first = next((p.field for p in errors if p.field in self.initial), None)
        self.focus_field(first, summary)

    def _ask_warnings(self, warnings: list[Problem]) -> None:
        codes = [p.code for p in warnings]

        def answered(choice: str | None) -> None:
            if choice == "y":
                self._save_confirmed(codes)
            else:  # «n» or Esc: back to the figure the warning is about
                self.focus_field(warnings[0].field, "Chưa lưu: sửa lại số liệu.")

        self.app.push_screen(
            ChoiceScreen(
                "Số liệu có cảnh báo",
                "\n".join("• " + printable(p.message) for p in warnings) + "\n\nVẫn lưu?",
                {"y": "Có, lưu", "n": "Không, sửa lại"},
            ),
            answered,
        )

    def _save_confirmed(self, codes: list[str], asked_note: bool = False) -> None:
        """Save with the warnings confirmed; a decrease with no reason yet asks for it."""
        draft, problems = self.prepare_draft(codes)
        errors = [p for p in problems if p.is_error]
        need_note = [p for p in errors if p.code.startswith(NOTE_REQUIRED)]
        if draft is not None and errors and len(need_note) == len(errors) and not asked_note:
            self._ask_note(codes, need_note)
            return
        if draft is None or errors or draft.warnings:
            self.show_problems(problems)
            self.refuse(errors or draft.warnings if draft else errors)
            return
        self.commit_draft(draft)

    def _ask_note(self, codes: list[str], reasons: list[Problem]) -> None:
        decreased = [p.code.removeprefix(NOTE_REQUIRED) for p in reasons]

        def answered(note: str | None) -> None:
            if note is None:  # Esc: back to the figure that went down
                self.focus_field(decreased[0], "Chưa lưu: sửa lại số liệu.")
                return
            self.input(NOTE).value = note
            self._save_confirmed(codes, asked_note=True)

        lines = "\n".join("• " + printable(self.label(key)) for key in decreased)
        self.app.push_screen(
            NoteScreen(
                "Số lũy kế giảm: ghi lý do",
                f"Số lũy kế giảm so với lần trước:\n{lines}\n\nGhi lý do (ví dụ: rà soát "
                "lại, trùng tên), rồi Enter để lưu. Esc để quay lại sửa số.",
                limit=MAX_NOTE_CHARS,
            ),
            answered,
        )
