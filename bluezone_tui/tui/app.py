"""The live status board: who has reported, the clock against 15:00 and 16:30, and entry.

A thin client of the core. A worker thread re-reads the day's folder every
second (only changed files are parsed) and posts the new consolidation; the
message handler owns every change to the widgets.
"""

from __future__ import annotations

import asyncio
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Footer, Input, Static

from ..core.clock import Clock
from ..core.problems import BluezoneError
from ..core.registry import Registry
from ..core.state import State
from ..core.store import Store
from ..core.vn import fmt_date_short, fmt_duration, fmt_int
from .typeahead import TypeAheadApp

if TYPE_CHECKING:
    from ..core.consolidate import Consolidation
    from ..core.status import DayStatus
    from ..core.store import DayFiles
    from ..core.submission import Submission

# The status rules, consolidation, reports and screens other than the board are
# imported where they are first used: the first frame needs none of them.

POLL_SECONDS = 1.0
PREVIOUS_REFRESH_SECONDS = 30.0


class BoardApp(TypeAheadApp[None]):
    CSS_PATH = [Path(__file__).with_name("app.tcss")]
    TITLE = "Bluezone"
    ENABLE_COMMAND_PALETTE = False
    BINDINGS = [
        Binding("slash", "search", "Tìm", key_display="/"),
        Binding("f", "filter", "Lọc"),
        Binding("s", "sort", "Sắp xếp"),
        Binding("x", "export", "Xuất"),
        Binding("t", "trend", "Xu hướng"),
        Binding("f1,question_mark", "help", "Trợ giúp", key_display="F1/?"),
        Binding("q", "quit", "Thoát"),
    ]

    class DataReady(Message):
        def __init__(self, consolidation: Consolidation) -> None:
            super().__init__()
            self.consolidation = consolidation

    def __init__(
        self,
        data_dir: Path,
        registry: Registry,
        day: date,
        clock: Clock,
        poll_seconds: float = POLL_SECONDS,
    ) -> None:
        super().__init__()
        self.data_dir = data_dir
        self.registry = registry
        self.day = day
        self.clock = clock
        self.store = Store(data_dir, registry)
        self.poll_seconds = poll_seconds
        self.consolidation: Consolidation | None = None
        self._shown: DayStatus | None = None  # the status on screen
        self._previous: dict[str, Submission] | None = None
        self._previous_read_at = 0.0
        self.first_frame = asyncio.Event()  # set once the board has been drawn (benchmark)

    def compose(self) -> ComposeResult:
        from .board import BoardTable

        # the board's widgets are kept by reference: App.query_one looks at the active
        # screen, which is the form or a dialog while messages for the board still arrive
        self.clock_bar = Static(id="clock-bar")
        self.summary = Static(
            f"Đang đọc số liệu của {fmt_int(len(self.registry.units))} đơn vị…", id="summary"
        )
        self.table = BoardTable(id="table")
        self.detail = Static("", id="detail", markup=False)
        self.search = Input(
            placeholder="/ tìm đơn vị (không cần dấu), Enter để mở, Esc để thôi",
            id="search",
            compact=True,
        )
        with Vertical(id="top"):
            yield self.clock_bar
            yield self.summary
        yield self.table
        yield self.detail
        yield self.search
        yield Footer()

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

        now = self.clock()
        files: DayFiles = self.store.read_day(self.day)
        monotonic = time.monotonic()
        if self._previous is None or monotonic - self._previous_read_at > PREVIOUS_REFRESH_SECONDS:
            self._previous, self._previous_read_at = self.store.previous(self.day), monotonic
        status = day_status(self.registry, files, self._previous, now)
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
        times = {g.deadline for g in self.registry.groups if g.deadline is not None}
        times.add(self.registry.consolidation_deadline)
        return [datetime.combine(self.day, t, tzinfo=self.registry.timezone) for t in sorted(times)]

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
        self.summary.update("\n".join(lines))

    def update_clock(self) -> None:
        now = self.clock()
        if now.date() == self.day:
            parts = [f"{self.registry.district.name} · {fmt_date_short(self.day)} {now:%H:%M:%S}"]
        else:  # viewing another day: say so, and what time it is now
            parts = [
                f"{self.registry.district.name} · xem ngày {fmt_date_short(self.day)}"
                f" · bây giờ {now:%d/%m %H:%M:%S}"
            ]
        for moment in self._deadlines():
            parts.append(_left(moment, now, f"{moment:%H:%M}"))
        self.clock_bar.update(" · ".join(parts))

    # ------------------------------------------------------------------ actions

    BOARD_ACTIONS = frozenset({"search", "filter", "sort", "export", "trend"})

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Board keys work (and show in the footer) only on the board itself."""
        if action in self.BOARD_ACTIONS and len(self.screen_stack) > 1:
            return False
        return True

    def action_search(self) -> None:
        search = self.search
        search.value = ""
        # synchronous: keys typed right after "/" (a paste, a fast typist over SSH)
        # must already reach the search box, not the board's single-key bindings
        search.screen.set_focus(search)

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

    def _close_search(self) -> None:
        search = self.search
        search.value = ""
        self.table.screen.set_focus(self.table)

    async def on_key(self, event) -> None:  # type: ignore[no-untyped-def]
        search = self.search
        if self.focused is not search:
            return
        # Keys typed in one burst right after "/" (a paste, tmux, a slow SSH link) were
        # already queued for the table before the search box took focus; they bubble
        # up here instead of reaching the box. Hand them on, so nothing typed is lost.
        if event.key == "escape":
            self._close_search()
        elif event.is_printable and event.character:
            search.insert_text_at_cursor(event.character)
        elif event.key == "backspace":
            search.action_delete_left()
        elif event.key == "enter":
            await search.action_submit()
        else:
            return
        event.stop()
        event.prevent_default()

    def on_board_table_highlighted(self, message) -> None:  # type: ignore[no-untyped-def]
        """One line under the table with what the row cannot fit: the error, the contact."""
        row = message.row
        detail = self.detail
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
                    where = str(first.path.relative_to(self.store.root))
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

    def on_board_table_opened(self, message) -> None:  # type: ignore[no-untyped-def]
        self.open_unit(message.unit_id)

    def open_unit(self, unit_id: str) -> None:
        from .entry import EntryScreen

        unit = self.registry.unit(unit_id)
        if unit is None:
            return

        def saved(result: Submission | None) -> None:
            if result is not None:
                self.notify(f"Đã lưu {unit.name} (bản {result.revision})")
            self.reload(force=True)

        self.push_screen(EntryScreen(self.store, unit, self.day, self.clock), saved)

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

        try:
            paths = export_day(self.store, self.day, self.clock(), self.data_dir / "exports")
        except BluezoneError as exc:
            self.notify(exc.message, severity="error", timeout=10)
            return
        shown = []
        for path in paths:
            try:
                shown.append(str(path.relative_to(self.data_dir)))
            except ValueError:
                shown.append(str(path))
        self.notify("Đã xuất:\n" + "\n".join(shown), timeout=10)

    def action_trend(self) -> None:
        from .trend import TrendScreen

        table = self.table
        self.push_screen(TrendScreen(self.store, self.day, table.current_unit_id))

    async def action_quit(self) -> None:
        """q / Ctrl+Q: quit, but never silently past a form with figures not yet saved."""
        from .entry import EntryScreen
        from .modals import ChoiceScreen

        if isinstance(self.screen, ChoiceScreen) and self.screen.name == "quit":
            self.bell()  # already asking: only «y» quits without saving
            return
        unsaved = [s for s in self.screen_stack if isinstance(s, EntryScreen) and s.dirty]
        if not unsaved:
            self.exit()
            return

        def answered(choice: str | None) -> None:
            if choice == "y":
                self.exit()

        self.push_screen(
            ChoiceScreen(
                "Thoát?",
                f"Biểu mẫu {unsaved[0].unit.name} có số chưa lưu. Thoát và bỏ các số đó?",
                {"y": "Thoát, bỏ số chưa lưu", "n": "Ở lại"},
                name="quit",
            ),
            answered,
        )

    def action_help_quit(self) -> None:
        """Ctrl+C: say how to quit (Textual's own hint is in English)."""
        self.notify("Để thoát: q trên bảng, hoặc Ctrl+Q.", timeout=4)

    def action_help(self) -> None:
        from .help import HelpScreen

        self.push_screen(HelpScreen())


def _left(moment: datetime, now: datetime, label: str) -> str:
    """ "15:00 còn 1:05" / "15:00 đã qua": short enough for 80 columns."""
    if now > moment:
        return f"{label} đã qua"
    minutes = int((moment - now).total_seconds() // 60)
    hours, rest = divmod(minutes, 60)
    return f"{label} còn {hours}:{rest:02d}"


def run_board(data_dir: Path, registry: Registry, day: date, clock: Clock) -> int:
    BoardApp(data_dir, registry, day, clock).run()
    return 0
