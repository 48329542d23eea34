"""`bluezone export` as a whole process, against a plain script doing less: loading
units.yaml with yaml.CSafeLoader and parsing every file of the day with tomllib
(interpreter start included in both), on the N-unit day whose registry carries a warning.

Each round runs the plain script, then the CSV export with an empty registry cache (the
first run after units.yaml changed), then again (the cache warm), then every other format
of the export table once (cache warm); a ratio is the median of the rounds' ratios, so a
busy machine slows figure and floor alike.
"""

from __future__ import annotations

import shutil
import statistics
import sys
import tempfile
import textwrap
from collections.abc import Callable
from pathlib import Path

from timing import DAY, NOW, Row, child_env, process_seconds

from bluezone_tui.export import district_formats

PLAIN_SCRIPT = textwrap.dedent(
    """
    import os, sys, tomllib, yaml
    data = sys.argv[1]; folder = os.path.join(data, "submissions", sys.argv[2])
    with open(os.path.join(data, "units.yaml"), "rb") as h:
        yaml.load(h, Loader=yaml.CSafeLoader)
    for name in os.listdir(folder):
        with open(os.path.join(folder, name), "rb") as h:
            tomllib.load(h)
    """
)


def export_command(data_dir: Path, fmt: str) -> list[str]:
    return [
        sys.executable,
        "-m",
        "bluezone_tui",
        "--data",
        str(data_dir),
        "export",
        "--date",
        DAY.isoformat(),
        "--now",
        NOW,
        "--format",
        fmt,
    ]


def measure(big: Path, small: Path, n: int, repeat: int, log: Callable[[str], None]) -> list[Row]:
    log("export processes")
    others = [name for name in district_formats() if name != "csv"]
    times: dict[str, list[float]] = {"plain": [], "first": [], "repeat": []}
    times.update({name: [] for name in others})
    for _ in range(repeat):
        cache = tempfile.mkdtemp(prefix="bluezone-bench-cache-")
        try:
            env = child_env(XDG_CACHE_HOME=cache)
            times["plain"].append(
                process_seconds([sys.executable, "-c", PLAIN_SCRIPT, str(big), DAY.isoformat()])
            )
            times["first"].append(process_seconds(export_command(big, "csv"), env))
            times["repeat"].append(process_seconds(export_command(big, "csv"), env))
            for name in others:
                times[name].append(process_seconds(export_command(big, name), env))
        finally:
            shutil.rmtree(cache, ignore_errors=True)
    median = {key: statistics.median(seconds) for key, seconds in times.items()}
    plain = median["plain"]

    def rounds(key: str) -> tuple[float, str]:
        ratios = [a / b for a, b in zip(times[key], times["plain"], strict=True)]
        return statistics.median(ratios), f"{min(ratios):.2f}–{max(ratios):.2f}×"

    def runs(key: str) -> str:
        return f"runs {min(times[key]):.2f}–{max(times[key]):.2f} s"

    rows = [Row(f"plain script: CSafeLoader + tomllib, {n} files", plain, note=runs("plain"))]
    measured = [
        ("`bluezone export --format csv`, first run", "first", 1.2, "empty"),
        ("`bluezone export --format csv`, repeat run", "repeat", 0.7, "warm"),
    ]
    measured += [
        (f"`bluezone export --format {name}`, repeat run", name, None, "warm") for name in others
    ]
    for name, key, target, cache in measured:
        ratio, spread = rounds(key)
        rows.append(
            Row(
                name,
                median[key],
                "plain",
                plain,
                target,
                note=f"registry cache {cache}; {runs(key)}; each round's ratio {spread}",
                round_ratio=ratio,
            )
        )
    return rows
