"""The province's scale (issue 24): each row of its table, for this checkout and, with
`--before`, another (a `git worktree` or `git archive` of the commit before a change),
measured in the same run, pair by pair, each against its floor.

    python bench/scale.py [--before CHECKOUT] [--repeat 5] [--units 10000] [--only ROW…]

Every figure is a whole process (interpreter start included) started from bytecode
compiled beforehand (`compileall`; `PYTHONDONTWRITEBYTECODE=1`, set on these machines,
would otherwise recompile the editable install's modules on every start). A ratio is
taken in rounds: the floor, then the figure, then the same for the other checkout, so a
busy machine slows both alike; the table gives the minimum and the median of the
rounds' ratios. Floors:

- *plain parse*: a script loading units.yaml with yaml.CSafeLoader and every file of
  the day with tomllib (bench/measure_export.py's PLAIN_SCRIPT);
- *the CSV render*: render_csv on the same consolidation, in the same process as the
  text report's render (the two timed one after the other, 5 times, medians);
- *the same save without git*: `bluezone submit` in a copy of the folder without .git,
  a province's year (365 days × 170 units = 62,050 files and as many commits);
- absolute limits for `history` (seconds) and the Word report's peak memory (MiB,
  the process's maximum resident set, from wait4).

- *the board idle*: the share of one core the board's process uses (time.process_time
  over wall time, all threads) in `--idle` seconds after its first read of the day,
  headless at 80×24, its clock running;
- *a bare Textual app*: an empty App to its first frame (bench/measure_board.py).

Builds its data in a temporary folder (about a minute).
"""

from __future__ import annotations

import argparse
import compileall
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from collections.abc import Callable
from pathlib import Path

import git_history
from bench_data import build_data
from measure_board import FIRST_FRAME_BARE, FIRST_FRAME_BOARD
from measure_export import PLAIN_SCRIPT
from timing import DAY, NOW, REPO

RENDER_SCRIPT = textwrap.dedent(
    """
    import statistics, sys, time
    from datetime import datetime
    from pathlib import Path
    from zoneinfo import ZoneInfo
    from bluezone_tui.day.loader import load_day
    from bluezone_tui.day.store import Store
    from bluezone_tui.registry.load import load_registry
    from bluezone_tui.reports.csv import render_csv
    from bluezone_tui.reports.text import render_text
    data = Path(sys.argv[1])
    registry = load_registry(data)
    now = datetime.fromisoformat(sys.argv[3]).replace(tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
    consolidation = load_day(Store(data, registry), datetime.fromisoformat(sys.argv[2]).date(), now)
    times = {"csv": [], "text": []}
    for _ in range(5):
        for name, render in (("csv", render_csv), ("text", render_text)):
            start = time.perf_counter()
            render(consolidation, registry)
            times[name].append(time.perf_counter() - start)
    print(statistics.median(times["text"]), statistics.median(times["csv"]))
    """
)
BOARD_IDLE_SCRIPT = textwrap.dedent(
    """
    import asyncio, os, sys, time
    from datetime import date
    from pathlib import Path
    from bluezone_tui.base.clock import parse_now, running_clock
    from bluezone_tui.registry.load import load_registry
    from bluezone_tui.tui.app import BoardApp

    async def main():
        data, seconds = Path(sys.argv[1]), float(sys.argv[4])
        registry = load_registry(data)
        now = parse_now(sys.argv[3], registry.timezone)
        app = BoardApp(
            data_dir=data, registry=registry, day=date.fromisoformat(sys.argv[2]),
            clock=running_clock(now),
        )
        async with app.run_test(size=(80, 24)) as pilot:
            while app.board.consolidation is None:  # the first read of the day
                await pilot.pause(0.05)
            await pilot.pause(2.0)  # what the first read leaves to do
            cpu, wall = time.process_time(), time.perf_counter()
            await asyncio.sleep(seconds)  # the board on its own: clock, polls, redraws
            cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
            print(cpu / wall * 100, flush=True)
            os._exit(0)

    asyncio.run(main())
    """
)
GIT_UNITS = 170  # a province's year: 365 days × 170 units


def run(args: list[str], code: Path, **env: str) -> tuple[float, float]:
    """(wall seconds, peak MiB) of one whole process running `code`'s package."""
    environment = dict(os.environ, PYTHONPATH=str(code), **env)
    start = time.perf_counter()
    process = subprocess.Popen(
        args, env=environment, cwd=code, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    _pid, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    err = process.stderr.read() if process.stderr else b""
    if process.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} -> {process.returncode}: {err[-1500:]!r}")
    return seconds, usage.ru_maxrss / 1024


def first_frame(script: str, args: list[str], code: Path) -> float:
    """Seconds from a fresh interpreter running `code`'s package to its FIRST_FRAME line."""
    environment = dict(os.environ, PYTHONPATH=str(code))
    start = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-c", script, *args],
        env=environment, cwd=code, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert process.stdout is not None
        for line in process.stdout:
            if line.strip() == "FIRST_FRAME":
                return time.perf_counter() - start
        raise RuntimeError(f"no first frame: {process.stderr.read() if process.stderr else ''}")
    finally:
        process.kill()
        process.wait()


def bluezone(data: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "bluezone_tui", "--data", str(data), *args]


def export(data: Path, fmt: str, out: Path) -> list[str]:
    day = DAY.isoformat()
    return bluezone(data, "export", "--date", day, "--now", NOW, "--format", fmt, "-o", str(out))


class Table:
    def __init__(self, codes: dict[str, Path]) -> None:
        self.codes = codes
        self.lines: list[list[str]] = []

    def add(self, measure: str, target: str, values: dict[str, str]) -> None:
        self.lines.append([measure, *(values.get(name, "–") for name in self.codes), target])

    def render(self) -> str:
        head = ["measure", *self.codes, "target"]
        rows = [head, ["---"] * len(head), *self.lines]
        return "\n".join("| " + " | ".join(row) + " |" for row in rows)


def ratio_text(ratios: list[float]) -> str:
    return f"{statistics.median(ratios):.2f}× (min {min(ratios):.2f}×)"


def paired(
    codes: dict[str, Path],
    repeat: int,
    figure: Callable[[Path], float],
    floor: Callable[[Path], float],
) -> dict[str, str]:
    """Rounds of (floor, figure) for each checkout in turn; the ratios' median and minimum."""
    ratios: dict[str, list[float]] = {name: [] for name in codes}
    for _ in range(repeat):
        for name, code in codes.items():
            below = floor(code)
            ratios[name].append(figure(code) / below)
    return {name: ratio_text(values) for name, values in ratios.items()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--before", type=Path, help="the checkout to compare with")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--units", type=int, default=10_000)
    rows = ["xlsx", "csv", "docx", "text", "git", "board", "frame"]
    parser.add_argument("--only", nargs="+", choices=rows, default=rows)
    parser.add_argument("--idle", type=float, default=60.0, help="seconds the board idles")
    options = parser.parse_args(argv)
    codes = {"before": options.before.resolve()} if options.before else {}
    codes["after"] = REPO
    for code in codes.values():  # as users run: from bytecode
        compileall.compile_dir(code / "bluezone_tui", quiet=1)

    def log(message: str) -> None:
        print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)

    table = Table(codes)
    with tempfile.TemporaryDirectory(prefix="bluezone-scale-") as temp:
        root = Path(temp)
        log(f"building {options.units} units")
        big, small = build_data(root / "day", options.units)
        plain = [sys.executable, "-c", PLAIN_SCRIPT, str(big), DAY.isoformat()]
        out = root / "out"
        out.mkdir()
        cache = root / "cache"

        def plain_parse(code: Path) -> float:
            return run(plain, code)[0]

        def exported(fmt: str, first: bool) -> Callable[[Path], float]:
            def figure(code: Path) -> float:
                if first:
                    shutil.rmtree(cache, ignore_errors=True)
                return run(export(big, fmt, out / f"r.{fmt}"), code, XDG_CACHE_HOME=str(cache))[0]

            return figure

        n = f"{options.units:,} units"
        if "xlsx" in options.only:
            log("xlsx")
            table.add(
                f"`export --format xlsx`, {n}, first run ÷ plain parse", "≤ 1.3×",
                paired(codes, options.repeat, exported("xlsx", True), plain_parse),
            )  # fmt: skip
            table.add(
                "same, repeat run ÷ plain parse", "≤ 0.7×",
                paired(codes, options.repeat, exported("xlsx", False), plain_parse),
            )  # fmt: skip
        if "csv" in options.only:
            log("csv")
            table.add(
                f"`export --format csv`, {n}, first run ÷ plain parse", "≤ 0.9×",
                paired(codes, options.repeat, exported("csv", True), plain_parse),
            )  # fmt: skip
        if "docx" in options.only:
            log("docx")
            peaks: dict[str, list[float]] = {name: [] for name in codes}
            for _ in range(options.repeat):
                for name, code in codes.items():
                    command = export(big, "docx", out / "r.docx")
                    peaks[name].append(run(command, code, XDG_CACHE_HOME=str(cache))[1])
            table.add(
                f"`export --format docx`, {n}, peak memory (max RSS)", "≤ 150 MiB",
                {k: f"{statistics.median(v):.0f} MiB (min {min(v):.0f})" for k, v in peaks.items()},
            )  # fmt: skip
        if "text" in options.only:
            log("text render")
            renders: dict[str, list[float]] = {name: [] for name in codes}
            seconds: dict[str, list[float]] = {name: [] for name in codes}
            for _ in range(options.repeat):
                for name, code in codes.items():
                    done = subprocess.run(
                        [sys.executable, "-c", RENDER_SCRIPT, str(big), DAY.isoformat(), NOW],
                        env=dict(os.environ, PYTHONPATH=str(code)),
                        cwd=code,  # `-c` puts the current folder first on the path
                        capture_output=True, text=True, check=True,
                    )  # fmt: skip
                    text, csv = (float(x) for x in done.stdout.split())
                    renders[name].append(text / csv)
                    seconds[name].append(text)
            table.add(
                f"text report render, {n} ÷ the CSV render", "≤ 2×",
                {
                    k: f"{ratio_text(v)}, {statistics.median(seconds[k]):.2f} s"
                    for k, v in renders.items()
                },
            )  # fmt: skip
        if "git" in options.only:
            log(f"a year in git: 365 days × {GIT_UNITS} units (about a minute)")
            git_history.UNITS = GIT_UNITS
            _origin, district, _province, folder = git_history.build(root / "git")
            counter = iter(range(10_000))

            def submit(data: Path) -> Callable[[Path], float]:
                def figure(code: Path) -> float:
                    c = next(counter)  # a figure that grows: a save, never a warning
                    unit = f"xa-{10 + c % 150:02d}"
                    day = git_history.LAST_DAY.isoformat()
                    args = bluezone(
                        data, "submit", unit, "--date", day, "--now", f"{day}T15:10",
                        f"residents_installed={5400 + c}",
                    )  # fmt: skip
                    return run(args, code)[0]

                return figure

            # each checkout's rounds in turn, the older first: what the newer one leaves in
            # the repository (a split index, a commit-graph) would speed the older one up
            saves: dict[str, str] = {}
            history: dict[str, str] = {}
            args = bluezone(district, "history", "xa-05", "--date", "2020-06-01")
            graph = district / ".git" / "objects" / "info"
            for name, code in codes.items():
                log(f"submit and history, {name}")
                once = {name: code}
                saves.update(paired(once, options.repeat * 2, submit(district), submit(folder)))
                shutil.rmtree(graph / "commit-graphs", ignore_errors=True)
                (graph / "commit-graph").unlink(missing_ok=True)
                run(args, code)  # once: a first run may write what later ones read
                times = [run(args, code)[0] for _ in range(options.repeat)]
                history[name] = f"{statistics.median(times):.2f} s (min {min(times):.2f})"
            table.add(
                f"`submit` with its commit ÷ the same save without git, {365 * GIT_UNITS:,} files",
                "≤ 1.5×",
                saves,
            )
            table.add("`history UNIT --date D` at that scale", "≤ 0.3 s", history)
        if "board" in options.only:
            log(f"the board idle {options.idle:.0f} s at {n}")
            shares: dict[str, list[float]] = {name: [] for name in codes}
            for _ in range(options.repeat):
                for name, code in codes.items():
                    done = subprocess.run(
                        [
                            sys.executable, "-c", BOARD_IDLE_SCRIPT,
                            str(big), DAY.isoformat(), NOW, str(options.idle),
                        ],
                        env=dict(os.environ, PYTHONPATH=str(code), XDG_CACHE_HOME=str(cache)),
                        cwd=code, capture_output=True, text=True, timeout=options.idle + 300,
                    )  # fmt: skip
                    if done.returncode != 0:
                        raise RuntimeError(f"board idle, {name}: {done.stderr[-1500:]}")
                    shares[name].append(float(done.stdout.split()[-1]))
            table.add(
                f"board left open {options.idle:.0f} s, {n}: CPU of one core", "≤ 1 %",
                {
                    k: f"{statistics.median(v):.2f} % (min {min(v):.2f})"
                    for k, v in shares.items()
                },
            )  # fmt: skip
        if "frame" in options.only:
            log("the board's first frame, 30 units, and a bare Textual app")

            def frame(script: str, *args: str) -> Callable[[Path], float]:
                def figure(code: Path) -> float:
                    return first_frame(script, list(args), code)

                return figure

            table.add(
                "board first frame, 30 units ÷ a bare Textual app", "≤ 1.3×",
                paired(
                    codes, options.repeat,
                    frame(FIRST_FRAME_BOARD, str(small), DAY.isoformat(), NOW),
                    frame(FIRST_FRAME_BARE),
                ),
            )  # fmt: skip
    print(table.render())
    return 0


if __name__ == "__main__":
    sys.exit(main())
