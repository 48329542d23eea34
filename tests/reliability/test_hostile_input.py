"""Hostile input, table-driven, through the real CLI in a copy of the shipped data.

Each case damages one thing, then `check`, `status` and `export` run as processes
with a timeout and a memory limit. Each must name the culprit in a clear message,
exit with the contract's code (0 ok, 1 problems, 2 configuration), never print a
traceback, leave every other file byte for byte as it was, and (for a bad
submission file) still report every other unit.
"""

from __future__ import annotations

import csv
import io
import os
import random
import shutil
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import yaml

from helpers.data import SHIPPED_REGISTRY, copy_shipped, snapshot
from helpers.process import run_cli

DAY = "2020-08-20"
NOW = "2020-08-20T16:00"
UNIT = "xa-long-khanh-b"
GOOD = """revision = 1
reported_at = 2020-08-20 14:33:00+07:00
entered_by = "tran.van.hung"
entered_at = 2020-08-20 14:52:00+07:00

[figures]
residents_installed = 433
teams_formed = 2
hamlets_with_team = 2
households_visited = 133
desk_officer = true
desk_helped = 3
"""
SHIPPED_IDS = {unit["id"] for unit in yaml.safe_load(SHIPPED_REGISTRY.read_text("utf-8"))["units"]}


def day_file(data: Path, unit_id: str = UNIT, day: str = DAY) -> Path:
    return data / "submissions" / day / f"{unit_id}.toml"


def write(data: Path, content: str | bytes, unit_id: str = UNIT, name: str | None = None) -> Path:
    path = day_file(data, unit_id) if name is None else data / "submissions" / DAY / name
    if isinstance(content, str):
        content = content.encode("utf-8")
    path.write_bytes(content)
    return path


def good_with(old: str, new: str) -> str:
    assert old in GOOD
    return GOOD.replace(old, new)


def edit_registry(data: Path, old: str, new: str, count: int = 1) -> Path:
    path = data / "units.yaml"
    text = path.read_text("utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, count), "utf-8")
    return path


BOMB = "".join(
    [
        'lol1: &lol1 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]\n',
        *(f"lol{n}: &lol{n} [{', '.join([f'*lol{n - 1}'] * 9)}]\n" for n in range(2, 10)),
    ]
)  # lol9 stands for 9**9 = 387,420,489 strings


def bomb_registry(data: Path, old: str, new: str) -> Path:
    path = edit_registry(data, old, new)
    path.write_text(BOMB + path.read_text("utf-8"), "utf-8")
    return path


# ----------------------------------------------------------------------------- the table

# exit codes of (check, status, export): a configuration error is 2 for every command.
OK = (0, 0, 0)
CONFIG = (2, 2, 2)


@dataclass(frozen=True)
class Case:
    id: str
    damage: Callable[[Path], Path]  # damages the data folder, returns the culprit's path
    codes: tuple[int, int, int]  # expected exit codes of check, status, export
    says: str = ""  # a fragment of the message
    day: str = DAY
    all_units_listed: bool = True  # status still lists every unit
    marks: tuple = field(default=())


def _symlink_out(data: Path) -> Path:
    outside = data.parent / "outside.toml"
    outside.write_text(GOOD, "utf-8")
    link = day_file(data)
    link.unlink()
    link.symlink_to(outside)
    return link


def _day_symlink_out(data: Path) -> Path:
    outside = data.parent / "outside-day"
    outside.mkdir()
    (outside / f"{UNIT}.toml").write_text(GOOD.replace("2020-08-20", "2020-08-27"), "utf-8")
    link = data / "submissions" / "2020-08-27"
    link.symlink_to(outside, target_is_directory=True)
    return link


def _fifo(data: Path) -> Path:
    path = day_file(data)
    path.unlink()
    os.mkfifo(path)
    return path


def _folder_named_like_a_file(data: Path) -> Path:
    path = day_file(data)
    path.unlink()
    path.mkdir()
    return path


def _nested_toml(opening: str, closing: str, depth: int) -> str:
    return "nested = " + opening * depth + "1" + closing * depth + "\n" + GOOD


def _big_registry(data: Path) -> Path:
    path = data / "units.yaml"
    filler = ("# " + "x" * 1022 + "\n").encode()
    with open(path, "ab") as handle:
        for _ in range(50 * 1024):
            handle.write(filler)
    assert path.stat().st_size > 50 * 1024 * 1024
    return path


def _binary(data: Path) -> Path:
    return write(data, random.Random(4).randbytes(4096))


def _duplicate_id(data: Path) -> Path:
    return edit_registry(
        data,
        "  - id: xa-thuong-phuoc-2\n",
        "  - id: xa-thuong-phuoc-1\n",
    )


def _submissions_replaced(data: Path, how: str) -> Path:
    root = data / "submissions"
    shutil.rmtree(root)
    if how == "file":
        root.write_text("không phải thư mục\n")
    elif how == "dangling":
        root.symlink_to(data / "khong-co", target_is_directory=True)
    return root


def _day_folder_fifo(data: Path) -> Path:
    day = data / "submissions" / DAY
    shutil.rmtree(day)
    os.mkfifo(day)
    return day


def _registry_fifo(data: Path) -> Path:
    path = data / "units.yaml"
    path.unlink()
    os.mkfifo(path)
    return path


def _dated(data: Path, moment: str) -> Path:
    return write(data, GOOD.replace("reported_at = 2020-08-20 14:33:00", f"reported_at = {moment}"))


ESC_NOTE = 'note = "\\u001b]0;pwned\\u0007\\u001b[31m\\u202eđỏ"\n'
FIFOS = (pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here"),)

CASES = [
    # --- issue 7: a data folder or a registry that cannot be used, named, never a hang
    Case(
        "submissions-is-a-file",
        lambda d: _submissions_replaced(d, "file"),
        CONFIG,
        "đang là",
        all_units_listed=False,
    ),  # fmt: skip
    Case(
        "submissions-dangling-symlink",
        lambda d: _submissions_replaced(d, "dangling"),
        CONFIG,
        "liên kết tượng trưng hỏng",
        all_units_listed=False,
    ),  # fmt: skip
    Case("day-folder-is-a-fifo", _day_folder_fifo, (1, 1, 1), "thư mục ngày", marks=FIFOS),
    Case(
        "units-yaml-is-a-fifo", _registry_fifo, CONFIG, "FIFO", all_units_listed=False, marks=FIFOS
    ),  # fmt: skip
    Case(
        "report-timed-the-day-before",
        lambda d: _dated(d, "2020-08-19 14:33:00"),
        (1, 1, 1),
        "không thuộc ngày báo cáo",
    ),  # fmt: skip
    Case(
        "report-timed-the-next-day",
        lambda d: _dated(d, "2020-08-21 09:00:00"),
        (1, 1, 1),
        "không thuộc ngày báo cáo",
    ),  # fmt: skip
    Case(
        "report-timed-in-year-one",
        lambda d: _dated(d, "0001-01-01 14:33:00"),
        (1, 1, 1),
        "01/01/0001",
    ),  # fmt: skip
    Case(
        "escape-sequences-in-a-note-and-a-key",
        lambda d: write(d, good_with("[figures]", ESC_NOTE + '"\\u001b[2J" = 1\n[figures]')),
        (1, 0, 0),
        "\\x1b[2J",
    ),  # fmt: skip
    Case(
        "duplicate-key-deadline",
        lambda d: edit_registry(
            d, '    deadline: "15:00"\n', '    deadline: "15:00"\n    deadline: null\n'
        ),
        CONFIG,
        "bị lặp",
        all_units_listed=False,
    ),  # fmt: skip
    Case(
        "duplicate-key-population",
        lambda d: edit_registry(d, "population: 8840 ", "population: 1000\n    population: 8840 "),
        CONFIG,
        "«population» bị lặp",
        all_units_listed=False,
    ),  # fmt: skip
    Case(
        "octal-phone",
        lambda d: edit_registry(d, 'phone: "0277 3800 103"', "phone: 0277350017"),
        CONFIG,
        "50188303",
        all_units_listed=False,
    ),  # fmt: skip
    Case(
        "octal-population",
        lambda d: edit_registry(d, "population: 8840 ", "population: 010000 "),
        CONFIG,
        "bát phân",
        all_units_listed=False,
    ),  # fmt: skip
    Case(
        "phone-as-a-number",
        lambda d: edit_registry(d, 'phone: "0277 3800 103"', "phone: 2773800103"),
        CONFIG,
        "ngoặc kép",
        all_units_listed=False,
    ),  # fmt: skip
    Case(
        "gso-code-as-a-number",
        lambda d: edit_registry(d, 'gso_code: "29974"', "gso_code: 29974"),
        CONFIG,
        "ngoặc kép",
        all_units_listed=False,
    ),  # fmt: skip
    Case(
        "name-read-as-a-boolean",
        lambda d: edit_registry(d, "short_name: TT Thường Thới Tiền", "short_name: yes"),
        CONFIG,
        "đúng/sai",
        all_units_listed=False,
    ),  # fmt: skip
    Case(
        "git-conflict-in-units-yaml",
        lambda d: edit_registry(
            d,
            "    population: 8840 ",
            "<<<<<<< HEAD\n    population: 8840 \n=======\n    population: 8841\n>>>>>>> other\n    population: 8840 ",
        ),
        CONFIG,
        "xung đột git",
        all_units_listed=False,
    ),  # fmt: skip
    Case(
        "issuer-in-the-old-shape",
        lambda d: edit_registry(
            d, "  issuer: PHÒNG VĂN HÓA VÀ THÔNG TIN", "  issuer: [ỦY BAN NHÂN DÂN, HUYỆN HỒNG NGỰ]"
        ),
        CONFIG,
        "report.authority",
        all_units_listed=False,
    ),  # fmt: skip
    # --- submission files: the file is named, the other 27 units still reported
    Case("malformed-toml", lambda d: write(d, "revision = \n" + GOOD[13:]), (1, 1, 1), "TOML"),
    Case(
        "git-conflict-markers",
        lambda d: write(
            d,
            good_with(
                "residents_installed = 433\n",
                "<<<<<<< HEAD\nresidents_installed = 433\n=======\n"
                "residents_installed = 440\n>>>>>>> origin/main\n",
            ),
        ),
        (1, 1, 1),
        "xung đột git",
    ),
    Case(
        "unknown-unit",
        lambda d: write(d, GOOD, name="xa-khong-co-that.toml"),
        (1, 1, 1),
        "không có trong units.yaml",
    ),
    Case(
        "invalid-file-name",
        lambda d: write(d, GOOD, name="Xa_Long_Khanh.toml"),
        (1, 1, 1),
        "không phải mã đơn vị hợp lệ",
    ),
    Case(
        "windows-reserved-file-name",
        lambda d: write(d, GOOD, name="con.toml"),
        (1, 1, 1),
        "Windows",
    ),
    Case(
        "non-numeric-figure",
        lambda d: write(d, good_with("= 433", '= "bốn trăm"')),
        (1, 1, 1),
        "số nguyên",
    ),
    Case(
        "negative-figure",
        lambda d: write(d, good_with("= 433", "= -433")),
        (1, 1, 1),
        "không được nhỏ hơn 0",
    ),
    Case(
        "absurdly-large-figure",
        lambda d: write(d, good_with("= 433", "= 433000000000000")),
        (1, 1, 1),
        "lớn bất thường",
    ),
    Case(
        "five-thousand-digit-figure",
        lambda d: write(d, good_with("= 433", "= " + "9" * 5000)),
        (1, 1, 1),
        "chữ số",
    ),
    Case("nan", lambda d: write(d, good_with("= 433", "= nan")), (1, 1, 1), "nan/inf"),
    Case("infinity", lambda d: write(d, good_with("= 433", "= inf")), (1, 1, 1), "nan/inf"),
    Case("minus-infinity", lambda d: write(d, good_with("= 433", "= -inf")), (1, 1, 1), "nan/inf"),
    Case("float", lambda d: write(d, good_with("= 433", "= 433.5")), (1, 1, 1), "thập phân"),
    Case(
        "nfd-note",
        lambda d: write(
            d,
            good_with(
                'entered_by = "tran.van.hung"\n', 'entered_by = "x"\nnote = "Đã đủ"\n'
            ).replace("Đã đủ", "\u0110a\u0303 \u0111u\u0309"),
        ),
        (1, 0, 0),  # a warning: check lists it, the reports go on
        "NFD",
    ),
    Case(
        "ten-megabyte-file",
        lambda d: write(d, GOOD + "# " + "x" * (10 * 1024 * 1024) + "\n"),
        (1, 1, 1),
        "giới hạn",
    ),
    Case(
        "deeply-nested-arrays",
        lambda d: write(d, _nested_toml("[", "]", 100_000)),
        (1, 1, 1),
        "TOML",
    ),
    Case(
        "deeply-nested-inline-tables",
        lambda d: write(d, _nested_toml("{a = ", "}", 50_000)),
        (1, 1, 1),
        "TOML",
    ),
    Case(
        "deeply-dotted-key",  # tomllib would take memory quadratic in the depth
        lambda d: write(d, "x" + ".x" * 100_000 + " = 1\n" + GOOD),
        (1, 1, 1),
        "lồng quá sâu",
    ),
    Case(
        "forty-thousand-unknown-keys",  # one message each, found in linear time
        lambda d: write(d, GOOD + "".join(f"junk_{i} = {i}\n" for i in range(40_000))),
        (1, 1, 1),
        "junk_39999",
    ),
    Case("binary-junk", _binary, (1, 1, 1), "UTF-8"),
    Case(
        "nul-bytes",
        lambda d: write(d, GOOD.replace("\n[figures]", "\x00\n[figures]")),
        (1, 1, 1),
        "NUL",
    ),
    Case("empty-file", lambda d: write(d, ""), (1, 1, 1), "reported_at"),
    Case(
        "unknown-field",
        lambda d: write(d, GOOD + "residents_hacked = 1\n"),
        (1, 1, 1),
        "residents_hacked",
    ),
    Case(
        "figures-not-a-table",
        lambda d: write(d, GOOD.split("\n[figures]")[0] + "\nfigures = 5\n"),
        (1, 1, 1),
        "figures",
    ),
    Case(
        "symlink-out-of-submissions",
        _symlink_out,
        (1, 1, 1),
        "ra ngoài",
    ),
    Case(
        "day-folder-symlinked-out",
        _day_symlink_out,
        (1, 1, 1),
        "ra ngoài",
        day="2020-08-27",
    ),
    Case(
        "folder-named-like-a-file",
        _folder_named_like_a_file,
        (1, 1, 1),
        "tệp thường",
    ),
    Case(
        "fifo-named-like-a-file",
        _fifo,
        (1, 1, 1),
        "tệp thường",
        marks=(pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here"),),
    ),
    Case(
        "stray-file",
        lambda d: write(d, "ghi chú", name="ghi-chu.txt"),
        (1, 0, 0),  # a warning
        "tệp lạ",
    ),
    # --- files that are fine after all: read, not refused
    Case(
        "byte-order-mark",  # read, but not TOML for other tools: check warns
        lambda d: write(d, b"\xef\xbb\xbf" + good_with("= 433", "= 434").encode()),
        (1, 0, 0),
        "BOM",
    ),
    Case(
        "crlf-line-ends",
        lambda d: write(d, good_with("= 433", "= 434").replace("\n", "\r\n")),
        OK,
    ),
    # --- the registry: configuration errors, exit 2, units.yaml named with the line
    Case(
        "invalid-yaml",
        lambda d: edit_registry(d, "timezone: Asia/Ho_Chi_Minh\n", "timezone: [Asia/Ho_Chi_Minh\n"),
        CONFIG,
        "YAML không hợp lệ",
        all_units_listed=False,
    ),
    Case(
        "missing-top-level-key",
        lambda d: edit_registry(d, "\nforms:\n", "\nfomrs:\n"),
        CONFIG,
        "forms",
        all_units_listed=False,
    ),
    Case(
        "unit-without-name",
        lambda d: edit_registry(d, "    name: Xã Thường Phước 2\n", ""),
        CONFIG,
        "name",
        all_units_listed=False,
    ),
    Case("duplicate-id", _duplicate_id, CONFIG, "bị lặp", all_units_listed=False),
    Case(
        "id-with-slash",
        lambda d: edit_registry(d, "id: xa-thuong-lac\n", "id: xa/thuong-lac\n"),
        CONFIG,
        "«/»",
        all_units_listed=False,
    ),
    Case(
        "id-with-dot-dot",
        lambda d: edit_registry(d, "id: xa-thuong-lac\n", "id: ../../etc/passwd\n"),
        CONFIG,
        "«..»",
        all_units_listed=False,
    ),
    Case(
        "id-con",
        lambda d: edit_registry(d, "id: xa-thuong-lac\n", "id: con\n"),
        CONFIG,
        "Windows",
        all_units_listed=False,
    ),
    Case(
        "id-nul",
        lambda d: edit_registry(d, "id: xa-thuong-lac\n", "id: nul\n"),
        CONFIG,
        "Windows",
        all_units_listed=False,
    ),
    Case(
        "negative-population",
        lambda d: edit_registry(d, "population: 8840 ", "population: -8840 "),
        CONFIG,
        "âm",
        all_units_listed=False,
    ),
    Case(
        "python-object-tag",
        lambda d: edit_registry(
            d,
            "timezone: Asia/Ho_Chi_Minh",
            "timezone: !!python/object/apply:os.system ['echo pwned']",
        ),
        CONFIG,
        "YAML",
        all_units_listed=False,
    ),
    Case(
        "python-name-tag",
        lambda d: edit_registry(d, "    group: commune\n", "    group: !!python/name:os.system\n"),
        CONFIG,
        "YAML",
        all_units_listed=False,
    ),
    Case(
        "alias-bomb-as-timezone",
        lambda d: bomb_registry(d, "timezone: Asia/Ho_Chi_Minh", "timezone: *lol9"),
        CONFIG,
        "múi giờ «(một danh sách)»",  # named, not expanded
        all_units_listed=False,
    ),
    Case(
        "alias-bomb-as-group",
        lambda d: bomb_registry(d, "    group: commune\n", "    group: *lol9\n"),
        CONFIG,
        "units.yaml",
        all_units_listed=False,
    ),
    Case(
        "alias-bomb-as-form",
        lambda d: bomb_registry(d, "    form: commune\n", "    form: *lol9\n"),
        CONFIG,
        "units.yaml",
        all_units_listed=False,
    ),
    Case(
        "alias-bomb-as-rule",
        lambda d: bomb_registry(d, "{left: residents_installed,", "{left: *lol9,"),
        CONFIG,
        "units.yaml",
        all_units_listed=False,
    ),
    Case(
        "alias-bomb-as-units",
        lambda d: bomb_registry(d, "\nunits:\n", "\nunits: *lol9\nold_units:\n"),
        CONFIG,
        "units.yaml",
        all_units_listed=False,
    ),
    Case(
        "alias-bomb-as-name-and-hamlets",
        lambda d: bomb_registry(
            d,
            "    hamlets: [Ấp 1, Ấp 2, Ấp 3]\n",
            "    hamlets: *lol9\n    gso_code: *lol9\n    note: *lol9\n",
        ),
        CONFIG,
        "units.yaml",
        all_units_listed=False,
    ),
    Case(
        "deeply-nested-yaml",
        lambda d: edit_registry(d, "timezone: Asia/Ho_Chi_Minh", "timezone: " + "[" * 20_000),
        CONFIG,
        "YAML",
        all_units_listed=False,
    ),
    Case(
        "registry-not-utf8",
        lambda d: (d / "units.yaml").write_bytes(b"district: \xff\xfe\n") and d / "units.yaml",
        CONFIG,
        "UTF-8",
        all_units_listed=False,
    ),
    Case(
        "registry-is-a-list",
        lambda d: (d / "units.yaml").write_text("- a\n- b\n") and d / "units.yaml",
        CONFIG,
        "units.yaml",
        all_units_listed=False,
    ),
    Case(
        "registry-missing",
        lambda d: (d / "units.yaml").unlink() or d / "units.yaml",
        CONFIG,
        "units.yaml",
        all_units_listed=False,
    ),
    Case("fifty-megabyte-registry", _big_registry, CONFIG, "MB", all_units_listed=False),
    Case(
        "timezone-is-a-folder",
        lambda d: edit_registry(d, "timezone: Asia/Ho_Chi_Minh", "timezone: Asia"),
        CONFIG,
        "múi giờ",
        all_units_listed=False,
    ),
    Case(
        "timezone-too-long",
        lambda d: edit_registry(d, "timezone: Asia/Ho_Chi_Minh", "timezone: " + "a" * 5000),
        CONFIG,
        "múi giờ",
        all_units_listed=False,
    ),
    Case(
        "yaml-integer-of-5000-digits",
        lambda d: edit_registry(d, "population: 8840 ", "population: " + "9" * 5000 + " "),
        CONFIG,
        "YAML",
        all_units_listed=False,
    ),
    Case(
        "yaml-date-that-does-not-exist",
        lambda d: edit_registry(d, '    gso_code: "29974"\n', "    gso_code: 2020-02-30\n"),
        CONFIG,
        "YAML",
        all_units_listed=False,
    ),
    Case(
        "yaml-bad-int-tag",
        lambda d: edit_registry(d, "population: 8840 ", "population: !!int lots "),
        CONFIG,
        "YAML",
        all_units_listed=False,
    ),
    Case(
        "alias-bomb-as-contact",
        lambda d: bomb_registry(
            d, "{person: Văn phòng UBND xã (mẫu), phone:", "{person: *lol9, phone:"
        ),
        CONFIG,  # not text: named, never expanded
        "person",
        all_units_listed=False,
    ),
]

COMMANDS = {
    "check": lambda day: ["check"],
    "status": lambda day: ["status", "--date", day, "--now", NOW],
    "export": lambda day: ["export", "--date", day, "--now", NOW],
}


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_shipped(tmp_path_factory.mktemp("pristine") / "data")


@pytest.mark.parametrize(
    "case", [pytest.param(case, id=case.id, marks=case.marks) for case in CASES]
)
def test_hostile_input(case: Case, pristine: Path, tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(pristine, data, symlinks=True)
    culprit = case.damage(data)
    before = snapshot(tmp_path)
    # The three commands only read: they run side by side (two cores), checked after.
    with ThreadPoolExecutor(len(COMMANDS)) as pool:
        runs = list(
            pool.map(lambda args: run_cli("--data", data, *args(case.day)), COMMANDS.values())
        )
    assert snapshot(tmp_path) == before, f"{case.id}: files changed"
    for name, expected, result in zip(COMMANDS, case.codes, runs, strict=True):
        where = f"{case.id}: `{name}` said:\n{result.text[-3000:]}"
        assert "Traceback" not in result.text, where
        for raw in ("\x1b", "\x07", "\u202e"):  # nothing from a file reaches a terminal raw
            assert raw not in result.text, where
        assert "lỗi không mong đợi" not in result.text, where  # the CLI's last-resort net
        assert result.code == expected, where
        if expected != 0:
            assert culprit.name in result.text, where
            assert case.says in result.text, where
        if name == "status" and case.all_units_listed and case.day == DAY:
            assert SHIPPED_IDS <= set(result.out.split()), where  # every unit still listed


@pytest.mark.parametrize(
    "unit_id",
    ["../xa-long-khanh-b", "xa/long", "..", "con", "nul", "XA-LONG", "xa-long-khanh-b/../x"],
)
def test_submit_refuses_hostile_unit_ids(unit_id: str, pristine: Path, tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(pristine, data, symlinks=True)
    before = snapshot(tmp_path)
    result = run_cli(
        "--data", data, "submit", unit_id, "--date", DAY, "--now", NOW, "residents_installed=5"
    )
    assert "Traceback" not in result.text
    assert result.code == 1, result.text
    assert "mã đơn vị" in result.text or "không có trong" in result.text, result.text
    assert snapshot(tmp_path) == before


def test_submit_refuses_to_write_through_a_day_folder_symlinked_out(
    pristine: Path, tmp_path: Path
) -> None:
    data = tmp_path / "data"
    shutil.copytree(pristine, data, symlinks=True)
    outside = tmp_path / "outside"
    outside.mkdir()
    (data / "submissions" / "2020-08-27").symlink_to(outside, target_is_directory=True)
    result = run_cli(
        "--data",
        data,
        "submit",
        UNIT,
        "--date",
        "2020-08-27",
        "--now",
        "2020-08-27T10:00",
        "residents_installed=5000",
    )
    assert "Traceback" not in result.text
    assert result.code == 1, result.text
    assert "ra ngoài" in result.text
    assert list(outside.iterdir()) == []


def test_a_good_file_next_to_a_broken_one_still_counts(pristine: Path, tmp_path: Path) -> None:
    """One bad file never hides the others: every other row of the CSV is as before."""

    def rows(data: Path) -> tuple[int, dict[str, list[str]]]:
        result = run_cli("--data", data, "export", "--date", DAY, "--now", NOW, "--format", "csv")
        lines = csv.reader(io.StringIO(result.out.lstrip("\ufeff")))
        return result.code, {row[1]: row for row in list(lines)[1:]}

    code, before = rows(pristine)
    assert code == 0
    data = tmp_path / "data"
    shutil.copytree(pristine, data, symlinks=True)
    write(data, "<<<<<<< HEAD\n")
    code, after = rows(data)
    assert code == 1
    assert after[UNIT][4] == "file_error"
    assert after.keys() == before.keys()
    rank = 14  # the other communes move up a rank: the broken one has no rate today
    for unit_id, row in before.items():
        if unit_id not in (UNIT, "TOTAL"):
            assert (
                after[unit_id][:rank] + after[unit_id][rank + 1 :] == row[:rank] + row[rank + 1 :]
            )
