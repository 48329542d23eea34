"""The DHIS2 data value set: the mapping in units.yaml and the rows it gives."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest

from bluezone_tui.base.problems import ConfigError, RefusedError
from bluezone_tui.day.entry import submit
from bluezone_tui.day.loader import load_day
from bluezone_tui.day.store import Store
from bluezone_tui.registry.load import load_registry
from bluezone_tui.registry.model import DHIS2_DUPLICATE
from bluezone_tui.reports.dhis2 import data_values, dhis2_notes, render_dhis2
from helpers.data import DEMO_DAY, SHIPPED_REGISTRY, at

SHIPPED_TEXT = SHIPPED_REGISTRY.read_text(encoding="utf-8")
COMMUNE_FIELDS = {
    "residents_installed": "BZ_RESIDENTS_INSTALLED",
    "teams_formed": "BZ_TEAMS_FORMED",
    "hamlets_with_team": "BZ_HAMLETS_WITH_TEAM",
    "households_visited": "BZ_HOUSEHOLDS_VISITED",
    "desk_officer": "BZ_DESK_OFFICER",
    "desk_helped": "BZ_DESK_HELPED",
}


def rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def consolidation_of(store: Store, day=DEMO_DAY, hour: int = 16, minute: int = 30):
    return load_day(store, day, at(day, hour, minute))


def test_the_shipped_registry_maps_the_communes_and_their_form(shipped_registry):
    communes = [u for u in shipped_registry.units if u.group.id == "commune"]
    assert [u.dhis2 for u in communes] == [u.gso_code for u in communes]
    assert all(u.dhis2 for u in communes)
    assert not any(u.dhis2 for u in shipped_registry.units if u.group.id != "commune")
    commune_form = shipped_registry.forms["commune"]
    assert {f.id: f.dhis2 for f in commune_form.fields} == COMMUNE_FIELDS
    for form_id in ("school", "department", "youth"):
        assert not any(f.dhis2 for f in shipped_registry.forms[form_id].fields)


def test_one_row_per_commune_and_mapped_field_as_typed(demo_store):
    text = render_dhis2(consolidation_of(demo_store), demo_store.registry)
    assert text.splitlines()[0] == (  # exactly DHIS2's columns, in its order
        "dataelement,period,orgunit,categoryoptioncombo,attributeoptioncombo,value,"
        "storedby,lastupdated,comment,followup,deleted"
    )
    found = rows(text)
    assert len(found) == 10 * 6  # every commune reported every field on the 20th
    assert {r["period"] for r in found} == {"20200820"}
    assert {r["categoryoptioncombo"] for r in found} == {""}
    assert {(r["followup"], r["deleted"]) for r in found} == {("false", "false")}
    installs = [r for r in found if r["dataelement"] == "BZ_RESIDENTS_INSTALLED"]
    assert sum(int(r["value"]) for r in installs) == 6090  # the letter's figure
    first = demo_store.read(DEMO_DAY, "tt-thuong-thoi-tien").submission
    assert installs[0]["orgunit"] == "29971"
    assert installs[0]["value"] == str(first.figures["residents_installed"])
    assert installs[0]["storedby"] == first.entered_by
    assert installs[0]["lastupdated"] == first.entered_at.isoformat()
    desk = {r["value"] for r in found if r["dataelement"] == "BZ_DESK_OFFICER"}
    assert desk == {"true", "false"}  # DHIS2's BOOLEAN values


def test_units_without_a_report_today_send_nothing(demo_store):
    """On the 26th at 14:30 three communes have not reported: their last figures are
    carried in the district total, but they are not this day's data values."""
    consolidation = consolidation_of(demo_store, DEMO_DAY.replace(day=26), 14, 30)
    carried = {row.unit.dhis2 for row in consolidation.carried if row.unit.dhis2}
    assert carried
    sent = {value.org_unit for value in data_values(consolidation)}
    assert not carried & sent
    assert len(sent) == 10 - len(carried)
    notes = dhis2_notes(consolidation, demo_store.registry)
    assert notes == [
        "3 đơn vị chưa có báo cáo ngày này nên chưa có dòng: "
        "Xã Thường Lạc, Xã Long Khánh B, Xã Long Thuận"
    ]


def test_a_note_goes_with_the_figure_it_explains(empty_store):
    day = DEMO_DAY
    submit(empty_store, "xa-long-thuan", day, {"residents_installed": "900"}, now=at(day, 9))
    submit(
        empty_store,
        "xa-long-thuan",
        day.replace(day=21),
        {"residents_installed": "850", "households_visited": "40"},
        now=at(day.replace(day=21), 9),
        note="đếm lại theo danh sách ấp",
        confirm_warnings=True,
    )
    submit(
        empty_store,
        "xa-phu-thuan-a",
        day.replace(day=21),
        {"residents_installed": "500", "teams_formed": "4"},
        now=at(day.replace(day=21), 9),
        note="gọi điện báo",
    )
    values = data_values(consolidation_of(empty_store, day.replace(day=21)))
    comments = {(v.org_unit, v.data_element): v.comment for v in values}
    assert comments == {
        ("29992", "BZ_RESIDENTS_INSTALLED"): "đếm lại theo danh sách ấp",  # the confirmed decrease
        ("29992", "BZ_HOUSEHOLDS_VISITED"): "",
        ("29998", "BZ_RESIDENTS_INSTALLED"): "gọi điện báo",  # no warning: the main figure
        ("29998", "BZ_TEAMS_FORMED"): "",
    }


def test_unmapped_units_are_named_and_skipped(tmp_path, demo_data):
    text = SHIPPED_TEXT.replace('    dhis2: "29983"\n', "")
    (demo_data / "units.yaml").write_text(text, encoding="utf-8")
    store = Store(demo_data, load_registry(demo_data))
    consolidation = consolidation_of(store)
    assert "29983" not in {v.org_unit for v in data_values(consolidation)}
    assert len(data_values(consolidation)) == 9 * 6
    assert dhis2_notes(consolidation, store.registry) == [
        "cảnh báo: 1 đơn vị chưa có mã DHIS2 («dhis2:» trong units.yaml) nên không có dòng "
        "nào: Xã Long Khánh B"
    ]


@pytest.mark.parametrize(
    ("unmap", "words"),
    [
        (lambda t: re.sub(r", dhis2: BZ_[A-Z_]+", "", t), "cho chỉ tiêu nào của biểu mẫu"),
        (lambda t: re.sub(r'\n +dhis2: "\d+"[^\n]*', "", t), "cho đơn vị nào"),
    ],
    ids=["no-field", "no-unit"],
)
def test_a_registry_without_a_mapping_is_refused_not_exported_empty(empty_data, unmap, words):
    """Issue 20: without a `dhis2:` mapping the export wrote a header-only file, exit 0."""
    text = unmap(SHIPPED_TEXT)
    assert text != SHIPPED_TEXT
    (empty_data / "units.yaml").write_text(text, encoding="utf-8")
    registry = load_registry(empty_data)
    store = Store(empty_data, registry)
    with pytest.raises(RefusedError) as info:
        render_dhis2(consolidation_of(store), registry)
    assert words in info.value.message and "docs/formats.md#dhis2" in info.value.message


def test_a_shared_dhis2_id_is_a_warning_and_the_export_refuses(demo_data):
    text = SHIPPED_TEXT.replace('dhis2: "29983"', 'dhis2: "29980"')
    text = text.replace("dhis2: BZ_DESK_HELPED", "dhis2: BZ_TEAMS_FORMED")
    (demo_data / "units.yaml").write_text(text, encoding="utf-8")
    registry = load_registry(demo_data)  # the day's work goes on: only a warning
    duplicates = [p for p in registry.warnings if p.code == DHIS2_DUPLICATE]
    assert len(duplicates) == 2
    assert any("xa-long-khanh-b" in p.message and "29980" in p.message for p in duplicates)
    assert any("desk_helped" in p.message and "teams_formed" in p.message for p in duplicates)
    lines = text.splitlines()
    for problem in duplicates:
        assert "dhis2" in lines[problem.line - 1]
    store = Store(demo_data, registry)
    with pytest.raises(RefusedError) as info:
        render_dhis2(consolidation_of(store), registry)
    assert info.value.exit_code == 1
    assert info.value.problems == duplicates


@pytest.mark.parametrize(
    "value, words",
    [
        ("29983", "ngoặc kép"),  # an unquoted code is a number to YAML (012 would be 10)
        ('""', "ngoặc kép"),
        ("[a, b]", "ngoặc kép"),
        ('"' + "x" * 51 + '"', "tối đa 50"),
        ('"a\\tb"', "in được"),
    ],
)
def test_a_dhis2_id_must_be_quoted_text(tmp_path: Path, value, words):
    text = SHIPPED_TEXT.replace('dhis2: "29983"', f"dhis2: {value}")
    (tmp_path / "units.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_registry(tmp_path)
    [problem] = info.value.problems
    assert words in problem.message and problem.field == "dhis2"
    assert "dhis2" in text.splitlines()[problem.line - 1]
