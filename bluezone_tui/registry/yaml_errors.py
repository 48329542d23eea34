"""PyYAML's parser errors, said in Vietnamese at the line where the fault is.

PyYAML (and libyaml under it) reports where it gave up, often a line or more after
the slip: an unclosed quote is noticed at the next quote, a missing space after `:`
at the next key. Here the fault is looked for between where PyYAML began the
construct (its context mark) and where it gave up, among the slips a clerk makes:
a Tab or a non-breaking space in the indentation, a quote or a bracket left open, a
`:` with no space after it, a `: ` inside an unquoted value, a dropped "- ", a key
indented differently from its neighbours, a value starting with a YAML sign.
Messages of both loaders (libyaml's and pure Python's) are recognised.
"""

from __future__ import annotations

import re

import yaml

ODD_SPACES = "\u00a0\u2007\u202f\u3000\ufeff\u200b"
YAML_SIGNS = "@`%&*!|>?"
_KEY_WITHOUT_SPACE = re.compile(r"\s*(?:-\s+)?[\w-]+:(?=[^\s:/])")
_QUOTE_THEN_TEXT = re.compile(r'"[^"\n]*"(?=[^\s,}\]:#])')


def explain(text: str, exc: yaml.MarkedYAMLError) -> tuple[str, int | None, int | None]:
    """(message, 1-based line, 1-based column) of a YAML error, in Vietnamese."""
    lines = text.split("\n")
    problem, context = exc.problem_mark, exc.context_mark
    if problem is None:
        problem, context = context, None
    if problem is None:
        return _fallback(exc), None, None
    end = min(problem.line, len(lines) - 1)
    start = context.line if context is not None and context.line <= end else end
    words = f"{exc.problem or ''} | {exc.context or ''}"
    finding = (
        _in_indentation(lines, start, end)
        or _by_kind(words, lines, start, end, problem)
        or (_fallback(exc), end)
    )
    message, line = finding
    column = _column(lines, line, problem)
    return f"YAML không hợp lệ: {message}", line + 1, column


def _column(lines: list[str], line: int, problem: yaml.Mark) -> int:
    if line == problem.line:
        return problem.column + 1
    content = lines[line] if line < len(lines) else ""
    return len(content) - len(content.lstrip()) + 1


def _indent(line: str) -> str:
    return line[: len(line) - len(line.lstrip(" \t" + ODD_SPACES))]


def _in_indentation(lines: list[str], start: int, end: int) -> tuple[str, int] | None:
    """A Tab or a non-breaking space before a key: never valid, wherever PyYAML noticed."""
    for index in range(start, end + 1):
        indent = _indent(lines[index])
        if "\t" in indent:
            return (
                "dòng này thụt lề bằng phím Tab; YAML chỉ nhận dấu cách: xóa Tab và gõ dấu "
                "cách (thẳng hàng với các dòng cùng cấp)",
                index,
            )
        if any(ch in ODD_SPACES for ch in indent):
            return (
                "đầu dòng có dấu cách đặc biệt (dấu cách không ngắt, thường do chép từ Word "
                "hay trang web): xóa khoảng trống đầu dòng và gõ lại bằng dấu cách",
                index,
            )
    return None


def _open_quote(lines: list[str], start: int, end: int) -> tuple[str, int] | None:
    for index in range(max(start, end - 10), end + 1):
        code = _without_comment(lines[index])
        if code.count('"') % 2:
            return (
                'dấu ngoặc kép «"» mở ở dòng này chưa đóng: thêm «"» ở cuối giá trị',
                index,
            )
        if _QUOTE_THEN_TEXT.search(code):
            return (
                "có ngoặc kép nằm trong một giá trị đặt trong ngoặc kép: dùng ngoặc đơn bên "
                "ngoài ('Ấp \"Mới\"') hoặc bỏ ngoặc kép bên trong",
                index,
            )
        stripped = code.split(":", 1)[-1].strip()
        if stripped.startswith("'") and stripped.count("'") % 2:
            return "dấu ngoặc đơn «'» mở ở dòng này chưa đóng: thêm «'» ở cuối giá trị", index
    return None


def _without_comment(line: str) -> str:
    """The line up to a comment (`#` after a space, outside quotes)."""
    quote = None
    for position, ch in enumerate(line):
        if quote:
            if ch == quote:
                quote = None
        elif ch in "\"'" and (position == 0 or line[position - 1] in " [{,:"):
            quote = ch
        elif ch == "#" and (position == 0 or line[position - 1] in " \t"):
            return line[:position]
    return line


def _brackets(lines: list[str], start: int, end: int) -> tuple[str, int] | None:
    """A `[` or `{` left open (or one `]` too many) in the lines of a flow collection."""
    depth = {"[": 0, "{": 0}
    closing = {"]": "[", "}": "{"}
    opened_at = {"[": start, "{": start}
    for index in range(start, end + 1):
        code = re.sub(r'"[^"]*"|\'[^\']*\'', "", _without_comment(lines[index]))
        for ch in code:
            if ch in depth:
                if depth[ch] == 0:
                    opened_at[ch] = index
                depth[ch] += 1
            elif ch in closing:
                depth[closing[ch]] -= 1
                if depth[closing[ch]] < 0:
                    return f"thừa dấu «{ch}» ở dòng này (không có ngoặc mở tương ứng)", index
    for ch, close in (("[", "]"), ("{", "}")):
        if depth[ch] > 0 and opened_at[ch] < end:
            last = max(
                (i for i in range(opened_at[ch], end) if _without_comment(lines[i]).strip()),
                default=opened_at[ch],
            )
            where = "ở dòng này" if last == opened_at[ch] else f"ở dòng {opened_at[ch] + 1}"
            return f"ngoặc «{ch}» mở {where} chưa đóng: thêm «{close}» ở cuối dòng này", last
    return None


def _colon_in_value(line: str) -> bool:
    """`name: Xã A: B` or `{person: Văn phòng: UBND}`: a second ": " in an unquoted value."""
    code = re.sub(r'"[^"]*"|\'[^\']*\'', '""', _without_comment(line))
    for part in re.split(r"[,{}\[\]]", code):
        if (part.rstrip() + " ").count(": ") > 1:
            return True
    return False


_QUOTE_IT = 'đặt giá trị này trong ngoặc kép ("…") vì {why}'


def _by_kind(
    words: str, lines: list[str], start: int, end: int, problem: yaml.Mark
) -> tuple[str, int] | None:
    line = lines[end] if end < len(lines) else ""
    if "could not find expected ':'" in words:
        if _KEY_WITHOUT_SPACE.match(lines[start]):
            return (
                "thiếu dấu cách sau «:» (viết «population: 8700», không phải «population:8700»)",
                start,
            )
        return "dòng này thiếu «:» giữa tên khóa và giá trị (ví dụ «name: Xã A»)", start
    if "unknown escape" in words:
        return (
            "trong ngoặc kép, dấu «\\» mở đầu một ký tự đặc biệt: dùng ngoặc đơn '…' hoặc viết «\\\\»",
            end,
        )
    if "quoted scalar" in words:
        quote = _open_quote(lines, start, start)
        return quote or ('dấu ngoặc kép «"» mở ở dòng này chưa đóng', start)
    if "single document" in words:
        return "tệp chỉ được có một phần: xóa dòng «---» này", end
    if "flow" in words:
        return (
            _open_quote(lines, start, end)
            or _missing_comma(lines, start, end)
            or _colon_finding(lines, start, end, "trong {…} hay […] nó có dấu «: »")
            or _brackets(lines, start, end)
            or ("thiếu dấu phẩy giữa các mục trong ngoặc {…} hay […], hoặc thiếu ngoặc đóng", start)
        )
    if "mapping values are not allowed" in words:
        return _QUOTE_IT.format(why="có dấu «: » ở giữa"), end
    if "cannot start any token" in words or "mapping keys are not allowed" in words:
        sign = line[problem.column : problem.column + 1] if problem.line == end else ""
        if sign == "\t":
            return "có phím Tab ở đây; YAML chỉ nhận dấu cách: thay Tab bằng dấu cách", end
        return _QUOTE_IT.format(why=f"nó bắt đầu bằng ký hiệu «{sign or '?'}» của YAML"), end
    if "alias" in words or "anchor" in words or "block scalar" in words:
        sign = "*" if "alias" in words else "&" if "anchor" in words else "| hay >"
        return _QUOTE_IT.format(why=f"nó bắt đầu bằng ký hiệu «{sign}» của YAML"), end
    if "'-' indicator" in words or "block collection" in words:
        return _block_line(lines, end, in_list=True)
    if "expected key" in words or "block end" in words or "block mapping" in words:
        return (
            _open_quote(lines, start, end)
            or _brackets(lines, end, end)
            or _colon_finding(lines, end, end, "nó có dấu «: » ở giữa")
            or _block_line(lines, end, in_list=False)
        )
    return None


def _missing_comma(lines: list[str], start: int, end: int) -> tuple[str, int] | None:
    """`{staff: 65 students: 1120}`: a key written right after a value, without a comma."""
    for index in range(start, end + 1):
        code = re.sub(r'"[^"]*"|\'[^\']*\'', '""', _without_comment(lines[index]))
        for part in re.split(r"[,{}\[\]]", code):
            found = re.search(r":\s+\S.*?\s([a-z][a-z0-9_]*):\s", part + " ")
            if found:
                return (
                    f"thiếu dấu phẩy trước «{found.group(1)}:» (các mục trong {{…}} cách nhau bằng «, »)",
                    index,
                )
    return None


def _colon_finding(lines: list[str], start: int, end: int, why: str) -> tuple[str, int] | None:
    for index in range(start, end + 1):
        if _colon_in_value(lines[index]):
            return _QUOTE_IT.format(why=why), index
    return None


def _block_line(lines: list[str], end: int, in_list: bool) -> tuple[str, int]:
    """A line that does not line up: a dropped "- ", "-" without a space, or a key indented
    more or less than its neighbours."""
    line = lines[end] if end < len(lines) else ""
    stripped = line.lstrip()
    indent = len(line) - len(stripped)
    if re.match(r"-[^\s-]", stripped):
        return "sau dấu «-» ở đầu mục cần một dấu cách (viết «- id: …»)", end
    above = [
        lines[i]
        for i in range(end - 1, -1, -1)
        if lines[i].strip() and not lines[i].lstrip().startswith("#")
    ]
    dash_at = next((len(a) - len(a.lstrip()) for a in above if a.lstrip().startswith("- ")), None)
    if in_list and dash_at == indent and not stripped.startswith("- "):
        return (
            "dòng này thiếu «- » ở đầu: mỗi mục của danh sách (mỗi đơn vị) bắt đầu bằng «- », "
            "thẳng hàng với «- » của các mục trên",
            end,
        )
    if above:
        neighbour = above[0]
        neighbour_indent = len(neighbour) - len(neighbour.lstrip())
        if neighbour.lstrip().startswith("- "):
            neighbour_indent += 2
        if indent != neighbour_indent:
            return (
                f"thụt lề sai: dòng này lùi {indent} dấu cách, còn các khóa cùng cấp ở dòng trên "
                f"lùi {neighbour_indent}; sửa cho thẳng hàng",
                end,
            )
    return "dòng này không thẳng hàng với các dòng cùng cấp (thụt lề sai hoặc thiếu «- »)", end


_PHRASES = (
    ("could not determine a constructor for the tag", "thẻ YAML «{tag}» không được dùng"),
    ("found undefined alias", "giá trị bắt đầu bằng «*» phải đặt trong ngoặc kép"),
    ("found duplicate anchor", "giá trị bắt đầu bằng «&» phải đặt trong ngoặc kép"),
    (
        "found unexpected end of stream",
        "tệp kết thúc giữa chừng (thiếu ngoặc hay dấu ngoặc kép đóng?)",
    ),
)


def _fallback(exc: yaml.MarkedYAMLError) -> str:
    """Messages already ours (duplicate keys, octal numbers) pass through; others are named."""
    problem = exc.problem or exc.context or ""
    for english, vietnamese in _PHRASES:
        if english in problem:
            tag = problem.rsplit(" ", 1)[-1].strip("'").replace("tag:yaml.org,2002:", "!!")
            return vietnamese.format(tag=tag) + " (bỏ ký hiệu đó hoặc đặt giá trị trong ngoặc kép)"
    if problem and not problem.isascii():
        return problem
    return f"lỗi cú pháp ({problem or 'không rõ'}); xem lại dòng này và dòng ngay trên"
