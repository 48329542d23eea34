"""Crash safety: a process saving in a loop is SIGKILLed at random moments, 200 times.

After every kill each file must parse and hold one complete revision (its figures
and note say which revision wrote them, so a torn or mixed file shows), no
revision may go back, and the next save must clear temp files older than the
store's cleanup window while leaving a younger one (a save in progress) alone.
"""

from __future__ import annotations

import os
import random
import signal
import sys
import time
import tomllib
from datetime import date, datetime
from pathlib import Path

import pytest

from bluezone_tui.day.store import STALE_TEMP_SECONDS, TEMP_SUFFIX, Store
from bluezone_tui.day.submission import Submission
from bluezone_tui.registry.load import load_registry
from helpers.data import TZ

pytestmark = pytest.mark.skipif(
    not hasattr(os, "fork") or sys.platform == "darwin", reason="needs fork() and SIGKILL"
)

KILLS = 200
DAY = date(2020, 8, 27)
UNITS = ("xa-long-khanh-b", "xa-thuong-lac", "xa-phu-thuan-a")


def submission_for(unit_id: str, revision: int) -> Submission:
    """Figures and a note of a length that both depend on the revision being written."""
    return Submission(
        unit_id=unit_id,
        day=DAY,
        figures={
            "residents_installed": revision,
            "teams_formed": 5,
            "hamlets_with_team": 3,
            "households_visited": revision * 3,
            "desk_officer": True,
            "desk_helped": 0,
        },
        reported_at=datetime(2020, 8, 27, 14, 0, tzinfo=TZ),
        entered_by="kiểm-thử",
        entered_at=datetime(2020, 8, 27, 14, 5, tzinfo=TZ),
        note=f"bản {revision} " + "đ" * (revision % 97 * 40),
    )


def expected_note(revision: int) -> str:
    return f"bản {revision} " + "đ" * (revision % 97 * 40)


def save_forever(data: Path, registry, seed: int) -> None:  # type: ignore[no-untyped-def]
    """The child: read-modify-write saves as fast as it can, until it is killed."""
    status = 0
    try:
        store = Store(data, registry)
        rng = random.Random(seed)
        while True:
            unit_id = rng.choice(UNITS)
            current = store.read(DAY, unit_id)
            revision = current.submission.revision if current and current.submission else 0
            store.save(submission_for(unit_id, revision + 1), base_revision=revision)
    except BaseException:  # noqa: BLE001 - anything but a kill is a failure the parent sees
        status = 3
    finally:
        os._exit(status)


def check_files(folder: Path, last: dict[str, int]) -> None:
    """Every file is one whole revision; revisions never go back."""
    for unit_id in UNITS:
        path = folder / f"{unit_id}.toml"
        if not path.exists():
            continue
        doc = tomllib.loads(path.read_text("utf-8"))
        revision = doc["revision"]
        assert isinstance(revision, int) and revision >= 1, doc
        assert doc["figures"]["residents_installed"] == revision, doc
        assert doc["figures"]["households_visited"] == revision * 3, doc
        assert doc["note"] == expected_note(revision), doc
        assert revision >= last.get(unit_id, 0), (unit_id, revision, last)
        last[unit_id] = revision


def test_sigkill_during_saves_never_leaves_a_torn_file(empty_data: Path) -> None:
    registry = load_registry(empty_data)
    folder = empty_data / "submissions" / DAY.isoformat()
    rng = random.Random(2020)
    # Kill within a few saves' time, however slow this machine's fsync is.
    calibration = Store(empty_data, registry)
    started = time.perf_counter()
    calibration.save(submission_for(UNITS[0], 1), base_revision=0)
    window = max(0.02, 5 * (time.perf_counter() - started))
    last: dict[str, int] = {UNITS[0]: 1}
    killed_while_running = 0
    for kill in range(KILLS):
        pid = os.fork()
        if pid == 0:  # pragma: no cover - the child
            save_forever(empty_data, registry, kill)
        time.sleep(rng.uniform(0.0, window))
        os.kill(pid, signal.SIGKILL)
        _, status = os.waitpid(pid, 0)
        if os.WIFSIGNALED(status):
            killed_while_running += 1
        else:
            assert os.WEXITSTATUS(status) == 0, f"the saver failed on its own (kill {kill})"
        check_files(folder, last)
    assert killed_while_running >= KILLS * 0.9
    assert sum(last.values()) >= 50, f"too few saves landed between kills: {last}"

    # The store reads every file as a whole submission; temp files are not submissions.
    store = Store(empty_data, load_registry(empty_data))
    files = store.read_day(DAY)
    assert set(files.files) <= set(UNITS)
    assert not files.problems, files.problems
    for unit_id, parsed in files.files.items():
        assert parsed.submission is not None
        assert parsed.submission.revision == last[unit_id]

    # Temp files of killed saves: once older than the cleanup window, the next save
    # removes them; a young one (another save in progress) is left alone.
    old = time.time() - STALE_TEMP_SECONDS - 5
    temps = [p for p in folder.iterdir() if p.name.startswith(".") and p.name.endswith(TEMP_SUFFIX)]
    for temp in temps:
        os.utime(temp, (old, old))
    in_progress = folder / f".{UNITS[0]}.in-progress{TEMP_SUFFIX}"
    in_progress.write_text("half a save", "utf-8")
    current = store.read(DAY, UNITS[0])
    revision = current.submission.revision if current and current.submission else 0
    store.save(submission_for(UNITS[0], revision + 1), base_revision=revision)
    left = {p.name for p in folder.iterdir() if p.name.endswith(TEMP_SUFFIX)}
    assert left == {in_progress.name}, f"stale temp files left behind: {left}"
    check_files(folder, last)
