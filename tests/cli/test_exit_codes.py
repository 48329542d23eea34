"""One exit code per situation, whatever the command: the documented table, tested as written.

The table in docs/commands.md ("Exit codes") is read here; each of its rows names a
situation made below, and every command is run in it.
"""

from __future__ import annotations

import errno
import os
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from bluezone_tui.cli.main import main
from helpers.data import REPO

DAY = "2020-08-20"
UNIT = "xa-long-khanh-b"
COMMANDS = {
    "status": ["status", "--date", DAY, "--now", "2020-08-20T16:00"],
    "export": ["export", "--date", DAY, "--now", "2020-08-20T16:00"],
    "check": ["check"],
    "submit": ["submit", UNIT, "--date", DAY, "--now", "2020-08-20T16:00", "teams_formed=3"],
}


class FullOutput:
    """A standard output on a full disk."""

    encoding = "utf-8"

    def write(self, text: str) -> int:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    def flush(self) -> None:
        pass

    def isatty(self) -> bool:
        return False


def _broken_file(data: Path, monkeypatch) -> None:
    (data / "submissions" / DAY / f"{UNIT}.toml").write_text("revision = \n")


def _refused_input(data: Path, monkeypatch) -> None:
    COMMANDS_IN[("refused", "submit")] = COMMANDS["submit"][:-1] + ["teams_formed=-4"]


def _history_not_recorded(data: Path, monkeypatch) -> None:
    """History on (no `history:` line, a `.git` here) but git will not commit: the
    office's pre-commit hook refuses. (A repository git cannot read at all is no place to
    save: refused as a detached HEAD is, below.)"""
    import subprocess

    path = data / "units.yaml"
    path.write_text(
        "\n".join(line for line in path.read_text().splitlines() if not line.startswith("history:"))
    )
    ident = ["-c", "user.name=a", "-c", "user.email=a@b"]
    for args in (["init", "-q"], ["add", "-A"], [*ident, "commit", "-qm", "x"]):
        subprocess.run(["git", *args], cwd=data, check=True, capture_output=True)
    hook = data / ".git" / "hooks" / "pre-commit"
    hook.write_text("#!/bin/sh\nexit 1\n")
    hook.chmod(0o755)


def _day_folder_unreadable(data: Path, monkeypatch) -> None:
    day = data / "submissions" / DAY
    shutil.rmtree(day)
    day.write_text("không phải thư mục")


def _skipped(data: Path, monkeypatch) -> None:
    """A unit's file replaced by a link to another's (issue 20): read as write refuses it."""
    path = data / "submissions" / DAY / f"{UNIT}.toml"
    path.unlink()
    path.symlink_to("xa-thuong-lac.toml")


def _detached_head(data: Path, monkeypatch) -> None:
    """History on, the repository on no branch: a save would be left behind by the next
    change of branch (issue 20)."""
    import subprocess

    path = data / "units.yaml"
    path.write_text(path.read_text().replace("history: none", "history: git"))
    ident = ["-c", "user.name=a", "-c", "user.email=a@b"]
    for args in (
        ["init", "-q"],
        ["add", "-A"],
        [*ident, "commit", "-qm", "x"],
        ["checkout", "-q", "--detach"],
    ):
        subprocess.run(["git", *args], cwd=data, check=True, capture_output=True)


def _disk_full(data: Path, monkeypatch) -> None:
    def full(*args):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "replace", full)
    monkeypatch.setattr("sys.stdout", FullOutput())


def _bad_arguments(data: Path, monkeypatch) -> None:
    for command in COMMANDS:
        COMMANDS_IN[("usage", command)] = COMMANDS[command] + ["--date", "hôm qua"]


def _registry_broken(data: Path, monkeypatch) -> None:
    path = data / "units.yaml"
    path.write_text(
        path.read_text().replace("deadline: null", "deadline: null\n    deadline: x", 1)
    )


def _submissions_unusable(data: Path, monkeypatch) -> None:
    shutil.rmtree(data / "submissions")
    (data / "submissions").write_text("")


SITUATIONS: dict[str, Callable[[Path, pytest.MonkeyPatch], None]] = {
    "ok": lambda data, monkeypatch: None,
    "broken-file": _broken_file,
    "refused": _refused_input,
    "history": _history_not_recorded,
    "day-folder": _day_folder_unreadable,
    "skipped": _skipped,
    "detached": _detached_head,
    "output": _disk_full,
    "usage": _bad_arguments,
    "registry": _registry_broken,
    "data-folder": _submissions_unusable,
}
COMMANDS_IN: dict[tuple[str, str], list[str]] = {}
# docs/commands.md row (its first cell, as written) -> situation made above
ROWS = {
    "all well": "ok",
    "a broken submission file (named on stderr; the others still reported)": "broken-file",
    "input refused: a figure out of range, a stale revision, a warning not confirmed": "refused",
    "saved, but its history could not be recorded in git (why on stderr, one line)": "history",
    "a day folder that cannot be read (not a folder, no permission)": "day-folder",
    "a unit's file that is a link or misnamed, a day folder misnamed, a figure carried past a "
    "broken file (named on stderr)": "skipped",
    "the data folder's git not on a branch (detached HEAD, a rebase or bisect stopped half "
    "way, an unborn branch, a repository git cannot read: nothing written; the way back, on "
    "stderr)": "detached",
    "an output that cannot be written (disk full, closed or full standard output)": "output",
    "bad arguments": "usage",
    "`units.yaml` missing, unreadable or invalid": "registry",
    "the data folder or `submissions/` unusable (missing, a file, a broken link, unreadable)": (
        "data-folder"
    ),
}


def documented_table() -> dict[str, dict[str, int | None]]:
    commands = (REPO / "docs" / "commands.md").read_text("utf-8")
    section = commands.split("\n## Exit codes\n", 1)[1].split("\n#", 1)[0]
    lines = [line for line in section.splitlines() if line.startswith("|")]
    header = [cell.strip() for cell in lines[0].strip("|").split("|")]
    table = {}
    for line in lines[2:]:
        cells = [cell.strip() for cell in line.strip("|").split("|")]
        table[cells[0]] = {
            command: (int(cell) if re.fullmatch(r"\d", cell) else None)
            for command, cell in zip(header[1:], cells[1:], strict=True)
        }
    return table


def test_the_table_names_every_situation_and_command():
    table = documented_table()
    assert set(table) == set(ROWS)
    for row in table.values():
        assert set(row) == set(COMMANDS)


CASES = [
    (row, command, expected)
    for row, codes in documented_table().items()
    for command, expected in codes.items()
    if expected is not None
]


@pytest.mark.parametrize(("row", "command", "expected"), CASES)
def test_exit_code(row, command, expected, demo_data, capsys, monkeypatch):
    situation = ROWS[row]
    SITUATIONS[situation](demo_data, monkeypatch)
    args = COMMANDS_IN.pop((situation, command), COMMANDS[command])
    code = main(["--data", str(demo_data), *args])
    monkeypatch.undo()
    COMMANDS_IN.clear()
    out, err = capsys.readouterr()
    assert "Traceback" not in err and "lỗi không mong đợi" not in err, err
    assert code == expected, f"{row} / {command}: {err}"
    if expected:
        assert err.strip(), "a non-zero exit always says why"
