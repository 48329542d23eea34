"""Issue 20, "Sources from elsewhere": every file the tool did not write is read right or
refused, naming the file and the line. Each sample of the issue is a test here, end to end
through the CLI: `units import` (spreadsheets made by openpyxl and by hand), `province`
(district sources that disagree with themselves, are stale, or are left out), `remind
--format csv` (phones as an SMS tool dials them), `check` (names and populations) and
`export --format dhis2` (no mapping)."""

from __future__ import annotations

import csv
import io
import re
import shutil
import zipfile
from pathlib import Path

import openpyxl
import pytest

from bluezone_tui.day.loader import load_day
from bluezone_tui.day.store import Store
from bluezone_tui.registry.load import load_registry
from bluezone_tui.reports.csv import render_csv
from bluezone_tui.reports.xlsx import render_xlsx
from helpers.data import DEMO_DAY, REPO, SHIPPED_REGISTRY, at
from helpers.xlsx import Formula, Sheet, write_xlsx

HEADER = ["Tên đơn vị", "Dân số", "Khóm, ấp", "Điện thoại"]
ROWS = [[f"Xã {n}", 1000 * n, "Ấp 1; Ấp 2", f"0277 3800 10{n}"] for n in range(1, 6)]


@pytest.fixture
def office(cli, tmp_path) -> Path:
    target = tmp_path / "tan-hong"
    code, _, err = cli("init", target, "--district", "Huyện Tân Hồng", "--no-git")
    assert code == 0, err
    return target


def imported(cli, office: Path, sheet: Path) -> tuple[int, str, str]:
    return cli("--data", office, "units", "import", sheet, "--group", "commune", "--yes")


def communes(office: Path) -> list[str]:
    return [u.name for u in load_registry(office).units if u.group.id == "commune"]


# --------------------------------------------------------------------------- units import


def test_a_csv_phone_that_lost_its_leading_zero_is_refused_as_in_xlsx(cli, office, tmp_path):
    before = (office / "units.yaml").read_bytes()
    sheet = tmp_path / "xa.csv"
    sheet.write_text("Tên đơn vị,Dân số,Khóm ấp,Điện thoại\nXã A,1000,Ấp 1,2773847104\n")
    code, _, err = imported(cli, office, sheet)
    assert code == 1
    assert "dòng 2: cột «Điện thoại»: số điện thoại «2773847104» đã mất số 0 ở đầu" in err
    assert "có phải 02773847104?" in err
    assert (office / "units.yaml").read_bytes() == before


def test_the_xlsx_phone_message_does_not_send_the_clerk_to_a_csv(cli, office, tmp_path):
    """A CSV keeps a lost 0 lost: advising to save as CSV would not help."""
    book = openpyxl.Workbook()
    book.active.append(HEADER)
    book.active.append(["Xã A", 1000, "Ấp 1", 2773847104])
    book.save(tmp_path / "xa.xlsx")
    code, _, err = imported(cli, office, tmp_path / "xa.xlsx")
    assert code == 1 and "mất số 0 ở đầu" in err and "Văn bản (Text)" in err
    assert "CSV" not in err


def test_a_phone_cell_that_says_none_is_no_phone(cli, office, tmp_path):
    sheet = tmp_path / "xa.csv"
    sheet.write_text("Tên đơn vị,Dân số,Khóm ấp,Điện thoại\nXã A,1000,Ấp 1,không có\n")
    code, out, _ = imported(cli, office, sheet)
    assert code == 0 and "dòng 2: điện thoại «không có»: coi như không có số" in out
    assert load_registry(office).unit("xa-a").contact.phone == ""


@pytest.mark.parametrize("dimension", ["A1:D2", "A1:B6"])
def test_an_xlsx_with_a_stale_dimension_loses_no_row(cli, office, tmp_path, dimension):
    sheet = write_xlsx(tmp_path / "xa.xlsx", Sheet("Xã", [HEADER, *ROWS], dimension=dimension))
    code, _, err = imported(cli, office, sheet)
    assert code == 0, err
    assert communes(office) == [f"Xã {n}" for n in range(1, 6)]
    assert load_registry(office).unit("xa-5").contact.phone == "0277 3800 105"


def test_a_hidden_first_sheet_is_not_imported_and_said(cli, office, tmp_path):
    sheet = write_xlsx(
        tmp_path / "xa.xlsx",
        Sheet("Danh sách cũ", [HEADER, ["Xã Cũ", 1, "Ấp 1", ""]], state="hidden"),
        Sheet("Xã", [HEADER, *ROWS]),
    )
    code, out, _ = imported(cli, office, sheet)
    assert code == 0
    assert "bỏ qua trang ẩn «Danh sách cũ»; đọc trang «Xã»" in out
    assert "Xã Cũ" not in communes(office) and len(communes(office)) == 5


@pytest.mark.parametrize(
    ("formula", "words"),
    [
        (Formula("B3+B4"), "ô B2 là công thức «=B3+B4» chưa được tính"),
        (Formula("Cũ!B7", "#REF!"), "ô B2 có lỗi công thức #REF!"),
    ],
    ids=["never-calculated", "error"],
)
def test_a_formula_without_a_value_is_named(cli, office, tmp_path, formula, words):
    sheet = write_xlsx(
        tmp_path / "xa.xlsx", Sheet("Xã", [HEADER, ["Xã A", formula, "Ấp 1", "0277 3800 101"]])
    )
    code, _, err = imported(cli, office, sheet)
    assert code == 1
    assert f"dòng 2: cột «Dân số»: {words}" in err
    assert "thiếu «population»" not in err  # not read as a missing population


def test_a_utf16_csv_is_read(cli, office, tmp_path):
    sheet = tmp_path / "xa.txt.csv"
    text = "\ufeffTên đơn vị\tDân số\tKhóm, ấp\nXã Phú Cường\t12500\tẤp 1; Ấp 2\n"
    sheet.write_bytes(text.encode("utf-16-le"))
    code, out, err = imported(cli, office, sheet)
    assert code == 0, err
    assert "Windows-1258" not in out
    assert load_registry(office).unit("xa-phu-cuong").attributes["population"] == 12500


def test_a_zip_bomb_is_refused(cli, office, tmp_path):
    sheet = write_xlsx(tmp_path / "xa.xlsx", Sheet("Xã", [HEADER, *ROWS], padding=100 * 2**20))
    before = (office / "units.yaml").read_bytes()
    code, _, err = imported(cli, office, sheet)
    assert code == 2 and f"{sheet}: tệp xlsx" in err and "bom nén" in err
    assert (office / "units.yaml").read_bytes() == before


@pytest.mark.parametrize("cut", [0.5, 0.9])
def test_a_truncated_xlsx_is_refused_in_vietnamese(cli, office, tmp_path, cut):
    good = write_xlsx(tmp_path / "good.xlsx", Sheet("Xã", [HEADER, *ROWS])).read_bytes()
    sheet = tmp_path / "xa.xlsx"
    sheet.write_bytes(good[: int(len(good) * cut)])
    code, _, err = imported(cli, office, sheet)
    assert code == 2
    assert f"{sheet}: không đọc được như tệp xlsx: tệp nén hỏng hoặc bị cắt giữa chừng" in err


@pytest.mark.parametrize(
    ("errno_name", "words"),
    [("EROFS", "ổ đĩa chỉ cho đọc"), ("ENOSPC", "đĩa đầy"), ("EFBIG", "tệp vượt giới hạn")],
)
def test_a_registry_that_cannot_be_written_says_why(
    cli, office, tmp_path, monkeypatch, errno_name, words
):
    import errno
    import os

    sheet = write_xlsx(tmp_path / "xa.xlsx", Sheet("Xã", [HEADER, *ROWS]))
    before = (office / "units.yaml").read_bytes()
    real_replace = os.replace

    def refused(src, dst):
        if str(dst).endswith("units.yaml"):
            number = getattr(errno, errno_name)
            raise OSError(number, os.strerror(number))
        return real_replace(src, dst)

    monkeypatch.setattr(os, "replace", refused)
    code, _, err = imported(cli, office, sheet)
    assert code == 1
    assert f"{office / 'units.yaml'}: không ghi được ({words}" in err
    assert "danh mục vẫn như cũ" in err
    assert (office / "units.yaml").read_bytes() == before


# --------------------------------------------------------------------------- province

DAY20 = ("--date", "2020-08-20", "--now", "2020-08-20T16:45")


@pytest.fixture
def exported(demo_data) -> tuple[Path, list[list[str]]]:
    """Hồng Ngự's CSV as `bluezone export` writes it, as rows to edit by hand."""
    store = Store(demo_data, load_registry(demo_data))
    text = render_csv(load_day(store, DEMO_DAY, at(DEMO_DAY, 16, 45)), store.registry)
    return demo_data, list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))


def write_rows(path: Path, rows: list[list[str]]) -> Path:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    path.write_text("\ufeff" + buffer.getvalue(), encoding="utf-8")
    return path


def province(cli, *sources: Path) -> tuple[int, str, str]:
    return cli("province", *DAY20, "--format", "csv", *sources)


def test_a_total_row_that_disagrees_with_its_rows_is_refused(cli, exported, tmp_path):
    _, rows = exported
    header, total = rows[0], rows[-1]
    total[header.index("installs")] = total[header.index("rate_numerator")] = "999999"
    source = write_rows(tmp_path / "hong-ngu.csv", rows)
    code, out, err = province(cli, source)
    assert code == 1 and out == ""
    assert (
        f"{source}: dòng 30 (TOTAL): số cài đặt 999.999 nhưng các dòng đơn vị cộng lại 6.090"
    ) in err
    total[header.index("installs")] = total[header.index("rate_numerator")] = "6090"
    total[header.index("population")] = total[header.index("rate_denominator")] = "12051"
    code, _, err = province(cli, write_rows(source, rows))
    assert code == 1 and "dân số 12.051 nhưng các dòng đơn vị cộng lại 120.514" in err


def test_a_unit_row_copied_twice_is_refused_even_with_its_total_updated(cli, exported, tmp_path):
    _, rows = exported
    header = rows[0]
    rows.insert(2, list(rows[1]))
    for column in ("installs", "rate_numerator", "population", "rate_denominator"):
        at = header.index(column)
        rows[-1][at] = str(int(rows[-1][at]) + int(rows[1][at]))
    source = write_rows(tmp_path / "hong-ngu.csv", rows)
    code, _, err = province(cli, source)
    assert code == 1 and f"{source}: dòng 3: đơn vị tt-thuong-thoi-tien lặp lại dòng 2" in err


@pytest.mark.parametrize(
    ("row", "column", "value", "words"),
    [
        (1, "population", "-8700", "dòng 2, cột population: -8.700 là số âm"),
        (-1, "population", "-120514", "dòng 30, cột population: -120.514 là số âm"),
        (-1, "installs", "9" * 30, "dòng 30, cột installs: một số 30 chữ số lớn hơn dân số"),
        (1, "installs", "9" * 30, "dòng 2, cột installs: một số 30 chữ số lớn hơn dân số"),
        (-1, "population", "200000000", "dòng 30, cột population: 200.000.000 lớn hơn dân số"),
    ],
)
def test_figures_that_are_not_counts_of_people_are_refused_at_their_line(
    cli, exported, tmp_path, row, column, value, words
):
    _, rows = exported
    rows[row][rows[0].index(column)] = value
    source = write_rows(tmp_path / "hong-ngu.csv", rows)
    code, out, err = province(cli, source)
    assert code == 1 and out == "" and f"{source}: {words}" in err


def test_an_empty_day_folder_is_refused_not_ranked_last(cli, exported, tmp_path):
    data, _ = exported
    shutil.rmtree(data / "submissions")
    (data / "submissions" / "2020-08-20").mkdir(parents=True)
    code, out, err = province(cli, data)
    assert code == 1 and out == ""
    assert "không đơn vị nào của huyện có báo cáo ngày 20/08/2020" in err
    assert "thư mục submissions/2020-08-20 trống" in err


def test_a_folder_with_only_earlier_days_is_not_ranked_on_stale_figures(cli, exported):
    data, _ = exported
    (data / "submissions" / "2020-08-27").mkdir()
    code, out, err = cli("province", "--date", "2020-08-27", "--now", "2020-08-27T16:45", data)
    assert code == 1 and out == ""
    assert "không đơn vị nào của huyện có báo cáo ngày 27/08/2020" in err
    assert "số liệu mới nhất là của ngày 26/08/2020" in err


def test_a_csv_whose_every_figure_is_carried_is_stale(cli, exported, tmp_path):
    _, rows = exported
    header = rows[0]
    for row in rows[1:-1]:
        if row[header.index("status")] in ("on_time", "late", "reported"):
            row[header.index("status")] = "missing"
            row[header.index("carried_from")] = "2020-08-19"
    code, _, err = province(cli, write_rows(tmp_path / "hong-ngu.csv", rows))
    assert code == 1 and "mọi số liệu trong tệp là số của ngày trước" in err


def test_the_provinces_workbook_reader_trusts_no_stale_dimension(cli, exported, tmp_path):
    data, _ = exported
    store = Store(data, load_registry(data))
    good = render_xlsx(load_day(store, DEMO_DAY, at(DEMO_DAY, 16, 45)), store.registry)
    stale = tmp_path / "hong-ngu.xlsx"
    with zipfile.ZipFile(io.BytesIO(good)) as source, zipfile.ZipFile(stale, "w") as target:
        for item in source.infolist():
            part = source.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                part = re.sub(rb'<dimension ref="[^"]*"/>', b'<dimension ref="A1:R3"/>', part)
            target.writestr(item, part)
    code, out, err = province(cli, stale)
    assert code == 0, err
    assert ",Huyện Hồng Ngự,870,6090,120514,5.05," in out or ",Huyện Hồng Ngự,,6090,120514," in out


def test_a_hidden_sheet_before_the_district_table_is_not_read(cli, exported, tmp_path):
    _, rows = exported

    def typed(cell: str) -> object:
        return int(cell) if re.fullmatch(r"-?\d+", cell) else cell

    book = openpyxl.Workbook()
    old = book.active
    old.title = "Bản cũ"
    for row in rows:
        old.append([typed(c) for c in row])
    old.cell(row=len(rows), column=rows[0].index("installs") + 1, value=999999)
    old.sheet_state = "hidden"
    current = book.create_sheet("Số liệu")
    for row in rows:
        current.append([typed(c) for c in row])
    book.active = 1
    book.save(tmp_path / "hong-ngu.xlsx")
    code, out, err = province(cli, tmp_path / "hong-ngu.xlsx")
    assert code == 0
    assert re.search(r",Huyện Hồng Ngự,\d*,6090,120514,5\.05,", out), out
    assert "bỏ qua trang ẩn «Bản cũ»; đọc trang «Số liệu»" in err


def test_a_source_not_on_the_provinces_list_is_refused(cli, exported, tmp_path):
    data, _ = exported
    listed = tmp_path / "huyen.csv"
    listed.write_text("Mã thống kê,Tên huyện\r\n869,Huyện Tân Hồng\r\n", encoding="utf-8")
    code, _, err = cli("province", *DAY20, "--districts", listed, data)
    assert code == 1
    assert f"{data}: Huyện Hồng Ngự không có trong danh sách huyện của tỉnh ({listed})" in err
    shutil.copy(REPO / "demo" / "dong-thap-huyen.csv", listed)
    code, out, err = cli("province", *DAY20, "--districts", listed, data)
    assert code == 1 and "chưa có số liệu của 11/12 huyện" in err
    assert "1/12 huyện, thị xã, thành phố có số liệu" in " ".join(out.split())


# --------------------------------------------------------------------------- remind


def test_the_reminders_csv_dials_every_phone(cli, demo_data):
    text = SHIPPED_REGISTRY.read_text(encoding="utf-8")
    for before, after in (
        ("0277 3800 105", "+84 277 3800 105"),
        ("0277 3800 107", "0277 3800 107 / 0912 345 678"),
        ("0277 3800 108", "không có"),
    ):
        text = text.replace(f'phone: "{before}"', f'phone: "{after}"')
    (demo_data / "units.yaml").write_text(text, encoding="utf-8")
    code, out, err = cli(
        "--data", demo_data, "remind", "--date", "2020-08-26", "--now", "2020-08-26T16:05",
        "--format", "csv",
    )  # fmt: skip
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out.removeprefix("\ufeff"))))
    assert [(r["phone"], r["name"].split(" – ")[0]) for r in rows] == [
        ("02773800105", "Xã Thường Lạc"),
        ("02773800107", "Xã Long Khánh B"),
        ("0912345678", "Xã Long Khánh B"),
    ]
    assert err == "1 đơn vị không có số điện thoại (không có trong CSV): Xã Long Thuận\n"


def test_a_phone_the_csv_cannot_dial_is_named_and_the_exit_code_says_so(cli, demo_data):
    text = SHIPPED_REGISTRY.read_text(encoding="utf-8").replace(
        'phone: "0277 3800 105"', 'phone: "gọi văn phòng xã"'
    )
    (demo_data / "units.yaml").write_text(text, encoding="utf-8")
    code, out, err = cli(
        "--data", demo_data, "remind", "--date", "2020-08-26", "--now", "2020-08-26T16:05",
        "--format", "csv",
    )  # fmt: skip
    assert code == 1 and "Xã Thường Lạc" not in out
    assert "Xã Thường Lạc: không có trong CSV: «gọi văn phòng xã» không phải số điện thoại" in err


# --------------------------------------------------------------------------- check, export


def registry_with(demo_data: Path, old: str, new: str) -> None:
    text = SHIPPED_REGISTRY.read_text(encoding="utf-8")
    assert old in text
    (demo_data / "units.yaml").write_text(text.replace(old, new, 1), encoding="utf-8")


def line_of(demo_data: Path, words: str) -> int:
    lines = (demo_data / "units.yaml").read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, 1) if words in line)


@pytest.mark.parametrize(
    ("new", "words"),
    [
        (
            'name: "Xã Long Khánh\\nA"',
            "tên đơn vị có ký tự xuống dòng («Xã Long Khánh\\nA»)",
        ),
        ('name: "Xã Long\\tKhánh A"', "tên đơn vị có Tab («Xã Long\\tKhánh A»)"),
        (
            'name: "Xã Thường  Lạc"',
            "tên «Xã Thường  Lạc» chỉ khác tên của đơn vị «xa-thuong-lac» (dòng {first}) ở dấu cách",
        ),
        ('name: "Xã Thường\\u00a0Lạc"', "tên «Xã Thường\u00a0Lạc» chỉ khác tên của đơn vị"),
        ('name: "Xã Thường Lạc "', "tên «Xã Thường Lạc» đã dùng cho đơn vị «xa-thuong-lac»"),
        (
            'name: "Xã Thường\\u200bLạc"',
            "tên đơn vị có ký tự vô hình U+200B («",
        ),
    ],
    ids=["line-break", "tab", "double-space", "no-break-space", "trailing-space", "zero-width"],
)
def test_names_that_break_a_line_or_differ_only_by_spaces_are_refused_at_their_line(
    cli, demo_data, new, words
):
    registry_with(demo_data, "name: Xã Long Khánh A", new)
    code, out, _ = cli("--data", demo_data, "check")
    assert code == 2
    words = words.format(first=line_of(demo_data, "name: Xã Thường Lạc"))
    assert f"units.yaml:{line_of(demo_data, new[:12])}:5: {words}" in out


def test_an_odd_space_alone_is_a_warning(cli, demo_data):
    registry_with(demo_data, "name: Xã Long Khánh A", 'name: "Xã Long  Khánh A"')
    code, out, _ = cli("--data", demo_data, "check")
    assert code == 1
    assert "cảnh báo: tên «Xã Long  Khánh A» có hai dấu cách liền nhau" in out
    assert "viết «Xã Long Khánh A»" in out


@pytest.mark.parametrize(
    ("old", "new", "words"),
    [
        ("population: 8700", "population: 100000000000000000000", "«population» là một số 21"),
        ("population: 120514", "population: 100000000000000000000", "«population» là một số 21"),
        ("population: 8700", "population: 150000000", "«population» là 150.000.000"),
    ],
    ids=["unit-1e20", "district-1e20", "unit-150-million"],
)
def test_a_population_larger_than_the_country_is_refused(cli, demo_data, old, new, words):
    registry_with(demo_data, old, new)
    code, out, _ = cli("--data", demo_data, "check")
    assert code == 2
    assert words in out and "lớn hơn dân số cả nước" in out and "tối đa 100.000.000" in out
    assert f"units.yaml:{line_of(demo_data, new)}:" in out


def test_a_phone_that_cannot_be_dialled_is_warned_at_its_line(cli, demo_data):
    registry_with(demo_data, 'phone: "0277 3800 105"', 'phone: "2773800105"')
    code, out, _ = cli("--data", demo_data, "check")
    assert code == 1
    line = line_of(demo_data, '"2773800105"')
    assert f"units.yaml:{line}:" in out and "đã mất số 0 ở đầu" in out


def test_dhis2_without_a_mapping_writes_nothing_and_says_how(cli, demo_data, tmp_path):
    text = re.sub(r", dhis2: BZ_[A-Z_]+", "", SHIPPED_REGISTRY.read_text(encoding="utf-8"))
    (demo_data / "units.yaml").write_text(text, encoding="utf-8")
    target = tmp_path / "bluezone-20200820.dhis2.csv"
    code, out, err = cli(
        "--data", demo_data, "export", "--date", "2020-08-20", "--format", "dhis2", "-o", target
    )
    assert code == 1 and out == "" and not target.exists()
    assert "chưa gán mã DHIS2 («dhis2:»)" in err and "docs/formats.md#dhis2" in err


# ----------------------------------------------------------------- issue 20's tester


@pytest.mark.parametrize("typed", ["４３００", "٩٨٠٠", "4_300", "04300"[1:] + "\u0663"])
def test_a_figure_in_digits_submit_refuses_is_refused_by_province(cli, exported, tmp_path, typed):
    """４３００ and ٩٨٠٠ were read as numbers by province, refused by submit and import."""
    _, rows = exported
    header = rows[0]
    line = next(n for n, r in enumerate(rows) if r[header.index("population")] and n)
    rows[line][header.index("population")] = typed
    source = write_rows(tmp_path / "hong-ngu.csv", rows)
    code, out, err = province(cli, source)
    assert code == 1 and out == ""
    assert f"{source}: dòng {line + 1}, cột population: «{typed}»" in err


def test_installs_above_population_is_refused_at_the_total(cli, exported, tmp_path):
    """A TOTAL at 413 % was ranked."""
    _, rows = exported
    header = rows[0]
    population = header.index("population")
    installs = header.index("installs")
    first = next(n for n, r in enumerate(rows[1:-1], 1) if r[installs] and r[population])
    for row in rows[1:-1]:
        row[population] = ""
    rows[first][population] = "1000"
    rows[-1][population] = rows[-1][header.index("rate_denominator")] = "1000"
    source = write_rows(tmp_path / "hong-ngu.csv", rows)
    code, out, err = province(cli, source)
    assert code == 1 and out == ""
    assert f"{source}: dòng {len(rows)} (TOTAL): số cài đặt 6.090 lớn hơn dân số 1.000" in err


@pytest.mark.parametrize("where", ["total", "unit"])
def test_a_rate_percent_that_disagrees_with_its_counts_is_refused(cli, exported, tmp_path, where):
    _, rows = exported
    header = rows[0]
    rate = header.index("rate_percent")
    line = (
        len(rows) - 1
        if where == "total"
        else next(n for n, r in enumerate(rows[1:-1], 1) if r[rate])
    )
    rows[line][rate] = "41.30"
    source = write_rows(tmp_path / "hong-ngu.csv", rows)
    code, out, err = province(cli, source)
    assert code == 1 and out == ""
    assert f"{source}: dòng {line + 1}" in err and "rate_percent ghi 41,30 %" in err


def test_the_total_rate_numerator_must_be_its_installs(cli, exported, tmp_path):
    _, rows = exported
    rows[-1][rows[0].index("rate_numerator")] = "6091"
    code, out, err = province(cli, write_rows(tmp_path / "hong-ngu.csv", rows))
    assert code == 1 and "rate_numerator ghi 6.091" in err


def test_an_edited_copy_beside_a_hidden_data_sheet_is_refused(cli, exported, tmp_path):
    data, _ = exported
    store = Store(data, load_registry(data))
    good = render_xlsx(load_day(store, DEMO_DAY, at(DEMO_DAY, 16, 45)), store.registry)
    book = openpyxl.load_workbook(io.BytesIO(good))
    original = book["Số liệu"]
    copy = book.copy_worksheet(original)
    copy.title = "Sửa"
    original.sheet_state = "hidden"
    book.active = book.index(copy)
    book.save(tmp_path / "hong-ngu.xlsx")
    code, out, err = province(cli, tmp_path / "hong-ngu.xlsx")
    assert code == 1 and out == ""
    assert "trang «Sửa», không phải trang «Số liệu»" in err


def test_a_csv_with_no_figures_at_all_says_so(cli, exported, tmp_path):
    """ "mọi số liệu là số của ngày trước" for a CSV with no reports at all."""
    _, rows = exported
    header = rows[0]
    for row in rows[1:-1]:
        row[header.index("status")] = "missing"
        row[header.index("carried_from")] = ""
        for column in ("installs", "rate_percent", "rate_numerator", "rate_denominator"):
            row[header.index(column)] = ""
    for column, value in (("installs", "0"), ("rate_numerator", "0"), ("rate_percent", "0.00")):
        rows[-1][header.index(column)] = value
    code, _, err = province(cli, write_rows(tmp_path / "hong-ngu.csv", rows))
    assert code == 1 and "tệp không có số liệu nào" in err
    assert "ngày trước" not in err
