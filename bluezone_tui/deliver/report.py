"""`bluezone send`: the day's signed report emailed to the recipients in units.yaml.

One message per recipient with addresses (a line of "Kính gửi:" or "Nơi nhận:" in
`report:`), each carrying the signed PDF and, where the recipient asks for it
(`attach: xlsx` for the province), the workbook or CSV of the same figures: the data
as of the report marked sent (the `bao-cao/…` tag), else as now. Each message goes
through the outbox (written before it is sent, marked after), so a second send of the
day's report to a recipient is seen, here or, after a sync, in another office, and
asked about before it goes.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, tzinfo
from email.message import EmailMessage
from pathlib import Path
from typing import TYPE_CHECKING

from bluezone_tui.base.problems import ConfigError, RefusedError
from bluezone_tui.base.safe_text import printable
from bluezone_tui.base.vn import fmt_date_long, fmt_date_short, fmt_decimal, fmt_int, fmt_time, slug
from bluezone_tui.deliver.mail import (
    Attachment,
    as_sent,
    attachment_from,
    compose,
    new_message_id,
    send,
)
from bluezone_tui.deliver.outbox import (
    FAILED,
    SENDING,
    SENT,
    STATE_WORDS,
    UNSURE,
    AttachmentNote,
    Delivery,
    Outbox,
    Outgoing,
    Receipt,
    Record,
)
from bluezone_tui.registry.model import MailSettings, Recipient, Registry

if TYPE_CHECKING:
    from bluezone_tui.day.store import Store
    from bluezone_tui.git.repository import DataRepository

REPORT_ROUND = "bao-cao"  # the outbox's round for the day's report
EMAIL = "email"
SENT_DIR = "sent"  # `bluezone sent add` keeps the signed report here: sent/YYYY-MM-DD/…pdf
FILE_TRAILER = "bluezone-file"  # in the day's report tag: which file under sent/ was signed
FORMAT_WORDS = {"xlsx": "bảng tính Excel số liệu", "csv": "bảng số liệu CSV"}


@dataclass(frozen=True, slots=True)
class Letter:
    """One message of the day's report: to one recipient, with its files, and what
    went to that recipient before."""

    recipient: Recipient
    outgoing: Outgoing
    message: EmailMessage
    attachments: tuple[Attachment, ...]
    earlier: tuple[Record, ...]

    @property
    def went_before(self) -> tuple[Record, ...]:
        """Earlier messages of the day's report to this recipient that went or may have."""
        return tuple(record for record in self.earlier if record.went)

    @property
    def size(self) -> int:
        return len(as_sent(self.message))


@dataclass(slots=True)
class ReportPlan:
    """What `send` would do: the letters, the lines of `report:` without an address,
    and notes for the person sending."""

    day: date
    report: Path
    settings: MailSettings
    letters: list[Letter]
    unaddressed: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def fresh(self) -> list[Letter]:
        return [letter for letter in self.letters if not letter.went_before]

    @property
    def repeated(self) -> list[Letter]:
        return [letter for letter in self.letters if letter.went_before]


def signed_report(data_dir: Path, day: date, repository: DataRepository | None = None) -> Path:
    """The signed report `bluezone sent add` keeps for the day: the file its last
    `bao-cao/…` tag names (`bluezone-file`), else the newest PDF under sent/YYYY-MM-DD/;
    RefusedError saying how to give one."""
    if repository is not None and repository.available:
        from bluezone_tui.git.sent import last_sent

        tag = last_sent(repository, day)
        named = tag.trailers.get(FILE_TRAILER, "") if tag is not None else ""
        if named and (data_dir / named).is_file():
            return data_dir / named
    folder = data_dir / SENT_DIR / day.isoformat()
    try:
        found = [
            Path(entry.path)
            for entry in os.scandir(folder)
            if entry.name.lower().endswith(".pdf") and entry.is_file()
        ]
    except OSError:
        found = []
    if not found:
        raise RefusedError(
            f"chưa có báo cáo đã ký của ngày {fmt_date_short(day)} trong "
            f"{SENT_DIR}/{day.isoformat()}/ («bluezone sent add TỆP.pdf» sau khi ký), hoặc "
            f"chỉ tệp bằng --file"
        )
    return max(found, key=lambda path: (path.stat().st_mtime_ns, path.name))


def mail_settings(registry: Registry) -> MailSettings:
    """units.yaml's `email:`, once it is known the report has somewhere to go; else
    ConfigError (exit 2) saying what to write."""
    if registry.email is None:
        raise ConfigError(
            f"{registry.path}: chưa có mục «email:» (máy chủ thư và địa chỉ gửi) để gửi báo "
            f"cáo; xem docs/sending.md"
        )
    if not registry.report.addressees:
        raise ConfigError(
            f"{registry.path}: chưa nơi nhận nào trong «report.recipients» hay «report.copies» "
            f"có địa chỉ thư (viết dạng {{name: …, email: …}}); xem docs/sending.md"
        )
    return registry.email


def plan_report(
    *,
    registry: Registry,
    store: Store,
    outbox: Outbox,
    repository: DataRepository | None,
    day: date,
    now: datetime,
    report: Path,
) -> ReportPlan:
    """The messages of the day's report, composed, with the earlier sends of each.
    ConfigError when units.yaml has no `email:` or no recipient with an address."""
    settings = mail_settings(registry)
    addressees = registry.report.addressees
    signed = attachment_from(report)
    plan = ReportPlan(day, report, settings, [])
    wanted = sorted({fmt for recipient in addressees for fmt in recipient.attach})
    extras = _figures(wanted, registry, store, repository, day, now, plan.notes)
    records = outbox.read(day)
    for problem in records.problems:
        plan.notes.append(str(problem))
    named = {recipient.name for recipient in addressees}
    plan.unaddressed = [
        name for name in (*registry.report.recipients, *registry.report.copies) if name not in named
    ]
    for recipient in addressees:
        attachments = (signed, *(extras[fmt] for fmt in recipient.attach))
        key = slug(recipient.name) or "noi-nhan"
        earlier = tuple(
            record
            for record in records.records
            if record.outgoing.round == REPORT_ROUND and record.outgoing.recipient == key
        )
        subject = report_subject(registry, day)
        body = report_body(registry, day, recipient, attachments)
        message_id = new_message_id(settings, f"bluezone.{day.isoformat()}")
        message = compose(
            settings,
            to=[(recipient.name, address) for address in recipient.emails],
            subject=subject,
            body=body,
            now=now,
            message_id=message_id,
            attachments=attachments,
        )
        outgoing = Outgoing(
            day=day,
            round=REPORT_ROUND,
            channel=EMAIL,
            recipient=key,
            to_name=recipient.name,
            to=recipient.emails,
            subject=subject,
            text=body,
            attachments=tuple(AttachmentNote(a.name, a.size, a.sha256) for a in attachments),
            message_id=message_id,
        )
        plan.letters.append(Letter(recipient, outgoing, message, attachments, earlier))
    return plan


def _figures(
    formats: list[str],
    registry: Registry,
    store: Store,
    repository: DataRepository | None,
    day: date,
    now: datetime,
    notes: list[str],
) -> dict[str, Attachment]:
    """The workbook or CSV a recipient asks for: made from the data as the report was
    marked sent (its tag), so they hold the signed report's figures; else from the data
    as it is now, and said so."""
    if not formats:
        return {}
    from bluezone_tui.day.loader import load_day
    from bluezone_tui.export import FORMATS, ExportOptions

    def made(folder_store: Store, moment: datetime) -> dict[str, Attachment]:
        consolidation = load_day(folder_store, day, moment)
        found = {}
        for name in formats:
            fmt = FORMATS[name]
            assert fmt.render is not None  # xlsx and csv render a day
            content = fmt.render(consolidation, folder_store.registry, ExportOptions())
            data = content.encode("utf-8") if isinstance(content, str) else content
            file_name = fmt.file_name(day)
            found[name] = Attachment(file_name, data, _mime(file_name))
        return found

    tag = None
    if repository is not None and repository.available:
        from bluezone_tui.git.sent import last_sent

        tag = last_sent(repository, day)
    if repository is not None and tag is not None:
        from bluezone_tui.day.store import Store
        from bluezone_tui.git.sent import data_as_of
        from bluezone_tui.registry.load import load_registry

        moment = (tag.counted_at or tag.sent_at or now).astimezone(registry.timezone)
        with data_as_of(repository, tag.commit, day) as folder:
            found = made(Store(folder, load_registry(folder)), moment)
        notes.append(
            f"Bảng số liệu gửi kèm lập từ số liệu của báo cáo đã đánh dấu gửi ({tag.name}), "
            f"tính đến {fmt_time(moment)} ngày {fmt_date_short(moment.date())}."
        )
        return found
    notes.append(
        f"Ngày {fmt_date_short(day)} chưa đánh dấu báo cáo đã gửi (nhãn bao-cao/"
        f"{day.isoformat()}): bảng số liệu gửi kèm lập từ số liệu hiện có, tính đến "
        f"{fmt_time(now)}."
    )
    return made(store, now)


def _mime(name: str) -> str:
    import mimetypes

    return mimetypes.guess_type(name)[0] or "application/octet-stream"


def _office_name(registry: Registry) -> str:
    if registry.office.name:
        return registry.office.name
    issuer = registry.report.issuer
    return issuer[:1] + issuer[1:].lower() if issuer.isupper() else issuer


def report_subject(registry: Registry, day: date) -> str:
    return (
        f"Báo cáo kết quả cài đặt ứng dụng Bluezone {fmt_date_long(day)} - {_office_name(registry)}"
    )


def report_body(
    registry: Registry, day: date, recipient: Recipient, attachments: tuple[Attachment, ...]
) -> str:
    """The letter's few lines, in Vietnamese; the report itself is the signed file."""
    district = registry.district
    where = district.name[:1].lower() + district.name[1:] if district.name else "huyện"
    if district.province:
        where += f", tỉnh {district.province}"
    files = []
    for index, item in enumerate(attachments):
        what = "báo cáo đã ký số" if index == 0 else _what(item.name)
        files.append(f"- {item.name}: {what} ({fmt_size(item.size)})")
    lines = [
        f"Kính gửi: {recipient.name}.",
        "",
        f"{_office_name(registry)} gửi Báo cáo kết quả cài đặt, sử dụng ứng dụng Bluezone "
        f"trên địa bàn {where} {fmt_date_long(day)}.",
        "",
        "Tệp đính kèm:",
        *files,
        "",
        "Trân trọng./.",
        "",
        _office_name(registry),
    ]
    if registry.office.phone:
        lines.append(f"Điện thoại: {registry.office.phone}")
    return "\n".join(lines) + "\n"


def _what(name: str) -> str:
    for fmt, words in FORMAT_WORDS.items():
        if name.lower().endswith("." + fmt):
            return words
    return "tệp kèm theo"


def fmt_size(size: int) -> str:
    """123 byte, 45,6 KB, 1,2 MB: sizes as a Vietnamese reader writes them."""
    from decimal import Decimal

    if size < 1024:
        return f"{fmt_int(size)} byte"
    if size < 1024 * 1024:
        return f"{fmt_decimal(Decimal(size) / 1024, 1)} KB"
    return f"{fmt_decimal(Decimal(size) / 1024 / 1024, 1)} MB"


# ----------------------------------------------------------------------------- showing


def render_plan(plan: ReportPlan, timezone: tzinfo) -> str:
    """`send --dry-run`: every message as it would go (headers, recipients, attachments
    with their sizes and digests), and what went before."""
    settings = plan.settings
    lines = [
        f"Gửi báo cáo ngày {fmt_date_short(plan.day)} (thử, không gửi gì): "
        f"{len(plan.letters)} thư qua {settings.host}:{settings.port} ({settings.security})"
        + (f", đăng nhập «{settings.user}»" if settings.user else ""),
    ]
    for index, letter in enumerate(plan.letters, 1):
        message = letter.message
        lines.append("")
        lines.append(f"Thư {index}: {letter.recipient.name}")
        for header in ("From", "To", "Cc", "Subject", "Date", "Message-ID"):
            value = message.get(header)
            if value is not None:
                lines.append(f"  {header}: {value}")
        lines.append(f"  Cỡ thư: {fmt_size(letter.size)}")
        lines.append("  Tệp đính kèm:")
        for item in letter.attachments:
            lines.append(f"    {item.name}  {fmt_size(item.size)}  sha256 {item.sha256}")
        lines.append("  Nội dung:")
        lines.extend(f"    {line}" if line else "" for line in letter.outgoing.text.splitlines())
        for record in letter.earlier:
            lines.append(f"  Trước đó: {_earlier(record, timezone, letter)}")
    if plan.unaddressed:
        shown = "; ".join(plan.unaddressed)
        lines.append("")
        lines.append(f"Không có địa chỉ thư (không gửi): {shown}")
    return printable_block(lines)


def printable_block(lines: list[str]) -> str:
    return "\n".join(printable(line) for line in lines) + "\n"


def _earlier(record: Record, timezone: tzinfo, letter: Letter | None = None) -> str:
    text = record.describe(timezone)
    if record.state_now() == FAILED and record.reason:
        text += f": {record.reason}"
    if record.state_now() == UNSURE and record.reason:
        text += f": {record.reason}"
    if letter is not None and record.state_now() != FAILED:
        same = {a.sha256 for a in record.outgoing.attachments} == {
            a.sha256 for a in letter.attachments
        }
        text += " — cùng tệp này" if same else " — tệp khác tệp lần này"
    return text


def repeated_question(plan: ReportPlan, timezone: tzinfo) -> str:
    """What a second send asks: when and by whom the report went to whom."""
    lines = [f"Báo cáo ngày {fmt_date_short(plan.day)} đã gửi trước đó:"]
    for letter in plan.repeated:
        for record in letter.went_before:
            lines.append(f"- {letter.recipient.name}: {_earlier(record, timezone, letter)}")
    return printable_block(lines)


# ----------------------------------------------------------------------------- sending


def send_letters(
    letters: list[Letter],
    *,
    settings: MailSettings,
    outbox: Outbox,
    password: str | None,
    data_dir: Path,
    clock: Callable[[], datetime],
) -> list[Delivery]:
    """Each letter through the outbox: recorded, sent, marked. Call inside
    `outbox.exclusive()`, after checking what went before."""
    deliveries = []
    for letter in letters:

        def hand(letter: Letter = letter) -> Receipt:
            return send(settings, letter.message, password, data_dir)

        deliveries.append(outbox.deliver(letter.outgoing, hand, clock))
    return deliveries


def delivery_line(delivery: Delivery, timezone: tzinfo) -> str:
    """One line per message sent (or not): to whom, what became of it, and why."""
    record = delivery.record
    outgoing = record.outgoing
    to = ", ".join(outgoing.to)
    if record.state == SENT:
        moment = (record.finished_at or record.written_at).astimezone(timezone)
        return printable(
            f"Đã gửi tới {outgoing.to_name} <{to}> lúc {fmt_time(moment)} "
            f"(máy chủ: {record.reply}; mã thư {outgoing.message_id})"
        )
    return printable(
        f"{STATE_WORDS[record.state_now()].capitalize()}: thư tới {outgoing.to_name} <{to}>: "
        f"{record.reason}"
    )


def day_sent_line(outbox: Outbox, day: date) -> str:
    """The board's line for the day's report (see sent_summary), read from the outbox."""
    return sent_summary(outbox.read(day).records, outbox.timezone, outbox.in_progress())


def sent_summary(records: list[Record], timezone: tzinfo, in_progress: bool = False) -> str:
    """The day's report mail as the board shows it: "" when nothing went yet, else one
    line: "thư báo cáo: đã gửi 16:05 tới 1/2 nơi, lỗi 1" (the last message to each
    recipient counts; a failure sent again successfully is no longer one)."""
    latest: dict[str, Record] = {}
    for record in records:
        if record.outgoing.round == REPORT_ROUND:
            latest[record.outgoing.recipient] = record  # oldest first: the last one stays
    if not latest:
        return ""
    states = [record.state_now(in_progress) for record in latest.values()]
    sent = [record for record in latest.values() if record.state_now(in_progress) == SENT]
    items = []
    if sent:
        moment = max(record.finished_at or record.written_at for record in sent)
        items.append(
            f"đã gửi {fmt_time(moment.astimezone(timezone))} tới {len(sent)}/{len(latest)} nơi"
        )
    for state in (UNSURE, FAILED, SENDING):
        if count := states.count(state):
            items.append(f"{STATE_WORDS[state]} {count}")
    return "thư báo cáo: " + ", ".join(items)
