"""What every measure shares: the day measured, timing helpers and the table's rows."""

from __future__ import annotations

import gc
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

REPO = Path(__file__).resolve().parent.parent
DAY = date(2020, 8, 20)
NOW = "2020-08-20T16:00"
TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def now_at() -> datetime:
    return datetime.fromisoformat(NOW).replace(tzinfo=TZ)


def day_folder(data_dir: Path) -> Path:
    return data_dir / "submissions" / DAY.isoformat()


@dataclass
class Row:
    """One line of the table: a figure, and the floor it is judged against (same run)."""

    name: str
    seconds: float | None
    floor_name: str = ""
    floor: float | None = None
    target: float | None = None  # the figure must be <= target x floor
    unit: str = "s"
    note: str = ""
    limit: float | None = None  # or an absolute limit, in `unit`
    # Measured in rounds (figure and floor one after the other): the median of each
    # round's ratio, steadier on a busy machine than the ratio of the two medians.
    round_ratio: float | None = None

    @property
    def ratio(self) -> float | None:
        if self.round_ratio is not None:
            return self.round_ratio
        if self.seconds is None or not self.floor:
            return None
        return self.seconds / self.floor

    @property
    def met(self) -> bool | None:
        if self.limit is not None and self.seconds is not None:
            return self.seconds <= self.limit
        if self.target is None or self.ratio is None:
            return None
        return self.ratio <= self.target

    def as_dict(self) -> dict[str, object]:
        data = asdict(self)
        data["ratio"] = self.ratio
        data["met"] = self.met
        return data


def median_time(
    fn: Callable[[], object], repeat: int, setup: Callable[[], object] | None = None
) -> float:
    """Median wall time of fn() over `repeat` runs (setup, untimed, before each)."""
    times = []
    for _ in range(repeat):
        if setup is not None:
            setup()
        gc.collect()
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def child_env(**extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(REPO) + os.pathsep + env.get("PYTHONPATH", "")
    env.update(extra)
    return env


def process_seconds(args: list[str], env: dict[str, str] | None = None) -> float:
    """Wall time of a whole process, interpreter start included; it must succeed."""
    start = time.perf_counter()
    result = subprocess.run(
        args,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        timeout=600,
        cwd=REPO,
        env=env or child_env(),
    )
    seconds = time.perf_counter() - start
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} -> {result.returncode}: {result.stderr[-2000:]!r}")
    return seconds


def time_to_markers(
    script: str, args: list[str], markers: tuple[str, ...], timeout: float = 120
) -> dict[str, float]:
    """Seconds from starting a fresh interpreter to each of its marker lines."""
    start = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-c", script, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=REPO,
        env=child_env(),
        text=True,
    )
    seen: dict[str, float] = {}
    try:
        assert process.stdout is not None
        deadline = start + timeout
        for line in process.stdout:
            if line.strip() in markers:
                seen[line.strip()] = time.perf_counter() - start
                if len(seen) == len(markers):
                    break
            if time.perf_counter() > deadline:
                raise TimeoutError("no first frame")
        else:
            process.wait(timeout=5)
            err = process.stderr.read() if process.stderr else ""
            raise RuntimeError(f"exited {process.returncode} before its markers: {err[-1500:]}")
    finally:
        if process.poll() is None:
            process.kill()
        process.wait()
    return seen


def _fmt(value: float | None, unit: str) -> str:
    if value is None:
        return "–"
    if unit == "MB":
        return f"{value:.1f} MB"
    if value < 1:
        return f"{value * 1000:.1f} ms"
    return f"{value:.3f} s"


def render(rows: list[Row]) -> str:
    from tabulate import tabulate

    table = []
    for row in rows:
        table.append(
            [
                row.name,
                _fmt(row.seconds, row.unit),
                f"{row.floor_name} {_fmt(row.floor, row.unit)}".strip() if row.floor else "",
                f"{row.ratio:.3f}×" if row.ratio is not None else "",
                f"≤ {row.target:g}×"
                if row.target is not None
                else (f"≤ {row.limit:g} {row.unit}" if row.limit is not None else ""),
                {True: "met", False: "NOT MET", None: ""}[row.met],
                row.note,
            ]
        )
    return tabulate(
        table,
        headers=["figure", "value", "floor", "ratio", "target", "", "note"],
        tablefmt="github",
        disable_numparse=True,
    )
