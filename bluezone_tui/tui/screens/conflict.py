"""A conflicted unit's day on the board: both versions side by side, and the final figures.

Each row shows what this office saved (bên này), what came in (bên kia) and an input
for the final value: filled where the two agree, empty where they differ. F5 / F6 fill
every input from one side; the person may then change any figure. F2 resolves with the
core's own call, the one `bluezone resolve` makes (prepare_resolution, then resolve),
in a worker thread: the git work never freezes the board.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Footer, Label, Static

from bluezone_tui.base.clock import Clock
from bluezone_tui.base.failed_writes import write_refused
from bluezone_tui.base.problems import BluezoneError, Problem
from bluezone_tui.base.safe_text import printable
from bluezone_tui.base.vn import fmt_date_short
from bluezone_tui.day.entry import Draft
from bluezone_tui.day.store import Store
from bluezone_tui.day.submission import MAX_NOTE_CHARS, MAX_TEXT_FIGURE_CHARS
from bluezone_tui.git import audit
from bluezone_tui.git.conflict import (
    CONFLICT_CODE,
    OURS,
    THEIRS,
    WITHDRAWN_CODE,
    Conflict,
    Resolution,
    prepare_resolution,
    resolve,
)
from bluezone_tui.git.repository import DataRepository
from bluezone_tui.tui.screens.form import (
    FIGURE_LIMIT,
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
from bluezone_tui.tui.widgets.inputs import FormInput

REPORTED_AT, NOTE = audit.REPORTED_AT, audit.NOTE


class ConflictScreen(FormScreen[Resolution | None]):
    BINDINGS = [
        Binding("f5", "keep('ours')", "Giữ bên này", key_display="F5"),
        Binding("f6", "keep('theirs')", "Giữ bên kia", key_display="F6"),
    ]

    def __init__(
        self,
        store: Store,
        repository: DataRepository | None,
        conflict: Conflict,
        clock: Clock,
    ) -> None:
        super().__init__()
        self.store = store
        self.repository = repository
        self.conflict = conflict
        self.clock = clock
        self.keys = [f.id for f in conflict.unit.form.fields] + [REPORTED_AT, NOTE]
        self.disputed = [k for k in self.keys if self._shown(OURS, k) != self._shown(THEIRS, k)]

    # ------------------------------------------------------------------ layout

    def compose(self) -> ComposeResult:
        conflict = self.conflict
        yield Static(
            f"▶ {printable(conflict.unit.name)}  ·  {printable(conflict.unit.group.name)}"
            f"  ·  mã {conflict.unit.id}",
            id="entry-unit",
            markup=False,
        )
        yield Static(
            f"{fmt_date_short(conflict.day)} — ⇄ XUNG ĐỘT: "
            "hai nơi đã lưu số liệu khác nhau\nF5 giữ bên này, F6 giữ bên kia, hoặc gõ số cuối "
            "cùng vào cột phải; rồi F2. Chưa rõ số nào đúng: hỏi đơn vị.",
            id="conflict-title",
            markup=False,
        )
        with Horizontal(classes="conflict-row conflict-head"):
            yield Label("Chỉ tiêu", classes="conflict-label")
            for side in (conflict.ours, conflict.theirs):
                yield Label(
                    f"{side.words.capitalize()}\n{printable(side.who_when())}",
                    classes="conflict-side",
                    markup=False,
                )
            yield Label("Số cuối cùng", classes="conflict-final")
        with FieldRows(id="conflict-fields"):
            for key in self.keys:
                disputed = key in self.disputed
                self.initial[key] = "" if disputed else self._shown(OURS, key)
                with Horizontal(classes="conflict-row -differs" if disputed else "conflict-row"):
                    yield Label(printable(self.label(key)), classes="conflict-label", markup=False)
                    for name in (OURS, THEIRS):
                        yield Static(self._people(name, key), classes="conflict-side", markup=False)
                    yield FormInput(
                        value=self.initial[key],
                        id=f"in-{key}",
                        compact=True,
                        classes="conflict-final",
                        limit=self._limit(key),
                        text=self._is_text(key),
                    )
                yield Static("", id=f"msg-{key}", classes="entry-msg", markup=False)
        yield Static("", id="conflict-status", markup=False)
        yield Footer()

    @property
    def unit_name(self) -> str:
        return self.conflict.unit.name

    def label(self, key: str) -> str:
        form_field = self.conflict.unit.form.field(key)
        return form_field.short_label if form_field else audit.label(key, None)

    def _limit(self, key: str) -> int:
        if key == NOTE:
            return MAX_NOTE_CHARS
        if key == REPORTED_AT:
            return TIME_LIMIT
        if self._is_text(key):
            return MAX_TEXT_FIGURE_CHARS
        return FIGURE_LIMIT

    def _is_text(self, key: str) -> bool:
        """The note or a text field: a paste of several lines is one value, not cells."""
        form_field = self.conflict.unit.form.field(key)
        return key == NOTE or (form_field is not None and form_field.type == "text")

    def _shown(self, side: str, key: str) -> str:
        """A side's value as the input would hold it (what F5/F6 put there)."""
        submission = self.conflict.side(side).submission
        if submission is None:
            return ""
        if key == REPORTED_AT:
            return clock_text(submission.reported_at.astimezone(self.store.registry.timezone))
        if key == NOTE:
            return printable(submission.note)
        value = submission.figures.get(key)
        if isinstance(value, int) and not isinstance(value, bool):
            return str(value)
        return printable(show(value))

    def _people(self, side: str, key: str) -> str:
        """A side's value as people read it (6.090, có), or "–"."""
        submission = self.conflict.side(side).submission
        if submission is None or key in (REPORTED_AT, NOTE):
            return self._shown(side, key) or "–"
        return printable(show_figure(submission.figures.get(key)))

    def on_mount(self) -> None:
        first = self.disputed[0] if self.disputed else self.keys[0]
        self.input(first).focus()
        status = self.query_one("#conflict-status", Static)
        if not self.conflict.readable:
            broken = self.conflict.ours if self.conflict.ours.submission is None else None
            side = broken or self.conflict.theirs
            status.update(
                f"⚠ {side.words} không đọc được: sửa tệp bằng tay (xem «bluezone check»)."
            )
        else:
            status.update(
                f"{len(self.disputed)} chỉ tiêu khác nhau giữa hai bên (tô vàng): ô bên phải "
                "để trống, chờ bạn chọn hoặc gõ số."
            )

    # ------------------------------------------------------------------ keys

    def action_keep(self, side: str) -> None:
        for key in self.keys:
            self.input(key).value = self._shown(side, key)
        self.select_focused()
        self.notify(
            f"Đã điền số của {self.conflict.side(side).words}: kiểm tra rồi F2 để lưu.",
            markup=False,
        )

    # ------------------------------------------------------------------ saving

    def _reported_at(self, text: str) -> datetime | Problem | None:
        """The time typed; a side's exact instant when the field shows that side's time."""
        for side in (self.conflict.ours, self.conflict.theirs):
            if side.submission is not None and text == self._shown(side.name, REPORTED_AT):
                return side.submission.reported_at
        if not text.strip():
            return None
        return report_time(text, self.conflict.day, self.store.registry.timezone)

    def prepare_draft(self, confirm: Sequence[str] = ()) -> tuple[Draft | None, list[Problem]]:
        """The resolution as typed, checked by the core."""
        typed = self.values()
        note = typed.pop(NOTE)
        reported_at = self._reported_at(typed.pop(REPORTED_AT))
        if isinstance(reported_at, Problem):
            return None, [reported_at]
        try:
            draft = prepare_resolution(
                self.store,
                self.conflict,
                keep=None,
                values={key: text for key, text in typed.items() if text.strip()},
                now=self.clock(),
                reported_at=reported_at,
                note=note,
                confirm=tuple(confirm),
            )
        except BluezoneError as exc:
            return None, [self._worded(p) for p in exc.problems or [Problem(exc.message)]]
        return draft, [self._worded(p) for p in draft.problems]

    def _worded(self, problem: Problem) -> Problem:
        """How to choose, said with this form's own keys and column (the core says what is
        open; the CLI says it with its options)."""
        how = "ghi vào cột «Số cuối cùng», hoặc F5 điền số của bên này, F6 của bên kia"
        if problem.code == WITHDRAWN_CODE or (
            problem.field is not None and problem.code == f"{CONFLICT_CODE}:{problem.field}"
        ):
            return replace(problem, message=f"{problem.message}: {how}")
        return problem

    def show_problems(self, problems: list[Problem]) -> None:
        general = show_field_problems(self, problems, self.keys)
        status = self.query_one("#conflict-status", Static)
        errors = any(p.is_error for p in problems)
        summary = "Chưa lưu: còn lỗi (xem dòng đỏ)." if errors else ""
        status.update("\n".join([problem_line(p) for p in general] + [summary]))
        status.set_class(errors, "-error")

    def commit_draft(self, draft: Draft) -> None:
        if self.saving:
            self.app.bell()
            return
        self.saving = True
        self.query_one("#conflict-status", Static).update("Đang lưu…")
        self._resolve_in_thread(draft)

    @work(thread=True, exclusive=True, group="save")
    def _resolve_in_thread(self, draft: Draft) -> None:
        call = self.app.call_from_thread
        try:
            resolution = resolve(self.store, self.repository, self.conflict, draft, self.clock())
        except BluezoneError as exc:
            call(self._not_resolved, exc)
            return
        except OSError as exc:  # every writer words its own (base/failed_writes.py)
            call(self._not_resolved, write_refused(exc))
            return
        call(self._resolved, resolution)

    def _not_resolved(self, exc: BluezoneError) -> None:
        self.saving = False
        self.show_problems(exc.problems)
        self.app.bell()
        status = self.query_one("#conflict-status", Static)
        status.update(printable(exc.message) + " — chưa ghi gì.")
        status.set_class(True, "-error")

    def _resolved(self, resolution: Resolution) -> None:
        if resolution.recorded.problem:
            self.notify(
                printable(resolution.recorded.problem), severity="warning", timeout=15, markup=False
            )
        self.dismiss(resolution)
