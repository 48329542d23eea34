"""The consolidated report as CSV for the province: one row per unit, then the district total.

Plain machine numbers (6090, 5.05; 5,05 with the ';' of decimal-comma spreadsheets),
ISO dates, UTF-8 with a byte-order mark (so Excel reads the Vietnamese), any
delimiter, each rate with its numerator and denominator, and text cells that could
be read as a formula neutralised with a leading apostrophe.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
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


def _rate(value: Decimal | None, decimal: str) -> str | None:
    return None if value is None else format(value, "f").replace(".", decimal)


def _text(value: str) -> str:
    """A text cell: control and bidi characters shown escaped, formulas neutralised."""
    return neutralise(printable(value))


def _row(row: UnitRow, day: str, decimal: str) -> list[object]:
    """A unit's fixed cells, in the order of FIXED_COLUMNS; numbers as numbers and None
    (an empty cell) for csv.writer to write."""
    status = row.status
    submission = status.submission
    unit = row.unit
    return [
        day,
        unit.id,
        _text(unit.name),
        unit.group.id,
        status.state.code,
        status.state.label,
        submission.reported_at.isoformat() if submission else None,
        submission.revision if submission else None,
        row.headline,
        unit.attributes.get("population"),
        _rate(row.rate, decimal),
        row.rate_numerator,
        row.rate_denominator,
        row.change,
        row.rank,
        row.carried_from,  # a date: written as YYYY-MM-DD
        _text(submission.note) if submission else None,
    ]


def _figure_cells(form: Form, fields: list[str]) -> Callable[[dict[str, Value]], list[object]]:
    """The figure columns of a row of this form: its own fields' values (booleans 1/0, text
    made safe), empty for the other forms' fields."""
    places = [(fields.index(f.id), f) for f in form.fields]

    def cells(figures: dict[str, Value]) -> list[object]:
        out: list[object] = [None] * len(fields)
        for position, form_field in places:
            value = figures.get(form_field.id)
            if value is None or form_field.type == "int":
                out[position] = value
            elif form_field.type == "bool":
                out[position] = int(value)
            else:
                out[position] = _text(value)  # type: ignore[arg-type]
        return out

    return cells


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
    fields = columns[len(FIXED_COLUMNS) :]
    day = consolidation.day.isoformat()
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(columns)
    by_form = {group.form.id: _figure_cells(group.form, fields) for group in registry.groups}
    writer.writerows(
        _row(row, day, decimal) + by_form[row.unit.form.id](row.figures)
        for row in consolidation.rows
    )
    total = dict.fromkeys(columns, "")
    total.update(
        {
            "date": day,
            "unit_id": TOTAL_ID,
            "unit_name": _text(registry.district.name),
            "group": "district",
            "headline": consolidation.installs,
            "population": consolidation.population,
            "rate_percent": _rate(consolidation.rate, decimal),
            "rate_numerator": consolidation.installs,
            "rate_denominator": consolidation.population,
            "change": consolidation.change,
        }
    )
    writer.writerow(total.values())
    return "\ufeff" + buffer.getvalue()
