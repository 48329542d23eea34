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
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal

from .consolidate import Consolidation, UnitRow
from .registry import Form, Registry
from .safe_text import printable
from .submission import Value

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


def _row(row: UnitRow, day: date) -> list[Cell]:
    """A unit's fixed cells, in the order of FIXED_COLUMNS."""
    status = row.status
    submission = status.submission
    unit = row.unit
    counted = unit.group.counts_in_total  # installs: only what adds up to the district's
    return [
        day,
        unit.id,
        unit.name,
        unit.group.id,
        status.state.code,
        status.state.label,
        submission.reported_at if submission else None,
        submission.revision if submission else None,
        row.headline if counted else None,
        unit.attributes.get("population"),
        row.rate,
        row.rate_numerator,
        row.rate_denominator,
        row.change if counted else None,
        row.rank,
        row.carried_from,
        submission.note if submission else None,
    ]


def _figure_cells(form: Form, fields: list[str]) -> Callable[[dict[str, Value]], list[Cell]]:
    """The figure columns of a row of this form: its own fields' values (yes/no as 1/0, so
    that a column of them sums to a count), empty for the other forms' fields."""
    position = {field_id: index for index, field_id in enumerate(fields)}
    places = [(position[f.id], f.id, f.type == "bool") for f in form.fields if f.id in position]

    def cells(figures: dict[str, Value]) -> list[Cell]:
        out: list[Cell] = [None] * len(fields)
        for index, field_id, is_bool in places:
            value = figures.get(field_id)
            out[index] = int(value) if is_bool and value is not None else value  # type: ignore[assignment]
        return out

    return cells


def table(consolidation: Consolidation, registry: Registry) -> tuple[list[str], list[list[Cell]]]:
    """The columns and typed rows (one per unit, then the district's TOTAL) that the CSV
    and the workbook both write."""
    columns = header(registry)
    fields = columns[len(FIXED_COLUMNS) :]
    day = consolidation.day
    by_form = {group.form.id: _figure_cells(group.form, fields) for group in registry.groups}
    rows = [_row(row, day) + by_form[row.unit.form.id](row.figures) for row in consolidation.rows]
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


def _needs_text(columns: list[str], registry: Registry) -> list[int]:
    """The columns whose cells csv.writer would not write right by itself: text (escaped and
    neutralised), rates (the decimal mark), instants (ISO 8601). Ids, states, numbers,
    dates and empty cells it writes as they are, so 10,000 rows cost what csv.writer costs."""
    numeric = {"int", "bool"}
    field_types: dict[str, set[str]] = {}
    for group in registry.groups:
        for form_field in group.form.fields:
            field_types.setdefault(form_field.id, set()).add(form_field.type)
    fixed = ("unit_name", "reported_at", "rate_percent", "note")
    return [
        index
        for index, column in enumerate(columns)
        if column in fixed
        or (index >= len(FIXED_COLUMNS) and not field_types.get(column, set()) <= numeric)
    ]


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
    converted = _needs_text(columns, registry)
    for cells in rows:
        for index in converted:
            value = cells[index]
            if value is not None:
                cells[index] = _text(value, decimal)
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(columns)
    writer.writerows(rows)
    return "\ufeff" + buffer.getvalue()
