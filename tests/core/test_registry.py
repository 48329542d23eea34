"""The unit registry: the shipped units.yaml, and every kind of bad registry."""

from __future__ import annotations

from datetime import time
from pathlib import Path

import pytest

from bluezone_tui.base.problems import ConfigError
from bluezone_tui.registry.load import load_registry, parse_registry
from bluezone_tui.registry.model import unit_id_problem
from helpers.data import SHIPPED_REGISTRY

SHIPPED_TEXT = SHIPPED_REGISTRY.read_text(encoding="utf-8")


def line_of(text: str, needle: str, start: int = 0) -> int:
    """1-based line of the first occurrence of needle (after character `start`)."""
    index = text.index(needle, start)
    return text.count("\n", 0, index) + 1


def load_text(tmp_path: Path, text: str):
    (tmp_path / "units.yaml").write_text(text, encoding="utf-8")
    return load_registry(tmp_path)


def config_error(tmp_path: Path, text: str) -> ConfigError:
    with pytest.raises(ConfigError) as info:
        load_text(tmp_path, text)
    error = info.value
    assert error.exit_code == 2
    assert error.problems, "a ConfigError must list its problems"
    for problem in error.problems:
        assert problem.path == tmp_path / "units.yaml"
        assert str(tmp_path / "units.yaml") in str(problem)
    return error


def replace_once(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, f"{old!r} should occur once in the shipped registry"
    return text.replace(old, new)


# --------------------------------------------------------------------------- shipped


def test_shipped_registry_has_28_units(shipped_registry):
    assert len(shipped_registry.units) == 28
    assert len(shipped_registry.by_id) == 28
    assert shipped_registry.warnings == []


def test_shipped_units_by_group(shipped_registry):
    by_group = {
        g.id: [u.id for u in shipped_registry.units if u.group is g]
        for g in shipped_registry.groups
    }
    assert [g.id for g in shipped_registry.groups] == ["commune", "school", "department", "youth"]
    assert len(by_group["commune"]) == 10
    assert len(by_group["school"]) == 3
    assert len(by_group["department"]) == 14
    assert by_group["youth"] == ["huyen-doan"]
    assert "tt-thuong-thoi-tien" in by_group["commune"]
    assert "xa-long-khanh-b" in by_group["commune"]


def test_shipped_commune_populations_sum_to_120514(shipped_registry):
    communes = [u for u in shipped_registry.units if u.group.id == "commune"]
    assert sum(u.attributes["population"] for u in communes) == 120514
    assert shipped_registry.population == 120514
    assert shipped_registry.district.population == 120514


def test_shipped_deadlines_and_timezone(shipped_registry):
    group = shipped_registry.group
    assert group("commune").deadline == time(15, 0)
    assert group("school").deadline == time(15, 0)
    assert group("department").deadline is None
    assert group("youth").deadline is None
    assert group("commune").expected and group("school").expected
    assert not group("department").expected and not group("youth").expected
    assert shipped_registry.consolidation_deadline == time(16, 30)
    assert str(shipped_registry.timezone) == "Asia/Ho_Chi_Minh"


def test_shipped_district_and_units_details(shipped_registry):
    district = shipped_registry.district
    assert district.name == "Huyện Hồng Ngự"
    assert district.province == "Đồng Tháp"
    unit = shipped_registry.unit("xa-long-khanh-b")
    assert unit.name == "Xã Long Khánh B"
    assert unit.hamlets == ("Ấp Long Bình", "Ấp Long Thái", "Ấp Long Châu")
    assert unit.attributes["hamlets"] == 3
    assert unit.contact.phone == "0277 3800 107"
    school = shipped_registry.unit("thpt-hong-ngu-2")
    assert school.attributes == {"staff": 78, "students": 1350}
    assert shipped_registry.unit("phong-tu-phap").attributes["staff"] == 10
    # unit order is registry order, indexes follow it
    assert [u.index for u in shipped_registry.units] == list(range(28))


def test_shipped_forms_follow_the_letter(shipped_registry):
    commune = shipped_registry.group("commune").form
    assert [f.id for f in commune.fields] == [
        "residents_installed",
        "teams_formed",
        "hamlets_with_team",
        "households_visited",
        "desk_officer",
        "desk_helped",
    ]
    assert commune.headline.id == "residents_installed"  # the first field
    assert commune.field("residents_installed").cumulative
    assert commune.field("residents_installed").required
    assert commune.field("desk_officer").type == "bool"
    department = shipped_registry.group("department").form
    assert [f.id for f in department.fields] == [
        "staff",
        "staff_with_smartphone",
        "staff_installed",
        "relatives_installed",
    ]
    rule = department.rules[1]
    assert (rule.left, rule.op, rule.right, rule.level) == (
        "staff_installed",
        "<=",
        "staff_with_smartphone",
        "error",
    )
    school = shipped_registry.group("school").form
    assert [f.id for f in school.fields] == [
        "staff",
        "staff_installed",
        "students_with_smartphone",
        "students_installed",
        "relatives_installed",
    ]
    youth = shipped_registry.group("youth").form
    assert [f.id for f in youth.fields] == ["members_sent", "hamlets_supported"]
    assert shipped_registry.group("department").rate.target == 100
    assert shipped_registry.group("commune").counts_in_total
    assert not shipped_registry.group("department").counts_in_total


def test_registry_with_bom_and_crlf(tmp_path):
    text = "\ufeff" + SHIPPED_TEXT.replace("\n", "\r\n")
    registry = load_text(tmp_path, text)
    assert len(registry.units) == 28


def test_init_template_registry_loads(tmp_path):
    from bluezone_tui.registry.template import render

    registry = load_text(tmp_path, render())
    assert registry.units  # the usual departments and the youth union
    # communes and schools come from a spreadsheet, the signer's name from the office:
    # until then, a warning says how
    assert [w.message.split(":")[0] for w in registry.warnings] == [
        "«report.signer_name» (họ tên người ký) đang để trống",
        "nhóm «Xã, thị trấn» chưa có đơn vị nào",
        "nhóm «Trường THPT» chưa có đơn vị nào",
    ]
    signed = load_text(tmp_path, render(signer="Nguyễn Văn An"))
    assert signed.report.signer_name == "Nguyễn Văn An"
    assert len(signed.warnings) == 2


@pytest.mark.parametrize(
    "unit_id",
    ["xa/long", "..", "xa..b", "../etc", "Xa-Long", "XA", "xa_long", "-xa", "", "xa long", "con"],
)
def test_unit_id_problem_rejects(unit_id):
    assert unit_id_problem(unit_id)


@pytest.mark.parametrize("unit_id", ["xa-long-khanh-b", "thpt-hong-ngu-2", "a", "9x"])
def test_unit_id_problem_accepts(unit_id):
    assert unit_id_problem(unit_id) is None


# --------------------------------------------------------------------------- bad registries


def test_missing_registry_is_config_error(tmp_path):
    with pytest.raises(ConfigError) as info:
        load_registry(tmp_path)
    assert "units.yaml" in info.value.message


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("district:\n  name: [A, B\nunits: []\n", 2),  # where the "[" was left open
        ("district:\n  name: A\n\tprovince: B\n", 3),
        ("units:\n  - id: a\n - id: b\n", 3),
    ],
)
def test_invalid_yaml_names_file_and_line(tmp_path, text, line):
    error = config_error(tmp_path, text)
    assert len(error.problems) == 1
    problem = error.problems[0]
    assert problem.line == line
    assert "YAML" in problem.message
    assert f"units.yaml:{line}:" in str(problem)


def test_not_utf8_registry(tmp_path):
    (tmp_path / "units.yaml").write_bytes(b"district:\n  name: Huy\xe1n\n")
    with pytest.raises(ConfigError) as info:
        load_registry(tmp_path)
    assert "UTF-8" in str(info.value.problems[0])


def test_missing_top_level_keys(tmp_path):
    error = config_error(tmp_path, "district: {name: A, province: B}\n")
    messages = " | ".join(p.message for p in error.problems)
    for key in ("groups", "forms", "units"):
        assert f"«{key}»" in messages
    assert all(p.line is not None for p in error.problems)


def test_unit_missing_required_key_names_its_line(tmp_path):
    text = replace_once(SHIPPED_TEXT, "    name: Xã Thường Lạc\n", "")
    error = config_error(tmp_path, text)
    assert len(error.problems) == 1
    problem = error.problems[0]
    assert "name" in problem.message
    assert problem.line == line_of(text, "- id: xa-thuong-lac")


def test_unit_missing_group_and_id(tmp_path):
    text = replace_once(SHIPPED_TEXT, "{id: phong-y-te, name: Phòng Y tế, group: department,", "{")
    error = config_error(tmp_path, text)
    (problem,) = error.problems
    assert "id" in problem.message and "group" in problem.message
    assert problem.line == line_of(text, '{ staff: 10, contact: {phone: "0277 3800 309"}}')


def test_duplicate_unit_id_names_both_lines(tmp_path):
    text = replace_once(SHIPPED_TEXT, "id: xa-thuong-phuoc-2", "id: xa-thuong-phuoc-1")
    error = config_error(tmp_path, text)
    (problem,) = error.problems
    first = line_of(text, "id: xa-thuong-phuoc-1")
    second = line_of(text, "id: xa-thuong-phuoc-1", text.index("id: xa-thuong-phuoc-1") + 1)
    assert first < second
    assert problem.line == second
    assert "xa-thuong-phuoc-1" in problem.message
    assert f"dòng {first}" in problem.message  # names the line of the first one


@pytest.mark.parametrize("bad_id", ["xa/thuong", "..", "xa..b", "Xa-Thuong", "XA-THUONG"])
def test_bad_unit_id_names_its_line(tmp_path, bad_id):
    text = replace_once(SHIPPED_TEXT, "id: xa-thuong-phuoc-2", f'id: "{bad_id}"')
    error = config_error(tmp_path, text)
    (problem,) = error.problems
    assert problem.line == line_of(text, f'id: "{bad_id}"')
    assert bad_id in problem.message


def test_unknown_group_names_its_line(tmp_path):
    text = replace_once(SHIPPED_TEXT, "group: school, staff: 78", "group: schools, staff: 78")
    error = config_error(tmp_path, text)
    (problem,) = error.problems
    assert "schools" in problem.message
    assert problem.line == line_of(text, "group: schools")
    assert problem.column is not None


@pytest.mark.parametrize(
    "tag",
    [
        "!!python/object:os.system x",
        '!!python/object/apply:os.system ["echo pwned"]',
        "!!python/name:os.system ''",
    ],
)
def test_python_yaml_tags_are_refused(tmp_path, tag):
    text = replace_once(SHIPPED_TEXT, "name: Xã Thường Lạc", f"name: {tag}")
    error = config_error(tmp_path, text)
    (problem,) = error.problems
    assert problem.line == line_of(text, tag)
    assert "python" in problem.message


def test_unquoted_label_with_comma_is_an_unknown_key(tmp_path):
    # In a flow mapping, `label: Số người, được hướng dẫn` splits into two keys.
    text = replace_once(
        SHIPPED_TEXT,
        'label: "Số người được hướng dẫn tại một cửa"',
        "label: Số người, được hướng dẫn tại một cửa",
    )
    error = config_error(tmp_path, text)
    (problem,) = error.problems
    assert "được hướng dẫn tại một cửa" in problem.message
    assert "ngoặc kép" in problem.message  # tells the user to quote the label
    assert problem.line == line_of(text, "label: Số người, được hướng dẫn")


def test_unknown_unit_key_with_text_value(tmp_path):
    text = replace_once(SHIPPED_TEXT, "    population: 8840 ", "    populaton: lots ")
    error = config_error(tmp_path, text)
    (problem,) = error.problems
    assert "populaton" in problem.message
    assert problem.line == line_of(text, "populaton: lots")


def test_unquoted_deadline_read_as_15_00(tmp_path):
    # YAML 1.1 reads an unquoted 15:00 as the sexagesimal integer 900.
    text = SHIPPED_TEXT.replace('deadline: "15:00"', "deadline: 15:00").replace(
        'consolidation_deadline: "16:30"', "consolidation_deadline: 16:30"
    )
    assert "deadline: 15:00" in text and "consolidation_deadline: 16:30" in text
    registry = load_text(tmp_path, text)
    assert registry.group("commune").deadline == time(15, 0)
    assert registry.group("school").deadline == time(15, 0)
    assert registry.consolidation_deadline == time(16, 30)


def test_bad_deadline_names_its_line(tmp_path):
    text = SHIPPED_TEXT.replace('deadline: "15:00"', 'deadline: "3 pm"', 1)
    error = config_error(tmp_path, text)
    (problem,) = error.problems
    assert problem.line == line_of(text, 'deadline: "3 pm"')


def test_unknown_timezone(tmp_path):
    text = replace_once(SHIPPED_TEXT, "timezone: Asia/Ho_Chi_Minh", "timezone: Asia/Hanoi_City")
    error = config_error(tmp_path, text)
    (problem,) = error.problems
    assert "Asia/Hanoi_City" in problem.message
    assert problem.line == line_of(text, "timezone:")


def test_bad_rule_operator_and_unknown_left(tmp_path):
    text = replace_once(
        SHIPPED_TEXT,
        '{left: staff_with_smartphone, op: "<=", right: staff, level: error}',
        '{left: staff_phone, op: "=<", right: staff, level: error}',
    )
    error = config_error(tmp_path, text)
    assert len(error.problems) == 2
    assert {p.line for p in error.problems} == {line_of(text, "left: staff_phone")}


def test_negative_unit_attribute(tmp_path):
    text = replace_once(SHIPPED_TEXT, "staff: 78,", "staff: -78,")
    error = config_error(tmp_path, text)
    (problem,) = error.problems
    assert problem.line == line_of(text, "staff: -78")


def test_every_problem_is_reported_not_just_the_first(tmp_path):
    text = replace_once(SHIPPED_TEXT, "id: xa-thuong-phuoc-2", "id: xa/b")
    text = replace_once(text, "group: school, staff: 78", "group: nope, staff: 78")
    text = replace_once(text, "id: phong-y-te,", "id: Phong-Y-Te,")
    error = config_error(tmp_path, text)
    assert len(error.problems) == 3
    lines = [p.line for p in error.problems]
    assert lines == sorted(lines)
    assert "3" in error.message


def test_population_mismatch_is_a_warning(tmp_path):
    text = replace_once(SHIPPED_TEXT, "population: 120514 ", "population: 120571 ")
    registry = load_text(tmp_path, text)
    (warning,) = registry.warnings
    assert warning.severity == "warning"
    assert "120514" in warning.message
    assert warning.line == line_of(text, "population: 120571")


def test_empty_and_scalar_registries(tmp_path):
    for text in ("", "just a string\n", "- a\n- b\n"):
        error = config_error(tmp_path, text)
        assert error.problems


def test_parse_registry_direct_path_in_problems():
    with pytest.raises(ConfigError) as info:
        parse_registry("units: [\n", Path("/somewhere/units.yaml"))
    assert str(info.value.problems[0]).startswith("/somewhere/units.yaml:")


def test_registry_of_10000_units_loads_whole(tmp_path):
    """Every one of 10,000 units is loaded (its speed is bench/'s business, not a test's)."""
    head = SHIPPED_TEXT.split("\nunits:\n")[0]
    lines = [head, "units:"]
    for i in range(10_000):
        lines.append(
            f"  - {{id: xa-{i}, name: Xã {i}, group: commune, population: 1000, "
            f"hamlets: [Ấp 1, Ấp 2], contact: {{person: A, phone: '0'}}}}"
        )
    (tmp_path / "units.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    registry = load_registry(tmp_path)
    assert len(registry.units) == 10_000
    assert registry.units[-1].id == "xa-9999" and registry.units[-1].hamlets == ("Ấp 1", "Ấp 2")


def test_registry_uses_the_c_loader_when_available():
    import yaml

    from bluezone_tui.registry import yaml_source as registry

    if not getattr(yaml, "__with_libyaml__", False):
        pytest.skip("PyYAML built without libyaml")
    assert registry.SafeLoader is yaml.CSafeLoader


@pytest.mark.parametrize(
    ("old", "new", "words"),
    [
        ("counts_in_total: true", 'counts_in_total: "no"', "counts_in_total"),
        (
            "type: int, required: true, cumulative: true}",
            "type: int, required: yes please, cumulative: true}",
            "required",
        ),
        ("{id: teams_formed, label:", "{id: teams_formed, min: 5, max: 2, label:", "min"),
    ],
)
def test_settings_that_would_silently_mean_something_else_are_refused(tmp_path, old, new, words):
    from pathlib import Path

    from bluezone_tui.base.problems import ConfigError
    from bluezone_tui.registry.load import load_registry

    repo = Path(__file__).resolve().parents[2]
    text = (repo / "units.yaml").read_text(encoding="utf-8")
    assert old in text
    (tmp_path / "units.yaml").write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_registry(tmp_path)
    assert any(words in p.message and p.line for p in caught.value.problems)
