"""The benchmark of issue 4: load, status and consolidation at 10,000 units, against floors.

    python bench/run.py [--units N] [--repeat K] [--json PATH] [--keep DIR]

Builds, in a temporary folder, a registry of N units (the shipped groups and
forms; generated communes, schools and departments) with one day of
submissions for every unit, and a registry of 30 units with 365 days of
history. Then measures, each as the median of K repetitions:

- floors: a plain script that loads units.yaml with yaml.CSafeLoader and parses
  every file of the day with tomllib (the parse floor); reading the files'
  bytes; stat-ing them (the stat floor);
- cold load + status + consolidation (fresh registry and Store, the persistent
  registry cache off); the same with units.yaml's data from that cache (a new
  process on an unchanged registry); warm (the same Store again, nothing
  changed); after one file changed (same Store, with the number of files
  re-parsed);
- `bluezone export` in every format of the export table (text, CSV, Word) as
  whole processes, against a whole-process parse floor;
- the trend view's data (a year of history for 30 units), cold and warm;
- peak RSS of a process doing the cold load at N units (without and with the
  registry cache);
- the board's first frame (headless) with 30 and N units, against a bare
  Textual app (skipped with a note while `bluezone_tui.tui.app` is missing).

Prints a table (figure, floor, ratio, target, met) and writes it as JSON
(default bench/results/latest.json). The registry cache of the generated
registries lives in the temporary folder too ($XDG_CACHE_HOME is pointed there). The targets are ratios measured in the
same run, so a slow or noisy machine moves figure and floor together; they are
deliberately not timed tests.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import random
import re
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
import tomllib
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import yaml

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bluezone_tui.core.consolidate import consolidate  # noqa: E402
from bluezone_tui.core.export import district_formats  # noqa: E402
from bluezone_tui.core.registry import load_registry  # noqa: E402
from bluezone_tui.core.status import load_status  # noqa: E402
from bluezone_tui.core.store import Store  # noqa: E402

DAY = date(2020, 8, 20)
NOW = "2020-08-20T16:00"
TZ = ZoneInfo("Asia/Ho_Chi_Minh")
HISTORY_UNITS = 30
HISTORY_DAYS = 365
SEED = 4
SHIPPED_REGISTRY = REPO / "units.yaml"
DEFAULT_JSON = REPO / "bench" / "results" / "latest.json"
MB = 1024 * 1024


# =============================================================================== data


def _registry_header(total_population: int) -> str:
    """The shipped units.yaml up to `units:` (district, groups, forms), population fixed."""
    text = SHIPPED_REGISTRY.read_text("utf-8")
    head, sep, _ = text.partition("\nunits:")
    if not sep:
        raise SystemExit(f"{SHIPPED_REGISTRY}: no top-level 'units:' key")
    head = re.sub(
        r"^(  population:\s*)\d+.*$",
        lambda m: f"{m.group(1)}{total_population}",
        head,
        count=1,
        flags=re.MULTILINE,
    )
    return head + "\nunits:\n"


@dataclass(frozen=True)
class BenchUnit:
    id: str
    group: str
    population: int = 0
    staff: int = 0
    students: int = 0
    hamlets: int = 0


def make_units(n: int) -> list[BenchUnit]:
    """7 in 10 communes, 1 in 10 schools, 2 in 10 departments, and one youth union."""
    rng = random.Random(SEED + n)
    units = []
    for i in range(n - 1):
        kind = i % 10
        if kind < 7:
            units.append(
                BenchUnit(
                    f"xa-{i:05d}", "commune", population=rng.randint(5_000, 20_000), hamlets=4
                )
            )
        elif kind == 7:
            units.append(
                BenchUnit(
                    f"thpt-{i:05d}",
                    "school",
                    staff=rng.randint(40, 90),
                    students=rng.randint(800, 1500),
                )
            )
        else:
            units.append(BenchUnit(f"phong-{i:05d}", "department", staff=rng.randint(8, 60)))
    units.append(BenchUnit("huyen-doan", "youth"))
    return units


def registry_yaml(units: list[BenchUnit]) -> str:
    parts = [_registry_header(sum(u.population for u in units))]
    for u in units:
        number = u.id.rsplit("-", 1)[-1]
        if u.group == "commune":
            parts.append(
                f"  - id: {u.id}\n"
                f"    name: Xã Thử Nghiệm {number}\n"
                f"    group: commune\n"
                f'    gso_code: "{number}"\n'
                f"    population: {u.population}\n"
                f"    hamlets: [Ấp 1, Ấp 2, Ấp Long Thạnh, Ấp Phú Hòa]\n"
                f'    contact: {{person: Văn phòng UBND xã (mẫu), phone: "0277 38{number}"}}\n'
            )
        elif u.group == "school":
            parts.append(
                f"  - {{id: {u.id}, name: Trường THPT Thử Nghiệm {number}, group: school, "
                f"staff: {u.staff}, students: {u.students},\n"
                f'     contact: {{person: Văn phòng trường (mẫu), phone: "0277 39{number}"}}}}\n'
            )
        elif u.group == "department":
            parts.append(
                f"  - {{id: {u.id}, name: Phòng Thử Nghiệm {number}, group: department, "
                f'staff: {u.staff}, contact: {{phone: "0277 37{number}"}}}}\n'
            )
        else:
            parts.append(
                f"  - {{id: {u.id}, name: Huyện đoàn (Đoàn TNCS Hồ Chí Minh), group: youth,\n"
                f'     contact: {{person: Văn phòng Huyện đoàn (mẫu), phone: "0277 3800 401"}}}}\n'
            )
    return "".join(parts)


def figures_for(u: BenchUnit, progress: float, rng: random.Random) -> dict[str, int | bool]:
    """Valid figures (no error, no warning) for a unit, growing with progress in 0..1."""
    if u.group == "commune":
        installs = int(u.population * (0.02 + 0.5 * progress)) + rng.randint(0, 9)
        teams = 4 + int(progress * 3)
        return {
            "residents_installed": installs,
            "teams_formed": teams,
            "hamlets_with_team": min(u.hamlets, teams),
            "households_visited": int(u.population / 4 * progress) + 40,
            "desk_officer": rng.random() < 0.9,
            "desk_helped": rng.randint(0, 12),
        }
    if u.group == "school":
        with_phone = int(u.students * 0.6)
        return {
            "staff": u.staff,
            "staff_installed": int(u.staff * (0.5 + 0.5 * progress)),
            "students_with_smartphone": with_phone,
            "students_installed": int(with_phone * (0.2 + 0.8 * progress)),
            "relatives_installed": 40 + int(400 * progress),
        }
    if u.group == "department":
        with_phone = u.staff - rng.randint(0, 2)
        return {
            "staff": u.staff,
            "staff_with_smartphone": with_phone,
            "staff_installed": max(0, with_phone - rng.randint(0, 3)),
            "relatives_installed": u.staff + int(200 * progress),
        }
    return {"members_sent": 60 + int(100 * progress), "hamlets_supported": 20 + int(19 * progress)}


def _toml_value(value: int | bool | str) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    return json.dumps(value, ensure_ascii=False)  # the same escapes as TOML for our text


def submission_toml(
    revision: int,
    reported_at: datetime,
    entered_at: datetime,
    figures: dict[str, int | bool],
    note: str = "",
) -> str:
    """The canonical file, as bluezone_tui.core.submission.to_toml writes it (checked below)."""
    lines = [
        f"revision = {revision}",
        f"reported_at = {reported_at.isoformat(sep=' ')}",
        'entered_by = "bench"',
        f"entered_at = {entered_at.isoformat(sep=' ')}",
    ]
    if note:
        lines.append(f"note = {_toml_value(note)}")
    lines.append("")
    lines.append("[figures]")
    lines.extend(f"{key} = {_toml_value(value)}" for key, value in figures.items())
    return "\n".join(lines) + "\n"


def _write(path: Path, text: str, mtime: float) -> None:
    with open(path, "w", encoding="utf-8", newline="") as handle:
        handle.write(text)
    os.utime(path, (mtime, mtime))


def build_day(data_dir: Path, units: list[BenchUnit], day: date, rng: random.Random) -> None:
    """Every unit's file for `day`: most before 15:00, about 1 in 20 late, some with a note."""
    folder = data_dir / "submissions" / day.isoformat()
    folder.mkdir(parents=True, exist_ok=True)
    # Written "yesterday": a day's files are old by the time the board re-reads them.
    mtime = time.time() - 86_400
    for u in units:
        minute = rng.randint(8 * 60, 14 * 60 + 59) if rng.random() > 0.05 else 15 * 60 + 7
        reported = datetime(day.year, day.month, day.day, minute // 60, minute % 60, tzinfo=TZ)
        note = "Đã đôn đốc các ấp" if rng.random() < 0.1 else ""
        text = submission_toml(
            1, reported, reported + timedelta(minutes=7), figures_for(u, 0.1, rng), note
        )
        _write(folder / f"{u.id}.toml", text, mtime)
    os.utime(folder, (mtime, mtime))


def build_history(data_dir: Path, units: list[BenchUnit], last_day: date) -> None:
    """HISTORY_DAYS days up to last_day; each unit reports on about 19 days in 20."""
    rng = random.Random(SEED)
    mtime = time.time() - 86_400
    for offset in range(HISTORY_DAYS):
        day = last_day - timedelta(days=HISTORY_DAYS - 1 - offset)
        folder = data_dir / "submissions" / day.isoformat()
        folder.mkdir(parents=True, exist_ok=True)
        progress = offset / HISTORY_DAYS
        for u in units:
            if rng.random() < 0.05 and offset != HISTORY_DAYS - 1:
                continue
            reported = datetime(day.year, day.month, day.day, 14, rng.randint(0, 59), tzinfo=TZ)
            text = submission_toml(
                1, reported, reported + timedelta(minutes=3), figures_for(u, progress, rng)
            )
            _write(folder / f"{u.id}.toml", text, mtime)
        os.utime(folder, (mtime, mtime))


def build_data(root: Path, n: int) -> tuple[Path, Path]:
    """(big: N units, one day), (small: 30 units, 365 days of history)."""
    big = root / f"units-{n}"
    (big / "submissions").mkdir(parents=True)
    units = make_units(n)
    (big / "units.yaml").write_text(registry_yaml(units), encoding="utf-8")
    build_day(big, units, DAY, random.Random(SEED))
    small = root / f"units-{HISTORY_UNITS}-history"
    (small / "submissions").mkdir(parents=True)
    few = make_units(HISTORY_UNITS)
    (small / "units.yaml").write_text(registry_yaml(few), encoding="utf-8")
    build_history(small, few, DAY)
    _check_format(big)
    return big, small


def _check_format(data_dir: Path) -> None:
    """The generated files are byte for byte what the store itself would write."""
    from bluezone_tui.core.submission import to_toml

    registry = load_registry(data_dir)
    store = Store(data_dir, registry)
    for unit in registry.units[:50]:
        parsed = store.read(DAY, unit.id)
        assert parsed is not None and parsed.submission is not None, parsed
        assert not parsed.problems, parsed.problems
        raw = store.path_for(DAY, unit.id).read_bytes()
        assert to_toml(parsed.submission, unit.form) == raw, unit.id


# =============================================================================== measuring


def median_time(fn: Callable[[], object], repeat: int, setup: Callable[[], object] | None = None):
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


def day_folder(data_dir: Path) -> Path:
    return data_dir / "submissions" / DAY.isoformat()


def parse_floor(data_dir: Path) -> None:
    """The plain script: units.yaml with the C loader, every file of the day with tomllib."""
    with open(data_dir / "units.yaml", "rb") as handle:
        yaml.load(handle, Loader=yaml.CSafeLoader)  # noqa: S506 - a safe loader
    folder = str(day_folder(data_dir))
    for name in os.listdir(folder):
        with open(os.path.join(folder, name), "rb") as handle:
            tomllib.load(handle)


def read_floor(data_dir: Path) -> None:
    folder = str(day_folder(data_dir))
    for name in os.listdir(folder):
        with open(os.path.join(folder, name), "rb") as handle:
            handle.read()


def stat_floor(data_dir: Path) -> None:
    folder = str(day_folder(data_dir))
    for name in os.listdir(folder):
        os.stat(os.path.join(folder, name))


def now_at() -> datetime:
    return datetime.fromisoformat(NOW).replace(tzinfo=TZ)


def registry_cache(on: bool) -> None:
    """Turn the persistent registry cache (bluezone_tui.core.registry_cache) on or off."""
    if on:
        os.environ.pop("BLUEZONE_CACHE", None)
    else:
        os.environ["BLUEZONE_CACHE"] = "off"


def cold_load(data_dir: Path):
    registry = load_registry(data_dir)
    store = Store(data_dir, registry)
    consolidation = consolidate(load_status(store, DAY, now_at()))
    return store, consolidation


def trend_data(store: Store) -> object:
    """The trend view's data: the core's build_trend if present, else every day's status."""
    try:
        from bluezone_tui.core.trend import build_trend
    except ImportError:
        build_trend = None
    if build_trend is not None:
        return build_trend(store, DAY)
    return [consolidate(load_status(store, day, now_at())).installs for day in store.days()]


PROCESS_FLOOR = textwrap.dedent(
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

# Linux carries ru_maxrss over execve from the (forked, large) parent, so the peak is
# read from /proc/self/status (VmHWM: this process image's own high-water mark) when
# there is one, and from getrusage elsewhere.
RSS_PROBE = textwrap.dedent(
    """
    import resource, sys

    def peak_kib():
        try:
            with open("/proc/self/status") as status:
                for line in status:
                    if line.startswith("VmHWM:"):
                        return int(line.split()[1])
        except OSError:
            pass
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss

    from datetime import date, datetime
    from pathlib import Path
    from zoneinfo import ZoneInfo
    from bluezone_tui.core.consolidate import consolidate
    from bluezone_tui.core.registry import load_registry
    from bluezone_tui.core.status import load_status
    from bluezone_tui.core.store import Store
    data = Path(sys.argv[1])
    before = peak_kib()
    registry = load_registry(data)
    store = Store(data, registry)
    now = datetime.fromisoformat(sys.argv[3]).replace(tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
    consolidation = consolidate(load_status(store, date.fromisoformat(sys.argv[2]), now))
    assert len(consolidation.rows) == len(registry.units)
    after = peak_kib()
    print(before, after)
    """
)


def run_process(args: list[str], timeout: float = 600) -> None:
    result = subprocess.run(
        args,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        timeout=timeout,
        cwd=REPO,
        env=_child_env(),
    )
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} -> {result.returncode}: {result.stderr[-2000:]!r}")


def _child_env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(REPO) + os.pathsep + env.get("PYTHONPATH", "")
    return env


def peak_rss(data_dir: Path, cache: bool) -> tuple[float, float]:
    """(MB before loading, MB peak) of a fresh process doing the cold load."""
    env = _child_env()
    if not cache:
        env["BLUEZONE_CACHE"] = "off"
    out = subprocess.run(
        [sys.executable, "-c", RSS_PROBE, str(data_dir), DAY.isoformat(), NOW],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=REPO,
        env=env,
        check=True,
    ).stdout.split()
    return int(out[0]) / 1024, int(out[1]) / 1024  # ru_maxrss is in KiB on Linux


# ----------------------------------------------------------------------- first frame hooks

FIRST_FRAME_BOARD = textwrap.dedent(
    """
    import asyncio, sys
    from datetime import date, datetime
    from pathlib import Path
    from bluezone_tui.core.clock import fixed_clock, parse_now
    from bluezone_tui.core.registry import load_registry
    from bluezone_tui.tui.app import BoardApp

    async def main():
        data = Path(sys.argv[1])
        registry = load_registry(data)
        now = parse_now(sys.argv[3], registry.timezone)
        app = BoardApp(
            data_dir=data, registry=registry, day=date.fromisoformat(sys.argv[2]),
            clock=fixed_clock(now),
        )
        async with app.run_test(size=(80, 24)) as pilot:
            await app.board.first_frame.wait()  # set by the board right after its first refresh
            print("FIRST_FRAME", flush=True)
            while app.board.consolidation is None:  # the day's files, read after the first frame
                await pilot.pause(0.005)
            await pilot.pause()
            print("DATA_FRAME", flush=True)
            sys.stdout.close()
            import os
            os._exit(0)

    asyncio.run(main())
    """
)

FIRST_FRAME_BARE = textwrap.dedent(
    """
    import asyncio, sys
    from textual.app import App

    async def main():
        app = App()
        async with app.run_test(size=(80, 24)) as pilot:
            drawn = asyncio.Event()
            app.call_after_refresh(drawn.set)
            await drawn.wait()
            print("FIRST_FRAME", flush=True)
            sys.stdout.close()
            import os
            os._exit(0)

    asyncio.run(main())
    """
)


def board_available() -> str | None:
    """None if the board can be benchmarked, else why not."""
    try:
        from bluezone_tui.tui.app import BoardApp  # noqa: F401
    except Exception as exc:  # noqa: BLE001 - anything: the board is someone else's work
        return f"bluezone_tui.tui.app not importable yet ({type(exc).__name__}: {exc})"
    return None


def _time_to_markers(
    script: str, args: list[str], markers: tuple[str, ...], timeout: float = 120
) -> dict[str, float]:
    """Seconds from starting a fresh interpreter to each of its marker lines."""
    start = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-c", script, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=REPO,
        env=_child_env(),
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
            raise RuntimeError(f"exited {process.returncode} before its first frame: {err[-1500:]}")
    finally:
        if process.poll() is None:
            process.kill()
        process.wait()
    return seen


def board_frames(data_dir: Path, day: date, now: str, repeat: int) -> tuple[float, float]:
    """Medians of: app start (fresh process) to the first frame at 80x24, headless, and to
    the first frame that shows every unit's status (the day's files are read after the
    first frame, in a worker)."""
    runs = [
        _time_to_markers(
            FIRST_FRAME_BOARD, [str(data_dir), day.isoformat(), now], ("FIRST_FRAME", "DATA_FRAME")
        )
        for _ in range(repeat)
    ]
    return (
        statistics.median(r["FIRST_FRAME"] for r in runs),
        statistics.median(r["DATA_FRAME"] for r in runs),
    )


def bare_app_first_frame_seconds() -> float:
    return _time_to_markers(FIRST_FRAME_BARE, [], ("FIRST_FRAME",))["FIRST_FRAME"]


# =============================================================================== report


@dataclass
class Row:
    name: str
    seconds: float | None
    floor_name: str = ""
    floor: float | None = None
    target: float | None = None  # the figure must be <= target x floor
    unit: str = "s"
    note: str = ""
    limit: float | None = None  # or an absolute limit, in `unit`

    @property
    def ratio(self) -> float | None:
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


# =============================================================================== main


def change_one_file(data_dir: Path, unit_id: str, revision: int) -> None:
    """Rewrite one unit's file as another process would (temp file + rename), new figure."""
    path = day_folder(data_dir) / f"{unit_id}.toml"
    data = tomllib.loads(path.read_text("utf-8"))
    figures = data["figures"]
    key = next(iter(figures))
    figures[key] = figures[key] + 1
    text = submission_toml(revision, data["reported_at"], data["entered_at"], figures)
    temp = path.with_name(f".{path.name}.bench.tmp")
    temp.write_text(text, encoding="utf-8")
    os.replace(temp, path)


def measure(big: Path, small: Path, n: int, repeat: int, log: Callable[[str], None]) -> list[Row]:
    rows: list[Row] = []
    files = len(os.listdir(day_folder(big)))

    log("floors")
    parse = median_time(lambda: parse_floor(big), repeat)
    read = median_time(lambda: read_floor(big), repeat)
    stat = median_time(lambda: stat_floor(big), repeat)
    rows.append(Row(f"parse floor ({files} files + units.yaml)", parse))
    rows.append(Row("read-bytes floor", read))
    rows.append(Row("stat floor", stat))

    log("cold")
    registry_cache(False)  # cold: nothing cached anywhere, units.yaml parsed by PyYAML
    cold = median_time(lambda: cold_load(big), repeat)
    rows.append(Row(f"cold load+status+consolidation, {n} units", cold, "parse", parse, 1.25))
    registry_cache(True)
    cold_load(big)  # writes the persistent registry cache
    cached = median_time(lambda: cold_load(big), repeat)
    rows.append(
        Row(
            "cold, but units.yaml from the registry cache",
            cached,
            "parse",
            parse,
            note="a new process whose units.yaml has not changed",
        )
    )

    log("warm")
    store, first = cold_load(big)
    assert len(first.rows) == n
    ticks = iter(range(10_000))

    def warm_once() -> None:
        now = now_at() + timedelta(seconds=next(ticks))  # the board's clock keeps running
        consolidate(load_status(store, DAY, now))

    warm = median_time(warm_once, repeat)
    rows.append(Row("warm reload (same Store, nothing changed)", warm, "stat", stat, 2.0))

    log("one changed")
    rng = random.Random(SEED)
    victims = iter(rng.sample([u.id for u in store.registry.units], repeat))
    parses: list[int] = []

    def change() -> None:
        change_one_file(big, next(victims), 2)
        parses.append(store.parses)

    def reload_once() -> None:
        consolidation = consolidate(load_status(store, DAY, now_at()))
        parses[-1] = store.parses - parses[-1]
        assert len(consolidation.rows) == n

    one = median_time(reload_once, repeat, setup=change)
    rows.append(
        Row(
            "one file changed (same Store)",
            one,
            "cold",
            cold,
            0.05,
            note=f"files re-parsed per reload: {sorted(set(parses))}",
        )
    )

    log("export processes")
    process_floor = median_time(
        lambda: run_process([sys.executable, "-c", PROCESS_FLOOR, str(big), DAY.isoformat()]),
        repeat,
    )
    rows.append(Row("parse floor as a whole process", process_floor))
    for fmt in district_formats():
        seconds = median_time(
            lambda fmt=fmt: run_process(
                [
                    sys.executable,
                    "-m",
                    "bluezone_tui",
                    "--data",
                    str(big),
                    "export",
                    "--date",
                    DAY.isoformat(),
                    "--now",
                    NOW,
                    "--format",
                    fmt,
                ]
            ),
            repeat,
        )
        rows.append(
            Row(
                f"`bluezone export --format {fmt}` process",
                seconds,
                "process",
                process_floor,
                note="registry cache warm",
            )
        )

    log("trend")
    small_registry = load_registry(small)
    days = len(Store(small, small_registry).days())
    trend_cold = median_time(lambda: trend_data(Store(small, small_registry)), repeat)
    small_store = Store(small, small_registry)
    trend_data(small_store)
    trend_warm = median_time(lambda: trend_data(small_store), repeat)
    rows.append(Row(f"trend data, {HISTORY_UNITS} units × {days} days, cold", trend_cold))
    rows.append(Row("trend data, warm (same Store)", trend_warm, "cold", trend_cold))

    log("memory")
    before, peak = peak_rss(big, cache=False)
    _, peak_cached = peak_rss(big, cache=True)
    rows.append(
        Row(
            f"peak RSS, cold load at {n} units",
            peak,
            unit="MB",
            limit=150,
            note=f"interpreter + imports alone: {before:.1f} MB; "
            f"{peak_cached:.1f} MB with the registry cache",
        )
    )

    log("first frame")
    why_not = board_available()
    if why_not is not None:
        rows.append(Row("first frame, bare Textual app", None, note="skipped: " + why_not))
        rows.append(Row(f"first frame, {HISTORY_UNITS} units", None, note="skipped"))
        rows.append(Row(f"first frame, {n} units", None, note="skipped"))
    else:
        bare = statistics.median(bare_app_first_frame_seconds() for _ in range(repeat))
        few, few_data = board_frames(small, DAY, NOW, repeat)
        many, many_data = board_frames(big, DAY, NOW, repeat)
        rows.append(Row("first frame, bare Textual app", bare))
        rows.append(Row(f"first frame, {HISTORY_UNITS} units", few, "bare", bare, 1.5))
        rows.append(Row(f"first frame, {n} units", many, f"{HISTORY_UNITS} units", few, 1.5))
        rows.append(Row(f"board with every status, {HISTORY_UNITS} units", few_data, "bare", bare))
        rows.append(
            Row(
                f"board with every status, {n} units", many_data, f"{HISTORY_UNITS} units", few_data
            )
        )
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--units", type=int, default=10_000, help="units in the big registry")
    parser.add_argument("--repeat", type=int, default=5, help="repetitions per figure (median)")
    parser.add_argument("--json", type=Path, default=DEFAULT_JSON, help="where to write JSON")
    parser.add_argument("--keep", type=Path, help="build the data here and keep it")
    args = parser.parse_args(argv)
    if args.units < 2 or args.repeat < 1:
        parser.error("--units must be >= 2 and --repeat >= 1")

    def log(message: str) -> None:
        print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)

    with tempfile.TemporaryDirectory(prefix="bluezone-bench-") as temp:
        root = args.keep or Path(temp)
        if args.keep:
            root.mkdir(parents=True, exist_ok=False)
        # The registry cache of the benchmark's registries goes with them, not in ~/.cache.
        os.environ["XDG_CACHE_HOME"] = str(root / "cache")
        log(f"building {args.units} units + {HISTORY_UNITS}×{HISTORY_DAYS} history in {root}")
        started = time.perf_counter()
        big, small = build_data(root, args.units)
        log(f"built in {time.perf_counter() - started:.1f} s")
        rows = measure(big, small, args.units, args.repeat, log)

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
        },
        "rows": [row.as_dict() for row in rows],
        "all_met": all(row.met for row in judged),
    }
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", "utf-8")
    print(f"\nwritten {args.json}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
