"""The terminal's bytes read as the keys the clerk typed (no terminal needed)."""

from __future__ import annotations

import pytest
from textual import events
from textual.app import ComposeResult
from textual.widgets import Static

from bluezone_tui.tui.typeahead import AltOrEscape, TypeAheadApp, TypedKeysParser


def parse(data: str) -> list[events.Key]:
    parser = TypedKeysParser()
    return [e for e in [*parser.feed(data), *parser.feed("")] if isinstance(e, events.Key)]


def read(data: str) -> list[str]:
    """The keys as delivered where no widget binds Alt+key (the board, a dialog)."""
    keys = []
    for event in parse(data):
        keys += [e.key for e in event.typed] if isinstance(event, AltOrEscape) else [event.key]
    return keys


def read_in_a_text_box(data: str) -> list[str]:
    """The keys as delivered to a text box, which binds Alt+Backspace, Alt+B, … (inputs.py)."""
    return [event.key for event in parse(data)]


@pytest.mark.parametrize(
    ("typed", "keys"),
    [
        ("\x1bq", ["escape", "q"]),  # was alt+q: help stayed open and q was lost
        ("\x1bt", ["escape", "t"]),
        ("\x1b\r", ["escape", "enter"]),  # was enter alone: the escape vanished
        ("\x1b\t", ["escape", "tab"]),  # was shift+tab
        ("\x1b\x7f", ["escape", "backspace"]),  # was ctrl+w
        ("\x1b/", ["escape", "slash"]),
        ("\x1b5", ["escape", "5"]),  # was '¡'
        ("\x1b\x01", ["escape", "ctrl+a"]),
        ("\x1b\x1bq", ["escape", "escape", "q"]),
        ("\n", ["enter"]),  # Enter typed before the board set the terminal up
        # what must not change
        ("\x1b[A", ["up"]),
        ("\x1bOQ", ["f2"]),
        ("\x1b[Z", ["shift+tab"]),
        ("\r", ["enter"]),
        ("\x7f9", ["backspace", "9"]),
    ],
)
def test_typed_keys(typed, keys):
    assert read(typed) == keys


@pytest.mark.parametrize(
    ("typed", "keys"),
    [
        # Alt+Backspace as xterm, PuTTY, GNOME Terminal and iTerm send it: delete a word,
        # never Escape then Backspace (the form's "Bỏ thay đổi?" answered by the next word)
        ("\x1b\x7f", ["alt+backspace"]),
        ("\x1b\x08", ["alt+backspace"]),  # a terminal whose Backspace sends ^H
        ("\x1bb", ["alt+b"]),  # macOS Terminal's Option+←: a word left
        ("\x1bf", ["alt+f"]),  # Option+→
        ("\x1bd", ["alt+d"]),  # delete the next word
        ("\x1b[1;3D", ["alt+left"]),  # xterm, Windows Terminal: Alt+←
        ("\x1b\x1b[D", ["alt+left"]),  # PuTTY, rxvt: Alt+← (was Escape then ←)
        ("\x1b\x1b[C", ["alt+right"]),
        ("\x1b\x1bOD", ["alt+left"]),  # the same in application cursor mode
        ("\x1b\x1b[3~", ["alt+delete"]),
        ("\x1b[3;3~", ["alt+delete"]),
        ("ab\x1b\x7fcd", ["a", "b", "alt+backspace", "c", "d"]),
    ],
)
def test_alt_keys_in_a_text_box(typed, keys):
    assert read_in_a_text_box(typed) == keys


class OneScreen(TypeAheadApp[None]):
    def compose(self) -> ComposeResult:
        yield Static("x")


async def test_events_behind_the_quit_find_no_screen_and_are_dropped():
    """Keys and clicks typed behind the key that quits arrive while Textual takes the
    screens down: asked which binding wants them, or handed to Textual, they raised
    ScreenStackError, a traceback on the clerk's terminal after the board had gone."""
    app = OneScreen()
    async with app.run_test():
        pass
    assert not app.screen_stack  # the app as it shuts down: no screen left
    app.on_key(events.Key("j", "j"))  # a key no widget took, bubbled up to the app
    app._typed.extend(
        [events.Key("k", "k"), events.Click(None, 1, 1, 0, 0, 1, False, False, False)]
    )
    await app._deliver()  # its turn comes (typeahead's give-up after SETTLE_LIMIT)
    assert not app._typed
    await app.on_event(events.Key("q", "q"))  # typed after that: dropped, not queued
    assert not app._typed
