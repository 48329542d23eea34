"""Board tests: a copy of the shipped data in a temp folder and a clock the test moves."""

from __future__ import annotations

import io
import shutil
from datetime import date, datetime
from pathlib import Path

import pytest

from bluezone_tui.base.clock import ManualClock
from bluezone_tui.registry.load import load_registry
from bluezone_tui.tui.app import BoardApp

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    shutil.copy(REPO / "units.yaml", tmp_path / "units.yaml")
    shutil.copytree(REPO / "submissions", tmp_path / "submissions")
    return tmp_path


@pytest.fixture
def make_app(data_dir: Path):
    def make(
        day: date,
        moment: datetime | tuple[int, int, int] = (14, 50, 0),
        poll: float = 0.1,
        follow_today: bool = False,
    ):
        registry = load_registry(data_dir)
        if isinstance(moment, tuple):
            moment = datetime(day.year, day.month, day.day, *moment, tzinfo=registry.timezone)
        clock = ManualClock(moment)
        return BoardApp(
            data_dir, registry, day, clock, poll_seconds=poll, follow_today=follow_today
        )

    return make


@pytest.fixture
def wait_for():
    return _wait_for


async def _wait_for(pilot, condition, timeout: float = 5.0) -> bool:
    """Let the app run until condition() holds; False after `timeout` seconds of app time."""
    steps = int(timeout / 0.05)
    for _ in range(steps):
        if condition():
            return True
        await pilot.pause(0.05)
    return condition()


def screen_lines(app) -> list[str]:
    """Every line of the active screen as the terminal would get it (text only).

    Textual has no public way to read the composed screen back; the compositor's
    strips are exactly what the driver writes, so a check on them is a check on
    what reaches the terminal.
    """
    return [strip.text for strip in app.screen._compositor.render_strips()]


async def loaded(pilot) -> None:
    """Wait until the board has shown the day's data once."""
    assert await _wait_for(pilot, lambda: pilot.app.board.consolidation is not None)
    await pilot.pause()


def rendered_text(static) -> str:
    """A Static's content as plain text, laid out at the width the widget really has
    (for content taller than the screen, which screen_lines cannot see)."""
    from rich.console import Console

    console = Console(width=static.content_region.width, record=True, file=io.StringIO())
    console.print(static.content)
    return console.export_text()
