"""The province's ranking as the Department of Information and Communications reports it:
Vietnamese text, CSV, and a workbook.
"""

from __future__ import annotations

import csv
import io
import textwrap
from pathlib import Path

from tabulate import tabulate

from .province import ProvinceRanking, RankedDistrict
from .report_csv import neutralise
from .safe_text import printable
from .vn import (
    fmt_date_long,
    fmt_int,
    fmt_percent,
    fmt_signed,
    fmt_signed_points,
)

WIDTH = 78
MOTTO = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc")
LEFT = 32  # the issuer's column
CSV_COLUMNS = (
    "date",
    "rank",
    "district",
    "gso_code",
    "installs",
    "population",
    "rate_percent",
    "change",
    "expected",
    "reported",
    "on_time",
    "completeness_percent",
    "timeliness_percent",
    "source",
)
TOTAL_ID = "TOTAL"


def _province_words(ranking: ProvinceRanking) -> str:
    return f"tỉnh {ranking.province}" if ranking.province else "toàn tỉnh"


def _centre(left: str, right: str) -> str:
    return (left.center(LEFT) + right.center(WIDTH - LEFT)).rstrip()


def _wrap(text: str) -> list[str]:
    return textwrap.wrap(text, WIDTH, break_long_words=False, break_on_hyphens=False) or [""]


def _name(entry: RankedDistrict) -> str:
    return printable(entry.district.name)


def render_text(ranking: ProvinceRanking) -> str:
    province = ranking.province.upper()
    issuer = (
        f"UBND TỈNH {province}" if province else "ỦY BAN NHÂN DÂN TỈNH",
        "SỞ THÔNG TIN VÀ TRUYỀN THÔNG",
    )
    place = ranking.province or "……"
    out = [
        _centre(issuer[0], MOTTO[0]),
        _centre(issuer[1], MOTTO[1]),
        _centre("―――――", "―――――――――――――――"),
    ]
    out += ["", _centre("Số:      /BC-STTTT", f"{place}, {fmt_date_long(ranking.day)}"), ""]
    out.append("BÁO CÁO".center(WIDTH).rstrip())
    for line in (
        "Kết quả cài đặt ứng dụng Bluezone",
        f"của các huyện, thị xã, thành phố trên địa bàn {_province_words(ranking)}",
        f"({fmt_date_long(ranking.day)})",
    ):
        out.append(line.center(WIDTH).rstrip())
    out.append("")
    count = len(ranking.districts)
    sentence = (
        f"Tính đến {fmt_date_long(ranking.day)}, {count} huyện, thị xã, thành phố có số liệu; "
        f"toàn tỉnh có {fmt_int(ranking.installs)} người cài đặt ứng dụng Bluezone trên tổng số "
        f"{fmt_int(ranking.population)} người, đạt tỷ lệ {fmt_percent(ranking.rate)}"
    )
    if ranking.change is not None:
        sentence += (
            f"; so với lần báo cáo trước tăng {fmt_int(ranking.change)} người "
            f"({fmt_signed_points(ranking.rate_change)} điểm phần trăm)"
            if ranking.change >= 0
            else f"; so với lần báo cáo trước giảm {fmt_int(-ranking.change)} người"
        )
    out.append("I. KẾT QUẢ CHUNG")
    out += _wrap(sentence + ".")
    out.append("")
    out.append("II. XẾP HẠNG THEO TỶ LỆ CÀI ĐẶT (cao xuống thấp)")
    rows = [
        [
            str(entry.rank) if entry.rank else "–",
            _name(entry),
            fmt_int(entry.district.installs),
            fmt_int(entry.district.population),
            fmt_percent(entry.district.rate),
            fmt_signed(entry.district.change),
            fmt_percent(entry.district.completeness, 0),
            fmt_percent(entry.district.timeliness, 0),
        ]
        for entry in ranking.districts
    ]
    rows.append(
        [
            "",
            "Toàn tỉnh",
            fmt_int(ranking.installs),
            fmt_int(ranking.population),
            fmt_percent(ranking.rate),
            fmt_signed(ranking.change),
            "",
            "",
        ]
    )
    out.append(
        tabulate(
            rows,
            headers=[
                "Hạng",
                "Huyện, thị xã, TP",
                "Đã cài",
                "Dân số",
                "Tỷ lệ",
                "+/-",
                "Đầy đủ",
                "Kịp thời",
            ],
            tablefmt="simple",
            colalign=("right", "left", "right", "right", "right", "right", "right", "right"),
            disable_numparse=True,
        )
    )
    out += _wrap(
        "(Đầy đủ: số đơn vị đã báo cáo / số đơn vị phải báo cáo của huyện; kịp thời: số báo "
        "cáo đúng hạn / số phải báo cáo; +/-: số người so với lần báo cáo trước của huyện.)"
    )
    out.append("")
    if ranking.districts:
        last = ranking.districts[-1]
        if last.rank is not None and count > 1:
            out += _wrap(
                f"Đứng cuối: {_name(last)}, hạng {last.rank}/{count} "
                f"({fmt_percent(last.district.rate)})."
            )
            out.append("")
    out.append("III. NGUỒN SỐ LIỆU")
    for entry in ranking.districts:
        district = entry.district
        out += textwrap.wrap(
            f"- {_name(entry)}: {district.kind} {printable(_shown(district.source))}",
            WIDTH,
            subsequent_indent="  ",
            break_long_words=False,
        )
    if ranking.problems:
        out.append("")
        out.append("Tệp số liệu bị lỗi ở huyện (huyện cần sửa):")
        for problem in ranking.problems:
            out += _wrap(f"- {printable(str(problem))}")
    out.append("")
    left = ("Nơi nhận:", f"- UBND {_province_words(ranking)};", "- Lưu: VT.")
    right = ("GIÁM ĐỐC",)
    for index in range(len(left)):
        out.append(
            (
                left[index].ljust(LEFT)
                + (right[index] if index < len(right) else "").center(WIDTH - LEFT)
            ).rstrip()
        )
    return "\n".join(out).rstrip() + "\n"


def _shown(path: Path) -> str:
    """A source as given, except "." and "..", which say nothing on paper."""
    return str(path) if path.name not in ("", "..") else str(path.resolve())


def _number(value: object) -> str:
    return "" if value is None else format(value, "f") if not isinstance(value, int) else str(value)


def table_rows(ranking: ProvinceRanking) -> list[list[object]]:
    """Typed rows in CSV_COLUMNS order, the province total last."""
    day = ranking.day.isoformat()
    rows: list[list[object]] = []
    for entry in ranking.districts:
        d = entry.district
        rows.append(
            [
                day,
                entry.rank,
                d.name,
                d.gso_code,
                d.installs,
                d.population,
                d.rate,
                d.change,
                d.expected,
                d.reported,
                d.on_time,
                d.completeness,
                d.timeliness,
                str(d.source),
            ]
        )
    rows.append(
        [
            day,
            None,
            TOTAL_ID,
            "",
            ranking.installs,
            ranking.population,
            ranking.rate,
            ranking.change,
            sum(r.district.expected for r in ranking.districts),
            sum(r.district.reported for r in ranking.districts),
            sum(r.district.on_time for r in ranking.districts),
            None,
            None,
            "",
        ]
    )
    return rows


def render_csv(ranking: ProvinceRanking, delimiter: str = ",") -> str:
    """UTF-8 with a byte-order mark, CRLF, plain numbers, a TOTAL row, like the district CSV."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for row in table_rows(ranking):
        writer.writerow(
            [neutralise(printable(v)) if isinstance(v, str) else _number(v) for v in row]
        )
    return "\ufeff" + buffer.getvalue()


def render_xlsx(ranking: ProvinceRanking) -> bytes:
    from datetime import date

    from .xlsx import DATE, INTEGER, PERCENT, TEXT, Table, add_table, add_text, workbook_bytes

    kinds = (
        DATE,
        INTEGER,
        TEXT,
        TEXT,
        INTEGER,
        INTEGER,
        PERCENT,
        INTEGER,
        INTEGER,
        INTEGER,
        INTEGER,
        PERCENT,
        PERCENT,
        TEXT,
    )
    rows = table_rows(ranking)
    for row in rows:
        row[0] = date.fromisoformat(row[0])  # type: ignore[arg-type]
    table = Table(
        name="Xếp hạng",
        headers=CSV_COLUMNS,
        kinds=kinds,
        rows=rows,  # type: ignore[arg-type]
        total_rows=frozenset({len(rows) - 1}),
        frozen_columns=3,
    )

    def build(workbook, formats) -> None:  # type: ignore[no-untyped-def]
        add_table(workbook, formats, table)
        add_text(workbook, formats, "Báo cáo", render_text(ranking))

    return workbook_bytes(
        build,
        title=f"Xếp hạng cài đặt Bluezone {_province_words(ranking)} {fmt_date_long(ranking.day)}",
        kind="province-ranking",
        company=f"Sở Thông tin và Truyền thông {_province_words(ranking)}",
        created=ranking.now.replace(tzinfo=None),  # local time of the run, as on the board
    )
