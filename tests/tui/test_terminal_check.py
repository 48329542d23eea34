"""A non-UTF-8 locale: the board says what is wrong and how to fix it, before it starts."""

from __future__ import annotations

import io
import os
import subprocess
import sys

import pytest

from bluezone_tui.tui.terminal_check import encoding_problem
from helpers.terminal import read_until_closed


def stream(encoding: str) -> io.TextIOWrapper:
    return io.TextIOWrapper(io.BytesIO(), encoding=encoding)


def test_utf8_is_fine_whatever_it_is_called():
    assert encoding_problem(stream("utf-8"), stream("UTF8")) is None


@pytest.mark.parametrize("encoding", ["latin-1", "ascii", "cp1258", "iso8859-15"])
def test_other_encodings_get_the_fix_in_plain_ascii(encoding):
    message = encoding_problem(stream("utf-8"), stream(encoding))
    assert message is not None
    assert "LANG=C.UTF-8 bluezone board" in message and "UTF-8" in message
    message.encode("ascii")  # readable in the very session that cannot show Vietnamese


@pytest.mark.terminal
def test_board_under_a_latin1_locale_exits_2_with_the_fix(demo_data):
    pty = pytest.importorskip("pty")
    primary, secondary = pty.openpty()
    env = dict(os.environ, PYTHONIOENCODING="latin-1", BLUEZONE_DATA=str(demo_data))
    env.pop("PYTHONUTF8", None)
    try:
        process = subprocess.run(
            [sys.executable, "-m", "bluezone_tui", "board"],
            stdin=secondary,
            stdout=secondary,
            stderr=secondary,
            env=env,
            timeout=60,
        )
        os.close(secondary)
        output = read_until_closed(primary)
    finally:
        os.close(primary)
    assert process.returncode == 2
    text = output.decode("ascii", "replace")
    assert "LANG=C.UTF-8" in text and "\x1b[?1049h" not in text  # said before any drawing
