"""Writing units into units.yaml as a person would: the rest of the file byte for byte.

Units are added after the last unit of their group (or at the end of `units:`), in
the block layout of the template; an update replaces only the values it changes, in
place, or adds the missing key in the unit's own style (flow `{…}` or block). The
positions come from PyYAML's node tree (the pure-Python composer, whose marks are
character offsets), so comments, blank lines, quoting and line breaks elsewhere stay
exactly as they were: a round trip through ruamel.yaml rewrote 11 untouched lines of
the shipped registry (`deadline: null` -> `deadline:`, two-line `{…}` joined).

The caller reads the result back with the registry's own loader before writing it.
"""

from __future__ import annotations

import json
import re
from typing import Any

import yaml

from bluezone_tui.base.vn import fold
from bluezone_tui.registry.units_import import Change, Plan

_PLAIN = re.compile(r"[^\W\d_](?:[\w .()/'&+-]*[\w.)])?")
_KEYWORDS = frozenset({"yes", "no", "true", "false", "on", "off", "null", "y", "n"})
ORDER = ("id", "name", "short_name", "group", "gso_code")


def quoted(text: str) -> str:
    """A text as a YAML scalar: plain where nothing in it means something to YAML."""
    if _PLAIN.fullmatch(text) and fold(text) not in _KEYWORDS:
        return text
    return json.dumps(text, ensure_ascii=False)


def _value(key: str, value: Any) -> str:
    if key == "hamlets":
        return "[" + ", ".join(quoted(h) for h in value) + "]"
    if key in ("phone", "gso_code"):
        return json.dumps(str(value), ensure_ascii=False)
    if isinstance(value, int):
        return str(value)
    return quoted(str(value))


def _contact(values: dict[str, Any]) -> str | None:
    parts = [f"{k}: {_value(k, values[k])}" for k in ("person", "phone") if k in values]
    return "{" + ", ".join(parts) + "}" if parts else None


def apply_plan(text: str, plan: Plan) -> str:
    """`text` with the plan's additions and updates made; everything else unchanged."""
    newline = "\r\n" if "\r\n" in text else "\n"
    root = yaml.compose(text, Loader=yaml.SafeLoader)
    units = _get(root, "units")
    edits: list[tuple[int, int, str]] = []
    items = units.value if isinstance(units, yaml.SequenceNode) else []
    by_id = {_scalar(_get(item, "id")): item for item in items}
    for change in plan.changes:
        if change.action == "update":
            edits += _update(text, by_id[change.unit_id], change, newline)
    added = [c for c in plan.changes if c.action == "add"]
    if added:
        edits.append(_addition(text, root, units, items, added, plan, newline))
    for start, _, end, replacement in sorted(
        ((e[0], -n, e[1], e[2]) for n, e in enumerate(edits)), reverse=True
    ):
        text = text[:start] + replacement + text[end:]
    return text


def _get(node: Any, key: str) -> Any:
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            if getattr(key_node, "value", None) == key:
                return value_node
    return None


def _scalar(node: Any) -> str | None:
    return node.value if isinstance(node, yaml.ScalarNode) else None


def _last_leaf_end(node: Any) -> int:
    """Where the last character of a node's content is (a block collection's end mark
    lies after its trailing comments, so descend to its last leaf)."""
    while isinstance(node, (yaml.MappingNode, yaml.SequenceNode)) and not node.flow_style:
        if not node.value:
            break
        last = node.value[-1]
        node = last[1] if isinstance(node, yaml.MappingNode) else last
    return node.end_mark.index


def _line_end(text: str, index: int) -> int:
    end = text.find("\n", index)
    if end < 0:
        return len(text)
    return end - 1 if end > 0 and text[end - 1] == "\r" else end


def _column(text: str, index: int) -> int:
    return index - (text.rfind("\n", 0, index) + 1)


def _unit_lines(change: Change, indent: str, dash: str, newline: str, group_id: str) -> str:
    values = {"id": change.unit_id, **change.values, "group": group_id}
    keys = [k for k in ORDER if k in values]
    keys += [k for k in values if k not in ORDER and k not in ("person", "phone", "hamlets")]
    keys += [k for k in ("hamlets",) if k in values]
    lines = [f"{dash}- {k}: {_value(k, values[k])}" if i == 0 else f"{indent}{k}: {_value(k, values[k])}"
             for i, k in enumerate(keys)]  # fmt: skip
    contact = _contact(values)
    if contact:
        lines.append(f"{indent}contact: {contact}")
    return newline.join(lines)


def _addition(
    text: str, root: Any, units: Any, items: list, added: list[Change], plan: Plan, newline: str
) -> tuple[int, int, str]:
    in_group = [item for item in items if _scalar(_get(item, "group")) == plan.group.id]
    if isinstance(units, yaml.SequenceNode) and units.flow_style and items:  # units: [{…}, …]
        flows = []
        for change in added:
            values = {"id": change.unit_id, **change.values, "group": plan.group.id}
            contact = _contact(values)
            parts = [
                f"{k}: {_value(k, v)}" for k, v in values.items() if k not in ("person", "phone")
            ]
            flows.append(
                "{" + ", ".join(parts + ([f"contact: {contact}"] if contact else [])) + "}"
            )
        close = units.end_mark.index - 1  # the "]"
        return close, close, ", " + ", ".join(flows)
    if items:
        first = items[0]
        column = _column(text, first.start_mark.index)
        line_start = first.start_mark.index - column
        dash_column = text.index("-", line_start) - line_start
        dash = " " * dash_column
        indent = " " * (dash_column + 2)
    else:
        dash, indent = "  ", "    "
    block = newline.join(
        _unit_lines(change, indent, dash, newline, plan.group.id) for change in added
    )
    if not in_group:
        block = f"{dash}# --- {plan.group.name} ---{newline}{block}"
    if items:
        anchor = in_group[-1] if in_group else items[-1]
        at = _line_end(text, _last_leaf_end(anchor))
        return at, at, newline + block
    if isinstance(units, yaml.SequenceNode):  # `units: []`
        return units.start_mark.index, units.end_mark.index, newline + block
    key = next(k for k, _ in root.value if getattr(k, "value", None) == "units")
    at = _line_end(text, key.end_mark.index)  # `units:` with nothing after it
    return at, at, newline + block


def _update(text: str, item: Any, change: Change, newline: str) -> list[tuple[int, int, str]]:
    edits: list[tuple[int, int, str]] = []
    contact_values = {k: v for k, v in change.changed.items() if k in ("person", "phone")}
    for key, (_, new) in change.changed.items():
        if key in ("person", "phone"):
            continue
        node = _get(item, key)
        if node is not None:
            edits.append(_replace(text, node, _value(key, new)))
        else:
            edits.append(_insert_key(text, item, key, _value(key, new), newline))
    if contact_values:
        news = {k: new for k, (_, new) in contact_values.items()}
        contact = _get(item, "contact")
        if not isinstance(contact, yaml.MappingNode):
            flow = _contact(news) or "{}"
            if contact is not None:
                edits.append(_replace(text, contact, flow))
            else:
                edits.append(_insert_key(text, item, "contact", flow, newline))
        else:
            for key, new in news.items():
                node = _get(contact, key)
                if node is not None:
                    edits.append(_replace(text, node, _value(key, new)))
                else:
                    edits.append(_insert_key(text, contact, key, _value(key, new), newline))
    return edits


def _replace(text: str, node: Any, replacement: str) -> tuple[int, int, str]:
    end = node.end_mark.index
    if isinstance(node, (yaml.MappingNode, yaml.SequenceNode)) and not node.flow_style:
        end = _last_leaf_end(node)
    return node.start_mark.index, end, replacement


def _insert_key(
    text: str, mapping: Any, key: str, value: str, newline: str
) -> tuple[int, int, str]:
    if mapping.flow_style:
        close = mapping.end_mark.index - 1  # the "}"
        separator = ", " if mapping.value else ""
        return close, close, f"{separator}{key}: {value}"
    first_key = mapping.value[0][0]
    indent = " " * _column(text, first_key.start_mark.index)
    at = _line_end(text, _last_leaf_end(mapping))
    return at, at, f"{newline}{indent}{key}: {value}"
