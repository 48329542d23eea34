"""The province's ranking as the Department of Information and Communications reports it:
Vietnamese text (laid out as the district's report is), CSV, and a workbook.

Completeness and timeliness are given as the district's report gives them (92,31%), the
province's own on its total row. The CSV keeps machine names (`TOTAL`, `rate_percent`
5.05); the workbook is read by people: Vietnamese headings, "Toàn tỉnh", and rates as a
spreadsheet's percentages (0.0505 shown 5,05%), under names of their own (see xlsx.py).
A source is shown as it was given (".", not the server's absolute path).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import TYPE_CHECKING

from bluezone_tui.base.safe_text import neutralise, printable
from bluezone_tui.base.vn import (
    fmt_date_long,
    fmt_int,
    fmt_percent,
    fmt_signed,
    fmt_signed_points,
    percent,
)
from bluezone_tui.province.sources import ProvinceRanking
from bluezone_tui.reports.content import Block, ItemList, Paragraph, ReportContent, Section, Table
from bluezone_tui.reports.text import render_content

if TYPE_CHECKING:
    from xlsxwriter.workbook import Workbook

    from bluezone_tui.reports.workbook import Cell, Formats

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
# The CSV's columns in the workbook: (its machine name there, its heading). The rates are
# a spreadsheet's percentages there (0.0505), so their names drop "_percent".
WORKBOOK_COLUMNS = {
    "date": ("date", "Ngày"),
    "rank": ("rank", "Hạng"),
    "district": ("district", "Huyện, thị xã, thành phố"),
    "gso_code": ("gso_code", "Mã thống kê"),
    "installs": ("installs", "Số người đã cài"),
    "population": ("population", "Dân số"),
    "rate_percent": ("rate", "Tỷ lệ"),
    "change": ("change", "Tăng/giảm so với lần trước"),
    "expected": ("expected", "Số đơn vị phải báo cáo"),
    "reported": ("reported", "Đã báo cáo"),
    "on_time": ("on_time", "Đúng hạn"),
    "completeness_percent": ("completeness", "Đầy đủ"),
    "timeliness_percent": ("timeliness", "Kịp thời"),
    "source": ("source", "Nguồn số liệu"),
}
assert tuple(WORKBOOK_COLUMNS) == CSV_COLUMNS
ISSUER = "SỞ THÔNG TIN VÀ TRUYỀN THÔNG"
NUMBER = "Số:      /BC-STTTT"
SIGNER_TITLE = ("GIÁM ĐỐC",)


def _counts(ranking: ProvinceRanking) -> tuple[int, int, int]:
    """The province's units: expected to report, reported, on time (its districts' sums)."""
    districts = [r.district for r in ranking.districts]
    return (
        sum(d.expected for d in districts),
        sum(d.reported for d in districts),
        sum(d.on_time for d in districts),
    )


def _province_words(ranking: ProvinceRanking) -> str:
    return f"tỉnh {ranking.province}" if ranking.province else "toàn tỉnh"


def build_content(ranking: ProvinceRanking) -> ReportContent:
    """The Department's report: the same frame (Decree 30/2020/NĐ-CP) and layouts as the
    district's, with the province's sentences and its table of districts."""
    day = fmt_date_long(ranking.day)
    province = ranking.province
    council = f"Ủy ban nhân dân tỉnh {province}" if province else "Ủy ban nhân dân tỉnh"
    return ReportContent(
        authority=f"UBND TỈNH {province.upper()}" if province else "ỦY BAN NHÂN DÂN TỈNH",
        issuer=ISSUER,
        number=NUMBER,
        place_and_date=f"{province or '……'}, {day}",
        subject=(
            "Kết quả cài đặt ứng dụng Bluezone",
            f"của các huyện, thị xã, thành phố trên địa bàn {_province_words(ranking)}",
            f"({day})",
        ),
        recipients=(council,),
        sections=(_summary(ranking), _ranking_section(ranking), _sources(ranking)),
        copies_to=("Như trên;", "Lưu: VT."),
        signer_title=SIGNER_TITLE,
        signer_name="",
    )


def _coverage(ranking: ProvinceRanking) -> tuple[str, str]:
    """How many districts the figures cover, and who the total speaks for: "toàn tỉnh"
    only when the province's list (--districts) says no district is missing."""
    count = len(ranking.districts)
    if ranking.listed is None:
        return (
            f"{count} huyện, thị xã, thành phố có số liệu (chưa có danh sách huyện của tỉnh, "
            f"--districts, nên không biết còn thiếu huyện nào)",
            f"{count} huyện, thị xã, thành phố này",
        )
    listed = len(ranking.listed)
    if ranking.whole:
        return f"{count}/{listed} huyện, thị xã, thành phố có số liệu", "toàn tỉnh"
    missing = ", ".join(entry.name for entry in ranking.missing)
    return (
        f"{count}/{listed} huyện, thị xã, thành phố có số liệu (chưa có: {missing})",
        f"{count} huyện, thị xã, thành phố này",
    )


def _total_label(ranking: ProvinceRanking) -> str:
    if ranking.whole:
        return "Toàn tỉnh"
    if ranking.listed is None:
        return f"Cộng {len(ranking.districts)} huyện"
    return f"Cộng {len(ranking.districts)}/{len(ranking.listed)} huyện"


def _summary(ranking: ProvinceRanking) -> Section:
    covered, who = _coverage(ranking)
    sentence = (
        f"Tính đến {fmt_date_long(ranking.day)}, {covered}; {who} có "
        f"{fmt_int(ranking.installs)} người cài đặt ứng dụng Bluezone trên tổng số "
        f"{fmt_int(ranking.population)} người, đạt tỷ lệ {fmt_percent(ranking.rate)}"
    )
    if ranking.change is not None:
        more = "tăng" if ranking.change >= 0 else "giảm"
        sentence += (
            f"; so với lần báo cáo trước {more} {fmt_int(abs(ranking.change))} người "
            f"({fmt_signed_points(ranking.rate_change)} điểm phần trăm)"
        )
    return Section("I. KẾT QUẢ CHUNG", (Paragraph(sentence + "."),))


def _ranking_section(ranking: ProvinceRanking) -> Section:
    rows = [
        (
            str(entry.rank) if entry.rank else "–",
            entry.district.name,
            fmt_int(entry.district.installs),
            fmt_int(entry.district.population),
            fmt_percent(entry.district.rate),
            fmt_signed(entry.district.change),
            fmt_percent(entry.district.completeness),
            fmt_percent(entry.district.timeliness),
        )
        for entry in ranking.districts
    ]
    expected, reported, on_time = _counts(ranking)
    rows.append(
        (
            "",
            _total_label(ranking),
            fmt_int(ranking.installs),
            fmt_int(ranking.population),
            fmt_percent(ranking.rate),
            fmt_signed(ranking.change),
            fmt_percent(percent(reported, expected)),
            fmt_percent(percent(on_time, expected)),
        )
    )
    blocks: list[Block] = [
        Table(
            headers=(
                "Hạng",
                "Huyện, thị xã, TP",
                "Đã cài",
                "Dân số",
                "Tỷ lệ",
                "+/-",
                "Đầy đủ",
                "Kịp thời",
            ),
            rows=tuple(rows),
            numeric=(True, False, True, True, True, True, True, True),
            footnote=(
                "(Đầy đủ: số đơn vị đã báo cáo / số đơn vị phải báo cáo của huyện, toàn tỉnh: "
                "của các huyện cộng lại; kịp thời: số báo cáo đúng hạn / số phải báo cáo; +/-: "
                "số người so với lần báo cáo trước của huyện.)"
            ),
        )
    ]
    count = len(ranking.districts)
    last = ranking.districts[-1] if ranking.districts else None
    if last is not None and last.rank is not None and count > 1:
        blocks.append(
            Paragraph(
                f"Đứng cuối: {last.district.name}, hạng {last.rank}/{count} "
                f"({fmt_percent(last.district.rate)})."
            )
        )
    if ranking.missing:
        blocks.append(
            Paragraph(
                "Chưa có số liệu, không xếp hạng: "
                + ", ".join(entry.name for entry in ranking.missing)
                + "."
            )
        )
    return Section("II. XẾP HẠNG THEO TỶ LỆ CÀI ĐẶT (cao xuống thấp)", tuple(blocks))


def _sources(ranking: ProvinceRanking) -> Section:
    blocks: list[Block] = [
        ItemList(
            "Số liệu của từng huyện lấy từ:",
            tuple(
                f"{r.district.name}: {r.district.kind} {_shown(r.district.source)}"
                for r in ranking.districts
            ),
        )
    ]
    if ranking.problems:
        blocks.append(
            ItemList(
                "Tệp số liệu bị lỗi ở huyện (huyện cần sửa):",
                tuple(str(problem) for problem in ranking.problems),
            )
        )
    return Section("III. NGUỒN SỐ LIỆU", tuple(blocks))


def render_text(ranking: ProvinceRanking, width: int | None = None) -> str:
    """The ranking as text; fitted to a terminal `width` columns wide, if given."""
    return render_content(build_content(ranking), width)


def _shown(path: Path) -> str:
    """A source as it was given, never the server's absolute path, which the user did not
    type; "." and ".." said in words beside it (the district is named before it)."""
    words = {".": "thư mục hiện tại", "..": "thư mục cha"}.get(str(path))
    return f"«{path}» ({words})" if words else str(path)


def _number(value: object) -> str:
    return "" if value is None else format(value, "f") if not isinstance(value, int) else str(value)


def table_rows(ranking: ProvinceRanking) -> list[list[Cell]]:
    """Typed rows in CSV_COLUMNS order, the province total last."""
    day = ranking.day.isoformat()
    rows: list[list[Cell]] = []
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
    for listed in ranking.missing:  # named, with no figures: they sum to nothing
        rows.append([day, None, listed.name, listed.gso_code, *([None] * 9), ""])
    expected, reported, on_time = _counts(ranking)
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
            expected,
            reported,
            on_time,
            percent(reported, expected),
            percent(on_time, expected),
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
    from bluezone_tui.reports.workbook import (
        DATE,
        INTEGER,
        PERCENT,
        TEXT,
        Table,
        add_table,
        add_text,
        workbook_bytes,
    )

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
    rows = [[ranking.day, *row[1:]] for row in table_rows(ranking)]  # the day as a date
    rows[-1][CSV_COLUMNS.index("district")] = _total_label(ranking)  # read by people: not "TOTAL"
    table = Table(
        name="Xếp hạng",
        headers=[WORKBOOK_COLUMNS[c][1] for c in CSV_COLUMNS],
        kinds=kinds,
        rows=rows,
        total_rows=frozenset({len(rows) - 1}),
        frozen_columns=3,
    )

    def build(workbook: Workbook, formats: Formats) -> None:
        add_table(workbook, formats, table)
        add_text(workbook, formats, "Báo cáo", render_text(ranking))

    return workbook_bytes(
        build,
        title=f"Xếp hạng cài đặt Bluezone {_province_words(ranking)} {fmt_date_long(ranking.day)}",
        kind="province-ranking",
        company=f"Sở Thông tin và Truyền thông {_province_words(ranking)}",
        created=ranking.now.replace(tzinfo=None),  # local time of the run, as on the board
    )
