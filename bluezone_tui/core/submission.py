"""One unit's report for one day, and its TOML form on disk.

The file is written with keys in a fixed order and only the fields that carry
something, so that a changed figure is a one-line diff in git.
"""

from __future__ import annotations

import math
import re
import tomllib
import unicodedata
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, tzinfo
from pathlib import Path

import tomli_w

from .problems import Problem
from .registry import Form, Unit

Value = int | bool | str
MAX_FILE_BYTES = 1024 * 1024
# Larger than any population a unit could have: a bigger figure is a typo or junk.
MAX_FIGURE = 1_000_000_000
MAX_DIGITS = 4300  # Python's int() limit, which tomllib runs into for longer numbers
TOP_KEYS = (
    "revision",
    "reported_at",
    "entered_by",
    "entered_at",
    "note",
    "confirmed_warnings",
    "figures",
)
_TOP_KEY_SET = frozenset(TOP_KEYS)
_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+\Z")
MAX_KEY_PARTS = 32
# Atomic groups, and only from the start of a word: linear even on a 1 MB word.
_KEY_PART = r"""(?>[A-Za-z0-9_-]+|"[^"\n]*+"|'[^'\n]*+')"""
_DEEP_DOTTED_KEY = re.compile(
    rf"(?<![A-Za-z0-9_-]){_KEY_PART}(?:[ \t]*+\.[ \t]*+{_KEY_PART}){{{MAX_KEY_PARTS}}}"
)
_TOML_POSITION = re.compile(r"\(at line (\d+), column (\d+)\)")
# One line of a file as to_toml writes it: `key = value`, the value a string without
# escapes, a boolean, a decimal integer or a datetime (TOML 1.0's own grammar for each).
_CANONICAL_LINE = re.compile(
    r"([A-Za-z0-9_-]+) = (?:"
    r'"([^"\\\x00-\x08\x0a-\x1f\x7f]*)"'
    r"|(true|false)"
    r"|(-?(?:0|[1-9][0-9]*))"
    r"|([0-9]{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12][0-9]|3[01])[T ]"
    r"(?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]"
    r"(?:Z|[+-](?:[01][0-9]|2[0-3]):[0-5][0-9])?)"
    r")\Z"
)
_CONFLICT_MARKER = re.compile(r"^(<{7}|={7}|>{7}|\|{7})(\s|$)", re.MULTILINE)


@dataclass(frozen=True, slots=True)
class Submission:
    unit_id: str
    day: date
    figures: dict[str, Value]
    reported_at: datetime
    entered_by: str = ""
    entered_at: datetime | None = None
    revision: int = 1
    note: str = ""
    confirmed_warnings: tuple[str, ...] = ()

    def figure(self, field_id: str) -> Value | None:
        return self.figures.get(field_id)

    def with_changes(self, **changes: object) -> Submission:
        return replace(self, **changes)


@dataclass(frozen=True, slots=True)
class ParsedFile:
    """What one file on disk holds: a submission, or the problems that prevent one."""

    path: Path
    submission: Submission | None
    problems: tuple[Problem, ...] = field(default=())
    digest: int = 0

    @property
    def errors(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.is_error)


def to_toml(submission: Submission, form: Form) -> bytes:
    """The canonical file content: fixed key order, figures in form order, no empty noise."""
    doc: dict[str, object] = {
        "revision": submission.revision,
        "reported_at": submission.reported_at.replace(microsecond=0),
        "entered_by": unicodedata.normalize("NFC", submission.entered_by),
    }
    if submission.entered_at is not None:
        doc["entered_at"] = submission.entered_at.replace(microsecond=0)
    if submission.note:
        doc["note"] = unicodedata.normalize("NFC", submission.note)
    if submission.confirmed_warnings:
        doc["confirmed_warnings"] = list(submission.confirmed_warnings)
    figures: dict[str, Value] = {}
    for form_field in form.fields:
        value = submission.figures.get(form_field.id)
        if value is None or value == "":
            continue
        if isinstance(value, str):
            value = unicodedata.normalize("NFC", value)
        figures[form_field.id] = value
    doc["figures"] = figures
    return tomli_w.dumps(doc).encode("utf-8")


def line_of(text: str, key: str, after: str | None = None) -> tuple[int | None, int | None]:
    """Line and column of `key = …` in a TOML text (inside the `[after]` table if given)."""
    start = 0
    if after is not None:
        match = re.search(rf"^\s*\[\s*{re.escape(after)}\s*\]", text, re.MULTILINE)
        if match:
            start = match.end()
    match = re.compile(rf"^([ \t]*)\"?{re.escape(key)}\"?[ \t]*=", re.MULTILINE).search(text, start)
    if not match:
        return None, None
    line = text.count("\n", 0, match.start()) + 1
    return line, len(match.group(1)) + 1


class _KeyLines:
    """line_of() for many keys of one file in linear time: a file of 100,000 junk keys
    must not cost 100,000 scans of the whole text."""

    _LINE = re.compile(r'[ \t]*+"?([A-Za-z0-9_-]++)"?[ \t]*+=')
    _FIGURES = re.compile(r"\s*\[\s*figures\s*\]")
    SLOW_LOOKUPS = 50  # keys of other shapes are looked up by line_of, this many times

    def __init__(self, text: str):
        self.text = text
        self.anywhere: dict[str, tuple[int, int]] | None = None
        self.in_figures: dict[str, tuple[int, int]] = {}
        self.slow = 0

    def _build(self) -> dict[str, tuple[int, int]]:
        anywhere: dict[str, tuple[int, int]] = {}
        after_header = False
        for number, line in enumerate(self.text.split("\n"), 1):
            match = self._LINE.match(line)
            if match:
                where = (number, len(line) - len(line.lstrip(" \t")) + 1)
                anywhere.setdefault(match.group(1), where)
                if after_header:
                    self.in_figures.setdefault(match.group(1), where)
            elif not after_header and self._FIGURES.match(line):
                after_header = True
        self.anywhere = anywhere
        return anywhere

    def find(self, key: str, in_figures: bool) -> tuple[int | None, int | None]:
        anywhere = self.anywhere if self.anywhere is not None else self._build()
        if _BARE_KEY.match(key):
            found = self.in_figures.get(key) if in_figures else anywhere.get(key)
            return found if found is not None else (None, None)
        self.slow += 1
        if self.slow > self.SLOW_LOOKUPS:
            return None, None
        return line_of(self.text, key, "figures" if in_figures else None)


def loads_canonical(text: str) -> dict[str, object] | None:
    """A file in exactly the layout to_toml writes, parsed several times faster than tomllib.

    Anything else (comments, escapes, arrays, odd spacing, CRLF, a duplicate key…)
    gives None and the caller uses tomllib, so the result, or the error, is always
    what tomllib says.
    """
    root: dict[str, object] = {}
    table = root
    for line in text.split("\n"):
        if not line:
            continue
        match = _CANONICAL_LINE.match(line)
        if match is None:
            if line == "[figures]" and "figures" not in root:
                table = root["figures"] = {}
                continue
            return None
        key = match.group(1)
        if key in table:
            return None
        kind = match.lastindex
        raw = match.group(kind)
        if kind == 2:
            table[key] = raw
        elif kind == 3:
            table[key] = raw == "true"
        elif kind == 4:
            if len(raw) > 30:
                return None  # let tomllib decide about absurd lengths
            table[key] = int(raw)
        else:
            try:
                table[key] = datetime.fromisoformat(raw)
            except ValueError:  # 31 February and the like: tomllib words the error
                return None
    return root


def parse_file(path: Path, raw: bytes, unit: Unit, day: date, timezone: tzinfo) -> ParsedFile:
    """Decode and type-check one submission file; collect every problem found."""
    digest = hash(raw)
    problems: list[Problem] = []

    def fail(
        message: str,
        line: int | None = None,
        column: int | None = None,
        field_id: str | None = None,
    ) -> ParsedFile:
        problems.append(Problem(message, path=path, line=line, column=column, field=field_id))
        return ParsedFile(path, None, tuple(problems), digest)

    if len(raw) > MAX_FILE_BYTES:
        return fail(
            f"tệp dài {len(raw):,} byte, quá giới hạn {MAX_FILE_BYTES:,} byte của một báo cáo"
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        return fail("tệp không phải văn bản UTF-8 (có thể là tệp nhị phân hỏng)", line)
    if "\x00" in text:
        return fail(
            "tệp chứa ký tự NUL: không phải văn bản TOML",
            text.count("\n", 0, text.index("\x00")) + 1,
        )
    marker = _CONFLICT_MARKER.search(text)
    if marker:
        line = text.count("\n", 0, marker.start()) + 1
        return fail(
            "còn dấu xung đột git («<<<<<<<», «=======», «>>>>>>>»): hãy chọn một phiên bản "
            "số liệu, xoá các dòng đánh dấu rồi chạy lại «bluezone check»",
            line,
            1,
        )
    doc = loads_canonical(text)
    if doc is None:
        deep = _DEEP_DOTTED_KEY.search(text)
        if deep:  # tomllib takes time and memory quadratic in a key's depth
            return fail(
                f"khóa TOML lồng quá sâu (quá {MAX_KEY_PARTS} cấp «a.b.c…»): "
                f"không phải báo cáo số liệu",
                text.count("\n", 0, deep.start()) + 1,
            )
        try:
            doc = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            position = _TOML_POSITION.search(str(exc))
            reason = _TOML_POSITION.sub("", str(exc)).strip()
            if position:
                return fail(
                    f"TOML không hợp lệ: {reason}", int(position.group(1)), int(position.group(2))
                )
            return fail(f"TOML không hợp lệ: {reason}")
        except RecursionError:
            return fail("TOML lồng nhau quá sâu")
        except ValueError:  # tomllib lets int() refuse a number of thousands of digits
            return fail(
                f"TOML không hợp lệ: có số dài quá {MAX_DIGITS} chữ số (không phải số liệu thật)"
            )

    index = _KeyLines(text)

    def where(key: str, in_figures: bool = False) -> tuple[int | None, int | None]:
        return index.find(key, in_figures)

    def problem(message: str, key: str, in_figures: bool = False, severity: str = "error") -> None:
        line, column = where(key, in_figures)
        problems.append(
            Problem(message, path=path, line=line, column=column, field=key, severity=severity)  # type: ignore[arg-type]
        )

    for key in doc:
        if key not in _TOP_KEY_SET:
            problem(f"khóa «{key}» không thuộc mẫu báo cáo (bỏ qua)", key, severity="warning")

    revision = doc.get("revision", 1)
    if not _is_int(revision) or revision < 1:
        problem("«revision» phải là số nguyên ≥ 1", "revision")
        revision = 1
    reported_at = _moment(doc.get("reported_at"), timezone)
    if reported_at is None:
        problem(
            "«reported_at» phải là thời điểm báo cáo, ví dụ 2020-08-20T14:30:00+07:00",
            "reported_at",
        )
    entered_at = doc.get("entered_at")
    if entered_at is not None:
        entered_at = _moment(entered_at, timezone)
        if entered_at is None:
            problem("«entered_at» phải là một thời điểm", "entered_at")
    entered_by = _text(doc.get("entered_by", ""), "entered_by", problem)
    note = _text(doc.get("note", ""), "note", problem)
    confirmed = doc.get("confirmed_warnings", [])
    if not isinstance(confirmed, list) or not all(isinstance(c, str) for c in confirmed):
        problem("«confirmed_warnings» phải là danh sách chuỗi", "confirmed_warnings")
        confirmed = []

    raw_figures = doc.get("figures", {})
    figures: dict[str, Value] = {}
    if not isinstance(raw_figures, dict):
        problem("«figures» phải là một bảng [figures]", "figures")
        raw_figures = {}
    form = unit.form
    for key, value in raw_figures.items():
        form_field = form.field(key)
        if form_field is None:
            known = ", ".join(f.id for f in form.fields)
            problem(
                f"chỉ tiêu «{key}» không có trong biểu mẫu của nhóm «{unit.group.name}» "
                f"(có: {known})",
                key,
                True,
            )
            continue
        checked = check_type(form_field.type, value)
        if isinstance(checked, str) and form_field.type != "text":
            problem(f"«{form_field.label}» ({key}): {checked}", key, True)
            continue
        if form_field.type == "text" and isinstance(value, str):
            checked = _text(value, key, problem, in_figures=True)
        figures[key] = checked
    if reported_at is None:
        return ParsedFile(path, None, tuple(problems), digest)
    submission = Submission(
        unit_id=unit.id,
        day=day,
        figures=figures,
        reported_at=reported_at,
        entered_by=entered_by,
        entered_at=entered_at,
        revision=revision,
        note=note,
        confirmed_warnings=tuple(confirmed),
    )
    return ParsedFile(path, submission, tuple(problems), digest)


def check_type(field_type: str, value: object) -> Value | str:
    """The value if it fits the field type, else a Vietnamese reason (a str) for an int/bool."""
    if field_type == "int":
        if isinstance(value, bool):
            return "phải là số nguyên, không phải true/false"
        if isinstance(value, float):
            if math.isnan(value) or math.isinf(value):
                return "phải là số nguyên, không phải nan/inf"
            return "phải là số nguyên, không có phần thập phân"
        if not isinstance(value, int):
            return "phải là số nguyên (không để trong ngoặc kép)"
        if abs(value) > MAX_FIGURE:
            return f"số {value} lớn bất thường (quá {MAX_FIGURE:,})".replace(",", ".")
        return value
    if field_type == "bool":
        if not isinstance(value, bool):
            return "phải là true (có) hoặc false (không)"
        return value
    if not isinstance(value, str):
        return "phải là văn bản trong ngoặc kép"
    return value


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _moment(value: object, timezone: tzinfo) -> datetime | None:
    """A TOML datetime as an aware datetime; a local one is read in the registry's timezone."""
    if isinstance(value, datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=timezone)
        try:
            value.astimezone(timezone).utcoffset()
            return value.astimezone(timezone)
        except (OverflowError, ValueError):  # year 1 or 9999 shifted out of range
            return None
    return None


def _text(value: object, key: str, problem, in_figures: bool = False) -> str:  # type: ignore[no-untyped-def]
    if not isinstance(value, str):
        problem(f"«{key}» phải là văn bản trong ngoặc kép", key, in_figures)
        return ""
    normalised = unicodedata.normalize("NFC", value)
    if normalised != value:
        problem(
            f"«{key}» ở dạng Unicode tổ hợp (NFD); đọc như NFC, lần lưu sau sẽ chuẩn hoá",
            key,
            in_figures,
            "warning",
        )
    return normalised


def at_local(day: date, clock_time: time, timezone: tzinfo) -> datetime:
    """The instant of `clock_time` on `day` in the registry's timezone."""
    return datetime.combine(day, clock_time, tzinfo=timezone)
