"""The consolidated report as a workbook: the CSV's table as typed cells, and the text report.

The table is report_csv.table() itself, so the workbook and the CSV can never hold
different columns; only the way each cell is written differs (see xlsx.py).
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from bluezone_tui.base.safe_text import printable
from bluezone_tui.base.vn import fmt_date_long
from bluezone_tui.day.consolidate import Consolidation
from bluezone_tui.registry.model import Registry
from bluezone_tui.reports.csv import FIXED_COLUMNS, table
from bluezone_tui.reports.text import render_text
from bluezone_tui.reports.workbook import (
    DATE,
    DATETIME,
    INTEGER,
    PERCENT,
    TEXT,
    Formats,
    Table,
    add_table,
    add_text,
    local,
)
from bluezone_tui.reports.workbook import workbook_bytes as _workbook_bytes

if TYPE_CHECKING:
    from xlsxwriter.workbook import Workbook

DATA_SHEET = "Số liệu"
TEXT_SHEET = "Báo cáo"
WORKBOOK_KIND = "district-report"  # how `bluezone province` knows this workbook
FIXED_KINDS = {
    "date": DATE,
    "reported_at": DATETIME,
    "revision": INTEGER,
    "installs": INTEGER,
    "population": INTEGER,
    "rate_percent": PERCENT,
    "rate_numerator": INTEGER,
    "rate_denominator": INTEGER,
    "installs_change": INTEGER,
    "rank": INTEGER,
    "carried_from": DATE,
}
FROZEN_COLUMNS = FIXED_COLUMNS.index("unit_name") + 1  # the name stays in view


def render_xlsx(consolidation: Consolidation, registry: Registry) -> bytes:
    columns, rows = table(consolidation, registry)
    timezone = registry.timezone
    field_types = {f.id: f.type for g in registry.groups for f in g.form.fields}
    kinds = [
        FIXED_KINDS.get(c, INTEGER if field_types.get(c) in ("int", "bool") else TEXT)
        for c in columns
    ]
    for cells in rows:
        for index, cell in enumerate(cells):
            if isinstance(cell, datetime):
                cells[index] = local(cell, timezone)
            elif isinstance(cell, str):  # as in the CSV: control characters shown escaped
                cells[index] = printable(cell)
    sheet = Table(
        name=DATA_SHEET,
        headers=columns,
        kinds=kinds,
        rows=rows,
        total_rows=frozenset({len(rows) - 1}),
        frozen_columns=FROZEN_COLUMNS,
    )

    def build(workbook: Workbook, formats: Formats) -> None:
        add_table(workbook, formats, sheet)
        add_text(workbook, formats, TEXT_SHEET, render_text(consolidation, registry))

    district = registry.district.name
    now = consolidation.status.now
    assert now is not None  # a report counts the day at a moment (only `check` has none)
    return _workbook_bytes(
        build,
        title=f"Báo cáo cài đặt Bluezone {district} {fmt_date_long(consolidation.day)}",
        kind=WORKBOOK_KIND,
        company=district,
        created=local(now, timezone),  # the same report, the same bytes
    )
