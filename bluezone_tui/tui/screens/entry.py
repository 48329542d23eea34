"""The entry form: one input per field of the unit's form, checked as you type.

Every check is the core's (`entry.prepare`), the same as `bluezone submit`.
The revision the form opened on is kept: if the file changes meanwhile the save
is refused and nothing typed is lost; "tải lại" takes the new revision as base.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, datetime

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Input, Label, Static

from bluezone_tui.base.clock import Clock, parse_time_of_day
from bluezone_tui.base.files import os_reason
from bluezone_tui.base.problems import BluezoneError, Problem, StaleRevisionError
from bluezone_tui.base.safe_text import printable
from bluezone_tui.base.vn import fmt_date_short, fmt_int, fmt_time
from bluezone_tui.day.entry import Draft, prepare
from bluezone_tui.day.loader import earlier_report
from bluezone_tui.day.store import Store
from bluezone_tui.day.submission import Submission, Value
from bluezone_tui.git.repository import DataRepository, Recorded
from bluezone_tui.git.save import save_draft, sent_report
from bluezone_tui.git.sent import describe_tag
from bluezone_tui.registry.model import Field, Unit
from bluezone_tui.tui.screens.modals import ChoiceScreen, ReasonScreen

REPORTED_AT = "reported_at"
NOTE = "note"


class EntryInput(Input):
    """One value of the form, with the keys of a data-entry grid.

    Arriving at an input from the keyboard (the form opening, Tab, Shift+Tab, Up,
    Down, Enter, back from a dialog, after a reload) selects what it holds, so typing
    replaces it; Left, Right, Home or End first to change part of it. Ctrl+A selects
    all, as on Windows. A paste of several lines or cells fills this input and the
    following ones in order, as a spreadsheet does.
    """

    BINDINGS = [
        Binding("tab,enter,down", "screen.next_input", show=False),
        Binding("shift+tab,up", "screen.previous_input", show=False),
        Binding("ctrl+a", "select_all", show=False),
    ]

    class Pasted(Message):
        """Several values pasted at once into `target`."""

        def __init__(self, target: EntryInput, cells: list[str]) -> None:
            super().__init__()
            self.target = target
            self.cells = cells

    def _on_paste(self, event: events.Paste) -> None:
        cells = paste_cells(event.text)
        if len(cells) > 1:
            event.stop()
            event.prevent_default()  # not Input's own paste, which keeps the first line only
            self.post_message(self.Pasted(self, cells))


class FieldRows(VerticalScroll, can_focus=False):
    """The form's rows: scrolled to follow the focus, never a stop of its own in the Tab order."""


def paste_cells(text: str) -> list[str]:
    """The values in a paste: its lines (a column copied from a spreadsheet) and tab-separated
    cells (a row), in reading order. The newline a spreadsheet ends a copy with is not a value."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if len(lines) > 1 and lines[-1] == "":
        lines.pop()
    return [cell for line in lines for cell in line.split("\t")]


def _clock_text(moment: datetime) -> str:
    """A time of day as the form shows it: seconds only when there are some to show."""
    return f"{moment:%H:%M}" if moment.second == 0 else f"{moment:%H:%M:%S}"


def _show_figure(value: Value | None) -> str:
    if isinstance(value, int) and not isinstance(value, bool):
        return fmt_int(value)
    return _show(value) or "–"


def _show(value: Value | None) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "có" if value else "không"
    if isinstance(value, int):
        return str(value)
    return value


class EntryScreen(Screen[Submission | None]):
    BINDINGS = [
        Binding("f2,ctrl+s", "save", "Lưu", key_display="F2/^S"),
        Binding("escape", "back", "Quay lại", key_display="Esc"),
        Binding("f1", "app.help", "Trợ giúp", key_display="F1"),
    ]

    def __init__(
        self,
        store: Store,
        unit: Unit,
        day: date,
        clock: Clock,
        repository: DataRepository | None = None,
    ) -> None:
        super().__init__()
        self.store = store
        self.repository = repository
        self.saving = False  # a save is running in its worker: F2 again waits for it
        self.reason: str | None = None  # why a sent day changes (asked at F2)
        self.unit = unit
        self.day = day
        self.clock = clock
        self.base_revision = 0
        self.base_digest: int | None = None
        self.current: Submission | None = None
        self.previous: Submission | None = None
        self.initial: dict[str, str] = {}
        self.broken: list[Problem] = []
        self.reloaded = False
        self._read_base()

    @property
    def ready_for_keys(self) -> bool:
        """Keys typed after F2 wait for the save: they belong to the board it returns to."""
        return not self.saving

    def _read_base(self) -> None:
        parsed = self.store.read(self.day, self.unit.id)
        # A file with errors is not a base to edit from: the form starts empty and the
        # save is refused by the core until the file is fixed by hand.
        self.broken = list(parsed.errors) if parsed is not None else []
        self.current = parsed.submission if parsed is not None and not self.broken else None
        self.base_revision = self.current.revision if self.current else 0
        self.base_digest = parsed.digest if parsed is not None else None
        self.previous = earlier_report(self.store, self.unit.id, self.day, self.clock())
        self.reloaded = False

    # ------------------------------------------------------------------ layout

    def compose(self) -> ComposeResult:
        yield Static(self._title(), id="entry-title", markup=False)
        yield Static("", id="entry-day", markup=False)
        with FieldRows(id="entry-fields"):
            for form_field in self.unit.form.fields:
                yield from self._row(form_field.id, form_field.label, form_field)
            yield from self._row(REPORTED_AT, "Giờ đơn vị báo cáo (HH:MM)", None)
            yield from self._row(NOTE, "Ghi chú", None)
        yield Static("", id="entry-status", markup=False)
        yield Footer()

    def _row(self, key: str, label: str, form_field: Field | None) -> ComposeResult:
        value = self._initial_value(key)
        self.initial[key] = value
        with Horizontal(classes="entry-row"):
            yield Label(printable(label), classes="entry-label", markup=False)
            yield EntryInput(
                value=value,
                id=f"in-{key}",
                compact=True,
                classes="entry-input entry-note" if key == NOTE else "entry-input",
                placeholder="có / không"
                if form_field is not None and form_field.type == "bool"
                else "",
            )
            yield Static(
                self._previous_text(key), classes="entry-prev", id=f"prev-{key}", markup=False
            )
        yield Static("", id=f"msg-{key}", classes="entry-msg", markup=False)

    def _title(self) -> str:
        head = f"{printable(self.unit.name)} — {fmt_date_short(self.day)}"
        if self.broken:
            first = self.broken[0]
            return (
                f"{head} — ⚠ TỆP ĐANG BỊ LỖI, chưa nhập được\n"
                f"{printable(first.location())}: {printable(first.message)}\n"
                "Sửa tệp bằng tay (xem «bluezone check»), rồi mở lại biểu mẫu."
            )
        if self.current is not None:
            head += (
                f" — bản {self.current.revision}, {printable(self.current.entered_by)}"
                f" {fmt_time(self.current.entered_at)}"
            )
        else:
            head += " — chưa có báo cáo"
        if self.reloaded:
            head += f"\nCột phải: số trong tệp hiện tại (bản {self.base_revision})"
        elif self.previous is not None:
            head += f"\nCột phải: lần báo cáo trước, ngày {fmt_date_short(self.previous.day)}"
        return head

    def _initial_value(self, key: str) -> str:
        if key == REPORTED_AT:
            # The time the unit reported: asked for, not assumed. Only today may it start
            # at the present minute, and what is saved is exactly what the field shows.
            timezone = self.store.registry.timezone
            if self.current is not None:
                return _clock_text(self.current.reported_at.astimezone(timezone))
            now = self.clock().astimezone(timezone)
            return f"{now:%H:%M}" if now.date() == self.day else ""
        # shown escaped: a control character from the file never reaches the terminal
        if key == NOTE:
            return printable(self.current.note) if self.current else ""
        return printable(_show(self.current.figures.get(key))) if self.current else ""

    def _previous_text(self, key: str) -> str:
        if self.previous is None or key in (REPORTED_AT, NOTE):
            return ""
        value = self.previous.figures.get(key)
        if isinstance(value, int) and not isinstance(value, bool):
            return f"trước: {fmt_int(value)}"
        return f"trước: {printable(_show(value))}" if value is not None else ""

    def on_mount(self) -> None:
        first = self.unit.form.fields[0].id
        self.query_one(f"#in-{first}", Input).focus()
        self.validate()
        self.show_day()
        self.set_interval(1.0, self.show_day)

    def show_day(self) -> None:
        """A form for another day than today says so, and which day (open at midnight too)."""
        today = self.clock().date()
        banner = self.query_one("#entry-day", Static)
        banner.display = today != self.day
        if today != self.day:
            banner.update(
                f"⚠ Số liệu ngày {fmt_date_short(self.day)} — "
                f"không phải hôm nay ({fmt_date_short(today)})"
            )

    # ------------------------------------------------------------------ moving

    def action_next_input(self) -> None:
        self.focus_next(EntryInput)

    def action_previous_input(self) -> None:
        self.focus_previous(EntryInput)

    def on_screen_resume(self) -> None:
        """Back from a dialog: the input is arrived at again, so what it holds is selected."""
        self._select_focused()

    def _select_focused(self) -> None:
        if isinstance(self.focused, EntryInput):
            self.focused.select_all()

    @on(EntryInput.Pasted)
    def fill_following(self, message: EntryInput.Pasted) -> None:
        """Several values pasted: this input and the following ones, in order, or none."""
        inputs = list(self.query(EntryInput))
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
            widget.value = cell
        message.target.select_all()
        self.notify(
            f"Đã dán {len(message.cells)} giá trị vào {len(targets)} ô, từ ô này trở xuống."
        )

    # ------------------------------------------------------------------ checking

    def values(self) -> dict[str, str]:
        return {key: self.query_one(f"#in-{key}", Input).value for key in self.initial}

    @property
    def dirty(self) -> bool:
        return self.values() != self.initial

    def _reported_at(self, text: str) -> datetime | Problem:
        if not text.strip():
            return Problem(
                "cần ghi giờ đơn vị báo cáo (ví dụ 14:45)",
                field=REPORTED_AT,
                code="required:reported_at",
            )
        try:
            moment = parse_time_of_day(text)
        except ValueError as exc:
            return Problem(str(exc), field=REPORTED_AT, code="type:reported_at")
        return datetime.combine(self.day, moment, tzinfo=self.store.registry.timezone)

    def draft(
        self, confirm: list[str] | tuple[str, ...] = ()
    ) -> tuple[Draft | None, list[Problem]]:
        values = self.values()
        reported_text = values.pop(REPORTED_AT)
        # Untouched, a saved time stays the very instant in the file (the field shows
        # it to the second when it has seconds); anything else is what the field says.
        reported: datetime | Problem | None = (
            self.current.reported_at
            if self.current is not None and reported_text == self.initial[REPORTED_AT]
            else self._reported_at(reported_text)
        )
        note = values.pop(NOTE)
        extra: list[Problem] = []
        if isinstance(reported, Problem):
            extra.append(reported)
            reported = None
        try:
            draft = prepare(
                self.store,
                self.unit.id,
                self.day,
                values,
                now=self.clock(),
                reported_at=reported,
                note=note,
                confirm=confirm,
                replace=True,
                previous=self.previous,
                base=self.current,
            )
        except BluezoneError as exc:
            return None, extra + (exc.problems or [Problem(exc.message)])
        return draft, extra + list(draft.problems)

    def validate(self) -> tuple[Draft | None, list[Problem]]:
        draft, problems = self.draft()
        general = show_field_problems(self, problems, self.initial)
        status = self.query_one("#entry-status", Static)
        errors = sum(1 for p in problems if p.is_error)
        warnings = len(problems) - errors
        summary = [_line(p) for p in general]
        if errors:
            summary.append(f"{errors} lỗi: sửa trước khi lưu.")
        elif warnings:
            summary.append(f"{warnings} cảnh báo: F2 để lưu sẽ hỏi xác nhận.")
        else:
            summary.append("Hợp lệ. F2 hoặc Ctrl+S để lưu, Esc để quay lại.")
        status.update("\n".join(summary))
        status.set_class(bool(errors), "-error")
        return draft, problems

    @on(Input.Changed)
    def changed(self) -> None:
        self.validate()

    # ------------------------------------------------------------------ saving

    def action_save(self) -> None:
        draft, problems = self.validate()
        if draft is None or any(p.is_error for p in problems):
            self.app.bell()
            self.notify("Chưa lưu: số liệu còn lỗi (xem dòng đỏ).", severity="error")
            self._focus_first_problem(problems)
            return
        if draft.warnings:
            text = "\n".join("• " + p.message for p in draft.warnings)
            codes = [p.code for p in draft.warnings]

            def answered(choice: str | None) -> None:
                if choice == "y":
                    confirmed, problems = self.draft(confirm=codes)
                    if confirmed is None or any(p.is_error for p in problems):
                        self.validate_with(problems)
                        self.notify(
                            "Chưa lưu: cần ghi chú lý do khi số lũy kế giảm.", severity="error"
                        )
                        self.query_one(f"#in-{NOTE}", Input).focus()
                        return
                    self._commit(confirmed)

            self.app.push_screen(
                ChoiceScreen(
                    "Số liệu có cảnh báo",
                    text + "\n\nVẫn lưu?",
                    {"y": "Có, lưu", "n": "Không, sửa lại"},
                ),
                answered,
            )
            return
        self._commit(draft)

    def validate_with(self, problems: list[Problem]) -> None:
        for problem in problems:
            if problem.field in self.initial and problem.is_error:
                widget = self.query_one(f"#msg-{problem.field}", Static)
                widget.update(_line(problem))
                widget.display = True
                widget.set_class(True, "-error")

    def _focus_first_problem(self, problems: list[Problem]) -> None:
        for problem in problems:
            if problem.is_error and problem.field in self.initial:
                self.query_one(f"#in-{problem.field}", Input).focus()
                return

    def _commit(self, draft: Draft, reason: str | None = None) -> None:
        """Save in a worker thread: the git commit, or a sync's merge holding the data
        folder's lock for a few seconds, never freezes the screen. A day whose report was
        sent asks first why its figures change (the lock of a sent day)."""
        if self.saving:
            self.app.bell()
            return
        if reason is None:
            sent = sent_report(self.repository, draft.submission.day)
            if sent is not None:
                self.app.push_screen(
                    ReasonScreen(
                        "Báo cáo của ngày này đã gửi",
                        f"{describe_tag(sent)}.\nSửa sau khi gửi: ghi lý do (lưu vào lịch sử).",
                    ),
                    lambda answer: self._commit(draft, answer) if answer else None,
                )
                return
        self.reason = reason
        self.saving = True
        self.query_one("#entry-status", Static).update("Đang lưu…")
        self._save(draft, self.base_revision, self.base_digest)

    @work(thread=True, exclusive=True, group="save")
    def _save(self, draft: Draft, base_revision: int, base_digest: int | None) -> None:
        call = self.app.call_from_thread
        try:
            saved, recorded = save_draft(
                self.store,
                draft,
                self.repository,
                self.clock(),
                base_revision=base_revision,
                base_digest=base_digest,
                reason=self.reason,
            )
        except BluezoneError as exc:  # refused, stale, or the data folder busy: nothing written
            call(self._not_saved, exc)
            return
        except OSError as exc:
            call(self._not_saved, BluezoneError(f"không ghi được: {os_reason(exc)}"))
            return
        call(self._saved, saved, recorded)

    def _not_saved(self, exc: BluezoneError) -> None:
        self.saving = False
        self.validate()
        if isinstance(exc, StaleRevisionError):
            self._stale()
            return
        self.notify(
            printable(exc.message) + " — số bạn gõ vẫn còn trong biểu mẫu.",
            severity="error",
            timeout=10,
            markup=False,
        )

    def _saved(self, saved: Submission, recorded: Recorded) -> None:
        if recorded.problem:  # the save is kept; history was not recorded, and why
            self.notify(printable(recorded.problem), severity="warning", timeout=15, markup=False)
        self.dismiss(saved)

    def _stale(self) -> None:
        def answered(choice: str | None) -> None:
            if choice == "r":
                self.reload_base()

        parsed = self.store.read(self.day, self.unit.id)
        now = parsed.submission if parsed is not None else None
        if now is None:
            what = "Tệp của đơn vị hôm nay đã bị xoá hoặc hỏng trong lúc bạn sửa."
        else:
            what = (
                f"Trong lúc bạn sửa (từ bản {self.base_revision}), tệp đã được lưu thành bản "
                f"{now.revision} bởi {printable(now.entered_by) or 'người khác'} lúc "
                f"{fmt_time(now.entered_at)}."
            )
        self.app.push_screen(
            ChoiceScreen(
                "Tệp đã thay đổi — chưa lưu",
                what + "\n\nChưa ghi gì, số bạn gõ vẫn còn trong biểu mẫu. «Tải lại» lấy tệp "
                "mới làm gốc: các ô bạn đã sửa giữ nguyên, các ô khác theo tệp mới.",
                {"r": "Tải lại bản mới", "escape": "Quay lại biểu mẫu"},
            ),
            answered,
        )

    def reload_base(self) -> None:
        """Take the file as it is now as the base.

        Fields the person changed keep what they typed (the file's value is shown
        beside them); every other field takes the file's new value, so saving never
        quietly puts back what someone else just changed.
        """
        typed = self.values()
        changed = {key for key, value in typed.items() if value != self.initial[key]}
        self._read_base()
        self.reloaded = True
        for key in self.initial:
            fresh = self._initial_value(key)
            widget = self.query_one(f"#in-{key}", Input)
            with widget.prevent(Input.Changed):
                widget.value = typed[key] if key in changed else fresh
            self.initial[key] = fresh
            beside = self.query_one(f"#prev-{key}", Static)
            if key in (REPORTED_AT, NOTE):
                beside.update(f"tệp: {fresh}" if key in changed and fresh else "")
            else:
                beside.update(
                    f"tệp: {printable(_show_figure(self.current.figures.get(key)))}"
                    if self.current
                    else "tệp: đã bị xoá"
                )
        self.query_one("#entry-title", Static).update(self._title())
        self.validate()
        self._select_focused()
        kept = len(changed)
        self.notify(
            f"Đã tải bản {self.base_revision}. Giữ {kept} ô bạn đã sửa; các ô khác lấy "
            f"theo tệp. Kiểm tra rồi lưu lại.",
            timeout=8,
        )

    def action_back(self) -> None:
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
        message.update("\n".join(_line(p) for p in found))
        message.set_class(error, "-error")
        message.set_class(bool(found) and not error, "-warning")
        message.display = bool(found)
        screen.query_one(f"#in-{key}", Input).set_class(error, "-invalid-value")
    return general


def _line(problem: Problem) -> str:
    mark = "✗" if problem.is_error else "!"
    return f"{mark} {printable(problem.message)}"
