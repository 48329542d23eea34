"""Reports exactly as sent: a tag for what was exported, and the data as it was at any revision.

`export --mark-sent` tags the commit the report was made from (`bao-cao/2020-08-20`,
then `bao-cao/2020-08-20-2` if sent again), an annotated tag that says who sent it,
when, and the moment the report was counted at. `export --as-of REV` reads
`units.yaml` and the submission files as they were at REV with `git cat-file` into a
private temporary folder, never by checking anything out into the work tree, and
makes the report from there with the same code as every export: byte for byte the
report that was sent.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, tzinfo
from pathlib import Path
from typing import TypeVar

from bluezone_tui.base.clock import parse_now
from bluezone_tui.base.failed_writes import refusing_writes
from bluezone_tui.base.problems import Problem, RefusedError
from bluezone_tui.base.safe_text import printable
from bluezone_tui.base.vn import fmt_date_short, fmt_time
from bluezone_tui.day.store import SUBMISSIONS_DIR, current_user
from bluezone_tui.git.audit import registry_changes
from bluezone_tui.git.command import GitError, GitWriteRefused
from bluezone_tui.git.repository import (
    SAVE_WAIT_SECONDS,
    DataRepository,
    Recorded,
    author_environment,
    day_and_unit,
    same_content,
    split_identity,
)
from bluezone_tui.git.sync import note_tag_to_push
from bluezone_tui.registry.model import REGISTRY_FILE

T = TypeVar("T")

TAG_PREFIX = "bao-cao/"
NOW_TRAILER = "bluezone-now"
FORMAT_TRAILER = "bluezone-format"
SENT_DIFFERS = "sent-differs"  # Problem.code: the day's data no longer as its report was sent
_DATE_TIME = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{1,2}:\d{2}(:\d{2})?([+-]\d{2}:?\d{2}|Z)?\Z")


@dataclass(frozen=True, slots=True)
class SentTag:
    name: str
    commit: str
    counted_at: datetime | None  # the --now the report was made with
    sender: str
    sent_at: datetime | None
    # "key: value" lines of the tag's message (bluezone-now, bluezone-format, and what
    # `sent add` adds: bluezone-file, the signed report kept under sent/)
    trailers: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class AsOf:
    """A revision the user named, resolved: the commit, the tag when it was one, and the
    moment a report of it is counted at unless --now says otherwise: the tag's own (when
    the report was made), the date-time given, or the commit's."""

    commit: str
    moment: datetime
    tag: SentTag | None = None


def tag_names(repository: DataRepository, day: date) -> list[str]:
    """The day's report tags, in the order they were made (the counter)."""
    base = f"{TAG_PREFIX}{day.isoformat()}"
    out = repository.git.output("tag", "--list", base, f"{base}-*")
    found = []
    for name in out.splitlines():
        suffix = name[len(base) :]
        if suffix == "":
            found.append((1, name))
        elif suffix[1:].isdigit():
            found.append((int(suffix[1:]), name))
    return [name for _, name in sorted(found)]


def unsent_changes(repository: DataRepository, day: date) -> list[str]:
    """Files a report of `day` is made from that differ from the last commit: units.yaml
    and every day up to `day`. A report marked as sent must be the committed data."""
    args = ("status", "--porcelain", "-z", "--untracked-files=all", "--")
    git = repository.git
    asked = git.run(*args, REGISTRY_FILE, SUBMISSIONS_DIR, check=False)
    if asked.returncode != 0 and git.disk_refused(asked.stderr):
        # status refreshes git's index as it goes: a full or read-only disk refuses that
        # write, not the question; asked again without it (slower, nothing written)
        asked = git.run(
            *args, REGISTRY_FILE, SUBMISSIONS_DIR, env={"GIT_OPTIONAL_LOCKS": "0"}, check=False
        )
    if asked.returncode != 0:
        raise git.failure("không đọc được thay đổi chưa ghi vào git (git status)", asked)
    out = asked.stdout
    found = []
    for entry in out.split(b"\0"):
        if len(entry) < 4:
            continue
        relative = entry[3:].decode("utf-8", errors="replace")
        place = day_and_unit(relative)
        if relative == REGISTRY_FILE or (place is not None and place[0] <= day):
            found.append(relative)
    return found


def report_revision(repository: DataRepository, day: date) -> str | None:
    """The commit a report of `day` made now is made from: HEAD, when units.yaml and the
    day files up to `day` are as it holds them; None when they differ, a merge is open or
    there is no commit yet (the report's data is then named by its digest)."""
    if not repository.has_commits() or repository.merging():
        return None
    if unsent_changes(repository, day):
        return None
    return repository.git.output("rev-parse", "HEAD")


def refuse_unsent(repository: DataRepository, day: date) -> None:
    """A report marked as sent must be rebuilt from history: refuse (RefusedError, exit 1)
    while a conflict is open or the files it is made from differ from the last commit."""
    if repository.merging():
        raise RefusedError(
            "đang có xung đột chưa giải quyết: giải quyết (bluezone resolve hoặc trên bảng) "
            "rồi mới đánh dấu báo cáo đã gửi"
        )
    if not repository.has_commits():
        raise RefusedError("kho git chưa có commit nào: chưa có gì để đánh dấu")
    changed = unsent_changes(repository, day)
    if changed:
        shown = ", ".join(printable(p) for p in changed[:5])
        more = f" và {len(changed) - 5} tệp khác" if len(changed) > 5 else ""
        raise RefusedError(
            f"có thay đổi chưa ghi vào git ({shown}{more}): báo cáo đánh dấu đã gửi phải dựng "
            f"lại được từ lịch sử; commit hoặc bỏ các thay đổi đó rồi xuất lại"
        )


def mark_sent(
    repository: DataRepository,
    day: date,
    counted_at: datetime,
    now: datetime,
    fmt: str,
    commit: str = "HEAD",
    trailers: dict[str, str] | None = None,
) -> str:
    """Tag `commit` (HEAD: after refuse_unsent()) as the report of `day` sent now, with
    `trailers` added to its message (`sent add`: the signed file, the signer); return
    the tag's name. Call with the data folder's lock."""
    if commit == "HEAD":
        refuse_unsent(repository, day)
    existing = tag_names(repository, day)
    name = f"{TAG_PREFIX}{day.isoformat()}" + (f"-{len(existing) + 1}" if existing else "")
    while name in existing:  # a tag removed by hand left a gap
        name += "-1"
    who = current_user()
    message = (
        f"Báo cáo ngày {fmt_date_short(day)} đã gửi lúc {fmt_time(now)} ngày "
        f"{fmt_date_short(now.date())} bởi {who}\n\n"
        f"{NOW_TRAILER}: {counted_at.isoformat()}\n{FORMAT_TRAILER}: {fmt}\n"
        + "".join(f"{key}: {value}\n" for key, value in (trailers or {}).items())
    )
    # the tagger (who the lock, status and history say sent it) is the one the message
    # names: the login user, as for every save (not git's user.name, which may differ)
    env = {**author_environment(who, now, now), "GIT_COMMITTER_NAME": split_identity(who)[0]}
    result = repository.run_as_committer(
        "tag", "--annotate", "--file=-", name, commit, env=env, input=message.encode("utf-8")
    )
    if result.returncode != 0:
        raise repository.git.failure(f"không tạo được nhãn {name}", result)
    note_tag_to_push(repository, name)
    return name


def export_as_sent(
    repository: DataRepository, day: date, now: datetime, fmt: str, export: Callable[[], T]
) -> tuple[Recorded, T | None, str]:
    """`export --mark-sent`, under the data folder's lock: every save committed first, the
    day's files refused if they differ from the last commit, then `export()` (the report
    made and written), then the tag. History that could not be recorded stops it before
    the report: (recorded, None, "")."""
    with repository.lock("đang đánh dấu báo cáo đã gửi", SAVE_WAIT_SECONDS):
        recorded = repository.commit_pending(now)
        if recorded.problem:
            return recorded, None, ""
        try:
            refuse_unsent(repository, day)
        except GitWriteRefused as exc:
            raise GitWriteRefused(f"{exc.message}; chưa xuất báo cáo, chưa đánh dấu gì") from None
        result = export()
        try:
            tag = mark_sent(repository, day, now, now, fmt)
        except GitWriteRefused as exc:
            raise GitWriteRefused(
                f"{exc.message}; báo cáo đã xuất nhưng chưa được đánh dấu đã gửi: sửa xong thì "
                f"chạy lại lệnh"
            ) from None
    return recorded, result, tag


def resolve_as_of(repository: DataRepository, text: str, timezone: tzinfo) -> AsOf:
    """A commit, a tag (bao-cao/2020-08-20) or a date-time ("2020-08-20 16:30", in the
    registry's timezone): the last commit at that moment."""
    text = text.strip()
    if _DATE_TIME.match(text):
        try:
            moment = parse_now(text.replace(" ", "T", 1), timezone)
        except ValueError:
            raise RefusedError(f"--as-of: «{text}» không phải thời điểm hợp lệ") from None
        commit = repository.git.output(
            "rev-list", "-1", f"--before={int(moment.timestamp())}", "HEAD", check=False
        )
        if not commit:
            raise RefusedError(
                f"--as-of: chưa có commit nào trước {fmt_time(moment)} ngày "
                f"{fmt_date_short(moment.date())}"
            )
        return AsOf(commit, moment)
    found = repository.git.run(
        "rev-parse", "--verify", "--quiet", "--end-of-options", f"{text}^{{commit}}", check=False
    )
    if found.returncode != 0:
        raise RefusedError(
            f"--as-of: «{printable(text)}» không phải commit, nhãn (ví dụ {TAG_PREFIX}2020-08-20) "
            f"hay thời điểm (2020-08-20 16:30) có trong lịch sử"
        )
    commit = found.text.strip()
    tag = read_tag(repository, text) if _is_tag(repository, text) else None
    if tag is not None and tag.counted_at is not None:
        return AsOf(commit, tag.counted_at.astimezone(timezone), tag)
    committed = repository.git.output("log", "-1", "--format=%cI", commit)
    return AsOf(commit, datetime.fromisoformat(committed).astimezone(timezone), tag)


def _is_tag(repository: DataRepository, name: str) -> bool:
    return (
        repository.git.run(
            "rev-parse", "--verify", "--quiet", f"refs/tags/{name}", check=False
        ).returncode
        == 0
    )


def read_tag(repository: DataRepository, name: str) -> SentTag:
    """A report tag: its commit, and who sent it when, and the moment it was counted at."""
    fields = repository.git.output(
        "for-each-ref",
        "--format=%(*objectname)%00%(taggername)%00%(taggerdate:iso-strict)%00%(contents)",
        f"refs/tags/{name}",
    ).split("\0", 3)
    if len(fields) < 4:
        commit = repository.git.output("rev-parse", f"{name}^{{commit}}")
        return SentTag(name, commit, None, "", None)
    commit, sender, sent, contents = fields
    counted = None
    trailers = {}
    for line in contents.splitlines():
        key, colon, value = line.partition(":")
        if colon and re.fullmatch(r"[a-z][a-z0-9-]*", key.strip()):
            trailers[key.strip()] = value.strip()
        if key.strip() == NOW_TRAILER:
            try:
                counted = datetime.fromisoformat(value.strip())
            except ValueError:
                counted = None
    try:
        sent_at = datetime.fromisoformat(sent) if sent else None
    except ValueError:
        sent_at = None
    if not commit:  # a lightweight tag made by hand
        commit = repository.git.output("rev-parse", f"{name}^{{commit}}")
    return SentTag(name, commit, counted, sender, sent_at, trailers)


def last_sent(repository: DataRepository, day: date) -> SentTag | None:
    names = tag_names(repository, day)
    return read_tag(repository, names[-1]) if names else None


@dataclass(frozen=True, slots=True)
class SentDifference:
    """How the data a day's report is made from differs from what its last report sent
    was made from (the tag's commit): the registry, the day's own unit files, and earlier
    days' files (figures carried into the day, its change since the day before). The
    folder as every view reads it is compared: edits not committed yet count."""

    tag: SentTag
    registry_changed: bool  # units.yaml differs in a value (not only comments, layout)
    units: tuple[str, ...]  # ids of the units whose day file differs (committed or not)
    registry: tuple[str, ...] = ()  # what changed in units.yaml, value by value
    earlier_files: tuple[str, ...] = ()  # files of earlier days changed since

    @property
    def differs(self) -> bool:
        return self.registry_changed or bool(self.units) or bool(self.earlier_files)


def sent_difference(repository: DataRepository, day: date) -> SentDifference | None:
    """The day's data and registry now (the work tree, committed or not) against the
    commit its last report sent was made from; None when no report of the day was
    marked sent. The one comparison every view of a sent day uses (status, export, the
    board, sign), and what a locked day builds on."""
    tag = last_sent(repository, day)
    if tag is None:
        return None
    what = "không so được số liệu với báo cáo đã gửi"
    changed = repository.git.run(
        "diff", "--name-only", "-z", "--no-renames", tag.commit, "--", SUBMISSIONS_DIR, what=what
    ).stdout
    untracked = repository.git.run(
        "ls-files", "--others", "--exclude-standard", "-z", "--", SUBMISSIONS_DIR, what=what
    ).stdout
    units: list[str] = []
    earlier: list[str] = []
    for raw in dict.fromkeys([*changed.split(b"\0"), *untracked.split(b"\0")]):
        place = day_and_unit(name := raw.decode("utf-8", "replace")) if raw else None
        if place is None or place[0] > day:
            continue  # a later day is not this report's
        if place[0] == day:
            units.append(place[1])
        else:
            earlier.append(name)
    sent_registry = repository.versions_at(tag.commit, [REGISTRY_FILE]).get(REGISTRY_FILE)
    try:
        registry_now: bytes | None = (repository.data_dir / REGISTRY_FILE).read_bytes()
    except OSError:
        registry_now = None
    registry: list[str] = []
    if not same_content(sent_registry, registry_now):
        registry = registry_changes(sent_registry, registry_now)
    return SentDifference(
        tag, bool(registry), tuple(sorted(units)), tuple(registry), tuple(sorted(earlier))
    )


def describe_difference(difference: SentDifference, names: dict[str, str]) -> str:
    """One line: the report sent, and what differs now (units by name, the registry value
    by value, earlier days' files by count)."""
    parts = []
    if difference.units:
        shown = ", ".join(printable(names.get(u, u)) for u in difference.units[:5])
        more = f" và {len(difference.units) - 5} đơn vị khác" if len(difference.units) > 5 else ""
        parts.append(f"số liệu của {shown}{more} đã sửa sau khi gửi")
    if difference.earlier_files:
        parts.append(
            f"{len(difference.earlier_files)} tệp số liệu của các ngày trước đã sửa sau khi gửi "
            f"(số mang sang, mức tăng so với hôm trước)"
        )
    if difference.registry_changed:
        lines = difference.registry
        more = f" và {len(lines) - 3} thay đổi khác" if len(lines) > 3 else ""
        parts.append(f"units.yaml đã đổi ({'; '.join(lines[:3])}{more})")
    return f"khác báo cáo đã gửi {describe_tag(difference.tag)}: " + "; ".join(parts)


def difference_problems(
    repository: DataRepository | None, day: date, names: dict[str, str]
) -> list[Problem]:
    """describe_difference as a warning beside a view of the day, with where to look and
    how to send again; nothing without history, or when git cannot be read (the view
    does not depend on it)."""
    if repository is None or not repository.available:
        return []
    try:
        difference = sent_difference(repository, day) if repository.has_commits() else None
    except (GitError, OSError):
        return []
    if difference is None or not difference.differs:
        return []
    tag = difference.tag.name
    return [
        Problem(
            f"báo cáo ngày {fmt_date_short(day)} {describe_difference(difference, names)}"
            f" — xem: bluezone history --date {day.isoformat()} --since-sent; báo cáo đã gửi: "
            f"bluezone export --as-of {tag}; gửi lại: bluezone export --date {day.isoformat()} "
            f"--mark-sent",
            severity="warning",
            code=SENT_DIFFERS,
        )
    ]


@contextmanager
def data_as_of(repository: DataRepository, commit: str, day: date) -> Iterator[Path]:
    """A temporary data folder holding units.yaml and every day up to `day` exactly as
    they were at `commit` (read from git's objects, not checked out), removed after."""
    listing = repository.git.run(
        "ls-tree", "-r", "-z", "--full-tree", commit, "--", REGISTRY_FILE, SUBMISSIONS_DIR
    ).stdout
    wanted: list[tuple[str, str]] = []
    for entry in listing.split(b"\0"):
        if not entry:
            continue
        info, _, name = entry.partition(b"\t")
        parts = info.split()
        if len(parts) != 3 or parts[1] != b"blob":
            continue
        relative = name.decode("utf-8")
        place = day_and_unit(relative)
        if relative == REGISTRY_FILE or (place is not None and place[0] <= day):
            wanted.append((relative, parts[2].decode()))
    if not any(relative == REGISTRY_FILE for relative, _ in wanted):
        raise RefusedError(f"--as-of: commit {commit[:10]} không có {REGISTRY_FILE}")
    contents = repository.objects([sha for _, sha in wanted])
    # a full or read-only temporary disk is a refused write, its path named
    with refusing_writes(kept="chưa dựng lại được báo cáo", what="không ghi được tệp tạm"):
        folder = tempfile.TemporaryDirectory(prefix="bluezone-as-of-")
        try:
            root = Path(folder.name)
            (root / SUBMISSIONS_DIR).mkdir()
            for relative, sha in wanted:
                target = root / relative
                target.parent.mkdir(parents=True, exist_ok=True)
                with open(target, "wb") as out:
                    out.write(contents[sha])
        except BaseException:
            folder.cleanup()
            raise
    with folder:
        yield root


def describe_tag(tag: SentTag) -> str:
    who = f" bởi {printable(tag.sender)}" if tag.sender else ""
    when = (
        f" lúc {fmt_time(tag.sent_at)} ngày {fmt_date_short(tag.sent_at.date())}"
        if tag.sent_at
        else ""
    )
    return f"{tag.name} (gửi{when}{who})"
