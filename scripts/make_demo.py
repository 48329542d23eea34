"""Rebuild the demo submissions (20–26 Aug 2020) in submissions/ of a data folder.

Deterministic (seeded): running it twice gives the same files. 20 Aug sums to
exactly 6,090 installs over the communes (the letter's figure); later days grow
by 0.2–1 point a day, with a few late and missing reports and some departments
below the 100 % target. Every figure goes through the same validation as the CLI.

    python scripts/make_demo.py [DATA_DIR]
"""

from __future__ import annotations

import random
import shutil
import sys
from datetime import date, datetime, time, timedelta
from pathlib import Path

from bluezone_tui.day.entry import submit
from bluezone_tui.day.store import Store
from bluezone_tui.registry.load import load_registry

FIRST_DAY = date(2020, 8, 20)
DAYS = 7
TARGET_FIRST_DAY = 6090
STAFF = ["nguyen.thi.lan", "tran.van.hung", "le.thi.mai"]
# (day index, unit id): reported after 15:00 / not at all
LATE = {
    (1, "xa-thuong-lac"),
    (2, "xa-long-thuan"),
    (3, "thpt-hong-ngu-3"),
    (4, "xa-phu-thuan-b"),
    (5, "xa-thuong-lac"),
    (6, "xa-long-khanh-b"),
    (0, "xa-phu-thuan-a"),
}
MISSING = {
    (2, "xa-phu-thuan-a"),
    (3, "thpt-long-khanh-a"),
    (4, "xa-thuong-phuoc-2"),
    (5, "thpt-hong-ngu-2"),
    (6, "xa-thuong-lac"),
    (6, "xa-long-thuan"),
}


def first_day_installs(registry, rng: random.Random) -> dict[str, int]:
    communes = [u for u in registry.units if u.group.counts_in_total]
    weights = {u.id: u.attributes["population"] * rng.uniform(0.8, 1.25) for u in communes}
    scale = TARGET_FIRST_DAY / sum(weights.values())
    installs = {uid: int(w * scale) for uid, w in weights.items()}
    installs[communes[0].id] += TARGET_FIRST_DAY - sum(installs.values())
    return installs


def main(data_dir: Path) -> None:
    registry = load_registry(data_dir)
    store = Store(data_dir, registry)
    for day_offset in range(DAYS):
        shutil.rmtree(store.day_dir(FIRST_DAY + timedelta(days=day_offset)), ignore_errors=True)
    rng = random.Random(2020)
    tz = registry.timezone
    installs = first_day_installs(registry, rng)
    state: dict[str, dict[str, int]] = {}
    for offset in range(DAYS):
        day = FIRST_DAY + timedelta(days=offset)
        for unit in registry.units:
            if (offset, unit.id) in MISSING:
                continue
            group = unit.group.id
            if group in ("department", "youth") and offset % 2 == 1 and rng.random() < 0.6:
                continue  # no daily deadline: they report every other day or so
            if (offset, unit.id) in LATE:
                clock = time(15, rng.randint(5, 59))
            else:
                clock = time(rng.randint(8, 14), rng.randint(0, 59))
            reported_at = datetime.combine(day, clock, tzinfo=tz)
            values = figures_for(unit, offset, installs, state, rng)
            submit(
                store,
                unit.id,
                day,
                values,
                now=reported_at + timedelta(minutes=rng.randint(1, 20)),
                reported_at=reported_at,
                entered_by=rng.choice(STAFF),
            )
    print(f"demo data written to {store.root}")


def figures_for(unit, offset, installs, state, rng) -> dict[str, int | bool]:
    last = state.setdefault(unit.id, {})
    group = unit.group.id
    if group == "commune":
        population = unit.attributes["population"]
        if offset == 0:
            residents = installs[unit.id]
        else:
            residents = last["residents_installed"] + round(
                population * rng.uniform(0.2, 1.0) / 100
            )
        hamlets = len(unit.hamlets)
        with_team = hamlets if offset >= 2 else max(1, hamlets - rng.randint(1, 2))
        values = {
            "residents_installed": residents,
            "teams_formed": max(with_team, hamlets + rng.randint(0, 2))
            if offset >= 2
            else with_team,
            "hamlets_with_team": with_team,
            "households_visited": last.get("households_visited", 0) + rng.randint(40, 160),
            "desk_officer": not (unit.id == "xa-thuong-lac" and offset < 3),
            "desk_helped": rng.randint(0, 12),
        }
    elif group == "school":
        students = unit.attributes["students"]
        with_phone = last.get("students_with_smartphone", int(students * rng.uniform(0.55, 0.7)))
        staff = unit.attributes["staff"]
        values = {
            "staff": staff,
            "staff_installed": min(
                staff, last.get("staff_installed", int(staff * 0.8)) + rng.randint(0, 4)
            ),
            "students_with_smartphone": with_phone,
            "students_installed": min(
                with_phone,
                last.get("students_installed", int(with_phone * 0.3)) + rng.randint(20, 60),
            ),
            "relatives_installed": last.get("relatives_installed", 40) + rng.randint(5, 30),
        }
    elif group == "department":
        staff = unit.attributes["staff"]
        with_phone = last.get("staff_with_smartphone", staff - rng.randint(0, 2))
        behind = unit.id in ("phong-nong-nghiep", "trung-tam-y-te", "phong-kinh-te-ha-tang")
        installed = last.get(
            "staff_installed", with_phone - (rng.randint(3, 6) if behind else rng.randint(0, 2))
        )
        if not behind or offset >= 5:
            installed = min(with_phone, installed + rng.randint(0, 2))
        values = {
            "staff": staff,
            "staff_with_smartphone": with_phone,
            "staff_installed": installed,
            "relatives_installed": last.get("relatives_installed", staff) + rng.randint(0, 6),
        }
    else:
        values = {
            "members_sent": last.get("members_sent", 60) + rng.randint(0, 15),
            "hamlets_supported": min(39, last.get("hamlets_supported", 20) + rng.randint(0, 5)),
        }
    last.update({k: v for k, v in values.items() if isinstance(v, int) and not isinstance(v, bool)})
    return values


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parent.parent)
