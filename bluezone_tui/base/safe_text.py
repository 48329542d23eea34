"""Text from data files made safe to draw on a terminal.

A note, a name or a key read from a file may hold ESC sequences, BEL or bidi
overrides (U+202E) that would set the terminal's title, ring it, or show a
figure reversed. Everything a data file says is passed through `printable`
before it reaches a terminal (CLI output, messages, the board); entry refuses
such characters outright (`control_chars`).
"""

from __future__ import annotations

import re
import shlex
import unicodedata

# C0 and C1 controls, DEL, the Unicode format characters that reorder or hide text
# (bidi embeddings, overrides and isolates, zero-width marks, BOM, line and paragraph
# separators), and the noncharacters (U+FFFE, U+FFFF and their kin: a spreadsheet
# stores them as "_xFFFE_", and what reads it back gets those six letters).
_NONCHARACTERS = "\ufdd0-\ufdef" + "".join(
    f"{chr(plane * 0x10000 + 0xFFFE)}{chr(plane * 0x10000 + 0xFFFF)}" for plane in range(17)
)
UNSAFE_CHARACTERS = (  # a regular expression's class: what printable() escapes
    "[\x00-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff\ufff9-\ufffb"
    + _NONCHARACTERS
    + "]"
)
_UNSAFE = re.compile(UNSAFE_CHARACTERS)


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code < 0x100:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def printable(text: str) -> str:
    """`text` with every control or reordering character shown as an escape (\\x1b, \\u202e).

    Visible rather than removed, so a person sees that a file holds something odd.
    """
    if _UNSAFE.search(text) is None:
        return text
    return _UNSAFE.sub(_escape, text)


def shell_word(text: str) -> str:
    """`text` as one word of a shell command a person copies from a message: quoted as
    the shell needs (shlex), and, when it holds a line break or another control
    character, in bash's $'…' form with that character escaped, so the command stays on
    one line and says exactly the name."""
    if _UNSAFE.search(text) is None:
        return shlex.quote(text)
    out = []
    for char in text:
        if char in "\\'":
            out.append("\\" + char)
        elif _UNSAFE.match(char):
            code = ord(char)
            out.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")
        else:
            out.append(char)
    return "$'" + "".join(out) + "'"


def shell_command(*words: str) -> str:
    """A command line from its words, each quoted by shell_word."""
    return " ".join(shell_word(word) for word in words)


_LINE_BREAKS = "\n\r\v\f\x85\u2028\u2029"
_REORDERING = {"LRE", "RLE", "LRO", "RLO", "PDF", "LRI", "RLI", "FSI", "PDI", "LRM", "RLM", "ALM"}


def _kind(char: str) -> str:
    """What an unsafe character is, in the words a clerk reads (never Unicode's English name)."""
    if char in _LINE_BREAKS:
        return "ký tự xuống dòng"
    if char == "\t":
        return "ký tự Tab"
    if unicodedata.bidirectional(char) in _REORDERING:
        return "ký tự đảo chiều"
    if unicodedata.category(char) == "Cc":
        return "ký tự điều khiển"
    return "ký tự vô hình"


def control_chars(text: str) -> list[str]:
    """The unsafe characters in `text`, each named in Vietnamese with its code ("ký tự vô
    hình U+200B", "ký tự điều khiển U+001B"), for entry's and the checks' refusals."""
    return [f"{_kind(char)} U+{ord(char):04X}" for char in dict.fromkeys(_UNSAFE.findall(text))]


def printable_lines(text: str) -> str:
    """printable() line by line: the line breaks of a multi-line text stay line breaks."""
    if _UNSAFE.search(text) is None:
        return text
    return "\n".join(printable(line) for line in text.split("\n"))


_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(text: str) -> str:
    """A text cell that a spreadsheet would run as a formula gets a leading apostrophe."""
    if text.startswith(_FORMULA_STARTS):
        return "'" + text
    return text
