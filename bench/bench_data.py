"""The benchmark's data: a registry of N units with a day of files for each, and 30 units
with 365 days of history, built in a temporary folder.

The registry is the shipped one's groups and forms with generated communes, schools and
departments; its district population differs from the communes' sum, so that it carries
one warning (`bluezone check` shows it), like a real registry. Every file is exactly what
the store itself writes (checked).
"""

from __future__ import annotations

import json
import os
import random
import re
import time
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from timing import DAY, REPO, TZ

HISTORY_UNITS = 30
HISTORY_DAYS = 365
SEED = 4
SHIPPED_REGISTRY = REPO / "units.yaml"


def _registry_header(district_population: int) -> str:
    """The shipped units.yaml up to `units:` (district, groups, forms), population set."""
    text = SHIPPED_REGISTRY.read_text("utf-8")
    head, sep, _ = text.partition("\nunits:")
    if not sep:
        raise SystemExit(f"{SHIPPED_REGISTRY}: no top-level 'units:' key")
    head = re.sub(
        r"^(  population:\s*)\d+.*$",
        lambda m: f"{m.group(1)}{district_population}",
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
    """The registry of these units. Its district population is the communes' sum rounded
    up to thousands, as an official figure would be: one warning, as in real registries."""
    total = sum(u.population for u in units)
    parts = [_registry_header(total // 1000 * 1000 + 1000)]
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
    """The canonical file, as bluezone_tui.day.submission.to_toml writes it (checked below)."""
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
    """The generated files are byte for byte what the store itself would write, and the
    registry carries exactly one warning."""
    from bluezone_tui.day.store import Store
    from bluezone_tui.day.submission import to_toml
    from bluezone_tui.registry.load import load_registry

    registry = load_registry(data_dir)
    assert len(registry.warnings) == 1, registry.warnings
    store = Store(data_dir, registry)
    for unit in registry.units[:50]:
        parsed = store.read(DAY, unit.id)
        assert parsed is not None and parsed.submission is not None, parsed
        assert not parsed.problems, parsed.problems
        raw = store.path_for(DAY, unit.id).read_bytes()
        assert to_toml(parsed.submission, unit.form) == raw, unit.id
