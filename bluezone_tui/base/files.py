"""Opening and writing files so that whatever lands at a path, the tool neither hangs nor clobbers.

Reading: only a regular file is read, opened without blocking (a FIFO where a
file should be would otherwise hang every command) and never past a size limit.
Writing: a regular file is replaced atomically (temp file in the same folder,
fsync, rename), and the temp file is removed whatever stops the write, Ctrl+C
included; a device, a FIFO or a standard stream is written into, never renamed over.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import stat
import sys
import tempfile
from pathlib import Path

from bluezone_tui.base.problems import BluezoneError

_READ_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
# Paths that name an already open stream: written through the descriptor itself, as a
# shell does, so an appended log is not truncated and a redirect is not replaced.
_STREAM_FDS = {"/dev/stdout": 1, "/dev/stderr": 2}
_FD_PREFIXES = ("/dev/fd/", "/proc/self/fd/")
TEMP_SUFFIX = ".tmp"
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


def os_reason(exc: OSError) -> str:
    """Why an operation on a file failed, in Vietnamese (the system's own words for a
    rare error nobody translated, with its number)."""
    if isinstance(exc, NotRegularFile | TooLarge) or exc.errno is None:
        return exc.strerror or str(exc)
    return _REASONS.get(exc.errno) or f"{exc.strerror or exc} (errno {exc.errno})"


def failure_reason(exc: BluezoneError | OSError) -> str:
    """Why something could not be read: our own message, or the system's in Vietnamese."""
    if isinstance(exc, BluezoneError):
        return exc.message
    where = f"{exc.filename}: " if exc.filename else ""
    return f"{where}không đọc được: {os_reason(exc)}"


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


def replace_atomically(path: Path, data: bytes, mode: int = 0o644) -> None:
    """Temp file in the same folder, fsync, rename over, fsync the folder: never a torn
    file, and never a leftover temp file, whatever interrupts (BaseException included)."""
    fd, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=TEMP_SUFFIX, dir=path.parent)
    try:
        try:
            write_all(fd, data)
            os.fsync(fd)
        finally:
            os.close(fd)
        os.chmod(temp_name, mode)
        os.replace(temp_name, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp_name)
        raise
    fsync_dir(path.parent)


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
