"""The outbox: the record of every message the tool sends, written before it goes.

Each message is a plain file, `outbox/YYYY-MM-DD/<id>.toml` in the data folder (the
day is the report's day), written atomically and, where the data folder keeps history,
committed alone under the data folder's lock (git/save.py) and shared by `bluezone
sync` like any save. Its life:

1. `sending`: written and committed *before* it is handed to the channel (SMTP, …);
2. then `sent` (with the server's reply and the message id), `failed` (nothing went:
   the reason, in Vietnamese), or `unsure` (the connection was lost after the message
   was handed over: it may have arrived).

A record left in `sending` by a process that died is read as `unsure`, never as
unsent: nothing is sent twice silently. One send at a time per data folder
(`Outbox.exclusive`, a kernel lock that a dead process lets go of); a record in
`sending` while that lock is held is a send in progress.

The channel is a callable: `Outbox.deliver(outgoing, hand)` runs the whole protocol
around it, so email (mail.py) and any later channel (SMS) share it.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import socket
import tomllib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from datetime import date, datetime, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING, Any

import tomli_w

from bluezone_tui.base.failed_writes import refusing_writes
from bluezone_tui.base.files import (
    Made,
    make_folders,
    os_reason,
    read_regular,
    replace_atomically,
)
from bluezone_tui.base.locks import Busy, holding
from bluezone_tui.base.problems import BluezoneError, Problem, RefusedError
from bluezone_tui.base.safe_text import printable
from bluezone_tui.base.toml_errors import toml_error
from bluezone_tui.base.vn import fmt_date_short, fmt_time, nfc, slug
from bluezone_tui.day.store import current_user
from bluezone_tui.git.repository import SUBJECT_MARK, Recorded
from bluezone_tui.git.save import recording

if TYPE_CHECKING:
    from bluezone_tui.git.repository import DataRepository

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: no lock between processes
    fcntl = None  # type: ignore[assignment]  # no such module: checked for None before locking

OUTBOX_DIR = "outbox"
RECORD_FORMAT = 1
MAX_RECORD_BYTES = 1024 * 1024
LOCK_NAME = "outbox-lock"
NOTHING_SENT = "chưa gửi gì"

SENDING, SENT, FAILED, UNSURE = "sending", "sent", "failed", "unsure"
STATES = (SENDING, SENT, FAILED, UNSURE)
STATE_WORDS = {SENDING: "đang gửi", SENT: "đã gửi", FAILED: "lỗi", UNSURE: "chưa rõ"}


class DeliveryError(BluezoneError):
    """A channel could not deliver a message: why, in Vietnamese (the server's own words
    after), and whether it may have arrived all the same (`unsure`)."""

    def __init__(self, message: str, *, unsure: bool = False):
        super().__init__(message)
        self.unsure = unsure


@dataclass(frozen=True, slots=True)
class Receipt:
    """What the channel said when it took the message."""

    message_id: str = ""  # ours (the Message-ID header), known before sending
    reply: str = ""  # the server's final words (its queue id, e.g. "250 2.0.0 Ok: queued as …")


@dataclass(frozen=True, slots=True)
class AttachmentNote:
    """A file that went with a message, as the record keeps it (not its bytes)."""

    name: str
    size: int
    sha256: str


@dataclass(frozen=True, slots=True)
class Outgoing:
    """A message about to go: to whom, by which channel, what it says, in which round."""

    day: date  # the report's day (the folder the record is kept in)
    round: str  # "bao-cao" for the day's report; a reminder round's own name
    channel: str  # "email", later "sms", …
    recipient: str  # a stable key: a unit's id, or the slug of a report recipient
    to_name: str  # who, in words
    to: tuple[str, ...]  # addresses or numbers
    subject: str
    text: str
    attachments: tuple[AttachmentNote, ...] = ()
    message_id: str = ""  # the channel's id of the message, when it is made beforehand


@dataclass(frozen=True, slots=True)
class Record:
    """A message as the outbox keeps it."""

    id: str
    path: Path
    outgoing: Outgoing
    state: str
    written_at: datetime
    written_by: str  # the login user who sent it
    host: str  # the machine it was sent from
    finished_at: datetime | None = None
    reply: str = ""
    reason: str = ""  # why it failed, or why its outcome is unknown

    def state_now(self, in_progress: bool = False) -> str:
        """The state as a reader should take it: a record still `sending` while no send is
        running was left by a process that stopped halfway: its outcome is unknown."""
        if self.state == SENDING and not in_progress:
            return UNSURE
        return self.state

    @property
    def went(self) -> bool:
        """It went, or may have (sent, unsure, or still sending): sending it again would
        duplicate it."""
        return self.state != FAILED

    def describe(self, timezone: tzinfo) -> str:
        """ "đã gửi lúc 16:05 ngày 20/08/2020 bởi thu.ky (máy may-huyen)"."""
        moment = (self.finished_at or self.written_at).astimezone(timezone)
        word = STATE_WORDS[self.state_now()]
        return (
            f"{word} lúc {fmt_time(moment)} ngày {fmt_date_short(moment.date())} bởi "
            f"{printable(self.written_by)} (máy {printable(self.host)})"
        )


@dataclass(slots=True)
class Delivery:
    """What became of one message: its record, and what a person should know besides
    (a record whose history could not be committed, one line each)."""

    record: Record
    notes: list[str] = field(default_factory=list)

    @property
    def sent(self) -> bool:
        return self.record.state == SENT


@dataclass(slots=True)
class OutboxDay:
    records: list[Record]
    problems: list[Problem]


def host_name() -> str:
    return socket.gethostname() or "không rõ"


class Outbox:
    """The outbox of a data folder. `repository`: its git history, or None (history off:
    the records are plain files only)."""

    def __init__(
        self, data_dir: Path, timezone: tzinfo, repository: DataRepository | None = None
    ) -> None:
        self.data_dir = data_dir
        self.timezone = timezone
        self.repository = repository

    def folder(self, day: date) -> Path:
        return self.data_dir / OUTBOX_DIR / day.isoformat()

    # ----------------------------------------------------------------- reading

    def read(self, day: date) -> OutboxDay:
        """Every record of the day, oldest first; a file that cannot be read is a problem
        (named with its path), never skipped silently."""
        folder = self.folder(day)
        try:
            names = sorted(entry.name for entry in os.scandir(folder))
        except FileNotFoundError:
            return OutboxDay([], [])
        except OSError as exc:
            return OutboxDay([], [Problem(f"không đọc được: {os_reason(exc)}", path=folder)])
        records, problems = [], []
        for name in names:
            if not name.endswith(".toml") or name.startswith("."):
                continue
            path = folder / name
            try:
                records.append(parse_record(path, read_regular(path, MAX_RECORD_BYTES), day))
            except (OSError, ValueError) as exc:
                why = os_reason(exc) if isinstance(exc, OSError) else str(exc)
                problems.append(Problem(f"bản ghi thư gửi đi không đọc được: {why}", path=path))
        records.sort(key=lambda record: (record.written_at, record.id))
        return OutboxDay(records, problems)

    def of_round(self, day: date, round_name: str, recipient: str | None = None) -> list[Record]:
        """The day's records of one round (and one recipient), oldest first."""
        return [
            record
            for record in self.read(day).records
            if record.outgoing.round == round_name
            and (recipient is None or record.outgoing.recipient == recipient)
        ]

    # ----------------------------------------------------------------- one send at a time

    def _lock_path(self, create: bool = True) -> Path:
        repository = self.repository
        if repository is not None and repository.available:
            return repository.state_path(LOCK_NAME)  # inside .git: never committed
        folder = self.data_dir / OUTBOX_DIR
        if create:
            make_folders(folder)
        return folder / f".{LOCK_NAME}"

    @contextlib.contextmanager
    def exclusive(self, purpose: str = "đang gửi") -> Iterator[None]:
        """The outbox's lock for the whole of a send: a second send from this data folder
        (a cron job, the board, another terminal) is refused at once, nothing sent.
        Check what went already *inside* it, then deliver. A lock that cannot be made or
        written (another clerk's, a full or read-only disk) is a refused write naming it."""
        with refusing_writes(self.data_dir / OUTBOX_DIR, NOTHING_SENT):
            path = self._lock_path()
        note = f"tiến trình {os.getpid()} của {current_user()}: {purpose}"
        try:
            with holding(path, note, kept=NOTHING_SENT):
                yield
        except Busy as busy:
            raise RefusedError(
                f"đang có một lần gửi khác từ thư mục dữ liệu này "
                f"({printable(busy.holder) or 'một lệnh bluezone khác'}); chưa gửi gì, đợi nó xong"
            ) from None

    def in_progress(self) -> bool:
        """A send is running from this data folder now (someone holds `exclusive`)."""
        if fcntl is None:  # pragma: no cover
            return False
        try:
            path = self._lock_path(create=False)  # a reader never makes the folder
            fd = os.open(path, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
        except OSError:
            return False
        try:
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except OSError:
            return True
        finally:
            os.close(fd)
        return False

    # ----------------------------------------------------------------- writing

    def write(self, outgoing: Outgoing, now: datetime) -> tuple[Record, Recorded]:
        """A new record in `sending`, written and committed: call before handing the
        message to its channel. OSError when it cannot be written (then send nothing)."""
        written_at = now.astimezone(self.timezone)
        key = slug(outgoing.recipient)[:40] or "thu"
        record_id = f"{written_at:%H%M%S}-{key}-{secrets.token_hex(3)}"
        record = Record(
            id=record_id,
            path=self.folder(outgoing.day) / f"{record_id}.toml",
            outgoing=outgoing,
            state=SENDING,
            written_at=written_at,
            written_by=current_user(),
            host=host_name(),
        )
        return record, self._save(record, now)

    def finish(
        self, record: Record, now: datetime, state: str, reply: str = "", reason: str = ""
    ) -> tuple[Record, Recorded]:
        """The record marked sent, failed or unsure, written and committed."""
        if state not in (SENT, FAILED, UNSURE):
            raise ValueError(state)
        done = replace(
            record,
            state=state,
            finished_at=now.astimezone(self.timezone),
            reply=nfc(reply),
            reason=nfc(reason),
        )
        return done, self._save(done, now)

    def _save(self, record: Record, now: datetime) -> Recorded:
        """The record written (its day's folder made, taken back if the write fails) and
        committed. OSError when it cannot be written."""
        data = render_record(record, self.timezone)
        made = Made()
        try:
            with recording(
                self.repository, record.path, now, data_dir=self.data_dir, doing="ghi thư gửi đi"
            ) as recorded:
                made.folders(record.path.parent)
                replace_atomically(record.path, data)
        except BaseException:
            made.undo()
            raise
        return recorded

    # ----------------------------------------------------------------- the protocol

    def deliver(
        self, outgoing: Outgoing, hand: Callable[[], Receipt], clock: Callable[[], datetime]
    ) -> Delivery:
        """Write the record, hand the message to its channel (`hand`), then mark the
        record with what happened. Call inside `exclusive()`.

        `hand` returns the channel's Receipt or raises DeliveryError (unsure when the
        message may have arrived). A record that cannot be written stops everything
        before the channel is used (RefusedError). Interrupted while handing (Ctrl+C),
        the record stays `sending`, which every reader takes as unsure.
        """
        with refusing_writes(
            self.folder(outgoing.day), NOTHING_SENT, what="không ghi được bản ghi thư gửi đi"
        ):
            record, recorded = self.write(outgoing, clock())
        delivery = Delivery(record)
        _note(delivery, recorded)
        try:
            receipt = hand()
        except DeliveryError as exc:
            state = UNSURE if exc.unsure else FAILED
            self._mark(delivery, clock(), state, reason=exc.message)
            return delivery
        reply = receipt.reply
        self._mark(delivery, clock(), SENT, reply=reply)
        return delivery

    def _mark(
        self, delivery: Delivery, now: datetime, state: str, reply: str = "", reason: str = ""
    ) -> None:
        kept = "bản ghi vẫn ở trạng thái chưa rõ"
        what = f"không ghi được kết quả «{STATE_WORDS[state]}»"
        try:
            with refusing_writes(delivery.record.path, kept, what=what):
                delivery.record, recorded = self.finish(delivery.record, now, state, reply, reason)
        except BluezoneError as exc:  # the outcome is known but could not be kept: unsure
            delivery.notes.append(exc.message)
            return
        _note(delivery, recorded)


def _note(delivery: Delivery, recorded: Recorded) -> None:
    if recorded.problem and recorded.problem not in delivery.notes:
        delivery.notes.append(recorded.problem)


def share(repository: DataRepository | None, now: datetime) -> str:
    """`bluezone sync` of the data folder, so other offices see what was sent; "" when
    done or when there is nothing to share with, else why not (one line)."""
    if repository is None or not repository.available:
        return ""
    from bluezone_tui.git.sync import has_remote, sync

    try:
        if not has_remote(repository):
            return ""
        result = sync(repository, now)
    except BluezoneError as exc:
        return f"chưa đồng bộ được với kho chung: {exc.message}"
    except OSError as exc:
        return f"chưa đồng bộ được với kho chung: {os_reason(exc)}"
    if result.conflicts:
        return (
            f"đồng bộ dừng ở {len(result.conflicts)} tệp xung đột: giải quyết rồi «bluezone sync»"
        )
    return ""


# ----------------------------------------------------------------------------- the file


def render_record(record: Record, timezone: tzinfo) -> bytes:
    """The record as TOML, its first line the commit subject (`# bluezone: …`)."""
    outgoing = record.outgoing
    data: dict[str, Any] = {
        "format": RECORD_FORMAT,
        "id": record.id,
        "day": outgoing.day,
        "round": outgoing.round,
        "channel": outgoing.channel,
        "recipient": outgoing.recipient,
        "to_name": outgoing.to_name,
        "to": list(outgoing.to),
        "subject": outgoing.subject,
        "text": outgoing.text,
        "message_id": outgoing.message_id,
        "state": record.state,
        "written_at": record.written_at,
        "written_by": record.written_by,
        "host": record.host,
    }
    if record.finished_at is not None:
        data["finished_at"] = record.finished_at
    if record.reply:
        data["reply"] = record.reply
    if record.reason:
        data["reason"] = record.reason
    if outgoing.attachments:
        data["attachments"] = [
            {"name": a.name, "size": a.size, "sha256": a.sha256} for a in outgoing.attachments
        ]
    subject = " ".join(f"{SUBJECT_MARK.decode()}{subject_line(record)}".split())
    return (subject + "\n" + tomli_w.dumps(data, multiline_strings=True)).encode("utf-8")


def subject_line(record: Record) -> str:
    """The commit's subject: "outbox 2020-08-20 bao-cao: email tới Ủy ban … — đã gửi"."""
    outgoing = record.outgoing
    return (
        f"outbox {outgoing.day.isoformat()} {outgoing.round}: {outgoing.channel} tới "
        f"{outgoing.to_name} — {STATE_WORDS[record.state]}"
    )


def parse_record(path: Path, raw: bytes, day: date) -> Record:
    """A record file; ValueError (Vietnamese) when it is not one."""
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise ValueError("không phải văn bản UTF-8") from None
    except tomllib.TOMLDecodeError as exc:
        reason, line, column = toml_error(exc)
        where = f" (dòng {line}, cột {column})" if line is not None else ""
        raise ValueError(f"TOML không hợp lệ{where}: {reason}") from None

    def text(key: str, required: bool = True) -> str:
        value = data.get(key, "")
        if not isinstance(value, str) or (required and not value):
            raise ValueError(f"thiếu hoặc sai «{key}»")
        return value

    def moment(key: str, required: bool = True) -> datetime | None:
        value = data.get(key)
        if value is None and not required:
            return None
        if not isinstance(value, datetime) or value.tzinfo is None:
            raise ValueError(f"«{key}» phải là thời điểm có múi giờ")
        return value

    state = text("state")
    if state not in STATES:
        raise ValueError(f"«state» là {', '.join(STATES)}, không phải «{state}»")
    to = data.get("to", [])
    if not isinstance(to, list) or not all(isinstance(item, str) for item in to):
        raise ValueError("«to» phải là danh sách địa chỉ")
    notes = []
    for item in data.get("attachments", []):
        if not isinstance(item, dict):
            raise ValueError("«attachments» sai dạng")
        size = item.get("size", 0)
        if not isinstance(size, int) or isinstance(size, bool):
            raise ValueError("«size» của tệp gửi kèm phải là số")
        notes.append(AttachmentNote(str(item.get("name", "")), size, str(item.get("sha256", ""))))
    written_at = moment("written_at")
    assert written_at is not None
    record_day = data.get("day", day)
    if not isinstance(record_day, date) or isinstance(record_day, datetime):
        raise ValueError("«day» phải là ngày YYYY-MM-DD")
    return Record(
        id=text("id"),
        path=path,
        outgoing=Outgoing(
            day=record_day,
            round=text("round"),
            channel=text("channel"),
            recipient=text("recipient"),
            to_name=text("to_name", required=False),
            to=tuple(to),
            subject=text("subject", required=False),
            text=text("text", required=False),
            attachments=tuple(notes),
            message_id=text("message_id", required=False),
        ),
        state=state,
        written_at=written_at,
        written_by=text("written_by", required=False),
        host=text("host", required=False),
        finished_at=moment("finished_at", required=False),
        reply=text("reply", required=False),
        reason=text("reason", required=False),
    )
