"""The consolidated report as CSV for the province: one row per unit, then the district total.

Plain machine numbers (6090, 5.05; 5,05 with the ';' of decimal-comma spreadsheets),
ISO dates, UTF-8 with a byte-order mark (so Excel reads the Vietnamese), any
delimiter, each rate with its numerator and denominator, and text cells that could
be read as a formula neutralised with a leading apostrophe.
"""

from __future__ import annotations

import csv
import io
from decimal import Decimal

from .consolidate import Consolidation, UnitRow, rate_parts
from .registry import Registry
from .safe_text import printable

FIXED_COLUMNS = (
    "date",
    "unit_id",
    "unit_name",
    "group",
    "status",
    "status_vi",
    "reported_at",
    "revision",
    "headline",
    "population",
    "rate_percent",
    "rate_numerator",
    "rate_denominator",
    "change",
    "rank",
    "carried_from",
    "note",
)
TOTAL_ID = "TOTAL"
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def header(registry: Registry) -> list[str]:
    """The fixed columns, then every form field once, in the order groups list their forms."""
    columns = list(FIXED_COLUMNS)
    for group in registry.groups:
        for form_field in group.form.fields:
            if form_field.id not in columns:
                columns.append(form_field.id)
    return columns


def neutralise(text: str) -> str:
    """A text cell that a spreadsheet would run as a formula gets a leading apostrophe."""
    if text.startswith(_FORMULA_STARTS):
        return "'" + text
    return text


def default_decimal(delimiter: str) -> str:
    """The decimal mark that goes with a delimiter: ';' is the choice of spreadsheets whose
    locale writes decimals with a comma (Vietnamese among them), and they read 5.05 as text."""
    return "," if delimiter == ";" else "."


def _number(value: object, decimal: str = ".") -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, Decimal):
        return format(value, "f").replace(".", decimal)
    return str(value)


def _text(value: str) -> str:
    """A text cell: control and bidi characters shown escaped, formulas neutralised."""
    return neutralise(printable(value))


def _row(row: UnitRow, columns: list[str], decimal: str) -> list[str]:
    status = row.status
    submission = status.submission
    group_rate = row.unit.group.rate
    parts = rate_parts(group_rate, row.unit, row.figures) if group_rate else None
    cells: dict[str, str] = {
        "unit_id": row.unit.id,
        "unit_name": _text(row.unit.name),
        "group": row.unit.group.id,
        "status": status.state.code,
        "status_vi": status.state.label,
        "reported_at": submission.reported_at.isoformat() if submission else "",
        "revision": str(submission.revision) if submission else "",
        "headline": _number(row.headline),
        "population": _number(row.unit.attributes.get("population")),
        "rate_percent": _number(row.rate, decimal),
        "rate_numerator": _number(parts[0]) if parts else "",
        "rate_denominator": _number(parts[1]) if parts else "",
        "change": _number(row.change),
        "rank": _number(row.rank),
        "carried_from": row.carried_from.isoformat() if row.carried_from else "",
        "note": _text(submission.note) if submission else "",
    }
    for column in columns[len(FIXED_COLUMNS) :]:
        value = row.figures.get(column)
        cells[column] = _text(value) if isinstance(value, str) else _number(value)
    return [cells.get(column, "") for column in columns]


def render_csv(
    consolidation: Consolidation,
    registry: Registry,
    delimiter: str = ",",
    decimal: str | None = None,
) -> str:
    """The whole CSV as text, starting with the byte-order mark.

    decimal: the decimal mark of rates ("." or ","); by default the one that goes with
    the delimiter (see default_decimal).
    """
    decimal = decimal or default_decimal(delimiter)
    columns = header(registry)
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(columns)
    day = consolidation.day.isoformat()
    for row in consolidation.rows:
        cells = _row(row, columns, decimal)
        cells[0] = day
        writer.writerow(cells)
    total = dict.fromkeys(columns, "")
    total.update(
        {
            "date": day,
            "unit_id": TOTAL_ID,
            "unit_name": _text(registry.district.name),
            "group": "district",
            "headline": str(consolidation.installs),
            "population": str(consolidation.population),
            "rate_percent": _number(consolidation.rate, decimal),
            "rate_numerator": str(consolidation.installs),
            "rate_denominator": str(consolidation.population),
            "change": _number(consolidation.change),
        }
    )
    writer.writerow([total[column] for column in columns])
    return "\ufeff" + buffer.getvalue()
