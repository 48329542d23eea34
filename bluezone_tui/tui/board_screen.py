"""The board screen: who has reported, the clock against 15:00 and 16:30, and search.

A thin client of the core. A worker thread re-reads the day's folder every
second (only changed files are parsed) and posts the new consolidation; the
message handler owns every change to the widgets. The screen owns its keys:
on the form or a dialog they are simply not there.
"""

from __future__ import annotations

import asyncio
from datetime import date, datetime
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Input, Static

from ..core.problems import BluezoneError
from ..core.state import State
from ..core.vn import fmt_date_short, fmt_duration, fmt_int
from .board import BoardTable

if TYPE_CHECKING:
    from ..core.consolidate import Consolidation
    from ..core.status import DayStatus
    from ..core.store import DayFiles
    from ..core.submission import Submission
    from .app import BoardApp

# The status rules, consolidation, reports and screens other than the board are
# imported where they are first used: the first frame needs none of them.

PREVIOUS_REFRESH_SECONDS = 30.0


class BoardScreen(Screen[None]):
    BINDINGS = [
        # priority: "/" is acted on before the keys typed after it are handed to a
        # widget, so a name pasted or typed in one burst over SSH all lands in the box
        Binding("slash", "search", "Tìm", key_display="/", priority=True),
        Binding("escape", "close_search", show=False),
        Binding("f", "filter", "Lọc"),
        Binding("s", "sort", "Sắp xếp"),
        Binding("x", "export", "Xuất"),
        Binding("t", "trend", "Xu hướng"),
        Binding("f1,question_mark", "app.help", "Trợ giúp", key_display="F1/?"),
        Binding("q", "app.quit", "Thoát"),
    ]

    app: BoardApp

    class DataReady(Message):
        """A new consolidation of the day, computed in the worker thread."""

        def __init__(self, consolidation: Consolidation) -> None:
            super().__init__()
            self.consolidation = consolidation

    def __init__(self, day: date, poll_seconds: float) -> None:
        super().__init__()
        self.day = day
        self.poll_seconds = poll_seconds
        self.consolidation: Consolidation | None = None
        self._shown: DayStatus | None = None  # the status on screen
        self._previous: dict[str, Submission] | None = None
        self._previous_read_at = 0.0
        self.first_frame = asyncio.Event()  # set once the board has been drawn (benchmark)

    def compose(self) -> ComposeResult:
        registry = self.app.registry
        with Vertical(id="top"):
            yield Static(id="clock-bar")
            yield Static(
                f"Đang đọc số liệu của {fmt_int(len(registry.units))} đơn vị…", id="summary"
            )
        yield BoardTable(id="table")
        yield Static("", id="detail", markup=False)
        yield Input(
            placeholder="/ tìm đơn vị (không cần dấu), Enter để mở, Esc để thôi",
            id="search",
            compact=True,
        )
        yield Footer()

    @property
    def table(self) -> BoardTable:
        return self.query_one("#table", BoardTable)

    @property
    def search(self) -> Input:
        return self.query_one("#search", Input)

    def on_mount(self) -> None:
        self.table.focus()
        self.update_clock()
        self.set_interval(1.0, self.update_clock)
        # Draw the board first, then read the day: 10,000 units open as fast as 30.
        self.call_after_refresh(self._first_frame_drawn)

    def _first_frame_drawn(self) -> None:
        self.first_frame.set()
        self.reload()
        self.set_interval(self.poll_seconds, self.reload)

    # ------------------------------------------------------------------ data

    def reload(self, force: bool = False) -> None:
        self._load(force)

    @work(thread=True, exclusive=True, group="load")
    def _load(self, force: bool = False) -> None:
        consolidation = self.compute(force)
        if consolidation is not None:
            self.post_message(self.DataReady(consolidation))

    def compute(self, force: bool = False) -> Consolidation | None:
        """Read the day (cached) and recompute; None when no unit's status changed.

        day_status() keeps what did not change (files, deadlines passed, reports
        arriving); the board redraws only when some unit's status object is new.
        """
        import time

        from ..core.consolidate import consolidate
        from ..core.status import day_status

        app = self.app
        now = app.clock()
        files: DayFiles = app.store.read_day(self.day)
        monotonic = time.monotonic()
        if self._previous is None or monotonic - self._previous_read_at > PREVIOUS_REFRESH_SECONDS:
            self._previous, self._previous_read_at = app.store.previous(self.day), monotonic
        status = day_status(app.registry, files, self._previous, now)
        shown = self._shown
        if (
            not force
            and shown is not None
            and len(shown.units) == len(status.units)
            and all(a is b for a, b in zip(shown.units, status.units, strict=True))
            and [str(p) for p in shown.stray] == [str(p) for p in status.stray]
        ):
            return None
        self._shown = status
        return consolidate(status)

    def _deadlines(self) -> list[datetime]:
        """Every deadline instant of the day, in the registry's timezone, sorted."""
        registry = self.app.registry
        times = {g.deadline for g in registry.groups if g.deadline is not None}
        times.add(registry.consolidation_deadline)
        return [datetime.combine(self.day, t, tzinfo=registry.timezone) for t in sorted(times)]

    @on(DataReady)
    def show_data(self, message: DataReady) -> None:
        self.consolidation = message.consolidation
        self.table.show(message.consolidation)
        self.update_summary()

    def update_summary(self) -> None:
        if self.consolidation is None:
            return
        from ..core.report_status import short_summary_lines

        lines = short_summary_lines(self.consolidation)
        table = self.table
        view = []
        if table.only_unfinished:
            view.append("lọc: chưa xong")
        if table.by_rate:
            view.append("xếp theo tỷ lệ")
        if view:
            lines[-1] += "  [" + ", ".join(view) + "]"
        self.query_one("#summary", Static).update("\n".join(lines))

    def update_clock(self) -> None:
        now = self.app.clock()
        district = self.app.registry.district.name
        if now.date() == self.day:
            parts = [f"{district} · {fmt_date_short(self.day)} {now:%H:%M:%S}"]
        else:  # viewing another day: say so, and what time it is now
            parts = [
                f"{district} · xem ngày {fmt_date_short(self.day)} · bây giờ {now:%d/%m %H:%M:%S}"
            ]
        for moment in self._deadlines():
            parts.append(_left(moment, now, f"{moment:%H:%M}"))
        self.query_one("#clock-bar", Static).update(" · ".join(parts))

    # ------------------------------------------------------------------ search

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """In the search box "/" is a character like any other."""
        if action == "search" and self.focused is self.search:
            return False
        return True

    def action_search(self) -> None:
        search = self.search
        search.value = ""
        self.set_focus(search)

    @on(Input.Changed, "#search")
    def search_changed(self, event: Input.Changed) -> None:
        table = self.table
        unit_id = table.find(event.value)
        if unit_id is not None:
            table.go_to(unit_id)

    @on(Input.Submitted, "#search")
    def search_submitted(self, event: Input.Submitted) -> None:
        table = self.table
        unit_id = table.find(event.value)
        self._close_search()
        if unit_id is None:
            self.notify(f"Không tìm thấy đơn vị «{event.value}»", severity="warning")
            return
        table.go_to(unit_id)
        self.open_unit(unit_id)

    def action_close_search(self) -> None:
        self._close_search()

    def _close_search(self) -> None:
        self.search.value = ""
        self.set_focus(self.table)

    # ------------------------------------------------------------------ the table's rows

    @on(BoardTable.Highlighted, "#table")
    def show_detail(self, message: BoardTable.Highlighted) -> None:
        """One line under the table with what the row cannot fit: the error, the contact."""
        row = message.row
        detail = self.query_one("#detail", Static)
        if row is None:
            detail.update("")
            return
        status = row.status
        unit = row.unit
        contact = " ".join(p for p in (unit.contact.person, unit.contact.phone) if p)
        if status.state is State.FILE_ERROR:
            errors = [p for p in status.problems if p.is_error]
            first = errors[0] if errors else None
            where = ""
            if first is not None and first.path is not None:
                try:  # "2020-08-26/xa-long-thuan.toml:1:1": the folder is known
                    where = str(first.path.relative_to(self.app.store.root))
                except ValueError:
                    where = first.path.name
                where += "".join(f":{n}" for n in (first.line, first.column) if n is not None)
            text = f"⚠ {where}: {first.message}" if first else "⚠ lỗi tệp"
        elif status.submission is not None:
            text = f"{unit.name}: bản {status.submission.revision}, nhập bởi {status.submission.entered_by}"
            if status.state is State.LATE:
                text = f"{unit.name}: trễ {fmt_duration(status.late_minutes)}" + (
                    f" — liên hệ {contact}" if contact else ""
                )
            if status.submission.note:
                text += f" — {status.submission.note}"
        else:
            text = f"{unit.name}: {status.state.label}" + (
                f" — liên hệ {contact}" if contact else ""
            )
        detail.update(text)

    @on(BoardTable.Opened, "#table")
    def row_opened(self, message: BoardTable.Opened) -> None:
        self.open_unit(message.unit_id)

    def open_unit(self, unit_id: str) -> None:
        from .entry import EntryScreen

        app = self.app
        unit = app.registry.unit(unit_id)
        if unit is None:
            return

        def saved(result: Submission | None) -> None:
            if result is not None:
                self.notify(f"Đã lưu {unit.name} (bản {result.revision})")
            self.reload(force=True)

        app.push_screen(EntryScreen(app.store, unit, self.day, app.clock), saved)

    # ------------------------------------------------------------------ views

    def action_filter(self) -> None:
        table = self.table
        table.set_view(only_unfinished=not table.only_unfinished)
        self.update_summary()

    def action_sort(self) -> None:
        table = self.table
        table.set_view(by_rate=not table.by_rate)
        self.update_summary()

    def action_export(self) -> None:
        from ..core.export import export_day  # tabulate & co: not needed for the first frame

        app = self.app
        try:
            paths = export_day(app.store, self.day, app.clock(), app.data_dir / "exports")
        except BluezoneError as exc:
            self.notify(exc.message, severity="error", timeout=10)
            return
        shown = []
        for path in paths:
            try:
                shown.append(str(path.relative_to(app.data_dir)))
            except ValueError:
                shown.append(str(path))
        self.notify("Đã xuất:\n" + "\n".join(shown), timeout=10)

    def action_trend(self) -> None:
        from .trend import TrendScreen

        self.app.push_screen(TrendScreen(self.app.store, self.day, self.table.current_unit_id))


def _left(moment: datetime, now: datetime, label: str) -> str:
    """ "15:00 còn 1:05" / "15:00 đã qua": short enough for 80 columns."""
    if now > moment:
        return f"{label} đã qua"
    minutes = int((moment - now).total_seconds() // 60)
    hours, rest = divmod(minutes, 60)
    return f"{label} còn {hours}:{rest:02d}"
