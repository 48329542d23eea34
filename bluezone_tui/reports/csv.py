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

from bluezone_tui.base.safe_text import neutralise, printable
from bluezone_tui.day.consolidate import Consolidation, UnitRow
from bluezone_tui.registry.model import REPORT_COLUMNS, Registry

FIXED_COLUMNS = REPORT_COLUMNS  # the registry refuses a form field of one of these names
TOTAL_ID = "TOTAL"

Cell = str | int | Decimal | date | datetime | None


def header(registry: Registry) -> list[str]:
    """The fixed columns, then every form field once, in the order groups list their forms."""
    columns = list(FIXED_COLUMNS)
    for group in registry.groups:
        for form_field in group.form.fields:
            if form_field.id not in columns:
                columns.append(form_field.id)
    return columns


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
        unit.gso_code or None,
    ]


def _field_columns(columns: list[str], registry: Registry, kind: str) -> list[int]:
    """The figure columns that some form keeps values of this type in."""
    ids = {f.id for group in registry.groups for f in group.form.fields if f.type == kind}
    return [i for i, c in enumerate(columns) if i >= len(FIXED_COLUMNS) and c in ids]


def table(consolidation: Consolidation, registry: Registry) -> tuple[list[str], list[list[Cell]]]:
    """The columns and typed rows (one per unit, then the district's TOTAL) that the CSV
    and the workbook both write. A unit's figure columns are its form's fields (a report
    holds no others), empty for the other forms'; yes/no as 1/0, so that a column of them
    sums to a count."""
    columns = header(registry)
    fields = columns[len(FIXED_COLUMNS) :]
    day = consolidation.day
    rows = []
    for row in consolidation.rows:
        cells = _row(row, day)
        cells += map(row.figures.get, fields)
        rows.append(cells)
    for index in _field_columns(columns, registry, "bool"):
        for cells in rows:
            if cells[index] is not None:
                cells[index] = int(cells[index])  # type: ignore[arg-type]  # a yes/no column holds bools, unless a field of another type shares its id
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
        "gso_code": registry.district.gso_code or None,
    }
    rows.append([total.get(column) for column in columns])
    return columns, rows


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
    # csv.writer writes ids, states, numbers, dates (ISO 8601) and empty cells as they are:
    # only text, the rate and the report's instant are converted, so that 10,000 rows cost
    # little more than csv.writer itself
    texts = [columns.index("unit_name"), columns.index("note")]
    texts += _field_columns(columns, registry, "text")
    rate = columns.index("rate_percent")
    instant = columns.index("reported_at")
    for cells in rows:
        for index in texts:
            if cells[index]:  # escaped (control and bidi characters) and neutralised
                cells[index] = neutralise(printable(cells[index]))  # type: ignore[arg-type]  # a text column holds str, unless a field of another type shares its id
        if cells[rate] is not None:
            cells[rate] = format(cells[rate], "f").replace(".", decimal)
        moment = cells[instant]
        if isinstance(moment, datetime):  # the report's instant, or None
            cells[instant] = moment.isoformat()
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(columns)
    writer.writerows(rows)
    return "\ufeff" + buffer.getvalue()
