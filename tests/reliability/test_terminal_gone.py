"""A board whose terminal is gone (an SSH link dropped, a tmux session killed) quits.

The process is started on the secondary side of a pseudo-terminal that is not its
controlling terminal (so no SIGHUP comes), and the primary side is closed: its reads
then fail (EIO). It must exit within a generous time, having saved nothing, instead of
running on at a core's worth. The time is a timeout to wait, not a speed measured.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from helpers.data import copy_shipped, snapshot

GENEROUS = 30.0  # seconds


def test_a_board_quits_when_its_terminal_is_gone(tmp_path: Path):
    data = copy_shipped(tmp_path / "data")
    before = snapshot(data)
    primary, secondary = os.openpty()
    env = {**os.environ, "TERM": "xterm-256color", "LANG": "C.UTF-8", "BLUEZONE_CACHE": "off"}
    env.pop("TEXTUAL", None)
    board = subprocess.Popen(
        [sys.executable, "-m", "bluezone_tui", "--data", str(data), "board",
         "--now", "2020-08-20T14:00"],
        stdin=secondary, stdout=secondary, stderr=secondary, env=env,
    )  # fmt: skip
    os.close(secondary)
    try:
        started = b""
        deadline = time.monotonic() + GENEROUS
        while b"\x1b[" not in started and time.monotonic() < deadline:  # it drew the screen
            try:
                started += os.read(primary, 65536)
            except OSError:
                break
        assert b"\x1b[" in started and board.poll() is None, started[-500:]
        time.sleep(1.0)  # the board up and reading its input
        os.close(primary)
        primary = -1
        code = board.wait(timeout=GENEROUS)  # TimeoutExpired: it ran on
        assert code is not None
    finally:
        if primary >= 0:
            os.close(primary)
        if board.poll() is None:
            board.kill()
            board.wait()
    assert snapshot(data) == before  # nothing saved, nothing half-done
