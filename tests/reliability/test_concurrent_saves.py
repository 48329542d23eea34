"""Concurrency: several processes save to the same unit and to their own units at once.

Each save is a read-modify-write guarded by the revision it read: it adds 1 to a
counter figure. Every attempt must either land or be refused with the revision
message (StaleRevisionError); afterwards each file's revision equals the number
of saves that landed on it, and so does the counter: no update was lost.
"""

from __future__ import annotations

import json
import os
import random
import sys
from datetime import date, datetime
from pathlib import Path

import pytest

from bluezone_tui.base.problems import StaleRevisionError
from bluezone_tui.day.store import Store
from bluezone_tui.day.submission import Submission
from bluezone_tui.registry.load import load_registry
from helpers.data import TZ

pytestmark = pytest.mark.skipif(
    not hasattr(os, "fork") or sys.platform == "darwin", reason="needs fork()"
)

PROCESSES = 4
ATTEMPTS = 140  # per process: 560 in all
DAY = date(2020, 8, 27)
SHARED = "xa-long-khanh-b"
OWN = ("xa-thuong-lac", "xa-phu-thuan-a", "xa-long-thuan", "xa-thuong-phuoc-1")


def attempt(store: Store, unit_id: str, who: str) -> bool:
    """One read-modify-write: True if it landed, False if refused as stale."""
    current = store.read(DAY, unit_id)
    revision = current.submission.revision if current and current.submission else 0
    count = current.submission.figures["households_visited"] if revision else 0
    submission = Submission(
        unit_id=unit_id,
        day=DAY,
        figures={"residents_installed": 100, "households_visited": count + 1},
        reported_at=datetime(2020, 8, 27, 14, 0, tzinfo=TZ),
        entered_by=who,
        entered_at=datetime(2020, 8, 27, 14, 1, tzinfo=TZ),
    )
    try:
        store.save(submission, base_revision=revision)
    except StaleRevisionError as exc:
        assert "tải lại" in exc.message, exc.message  # the revision message, for a person
        assert exc.current_revision > revision or exc.current_revision == 0
        return False
    return True


def worker(data: Path, registry, index: int, go: int, report: int) -> None:  # type: ignore[no-untyped-def]
    status = 0
    try:
        os.read(go, 1)  # start together
        store = Store(data, registry)
        rng = random.Random(index)
        landed: dict[str, int] = {}
        refused = 0
        for _ in range(ATTEMPTS):
            unit_id = SHARED if rng.random() < 0.5 else OWN[index]
            if attempt(store, unit_id, f"máy-{index}"):
                landed[unit_id] = landed.get(unit_id, 0) + 1
            else:
                refused += 1
        os.write(report, json.dumps({"landed": landed, "refused": refused}).encode() + b"\n")
    except BaseException as exc:  # noqa: BLE001 - reported to the parent, which fails
        os.write(report, json.dumps({"error": f"{type(exc).__name__}: {exc}"}).encode() + b"\n")
        status = 1
    finally:
        os._exit(status)


def test_concurrent_read_modify_write_saves_lose_nothing(empty_data: Path) -> None:
    registry = load_registry(empty_data)
    go_read, go_write = os.pipe()
    report_read, report_write = os.pipe()
    children = []
    for index in range(PROCESSES):
        pid = os.fork()
        if pid == 0:  # pragma: no cover - the child
            os.close(go_write)
            os.close(report_read)
            worker(empty_data, registry, index, go_read, report_write)
        children.append(pid)
    os.close(go_read)
    os.close(report_write)
    os.write(go_write, b"x" * PROCESSES)
    os.close(go_write)
    with os.fdopen(report_read, "rb") as reports:
        lines = reports.read().splitlines()
    for pid in children:
        _, status = os.waitpid(pid, 0)
        assert os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0, lines
    results = [json.loads(line) for line in lines]
    assert len(results) == PROCESSES
    assert not [r for r in results if "error" in r], results

    landed: dict[str, int] = {}
    refused = 0
    for result in results:
        refused += result["refused"]
        for unit_id, count in result["landed"].items():
            landed[unit_id] = landed.get(unit_id, 0) + count
    attempts = sum(landed.values()) + refused
    assert attempts == PROCESSES * ATTEMPTS >= 500
    assert landed[SHARED] >= 1

    store = Store(empty_data, load_registry(empty_data))
    for unit_id, count in landed.items():
        parsed = store.read(DAY, unit_id)
        assert parsed is not None and parsed.submission is not None, unit_id
        assert not parsed.errors, parsed.errors
        assert parsed.submission.revision == count, (unit_id, parsed.submission.revision, count)
        assert parsed.submission.figures["households_visited"] == count, unit_id
    leftovers = [p.name for p in store.day_dir(DAY).iterdir() if p.name.startswith(".")]
    assert leftovers == [], leftovers


def test_the_save_guard_never_trusts_the_read_cache(empty_data: Path, monkeypatch) -> None:
    """Two saves within one tick of the file clock can give a new file the size, mtime
    and inode number of an older one; the guard must read the file itself.

    The read cache's signature also holds the change time, which userspace cannot put
    back; a file system whose clock ticks coarsely can still repeat it, so the collision
    is forced here by leaving the change time out of the signature."""
    import bluezone_tui.day.store as store_module

    monkeypatch.setattr(
        store_module, "_signature", lambda st: (st.st_size, st.st_mtime_ns, 0, st.st_ino)
    )
    store = Store(empty_data, load_registry(empty_data))
    first = attempt(store, SHARED, "a")
    assert first
    stale = store.read(DAY, SHARED)  # revision 1, now cached
    path = store.path_for(DAY, SHARED)
    st = os.stat(path)
    # Revision 2 by someone else, with the size, mtime and inode of revision 1: the
    # collision, forced (written in place, the clock put back).
    newer = path.read_bytes().replace(b"revision = 1", b"revision = 2")
    newer = newer.replace(b'entered_by = "a"', b'entered_by = "b"')
    with open(path, "r+b") as handle:
        handle.write(newer)
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert (os.stat(path).st_size, os.stat(path).st_mtime_ns, os.stat(path).st_ino) == (
        st.st_size,
        st.st_mtime_ns,
        st.st_ino,
    )
    assert store.read(DAY, SHARED) is stale
    assert not attempt(store, SHARED, "a")  # refused as stale, not saved as revision 2
    assert store.read(DAY, SHARED).submission.revision == 2  # and the cache is mended
