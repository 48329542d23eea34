"""The registry as tables for a person: `bluezone units list` and the preview of an import."""

from __future__ import annotations

from bluezone_tui.base.safe_text import printable
from bluezone_tui.base.vn import fmt_int
from bluezone_tui.registry.model import ATTRIBUTE_LABELS, Group, Registry
from bluezone_tui.registry.units_import import Plan, describe
from bluezone_tui.reports.status import deadline_words
from bluezone_tui.reports.terminal_text import fit_line, table

_MARKS = {"add": "thêm", "update": "sửa", "same": "giữ nguyên"}


def _attribute_header(name: str) -> str:
    label = ATTRIBUTE_LABELS.get(name)
    return label[:1].upper() + label[1:] if label else name


def render_units(
    registry: Registry, groups: tuple[Group, ...] | list[Group], width: int | None = None
) -> str:
    """Each group as a table: id, name, its attributes, hamlets, contact; in `width` columns
    when given (a terminal)."""
    parts = []
    for group in groups:
        units = registry.units_in(group)
        title = f"{group.name} (nhóm {group.id}, {deadline_words(group)}) — {len(units)} đơn vị"
        parts += fit_line(title, width)
        if not units:
            parts.append(f"  chưa có đơn vị: bluezone units import TỆP --group {group.id}\n")
            continue
        attributes = [
            n for n in dict.fromkeys(a for u in units for a in u.attributes) if n != "hamlets"
        ]
        headers = ["Mã", "Tên", *(_attribute_header(a) for a in attributes)]
        align = ["left", "left", *("right" for _ in attributes)]
        with_hamlets = any(u.hamlets for u in units)
        with_contact = any(u.contact.person or u.contact.phone for u in units)
        if with_hamlets:
            headers.append("Khóm, ấp")
            align.append("right")
        if with_contact:
            headers += ["Người liên hệ", "Điện thoại"]
            align += ["left", "left"]
        rows = []
        for unit in units:
            row = [unit.id, printable(unit.name)]
            row += [fmt_int(unit.attributes[a]) if a in unit.attributes else "" for a in attributes]
            if with_hamlets:
                row.append(str(len(unit.hamlets)) if unit.hamlets else "")
            if with_contact:
                row += [printable(unit.contact.person), printable(unit.contact.phone)]
            rows.append(row)
        parts.append(table(headers, rows, tuple(align), width) + "\n")
    total = len([u for u in registry.units if u.group in groups])
    parts.append(f"Tổng: {fmt_int(total)} đơn vị trong {len(groups)} nhóm")
    return "\n".join(parts) + "\n"


def render_plan(plan: Plan, source: str, target: str, width: int | None = None) -> str:
    """The preview: one line per unit of the sheet, saying what happens to it.

    Words, not +/~/= marks: under a table's dashed rule a "-" or "+" reads as a diff.
    """
    lines = fit_line(
        f"Nhập {source} vào nhóm «{plan.group.name}» ({plan.group.id}) của {target}:", width
    )
    if plan.changes:
        rows = [
            [_MARKS[c.action], c.unit_id, printable(c.values.get("name", "")), describe(c)]
            for c in plan.changes
        ]
        lines.append(table(["Việc", "Mã", "Tên", "Số liệu"], rows, ("left",) * 4, width))
    for note in plan.notes:
        lines += fit_line(f"  ({note})", width, indent="   ")
    lines.append(
        f"Thêm {plan.count('add')} đơn vị, sửa {plan.count('update')}, "
        f"giữ nguyên {plan.count('same')}."
    )
    return "\n".join(lines) + "\n"
