"""The entry form: one input per field of the unit's form, checked as you type.

Every check is the core's (`entry.prepare`), the same as `bluezone submit`.
The revision the form opened on is kept: if the file changes meanwhile the save
is refused and nothing typed is lost; "tải lại" takes the new revision as base.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Footer, Input, Label, Static

from bluezone_tui.base.clock import Clock
from bluezone_tui.base.failed_writes import write_refused
from bluezone_tui.base.problems import BluezoneError, Problem, StaleRevisionError
from bluezone_tui.base.safe_text import printable
from bluezone_tui.base.vn import fmt_date_short, fmt_int, fmt_time
from bluezone_tui.day.entry import Draft, prepare
from bluezone_tui.day.loader import earlier_report
from bluezone_tui.day.store import Store
from bluezone_tui.day.submission import (
    MAX_NOTE_CHARS,
    MAX_TEXT_FIGURE_CHARS,
    Submission,
)
from bluezone_tui.git.repository import DataRepository, Recorded
from bluezone_tui.git.save import save_draft, sent_report
from bluezone_tui.git.sent import describe_tag
from bluezone_tui.registry.model import Field, Unit
from bluezone_tui.tui.screens.form import (
    FIGURE_LIMIT,
    NOTE,
    REPORTED_AT,
    TIME_LIMIT,
    FieldRows,
    FormScreen,
    clock_text,
    problem_line,
    report_time,
    show,
    show_field_problems,
    show_figure,
)
from bluezone_tui.tui.screens.modals import ChoiceScreen, NoteScreen
from bluezone_tui.tui.widgets.inputs import FormInput

# What a yes/no field's input says it takes (validate.parse_input takes these and more:
# co, khong, 1, 0, x…): the two letters a clerk types, and the words they stand for.
YES_NO_HINT = "c=có k=không"  # fits the input's 12 columns
TIME_LABEL = "Giờ đơn vị báo cáo"
NOW_HINT = "= lúc lưu"  # beside a report time that follows the clock


class EntryScreen(FormScreen[Submission | None]):
    BINDINGS = [
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
        self.reason: str | None = None  # why a sent day changes (asked at F2)
        self.unit = unit
        self.day = day
        self.clock = clock
        self.base_revision = 0
        self.base_digest: int | None = None
        self.current: Submission | None = None
        self.previous: Submission | None = None
        self.broken: list[Problem] = []
        self.reloaded = False
        # fields changed since the form opened: only there does an empty required field
        # show its red line before F2 (a blank form is not a page of errors)
        self.touched: set[str] = set()
        self._read_base()
        # A new report for today: the report time is the moment of saving, to the second
        # (as `submit` without --reported-at), and the field shows the clock running
        # until the clerk types a time of their own.
        self.time_follows_clock = self.current is None and self._today() == day

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

    def _today(self) -> date:
        return self.clock().astimezone(self.store.registry.timezone).date()

    # ------------------------------------------------------------------ layout

    def compose(self) -> ComposeResult:
        yield Static(self._unit_title(), id="entry-unit", markup=False)
        yield Static(self._title(), id="entry-title", markup=False)
        yield Static("", id="entry-day", markup=False)
        with FieldRows(id="entry-fields"):
            for form_field in self.unit.form.fields:
                yield from self._row(form_field.id, form_field.label, form_field)
            yield from self._row(REPORTED_AT, TIME_LABEL, None)
            yield from self._row(NOTE, "Ghi chú", None)
        yield Static("", id="entry-status", markup=False)
        yield Footer()

    def _row(self, key: str, label: str, form_field: Field | None) -> ComposeResult:
        value = self._initial_value(key)
        self.initial[key] = value
        yes_no = form_field is not None and form_field.type == "bool"
        classes = "entry-input entry-note" if key == NOTE else "entry-input"
        with Horizontal(classes="entry-row"):
            yield Label(printable(label), classes="entry-label", markup=False)
            yield FormInput(
                value=value,
                id=f"in-{key}",
                compact=True,
                classes=classes,
                placeholder=YES_NO_HINT if yes_no else "",
                limit=self._limit(key, form_field),
                text=key == NOTE or (form_field is not None and form_field.type == "text"),
            )
            yield Static(
                self._previous_text(key), classes="entry-prev", id=f"prev-{key}", markup=False
            )
        yield Static("", id=f"msg-{key}", classes="entry-msg", markup=False)

    @staticmethod
    def _limit(key: str, form_field: Field | None) -> int:
        """The most characters an input takes: more is a slip (a paste of the wrong thing)."""
        if key == NOTE:
            return MAX_NOTE_CHARS
        if key == REPORTED_AT:
            return TIME_LIMIT
        if form_field is not None and form_field.type == "text":
            return MAX_TEXT_FIGURE_CHARS
        return FIGURE_LIMIT

    @property
    def unit_name(self) -> str:
        return self.unit.name

    def label(self, key: str) -> str:
        if key == REPORTED_AT:
            return TIME_LABEL
        if key == NOTE:
            return "Ghi chú"
        form_field = self.unit.form.field(key)
        return form_field.label if form_field is not None else key

    def _unit_title(self) -> str:
        """The unit, on a line of its own that stands out: figures keyed into the wrong
        unit's form are the worst slip there is."""
        unit = self.unit
        return f"▶ {printable(unit.name)}  ·  {printable(unit.group.name)}  ·  mã {unit.id}"

    def _title(self) -> str:
        head = fmt_date_short(self.day)
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
            # The time the unit reported: asked for, not assumed. A new report today is
            # timed at the moment it is saved (the field shows the clock meanwhile); a
            # report in the file keeps its instant; another day's must be typed.
            timezone = self.store.registry.timezone
            if self.current is not None:
                return clock_text(self.current.reported_at.astimezone(timezone))
            now = self.clock().astimezone(timezone)
            return f"{now:%H:%M:%S}" if now.date() == self.day else ""
        # shown escaped: a control character from the file never reaches the terminal
        if key == NOTE:
            return printable(self.current.note) if self.current else ""
        return printable(show(self.current.figures.get(key))) if self.current else ""

    def _previous_text(self, key: str) -> str:
        if key == REPORTED_AT:
            return NOW_HINT if self.current is None and self._today() == self.day else ""
        if self.previous is None or key == NOTE:
            return ""
        value = self.previous.figures.get(key)
        if isinstance(value, int) and not isinstance(value, bool):
            return f"trước: {fmt_int(value)}"
        return f"trước: {printable(show(value))}" if value is not None else ""

    def on_mount(self) -> None:
        first = self.unit.form.fields[0].id
        self.input(first).focus()
        self.validate()
        self.show_day()
        self.set_interval(1.0, self.tick)

    def tick(self) -> None:
        self.show_day()
        self.follow_clock()

    def show_day(self) -> None:
        """A form for another day than today says so, and which day (open at midnight too)."""
        today = self._today()
        banner = self.query_one("#entry-day", Static)
        banner.display = today != self.day
        if today != self.day:
            banner.update(
                f"⚠ Số liệu ngày {fmt_date_short(self.day)} — "
                f"không phải hôm nay ({fmt_date_short(today)})"
            )

    def follow_clock(self, now: datetime | None = None) -> None:
        """An untouched report time on a new report shows the clock, to the second (`now`,
        the moment a draft is made of), so that what the field shows is what F2 saves. It
        stands still while the clerk is in it."""
        if not self.time_follows_clock:
            return
        field = self.input(REPORTED_AT)
        if field.has_focus and now is None:
            return
        moment = (now or self.clock()).astimezone(self.store.registry.timezone)
        if moment.date() != self.day:  # midnight: the day's report time must now be typed
            return
        shown = f"{moment:%H:%M:%S}"
        if field.value == self.initial[REPORTED_AT] != shown:
            with field.prevent(Input.Changed):
                field.value = shown
            self.initial[REPORTED_AT] = shown

    # ------------------------------------------------------------------ checking

    def _reported_at(self, text: str) -> datetime | Problem | None:
        """The report time the field stands for (None: the moment of saving)."""
        untouched = text == self.initial[REPORTED_AT]
        if untouched and self.time_follows_clock:
            return None  # prepare() takes `now`, to the second, as `submit` does
        if untouched and self.current is not None:
            # the very instant in the file (the field shows it to the second when it has seconds)
            return self.current.reported_at
        if not text.strip():
            return Problem(
                "cần ghi giờ đơn vị báo cáo (ví dụ 14:45)",
                field=REPORTED_AT,
                code="required:reported_at",
            )
        return report_time(text, self.day, self.store.registry.timezone)

    def prepare_draft(self, confirm: Sequence[str] = ()) -> tuple[Draft | None, list[Problem]]:
        now = self.clock()
        self.follow_clock(now)  # an untouched time shows the very moment saved
        values = self.values()
        reported = self._reported_at(values.pop(REPORTED_AT))
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
                now=now,
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

    def draft(
        self, confirm: list[str] | tuple[str, ...] = ()
    ) -> tuple[Draft | None, list[Problem]]:
        return self.prepare_draft(confirm)

    def validate(self) -> tuple[Draft | None, list[Problem]]:
        draft, problems = self.prepare_draft()
        self.show_problems(problems)
        return draft, problems

    def show_problems(self, problems: list[Problem]) -> None:
        """Each problem under its field; a required field left empty only once it was
        touched or F2 was pressed (a blank form opens without a page of red)."""
        waiting = [
            p
            for p in problems
            if p.code.startswith("required:")
            and p.field not in self.touched
            and not self.tried_save
        ]
        shown = [p for p in problems if p not in waiting]
        general = show_field_problems(self, shown, self.initial)
        status = self.query_one("#entry-status", Static)
        errors = sum(1 for p in shown if p.is_error)
        warnings = sum(1 for p in shown if not p.is_error)
        summary = [problem_line(p) for p in general]
        if errors:
            summary.append(f"{errors} lỗi: sửa trước khi lưu.")
        elif warnings:
            summary.append(f"{warnings} cảnh báo: F2 để lưu sẽ hỏi xác nhận.")
        elif waiting:
            summary.append(
                f"Nhập số liệu: còn {len(waiting)} chỉ tiêu bắt buộc chưa có. "
                "F2 hoặc Ctrl+S để lưu, Esc để quay lại."
            )
        else:
            summary.append("Hợp lệ. F2 hoặc Ctrl+S để lưu, Esc để quay lại.")
        status.update("\n".join(summary))
        status.set_class(bool(errors), "-error")

    @on(Input.Changed)
    def changed(self, event: Input.Changed) -> None:
        if event.input.id and event.input.id.startswith("in-"):
            key = event.input.id.removeprefix("in-")
            # the input's value now, not the event's: an input's first Changed arrives after
            # the report time may already have followed the clock to the next second
            if event.input.value != self.initial.get(key):
                self.touched.add(key)
                if key == REPORTED_AT:
                    self.time_follows_clock = False
                    self.query_one(f"#prev-{REPORTED_AT}", Static).update("")
        self.validate()

    # ------------------------------------------------------------------ saving

    def commit_draft(self, draft: Draft, reason: str | None = None) -> None:
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
                    NoteScreen(
                        "Báo cáo của ngày này đã gửi",
                        f"{describe_tag(sent)}.\nSửa sau khi gửi: ghi lý do (lưu vào lịch sử).",
                        placeholder="lý do sửa",
                    ),
                    lambda answer: self.commit_draft(draft, answer.strip()) if answer else None,
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
        except OSError as exc:  # every writer words its own (base/failed_writes.py)
            call(self._not_saved, write_refused(exc))
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
            widget = self.input(key)
            with widget.prevent(Input.Changed):
                widget.value = typed[key] if key in changed else fresh
            self.initial[key] = fresh
            beside = self.query_one(f"#prev-{key}", Static)
            if key in (REPORTED_AT, NOTE):
                beside.update(f"tệp: {fresh}" if key in changed and fresh else "")
            else:
                beside.update(
                    f"tệp: {printable(show_figure(self.current.figures.get(key)))}"
                    if self.current
                    else "tệp: đã bị xoá"
                )
        self.time_follows_clock = (
            self.current is None and self._today() == self.day and REPORTED_AT not in changed
        )
        self.query_one("#entry-title", Static).update(self._title())
        self.validate()
        self.select_focused()
        kept = len(changed)
        self.notify(
            f"Đã tải bản {self.base_revision}. Giữ {kept} ô bạn đã sửa; các ô khác lấy "
            f"theo tệp. Kiểm tra rồi lưu lại.",
            timeout=8,
        )
