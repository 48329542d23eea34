"""The board under Textual's Pilot: made on a data folder at a set moment, waited for, read.

What a test reads may not be there yet right after the board starts or a key is
pressed (keys wait in the typeahead; the footer and the sync line come a frame or a
worker later): wait for it (wait_for, loaded, footer_drawn) rather than sleeping a
guessed delay.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

from bluezone_tui.base.clock import ManualClock
from bluezone_tui.registry.load import load_registry
from bluezone_tui.tui.app import BoardApp

WAIT_SECONDS = 5.0  # a passing test waits far less; a slow shared machine may need it all
STEP = 0.05


def board_app(
    folder: Path,
    day: date,
    moment: datetime | tuple[int, ...] = (14, 50, 0),
    poll: float = 0.1,
    follow_today: bool = False,
) -> BoardApp:
    """The board on `folder` for `day`, its clock stopped at `moment` (a datetime, or
    (hour, minute[, second]) on `day` in the registry's timezone) until the test moves it."""
    registry = load_registry(folder)
    if isinstance(moment, tuple):
        moment = datetime(day.year, day.month, day.day, *moment, tzinfo=registry.timezone)
    return BoardApp(
        folder, registry, day, ManualClock(moment), poll_seconds=poll, follow_today=follow_today
    )


async def wait_for(  # type: ignore[no-untyped-def]
    pilot, condition: Callable[[], object], timeout: float = WAIT_SECONDS
) -> bool:
    """Let the app run until condition() holds; False after `timeout` seconds of app time."""
    for _ in range(int(timeout / STEP)):
        if condition():
            return True
        await pilot.pause(STEP)
    return bool(condition())


def keys_handled(app) -> bool:  # type: ignore[no-untyped-def]
    """Every key pressed so far has been handed to the app and the app has settled.

    The board holds typed keys until it is ready for them (typeahead.py), so a key
    that Pilot's press has returned from may not have been handled yet.
    """
    return not app._typed and not app._reacting


def screen_lines(app) -> list[str]:  # type: ignore[no-untyped-def]
    """Every line of the active screen as the terminal would get it (text only).

    Textual has no public way to read the composed screen back; the compositor's
    strips are exactly what the driver writes, so a check on them is a check on
    what reaches the terminal.
    """
    return [strip.text for strip in app.screen._compositor.render_strips()]


async def loaded(pilot) -> None:  # type: ignore[no-untyped-def]
    """Wait until the board has shown the day's data once."""
    assert await wait_for(pilot, lambda: pilot.app.board.consolidation is not None)
    await pilot.pause()


async def footer_drawn(pilot, descriptions: list[str]) -> list[str]:  # type: ignore[no-untyped-def]
    """The screen once its footer (the last line) shows every one of `descriptions`.

    The footer is filled in after the screen is first drawn: read too early it is
    blank. If it never shows them all, the screen as it is then, for the test to say
    which is missing.
    """
    await wait_for(pilot, lambda: all(d in screen_lines(pilot.app)[-1] for d in descriptions))
    return screen_lines(pilot.app)


def rendered_text(static) -> str:  # type: ignore[no-untyped-def]
    """A Static's content as plain text, laid out at the width the widget really has
    (for content taller than the screen, which screen_lines cannot see)."""
    from rich.console import Console

    console = Console(width=static.content_region.width, record=True, file=io.StringIO())
    console.print(static.content)
    return console.export_text()
