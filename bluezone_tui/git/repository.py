"""The data folder as a git repository: whether history is on, the lock that saves and
syncs share, and the commit that records every save.

Every save commits exactly the file it wrote, authored by who entered the figures,
with an audit line as its subject; nothing else in the work tree is committed. Before
writing, the file's path goes into a small list kept inside the git folder (files the
tool wrote and has not committed yet); the commit takes it off. A save whose commit
fails (a crash, a lock, a broken repository) is still on disk and still on that list,
and the next save or sync commits it. During a merge with conflicts git cannot make
a commit of one file: saves are staged and their audit lines join the merge message.
Any other file the tool writes (the outbox's records) names its commit on its first
line, `# bluezone: …`, so whichever save or sync commits it says the same.
"""

from __future__ import annotations

import contextlib
import os
import re
import socket
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from bluezone_tui.base.failed_writes import WriteRefused, refusing_writes, write_refused
from bluezone_tui.base.files import make_folders, replace_atomically
from bluezone_tui.base.locks import Busy, holding
from bluezone_tui.base.problems import ConfigError, RefusedError
from bluezone_tui.base.safe_text import printable, shell_command
from bluezone_tui.day.store import DAY_DIR_RE, SUBMISSIONS_DIR, current_user
from bluezone_tui.day.submission import ParsedFile, Submission, Withdrawal, parse_file
from bluezone_tui.git import audit, plumbing
from bluezone_tui.git.command import (
    Git,
    GitError,
    GitMissing,
    GitResult,
    GitWriteRefused,
    clear_stale_locks,
    find_git,
)
from bluezone_tui.git.head import refuse_unless_writable
from bluezone_tui.git.wanted import GIT_FOLDER, history_wanted
from bluezone_tui.registry.model import HISTORY_GIT, REGISTRY_FILE, Registry

STATE_FOLDER = "bluezone"  # inside the git folder: never committed, one per clone
SAVE_WAIT_SECONDS = 5.0  # a save waits this long for a sync's merge, then is refused
SYNC_WAIT_SECONDS = 15.0  # a sync waits this long for saves in progress
REASON_TRAILER = "bluezone-sua-sau-khi-gui"  # the reason a sent day was changed
# the first line by which a file the tool writes names its own commit (see own_subject)
SUBJECT_MARK = b"# bluezone: "
_NO_IDENTITY = ("Please tell me who you are", "unable to auto-detect email", "empty ident name")
COMMIT_ATTEMPTS = 3  # another git committed between reading the branch and moving it
# (relative path, its bytes at HEAD, its bytes now, now) -> (message, author, authored at)
Describe = Callable[[str, bytes | None, bytes | None, datetime], tuple[str, str, datetime | None]]


@dataclass(slots=True)
class Recorded:
    """What became of a save's history: committed, staged into a merge, or not recorded."""

    commits: list[str] = field(default_factory=list)  # subjects of the commits made
    in_merge: bool = False  # staged: a merge with conflicts is in progress
    problem: str = ""  # why history was not recorded, and how to fix it (one line)
    cleared: list[Path] = field(default_factory=list)  # stale git locks removed first
    merge_commit: str = ""  # the subject of the merge commit made (the last conflict resolved)
    reason: str = ""  # the cause alone, for a caller that words its own line (sync)

    @property
    def ok(self) -> bool:
        return not self.problem

    def fail(self, reason: str) -> None:
        """History not recorded, because of `reason`: said as a save says it."""
        self.reason = reason
        self.problem = not_recorded(reason)


def open_repository(data_dir: Path, registry: Registry) -> DataRepository | None:
    """The data folder's repository when history is on, else None.

    `history: git` that cannot be had (no `.git` here, no usable git) is a configuration
    error (exit 2). Without that line, a data folder in git whose git cannot run still
    saves, and each save says that history was not recorded and why.
    """
    if not history_wanted(data_dir, registry):
        return None
    where = registry.path
    if not os.path.lexists(data_dir / GIT_FOLDER):
        raise ConfigError(
            f"{where}: «history: git» nhưng {data_dir} không phải thư mục gốc của một kho git "
            f"(không có .git): chạy «git init» trong thư mục đó, hoặc ghi «history: none»"
        )
    try:
        executable = find_git()
    except GitMissing as exc:
        if registry.history == HISTORY_GIT:
            raise ConfigError(f"{where}: «history: git» nhưng {exc.message}") from None
        return DataRepository(data_dir, registry, None, unavailable=exc.message)
    return DataRepository(data_dir, registry, Git(data_dir, executable, data_dir / GIT_FOLDER))


def history_off(data_dir: Path, needed: str) -> str:
    """Why `needed` (a command, a key) has no history to work with, and how to turn it on."""
    return (
        f"{needed} cần lịch sử git, nhưng thư mục dữ liệu {data_dir} không ghi lịch sử "
        f"(units.yaml ghi «history: none», hoặc thư mục không phải gốc của một kho git: "
        f"«git init» trong đó, hoặc «bluezone init»)"
    )


def start_repository(data_dir: Path, files: list[str], now: datetime, shared: bool = False) -> bool:
    """`bluezone init`: make the new data folder a git repository with `files` committed
    (by the login user); False when it already was one (then only `files` are committed).
    `shared`: the folder is a group's (share_repository), before anything is committed.
    GitError (GitMissing) when git cannot be run."""
    executable = find_git()
    made = not os.path.lexists(data_dir / GIT_FOLDER)
    if made:
        Git(data_dir, executable).run("init", "--quiet", what="git init không thành công")
    if shared:
        share_repository(data_dir)
    git = Git(data_dir, executable, data_dir / GIT_FOLDER)
    git.run("add", "--", *files, what="không thêm được các tệp mẫu vào git")
    message = "Khởi tạo thư mục dữ liệu bluezone (units.yaml mẫu)\n"
    result = run_as_committer(
        git, "commit", "--quiet", "-F", "-", "--", *files,
        env=author_environment(current_user(), now, now),
        input=message.encode("utf-8"),
    )  # fmt: skip
    if result.returncode != 0:
        raise git.failure("git không tạo được commit đầu tiên", result)
    return made


def empty_clone_problem(data_dir: Path) -> str:
    """Why `bluezone init` must not start a data folder here: a clone with nothing checked
    out (the origin's HEAD names a branch that does not exist) while the origin holds
    data on another branch. A new registry here would start a second, unrelated history;
    the data is one `git switch` away. "" when there is no such clone (or no git)."""
    if not os.path.isdir(data_dir / GIT_FOLDER):
        return ""
    try:
        git = Git(data_dir, find_git(), data_dir / GIT_FOLDER)
    except GitMissing:
        return ""
    if git.run("rev-parse", "--verify", "--quiet", "HEAD", check=False).returncode == 0:
        return ""
    held = git.run(
        "for-each-ref", "--format=%(refname:lstrip=2)", "refs/remotes", check=False
    ).text.split()
    held = [name for name in held if not name.endswith("/HEAD")]
    if not held:
        return ""
    remote, _, branch = held[0].partition("/")
    return (
        f"{data_dir} là bản clone của kho chung «{remote}» nhưng git chưa lấy số liệu ra "
        f"(HEAD của kho chung chỉ một nhánh không có gì); số liệu nằm ở «{held[0]}». Không "
        f"tạo danh mục mới ở đây (sẽ thành một lịch sử riêng, không gộp được): chạy "
        f"«{shell_command('git', '-C', str(data_dir), 'switch', branch)}»"
    )


def share_repository(data_dir: Path) -> None:
    """`bluezone init --shared`: git's own files group-writable too, as ours are
    (core.sharedRepository=group). GitError when git cannot be run."""
    git = Git(data_dir, find_git(), data_dir / GIT_FOLDER)
    git.run("config", "core.sharedRepository", "group", what="không đặt được git dùng chung")


def run_as_committer(
    git: Git, *args: str, env: dict[str, str], input: bytes | None = None
) -> GitResult:
    """A git command that makes a commit (commit, merge), unchecked. When git has no
    identity for the login user and cannot guess an address, it is run again as
    `login@host`, as git itself would name them."""
    result = git.run(*args, input=input, env=env, check=False)
    if result.returncode != 0 and any(words in result.stderr for words in _NO_IDENTITY):
        env = {**env, **fallback_committer()}
        env.setdefault("GIT_AUTHOR_EMAIL", env["GIT_COMMITTER_EMAIL"])
        result = git.run(*args, input=input, env=env, check=False)
    return result


class DataRepository:
    """A data folder that is the top of a git work tree, as bluezone uses it."""

    def __init__(
        self, data_dir: Path, registry: Registry, git: Git | None, unavailable: str = ""
    ) -> None:
        self.data_dir = data_dir
        self.registry = registry
        self._git = git
        self.unavailable = unavailable  # why git cannot be used here, if it cannot
        self._places: tuple[Path, Path] | None = None  # (git_dir, common_dir), once found
        self.reasons: dict[str, str] = {}  # relative path -> why a sent day changes (saving)
        self._hook_paths: plumbing.Hooks | None = None
        # the branch as a save's commit will start from, read under the lock before the
        # file was written (see saving); another git's commit meanwhile: read again
        self._heads: dict[str, plumbing.Head] = {}

    # ----------------------------------------------------------------- places

    @property
    def available(self) -> bool:
        """git can be run here (else `unavailable` says why)."""
        return self._git is not None

    @property
    def git(self) -> Git:
        if self._git is None:
            raise GitMissing(self.unavailable)
        return self._git

    @property
    def git_dir(self) -> Path:
        """The repository's own folder (`.git`, or where a `.git` file points)."""
        return self._located()[0]

    @property
    def common_dir(self) -> Path:
        """Where refs and our state live (the same as git_dir except in a linked worktree)."""
        return self._located()[1]

    def _located(self) -> tuple[Path, Path]:
        if self._places is None:
            self._places = self._locate()
        return self._places

    def _locate(self) -> tuple[Path, Path]:
        dot = self.data_dir / GIT_FOLDER
        if dot.is_dir() and not dot.is_symlink():
            return dot, dot
        text = self.git.output(
            "rev-parse", "--git-dir", "--git-common-dir", what="không đọc được kho git"
        )
        lines = text.splitlines()
        if len(lines) < 2:
            raise GitError("không đọc được kho git của thư mục dữ liệu", text)
        return (self.data_dir / lines[0]).resolve(), (self.data_dir / lines[1]).resolve()

    def relative(self, path: Path) -> str:
        """A path in the data folder as git names it (forward slashes)."""
        return Path(os.path.relpath(path, self.data_dir)).as_posix()

    def state_path(self, name: str) -> Path:
        """A file of the tool's state (the lock, saves not committed yet), in a folder of
        its own inside git's: shared with the group as the data folder is. A folder that
        cannot be made is a refused write (its path and why, exit 1), nothing written."""
        folder = self.common_dir / STATE_FOLDER
        with refusing_writes(folder):
            make_folders(folder)
        return folder / name

    # ----------------------------------------------------------------- the data folder's lock

    @contextlib.contextmanager
    def lock(self, purpose: str, wait: float, doing: str = "") -> Iterator[None]:
        """The data folder's lock: a save and a sync's merge never interleave; and, once
        held, the check that history may be written here at all (refuse_unwritable:
        `doing`, by default the purpose without its "đang"). Every writer of history
        takes it, so every one of them is refused alike where git is not on a branch.

        Waits up to `wait` seconds, then refuses (RefusedError, nothing written) naming
        what holds it. The lock is the kernel's (flock), so a process that dies lets go;
        a lock file that cannot be made or written (another clerk's, a read-only or full
        disk) is a refused write naming it (base/locks.py), nothing written.
        """
        doing = doing or purpose.removeprefix("đang ")
        if self._git is None:  # pragma: no cover - no git: nothing to interleave with
            self.refuse_unwritable(doing)
            yield
            return
        note = f"{os.getpid()} {current_user()}: {purpose}\n"
        try:
            with contextlib.ExitStack() as held:
                try:
                    held.enter_context(holding(self.state_path("lock"), note, wait))
                except WriteRefused:  # git's folder not ours to write: unreadable, first?
                    self.refuse_unwritable(doing)
                    raise
                self.refuse_unwritable(doing)
                yield
        except Busy as busy:
            raise RefusedError(
                f"thư mục dữ liệu đang bận ({_holder(busy.holder)}) quá {wait:.0f} giây; chưa "
                f"ghi gì, thử lại sau ít phút"
            ) from None

    # ----------------------------------------------------------------- recording saves

    @contextlib.contextmanager
    def saving(
        self, path: Path, now: datetime, reason: str = "", doing: str = "lưu số liệu"
    ) -> Iterator[Recorded]:
        """Around a save of `path`: take the lock, note the file as the tool's, let the
        caller write it, then commit it (and any earlier save whose commit failed).
        `reason`: why a day whose report was sent is changed, in the commit's message.
        `doing`: what is refused, in its words, where git is not on a branch (lock).

        The Recorded yielded is filled in after the write: history that could not be
        recorded is a `problem` there, never an exception (the save itself is kept).
        """
        recorded = Recorded()
        if self._git is None:
            self.refuse_unwritable(doing)  # HEAD's file alone: a commit id, or unreadable
            yield recorded
            recorded.fail(self.unavailable)
            return
        relative = self.relative(path)
        with self.lock("đang lưu số liệu", SAVE_WAIT_SECONDS, doing):
            self._heads.clear()
            try:
                if not self.merging() and relative not in self._pending():
                    # the file changed by hand since its last commit: that change gets a
                    # commit of its own first, never swept into this save's
                    self.commit_hand_edit(relative, now, recorded)
                self._note_pending([relative])
            except GitError as exc:
                recorded.fail(exc.message)
            except OSError as exc:
                recorded.fail(write_refused(exc, kept="").message)
            if reason:
                self.reasons[self.relative(path)] = reason
            try:
                yield recorded
                if not recorded.problem:
                    self.commit_pending(now, recorded)
            finally:
                self.reasons.pop(self.relative(path), None)

    def commit_pending(self, now: datetime, recorded: Recorded | None = None) -> Recorded:
        """Commit every file the tool wrote and has not committed yet; call with the lock.

        Each gets its own commit (audit subject, the file's `entered_by` as author);
        during a merge with conflicts they are staged into the merge instead.
        """
        recorded = recorded if recorded is not None else Recorded()
        try:
            pending = self._pending()
            if not pending:
                return recorded
            recorded.cleared += clear_stale_locks(self.data_dir, self.git_dir)
            if self.merging():
                self._stage_into_merge(pending, recorded)
            else:
                self._commit_each(pending, now, recorded)
        except GitError as exc:
            recorded.fail(exc.message)
        except OSError as exc:
            recorded.fail(
                write_refused(exc, self.data_dir if not exc.filename else None, "").message
            )
        return recorded

    def _commit_each(self, pending: list[str], now: datetime, recorded: Recorded) -> None:
        for relative in pending:
            subject = self.commit_file(relative, now)
            self._forget_pending([relative])
            if subject:
                recorded.commits.append(subject)

    def commit_file(
        self,
        relative: str,
        now: datetime,
        describe: Describe | None = None,
        refresh_index: bool = True,
    ) -> str:
        """Commit the file at `relative` exactly as it is in the folder (or its removal),
        alone, on top of the branch (see plumbing.py); its subject, or "" when it already
        is as the last commit holds it. `describe` words the commit (default: a save's
        audit line); `refresh_index`: when there is nothing to commit, make sure the index
        agrees (a crash between a commit and its index update). Call with the lock."""
        data = _read_or_none(self.data_dir / relative)
        for _attempt in range(COMMIT_ATTEMPTS):
            head = self._heads.pop(relative, None) or plumbing.read_head(self.git, relative)
            if same_content(data, head.data):
                if refresh_index and data is not None:  # a crash between commit and index
                    self._index_as_committed(relative)
                else:  # looked at before a save: the save's commit starts from it
                    self._heads[relative] = head
                return ""
            describe_with = describe or self._describe
            message, author, authored_at = describe_with(relative, head.data, data, now)
            env = author_environment(author, authored_at or now, now)

            def commit_as(*args: str, input: bytes, env: dict[str, str] = env) -> GitResult:
                return self.run_as_committer(*args, env=env, input=input)

            try:
                plumbing.commit_path(
                    self.git, self.git_dir, head, relative, data, message, commit_as,
                    self._hooks(),
                )  # fmt: skip
            except plumbing.HeadMoved:
                continue  # another git committed meanwhile: again, on top of its commit
            except OSError as exc:  # the tool's files in git's folder: a full disk…
                raise GitWriteRefused.of(exc) from None
            return message.split("\n", 1)[0]
        raise GitError(
            "nhánh git liên tục có commit mới từ một lệnh git khác; chưa ghi commit, lần "
            "lưu hoặc «bluezone sync» sau sẽ ghi tiếp"
        )

    # ----------------------------------------------------------------- changes made by hand

    def commit_hand_edit(self, relative: str, now: datetime, recorded: Recorded) -> bool:
        """Commit a file changed outside bluezone (edited, added or removed by hand) as it
        is, in a commit saying so and what it holds; False when it cannot be read as what
        it should be (a day file with errors: it is not sent; the caller names it)."""
        data = _read_or_none(self.data_dir / relative)
        if (
            data is not None
            and day_and_unit(relative) is not None
            and self.parse(relative, data) is None
        ):
            return False
        subject = self.commit_file(
            relative, now, describe=self._describe_hand_edit, refresh_index=False
        )
        if subject:
            recorded.commits.append(subject)
        return True

    def hand_edits(self) -> list[str]:
        """Files of the data folder that differ from the last commit and are not the tool's
        own pending saves: tracked files changed or removed by hand, and unit files added
        by hand (other untracked files are not the data's)."""
        if not self.has_commits():
            return []
        changed = self.git.run(
            "diff", "--name-only", "--no-renames", "-z", "HEAD", "--", ".",
            what="không đọc được thay đổi trong thư mục dữ liệu",
        ).stdout  # fmt: skip
        added = self.git.run(
            "ls-files", "--others", "--exclude-standard", "-z", "--", SUBMISSIONS_DIR,
            what="không đọc được thay đổi trong thư mục dữ liệu",
        ).stdout  # fmt: skip
        names = [p.decode("utf-8", errors="replace") for p in changed.split(b"\0") if p]
        names += [
            name
            for p in added.split(b"\0")
            if p and day_and_unit(name := p.decode("utf-8", errors="replace")) is not None
        ]
        pending = set(self._pending())
        names = [name for name in dict.fromkeys(names) if name not in pending]
        committed = self.versions_at("HEAD", names)
        return [
            relative
            for relative in names
            if not same_content(_read_or_none(self.data_dir / relative), committed.get(relative))
        ]

    def _describe_hand_edit(
        self, relative: str, old_bytes: bytes | None, new_bytes: bytes | None, now: datetime
    ) -> tuple[str, str, datetime | None]:
        """A change made by hand: what it holds, said as for a save; the author is who runs
        the command that records it (git cannot know who edited the file)."""
        who = current_user()
        footer = f"Sửa trực tiếp trong thư mục dữ liệu (ngoài bluezone); ghi vào git bởi {who}"
        name = printable(relative)
        if is_registry(relative):
            lines = audit.registry_changes(old_bytes, new_bytes)
            what = audit.shortened(lines) if lines else "không đổi giá trị nào"
            subject = f"{REGISTRY_FILE}: sửa ngoài bluezone: {what}"
            return (
                f"{subject}\n\n" + "".join(f"{line}\n" for line in lines) + footer + "\n",
                who,
                now,
            )
        place = day_and_unit(relative)
        unit = self.registry.by_id.get(place[1]) if place is not None else None
        if place is None or unit is None:
            what = "xoá" if new_bytes is None else "thêm" if old_bytes is None else "sửa"
            return f"{name}: {what} ngoài bluezone\n\n{footer}\n", who, now
        day, unit_id = place
        old = self.parse(relative, old_bytes)
        new = self.parse(relative, new_bytes)
        if new is None:
            return (
                f"{unit_id} {day.isoformat()}: xoá tệp ngoài bluezone (không qua «bluezone "
                f"withdraw»)\n\n{footer}\n",
                who,
                now,
            )
        found = audit.changes(old, new, unit.form)
        subject = audit.subject(unit_id, new, found, "sửa ngoài bluezone: ")
        body = audit.body(found, new)
        return f"{subject}\n\n{body}\n{footer}\n", who, now

    # ----------------------------------------------------------------- the branch

    def refuse_unwritable(self, doing: str) -> None:
        """Unless history may be written here (git on a branch), refuse `doing` (exit 2,
        NotOnBranch), saying why and the way back that loses nothing: a commit made on a
        detached HEAD would be left behind by the next change of branch, one on an unborn
        branch would hold one file, one in the middle of a rebase would be mixed into it,
        and a repository git cannot read records nothing."""
        refuse_unless_writable(self.data_dir, doing, self._git.executable if self._git else None)

    def _index_as_committed(self, relative: str) -> None:
        """After a crash between a commit and its index update: the index agrees again."""
        self.git.run("reset", "--quiet", "HEAD", "--", relative, check=False)

    def _hooks(self) -> plumbing.Hooks:
        if self._hook_paths is None:
            self._hook_paths = plumbing.Hooks.of(self.git)
        return self._hook_paths

    def _stage_into_merge(self, pending: list[str], recorded: Recorded) -> None:
        committed = self.versions_at("HEAD", pending)
        subjects = []
        for relative in pending:
            new_bytes = _read_or_none(self.data_dir / relative)
            if new_bytes == committed.get(relative):
                continue
            self.git.run("add", "-A", "--", relative, what=f"không thêm được {relative} vào git")
            message = self._describe(relative, committed.get(relative), new_bytes)[0]
            subjects.append(message.split("\n", 1)[0])
        if subjects:
            self.add_to_merge_message(subjects, "Lưu trong lúc gộp:")
            recorded.in_merge = True
        self._forget_pending(pending)

    def _describe(
        self,
        relative: str,
        old_bytes: bytes | None,
        new_bytes: bytes | None,
        now: datetime | None = None,
    ) -> tuple[str, str, datetime | None]:
        """The commit message, the author and the moment of entry of one file's change."""
        if is_registry(relative) and new_bytes is not None:  # bluezone units import
            return f"{REGISTRY_FILE}: danh mục đơn vị\n", current_user(), now
        old = self.parse(relative, old_bytes)
        new = self.parse(relative, new_bytes)
        subject = own_subject(new_bytes) if new is None else None
        if subject:  # a record the tool keeps besides the day files (the outbox)
            return f"{subject}\n", current_user(), now
        withdrawn = self.withdrawal(relative, new_bytes) if new is None else None
        if withdrawn is not None:
            form = self.registry.by_id[withdrawn.unit_id].form
            message = audit.withdrawal_message(old, withdrawn, form)
            reason = self.reasons.get(relative)
            if reason:  # a sent day: why it changed, as for a save
                message = (
                    message.rstrip("\n") + f"\n\n{REASON_TRAILER}: {' '.join(reason.split())}\n"
                )
            return message, withdrawn.by or current_user(), withdrawn.at
        if new is None:
            name = printable(relative)
            what = "xoá tệp" if new_bytes is None else "tệp sửa ngoài bluezone (không đọc được)"
            return f"{name}: {what}\n", current_user(), now
        form = self.registry.by_id[new.unit_id].form
        message = audit.save_message(old, new, form)
        reason = self.reasons.get(relative)
        if reason:  # a day whose report was sent: why it changed, and a trailer to find it
            message = message.rstrip("\n") + f"\n\n{REASON_TRAILER}: {' '.join(reason.split())}\n"
        return message, new.entered_by or current_user(), new.entered_at

    def parse(self, relative: str, raw: bytes | None) -> Submission | None:
        """The submission a version of a day file holds, or None (no file, not readable,
        a withdrawal)."""
        parsed = self.parsed(relative, raw)
        return parsed.submission if parsed is not None and not parsed.errors else None

    def withdrawal(self, relative: str, raw: bytes | None) -> Withdrawal | None:
        """The withdrawal a version of a day file holds (`bluezone withdraw`), or None."""
        parsed = self.parsed(relative, raw)
        return parsed.withdrawal if parsed is not None and not parsed.errors else None

    def parsed(self, relative: str, raw: bytes | None) -> ParsedFile | None:
        if raw is None:
            return None
        place = day_and_unit(relative)
        if place is None:
            return None
        day, unit_id = place
        unit = self.registry.by_id.get(unit_id)
        if unit is None:
            return None
        return parse_file(self.data_dir / relative, raw, unit, day, self.registry.timezone)

    def run_as_committer(
        self, *args: str, env: dict[str, str], input: bytes | None = None
    ) -> GitResult:
        """run_as_committer (a commit or a merge, unchecked) with this repository's git."""
        return run_as_committer(self.git, *args, env=env, input=input)

    def record_resolution(
        self, path: Path, lines: list[str], author: str, now: datetime
    ) -> Recorded:
        """After a conflicted file was resolved (call with the lock): stage it into git's
        merge with `lines` (both sides' values) in the merge message, and commit the merge
        when it was the last conflict. A file with markers outside a merge (committed so
        by mistake) is recorded as an ordinary save."""
        recorded = Recorded()
        relative = self.relative(path)
        try:
            recorded.cleared += clear_stale_locks(self.data_dir, self.git_dir)
            if not (self.merging() and relative in self.unmerged()):
                self._note_pending([relative])
                return self.commit_pending(now, recorded)
            self.git.run("add", "--", relative, what=f"không thêm được {relative} vào git")
            self.add_to_merge_message(lines, "Giải quyết xung đột:")
            recorded.in_merge = True
            if not self.unmerged():
                recorded.merge_commit = self.finish_merge(now, author)
        except GitError as exc:
            recorded.fail(exc.message)
        except OSError as exc:
            recorded.fail(
                write_refused(exc, self.data_dir if not exc.filename else None, "").message
            )
        return recorded

    def finish_merge(self, now: datetime, author: str | None = None) -> str:
        """Commit a merge whose conflicts are all resolved (call with the lock). Its message
        (git's MERGE_MSG) holds the merge, each resolution with both values, and the saves
        made meanwhile; the author is who resolved the last conflict. Returns its subject."""
        path = self.git_dir / "MERGE_MSG"
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            text = "Gộp số liệu\n"
        kept = "".join(line + "\n" for line in text.splitlines() if not line.startswith("#"))
        message = re.sub(r"\n{3,}", "\n\n", kept).strip("\n") + "\n"
        env = author_environment(author or current_user(), now, now)
        args = ("commit", "--quiet", "--no-edit", "--cleanup=verbatim", "-F", "-")
        done = self.run_as_committer(*args, env=env, input=message.encode("utf-8"))
        if done.returncode != 0:
            what = "git không tạo được commit gộp (merge)"
            if plumbing.signs_commits(self.git):
                raise plumbing.signing_refused(self.git, what, done)
            raise self.git.failure(what, done)
        return message.split("\n", 1)[0]

    # ----------------------------------------------------------------- pending files

    def _pending(self) -> list[str]:
        try:
            text = self.state_path("pending").read_text(encoding="utf-8")
        except FileNotFoundError:
            return []
        return [line for line in dict.fromkeys(text.splitlines()) if line]

    def _write_pending(self, paths: list[str]) -> None:
        """The list is rewritten whole (a rename), without fsync: it only saves a later
        commit from guessing; the data files themselves are written durably by the store."""
        path = self.state_path("pending")
        if not paths:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(path)
            return
        replace_atomically(path, "".join(p + "\n" for p in paths).encode("utf-8"), durable=False)

    def _note_pending(self, paths: list[str]) -> None:
        current = self._pending()
        self._write_pending(current + [p for p in paths if p not in current])

    def _forget_pending(self, paths: list[str]) -> None:
        self._write_pending([p for p in self._pending() if p not in paths])

    def pending(self) -> list[str]:
        """Files the tool wrote that are not committed yet (a save's commit failed)."""
        return self._pending()

    # ----------------------------------------------------------------- reading git

    def versions_at(self, revision: str, relatives: list[str]) -> dict[str, bytes]:
        """The bytes of each path at `revision` (paths absent there are left out)."""
        found = self.objects([f"{revision}:{relative}" for relative in relatives])
        return {name.split(":", 1)[1]: data for name, data in found.items()}

    def versions_of(self, relative: str, revisions: list[str]) -> dict[str, bytes]:
        """The bytes of one path at each revision (revisions without it are left out)."""
        found = self.objects([f"{revision}:{relative}" for revision in revisions])
        cut = len(relative) + 1
        return {name[:-cut]: data for name, data in found.items()}

    def objects(self, names: list[str]) -> dict[str, bytes]:
        """The contents of git objects (`sha`, or `revision:path`), all in one
        `git cat-file --batch`; names git does not have are left out."""
        unique = list(dict.fromkeys(names))
        if not unique:
            return {}
        request = "".join(name + "\n" for name in unique).encode("utf-8")
        out = self.git.run("cat-file", "--batch", input=request).stdout
        found: dict[str, bytes] = {}
        position = 0
        for name in unique:
            end = out.index(b"\n", position)
            header = out[position:end].split()
            position = end + 1
            if len(header) != 3:  # "<name> missing", or ambiguous
                continue
            size = int(header[2])
            if header[1] == b"blob":
                found[name] = out[position : position + size]
            position += size + 1
        return found

    def as_committed(self, relative: str, data: bytes) -> bytes:
        """`data`, about to be written to `relative`, with the line ends its last commit
        has when git itself puts CRLF in the work tree (core.autocrlf, eol=crlf): they are
        not carried into the file written, so its commit changes only the lines that
        changed. A file committed with CRLF, or given them by a person, keeps them.
        Unchanged without history, or when git cannot say."""
        if b"\r\n" not in data or not self.available:
            return data
        try:
            committed = plumbing.read_head(self.git, relative).data
        except GitError:
            return data
        if committed is None or b"\r\n" in committed or not self._checks_out_crlf(relative):
            return data  # CRLF a person wrote (no git setting puts them there): kept
        return data.replace(b"\r\n", b"\n")

    def _checks_out_crlf(self, relative: str) -> bool:
        """git writes `relative` into the work tree with CRLF: core.autocrlf=true, or an
        `eol=crlf` attribute."""
        git = self.git
        crlf = git.run("config", "--type=bool", "--get", "core.autocrlf", check=False)
        if crlf.returncode == 0 and crlf.text.strip() == "true":
            return True
        eol = git.run("check-attr", "eol", "--", relative, check=False).text
        return eol.strip().endswith(": crlf")

    def has_commits(self) -> bool:
        return self.git.run("rev-parse", "--verify", "--quiet", "HEAD", check=False).returncode == 0

    def merging(self) -> bool:
        """A merge is in progress (it had conflicts, or it was not committed yet)."""
        return (self.git_dir / "MERGE_HEAD").exists()

    def unmerged(self) -> list[str]:
        """Paths git still has conflicts in (stages 1–3 in the index)."""
        out = self.git.run("diff", "--name-only", "--diff-filter=U", "-z").stdout
        return sorted({p.decode("utf-8") for p in out.split(b"\0") if p})

    def add_to_merge_message(self, lines: list[str], heading: str) -> None:
        """Lines for the merge commit's message (git keeps it in MERGE_MSG until then)."""
        path = self.git_dir / "MERGE_MSG"
        try:
            old = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            old = ""
        text = old.rstrip("\n") + f"\n\n{heading}\n" + "".join(f"  {line}\n" for line in lines)
        replace_atomically(path, text.encode("utf-8"))


# ----------------------------------------------------------------------------- helpers


def day_and_unit(relative: str) -> tuple[date, str] | None:
    """`submissions/2020-08-20/xa-long-khanh-b.toml` -> (that day, that unit id)."""
    parts = relative.split("/")
    if len(parts) != 3 or parts[0] != SUBMISSIONS_DIR or not parts[2].endswith(".toml"):
        return None
    if not DAY_DIR_RE.match(parts[1]):
        return None
    try:
        return date.fromisoformat(parts[1]), parts[2][:-5]
    except ValueError:
        return None


def own_subject(raw: bytes | None) -> str:
    """The commit subject a file the tool writes (other than a day file) states on its
    first line, `# bluezone: …` (the outbox's records), or "": a later save or sync that
    commits it says the same."""
    if not raw or not raw.startswith(SUBJECT_MARK):
        return ""
    first = raw[len(SUBJECT_MARK) : raw.find(b"\n") if b"\n" in raw else len(raw)]
    return printable(first.decode("utf-8", errors="replace").strip())[:200]


def is_registry(relative: str) -> bool:
    return relative == REGISTRY_FILE


def not_recorded(reason: str) -> str:
    """The one line a save says when its history could not be recorded."""
    return (
        f"đã lưu, nhưng chưa ghi được lịch sử vào git: {reason}; lần lưu hoặc «bluezone sync» "
        f"sau sẽ ghi tiếp (kiểm tra bằng «git -C THƯ_MỤC_DỮ_LIỆU status»)"
    )


def split_identity(who: str) -> tuple[str, str | None]:
    """`Lan <lan@ubnd.vn>` -> ("Lan", "lan@ubnd.vn"); `lan` -> ("lan", None). git refuses
    angle brackets and line breaks in a name."""
    who = who.strip()
    if who.endswith(">") and "<" in who:
        name, _, email = who[:-1].partition("<")
        if name.strip():
            return _ident_safe(name.strip()), _ident_safe(email.strip())
    return _ident_safe(who) or "không rõ", None


def _ident_safe(text: str) -> str:
    return "".join(" " if ch in "<>\n\r\0" else ch for ch in text).strip()


def author_environment(author: str, authored_at: datetime, now: datetime) -> dict[str, str]:
    """The author is who entered the figures; their address is git's own (user.email) when
    they are the login user, else the one they gave, else none. The committer is the login
    user as git knows them. Both dates come from the tool's clock."""
    name, email = split_identity(author)
    env = {
        "GIT_AUTHOR_NAME": name,
        "GIT_AUTHOR_DATE": authored_at.isoformat(),
        "GIT_COMMITTER_DATE": now.isoformat(),
    }
    if email is not None:
        env["GIT_AUTHOR_EMAIL"] = email
    elif name != current_user():
        env["GIT_AUTHOR_EMAIL"] = ""
    return env


def fallback_committer() -> dict[str, str]:
    """The login user when git has no identity configured and cannot guess an address."""
    user = current_user()
    host = socket.gethostname() or "localhost"
    return {"GIT_COMMITTER_NAME": user, "GIT_COMMITTER_EMAIL": f"{user}@{host}"}


def _holder(text: str) -> str:
    """Who holds the data folder's lock, from the line they wrote in it."""
    pid, _, what = text.partition(" ")
    return f"tiến trình {pid} của {printable(what)}" if what else "một lệnh bluezone khác"


def same_content(a: bytes | None, b: bytes | None) -> bool:
    """Two versions of a file that hold the same text: byte for byte, or but for the
    line ends git's core.autocrlf puts in a work tree (CRLF there, LF committed)."""
    if a == b:
        return True
    if a is None or b is None or (b"\r" not in a and b"\r" not in b):
        return False
    return a.replace(b"\r\n", b"\n") == b.replace(b"\r\n", b"\n")


def _read_or_none(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None
