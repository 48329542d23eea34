"""Reminders at set times: each round of `reminders:` sent once, by SMS or email, recorded.

A round (registry/reminders.py) is due from its time for `within` minutes, and no
later than the next round. `bluezone remind --send` (run by cron) and the board, while
it is open, call the same `run_rounds`: it syncs, takes the outbox's lock, recomputes
who is still to remind at that moment (day/remind.py: the same list and messages as
`bluezone remind` and the board's `r`), leaves out every message of the round that
went already (the outbox's records: sent, unsure, or still sending), sends the rest
through the outbox (written before, marked after), and syncs again. A unit that
reported before the round is not in it; a round run twice sends nothing new; a
message whose send failed is tried again by the next run while the round is due, one
whose outcome is unknown never is.

Only the office named in `reminders.sender` sends: its BLUEZONE_OFFICE, or its host
name. The first time, nothing is sent before a person has seen what would go: until
`remind --send --confirm` writes `outbox/reminders-started.toml`, `--send` shows the
round and sends nothing.
"""

from __future__ import annotations

import os
import socket
import textwrap
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, tzinfo
from email.message import EmailMessage
from pathlib import Path
from typing import TYPE_CHECKING

import tomli_w

from bluezone_tui.base.failed_writes import refusing_writes
from bluezone_tui.base.files import read_regular, replace_atomically
from bluezone_tui.base.problems import ConfigError
from bluezone_tui.base.safe_text import printable
from bluezone_tui.base.vn import fmt_date_short, fmt_time, fold, slug
from bluezone_tui.day.remind import NO_BREAK, WIDTH, Reminder, numbers_whole, reminders
from bluezone_tui.day.store import current_user
from bluezone_tui.deliver.mail import compose, new_message_id, password_for, send
from bluezone_tui.deliver.outbox import (
    FAILED,
    OUTBOX_DIR,
    SENDING,
    SENT,
    STATE_WORDS,
    UNSURE,
    Delivery,
    Outbox,
    Outgoing,
    Receipt,
    Record,
    host_name,
    share,
)
from bluezone_tui.deliver.sms import (
    key_for,
    parts,
    send_sms,
    sms_numbers,
    sms_text,
    tls_context,
)
from bluezone_tui.git.save import recording
from bluezone_tui.registry.reminders import (
    AUDIENCES,
    CHANNEL_WORDS,
    EMAIL,
    REPORT_ROUND,
    SMS,
    Person,
    ReminderSettings,
    Round,
)

if TYPE_CHECKING:
    from bluezone_tui.day.store import Store
    from bluezone_tui.git.repository import DataRepository
    from bluezone_tui.registry.model import Registry

OFFICE_ENV = "BLUEZONE_OFFICE"  # which office this is, where several share a host name
STARTED_FILE = "reminders-started.toml"  # in outbox/: a person saw a dry run and started
HEAD_KEY = "head:"  # the recipient key of the head's copy (a unit id has no ":")


# ----------------------------------------------------------------------------- who sends


@dataclass(frozen=True, slots=True)
class Office:
    """This machine as `reminders.sender` names offices: BLUEZONE_OFFICE, else its host."""

    name: str
    source: str  # "BLUEZONE_OFFICE" or "tên máy"

    def describe(self) -> str:
        return f"«{self.name}» ({self.source})"


def this_office(environ: Mapping[str, str] | None = None) -> Office:
    environ = os.environ if environ is None else environ
    named = environ.get(OFFICE_ENV, "").strip()
    if named:
        return Office(named, f"biến môi trường {OFFICE_ENV}")
    return Office(socket.gethostname() or "", "tên máy")


def is_sender(settings: ReminderSettings, office: Office) -> bool:
    """The sender may be written as the full host name or its first label, any case."""
    wanted = fold(settings.sender)
    name = fold(office.name)
    return bool(name) and (wanted == name or wanted == name.split(".")[0])


def not_sender_words(settings: ReminderSettings, office: Office) -> str:
    return (
        f"máy này {office.describe()} không phải nơi gửi nhắc báo cáo (reminders.sender: "
        f"«{settings.sender}»): không gửi gì. Nơi gửi đồng bộ bản ghi lên kho chung; bảng "
        f"theo dõi ở đây cho thấy những gì đã gửi"
    )


# ----------------------------------------------------------------------------- when


@dataclass(frozen=True, slots=True)
class Slot:
    """A round on a day: from `start` until `end` it is due."""

    round: Round
    start: datetime
    end: datetime


def slots(settings: ReminderSettings, day: date, timezone: tzinfo) -> list[Slot]:
    """The day's rounds in time order, each due until `within` minutes after its time or
    the next round's time, whichever is first."""
    ordered = sorted(settings.rounds, key=lambda item: item.at)
    starts = [_at(day, item.at, timezone) for item in ordered]
    found = []
    for index, item in enumerate(ordered):
        end = starts[index] + timedelta(minutes=item.within)
        later = [start for start in starts[index + 1 :] if start > starts[index]]
        if later:
            end = min(end, later[0])
        found.append(Slot(item, starts[index], end))
    return found


def _at(day: date, moment: time, timezone: tzinfo) -> datetime:
    return datetime.combine(day, moment, tzinfo=timezone)


def round_start(round_: Round, now: datetime, timezone: tzinfo) -> datetime:
    """The round's time on `now`'s day, in the registry's timezone."""
    return _at(now.astimezone(timezone).date(), round_.at, timezone)


def due_rounds(settings: ReminderSettings, now: datetime, timezone: tzinfo) -> list[Round]:
    """The rounds due at `now` (usually one)."""
    now = now.astimezone(timezone)
    return [
        slot.round for slot in slots(settings, now.date(), timezone) if slot.start <= now < slot.end
    ]


def next_slot(settings: ReminderSettings, now: datetime, timezone: tzinfo) -> Slot | None:
    now = now.astimezone(timezone)
    later = [slot for slot in slots(settings, now.date(), timezone) if slot.start > now]
    return later[0] if later else None


def missed(settings: ReminderSettings, now: datetime, timezone: tzinfo) -> list[Slot]:
    """Today's rounds whose time passed (their window closed) before `now`."""
    now = now.astimezone(timezone)
    return [slot for slot in slots(settings, now.date(), timezone) if slot.end <= now]


# ----------------------------------------------------------------------------- the first time


@dataclass(frozen=True, slots=True)
class Started:
    at: datetime
    by: str
    host: str


def started(data_dir: Path) -> Started | None:
    """Whether a person has started the reminders of this data folder (after a dry run)."""
    path = data_dir / OUTBOX_DIR / STARTED_FILE
    try:
        data = tomllib.loads(read_regular(path, 64 * 1024).decode("utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError):
        # unreadable: someone started them (the file is there); say who when it can be read
        return Started(datetime.min, "", "")
    at = data.get("started_at")
    return Started(
        at if isinstance(at, datetime) else datetime.min,
        str(data.get("started_by", "")),
        str(data.get("host", "")),
    )


def start(data_dir: Path, repository: DataRepository | None, now: datetime) -> list[str]:
    """Write (and commit) that reminders are on in this data folder; notes for the person
    (a commit that could not be made). RefusedError when it cannot be written."""
    path = data_dir / OUTBOX_DIR / STARTED_FILE
    data = {"started_at": now, "started_by": current_user(), "host": host_name()}
    text = "# bluezone: nhắc báo cáo tự động: bắt đầu gửi\n" + tomli_w.dumps(data)
    with refusing_writes(path, "chưa gửi gì") as made:
        with recording(
            repository, path, now, data_dir=data_dir, doing="bắt đầu nhắc báo cáo"
        ) as recorded:
            made.folders(path.parent)  # the group's, in a shared data folder
            replace_atomically(path, text.encode("utf-8"))
    return [recorded.problem] if recorded.problem else []


# ----------------------------------------------------------------------------- what goes


@dataclass(frozen=True, slots=True)
class Message:
    """One message of a round, ready to hand to its channel."""

    outgoing: Outgoing
    email: EmailMessage | None = None  # the composed mail (email only)

    @property
    def channel(self) -> str:
        return self.outgoing.channel


@dataclass(frozen=True, slots=True)
class Unreachable:
    """A unit the round should remind that a channel cannot reach, and why."""

    unit_id: str
    name: str
    channel: str
    why: str


@dataclass(slots=True)
class RoundPlan:
    """A round as it stands at `now`: the units to remind, what is still to go, what went
    before (this round's records), and the units a channel cannot reach."""

    round: Round
    day: date
    now: datetime
    found: list[Reminder]
    messages: list[Message] = field(default_factory=list)
    earlier: list[Record] = field(default_factory=list)
    unreachable: list[Unreachable] = field(default_factory=list)
    copies: list[Person] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Secrets:
    """The secrets the channels need, read once before a round (a missing one stops it
    before anything is written)."""

    password: str | None = None  # the mail password
    key: str | None = None  # the SMS gateway's key


def secrets_for(
    registry: Registry,
    rounds: list[Round],
    data_dir: Path,
    environ: Mapping[str, str] | None = None,
) -> Secrets:
    """What `rounds` need, checked now: ConfigError (exit 2) when a secret or a
    certificate is missing, before anything is recorded; every one missing is named."""
    found, missing = read_secrets(registry, rounds, data_dir, environ)
    if missing:
        raise ConfigError("\n".join(missing))
    return found


def read_secrets(
    registry: Registry,
    rounds: list[Round],
    data_dir: Path,
    environ: Mapping[str, str] | None = None,
) -> tuple[Secrets, list[str]]:
    """The secrets `rounds` need, and why each one that cannot be had is missing (one
    line each): the send stops at them, the preview warns of them."""
    channels = {channel for item in rounds for channel in item.by}
    settings = registry.reminders
    password = key = None
    missing: list[str] = []
    if EMAIL in channels:
        if registry.email is None:
            missing.append(f"{registry.path}: nhắc qua email cần mục «email:» (máy chủ thư)")
        else:
            try:
                password = password_for(registry.email, data_dir, environ)
            except ConfigError as exc:
                missing.append(exc.message)
    if SMS in channels and settings is not None and settings.sms is not None:
        http = settings.sms.http
        if http is not None:
            try:
                key = key_for(http, data_dir, environ)
            except ConfigError as exc:
                missing.append(exc.message)
            if http.url.startswith("https:"):
                try:
                    tls_context(http, data_dir)
                except ConfigError as exc:
                    missing.append(exc.message)
    return Secrets(password, key), missing


def rounds_needing_secrets(
    settings: ReminderSettings, rounds: list[Round], starting: bool
) -> list[Round]:
    """The rounds whose secrets a run needs: starting (`--confirm` the first time) checks
    every round of the day, so that a later round does not stop at a missing key; else
    the rounds it sends."""
    return list(settings.rounds) if starting else list(rounds)


def plan_round(
    *,
    registry: Registry,
    store: Store,
    outbox: Outbox,
    round_: Round,
    now: datetime,
) -> RoundPlan:
    """The round at `now`: who is to be reminded (recomputed from the day's files), each
    message still to go by each channel, and the head's copy."""
    from bluezone_tui.day.loader import load_status

    now = now.astimezone(registry.timezone)
    day = now.date()
    status = load_status(store, day, now)
    found = [item for item in reminders(status, registry, now) if item.state.code in round_.to]
    plan = RoundPlan(round_, day, now, found, earlier=outbox.of_round(day, round_.name))
    went = {_key(record.outgoing) for record in plan.earlier if record.went}
    settings = registry.reminders
    for reminder in found:
        for channel in round_.by:
            for message in _unit_messages(registry, reminder, channel, round_, day, now, plan):
                if _key(message.outgoing) not in went:
                    plan.messages.append(message)
    if round_.copy_head and settings is not None and settings.head is not None and found:
        plan.copies.append(settings.head)
    return plan


def _key(outgoing: Outgoing) -> tuple[str, str, tuple[str, ...]]:
    """A message of a round goes once to each recipient, by each channel, at each address."""
    return outgoing.recipient, outgoing.channel, outgoing.to


def _unit_messages(
    registry: Registry,
    reminder: Reminder,
    channel: str,
    round_: Round,
    day: date,
    now: datetime,
    plan: RoundPlan,
) -> list[Message]:
    unit = reminder.unit
    if channel == SMS:
        numbers = sms_numbers(reminder.phone)
        if not numbers.mobiles:
            plan.unreachable.append(Unreachable(unit.id, unit.name, SMS, numbers.why_none))
            return []
        assert registry.reminders is not None and registry.reminders.sms is not None
        text = sms_text(reminder.message, registry.reminders.sms)
        return [
            Message(_outgoing(round_, day, SMS, unit.id, unit.name, (number,), "", text))
            for number in numbers.mobiles
        ]
    if not unit.contact.email:
        plan.unreachable.append(
            Unreachable(unit.id, unit.name, EMAIL, "không có địa chỉ thư (contact.email)")
        )
        return []
    subject = f"Nhắc báo cáo kết quả cài đặt Bluezone ngày {fmt_date_short(day)}"
    body = reminder.message + "\n" + _signature(registry)
    return [
        _email(registry, round_, day, now, unit.id, unit.name, unit.contact.email, subject, body)
    ]


def _signature(registry: Registry) -> str:
    office = registry.office
    lines = ["", office.name] if office.name else []
    if office.phone:
        lines.append(f"Điện thoại: {office.phone}")
    return "\n".join(lines) + "\n"


def _outgoing(
    round_: Round,
    day: date,
    channel: str,
    recipient: str,
    name: str,
    to: tuple[str, ...],
    subject: str,
    text: str,
    message_id: str = "",
) -> Outgoing:
    return Outgoing(
        day=day,
        round=round_.name,
        channel=channel,
        recipient=recipient,
        to_name=name,
        to=to,
        subject=subject,
        text=text,
        message_id=message_id,
    )


def _email(
    registry: Registry,
    round_: Round,
    day: date,
    now: datetime,
    recipient: str,
    name: str,
    addresses: tuple[str, ...],
    subject: str,
    body: str,
) -> Message:
    settings = registry.email
    assert settings is not None  # the registry refuses email rounds without `email:`
    message_id = new_message_id(settings, f"nhac.{day.isoformat()}.{round_.name}")
    message = compose(
        settings,
        to=[(name, address) for address in addresses],
        subject=subject,
        body=body,
        now=now,
        message_id=message_id,
    )
    outgoing = _outgoing(round_, day, EMAIL, recipient, name, addresses, subject, body, message_id)
    return Message(outgoing, message)


def head_messages(
    registry: Registry, plan: RoundPlan, deliveries: list[Delivery], earlier: list[Record]
) -> list[Message]:
    """The head's copy: one message by each channel of the round saying whom the round
    reminded, by what, and whom it could not reach; none when it went already."""
    went = {_key(record.outgoing) for record in earlier if record.went}
    text = head_text(registry, plan, deliveries)
    found = []
    for person in plan.copies:
        key = HEAD_KEY + (slug(person.name) or "truong-phong")
        for channel in plan.round.by:
            if channel == SMS and registry.reminders and registry.reminders.sms:
                numbers = sms_numbers(person.phone)
                body = sms_text(text, registry.reminders.sms)
                for number in numbers.mobiles:
                    found.append(
                        Message(
                            _outgoing(
                                plan.round, plan.day, SMS, key, person.name, (number,), "", body
                            )
                        )
                    )
            elif channel == EMAIL and person.email:
                subject = f"Nhắc báo cáo Bluezone ngày {fmt_date_short(plan.day)}: lượt {fmt_time(plan.now)}"
                found.append(
                    _email(registry, plan.round, plan.day, plan.now, key, person.name,
                           person.email, subject, text + _signature(registry))
                )  # fmt: skip
    return [message for message in found if _key(message.outgoing) not in went]


def head_text(registry: Registry, plan: RoundPlan, deliveries: list[Delivery]) -> str:
    """ "Lượt nhắc 15:05 ngày 26/08/2020: 3 đơn vị quá hạn mà chưa báo cáo: Xã A, …;
    đã nhắc qua SMS 3; không nhắn được: Xã D (chỉ có số máy bàn …)." """
    when = f"{fmt_time(_at(plan.day, plan.round.at, registry.timezone))} ngày {fmt_date_short(plan.day)}"
    who = " hoặc ".join(AUDIENCES[code] for code in plan.round.to)
    names = ", ".join(item.unit.name for item in plan.found)
    sent = [
        d
        for d in deliveries
        if d.record.state == SENT and not d.record.outgoing.recipient.startswith(HEAD_KEY)
    ]
    parts = [f"Lượt nhắc {when}: {len(plan.found)} đơn vị {who}: {names}."]
    for channel in plan.round.by:
        reached = {
            d.record.outgoing.recipient for d in sent if d.record.outgoing.channel == channel
        }
        earlier = {
            r.outgoing.recipient
            for r in plan.earlier
            if r.state == SENT and r.outgoing.channel == channel
        }
        count = len((reached | earlier) & {item.unit.id for item in plan.found})
        parts.append(f"Đã nhắc qua {CHANNEL_WORDS[channel]}: {count} đơn vị.")
    failed = [d for d in deliveries if d.record.state != SENT]
    if failed:
        parts.append(
            "Gửi lỗi hoặc chưa rõ: "
            + ", ".join(sorted({d.record.outgoing.to_name for d in failed}))
            + "."
        )
    if plan.unreachable:
        parts.append(
            "Không nhắc được: "
            + "; ".join(
                f"{item.name} ({CHANNEL_WORDS[item.channel]}: {item.why})"
                for item in plan.unreachable
            )
            + "."
        )
    return " ".join(parts)


# ----------------------------------------------------------------------------- sending


@dataclass(slots=True)
class RoundOutcome:
    """What one run did with one round."""

    plan: RoundPlan
    deliveries: list[Delivery] = field(default_factory=list)
    in_progress: bool = False  # another send from this data folder is running

    @property
    def tally(self) -> Tally:
        """The round after this run: its earlier records and this run's."""
        records = self.plan.earlier + [d.record for d in self.deliveries]
        return tally(records, self.in_progress)

    @property
    def troubled(self) -> bool:
        """A message of the round failed or its outcome is unclear (exit 1)."""
        return self.tally.troubled


def hand_for(
    registry: Registry, message: Message, secrets: Secrets, data_dir: Path
) -> Callable[[], Receipt]:
    """The channel's send of one message, as the outbox calls it."""
    if message.channel == EMAIL:
        assert registry.email is not None and message.email is not None
        settings, email = registry.email, message.email
        return lambda: send(settings, email, secrets.password, data_dir)
    assert registry.reminders is not None and registry.reminders.sms is not None
    sms = registry.reminders.sms
    number, text = message.outgoing.to[0], message.outgoing.text
    return lambda: send_sms(sms, number, text, secrets.key, data_dir)


def send_round(
    plan: RoundPlan,
    *,
    registry: Registry,
    outbox: Outbox,
    secrets: Secrets,
    data_dir: Path,
    clock: Callable[[], datetime],
) -> RoundOutcome:
    """Every message of the plan through the outbox, then the head's copy. Call inside
    `outbox.exclusive()`, with a plan made inside it."""
    outcome = RoundOutcome(plan)
    for message in plan.messages:
        hand = hand_for(registry, message, secrets, data_dir)
        outcome.deliveries.append(outbox.deliver(message.outgoing, hand, clock))
    if plan.copies and (outcome.deliveries or not _head_went(plan)):
        for message in head_messages(registry, plan, outcome.deliveries, plan.earlier):
            hand = hand_for(registry, message, secrets, data_dir)
            outcome.deliveries.append(outbox.deliver(message.outgoing, hand, clock))
    return outcome


def _head_went(plan: RoundPlan) -> bool:
    return any(
        record.outgoing.recipient.startswith(HEAD_KEY) and record.went for record in plan.earlier
    )


def run_rounds(
    *,
    registry: Registry,
    store: Store,
    repository: DataRepository | None,
    rounds: list[Round],
    secrets: Secrets,
    clock: Callable[[], datetime],
    notes: list[str],
) -> list[RoundOutcome]:
    """The rounds sent, as cron's `remind --send` and the board's timer both do it: a
    first look, the data folder synced (another office's reports and records come in),
    the outbox locked, each round recomputed and sent, synced again. RefusedError when
    another send from this data folder is running. `notes`: what a person should know
    besides (a sync that failed, a commit that could not be made)."""
    data_dir = store.data_dir
    outbox = Outbox(data_dir, registry.timezone, repository)

    def plans() -> list[RoundPlan]:
        now = clock()
        return [
            plan_round(registry=registry, store=store, outbox=outbox, round_=item, now=now)
            for item in rounds
        ]

    first_look = plans()
    if not any(plan.messages or (plan.copies and not _head_went(plan)) for plan in first_look):
        return [RoundOutcome(plan) for plan in first_look]
    problem = share(repository, clock())
    if problem:
        notes.append(f"{problem}; chỉ biết những gì máy này đã gửi")
    outcomes = []
    with outbox.exclusive("đang gửi nhắc báo cáo"):
        for plan in plans():  # recomputed after the sync, inside the lock
            outcome = send_round(
                plan,
                registry=registry,
                outbox=outbox,
                secrets=secrets,
                data_dir=data_dir,
                clock=clock,
            )
            outcomes.append(outcome)
            for delivery in outcome.deliveries:
                notes.extend(delivery.notes)
    problem = share(repository, clock())
    if problem:
        notes.append(f"{problem}; «bluezone sync» sau sẽ gửi bản ghi đi")
    return outcomes


# ----------------------------------------------------------------------------- counting


UNCLEAR_LOGS = {
    SMS: "nhật ký của cổng SMS hoặc hàng đợi, nhật ký của gammu-smsd",
    EMAIL: "nhật ký của máy chủ thư",
}


@dataclass(frozen=True, slots=True)
class Tally:
    """A round's messages as they stand: each message's last record (a retry replaces the
    failure it retried), counted by state as a reader takes it (`sending` with no send
    running is unsure). The one count the run's output, the exit code and the board's
    line all use."""

    latest: tuple[Record, ...]
    states: tuple[str, ...]  # latest's states, as read

    def of(self, state: str) -> list[Record]:
        return [r for r, s in zip(self.latest, self.states, strict=True) if s == state]

    @property
    def sent(self) -> int:
        return self.states.count(SENT)

    @property
    def unclear(self) -> list[Record]:
        """Messages that may or may not have gone: unsure, or still sending."""
        return self.of(UNSURE) + self.of(SENDING)

    @property
    def failed(self) -> list[Record]:
        return self.of(FAILED)

    @property
    def troubled(self) -> bool:
        """A message failed or is unclear: the run exits 1, the board's line is red."""
        return any(state != SENT for state in self.states)

    def words(self) -> str:
        """ "đã gửi 3 tin · chưa rõ 1 · lỗi 1"."""
        items = [f"đã gửi {self.sent} tin"]
        for state in (SENDING, UNSURE, FAILED):
            if count := self.states.count(state):
                items.append(f"{STATE_WORDS[state]} {count}")
        return " · ".join(items)


def tally(records: list[Record], in_progress: bool = False) -> Tally:
    """The state of one round's messages from its records, oldest first."""
    latest: dict[tuple[str, str, tuple[str, ...]], Record] = {}
    for record in records:
        latest[_key(record.outgoing)] = record
    kept = tuple(latest.values())
    return Tally(kept, tuple(record.state_now(in_progress) for record in kept))


def unclear_line(record: Record, timezone: tzinfo) -> str:
    """ "Chưa rõ: Xã A — SMS tới 0912…: … — hỏi lại đơn vị, …"."""
    logs = UNCLEAR_LOGS.get(record.outgoing.channel, "nhật ký của kênh gửi")
    return printable(
        f"Chưa rõ đã tới chưa: {record_line(record, timezone)} — hỏi lại đơn vị hoặc xem "
        f"{logs}; chưa nhận thì nhắc bằng tay (gọi điện): tin này không tự gửi lại"
    )


# ----------------------------------------------------------------------------- showing


def channel_words(channel: str) -> str:
    return CHANNEL_WORDS.get(channel, channel)


def render_plans(plans: list[RoundPlan], timezone: tzinfo, *, first_time: bool) -> str:
    """The dry run: every message as it would go, what went before, whom no channel
    reaches."""
    lines: list[str] = []
    for plan in plans:
        start = _at(plan.day, plan.round.at, timezone)
        lines.append(
            f"Lượt «{plan.round.name}» ({fmt_time(start)} ngày {fmt_date_short(plan.day)}, "
            f"qua {plan.round.channels_words}) tính lúc {fmt_time(plan.now)}: "
            f"{len(plan.found)} đơn vị cần nhắc, {len(plan.messages)} tin sẽ gửi"
            + (f"; trước đó: {tally(plan.earlier).words()}" if plan.earlier else "")
        )
        for message in plan.messages:
            outgoing = message.outgoing
            size = f" ({parts(outgoing.text)} phần tin nhắn)" if outgoing.channel == SMS else ""
            lines.append(
                f"- {outgoing.to_name} — {channel_words(outgoing.channel)} tới "
                f"{', '.join(outgoing.to)}{size}:"
            )
            lines.extend(wrapped(outgoing.text, "    "))
        for person in plan.copies:
            lines.append(f"- bản sao cho {person.name} sau khi gửi: tóm tắt lượt nhắc")
        for item in plan.unreachable:
            lines.append(
                f"- không nhắc được {item.name} qua {channel_words(item.channel)}: {item.why}"
            )
        unclear = {record.id for record in tally(plan.earlier).unclear}
        for record in plan.earlier:
            lines.append(
                f"- trước đó: {unclear_line(record, timezone)}"
                if record.id in unclear
                else f"- trước đó: {record_line(record, timezone)}"
            )
        lines.append("")
    if first_time:
        lines.append(
            "Lần đầu gửi nhắc từ thư mục dữ liệu này: chỉ hiện các tin sẽ gửi, chưa gửi gì. "
            "Kiểm tra rồi chạy «bluezone remind --send --confirm» để bắt đầu; từ đó "
            "«bluezone remind --send» (cron, hoặc bảng theo dõi đang mở) gửi theo giờ các lượt."
        )
    return "\n".join(printable(line) for line in lines).rstrip("\n") + "\n"


def wrapped(text: str, indent: str, width: int = WIDTH) -> list[str]:
    """A message's lines wrapped for a terminal, a phone number never split."""
    lines: list[str] = []
    for line in text.splitlines():
        if not line:
            lines.append("")
            continue
        lines += [
            part.replace(NO_BREAK, " ")
            for part in textwrap.wrap(
                numbers_whole(printable(line)),
                width,
                initial_indent=indent,
                subsequent_indent=indent,
                break_long_words=False,
                break_on_hyphens=False,
            )
        ]
    return lines


def record_line(record: Record, timezone: tzinfo, in_progress: bool = False) -> str:
    """ "Xã Long Khánh B — SMS tới 0912345678: đã gửi 14:00 (cổng SMS: HTTP 200 OK)"."""
    outgoing = record.outgoing
    state = record.state_now(in_progress)
    moment = (record.finished_at or record.written_at).astimezone(timezone)
    text = (
        f"{outgoing.to_name} — {channel_words(outgoing.channel)} tới {', '.join(outgoing.to)}: "
        f"{STATE_WORDS[state]} {moment:%H:%M}"
    )
    if state == SENT and record.reply:
        text += f" ({record.reply})"
    elif record.reason:
        text += f": {record.reason}"
    elif state == UNSURE and record.state == SENDING:
        text += ": lần gửi dừng giữa chừng (tiến trình bị dừng, máy tắt)"
    return printable(text)


def outcome_lines(outcome: RoundOutcome, timezone: tzinfo) -> list[str]:
    """The run's account of a round: what this run sent, what the round holds in all (the
    same count as the board's line), and every message whose outcome is unclear, in
    every run until someone settles it."""
    plan = outcome.plan
    start = _at(plan.day, plan.round.at, timezone)
    now = outcome.tally
    head = (
        f"Lượt «{plan.round.name}» ({fmt_time(start)}) lúc {fmt_time(plan.now)}: "
        f"{len(plan.found)} đơn vị cần nhắc; "
    )
    if not outcome.deliveries:
        head += (
            f"không có tin mới (cả lượt: {now.words()})"
            if now.latest
            else ("không có tin nào để gửi")
        )
    else:
        sent = sum(1 for d in outcome.deliveries if d.record.state == SENT)
        head += f"đã gửi {sent}/{len(outcome.deliveries)} tin"
        if plan.earlier:
            head += f"; cả lượt: {now.words()}"
    unclear = {record.id for record in now.unclear}
    lines = [head]
    lines += [
        "  "
        + (
            unclear_line(d.record, timezone)
            if d.record.id in unclear
            else record_line(d.record, timezone)
        )
        for d in outcome.deliveries
    ]
    new_ids = {d.record.id for d in outcome.deliveries}
    lines += [
        "  " + unclear_line(record, timezone) for record in now.unclear if record.id not in new_ids
    ]
    lines += [
        f"  Không nhắc được {item.name} qua {channel_words(item.channel)}: {item.why}"
        for item in plan.unreachable
    ]
    return [printable(line) for line in lines]


# ----------------------------------------------------------------------------- the board


@dataclass(frozen=True, slots=True)
class RoundsSeen:
    """The day's reminders as the outbox holds them: the board's line, and each unit's."""

    line: str  # "" when no round went today
    failed: bool  # the last round has a message that failed or whose outcome is unknown
    by_unit: dict[str, tuple[Record, ...]]


def rounds_seen(records: list[Record], timezone: tzinfo, in_progress: bool = False) -> RoundsSeen:
    """ "nhắc 14:00 (nhac-14h): đã gửi 8 tin · lỗi 1: cổng SMS từ chối khóa (…)" for the
    last round that went today, and every unit's reminders, oldest first."""
    ours = [record for record in records if record.outgoing.round != REPORT_ROUND]
    by_unit: dict[str, list[Record]] = {}
    for record in ours:
        if not record.outgoing.recipient.startswith(HEAD_KEY):
            by_unit.setdefault(record.outgoing.recipient, []).append(record)
    if not ours:
        return RoundsSeen("", False, {})
    last_round = ours[-1].outgoing.round  # oldest first: the last written is the last round
    counted = tally([r for r in ours if r.outgoing.round == last_round], in_progress)
    first = min(record.written_at for record in counted.latest).astimezone(timezone)
    reasons = [r.reason for r in counted.failed + counted.unclear if r.reason]
    line = f"nhắc {first:%H:%M} ({last_round}): {counted.words()}" + (
        f": {reasons[-1]}" if reasons else ""
    )
    failed = bool(counted.failed or counted.of(UNSURE))
    return RoundsSeen(printable(line), failed, {k: tuple(v) for k, v in by_unit.items()})


def unit_line(
    records: tuple[Record, ...], timezone: tzinfo, in_progress: bool = False
) -> tuple[str, bool]:
    """A unit's reminders for the `r` screen: "đã nhắc 14:00 qua SMS", or its failure with
    why; and whether the last one failed."""
    if not records:
        return "", False
    last = records[-1]
    state = last.state_now(in_progress)
    moment = (last.finished_at or last.written_at).astimezone(timezone)
    channel = channel_words(last.outgoing.channel)
    count = len(records)
    more = f" ({count} tin trong ngày)" if count > 1 else ""
    if state == SENT:
        return printable(
            f"đã nhắc {moment:%H:%M} qua {channel} tới {', '.join(last.outgoing.to)}{more}"
        ), False
    words = f"nhắc {moment:%H:%M} qua {channel}: {STATE_WORDS[state]}"
    if last.reason:
        words += f": {last.reason}"
    return printable(words + more), state in (FAILED, UNSURE)
