"""Board tests: a copy of the shipped data in a temp folder and a clock the test moves.

Type with helpers.pilot.press(pilot, ...) and wait with wait_for / loaded (see helpers/pilot.py).
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest

from helpers.data import copy_shipped
from helpers.pilot import board_app, wait_for


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return copy_shipped(tmp_path)


@pytest.fixture
def make_app(data_dir: Path):
    """make_app(day, moment, poll, follow_today): the board on data_dir (see board_app)."""

    def make(
        day: date,
        moment: datetime | tuple[int, int, int] = (14, 50, 0),
        poll: float = 0.1,
        follow_today: bool = False,
    ):
        return board_app(data_dir, day, moment, poll=poll, follow_today=follow_today)

    return make


@pytest.fixture(name="wait_for")
def wait_for_fixture():
    return wait_for
