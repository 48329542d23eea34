"""`bluezone export` as a whole process, against a plain script doing less: loading
units.yaml with yaml.CSafeLoader and parsing every file of the day with tomllib
(interpreter start included in both), on the N-unit day whose registry carries a warning.

Each round runs the plain script, then the export with an empty registry cache (the
first run after units.yaml changed), then again (the cache warm); a ratio is the median
of the rounds' ratios, so a busy machine slows figure and floor alike.
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
    times: dict[str, list[float]] = {"plain": [], "first": [], "repeat": [], "text": []}
    for _ in range(repeat):
        cache = tempfile.mkdtemp(prefix="bluezone-bench-cache-")
        try:
            env = child_env(XDG_CACHE_HOME=cache)
            times["plain"].append(
                process_seconds([sys.executable, "-c", PLAIN_SCRIPT, str(big), DAY.isoformat()])
            )
            times["first"].append(process_seconds(export_command(big, "csv"), env))
            times["repeat"].append(process_seconds(export_command(big, "csv"), env))
            times["text"].append(process_seconds(export_command(big, "text"), env))
        finally:
            shutil.rmtree(cache, ignore_errors=True)
    plain, first, again, text = (statistics.median(times[k]) for k in times)

    def rounds(key: str) -> tuple[float, str]:
        ratios = [a / b for a, b in zip(times[key], times["plain"], strict=True)]
        return statistics.median(ratios), f"{min(ratios):.2f}–{max(ratios):.2f}×"

    def runs(key: str) -> str:
        return f"runs {min(times[key]):.2f}–{max(times[key]):.2f} s"

    rows = [Row(f"plain script: CSafeLoader + tomllib, {n} files", plain, note=runs("plain"))]
    for name, seconds, key, target, cache in (
        ("`bluezone export --format csv`, first run", first, "first", 1.2, "empty"),
        ("`bluezone export --format csv`, repeat run", again, "repeat", 0.7, "warm"),
        ("`bluezone export --format text`, repeat run", text, "text", None, "warm"),
    ):
        ratio, spread = rounds(key)
        rows.append(
            Row(
                name,
                seconds,
                "plain",
                plain,
                target,
                note=f"registry cache {cache}; {runs(key)}; each round's ratio {spread}",
                round_ratio=ratio,
            )
        )
    return rows
