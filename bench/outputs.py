"""Every output of every format, written to one folder, so that a refactoring or a speed-up
can be proved to change no byte: run it before and after, then `diff -r BEFORE AFTER`.

    python bench/outputs.py OUT_DIR [--units 10000] [--no-bench] [--code CHECKOUT]

It drives the installed `bluezone` command as a user does (whole processes, fixed
`--now`; with `--code`, the package of another checkout, e.g. a `git worktree` of the
commit before a change), over copies of the shipped data folder (the demo days 20–26 Aug 2020, the
province's sample districts) and, unless `--no-bench`, a bench day of N units built by
bench_data.py. Nothing is written into the repository.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from bench_data import build_data
from timing import REPO

DEMO_DAYS = [f"2020-08-{d}" for d in range(20, 27)]

# (name, arguments after --date D): each writes to standard output or to {out}.
DAY_OUTPUTS: list[tuple[str, list[str]]] = [
    ("status.txt", ["status", "--now", "{day}T14:50"]),
    ("status-late.txt", ["status", "--now", "{day}T16:00"]),
    ("report.txt", ["export", "--now", "{day}T16:00", "--format", "text"]),
    ("report-before.txt", ["export", "--now", "{day}T14:50", "--format", "text"]),
    ("report.csv", ["export", "--now", "{day}T16:00", "--format", "csv"]),
    (
        "report-vi.csv",
        ["export", "--now", "{day}T16:00", "--format", "csv", "--delimiter", ";"],
    ),
    ("report.xlsx", ["export", "--now", "{day}T16:00", "--format", "xlsx", "-o", "{out}"]),
    ("report.docx", ["export", "--now", "{day}T16:00", "--format", "docx", "-o", "{out}"]),
    ("report.dhis2.csv", ["export", "--now", "{day}T16:00", "--format", "dhis2"]),
    ("remind.txt", ["remind", "--now", "{day}T14:00"]),
    ("remind.csv", ["remind", "--now", "{day}T14:00", "--format", "csv"]),
    ("check.txt", ["check"]),
]


CODE: Path | None = None  # --code: the checkout whose package runs


def run(data: Path, args: list[str], out: Path) -> None:
    """One command; its standard output, standard error and exit code beside each other,
    with the temporary folders' paths made constant."""
    env = dict(os.environ, BLUEZONE_CACHE="off", NO_COLOR="1", COLUMNS="100")
    env.pop("BLUEZONE_DATA", None)
    if CODE is not None:
        env["PYTHONPATH"] = str(CODE)
    done = subprocess.run(
        [sys.executable, "-m", "bluezone_tui", "--data", str(data), *args],
        capture_output=True,
        env=env,
        cwd=data,
    )

    def constant(text: bytes) -> bytes:
        return text.replace(str(out.parent).encode(), b"OUT").replace(str(data).encode(), b"DATA")

    if not out.exists():
        out.write_bytes(constant(done.stdout))
    out.with_name(out.name + ".stderr").write_bytes(constant(done.stderr))
    out.with_name(out.name + ".rc").write_text(f"{done.returncode}\n")


def day_outputs(data: Path, day: str, folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, template in DAY_OUTPUTS:
        out = folder / name
        args = [a.format(day=day, out=out) for a in template]
        run(data, [args[0], "--date", day, *args[1:]], out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--units", type=int, default=10_000)
    parser.add_argument("--no-bench", action="store_true")
    parser.add_argument("--code", type=Path, help="run the package of this checkout")
    options = parser.parse_args()
    global CODE
    CODE = options.code.resolve() if options.code else None
    out: Path = options.out.resolve()
    if out.exists() and any(out.iterdir()):
        parser.error(f"{out} is not empty")
    out.mkdir(parents=True, exist_ok=True)
    # one fixed place, so that a path a report prints is the same in every run (one at a time)
    tmp = Path(tempfile.gettempdir()) / "bluezone-outputs"
    shutil.rmtree(tmp, ignore_errors=True)
    try:
        data = tmp / "demo"
        data.mkdir(parents=True)
        shutil.copy2(REPO / "units.yaml", data / "units.yaml")
        shutil.copytree(REPO / "submissions", data / "submissions")
        shutil.copytree(REPO / "demo", data / "demo")
        for day in DEMO_DAYS:
            day_outputs(data, day, out / "demo" / day)
        run(data, ["units", "list"], out / "demo" / "units-list.txt")
        sources = sorted(f"demo/province/{p.name}" for p in (data / "demo" / "province").iterdir())
        for fmt, suffix in (("text", "txt"), ("csv", "csv"), ("xlsx", "xlsx")):
            target = out / "demo" / f"province.{suffix}"
            args = ["province", "--date", "2020-08-20", "--now", "2020-08-20T16:00"]
            args += ["--format", fmt, "-o", str(target), ".", *sources]
            run(data, args, target)
        if not options.no_bench:
            big, _small = build_data(tmp / "bench", options.units)
            day_outputs(big, "2020-08-20", out / f"bench-{options.units}")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"written: {out}")


if __name__ == "__main__":
    main()
