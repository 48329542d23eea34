"""The province's list of its districts (`province --districts`): who must send, so that a
district left out is named, and "Toàn tỉnh" is said only of the whole province.

Nothing a district sends says how many districts its province has: its `units.yaml`
names its own district and province, no more. The list is the province clerk's own
sheet (CSV or xlsx, read as every spreadsheet is, base/spreadsheet.py), a header row
then one district per row: its name, and its GSO code where known (a source is matched
by its GSO code when both have one, else by its name, case and diacritics aside).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bluezone_tui.base.problems import ConfigError, RefusedError
from bluezone_tui.base.safe_text import printable
from bluezone_tui.base.spreadsheet import BadCell, SpreadsheetError, header_row, read_table
from bluezone_tui.base.vn import fold

NAME_HEADERS = ("ten", "ten huyen", "huyen", "ten don vi", "don vi", "district", "name",
                "huyen, thi xa, thanh pho", "ten huyen, thi xa, thanh pho")  # fmt: skip
CODE_HEADERS = ("ma", "ma thong ke", "ma gso", "ma hanh chinh", "ma dvhc", "ma huyen",
                "gso_code", "gso code", "code")  # fmt: skip
MAX_DISTRICTS = 100  # a province has at most a few dozen


@dataclass(frozen=True, slots=True)
class Listed:
    """One district the province expects a source for."""

    name: str
    gso_code: str
    line: int


def _folded(cell: Any) -> str:
    return " ".join(fold(str(cell or "")).strip().rstrip(":*").split())


def _is_header(cells: list[Any]) -> bool:
    return any(_folded(c) in NAME_HEADERS for c in cells)


def read_districts(path: Path) -> list[Listed]:
    """The list, or ConfigError (exit 2) naming the file (and the line) that cannot be used."""
    try:
        table = read_table(path)
    except SpreadsheetError as exc:
        raise ConfigError(f"--districts: {exc}") from None
    at = header_row(table, _is_header)
    if at is None:
        raise ConfigError(
            f"--districts: {path}: không thấy dòng tiêu đề có cột tên huyện («Tên huyện» "
            f"hoặc «name»; cột «Mã thống kê» hoặc «gso_code» nếu có)"
        )
    headers = [_folded(c) for c in table.rows[at][1]]
    name_at = next(i for i, h in enumerate(headers) if h in NAME_HEADERS)
    code_at = next((i for i, h in enumerate(headers) if h in CODE_HEADERS), None)
    listed: list[Listed] = []
    problems: list[str] = []
    for line, cells in table.rows[at + 1 :]:
        name = _cell(cells, name_at)
        code = _cell(cells, code_at) if code_at is not None else ""
        bad = next((c for c in (name, code) if isinstance(c, BadCell)), None)
        if bad is not None:
            problems.append(f"dòng {line}: {bad.problem()}")
            continue
        if not name:
            problems.append(f"dòng {line}: thiếu tên huyện")
            continue
        for other in listed:
            if fold(other.name) == fold(name) or (code and code == other.gso_code):
                problems.append(f"dòng {line}: «{name}» trùng với dòng {other.line}")
                break
        else:
            listed.append(Listed(name, code, line))
    if problems:
        raise ConfigError(f"--districts: {path}: " + "; ".join(printable(p) for p in problems))
    if not listed:
        raise ConfigError(f"--districts: {path}: danh sách không có huyện nào")
    if len(listed) > MAX_DISTRICTS:
        raise ConfigError(
            f"--districts: {path}: {len(listed)} huyện, quá {MAX_DISTRICTS}: không phải danh "
            f"sách huyện của một tỉnh"
        )
    return listed


def _cell(cells: list[Any], index: int | None) -> Any:
    if index is None or index >= len(cells) or cells[index] is None:
        return ""
    value = cells[index]
    if isinstance(value, BadCell):
        return value
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split())


def is_listed(listed: Listed, name: str, gso_code: str) -> bool:
    """The source (its district's name and GSO code) is this district of the list."""
    if listed.gso_code and gso_code:
        return listed.gso_code == gso_code
    return fold(listed.name) == fold(name)


def not_listed(path: Path, name: str, districts: Path) -> RefusedError:
    return RefusedError(
        f"{path}: {name} không có trong danh sách huyện của tỉnh ({districts}): nguồn nhầm "
        f"tỉnh, hoặc danh sách thiếu huyện này"
    )
