"""`bluezone export` as a whole process, against a plain script doing less: loading
units.yaml with yaml.CSafeLoader and parsing every file of the day with tomllib
(interpreter start included in both), on the N-unit day whose registry carries a warning.

Each round runs the plain script, then the export with an empty registry cache (the
first run after units.yaml changed), then again (the cache warm): the three ratios come
from the same rounds, so a busy machine slows figure and floor alike.
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
    spread = {k: f"{min(v):.2f}–{max(v):.2f} s" for k, v in times.items()}
    return [
        Row(
            f"plain script: CSafeLoader + tomllib, {n} files",
            plain,
            note=f"a whole process; runs {spread['plain']}",
        ),
        Row(
            "`bluezone export --format csv`, first run",
            first,
            "plain",
            plain,
            1.2,
            note=f"registry cache empty; runs {spread['first']}",
        ),
        Row(
            "`bluezone export --format csv`, repeat run",
            again,
            "plain",
            plain,
            0.7,
            note=f"registry cache warm; runs {spread['repeat']}",
        ),
        Row(
            "`bluezone export --format text`, repeat run",
            text,
            "plain",
            plain,
            note=f"registry cache warm; runs {spread['text']}",
        ),
    ]
