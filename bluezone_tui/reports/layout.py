"""How the report's tables go on a page, decided from their words, for every renderer that
sets the report on paper (the Word document; a PDF would take the same decisions).

A renderer gives its page (the room between the margins, portrait and landscape, and
what a cell adds to its text) and how wide its face sets a text; `fit_tables` gives back
each table's type size, orientation and column widths, `keeps_with_next` (or
`kept_spans`) which rows stay together, so that a heading is never left at a page's foot
and a short table is never split, and `header_layout` the header's two columns, so that
the motto ends 15-20 mm from the page's right edge (Decree 30).

Widths are measured with Times New Roman's advance widths (the Decree 30 font), so a
column is as wide as its words need: a figure is never broken, a heading wraps onto
two lines at most while a name column has room to give, and what is left goes to the
columns whose lines are longest.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from bluezone_tui.reports.content import ReportContent, Table

# Type sizes of tables, largest first: the first that fits is used (portrait, then landscape).
TABLE_SIZES = (12.0, 11.0, 10.0)
LANDSCAPE_SIZES = (12.0, 11.0, 10.0, 9.0)
# A table of at most this many rows is kept on one page with its heading; a longer one
# starts with its header row and at least KEEP_LEAD rows, and ends with KEEP_TAIL rows
# together (and its footnote), so no page holds a lone row of it.
KEEP_WHOLE = 20
KEEP_LEAD = 3
KEEP_TAIL = 2

# Times New Roman advance widths in 1/1000 em (Adobe's Times-Roman and Times-Bold metrics,
# which Times New Roman and Liberation Serif share), to size columns before Word does.
_ROMAN = {
    **dict.fromkeys("0123456789", 500),
    **dict(zip("abcdefghijklmnopqrstuvwxyz", (444, 500, 444, 500, 444, 333, 500, 500, 278, 278,
                                               500, 278, 778, 500, 500, 500, 500, 333, 389, 278,
                                               500, 500, 722, 500, 500, 444), strict=True)),
    **dict(zip("ABCDEFGHIJKLMNOPQRSTUVWXYZ", (722, 667, 667, 722, 611, 556, 722, 722, 333, 389,
                                               722, 611, 889, 722, 722, 556, 722, 667, 556, 611,
                                               722, 722, 944, 722, 722, 611), strict=True)),
    " ": 250, ".": 250, ",": 250, ":": 278, ";": 278, "!": 333, "?": 444, "'": 180, '"': 408,
    "(": 333, ")": 333, "[": 333, "]": 333, "-": 333, "–": 500, "—": 1000, "/": 278, "+": 564,
    "%": 833, "*": 500, "&": 778, "#": 500, "@": 921, "=": 564, "_": 500,
}  # fmt: skip
_BOLD = {
    **dict.fromkeys("0123456789", 500),
    **dict(zip("abcdefghijklmnopqrstuvwxyz", (500, 556, 444, 556, 444, 333, 500, 556, 278, 333,
                                               556, 278, 833, 556, 500, 556, 556, 444, 389, 333,
                                               556, 500, 722, 500, 500, 444), strict=True)),
    **dict(zip("ABCDEFGHIJKLMNOPQRSTUVWXYZ", (722, 667, 722, 722, 667, 611, 778, 778, 389, 500,
                                               778, 667, 944, 722, 778, 611, 778, 722, 556, 667,
                                               722, 722, 1000, 722, 722, 667), strict=True)),
    " ": 250, ".": 250, ",": 250, ":": 333, ";": 333, "!": 333, "?": 500, "'": 278, '"': 555,
    "(": 333, ")": 333, "[": 333, "]": 333, "-": 333, "–": 500, "—": 1000, "/": 278, "+": 570,
    "%": 1000, "*": 500, "&": 833, "#": 500, "@": 930, "=": 570, "_": 500,
}  # fmt: skip
_HORN = ("\u031b", 33, 48)  # ơ, ư: the horn widens its letter (roman, bold), as measured
SAFETY = 1.04  # kerning, hinting and the odd glyph not in the tables

# A text's width in 1/1000 em (bold or not), as the renderer's face sets it: exactly;
# the layout adds SAFETY where a line must not wrap.
Measure = Callable[[str, bool], float]


@lru_cache(maxsize=8192)
def em_width(text: str, bold: bool = False, safety: float = SAFETY) -> float:
    """How wide `text` is in Times New Roman, in 1/1000 em (diacritics take no width),
    with a margin of `safety` for what the tables do not know (1: as measured)."""
    widths = _BOLD if bold else _ROMAN
    horn = _HORN[2] if bold else _HORN[1]
    total = 0
    for char in unicodedata.normalize("NFD", text):
        if unicodedata.combining(char):
            total += horn if char == _HORN[0] else 0
            continue
        base = {"đ": "d", "Đ": "D"}.get(char, char)
        total += widths.get(base, 722 if base.isupper() else 556)
    return total * safety


def width_pt(text: str, size: float, bold: bool = False, safety: float = SAFETY) -> float:
    return em_width(text, bold, safety) * size / 1000


def exact_em(text: str, bold: bool = False) -> float:
    """Times New Roman's width of `text` as it is set (the Word report's Measure)."""
    return em_width(text, bold, 1.0)


@dataclass(frozen=True, slots=True)
class PageRoom:
    """A renderer's page: points between the margins, and what a cell adds to its text."""

    portrait: float
    landscape: float
    cell_padding: float  # both cell margins and a border, in points

    def room(self, landscape: bool) -> float:
        return self.landscape if landscape else self.portrait


@dataclass(frozen=True, slots=True)
class TableFit:
    """How a table goes on the page: orientation, type size, and its parts' column widths."""

    landscape: bool
    size: float
    parts: tuple[tuple[tuple[int, ...], tuple[float, ...]], ...]  # (columns, widths in pt)


@dataclass(frozen=True, slots=True)
class ColumnNeeds:
    """Per column, in 1/1000 em: its longest word (a figure is one word), its header on
    two lines, its longest name or figure on one line, and its header on one line."""

    least: tuple[float, ...]
    header_two_lines: tuple[float, ...]
    unwrapped: tuple[float, ...]
    header: tuple[float, ...]

    def at(self, size: float, padding: float) -> ColumnNeeds:
        """The same widths in points at `size`, with the cell's padding."""
        return ColumnNeeds(
            *(
                tuple(w * size / 1000 + padding for w in widths)
                for widths in (self.least, self.header_two_lines, self.unwrapped, self.header)
            )
        )


# A word of a name or a text longer than this (1/1000 em; about 16 letters) is broken
# inside, at the cell's edge, rather than widening its column to the page's width: one
# bad name must not turn a table to a landscape page. A figure or a phone is never broken.
LONG_WORD_EM = 8000.0


def _words(value: str, whole: bool) -> list[str]:
    """What a line may not break: a figure or a phone whole ("+1.234", "0277 3800 105"),
    else words."""
    return [value] if whole else value.split() or [""]


def _two_lines(header: str, measure: Measure) -> float:
    """The narrowest width that holds `header` (bold) on at most two lines."""
    words = header.split()
    if len(words) < 2:
        return measure(header, True)
    return min(
        max(measure(" ".join(words[:i]), True), measure(" ".join(words[i:]), True))
        for i in range(1, len(words))
    )


def column_needs(table: Table, measure: Measure = exact_em) -> ColumnNeeds:
    """What each column of `table` needs, measured with `measure` and SAFETY more."""

    def wide(text: str, bold: bool) -> float:
        return measure(text, bold) * SAFETY

    return _needs(table, wide)


def _needs(table: Table, measure: Measure) -> ColumnNeeds:
    count = len(table.headers)
    least = [max(measure(w, True) for w in h.split() or [""]) for h in table.headers]
    unwrapped = [0.0] * count
    for values in table.rows:
        for column, value in enumerate(values):
            width = measure(value, False)
            if width > least[column]:  # a cell no wider than its column's longest word
                whole = table.whole(column)
                words = _words(value, whole)  # holds no longer word
                longest = max(measure(w, False) for w in words)
                cap = longest if whole else max(min(longest, LONG_WORD_EM), least[column])
                least[column] = max(least[column], cap)
            if width > unwrapped[column]:
                unwrapped[column] = width
    two_lines = [max(_two_lines(h, measure), m) for h, m in zip(table.headers, least, strict=True)]
    header = [max(measure(h, True), m) for h, m in zip(table.headers, least, strict=True)]
    unwrapped = [max(u, m) for u, m in zip(unwrapped, least, strict=True)]
    return ColumnNeeds(tuple(least), tuple(two_lines), tuple(unwrapped), tuple(header))


def column_widths(need: ColumnNeeds, columns: Sequence[int], room: float) -> tuple[float, ...]:
    """Widths (in `need`'s unit) that fill `room`. Each column starts at its longest word;
    what is left goes first to headers that would take three lines or more (down to two),
    then to names and figures that would wrap, then to headers that would, each time the
    smallest want first (a short "08:33 đúng hạn" stays on one line, a long name wraps);
    anything still left widens every column alike."""
    widths = [need.least[i] for i in columns]
    for wanted in (need.header_two_lines, need.unwrapped, need.header):
        lacking = sorted(
            (wanted[i] - widths[k], k) for k, i in enumerate(columns) if wanted[i] > widths[k]
        )
        for lack, k in lacking:
            spare = room - sum(widths)
            if spare <= 0:
                break
            widths[k] += min(lack, spare)
    spare = room - sum(widths)
    if spare > 0:
        total = sum(widths)
        widths = [w + spare * w / total for w in widths]
    return tuple(widths)


def fit_table(
    table: Table, needs: ColumnNeeds, page: PageRoom, largest: float = TABLE_SIZES[0]
) -> TableFit:
    """Portrait if it fits, in the largest type (up to `largest`) that keeps every name and
    figure on one line, else the largest with names wrapped; then the same in landscape;
    else split into parts that each repeat the key columns (STT and the unit's name)."""
    columns = tuple(range(len(table.headers)))
    pad = page.cell_padding
    for landscape, sizes in ((False, TABLE_SIZES), (True, LANDSCAPE_SIZES)):
        room = page.room(landscape)
        at_sizes = [(size, needs.at(size, pad)) for size in sizes if size <= largest]
        for size, need in at_sizes:
            if sum(need.unwrapped) <= room:
                return TableFit(landscape, size, ((columns, column_widths(need, columns, room)),))
        for size, need in at_sizes:
            if sum(need.least) <= room:
                return TableFit(landscape, size, ((columns, column_widths(need, columns, room)),))
    size = LANDSCAPE_SIZES[-1]
    room = page.room(True)
    need = needs.at(size, pad)
    keys = columns[: table.key_columns]
    # the repeated columns keep room for a name on a line or two, up to a third of the page
    key_room = max(
        sum(need.least[i] for i in keys), min(sum(need.unwrapped[i] for i in keys), room / 3)
    )
    others = list(columns[table.key_columns :])
    parts: list[list[int]] = []
    current: list[int] = []
    used = key_room
    for column in others:
        if current and used + need.least[column] > room:
            parts.append(current)
            current, used = [], key_room
        current.append(column)
        used += need.least[column]
    parts.append(current)
    # as many columns in each part as that many parts allow, if each part still fits
    per_part = -(-len(others) // len(parts))
    even = [others[i : i + per_part] for i in range(0, len(others), per_part)]
    if len(even) == len(parts) and all(
        key_room + sum(need.least[i] for i in part) <= room for part in even
    ):
        parts = even
    return TableFit(
        True,
        size,
        tuple(((*keys, *part), column_widths(need, (*keys, *part), room)) for part in parts),
    )


def fit_tables(
    tables: Sequence[Table], page: PageRoom, measure: Measure = exact_em
) -> dict[int, TableFit]:
    """Each table's fit, by id(): one type size for every portrait table, the largest that
    the widest of them allows, so the report does not change type from table to table."""
    needs = {id(table): column_needs(table, measure) for table in tables}
    largest = min(
        (
            fit.size
            for fit in (fit_table(t, needs[id(t)], page) for t in tables)
            if not fit.landscape
        ),
        default=TABLE_SIZES[0],
    )
    return {id(t): fit_table(t, needs[id(t)], page, largest) for t in tables}


def keeps_with_next(row: int, rows: int, *, last_keeps: bool) -> bool:
    """Whether table row `row` (0: the header row, then 1…`rows`) stays on the page of the
    row after it: every row of a short table (KEEP_WHOLE rows or fewer); the header row
    and the first rows of a long one, and its last rows. The last row keeps with what
    follows when `last_keeps` (a footnote, the closing lines)."""
    if row >= rows:
        return last_keeps
    if rows <= KEEP_WHOLE:
        return True
    return row < KEEP_LEAD or row >= rows - KEEP_TAIL + 1


def tail_start(rows: int, *, last_keeps: bool) -> int | None:
    """The first of a long table's last rows (1…`rows`) that keep with what follows, for a
    renderer that keeps a table with the next only when the whole table keeps (LibreOffice
    reading Word's file): those rows go in a table of their own. None: no such tail."""
    if rows <= KEEP_WHOLE or not last_keeps:
        return None
    return rows - KEEP_TAIL + 1


def kept_spans(rows: int, *, last_keeps: bool = False) -> list[tuple[int, int]]:
    """The runs of rows (first, last; 0 is the header row) that keeps_with_next holds on one
    page, for a renderer that keeps spans rather than rows (ReportLab's NOSPLIT); the last
    row's keeping with what follows is the renderer's own (`last_keeps`)."""
    spans: list[tuple[int, int]] = []
    start = None
    for row in range(rows + 1):
        keeps = row < rows and keeps_with_next(row, rows, last_keeps=last_keeps)
        if keeps and start is None:
            start = row
        if not keeps and start is not None:
            spans.append((start, row))  # the row after the last that keeps goes with it
            start = None
    return spans


# ----------------------------------------------------------------------------- the header

ISSUER_PT = (13.0, 12.0)  # the body above the issuer and the issuer: 12-13 pt
MOTTO_PT = (12, 13)  # "CỘNG HÒA …" 12-13 pt, "Độc lập - Tự do - Hạnh phúc" 13-14 pt
DATE_PT = (14, 13)  # the place and date, italic: 13-14 pt
MOTTO_SLACK_PT = 4 * 72 / 25.4  # the motto's column beyond the motto: it ends ~17 mm in


@dataclass(frozen=True, slots=True)
class HeaderLayout:
    """The header's two columns (points), the issuer's type size and lines, and the size of
    the place and date."""

    left: float
    right: float
    issuer_size: float
    authority: tuple[str, ...]
    issuer: tuple[str, ...]
    date_size: float


def header_layout(
    content: ReportContent, room: float, measure: Measure = exact_em, padding: float = 0.0
) -> HeaderLayout:
    """Issuer | motto between the margins (`room` points; `padding`: what a cell adds).

    The motto's column is as wide as the motto and MOTTO_SLACK_PT more, so that the motto,
    centred in it, ends about 17 mm from the page's right edge (Decree 30: 15-20 mm); the
    place and date under it in 14 pt, else 13 pt. The issuer's column takes the rest; an
    issuer too long for it is set in 12 pt, then broken into balanced lines ("ỦY BAN NHÂN
    DÂN" / "HUYỆN HỒNG NGỰ"), never wrapped one word short.
    """

    def pt(text: str, size: float, bold: bool = False, safety: float = SAFETY) -> float:
        return measure(text, bold) * safety * size / 1000

    motto = (
        MOTTO_SLACK_PT
        + padding
        + max(
            pt(content.motto[0], MOTTO_PT[0], True, 1.0),
            pt(content.motto[1], MOTTO_PT[1], True, 1.0),
        )
    )
    date_size = next(
        (s for s in DATE_PT if pt(content.place_and_date, s) + padding <= motto), DATE_PT[-1]
    )
    right = min(max(motto, pt(content.place_and_date, date_size) + padding), room * 0.6)
    left = room - right
    inner = left - padding
    size = next(
        (
            size
            for size in ISSUER_PT
            if max(pt(content.authority, size), pt(content.issuer, size, True)) <= inner
        ),
        ISSUER_PT[-1],
    )

    def lines(text: str, bold: bool) -> tuple[str, ...]:
        """`text` on one line if it fits, else in two where the longer line is shortest."""
        words = text.split()
        if not words or pt(text, size, bold) <= inner:
            return (text,) if words else ()
        splits = [(" ".join(words[:i]), " ".join(words[i:])) for i in range(1, len(words))]
        return min(splits, key=lambda pair: max(pt(part, size, bold) for part in pair))

    return HeaderLayout(
        left, right, size, lines(content.authority, False), lines(content.issuer, True), date_size
    )
