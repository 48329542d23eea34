"""Tables in tabulate's "simple" layout, written directly for the common case.

tabulate handles every kind of cell (numbers, multi-line text, colour codes, wide
characters), and pays for it per cell: at 10,000 units it was most of the text
report's time. The report's cells are one-line text whose every character takes one
column; for those this writes the very same lines, and hands anything else to
tabulate, so the output never differs.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from itertools import chain

from tabulate import tabulate
from wcwidth import wcswidth

GAP = "  "  # between columns
MIN_PADDING = 2  # a column is at least its heading and two more characters wide


@lru_cache(maxsize=4096)
def _one_column_each(text: str) -> bool:
    """Whether every character of `text` takes exactly one terminal column, on one line."""
    if text.isascii():
        return text.isprintable()
    return "\n" not in text and wcswidth(text) == len(text)


def _plain(cell: object) -> bool:
    return isinstance(cell, str) and _one_column_each(cell)


def _all_plain(rows: Sequence[Sequence[str]]) -> bool:
    """Every cell _plain; each different cell asked once (a column of statuses or dates
    holds a few values many times)."""
    try:
        cells = set(chain.from_iterable(rows))
    except TypeError:  # not text: tabulate's
        return False
    return all(map(_plain, cells))


def simple_table(
    rows: Sequence[Sequence[str]], headers: Sequence[str], right: Sequence[bool]
) -> str:
    """What tabulate(rows, headers, tablefmt="simple", colalign=…, disable_numparse=True)
    writes, `right[i]` saying whether column i is right-aligned."""
    count = len(headers)
    if (
        not rows
        or len(right) != count
        or any(len(row) != count for row in rows)
        or not all(_plain(h) for h in headers)
        or not _all_plain(rows)
    ):
        return tabulate(
            [list(row) for row in rows],
            headers=list(headers),
            tablefmt="simple",
            colalign=tuple("right" if r else "left" for r in right),
            disable_numparse=True,
        )
    rows = [[cell.strip() for cell in row] for row in rows]  # as tabulate: cells trimmed
    widths = [
        max(len(header) + MIN_PADDING, max(map(len, column)))
        for header, column in zip(headers, zip(*rows, strict=True), strict=True)
    ]
    plan = [(str.rjust if r else str.ljust, width) for r, width in zip(right, widths, strict=True)]

    def line(cells: Sequence[str]) -> str:
        return GAP.join(
            [justify(cell, width) for (justify, width), cell in zip(plan, cells, strict=True)]
        ).rstrip()

    out = [line(headers), GAP.join("-" * width for width in widths)]
    out += [line(row) for row in rows]
    return "\n".join(out)
