"""tomllib's error messages in Vietnamese, at their line and column.

tomllib words every error in English ("Invalid value (at line 3, column 23)"): a clerk
who opened a report in an editor reads what is wrong in Vietnamese, with the place
kept. The known set is tomllib's own (CPython's Lib/tomllib/_parser.py); a message
not in it (a newer Python) is kept as tomllib wrote it, after a Vietnamese lead.
"""

from __future__ import annotations

import ast
import re
import tomllib

_POSITION = re.compile(r"\s*\(at (?:line (\d+), column (\d+)|end of document)\)")

# (tomllib's words, anchored; the Vietnamese, with \1 for what it names)
_MESSAGES = tuple(
    (re.compile(pattern + r"\Z"), words)
    for pattern, words in (
        (r"Invalid statement", "dòng này không phải «khóa = giá trị» hay «[bảng]» của TOML"),
        (
            r"Expected newline or end of document after a statement",
            "sau một giá trị phải xuống dòng (hai câu lệnh trên một dòng?)",
        ),
        (r"Expected '=' after a key in a key/value pair", "thiếu «=» sau tên khóa"),
        (r"Expected ']' at the end of a table declaration", "thiếu «]» ở cuối tên bảng"),
        (r"Expected ']]' at the end of an array declaration", "thiếu «]]» ở cuối tên mảng bảng"),
        (r"Expected (.+)", r"thiếu \1"),
        (r"Found invalid character (.+)", r"có ký tự không hợp lệ \1"),
        (r"Cannot declare (.+) twice", r"khai báo \1 hai lần"),
        (r"Cannot overwrite a value", "một khóa được ghi hai lần"),
        (
            r"Cannot mutate immutable namespace (.+)",
            r"không thêm khóa vào \1 (đã viết trọn ở chỗ khác)",
        ),
        (r"Cannot redefine namespace (.+)", r"khai báo lại \1"),
        (r"Invalid initial character for a key part", "tên khóa bắt đầu bằng ký tự không hợp lệ"),
        (r"Unclosed array", "mảng thiếu «]» đóng"),
        (r"Duplicate inline table key (.+)", r"khóa \1 lặp lại trong bảng «{…}»"),
        (r"Unclosed inline table", "bảng «{…}» thiếu «}» đóng"),
        (r"Unescaped '\\' in a string", "dấu «\\» trong chuỗi phải viết là «\\\\»"),
        (r"Invalid hex value", "mã «\\u…» trong chuỗi không hợp lệ"),
        (
            r"Escaped character is not a Unicode scalar value",
            "mã «\\u…» trong chuỗi không phải một ký tự Unicode",
        ),
        (r"Unterminated string", "chuỗi thiếu dấu nháy đóng"),
        (r"Illegal character (.+)", r"chuỗi có ký tự không được phép \1"),
        (r"Invalid date or datetime", "ngày hoặc ngày giờ không hợp lệ"),
        (
            r"Invalid value",
            "giá trị không hợp lệ (cần một số, một chuỗi trong dấu nháy kép, true/false, "
            "một ngày giờ hoặc một mảng)",
        ),
    )
)


def toml_error(exc: tomllib.TOMLDecodeError) -> tuple[str, int | None, int | None]:
    """(what is wrong in Vietnamese, line, column) of a tomllib error."""
    text = str(exc)
    position = _POSITION.search(text)
    said = _POSITION.sub("", text).strip()
    line = column = None
    if position and position.group(1):
        line, column = int(position.group(1)), int(position.group(2))
    for pattern, words in _MESSAGES:
        match = pattern.match(said)
        if match:  # what tomllib names (a key, a character) kept as it wrote it
            named = _key(match.group(1)) if match.groups() else ""
            return words.replace("\\1", named), line, column
    return f"lỗi cú pháp ({said})", line, column


def _key(named: str) -> str:
    """A key as tomllib names it, `('figures', 'a')`, as the file writes it: «figures.a»."""
    if named.startswith("("):
        try:
            parts = ast.literal_eval(named)
        except (ValueError, SyntaxError):
            return named
        if isinstance(parts, tuple) and all(isinstance(p, str) for p in parts):
            return "«" + ".".join(parts) + "»"
    return named
