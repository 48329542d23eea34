"""Issue 14, part 2: the command line in Vietnamese (help, argparse's errors), `check` saying
that it ran, and a report time typed 9:45 or 9h45."""

from __future__ import annotations

import argparse
import ast
import tomllib
from pathlib import Path

import pytest

from bluezone_tui.cli.argparse_vi import MESSAGES, vietnamese
from bluezone_tui.cli.main import build_parser

ENGLISH = (
    "usage:",
    "positional arguments",
    "optional arguments",
    "options:",
    "show this help",
    "the following arguments",
    "invalid choice",
    "unrecognized",
    "expected one argument",
    "ambiguous option",
    "ignored explicit",
    "invalid int value",
    "error:",
    "choose from",
)


def all_parsers() -> list[tuple[str, argparse.ArgumentParser]]:
    with vietnamese():
        root = build_parser()
    found = [("bluezone", root)]
    index = 0
    while index < len(found):
        _, parser = found[index]
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                found += [(sub.prog, sub) for sub in action.choices.values()]
        index += 1
    return found


PROGS = [prog for prog, _ in all_parsers()]


@pytest.mark.parametrize("prog", PROGS)
def test_every_help_is_vietnamese_and_describes_every_argument(cli, prog):
    args = prog.split()[1:]
    code, out, err = cli(*args, "--help")
    assert code == 0 and err == ""
    assert out.startswith("cách dùng: ")
    assert "in trợ giúp này rồi thoát" in out
    for english in ENGLISH:
        assert english not in out.lower(), (english, out)
    parser = dict(all_parsers())[prog]
    assert parser.description, prog
    for action in parser._actions:
        if not isinstance(action, argparse._SubParsersAction):
            assert action.help, (prog, action.dest)  # --format had no help, init's DIR none


def test_init_help_says_what_init_makes(cli):
    _, out, _ = cli("init", "--help")
    flat = " ".join(out.split())
    assert "units.yaml mẫu" in flat and "--district" in flat and "Huyện Tân Hồng" in flat
    _, out, _ = cli("export", "--help")
    assert "csv: bảng số liệu" in " ".join(out.split())


# Every argparse error a user can cause: (arguments, what the message says)
ERRORS = [
    (["frobnicate"], "LỆNH: «frobnicate» không có (chọn một trong: 'board'"),
    (["export", "--format", "odt"], "--format: «odt» không có (chọn một trong: 'text', 'csv'"),
    (["export", "--decimal", ";"], "--decimal: «;» không có"),
    (["submit"], "thiếu tham số bắt buộc: MÃ_ĐƠN_VỊ"),
    (["init"], "thiếu tham số bắt buộc: THƯ_MỤC"),
    (["units"], "thiếu tham số bắt buộc: LỆNH"),
    (["units", "import", "x.csv"], "thiếu tham số bắt buộc: --group"),
    (["export", "--date"], "--date: cần một giá trị ngay sau nó"),
    (["status", "--frob"], "không hiểu tham số: --frob"),
    (["export", "--de", "x"], "--de chưa rõ là tùy chọn nào: --delimiter, --decimal"),
    (["submit", "x", "--confirm-warnings=yes"], "--confirm-warnings: tùy chọn này không nhận giá trị"),
    (["submit", "x", "--if-revision", "abc"], "--if-revision: «abc» không phải số bản"),
]  # fmt: skip


@pytest.mark.parametrize(("args", "words"), ERRORS, ids=[" ".join(a) for a, _ in ERRORS])
def test_every_argument_error_is_vietnamese(cli, tmp_path, args, words):
    code, out, err = cli("--data", tmp_path, *args)
    assert code == 2 and out == ""
    assert words in err, err
    assert "(xem «bluezone" in err  # and where the help is
    for english in ENGLISH:
        assert english not in err.lower(), (english, err)


# Messages argparse has that a user of this command line cannot cause: they are about how
# the parser is built (a programming error), or about features it does not use.
DEVELOPER_ONLY = {
    ".__call__() not defined",
    "'required' is an invalid argument for positionals",
    "mutually exclusive arguments must be optional",
    "cannot merge actions - two groups are named %r",
    "invalid option string %(option)r: must start with a character %(prefix_chars)r",
    "dest= is required for options like %r",
    "invalid conflict_resolution value: %r",
    "cannot have multiple subparser arguments",
    "conflicting subparser: %s",
    "conflicting subparser alias: %s",
    "conflicting option string: %s",
    "conflicting option strings: %s",
    "unknown parser %(parser_name)r (choices: %(choices)s)",
    "%r is not callable",
    'argument "-" with mode %r',
    "subcommands",
}


def test_every_message_of_this_pythons_argparse_is_translated():
    """Read the running Python's argparse for every string it passes to gettext: a new
    Python adding a message a user can see fails here, not in front of a clerk."""
    tree = ast.parse(Path(argparse.__file__).read_text("utf-8"))
    msgids = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) in ("_", "ngettext"):
            for arg in node.args:
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                    msgids.add(arg.value)
    assert "usage: " in msgids and "the following arguments are required: %s" in msgids
    missing = {m for m in msgids - DEVELOPER_ONLY if "deprecated" not in m} - set(MESSAGES)
    assert not missing, missing


def test_vietnamese_is_only_inside_the_block():
    with vietnamese():
        assert argparse._("usage: ") == "cách dùng: "
    assert argparse._("usage: ") == "usage: "  # nothing else in the process is affected


# --------------------------------------------------------------------------- check


def test_check_says_what_it_checked(cli, demo_data):
    code, out, err = cli("--data", demo_data, "check")
    assert code == 0 and out == ""
    assert err.startswith("Đã kiểm tra units.yaml (28 đơn vị, 4 nhóm) và ")
    assert err.rstrip().endswith("tệp số liệu của 7 ngày: không có lỗi")


def test_check_with_problems_says_so_in_the_same_line(cli, demo_data):
    (demo_data / "submissions" / "2020-08-23" / "xa-long-thuan.toml").write_text("x = [\n")
    code, out, err = cli("--data", demo_data, "check")
    assert code == 1 and "xa-long-thuan.toml:" in out
    assert err.rstrip().endswith("của 7 ngày: 1 lỗi, 0 cảnh báo")


# --------------------------------------------------------------------------- 9:45


@pytest.mark.parametrize("typed", ["9:45", "9h45", "09:45", "9H45"])
def test_reported_at_accepts_9_45(cli, demo_data, typed):
    code, out, err = cli(
        "--data", demo_data, "submit", "xa-long-khanh-b", "--date", "2020-08-27",
        "--now", "2020-08-27T16:00", "--reported-at", typed, "residents_installed=900",
    )  # fmt: skip
    assert code == 0, err
    saved = demo_data / "submissions" / "2020-08-27" / "xa-long-khanh-b.toml"
    reported = tomllib.loads(saved.read_text("utf-8"))["reported_at"]
    assert (reported.hour, reported.minute) == (9, 45)
