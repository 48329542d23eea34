"""The terminal's bytes read as the keys the clerk typed (no terminal needed)."""

from __future__ import annotations

import pytest
from textual import events

from bluezone_tui.tui.typeahead import TypedKeysParser


def read(data: str) -> list[str]:
    parser = TypedKeysParser()
    return [e.key for e in [*parser.feed(data), *parser.feed("")] if isinstance(e, events.Key)]


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
