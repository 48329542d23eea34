"""The board's colours: Textual's dark theme, with status colours that stay apart everywhere.

Textual draws in true colour and the terminal's colour system picks the nearest
colour it has. With Textual's own palette "red" and "magenta" are the same pink,
and its orange warning becomes bright red in 16 colours (TERM=xterm): late,
missing and a broken file looked alike. These three land on three different
colours in 16 and in 256 colours (tests/tui/test_colours.py checks it):

    late (warning)        #ffd75f  16: bright yellow   256: 221
    missing (error)       #ff5f5f  16: bright red      256: 203
    file error            #d75fd7  16: bright magenta  256: 170
"""

from __future__ import annotations

from textual.theme import Theme

THEME = Theme(
    name="bluezone",
    primary="#0178D4",
    secondary="#004578",
    accent="#ffa62b",
    warning="#ffd75f",
    error="#ff5f5f",
    success="#4EBF71",
    foreground="#e0e0e0",
    dark=True,
    variables={"file-error": "#d75fd7"},
)
