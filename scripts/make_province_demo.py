"""Rebuild the demo province (demo/province/): SAMPLE data for Đồng Tháp's other 11 districts.

Hồng Ngự's own data is this repository's data folder; the other eleven district-level
units get invented figures, every one of them labelled "(mẫu)", chosen so that on
20 Aug 2020 Hồng Ngự's real 5,05% ranks 12th of 12, as the letter says. Populations
are rounded approximations, not statistics. Six districts are data folders
(units.yaml + submissions/ for 19 and 20 Aug), four the CSV and one the workbook that
`bluezone export` writes for them, to show that the province reads all three. Beside
the folder, `dong-thap-huyen.csv` lists the twelve (`bluezone province --districts`), so
that a district left out is named. Deterministic.

    python scripts/make_province_demo.py [TARGET_DIR]
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from datetime import date, datetime, time
from pathlib import Path

from bluezone_tui.day.entry import submit
from bluezone_tui.day.loader import load_day
from bluezone_tui.day.store import Store
from bluezone_tui.registry.load import load_registry
from bluezone_tui.reports.csv import render_csv
from bluezone_tui.reports.xlsx import render_xlsx

DAY = date(2020, 8, 20)
BEFORE = date(2020, 8, 19)
EXPORTED_AT = time(16, 30)
# slug, name, GSO district code, population (rounded, sample), rate on the 19th and the 20th
# in hundredths of a percent, how the district sends its data
DISTRICTS = (
    ("tp-cao-lanh", "Thành phố Cao Lãnh", "866", 164000, 1290, 1381, "folder"),
    ("tp-sa-dec", "Thành phố Sa Đéc", "867", 106000, 1105, 1192, "csv"),
    ("tp-hong-ngu", "Thành phố Hồng Ngự", "868", 100000, 702, 768, "folder"),
    ("tan-hong", "Huyện Tân Hồng", "869", 79000, 588, 631, "csv"),
    ("tam-nong", "Huyện Tam Nông", "871", 98000, 611, 655, "folder"),
    ("thap-muoi", "Huyện Tháp Mười", "872", 131000, 840, 902, "csv"),
    ("cao-lanh", "Huyện Cao Lãnh", "873", 199000, 905, 977, "folder"),
    ("thanh-binh", "Huyện Thanh Bình", "874", 146000, 566, 604, "csv"),
    ("lap-vo", "Huyện Lấp Vò", "875", 172000, 733, 812, "folder"),
    ("lai-vung", "Huyện Lai Vung", "876", 160000, 690, 745, "xlsx"),
    ("chau-thanh", "Huyện Châu Thành", "877", 148000, 534, 571, "folder"),
)
COMMUNES = 3  # sample communes per district: enough to show completeness and timeliness
TIMES = (time(9, 12), time(13, 47), time(15, 20))  # the third commune's 15:20 is late
LATE_IN = {"867", "869", "873", "876"}  # the districts where it reports late on the 20th
HONG_NGU = ("870", "Huyện Hồng Ngự")  # the repository's own data folder
LIST_NAME = "dong-thap-huyen.csv"

REGISTRY = """\
# DỮ LIỆU MẪU cho bản demo xếp hạng của tỉnh: không phải số liệu thật của {name}.
# Dân số làm tròn, gần đúng; các xã là xã giả định. Sinh bởi scripts/make_province_demo.py.
district: {{name: {name} (mẫu), short_name: {short}, province: Đồng Tháp, gso_code: "{gso}",
           population: {population}}}
timezone: Asia/Ho_Chi_Minh
consolidation_deadline: "16:30"
groups:
  - {{id: commune, name: "Xã, phường, thị trấn", form: commune, deadline: "15:00",
     counts_in_total: true, rate: {{of: residents_installed, over: population}}}}
forms:
  commune:
    fields:
      - {{id: residents_installed, label: "Số người dân đã cài đặt (lũy kế)", short: "Đã cài",
         type: int, required: true, cumulative: true}}
units:
{units}"""


def populations(total: int) -> list[int]:
    shares = (0.45, 0.33)
    first = [round(total * share) for share in shares]
    return [*first, total - sum(first)]


def write_district(folder: Path, slug, name, gso, population, rates) -> Store:  # type: ignore[no-untyped-def]
    folder.mkdir(parents=True)
    units = "\n".join(
        f"  - {{id: xa-mau-{i}, name: Xã mẫu {i}, group: commune, population: {people}}}"
        for i, people in enumerate(populations(population), 1)
    )
    short = name.split(" ", 1)[1] if name.startswith("Huyện ") else name
    (folder / "units.yaml").write_text(
        REGISTRY.format(name=name, short=short, gso=gso, population=population, units=units),
        encoding="utf-8",
    )
    registry = load_registry(folder)
    store = Store(folder, registry)
    tz = registry.timezone
    for day, rate in zip((BEFORE, DAY), rates, strict=True):
        installs = round(population * rate / 10000)
        shares = populations(installs)
        for index, (unit, figure) in enumerate(zip(registry.units, shares, strict=True)):
            late = day == DAY and index == len(TIMES) - 1 and gso in LATE_IN
            clock = TIMES[index] if late or index < len(TIMES) - 1 else TIMES[0]
            at = datetime.combine(day, clock, tzinfo=tz)
            submit(
                store,
                unit.id,
                day,
                {"residents_installed": str(figure)},
                now=at,
                reported_at=at,
                entered_by="du.lieu.mau",
            )
    return store


def main(target: Path) -> None:
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    for slug, name, gso, population, before, after, kind in DISTRICTS:
        if kind == "folder":
            write_district(target / slug, slug, name, gso, population, (before, after))
            continue
        with tempfile.TemporaryDirectory() as scratch:
            store = write_district(
                Path(scratch) / slug, slug, name, gso, population, (before, after)
            )
            now = datetime.combine(DAY, EXPORTED_AT, tzinfo=store.registry.timezone)
            consolidation = load_day(store, DAY, now)
            name = f"{slug}-{DAY.isoformat()}.{kind}"
            if kind == "xlsx":
                (target / name).write_bytes(render_xlsx(consolidation, store.registry))
            else:
                (target / name).write_text(
                    render_csv(consolidation, store.registry), encoding="utf-8", newline=""
                )
    listed = sorted([(gso, f"{name} (mẫu)") for _, name, gso, *_ in DISTRICTS] + [HONG_NGU])
    lines = ["Mã thống kê,Tên huyện"] + [f"{gso},{name}" for gso, name in listed]
    (target.parent / LIST_NAME).write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")
    print(
        f"demo province written to {target}, its list of districts to {target.parent / LIST_NAME}"
    )


if __name__ == "__main__":
    default = Path(__file__).resolve().parent.parent / "demo" / "province"
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else default)
