"""HUONG-DAN.md, the guide for office staff: linked from the README, true to the tool."""

from __future__ import annotations

import re
import shlex

from bluezone_tui.cli.argparse_vi import vietnamese
from bluezone_tui.cli.main import build_parser
from bluezone_tui.day.state import State
from bluezone_tui.tui.screens.help import KEYS
from helpers.data import REPO

GUIDE = (REPO / "HUONG-DAN.md").read_text("utf-8")


def test_the_readme_links_the_guide():
    assert "](HUONG-DAN.md)" in (REPO / "README.md").read_text("utf-8")


def test_the_guide_explains_every_status_and_every_board_key():
    for state in State:
        assert f"| {state.symbol} | {state.label} |" in GUIDE, state
    for key, text in KEYS:
        if key and text and key not in ("Giờ báo cáo", "Dán nhiều dòng", "Rồi", "Xem danh mục",
                                        "Từ bảng tính", "*", "…", "Ctrl+A"):  # fmt: skip
            first = key.split()[0]
            assert first in GUIDE, key


def test_every_command_in_the_guide_is_one_the_tool_takes():
    """Each example is parsed as the tool would: a renamed option fails here."""
    with vietnamese():
        parser = build_parser()
    examples = re.findall(r"^    (bluezone .+)$", GUIDE, re.MULTILINE)
    examples += re.findall(r"`(bluezone [^`]+)`", GUIDE)
    assert len(examples) > 10
    for example in examples:
        words = shlex.split(example)[1:]
        if not words or "LỆNH" in words or "--help" in words:
            continue  # `bluezone LỆNH --help` and the like are shown by every test of help
        args, extra = parser.parse_known_args(words)
        assert not extra, example
