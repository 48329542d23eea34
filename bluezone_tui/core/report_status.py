"""The day's status as plain text for the terminal (`bluezone status`)."""

from __future__ import annotations

from tabulate import tabulate

from .consolidate import Consolidation, UnitRow
from .registry import Registry
from .status import State, consolidation_deadline
from .vn import fmt_date_long, fmt_int, fmt_percent, fmt_signed, fmt_time


def summary_lines(consolidation: Consolidation, registry: Registry) -> list[str]:
    """The two sentences the board's header and the status command share."""
    status = consolidation.status
    return [
        f"Đã báo cáo {status.reported}/{status.expected} "
        f"(đầy đủ {fmt_percent(status.completeness)}) · đúng hạn {status.count(State.ON_TIME)} "
        f"(kịp thời {fmt_percent(status.timeliness)}) · trễ hạn {status.count(State.LATE)} · "
        f"chưa báo cáo {status.count(State.MISSING)} · chưa đến hạn "
        f"{status.count(State.NOT_YET_DUE)}"
        + (f" · lỗi tệp {status.count(State.FILE_ERROR)}" if status.file_errors else ""),
        f"Toàn huyện: {fmt_int(consolidation.installs)} / {fmt_int(consolidation.population)} "
        f"người — {fmt_percent(consolidation.rate)}"
        + (
            f" ({fmt_signed(consolidation.change)} so với lần trước)"
            if consolidation.change is not None
            else ""
        ),
    ]


def main_figure(row: UnitRow) -> str:
    return fmt_int(row.headline) if row.headline is not None else "–"


def render_status(consolidation: Consolidation, registry: Registry) -> str:
    status = consolidation.status
    out = [
        f"{registry.district.name} — {fmt_date_long(status.day)} — lúc {fmt_time(status.now)} "
        f"(tổng hợp trước {fmt_time(consolidation_deadline(status.day, registry))})",
    ]
    out += summary_lines(consolidation, registry)
    for group in registry.groups:
        rows = consolidation.rows_in(group)
        if not rows:
            continue
        deadline = f"hạn {group.deadline:%H:%M}" if group.deadline else "không có hạn hằng ngày"
        out.append("")
        out.append(f"{group.name} ({deadline})")
        table = []
        for row in rows:
            unit_status = row.status
            submission = unit_status.submission
            contact = ""
            if unit_status.state in (State.MISSING, State.NOT_YET_DUE, State.NO_REPORT):
                contact = " ".join(
                    part for part in (row.unit.contact.person, row.unit.contact.phone) if part
                )
            if unit_status.state is State.FILE_ERROR:
                contact = unit_status.error_message
            table.append(
                [
                    f"{unit_status.state.symbol} {unit_status.state.label}",
                    row.unit.id,
                    row.unit.name + (" (*)" if row.carried_from else ""),
                    fmt_time(submission.reported_at) if submission else "",
                    main_figure(row),
                    fmt_percent(row.rate) if row.rate is not None else "",
                    fmt_signed(row.change) if row.change is not None else "",
                    contact,
                ]
            )
        out.append(
            tabulate(
                table,
                headers=[
                    "Tình trạng",
                    "Mã",
                    "Đơn vị",
                    "Lúc",
                    group.form.headline.label[:24],
                    "Tỷ lệ",
                    "+/-",
                    "Liên hệ / lỗi",
                ],
                tablefmt="simple",
                disable_numparse=True,
                colalign=("left", "left", "left", "left", "right", "right", "right", "left"),
            )
        )
    if consolidation.carried:
        out.append("")
        out.append("(*) chưa báo cáo hôm nay: tính theo số liệu gần nhất")
    return "\n".join(out) + "\n"
