"""Where the data folder's git stands, and whether history may be written there: the one
verdict every writer asks for and every view shows.

A data folder that holds `.git` is judged whatever units.yaml says about history
(`history: none` turns the commits off, not this): what lies in the folder is what git
checked out, so a file written while git is elsewhere than a branch goes wherever the
next checkout takes it. The states:

- on a branch (or in a repository with no commit at all yet): written as usual;
- detached: HEAD on a commit (`git checkout <commit>`): a commit made there is left
  behind by the next change of branch, seen only in git's reflog;
- unborn: a branch with no commit yet while the data is on another (`git checkout
  --orphan`): its first commit would hold one file, gone from the folder at the next
  `git switch`;
- busy: git stopped in the middle of a rebase, `am`, cherry-pick, revert or bisect (or
  of a merge on a detached HEAD): what is written would be mixed into it;
- broken: git does not recognise the repository (HEAD holds what git cannot read);
- unreadable: this login may not read git's own files.

Every state but the first is said in one set of words (HeadState): what it is, naming
the folder; what a view shows meanwhile; why nothing is written; and the way back that
loses nothing, every command quoted for the shell it is pasted into. git is asked
(`git rev-parse --symbolic-full-name HEAD`), never the HEAD file alone: a HEAD that is
a symbolic link (core.preferSymlinkRefs) is on its branch. Writers refuse under the
data folder's lock (DataRepository.lock; save.recording without history), views warn
(`head_problem`), and a view that stays open keeps it current (HeadWatch).
"""

from __future__ import annotations

import errno
import os
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bluezone_tui.base.files import os_reason
from bluezone_tui.base.problems import ConfigError, Problem
from bluezone_tui.base.safe_text import printable, shell_command
from bluezone_tui.base.sharing import denied
from bluezone_tui.git.command import Git, GitMissing, GitResult, find_git, in_vietnamese
from bluezone_tui.git.wanted import GIT_FOLDER

BRANCH = "branch"  # on a branch: history is written there
EMPTY = "empty"  # no commit at all yet: the first save starts the history
DETACHED = "detached"
UNBORN = "unborn"
BUSY = "busy"
BROKEN = "broken"
UNREADABLE = "unreadable"
WRITABLE = frozenset({BRANCH, EMPTY})
OFFICE_BRANCHES = ("main", "master")  # the office's branch, when nothing says which
# While git is not on a branch, a view asks again this often: a branch made meanwhile
# (the way back's first step) changes what the way back says.
REFRESH_SECONDS = 30.0
# what git leaves in its folder while it is in the middle of something (see _operation)
OPERATION_FILES = (
    "rebase-merge",
    "rebase-apply",
    "CHERRY_PICK_HEAD",
    "REVERT_HEAD",
    "BISECT_START",
    "MERGE_HEAD",
)
_VALID_HEAD = re.compile(r"ref: refs/\S+|[0-9a-f]{40}|[0-9a-f]{64}")
_UNBORN = ("ambiguous argument 'HEAD'", "unknown revision", "bad revision 'HEAD'")


class NotOnBranch(ConfigError):
    """The data folder's git is not on a branch (or cannot be read): nothing is written
    there (exit 2), and the message says the way back."""


@dataclass(frozen=True, slots=True)
class HeadState:
    """Where the data folder's git stands, and, when that is not a branch, every word
    said about it."""

    kind: str
    folder: Path
    branch: str = ""  # on a branch, or the unborn branch
    state: str = ""  # what is wrong, after "kho git của thư mục dữ liệu DIR"
    seen: str = ""  # what a view shows meanwhile
    why: str = ""  # why nothing is written here
    way_back: str = ""  # the commands that get back, losing nothing
    note: str = ""  # what else to know meanwhile (a rebase's sides), said last

    @property
    def writable(self) -> bool:
        return self.kind in WRITABLE

    @property
    def situation(self) -> str:
        return f"kho git của thư mục dữ liệu {self.folder} {self.state}"

    def refusal(self, doing: str) -> str:
        """A writer's refusal: `doing` ("lưu số liệu", "đồng bộ") is not done here."""
        said = f"{self.situation}: không {doing} ở đây, vì {self.why}. {self.way_back}"
        return f"{said}. {self.note}" if self.note else said

    def warning(self) -> str:
        """A view's warning: what it shows is not a branch's data, and the way back."""
        said = (
            f"{self.situation}: {self.seen}, và không lưu, không đồng bộ được ở đây. "
            f"{self.way_back}"
        )
        return f"{said}. {self.note}" if self.note else said

    def headline(self) -> str:
        """The board's line over the table, in the warning's words: what is wrong and
        what cannot be done; the whole warning (the way back) is on F1."""
        return f"Kho git {self.state}: không lưu, không đồng bộ được. F1: cách trở lại"


def head_state(data_dir: Path, executable: str | None = None) -> HeadState | None:
    """The verdict for the data folder `data_dir`; None when it holds no `.git` (no
    repository of its own: nothing to judge). `executable`: git, when the caller has it;
    without a usable git, HEAD's file alone is read."""
    dot = data_dir / GIT_FOLDER
    if not os.path.lexists(dot):
        return None
    try:
        git_dir = _git_dir_of(dot)
        raw = _read(git_dir / "HEAD")  # through a symbolic link: git's own HEAD
    except OSError as exc:
        return _unreadable(data_dir, exc)
    if executable is None:
        try:
            executable = find_git()
        except GitMissing:
            return _from_file_alone(data_dir, git_dir, raw)
    git = Git(data_dir, executable, dot)
    asked = git.run(
        "rev-parse", "--git-dir", "--git-common-dir", "--symbolic-full-name", "HEAD",
        check=False,
    )  # fmt: skip
    lines = asked.text.splitlines()
    if asked.returncode == 0 and len(lines) == 3:
        git_dir = data_dir / lines[0]
        ref = lines[2]
        detached = not ref.startswith("refs/heads/")
        busy = _operation(git_dir, detached)
        if busy:
            return _busy(git, data_dir, git_dir, busy)
        if detached:
            return _detached(git, data_dir)
        return HeadState(BRANCH, data_dir, branch=ref.removeprefix("refs/heads/"))
    if len(lines) >= 2 and any(words in asked.stderr for words in _UNBORN):
        return _unborn(git, data_dir)
    return _broken(data_dir, git_dir, raw, asked)


def head_problem(data_dir: Path, executable: str | None = None) -> Problem | None:
    """A view's warning (status, export, remind, check) when the data folder's git is not
    on a branch, or cannot be read; None when it is, or when there is no `.git`."""
    state = head_state(data_dir, executable)
    if state is None or state.writable:
        return None
    return Problem(state.warning(), severity="warning")


def refuse_unless_writable(
    data_dir: Path, doing: str, executable: str | None = None
) -> HeadState | None:
    """A writer's check: NotOnBranch (exit 2) saying why and the way back, unless history
    may be written here; the verdict (None: the folder holds no `.git`)."""
    state = head_state(data_dir, executable)
    if state is not None and not state.writable:
        raise NotOnBranch(state.refusal(doing))
    return state


# ----------------------------------------------------------------------------- the states


def _detached(git: Git, folder: Path) -> HeadState:
    here = _short(git)
    return HeadState(
        DETACHED,
        folder,
        state=f"không ở trên nhánh nào (detached HEAD, ở commit {here})",
        seen="số liệu đang xem là của commit đó, có thể cũ hơn số liệu trên nhánh",
        why="commit trên HEAD rời sẽ bị bỏ lại khi đổi nhánh",
        way_back=_way_back(git, folder, here),
    )


def _way_back(git: Git, folder: Path, here: str) -> str:
    """From a detached HEAD, the commands that get back on a branch losing nothing: the
    branch, when every commit here is on one; else the commits kept on a branch of their
    own first, then merged. Only a branch no other work tree has checked out is offered
    (git refuses the others: a linked worktree's own branch, not the main folder's)."""
    free = _free_branches(git)
    holding = set(
        git.run(
            "for-each-ref", "--contains", "HEAD", "--format=%(refname:short)", "refs/heads",
            check=False,
        ).text.split()
    )  # fmt: skip
    target = next((b for b in free if b in holding), free[0] if free else "")
    if holding and target:
        return (
            f"Mọi commit ở đây đã có trên nhánh «{target}»: chạy "
            f"«{_command('git', '-C', folder, 'switch', target)}» rồi làm lại"
        )
    keep = "giu-lai-" + here
    if not target:  # every branch is checked out elsewhere: a branch of its own here
        return (
            f"Mọi nhánh đều đang mở ở thư mục khác: tạo một nhánh cho thư mục này, "
            f"«{_command('git', '-C', folder, 'switch', '-c', keep)}», rồi làm lại"
        )
    joined = _commands(
        ("git", "-C", folder, "branch", keep),
        ("git", "-C", folder, "switch", target),
        ("git", "-C", folder, "merge", keep),
    )
    return (
        f"Ở đây có commit chưa thuộc nhánh nào: giữ chúng rồi gộp vào nhánh «{target}»: "
        f"«{joined}», rồi làm lại (xung đột, nếu có: bluezone resolve)"
    )


def _free_branches(git: Git) -> list[str]:
    """The local branches no work tree has checked out, the likeliest first: the one
    this folder was on before (git's @{-1}), then the office's, then the rest."""
    listed = git.run(
        "for-each-ref", "--format=%(refname:short)%00%(worktreepath)", "refs/heads",
        check=False,
    ).text.splitlines()  # fmt: skip
    free = [name for name, _, held in (line.partition("\0") for line in listed) if not held]
    before = git.run(
        "rev-parse", "--quiet", "--symbolic-full-name", "@{-1}", check=False
    ).text.strip()
    first = [before.removeprefix("refs/heads/")] if before.startswith("refs/heads/") else []
    order = [*first, *OFFICE_BRANCHES]
    return sorted(free, key=lambda name: order.index(name) if name in order else len(order))


def _unborn(git: Git, folder: Path) -> HeadState:
    """A branch with no commit yet: the whole history when no branch has any (a new
    repository: the first save starts it), else a branch beside the office's data."""
    branch = git.run("symbolic-ref", "--quiet", "--short", "HEAD", check=False).text.strip()
    free = _free_branches(git)
    remote = [
        name.split("/", 1)[1]
        for name in git.run(
            "for-each-ref", "--format=%(refname:short)", "refs/remotes", check=False
        ).text.split()
        if "/" in name and not name.endswith("/HEAD")
    ]
    target = free[0] if free else (remote[0] if remote else "")
    if not target:
        return HeadState(EMPTY, folder, branch=branch)
    return HeadState(
        UNBORN,
        folder,
        branch=branch,
        state=f"ở nhánh «{branch}» chưa có commit nào, còn số liệu nằm ở nhánh «{target}»",
        seen="số liệu đang xem là các tệp còn lại trong thư mục, chưa thuộc commit nào",
        why=(
            f"commit đầu tiên của nhánh «{branch}» chỉ giữ tệp vừa ghi (không có "
            f"units.yaml, không có ngày nào khác), và tệp đó sẽ mất khỏi thư mục khi trở "
            f"lại nhánh «{target}»"
        ),
        way_back=(
            f"Trở lại nhánh có số liệu: «{_command('git', '-C', folder, 'switch', target)}» "
            f"rồi làm lại"
        ),
    )


def _operation(git_dir: Path, detached: bool) -> str:
    """What git stopped in the middle of, from the files it leaves: "rebase", "am",
    "cherry-pick", "revert", "bisect", or "merge" on a detached HEAD (a merge on a branch
    is the sync's own, finished by `bluezone resolve`); "" when none."""
    if (git_dir / "rebase-merge").is_dir() or (git_dir / "rebase-apply").is_dir():
        return "am" if (git_dir / "rebase-apply" / "applying").exists() else "rebase"
    for name, operation in (
        ("CHERRY_PICK_HEAD", "cherry-pick"),
        ("REVERT_HEAD", "revert"),
        ("BISECT_START", "bisect"),
    ):
        if (git_dir / name).exists():
            return operation
    if detached and (git_dir / "MERGE_HEAD").exists():
        return "merge"
    return ""


def _busy(git: Git, folder: Path, git_dir: Path, operation: str) -> HeadState:
    here = _short(git)
    on = git.run("symbolic-ref", "--quiet", "--short", "HEAD", check=False).text.strip()
    where = f" trên nhánh «{on}»" if on else f" (HEAD rời, ở commit {here})"
    finish = [("git", "-C", folder, operation, "--continue")]
    abort = ("git", "-C", folder, operation, "--abort")
    seen = "số liệu đang xem là của việc git đang làm dở đó (tệp có thể còn dấu xung đột)"
    why = "commit ghi lúc này sẽ lẫn vào việc git đang làm dở"
    note = ""
    if operation == "rebase":
        rebased = _rebased_branch(git_dir)
        state = (
            f"đang rebase dở{f' nhánh «{rebased}»' if rebased else ''} (git rebase dừng ở "
            f"commit {here}, HEAD rời)"
        )
        note = (
            "Lưu ý: trong lúc rebase, «bên này» (ours) là nhánh đích của rebase, còn «bên "
            "kia» (theirs) là commit đang được áp lại: ngược với khi đồng bộ"
        )
        why += ", và «bluezone resolve» không giải quyết được xung đột của lần rebase"
        back = f" (trở lại nhánh «{rebased}» như trước khi rebase)" if rebased else ""
        way_back = (
            f"Làm xong lần rebase: sửa các tệp còn xung đột, «git add» chúng, rồi "
            f"«{_commands(*finish)}»; hoặc huỷ cả lần rebase: «{_command(*abort)}»{back}; "
            f"rồi làm lại"
        )
    elif operation == "bisect":
        started = _bisect_start(git_dir)
        state = f"đang tìm commit lỗi dở (git bisect, ở commit {here})"
        seen = (
            "số liệu đang xem là của commit git bisect đang thử, có thể cũ hơn số liệu trên nhánh"
        )
        why = "commit ghi ở commit đang thử sẽ bị bỏ lại khi bisect xong"
        back = f" (trở lại nhánh «{started}»)" if started else ""
        way_back = (
            f"Kết thúc bisect: «{_command('git', '-C', folder, 'bisect', 'reset')}»{back} "
            f"rồi làm lại"
        )
    elif operation == "merge":
        state = f"đang gộp dở (git merge) trên HEAD rời, ở commit {here}"
        way_back = f"Huỷ lần gộp: «{_command(*abort)}»; rồi: {_way_back(git, folder, here)}"
    else:
        names = {
            "am": "áp dở bản vá (git am)",
            "cherry-pick": "cherry-pick dở",
            "revert": "revert dở",
        }
        state = f"đang {names[operation]}{where}"
        way_back = (
            f"Làm xong: sửa các tệp còn xung đột, «git add» chúng, rồi «{_commands(*finish)}»; "
            f"hoặc huỷ: «{_command(*abort)}»; rồi làm lại"
        )
    return HeadState(
        BUSY, folder, branch=on, state=state, seen=seen, why=why, way_back=way_back, note=note
    )


def _rebased_branch(git_dir: Path) -> str:
    """The branch a rebase is rebasing ("" for a detached HEAD's)."""
    for folder in ("rebase-merge", "rebase-apply"):
        try:
            name = (git_dir / folder / "head-name").read_text(encoding="utf-8").strip()
        except OSError:
            continue
        return name.removeprefix("refs/heads/") if name.startswith("refs/heads/") else ""
    return ""


def _bisect_start(git_dir: Path) -> str:
    """The branch `git bisect reset` goes back to ("" when it is a commit)."""
    try:
        name = (git_dir / "BISECT_START").read_text(encoding="utf-8").strip()
    except OSError:
        return ""
    return "" if re.fullmatch(r"[0-9a-f]{40,64}", name) else name


def _broken(folder: Path, git_dir: Path, raw: bytes, asked: GitResult) -> HeadState:
    """git does not take the repository: HEAD's file holds what is neither a branch nor a
    commit (said with the fix), or something else git names."""
    text = raw.decode("utf-8", errors="replace").strip()
    head = git_dir / "HEAD"
    check = f"«{_command('git', '-C', folder, 'status')}»"
    seen = "không biết số liệu đang xem là của nhánh hay commit nào"
    why = "không biết kho đang ở nhánh nào, nên không ghi lịch sử cho đúng được"
    if not _VALID_HEAD.fullmatch(text):
        target = next(iter(_branches_on_disk(git_dir)), "main")
        shown = printable(text[:60]) + ("…" if len(text) > 60 else "")
        ref = f"ref: refs/heads/{target}"
        return HeadState(
            BROKEN,
            folder,
            state=(
                f"bị hỏng: tệp {head} chứa «{shown}», không phải tên một nhánh hay một "
                f"commit, nên git không nhận ra kho này"
            ),
            seen=seen,
            why=why,
            way_back=(
                f"Nếu thư mục vẫn ở nhánh «{target}» (nhánh có số liệu): "
                f"«{_command('echo', ref)} > {_command(head)}», rồi kiểm tra bằng {check}"
            ),
        )
    reason = asked.reason or "không rõ lý do"
    meaning = in_vietnamese(reason)
    return HeadState(
        BROKEN,
        folder,
        state=f"bị hỏng, git không dùng được kho này ({f'{meaning}; ' if meaning else ''}git: {reason})",
        seen=seen,
        why=why,
        way_back=f"Sửa theo lời git ở trên (hoặc lấy lại kho từ kho chung), rồi kiểm tra bằng {check}",
    )


def _branches_on_disk(git_dir: Path) -> list[str]:
    """The local branches, read from git's folder itself (git does not run in a
    repository whose HEAD it cannot read): the office's first."""
    common = git_dir
    try:
        pointed = (git_dir / "commondir").read_text(encoding="utf-8").strip()
        common = (git_dir / pointed).resolve()
    except OSError:
        pass
    names: set[str] = set()
    heads = common / "refs" / "heads"
    for root, _folders, files in os.walk(heads):
        names.update(Path(root, name).relative_to(heads).as_posix() for name in files)
    try:
        packed = (common / "packed-refs").read_text(encoding="utf-8", errors="replace")
    except OSError:
        packed = ""
    for line in packed.splitlines():
        _, _, ref = line.partition(" refs/heads/")
        if ref:
            names.add(ref.strip())
    order = list(OFFICE_BRANCHES)
    return sorted(names, key=lambda n: (order.index(n) if n in order else len(order), n))


def _unreadable(folder: Path, exc: OSError) -> HeadState:
    """git's folder, or HEAD in it, cannot be read (or is not there)."""
    seen = "không biết số liệu đang xem là của nhánh hay commit nào"
    why = "không biết kho đang ở nhánh nào, nên không ghi lịch sử cho đúng được"
    if exc.errno in (errno.EACCES, errno.EPERM):
        reason = denied(exc, reading=True) or f"{exc.filename}: {os_reason(exc)}"
        return HeadState(
            UNREADABLE,
            folder,
            state=f"không đọc được ({exc.filename}: không có quyền đọc)",
            seen=seen,
            why=why,
            way_back=f"Cụ thể: {reason}",
        )
    check = f"«{_command('git', '-C', folder, 'status')}»"
    return HeadState(
        BROKEN,
        folder,
        state=f"bị hỏng: {exc.filename or folder / GIT_FOLDER}: {os_reason(exc)}",
        seen=seen,
        why=why,
        way_back=(
            f"Sửa kho git (hoặc lấy lại từ kho chung bằng «git clone», hoặc từ bản sao "
            f"lưu), rồi kiểm tra bằng {check}"
        ),
    )


def _from_file_alone(folder: Path, git_dir: Path, raw: bytes) -> HeadState:
    """Without a usable git: HEAD's file says a branch, or a commit (detached), or
    neither (broken)."""
    text = raw.decode("utf-8", errors="replace").strip()
    if text.startswith("ref: refs/heads/"):
        return HeadState(BRANCH, folder, branch=text.removeprefix("ref: refs/heads/"))
    if not re.fullmatch(r"[0-9a-f]{40,64}", text):
        return _broken(folder, git_dir, raw, GitResult(128, b"", ""))
    return HeadState(
        DETACHED,
        folder,
        state=f"không ở trên nhánh nào (detached HEAD, ở commit {text[:7]})",
        seen="số liệu đang xem là của commit đó, có thể cũ hơn số liệu trên nhánh",
        why="commit trên HEAD rời sẽ bị bỏ lại khi đổi nhánh",
        way_back=(
            "Cài git rồi chạy lại lệnh này: nó sẽ chỉ cách trở lại nhánh mà không mất commit nào"
        ),
    )


def _git_dir_of(dot: Path) -> Path:
    """git's folder: `.git` itself, or where a `.git` file points (a linked worktree)."""
    if dot.is_dir():
        return dot
    text = dot.read_text(encoding="utf-8", errors="replace").strip()
    if not text.startswith("gitdir:"):
        return dot  # reading HEAD under it fails: said as broken
    return dot.parent / text.removeprefix("gitdir:").strip()


def _command(*words: str | Path) -> str:
    """A command to paste, each word quoted for the shell (a folder with a space, a
    branch named `x$(…)`: base/safe_text.shell_word)."""
    return shell_command(*(str(word) for word in words))


def _commands(*each: tuple[str | Path, ...]) -> str:
    """Commands run one after the other, each only when the one before succeeded."""
    return " && ".join(_command(*words) for words in each)


def _read(path: Path) -> bytes:
    """A small file of git's, whole (HEAD: one line)."""
    with open(path, "rb") as handle:
        return handle.read(4096)


def _short(git: Git) -> str:
    return git.run("rev-parse", "--short", "HEAD", check=False).text.strip() or "?"


# ----------------------------------------------------------------------------- a view kept current


def head_marks(data_dir: Path) -> str:
    """What changes whenever the verdict may: HEAD's file (read through a link), and which
    of git's in-the-middle files exist; a few small reads and stats, no git."""
    dot = data_dir / GIT_FOLDER
    try:
        git_dir = _git_dir_of(dot)
    except OSError as exc:
        return f"error {exc.errno}"
    try:
        head = _read(git_dir / "HEAD").decode("utf-8", errors="replace").strip()
    except OSError as exc:
        head = f"error {exc.errno}"
    present = [name for name in OPERATION_FILES if os.path.lexists(git_dir / name)]
    return " ".join([head, *present])


class HeadWatch:
    """The verdict on one data folder's git, as it is now, for a view that stays open.

    git is asked only when something moved since the last look (HEAD's file, or one of
    the files git leaves in the middle of a rebase and the like: a checkout, a switch
    back, a commit on a detached HEAD, a rebase stopped) or, while not on a branch,
    every REFRESH_SECONDS; on a branch a look is a few small reads and nothing else."""

    def __init__(
        self,
        data_dir: Path,
        refresh_seconds: float = REFRESH_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.data_dir = data_dir
        self._refresh = refresh_seconds
        self._clock = clock
        self._marks: str | None = None  # at the last look (None: never looked)
        self._state: HeadState | None = None
        self._asked_at = 0.0

    def state(self) -> HeadState | None:
        """The verdict now (None: the data folder holds no `.git`)."""
        if not os.path.lexists(self.data_dir / GIT_FOLDER):
            self._marks, self._state = None, None
            return None
        marks = head_marks(self.data_dir)
        now = self._clock()
        stuck = self._state is not None and not self._state.writable
        if marks != self._marks or (stuck and now - self._asked_at >= self._refresh):
            self._marks, self._asked_at = marks, now
            self._state = head_state(self.data_dir)
        return self._state


def back_on_branch(branch: str) -> str:
    """What a view says when the git it warned about is on a branch again."""
    where = f"nhánh «{branch}»" if branch else "một nhánh"
    return (
        f"Kho git của thư mục dữ liệu đã trở lại {where}: số liệu đang xem là của nhánh, "
        f"lưu và đồng bộ được như thường."
    )
