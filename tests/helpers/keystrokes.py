"""The units, runs and typing helpers the keystroke tests share."""

from __future__ import annotations

import os
import shutil
import tomllib
from collections.abc import Iterator
from pathlib import Path

from helpers.data import SHIPPED_SUBMISSIONS
from helpers.terminal import Board, keys

GAP = 0.02  # seconds between single keys: a fast typist
# search text -> unit id: the ten communes; the first eight also reported on 26/08
COMMUNES = {
    "thuong thoi tien": "tt-thuong-thoi-tien",
    "thuong phuoc 1": "xa-thuong-phuoc-1",
    "thuong phuoc 2": "xa-thuong-phuoc-2",
    "thoi hau a": "xa-thuong-thoi-hau-a",
    "long khanh a": "xa-long-khanh-a",
    "long khanh b": "xa-long-khanh-b",
    "phu thuan a": "xa-phu-thuan-a",
    "phu thuan b": "xa-phu-thuan-b",
    "thuong lac": "xa-thuong-lac",
    "long thuan": "xa-long-thuan",
}
ON_26 = dict(list(COMMUNES.items())[:8])
# Runs of each sequence: even runs in one burst, odd runs key by key. CI runs a few;
# BLUEZONE_KEYSTROKE_RUNS=40 for a long trial.
RUNS = int(os.environ.get("BLUEZONE_KEYSTROKE_RUNS", "4"))


def figures_on(data: Path, day: str, unit_id: str) -> dict:
    return tomllib.loads((data / "submissions" / day / f"{unit_id}.toml").read_text())["figures"]


def last_figures(data: Path, unit_id: str) -> dict:
    for day in ("2020-08-26", "2020-08-25"):
        if (data / "submissions" / day / f"{unit_id}.toml").exists():
            return figures_on(data, day, unit_id)
    raise AssertionError(unit_id)


def each_run(
    board: Board, units: dict[str, str], runs: int = RUNS
) -> Iterator[tuple[int, str, str]]:
    """(run, search text, unit id), `runs` times over `units`; each run starts from the
    unit's file as shipped (or none), so every run types into the same form."""
    items = list(units.items())
    for run in range(runs):
        name, unit = items[run % len(items)]
        shipped = SHIPPED_SUBMISSIONS / board.day / f"{unit}.toml"
        if shipped.exists():
            shutil.copy(shipped, board.path(unit))
        else:
            board.path(unit).unlink(missing_ok=True)
        yield run, name, unit


def enter(board: Board, run: int, *parts: str) -> None:
    """Type `parts`: in one burst on even runs, one key at a time on odd runs."""
    if run % 2 == 0:
        board.send(keys(*parts))
    else:
        board.type(*parts, gap=GAP)
