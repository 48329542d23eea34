"""Text made to fit a width in terminal cells: cut only ever with "…", so it never looks whole.

A number is never passed through these: a layout gives a number its whole width
or leaves its column out (see `board.column_layout`).
"""

from __future__ import annotations

import re

from rich.cells import cell_len, set_cell_size

ELLIPSIS = "…"


def fit(text: str, width: int) -> str:
    """`text` in exactly `width` cells: padded, or cut at the end with "…"."""
    if width <= 0:
        return ""
    if cell_len(text) <= width:
        return set_cell_size(text, width)
    return set_cell_size(set_cell_size(text, width - 1).rstrip(" ") + ELLIPSIS, width)


def fit_middle(text: str, width: int) -> str:
    """`text` in exactly `width` cells, cut in the middle with "…".

    Unit names differ at their end ("… Phước 1", "… Phước 2"): a cut that keeps
    the end never lets one name pass for another.
    """
    if width <= 0:
        return ""
    if cell_len(text) <= width:
        return set_cell_size(text, width)
    if width < 2:
        return ELLIPSIS[:width]
    tail_cells = (width - 1) // 2
    head = set_cell_size(text, width - 1 - tail_cells)
    tail = _last_cells(text, tail_cells)
    # a wide character at the cut can leave a cell over: pad to the exact width
    return set_cell_size(head + ELLIPSIS + tail, width)


def _last_cells(text: str, cells: int) -> str:
    """The end of `text` that fits in `cells` cells."""
    taken = 0
    start = len(text)
    while start > 0:
        size = cell_len(text[start - 1])
        if taken + size > cells:
            break
        taken += size
        start -= 1
    return text[start:]


NO_BREAK = "\u00a0"  # joins what must stay on one line (a phone number)


def wrap(text: str, width: int) -> list[str]:
    """`text` word-wrapped to `width` cells, breaking only at plain spaces and newlines.

    A word wider than the line is folded; what is joined with NO_BREAK (a phone
    number, "chờ 0") stays whole on one line, so nobody dials half a number or
    reads a count under the wrong word.
    """
    return [line for paragraph in text.split("\n") for line in _wrap_paragraph(paragraph, width)]


def _wrap_paragraph(text: str, width: int) -> list[str]:
    lines: list[str] = []
    line = ""
    words = text.split(" ")
    words.reverse()
    while words:
        word = words.pop()
        if cell_len(word) > width and NO_BREAK in word:  # a group wider than a line:
            words.extend(reversed(word.split(NO_BREAK)))  # break it between its words
            continue
        candidate = f"{line} {word}" if line else word
        if cell_len(candidate) <= width:
            line = candidate
            continue
        if line:
            lines.append(line)
        while cell_len(word) > width:
            head = set_cell_size(word, width).rstrip(" ")  # padded if a wide char is cut
            head = head or word[0]
            lines.append(head)
            word = word[len(head) :]
        line = word
    lines.append(line)
    return lines


def clamp_lines(text: str, width: int, max_lines: int) -> str:
    """`text` wrapped to `width` and kept to `max_lines` lines, the last cut with "…".

    NO_BREAK is drawn as a plain space: it only steers where lines break.
    """
    if width <= 0 or max_lines <= 0:
        return ""
    lines = wrap(text, width)
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        last = lines[-1].rstrip(" ")
        if cell_len(last) + 1 > width:
            last = set_cell_size(last, width - 1).rstrip(" ")
        lines[-1] = last + ELLIPSIS
    return "\n".join(lines).replace(NO_BREAK, " ")


_SEPARATOR = re.compile("( · | — )")


def keep_groups(line: str) -> str:
    """ "Báo cáo 4/13 · chờ 0" with each " · "- or " — "-separated group unbreakable,
    and the separator kept at the end of its line: a count never wraps away from
    its word."""
    parts = _SEPARATOR.split(line)
    out = []
    for index, part in enumerate(parts):
        if index % 2:  # a separator: break after it, never before
            out.append(NO_BREAK + part.strip(" ") + " ")
        else:
            out.append(part.replace(" ", NO_BREAK))
    return "".join(out)
