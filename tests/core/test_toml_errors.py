"""tomllib's English in Vietnamese ("TOML không hợp lệ: Invalid value" reached a clerk):
every message of tomllib's known set, reached by a file, keeps its line and column."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

from bluezone_tui.base.toml_errors import _MESSAGES, toml_error

# (a broken report, what tomllib says of it)
BROKEN = [
    ("residents_installed = abc\n", "Invalid value"),
    ("revision = 1 2\n", "Expected newline or end of document after a statement"),
    ("revision\n", "Expected '=' after a key in a key/value pair"),
    ("[figures\n", "Expected ']' at the end of a table declaration"),
    ("[[figures]\n", "Expected ']]' at the end of an array declaration"),
    ('a = "x\n', "Illegal character"),
    ('a = "x', "Unterminated string"),
    ("a = 1\na = 2\n", "Cannot overwrite a value"),
    ("[a]\n[a]\n", "Cannot declare"),
    ("a = [1, 2\n", "Unclosed array"),
    ("a = {b = 1\n", "Unclosed inline table"),
    ("a = {b = 1, b = 2}\n", "Duplicate inline table key"),
    ('a = "\\q"\n', "Unescaped '\\' in a string"),
    ('a = "\\uZZZZ"\n', "Invalid hex value"),
    ('a = "\\uD800"\n', "Escaped character is not a Unicode scalar value"),
    ("a = 2020-02-30\n", "Invalid date or datetime"),
    ("= 1\n", "Invalid statement"),
    ("a = {b = 1}\na.c = 2\n", "Cannot mutate immutable namespace"),
    ("a.b = 1\n[a]\n", "Cannot declare"),
    ("[[a]]\n[a]\n", "Cannot declare"),
    ("a = 1 # \x00\n", "Found invalid character"),
]


@pytest.mark.parametrize(("text", "english"), BROKEN)
def test_each_message_is_said_in_vietnamese_at_its_place(text, english):
    with pytest.raises(tomllib.TOMLDecodeError) as info:
        tomllib.loads(text)
    assert english in str(info.value)
    words, line, column = toml_error(info.value)
    assert not words.startswith("lỗi cú pháp ("), words  # known: translated
    assert english.split()[0] not in words
    if "at line" in str(info.value):
        position = re.search(r"line (\d+), column (\d+)", str(info.value))
        assert position is not None
        assert (line, column) == (int(position.group(1)), int(position.group(2)))


def test_every_message_tomllib_can_raise_is_known():
    """The known set is tomllib's own: each suffixed_err(…, "…") of its parser."""
    source = Path(tomllib.__file__).with_name("_parser.py").read_text(encoding="utf-8")
    raised = re.findall(r'suffixed_err\(\s*src,\s*\w+,\s*f?"((?:[^"\\]|\\.)*)"', source)
    assert len(raised) > 15
    for message in raised:
        sample = re.sub(r"\{[^}]*\}", "'x'", message).replace("\\\\", "\\")
        assert any(pattern.match(sample) for pattern, _ in _MESSAGES), message


def test_a_broken_report_is_named_in_vietnamese_by_check(cli, demo_data):
    path = demo_data / "submissions" / "2020-08-26" / "xa-long-khanh-b.toml"
    path.write_text("revision = 1\nresidents_installed = abc\n", encoding="utf-8")
    code, out, err = cli("--data", demo_data, "check", "--date", "2020-08-26")
    assert code == 1
    line = next(line for line in out.splitlines() if "xa-long-khanh-b.toml" in line)
    assert ":2:" in line and "giá trị không hợp lệ" in line and "Invalid" not in line
