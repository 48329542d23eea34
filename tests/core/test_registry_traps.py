"""units.yaml traps that YAML 1.1 walks into silently, each an error at its line; and the
report block's defaults."""

from __future__ import annotations

from dataclasses import replace

import pytest

from bluezone_tui.base.problems import ConfigError
from bluezone_tui.registry.load import parse_registry
from bluezone_tui.registry.model import ReportSettings
from helpers.data import SHIPPED_REGISTRY

TEXT = SHIPPED_REGISTRY.read_text("utf-8")


def problems_of(text: str) -> list:
    with pytest.raises(ConfigError) as info:
        parse_registry(text, SHIPPED_REGISTRY)
    return info.value.problems


def line_of(text: str, fragment: str, occurrence: int = 1) -> int:
    index = -1
    for _ in range(occurrence):
        index = text.index(fragment, index + 1)
    return text.count("\n", 0, index) + 1


@pytest.mark.parametrize(
    ("old", "new", "at", "words"),
    [
        (
            '    deadline: "15:00"\n',
            '    deadline: "15:00"\n    deadline: null\n',
            "    deadline: null",
            "«deadline» bị lặp",
        ),  # fmt: skip
        (
            "population: 8840 ",
            "population: 1000\n    population: 8840 ",
            "    population: 8840",
            "«population» bị lặp",
        ),  # fmt: skip
        ('phone: "0277 3800 103"', "phone: 0277350017", "0277350017", "50188303"),
        ('phone: "0277 3800 103"', "phone: 2773800103", "2773800103", "ngoặc kép"),
        ('gso_code: "29974"', "gso_code: 29974", "gso_code: 29974", "ngoặc kép"),
        ("population: 8840 ", "population: 010000 ", "010000", "bát phân"),
    ],
)
def test_yaml_traps_are_errors_at_their_line(old, new, at, words):
    assert old in TEXT
    text = TEXT.replace(old, new, 1)
    (problem,) = problems_of(text)
    assert words in problem.message
    assert problem.line == line_of(text, at)


def test_conflict_markers_are_named_at_the_marker():
    text = TEXT.replace("timezone:", "<<<<<<< HEAD\ntimezone:", 1)
    (problem,) = problems_of(text)
    assert "xung đột git" in problem.message and problem.line == line_of(text, "<<<<<<<")


def test_report_block_defaults_to_the_office_reporting_to_district_and_province():
    start = TEXT.index("report:\n")
    end = TEXT.index("\ngroups:")
    registry = parse_registry(TEXT[:start] + TEXT[end:], SHIPPED_REGISTRY)
    assert registry.report == ReportSettings(
        authority="ỦY BAN NHÂN DÂN HUYỆN HỒNG NGỰ",
        issuer="PHÒNG VĂN HÓA VÀ THÔNG TIN",
        number="Số:      /BC-VHTT",
        place="Hồng Ngự",
        recipients=(
            "Ủy ban nhân dân huyện Hồng Ngự",
            "Sở Thông tin và Truyền thông tỉnh Đồng Tháp",
        ),
    )
    shipped = parse_registry(TEXT, SHIPPED_REGISTRY).report  # with a sample signer
    # as shipped, less the addresses and the signer's (sample) name
    assert replace(shipped, addressees=(), signer_name="") == registry.report
    assert shipped.signer_name == "Nguyễn Văn A"
    assert [r.name for r in shipped.addressees] == list(registry.report.recipients)


def test_the_old_issuer_list_is_refused_with_the_way_out():
    text = TEXT.replace(
        "  issuer: PHÒNG VĂN HÓA VÀ THÔNG TIN", "  issuer: [ỦY BAN NHÂN DÂN, HUYỆN HỒNG NGỰ]"
    )
    (problem,) = problems_of(text)
    assert "report.authority" in problem.message
