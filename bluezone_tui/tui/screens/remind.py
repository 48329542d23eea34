"""r: the units to remind now, whom to call, and a message ready to paste into SMS or Zalo.

Where reminders went out (`reminders:`, by the board or cron), each unit says when it
was reminded and by what, a failure in red with the channel's reason.

The list follows the board: the board keeps reading the day underneath, and this
screen redraws from its latest status every second, so a unit that reports while
the list is open leaves it, and at 15:00:01 "not yet due" turns into "missing".
A message is composed at the moment it is copied, so its time left is exact.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, OptionList
from textual.widgets.option_list import Option

from bluezone_tui.base.safe_text import printable
from bluezone_tui.base.vn import fmt_date_short
from bluezone_tui.day.remind import (
    REMINDED,
    Reminder,
    numbers_whole,
    reminders,
    situation,
)
from bluezone_tui.day.state import State
from bluezone_tui.tui.widgets.clamped_text import ClampedText
from bluezone_tui.tui.widgets.fit import keep_groups

if TYPE_CHECKING:
    from bluezone_tui.tui.app import BoardApp

REFRESH_SECONDS = 1.0
# the board's colours (theme.py): late and missing read apart in 16 colours too
STATE_STYLES = {State.LATE: "$warning bold", State.MISSING: "$error bold"}
LABEL_WIDTH = max(len(state.label) for state in REMINDED) + 1
DETAIL_LINES = 14  # the situation, the contact and a message, even at 60 columns


class RemindScreen(Screen[None]):
    BINDINGS = [
        Binding("c", "copy", "Chép tin nhắn", key_display="Enter/c"),
        Binding("escape,r,q", "dismiss", "Quay lại", key_display="Esc"),
    ]

    app: BoardApp

    def __init__(self) -> None:
        super().__init__()
        self.found: list[Reminder] = []
        self._listed: list[tuple[str, str, str]] | None = None  # (unit, state, reminded) as listed

    def compose(self) -> ComposeResult:
        yield ClampedText(2, id="remind-title")
        yield OptionList(id="remind-list", markup=False, compact=True)
        yield ClampedText(DETAIL_LINES, id="remind-detail")
        yield ClampedText(2, id="remind-sent")
        yield Footer()

    def on_mount(self) -> None:
        self.refresh_list()
        self.query_one(OptionList).focus()
        self.set_interval(REFRESH_SECONDS, self.refresh_list)

    def _compute(self) -> list[Reminder] | None:
        """The reminders at the clock's now, from the board's latest status."""
        consolidation = self.app.board.consolidation
        if consolidation is None:
            return None
        return reminders(consolidation.status, self.app.registry, self.app.clock())

    def refresh_list(self) -> None:
        found = self._compute()
        title = self.query_one("#remind-title", ClampedText)
        if found is None:
            title.show("Nhắc báo cáo · đang đọc số liệu…")
            return
        current = self.current
        self.found = found
        now = self.app.clock()
        board = self.app.board
        counts = [
            f"{state.label} {sum(1 for r in found if r.state is state)}"
            for state in REMINDED
            if any(r.state is state for r in found)
        ]
        parts = [
            f"Nhắc báo cáo ngày {fmt_date_short(board.day)}",
            f"{now:%H:%M:%S}",
            f"{len(found)} đơn vị" + (": " + ", ".join(counts) if counts else ""),
        ]
        title.show(keep_groups(" · ".join(parts)))
        listed = [(r.unit.id, r.state.code, self._sent(r)[0]) for r in found]
        if listed != self._listed:
            self._relist(found, current.unit.id if current is not None else None)
            self._listed = listed
        self._show_detail()

    def _relist(self, found: list[Reminder], keep: str | None) -> None:
        """The list again, the unit that was highlighted still highlighted if it is there."""
        option_list = self.query_one(OptionList)
        option_list.clear_options()
        if not found:
            option_list.add_option(
                Option("Không có đơn vị nào cần nhắc.", id="none", disabled=True)
            )
            return
        option_list.add_options(
            Option(
                Content.assemble(
                    (
                        f"{r.state.symbol} {r.state.label:<{LABEL_WIDTH}}",
                        STATE_STYLES.get(r.state, ""),
                    ),
                    printable(f"{r.unit.short_label} — {r.phone_words}"),
                    self._sent_mark(r),
                ),
                id=r.unit.id,
            )
            for r in found
        )
        ids = [r.unit.id for r in found]
        option_list.highlighted = ids.index(keep) if keep in ids else 0

    def _sent(self, reminder: Reminder) -> tuple[str, bool]:
        """When the unit was reminded today and by what, and whether that failed."""
        from bluezone_tui.deliver.rounds import unit_line

        rounds = self.app.board.rounds
        records = rounds.by_unit.get(reminder.unit.id, ()) if rounds is not None else ()
        return unit_line(records, self.app.registry.timezone)

    def _sent_mark(self, reminder: Reminder) -> tuple[str, str]:
        """The list's short mark: " · đã nhắc 14:00", or " · nhắc lỗi" in red."""
        text, failed = self._sent(reminder)
        if not text:
            return ("", "")
        if failed:
            return (" · nhắc lỗi", "$error bold")
        return (" · " + text.split(" qua ")[0], "$text-muted")

    @property
    def current(self) -> Reminder | None:
        index = self.query_one(OptionList).highlighted
        if index is None or not self.found or index >= len(self.found):
            return None
        return self.found[index]

    def _show_detail(self) -> None:
        reminder = self.current
        detail = self.query_one("#remind-detail", ClampedText)
        sent = self.query_one("#remind-sent", ClampedText)
        if reminder is None:
            detail.show("")
            sent.show("")
            return
        text, failed = self._sent(reminder)
        sent.show(f"Nhắc tự động: {text}" if text else "")
        sent.set_class(failed, "-failed")
        unit = reminder.unit
        contact = ", ".join(p for p in (unit.contact.person, reminder.phone_words) if p)
        lines = (
            f"{unit.name}: {situation(reminder, self.app.clock())}",
            f"Liên hệ: {contact}",
            "",
            reminder.message,
        )
        detail.show("\n".join(numbers_whole(printable(line)) for line in lines))

    @on(OptionList.OptionHighlighted, "#remind-list")
    def highlighted(self) -> None:
        self._show_detail()

    @on(OptionList.OptionSelected, "#remind-list")
    def selected(self) -> None:
        self.action_copy()

    def action_copy(self) -> None:
        """Copy the highlighted unit's message, composed now, through the terminal (OSC 52)."""
        self.refresh_list()
        reminder = self.current
        if reminder is None:
            return
        self.app.copy_to_clipboard(reminder.message)
        self.notify(
            f"Đã chép tin nhắn cho {printable(reminder.unit.name)}: dán vào SMS hoặc Zalo "
            "(cần terminal cho phép chép, như Windows Terminal, iTerm2, kitty).",
            timeout=6,
            markup=False,
        )
