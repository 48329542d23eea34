"""In one process: the load pipeline at N units against plain parsing, the board's poll,
a recompute after one file changed, the trend's year of history, and peak memory.

- floors: parsing units.yaml (yaml.CSafeLoader) and every file of the day (tomllib);
  reading the files' bytes; stat-ing them;
- cold: a new registry and Store, the registry cache off, to the day's consolidation;
  the same with units.yaml's data from the registry cache (a new process on an
  unchanged registry);
- the board's poll when nothing changed: the day's files read again (one stat each) and
  compared with what the figures on screen came from, as BoardScreen.compute does;
- one file changed: the same Store computes the day again (one file parsed again);
- a day of the 30-unit registry with a year of history (each unit's last few earlier
  reports read, not the year: loader.EARLIER_REPORTS_READ), against the day's own files
  alone and against the whole year read, and the trend, which does read the year;
- peak RSS of a fresh process doing the cold load.
"""

from __future__ import annotations

import os
import random
import subprocess
import sys
import textwrap
import tomllib
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import yaml
from bench_data import HISTORY_UNITS, SEED, submission_toml
from timing import DAY, NOW, REPO, Row, child_env, day_folder, median_time, now_at

from bluezone_tui.day.loader import EARLIER_REPORTS_READ, figures_of, load_day, read_days
from bluezone_tui.day.store import Store
from bluezone_tui.day.trend import build_trend
from bluezone_tui.registry.load import load_registry


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


def registry_cache(on: bool) -> None:
    """Turn the persistent registry cache (bluezone_tui.registry.cache) on or off."""
    if on:
        os.environ.pop("BLUEZONE_CACHE", None)
    else:
        os.environ["BLUEZONE_CACHE"] = "off"


def cold_load(data_dir: Path) -> None:
    load_day(Store(data_dir, load_registry(data_dir)), DAY, now_at())


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
    from bluezone_tui.day.loader import load_day
    from bluezone_tui.registry.load import load_registry
    from bluezone_tui.day.store import Store
    data = Path(sys.argv[1])
    before = peak_kib()
    registry = load_registry(data)
    now = datetime.fromisoformat(sys.argv[3]).replace(tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
    consolidation = load_day(Store(data, registry), date.fromisoformat(sys.argv[2]), now)
    assert len(consolidation.rows) == len(registry.units)
    print(before, peak_kib())
    """
)


def peak_rss(data_dir: Path, cache: bool) -> tuple[float, float]:
    """(MB before loading, MB peak) of a fresh process doing the cold load."""
    env = child_env() if cache else child_env(BLUEZONE_CACHE="off")
    out = subprocess.run(
        [sys.executable, "-c", RSS_PROBE, str(data_dir), DAY.isoformat(), NOW],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=REPO,
        env=env,
        check=True,
    ).stdout.split()
    return int(out[0]) / 1024, int(out[1]) / 1024


def measure(big: Path, small: Path, n: int, repeat: int, log: Callable[[str], None]) -> list[Row]:
    rows: list[Row] = []
    files = len(os.listdir(day_folder(big)))

    log("floors")
    parse = median_time(lambda: parse_floor(big), repeat)
    stat = median_time(lambda: stat_floor(big), repeat)
    rows.append(Row(f"parse floor ({files} files + units.yaml)", parse))
    rows.append(Row("read-bytes floor", median_time(lambda: read_floor(big), repeat)))
    rows.append(Row("stat floor", stat))

    log("cold")
    registry_cache(False)  # cold: nothing cached anywhere, units.yaml parsed by PyYAML
    cold = median_time(lambda: cold_load(big), repeat)
    rows.append(Row(f"cold load+status+consolidation, {n} units", cold, "parse", parse, 1.25))
    registry_cache(True)
    cold_load(big)  # writes the persistent registry cache
    rows.append(
        Row(
            "cold, but units.yaml from the registry cache",
            median_time(lambda: cold_load(big), repeat),
            "parse",
            parse,
            note="a new process whose units.yaml has not changed",
        )
    )

    log("board poll")
    registry = load_registry(big)
    store = Store(big, registry)
    basis = read_days(store, DAY)
    shown = figures_of(registry, basis, now_at())
    assert len(shown.rows) == n

    def poll() -> None:  # BoardScreen.compute when nothing changed
        days = [*basis[:-1], store.read_day(DAY)]
        assert days == basis and now_at() < (shown.status.changes_at or now_at() + timedelta(1))

    rows.append(Row("board poll, nothing changed", median_time(poll, repeat), "stat", stat, 2.0))

    log("one changed")
    victims = iter(random.Random(SEED).sample([u.id for u in registry.units], repeat))
    parses: list[int] = []

    def change() -> None:
        change_one_file(big, next(victims), 2)
        parses.append(store.parses)

    def recompute() -> None:  # BoardScreen.compute after the poll saw a changed file
        consolidation = figures_of(registry, read_days(store, DAY), now_at())
        parses[-1] = store.parses - parses[-1]
        assert len(consolidation.rows) == n

    rows.append(
        Row(
            "one file changed: the day computed again",
            median_time(recompute, repeat, setup=change),
            "cold",
            cold,
            note=f"files parsed again: {sorted(set(parses))}; every file validated again",
        )
    )

    log("a year of history")
    small_registry = load_registry(small)
    small_store = Store(small, small_registry)
    days = len(small_store.days())

    def day_alone() -> None:
        store = Store(small, small_registry)
        figures_of(small_registry, [store.read_day(DAY)], now_at())

    def whole_year() -> None:
        store = Store(small, small_registry)
        days = [store.read_day(d) for d in store.days() if d < DAY] + [store.read_day(DAY)]
        figures_of(small_registry, days, now_at())

    alone = median_time(day_alone, repeat)
    year_cold = median_time(lambda: load_day(Store(small, small_registry), DAY, now_at()), repeat)
    load_day(small_store, DAY, now_at())
    rows.append(Row(f"the day's own files alone, {HISTORY_UNITS} units, cold", alone))
    rows.append(
        Row(
            f"a day after {days} days of history, {HISTORY_UNITS} units, cold",
            year_cold,
            "the day alone",
            alone,
            note=f"each unit's last {EARLIER_REPORTS_READ} earlier reports read, not the year",
        )
    )
    rows.append(
        Row(
            "the same, had the whole year been read",
            median_time(whole_year, repeat),
            "the day alone",
            alone,
            note="what the look back saves",
        )
    )
    rows.append(
        Row(
            "the same, files cached (the board after a change)",
            median_time(lambda: load_day(small_store, DAY, now_at()), repeat),
            "cold",
            year_cold,
        )
    )

    log("trend")
    trend_cold = median_time(lambda: build_trend(Store(small, small_registry), DAY), repeat)
    build_trend(small_store, DAY)
    trend_warm = median_time(lambda: build_trend(small_store, DAY), repeat)
    rows.append(Row(f"trend data, {HISTORY_UNITS} units × {days} days, cold", trend_cold))
    rows.append(Row("trend data, files cached (same Store)", trend_warm, "cold", trend_cold))

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
    return rows
