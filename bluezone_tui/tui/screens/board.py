"""The board screen: who has reported, the clock against 15:00 and 16:30, and search.

A thin client of the core. Every second a worker thread asks the day's watcher
(day/watch.py: a few stats and inotify, not a stat per file) whether the folder
changed, reads it again only then (only changed files are parsed), computes again
only when a file or the clock changed something, and posts the new consolidation; the
message handler owns every change to the widgets. The screen owns its keys:
on the form or a dialog they are simply not there.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Input

from bluezone_tui.base.files import failure_reason
from bluezone_tui.base.problems import BluezoneError, Problem
from bluezone_tui.base.safe_text import printable
from bluezone_tui.base.vn import fmt_date_short, fmt_duration, fmt_int
from bluezone_tui.day.deadlines import day_deadlines, minutes_between
from bluezone_tui.day.state import State
from bluezone_tui.tui.widgets.clamped_text import ClampedText
from bluezone_tui.tui.widgets.fit import NO_BREAK, keep_groups
from bluezone_tui.tui.widgets.inputs import TypedInput
from bluezone_tui.tui.widgets.status_table import (
    CONFLICT_HINT,
    BoardTable,
    ColumnNeeds,
    column_needs,
)
from bluezone_tui.tui.width_classes import set_width_classes

if TYPE_CHECKING:
    from bluezone_tui.day.consolidate import Consolidation, UnitRow
    from bluezone_tui.day.store import DayFiles
    from bluezone_tui.day.submission import Submission
    from bluezone_tui.day.watch import DayWatch
    from bluezone_tui.deliver.rounds import RoundOutcome, RoundsSeen
    from bluezone_tui.git.conflict import Conflict, Resolution
    from bluezone_tui.git.head import HeadState, HeadWatch
    from bluezone_tui.git.sent import SentDifference
    from bluezone_tui.git.sync import SyncResult, SyncState
    from bluezone_tui.tui.app import BoardApp

# The status rules, consolidation, reports and screens other than the board are
# imported where they are first used: the first frame needs none of them.

# Earlier days' files are read again this often (their last reports are carried into
# today); the day's own files at every poll.
EARLIER_DAYS_SECONDS = 30.0
# The outbox (what `bluezone send` sent, here or, after a sync, elsewhere) is read this often.
OUTBOX_SECONDS = 5.0
# While the board is open at the sending office, a round of reminders that is due is sent
# (deliver/rounds.py, as cron's `bluezone remind --send`); checked this often.
ROUNDS_SECONDS = 30.0
SEARCH_LIMIT = 200  # characters: a unit's name is at most a line


class BoardScreen(Screen[None]):
    BINDINGS = [
        # priority: "/" is acted on before the keys typed after it are handed to a
        # widget, so a name pasted or typed in one burst over SSH all lands in the box
        Binding("slash", "search", "Tìm", key_display="/", priority=True),
        Binding("escape", "close_search", show=False),
        Binding("f", "filter", "Lọc"),
        Binding("s", "sort", "Xếp"),  # short labels: every key fits 60 columns
        Binding("x", "export", "Xuất"),
        Binding("t", "trend", "Xu thế"),
        Binding("r", "remind", "Nhắc"),
        # not in the footer (it would push keys off 60 columns): the sync line names it
        Binding("g", "sync", "Đồng bộ", show=False),
        # not in the footer either: the line under the table names it with history on
        Binding("h", "history", "Lịch sử", show=False),
        Binding("f1,question_mark", "app.help", "Giúp", key_display="?"),
        Binding("q", "app.quit", "Thoát"),
    ]

    app: BoardApp

    class ReadFailed(Message):
        """The day could not be read at all (the data folder is broken): why."""

        def __init__(self, day: date, reason: str) -> None:
            super().__init__()
            self.day = day
            self.reason = reason

    class DataReady(Message):
        """A new consolidation of a day, computed in the worker thread."""

        def __init__(
            self, day: date, consolidation: Consolidation, needs: ColumnNeeds, read: int
        ) -> None:
            super().__init__()
            self.day = day
            self.consolidation = consolidation
            self.needs = needs
            self.read = read  # which read of the day this is (they are numbered as started)

    class HeadRead(Message):
        """Where the data folder's git stands changed (read in the worker): the verdict
        (git/head.py; None: the folder holds no `.git`)."""

        def __init__(self, state: HeadState | None) -> None:
            super().__init__()
            self.state = state

    class SyncDone(Message):
        """A sync ended (in the worker thread): what it did, or why it could not."""

        def __init__(self, result: SyncResult | None, failure: str, quiet: bool) -> None:
            super().__init__()
            self.result = result
            self.failure = failure
            self.quiet = quiet

    class SyncStateRead(Message):
        def __init__(self, state: SyncState | None, sent: SentDifference | None = None) -> None:
            super().__init__()
            self.state = state
            self.sent = sent  # the day's last report sent, and what changed since

    class ExportDone(Message):
        """An export ended (in the worker thread): the files written, or why not."""

        def __init__(self, paths: list[Path], failure: str) -> None:
            super().__init__()
            self.paths = paths
            self.failure = failure

    class OutboxRead(Message):
        """The day's report as the outbox says it went ("" : nothing sent yet), and the
        day's rounds of reminders."""

        def __init__(self, day: date, line: str, rounds: RoundsSeen | None = None) -> None:
            super().__init__()
            self.day = day
            self.line = line
            self.rounds = rounds

    class RoundsDone(Message):
        """A round of reminders the board sent (in its worker): what went, or why not."""

        def __init__(self, outcomes: list[RoundOutcome], failure: str) -> None:
            super().__init__()
            self.outcomes = outcomes
            self.failure = failure

    class ConflictRead(Message):
        def __init__(self, conflict: Conflict | None, failure: str) -> None:
            super().__init__()
            self.conflict = conflict
            self.failure = failure

    def __init__(self, day: date, poll_seconds: float, follow_today: bool) -> None:
        super().__init__()
        self.day = day
        # opened without --date: at midnight the board moves on to the new day
        self.follow_today = follow_today
        self.poll_seconds = poll_seconds
        self.consolidation: Consolidation | None = None
        self.day_read = False  # the board's day has been read once: its rows, or why not
        # What the figures on screen were computed from: the files of every day up to
        # this one (when the earlier days were read), and when the clock changes them.
        self._basis: list[DayFiles] | None = None
        self._basis_read_at = 0.0
        self._watch: DayWatch | None = None  # has the day's folder changed since the last poll
        self._head_watch: HeadWatch | None = None  # is the data folder's git on a branch
        self._head_said: HeadState | None = None  # the verdict last posted by the worker
        self.head_state: HeadState | None = None  # on screen: the verdict (head.py)
        self._changes_at: datetime | None = None
        self.first_frame = asyncio.Event()  # set once the board has been drawn (benchmark)
        self.syncing = False  # a sync is running in its worker
        self.exporting = False  # an export is running in its worker
        self.sync_state: SyncState | None = None
        self.sent: SentDifference | None = None
        self._next_auto_sync: datetime | None = None  # `sync: {every: N}` in units.yaml
        self.sent_line = ""  # the day's report as sent (bluezone send), from the outbox
        self.rounds: RoundsSeen | None = None  # the day's reminders, from the outbox
        self.sending_rounds = False  # a round of reminders is being sent by the board
        self._rounds_failure = ""  # the last reason a round could not go, said once
        self.opening = False  # a screen is being read in a worker (a conflict's two sides)
        # (unit, what was just done to it, the revision it left, the reads started then)
        self.row_done: tuple[str, str, int | None, int] | None = None
        self._reads = 0  # reads of the day started so far (a DataReady names its own)

    @property
    def ready_for_keys(self) -> bool:
        """Keys typed while the day is first read wait for it: a name searched needs the rows.
        A day that could not be read is read too (the board says why): keys are not held
        for it, since the clerk must be able to quit, sync or look at help.
        So do keys typed with the Enter that opens a conflicted unit: its two sides are read
        in a worker, and what comes after Enter belongs to the form it opens."""
        return self.day_read and not self.opening

    def compose(self) -> ComposeResult:
        set_width_classes(self)  # before the widgets: none is restyled for it on the first resize
        with Vertical(id="top"):
            yield ClampedText(3, id="clock-bar")
            yield ClampedText(4, id="summary")
            yield ClampedText(1, id="sync-bar")
            yield ClampedText(1, id="rounds-bar")
            # git not on a branch: the warning's first words (3 lines hold them at 60
            # columns, a long folder's path too); the whole of it on F1
            yield ClampedText(3, id="head-problem")
            yield ClampedText(2, id="folder-problems")
        yield BoardTable(id="table")
        yield ClampedText(2, id="detail")
        yield SearchInput(
            placeholder="/ tìm đơn vị (không cần dấu), Enter để mở, Esc để thôi",
            id="search",
            compact=True,
            limit=SEARCH_LIMIT,
        )
        yield BoardFooter()

    @property
    def table(self) -> BoardTable:
        return self.query_one("#table", BoardTable)

    @property
    def search(self) -> Input:
        return self.query_one("#search", Input)

    def on_resize(self) -> None:
        # under 80 columns the keys sit closer together, so that all of them still show
        self.query_one(Footer).compact = self.size.width < 80

    def on_mount(self) -> None:
        self.query_one("#summary", ClampedText).show(
            f"Đang đọc số liệu của {fmt_int(len(self.app.registry.units))} đơn vị…"
        )
        self.table.focus()
        self.update_clock()
        self.set_interval(1.0, self.update_clock)
        # Draw the board first, then read the day: 10,000 units open as fast as 30.
        self.call_after_refresh(self._first_frame_drawn)

    def on_unmount(self) -> None:
        # its inotify instance now, not when the collector gets to the screen: a user has
        # 128 of them on Linux (fs.inotify.max_user_instances)
        if self._watch is not None:
            self._watch.close()

    def _first_frame_drawn(self) -> None:
        self.first_frame.set()
        # What comes after the first frame is queued on the event loop's next turn: what
        # waits for the frame (the benchmark's marker) is not made to wait for it as well.
        asyncio.get_running_loop().call_soon(self.call_later, self._after_first_frame)

    def _after_first_frame(self) -> None:
        self.app.add_screens_css()  # the forms' and dialogs' styles, before any key can open one
        # the footer's keys, then the day: never a row on screen before the keys
        self.query_one(BoardFooter).show_keys(then=self._start_reading)

    def _start_reading(self) -> None:
        self.app.check_sharing()
        self.reload()
        self.set_interval(self.poll_seconds, self.reload)
        self.refresh_sync_state()
        self._read_outbox()
        self.set_interval(OUTBOX_SECONDS, self._read_outbox)
        self.set_interval(ROUNDS_SECONDS, self.check_rounds)

    # ------------------------------------------------------------------ data

    def reload(self, force: bool = False) -> None:
        """Read the day again. A poll is skipped while the last read still runs (the first
        read of thousands of files takes longer than a second): reads never pile up."""
        if not force and any(
            worker.is_running
            for worker in self.workers
            if worker.node is self and worker.group == "load"
        ):
            return
        self._reads += 1
        self._load(self._reads, force)

    @work(thread=True, exclusive=True, group="load")
    def _load(self, read: int, force: bool = False) -> None:
        day = self.day
        self._look_at_head()
        try:
            consolidation = self.compute(day, force)
        except (BluezoneError, OSError) as exc:  # the board stays up and says why
            self.post_message(self.ReadFailed(day, failure_reason(exc, reading=True)))
            return
        if consolidation is not None:
            needs = column_needs(consolidation.rows)
            self.post_message(self.DataReady(day, consolidation, needs, read))

    def _look_at_head(self) -> None:
        """At each poll (in the worker): is the data folder's git still where it was? A
        few small reads (HEAD's file, git's in-the-middle files); git asked only when they
        moved; the verdict, when it changed, posted to the screen. With `history: none`
        too: a folder whose git is not on a branch refuses every save all the same."""
        from bluezone_tui.git.head import HeadWatch

        watch = self._head_watch
        if watch is None or watch.data_dir != self.app.data_dir:
            watch = self._head_watch = HeadWatch(self.app.data_dir)
        try:
            state = watch.state()
        except (BluezoneError, OSError):  # git cannot say: the commands that need it will
            state = None
        if state != self._head_said:
            self._head_said = state
            self.post_message(self.HeadRead(state))

    @on(HeadRead)
    def show_head(self, message: HeadRead) -> None:
        """Git not on a branch: the warning's first words over the table (the whole of it,
        the way back, on F1), and the sync line says why it waits; back on a branch, the
        warning goes and the board says so."""
        from bluezone_tui.git.head import back_on_branch

        was = self.head_state
        state = self.head_state = message.state
        stuck = state is not None and not state.writable
        line = self.query_one("#head-problem", ClampedText)
        line.show(f"⚠ {printable(state.headline())}" if stuck and state is not None else "")
        if was is not None and not was.writable and not stuck:
            branch = state.branch if state is not None else ""
            self.notify(back_on_branch(printable(branch)), timeout=10, markup=False)
        self._show_sync_bar()
        self.refresh_sync_state()  # what the sync line counts depends on the branch

    @property
    def head_warning(self) -> str:
        """The views' whole warning while git is not on a branch ("" on a branch): what
        `bluezone status` says, the way back included (F1 shows it)."""
        state = self.head_state
        return state.warning() if state is not None and not state.writable else ""

    def compute(self, day: date, force: bool = False) -> Consolidation | None:
        """Read the day's files and compute its figures; None when neither the files nor
        the clock (a deadline passing, a report timed ahead arriving) changed anything."""
        import time

        from bluezone_tui.day.loader import figures_of, read_days
        from bluezone_tui.day.watch import DayWatch

        app = self.app
        now = app.clock()
        basis = self._basis
        watch = self._watch
        if watch is None or watch.day != day or watch.store is not app.store:
            if watch is not None:
                watch.close()
            watch = self._watch = DayWatch(app.store, day)
        changed = watch.changed()  # before the read: a change during it is seen next tick
        if (
            basis is None
            or basis[-1].day != day  # computed for the day before midnight
            or force
            or time.monotonic() - self._basis_read_at > EARLIER_DAYS_SECONDS
        ):
            # the day's own files again only if its watcher saw a change
            same = basis[-1] if basis is not None and not changed and not force else None
            days = read_days(app.store, day, until_files=same if same and same.day == day else None)
            self._basis_read_at = time.monotonic()
        elif changed:
            days = [*basis[:-1], app.store.read_day(day)]
        else:
            days = basis  # nothing in the folder changed: no stat of every file
        # the day's folder itself could not be read: no unit's state is known, and a
        # board of "chưa báo cáo" would be a wrong picture
        for problem in days[-1].stray:
            if problem.path in (app.store.day_dir(day), app.store.root):
                path = problem.path
                where = (
                    path.relative_to(app.data_dir) if path.is_relative_to(app.data_dir) else path
                )
                raise BluezoneError(f"{where}: {problem.message}")
        changes_at = self._changes_at
        if not force and days == basis and (changes_at is None or now < changes_at):
            return None
        consolidation = figures_of(app.registry, days, now)
        self._basis, self._changes_at = days, consolidation.status.changes_at
        return consolidation

    @on(DataReady)
    def show_data(self, message: DataReady) -> None:
        if message.day != self.day:  # computed just before midnight: no longer the board's day
            return
        self.consolidation = message.consolidation
        self.day_read = True
        self.table.show(message.consolidation, message.needs, self.app.registry.groups)
        self._check_done(message)
        self.update_summary()
        self._show_folder_problems(message.consolidation.status.stray)

    @on(ReadFailed)
    def show_failure(self, message: ReadFailed) -> None:
        if message.day != self.day:
            return
        # nothing from an earlier read stays on screen as if it were still true
        self.consolidation = None
        self.day_read = True
        self._basis = None
        self.table.clear()
        self.query_one("#summary", ClampedText).show(
            f"Không đọc được số liệu ngày {fmt_date_short(self.day)}."
        )
        self.query_one("#folder-problems", ClampedText).show(
            f"⚠ {printable(message.reason)} — bảng đọc lại mỗi giây; sửa thư mục dữ liệu "
            "(xem «bluezone check»)."
        )

    def _show_folder_problems(self, problems: list[Problem]) -> None:
        """What the core found wrong in the day's folder itself, not in a unit's file."""
        if not problems:
            self.query_one("#folder-problems", ClampedText).show("")
            return
        first = problems[0]
        where = ""
        if first.path is not None:
            try:
                where = str(first.path.relative_to(self.app.store.root)) + ": "
            except ValueError:
                where = str(first.path) + ": "
        more = f" (và {fmt_int(len(problems) - 1)} vấn đề khác)" if len(problems) > 1 else ""
        self.query_one("#folder-problems", ClampedText).show(
            f"⚠ {printable(where)}{printable(first.message)}{more} — xem «bluezone check»."
        )

    def update_summary(self) -> None:
        if self.consolidation is None:
            return
        from bluezone_tui.reports.status import short_summary_lines

        lines = short_summary_lines(self.consolidation)
        table = self.table
        view = []
        if table.only_unfinished:
            view.append("lọc: chưa xong")
        if table.by_rate:
            view.append("xếp theo tỷ lệ")
        if view:
            lines[-1] += "  [" + ", ".join(view) + "]"
        self.query_one("#summary", ClampedText).show(
            "\n".join(keep_groups(printable(line)) for line in lines)
        )

    def update_clock(self) -> None:
        now = self.app.clock()
        if self.follow_today and now.date() != self.day:
            self._move_to(now.date())
        district = printable(self.app.registry.district.name)
        if now.date() == self.day:
            parts = [f"{district} · {fmt_date_short(self.day)} {now:%H:%M:%S}"]
        else:  # viewing another day: say so, and what time it is now
            parts = [
                f"{district} · xem ngày {fmt_date_short(self.day)} · bây giờ {now:%d/%m %H:%M:%S}"
            ]
        for moment in day_deadlines(self.day, self.app.registry):
            parts.append(_left(moment, now, f"{moment:%H:%M}"))
        self.query_one("#clock-bar", ClampedText).show(keep_groups(" · ".join(parts)))
        self._auto_sync(now)

    def _move_to(self, day: date) -> None:
        """Midnight (in the registry's timezone): show the new day, and say so."""
        self.day = day
        self.sent_line = ""  # the new day's report has not gone
        self._show_sync_bar()
        self.rounds = None  # nor a round of the new day's reminders
        self._show_rounds()
        self._basis = None
        self.consolidation = None
        self.day_read = False
        self.query_one("#summary", ClampedText).show(
            f"Đang đọc số liệu ngày {fmt_date_short(day)}…"
        )
        self.reload(force=True)
        self.notify(f"Bảng chuyển sang ngày {fmt_date_short(day)}.", title="Ngày mới", timeout=120)

    # ------------------------------------------------------------------ search

    def action_search(self) -> None:
        search = self.search
        search.value = ""
        self.set_focus(search)

    @on(Input.Changed, "#search")
    def search_changed(self, event: Input.Changed) -> None:
        """Each letter typed shows the units that match, best first, the best highlighted."""
        self.table.start_search(event.value)

    def action_search_move(self, step: int) -> None:
        """↓ ↑ Tab Shift+Tab in the search box: highlight the next or previous match."""
        self.table.action_cursor(step)

    @on(Input.Submitted, "#search")
    def search_submitted(self, event: Input.Submitted) -> None:
        """Enter opens the match highlighted (the best one unless the clerk chose another)."""
        table = self.table
        if not event.value.strip():
            self._close_search()
            return
        unit_id = table.current_unit_id if table.matches else None
        self._close_search()
        if unit_id is None:
            self.notify(
                f"Không tìm thấy đơn vị «{printable(event.value)}»",
                severity="warning",
                markup=False,
            )
            return
        table.go_to(unit_id)
        self.open_unit(unit_id)

    def action_close_search(self) -> None:
        self._close_search()

    def _close_search(self) -> None:
        """The whole table again, the highlight on the unit the search had highlighted."""
        with self.search.prevent(Input.Changed):
            self.search.value = ""
        self.table.end_search()
        self.set_focus(self.table)

    # ------------------------------------------------------------------ the table's rows

    @on(BoardTable.Highlighted, "#table")
    def show_detail(self, message: BoardTable.Highlighted) -> None:
        row = message.row
        detail = self.query_one("#detail", ClampedText)
        done = self.row_done
        if done is not None and (row is None or row.unit.id != done[0]):
            self.row_done = done = None  # the highlight moved on: so does the message
        text = self._detail_text(row) if row is not None else ""
        if done is not None:
            text = f"✓ {done[1]} — {text}"
        detail.set_class(done is not None, "-done")
        detail.show(text)

    def say_done(self, unit_id: str, text: str, revision: int | None = None) -> None:
        """What was just done to a unit (saved, a conflict resolved), said on the line under
        the table beside that unit's details, where no toast covers the row it is about.
        `revision`: the file's revision it left: once a later read of the day finds
        another (a checkout of an older commit, a sync), the line no longer says it."""
        self.row_done = (unit_id, text, revision, self._reads)
        self.table.go_to(unit_id)
        self.table.cursor = self.table.cursor  # redraw the detail line with the message

    def _check_done(self, message: DataReady) -> None:
        """The "✓ Đã lưu bản N" line stays only while the unit's file is the one saved: a
        read started after the save that finds another revision, or none, takes it away."""
        done = self.row_done
        if done is None or message.read <= done[3]:
            return  # a read started before the save: it cannot know
        status = message.consolidation.status.of(done[0])
        submission = status.submission if status is not None else None
        if (submission.revision if submission is not None else None) != done[2]:
            self.row_done = None
            self.table.cursor = self.table.cursor  # redraw the detail line without it

    def _detail_text(self, row: UnitRow) -> str:
        """What the row cannot fit: the full name, the error, who to call, the note."""
        status = row.status
        unit = row.unit
        name = printable(unit.name)
        contact = " ".join(
            p
            for p in (
                printable(unit.contact.person),
                printable(unit.contact.phone).replace(" ", NO_BREAK),  # never split
            )
            if p
        )
        call = f" — liên hệ {contact}" if contact else ""
        if status.state is State.CONFLICT:
            return f"⇄ {name}: {CONFLICT_HINT}"
        first = status.first_error
        if status.aside.kind == "error" and first is not None:
            where = ""
            if first.path is not None:
                try:  # "2020-08-26/xa-long-thuan.toml:1:1": the folder is known
                    where = str(first.path.relative_to(self.app.store.root))
                except ValueError:
                    where = first.path.name
                where += "".join(f":{n}" for n in (first.line, first.column) if n is not None)
            return f"⚠ {printable(where)}: {printable(first.message)}"
        submission = status.submission
        if status.withdrawal is not None:  # `bluezone withdraw` (issue 20)
            return f"{name}: {status.state.label}, {printable(status.withdrawal.words())}{call}"
        if submission is None:
            return f"{name}: {status.state.label}{call}"
        if status.state is State.LATE:
            text = f"{name}: trễ {fmt_duration(status.late_minutes)}{call}"
        else:
            text = f"{name}: bản {submission.revision}, nhập bởi {printable(submission.entered_by)}"
        if self.app.repository is not None:  # h is in no footer: named where it acts
            text += " · h xem lịch sử"
        if submission.note:
            text += f" — {printable(submission.note)}"
        return text

    @on(BoardTable.Opened, "#table")
    def row_opened(self, message: BoardTable.Opened) -> None:
        if self.table.search_query is not None:  # a match chosen with the mouse
            self._close_search()
        self.open_unit(message.unit_id)

    def open_unit(self, unit_id: str) -> None:
        from bluezone_tui.tui.screens.entry import EntryScreen

        app = self.app
        unit = app.registry.unit(unit_id)
        if unit is None:
            return
        status = self.consolidation.status.of(unit_id) if self.consolidation else None
        if status is not None and status.state is State.CONFLICT:
            self.opening = True  # keys typed meanwhile wait for the form (typeahead.py)
            self._read_conflict(unit_id)  # git's two sides: read in a worker
            return

        def saved(result: Submission | None) -> None:
            if result is not None:
                self.say_done(unit.id, f"Đã lưu bản {result.revision}", result.revision)
            self.reload(force=True)
            self.refresh_sync_state()

        try:
            form = EntryScreen(app.store, unit, self.day, app.clock, app.repository)
        except (BluezoneError, OSError) as exc:
            self.notify(
                printable(failure_reason(exc, reading=True)),
                severity="error",
                timeout=10,
                markup=False,
            )
            return
        app.push_screen(form, saved)

    @work(thread=True, exclusive=True, group="conflict")
    def _read_conflict(self, unit_id: str) -> None:
        from bluezone_tui.git.conflict import read_conflict

        app = self.app
        try:
            conflict = read_conflict(app.store, unit_id, self.day, app.repository)
        except (BluezoneError, OSError) as exc:
            self.post_message(self.ConflictRead(None, failure_reason(exc, reading=True)))
            return
        self.post_message(self.ConflictRead(conflict, ""))

    @on(ConflictRead)
    def open_conflict(self, message: ConflictRead) -> None:
        from bluezone_tui.tui.screens.conflict import ConflictScreen

        self.opening = False
        if message.conflict is None:
            self.notify(
                printable(message.failure or "không còn xung đột: tệp vừa được giải quyết"),
                severity="error" if message.failure else "information",
                timeout=10,
                markup=False,
            )
            self.reload(force=True)
            return
        app = self.app
        conflict = message.conflict

        def resolved(resolution: Resolution | None) -> None:
            if resolution is not None:
                if resolution.remaining:
                    more = f"; còn {len(resolution.remaining)} tệp xung đột"
                else:
                    more = "; đã hết xung đột: g để gửi đi"
                self.say_done(
                    conflict.unit.id,
                    f"Đã giải quyết xung đột (bản {resolution.submission.revision}){more}",
                    resolution.submission.revision,
                )
            self.reload(force=True)
            self.refresh_sync_state()

        app.push_screen(ConflictScreen(app.store, app.repository, conflict, app.clock), resolved)

    # ------------------------------------------------------------------ sync

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """In the search box "/" is a character like any other; `g` only where there is
        a repository to sync."""
        if action == "search" and self.focused is self.search:
            return False
        if action == "sync" and self.app.repository is None:
            return False
        return True

    def action_sync(self, quiet: bool = False) -> None:
        repository = self.app.repository
        if repository is None:
            return
        if self.syncing:
            if not quiet:
                self.notify("Đang đồng bộ, chờ xong đã.", markup=False)
            return
        self.syncing = True
        self._show_sync_bar()
        self._sync(quiet)

    @work(thread=True, exclusive=True, group="sync")
    def _sync(self, quiet: bool) -> None:
        from bluezone_tui.git.sync import sync

        app = self.app
        repository = app.repository
        assert repository is not None  # action_sync runs this only with a repository
        try:
            result = sync(repository, app.clock())
        except (BluezoneError, OSError) as exc:
            self.post_message(self.SyncDone(None, failure_reason(exc), quiet))
            return
        self.post_message(self.SyncDone(result, "", quiet))

    @on(SyncDone)
    def sync_done(self, message: SyncDone) -> None:
        self.syncing = False
        result = message.result
        if result is None:
            self.notify(
                f"Chưa đồng bộ: {printable(message.failure)}",
                severity="error",
                timeout=15,
                markup=False,
            )
        elif result.conflicts:
            self.notify(
                f"Xung đột ở {len(result.conflicts)} tệp: cùng số liệu đã được sửa ở cả hai "
                "nơi. Các đơn vị ⇄ trên bảng: Enter để xem hai bên và chọn.",
                severity="warning",
                timeout=20,
                markup=False,
            )
        elif not message.quiet or result.pulled:
            self.notify(
                f"Đã đồng bộ: nhận {result.pulled} commit, gửi {result.pushed} commit.",
                markup=False,
            )
        if result is not None and result.registry_changed:
            self._reload_registry()
        self.reload(force=True)
        self.refresh_sync_state()

    def _reload_registry(self) -> None:
        """units.yaml came in with a sync: the board takes it, or keeps the old one and says why."""
        from bluezone_tui.day.store import Store
        from bluezone_tui.git.repository import open_repository
        from bluezone_tui.registry.load import load_registry

        app = self.app
        try:
            registry = load_registry(app.data_dir)
            repository = open_repository(app.data_dir, registry)
        except (BluezoneError, OSError) as exc:
            self.notify(
                f"units.yaml vừa nhận về có lỗi, bảng vẫn dùng danh mục cũ: {printable(failure_reason(exc, reading=True))}",
                severity="error",
                timeout=20,
                markup=False,
            )
            return
        app.registry, app.store, app.repository = (
            registry,
            Store(app.data_dir, registry),
            repository,
        )
        self._shown = None
        self._previous = None
        self._next_auto_sync = None
        self.notify("Đã nạp lại units.yaml vừa nhận từ kho chung.", markup=False)

    def _auto_sync(self, now: datetime) -> None:
        """`sync: {every: N}`: a quiet sync every N minutes of the registry's clock."""
        from datetime import timedelta

        every = self.app.registry.sync_every
        if not every or self.app.repository is None or self.head_warning:
            return  # (git not on a branch: a refusal every N minutes would say nothing new)
        if self._next_auto_sync is None:
            self._next_auto_sync = now + timedelta(minutes=every)
        elif now >= self._next_auto_sync:
            self._next_auto_sync = now + timedelta(minutes=every)
            self.action_sync(quiet=True)

    def refresh_sync_state(self) -> None:
        if self.app.repository is not None and self.app.repository.available:
            self._read_sync_state()

    @work(thread=True, exclusive=True, group="sync-state")
    def _read_sync_state(self) -> None:
        from bluezone_tui.git.sent import sent_difference
        from bluezone_tui.git.sync import sync_state

        repository = self.app.repository
        assert repository is not None  # refresh_sync_state runs this only with a repository
        try:
            state = sync_state(repository)
        except (BluezoneError, OSError):
            state = None
        try:
            sent = sent_difference(repository, self.day) if repository.has_commits() else None
        except (BluezoneError, OSError):
            sent = None
        self.post_message(self.SyncStateRead(state, sent))

    @on(SyncStateRead)
    def show_sync_state(self, message: SyncStateRead) -> None:
        self.sync_state = message.state
        self.sent = message.sent
        self._show_sync_bar()
        self._read_outbox()  # a sync may have brought another office's send

    @work(thread=True, exclusive=True, group="outbox")
    def _read_outbox(self) -> None:
        from bluezone_tui.deliver.outbox import Outbox
        from bluezone_tui.deliver.report import sent_summary
        from bluezone_tui.deliver.rounds import rounds_seen

        app, day = self.app, self.day
        timezone = app.registry.timezone
        try:
            outbox = Outbox(app.data_dir, timezone, app.repository)
            records, in_progress = outbox.read(day).records, outbox.in_progress()
        except (BluezoneError, OSError):
            return
        line = sent_summary(records, timezone, in_progress)
        self.post_message(self.OutboxRead(day, line, rounds_seen(records, timezone, in_progress)))

    @on(OutboxRead)
    def show_outbox(self, message: OutboxRead) -> None:
        if message.day != self.day:
            return
        if message.line != self.sent_line:
            self.sent_line = message.line
            self._show_sync_bar()
        if message.rounds != self.rounds:
            self.rounds = message.rounds
            self._show_rounds()

    # ------------------------------------------------------------------ reminders

    def _show_rounds(self) -> None:
        """The last round of reminders and what it sent; red when a message failed."""
        bar = self.query_one("#rounds-bar", ClampedText)
        rounds = self.rounds
        bar.show(rounds.line if rounds is not None else "")
        bar.set_class(rounds is not None and rounds.failed, "-failed")

    def check_rounds(self) -> None:
        """A round due now goes from here as from cron (the same run_rounds), when this
        office is the sender and reminders were started; only for today."""
        registry = self.app.registry
        if registry.reminders is None or self.sending_rounds:
            return
        if self.day != self.app.clock().date():
            return
        self.sending_rounds = True
        self._run_rounds()

    @work(thread=True, exclusive=True, group="rounds")
    def _run_rounds(self) -> None:
        from bluezone_tui.day.store import Store
        from bluezone_tui.deliver.rounds import (
            due_rounds,
            is_sender,
            run_rounds,
            secrets_for,
            started,
            this_office,
        )

        app = self.app
        registry, clock = app.registry, app.clock
        settings = registry.reminders
        assert settings is not None  # check_rounds runs this only with reminders
        rounds = due_rounds(settings, clock(), registry.timezone)
        if not rounds or not is_sender(settings, this_office()) or not started(app.data_dir):
            self.post_message(self.RoundsDone([], ""))
            return
        notes: list[str] = []
        try:
            outcomes = run_rounds(
                registry=registry,
                store=Store(app.data_dir, registry),  # its own: the poll's runs alongside
                repository=app.repository,
                rounds=rounds,
                secrets=secrets_for(registry, rounds, app.data_dir),
                clock=clock,
                notes=notes,
            )
        except (BluezoneError, OSError) as exc:
            self.post_message(self.RoundsDone([], failure_reason(exc)))
            return
        self.post_message(self.RoundsDone(outcomes, "; ".join(notes)))

    @on(RoundsDone)
    def rounds_done(self, message: RoundsDone) -> None:
        from bluezone_tui.deliver.outbox import SENT

        self.sending_rounds = False
        for outcome in message.outcomes:
            if not outcome.deliveries:
                continue
            sent = sum(1 for d in outcome.deliveries if d.record.state == SENT)
            failed = len(outcome.deliveries) - sent
            self.notify(
                f"Đã gửi nhắc báo cáo (lượt {outcome.plan.round.name}): {sent} tin"
                + (f", {failed} tin lỗi hoặc chưa rõ: r để xem" if failed else ""),
                severity="error" if failed else "information",
                timeout=15,
                markup=False,
            )
        if message.failure and message.failure != self._rounds_failure:
            self.notify(
                f"Nhắc báo cáo: {printable(message.failure)}",
                severity="error",
                timeout=20,
                markup=False,
            )
        self._rounds_failure = message.failure
        if message.outcomes:
            self._read_outbox()
            self.refresh_sync_state()

    def _show_sync_bar(self) -> None:
        """The day's report as sent, first (it matters most once it went); then the last
        sync, and commits waiting to go out or to come in (as of the last fetch)."""
        bar = self.query_one("#sync-bar", ClampedText)
        sent = printable(self.sent_line) + " · " if self.sent_line else ""
        if self.app.repository is None or self.head_warning:  # (the line below says why)
            bar.show(sent.removesuffix(" · "))
            return
        bar.show(sent + self._sync_text())

    def _sync_text(self) -> str:
        if self.syncing:
            return "đang đồng bộ với kho chung…"
        state = self.sync_state
        if state is None:
            return "g đồng bộ với kho chung"
        parts = ["g đồng bộ ·"]
        if state.last_sync is None:
            parts.append("chưa đồng bộ lần nào")
        else:
            last = state.last_sync.astimezone(self.app.registry.timezone)
            when = (
                f"{last:%H:%M}" if last.date() == self.app.clock().date() else f"{last:%d/%m %H:%M}"
            )
            parts.append(f"lần cuối {when}")
        if state.ahead is not None:
            parts.append(f"· chờ gửi {state.ahead} · chờ nhận {state.behind}")
        else:
            parts.append("· chưa có kho chung")
        if state.merging:
            parts.append("· ⇄ còn xung đột")
        parts += self._sent_words()
        return " ".join(parts)

    def _sent_words(self) -> list[str]:
        """The day's report sent, and the units changed after it ("sửa sau khi gửi")."""
        from bluezone_tui.git.history import AFTER_SENT

        sent = self.sent
        if sent is None:
            return []
        words = [f"· đã gửi báo cáo ({sent.tag.name})"]
        if sent.units:
            names = [unit.name if (unit := self.app.registry.unit(u)) else u for u in sent.units]
            words.append(f"· {AFTER_SENT}: {', '.join(printable(n) for n in names)}")
        if sent.earlier_files:  # carried into the day, or its change since the day before
            words.append(f"· {len(sent.earlier_files)} tệp ngày trước đã sửa sau khi gửi")
        if sent.registry_changed:
            words.append("· units.yaml đã đổi sau khi gửi")
        return words

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
        """Export in a worker: at 10,000 units it takes seconds, and the board keeps answering."""
        if self.exporting:
            self.app.bell()
            self.notify("Đang xuất, chờ xong đã.", markup=False)
            return
        self.exporting = True
        self.notify("Đang xuất…", markup=False)
        self._export()

    @work(thread=True, exclusive=True, group="export")
    def _export(self) -> None:
        from bluezone_tui.export import export_day  # tabulate & co: not needed for the first frame

        app = self.app
        try:
            paths = export_day(app.store, self.day, app.clock(), app.data_dir / "exports")
        except (BluezoneError, OSError) as exc:
            self.post_message(self.ExportDone([], failure_reason(exc)))
            return
        self.post_message(self.ExportDone(paths, ""))

    @on(ExportDone)
    def export_done(self, message: ExportDone) -> None:
        self.exporting = False
        if message.failure:
            self.notify(printable(message.failure), severity="error", timeout=10, markup=False)
            return
        data_dir = self.app.data_dir
        shown = []
        for path in message.paths:
            try:
                shown.append(str(path.relative_to(data_dir)))
            except ValueError:
                shown.append(str(path))
        self.notify("Đã xuất:\n" + "\n".join(map(printable, shown)), timeout=10, markup=False)

    def action_remind(self) -> None:
        from bluezone_tui.tui.screens.remind import RemindScreen

        self.app.push_screen(RemindScreen())

    def action_history(self) -> None:
        from bluezone_tui.tui.screens.history import HistoryScreen

        unit_id = self.table.current_unit_id
        unit = self.app.registry.unit(unit_id) if unit_id is not None else None
        if unit is None:
            self.notify("Chưa chọn đơn vị nào: ↑ ↓ để chọn, rồi h.", markup=False)
            return
        self.app.push_screen(HistoryScreen(unit, self.day))

    def action_trend(self) -> None:
        from bluezone_tui.tui.screens.trend import TrendScreen

        app = self.app
        try:
            trend = TrendScreen(app.store, self.day, self.table.current_unit_id, app.clock())
        except (BluezoneError, OSError) as exc:
            self.notify(
                printable(failure_reason(exc, reading=True)),
                severity="error",
                timeout=10,
                markup=False,
            )
            return
        app.push_screen(trend)


class BoardFooter(Footer):
    """The footer, its keys composed once the board's first frame is drawn.

    Textual's footer composes its keys after a refresh (they are never on the first
    frame) and has each key's styles worked out twice over: ~12 ms spent before the
    first frame on nothing it shows. Held until then, they come on the frame after
    it, as they did; a key typed meanwhile waits for the day's rows anyway
    (BoardScreen.ready_for_keys)."""

    def __init__(self) -> None:
        super().__init__()
        self._holding = True
        self._asked = False  # the screen's keys were ready while held

    def bindings_changed(self, screen: Screen[None]) -> None:
        if self._holding:
            self._asked = True
            return
        super().bindings_changed(screen)

    def show_keys(self, then: Callable[[], None]) -> None:
        """The board is drawn: its keys now, composed in the footer's own queue (the keys
        are bound to it, as Textual composes them); `then` once they are there."""
        self._holding = False
        self.call_next(self._compose_keys, then)

    async def _compose_keys(self, then: Callable[[], None]) -> None:
        if self._asked:
            self._bindings_ready = True
            await self.recompose()
        then()


class SearchInput(TypedInput):
    """The search box: ↓ ↑ Tab Shift+Tab move between the matches the table shows; a
    name pasted with its line break is searched as one line."""

    BINDINGS = [
        Binding("down,tab", "screen.search_move(1)", show=False),
        Binding("up,shift+tab", "screen.search_move(-1)", show=False),
    ]


def _left(moment: datetime, now: datetime, label: str) -> str:
    """ "15:00 còn 1:05" / "15:00 đã qua": short enough for 80 columns; minutes rounded up,
    as the reminders count them (9 min 51 s left is "0:10", never "0:09")."""
    if now > moment:
        return f"{label} đã qua"
    hours, rest = divmod(minutes_between(now, moment), 60)
    return f"{label} còn {hours}:{rest:02d}"
