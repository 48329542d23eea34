"""The commit of a save: a day file (or units.yaml) written and, when the data folder keeps
history, committed alone, under the data folder's lock. The CLI, the form and the
conflict form all save through here."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from datetime import date, datetime
from pathlib import Path

from bluezone_tui.base.problems import RefusedError
from bluezone_tui.base.vn import fmt_date_short
from bluezone_tui.day.entry import Draft, commit, withdraw
from bluezone_tui.day.store import Store
from bluezone_tui.day.submission import Submission, Withdrawal
from bluezone_tui.git.head import refuse_unless_writable
from bluezone_tui.git.repository import DataRepository, Recorded
from bluezone_tui.git.sent import SentTag, describe_tag, last_sent


class ReasonRequired(RefusedError):
    """A save to a day whose report was sent, without a reason: nothing written (exit 1)."""


@contextlib.contextmanager
def recording(
    repository: DataRepository | None,
    path: Path,
    now: datetime,
    reason: str = "",
    *,
    data_dir: Path,
    doing: str = "lưu số liệu",
) -> Iterator[Recorded]:
    """Around a save of `path` in the data folder `data_dir` (CLI, board, anything that
    writes a day file, units.yaml or the outbox): its commit when history is on (see
    DataRepository.saving), nothing otherwise. Either way nothing is written where the
    folder's git is not on a branch (head.py: with `history: none` too, since the file
    would go wherever the next checkout takes it): NotOnBranch, `doing` refused."""
    if repository is None:
        refuse_unless_writable(data_dir, doing)
        yield Recorded()
        return
    with repository.saving(path, now, reason, doing) as recorded:
        yield recorded


def sent_report(repository: DataRepository | None, day: date) -> SentTag | None:
    """The day's last report marked sent (export --mark-sent, sign, sent add), if any: a
    save to that day must say why (the day is locked)."""
    if repository is None or not repository.available or not repository.has_commits():
        return None
    return last_sent(repository, day)


def require_reason(repository: DataRepository | None, day: date, reason: str | None) -> None:
    """Refuse (ReasonRequired) a save without a reason to a day whose report was sent."""
    if reason and reason.strip():
        return
    sent = sent_report(repository, day)
    if sent is not None:
        raise ReasonRequired(
            f"báo cáo ngày {fmt_date_short(day)} đã gửi ({describe_tag(sent)}): sửa số liệu "
            f"sau khi gửi phải ghi lý do"
        )


def save_entry(
    store: Store,
    repository: DataRepository | None,
    now: datetime,
    day: date,
    unit_id: str,
    draft: Callable[[], Draft],
    *,
    base_revision: int | None = None,
    base_digest: int | None = None,
    reason: str | None = None,
) -> tuple[Submission, Recorded]:
    """The draft made and saved under the data folder's lock, then committed: a save that
    comes during a sync's merge waits for the lock, then is refused (a RefusedError,
    nothing written). History that could not be recorded is the Recorded's `problem`; the
    save itself is kept. base_revision/base_digest: what the person started editing from
    (by default, the file as the draft was made). `reason`: why a day whose report was
    sent is changed; required then (require_reason), kept in the commit's message."""
    require_reason(repository, day, reason)
    path = store.path_for(day, unit_id)
    with recording(
        repository, path, now, (reason or "").strip(), data_dir=store.data_dir
    ) as recorded:
        saved = commit(store, draft(), base_revision=base_revision, base_digest=base_digest)
    return saved, recorded


def save_draft(
    store: Store,
    draft: Draft,
    repository: DataRepository | None,
    now: datetime,
    *,
    base_revision: int | None = None,
    base_digest: int | None = None,
    reason: str | None = None,
) -> tuple[Submission, Recorded]:
    """save_entry() of a draft made already (the form's: it was checked as it was typed)."""
    return save_entry(
        store, repository, now, draft.submission.day, draft.unit.id, lambda: draft,
        base_revision=base_revision, base_digest=base_digest, reason=reason,
    )  # fmt: skip


def withdraw_entry(
    store: Store,
    repository: DataRepository | None,
    now: datetime,
    day: date,
    unit_id: str,
    *,
    reason: str,
    withdrawn_by: str | None = None,
    base_revision: int | None = None,
) -> tuple[Withdrawal, bool, Recorded]:
    """`bluezone withdraw`: the report replaced by its withdrawal under the data folder's
    lock, then committed (who withdrew it and why, in the commit's message)."""
    sent = reason if sent_report(repository, day) is not None else ""  # a locked day's reason
    path = store.path_for(day, unit_id)
    with recording(
        repository, path, now, sent.strip(), data_dir=store.data_dir, doing="rút báo cáo"
    ) as recorded:
        withdrawal, written = withdraw(
            store, unit_id, day, reason=reason, now=now, withdrawn_by=withdrawn_by,
            base_revision=base_revision,
        )  # fmt: skip
    return withdrawal, written, recorded
