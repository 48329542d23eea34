"""h: every version of the highlighted unit's figures for the board's day, from git.

The same text as `bluezone history UNIT --date D`. git runs in a worker thread (a
year of commits takes a moment), so the screen opens at once and says it is reading;
with history off, or git failing, it says why in one line, as the CLI does.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Static

from bluezone_tui.base.files import failure_reason
from bluezone_tui.base.problems import BluezoneError
from bluezone_tui.base.safe_text import printable
from bluezone_tui.base.vn import fmt_date_short
from bluezone_tui.git.repository import history_off
from bluezone_tui.registry.model import Unit
from bluezone_tui.tui.widgets.clamped_text import ClampedText

if TYPE_CHECKING:
    from bluezone_tui.tui.app import BoardApp

READING = "Đang đọc lịch sử…"
NEEDED = "Phím h"


class HistoryScreen(Screen[None]):
    BINDINGS = [Binding("escape,h,q", "dismiss", "Quay lại", key_display="Esc")]

    app: BoardApp

    class Read(Message):
        """The history as text, or why it could not be read (in the worker thread)."""

        def __init__(self, text: str, failure: str) -> None:
            super().__init__()
            self.text = text
            self.failure = failure

    def __init__(self, unit: Unit, day: date) -> None:
        super().__init__()
        self.unit = unit
        self.day = day

    def compose(self) -> ComposeResult:
        yield ClampedText(2, id="history-title")
        with VerticalScroll(id="history-box"):
            yield Static(READING, id="history-text", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#history-title", ClampedText).show(
            f"Lịch sử {printable(self.unit.name)} ngày {fmt_date_short(self.day)}"
        )
        self.query_one("#history-box").focus()  # ↑ ↓ PgUp PgDn scroll a long history
        self._read()

    @work(thread=True, exclusive=True, group="history")
    def _read(self) -> None:
        from bluezone_tui.git.history import render_history, unit_history

        app = self.app
        repository = app.repository
        if repository is None:
            self.post_message(self.Read("", history_off(app.data_dir, NEEDED)))
            return
        try:
            text = render_history(unit_history(repository, self.unit, self.day))
        except (BluezoneError, OSError) as exc:
            self.post_message(
                self.Read("", f"Không xem được lịch sử: {failure_reason(exc, reading=True)}")
            )
            return
        self.post_message(self.Read(text, ""))

    @on(Read)
    def history_read(self, message: Read) -> None:
        body = self.query_one("#history-text", Static)
        if message.failure:
            body.update(printable(message.failure))
            return
        head, _, rest = message.text.partition("\n")
        self.query_one("#history-title", ClampedText).show(head)
        body.update(rest.rstrip("\n"))
