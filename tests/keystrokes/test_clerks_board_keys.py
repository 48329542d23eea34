"""Two clerks, two logins, two boards on one shared data folder (over SSH, each their own).

Each board is the real `bluezone board` in a pseudo-terminal, run as its clerk's login
(`runuser -u`); the data folder is the shipped data given to their group by
`bluezone init DIR --shared GROUP`. What one clerk saves in their board, the other's
board shows; a correction of the other's unit saves; each commit is its clerk's.
"""

from __future__ import annotations

import os
import pwd
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from helpers.data import copy_shipped
from helpers.logins import Office, office_logins
from helpers.offices import needs_git, registry_text
from helpers.terminal import Board, keys

pytestmark = needs_git
DAY, NOW = "2020-08-27", "2020-08-27T14:30:00"
IDENTITY = ("-c", "user.name=quan.tri", "-c", "user.email=qt@ubnd.example")


@pytest.fixture(scope="module")
def office() -> Iterator[Office]:
    with office_logins(2) as made:
        yield made


@pytest.fixture
def data(office: Office) -> Iterator[Path]:
    """The shipped data with history in git, given to the clerks' group by the administrator."""
    folder = copy_shipped(office.place / "data")
    (folder / "units.yaml").write_text(registry_text("git"), encoding="utf-8")
    for command in (["init", "-q"], ["add", "."], ["commit", "-qm", "Dữ liệu của huyện"]):
        subprocess.run(["git", *IDENTITY, "-C", folder, *command], check=True, capture_output=True)
    shared = office.run(None, "init", folder, "--shared", office.group)
    assert shared.code == 0, shared.text
    yield folder
    subprocess.run(["rm", "-rf", str(folder)], check=False)


def row(screen: str, name: str) -> str:
    return next((line for line in screen.splitlines() if f" {name} " in line), "")


def shows(board: Board, name: str, figure: str) -> str:
    """Wait until `board` shows `name` reported on time with `figure`; its row."""
    screen = board.wait_for(
        lambda text: figure in row(text, name) and "đúng hạn" in row(text, name)
    )
    return row(screen, name)


def test_each_clerks_board_shows_the_others_saves_and_both_save(office, data):
    first, second = office.clerks
    boards = [
        Board(data, DAY, NOW, user=clerk, login_env=office.env()).ready() for clerk in office.clerks
    ]
    try:
        mine, theirs = boards
        mine.send(keys("/", "long khanh b", "Enter", "1500", "F2"))  # the first clerk's unit
        mine.wait_saved("xa-long-khanh-b", 1)
        shows(theirs, "Xã Long Khánh B", "1.500")  # the other board sees it

        theirs.send(keys("/", "long khanh a", "Enter", "1400", "F2"))  # the same day
        theirs.wait_saved("xa-long-khanh-a", 1)
        shows(mine, "Xã Long Khánh A", "1.400")

        theirs.send(keys("/", "long khanh b", "Enter"))  # the first clerk's unit, corrected
        theirs.wait_for("bản 1")
        theirs.send(keys("BSpace", "1600", "F2"))
        theirs.wait_saved("xa-long-khanh-b", 2)
        for board in boards:  # each board shows both
            shows(board, "Xã Long Khánh B", "1.600")
            shows(board, "Xã Long Khánh A", "1.400")
    finally:
        for board in boards:
            board.close()

    files = data / "submissions" / DAY
    owners = {
        name: pwd.getpwuid(os.stat(files / f"{name}.toml").st_uid).pw_name
        for name in ("xa-long-khanh-a", "xa-long-khanh-b")
    }
    assert owners == {"xa-long-khanh-a": second, "xa-long-khanh-b": second}
    log = subprocess.run(
        ["git", "-C", data, "log", "--format=%an|%s", "-3"], capture_output=True, text=True
    ).stdout.splitlines()
    assert [line.split("|")[0] for line in log] == [second, second, first], log
    assert [line.split("|")[1].split(" ")[0] for line in log] == [
        "xa-long-khanh-b",
        "xa-long-khanh-a",
        "xa-long-khanh-b",
    ]
