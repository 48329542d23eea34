"""The benchmark of issue 10: history must not make saving feel slower.

    python bench/git_history.py [--repeat K] [--json PATH]

Builds, in a temporary folder, a district's year in git: 365 day folders × 30
communes, one commit per save (10,950 commits, made with `git fast-import`), and a
bare `file://` origin with a second clone. Then measures, each the median of K:

- `bluezone submit` as a whole process in that repository (the save and its commit),
  against the very same submit in a plain folder holding the same files without git
  (target ≤ 1.5×);
- the save alone and the save with its commit inside one process (no target: the
  commit's own cost, which the process start-up hides from a person);
- `bluezone sync` as a whole process bringing in a day's 30 files (30 commits) from
  the other clone, merging them with one local save and pushing the merge, against
  the file:// origin (target ≤ 1 s), beside plain `git pull` + `git push` of the same.

Prints a table and writes it as JSON (default bench/results/git-history.json).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bluezone_tui.day.submission import Submission, to_toml  # noqa: E402
from bluezone_tui.registry.load import load_registry  # noqa: E402

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
UNITS = 30
DAYS = 365
LAST_DAY = date(2020, 8, 20)
DEFAULT_JSON = REPO / "bench" / "results" / "git-history.json"
SHIPPED_REGISTRY = REPO / "units.yaml"


def registry_text(units: int) -> str:
    """The shipped groups and forms, with `units` communes and history on."""
    head = SHIPPED_REGISTRY.read_text("utf-8").partition("\nunits:")[0]
    head = head.replace("history: none", "history: git")
    lines = [head, "\nunits:\n"]
    for number in range(units):
        lines.append(
            f"  - {{id: xa-{number:02d}, name: Xã Thử {number:02d}, group: commune, "
            f"population: 12000, hamlets: [Ấp 1, Ấp 2, Ấp 3]}}\n"
        )
    return "".join(lines)


def file_bytes(registry, unit_id: str, day: date, progress: float) -> bytes:  # type: ignore[no-untyped-def]
    unit = registry.by_id[unit_id]
    reported = datetime(day.year, day.month, day.day, 14, 10, tzinfo=TZ)
    figures = {
        "residents_installed": 200 + int(5000 * progress) + int(unit_id[-2:]),
        "teams_formed": 3,
        "hamlets_with_team": 3,
        "desk_officer": True,
    }
    submission = Submission(
        unit_id=unit_id,
        day=day,
        figures=figures,
        reported_at=reported,
        entered_by="bench",
        entered_at=reported + timedelta(minutes=3),
    )
    return to_toml(submission, unit.form)


def git(cwd: Path, *args: str, input: bytes | None = None) -> str:
    result = subprocess.run(["git", *args], cwd=cwd, input=input, capture_output=True, check=False)
    if result.returncode != 0:
        raise SystemExit(f"git {' '.join(args[:2])}: {result.stderr.decode()}")
    return result.stdout.decode()


def fast_import_stream(registry, days: list[date], units: list[str]) -> bytes:  # type: ignore[no-untyped-def]
    """One commit per unit per day on top of `main`, in the order they would be saved."""
    out = bytearray()
    mark = 0
    for index, day in enumerate(days):
        progress = index / max(1, len(days))
        for unit_id in units:
            data = file_bytes(registry, unit_id, day, progress)
            mark += 1
            stamp = int(datetime(day.year, day.month, day.day, 14, 13, tzinfo=TZ).timestamp())
            message = f"{unit_id} {day.isoformat()}: báo cáo mới (bản 1)\n".encode()
            out += b"commit refs/heads/main\n"
            out += f"author bench <> {stamp} +0700\ncommitter bench <b@x> {stamp} +0700\n".encode()
            out += f"data {len(message)}\n".encode() + message
            if mark == 1:  # an incremental import: on top of the branch as it is
                out += b"from refs/heads/main^0\n"
            out += f"M 100644 inline submissions/{day.isoformat()}/{unit_id}.toml\n".encode()
            out += f"data {len(data)}\n".encode() + data + b"\n"
    return bytes(out)


def build(root: Path) -> tuple[Path, Path, Path, Path]:
    """(origin, district clone, province clone, plain folder): a year of 30 communes."""
    seed = root / "seed"
    (seed / "submissions").mkdir(parents=True)
    (seed / "units.yaml").write_text(registry_text(UNITS + 1), encoding="utf-8")
    (seed / ".gitignore").write_text("exports/\n")
    git(seed, "init", "--quiet", "--initial-branch=main")
    for key, value in (("user.name", "bench"), ("user.email", "bench@x")):
        git(seed, "config", key, value)
    git(seed, "add", ".")
    git(seed, "commit", "--quiet", "-m", "Khởi tạo")
    registry = load_registry(seed)
    units = [f"xa-{n:02d}" for n in range(UNITS)]
    days = [LAST_DAY - timedelta(days=DAYS - 1 - i) for i in range(DAYS)]
    git(seed, "fast-import", "--quiet", input=fast_import_stream(registry, days, units))
    git(seed, "reset", "--quiet", "--hard", "main")
    git(seed, "gc", "--quiet")
    origin = root / "origin.git"
    git(root, "clone", "--quiet", "--bare", str(seed), str(origin))
    clones = []
    for name in ("huyen", "tinh"):
        clone = root / name
        git(root, "clone", "--quiet", f"file://{origin}", str(clone))
        git(clone, "config", "user.name", name)
        git(clone, "config", "user.email", f"{name}@x")
        clones.append(clone)
    plain = root / "plain"
    shutil.copytree(seed, plain, ignore=shutil.ignore_patterns(".git"))
    registry_file = plain / "units.yaml"
    registry_file.write_text(
        registry_file.read_text("utf-8").replace("history: git", "history: none"), "utf-8"
    )
    return origin, clones[0], clones[1], plain


def median(fn: Callable[[int], float], repeat: int) -> float:
    return statistics.median(fn(i) for i in range(repeat))


def bluezone(data: Path, *args: str) -> float:
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "bluezone_tui", "--data", str(data), *args],
        capture_output=True,
        cwd=REPO,
        check=False,
    )
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        raise SystemExit(f"bluezone {' '.join(args)}: {result.stderr.decode()}")
    return elapsed


def submit_args(i: int) -> list[str]:
    day = LAST_DAY.isoformat()
    return [
        "submit", "xa-03", "--date", day, "--now", f"{day}T15:{i % 60:02d}",
        f"residents_installed={7000 + i}",
    ]  # fmt: skip


def in_process_saves(data: Path, repeat: int, with_commit: bool) -> float:
    from bluezone_tui.base.clock import fixed_clock
    from bluezone_tui.day.entry import submit
    from bluezone_tui.day.store import Store
    from bluezone_tui.git.repository import open_repository
    from bluezone_tui.git.save import recording

    registry = load_registry(data)
    store = Store(data, registry)
    repository = open_repository(data, registry) if with_commit else None
    times = []
    for i in range(repeat):
        now = fixed_clock(datetime(2020, 8, 20, 16, i % 60, tzinfo=TZ))()
        started = time.perf_counter()
        with recording(repository, store.path_for(LAST_DAY, "xa-04"), now):
            submit(store, "xa-04", LAST_DAY, {"residents_installed": str(8000 + i)}, now=now)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


@dataclass
class Row:
    name: str
    seconds: float
    floor_name: str = ""
    floor: float | None = None
    target: float | None = None  # ratio
    limit: float | None = None  # seconds

    @property
    def ratio(self) -> float | None:
        return self.seconds / self.floor if self.floor else None

    @property
    def met(self) -> bool | None:
        if self.limit is not None:
            return self.seconds <= self.limit
        if self.target is not None and self.ratio is not None:
            return self.ratio <= self.target
        return None


def measure(root: Path, repeat: int, log: Callable[[str], None]) -> list[Row]:
    origin, district, province, plain = build(root)
    log("built a year: 365 days × 30 units, 10,950 commits")
    # warm both folders once (the OS file cache, Python's bytecode)
    bluezone(plain, *submit_args(0))
    bluezone(district, *submit_args(0))
    plain_submit = median(lambda i: bluezone(plain, *submit_args(i + 1)), repeat)
    git_submit = median(lambda i: bluezone(district, *submit_args(i + 1)), repeat)
    log("submit measured")
    save_alone = in_process_saves(plain, repeat, with_commit=False)
    save_commit = in_process_saves(district, repeat, with_commit=True)
    bluezone(district, "sync", "--now", "2020-08-20T16:00")
    registry = load_registry(province)
    units = [f"xa-{n:02d}" for n in range(UNITS)]

    def one_sync(i: int) -> float:
        day = LAST_DAY + timedelta(days=1 + i)
        # the province keys in a whole day (30 saves, 30 commits) and pushes it
        git(province, "pull", "--quiet", "--no-rebase", "--no-edit", "origin", "main")
        git(province, "fast-import", "--quiet", input=fast_import_stream(registry, [day], units))
        git(province, "reset", "--quiet", "--hard", "main")
        git(province, "push", "--quiet", "origin", "main")
        # meanwhile the district saved the 31st unit of that day
        bluezone(
            district, "submit", f"xa-{UNITS:02d}", "--date", day.isoformat(),
            "--now", f"{day.isoformat()}T14:00", "residents_installed=500",
        )  # fmt: skip
        return bluezone(district, "sync", "--now", f"{day.isoformat()}T16:00")

    sync_seconds = median(one_sync, repeat)
    log("sync measured")

    def plain_pull(i: int) -> float:
        day = LAST_DAY + timedelta(days=100 + i)
        git(province, "pull", "--quiet", "--no-rebase", "--no-edit", "origin", "main")
        git(province, "fast-import", "--quiet", input=fast_import_stream(registry, [day], units))
        git(province, "reset", "--quiet", "--hard", "main")
        git(province, "push", "--quiet", "origin", "main")
        (district / "plain-commit.txt").write_text(str(i))
        git(district, "add", "plain-commit.txt")
        git(district, "commit", "--quiet", "-m", "local")
        started = time.perf_counter()
        git(district, "pull", "--quiet", "--no-rebase", "--no-edit", "origin", "main")
        git(district, "push", "--quiet", "origin", "main")
        return time.perf_counter() - started

    pull_seconds = median(plain_pull, repeat)
    return [
        Row("`bluezone submit` in a plain folder", plain_submit),
        Row(
            "`bluezone submit` with its commit, in a year of git",
            git_submit,
            "plain",
            plain_submit,
            target=1.5,
        ),
        Row("the save alone, in one process", save_alone),
        Row("the save and its commit, in one process", save_commit, "save", save_alone),
        Row("plain `git pull` + `git push` of a day's 30 files", pull_seconds),
        Row(
            "`bluezone sync` bringing a day's 30 files (file://)",
            sync_seconds,
            "git pull+push",
            pull_seconds,
            limit=1.0,
        ),
    ]


def render(rows: list[Row]) -> str:
    from tabulate import tabulate

    def seconds(value: float | None) -> str:
        if value is None:
            return ""
        return f"{value * 1000:.1f} ms" if value < 1 else f"{value:.3f} s"

    table = [
        [
            row.name,
            seconds(row.seconds),
            f"{row.floor_name} {seconds(row.floor)}".strip() if row.floor else "",
            f"{row.ratio:.3f}×" if row.ratio is not None else "",
            f"≤ {row.target:g}×" if row.target else (f"≤ {row.limit:g} s" if row.limit else ""),
            {True: "met", False: "NOT MET", None: ""}[row.met],
        ]
        for row in rows
    ]
    return tabulate(
        table,
        headers=["figure", "value", "floor", "ratio", "target", ""],
        tablefmt="github",
        disable_numparse=True,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=5, help="repetitions per figure (median)")
    parser.add_argument("--json", type=Path, default=DEFAULT_JSON, help="where to write JSON")
    args = parser.parse_args(argv)
    if shutil.which("git") is None:
        raise SystemExit("git is not installed")

    def log(message: str) -> None:
        print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)

    with tempfile.TemporaryDirectory(prefix="bluezone-bench-git-") as temp:
        os.environ["XDG_CACHE_HOME"] = str(Path(temp) / "cache")
        os.environ["GIT_CONFIG_GLOBAL"] = os.devnull  # the machine's git config plays no part
        os.environ["GIT_CONFIG_NOSYSTEM"] = "1"
        rows = measure(Path(temp), args.repeat, log)
    print(render(rows))
    report = {
        "date": datetime.now().astimezone().isoformat(timespec="seconds"),
        "repeat": args.repeat,
        "machine": {
            "python": platform.python_version(),
            "platform": platform.platform(),
            "cpus": os.cpu_count(),
            "git": subprocess.run(
                ["git", "--version"], capture_output=True, text=True
            ).stdout.strip(),
        },
        "rows": [{**row.__dict__, "ratio": row.ratio, "met": row.met} for row in rows],
        "all_met": all(row.met for row in rows if row.met is not None),
    }
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", "utf-8")
    print(f"\nwritten {args.json}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
