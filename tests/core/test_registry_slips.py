"""A clerk's ordinary slips in units.yaml: each an error at its line, saying what probably
happened and how to fix it (issue 14, part 1 and 2). Each case built before its check.

The YAML syntax slips are tried with both of PyYAML's loaders (libyaml's and pure
Python's), whose messages and positions differ.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from bluezone_tui.base.problems import ConfigError
from bluezone_tui.registry.load import parse_registry
from bluezone_tui.registry.yaml_errors import explain
from helpers.data import SHIPPED_REGISTRY

TEXT = SHIPPED_REGISTRY.read_text("utf-8")
PATH = Path("units.yaml")


def edited(old: str, new: str) -> str:
    assert old in TEXT, old
    return TEXT.replace(old, new, 1)


def line_of(text: str, fragment: str) -> int:
    return text.count("\n", 0, text.index(fragment)) + 1


def problems_of(text: str) -> list:
    with pytest.raises(ConfigError) as info:
        parse_registry(text, PATH)
    assert info.value.exit_code == 2
    return info.value.problems


LONG_KHANH_B_POPULATION = (
    "    population: 8700            # est. — ước tính, không phải số chính thức\n"
)

# (what, old, new, the line's fragment in the new text, words the message must hold)
SLIPS = [
    # -- the four
    ("commune without population", LONG_KHANH_B_POPULATION, "",
     "- id: xa-long-khanh-b", ["Xã Long Khánh B", "population", "tỷ lệ"]),
    ("a rule naming nothing", "right: students, level: warning", "right: student, level: warning",
     "right: student,", ["student", "có phải «students»"]),
    ("a rate naming nothing", "over: [staff, students_with_smartphone]",
     "over: [staff, student_with_smartphone]", "over: [staff, student_with",
     ["student_with_smartphone", "có phải «students_with_smartphone»"]),
    ("a dropped '- '", "  - id: xa-long-thuan\n", "    id: xa-long-thuan\n",
     "    id: xa-long-thuan", ["«id» bị lặp", "thiếu «- »", "biến mất"]),
    # -- messages of part 2
    ("an id with diacritics", "id: xa-long-thuan", "id: xã-long-thuận", "id: xã-long-thuận",
     ["xa-long-thuan"]),
    ("an id with capitals and spaces", "id: xa-long-thuan", "id: Xa Long Thuan",
     "id: Xa Long Thuan", ["«xa-long-thuan»"]),
    ("population 8.700", "population: 8700 ", "population: 8.700 ", "population: 8.700",
     ["viết liền 8700"]),
    # -- more of the same class, found by trying
    ("population 8,700", "population: 8700 ", "population: 8,700 ", "population: 8,700",
     ["viết liền 8700"]),
    ("population 8 700", "population: 8700 ", "population: 8 700 ", "population: 8 700",
     ["viết liền 8700"]),
    ("population quoted", "population: 8700 ", 'population: "8700" ', 'population: "8700"',
     ["bỏ ngoặc kép"]),
    ("population with a word", "population: 8700 ", "population: 8700 người ",
     "population: 8700 người", ["chỉ ghi số"]),
    ("population left empty", "population: 8700 ", "population: ",
     "population:            # est", ["để trống"]),
    ("population 0", "population: 8700 ", "population: 0 ", "population: 0 ",
     ["bằng 0", "tỷ lệ"]),
    ("district population 120.514", "population: 120514 ", "population: 120.514 ",
     "population: 120.514", ["viết liền 120514"]),
    ("a misspelt attribute", "population: 8700 ", "populaton: 8700 ", "populaton: 8700",
     ["có phải «population»"]),
    ("a misspelt group key", '    deadline: "15:00"\n    counts', '    dealine: "15:00"\n    counts',
     "dealine:", ["có phải «deadline»"]),
    ("a misspelt top key", "\nreport:\n", "\nreports:\n", "reports:", ["có phải «report»"]),
    ("a misspelt rate key", "rate: {of: residents_installed, over: population, label: Tỷ lệ}",
     "rate: {of: residents_installed, ovr: population, label: Tỷ lệ}", "ovr:",
     ["có phải «over»"]),
    ("a misspelt contact key", 'phone: "0277 3800 107"', 'phon: "0277 3800 107"', "phon:",
     ["có phải «phone»"]),
    ("a misspelt district key", "  short_name: Hồng Ngự\n", "  shortname: Hồng Ngự\n",
     "shortname:", ["có phải «short_name»"]),
    ("a misspelt form key", "    headline: students_installed\n",
     "    headlines: students_installed\n", "headlines:", ["có phải «headline»"]),
    ("a deadline 930 meant as 9:30", '    deadline: "15:00"\n    counts',
     "    deadline: 930\n    counts", "deadline: 930", ['"15:00"', "930"]),
    ("a target with %", "target: 100,", "target: 100%,", "target: 100%", ["không ghi «%»"]),
    ("a misspelt group", "group: school, staff: 78", "group: schools, staff: 78",
     "group: schools", ["có phải «school»"]),
    ("a copied unit, name unchanged", "    name: Xã Long Thuận\n", "    name: Xã Long Khánh B\n",
     "name: Xã Long Khánh B\n    group: commune\n    gso_code: \"29992\"", ["trùng tên"]),
    ("Word's curly quotes", 'phone: "0277 3800 107"', "phone: “0277 3800 107”",
     "phone: “0277", ["ngoặc kép thẳng"]),
    ("a school without students", "staff: 78, students: 1350,", "staff: 78,",
     "- {id: thpt-hong-ngu-2", ["students", "quy tắc"]),
    ("a commune without hamlets",
     "hamlets: [Ấp Long Bình, Ấp Long Thái, Ấp Long Châu]", "hamlets: []",
     "- id: xa-long-khanh-b", ["hamlets: [Ấp 1"]),
    ("hamlets without brackets",
     "hamlets: [Ấp Long Bình, Ấp Long Thái, Ấp Long Châu]", "hamlets: Ấp Long Bình, Ấp Long Thái",
     "hamlets: Ấp Long Bình,", ["ngoặc vuông"]),
    ("a rule's left misspelt", "{left: desk_helped, op:", "{left: desk_help, op:",
     "{left: desk_help,", ["có phải «desk_helped»"]),
    ("a rate's 'of' misspelt", "rate: {of: residents_installed, over: population",
     "rate: {of: resident_installed, over: population", "rate: {of: resident_installed",
     ["có phải «residents_installed»"]),
]  # fmt: skip


@pytest.mark.parametrize(("old", "new", "at", "words"), [s[1:] for s in SLIPS],
                         ids=[s[0] for s in SLIPS])  # fmt: skip
def test_each_slip_is_an_error_at_its_line(old, new, at, words):
    text = edited(old, new)
    problems = problems_of(text)
    expected = line_of(text, at)
    here = [p for p in problems if p.line == expected]
    assert here, [str(p) for p in problems]
    message = " ".join(p.message for p in here)
    for word in words:
        assert word in message, message


def test_a_commune_without_population_through_every_command(tmp_path):
    """Before: a warning about the district total, then 999999 installs accepted and the
    report saying "đạt tỷ lệ 1.110,11%". Now the registry is refused, exit 2."""
    from bluezone_tui.cli.main import main

    (tmp_path / "units.yaml").write_text(edited(LONG_KHANH_B_POPULATION, ""), "utf-8")
    common = ["--date", "2020-08-20", "--now", "2020-08-20T14:00"]
    for args in (
        ["status", *common],
        ["export", *common],
        ["check"],
        ["submit", "xa-long-khanh-b", *common, "residents_installed=999999"],
    ):
        assert main(["--data", str(tmp_path), *args]) == 2, args
    assert not (tmp_path / "submissions" / "2020-08-20").exists()


def test_a_name_both_field_and_attribute_is_the_reported_figure():
    """`staff` on the department form and `staff: 10` on the unit: rules and rates use the
    figure reported that day; the registry's 10 is its ceiling, asked about above it."""
    from bluezone_tui.day.validate import validate
    from helpers.data import DEMO_DAY

    unit = parse_registry(TEXT, PATH).unit("phong-tu-phap")
    assert unit.attributes["staff"] == 10 and unit.form.field("staff") is not None

    def problems(**figures: int) -> list:
        return validate(unit, figures, day=DEMO_DAY, reported_at=None)

    # staff_with_smartphone <= staff: the reported 12, not the registry's 10 ...
    found = problems(staff=12, staff_with_smartphone=12, staff_installed=12)
    assert not [p for p in found if p.is_error]
    # ... and the registry's 10 is the reported figure's ceiling, a warning to confirm
    (warning,) = [p for p in found if p.field == "staff"]
    assert warning.severity == "warning" and "10" in warning.message
    found = problems(staff=10, staff_with_smartphone=11, staff_installed=11)
    (error,) = [p for p in found if p.is_error]
    assert "«Số có điện thoại thông minh» (11)" in error.message
    assert "«Tổng số CB, CC, VC, NLĐ» (10)" in error.message  # the reported figure, by name


# --------------------------------------------------------------------------- YAML syntax

POPULATION = "    population: 8700 "
NAME = "    name: Xã Long Khánh B\n"
PHONE = 'phone: "0277 3800 107"'
HAMLETS = "hamlets: [Ấp Long Bình, Ấp Long Thái, Ấp Long Châu]"
CONTACT = (
    'contact: {person: Văn phòng UBND xã (mẫu), phone: "0277 3800 107", '
    "email: xa-long-khanh-b@hongngu.example}"
)
SCHOOL_CONTACT = (
    'contact: {person: Văn phòng trường (mẫu), phone: "0277 3800 202", '
    "email: thpt-hong-ngu-3@hongngu.example}}"
)

# (what, old, new, the fragment of the faulty line, words) — the fault's own line, never the next
SYNTAX = [
    ("a Tab for indentation", POPULATION, "\tpopulation: 8700 ", "\tpopulation", ["Tab", "dấu cách"]),
    ("a Tab after spaces", POPULATION, "    \tpopulation: 8700 ", "\tpopulation", ["Tab"]),
    ("a non-breaking space", POPULATION, "\u00a0   population: 8700 ", "\u00a0", ["dấu cách đặc biệt"]),
    ("no space after ':'", POPULATION, "    population:8700 ", "population:8700", ["dấu cách sau «:»"]),
    ("no space after ':' in a name", NAME, "    name:Xã Long Khánh B\n", "name:Xã", ["dấu cách sau «:»"]),
    ("a quote left open in {…}", PHONE, 'phone: "0277 3800 107', 'phone: "0277 3800 107', ["chưa đóng"]),
    ("a quote left open in a block", NAME, '    name: "Xã Long Khánh B\n', 'name: "Xã', ["chưa đóng"]),
    ("a single quote left open", NAME, "    name: 'Xã Long Khánh B\n", "name: 'Xã", ["«'»", "chưa đóng"]),
    ("quotes inside quotes", PHONE, 'phone: "0277 "3800" 107"', '"3800"', ["ngoặc kép nằm trong"]),
    ("a '[' left open", HAMLETS, HAMLETS[:-1], HAMLETS[:-1], ["«[»", "«]»"]),
    ("a '{' left open", CONTACT, CONTACT[:-1], CONTACT[:-1], ["«{»", "«}»"]),
    ("a '{' left open over two lines", SCHOOL_CONTACT, SCHOOL_CONTACT[:-1],
     SCHOOL_CONTACT[:-1], ["«{»", "«}»"]),
    ("one ']' too many", HAMLETS, "hamlets: [Ấp Long Bình, Ấp Long Thái] Ấp Long Châu]",
     "Ấp Long Thái] Ấp", ["thừa"]),
    ("a missing comma in {…}", "staff: 65, students: 1120,", "staff: 65 students: 1120,",
     "staff: 65 students", ["thiếu dấu phẩy", "students"]),
    ("': ' in an unquoted value", NAME, "    name: Xã Long Khánh B: Ấp 1\n", "name: Xã Long Khánh B: Ấp",
     ["ngoặc kép", "«: »"]),
    ("': ' in an unquoted value in {…}", CONTACT, CONTACT.replace("Văn phòng UBND", "Văn phòng: UBND"),
     "Văn phòng: UBND", ["ngoặc kép", "«: »"]),
    ("a key indented one space less", POPULATION, "   population: 8700 ", "   population: 8700", ["thụt lề", "3", "4"]),
    ("a key indented one space more", POPULATION, "     population: 8700 ", "     population: 8700", ["thụt lề", "5", "4"]),
    ("a dropped '- ' at the list's indent", "  - id: xa-long-thuan\n", "  id: xa-long-thuan\n",
     "  id: xa-long-thuan", ["thiếu «- »"]),
    ("'-' without a space", "  - id: xa-long-thuan\n", "  -id: xa-long-thuan\n", "-id:", ["dấu cách"]),
    ("a value starting with @", NAME, "    name: @Xã Long Khánh B\n", "@Xã", ["ngoặc kép", "«@»"]),
    ("a value starting with *", NAME, "    name: *Xã Long Khánh B\n", "*Xã", ["ngoặc kép", "«*»"]),
    ("a value starting with %", NAME, "    name: %Xã Long Khánh B\n", "%Xã", ["ngoặc kép", "«%»"]),
    ("a value starting with `", NAME, "    name: `Xã Long Khánh B\n", "`Xã", ["ngoặc kép"]),
    ("a value starting with |", NAME, "    name: | Xã Long Khánh B\n", "| Xã", ["ngoặc kép"]),
    ("a backslash in quotes", PHONE, 'phone: "0277\\3800 107"', "0277\\3800", ["«\\»"]),
    ("a second document", "timezone: Asia", "---\ntimezone: Asia", "---", ["---"]),
]  # fmt: skip


@pytest.mark.parametrize("loader", [yaml.CSafeLoader, yaml.SafeLoader], ids=["libyaml", "python"])
@pytest.mark.parametrize(("old", "new", "at", "words"), [s[1:] for s in SYNTAX],
                         ids=[s[0] for s in SYNTAX])  # fmt: skip
def test_yaml_syntax_slips_in_vietnamese_at_the_faulty_line(loader, old, new, at, words):
    text = edited(old, new)
    with pytest.raises(yaml.MarkedYAMLError) as info:
        yaml.load(text, Loader=loader)  # noqa: S506 - safe loaders only
    message, line, column = explain(text, info.value)
    assert line == line_of(text, at), message
    assert column is not None and message.startswith("YAML không hợp lệ: ")
    for word in words:
        assert word in message, message
    english = ("found", "expected", "could not", "while ", "mapping", "scalar", "token")
    assert not any(word in message for word in english), message


def test_the_registry_reports_the_translated_message():
    text = edited(POPULATION, "\tpopulation: 8700 ")
    (problem,) = problems_of(text)
    assert problem.line == line_of(text, "\tpopulation") and "Tab" in problem.message
