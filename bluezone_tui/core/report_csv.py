"""The consolidated report as CSV for the province: one row per unit, then the district total.

Plain machine numbers (6090, 5.05; 5,05 with the ';' of decimal-comma spreadsheets),
ISO dates, UTF-8 with a byte-order mark (so Excel reads the Vietnamese), any
delimiter, each rate with its numerator and denominator, and text cells that could
be read as a formula neutralised with a leading apostrophe. A column holds one
measure, so that a spreadsheet's SUM means something; table() gives the typed rows
that the CSV and the workbook both write.
"""

from __future__ import annotations

import csv
import io
from datetime import date, datetime
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
    "installs",
    "population",
    "rate_percent",
    "rate_numerator",
    "rate_denominator",
    "installs_change",
    "rank",
    "carried_from",
    "note",
)
TOTAL_ID = "TOTAL"
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

Cell = str | int | Decimal | date | datetime | None


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


def _figure(value: object) -> Cell:
    """A figure as a cell: yes/no as 1/0, so that a column of them sums to a count."""
    if isinstance(value, bool):
        return 1 if value else 0
    return value  # type: ignore[return-value]


def _row(row: UnitRow, columns: list[str], day: date) -> list[Cell]:
    status = row.status
    submission = status.submission
    group_rate = row.unit.group.rate
    parts = rate_parts(group_rate, row.unit, row.figures) if group_rate else None
    counted = row.unit.group.counts_in_total  # installs: only what adds up to the district's
    cells: dict[str, Cell] = {
        "date": day,
        "unit_id": row.unit.id,
        "unit_name": row.unit.name,
        "group": row.unit.group.id,
        "status": status.state.code,
        "status_vi": status.state.label,
        "reported_at": submission.reported_at if submission else None,
        "revision": submission.revision if submission else None,
        "installs": row.headline if counted else None,
        "population": row.unit.attributes.get("population"),
        "rate_percent": row.rate,
        "rate_numerator": parts[0] if parts else None,
        "rate_denominator": parts[1] if parts else None,
        "installs_change": row.change if counted else None,
        "rank": row.rank,
        "carried_from": row.carried_from,
        "note": submission.note if submission else None,
    }
    for column in columns[len(FIXED_COLUMNS) :]:
        cells[column] = _figure(row.figures.get(column))
    return [cells.get(column) for column in columns]


def table(consolidation: Consolidation, registry: Registry) -> tuple[list[str], list[list[Cell]]]:
    """The columns and typed rows (one per unit, then the district's TOTAL) that the CSV
    and the workbook both write."""
    columns = header(registry)
    day = consolidation.day
    rows = [_row(row, columns, day) for row in consolidation.rows]
    total: dict[str, Cell] = {
        "date": day,
        "unit_id": TOTAL_ID,
        "unit_name": registry.district.name,
        "group": "district",
        "installs": consolidation.installs,
        "population": consolidation.population,
        "rate_percent": consolidation.rate,
        "rate_numerator": consolidation.installs,
        "rate_denominator": consolidation.population,
        "installs_change": consolidation.change,
    }
    rows.append([total.get(column) for column in columns])
    return columns, rows


def _text(value: Cell, decimal: str) -> str:
    """A cell as CSV text: text escaped (control and bidi characters) and neutralised."""
    if value is None:
        return ""
    if isinstance(value, str):
        return neutralise(printable(value))
    if isinstance(value, Decimal):
        return format(value, "f").replace(".", decimal)
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return str(value)


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
    columns, rows = table(consolidation, registry)
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(columns)
    for cells in rows:
        writer.writerow([_text(cell, decimal) for cell in cells])
    return "\ufeff" + buffer.getvalue()
