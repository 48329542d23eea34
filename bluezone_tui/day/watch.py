"""Has the day's folder changed since the last look? The board asks every second.

Reading a day costs a stat per file (70 ms at 10,000 units), which, every second of an
afternoon, is 7 % of a core for a board nobody touches. The watcher answers the same
question for a few system calls a tick:

- `submissions/` and the day's folder are stat'ed every tick: a file created, deleted or
  renamed in a folder (a save by bluezone is a write to a temp file and a rename; `git
  pull`, `cp`, `mv`, `rm`) changes the folder's own mtime and ctime;
- a file written in place (`scp` over an existing file, an editor writing in place) does
  not: on Linux inotify reports it (a watch on the day's folder, read without blocking);
- and, as the backstop (no inotify: another system; or a write inotify cannot see: one
  made by another machine on a network folder), the day's files are stat'ed a slice per
  tick, the whole folder once every `sweep_ticks` ticks.

A false alarm only costs a read of the day (its unchanged files come from the store's
cache); a change is never reported late past the guarantees in docs/board.md.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import os
import struct
import sys
import weakref
from datetime import date

from bluezone_tui.day.store import Store

Signature = tuple[int, int, int, int, int]  # mtime, ctime (ns), inode, size, mode

# Ticks over which every file of the day is stat'ed once: with inotify only a backstop
# for writes it cannot see (another machine's, on a network folder), without it the
# bound on noticing a file written in place.
SWEEP_TICKS_INOTIFY = 60
SWEEP_TICKS_POLLING = 10

# inotify(7)
_IN_MODIFY = 0x2
_IN_ATTRIB = 0x4
_IN_CLOSE_WRITE = 0x8
_IN_MOVED_FROM = 0x40
_IN_MOVED_TO = 0x80
_IN_CREATE = 0x100
_IN_DELETE = 0x200
_IN_DELETE_SELF = 0x400
_IN_MOVE_SELF = 0x800
_WATCHED = (
    _IN_MODIFY
    | _IN_ATTRIB
    | _IN_CLOSE_WRITE
    | _IN_MOVED_FROM
    | _IN_MOVED_TO
    | _IN_CREATE
    | _IN_DELETE
    | _IN_DELETE_SELF
    | _IN_MOVE_SELF
)


_EVENT = struct.Struct("iIII")  # struct inotify_event, before its name


def _stat(path: str) -> Signature | None:
    try:
        st = os.stat(path, follow_symlinks=False)
    except OSError:
        return None
    return (st.st_mtime_ns, st.st_ctime_ns, st.st_ino, st.st_size, st.st_mode)


class _Inotify:
    """One inotify instance watching one folder, through libc (Linux only)."""

    def __init__(self) -> None:
        if not sys.platform.startswith("linux"):
            raise OSError("inotify is Linux's")
        libc = ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)
        self._add = libc.inotify_add_watch
        self._add.argtypes = (ctypes.c_int, ctypes.c_char_p, ctypes.c_uint32)
        self._add.restype = ctypes.c_int
        self._remove = libc.inotify_rm_watch
        self._remove.argtypes = (ctypes.c_int, ctypes.c_int)
        fd = libc.inotify_init1(os.O_NONBLOCK | os.O_CLOEXEC)
        if fd < 0:
            raise OSError(ctypes.get_errno(), "inotify_init1")
        self.fd = fd
        self._watch = -1
        self._closer = weakref.finalize(self, os.close, fd)

    def watch(self, folder: str) -> bool:
        """Watch `folder` instead of what was watched; False if it cannot be watched."""
        if self._watch >= 0:
            self._remove(self.fd, self._watch)  # fails harmlessly if the folder is gone
            self._watch = -1
        self.drain()
        watch = self._add(self.fd, os.fsencode(folder), _WATCHED)
        self._watch = watch
        return watch >= 0

    def drain(self) -> set[str] | None:
        """The names events came for since the last drain; None when it cannot tell (the
        queue overflowed, the read failed, an event for the folder itself)."""
        names: set[str] = set()
        while True:
            try:
                data = os.read(self.fd, 65536)
            except BlockingIOError:
                return names
            except OSError:
                return None
            if not data:
                return names
            offset = 0
            while offset + _EVENT.size <= len(data):
                _wd, _mask, _cookie, length = _EVENT.unpack_from(data, offset)
                offset += _EVENT.size
                name = data[offset : offset + length].rstrip(b"\0")
                offset += length
                if not name:
                    return None  # the folder itself, or an overflow: look again at everything
                names.add(os.fsdecode(name))

    def close(self) -> None:
        self._closer()


class DayWatch:
    """Tells whether a day's folder may have changed since the last `changed()`.

    `changed()` is called once a tick, before the folder is read: what it records is
    older than the read, so a change made during or after the read is reported at a
    later tick, never lost.
    """

    def __init__(
        self,
        store: Store,
        day: date,
        use_inotify: bool = True,
        sweep_ticks: int | None = None,
    ) -> None:
        self.store = store
        self.day = day
        self._root = str(store.root)
        self._folder = str(store.day_dir(day))
        self._inotify: _Inotify | None = None
        if use_inotify:
            with contextlib.suppress(OSError, AttributeError):
                self._inotify = _Inotify()
        if sweep_ticks is None:
            sweep_ticks = SWEEP_TICKS_INOTIFY if self._inotify else SWEEP_TICKS_POLLING
        self.sweep_ticks = max(1, sweep_ticks)
        self._signature: tuple[Signature | None, Signature | None] | None = None
        self._watching = False
        self._names: list[str] = []  # the folder's files, as last listed
        self._files: dict[str, Signature | None] = {}
        self._next = 0  # where the sweep goes on

    @property
    def inotify(self) -> bool:
        return self._inotify is not None

    def close(self) -> None:
        if self._inotify is not None:
            self._inotify.close()
            self._inotify = None

    def changed(self) -> bool:
        signature = (_stat(self._root), _stat(self._folder))
        if signature != self._signature:
            # created, deleted, renamed, or the folder itself replaced: list it again
            self._signature = signature
            self._relist(signature[1] is not None)
            return True
        if self._inotify is not None and self._watching:
            names = self._inotify.drain()
            if names is None:
                self._relist(True)
                return True
            if names:
                # recorded again, so that the sweep does not report the same change twice
                folder = os.path.join(self._folder, "")
                for name in names & self._files.keys():
                    self._files[name] = _stat(folder + name)
                return True
        return self._sweep()

    def _relist(self, exists: bool) -> None:
        if self._inotify is not None:
            # armed before the listing: a write from here on is an event
            self._watching = exists and self._inotify.watch(self._folder)
        files: dict[str, Signature | None] = {}
        if exists:
            with contextlib.suppress(OSError):
                with os.scandir(self._folder) as entries:
                    for entry in entries:
                        files[entry.name] = _stat(entry.path)
        self._files = files
        self._names = sorted(files)
        self._next = 0

    def _sweep(self) -> bool:
        """Stat the next slice of the folder's files: a whole sweep every sweep_ticks."""
        names = self._names
        if not names:
            return False
        size = -(-len(names) // self.sweep_ticks)
        start = self._next if self._next < len(names) else 0
        end = start + size
        self._next = end
        folder = os.path.join(self._folder, "")
        found = False
        files = self._files
        for name in names[start:end]:
            now = _stat(folder + name)
            if now != files[name]:
                files[name] = now
                found = True
        return found
