"""The board's watcher (day/watch.py): every kind of change to the day's folder is seen,
driven tick by tick as the board drives it (no timing), and a quiet tick costs a few
system calls, not a stat of every file."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest

from bluezone_tui.day.store import Store
from bluezone_tui.day.watch import DayWatch

DAY = date(2020, 8, 20)
FILES = 200
SWEEP = 10


@pytest.fixture(params=["inotify", "polling"])
def watch(request, empty_store: Store):
    folder = empty_store.day_dir(DAY)
    folder.mkdir(parents=True)
    for n in range(FILES):
        (folder / f"xa-{n:03d}.toml").write_text(f"revision = {n}\n")
    inotify = request.param == "inotify"
    watcher = DayWatch(empty_store, DAY, use_inotify=inotify, sweep_ticks=SWEEP)
    if inotify and not watcher.inotify:
        pytest.skip("no inotify here")
    assert watcher.changed()  # the first look: everything is new
    assert not any(watcher.changed() for _ in range(2 * SWEEP))  # quiet: nothing to say
    yield watcher
    watcher.close()


def seen_within(watcher: DayWatch, ticks: int) -> int | None:
    """The tick (1 = the next) at which the watcher reports a change, if within `ticks`."""
    for tick in range(1, ticks + 1):
        if watcher.changed():
            return tick
    return None


def folder(watcher: DayWatch) -> Path:
    return watcher.store.day_dir(DAY)


def test_a_new_file_is_seen_at_the_next_tick(watch):
    (folder(watch) / "xa-new.toml").write_text("revision = 1\n")
    assert seen_within(watch, 1) == 1


def test_a_file_replaced_by_rename_is_seen_at_the_next_tick(watch):
    # what bluezone's own saves do: a temp file, then os.replace over the old one
    temp = folder(watch) / ".xa-007.toml.tmp"
    temp.write_text("revision = 99\n")
    os.replace(temp, folder(watch) / "xa-007.toml")
    assert seen_within(watch, 1) == 1


def test_a_deleted_file_is_seen_at_the_next_tick(watch):
    (folder(watch) / "xa-011.toml").unlink()
    assert seen_within(watch, 1) == 1


def test_a_file_edited_in_place_is_seen(watch):
    # scp over an existing file, an editor writing in place: the folder's mtime stays
    path = folder(watch) / "xa-150.toml"
    before = os.stat(folder(watch)).st_mtime_ns
    with open(path, "r+b") as file:
        file.write(b"revision = 7777\n")
    os.utime(path, ns=(1, 1))  # a different mtime however coarse the clock
    assert os.stat(folder(watch)).st_mtime_ns == before
    # inotify: the next tick; polling: within one sweep of the folder
    assert seen_within(watch, 1 if watch.inotify else SWEEP) is not None
    assert not any(watch.changed() for _ in range(SWEEP))  # said once, then quiet


def test_an_edit_in_place_keeping_size_and_mtime_is_seen_with_inotify(watch):
    if not watch.inotify:
        pytest.skip("only inotify sees a write that keeps size and mtime (docs/board.md)")
    path = folder(watch) / "xa-020.toml"
    st = os.stat(path)
    with open(path, "r+b") as file:
        file.write(b"revision = 21")  # the same length
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert seen_within(watch, 1) == 1


def test_the_day_folder_created_later_and_replaced_is_seen(empty_store: Store):
    watcher = DayWatch(empty_store, DAY, sweep_ticks=SWEEP)
    assert watcher.changed()
    assert not watcher.changed()
    day = empty_store.day_dir(DAY)
    day.mkdir()
    assert watcher.changed()
    (day / "xa-1.toml").write_text("revision = 1\n")
    assert watcher.changed()
    assert not watcher.changed()
    moved = day.with_name("old")
    day.rename(moved)
    day.mkdir()
    assert watcher.changed()
    (day / "xa-1.toml").write_text("revision = 2\n")  # the new folder is the one watched
    assert watcher.changed()
    watcher.close()


def test_a_quiet_tick_stats_a_slice_not_every_file(watch, monkeypatch):
    stats: list[object] = []
    scans: list[object] = []
    real_stat, real_scandir = os.stat, os.scandir

    def counted_stat(path, *args, **kwargs):
        stats.append(path)
        return real_stat(path, *args, **kwargs)

    def counted_scandir(*args, **kwargs):
        scans.append(args)
        return real_scandir(*args, **kwargs)

    monkeypatch.setattr(os, "stat", counted_stat)
    monkeypatch.setattr(os, "scandir", counted_scandir)
    for _ in range(3 * SWEEP):
        before = len(stats)
        assert not watch.changed()
        # submissions/ and the day's folder, and a slice of the files
        assert len(stats) - before <= 2 + -(-FILES // SWEEP)
    assert not scans
    # over a sweep, every file once: a change anywhere in the folder would be seen
    swept = {str(path) for path in stats}
    assert {str(p) for p in folder(watch).iterdir()} <= swept
