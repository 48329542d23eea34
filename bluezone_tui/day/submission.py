"""One unit's report for one day, and its TOML form on disk.

The file is written with keys in a fixed order and only the fields that carry
something, so that a changed figure is a one-line diff in git.
"""

from __future__ import annotations

import hashlib
import math
import re
import tomllib
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, tzinfo
from pathlib import Path
from typing import Any

import tomli_w

from bluezone_tui.base.files import CONFLICT_MARKER, CONFLICTED, WHOLE_CONFLICT
from bluezone_tui.base.problems import Problem, Severity
from bluezone_tui.base.toml_errors import toml_error
from bluezone_tui.base.vn import fmt_date_short, fmt_int, fmt_time, nfc
from bluezone_tui.registry.model import Form, Unit

Value = int | bool | str
MAX_FILE_BYTES = 1024 * 1024
BOM = b"\xef\xbb\xbf"
# Larger than any population a unit could have: a bigger figure is a typo or junk.
MAX_FIGURE = 1_000_000_000
MAX_DIGITS = 4300  # Python's int() limit, which tomllib runs into for longer numbers
MAX_NOTE_CHARS = 2000  # a day's note; a longer one is pasted by mistake
MAX_NAME_CHARS = 100  # entered_by, and who confirmed
MAX_TEXT_FIGURE_CHARS = 500
TOP_KEYS = (
    "revision",
    "reported_at",
    "entered_by",
    "entered_at",
    "note",
    "confirmations",
    "confirmed_warnings",  # read, never written: confirmations before they named who
    "figures",
)
CONFIRMATION_KEYS = frozenset({"warning", "by", "at"})
_TOP_KEY_SET = frozenset(TOP_KEYS)
_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+\Z")
MAX_KEY_PARTS = 32
# Atomic groups, and only from the start of a word: linear even on a 1 MB word.
_KEY_PART = r"""(?>[A-Za-z0-9_-]+|"[^"\n]*+"|'[^'\n]*+')"""
_DEEP_DOTTED_KEY = re.compile(
    rf"(?<![A-Za-z0-9_-]){_KEY_PART}(?:[ \t]*+\.[ \t]*+{_KEY_PART}){{{MAX_KEY_PARTS}}}"
)
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


@dataclass(frozen=True, slots=True)
class Confirmation:
    """A warning a person confirmed ("decrease:residents_installed"), who and when.

    It stays theirs when someone else later edits another field: the file never shows
    the later editor as the author of an earlier confirmation (or of its note).
    """

    warning: str
    by: str = ""
    at: datetime | None = None


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
    confirmations: tuple[Confirmation, ...] = ()

    @property
    def confirmed_warnings(self) -> tuple[str, ...]:
        return tuple(c.warning for c in self.confirmations)

    def in_utc(self) -> Submission:
        """The same submission with every instant in UTC, for comparing instants.

        PEP 495: aware datetimes in different zones never compare equal when one falls
        in a DST fold, so 01:00 America/New_York on a fall-back night would not equal
        itself read back in the registry's zone.
        """
        return self.with_changes(
            reported_at=self.reported_at.astimezone(UTC),
            entered_at=self.entered_at.astimezone(UTC) if self.entered_at else None,
            confirmations=tuple(
                Confirmation(c.warning, c.by, c.at.astimezone(UTC) if c.at else None)
                for c in self.confirmations
            ),
        )

    def same_values(self, other: Submission) -> bool:
        """Whether a save of `other` over this would change nothing a reader sees."""
        return (
            self.figures == other.figures
            and self.reported_at.astimezone(UTC) == other.reported_at.astimezone(UTC)
            and self.note == other.note
            and self.confirmed_warnings == other.confirmed_warnings
        )

    def with_changes(self, **changes: Any) -> Submission:
        return replace(self, **changes)


WITHDRAWN_KEYS = ("revision", "withdrawn_at", "withdrawn_by", "withdrawn_reason")


@dataclass(frozen=True, slots=True)
class Withdrawal:
    """A report withdrawn (`bluezone withdraw`): the unit's file for the day then holds
    only this — who withdrew it, when and why — with the next revision, so the day reads
    as not reported, every office learns it by the next sync, and a new report later
    replaces it as any save replaces a file."""

    unit_id: str
    day: date
    revision: int
    at: datetime
    by: str
    reason: str

    def words(self) -> str:
        """ "đã rút báo cáo lúc 15:10 20/08/2020 (lan): «nhập nhầm đơn vị»"."""
        who = f" ({self.by})" if self.by else ""
        return f"đã rút báo cáo lúc {fmt_time(self.at)} {fmt_date_short(self.at.date())}{who}: «{self.reason}»"


def withdrawal_toml(withdrawal: Withdrawal) -> bytes:
    """The file of a withdrawn report, in the fixed order of WITHDRAWN_KEYS."""
    doc: dict[str, object] = {
        "revision": withdrawal.revision,
        "withdrawn_at": toml_moment(withdrawal.at),
        "withdrawn_by": unicodedata.normalize("NFC", withdrawal.by),
        "withdrawn_reason": unicodedata.normalize("NFC", withdrawal.reason),
    }
    return tomli_w.dumps(doc).encode("utf-8")


@dataclass(frozen=True, slots=True)
class ParsedFile:
    """What one file on disk holds: a submission, or the problems that prevent one.

    `keys` is where each key stands in the text, from the parse (beancount's `meta`): a
    problem found later in the figures is placed with it, without reading the file again.
    """

    path: Path
    submission: Submission | None
    problems: tuple[Problem, ...] = field(default=())
    digest: int = 0
    keys: KeyLines | None = field(default=None, compare=False, repr=False)
    withdrawal: Withdrawal | None = None  # a report withdrawn: no submission, no error

    @property
    def errors(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.is_error)

    @property
    def broken(self) -> bool:
        """Parse-level errors: the file holds neither a report nor a withdrawal that can
        be read, so nothing may be written over it (its text would be lost)."""
        return (self.submission is None and self.withdrawal is None) or bool(self.errors)

    @property
    def revision(self) -> int:
        """The file's revision, a withdrawal's included (0: none readable)."""
        if self.submission is not None:
            return self.submission.revision
        return self.withdrawal.revision if self.withdrawal is not None else 0

    def locate(self, problems: Iterable[Problem]) -> tuple[Problem, ...]:
        """Problems about this file's values, given its path and their field's line and column."""
        placed = []
        for problem in problems:
            line = column = None
            if self.keys is not None and problem.field:
                line, column = self.keys.find(problem.field, in_figures=True)
                if line is None:
                    line, column = self.keys.find(problem.field, in_figures=False)
            placed.append(replace(problem, path=self.path, line=line, column=column))
        return tuple(placed)


def as_stored(submission: Submission) -> Submission:
    """The submission exactly as its file will hold it: NFC text, whole seconds."""

    def whole(moment: datetime | None) -> datetime | None:
        return moment.replace(microsecond=0) if moment is not None else None

    return submission.with_changes(
        figures={
            k: nfc(v) if isinstance(v, str) else v
            for k, v in submission.figures.items()
            if v is not None and v != ""  # an empty figure is not written
        },
        reported_at=whole(submission.reported_at),
        entered_by=nfc(submission.entered_by),
        entered_at=whole(submission.entered_at),
        note=nfc(submission.note),
        confirmations=tuple(
            Confirmation(c.warning, nfc(c.by), whole(c.at)) for c in submission.confirmations
        ),
    )


def toml_moment(moment: datetime) -> datetime:
    """A datetime as TOML can write it: whole seconds, and an offset of whole minutes.

    Before 1912 Asia/Ho_Chi_Minh was +07:06:30, an offset TOML cannot hold: such an
    instant is written in UTC instead, the same instant, read back in the registry's zone.
    """
    moment = moment.replace(microsecond=0)
    offset = moment.utcoffset()
    if offset is not None and offset.total_seconds() % 60:
        return moment.astimezone(UTC)
    return moment


def toml_values(submission: Submission, form: Form) -> dict[str, object]:
    """The file's keys in their fixed order, figures in form order, no empty noise."""
    doc: dict[str, object] = {
        "revision": submission.revision,
        "reported_at": toml_moment(submission.reported_at),
        "entered_by": unicodedata.normalize("NFC", submission.entered_by),
    }
    if submission.entered_at is not None:
        doc["entered_at"] = toml_moment(submission.entered_at)
    if submission.note:
        doc["note"] = unicodedata.normalize("NFC", submission.note)
    if submission.confirmations:
        doc["confirmations"] = _confirmation_tables(submission)
    doc["figures"] = _figure_values(submission, form)
    return doc


def _confirmation_tables(submission: Submission) -> list[dict[str, object]]:
    confirmations = []
    for confirmation in submission.confirmations:
        item: dict[str, object] = {"warning": confirmation.warning}
        if confirmation.by:
            item["by"] = unicodedata.normalize("NFC", confirmation.by)
        if confirmation.at is not None:
            item["at"] = toml_moment(confirmation.at)
        confirmations.append(item)
    return confirmations


def _figure_values(submission: Submission, form: Form) -> dict[str, Value]:
    figures: dict[str, Value] = {}
    for form_field in form.fields:
        value = submission.figures.get(form_field.id)
        if value is None or value == "":
            continue
        if isinstance(value, str):
            value = unicodedata.normalize("NFC", value)
        figures[form_field.id] = value
    return figures


def to_toml(submission: Submission, form: Form) -> bytes:
    """The canonical file content (see toml_values)."""
    return tomli_w.dumps(toml_values(submission, form)).encode("utf-8")


def preserve_hand_edits(old: bytes, submission: Submission, form: Form) -> bytes:
    """The file `old` with this submission's values put in, and everything else a person
    wrote there (comments, keys of their own, spacing) kept; without a byte-order mark.

    tomlkit is imported only here: files as bluezone writes them never need it.
    """
    import tomlkit

    doc = tomlkit.parse(old.decode("utf-8-sig"))
    values = toml_values(submission, form)
    for key in TOP_KEYS:
        if key == "figures":
            continue
        value = values.get(key)
        if value is None:
            doc.pop(key, None)
        elif key == "confirmations":
            array = tomlkit.array()
            for item in _confirmation_tables(submission):  # the `value` toml_values made
                table = tomlkit.inline_table()
                table.update(item)
                array.append(table)
            doc[key] = array.multiline(True)
        else:
            doc[key] = value
    figures = doc.get("figures")
    if not isinstance(figures, dict):
        doc["figures"] = figures = tomlkit.table()
    wanted = _figure_values(submission, form)  # values["figures"], typed
    for key in [k for k in figures if k not in wanted]:
        del figures[key]
    for key, value in wanted.items():
        if figures.get(key) != value or type(figures.get(key)) is not type(value):
            figures[key] = value
    return tomlkit.dumps(doc).encode("utf-8")


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


class KeyLines:
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
        assert kind is not None  # a line that matches has its value's group
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


class _Findings:
    """The problems of one file as they are found, each placed at its line when known."""

    def __init__(self, path: Path, digest: int) -> None:
        self.path = path
        self.digest = digest
        self.problems: list[Problem] = []
        self.index: KeyLines | None = None

    def fail(
        self,
        message: str,
        line: int | None = None,
        column: int | None = None,
        code: str = "",
    ) -> ParsedFile:
        """The file cannot be read as a submission: its problems so far, and this one."""
        self.problems.append(Problem(message, path=self.path, line=line, column=column, code=code))
        return self.parsed(None)

    def at_key(
        self, message: str, key: str, in_figures: bool = False, severity: Severity = "error"
    ) -> None:
        """A problem with one key's value, placed at the key's line."""
        line, column = self.index.find(key, in_figures) if self.index else (None, None)
        self.problems.append(
            Problem(message, path=self.path, line=line, column=column, field=key, severity=severity)
        )

    def parsed(
        self, submission: Submission | None, withdrawal: Withdrawal | None = None
    ) -> ParsedFile:
        return ParsedFile(
            self.path, submission, tuple(self.problems), self.digest, self.index, withdrawal
        )


def digest_of(raw: bytes) -> int:
    """What says two files hold the same bytes (ParsedFile.digest): the same in every
    process (Python's hash() of bytes is not), so a parse kept by one command compares
    with a file read by the next."""
    return int.from_bytes(hashlib.blake2b(raw, digest_size=8).digest(), "big", signed=True)


def parse_file(
    path: Path, raw: bytes, unit: Unit, day: date, timezone: tzinfo, size: int | None = None
) -> ParsedFile:
    """Decode and type-check one submission file; collect every problem found.

    `size`: the file's size on disk when known (raw may stop just past the limit).
    """
    findings = _Findings(path, digest_of(raw))
    text = _decoded(raw, size, findings)
    if isinstance(text, ParsedFile):
        return text
    doc = _toml_document(text, unit, day, findings)
    if isinstance(doc, ParsedFile):
        return doc
    findings.index = KeyLines(text)
    if "withdrawn_at" in doc:
        return _withdrawn(doc, unit, day, timezone, findings)
    for key in doc:
        if key not in _TOP_KEY_SET:
            findings.at_key(
                f"khóa «{key}» không thuộc mẫu báo cáo (bỏ qua)", key, severity="warning"
            )
    revision = doc.get("revision", 1)
    if not _is_int(revision) or revision < 1:
        findings.at_key("«revision» phải là số nguyên ≥ 1", "revision")
        revision = 1
    reported_at = _moment(doc.get("reported_at"), timezone)
    if reported_at is None:
        findings.at_key(
            "«reported_at» phải là thời điểm báo cáo, ví dụ 2020-08-20T14:30:00+07:00",
            "reported_at",
        )
    entered_at = doc.get("entered_at")
    if entered_at is not None:
        entered_at = _moment(entered_at, timezone)
        if entered_at is None:
            findings.at_key("«entered_at» phải là một thời điểm", "entered_at")
    entered_by = _text(doc.get("entered_by", ""), "entered_by", findings)
    note = _text(doc.get("note", ""), "note", findings)
    confirmations = _confirmations(doc, timezone, findings)
    figures = _figures(doc.get("figures", {}), unit, findings)
    if reported_at is None:
        return findings.parsed(None)
    submission = Submission(
        unit_id=unit.id,
        day=day,
        figures=figures,
        reported_at=reported_at,
        entered_by=entered_by,
        entered_at=entered_at,
        revision=revision,
        note=note,
        confirmations=tuple(confirmations),
    )
    return findings.parsed(submission)


def _withdrawn(
    doc: dict[str, Any], unit: Unit, day: date, timezone: tzinfo, findings: _Findings
) -> ParsedFile:
    """A withdrawn report's file: its revision, who withdrew it, when, why, and nothing
    else (figures beside a withdrawal would be a report and no report at once)."""
    for key in doc:
        if key not in WITHDRAWN_KEYS:
            findings.at_key(
                f"tệp báo cáo đã rút (withdrawn_at) chỉ có {', '.join(WITHDRAWN_KEYS)}, "
                f"không có «{key}»: sửa tệp, hoặc nhập lại báo cáo (bluezone submit)",
                key,
            )
    revision = doc.get("revision", 1)
    if not _is_int(revision) or revision < 1:
        findings.at_key("«revision» phải là số nguyên ≥ 1", "revision")
        revision = 1
    at = _moment(doc.get("withdrawn_at"), timezone)
    if at is None:
        findings.at_key("«withdrawn_at» phải là một thời điểm", "withdrawn_at")
    by = _text(doc.get("withdrawn_by", ""), "withdrawn_by", findings)
    reason = _text(doc.get("withdrawn_reason", ""), "withdrawn_reason", findings)
    if at is None or any(p.is_error for p in findings.problems):
        return findings.parsed(None)
    return findings.parsed(None, Withdrawal(unit.id, day, revision, at, by, reason))


def _decoded(raw: bytes, size: int | None, findings: _Findings) -> str | ParsedFile:
    """The file's text: within the size limit, UTF-8, a byte-order mark tolerated."""
    if len(raw) > MAX_FILE_BYTES or (size is not None and size > MAX_FILE_BYTES):
        length = f"dài {fmt_int(size)} byte" if size is not None else "dài hơn"
        return findings.fail(
            f"tệp {length}, quá giới hạn {fmt_int(MAX_FILE_BYTES)} byte (1 MB) của một báo cáo"
        )
    if raw.startswith(BOM):
        findings.problems.append(
            Problem(
                "tệp bắt đầu bằng dấu BOM (EF BB BF): bluezone vẫn đọc, nhưng với TOML đó là "
                "lỗi đối với công cụ khác; lần lưu sau sẽ ghi không có BOM",
                path=findings.path,
                line=1,
                column=1,
                severity="warning",
                code="bom",
            )
        )
    body = raw[len(BOM) :] if raw.startswith(BOM) else raw
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = body.count(b"\n", 0, exc.start) + 1
        return findings.fail("tệp không phải văn bản UTF-8 (có thể là tệp nhị phân hỏng)", line)


def _toml_document(
    text: str, unit: Unit, day: date, findings: _Findings
) -> dict[str, Any] | ParsedFile:
    """The TOML document: the canonical form read fast, anything else by tomllib, once
    the traps that are not TOML at all (NUL, conflict markers, absurd depth) are named."""
    doc = loads_canonical(text)  # a canonical file holds neither NUL nor conflict markers
    if doc is not None:
        return doc
    if "\x00" in text:
        return findings.fail(
            "tệp chứa ký tự NUL: không phải văn bản TOML",
            text.count("\n", 0, text.index("\x00")) + 1,
        )
    marker = CONFLICT_MARKER.search(text)
    if marker and WHOLE_CONFLICT.search(text):
        line = text.count("\n", 0, marker.start()) + 1
        return findings.fail(
            "còn dấu xung đột git («<<<<<<<», «=======», «>>>>>>>»): hai nơi đã lưu số liệu "
            f"khác nhau; giải quyết trên bảng (Enter) hoặc «bluezone resolve {unit.id} --date "
            f"{day.isoformat()} --keep ours|theirs», hay sửa tệp bằng tay rồi chạy "
            "«bluezone check»",
            line,
            1,
            code=CONFLICTED,
        )
    if marker:
        return findings.fail(
            "còn dấu xung đột git («<<<<<<<», «=======», «>>>>>>>») không trọn vẹn: hãy chọn "
            "một phiên bản số liệu, xoá các dòng đánh dấu rồi chạy lại «bluezone check»",
            text.count("\n", 0, marker.start()) + 1,
            1,
        )
    deep = _DEEP_DOTTED_KEY.search(text)
    if deep:  # tomllib takes time and memory quadratic in a key's depth
        return findings.fail(
            f"khóa TOML lồng quá sâu (quá {MAX_KEY_PARTS} cấp «a.b.c…»): "
            f"không phải báo cáo số liệu",
            text.count("\n", 0, deep.start()) + 1,
        )
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        reason, at_line, at_column = toml_error(exc)
        if at_line is not None:
            return findings.fail(f"TOML không hợp lệ: {reason}", at_line, at_column)
        return findings.fail(f"TOML không hợp lệ: {reason}")
    except RecursionError:
        return findings.fail("TOML lồng nhau quá sâu")
    except ValueError:  # tomllib lets int() refuse a number of thousands of digits
        return findings.fail(
            f"TOML không hợp lệ: có số dài quá {MAX_DIGITS} chữ số (không phải số liệu thật)"
        )


def _confirmations(
    doc: dict[str, Any], timezone: tzinfo, findings: _Findings
) -> list[Confirmation]:
    """The warnings confirmed: `confirmations` (who, when), and the older bare list."""
    confirmations: list[Confirmation] = []
    legacy = doc.get("confirmed_warnings", [])
    if not isinstance(legacy, list) or not all(isinstance(c, str) for c in legacy):
        findings.at_key("«confirmed_warnings» phải là danh sách chuỗi", "confirmed_warnings")
        legacy = []
    confirmations += [Confirmation(code) for code in legacy]
    listed = doc.get("confirmations", [])
    if not isinstance(listed, list):
        findings.at_key("«confirmations» phải là danh sách các xác nhận", "confirmations")
        listed = []
    for item in listed:
        if (
            not isinstance(item, dict)
            or not isinstance(item.get("warning"), str)
            or not isinstance(item.get("by", ""), str)
            or ("at" in item and _moment(item["at"], timezone) is None)
            or not set(item) <= CONFIRMATION_KEYS
        ):
            findings.at_key(
                'mỗi mục của «confirmations» phải là { warning = "…", by = "…", at = thời điểm }',
                "confirmations",
            )
            continue
        at = _moment(item["at"], timezone) if "at" in item else None
        confirmations.append(Confirmation(item["warning"], nfc(item.get("by", "")), at))
    return confirmations


def _figures(raw_figures: object, unit: Unit, findings: _Findings) -> dict[str, Value]:
    """The [figures] table: each key a field of the unit's form, each value of its type."""
    figures: dict[str, Value] = {}
    if not isinstance(raw_figures, dict):
        findings.at_key("«figures» phải là một bảng [figures]", "figures")
        return figures
    form = unit.form
    for key, value in raw_figures.items():
        form_field = form.field(key)
        if form_field is None:
            known = ", ".join(f.id for f in form.fields)
            findings.at_key(
                f"chỉ tiêu «{key}» không có trong biểu mẫu của nhóm «{unit.group.name}» "
                f"(có: {known})",
                key,
                True,
            )
            continue
        checked = check_type(form_field.type, value)
        if isinstance(checked, str) and form_field.type != "text":
            findings.at_key(f"«{form_field.label}» ({key}): {checked}", key, True)
            continue
        if form_field.type == "text" and isinstance(value, str):
            checked = _text(value, key, findings, in_figures=True)
        figures[key] = checked
    return figures


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
            moment = value.astimezone(timezone)
            moment.utcoffset()
            return moment
        except (OverflowError, ValueError):  # year 1 or 9999 shifted out of range
            return None
    return None


def _text(value: object, key: str, findings: _Findings, in_figures: bool = False) -> str:
    if not isinstance(value, str):
        findings.at_key(f"«{key}» phải là văn bản trong ngoặc kép", key, in_figures)
        return ""
    normalised = unicodedata.normalize("NFC", value)
    if normalised != value:
        findings.at_key(
            f"«{key}» ở dạng Unicode tổ hợp (NFD); đọc như NFC, lần lưu sau sẽ chuẩn hoá",
            key,
            in_figures,
            "warning",
        )
    return normalised
