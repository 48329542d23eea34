"""A full or a read-only disk under one folder, in this process, without mounting anything:
the system calls a write goes through raise what such a disk raises, for paths in that
folder only (the rest of the machine, git's own processes included, works as usual).

full_disk: as a full tmpfs behaves: names and folders can still be made, every byte
written is refused (ENOSPC). read_only_disk: every call that would change the folder
(open for writing, mkdir, rename, unlink, rmdir, chmod, chown) is refused (EROFS).
"""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

_WRITING = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND


class Disk:
    def __init__(self, root: Path) -> None:
        self.root = os.path.realpath(root)

    def holds(self, path: object) -> bool:
        if isinstance(path, int):  # a descriptor: where it points
            try:
                path = os.readlink(f"/proc/self/fd/{path}")
            except OSError:
                return False
        text = os.path.realpath(os.path.abspath(os.fsdecode(path)))  # type: ignore[arg-type]
        return text == self.root or text.startswith(self.root + os.sep)


def _refuse(number: int, path: object) -> OSError:
    name = None if isinstance(path, int) else os.fsdecode(path)  # type: ignore[arg-type]
    return OSError(number, os.strerror(number), name)


def full_disk(monkeypatch: pytest.MonkeyPatch, root: Path) -> Disk:
    """Bytes written to a file under `root` are refused: ENOSPC, as a full disk says."""
    disk = Disk(root)
    real_write, real_pwrite = os.write, os.pwrite

    def write(fd: int, data: bytes) -> int:
        if data and disk.holds(fd):
            raise _refuse(errno.ENOSPC, fd)
        return real_write(fd, data)

    def pwrite(fd: int, data: bytes, offset: int) -> int:
        if data and disk.holds(fd):
            raise _refuse(errno.ENOSPC, fd)
        return real_pwrite(fd, data, offset)

    monkeypatch.setattr(os, "write", write)
    monkeypatch.setattr(os, "pwrite", pwrite)
    return disk


def read_only_disk(monkeypatch: pytest.MonkeyPatch, root: Path) -> Disk:
    """Every change under `root` is refused: EROFS, as a disk mounted read-only says."""
    disk = Disk(root)
    real_open = os.open

    def opened(path, flags, mode=0o777, *, dir_fd=None):  # type: ignore[no-untyped-def]
        if flags & _WRITING and disk.holds(path):
            raise _refuse(errno.EROFS, path)
        return real_open(path, flags, mode, dir_fd=dir_fd)

    monkeypatch.setattr(os, "open", opened)
    for name in ("mkdir", "rmdir", "unlink", "chmod", "chown"):
        real = getattr(os, name)

        def refused(path, *args, _real=real, **kwargs):  # type: ignore[no-untyped-def]
            if disk.holds(path):
                raise _refuse(errno.EROFS, path)
            return _real(path, *args, **kwargs)

        monkeypatch.setattr(os, name, refused)
    for name in ("replace", "rename"):
        real = getattr(os, name)

        def moved(src, dst, *args, _real=real, **kwargs):  # type: ignore[no-untyped-def]
            if disk.holds(src) or disk.holds(dst):
                raise _refuse(errno.EROFS, dst)
            return _real(src, dst, *args, **kwargs)

        monkeypatch.setattr(os, name, moved)
    return disk
