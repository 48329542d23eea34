"""`bluezone sent add`: a signed report taken back, checked against what bluezone
exported, kept under the data folder and its day marked sent.

The signed file must start with the very bytes bluezone exported (an incremental
signature only appends). Rather than keep every export, the file is made again: its
first revision's metadata names the day, the moment counted and the data's revision
(a git commit, or the digest of files not committed yet); the report is rebuilt from
that data with the same code, byte for byte, and compared. So the check proves the
figures, not only the file: a report made from other data, or edited before it was
signed, cannot match.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime

from asn1crypto import x509

from bluezone_tui.base.failed_writes import refusing_writes
from bluezone_tui.base.files import replace_atomically
from bluezone_tui.base.problems import RefusedError
from bluezone_tui.base.vn import fmt_date_short, fmt_time
from bluezone_tui.day.fingerprint import DIGEST_PREFIX, data_digest
from bluezone_tui.day.loader import load_day
from bluezone_tui.day.store import Store, current_user
from bluezone_tui.git.repository import (
    SAVE_WAIT_SECONDS,
    DataRepository,
    Recorded,
)
from bluezone_tui.git.sent import (
    SentDifference,
    SentTag,
    data_as_of,
    describe_tag,
    mark_sent,
    read_tag,
    refuse_unsent,
    sent_difference,
    tag_names,
)
from bluezone_tui.registry.load import load_registry
from bluezone_tui.reports.content import build_content, content_digest
from bluezone_tui.reports.pdf import (
    META_CONTENT,
    META_COUNTED_AT,
    META_DAY,
    META_REVISION,
    META_TOOL,
    render_pdf,
)
from bluezone_tui.signing.verify import Signature, check_signature

SENT_FOLDER = "sent"  # inside the data folder: the signed reports, committed
OTHER_FIGURES = "báo cáo ký không phải bản bluezone xuất từ số liệu này"
SIGNER_TRAILER = "bluezone-signer"
SIGNED_AT_TRAILER = "bluezone-signed-at"
FILE_TRAILER = "bluezone-file"
CONTENT_TRAILER = "bluezone-content"


@dataclass(frozen=True, slots=True)
class SentRecord:
    """A signed report taken in: where it is kept, what it was made from, who signed it."""

    day: date
    path: str  # relative to the data folder
    tag: str
    revision: str  # the commit its figures are (the tag's commit)
    counted_at: datetime
    signature: Signature
    recorded: Recorded
    since: SentDifference | None  # the day's data now against what was signed


class AlreadyRecorded(Exception):
    """The very file (its bytes) was taken in before: nothing to do, nothing new tagged."""

    def __init__(self, path: str, tag: SentTag) -> None:
        super().__init__(path)
        self.path = path
        self.tag = tag

    @property
    def message(self) -> str:
        return f"đã ghi nhận tệp này rồi ({self.path}, nhãn {describe_tag(self.tag)})"


@dataclass(frozen=True, slots=True)
class _Export:
    """What the signed file's first revision says about itself."""

    day: date
    counted_at: datetime
    revision: str
    content: str
    tool: str


def _export_of(signature: Signature, day: date | None) -> _Export:
    info = signature.original
    missing = [key for key in (META_DAY, META_COUNTED_AT, META_REVISION) if not info.get(key)]
    if missing:
        raise RefusedError(
            f"{OTHER_FIGURES}: tệp không mang thông tin của bluezone (ngày, số liệu đã dùng); "
            f"chỉ nhận báo cáo PDF xuất bằng «bluezone export --format pdf» rồi ký"
        )
    try:
        made_for = date.fromisoformat(info[META_DAY])
        counted_at = datetime.fromisoformat(info[META_COUNTED_AT])
    except ValueError:
        raise RefusedError(f"{OTHER_FIGURES}: thông tin ngày trong tệp không đọc được") from None
    if day is not None and made_for != day:
        raise RefusedError(
            f"đây là báo cáo ngày {fmt_date_short(made_for)}, không phải ngày "
            f"{fmt_date_short(day)} (--date)"
        )
    return _Export(
        made_for,
        counted_at,
        info[META_REVISION],
        info.get(META_CONTENT, ""),
        info.get(META_TOOL, ""),
    )


def _rebuilt(store: Store, repository: DataRepository, made: _Export) -> tuple[bytes, str]:
    """Our PDF made again from the data its metadata names, and that content's digest."""
    if made.revision.startswith(DIGEST_PREFIX):
        if data_digest(store.data_dir, made.day) != made.revision:
            raise RefusedError(
                f"{OTHER_FIGURES}: bản xuất được lập từ số liệu chưa ghi vào git, và số liệu "
                f"trong thư mục đã khác từ đó; xuất lại (export --format pdf), ký lại"
            )
        return _render(store, made)
    found = repository.git.run(
        "cat-file", "-e", f"{made.revision}^{{commit}}", check=False
    ).returncode
    if found != 0:
        raise RefusedError(
            f"{OTHER_FIGURES}: tệp lập từ số liệu ở commit {made.revision[:10]}, không có trong "
            f"lịch sử ở đây (xuất ở văn phòng khác? chạy «bluezone sync» rồi thử lại)"
        )
    with data_as_of(repository, made.revision, made.day) as folder:
        return _render(Store(folder, load_registry(folder)), made)


def _render(store: Store, made: _Export) -> tuple[bytes, str]:
    timezone = store.registry.timezone
    consolidation = load_day(store, made.day, made.counted_at.astimezone(timezone))
    digest = content_digest(build_content(consolidation, store.registry))
    return render_pdf(consolidation, store.registry, made.revision), digest


def check_export(data: bytes, store: Store, repository: DataRepository, made: _Export) -> None:
    """Refuse, saying which, a signed file whose first revision is not the PDF bluezone
    makes from the data its metadata names."""
    ours, digest = _rebuilt(store, repository, made)
    if data[: len(ours)] == ours:
        return
    if made.content and made.content != digest:
        raise RefusedError(
            f"{OTHER_FIGURES}: số liệu trong tệp ký khác số liệu ngày "
            f"{fmt_date_short(made.day)} lúc lập báo cáo (bản xuất khác, hoặc đã bị sửa trước "
            f"khi ký)"
        )
    raise RefusedError(
        f"{OTHER_FIGURES}: cùng số liệu nhưng tệp khác bản bluezone xuất (lập bằng "
        f"{made.tool or 'công cụ khác'}, hoặc đã bị sửa trước khi ký)"
    )


def add_sent(
    store: Store,
    repository: DataRepository,
    data: bytes,
    *,
    day: date | None,
    now: datetime,
    roots: list[x509.Certificate] | None,
) -> SentRecord:
    """Check a signed report (RefusedError saying what is wrong), keep it under sent/DAY/,
    commit it, and tag the commit its figures come from as the day's report sent."""
    signature = check_signature(data, roots, store.registry.timezone)
    if roots is not None and not signature.trusted:
        raise RefusedError(
            f"chứng thư của người ký ({signature.signer}) {signature.trust_problem} "
            f"(signing.trust_roots)"
        )
    made = _export_of(signature, day)
    relative = kept_path(made.day, data)
    _refuse_recorded(repository, made.day, relative, data)
    with repository.lock("đang ghi nhận báo cáo đã ký", SAVE_WAIT_SECONDS):
        _refuse_recorded(repository, made.day, relative, data)  # by another command meanwhile
        recorded = repository.commit_pending(now)
        if recorded.problem:
            raise RefusedError(f"chưa ghi nhận: {recorded.problem}")
        revision = made.revision
        if revision.startswith(DIGEST_PREFIX):  # made from data not committed: it must be now
            # the working tree first: a day file changed by hand is said as such, as a new
            # file is, not as a signed report whose data differs
            refuse_unsent(repository, made.day)
            check_export(data, store, repository, made)
            revision = repository.git.output("rev-parse", "HEAD")
        else:
            check_export(data, store, repository, made)
        _commit_file(repository, relative, data, signature, made, now)
        when = signature.timestamped_at or signature.signed_at
        trailers = {
            FILE_TRAILER: relative,
            SIGNER_TRAILER: signature.signer,
            CONTENT_TRAILER: made.content,
        }
        if when is not None:
            trailers[SIGNED_AT_TRAILER] = when.isoformat()
        tag = mark_sent(
            repository, made.day, made.counted_at, now, "pdf", commit=revision, trailers=trailers
        )
    return SentRecord(
        day=made.day,
        path=relative,
        tag=tag,
        revision=revision,
        counted_at=made.counted_at,
        signature=signature,
        recorded=recorded,
        since=sent_difference(repository, made.day),
    )


def kept_path(day: date, data: bytes) -> str:
    """Where a signed report is kept, relative to the data folder: named by its digest."""
    digest = hashlib.sha256(data).hexdigest()
    return (
        f"{SENT_FOLDER}/{day.isoformat()}/bao-cao-bluezone-{day.isoformat()}-ky-{digest[:12]}.pdf"
    )


def _refuse_recorded(repository: DataRepository, day: date, relative: str, data: bytes) -> None:
    """AlreadyRecorded when these very bytes are kept at `relative`, committed, and a
    report tag of the day names them."""
    path = repository.data_dir / relative
    try:
        if not path.is_file() or path.read_bytes() != data:
            return
    except OSError:
        return
    if repository.git.run("ls-files", "--error-unmatch", "--", relative, check=False).returncode:
        return
    for name in reversed(tag_names(repository, day)):
        tag = read_tag(repository, name)
        if tag.trailers.get(FILE_TRAILER) == relative:
            raise AlreadyRecorded(relative, tag)


def _commit_file(
    repository: DataRepository,
    relative: str,
    data: bytes,
    signature: Signature,
    made: _Export,
    now: datetime,
) -> None:
    """The signed file written under sent/ and committed alone."""
    path = repository.data_dir / relative
    with refusing_writes(path, "chưa ghi nhận gì") as taken_back:
        taken_back.folders(path.parent)
        replace_atomically(path, data)
    when = signature.timestamped_at or signature.signed_at
    at = f" lúc {fmt_time(when)} ngày {fmt_date_short(when.date())}" if when else ""
    message = (
        f"Báo cáo ngày {fmt_date_short(made.day)} đã ký số: {signature.signer}{at}\n\n"
        f"{FILE_TRAILER}: {relative}\n"
    )

    def describe(*_: object) -> tuple[str, str, datetime | None]:
        return message, current_user(), now

    # exactly the bytes written, alone, as every save (git/plumbing.py)
    repository.commit_file(relative, now, describe=describe)
