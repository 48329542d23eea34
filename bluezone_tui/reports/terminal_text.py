"""Plain-text tables and lines for a terminal of a given width, never breaking a figure or a
word: a terminal folds a line wider than itself wherever the edge falls ("0277 3" /
"847 105"), so what the commands print on one is made to fit it first.

A table keeps its columns while they fit, each cell wrapped at spaces within its
column; a figure (a right-aligned column), a phone number or a group joined with
NO_BREAK is never split. A table that cannot fit even so is printed one record per
row ("Mã: xa-long-khanh-b"). Without a width (a pipe, a file, a pager) nothing changes:
one line per row, as wide as it is.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Sequence

NO_BREAK = "\u00a0"  # joins what must stay on one line; printed as a space
_DIGIT_SPACE = re.compile(r"(?<=\d) (?=\d)")  # inside a phone number: "0277 3800 105"
GAP = " "  # between columns
TALL_ROWS = 3  # rows this many lines tall on average read better as records


def _unbreakable(text: str) -> str:
    return _DIGIT_SPACE.sub(NO_BREAK, text)


def _words(cell: str, whole: bool) -> list[str]:
    """What may not be split across lines: the whole cell of a figure, else its words."""
    if whole:
        return [cell.replace(" ", NO_BREAK)]
    return _unbreakable(cell).split(" ") or [""]


def _wrap(cell: str, width: int, whole: bool) -> list[str]:
    """`cell` in lines of at most `width`, broken only between its words."""
    lines: list[str] = []
    line = ""
    for word in _words(cell, whole):
        candidate = f"{line} {word}" if line else word
        if line and len(candidate) > width:
            lines.append(line)
            line = word
        else:
            line = candidate
    lines.append(line)
    return [part.replace(NO_BREAK, " ") for part in lines]


def _line(cells: Sequence[str], widths: Sequence[int], align: Sequence[str]) -> str:
    return GAP.join(
        cell.rjust(width) if how == "right" else cell.ljust(width)
        for cell, width, how in zip(cells, widths, align, strict=True)
    ).rstrip()


def table(
    headers: Sequence[str],
    rows: Sequence[Sequence[str]],
    align: Sequence[str],
    width: int | None = None,
) -> str:
    """A plain table, one space between columns, a dashed rule under its headings; fitted
    to `width` columns when it is given and the table is wider (see the module)."""
    whole = [how == "right" for how in align]  # a right-aligned column holds figures
    natural = [max(len(cell) for cell in column) for column in zip(headers, *rows, strict=True)]
    gaps = len(GAP) * (len(headers) - 1)
    if width is None or sum(natural) + gaps <= width:
        return "\n".join(
            [
                _line(headers, natural, align),
                GAP.join("-" * w for w in natural),
                *(_line(row, natural, align) for row in rows),
            ]
        )
    least = [
        max(
            max(len(word) for word in _words(heading, False)),
            *(len(word) for row in rows for word in _words(row[k], keep)),
        )
        for k, (heading, keep) in enumerate(zip(headers, whole, strict=True))
    ]
    room = width - gaps
    if sum(least) > room:
        return records(headers, rows, width)
    widths = _spread(least, natural, headers, rows, whole, room)
    out: list[str] = []
    for number, cells in enumerate([headers, *rows]):  # the headings first
        wrapped = [
            _wrap(cell, w, keep and number > 0)
            for cell, w, keep in zip(cells, widths, whole, strict=True)
        ]
        for index in range(max(len(lines) for lines in wrapped)):
            out.append(
                _line([ls[index] if index < len(ls) else "" for ls in wrapped], widths, align)
            )
        if number == 0:
            out.append(GAP.join("-" * w for w in widths))
    if len(out) > TALL_ROWS * (len(rows) + 2):  # cells in a column of words: one per line
        return records(headers, rows, width)
    return "\n".join(out)


SAMPLE_ROWS = 120  # the rows a large table's widths are chosen from: its longest


def _spread(
    least: list[int],
    natural: list[int],
    headers: Sequence[str],
    table_rows: Sequence[Sequence[str]],
    whole: list[bool],
    room: int,
) -> list[int]:
    """Column widths from `least` up, filling `room` so that the table takes as few lines
    as it can: each step widens the column whose extra columns save the most lines per
    column given (rows are as tall as their tallest cell); what is left goes to the
    columns still short of their longest cell."""
    longest = sorted(table_rows, key=lambda r: -sum(map(len, r)))[:SAMPLE_ROWS]
    rows = [(headers, False), *((row, True) for row in longest)]  # a heading wraps freely
    count = len(least)
    # lines[k][w - least[k]][r]: how many lines row r's cell of column k takes at width w
    lines = [
        [
            [len(_wrap(row[k], w, whole[k] and body)) for row, body in rows]
            for w in range(least[k], max(least[k], natural[k]) + 1)
        ]
        for k in range(count)
    ]
    widths = list(least)

    def at(k: int, w: int) -> list[int]:
        return lines[k][min(w, natural[k]) - least[k]]

    while (spare := room - sum(widths)) > 0:
        current = [at(k, widths[k]) for k in range(count)]
        heights = [max(column[r] for column in current) for r in range(len(rows))]
        total = sum(heights)
        best: tuple[float, int, int] | None = None
        for k in range(count):
            others = [
                max((current[j][r] for j in range(count) if j != k), default=1)
                for r in range(len(rows))
            ]
            for step in range(widths[k] + 1, min(natural[k], widths[k] + spare) + 1):
                saved = total - sum(map(max, others, at(k, step)))
                if saved > 0:
                    ratio = saved / (step - widths[k])
                    if best is None or ratio > best[0]:
                        best = (ratio, k, step)
                    break
        if best is None:
            break
        widths[best[1]] = best[2]
    for k in sorted(range(count), key=lambda k: widths[k] - natural[k]):
        widths[k] += max(0, min(room - sum(widths), natural[k] - widths[k]))
    return widths


def records(headers: Sequence[str], rows: Sequence[Sequence[str]], width: int) -> str:
    """A table too wide for `width` even with its cells wrapped: each row as its headings
    and values, one a line ("Mã: xa-long-khanh-b"), rows apart by a blank line."""
    blocks = []
    for row in rows:
        lines = []
        for heading, cell in zip(headers, row, strict=True):
            if cell:
                lines += fit_line(f"{heading}: {cell}", width, indent="  ")
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


def fit_line(line: str, width: int | None, indent: str = "") -> list[str]:
    """A line of prose in lines of at most `width`, broken after a " · " or " — " where it
    can (a count stays with its word), else between words, never inside a number."""
    if width is None or len(line) <= width:
        return [line]
    groups = re.split(r"(?<= [·—]) ", line)
    wrapped = textwrap.wrap(
        " ".join(_unbreakable(g).replace(" ", NO_BREAK) for g in groups),
        width,
        subsequent_indent=indent,
        break_long_words=False,
        break_on_hyphens=False,
    )
    if any(len(part) > width for part in wrapped):  # a group longer than a line: by words
        wrapped = textwrap.wrap(
            _unbreakable(line),
            width,
            subsequent_indent=indent,
            break_long_words=False,
            break_on_hyphens=False,
        )
    return [part.replace(NO_BREAK, " ") for part in wrapped]
