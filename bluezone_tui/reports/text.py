"""The consolidated report in Vietnamese, in the administrative layout of Decree 30/2020.

Plain text for a monospace font, laid out from the report's content (report_content.py,
which the Word report lays out too): issuer and national motto side by side, the
number and the place-and-date line, the title, the sections' sentences wrapped at 78
columns, tables in tabulate's "simple" layout
(plain_table.py). Numbers in Vietnamese format (6.090; 5,05%).
"""

from __future__ import annotations

import re
import textwrap
import unicodedata

from bluezone_tui.base.safe_text import UNSAFE_CHARACTERS, printable, printable_lines
from bluezone_tui.day.consolidate import Consolidation
from bluezone_tui.registry.model import Registry
from bluezone_tui.reports.content import (
    Heading,
    ItemList,
    Paragraph,
    ReportContent,
    Section,
    Table,
    build_content,
)
from bluezone_tui.reports.plain_table import simple_table
from bluezone_tui.reports.terminal_text import fit_line
from bluezone_tui.reports.terminal_text import table as terminal_table

WIDTH = 78
HEADER_LEFT = 36  # the issuer's column: "ỦY BAN NHÂN DÂN HUYỆN HỒNG NGỰ" on one line


def render_text(consolidation: Consolidation, registry: Registry) -> str:
    return render_content(build_content(consolidation, registry))


def render_content(content: ReportContent, width: int | None = None) -> str:
    """Any report's content in this layout (the district's day, the province's ranking).
    With a terminal's `width` narrower than the layout, its tables and lines are fitted
    to it as `status` fits its own (reports/terminal_text.py): never a figure cut."""
    out = _header(content)
    for section in content.sections:
        out += _section(section, width)
    # Closing: "Nơi nhận:" on the left, the signer on the right with room to sign
    copies = ("Nơi nhận:", *(f"- {line}" for line in content.copies_to))
    signer = content.signer_title + ("", "", "", content.signer_name)
    out += _two_columns(copies, signer, left_width=30, left_align=True)
    # what the data said, made safe to show; a table's cells were, one by one (_section):
    # the isolates around a right-to-left name are ours, and stay
    text = "\n".join(part if isinstance(part, _Shown) else printable_lines(part) for part in out)
    if width is not None:
        text = "\n".join(
            part for line in text.split("\n") for part in (fit_line(line, width) or [""])
        )
    return text.rstrip() + "\n"


def _header(content: ReportContent) -> list[str]:
    out: list[str] = []
    issuer = tuple(_wrap_to(content.authority, HEADER_LEFT)) + tuple(
        _wrap_to(content.issuer, HEADER_LEFT)
    )
    out += _two_columns(issuer, content.motto, left_width=HEADER_LEFT)
    out += _two_columns(("―――――",), ("―――――――――――――――",), left_width=HEADER_LEFT)
    out.append("")
    out += _two_columns((content.number,), (content.place_and_date,), left_width=HEADER_LEFT)
    out.append("")
    out.append(content.title.center(WIDTH).rstrip())
    out += [line.center(WIDTH).rstrip() for line in content.subject]
    out.append("")
    if content.recipients:
        out += _wrap("Kính gửi: " + "; ".join(content.recipients) + ".")
        out.append("")
    return out


class _Shown(str):
    """Lines already safe to show: a table whose every cell was escaped before it was laid
    out (so a right-to-left name's isolates, added after, are the report's own)."""


def _safe(cell: str) -> str:
    return cell if cell.isascii() and cell.isprintable() else printable(cell)


def _laid_out(cell: str) -> str:
    """A table cell as the report shows it: escaped (_safe), then isolated if it holds
    right-to-left letters; one search tells the (nearly all) cells that need neither."""
    if cell.isascii():
        return cell if cell.isprintable() else printable(cell)
    if _ESCAPED_OR_ISOLATED.search(cell) is None:
        return cell
    return isolated(printable(cell))


def _section(section: Section, width: int | None = None) -> list[str]:
    """The title, then each block; a blank line after a table, a list, or a run of
    sentences."""
    out = [section.title]
    in_sentences = False
    for block in section.blocks:
        if isinstance(block, Paragraph):
            out += _wrap(block.text)
            in_sentences = True
            continue
        if in_sentences:
            out.append("")
            in_sentences = False
        if isinstance(block, Heading):
            out.append(block.text)
        elif isinstance(block, Table):
            headers = [_safe(cell) for cell in block.headers]
            rows = [[_laid_out(cell) for cell in row] for row in block.rows]
            shown = simple_table(rows, headers, block.numeric)
            if width is not None and max(map(len, shown.split("\n"))) > width:
                align = ["right" if n else "left" for n in block.numeric]
                cells = [[_safe(cell) for cell in row] for row in block.rows]
                shown = terminal_table(headers, cells, align, width)
            out.append(_Shown(shown))
            if block.footnote:
                out += _wrap(block.footnote)
            out.append("")
        elif isinstance(block, ItemList):
            out.append(block.title)
            for item in block.items:
                out += _wrap(f"- {item}", indent="  ")
            out.append("")
    if in_sentences:
        out.append("")
    return out


_RIGHT_TO_LEFT = frozenset({"R", "AL", "RLE", "RLO", "RLI"})
# The blocks that hold every character of those classes (a test checks all of Unicode):
# a Vietnamese name is told apart by one search instead of a lookup per letter.
_RIGHT_TO_LEFT_BLOCKS = re.compile(
    "[\u0590-\u08ff\u200f\u202b\u202e\u2067\ufb1d-\ufdff\ufe70-\ufeff"
    "\U00010800-\U00010fff\U0001e800-\U0001efff]"
)


_ESCAPED_OR_ISOLATED = re.compile(f"{UNSAFE_CHARACTERS}|{_RIGHT_TO_LEFT_BLOCKS.pattern}")


def isolated(cell: str) -> str:
    """A cell holding right-to-left letters (a Hebrew or Arabic name) between U+2068 and
    U+2069 (first-strong isolate … pop): else the bidi rules reorder the row around it,
    figures and all. Every other cell as it is (the same bytes)."""
    if (
        cell.isascii()
        or not _RIGHT_TO_LEFT_BLOCKS.search(cell)
        or not any(unicodedata.bidirectional(char) in _RIGHT_TO_LEFT for char in cell)
    ):
        return cell
    return f"\u2068{cell}\u2069"


def _two_columns(
    left: tuple[str, ...],
    right: tuple[str, ...],
    left_width: int = 30,
    left_align: bool = False,
) -> list[str]:
    """Two blocks side by side, each line centred in its column; left_align=True keeps the
    left block's lines flush left (a list such as "Nơi nhận:", "- Như trên;")."""
    lines = []
    for index in range(max(len(left), len(right))):
        a = left[index] if index < len(left) else ""
        b = right[index] if index < len(right) else ""
        a = a.ljust(left_width) if left_align else a.center(left_width)
        lines.append(a + b.center(WIDTH - left_width).rstrip())
    return [line.rstrip() for line in lines]


def _wrap_to(text: str, width: int) -> list[str]:
    return textwrap.wrap(text, width, break_long_words=False, break_on_hyphens=False)


def _wrap(text: str, indent: str = "") -> list[str]:
    """Lines of at most 78 columns; a list item's following lines indented under its text."""
    if len(text) <= WIDTH and text.isprintable() and text == text.strip() and text:
        return [text]  # what textwrap gives a short line without tabs or edge spaces
    return textwrap.wrap(
        text, WIDTH, subsequent_indent=indent, break_long_words=False, break_on_hyphens=False
    ) or [""]
