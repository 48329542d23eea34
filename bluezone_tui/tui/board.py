"""The status table: a line-based scroll view that renders only the visible rows.

The stock DataTable measures every cell before its first frame; this widget
only formats the rows on screen (as toolong does), so 10,000 units open as
fast as 30. Status is a symbol and a word as well as a colour, so it reads
with 16 colours and in monochrome.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from ..core.state import State
from ..core.vn import fmt_int, fmt_percent, fmt_signed, fmt_time, matches

if TYPE_CHECKING:
    from ..core.consolidate import Consolidation, UnitRow
    from ..core.registry import Group

STATE_STYLES = {
    State.ON_TIME: Style(color="green"),
    State.REPORTED: Style(color="green"),
    State.LATE: Style(color="yellow", bold=True),
    State.MISSING: Style(color="red", bold=True),
    State.NOT_YET_DUE: Style(),
    State.NO_REPORT: Style(dim=True),
    State.FILE_ERROR: Style(color="magenta", bold=True, reverse=False),
}
HEADER_STYLE = Style(bold=True, underline=True)
GROUP_STYLE = Style(bold=True)
CURSOR_STYLE = Style(reverse=True)
# (title, width); "Đơn vị" (None) takes what the others and the contact's 14 leave.
COLUMNS = (
    ("Tình trạng", 14),
    ("Đơn vị", None),
    ("Lúc", 5),
    ("Số liệu", 7),
    ("Tỷ lệ", 7),
    ("+/-", 6),
)
LAST_TITLE = "Liên hệ / ghi chú"
CONTACT_WIDTH = 15
NAME_MIN = 16


def column_widths(width: int) -> list[int]:
    """Widths of the fixed columns for a terminal `width`: the name column grows with it."""
    fixed = sum(w for _, w in COLUMNS if w) + len(COLUMNS)
    name = max(NAME_MIN, width - fixed - CONTACT_WIDTH)
    return [name if w is None else w for _, w in COLUMNS]


def fit(text: str, width: int) -> str:
    """Cut to `width` cells with an ellipsis, so a cut name never passes for another."""
    if cell_len(text) <= width:
        return set_cell_size(text, width)
    return set_cell_size(text, max(0, width - 1)) + "…"


UNFINISHED = (State.LATE, State.MISSING, State.NOT_YET_DUE, State.FILE_ERROR)


@dataclass(frozen=True, slots=True)
class Line:
    """One line of the table: a group heading (row is None) or a unit."""

    text: str = ""
    row: UnitRow | None = None


class BoardTable(ScrollView, can_focus=True):
    BINDINGS = [
        Binding("up", "cursor(-1)", "lên", show=False),
        Binding("down", "cursor(1)", "xuống", show=False),
        Binding("pageup", "page(-1)", show=False),
        Binding("pagedown", "page(1)", show=False),
        Binding("home", "jump(0)", show=False),
        Binding("end", "jump(-1)", show=False),
        Binding("enter", "open", "Mở", show=True),
    ]
    DEFAULT_CSS = """
    BoardTable { height: 1fr; }
    """

    cursor = reactive(0, always_update=True)

    class Highlighted(Message):
        """The cursor moved to another row (row is None on a heading)."""

        def __init__(self, table: BoardTable, row: UnitRow | None) -> None:
            super().__init__()
            self.table = table
            self.row = row

        @property
        def control(self) -> BoardTable:
            return self.table

    class Opened(Message):
        """Enter on a unit's row."""

        def __init__(self, table: BoardTable, unit_id: str) -> None:
            super().__init__()
            self.table = table
            self.unit_id = unit_id

        @property
        def control(self) -> BoardTable:
            return self.table

    def __init__(self, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(**kwargs)
        self.lines: list[Line] = []
        self.only_unfinished = False
        self.by_rate = False
        self._consolidation: Consolidation | None = None

    # ------------------------------------------------------------------ data

    def show(self, consolidation: Consolidation) -> None:
        """Replace the data, keeping the cursor on the same unit."""
        current = self.current_unit_id
        self._consolidation = consolidation
        self._rebuild(current)

    def set_view(self, only_unfinished: bool | None = None, by_rate: bool | None = None) -> None:
        if only_unfinished is not None:
            self.only_unfinished = only_unfinished
        if by_rate is not None:
            self.by_rate = by_rate
        self._rebuild(self.current_unit_id)

    def _rebuild(self, keep_unit: str | None) -> None:
        consolidation = self._consolidation
        lines: list[Line] = []
        if consolidation is not None:
            registry_groups: list[Group] = []
            for row in consolidation.rows:
                if row.unit.group not in registry_groups:
                    registry_groups.append(row.unit.group)
            for group in registry_groups:
                rows = consolidation.rows_in(group)
                if self.only_unfinished:
                    rows = [r for r in rows if r.status.state in UNFINISHED]
                if not rows:
                    continue
                if self.by_rate:
                    rows = sorted(rows, key=lambda r: (r.rate is None, -(r.rate or 0)))
                deadline = f"hạn {group.deadline:%H:%M}" if group.deadline else "không có hạn"
                lines.append(Line(f"{group.name} ({deadline}) — {len(rows)} đơn vị"))
                lines.extend(Line(row=row) for row in rows)
        self.lines = lines
        # no horizontal scrolling: the last column takes what the terminal has left
        self.virtual_size = Size(1, len(lines) + 1)
        target = None
        if keep_unit is not None:
            target = self.index_of(keep_unit)
        if target is None:
            target = min(self.cursor, len(lines) - 1) if lines else 0
            target = self._nearest_unit(target)
        self.cursor = target
        self.refresh()

    # ------------------------------------------------------------------ cursor

    @property
    def current_row(self) -> UnitRow | None:
        if 0 <= self.cursor < len(self.lines):
            return self.lines[self.cursor].row
        return None

    @property
    def current_unit_id(self) -> str | None:
        row = self.current_row
        return row.unit.id if row is not None else None

    def index_of(self, unit_id: str) -> int | None:
        for index, line in enumerate(self.lines):
            if line.row is not None and line.row.unit.id == unit_id:
                return index
        return None

    def find(self, query: str) -> str | None:
        """The first unit whose name or id matches, ignoring case and diacritics."""
        if not query.strip() or self._consolidation is None:
            return None
        for row in self._consolidation.rows:
            if matches(query, row.unit.name) or matches(query, row.unit.id):
                return row.unit.id
        return None

    def go_to(self, unit_id: str) -> bool:
        index = self.index_of(unit_id)
        if index is None and self.only_unfinished:
            self.set_view(only_unfinished=False)
            index = self.index_of(unit_id)
        if index is None:
            return False
        self.cursor = index
        return True

    def _nearest_unit(self, index: int, step: int = 1) -> int:
        if not self.lines:
            return 0
        index = max(0, min(index, len(self.lines) - 1))
        probe = index
        while 0 <= probe < len(self.lines) and self.lines[probe].row is None:
            probe += step
        if 0 <= probe < len(self.lines):
            return probe
        probe = index
        while 0 <= probe < len(self.lines) and self.lines[probe].row is None:
            probe -= step
        return max(probe, 0)

    def watch_cursor(self, old: int, new: int) -> None:
        """Keep the cursor's row on screen, below the fixed column header."""
        top = round(self.scroll_offset.y)
        visible = max(1, self.size.height - 1)
        if new <= 1:
            self.scroll_to(y=0, animate=False, immediate=True)
        elif new < top:
            self.scroll_to(y=new, animate=False, immediate=True)
        elif new >= top + visible:
            self.scroll_to(y=new - visible + 1, animate=False, immediate=True)
        self.post_message(self.Highlighted(self, self.current_row))
        self.refresh()

    def action_cursor(self, step: int) -> None:
        self.cursor = self._nearest_unit(self.cursor + step, step)

    def action_page(self, direction: int) -> None:
        step = max(1, self.size.height - 2) * direction
        self.cursor = self._nearest_unit(self.cursor + step, direction)

    def action_jump(self, where: int) -> None:
        self.cursor = self._nearest_unit(
            0 if where == 0 else len(self.lines) - 1, 1 if where == 0 else -1
        )

    def action_open(self) -> None:
        unit_id = self.current_unit_id
        if unit_id is not None:
            self.post_message(self.Opened(self, unit_id))

    # ------------------------------------------------------------------ render

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        width = self.size.width
        if y == 0:
            return self._header_strip(width)
        index = y - 1 + scroll_y
        if index >= len(self.lines):
            return Strip.blank(width)
        line = self.lines[index]
        if line.row is None:
            return Strip(
                [
                    Segment(
                        set_cell_size(
                            "── " + line.text + " ",
                            width,
                        ),
                        GROUP_STYLE,
                    )
                ]
            )
        strip = self._row_strip(line.row, width)
        if index == self.cursor and self.has_focus:
            strip = strip.apply_style(CURSOR_STYLE)
        elif index == self.cursor:
            strip = strip.apply_style(Style(underline=True))
        return strip

    def _header_strip(self, width: int) -> Strip:
        segments = [
            Segment(fit(title, column) + " ", HEADER_STYLE)
            for (title, _), column in zip(COLUMNS, column_widths(width), strict=True)
        ]
        used = sum(cell_len(s.text) for s in segments)
        segments.append(Segment(fit(LAST_TITLE, max(0, width - used)), HEADER_STYLE))
        return Strip(segments).crop(0, width)

    def _row_strip(self, row: UnitRow, width: int) -> Strip:
        status = row.status
        state = status.state
        submission = status.submission
        unit = row.unit
        widths = column_widths(width)
        # the carried-forward mark must survive a cut name
        name = unit.short_label + ("*" if row.carried_from else "")
        if row.carried_from and cell_len(name) > widths[1]:
            name = fit(unit.short_label, widths[1] - 1).rstrip() + "*"
        name = fit(name, widths[1])
        if state is State.FILE_ERROR:
            errors = [p for p in status.problems if p.is_error]
            first = errors[0] if errors else None
            extra = (
                f"dòng {first.line}: {first.message}"
                if first and first.line
                else (first.message if first else "")
            )
        elif state in (State.MISSING, State.NOT_YET_DUE, State.NO_REPORT, State.LATE):
            extra = unit.contact.phone  # who to call; minutes late are in the detail line
        elif submission is not None and submission.note:
            extra = submission.note
        else:
            extra = ""
        state_cell = Segment(
            fit(f"{state.symbol} {state.label}", widths[0]) + " ", STATE_STYLES[state]
        )
        if state is State.FILE_ERROR:  # no figures to show: the message gets the room
            label = Segment(name + " ")
            used = cell_len(state_cell.text) + cell_len(label.text)
            message = Segment(fit(extra, max(0, width - used)), STATE_STYLES[state])
            return Strip([state_cell, label, message]).crop(0, width)
        numbers = [
            fmt_time(submission.reported_at) if submission else "",
            fmt_int(row.headline) if row.headline is not None else "",
            fmt_percent(row.rate) if row.rate is not None else "",
            fmt_signed(row.change) if row.change is not None else "",
        ]
        segments = [state_cell, Segment(name + " ")]
        for index, (text, column) in enumerate(zip(numbers, widths[2:], strict=True)):
            cell = text.rjust(column) if index else text.ljust(column)
            segments.append(Segment(fit(cell, column) + " "))
        used = sum(cell_len(s.text) for s in segments)
        segments.append(Segment(fit(extra, max(0, width - used)), Style(dim=True)))
        return Strip(segments).crop(0, width)
