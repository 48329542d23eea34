"""Opening and writing files so that whatever lands at a path, the tool neither hangs nor clobbers.

Reading: only a regular file is read, opened without blocking (a FIFO where a
file should be would otherwise hang every command) and never past a size limit.
Writing: a regular file is replaced atomically (temp file in the same folder,
fsync, rename), and the temp file is removed whatever stops the write, Ctrl+C
included; a device, a FIFO or a standard stream is written into, never renamed over.
Creating: every file and folder the tool makes goes through `settle`, which gives it
the sharing of the data folder it lies in (`Sharing`: several logins, one group, as
git's core.sharedRepository), whatever the login's umask.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import stat
import sys
from dataclasses import dataclass
from pathlib import Path

from bluezone_tui.base.mounts import mount_of
from bluezone_tui.base.problems import BluezoneError

_READ_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
# Paths that name an already open stream: written through the descriptor itself, as a
# shell does, so an appended log is not truncated and a redirect is not replaced.
_STREAM_FDS = {"/dev/stdout": 1, "/dev/stderr": 2}
_FD_PREFIXES = ("/dev/fd/", "/proc/self/fd/")
TEMP_SUFFIX = ".tmp"
# The largest report file that travels: most mail servers refuse a message past 20–25 MB,
# so `send` attaches nothing larger and `sent add`/`sign` refuse a larger PDF before
# reading it (bluezone's own report is well under 1 MB).
MAX_SENT_BYTES = 20 * 1024 * 1024
# A line git leaves in a file it could not merge (column 1, then a space or the end).
CONFLICT_MARKER = re.compile(r"^(<{7}|={7}|>{7}|\|{7})(\s|$)", re.MULTILINE)
# Markers git leaves whole: ours, then theirs, then the end. Such a file is a conflict
# to resolve (its problem's code CONFLICTED: "xung đột", not "lỗi tệp"); a stray marker
# alone is a broken file to fix by hand.
WHOLE_CONFLICT = re.compile(r"^<{7}[ \t].*?^={7}(\s|$).*?^>{7}(\s|$)", re.MULTILINE | re.DOTALL)
CONFLICTED = "git-conflict"


class NotRegularFile(OSError):
    """The path holds a folder, a FIFO, a device or a socket where a file was expected."""


class TooLarge(OSError):
    """The file is larger than the reader accepts; `size` is its real size."""

    def __init__(self, size: int):
        super().__init__(errno.EFBIG, "too large")
        self.size = size


class NotAFolder(NotADirectoryError):
    """Something other than a folder (a file, a broken link) stands where make_folders
    needs one: its strerror names it and what it is, in Vietnamese."""

    def __init__(self, path: Path | str):
        super().__init__(
            errno.ENOTDIR, f"{path} là {_what_is(path)}, không phải thư mục", str(path)
        )


class FolderRefused(PermissionError):
    """make_folders was refused (a permission) a folder on the way to `wanted`, the folder
    it was asked for: a refusal can then say which folder to make, for whom
    (sharing.denied). errno, strerror and filename are the refused mkdir's."""

    def __init__(self, refused: OSError, wanted: Path):
        super().__init__(refused.errno, refused.strerror, refused.filename)
        self.wanted = wanted


# What the system says, in the clerk's language: strerror is the C library's English
# ("File exists", "No space left on device") whatever the locale.
_REASONS = {
    errno.ENOENT: "không có tệp hoặc thư mục này",
    errno.EACCES: "không có quyền (kiểm tra quyền truy cập)",
    errno.EPERM: "không được phép (kiểm tra quyền truy cập)",
    errno.ENOSPC: "đĩa đầy",
    errno.EDQUOT: "hết hạn mức dung lượng đĩa",
    errno.EFBIG: "tệp vượt giới hạn kích thước được ghi (đĩa hay hạn mức của tài khoản)",
    errno.EEXIST: "đã có một tệp cùng tên ở đó",
    errno.ENOTDIR: "một phần của đường dẫn là tệp, không phải thư mục",
    errno.EISDIR: "là một thư mục",
    errno.EROFS: "ổ đĩa chỉ cho đọc",
    errno.ELOOP: "liên kết tượng trưng vòng quanh",
    errno.ENAMETOOLONG: "tên quá dài",
    errno.EIO: "lỗi đọc/ghi đĩa",
    errno.EBUSY: "đang được dùng",
    errno.EMFILE: "mở quá nhiều tệp",
    errno.ENOTEMPTY: "thư mục không rỗng",
    errno.EXDEV: "khác ổ đĩa",
}


# The disk itself refused: said with where that disk is mounted (which disk to free or
# to remount is the administrator's question).
_DISK_ERRORS = (errno.ENOSPC, errno.EDQUOT, errno.EROFS)
# What making a file or folder on one of the kernel's own filesystems gives (/proc: ENOENT
# though the folder above is there; /sys: EPERM even for root).
_KERNEL_REFUSALS = (errno.ENOENT, errno.EPERM, errno.EACCES, errno.EROFS, errno.EINVAL)


def os_reason(exc: OSError) -> str:
    """Why an operation on a file failed, in Vietnamese (the system's own words for a
    rare error nobody translated, with its number). A path through something that is no
    folder names that part of the path and what it is; a full or read-only disk names
    where it is mounted; a name on one of the kernel's filesystems says that nothing can
    be made there."""
    if isinstance(exc, NotRegularFile | TooLarge | NotAFolder) or exc.errno is None:
        return exc.strerror or str(exc)
    filename = os.fsdecode(exc.filename) if exc.filename else ""
    if exc.errno == errno.ENOTDIR and filename:
        in_the_way = _not_a_folder_on(filename)
        if in_the_way is not None:
            return f"{in_the_way} là {_what_is(in_the_way)}, không phải thư mục"
    if filename and exc.errno in _KERNEL_REFUSALS:
        kernels = kernel_place(filename)
        if kernels:
            return kernels
    reason = _REASONS.get(exc.errno) or f"{exc.strerror or exc} (errno {exc.errno})"
    if filename and exc.errno in _DISK_ERRORS:
        return f"{reason}, ổ gắn tại {mount_of(filename).point}"
    return reason


def kernel_place(path: Path | str) -> str:
    """Why nothing can be made at `path` when it is not there and lies on one of the
    kernel's own filesystems (/proc, /sys): no login, root included, makes a folder or
    a file there, so no command is offered; "" anywhere else."""
    if os.path.lexists(path):
        return ""
    mount = mount_of(path)
    if not mount.kernels:
        return ""
    return (
        f"{mount.point} là hệ thống tệp ảo «{mount.kind}» của nhân Linux: không ai, kể cả "
        f"root, tạo được thư mục hay tệp trong đó; chọn một thư mục trên ổ đĩa thật, ví dụ "
        f"trong {os.path.expanduser('~')}"
    )


def _not_a_folder_on(path: str) -> str | None:
    """The first part of `path`, from the top, that is there but is no folder."""
    parts = Path(path)
    for above in [*reversed(parts.parents), parts][1:]:
        if os.path.lexists(above) and not os.path.isdir(above):
            return str(above)
    return None


def _what_is(path: Path | str) -> str:
    """What stands at `path`, for a message: "một tệp", "một liên kết tượng trưng hỏng"…"""
    try:
        st = os.lstat(path)
    except OSError:
        return "không đọc được"
    if stat.S_ISLNK(st.st_mode):
        try:
            target = os.readlink(path)
        except OSError:
            target = "?"
        if not os.path.exists(path):
            return f"một liên kết tượng trưng hỏng (tới «{target}», không có ở đó)"
        return f"một liên kết tượng trưng tới {kind_of(os.stat(path).st_mode)} «{target}»"
    return kind_of(st.st_mode)


def failure_reason(exc: BluezoneError | OSError, reading: bool = False) -> str:
    """Why something failed: our own message, or the system's in Vietnamese with its path
    (`reading`: it was a read, and said so; a write is said by its own writer, see
    base/failed_writes.py, so an error that reaches here unworded claims neither)."""
    if isinstance(exc, BluezoneError):
        return exc.message
    where = f"{exc.filename}: " if exc.filename else ""
    return f"{where}{'không đọc được: ' if reading else ''}{os_reason(exc)}"


def kind_of(mode: int) -> str:
    """What a non-regular file is, in Vietnamese, for messages."""
    if stat.S_ISREG(mode):
        return "một tệp"
    if stat.S_ISDIR(mode):
        return "một thư mục"
    if stat.S_ISFIFO(mode):
        return "một FIFO (ống có tên)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "một thiết bị"
    if stat.S_ISSOCK(mode):
        return "một socket"
    if stat.S_ISLNK(mode):
        return "một liên kết tượng trưng"
    return "không phải tệp thường"


def read_regular(path: Path | str, limit: int, *, follow_symlinks: bool = True) -> bytes:
    """The bytes of a regular file of at most `limit` bytes.

    Raises NotRegularFile (its strerror names what is there), TooLarge, or the
    OSError of the open or read (missing, permission denied…). Never blocks.
    """
    flags = _READ_FLAGS | (0 if follow_symlinks else getattr(os, "O_NOFOLLOW", 0))
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        if exc.errno == errno.ELOOP and not follow_symlinks:
            raise NotRegularFile(errno.ELOOP, kind_of(stat.S_IFLNK)) from None
        raise
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise NotRegularFile(errno.EINVAL, kind_of(st.st_mode))
        if st.st_size > limit:
            raise TooLarge(st.st_size)
        chunks = []
        total = 0
        want = st.st_size + 1  # one read when the file is the size fstat said
        while True:
            chunk = os.read(fd, min(want, limit + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
            if total > limit:  # it grew while being read
                raise TooLarge(total)
            want = 65536
        return b"".join(chunks)
    finally:
        os.close(fd)


def stream_fd(path: Path | str) -> int | None:
    """The descriptor that a path such as /dev/stdout or /dev/fd/3 stands for, else None."""
    text = str(path)
    if text in _STREAM_FDS:
        return _STREAM_FDS[text]
    for prefix in _FD_PREFIXES:
        if text.startswith(prefix) and text[len(prefix) :].isdigit():
            return int(text[len(prefix) :])
    return None


def write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


def write_output(path: Path, data: bytes) -> Path:
    """Write `data` to `path` as the user meant it; return the file actually written.

    A standard stream or a descriptor path is written through its descriptor; a
    device or a FIFO is opened and written into; anything else (a new name, a regular
    file, a symlink to one) is replaced atomically at the file the path leads to, so
    a symlink stays a symlink. OSError propagates; no temp file is ever left behind.
    """
    fd = stream_fd(path)
    if fd is not None:
        if fd in (1, 2):
            stream = sys.stdout if fd == 1 else sys.stderr
            with contextlib.suppress(AttributeError, ValueError, OSError):
                stream.flush()
        write_all(fd, data)
        return path
    try:
        st = os.stat(path)
    except FileNotFoundError:
        st = None
    if st is not None and stat.S_ISDIR(st.st_mode):
        raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR))
    if st is not None and not stat.S_ISREG(st.st_mode):
        out = os.open(path, os.O_WRONLY | getattr(os, "O_CLOEXEC", 0))
        try:
            write_all(out, data)
        finally:
            os.close(out)
        return path
    target = Path(os.path.realpath(path)) if st is not None else path
    replace_atomically(target, data)
    return target


def replace_atomically(path: Path, data: bytes, mode: int = 0o644, durable: bool = True) -> None:
    """Temp file in the same folder, fsync, rename over, fsync the folder: never a torn
    file, and never a leftover temp file, whatever interrupts (BaseException included).
    The file has `mode` (made group-writable and given the group in a shared data folder:
    see settle) before it takes the name. `durable=False`: no fsync (state files that only
    save work later, never data)."""
    import tempfile  # here: a command that only reads (the board's start) never needs it

    fd, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=TEMP_SUFFIX, dir=path.parent)
    try:
        try:
            write_all(fd, data)
            if durable:
                os.fsync(fd)
        finally:
            os.close(fd)
        os.chmod(temp_name, mode)
        settle(temp_name)
        os.replace(temp_name, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp_name)
        raise
    if durable:
        fsync_dir(path.parent)


def make_folders(path: Path, mode: int = 0o777) -> list[Path]:
    """`mkdir -p`: each folder made (with `mode`, less the umask) is settled (its data
    folder's group and mode). Returns the folders made, the top one first (a caller whose
    next step fails takes them back: Made). A failure takes back what this call made
    before it raises:
    NotAFolder when something else (a file, a broken link) stands where a folder should
    be; FolderRefused when a folder on the way may not be made (a permission); the
    OSError of the mkdir otherwise (a read-only or full disk, a name too long)."""
    missing = []
    current = Path(path)
    while not os.path.isdir(current):
        missing.append(current)
        if current.parent == current:
            break
        current = current.parent
    made: list[Path] = []
    try:
        for folder in reversed(missing):
            try:
                os.mkdir(folder, mode)
            except FileExistsError:
                if os.path.isdir(folder):  # made meanwhile (another login's save): theirs
                    continue
                raise NotAFolder(folder) from None
            except NotADirectoryError:  # a part above turned into a file meanwhile
                raise NotAFolder(_not_a_folder_on(str(folder)) or folder) from None
            except PermissionError as exc:
                raise FolderRefused(exc, Path(path)) from None
            made.append(folder)
            settle(folder)
    except BaseException:
        remove_empty(made)
        raise
    return made


def remove_empty(folders: list[Path]) -> list[Path]:
    """Remove `folders` (the top one first, as make_folders gives them), deepest first,
    each only while it is empty: another login may have saved into one meanwhile. The
    ones still there, the top one first."""
    left = []
    for folder in reversed(folders):
        try:
            os.rmdir(folder)
        except FileNotFoundError:
            continue
        except OSError:
            left.append(folder)
    return left[::-1]


class Made:
    """What one step has made on disk (folders, new files), so that when the step fails
    it can be taken back: only what this step made, never what was there before, and a
    folder only while it is empty. `undo()` says what is left, for the message."""

    def __init__(self) -> None:
        self._made: list[tuple[Path, bool]] = []  # (path, is a folder), in the order made

    def folders(self, path: Path, mode: int = 0o777) -> list[Path]:
        """make_folders, its folders noted."""
        made = make_folders(path, mode)
        self._made += [(folder, True) for folder in made]
        return made

    def file(self, path: Path) -> None:
        """A file this step has just made (a new name), to remove if the step fails."""
        self._made.append((path, False))

    def undo(self) -> list[Path]:
        """Take back what was made, last first; what could not be (a folder someone put
        something in meanwhile, a file that would not go), the top one first."""
        left = []
        for path, folder in reversed(self._made):
            try:
                if folder:
                    os.rmdir(path)
                else:
                    os.unlink(path)
            except FileNotFoundError:
                continue
            except OSError:
                left.append(path)
        self._made.clear()
        return left[::-1]


def left_behind(left: list[Path]) -> str:
    """The words for what a failed step made and could not take back ("" for nothing)."""
    if not left:
        return ""
    shown = ", ".join(str(path) for path in left[:3]) + (" …" if len(left) > 3 else "")
    return f" (còn lại {shown}: không xoá được, xoá tay nếu không cần)"


def open_created(path: Path, flags: int = os.O_RDWR) -> int:
    """A descriptor on a lock or state file, made (and settled) when it is not there yet:
    a lock the first login of the day makes must be another's to open for writing."""
    flags |= getattr(os, "O_CLOEXEC", 0)
    while True:
        try:
            fd = os.open(path, flags | os.O_CREAT | os.O_EXCL, 0o664)
        except FileExistsError:
            try:
                return os.open(path, flags)
            except FileNotFoundError:  # removed in between: make it again
                continue
        try:
            settle(path)
        except BaseException:
            os.close(fd)
            raise
        return fd


def fsync_dir(directory: Path) -> None:
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


# ----------------------------------------------------------------------------- sharing

# git's values of core.sharedRepository (git_config_perm): each login's umask, the group,
# everybody (readable, the group writes); an exact mode is kept as its negative.
PERM_UMASK = 0
PERM_GROUP = 0o660
PERM_EVERYBODY = 0o664
_GIT_CONFIG_LIMIT = 1024 * 1024


@dataclass(frozen=True, slots=True)
class Sharing:
    """How a data folder is shared between logins, read once from the folder and its git.

    `perm`: as git's core.sharedRepository (PERM_UMASK: not shared, each login's umask as
    before; PERM_GROUP; PERM_EVERYBODY; or minus an exact mode). Git's setting decides
    where it says the folder is shared; else a group-writable data folder is shared with
    its group. `gid`: the data folder's group, which everything made in it takes.
    `git_perm`: git's own setting (None: not set, or no git).
    """

    root: str  # the data folder, resolved
    perm: int
    gid: int
    git_perm: int | None = None

    @property
    def shared(self) -> bool:
        return self.perm != PERM_UMASK

    def mode_for(self, mode: int) -> int:
        """The permission bits git gives a file or folder of `mode` here (its
        adjust_shared_perm): the group gets what the owner has (read, write where the
        owner writes, execute), folders also set-group-id. Unchanged when not shared."""
        if not self.shared:
            return stat.S_IMODE(mode)
        tweak = -self.perm if self.perm < 0 else self.perm
        if not mode & stat.S_IWUSR:
            tweak &= ~0o222
        if mode & stat.S_IXUSR:
            tweak |= (tweak & 0o444) >> 2
        new = (mode & ~0o777) | tweak if self.perm < 0 else mode | tweak
        if stat.S_ISDIR(mode):
            new |= (new & 0o444) >> 2
            if new & 0o060:
                new |= stat.S_ISGID
        return stat.S_IMODE(new)

    def child_umask(self, umask: int) -> int:
        """The umask for a git process in this work tree, so that what git writes there
        itself (a merge's day folders and files) is shared as ours is."""
        if not self.shared:
            return umask
        if self.perm < 0:
            exact = -self.perm
            return 0o777 & ~(exact | (exact & 0o444) >> 2)
        opened = 0o070 if self.perm == PERM_GROUP else 0o074
        return umask & ~opened


def git_config_perm(value: str | None) -> int | None:
    """core.sharedRepository's value as git reads it (None: a value git refuses)."""
    if value is None:  # `sharedRepository` alone: true
        return PERM_GROUP
    word = value.strip().lower()
    named = {
        "umask": PERM_UMASK,
        "group": PERM_GROUP,
        "all": PERM_EVERYBODY,
        "world": PERM_EVERYBODY,
        "everybody": PERM_EVERYBODY,
    }
    if word in named:
        return named[word]
    if word in ("true", "yes", "on"):
        return PERM_GROUP
    if word in ("false", "no", "off", ""):
        return PERM_UMASK
    try:
        number = int(word, 8)
    except ValueError:
        return None
    old_values = {0: PERM_UMASK, 1: PERM_GROUP, 2: PERM_EVERYBODY}
    if number in old_values:
        return old_values[number]
    if number & 0o600 != 0o600:  # git refuses a mode the owner cannot read and write
        return None
    return -(number & 0o666)


def parse_shared_setting(text: str) -> tuple[bool, str | None]:
    """(set, value) of core.sharedRepository in a git config file's text (the last one
    wins, as in git; a bare key is true)."""
    found, value, section = False, None, ""
    for raw in text.splitlines():
        line = raw.strip()
        if line.startswith("["):
            end = line.find("]")
            head = line[1:end].strip() if end > 0 else ""
            section = head.lower() if '"' not in head else ""
            line = line[end + 1 :].strip() if end > 0 else ""
        if not line or line[0] in "#;" or section != "core":
            continue
        key, equals, rest = line.partition("=")
        if key.strip().lower() != "sharedrepository":
            continue
        found = True
        value = _config_value(rest) if equals else None
    return found, value


def _config_value(text: str) -> str:
    out, quoted = [], False
    for char in text.strip():
        if char == '"':
            quoted = not quoted
        elif char in "#;" and not quoted:
            break
        else:
            out.append(char)
    return "".join(out).strip()


def git_shared_perm(data_dir: Path) -> int | None:
    """What the data folder's git says in core.sharedRepository (None: not set, no git,
    or not readable). A `.git` file (a linked work tree) is followed to the shared config."""
    dot = data_dir / ".git"
    try:
        if dot.is_file():
            pointer = read_regular(dot, 4096).decode("utf-8").strip()
            if not pointer.startswith("gitdir:"):
                return None
            git_dir = data_dir / pointer[len("gitdir:") :].strip()
            common = git_dir / "commondir"
            if common.is_file():
                git_dir = git_dir / read_regular(common, 4096).decode("utf-8").strip()
        else:
            git_dir = dot
        text = read_regular(git_dir / "config", _GIT_CONFIG_LIMIT).decode("utf-8", "replace")
    except (OSError, UnicodeDecodeError):
        return None
    found, value = parse_shared_setting(text)
    return git_config_perm(value) if found else None


def read_sharing(data_dir: Path) -> Sharing:
    """The data folder's sharing as it is now (see Sharing)."""
    root = os.path.realpath(data_dir)
    try:
        st = os.stat(root)
    except OSError:
        return Sharing(root, PERM_UMASK, -1)
    git_perm = git_shared_perm(Path(root))
    by_folder = PERM_GROUP if st.st_mode & stat.S_IWGRP else PERM_UMASK
    return Sharing(root, git_perm or by_folder, st.st_gid, git_perm)


# data folder (resolved) -> (its sharing, what it was read from: see _signature)
_SHARINGS: dict[str, tuple[Sharing, tuple[object, ...] | None]] = {}


def _signature(root: str) -> tuple[object, ...] | None:
    """What a data folder's sharing is read from, as two stats: the folder's group and
    mode, and git's config file (its identity and time: `git config` writes a new file).
    When it differs from the one a sharing was read with, the sharing is read again."""
    try:
        st = os.stat(root)
    except OSError:
        return None
    try:
        config = os.stat(os.path.join(root, ".git", "config"))
        told: tuple[int, int, int] | None = (config.st_ino, config.st_mtime_ns, config.st_size)
    except OSError:
        told = None
    return (st.st_dev, st.st_ino, st.st_gid, st.st_mode, told)


def sharing_of(data_dir: Path, again: bool = False) -> Sharing:
    """The data folder's sharing as it is now: read once, then read again whenever the
    folder's group or mode or git's config changed since (two stats: `bluezone init
    --shared` run meanwhile under a board that stays open changes both), or with `again`.
    Everything made in the folder follows it (see settle)."""
    root = os.path.realpath(data_dir)
    signature = _signature(root)
    found = None if again else _SHARINGS.get(root)
    if found is None or found[1] != signature:
        found = _SHARINGS[root] = (read_sharing(Path(root)), signature)
    return found[0]


def forget_sharing(data_dir: Path) -> None:
    """Read the sharing again next time (`bluezone init --shared` has just changed it)."""
    _SHARINGS.pop(os.path.realpath(data_dir), None)


def sharing_for(path: Path | str) -> Sharing | None:
    """The sharing, as it is now, of the known data folder that `path` lies in (the
    innermost), else None."""
    if not _SHARINGS:
        return None
    folder = os.path.realpath(os.path.dirname(os.path.abspath(path)))
    best = None
    for root in list(_SHARINGS):
        if folder == root or folder.startswith(root.rstrip(os.sep) + os.sep):
            if best is None or len(root) > len(best):
                best = root
    return sharing_of(Path(best)) if best is not None else None


def settle(path: Path | str, sharing: Sharing | None = None) -> None:
    """Give what the tool has just made at `path` (a file, a folder) the sharing of its
    data folder: the folder's group, and the mode git would give it (the group may write
    what the owner may), whatever this login's umask. Outside a data folder, or in one
    that is not shared, nothing changes. OSError from chmod (the maker owns the file, so
    it does not happen); a group this login is not in is left for `check` to name."""
    adopt(path, sharing if sharing is not None else sharing_for(path), strict=False)


def adopt(path: Path | str, sharing: Sharing | None, strict: bool = True) -> None:
    """settle(), and for `bluezone init --shared` on files already there: with `strict`, a
    group that cannot be given raises too."""
    if sharing is None or not sharing.shared:
        return
    st = os.lstat(path)
    if stat.S_ISLNK(st.st_mode):
        return
    if sharing.gid >= 0 and st.st_gid != sharing.gid:
        try:
            os.chown(path, -1, sharing.gid, follow_symlinks=False)
            st = os.lstat(path)
        except OSError:
            if strict:
                raise
    wanted = sharing.mode_for(st.st_mode)
    if wanted != stat.S_IMODE(st.st_mode):
        os.chmod(path, wanted)
