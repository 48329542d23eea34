"""Every version of a unit's day file, from git: when, who, and each field's old → new.

The versions are the commits that changed the file, across merges (git log
--full-history --simplify-merges, parents rewritten to the file's own history), read
with one `git cat-file --batch`. A merge whose file differs from both sides is a
resolution: a value a side had changed (against the merge base) that the result does
not keep was discarded, by whoever resolved it (the resolved file's `entered_by`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING

from bluezone_tui.base.safe_text import printable
from bluezone_tui.base.vn import fmt_date_short, fmt_time
from bluezone_tui.day.submission import Submission, Withdrawal
from bluezone_tui.git import audit
from bluezone_tui.git.command import Git
from bluezone_tui.git.commit_graph import keep_commit_graph
from bluezone_tui.git.log_order import oldest_first
from bluezone_tui.git.repository import REASON_TRAILER, DataRepository, same_content
from bluezone_tui.registry.model import Form, Unit

if TYPE_CHECKING:  # git.sent (and sync under it) is imported by --since-sent only
    from bluezone_tui.git.sent import SentTag

SAVE, RESOLUTION, MERGED, UNCOMMITTED = "save", "resolution", "merged", "uncommitted"
WITHDRAWN = "withdrawn"  # `bluezone withdraw`: the report replaced by who withdrew it and why
AFTER_SENT = "sửa sau khi gửi"  # a save to a day whose report was sent (the board's mark too)
_FORMAT = (
    "%H%x1f%P%x1f%an%x1f%aI%x1f%cn%x1f%cI%x1f%s%x1f"
    f"%(trailers:key={REASON_TRAILER},valueonly,separator=%x20)%x1e"
)


@dataclass(frozen=True, slots=True)
class Version:
    """One committed state of the file (commit "" is the work tree, not committed yet)."""

    commit: str
    parents: tuple[str, ...]
    author: str
    authored_at: datetime | None
    committer: str
    subject: str
    submission: Submission | None
    present: bool  # the file exists in this version
    reason: str = ""  # why it was changed after the day's report was sent
    withdrawal: Withdrawal | None = None  # the version is a withdrawn report


@dataclass(frozen=True, slots=True)
class Discarded:
    """A value one side of a conflict had entered that its resolution did not keep."""

    key: str
    value: audit.Shown
    side: Version
    by: str


@dataclass(frozen=True, slots=True)
class Step:
    version: Version
    kind: str  # SAVE, RESOLUTION, MERGED (taken whole from the other side), UNCOMMITTED
    changes: list[audit.Change]
    discarded: list[Discarded] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class UnitHistory:
    unit: Unit
    day: date
    steps: list[Step]
    conflicted: bool  # the file has conflict markers now
    cut: bool = False  # a shallow clone: the first version shown is where its history stops


def unit_history(
    repository: DataRepository, unit: Unit, day: date, since: str | None = None
) -> UnitHistory:
    """Every version of the unit's file for `day`, oldest first (after `since`, a commit,
    when given), then the work tree's if it differs from the last commit."""
    relative = f"submissions/{day.isoformat()}/{unit.id}.toml"
    has_head = repository.has_commits()
    records = log_of(repository.git, relative, since or None) if has_head else []
    commits = [r[0] for r in records]
    parents_of = {r[0]: tuple(p for p in r[1].split() if p) for r in records}
    names = set(commits) | {p for ps in parents_of.values() for p in ps}
    bases = _merge_bases(repository, [ps for ps in parents_of.values() if len(ps) > 1])
    names |= set(bases.values())
    if has_head:
        names.add("HEAD")
    contents = repository.versions_of(relative, sorted(names))
    timezone = repository.registry.timezone

    def version_of(record: list[str] | None, commit: str) -> Version:
        raw = contents.get(commit)
        submission = repository.parse(relative, raw)
        withdrawal = repository.withdrawal(relative, raw) if submission is None else None
        if record is None:
            return Version(
                commit, (), "", None, "", "", submission, raw is not None, withdrawal=withdrawal
            )
        return Version(
            commit=commit,
            parents=parents_of[commit],
            author=record[2],
            authored_at=_moment(record[3], timezone),
            committer=record[4],
            subject=record[6],
            submission=submission,
            present=raw is not None,
            reason=record[7].strip() if len(record) > 7 else "",
            withdrawal=withdrawal,
        )

    by_commit = {r[0]: version_of(r, r[0]) for r in records}
    steps = []
    for commit in commits:
        version = by_commit[commit]
        parents = [by_commit.get(p) or version_of(None, p) for p in version.parents]
        base = version_of(None, bases[version.parents]) if len(parents) > 1 else None
        steps.append(_step(version, parents, base, unit.form))
    work = _work_tree_step(repository, relative, contents.get("HEAD") if has_head else None)
    conflicted = False
    if work is not None:
        conflicted = (
            work.version.submission is None
            and work.version.withdrawal is None
            and work.version.present
        )
        steps.append(work)
    cut = bool(commits) and commits[0] in _shallow_boundary(repository)
    return UnitHistory(unit, day, steps, conflicted, cut)


def _shallow_boundary(repository: DataRepository) -> set[str]:
    """The commits a shallow clone's history stops at (git's `shallow` file): what came
    before them is not in this clone."""
    try:
        text = (repository.common_dir / "shallow").read_text(encoding="ascii", errors="replace")
    except OSError:
        return set()
    return set(text.split())


def log_of(git: Git, relative: str, since: str | None = None) -> list[list[str]]:
    """Each commit that touched the file (merges kept where they decided it), after
    `since` when given, oldest first as `git log --author-date-order --reverse` lists
    them: its fields as _FORMAT lists them.

    The whole history: git walks it in its own order, the commit-graph's changed-path
    filters answering for the file, and log_order puts the few versions in that order.
    After `since` (the day's report sent): git sorts the little that came after it."""
    keep_commit_graph(git)  # `log -- PATH` reads its changed-path filters
    walk = ["--full-history", "--simplify-merges", "--parents", f"--format={_FORMAT}"]
    if since is not None:
        sorted_walk = [*walk, "--author-date-order", "--reverse", f"{since}..HEAD"]
        return _records(git.run("log", *sorted_walk, "--", relative).text)
    records = _records(git.run("log", *walk, "HEAD", "--", relative).text)
    by_commit = {r[0]: r for r in records}
    parents = {r[0]: tuple(r[1].split()) for r in records}
    return [by_commit[commit] for commit in oldest_first(git, [r[0] for r in records], parents)]


def _records(log: str) -> list[list[str]]:
    return [r.strip("\n").split("\x1f") for r in log.split("\x1e") if r.strip("\n")]


def _step(version: Version, parents: list[Version], base: Version | None, form: Form) -> Step:
    """What one commit did to the file: a save, a merge that took one side, or a
    resolution (with what it discarded of each side)."""
    first = parents[0].submission if parents else None
    if version.withdrawal is not None and len(parents) < 2:
        return Step(version, WITHDRAWN, audit.changes(first, None, form))
    if len(parents) < 2 or base is None:
        return Step(version, SAVE, audit.changes(first, version.submission, form))
    result = version.submission
    if any(_same(result, p.submission) for p in parents):
        return Step(version, MERGED, audit.changes(first, result, form))
    return Step(
        version,
        RESOLUTION,
        audit.changes(first, result, form),
        _discarded(parents, base.submission, result, form),
    )


def _work_tree_step(
    repository: DataRepository, relative: str, committed: bytes | None
) -> Step | None:
    path = repository.data_dir / relative
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raw = None
    if same_content(raw, committed):  # CRLF from core.autocrlf is not a change
        return None
    submission = repository.parse(relative, raw)
    withdrawal = repository.withdrawal(relative, raw) if submission is None else None
    before = repository.parse(relative, committed)
    author = submission.entered_by if submission is not None else ""
    when = submission.entered_at if submission is not None else None
    if withdrawal is not None:
        author, when = withdrawal.by, withdrawal.at
    version = Version(
        "", (), author, when, "", "", submission, raw is not None, withdrawal=withdrawal
    )
    unit = repository.registry.by_id.get(Path(relative).stem)
    found = (
        audit.changes(before, submission, unit.form) if unit and (submission or withdrawal) else []
    )
    return Step(version, UNCOMMITTED, found)


def _same(a: Submission | None, b: Submission | None) -> bool:
    if a is None or b is None:
        return a is b
    return a.same_values(b) and a.revision == b.revision


def _discarded(
    parents: list[Version], base: Submission | None, result: Submission | None, form: Form
) -> list[Discarded]:
    """Values a side changed (against the merge base) that the resolution did not keep."""
    found = []
    resolver = result.entered_by if result is not None else ""
    for side in parents:
        for change in audit.changes(base, side.submission, form):
            kept = audit.changes(side.submission, result, form)
            if any(c.key == change.key for c in kept):
                found.append(Discarded(change.key, change.new, side, resolver))
    return found


def _merge_bases(
    repository: DataRepository, parent_sets: list[tuple[str, ...]]
) -> dict[tuple[str, ...], str]:
    bases = {}
    for parents in parent_sets:
        base = repository.git.run("merge-base", *parents[:2], check=False).text.strip()
        bases[parents] = base
    return bases


def _moment(text: str, timezone: tzinfo) -> datetime | None:
    try:
        return datetime.fromisoformat(text).astimezone(timezone)
    except ValueError:
        return None


# ----------------------------------------------------------------------------- since sent


@dataclass(frozen=True, slots=True)
class SinceSent:
    tag: SentTag
    units: list[tuple[Unit, list[audit.Change], UnitHistory]]  # net change, then each version


def changes_since_sent(
    repository: DataRepository, day: date, only: Unit | None = None
) -> SinceSent | None:
    """What changed in the day's files after its last report was marked sent (None: never
    marked): per unit the net change from the report's data to the folder now, and each
    version since."""
    from bluezone_tui.git.sent import last_sent

    tag = last_sent(repository, day)
    if tag is None:
        return None
    folder = f"submissions/{day.isoformat()}"
    changed = repository.git.run(
        "diff", "--name-only", "-z", tag.commit, "--", folder
    ).stdout  # work tree against the report's commit: committed and not yet
    untracked = repository.git.run(
        "ls-files", "--others", "--exclude-standard", "-z", "--", folder
    ).stdout
    names = {p.decode() for p in (changed + b"\0" + untracked).split(b"\0") if p}
    units = []
    registry = repository.registry
    for unit in registry.units:
        relative = f"{folder}/{unit.id}.toml"
        if relative not in names or (only is not None and unit is not only):
            continue
        before = repository.parse(
            relative, repository.versions_at(tag.commit, [relative]).get(relative)
        )
        try:
            now_raw = (repository.data_dir / relative).read_bytes()
        except FileNotFoundError:
            now_raw = None
        after = repository.parse(relative, now_raw)
        history = unit_history(repository, unit, day, since=tag.commit)
        units.append((unit, audit.changes(before, after, unit.form), history))
    return SinceSent(tag, units)


# ----------------------------------------------------------------------------- for people


def render_history(history: UnitHistory) -> str:
    unit = history.unit
    head = (
        f"Lịch sử {printable(unit.name)} ({unit.id}) ngày {fmt_date_short(history.day)}: "
        f"{len(history.steps)} phiên bản"
    )
    lines = [head]
    if not history.steps:
        lines.append("  chưa có phiên bản nào trong git")
    if history.cut:
        lines.append(
            "  (bản sao git nông — shallow clone: lịch sử trước phiên bản đầu dưới đây không "
            "có ở máy này; «git fetch --unshallow» trong thư mục dữ liệu để lấy đủ)"
        )
    for index, step in enumerate(history.steps):
        lines.extend(render_step(step, unit, cut=history.cut and index == 0))
    return "\n".join(lines) + "\n"


def render_step(step: Step, unit: Unit, cut: bool = False) -> list[str]:
    """One version; `cut`: the first of a shallow clone, whose earlier values are unknown
    (shown as they were then, never as "– → 700", a report made there)."""
    version = step.version
    sub = version.submission
    withdrawn = version.withdrawal
    if withdrawn is not None:
        revision = f"bản {withdrawn.revision}"
    else:
        revision = f"bản {sub.revision}" if sub is not None else "tệp"
    who = printable(version.author) or "không rõ"
    when = version.authored_at
    at = f" {fmt_date_short(when.date())} {fmt_time(when)}" if when else ""
    short = f" · {version.commit[:8]}" if version.commit else ""
    kind = {
        SAVE: "nhập",
        RESOLUTION: "giải quyết xung đột",
        MERGED: "gộp từ máy khác",
        UNCOMMITTED: "chưa ghi vào git",
        WITHDRAWN: "rút báo cáo",
    }[step.kind]
    if step.kind == UNCOMMITTED and withdrawn is not None:
        kind = "rút báo cáo, chưa ghi vào git"
    elif step.kind == UNCOMMITTED and sub is None and version.present:
        return [f"- trong thư mục: tệp đang xung đột hoặc không đọc được{short}"]
    if cut:
        kind += ", bản sớm nhất có ở máy này"
    lines = [f"- {revision} · {kind}{at} · {who}{short}"]
    if version.reason:
        lines.append(f"    {AFTER_SENT}, lý do: {printable(version.reason)}")
    if withdrawn is not None:
        lines.append(f"    Lý do: {audit.people_value(withdrawn.reason)}")
    if sub is not None and step.kind == SAVE and not step.changes:
        lines.append("    (không đổi số liệu)")
    for change in step.changes:
        if cut:  # what it held then; what came before is not known here
            lines.append(
                f"    {audit.label(change.key, unit.form)}: {audit.people_value(change.new)}"
            )
        else:
            lines.append(f"    {change.for_people(unit.form)}")
    for dropped in step.discarded:
        side = dropped.side
        side_sub = side.submission
        side_revision = f"bản {side_sub.revision}" if side_sub else "một bản"
        side_at = f" {fmt_time(side.authored_at)}" if side.authored_at else ""
        lines.append(
            f"    bỏ {audit.label(dropped.key, unit.form)} = "
            f"{audit.people_value(dropped.value)} ({side_revision} của "
            f"{printable(side.author) or 'không rõ'}{side_at}), người bỏ: "
            f"{printable(dropped.by) or 'không rõ'}"
        )
    return lines


def render_since_sent(since: SinceSent, day: date) -> str:
    from bluezone_tui.git.sent import describe_tag

    lines = [f"Thay đổi ngày {fmt_date_short(day)} sau khi gửi báo cáo {describe_tag(since.tag)}:"]
    if not since.units:
        lines.append("  không có thay đổi nào")
    for unit, net, history in since.units:
        lines.append(f"{printable(unit.name)} ({unit.id}):")
        for change in net:
            lines.append(f"  {change.for_people(unit.form)}")
        for step in history.steps:
            lines.extend("  " + line for line in render_step(step, unit))
    return "\n".join(lines) + "\n"
