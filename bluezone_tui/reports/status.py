"""The day's status as plain text for the terminal (`bluezone status`)."""

from __future__ import annotations

import textwrap

from bluezone_tui.base.safe_text import printable_lines
from bluezone_tui.base.vn import (
    fmt_date_long,
    fmt_date_short,
    fmt_int,
    fmt_percent,
    fmt_signed,
    fmt_time,
)
from bluezone_tui.day.consolidate import Consolidation, UnitRow
from bluezone_tui.day.deadlines import consolidation_deadline
from bluezone_tui.day.status import DayStatus, State, UnitStatus
from bluezone_tui.registry.model import Group, Registry
from bluezone_tui.reports.terminal_text import fit_line, table

NOTE_WIDTH = 30  # of a report's note in a group's table (the board cuts it to fit as well)


def summary_lines(consolidation: Consolidation) -> list[str]:
    """The day in two sentences, for `bluezone status`."""
    status = consolidation.status
    return [
        f"Đã báo cáo {status.reported}/{status.expected} "
        f"(đầy đủ {fmt_percent(status.completeness)}) · đúng hạn {status.count(State.ON_TIME)} "
        f"(kịp thời {fmt_percent(status.timeliness)}) · trễ hạn {status.count(State.LATE)} · "
        f"chưa báo cáo {status.count(State.MISSING)} · chưa đến hạn "
        f"{status.count(State.NOT_YET_DUE)}"
        + (f" · lỗi tệp {status.count(State.FILE_ERROR)}" if status.count(State.FILE_ERROR) else "")
        + (f" · xung đột {status.count(State.CONFLICT)}" if status.count(State.CONFLICT) else ""),
        f"Toàn huyện: {fmt_int(consolidation.installs)} / {fmt_int(consolidation.population)} "
        f"người — {fmt_percent(consolidation.rate)}"
        + (
            f" ({fmt_signed(consolidation.change)} so với lần trước)"
            if consolidation.change is not None
            else ""
        ),
    ]


def short_summary_lines(consolidation: Consolidation) -> list[str]:
    """The same two lines in 80 columns: the board's header."""
    status = consolidation.status
    first = (
        f"Báo cáo {fmt_int(status.reported)}/{fmt_int(status.expected)}"
        f" ({fmt_percent(status.completeness)})"
        f" · đúng hạn {fmt_int(status.count(State.ON_TIME))}"
        f" · trễ {fmt_int(status.count(State.LATE))}"
        f" · thiếu {fmt_int(status.count(State.MISSING))}"
        f" · chờ {fmt_int(status.count(State.NOT_YET_DUE))}"
    )
    for state in (State.FILE_ERROR, State.CONFLICT):
        if status.count(state):
            first += f" · {state.label} {fmt_int(status.count(state))}"
    second = (
        f"Toàn huyện {fmt_int(consolidation.installs)} / {fmt_int(consolidation.population)}"
        f" người — {fmt_percent(consolidation.rate)}"
    )
    if consolidation.change is not None:
        second += f" ({fmt_signed(consolidation.change)})"
    return [first, second]


def deadline_words(group: Group) -> str:
    """ "hạn 15:00", or "không có hạn hằng ngày": beside a group's name in a table."""
    return f"hạn {fmt_time(group.deadline)}" if group.deadline else "không có hạn hằng ngày"


def main_figure(row: UnitRow) -> str:
    return fmt_int(row.headline) if row.headline is not None else "–"


def seen_at(status: DayStatus) -> str:
    """When the day is seen: "lúc 14:50" on the day itself; on another day a bare clock
    time would read as that day's, so "cuối ngày" (a past day, like the text report's
    "Đến 16 giờ 30 phút") or the full moment (a day still to come)."""
    now = status.now
    assert now is not None  # a status shown is seen at a moment (only `check` has none)
    if now.date() == status.day:
        return f"lúc {fmt_time(now)}"
    if now.date() > status.day:
        return "cuối ngày"
    return f"xem lúc {fmt_time(now)} ngày {fmt_date_short(now.date())}"


def _aside(status: UnitStatus) -> str:
    """The board's text beside the state; a note cut to keep the table in a narrow window."""
    aside = status.aside
    if aside.kind == "note":
        return textwrap.shorten(aside.text, NOTE_WIDTH, placeholder="…")
    return aside.text


def render_status(
    consolidation: Consolidation, registry: Registry, width: int | None = None
) -> str:
    """The status as text; in `width` columns when given (a terminal), else as wide as it is."""
    status = consolidation.status
    title = (
        f"{registry.district.name} — {fmt_date_long(status.day)} — {seen_at(status)} "
        f"(tổng hợp trước {fmt_time(consolidation_deadline(status.day, registry))})"
    )
    out = fit_line(title, width)
    for line in summary_lines(consolidation):
        out += fit_line(line, width)
    for group in registry.groups:
        rows = consolidation.rows_in(group)
        if not rows:
            continue
        out.append("")
        out += fit_line(f"{group.name} ({deadline_words(group)})", width)
        rows_text = []
        for row in rows:
            unit_status = row.status
            submission = unit_status.submission
            rows_text.append(
                [
                    f"{unit_status.state.symbol} {unit_status.state.label}",
                    row.unit.id,
                    row.unit.short_label + ("*" if row.carried_from else ""),
                    fmt_time(submission.reported_at) if submission else "",
                    main_figure(row),
                    fmt_percent(row.rate) if row.rate is not None else "",
                    fmt_signed(row.change) if row.change is not None else "",
                    _aside(unit_status),
                ]
            )
        out.append(
            table(
                [
                    "Tình trạng",
                    "Mã",
                    "Đơn vị",
                    "Lúc",
                    group.form.headline.short_label,
                    "Tỷ lệ",
                    "+/-",
                    "Ghi chú",
                ],
                rows_text,
                ("left", "left", "left", "left", "right", "right", "right", "left"),
                width,
            )
        )
    if consolidation.carried:
        out.append("")
        out += fit_line(
            "* chưa báo cáo hôm nay: số liệu gần nhất (xã, thị trấn: vẫn tính vào tổng)", width
        )
    return printable_lines("\n".join(out)) + "\n"
