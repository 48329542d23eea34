"""The consolidated report as a workbook: the CSV's table as typed cells, and the text report.

The table is report_csv.table() itself, so the workbook and the CSV can never hold
different rows; only the way each cell is written differs (see workbook.py). The
workbook is read by people: its headings are Vietnamese (the CSV keeps its machine
names), and `machine_columns` gives back the machine name of each heading, for
`bluezone province`, which reads the workbook as it reads the CSV.

One meaning per name: the CSV's `rate_percent` holds 5.05 (percent units); the
workbook holds a spreadsheet's percentage, 0.0505 shown as 5,05%, so that a formula
over it means what it says (rate × population: the installs, to the rate's rounding;
the exact numerator and denominator have their columns). A different number has a
different name: "Tỷ lệ" in the workbook, `rate` as its machine name, never
`rate_percent`.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

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
# Each of the CSV's fixed columns in the workbook: how it is written, its machine name
# there (the CSV's, but for the rate: a fraction, not percent units) and its heading.
FIXED = {
    "date": (DATE, "date", "Ngày"),
    "unit_id": (TEXT, "unit_id", "Mã đơn vị"),
    "unit_name": (TEXT, "unit_name", "Đơn vị"),
    "group": (TEXT, "group", "Nhóm"),
    "status": (TEXT, "status", "Mã tình trạng"),
    "status_vi": (TEXT, "status_vi", "Tình trạng"),
    "reported_at": (DATETIME, "reported_at", "Giờ báo cáo"),
    "revision": (INTEGER, "revision", "Bản"),
    "installs": (INTEGER, "installs", "Số người đã cài (tính vào toàn huyện)"),
    "population": (INTEGER, "population", "Dân số"),
    "rate_percent": (PERCENT, "rate", "Tỷ lệ"),
    "rate_numerator": (INTEGER, "rate_numerator", "Tử số của tỷ lệ"),
    "rate_denominator": (INTEGER, "rate_denominator", "Mẫu số của tỷ lệ"),
    "installs_change": (INTEGER, "installs_change", "Tăng/giảm so với lần trước"),
    "rank": (INTEGER, "rank", "Hạng trong nhóm"),
    "carried_from": (DATE, "carried_from", "Số liệu của ngày"),
    "note": (TEXT, "note", "Ghi chú"),
    "gso_code": (TEXT, "gso_code", "Mã thống kê"),
}
assert tuple(FIXED) == FIXED_COLUMNS
FROZEN_COLUMNS = FIXED_COLUMNS.index("unit_name") + 1  # the name stays in view


def headings(columns: list[str], registry: Registry) -> list[str]:
    """The workbook's headings: the fixed columns' own, then each form field's label, its
    id beside it where the label alone would be read as another column's (two fields
    sharing a label; a label that is a fixed column's heading or machine name, which
    `machine_columns` would take for that column)."""
    labels: dict[str, str] = {}
    for group in registry.groups:
        for form_field in group.form.fields:
            labels.setdefault(form_field.id, form_field.label)
    shown = [FIXED[c][2] if c in FIXED else labels.get(c, c) for c in columns]
    return [
        f"{heading} ({column})"
        if column not in FIXED and (shown.count(heading) > 1 or heading in _TAKEN)
        else heading
        for heading, column in zip(shown, columns, strict=True)
    ]


_TAKEN = frozenset(
    name for kind, machine, heading in FIXED.values() for name in (machine, heading)
) | frozenset(FIXED)


def machine_columns(header: list[str]) -> list[str]:
    """The machine name of each heading of a "Số liệu" sheet: the fixed columns' names (the
    rate's is `rate`, a fraction); a field's heading, or a name already a machine one, as
    it is. For `bluezone province`, which reads a workbook as it reads the CSV."""
    names = {heading: name for _kind, name, heading in FIXED.values()}
    return [names.get(heading, heading) for heading in header]


def render_xlsx(consolidation: Consolidation, registry: Registry) -> bytes:
    columns, rows = table(consolidation, registry)
    timezone = registry.timezone
    field_types = {f.id: f.type for g in registry.groups for f in g.form.fields}
    kinds = [
        FIXED[c][0] if c in FIXED else INTEGER if field_types.get(c) in ("int", "bool") else TEXT
        for c in columns
    ]
    for cells in rows:
        for index, cell in enumerate(cells):
            if isinstance(cell, datetime):
                cells[index] = local(cell, timezone)
    sheet = Table(
        name=DATA_SHEET,
        headers=headings(columns, registry),
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
