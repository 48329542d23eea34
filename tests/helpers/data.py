"""The shipped registry and demo data: constants, demo instants, and copies to change.

Nothing here ever writes into the repository's own `submissions/` or `units.yaml`:
a test that changes data changes a copy (copy_shipped) in its own temp folder.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tomllib
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import bluezone_tui

REPO = Path(bluezone_tui.__file__).resolve().parent.parent
SHIPPED_REGISTRY = REPO / "units.yaml"
SHIPPED_SUBMISSIONS = REPO / "submissions"
TZ = ZoneInfo("Asia/Ho_Chi_Minh")
DEMO_DAY = date(2020, 8, 20)
DEMO_DAYS = [date(2020, 8, d) for d in range(20, 27)]


def at(day: date, hour: int, minute: int = 0, second: int = 0) -> datetime:
    """An instant on `day` in the registry's timezone (Asia/Ho_Chi_Minh)."""
    return datetime(day.year, day.month, day.day, hour, minute, second, tzinfo=TZ)


def read_demo(day: date, unit_id: str) -> dict:
    """The shipped demo file, parsed independently of the package (for cross-checks)."""
    return tomllib.loads((SHIPPED_SUBMISSIONS / day.isoformat() / f"{unit_id}.toml").read_text())


def copy_shipped(target: Path) -> Path:
    """`target` (made if missing) with copies of the shipped registry and demo submissions."""
    target.mkdir(parents=True, exist_ok=True)
    shutil.copy2(SHIPPED_REGISTRY, target / "units.yaml")
    shutil.copytree(SHIPPED_SUBMISSIONS, target / "submissions")
    return target


def snapshot(root: Path) -> dict[str, str]:
    """relative path -> sha256 of every regular file under root (symlinks not followed)."""
    found = {}
    for dirpath, _dirs, files in os.walk(root):
        for name in files:
            path = Path(dirpath) / name
            if path.is_symlink() or not path.is_file():
                continue
            found[str(path.relative_to(root))] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


def with_many_communes(data: Path, count: int, day: date = DEMO_DAY) -> Path:
    """The data folder with `count` more communes ("Xã Thử Nghiệm 0001"…), each reporting
    on `day` (every seventh late, every eleventh not at all): a day of a large district."""
    registry = data / "units.yaml"
    units = "".join(
        f"  - {{id: xa-thu-nghiem-{k:04d}, name: Xã Thử Nghiệm {k:04d}, group: commune, "
        f'population: {9000 + 37 * k}, hamlets: [Ấp 1, Ấp 2], contact: {{person: UBND xã (mẫu), phone: "0277 39{k:05d}"}}}}\n'
        for k in range(1, count + 1)
    )
    text = registry.read_text(encoding="utf-8")
    head, sep, rest = text.partition("\nunits:\n")
    registry.write_text(head + sep + units + rest, encoding="utf-8")
    folder = data / "submissions" / day.isoformat()
    folder.mkdir(parents=True, exist_ok=True)
    for k in range(1, count + 1):
        if k % 11 == 0:
            continue
        minute = 15 * 60 + 7 if k % 7 == 0 else 8 * 60 + k % 400
        (folder / f"xa-thu-nghiem-{k:04d}.toml").write_text(
            f"revision = 1\nreported_at = {day.isoformat()} {minute // 60:02d}:{minute % 60:02d}"
            f":00+07:00\n\n[figures]\nresidents_installed = {400 + k % 300}\n",
            encoding="utf-8",
        )
    return data
