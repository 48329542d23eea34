"""argparse in Vietnamese: its headings, its `-h` line and every error a user can cause.

argparse takes each of these strings through `gettext` (module-level `_` and `ngettext`,
bound at import from the global text domain), so there is no per-parser hook and no
message catalogue to install without a compiled .mo file. `vietnamese()` swaps those
two names in the argparse module for a lookup in MESSAGES while the parser is built
and used, and puts them back after: nothing else in the process is affected.
MESSAGES holds the msgids of Python 3.11 to 3.14; a test reads the running Python's
argparse and fails if a message a user can trigger is missing here.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from contextlib import contextmanager

MESSAGES = {
    # help
    "usage: ": "cách dùng: ",
    "positional arguments": "tham số",
    "options": "tùy chọn",
    "optional arguments": "tùy chọn",
    "show this help message and exit": "in trợ giúp này rồi thoát",
    "show program's version number and exit": "in số phiên bản rồi thoát",
    "%(heading)s:": "%(heading)s:",
    # errors (the argument's name, then the message)
    "argument %(argument_name)s: %(message)s": "%(argument_name)s: %(message)s",
    "the following arguments are required: %s": "thiếu tham số bắt buộc: %s",
    "unrecognized arguments: %s": "không hiểu tham số: %s",
    "expected one argument": "cần một giá trị ngay sau nó",
    "expected at most one argument": "chỉ nhận nhiều nhất một giá trị",
    "expected at least one argument": "cần ít nhất một giá trị",
    "expected %s argument": "cần %s giá trị",
    "expected %s arguments": "cần %s giá trị",
    "invalid choice: %(value)r (choose from %(choices)s)": (
        "«%(value)s» không có (chọn một trong: %(choices)s)"
    ),
    "invalid choice: %(value)r, maybe you meant %(closest)r? (choose from %(choices)s)": (
        "«%(value)s» không có; có phải «%(closest)s»? (chọn một trong: %(choices)s)"
    ),
    "invalid %(type)s value: %(value)r": "giá trị «%(value)s» không hợp lệ (cần %(type)s)",
    "ambiguous option: %(option)s could match %(matches)s": (
        "%(option)s chưa rõ là tùy chọn nào: %(matches)s; viết đủ tên"
    ),
    "ignored explicit argument %r": "tùy chọn này không nhận giá trị (bỏ «=%s»)",
    "not allowed with argument %s": "không dùng cùng với %s",
    "one of the arguments %s is required": "cần một trong các tham số %s",
    "unexpected option string: %s": "tùy chọn không mong đợi: %s",
    "%(prog)s: error: %(message)s\n": "%(prog)s: lỗi: %(message)s\n",
    "can't open '%(filename)s': %(error)s": "không mở được «%(filename)s»: %(error)s",
}


def translate(message: str) -> str:
    return MESSAGES.get(message, message)


def translate_plural(singular: str, plural: str, count: int) -> str:
    return translate(singular if count == 1 else plural)


@contextmanager
def vietnamese() -> Iterator[None]:
    """argparse speaks Vietnamese inside this block (building, parsing, printing help)."""
    hooks = vars(argparse)  # its gettext functions `_` and `ngettext` (not in its stubs)
    saved = hooks["_"], hooks["ngettext"]
    hooks["_"], hooks["ngettext"] = translate, translate_plural
    try:
        yield
    finally:
        hooks["_"], hooks["ngettext"] = saved
