"""The tool's lock files (the data folder's lock that a save and a sync share, the
sync's own, the outbox's): the kernel's lock (flock) on a file, and a line in it saying
who holds it, for whoever is refused meanwhile.

One function for all three, so they fail alike: a lock file that cannot be made, opened
or written (another login's, a read-only or full disk) is a refused write with its path
and why (base/failed_writes.py), never the system's English; another holder is `Busy`,
with what its line says. The kernel lets go when the holder closes it or dies.
"""

from __future__ import annotations

import contextlib
import errno
import os
import time
from collections.abc import Iterator
from pathlib import Path

from bluezone_tui.base.failed_writes import NOTHING_WRITTEN, refusing_writes
from bluezone_tui.base.files import open_created

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]  # no such module: checked for None before locking

_HOLDER_BYTES = 400
_POLL_SECONDS = 0.05


class Busy(Exception):
    """Another process holds the lock; `holder` is the line it wrote ("" if none)."""

    def __init__(self, holder: str):
        super().__init__(holder)
        self.holder = holder


@contextlib.contextmanager
def holding(
    path: Path, note: str, wait: float = 0.0, kept: str = NOTHING_WRITTEN
) -> Iterator[None]:
    """The lock at `path` (made, and settled to its data folder's sharing, when it is not
    there), taken within `wait` seconds (0: at once, or Busy), with `note` (who holds
    it, for what) written in it. A lock file that cannot be made or written is
    WriteRefused (its path, why; `kept`: what is left, "chưa ghi gì")."""
    if fcntl is None:  # pragma: no cover
        yield
        return
    with refusing_writes(path, kept):
        fd = open_created(path)
    try:
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError as exc:
                if exc.errno not in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
                    raise
            if time.monotonic() >= deadline:
                raise Busy(_holder(fd))
            time.sleep(_POLL_SECONDS)
        with refusing_writes(path, kept):  # a full disk refuses even these few bytes
            os.ftruncate(fd, 0)
            os.pwrite(fd, note.encode("utf-8"), 0)
        yield
    finally:
        os.close(fd)  # closing lets go of the lock


def _holder(fd: int) -> str:
    try:
        return os.pread(fd, _HOLDER_BYTES, 0).decode("utf-8", errors="replace").strip()
    except OSError:
        return ""
