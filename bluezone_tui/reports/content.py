"""What the consolidated report says, apart from how it is laid out.

One builder turns a Consolidation into headings, sentences and tables; each
renderer (plain text, Word) only lays them out, so the report the office prints
and the one it pastes into a message can never say different things.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass

from bluezone_tui.base.safe_text import printable
from bluezone_tui.base.vn import (
    fmt_date_long,
    fmt_date_short,
    fmt_int,
    fmt_percent,
    fmt_signed,
    fmt_signed_points,
    fmt_time,
    fmt_time_words,
)
from bluezone_tui.day.consolidate import Consolidation, UnitRow, rate_definition
from bluezone_tui.day.state import TO_CHASE
from bluezone_tui.day.status import DayStatus, State, UnitStatus
from bluezone_tui.registry.model import Group, Registry

MOTTO = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc")
TITLE = "BÁO CÁO"
# A conflicted unit in a report that goes out: what happened, not how to run git.
CONFLICT_WORDS = "hai nơi đã nhập số liệu khác nhau, đang chờ giải quyết"


@dataclass(frozen=True, slots=True)
class Paragraph:
    text: str


@dataclass(frozen=True, slots=True)
class Heading:
    """A numbered heading inside a section ("1. Xã, thị trấn")."""

    text: str


@dataclass(frozen=True, slots=True)
class ItemList:
    """A title line and its "- item" lines (notes from units, broken files)."""

    title: str
    items: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Table:
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    numeric: tuple[bool, ...]  # per column: figures, right-aligned
    key_columns: int = 2  # STT and the unit's name: repeated if the table must be split
    footnote: str = ""  # right under the table: how its rate is computed
    unbroken: tuple[bool, ...] = ()  # per column, besides figures: never broken (a phone)

    def whole(self, column: int) -> bool:
        """Whether a cell of `column` stays on one line: a figure, a phone number."""
        return self.numeric[column] or (column < len(self.unbroken) and self.unbroken[column])


Block = Paragraph | Heading | ItemList | Table


@dataclass(frozen=True, slots=True)
class Section:
    title: str
    blocks: tuple[Block, ...]


@dataclass(frozen=True, slots=True)
class ReportContent:
    authority: str  # the body above the issuer (first line of the header)
    issuer: str  # the Office that reports (bold, below it)
    number: str
    place_and_date: str
    subject: tuple[str, ...]
    recipients: tuple[str, ...]  # "Kính gửi:"
    sections: tuple[Section, ...]
    copies_to: tuple[str, ...]  # the lines under "Nơi nhận:", each ending in ";" or "."
    signer_title: tuple[str, ...]
    signer_name: str
    motto: tuple[str, str] = MOTTO
    title: str = TITLE


def build_content(consolidation: Consolidation, registry: Registry) -> ReportContent:
    status = consolidation.status
    day = consolidation.day
    district = registry.district
    settings = registry.report
    subject = (
        "Kết quả cài đặt, sử dụng ứng dụng Bluezone",
        f"trên địa bàn {_lower_first(district.name) or 'huyện'}"
        + (f", tỉnh {district.province}" if district.province else ""),
        f"({fmt_date_long(day)})",
    )
    copies = ["Như trên;"] if settings.recipients else []  # those named in "Kính gửi:"
    copies += [f"{line.rstrip(';.')};" for line in settings.copies]
    if copies:
        copies[-1] = copies[-1][:-1] + "."
    return ReportContent(
        authority=settings.authority,
        issuer=settings.issuer,
        number=settings.number,
        place_and_date=f"{settings.place}, {fmt_date_long(day)}",
        subject=subject,
        recipients=settings.recipients,
        sections=(
            _reporting_section(consolidation, registry),
            _results_section(consolidation, registry),
            _chasing_section(status, registry),
        ),
        copies_to=tuple(copies),
        signer_title=settings.signer_title,
        signer_name=settings.signer_name,
    )


def _reporting_section(consolidation: Consolidation, registry: Registry) -> Section:
    status = consolidation.status
    expected = status.expected
    sentence = (
        f"{as_of_words(status)}, có {status.reported}/{expected} đơn vị phải báo cáo "
        f"(hạn trước {_deadline_words(registry)}) đã báo cáo, đạt {fmt_percent(status.completeness)} (đầy đủ); đúng hạn "
        f"{status.count(State.ON_TIME)}/{expected}, đạt {fmt_percent(status.timeliness)} "
        f"(kịp thời); trễ hạn {status.count(State.LATE)}; chưa báo cáo "
        f"{status.count(State.MISSING)}"
        + (
            f"; chưa đến hạn {status.count(State.NOT_YET_DUE)}"
            if status.count(State.NOT_YET_DUE)
            else ""
        )
        + (f"; tệp lỗi {status.count(State.FILE_ERROR)}" if status.count(State.FILE_ERROR) else "")
        + (f"; xung đột {status.count(State.CONFLICT)}" if status.count(State.CONFLICT) else "")
        + "."
    )
    return Section("I. TÌNH HÌNH BÁO CÁO CỦA CÁC ĐƠN VỊ", (Paragraph(sentence),))


def _results_section(consolidation: Consolidation, registry: Registry) -> Section:
    district = registry.district
    day = consolidation.day
    blocks: list[Block] = []
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
    blocks.append(Paragraph(sentence + "."))
    if consolidation.carried:
        carried = ", ".join(
            f"{row.unit.name} (số liệu ngày {fmt_date_short(row.carried_from)})"
            for row in consolidation.carried
            if row.carried_from
        )
        blocks.append(
            Paragraph(f"(*) Chưa có báo cáo trong ngày, lấy số liệu gần nhất: {carried}.")
        )
    if consolidation.without_figures:
        names = ", ".join(row.unit.name for row in consolidation.without_figures)
        blocks.append(Paragraph(f"Chưa từng có số liệu (tính là 0): {names}."))
    number = 0
    for group in registry.groups:
        rows = consolidation.rows_in(group)
        if not rows:
            continue
        number += 1
        blocks.append(Heading(f"{number}. {group.name}"))
        blocks.append(_group_table(group, rows))
        if group.counts_in_total:
            blocks += _commune_notes(consolidation, group)
        if group.rate is not None and group.rate.target is not None:
            below = [row for row in rows if row.meets_target is False]
            if below:
                blocks.append(
                    Paragraph(
                        f"Chưa đạt mục tiêu {group.rate.target}%: "
                        + "; ".join(_below_target_words(row) for row in below)
                        + "."
                    )
                )
    notes = _unit_notes(consolidation.status)
    if notes is not None:
        blocks.append(notes)
    return Section("II. KẾT QUẢ CÀI ĐẶT ỨNG DỤNG BLUEZONE", tuple(blocks))


def _chasing_section(status: DayStatus, registry: Registry) -> Section:
    """III. Late and missing, and those not due yet: every unit still to chase."""
    blocks: list[Block] = []
    chasing = [s for s in status.units if s.state in TO_CHASE]
    if chasing:
        blocks.append(
            Table(
                headers=("STT", "Đơn vị", "Tình trạng", "Người liên hệ", "Điện thoại"),
                rows=tuple(
                    (
                        str(i),
                        s.unit.name,
                        _state_words(s),
                        s.unit.contact.person,
                        s.unit.contact.phone,
                    )
                    for i, s in enumerate(chasing, 1)
                ),
                numeric=(True, False, False, False, False),
                unbroken=(False, False, False, False, True),
            )
        )
    elif status.expected:
        blocks.append(
            Paragraph(
                f"Tất cả {status.expected} đơn vị phải báo cáo (hạn trước "
                f"{_deadline_words(registry)}) đều đã báo cáo đúng hạn."
            )
        )
    else:
        blocks.append(Paragraph("Không có đơn vị nào phải báo cáo hằng ngày."))
    if status.file_errors or status.stray:
        items = [
            f"{s.unit.name}: " + (CONFLICT_WORDS if s.state is State.CONFLICT else s.error_message)
            for s in status.file_errors
        ]
        items += [str(problem) for problem in status.stray if problem.is_error]
        blocks.append(ItemList("Tệp số liệu bị lỗi (cần sửa):", tuple(items)))
    return Section(_chasing_title(chasing), tuple(blocks))


CHASING_TITLE = "III. ĐƠN VỊ TRỄ HẠN, CHƯA BÁO CÁO"


def _chasing_title(chasing: Sequence[UnitStatus]) -> str:
    """Section III's title, naming what it holds: before the deadline it lists units
    not yet due, and says so."""
    if any(s.state is State.NOT_YET_DUE for s in chasing):
        return f"{CHASING_TITLE}, CHƯA ĐẾN HẠN"
    return CHASING_TITLE


def _unit_notes(status: DayStatus) -> ItemList | None:
    """The notes units sent with the day's reports ("Tên đơn vị: ghi chú"), if any."""
    items = []
    for unit_status in status.units:
        submission = unit_status.submission
        if submission is None:  # no report today (or one timed after now): nothing to say
            continue
        # one line (a note may hold line breaks), anything worse shown escaped
        note = printable(" ".join(submission.note.split()))
        if note:
            items.append(f"{unit_status.unit.name}: {note}")
    if not items:
        return None
    return ItemList("Ghi chú của đơn vị:", tuple(items))


def as_of_words(status: DayStatus) -> str:
    """The moment the report's counts hold for, as its first sentence says it: the minute
    of export, as `bluezone status` and the board say it (a unit whose clock runs a little
    ahead is counted, as they count it, with its own time in the table). A past day counts
    every report of the day; for a day still to come, the moment of viewing is given with
    its date.
    """
    day, now = status.day, status.now
    assert now is not None  # a report counts the day at a moment (only `check` has none)
    if now.date() > day:
        return f"Đến hết {fmt_date_long(day)}"
    moment = f"Đến {fmt_time_words((now.hour, now.minute))}"
    return f"{moment} {fmt_date_long(now.date() if now.date() < day else day)}"


def _deadline_words(registry: Registry) -> str:
    deadlines = sorted({g.deadline for g in registry.groups if g.deadline is not None})
    return ", ".join(fmt_time_words((d.hour, d.minute)) for d in deadlines)


def _below_target_words(row: UnitRow) -> str:
    words = f"{row.unit.name} ({fmt_percent(row.rate)}"
    if row.carried_from:
        words += f", số liệu ngày {fmt_date_short(row.carried_from)}"
    return words + ")"


def _lower_first(name: str) -> str:
    """ "Huyện Hồng Ngự" -> "huyện Hồng Ngự" for use inside a sentence."""
    return name[:1].lower() + name[1:]


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
        return status.late_words
    if status.state is State.NOT_YET_DUE and status.deadline is not None:
        # the state's own words, as the sentence above counts it ("chưa đến hạn 4")
        return f"{status.state.label} (hạn {fmt_time(status.deadline)})"
    return status.state.label


def _figure(row: UnitRow, field_id: str) -> str:
    value = row.figure(field_id)
    if isinstance(value, bool):
        return "có" if value else "không"
    if isinstance(value, int):
        return fmt_int(value)
    return "–" if value is None else str(value)


def _group_table(group: Group, rows: list[UnitRow]) -> Table:
    form = group.form
    headers = ["STT", "Đơn vị"]
    numeric = [True, False]
    int_fields = [f for f in form.fields if f.type == "int"]
    if group.counts_in_total:
        headers += ["Dân số", form.headline.short_label]
        numeric += [True, True]
    else:
        headers += [f.short_label for f in int_fields]
        numeric += [True] * len(int_fields)
    if group.rate is not None:
        headers.append(group.rate.label)
        numeric.append(True)
    if group.counts_in_total:
        headers += ["Tăng/giảm", "Hạng"]
        numeric += [True, True]
    headers.append("Báo cáo")
    numeric.append(False)
    table_rows = []
    for index, row in enumerate(rows, 1):
        name = row.unit.name + (" (*)" if row.carried_from else "")
        cells = [str(index), name]
        if group.counts_in_total:
            cells += [fmt_int(row.unit.attributes.get("population")), fmt_int(row.headline)]
        else:
            cells += [_figure(row, f.id) for f in int_fields]
        if group.rate is not None:
            cells.append(fmt_percent(row.rate))
        if group.counts_in_total:
            cells += [fmt_signed(row.change), str(row.rank) if row.rank else "–"]
        cells.append(_reported_cell(row.status))
        table_rows.append(tuple(cells))
    return Table(
        headers=tuple(headers),
        rows=tuple(table_rows),
        numeric=tuple(numeric),
        footnote=f"({rate_definition(group.rate, form)})" if group.rate is not None else "",
    )


def _reported_cell(status: UnitStatus) -> str:
    if status.submission is not None:
        return f"{fmt_time(status.submission.reported_at)} {status.state.label}"
    return status.state.label


def _commune_notes(consolidation: Consolidation, group: Group) -> list[Block]:
    blocks: list[Block] = []
    in_group = {row.unit.id for row in consolidation.rows_in(group)}
    gaps = [gap for gap in consolidation.hamlets_without_team if gap.unit.id in in_group]
    if gaps:
        blocks.append(
            Paragraph(
                "Khóm, ấp chưa có Đoàn hướng dẫn: "
                + "; ".join(f"{gap.unit.name}: {gap.without_team}/{gap.hamlets}" for gap in gaps)
                + "."
            )
        )
    no_desk = [u for u in consolidation.without_desk_officer if u.id in in_group]
    if no_desk:
        blocks.append(
            Paragraph(
                "Chưa bố trí công chức hướng dẫn tại Bộ phận tiếp nhận và trả kết quả: "
                + ", ".join(unit.name for unit in no_desk)
                + "."
            )
        )
    return blocks


def content_digest(content: ReportContent) -> str:
    """What the report says, as one digest ("sha256:…"): the same sentences and tables give
    the same digest whatever the layout, so a signed PDF can be told to hold other figures."""
    text = json.dumps(asdict(content), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()
