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


# A new office set up as the guide says: `bluezone init`, then its communes imported from
# a spreadsheet (issue 19's Lai Vung: the template's departments come first in units.yaml,
# and some of their names share words with communes').
LAI_VUNG_COMMUNES = """\
STT,Tên đơn vị,Dân số,"Khóm, ấp"
1,Thị trấn Lai Vung,24310,Ấp 1; Ấp 2; Ấp 3; Ấp 4
2,Xã Tân Thành,17200,Ấp 1; Ấp 2; Ấp 3; Ấp 4
3,Xã Long Hậu,16800,Ấp 1; Ấp 2; Ấp 3; Ấp 4
4,Xã Tân Phước,12950,Ấp 1; Ấp 2; Ấp 3; Ấp 4
5,Xã Hòa Long,14100,Ấp 1; Ấp 2; Ấp 3; Ấp 4
6,Xã Long Thắng,15400,Ấp 1; Ấp 2; Ấp 3; Ấp 4
7,Xã Vĩnh Thới,16050,Ấp 1; Ấp 2; Ấp 3; Ấp 4
8,Xã Tân Hòa,13300,Ấp 1; Ấp 2; Ấp 3; Ấp 4
9,Xã Định Hòa,12600,Ấp 1; Ấp 2; Ấp 3; Ấp 4
10,Xã Phong Hòa,15900,Ấp 1; Ấp 2; Ấp 3; Ấp 4
11,Xã Tân Dương,11800,Ấp 1; Ấp 2; Ấp 3; Ấp 4
12,Xã Hòa Thành,9300,Ấp 1; Ấp 2; Ấp 3; Ấp 4
"""


def new_office(target: Path) -> Path:
    """A data folder for Huyện Lai Vung made by `bluezone init` and `bluezone units import`."""
    from bluezone_tui.cli.main import main

    code = main(["init", str(target), "--district", "Huyện Lai Vung", "--province", "Đồng Tháp"])
    assert code == 0
    sheet = target.parent / f"{target.name}-xa.csv"
    sheet.write_text(LAI_VUNG_COMMUNES, encoding="utf-8")
    code = main(
        ["--data", str(target), "units", "import", str(sheet), "--group", "commune", "--yes"]
    )
    assert code == 0
    return target
