"""A fresh copy of the shipped data and the real board in a pseudo-terminal for each test.

Every test in this folder is marked `terminal`: `pytest -m "not terminal"` leaves them out.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from helpers.data import copy_shipped

if sys.platform == "win32":  # pragma: no cover - the board runs over SSH on Linux
    pytest.skip("pseudo-terminals are POSIX only", allow_module_level=True)

from helpers.terminal import Board  # noqa: E402  (fcntl, termios: POSIX only)

HERE = Path(__file__).parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if item.path.is_relative_to(HERE):
            item.add_marker(pytest.mark.terminal)


@pytest.fixture
def data(tmp_path: Path) -> Path:
    return copy_shipped(tmp_path)


@pytest.fixture
def board(data: Path) -> Iterator[Callable[..., Board]]:
    """board(day, now): the board started on `day` with its clock starting at `now`, ready."""
    started: list[Board] = []

    def start(day: str = "2020-08-27", now: str = "2020-08-27T14:30:00", **size: int) -> Board:
        running = Board(data, day, now, **size)
        started.append(running)
        return running.ready()

    yield start
    for running in started:
        running.close()
