"""The status table: a line-based scroll view that renders only the visible rows.

The stock DataTable measures every cell before its first frame; this widget
only formats the rows on screen (as toolong does), so 10,000 units open as
fast as 30. Status is a symbol and a word as well as a colour, so it reads
with 16 colours and in monochrome. The columns are laid out in the width left
beside the scrollbar: a number is shown whole or not at all, text is cut only
with "…".
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import TYPE_CHECKING, Any, TypeVar

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from bluezone_tui.base.safe_text import printable
from bluezone_tui.base.vn import fmt_int, fmt_percent, fmt_signed, fmt_time, search_rank
from bluezone_tui.day.state import TO_CHASE, State
from bluezone_tui.tui.widgets.fit import fit, fit_middle

if TYPE_CHECKING:
    from bluezone_tui.day.consolidate import Consolidation, UnitRow
    from bluezone_tui.registry.model import Group

# Each state's colour is a component class (app.tcss) taken from the theme, whose
# colours stay different from each other in 16 and in 256 colours (theme.py).
STATE_COMPONENTS = {
    State.ON_TIME: "board-table--on-time",
    State.REPORTED: "board-table--on-time",
    State.LATE: "board-table--late",
    State.MISSING: "board-table--missing",
    State.NOT_YET_DUE: "board-table--pending",
    State.NO_REPORT: "board-table--no-report",
    State.FILE_ERROR: "board-table--file-error",
    State.CONFLICT: "board-table--file-error",
}
# What a conflicted unit's row and detail line say: what happened, and the way out.
CONFLICT_HINT = "hai nơi đã lưu số liệu khác nhau; Enter để xem hai bên và chọn"
HEADER_STYLE = Style(bold=True, underline=True)
GROUP_STYLE = Style(bold=True)
CURSOR_STYLE = Style(reverse=True)
EXTRA_STYLE = Style(dim=True)
# No segment is drawn without a style, even a plain one: NO_COLOR=1 turns on Textual's
# monochrome filter, which reads every segment's style and fails on None.
PLAIN = Style()

# A status word is never cut: its column is as wide as the longest of them.
STATUS_WIDTH = max(cell_len(f"{state.symbol} {state.label}") for state in State)
STATUS_TITLE = "Tình trạng"
NAME_TITLE = "Đơn vị"
NUMBER_TITLES = ("Lúc", "Số liệu", "Tỷ lệ", "+/-")
EXTRA_TITLE = "Liên hệ / ghi chú"
# Number columns are shown whole or left out, never cut. When even the name has no
# room they go in this order (+/-, Lúc, Tỷ lệ); the figure itself always stays.
NUMBER_DROP_ORDER = (3, 0, 2)
NAME_MIN = 14  # below this, a number column makes room for the name
WHEEL_LINES = 3  # lines a turn of the mouse wheel moves the view, and the highlight with it
EXTRA_MIN = 8  # a contact or note column narrower than this is left out


@dataclass(frozen=True, slots=True)
class ColumnNeeds:
    """The widest cell of each column in the data, in terminal cells."""

    name: int
    numbers: tuple[int, ...]  # one per NUMBER_TITLES


@dataclass(frozen=True, slots=True)
class ColumnLayout:
    """Column widths for one terminal width; a number column of None is left out,
    and so is the contact/note column when `extra` is 0."""

    name: int
    numbers: tuple[int | None, ...]
    extra: int


@lru_cache(maxsize=64)
def column_layout(width: int, needs: ColumnNeeds) -> ColumnLayout:
    """The columns for `width` cells (the width really left, scrollbar excluded).

    Status and numbers get their whole width. The contact/note column is narrowed,
    then left out, before the name is cut; a number column is left out (never cut)
    only when the name would get less than NAME_MIN. The name gets what it needs
    and no more: the rest goes to the contact/note column, the one that is cut.
    """
    numbers: list[int | None] = [
        max(cell_len(title), need) for title, need in zip(NUMBER_TITLES, needs.numbers, strict=True)
    ]

    def room() -> int:  # for the name and the contact/note column together
        shown = sum(w + 1 for w in numbers if w is not None)
        return width - (STATUS_WIDTH + 1) - 1 - shown

    for index in NUMBER_DROP_ORDER:
        if room() >= min(NAME_MIN, needs.name):
            break
        numbers[index] = None
    left = room()
    if left >= needs.name + EXTRA_MIN:
        return ColumnLayout(needs.name, tuple(numbers), left - needs.name)
    return ColumnLayout(max(0, min(needs.name, left)), tuple(numbers), 0)


def column_needs(rows: Iterable[UnitRow]) -> ColumnNeeds:
    """What each column needs for these rows: the widest name and formatted numbers.

    Only the extremes are formatted and each label is measured once, so 10,000 rows
    cost one pass of comparisons (the board runs it in its worker thread).
    """
    name = 0
    headlines: list[int] = []
    rates: list[Decimal] = []
    changes: list[int] = []
    seconds = False  # a report time with seconds is shown with them (15:00:40 is late)
    for row in rows:
        submission = row.status.submission
        if submission is not None and submission.reported_at.second:
            seconds = True
        width = label_width(row.unit.short_label) + (1 if row.carried_from else 0)
        if width > name:
            name = width
        if row.headline is not None:
            headlines.append(row.headline)
        if row.rate is not None:
            rates.append(row.rate)
        change = row.change
        if change is not None:
            changes.append(change)
    return ColumnNeeds(
        name=max(name, cell_len(NAME_TITLE)),
        numbers=(
            cell_len("00:00:00" if seconds else "00:00"),  # Lúc: the time as fmt_time writes it
            _widest(headlines, fmt_int),
            _widest(rates, fmt_percent),
            _widest(changes, fmt_signed),
        ),
    )


Number = TypeVar("Number", int, Decimal)


@lru_cache(maxsize=65536)
def label_width(label: str) -> int:
    """Cells of a unit's label as drawn: measured once per label, not once per poll."""
    return cell_len(printable(label))


def _widest(values: list[Number], fmt: Callable[[Number], str]) -> int:
    """Cells of the widest formatted value: the longest is one of the extremes."""
    if not values:
        return 0
    return max(cell_len(fmt(min(values))), cell_len(fmt(max(values))))


def heading_text(name: str, deadline: str, count: str, width: int) -> str:
    """ "── Xã, thị trấn (hạn 15:00) — 10 đơn vị" in exactly `width` cells.

    The group's name is cut (with "…") before anything else; then the deadline and
    the name go whole; the count is never cut unless nothing else is left.
    """
    tail = (f" ({deadline})" if deadline else "") + f" — {count}"
    full = f"── {name}{tail}"
    if cell_len(full) <= width:
        return fit(full, width)
    room = width - cell_len("── ") - cell_len(tail)
    if room >= 4:
        return fit(f"── {fit(name, room)}{tail}", width)
    return fit(f"── {count}", width)


@dataclass(frozen=True, slots=True)
class Line:
    """One line of the table: a group heading (row is None) or a unit."""

    heading: tuple[str, str, str] = ("", "", "")  # the group's name, deadline, unit count
    row: UnitRow | None = None


# The search's heading over its matches: what was searched, the keys, how many.
MATCH_KEYS = "↑↓ Tab chọn, Enter mở"


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
    COMPONENT_CLASSES = set(STATE_COMPONENTS.values())

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

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.lines: list[Line] = []
        self.only_unfinished = False
        self.by_rate = False
        self._consolidation: Consolidation | None = None
        self._groups: tuple[Group, ...] = ()
        self.needs = ColumnNeeds(cell_len(NAME_TITLE), (5, 0, 0, 0))
        # a search under way: what was typed, and the units it found, best first
        self.search_query: str | None = None
        self.matches: list[str] = []
        self._pressed: str | None = None  # the unit whose row a mouse button went down on

    # ------------------------------------------------------------------ data

    def show(
        self, consolidation: Consolidation, needs: ColumnNeeds, groups: Iterable[Group] = ()
    ) -> None:
        """Replace the data, keeping the cursor on the same unit.

        `needs` is column_needs() of every row, filtered or not, so that the columns
        stay put when filtering; the board measures it in its worker thread. `groups`:
        the registry's groups, in the order of `groups:` in units.yaml, the table's order.
        """
        current = self.current_unit_id
        self._consolidation = consolidation
        self._groups = tuple(groups)
        self.needs = needs
        if self.search_query is not None:
            self.matches = self._ranked(self.search_query)
        self._rebuild(current)

    def clear(self) -> None:
        """No data: the day could not be read."""
        self._consolidation = None
        self._rebuild(None)

    def set_view(self, only_unfinished: bool | None = None, by_rate: bool | None = None) -> None:
        if only_unfinished is not None:
            self.only_unfinished = only_unfinished
        if by_rate is not None:
            self.by_rate = by_rate
        self._rebuild(self.current_unit_id)

    def _group_order(self, consolidation: Consolidation) -> list[Group]:
        """The groups in the registry's order (`groups:` in units.yaml), not the units'."""
        order = [g for g in self._groups if consolidation.by_group.get(g.id)]
        for row in consolidation.rows:  # a group the registry did not give (not expected)
            if row.unit.group not in order:
                order.append(row.unit.group)
        return order

    def _lines(self, consolidation: Consolidation) -> list[Line]:
        if self.search_query is not None:
            return self._match_lines(consolidation, self.search_query)
        lines: list[Line] = []
        for group in self._group_order(consolidation):
            rows = consolidation.rows_in(group)
            if self.only_unfinished:
                rows = [r for r in rows if r.status.state in TO_CHASE]
            if not rows:
                continue
            if self.by_rate:
                rows = sorted(rows, key=lambda r: (r.rate is None, -(r.rate or 0)))
            deadline = f"hạn {group.deadline:%H:%M}" if group.deadline else "không có hạn"
            count = f"{fmt_int(len(rows))} đơn vị"
            lines.append(Line(heading=(printable(group.name), deadline, count)))
            lines.extend(Line(row=row) for row in rows)
        return lines

    def _match_lines(self, consolidation: Consolidation, query: str) -> list[Line]:
        """The search's matches, best first, under a heading that says what was searched."""
        rows = {row.unit.id: row for row in consolidation.rows}
        found = [rows[unit_id] for unit_id in self.matches if unit_id in rows]
        what = f"Tìm «{printable(query.strip())}»"
        if not found:
            return [Line(heading=(what, "không có đơn vị nào khớp", "0 đơn vị"))]
        keys = MATCH_KEYS if len(found) > 1 else "Enter mở"
        heading = Line(heading=(what, keys, f"{fmt_int(len(found))} đơn vị"))
        return [heading, *(Line(row=row) for row in found)]

    def _rebuild(self, keep_unit: str | None) -> None:
        consolidation = self._consolidation
        lines = self._lines(consolidation) if consolidation is not None else []
        self.lines = lines
        # no horizontal scrolling: the columns are laid out in the width there is
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
        """The unit that best matches `query` (search_rank), or None."""
        found = self._ranked(query)
        return found[0] if found else None

    def _ranked(self, query: str) -> list[str]:
        """Every unit whose name, short name or id matches `query`, ignoring case and
        diacritics: the best match first (an exact name, then the end of a name, …), and
        among equals in the table's order (group by group, as units.yaml lists them)."""
        consolidation = self._consolidation
        if consolidation is None or not query.strip():
            return []
        ranked = []
        order = 0
        for group in self._group_order(consolidation):
            for row in consolidation.rows_in(group):
                unit = row.unit
                rank = search_rank(query, unit.name, unit.short_label, unit.id)
                if rank is not None:
                    ranked.append((rank, order, unit.id))
                order += 1
        return [unit_id for _rank, _order, unit_id in sorted(ranked)]

    def start_search(self, query: str) -> None:
        """Show only the units matching `query`, best first, the best highlighted;
        an empty query shows the whole table again (the search box is still open)."""
        if not query.strip():
            self.end_search()
            return
        self.search_query = query
        self.matches = self._ranked(query)
        self._rebuild(self.matches[0] if self.matches else None)

    def end_search(self) -> None:
        """Back to the whole table, the cursor on the unit highlighted in the search."""
        if self.search_query is None:
            return
        keep = self.current_unit_id
        self.search_query = None
        self.matches = []
        self._rebuild(keep)

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
        self._scroll_to_cursor(new)
        self.post_message(self.Highlighted(self, self.current_row))
        self.refresh()

    def _scroll_to_cursor(self, new: int) -> None:
        """Keep the cursor's row on screen, below the fixed column header."""
        top = round(self.scroll_offset.y)
        visible = max(1, self.size.height - 1)
        if new <= 1:
            self.scroll_to(y=0, animate=False, immediate=True)
        elif new < top:
            self.scroll_to(y=new, animate=False, immediate=True)
        elif new >= top + visible:
            self.scroll_to(y=new - visible + 1, animate=False, immediate=True)

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

    # ------------------------------------------------------------------ mouse

    def _visible_lines(self) -> range:
        """The indices in `lines` drawn on screen (below the column header)."""
        top = round(self.scroll_offset.y)
        return range(top, top + max(1, self.size.height - 1))

    def unit_line_at(self, y: int) -> int | None:
        """The index in `lines` of the unit row drawn at `y` (the widget's own lines), or
        None on the header, a group's heading or below the last row."""
        if y < 1:
            return None
        index = y - 1 + round(self.scroll_offset.y)
        if 0 <= index < len(self.lines) and self.lines[index].row is not None:
            return index
        return None

    def on_mouse_down(self, event: events.MouseDown) -> None:
        """A click on a row highlights it: Enter then opens that row, not another."""
        index = self.unit_line_at(event.y)
        row = self.lines[index].row if index is not None else None
        self._pressed = row.unit.id if row is not None else None
        if index is not None:
            self.cursor = index

    def on_click(self, event: events.Click) -> None:
        """A double click opens the row it was made on."""
        if event.chain >= 2 and self._pressed is not None:
            if self.current_unit_id == self._pressed:
                self.post_message(self.Opened(self, self._pressed))

    def _on_mouse_scroll_down(self, event: events.MouseScrollDown) -> None:
        event.prevent_default()
        event.stop()
        self._wheel(WHEEL_LINES)

    def _on_mouse_scroll_up(self, event: events.MouseScrollUp) -> None:
        event.prevent_default()
        event.stop()
        self._wheel(-WHEEL_LINES)

    def _wheel(self, step: int) -> None:
        """The wheel moves the view and the highlight with it, so the highlighted row (the
        one Enter opens) stays where it was on screen; at either end, the highlight moves."""
        top, cursor = round(self.scroll_offset.y), self.cursor
        self.scroll_to(y=max(0, top + step), animate=False, immediate=True)
        moved = round(self.scroll_offset.y) - top
        self.cursor = self._nearest_unit(cursor + (moved or step), 1 if step > 0 else -1)

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        """However the view moved (the wheel, the scrollbar dragged), the highlighted row
        stays on screen: Enter never opens a row the clerk cannot see."""
        super().watch_scroll_y(old_value, new_value)
        visible = self._visible_lines()
        if not self.lines or self.cursor in visible:
            return
        if self.cursor < visible.start:
            inside = self._nearest_unit(visible.start, 1)
        else:
            inside = self._nearest_unit(min(visible.stop, len(self.lines)) - 1, -1)
        if inside in visible and inside != self.cursor:
            self.cursor = inside

    # ------------------------------------------------------------------ render

    @property
    def content_width(self) -> int:
        """The width the rows are drawn in: the widget's, less the scrollbar's."""
        return self.scrollable_content_region.width

    def on_resize(self) -> None:
        self._scroll_to_cursor(self.cursor)

    def render_line(self, y: int) -> Strip:
        scroll_y = self.scroll_offset.y
        width = self.content_width
        if y == 0:
            return self._header_strip(width)
        index = y - 1 + scroll_y
        if index >= len(self.lines):
            return Strip.blank(width, PLAIN)
        line = self.lines[index]
        if line.row is None:
            return Strip([Segment(heading_text(*line.heading, width), GROUP_STYLE)])
        strip = self._row_strip(line.row, width)
        if index == self.cursor and (self.has_focus or self.search_query is not None):
            strip = strip.apply_style(CURSOR_STYLE)
        elif index == self.cursor:
            strip = strip.apply_style(Style(underline=True))
        return strip

    def _header_strip(self, width: int) -> Strip:
        layout = column_layout(width, self.needs)
        segments = [
            Segment(fit(STATUS_TITLE, STATUS_WIDTH) + " ", HEADER_STYLE),
            Segment(fit(NAME_TITLE, layout.name), HEADER_STYLE),
            Segment(" ", PLAIN),
        ]
        for index, (title, column) in enumerate(zip(NUMBER_TITLES, layout.numbers, strict=True)):
            if column is None:
                continue
            cell = title.ljust(column) if index == 0 else title.rjust(column)
            segments += [Segment(cell, HEADER_STYLE), Segment(" ", PLAIN)]
        if layout.extra:
            segments.append(Segment(fit(EXTRA_TITLE, layout.extra), HEADER_STYLE))
        return Strip(segments).adjust_cell_length(width, PLAIN)

    def _row_strip(self, row: UnitRow, width: int) -> Strip:
        layout = column_layout(width, self.needs)
        status = row.status
        state = status.state
        submission = status.submission
        unit = row.unit
        state_style = self.get_component_rich_style(STATE_COMPONENTS[state], partial=True)
        state_cell = Segment(fit(f"{state.symbol} {state.label}", STATUS_WIDTH) + " ", state_style)
        # the carried-forward mark must survive a cut name
        label = printable(unit.short_label)
        if row.carried_from:
            name = fit_middle(label, layout.name - 1).rstrip() + "*" if layout.name else ""
            name = fit(name, layout.name)
        else:
            name = fit_middle(label, layout.name)
        segments = [state_cell, Segment(name + " ", PLAIN)]
        aside = status.aside
        if aside.kind == "error":  # no figures to show: the message gets the room
            used = STATUS_WIDTH + 1 + layout.name + 1
            text = CONFLICT_HINT if state is State.CONFLICT else aside.text
            segments.append(Segment(fit(printable(text), width - used), state_style))
            return Strip(segments).adjust_cell_length(width, PLAIN)
        numbers = (
            fmt_time(submission.reported_at) if submission else "",
            fmt_int(row.headline) if row.headline is not None else "",
            fmt_percent(row.rate) if row.rate is not None else "",
            fmt_signed(row.change) if row.change is not None else "",
        )
        for index, (text, column) in enumerate(zip(numbers, layout.numbers, strict=True)):
            if column is None:
                continue
            # the layout made the column as wide as its widest value: nothing is cut
            cell = text.ljust(column) if index == 0 else text.rjust(column)
            segments.append(Segment(cell + " ", PLAIN))
        if layout.extra:
            text = printable(aside.text)
            if aside.kind == "note" and text:
                text = fit(text, layout.extra)
            elif cell_len(text) > layout.extra:  # who to call: whole or not at all
                text = ""
            segments.append(Segment(text, EXTRA_STYLE))
        return Strip(segments).adjust_cell_length(width, PLAIN)
