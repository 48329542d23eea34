"""`bluezone sync`: commit what the tool wrote, fetch, merge, push — git's way, never rewriting.

As in git-auto-sync, and like `pass git pull/push`: the merge is a real merge (a
fast-forward when possible), never a rebase of commits others may already have,
and the push is never forced. A conflict stops the sync and leaves git's merge in
place for `bluezone resolve` or the board to finish. Fetch and push run outside the
data folder's lock (the network may be slow), the merge inside it, so a save and a
merge never interleave.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import datetime

from bluezone_tui.base.failed_writes import refusing_writes
from bluezone_tui.base.files import replace_atomically
from bluezone_tui.base.locks import Busy, holding
from bluezone_tui.base.problems import ConfigError, Problem
from bluezone_tui.base.safe_text import printable, shell_command, shell_word
from bluezone_tui.day.store import current_user
from bluezone_tui.git.command import NETWORK_TIMEOUT, GitError
from bluezone_tui.git.plumbing import signing_refused, signs_commits
from bluezone_tui.git.repository import (
    STATE_FOLDER,
    SYNC_WAIT_SECONDS,
    DataRepository,
    Recorded,
    author_environment,
)
from bluezone_tui.registry.load import load_registry
from bluezone_tui.registry.model import REGISTRY_FILE

NOTHING_SYNCED = "chưa đồng bộ gì"
PUSH_ATTEMPTS = 3  # someone else pushed between our fetch and our push: fetch, merge, retry
LAST_SYNC = "last-sync"
TAGS_TO_PUSH = "tags-to-push"


class SyncError(GitError):
    """No remote, the network, credentials, or a refused push (exit 2)."""


@dataclass(slots=True)
class SyncResult:
    """What a sync did: in sync, or stopped at conflicts (git's merge left in place)."""

    pulled: int = 0  # commits brought in
    pushed: int = 0  # commits sent
    conflicts: list[str] = field(default_factory=list)  # paths git could not merge
    changed: list[str] = field(default_factory=list)  # files the merge changed here
    recorded: Recorded = field(default_factory=Recorded)  # earlier saves committed first
    remote: str = ""
    hand_edits: list[str] = field(default_factory=list)  # subjects of their commits
    not_sent: list[str] = field(default_factory=list)  # files changed by hand, unreadable
    before: str = ""  # HEAD before the merge: where a units.yaml that came broken was good
    registry_problems: list[Problem] = field(default_factory=list)  # of one that came broken

    @property
    def in_sync(self) -> bool:
        return not self.conflicts

    @property
    def registry_changed(self) -> bool:
        return REGISTRY_FILE in self.changed


@dataclass(frozen=True, slots=True)
class SyncState:
    """What the board shows: the last sync, and commits waiting to go out or come in."""

    last_sync: datetime | None
    ahead: int | None  # commits here the remote has not got (None: no remote yet)
    behind: int | None  # commits fetched and not merged yet
    merging: bool


@dataclass(frozen=True, slots=True)
class _Upstream:
    remote: str
    branch: str  # the branch here
    remote_branch: str  # its name on the remote
    tracking: str  # refs/remotes/<remote>/<name>, what a fetch updates
    configured: bool  # branch.<name>.remote is set (else the first push sets it)


def sync(repository: DataRepository, now: datetime) -> SyncResult:
    """Bring the data folder in step with its remote; see the module's docstring.

    Returns with `conflicts` when git could not merge some files (exit 1); raises
    SyncError (exit 2) when there is no remote, or the network or the remote refuses.
    Nothing is lost in any case: every save is committed before the merge starts.
    """
    repository.refuse_unwritable("đồng bộ")  # before anything: git not on a branch
    with _one_sync_at_a_time(repository):
        result = SyncResult()
        if repository.merging():
            unmerged = repository.unmerged()
            if unmerged:
                result.conflicts = unmerged
                return result
            with repository.lock("đang đồng bộ", SYNC_WAIT_SECONDS):
                repository.finish_merge(now)
        with repository.lock("đang đồng bộ", SYNC_WAIT_SECONDS):
            result.recorded = repository.commit_pending(now)
            if not result.recorded.problem:
                _commit_hand_edits(repository, now, result)
        if result.recorded.problem:
            raise SyncError(_not_committed(result.recorded))
        upstream = _upstream(repository)
        result.remote = f"{upstream.remote}/{upstream.remote_branch}"
        result.before = repository.git.output(
            "rev-parse", "--verify", "--quiet", "HEAD", check=False
        )
        for attempt in range(PUSH_ATTEMPTS):
            _fetch(repository, upstream)
            if attempt == 0:  # the branch that holds the origin's data, or refused
                upstream = _followed(repository, upstream)
                result.remote = f"{upstream.remote}/{upstream.remote_branch}"
            _refuse_unrelated(repository, upstream)
            if _merge(repository, upstream, now, result):
                return result  # conflicts: stop here, nothing is pushed
            if _push(repository, upstream, result):
                break
        else:
            raise SyncError(
                f"kho chung {upstream.remote} liên tục có commit mới trong lúc gửi; thử lại sau"
            )
        _write_state(
            repository, LAST_SYNC, now.isoformat(), "đã đồng bộ xong, chỉ chưa ghi được giờ đồng bộ"
        )
        if result.registry_changed:
            result.registry_problems = _registry_problems(repository)
        return result


def _not_committed(recorded: Recorded) -> str:
    """Saves (or hand edits) that git would not commit: nothing is synced, since what is
    not committed cannot be sent; the cause (a hook, the signing policy…), and the way on."""
    reason = recorded.reason or recorded.problem
    return (
        f"chưa đồng bộ gì: có số liệu đã lưu ở đây mà git chưa ghi được, nên chưa gửi đi "
        f"được. Lý do: {reason}. Các tệp vẫn giữ đúng số liệu đã nhập; sửa xong nguyên nhân "
        f"thì chạy lại lệnh đồng bộ: nó ghi các tệp đó vào git trước, rồi mới gộp và gửi"
    )


def _commit_hand_edits(repository: DataRepository, now: datetime, result: SyncResult) -> None:
    """Every file of the data folder changed by hand since its last commit, committed
    alone with what it holds (units.yaml's phone, a day file edited or removed), so that
    it is sent too; a day file that cannot be read is not sent, and named."""
    recorded = Recorded()
    try:
        for relative in repository.hand_edits():
            if not repository.commit_hand_edit(relative, now, recorded):
                result.not_sent.append(relative)
    except GitError as exc:
        result.recorded.fail(exc.message)
    result.hand_edits = recorded.commits


def _registry_problems(repository: DataRepository) -> list[Problem]:
    """units.yaml as the merge left it, loaded as every command will load it: its
    problems when it cannot be used (every later command would stop, exit 2)."""
    try:
        load_registry(repository.data_dir)
    except ConfigError as exc:
        return exc.problems or [Problem(exc.message)]
    return []


class SyncBusy(SyncError):
    """Another sync of this clone is running: nothing done (exit 2, not 1: no conflict)."""


@contextlib.contextmanager
def _one_sync_at_a_time(repository: DataRepository) -> Iterator[None]:
    """Two syncs of one clone (the board's timer and a cron job) would fetch into the
    same refs: the second is refused at once, nothing done, saying who runs the first.
    A lock file that cannot be made or written is said as such (base/locks.py)."""
    path = repository.state_path("sync-lock")
    try:
        with holding(path, f"{os.getpid()} của {current_user()}\n", kept=NOTHING_SYNCED):
            yield
    except Busy as busy:
        who = f" (tiến trình {printable(busy.holder)})" if busy.holder else ""
        raise SyncBusy(
            f"đang có một lần đồng bộ khác của thư mục dữ liệu này{who}: lần này "
            f"không làm gì; đợi nó xong rồi chạy lại nếu cần"
        ) from None


def _upstream(repository: DataRepository) -> _Upstream:
    git = repository.git
    branch = git.run("symbolic-ref", "--quiet", "--short", "HEAD", check=False).text.strip()
    if not branch:  # refused before (refuse_unwritable): a HEAD changed meanwhile
        repository.refuse_unwritable("đồng bộ")
        raise SyncError("kho git của thư mục dữ liệu không ở trên nhánh nào: không đồng bộ")
    remote = _config(repository, f"branch.{branch}.remote")
    merge = _config(repository, f"branch.{branch}.merge")
    configured = bool(remote and merge)
    if not configured:
        remotes = git.output("remote").split()
        if not remotes:
            add = shell_command("git", "-C", str(repository.data_dir), "remote", "add", "origin")
            raise SyncError(
                f"chưa có kho chung (remote) để đồng bộ: thêm bằng «{add} ĐỊA_CHỈ» (xem "
                f"docs/offices-and-git.md)"
            )
        remote = "origin" if "origin" in remotes else remotes[0]
        merge = f"refs/heads/{branch}"
    remote_branch = merge.removeprefix("refs/heads/")
    return _Upstream(
        remote=remote,
        branch=branch,
        remote_branch=remote_branch,
        tracking=f"refs/remotes/{remote}/{remote_branch}",
        configured=configured,
    )


def has_remote(repository: DataRepository) -> bool:
    """The data folder has a shared repository to sync with (a remote named, or one to
    push to): a one-office folder without any is not asked to sync."""
    try:
        _upstream(repository)
    except SyncError:
        return False
    return True


def _config(repository: DataRepository, key: str) -> str:
    return repository.git.run("config", "--get", key, check=False).text.strip()


def _fetch(repository: DataRepository, upstream: _Upstream) -> None:
    result = repository.git.run(
        "fetch", "--quiet", "--prune", upstream.remote, timeout=NETWORK_TIMEOUT, check=False
    )
    if result.returncode != 0:
        raise repository.git.failure(
            f"không lấy được số liệu từ kho chung «{upstream.remote}»", result, SyncError
        )


def _remote_branches(repository: DataRepository, remote: str) -> list[str]:
    """The branches the last fetch found on `remote`."""
    prefix = f"refs/remotes/{remote}/"
    names = repository.git.output(
        "for-each-ref", "--format=%(refname)", prefix, check=False
    ).split()
    return [name.removeprefix(prefix) for name in names if name != prefix + "HEAD"]


def _remote_head(repository: DataRepository, remote: str) -> str:
    """The branch the remote's HEAD names (what a clone checks out), or "" when it
    does not say (an empty bare repository does not, with git before 2.42)."""
    git = repository.git
    known = git.run(
        "symbolic-ref", "--quiet", f"refs/remotes/{remote}/HEAD", check=False
    ).text.strip()
    if known:
        return known.removeprefix(f"refs/remotes/{remote}/")
    asked = git.run("ls-remote", "--symref", remote, "HEAD", timeout=NETWORK_TIMEOUT, check=False)
    for line in asked.text.splitlines():
        if line.startswith("ref: refs/heads/") and line.endswith("\tHEAD"):
            return line.removeprefix("ref: refs/heads/").removesuffix("\tHEAD")
    return ""


def _followed(repository: DataRepository, upstream: _Upstream) -> _Upstream:
    """The remote's branch that holds the data: the one configured, or this branch's
    namesake, when the remote has it; else the branch the remote's HEAD names, or its
    only branch. An empty remote gets the branch its HEAD names (so a clone of it checks
    the data out), else this branch's name. Several branches and none of them
    ours: refused, naming them (which one holds the office's data is a person's call)."""
    branches = _remote_branches(repository, upstream.remote)
    if upstream.remote_branch in branches:
        return upstream
    head = _remote_head(repository, upstream.remote)
    if not branches:
        if head and not upstream.configured:
            return _toward(upstream, head)
        return upstream
    if head in branches:
        return _toward(upstream, head)
    if len(branches) == 1:
        return _toward(upstream, branches[0])
    shown = ", ".join(f"«{upstream.remote}/{name}»" for name in sorted(branches))
    folder = repository.data_dir
    choice = f"{upstream.remote}/{sorted(branches)[0]}"
    raise SyncError(
        f"kho chung «{upstream.remote}» không có nhánh «{upstream.remote_branch}» mà có "
        f"nhiều nhánh khác ({shown}), và HEAD của nó không chỉ nhánh nào trong số đó: không "
        f"biết nhánh nào giữ số liệu, nên không gộp, không gửi gì. Chọn nhánh đó, ví dụ "
        f"«{shell_command('git', '-C', str(folder), 'branch', f'--set-upstream-to={choice}')}», "
        f"rồi «bluezone sync»"
    )


def _toward(upstream: _Upstream, remote_branch: str) -> _Upstream:
    """`upstream` toward another branch of its remote; the push records it as the
    branch's upstream (branch.<name>.merge), so the next sync asks nothing."""
    return replace(
        upstream,
        remote_branch=remote_branch,
        tracking=f"refs/remotes/{upstream.remote}/{remote_branch}",
        configured=False,
    )


def _refuse_unrelated(repository: DataRepository, upstream: _Upstream) -> None:
    """Histories with no commit in common (a data folder made by «bluezone init» where a
    clone was meant) are never merged nor pushed: that would join two offices' data, or
    put a second history beside the first on the remote."""
    if not repository.has_commits() or not _exists(repository, upstream.tracking):
        return
    base = repository.git.run("merge-base", "HEAD", upstream.tracking, check=False)
    if base.returncode != 1:  # 0: a common commit; anything else: the merge will say
        return
    folder = repository.data_dir
    where = f"{upstream.remote}/{upstream.remote_branch}"
    url = repository.git.run("remote", "get-url", upstream.remote, check=False).text.strip()
    clone = (
        shell_command("git", "clone", url, str(folder))
        if url
        else f"git clone ĐỊA_CHỈ {shell_word(str(folder))}"
    )
    merge = shell_command("git", "-C", str(folder), "merge", "--allow-unrelated-histories", where)
    raise SyncError(
        f"lịch sử số liệu ở đây và trên kho chung «{where}» không có gốc chung (hai thư "
        f"mục dữ liệu khởi tạo riêng, ví dụ «bluezone init» ở nơi lẽ ra phải «git clone»): "
        f"không gộp, không gửi gì. Nếu thư mục này mới lập: đổi tên nó, lấy bản của kho "
        f"chung bằng «{clone}», rồi nhập lại các báo cáo "
        f"đã lưu ở thư mục cũ. Nếu cả hai đều có số liệu cần giữ: «{merge}» (xung đột, "
        f"nếu có: bluezone resolve), "
        f"rồi «bluezone sync»"
    )


def _exists(repository: DataRepository, ref: str) -> bool:
    return (
        repository.git.run(
            "rev-parse", "--verify", "--quiet", ref + "^{commit}", check=False
        ).returncode
        == 0
    )


def _count(repository: DataRepository, spec: str) -> int:
    return int(repository.git.output("rev-list", "--count", spec) or 0)


def _merge(
    repository: DataRepository, upstream: _Upstream, now: datetime, result: SyncResult
) -> bool:
    """Merge what was fetched; True when it stopped at conflicts."""
    if not _exists(repository, upstream.tracking):
        return False  # an empty remote: nothing to merge, the push creates its branch
    if not repository.has_commits():
        raise SyncError(
            "thư mục dữ liệu chưa có commit nào để gộp với kho chung: tạo bằng «bluezone init» "
            "hoặc lấy về bằng «git clone ĐỊA_CHỈ THƯ_MỤC»"
        )
    incoming = _count(repository, f"HEAD..{upstream.tracking}")
    if not incoming:
        return False
    with repository.lock("đang đồng bộ", SYNC_WAIT_SECONDS):
        recorded = repository.commit_pending(now)  # saves made while we fetched
        if recorded.problem:
            raise SyncError(_not_committed(recorded))
        head = repository.git.output("rev-parse", "HEAD")
        env = author_environment(current_user(), now, now)
        message = f"Gộp số liệu từ {upstream.remote}/{upstream.remote_branch}"
        args = ("merge", "--ff", "--no-edit", "--no-stat", "-m", message, upstream.tracking)
        merged = repository.run_as_committer(*args, env=env)
        if merged.returncode != 0:
            conflicts = repository.unmerged() if repository.merging() else []
            if conflicts:
                result.conflicts = conflicts
                result.pulled = incoming
                result.changed = _changed(repository, head, "HEAD") + conflicts
                return True
            if repository.merging():  # merged, but the merge commit could not be made:
                # never left half done (a merge with no conflict reads as one to resolve)
                repository.git.run("merge", "--abort", check=False)
            what = "không gộp được số liệu từ kho chung (chưa gộp gì)"
            if signs_commits(repository.git):
                raise signing_refused(repository.git, what, merged)
            raise repository.git.failure(what, merged, SyncError)
        result.pulled += incoming
        result.changed += _changed(repository, head, "HEAD")
    return False


def _changed(repository: DataRepository, before: str, after: str) -> list[str]:
    out = repository.git.run("diff", "--name-only", "-z", before, after).stdout
    return [p.decode("utf-8") for p in out.split(b"\0") if p]


def _push(repository: DataRepository, upstream: _Upstream, result: SyncResult) -> bool:
    """Push; True when done (or nothing to do), False when the remote moved meanwhile."""
    has_remote_branch = _exists(repository, upstream.tracking)
    outgoing = (
        _count(repository, f"{upstream.tracking}..HEAD")
        if has_remote_branch
        else (_count(repository, "HEAD") if repository.has_commits() else 0)
    )
    tags = _read_state(repository, TAGS_TO_PUSH).split()
    if not outgoing and not tags:
        return True
    args = ["push", "--follow-tags"]
    if not upstream.configured:
        args.append("--set-upstream")
    args += [upstream.remote, f"HEAD:refs/heads/{upstream.remote_branch}"]
    pushed = repository.git.run(*args, timeout=NETWORK_TIMEOUT, check=False)
    if pushed.returncode != 0:
        output = pushed.stderr
        if "[rejected]" in output and ("fetch first" in output or "non-fast-forward" in output):
            return False  # someone pushed first: fetch and merge their commits, then again
        raise repository.git.failure(
            f"không gửi được lên kho chung «{upstream.remote}»", pushed, SyncError
        )
    result.pushed += outgoing
    _write_state(
        repository, TAGS_TO_PUSH, "", "đã gửi xong; lần đồng bộ sau gửi lại các nhãn, không hại gì"
    )
    return True


def sync_state(repository: DataRepository) -> SyncState:
    """For the board: cheap, local only (counts as of the last fetch)."""
    text = _read_state(repository, LAST_SYNC).strip()
    try:
        last = datetime.fromisoformat(text) if text else None
    except ValueError:
        last = None
    ahead = behind = None
    counted = repository.git.run(
        "rev-list", "--left-right", "--count", "HEAD...@{upstream}", check=False
    )
    if counted.returncode == 0:
        parts = counted.text.split()
        if len(parts) == 2:
            ahead, behind = int(parts[0]), int(parts[1])
    return SyncState(last, ahead, behind, repository.merging())


def note_tag_to_push(repository: DataRepository, tag: str) -> None:
    """`tag` to go with the next sync's push."""
    tags = _read_state(repository, TAGS_TO_PUSH).split()
    if tag not in tags:
        folder = shell_word(os.path.abspath(repository.data_dir))
        kept = (
            f"đã tạo nhãn {tag} nhưng chưa ghi được vào danh sách nhãn chờ gửi: sau lần "
            f"đồng bộ tới, gửi nó bằng «git -C {folder} push --tags»"
        )
        _write_state(repository, TAGS_TO_PUSH, "\n".join([*tags, tag]) + "\n", kept)


def _read_state(repository: DataRepository, name: str) -> str:
    """A state file as it is ("" when there is none yet, or it cannot be read): a reader
    never makes the state folder."""
    try:
        return (repository.common_dir / STATE_FOLDER / name).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return ""


def _write_state(repository: DataRepository, name: str, text: str, kept: str) -> None:
    """A state file rewritten whole; one that cannot be written is a refused write, with
    `kept`: what is done already and what is not."""
    path = repository.state_path(name)
    with refusing_writes(path, kept):
        replace_atomically(path, text.encode("utf-8"), durable=False)
