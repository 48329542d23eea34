"""The `git` command, run as a subprocess: the engine of history and sync.

Like pass and git-auto-sync, we run the user's own `git` (≥ 2.30), so their SSH keys,
credential helpers and config just work, and we never speak a protocol of our own.
Every call: no prompt on any terminal (GIT_TERMINAL_PROMPT=0, no stdin, a session of
its own so ssh cannot open /dev/tty), English messages for parsing (LC_ALL=C), a
timeout that kills the whole process group, and the repository named explicitly
(GIT_DIR and friends from the caller's environment are dropped).
"""

from __future__ import annotations

import contextlib
import errno
import functools
import os
import re
import shutil
import signal
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bluezone_tui.base.failed_writes import write_refused
from bluezone_tui.base.files import os_reason, sharing_of
from bluezone_tui.base.mounts import existing_part
from bluezone_tui.base.problems import BluezoneError
from bluezone_tui.base.safe_text import printable, shell_word
from bluezone_tui.base.sharing import denied, outside_group

MIN_VERSION = (2, 30)
LOCAL_TIMEOUT = 60.0  # a commit, a merge, a log: seconds on a slow disk at worst
NETWORK_TIMEOUT = 120.0  # a fetch or a push over a slow link
LOCK_WAIT_SECONDS = 2.0  # a git lock file held by a live git usually goes within this
# Without /proc (not Linux) nobody can say whether a lock's owner is alive: only a lock
# this old is taken as left by a crash (a commit here takes well under a second).
UNKNOWN_OWNER_STALE_SECONDS = 600.0
# Variables that would point git at another repository than the one we name.
_REPOSITORY_VARIABLES = (
    "GIT_DIR",
    "GIT_WORK_TREE",
    "GIT_INDEX_FILE",
    "GIT_OBJECT_DIRECTORY",
    "GIT_ALTERNATE_OBJECT_DIRECTORIES",
    "GIT_COMMON_DIR",
    "GIT_NAMESPACE",
    "GIT_PREFIX",
)
_REASON_PREFIXES = ("fatal: ", "error: ", "remote: error: ", "remote: ")
_REJECTED = re.compile(r"^\s*!\s*\[(?:remote )?rejected\].*$", re.MULTILINE)


class GitError(BluezoneError):
    """git could not do what was asked; `reason` is git's own words, on one line, after
    what they mean in Vietnamese when they are among git's usual ones (in_vietnamese).

    Exit 2 by default: the command could not do its work with this repository, remote
    or network (sync's table). A save that git fails to record is reported differently.
    """

    exit_code = 2

    def __init__(self, message: str, reason: str = ""):
        ours = explained(reason)
        self.reason: str = reason
        if isinstance(ours, Explained):  # said in our words (whose file, the fix): not git's
            super().__init__(f"{message}: {ours}")
            self.reason = ours
            return
        meaning = in_vietnamese(reason)
        said = f"{message}: {meaning}" if meaning else message
        super().__init__(f"{said} (git: {reason})" if reason else said)
        self.reason = reason


class GitWriteRefused(GitError):
    """git, or the tool in git's folder, could not write there: a full or read-only disk,
    a permission. Exit 1 (an output that could not be written, docs/commands.md), said
    as the disk or the permission with the repository's path, never git's English;
    nothing in the repository is lost (git writes through lock files)."""

    exit_code = 1

    @classmethod
    def of(cls, exc: OSError) -> GitWriteRefused:
        """The tool's own write in git's folder (a commit's tree, a hook's message) that
        the system refused, said as every refused write is (base/failed_writes.py)."""
        return cls(write_refused(exc, kept="").message)


class Explained(str):
    """git's reason said in our words (whose file refused, the fix): shown without git's."""


class GitMissing(GitError):
    """No usable `git` on this machine (not installed, or older than 2.30)."""


class GitBusy(GitError):
    """Another git process holds the repository's lock right now."""


@dataclass(frozen=True, slots=True)
class GitResult:
    returncode: int
    stdout: bytes
    stderr: str

    @property
    def text(self) -> str:
        return self.stdout.decode("utf-8", errors="replace")

    @property
    def reason(self) -> str:
        """git's reason on one line; a permission refused anywhere in what git said comes
        first (its last line is often only "adding files failed")."""
        return _permission_explained(self.stderr) or one_line_reason(self.stderr or self.text)


def one_line_reason(output: str) -> str:
    """git's own reason for a failure, on one line: a push rejection (with what the remote
    said), else the first
    fatal: line (the specific one; later ones are generic), else the first error: line
    with the file names git lists under it, else the last line it printed."""
    lines = output.splitlines()
    rejected = _REJECTED.findall(output)
    if rejected:  # what the remote's hook said, then git's line for each refused ref
        said = [line[len("remote: ") :].strip() for line in lines if line.startswith("remote: ")]
        return "; ".join([*filter(None, said[:3]), *(line.strip() for line in rejected[:3])])
    for prefix in ("fatal: ", "error: "):
        for index, line in enumerate(lines):
            if line.startswith(prefix):
                listed = []
                for following in lines[index + 1 :]:
                    if not following.startswith("\t"):
                        break
                    listed.append(following.strip())
                return " ".join([_strip_prefix(line.strip()), *listed])
    meaningful = [line.strip() for line in lines if line.strip() and not line.startswith("hint: ")]
    return _strip_prefix(meaningful[-1]) if meaningful else ""


# git's usual words (LC_ALL=C) for a failure a clerk meets, and what they mean; the
# first that matches is said before git's own words, which are always kept.
_MEANINGS = (
    (
        "gpg failed to sign",
        "git phải ký commit (commit.gpgsign=true) mà không ký được: chưa có khoá dùng được, "
        "hoặc gpg cần mật khẩu mà không có ai nhập",
    ),
    (
        "failed to write commit object",
        "git không ghi được commit (thường vì commit.gpgsign=true mà không ký được)",
    ),
    ("Could not resolve host", "không tìm thấy máy chủ: sai tên máy, hoặc máy không có mạng"),
    ("Could not resolve hostname", "không tìm thấy máy chủ: sai tên máy, hoặc máy không có mạng"),
    ("Connection refused", "máy chủ từ chối kết nối: dịch vụ git/SSH trên máy chủ không chạy?"),
    ("Connection timed out", "hết thời gian chờ kết nối tới máy chủ: mạng chậm hoặc bị chặn"),
    ("Operation timed out", "hết thời gian chờ kết nối tới máy chủ: mạng chậm hoặc bị chặn"),
    ("No route to host", "không có đường mạng tới máy chủ: kiểm tra mạng"),
    ("Network is unreachable", "không có mạng"),
    (
        "Host key verification failed",
        "khoá của máy chủ SSH chưa được tin cậy (chưa có trong known_hosts): đăng nhập SSH một lần bằng tay để xác nhận",
    ),
    (
        "Permission denied (publickey",
        "máy chủ không nhận khoá SSH của máy này: thêm khoá công khai vào kho chung",
    ),
    ("Permission denied", "không có quyền vào kho chung"),
    (
        "terminal prompts disabled",
        "kho chung cần đăng nhập mà bluezone không hỏi mật khẩu: cấu hình khoá SSH hoặc credential helper",
    ),
    (
        "could not read Username",
        "kho chung cần đăng nhập mà bluezone không hỏi mật khẩu: cấu hình khoá SSH hoặc credential helper",
    ),
    (
        "Authentication failed",
        "đăng nhập kho chung không thành công: sai tên, mật khẩu hoặc mã truy cập",
    ),
    ("SSL certificate problem", "chứng chỉ SSL của máy chủ không hợp lệ"),
    ("Repository not found", "không có kho này trên máy chủ: sai địa chỉ, hoặc không có quyền"),
    ("repository not found", "không có kho này trên máy chủ: sai địa chỉ, hoặc không có quyền"),
    (
        "does not appear to be a git repository",
        "địa chỉ kho chung không phải một kho git: kiểm tra địa chỉ (git remote -v)",
    ),
    (
        "the remote end hung up unexpectedly",
        "kho chung ngắt kết nối giữa chừng: mạng chập chờn hoặc máy chủ gặp sự cố; thử lại",
    ),
    (
        "Could not read from remote repository",
        "không đọc được kho chung: sai địa chỉ, không có quyền (khoá SSH) hoặc mất mạng",
    ),
    ("unable to access", "không truy cập được địa chỉ kho chung"),
    ("pre-receive hook declined", "kho chung từ chối nhận (hook pre-receive của máy chủ)"),
    ("remote rejected", "kho chung từ chối nhận"),
    (
        "refusing to merge unrelated histories",
        "kho chung và thư mục này không cùng một lịch sử: thư mục này không được sao (clone) từ kho chung đó",
    ),
    (
        "would be overwritten by merge",
        "có tệp sửa trong thư mục chưa ghi vào git mà lần gộp sẽ ghi đè",
    ),
    ("No space left on device", "đĩa đầy"),
    ("Disk quota exceeded", "hết hạn mức đĩa của người dùng"),
    ("Read-only file system", "ổ đĩa chỉ đọc"),
    ("index file corrupt", "chỉ mục của kho git (.git/index) bị hỏng: xoá nó rồi chạy «git reset»"),
    ("not a git repository", "không phải kho git"),
    ("bad object", "kho git bị hỏng (thiếu đối tượng)"),
)


def in_vietnamese(reason: str) -> str:
    """What git's words mean, for the usual failures; "" when they are not among them
    (git's own words are shown either way)."""
    for words, meaning in _MEANINGS:
        if words in reason:
            return meaning
    return ""


# git's words (LC_ALL=C) for a write its disk refused, and what the system would say
_DISK_WORDS = (
    ("No space left on device", errno.ENOSPC),
    ("Out of diskspace", errno.ENOSPC),
    ("Disk quota exceeded", errno.EDQUOT),
    ("Read-only file system", errno.EROFS),
)


def disk_refusal(output: str) -> int | None:
    """The errno of a write this machine's disk refused, as git said it (None: another
    failure). What a remote said of its own disk ("remote: …", a rejected push) is the
    remote's, not this machine's."""
    for line in output.splitlines():
        if line.startswith("remote:") or "[remote rejected]" in line:
            continue
        for words, number in _DISK_WORDS:
            if words in line:
                return number
    return None


# git's words for a write that failed without a cause ("failed to write new
# configuration file …", "unable to write new index file"): the disk is asked then
_WRITING = re.compile(r"\b(write|writing|lock|create|rename)\b", re.IGNORECASE)


def disk_state(path: Path) -> int | None:
    """EROFS when the disk `path` lies on is mounted read-only, ENOSPC when it has no
    block left for this login (root may use the reserved ones), else None."""
    try:
        found = os.statvfs(existing_part(path))
    except OSError:
        return None
    if found.f_flag & os.ST_RDONLY:
        return errno.EROFS
    free = found.f_bfree if os.geteuid() == 0 else found.f_bavail
    return errno.ENOSPC if free == 0 else None


_DUBIOUS = re.compile(r"detected dubious ownership in repository at '([^']*)'")
# git's words for a file or folder this login may not write (several clerks, one folder):
# quoted ("unable to create '…/index.lock': Permission denied") or not ("could not lock
# config file /srv/hong-ngu/.git/config: Permission denied")
_DENIED = re.compile(
    r"'([^']+)': Permission denied|(?:file|directory) (/[^\n]+?): Permission denied"
)
# git could not read its own files: with a permission behind it, that is what to say
_READ_REFUSED = re.compile(
    r"Permission denied|unable to read|insufficient permission|could not open|cannot open|"
    r"failed to read|unable to open"
)
_NO_OBJECT_WRITE = re.compile(
    r"insufficient permission for adding an object to repository database (\S+)"
)


def explained(reason: str) -> str:
    """git's reason, with what to do where git's own words do not say it in Vietnamese:
    a repository owned by another login (several clerks, one shared origin) is refused
    by git as "dubious ownership" until it is declared safe (a group's sharing does not
    count: git looks at the owner only); a file
    or folder of git's that this login may not write is named with its owner and fix."""
    if isinstance(reason, Explained):
        return reason
    refused = _permission_explained(reason)
    if refused:
        return refused
    match = _DUBIOUS.search(reason)
    if match is None:
        return reason
    folder = match.group(1)
    quoted = shell_word(folder)
    return Explained(  # a group's sharing does not lift it (git checks the owner only)
        f"thư mục {printable(folder)} thuộc về người dùng khác nên git từ chối dùng («dubious "
        f"ownership», kể cả khi cả nhóm dùng chung); sửa: người quản trị khai báo một lần "
        f"cho mọi tài khoản «sudo git config --system --add safe.directory {quoted}», hoặc "
        f"mỗi tài khoản tự chạy «git config --global --add safe.directory {quoted}»"
    )


def _permission_explained(reason: str) -> str:
    """git refused for a permission: the file or folder, whose it is, what to ask for."""
    match = _DENIED.search(reason)
    if match is not None:
        path, blocker = Path(match.group(1) or match.group(2)), None
        if match.group(2) and "could not lock config file" in reason:
            path = path.with_name(path.name + ".lock")  # git makes config.lock beside it
    else:
        objects = _NO_OBJECT_WRITE.search(reason)
        if objects is None:
            return ""
        path = Path(objects.group(1))
        blocker = _closed_object_folder(path)
    said = denied(PermissionError(errno.EACCES, "Permission denied", str(path)), blocker)
    return Explained(said) if said else ""


def _closed_object_folder(objects: Path, reading: bool = False) -> Path | None:
    """The folder of git's object store this login cannot write (or with `reading`, read:
    a clerk's plain `git` made it with a private umask); the store itself when it is
    that, or several are. Reading: None when every folder opens (not a permission)."""
    wanted = os.R_OK | os.X_OK if reading else os.W_OK | os.X_OK
    if not os.access(objects, wanted):
        return objects
    try:
        folders = sorted(entry.path for entry in os.scandir(objects) if entry.is_dir())
    except OSError:
        return objects
    closed = [folder for folder in folders if not os.access(folder, wanted)]
    if reading and not closed:
        return None
    return Path(closed[0]) if len(closed) == 1 else objects


def _strip_prefix(line: str) -> str:
    for prefix in _REASON_PREFIXES:
        if line.startswith(prefix):
            return line[len(prefix) :].strip()
    return line


@functools.cache
def _version_of(executable: str) -> tuple[int, ...] | None:
    try:
        result = subprocess.run(
            [executable, "--version"],
            capture_output=True,
            stdin=subprocess.DEVNULL,
            timeout=LOCAL_TIMEOUT,
            env=_environment(),
        )
    except (OSError, subprocess.SubprocessError):
        return None
    match = re.search(rb"(\d+)\.(\d+)(?:\.(\d+))?", result.stdout)
    if result.returncode != 0 or match is None:
        return None
    return tuple(int(part) for part in match.groups() if part is not None)


def find_git() -> str:
    """The path of a usable git, or GitMissing saying what to install."""
    executable = shutil.which("git")
    if executable is None:
        raise GitMissing(
            "không tìm thấy lệnh git trên máy này: cài git (phiên bản 2.30 trở lên), "
            "hoặc ghi «history: none» trong units.yaml để không ghi lịch sử"
        )
    version = _version_of(executable)
    if version is None:
        raise GitMissing(f"không chạy được {executable} --version: cài lại git (2.30 trở lên)")
    if version[:2] < MIN_VERSION:
        shown = ".".join(map(str, version))
        raise GitMissing(
            f"git {shown} quá cũ: cần git 2.30 trở lên (cập nhật git, hoặc ghi «history: none» "
            f"trong units.yaml)"
        )
    return executable


def _environment(extra: dict[str, str] | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in _REPOSITORY_VARIABLES}
    env.update(
        {
            "GIT_TERMINAL_PROMPT": "0",  # an https password is never asked for
            "LC_ALL": "C",  # messages we can read; our own words are Vietnamese
            "LANGUAGE": "C",
            "GIT_MERGE_AUTOEDIT": "no",
            "GIT_EDITOR": "true",  # never an editor waiting on a terminal we do not show
            "GIT_PAGER": "cat",
            "SSH_ASKPASS_REQUIRE": "never",
        }
    )
    if extra:
        env.update(extra)
    return env


class Git:
    """git commands in one work tree; with `git_dir`, that repository and no other: git
    never looks for one in the folders above (a broken `.git` in a data folder kept
    inside some other repository must not send a commit there)."""

    def __init__(self, work_tree: Path, executable: str | None = None, git_dir: Path | None = None):
        # absolute: git reads --git-dir relative to -C, so `--data huyen` would name
        # huyen/huyen/.git
        self.work_tree = Path(os.path.abspath(work_tree))
        self.executable = executable or find_git()
        self.git_dir = Path(os.path.abspath(git_dir)) if git_dir is not None else None

    @property
    def umask(self) -> int | None:
        """In a data folder shared by a group, what git writes in the work tree itself (a
        merge's day folders and files) must be the group's to write as well: the umask
        git runs with, from the folder's sharing as it is now (a board stays open while
        `init --shared` is run); None: this process's own."""
        sharing = sharing_of(self.work_tree)
        return sharing.child_umask(process_umask()) if sharing.shared else None

    def run(
        self,
        *args: str,
        input: bytes | None = None,
        timeout: float = LOCAL_TIMEOUT,
        env: dict[str, str] | None = None,
        check: bool = True,
        what: str = "",
    ) -> GitResult:
        """Run `git ARGS` in the work tree; GitError (with git's reason) when it fails and
        `check`; what: the Vietnamese words for the action, for that message."""
        command = [self.executable, "-C", str(self.work_tree)]
        if self.git_dir is not None:
            command += [f"--git-dir={self.git_dir}", f"--work-tree={self.work_tree}"]
        command += args
        umask = self.umask
        try:
            process = subprocess.Popen(
                command,
                stdin=subprocess.PIPE if input is not None else subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                env=_environment(env),
                start_new_session=True,  # no controlling terminal: ssh cannot prompt either
                umask=-1 if umask is None else umask,
            )
        except OSError as exc:
            raise GitMissing(f"không chạy được git ({os_reason(exc)})") from None
        try:
            stdout, stderr = process.communicate(input, timeout=timeout)
        except subprocess.TimeoutExpired:
            _kill_group(process)
            raise GitError(
                f"{what or 'lệnh git ' + args[0]}: quá {timeout:.0f} giây không xong, đã dừng "
                f"(mạng chậm hoặc máy chủ không trả lời?)"
            ) from None
        except BaseException:  # Ctrl+C: git must not go on alone in its own session
            _kill_group(process)
            raise
        result = GitResult(process.returncode, stdout, stderr.decode("utf-8", errors="replace"))
        if check and result.returncode != 0:
            refused = self._unreadable(result.stderr)
            if refused:
                raise GitError(f"{what or 'lệnh git ' + args[0]}: {refused}")
            raise self.failure(what or f"lệnh git {args[0]} không thành công", result)
        return result

    def failure(self, what: str, result: GitResult, error: type[GitError] = GitError) -> GitError:
        """The error for a git command that failed: its disk refusing a write is said as
        the disk (GitWriteRefused, exit 1); anything else is `error` with git's reason."""
        disk = self.disk_refused(result.stderr)
        if disk:
            return GitWriteRefused(f"{what}: {disk}")
        return error(what, result.reason)

    def disk_refused(self, stderr: str) -> str:
        """git failed because this machine's disk refused a write (full, read-only, over
        quota): that said in Vietnamese with the repository's path and the disk's mount
        point ("" for any other failure). git writes through lock files: nothing lost."""
        where = self.git_dir or self.work_tree
        number = disk_refusal(stderr)
        if number is None and _WRITING.search(stderr):  # git named no cause: ask the disk
            number = disk_state(where)
        if number is None:
            return ""
        reason = os_reason(OSError(number, os.strerror(number), str(where)))
        return f"không ghi được vào kho git {printable(str(where))} ({reason}); kho vẫn như cũ"

    def _unreadable(self, stderr: str) -> str:
        """git could not read its own files for a permission (a login outside the shared
        folder's group, a folder of objects a private umask closed): the shared message
        that says so, its owner and fix; "" for any other failure."""
        if not _READ_REFUSED.search(stderr):
            return ""
        outside = outside_group(sharing_of(self.work_tree))
        if outside:
            return outside
        objects = (self.git_dir or self.work_tree / ".git") / "objects"
        closed = _closed_object_folder(objects, reading=True)
        if closed is None:
            return ""
        refused = PermissionError(errno.EACCES, "Permission denied", str(closed))
        return denied(refused, closed, reading=True) or ""

    def output(self, *args: str, **kwargs: Any) -> str:
        """The command's standard output, stripped."""
        return self.run(*args, **kwargs).text.strip()


def run_hook(
    hook: Path, args: list[str], cwd: Path, env: dict[str, str], timeout: float = LOCAL_TIMEOUT
) -> GitResult:
    """One of the office's git hooks, as git runs it (in the work tree, with the
    repository's variables), under the same rules as git itself here: no terminal, no
    stdin, a timeout that stops the whole group."""
    try:
        process = subprocess.Popen(
            [str(hook), *args],
            cwd=cwd,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env={**_environment(), **env},
            start_new_session=True,
        )
    except OSError as exc:
        return GitResult(126, b"", f"{hook}: {os_reason(exc)}")
    try:
        stdout, stderr = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        _kill_group(process)
        return GitResult(124, b"", f"{hook}: quá {timeout:.0f} giây không xong, đã dừng")
    except BaseException:
        _kill_group(process)
        raise
    return GitResult(process.returncode, stdout, stderr.decode("utf-8", errors="replace"))


@functools.cache
def process_umask() -> int:
    """This process's umask, read without changing it (the board runs threads: setting it
    to read it back would race their files); 0o022 where the system cannot say."""
    try:
        with open("/proc/self/status", encoding="ascii", errors="replace") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    return 0o022


def _kill_group(process: subprocess.Popen) -> None:
    with contextlib.suppress(OSError):
        os.killpg(process.pid, signal.SIGKILL)
    with contextlib.suppress(OSError, subprocess.SubprocessError):
        process.wait(timeout=5)


# ----------------------------------------------------------------------------- git's locks


def lock_files(git_dir: Path) -> list[Path]:
    """git's own lock files that exist now: the index, HEAD and the like, and refs."""
    found = [
        git_dir / name
        for name in (
            "index.lock",
            "HEAD.lock",
            "ORIG_HEAD.lock",
            "MERGE_HEAD.lock",
            "FETCH_HEAD.lock",
            "packed-refs.lock",
            "config.lock",
            "shallow.lock",
        )
        if os.path.lexists(git_dir / name)
    ]
    refs = git_dir / "refs"
    for folder, _subfolders, files in os.walk(refs):
        found.extend(Path(folder) / name for name in files if name.endswith(".lock"))
    return found


def git_processes_in(*places: Path) -> list[int] | None:
    """The ids of live git processes working in `places` (a work tree, a git dir), or
    None when this system cannot tell (no /proc). Processes we may not look at are
    counted as live when they are git: a colleague's `git pull` must not be broken."""
    proc = Path("/proc")
    if not proc.is_dir():
        return None
    roots = [os.path.realpath(place) for place in places]
    found = []
    me = os.getpid()
    for entry in os.scandir(proc):
        if not entry.name.isdigit() or int(entry.name) == me:
            continue
        try:
            with open(os.path.join(entry.path, "comm"), encoding="utf-8", errors="replace") as f:
                name = f.read().strip()
        except OSError:
            continue
        if name != "git" and not name.startswith("git-"):
            continue
        try:
            cwd = os.readlink(os.path.join(entry.path, "cwd"))
        except PermissionError:
            found.append(int(entry.name))  # another user's git: maybe here, so maybe live
            continue
        except OSError:
            continue
        if any(cwd == root or cwd.startswith(root + os.sep) for root in roots):
            found.append(int(entry.name))
    return found


def clear_stale_locks(
    work_tree: Path, git_dir: Path, wait: float = LOCK_WAIT_SECONDS
) -> list[Path]:
    """Remove git lock files left by a git that no longer runs (killed, crashed, power
    cut), so that they do not block every later save; return what was removed.

    A lock held by a live git is waited for (`wait` seconds), then GitBusy names it.
    The file a lock protects is untouched until git renames the lock over it, so removing
    a dead process's lock loses nothing.
    """
    deadline = time.monotonic() + wait
    locks = lock_files(git_dir)
    while locks and time.monotonic() < deadline:
        time.sleep(0.05)
        locks = lock_files(git_dir)
    if not locks:
        return []
    live = git_processes_in(work_tree, git_dir)
    shown = ", ".join(str(path.relative_to(work_tree)) for path in locks[:3])
    if live:
        raise GitBusy(
            f"một lệnh git khác đang chạy trong thư mục dữ liệu (tiến trình {live[0]}, giữ "
            f"{shown}); thử lại khi lệnh đó xong"
        )
    if live is None:
        youngest = min(_age(path) for path in locks)
        if youngest < UNKNOWN_OWNER_STALE_SECONDS:
            raise GitBusy(
                f"git đang khoá kho ({shown}); nếu chắc không còn lệnh git nào chạy, "
                f"hãy xoá các tệp đó rồi thử lại"
            )
    removed = []
    for path in locks:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(path)
            removed.append(path)
    return removed


def _age(path: Path) -> float:
    try:
        return time.time() - os.lstat(path).st_mtime
    except OSError:
        return float("inf")
