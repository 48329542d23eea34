"""A unit's day edited in two clones: both versions, and the resolution that replaces them.

git leaves such a file with conflict markers. Its two sides are read back as two
submissions (value, who, when): from git's index when the merge is in progress
(each side exactly as its office saved it), else from the markers themselves. A
resolution keeps one side, or takes figures typed by a person, goes through the same
checks as every entry, is written with a revision greater than both sides', and
records both values in the merge commit's message.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path

from bluezone_tui.base.files import CONFLICT_MARKER, os_reason
from bluezone_tui.base.problems import Problem, RefusedError
from bluezone_tui.base.safe_text import printable
from bluezone_tui.base.vn import fmt_date_short, fmt_time
from bluezone_tui.day.entry import Draft, prepare
from bluezone_tui.day.store import Store, find_unit
from bluezone_tui.day.submission import Submission, Value, Withdrawal, digest_of, parse_file
from bluezone_tui.git import audit
from bluezone_tui.git.head import refuse_unless_writable
from bluezone_tui.git.repository import SAVE_WAIT_SECONDS, DataRepository, Recorded, not_recorded
from bluezone_tui.registry.model import Unit

OURS, THEIRS = "ours", "theirs"
SIDE_WORDS = {OURS: "bên này", THEIRS: "bên kia"}
# Problem.code of a field the two sides disagree on, left open ("conflict:KEY"), and of a
# withdrawal met by nothing to replace it. The core says what is wrong; how to choose is
# worded by whoever asks (the CLI's options, the board's keys and inputs).
CONFLICT_CODE = "conflict"
WITHDRAWN_CODE = "conflict-withdrawn"


@dataclass(frozen=True, slots=True)
class Side:
    """One version of the file: this office's (ours) or the one merged in (theirs)."""

    name: str
    label: str  # where git says it came from: HEAD, origin/main
    submission: Submission | None
    problems: tuple[Problem, ...] = ()
    withdrawal: Withdrawal | None = None  # this side withdrew the report (bluezone withdraw)

    @property
    def words(self) -> str:
        return SIDE_WORDS[self.name]

    @property
    def revision(self) -> int:
        if self.submission is not None:
            return self.submission.revision
        return self.withdrawal.revision if self.withdrawal is not None else 0

    def who_when(self) -> str:
        """ "bản 3, lan 14:52" — for messages and the form."""
        sub = self.submission
        if sub is None and self.withdrawal is not None:
            gone = self.withdrawal
            return f"bản {gone.revision}, rút bởi {printable(gone.by) or 'không rõ'} {fmt_time(gone.at)}"
        if sub is None:
            return "không đọc được"
        who = printable(sub.entered_by) or "không rõ"
        when = f" {fmt_time(sub.entered_at)}" if sub.entered_at else ""
        return f"bản {sub.revision}, {who}{when}"


@dataclass(frozen=True, slots=True)
class Conflict:
    unit: Unit
    day: date
    path: Path
    ours: Side
    theirs: Side
    digest: int  # of the conflicted file: a resolution is written only over that file

    def side(self, name: str) -> Side:
        return self.ours if name == OURS else self.theirs

    @property
    def readable(self) -> bool:
        return all(
            side.submission is not None or side.withdrawal is not None
            for side in (self.ours, self.theirs)
        )

    @property
    def withdrawn(self) -> Side | None:
        """The side that withdrew the report, when one did."""
        return next((side for side in (self.ours, self.theirs) if side.withdrawal), None)

    def differences(self) -> list[audit.Change]:
        """What the two sides disagree on (ours as old, theirs as new)."""
        return audit.changes(self.ours.submission, self.theirs.submission, self.unit.form)


@dataclass(slots=True)
class Resolution:
    submission: Submission
    recorded: Recorded = field(default_factory=Recorded)
    remaining: list[str] = field(default_factory=list)  # conflicts git still has


@dataclass(slots=True)
class WithdrawalKept:
    """A report against its withdrawal, resolved by keeping the withdrawal."""

    withdrawal: Withdrawal
    recorded: Recorded = field(default_factory=Recorded)
    remaining: list[str] = field(default_factory=list)


def has_markers(text: str) -> bool:
    return CONFLICT_MARKER.search(text) is not None


def split_markers(text: str) -> tuple[str, str, str, str] | None:
    """(ours, theirs, ours' label, theirs' label) from a text with git's markers; the
    base section of the diff3 styles is dropped. None when the markers are not whole."""
    ours: list[str] = []
    theirs: list[str] = []
    labels = ["", ""]
    where = "both"
    for line in text.splitlines(keepends=True):
        mark = line[:7]
        if mark == "<<<<<<<" and where == "both":
            where, labels[0] = "ours", line[7:].strip()
        elif mark == "|||||||" and where == "ours":
            where = "base"
        elif mark == "=======" and where in ("ours", "base"):
            where = "theirs"
        elif mark == ">>>>>>>" and where == "theirs":
            where, labels[1] = "both", line[7:].strip()
        elif where == "both":
            ours.append(line)
            theirs.append(line)
        elif where == "ours":
            ours.append(line)
        elif where == "theirs":
            theirs.append(line)
    if where != "both" or not labels[0]:
        return None
    return "".join(ours), "".join(theirs), labels[0], labels[1]


def read_conflict(
    store: Store, unit_id: str, day: date, repository: DataRepository | None = None
) -> Conflict | None:
    """The unit's day file as two sides, or None when it has no conflict."""
    unit = find_unit(store, unit_id)
    path = store.path_for(day, unit_id)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise RefusedError(f"{path}: không đọc được ({os_reason(exc)})") from None
    text = raw.decode("utf-8-sig", errors="replace")
    if not has_markers(text):
        return None
    split = split_markers(text)
    labels = (split[2], split[3].removeprefix("refs/remotes/")) if split else ("HEAD", "")
    staged = _staged_sides(repository, path) if repository is not None else None
    if staged is not None:
        ours_raw, theirs_raw = staged
    elif split is not None:
        ours_raw, theirs_raw = split[0].encode("utf-8"), split[1].encode("utf-8")
    else:
        raise RefusedError(
            f"{path}: dấu xung đột git không trọn vẹn (thiếu «<<<<<<<», «=======» hay "
            f"«>>>>>>>»): hãy sửa tệp bằng tay rồi chạy «bluezone check»"
        )
    timezone = store.registry.timezone

    def side(name: str, data: bytes | None, label: str) -> Side:
        if data is None:  # one side has no such file (added on one side only)
            return Side(name, label, None, (Problem("không có tệp ở bên này", path=path),))
        parsed = parse_file(path, data, unit, day, timezone)
        submission = parsed.submission if not parsed.errors else None
        withdrawal = parsed.withdrawal if not parsed.errors else None
        return Side(name, label, submission, parsed.problems, withdrawal)

    return Conflict(
        unit=unit,
        day=day,
        path=path,
        ours=side(OURS, ours_raw, labels[0]),
        theirs=side(THEIRS, theirs_raw, labels[1]),
        digest=digest_of(raw),
    )


def _staged_sides(
    repository: DataRepository, path: Path
) -> tuple[bytes | None, bytes | None] | None:
    """Stage 2 (ours) and 3 (theirs) of a path git has not merged, or None."""
    if not repository.available or not repository.merging():
        return None
    relative = repository.relative(path)
    out = repository.git.run("ls-files", "-u", "-z", "--", relative).stdout
    blobs: dict[int, str] = {}
    for entry in out.split(b"\0"):
        if not entry:
            continue
        info, _, _name = entry.partition(b"\t")
        parts = info.split()
        if len(parts) == 3:
            blobs[int(parts[2])] = parts[1].decode()
    if 2 not in blobs and 3 not in blobs:
        return None
    wanted = [blobs[stage] for stage in (2, 3) if stage in blobs]
    contents = repository.objects(wanted)
    return contents.get(blobs.get(2, "")), contents.get(blobs.get(3, ""))


def conflicted_units(repository: DataRepository) -> tuple[list[tuple[date, str]], list[str]]:
    """(day, unit id) of every day file git could not merge, and every other such path."""
    from bluezone_tui.git.repository import day_and_unit

    units, others = [], []
    for relative in repository.unmerged():
        place = day_and_unit(relative)
        if place is not None and place[1] in repository.registry.by_id:
            units.append(place)
        else:
            others.append(relative)
    return units, others


def prepare_resolution(
    store: Store,
    conflict: Conflict,
    *,
    keep: str | None,
    values: dict[str, str],
    now: datetime,
    reported_at: datetime | None = None,
    note: str | None = None,
    entered_by: str | None = None,
    confirm: tuple[str, ...] | list[str] = (),
) -> Draft:
    """The resolved report, checked as every entry is: one side kept (`keep`), with any
    figures typed over it (`values`). Without `keep`, every field the sides disagree on
    must be given: nothing is chosen for the person."""
    if not conflict.readable:
        broken = conflict.ours if conflict.ours.submission is None else conflict.theirs
        why = broken.problems[0].message if broken.problems else "không đọc được"
        raise RefusedError(
            f"{conflict.path}: {broken.words} của xung đột không đọc được ({why}): hãy sửa "
            f"tệp bằng tay (giữ một phiên bản, xoá các dòng «<<<<<<<», «=======», «>>>>>>>»), "
            f"rồi chạy «bluezone check»",
            list(broken.problems),
        )
    withdrawn = conflict.withdrawn
    if withdrawn is not None and (keep == withdrawn.name or (keep is None and not values)):
        message = (
            f"{conflict.path}: {withdrawn.words} đã rút báo cáo, không kèm số liệu nào: giữ "
            f"việc rút, hoặc giữ báo cáo của bên kia hay ghi số liệu"
        )
        raise RefusedError(message, [Problem(message, code=WITHDRAWN_CODE)])
    ours, theirs = conflict.ours.submission, conflict.theirs.submission
    if withdrawn is not None:  # a report against its withdrawal: typed figures make a report
        report = ours or theirs
        assert report is not None
        ours = theirs = report
    assert ours is not None and theirs is not None  # conflict.readable
    base = ours if (keep or OURS) == OURS else theirs
    open_keys = []
    if keep is None and withdrawn is None:
        given = set(values)
        if reported_at is not None:
            given.add(audit.REPORTED_AT)
        if note is not None:
            given.add(audit.NOTE)
        open_keys = [
            change.key
            for change in conflict.differences()
            if change.key not in given and change.key != audit.CONFIRMATIONS
        ]
    typed: dict[str, str | Value] = dict(base.figures)
    typed.update(values)
    draft = prepare(
        store,
        conflict.unit.id,
        conflict.day,
        typed,
        now=now,
        reported_at=reported_at or base.reported_at,
        note=note if note is not None else base.note,
        entered_by=entered_by,
        confirm=confirm,
        replace=True,
        existing=base,
        base=_lower_of(ours, theirs),
    )
    revision = max(conflict.ours.revision, conflict.theirs.revision) + 1
    problems = list(draft.problems)
    for key in open_keys:
        problems.append(
            Problem(
                f"«{audit.label(key, conflict.unit.form)}»: hai bên khác nhau, chưa có giá "
                f"trị cuối cùng",
                field=key,
                code=f"{CONFLICT_CODE}:{key}",
            )
        )
    return Draft(
        unit=draft.unit,
        submission=draft.submission.with_changes(revision=revision),
        problems=tuple(problems),
        base_revision=revision - 1,
        base_digest=conflict.digest,
        previous=draft.previous,
    )


def _lower_of(ours: Submission, theirs: Submission) -> Submission:
    """What a typed figure is a correction downwards from: a figure lower than both sides'
    asks for a confirmation, one between them (or equal to either) does not."""
    figures = dict(ours.figures)
    for key, value in theirs.figures.items():
        mine = figures.get(key)
        if isinstance(value, int) and isinstance(mine, int) and not isinstance(value, bool):
            figures[key] = min(mine, value)
        elif mine is None:
            figures[key] = value
    return ours.with_changes(figures=figures)


RESOLVING = "giải quyết xung đột"  # what is refused where git is not on a branch


def resolve(
    store: Store,
    repository: DataRepository | None,
    conflict: Conflict,
    draft: Draft,
    now: datetime,
) -> Resolution:
    """Write the resolution over the conflicted file, then record it in git: staged into
    the merge with both sides' values in its message, and the merge committed when this
    was the last conflict. A draft with errors or unconfirmed warnings is refused."""
    if draft.errors:
        raise RefusedError("chưa giải quyết: số liệu có lỗi", list(draft.errors))
    if draft.warnings:
        raise RefusedError(
            "chưa giải quyết: số liệu có cảnh báo cần xác nhận (--confirm-warnings, kèm --note "
            "nếu số lũy kế giảm)",
            list(draft.warnings),
        )
    if repository is None:
        refuse_unless_writable(store.data_dir, RESOLVING)
        return Resolution(store.replace_conflicted(draft.submission, conflict.digest))
    if not repository.available:
        repository.refuse_unwritable(RESOLVING)
        saved = store.replace_conflicted(draft.submission, conflict.digest)
        return Resolution(saved, Recorded(problem=not_recorded(repository.unavailable)))
    with repository.lock("đang giải quyết xung đột", SAVE_WAIT_SECONDS):
        saved = store.replace_conflicted(draft.submission, conflict.digest)
        lines = resolution_lines(conflict, saved)
        recorded = repository.record_resolution(conflict.path, lines, saved.entered_by, now)
    remaining = repository.unmerged() if repository.merging() else []
    return Resolution(saved, recorded, remaining)


def resolve_withdrawn(
    store: Store, repository: DataRepository | None, conflict: Conflict, now: datetime
) -> WithdrawalKept:
    """A report against its withdrawal, resolved by keeping the withdrawal: written with a
    revision greater than both sides', recorded in the merge as every resolution is."""
    side = conflict.withdrawn
    assert side is not None and side.withdrawal is not None
    kept = replace(
        side.withdrawal, revision=max(conflict.ours.revision, conflict.theirs.revision) + 1
    )
    other = conflict.theirs if side is conflict.ours else conflict.ours
    lines = [
        f"{conflict.unit.id} {conflict.day.isoformat()} (bản {kept.revision}): giữ việc rút báo "
        f"cáo ({side.words} {side.label}, {side.who_when()}, lý do {audit.audit_value(kept.reason)}); "
        f"bỏ báo cáo ({other.words} {other.label}, {other.who_when()})"
    ]
    if repository is None or not repository.available:
        refuse_unless_writable(store.data_dir, RESOLVING)
        saved = store.replace_conflicted_withdrawal(kept, conflict.digest)
        problem = not_recorded(repository.unavailable) if repository is not None else ""
        return WithdrawalKept(saved, Recorded(problem=problem))
    with repository.lock("đang giải quyết xung đột", SAVE_WAIT_SECONDS):
        saved = store.replace_conflicted_withdrawal(kept, conflict.digest)
        recorded = repository.record_resolution(conflict.path, lines, saved.by, now)
    remaining = repository.unmerged() if repository.merging() else []
    return WithdrawalKept(saved, recorded, remaining)


def resolution_lines(conflict: Conflict, saved: Submission) -> list[str]:
    """For the merge message: the unit and day, who resolved, and per disputed field the
    value kept and each value dropped with its side, revision, author and time."""
    who = printable(saved.entered_by) or "không rõ"
    lines = [
        f"{conflict.unit.id} {conflict.day.isoformat()} (bản {saved.revision}, giải quyết bởi "
        f"{who} lúc {saved.entered_at:%Y-%m-%d %H:%M:%S}):"
        if saved.entered_at
        else f"{conflict.unit.id} {conflict.day.isoformat()} (bản {saved.revision}, bởi {who}):"
    ]
    for change in conflict.differences():
        kept = _value(saved, change.key)
        parts = [f"giữ {audit.audit_value(kept)}"]
        for side in (conflict.ours, conflict.theirs):
            value = _value(side.submission, change.key)
            if value != kept or type(value) is not type(kept):
                parts.append(
                    f"bỏ {audit.audit_value(value)} ({side.words} {side.label}, {side.who_when()})"
                )
        lines.append(f"  {change.key}: " + "; ".join(parts))
    return lines


def _value(submission: Submission | None, key: str) -> audit.Shown:
    if submission is None:
        return None
    if key == audit.REPORTED_AT:
        return submission.reported_at
    if key == audit.NOTE:
        return submission.note or None
    if key == audit.CONFIRMATIONS:
        return submission.confirmed_warnings or None
    return submission.figures.get(key)


def describe(conflict: Conflict) -> str:
    """Both sides of each disputed field, for `status` and the CLI's messages."""
    lines = [
        f"{printable(conflict.unit.name)} ({conflict.unit.id}) ngày "
        f"{fmt_date_short(conflict.day)}: xung đột giữa {conflict.ours.words} "
        f"({conflict.ours.who_when()}) và {conflict.theirs.words} ({conflict.theirs.who_when()})"
    ]
    withdrawn = conflict.withdrawn
    if withdrawn is not None and withdrawn.withdrawal is not None:
        lines.append(
            f"  {withdrawn.words} đã rút báo cáo, lý do "
            f"{audit.people_value(withdrawn.withdrawal.reason)}"
        )
    for change in conflict.differences():
        lines.append(
            f"  {audit.label(change.key, conflict.unit.form)}: {conflict.ours.words} "
            f"{audit.people_value(change.old)} · {conflict.theirs.words} "
            f"{audit.people_value(change.new)}"
        )
    return "\n".join(lines)
