"""The benchmark: load, export and the board at 10,000 units, each against a floor measured
in the same run (the machine is shared and noisy, so targets are ratios, never timed tests).

    python bench/run.py [--units N] [--repeat K] [--only NAME…] [--json PATH] [--keep DIR]

Builds the data in a temporary folder (bench_data.py), then runs each measure, one
module each, and prints one table (figure, floor, ratio, target, met), also written as
JSON (default bench/results/latest.json):

- measure_load.py    the pipeline in one process: cold, registry cache, the board's
                     poll, one file changed, the trend's year, peak memory;
- measure_csv.py     the CSV report's writer against csv.writer writing the same cells;
- measure_export.py  `bluezone export` (every format) as a whole process against a plain
                     parsing script;
- measure_board.py   the board's first frame at 30 and at N units.

The generated registries' cache lives in the temporary folder too ($XDG_CACHE_HOME).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import measure_board  # noqa: E402
import measure_csv  # noqa: E402
import measure_export  # noqa: E402
import measure_load  # noqa: E402
from bench_data import HISTORY_DAYS, HISTORY_UNITS, build_data  # noqa: E402
from timing import REPO, render  # noqa: E402

MEASURES = {
    "load": measure_load,
    "csv": measure_csv,
    "export": measure_export,
    "board": measure_board,
}
DEFAULT_JSON = REPO / "bench" / "results" / "latest.json"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--units", type=int, default=10_000, help="units in the big registry")
    parser.add_argument("--repeat", type=int, default=5, help="repetitions per figure (median)")
    parser.add_argument("--only", nargs="+", choices=MEASURES, help="run only these measures")
    parser.add_argument("--json", type=Path, default=DEFAULT_JSON, help="where to write JSON")
    parser.add_argument("--keep", type=Path, help="build the data here and keep it")
    args = parser.parse_args(argv)
    if args.units < 2 or args.repeat < 1:
        parser.error("--units must be >= 2 and --repeat >= 1")

    def log(message: str) -> None:
        print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)

    load_before = os.getloadavg()[0] if hasattr(os, "getloadavg") else None
    with tempfile.TemporaryDirectory(prefix="bluezone-bench-") as temp:
        root = args.keep or Path(temp)
        if args.keep:
            root.mkdir(parents=True, exist_ok=False)
        os.environ["XDG_CACHE_HOME"] = str(root / "cache")
        log(f"building {args.units} units + {HISTORY_UNITS}×{HISTORY_DAYS} history in {root}")
        started = time.perf_counter()
        big, small = build_data(root, args.units)
        log(f"built in {time.perf_counter() - started:.1f} s")
        rows = []
        for name in args.only or MEASURES:
            rows += MEASURES[name].measure(big, small, args.units, args.repeat, log)
    load_after = os.getloadavg()[0] if hasattr(os, "getloadavg") else None

    print(render(rows))
    judged = [row for row in rows if row.met is not None]
    report = {
        "date": datetime.now().astimezone().isoformat(timespec="seconds"),
        "units": args.units,
        "repeat": args.repeat,
        "machine": {
            "python": platform.python_version(),
            "platform": platform.platform(),
            "cpus": os.cpu_count(),
            "load_average_before": load_before,
            "load_average_after": load_after,
        },
        "rows": [row.as_dict() for row in rows],
        "all_met": all(row.met for row in judged),
    }
    print(f"\nload average (1 min): {load_before} before, {load_after} after", file=sys.stderr)
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", "utf-8")
    print(f"written {args.json}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
