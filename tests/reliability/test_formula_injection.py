"""Formula injection: text a spreadsheet would run comes out of the CSV neutralised.

Unit names (from units.yaml) and notes (typed by staff) starting with = + - @
get a leading apostrophe, with either delimiter; a tab or a carriage return (only
in a file edited by hand) is shown escaped; numbers stay plain numbers.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from helpers.data import copy_shipped
from helpers.process import run_cli

DAY = "2020-08-20"
NOW = "2020-08-20T16:00"
NAMES = {
    "xa-long-khanh-a": '=HYPERLINK("http://evil.example","Xã Long Khánh A")',
    "xa-long-khanh-b": "+cmd|' /C calc'!A0",
    "xa-thuong-lac": "-2+3+cmd|' /C calc'!A0",
    "xa-long-thuan": "@SUM(1+1)*cmd|' /C calc'!A0",
}
NOTES = {  # typed: entry takes them as they are
    "xa-phu-thuan-a": "=1+2",
    "xa-phu-thuan-b": "+84 277 3800 109",
    "xa-thuong-phuoc-1": "-5 người chuyển đi",
    "xa-thuong-phuoc-2": "@chị Lan",
}
# Written into the files by hand (entry refuses control characters): shown escaped, so
# never a formula either.
HAND_NOTES = {
    "tt-thuong-thoi-tien": ("\tđã gọi", "\\x09đã gọi"),
    "thpt-hong-ngu-2": ("\r=1+1", "\\x0d=1+1"),
}


@pytest.fixture(scope="module")
def hostile_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data = copy_shipped(tmp_path_factory.mktemp("formulas") / "data")
    registry = data / "units.yaml"
    text = registry.read_text("utf-8")
    for unit_id, name in NAMES.items():
        start = text.index(f"id: {unit_id}\n")
        line_start = text.index("    name: ", start)
        line_end = text.index("\n", line_start)
        quoted = "'" + name.replace("'", "''") + "'"
        text = text[:line_start] + f"    name: {quoted}" + text[line_end:]
    registry.write_text(text, "utf-8")
    for unit_id, note in NOTES.items():
        result = run_cli(
            "--data", data, "submit", unit_id, "--date", DAY, "--now", NOW, f"--note={note}"
        )  # fmt: skip
        assert result.code == 0, result.text
    for unit_id, (note, _shown) in HAND_NOTES.items():
        path = data / "submissions" / DAY / f"{unit_id}.toml"
        text = path.read_text("utf-8")
        path.write_text(text.replace("\n[figures]", f"note = {json.dumps(note)}\n\n[figures]", 1))
    return data


@pytest.mark.parametrize("delimiter", [",", ";"])
def test_names_and_notes_are_neutralised(hostile_data: Path, delimiter: str) -> None:
    result = run_cli(
        "--data", hostile_data, "export", "--date", DAY, "--now", NOW,
        "--format", "csv", "--delimiter", delimiter,
    )  # fmt: skip
    assert result.code == 0, result.text
    rows = list(csv.reader(io.StringIO(result.out.lstrip("\ufeff")), delimiter=delimiter))
    header = rows[0]
    by_id = {row[header.index("unit_id")]: row for row in rows[1:]}
    name, note = header.index("unit_name"), header.index("note")
    for unit_id, text in NAMES.items():
        assert by_id[unit_id][name] == "'" + text
    for unit_id, text in NOTES.items():
        assert by_id[unit_id][note] == "'" + text
    for unit_id, (_written, shown) in HAND_NOTES.items():
        assert by_id[unit_id][note] == shown
    for row in rows[1:]:
        for cell in row:
            if cell[:1] in ("=", "+", "@", "\t", "\r"):
                pytest.fail(f"a cell a spreadsheet would run: {cell!r} in {row}")
            if cell.startswith("-"):
                assert cell[1:].replace(".", "", 1).isdigit(), f"{cell!r} in {row}"  # a number


def test_the_text_report_keeps_names_as_written(hostile_data: Path) -> None:
    result = run_cli("--data", hostile_data, "export", "--date", DAY, "--now", NOW)
    assert result.code == 0, result.text
    assert NAMES["xa-long-khanh-b"] in result.out
