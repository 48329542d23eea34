"""The day's figures as a DHIS2 data value set (CSV), for the province's DHIS2 instance.

The mapping lives in units.yaml: a unit's `dhis2:` is its organisation unit and a form
field's `dhis2:` its data element (a code, or a UID). One row per unit and mapped field
that the unit reported for the day, as the unit typed it; a unit counted with an
earlier day's figures sends nothing for this day. Period: the day, `yyyyMMdd`.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from bluezone_tui.base.problems import RefusedError
from bluezone_tui.day.consolidate import Consolidation, UnitRow
from bluezone_tui.day.submission import Submission, Value
from bluezone_tui.registry.model import DHIS2_DUPLICATE, Field, Registry

COLUMNS = (
    "dataelement",
    "period",
    "orgunit",
    "categoryoptioncombo",
    "attributeoptioncombo",
    "value",
    "storedby",
    "lastupdated",
    "comment",
    "followup",
    "deleted",
)


@dataclass(frozen=True, slots=True)
class DataValue:
    data_element: str
    period: str
    org_unit: str
    value: str
    stored_by: str
    last_updated: str
    comment: str

    def cells(self) -> list[str]:
        # empty option combos: DHIS2's default category and attribute option combos
        return [
            self.data_element,
            self.period,
            self.org_unit,
            "",
            "",
            self.value,
            self.stored_by,
            self.last_updated,
            self.comment,
            "false",
            "false",
        ]


def period(consolidation: Consolidation) -> str:
    """DHIS2's daily period: 20200820."""
    return consolidation.day.strftime("%Y%m%d")


def _value(value: Value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _mapped_fields(row: UnitRow) -> list[Field]:
    return [f for f in row.unit.form.fields if f.dhis2]


def _comment(submission: Submission, form_field: Field, headline: Field) -> str:
    """The unit's note goes with the figure it explains: a field whose warning the note
    confirmed (a cumulative figure that went down), else the form's main figure."""
    if not submission.note:
        return ""
    explained = {code.partition(":")[2] for code in submission.confirmed_warnings}
    explained.discard("")
    if explained:
        return submission.note if form_field.id in explained else ""
    return submission.note if form_field is headline else ""


def data_values(consolidation: Consolidation) -> list[DataValue]:
    """Every mapped figure reported on the day by a mapped unit, in registry order."""
    day = period(consolidation)
    found = []
    for row in consolidation.rows:
        submission = row.status.submission
        if submission is None or not row.unit.dhis2:
            continue
        headline = row.unit.form.headline
        for form_field in _mapped_fields(row):
            value = submission.figures.get(form_field.id)
            if value is None:
                continue
            found.append(
                DataValue(
                    data_element=form_field.dhis2,
                    period=day,
                    org_unit=row.unit.dhis2,
                    value=_value(value),
                    stored_by=submission.entered_by,
                    last_updated=(submission.entered_at or submission.reported_at).isoformat(),
                    comment=_comment(submission, form_field, headline),
                )
            )
    return found


def refuse_duplicates(registry: Registry) -> None:
    """Two units (or fields) with one DHIS2 id would overwrite each other's figures."""
    duplicates = [p for p in registry.warnings if p.code == DHIS2_DUPLICATE]
    if duplicates:
        raise RefusedError(
            "units.yaml dùng một mã DHIS2 cho hai đơn vị hoặc hai chỉ tiêu; sửa rồi xuất lại",
            duplicates,
        )


def refuse_without_mapping(registry: Registry) -> None:
    """Without a field or a unit mapped, the file would hold its header and nothing else:
    a province importing it would receive nothing, and nobody would be told why."""
    fields = any(f.dhis2 for group in registry.groups for f in group.form.fields)
    units = any(unit.dhis2 for unit in registry.units)
    if fields and units:
        return
    missing = " và ".join(
        what
        for what, mapped in (
            ("chỉ tiêu nào của biểu mẫu (phần tử dữ liệu)", fields),
            ("đơn vị nào (đơn vị tổ chức)", units),
        )
        if not mapped
    )
    raise RefusedError(
        f"units.yaml chưa gán mã DHIS2 («dhis2:») cho {missing}: tệp DHIS2 sẽ không có dòng "
        f"số liệu nào nên không xuất; thêm «dhis2: MÃ» vào các chỉ tiêu trong «forms:» và vào "
        f"từng đơn vị trong «units:» (mã hoặc UID trên DHIS2 của tỉnh), xem docs/formats.md#dhis2"
    )


def render_dhis2(consolidation: Consolidation, registry: Registry) -> str:
    """The data value set as CSV, in DHIS2's column order (its import skips the header)."""
    refuse_without_mapping(registry)
    refuse_duplicates(registry)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for data_value in data_values(consolidation):
        writer.writerow(data_value.cells())
    return buffer.getvalue()


def dhis2_notes(consolidation: Consolidation, registry: Registry) -> list[str]:
    """What the data value set leaves out, for the person who sends it."""
    unmapped = []
    waiting = []
    for row in consolidation.rows:
        if not _mapped_fields(row):
            continue
        if not row.unit.dhis2:
            unmapped.append(row.unit.name)
        elif row.status.submission is None and not row.status.state.unreadable:
            waiting.append(row.unit.name)  # a broken file is named with the other errors
    notes = []
    if unmapped:
        notes.append(
            f"cảnh báo: {len(unmapped)} đơn vị chưa có mã DHIS2 («dhis2:» trong units.yaml) "
            f"nên không có dòng nào: " + ", ".join(unmapped)
        )
    if waiting:
        notes.append(
            f"{len(waiting)} đơn vị chưa có báo cáo ngày này nên chưa có dòng: "
            + ", ".join(waiting)
        )
    return notes
