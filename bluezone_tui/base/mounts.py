"""Which disk a path lies on: where that disk is mounted, what kind of filesystem it is,
and whether it is mounted read-only.

A write the disk refused (full, read-only) is said with the disk's mount point, so a
clerk can tell the administrator which disk it is; a folder asked for on one of the
kernel's own filesystems (/proc, /sys), where nobody can make one, is said as such and
never answered with a command that cannot work there (base/sharing.py).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

_MOUNTINFO = "/proc/self/mountinfo"
# The kernel's own filesystems: what they hold is the kernel's, and no login (root
# included) makes a folder or a file of its choosing in them.
KERNEL_FILESYSTEMS = frozenset(
    {
        "autofs",
        "binfmt_misc",
        "bpf",
        "cgroup",
        "cgroup2",
        "configfs",
        "debugfs",
        "devpts",
        "efivarfs",
        "fusectl",
        "hugetlbfs",
        "mqueue",
        "nsfs",
        "proc",
        "pstore",
        "rpc_pipefs",
        "securityfs",
        "selinuxfs",
        "sysfs",
        "tracefs",
    }
)
_OCTAL_ESCAPE = re.compile(r"\\([0-7]{3})")


@dataclass(frozen=True, slots=True)
class Mount:
    """The mounted filesystem a path lies on: its mount point, its type ("" when the
    system does not say) and whether it is mounted read-only."""

    point: str
    kind: str = ""
    read_only: bool = False

    @property
    def kernels(self) -> bool:
        """One of the kernel's own filesystems (/proc, /sys…): nothing can be made there."""
        return self.kind in KERNEL_FILESYSTEMS


def existing_part(path: Path | str) -> str:
    """The longest part of `path` (made absolute) that is there: the path itself, or the
    nearest folder above it."""
    current = os.path.abspath(path)
    while not os.path.lexists(current) and os.path.dirname(current) != current:
        current = os.path.dirname(current)
    return current


def mount_of(path: Path | str) -> Mount:
    """The filesystem `path` (or, when it is not there, the nearest folder above it) lies
    on: from the kernel's table of mounts where there is one, else the folder where the
    device changes (then with no type)."""
    where = os.path.realpath(existing_part(path))
    found = _from_mountinfo(where)
    if found is not None:
        return found
    return Mount(_device_top(where), "", _read_only(where))


def _from_mountinfo(where: str) -> Mount | None:
    try:
        with open(_MOUNTINFO, encoding="utf-8", errors="surrogateescape") as table:
            lines = table.read().splitlines()
    except OSError:
        return None
    best: Mount | None = None
    for line in lines:
        left, _, right = line.partition(" - ")
        fields, tail = left.split(), right.split()
        if len(fields) < 6 or not tail:
            continue
        point = _OCTAL_ESCAPE.sub(lambda m: chr(int(m.group(1), 8)), fields[4])
        if not _under(where, point):
            continue
        if best is None or len(point) >= len(best.point):  # a later mount on top wins
            read_only = "ro" in fields[5].split(",")
            best = Mount(point, tail[0], read_only)
    if best is not None and not best.read_only and _read_only(where):
        best = Mount(best.point, best.kind, True)
    return best


def _under(path: str, point: str) -> bool:
    return point == "/" or path == point or path.startswith(point.rstrip("/") + "/")


def _device_top(where: str) -> str:
    """The highest folder above `where` still on its device: its mount point."""
    try:
        device = os.stat(where).st_dev
    except OSError:
        return where
    current = where
    while True:
        parent = os.path.dirname(current)
        if parent == current:
            return current
        try:
            if os.stat(parent).st_dev != device:
                return current
        except OSError:
            return current
        current = parent


def _read_only(where: str) -> bool:
    try:
        return bool(os.statvfs(where).f_flag & os.ST_RDONLY)
    except (OSError, AttributeError):
        return False
