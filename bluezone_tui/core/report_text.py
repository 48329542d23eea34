"""The consolidated report in Vietnamese, in the administrative layout of Decree 30/2020.

Plain text for a monospace font: issuer and national motto side by side, the
number and the place-and-date line, the title, summary sentences, then tables
made with tabulate. Numbers in Vietnamese format (6.090; 5,05%).
"""

from __future__ import annotations

import textwrap

from tabulate import tabulate

from .consolidate import Consolidation, UnitRow, rate_definition
from .registry import Group, Registry
from .safe_text import printable, printable_lines
from .state import TO_CHASE
from .status import DayStatus, State, UnitStatus
from .vn import (
    fmt_date_long,
    fmt_date_short,
    fmt_duration,
    fmt_int,
    fmt_percent,
    fmt_signed,
    fmt_signed_points,
    fmt_time,
    fmt_time_words,
)

WIDTH = 78
HEADER_LEFT = 36  # the issuer's column: "ỦY BAN NHÂN DÂN HUYỆN HỒNG NGỰ" on one line
MOTTO = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc")


def _two_columns(
    left: tuple[str, ...],
    right: tuple[str, ...],
    left_width: int = 30,
    left_align: bool = False,
) -> list[str]:
    """Two blocks side by side, each line centred in its column; left_align=True keeps the
    left block's lines flush left (a list such as "Nơi nhận:", "- Như trên;")."""
    lines = []
    for index in range(max(len(left), len(right))):
        a = left[index] if index < len(left) else ""
        b = right[index] if index < len(right) else ""
        a = a.ljust(left_width) if left_align else a.center(left_width)
        lines.append(a + b.center(WIDTH - left_width).rstrip())
    return [line.rstrip() for line in lines]


def _table(headers: list[str], rows: list[list[object]], align: tuple[str, ...]) -> str:
    return tabulate(rows, headers=headers, tablefmt="simple", colalign=align, disable_numparse=True)


def _figure(row: UnitRow, field_id: str) -> str:
    value = row.figure(field_id)
    if isinstance(value, bool):
        return "có" if value else "không"
    if isinstance(value, int):
        return fmt_int(value)
    return "–" if value is None else str(value)


def render_text(consolidation: Consolidation, registry: Registry) -> str:
    status = consolidation.status
    day = consolidation.day
    district = registry.district
    settings = registry.report
    out: list[str] = []
    issuer = tuple(_wrap_to(settings.authority, HEADER_LEFT)) + tuple(
        _wrap_to(settings.issuer, HEADER_LEFT)
    )
    out += _two_columns(issuer, MOTTO, left_width=HEADER_LEFT)
    out += _two_columns(("―――――",), ("―――――――――――――――",), left_width=HEADER_LEFT)
    out.append("")
    out += _two_columns(
        (settings.number,), (f"{settings.place}, {fmt_date_long(day)}",), left_width=HEADER_LEFT
    )
    out.append("")
    out.append("BÁO CÁO".center(WIDTH).rstrip())
    subject = [
        "Kết quả cài đặt, sử dụng ứng dụng Bluezone",
        f"trên địa bàn {_lower_first(district.name) or 'huyện'}"
        + (f", tỉnh {district.province}" if district.province else ""),
        f"({fmt_date_long(day)})",
    ]
    out += [line.center(WIDTH).rstrip() for line in subject]
    out.append("")
    if settings.recipients:
        out += _wrap("Kính gửi: " + "; ".join(settings.recipients) + ".")
        out.append("")

    # I. Reporting
    expected = status.expected
    out.append("I. TÌNH HÌNH BÁO CÁO CỦA CÁC ĐƠN VỊ")
    deadlines = sorted({g.deadline for g in registry.groups if g.deadline is not None})
    deadline_words = ", ".join(fmt_time_words((d.hour, d.minute)) for d in deadlines)
    out += _wrap(
        f"{as_of_words(status)}, có "
        f"{status.reported}/{expected} đơn vị phải báo cáo (hạn trước {deadline_words}) đã báo "
        f"cáo, đạt {fmt_percent(status.completeness)} (đầy đủ); đúng hạn "
        f"{status.count(State.ON_TIME)}/{expected}, đạt {fmt_percent(status.timeliness)} "
        f"(kịp thời); trễ hạn {status.count(State.LATE)}; chưa báo cáo "
        f"{status.count(State.MISSING)}"
        + (
            f"; chưa đến hạn {status.count(State.NOT_YET_DUE)}"
            if status.count(State.NOT_YET_DUE)
            else ""
        )
        + (f"; tệp lỗi {status.count(State.FILE_ERROR)}" if status.file_errors else "")
        + "."
    )
    out.append("")

    # II. Results
    out.append("II. KẾT QUẢ CÀI ĐẶT ỨNG DỤNG BLUEZONE")
    sentence = (
        f"Tính đến {fmt_date_long(day)}, toàn {_district_word(district.name)} có "
        f"{fmt_int(consolidation.installs)} người cài đặt ứng dụng Bluezone trên tổng số "
        f"{fmt_int(consolidation.population)} người, đạt tỷ lệ "
        f"{fmt_percent(consolidation.rate)}"
    )
    if consolidation.change is not None:
        sentence += (
            f"; so với lần báo cáo trước {_more_less(consolidation.change)} "
            f"({fmt_signed_points(consolidation.rate_change)} điểm phần trăm)"
        )
    out += _wrap(sentence + ".")
    if consolidation.carried:
        carried = ", ".join(
            f"{row.unit.name} (số liệu ngày {fmt_date_short(row.carried_from)})"
            for row in consolidation.carried
            if row.carried_from
        )
        out += _wrap(f"(*) Chưa có báo cáo trong ngày, lấy số liệu gần nhất: {carried}.")
    if consolidation.without_figures:
        names = ", ".join(row.unit.name for row in consolidation.without_figures)
        out += _wrap(f"Chưa từng có số liệu (tính là 0): {names}.")
    out.append("")
    number = 0
    for group in registry.groups:
        rows = consolidation.rows_in(group)
        if not rows:
            continue
        number += 1
        out.append(f"{number}. {group.name}")
        out.append(_group_table(group, rows))
        if group.rate is not None:
            out += _wrap(f"({rate_definition(group.rate, group.form)})")
        out.append("")
        if group.counts_in_total:
            out += _commune_notes(consolidation, group)
        if group.rate is not None and group.rate.target is not None:
            below = [row for row in rows if row.meets_target is False]
            if below:
                out += _wrap(
                    f"Chưa đạt mục tiêu {group.rate.target}%: "
                    + "; ".join(_below_target_words(row) for row in below)
                    + "."
                )
                out.append("")

    out += _unit_notes(status)

    # III. Late and missing, and those not due yet: every unit still to chase
    out.append("III. ĐƠN VỊ TRỄ HẠN, CHƯA BÁO CÁO")
    chasing = [s for s in status.units if s.state in TO_CHASE]
    if chasing:
        out.append(
            _table(
                ["STT", "Đơn vị", "Tình trạng", "Người liên hệ", "Điện thoại"],
                [
                    [
                        str(i),
                        s.unit.name,
                        _state_words(s),
                        s.unit.contact.person,
                        s.unit.contact.phone,
                    ]
                    for i, s in enumerate(chasing, 1)
                ],
                ("right", "left", "left", "left", "left"),
            )
        )
    elif expected:
        out += _wrap(
            f"Tất cả {expected} đơn vị phải báo cáo (hạn trước {deadline_words}) đều đã báo cáo "
            f"đúng hạn."
        )
    else:
        out.append("Không có đơn vị nào phải báo cáo hằng ngày.")
    out.append("")
    if status.file_errors or status.stray:
        out.append("Tệp số liệu bị lỗi (cần sửa):")
        for unit_status in status.file_errors:
            out += _wrap(f"- {unit_status.unit.name}: {unit_status.error_message}")
        for problem in status.stray:
            if problem.is_error:
                out += _wrap(f"- {problem}")
        out.append("")

    # Closing: "Nơi nhận:" on the left, the signer on the right with room to sign
    copies = ["- Như trên;"] if settings.recipients else []
    copies += [f"- {line.rstrip(';.')};" for line in settings.copies]
    if copies:
        copies[-1] = copies[-1][:-1] + "."
    signer = settings.signer_title + ("", "", "", settings.signer_name)
    out += _two_columns(("Nơi nhận:", *copies), signer, left_width=30, left_align=True)
    return printable_lines("\n".join(out)).rstrip() + "\n"


def as_of_words(status: DayStatus) -> str:
    """The moment the report's counts hold for, as its first sentence says it.

    On the day itself: the moment of export, or the latest report counted if later
    (a unit's clock a little ahead, see status.arrived), so no counted report is timed
    after the moment stated. A past day counts every report of the day; for a day
    still to come, the moment of viewing is given with its date.
    """
    day, now = status.day, status.now
    if now.date() > day:
        return f"Đến hết {fmt_date_long(day)}"
    if now.date() < day:
        return f"Đến {fmt_time_words((now.hour, now.minute))} {fmt_date_long(now.date())}"
    counted = [s.submission.reported_at for s in status.units if s.submission is not None]
    moment = max([now, *counted])
    return f"Đến {fmt_time_words((moment.hour, moment.minute))} {fmt_date_long(day)}"


def _below_target_words(row: UnitRow) -> str:
    words = f"{row.unit.name} ({fmt_percent(row.rate)}"
    if row.carried_from:
        words += f", số liệu ngày {fmt_date_short(row.carried_from)}"
    return words + ")"


def _unit_notes(status: DayStatus) -> list[str]:
    """The notes units sent with the day's reports ("Tên đơn vị: ghi chú"), if any."""
    lines = []
    for unit_status in status.units:
        submission = unit_status.submission
        if submission is None:  # no report today (or one timed after now): nothing to say
            continue
        # one line (a note may hold line breaks), anything worse shown escaped
        note = printable(" ".join(submission.note.split()))
        if note:
            lines += textwrap.wrap(
                f"- {unit_status.unit.name}: {note}",
                WIDTH,
                subsequent_indent="  ",
                break_long_words=False,
                break_on_hyphens=False,
            )
    if not lines:
        return []
    return ["Ghi chú của đơn vị:", *lines, ""]


def _lower_first(name: str) -> str:
    """ "Huyện Hồng Ngự" -> "huyện Hồng Ngự" for use inside a sentence."""
    return name[:1].lower() + name[1:]


def _wrap_to(text: str, width: int) -> list[str]:
    return textwrap.wrap(text, width, break_long_words=False, break_on_hyphens=False)


def _wrap(text: str) -> list[str]:
    return textwrap.wrap(text, WIDTH, break_long_words=False, break_on_hyphens=False) or [""]


def _district_word(name: str) -> str:
    lowered = name.lower()
    return "huyện" if lowered.startswith("huyện") or not lowered else lowered.split()[0]


def _more_less(change: int) -> str:
    if change > 0:
        return f"tăng {fmt_int(change)} người"
    if change < 0:
        return f"giảm {fmt_int(-change)} người"
    return "không đổi"


def _state_words(status: UnitStatus) -> str:
    if status.state is State.LATE and status.submission is not None:
        return (
            f"trễ {fmt_duration(status.late_minutes)} "
            f"(báo lúc {fmt_time(status.submission.reported_at)})"
        )
    if status.state is State.NOT_YET_DUE and status.deadline is not None:
        return f"chưa báo cáo (hạn {fmt_time(status.deadline)})"
    return status.state.label


def _group_table(group: Group, rows: list[UnitRow]) -> str:
    form = group.form
    headers = ["STT", "Đơn vị"]
    align = ["right", "left"]
    numeric = [f for f in form.fields if f.type == "int"]
    if group.counts_in_total:
        headers += ["Dân số", form.headline.short_label]
        align += ["right", "right"]
    else:
        for form_field in numeric:
            headers.append(form_field.short_label)
            align.append("right")
    if group.rate is not None:
        headers.append(group.rate.label)
        align.append("right")
    if group.counts_in_total:
        headers += ["Tăng/giảm", "Hạng"]
        align += ["right", "right"]
    headers.append("Báo cáo")
    align.append("left")
    table_rows = []
    for index, row in enumerate(rows, 1):
        name = row.unit.name + (" (*)" if row.carried_from else "")
        cells: list[object] = [str(index), name]
        if group.counts_in_total:
            cells += [fmt_int(row.unit.attributes.get("population")), fmt_int(row.headline)]
        else:
            cells += [_figure(row, f.id) for f in numeric]
        if group.rate is not None:
            cells.append(fmt_percent(row.rate))
        if group.counts_in_total:
            cells += [fmt_signed(row.change), str(row.rank) if row.rank else "–"]
        cells.append(_reported_cell(row.status))
        table_rows.append(cells)
    return _table(headers, table_rows, tuple(align))


def _reported_cell(status: UnitStatus) -> str:
    if status.submission is not None:
        return f"{fmt_time(status.submission.reported_at)} {status.state.label}"
    return status.state.label


def _commune_notes(consolidation: Consolidation, group: Group) -> list[str]:
    lines = []
    in_group = {row.unit.id for row in consolidation.rows_in(group)}
    gaps = [(u, n, t) for u, n, t in consolidation.hamlets_without_team if u.id in in_group]
    if gaps:
        lines.append(
            "Khóm, ấp chưa có Đoàn hướng dẫn: "
            + "; ".join(f"{unit.name}: {n}/{total}" for unit, n, total in gaps)
            + "."
        )
    no_desk = [u for u in consolidation.without_desk_officer if u.id in in_group]
    if no_desk:
        lines.append(
            "Chưa bố trí công chức hướng dẫn tại Bộ phận tiếp nhận và trả kết quả: "
            + ", ".join(unit.name for unit in no_desk)
            + "."
        )
    wrapped = [part for line in lines for part in _wrap(line)]
    if wrapped:
        wrapped.append("")
    return wrapped
