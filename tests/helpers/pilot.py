"""The board under Textual's Pilot: made on a data folder at a set moment, waited for, read.

What a test reads may not be there yet right after the board starts or a key is
pressed (keys wait in the typeahead; the footer and the sync line come a frame or a
worker later): wait for it (wait_for, loaded, footer_drawn) rather than sleeping a
guessed delay.
"""

from __future__ import annotations

import asyncio
import io
import time
import unicodedata
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

from textual import events
from textual.keys import REPLACED_KEYS, _character_to_key, _get_unicode_name_from_key

from bluezone_tui.base.clock import ManualClock
from bluezone_tui.registry.load import load_registry
from bluezone_tui.tui.app import BoardApp

WAIT_SECONDS = 5.0  # a passing test waits far less; a slow shared machine may need it all
STEP = 0.05
HELD_KEY_SECONDS = 0.5  # press() stops waiting for a key the board holds (day not read)


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


async def notified(pilot, *texts: str) -> bool:  # type: ignore[no-untyped-def]
    """Wait until the app's notifications hold every text.

    `notify()` posts a message: a notification is listed a moment after the code that
    made it has moved on (a flag cleared, a screen closed), so it is waited for, not read.
    """

    def said() -> bool:
        messages = " ".join(str(n.message) for n in pilot.app._notifications)
        return all(text in messages for text in texts)

    return await wait_for(pilot, said)


def keys_handled(app) -> bool:  # type: ignore[no-untyped-def]
    """Every key pressed so far has been handed to the app and the app has settled.

    The board holds typed keys until it is ready for them (typeahead.py), so a key
    that Pilot's press has returned from may not have been handled yet.
    """
    return not app._typed and not app._reacting


def _key_event(key: str) -> events.Key:
    """The Key event Pilot.press makes for `key` (Textual's App._press_keys)."""
    if len(key) == 1 and not key.isalnum():
        key = _character_to_key(key)
    original = REPLACED_KEYS.get(key, key)
    try:
        char: str | None = unicodedata.lookup(_get_unicode_name_from_key(original))
    except KeyError:
        char = key if len(key) == 1 else None
    return events.Key(key, char)


async def press(pilot, *keys: str) -> None:  # type: ignore[no-untyped-def]
    """Pilot.press, each key sent once the app has handled the one before.

    Textual's press waits after each key until the process looks idle (its CPU time),
    which the typeahead's own polling stretches to about 0.1 s a key. The app knows
    when it has handled a key (typeahead.py: nothing typed waiting, nothing reacting):
    this waits for that instead. A key the board holds because it is not ready for
    keys (its day not read yet) is left waiting after HELD_KEY_SECONDS, as Textual's
    press leaves it.
    """
    app = pilot.app
    for key in keys:
        app.post_message(_key_event(key))  # queued now: before what _wait_for_screen posts
        deadline = time.monotonic() + HELD_KEY_SECONDS
        await pilot._wait_for_screen()
        while not keys_handled(app) and time.monotonic() < deadline:
            await asyncio.sleep(0.005)
        await pilot._wait_for_screen()


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
