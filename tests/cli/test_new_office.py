"""Issue 14, parts 3 and 4: a new office sets itself up from `bluezone init` and a spreadsheet
of its communes, with no YAML written by hand beyond its name and report header."""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from pathlib import Path

import openpyxl
import pytest

from bluezone_tui.registry.load import load_registry

COMMUNES_CSV = """\
DANH SÁCH XÃ, THỊ TRẤN HUYỆN TÂN HỒNG
STT,Tên đơn vị,Dân số,"Khóm, ấp",Người liên hệ,Điện thoại,Ghi chú
1,Thị trấn Sa Rài,18.250,Khóm 1; Khóm 2; Khóm 3,Văn phòng UBND thị trấn,0277 3830 001,
2,Xã Tân Hộ Cơ,15020,Ấp 1; Ấp 2; Ấp 3; Ấp 4,Nguyễn Văn A,0277 3830 002,mới
3,Xã Phú Cường,9800,Ấp Phú Thọ; Ấp Phú Hòa,,,
,Tổng cộng,43070,,,,
"""


def schools_xlsx(path: Path, phone_as_number: bool = False) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Trường"
    sheet.append(["Tên trường", "Số cán bộ", "Số học sinh", "Điện thoại"])
    sheet.append(
        ["Trường THPT Tân Hồng", 70, 1200, 2773830101 if phone_as_number else "0277 3830 101"]
    )
    sheet.append(["Trường THPT Giồng Thị Đam", 55.0, 980, "0277 3830 102"])
    book.save(path)
    return path


@pytest.fixture
def office(cli, tmp_path) -> Path:
    target = tmp_path / "tan-hong"
    code, out, err = cli("init", target, "--district", "Huyện Tân Hồng", "--province", "Đồng Tháp")
    assert code == 0, err
    return target


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(to_cp1258(text) if encoding == "cp1258" else text.encode(encoding))
    return path


def to_cp1258(text: str) -> bytes:
    """As Excel's plain "CSV" writes on a Vietnamese Windows: ă â ê ô ơ ư đ as letters of
    the code page, tone marks as combining characters after them."""
    tones = "\u0300\u0301\u0303\u0309\u0323"
    out = b""
    for char in unicodedata.normalize("NFC", text):
        try:
            out += char.encode("cp1258")
        except UnicodeEncodeError:
            parts = unicodedata.normalize("NFD", char)
            base = unicodedata.normalize("NFC", "".join(p for p in parts if p not in tones))
            out += base.encode("cp1258") + "".join(p for p in parts if p in tones).encode("cp1258")
    return out


# --------------------------------------------------------------------------- done when


def communes_xlsx(path: Path) -> Path:
    """The communes' sheet as Excel keeps it: numbers as numbers, a title row, a total."""
    book = openpyxl.Workbook()
    for row in csv.reader(io.StringIO(COMMUNES_CSV)):
        book.active.append([int(c) if c.isdigit() else c or None for c in row])
    book.save(path)
    return path


@pytest.mark.parametrize("sheet", ["csv", "xlsx"])
def test_from_init_and_a_spreadsheet_to_a_clean_check_and_a_first_export(cli, tmp_path, sheet):
    """The issue's "done when", end to end: nothing but commands, and the spreadsheets."""
    data = tmp_path / "tan-hong"
    assert cli("init", data, "--district", "Tân Hồng", "--province", "Tỉnh Đồng Tháp",
               "--signer", "Nguyễn Thị Bình")[0] == 0  # fmt: skip
    registry = data / "units.yaml"
    template = registry.read_bytes()
    if sheet == "csv":
        communes = write(tmp_path / "xa.csv", COMMUNES_CSV)
    else:
        communes = communes_xlsx(tmp_path / "xa.xlsx")
    code, out, err = cli("--data", data, "units", "import", communes, "--group", "commune", "--yes")
    assert code == 0, err
    assert "Thêm 3 đơn vị" in out and "bỏ dòng 6 («Tổng cộng»)" in out
    # each line says what happens to the unit in words: a "-" under the rule reads as a removal
    assert [line.split()[0] for line in out.splitlines()[3:6]] == ["thêm"] * 3, out
    schools = schools_xlsx(tmp_path / "truong.xlsx")
    code, out, err = cli("--data", data, "units", "import", schools, "--group", "school", "--yes")
    assert code == 0, err
    # the template is kept byte for byte: the units were only added after it
    assert registry.read_bytes().startswith(template.rstrip(b"\n"))
    code, out, err = cli("--data", data, "check")
    assert (code, out) == (0, ""), out + err
    assert "(20 đơn vị, 4 nhóm)" in err and "không có lỗi" in err
    now = "2021-09-06T14:00"
    for unit, figure in (("thi-tran-sa-rai", "residents_installed=1825"),
                         ("xa-tan-ho-co", "residents_installed=751")):  # fmt: skip
        code, _, err = cli("--data", data, "submit", unit, "--now", now, figure)
        assert code == 0, err
    code, out, err = cli("--data", data, "export", "--now", "2021-09-06T16:30")
    assert code == 0, err
    head = out.splitlines()[:2]
    assert "ỦY BAN NHÂN DÂN HUYỆN TÂN HỒNG" in head[0] and "PHÒNG VĂN HÓA VÀ THÔNG TIN" in head[1]
    flat = " ".join(out.split())
    assert "Tân Hồng, ngày 06 tháng 9 năm 2021" in flat
    assert "Ủy ban nhân dân huyện Tân Hồng; Sở Thông tin và Truyền thông tỉnh Đồng Tháp" in flat
    # 1825 + 751 installs over the three communes' population
    assert "toàn huyện có 2.576 người cài đặt ứng dụng Bluezone trên tổng số 43.070 người" in flat
    code, out, _ = cli("--data", data, "export", "--format", "csv", "--now", "2021-09-06T16:30")
    assert code == 0 and "thi-tran-sa-rai,Thị trấn Sa Rài" in out


# --------------------------------------------------------------------------- init


def test_init_writes_the_names_and_the_offices_header(office):
    registry = load_registry(office)
    assert registry.district.name == "Huyện Tân Hồng"
    assert registry.district.short_name == "Tân Hồng" and registry.district.province == "Đồng Tháp"
    report = registry.report
    assert report.authority == "ỦY BAN NHÂN DÂN HUYỆN TÂN HỒNG"
    assert report.issuer == "PHÒNG VĂN HÓA VÀ THÔNG TIN"  # the Office, not the Committee
    assert report.place == "Tân Hồng"
    assert report.recipients == (
        "Ủy ban nhân dân huyện Tân Hồng",
        "Sở Thông tin và Truyền thông tỉnh Đồng Tháp",
    )
    assert [g.id for g in registry.groups] == ["commune", "school", "department", "youth"]
    assert {g.form.id for g in registry.groups} == {"commune", "school", "department", "youth"}
    youth = [u for u in registry.units if u.group.id == "youth"]
    assert [u.name for u in youth] == ["Huyện đoàn Tân Hồng (Đoàn TNCS Hồ Chí Minh huyện Tân Hồng)"]


@pytest.mark.parametrize(
    ("district", "name", "word"),
    [("Thị xã Hồng Ngự", "Thị xã Hồng Ngự", "thị xã"), ("thành phố Cao Lãnh", "Thành phố Cao Lãnh", "thành phố"),
     ("Lấp Vò", "Huyện Lấp Vò", "huyện")],
)  # fmt: skip
def test_init_knows_the_level_of_the_district(cli, tmp_path, district, name, word):
    assert cli("init", tmp_path / "x", "--district", district)[0] == 0
    registry = load_registry(tmp_path / "x")
    assert registry.district.name == name
    assert registry.unit("thanh-tra").name == f"Thanh tra {word}"


def test_every_key_a_clerk_edits_has_a_vietnamese_comment(office):
    text = (office / "units.yaml").read_text("utf-8")
    lines = text.splitlines()
    edited = ("name", "short_name", "province", "timezone", "consolidation_deadline",
              "authority", "issuer", "number", "place", "recipients", "copies",
              "signer_title", "signer_name", "id", "form", "deadline", "counts_in_total",
              "rate", "headline", "fields", "rules", "units", "groups", "forms")  # fmt: skip
    seen = set()
    for index, line in enumerate(lines):
        key = re.match(r"\s*(?:- )?([a-z_]+):", line)
        if key is None or key.group(1) not in edited or key.group(1) in seen:
            continue
        seen.add(key.group(1))
        above = [x for x in lines[max(0, index - 8) : index] if x.strip().startswith("#")]
        assert "#" in line or above, line
    assert seen >= set(edited) - {"headline"} | {"headline"}
    comments = " ".join(x for x in lines if "#" in x)
    for words in ("«over»", "«target»", "«right»", "population, staff, students", "«of»"):
        assert words in comments, words


@pytest.mark.parametrize("bad", ["Huyện \x1b[31mĐỏ", "   "])
def test_init_refuses_a_name_it_cannot_use(cli, tmp_path, bad):
    code, _, err = cli("init", tmp_path / "x", "--district", bad)
    assert code == 2 and "tên huyện" in err
    assert not (tmp_path / "x" / "units.yaml").exists()


def test_init_output_says_what_to_do_next(cli, tmp_path):
    code, out, _ = cli("init", tmp_path / "x", "--district", "Tân Hồng")
    assert code == 0
    assert "units import" in out and "--group commune" in out and "check" in out


# --------------------------------------------------------------------------- import


def test_import_previews_then_writes_nothing_without_a_terminal(cli, office, tmp_path):
    before = (office / "units.yaml").read_bytes()
    sheet = write(tmp_path / "xa.csv", COMMUNES_CSV)
    code, out, err = cli("--data", office, "units", "import", sheet, "--group", "commune")
    assert code == 2 and "--yes" in err
    assert re.search(r"^thêm +thi-tran-sa-rai", out, re.M) and "dân số 18.250; 3 khóm, ấp" in out
    assert "bỏ qua cột không dùng: Ghi chú" in out
    assert (office / "units.yaml").read_bytes() == before


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize(("answer", "written"), [("c\n", True), ("có\n", True), ("\n", False),
                                                 ("k\n", False), ("", False)])  # fmt: skip
def test_import_asks_on_a_terminal(cli, office, tmp_path, monkeypatch, answer, written):
    before = (office / "units.yaml").read_bytes()
    monkeypatch.setattr("sys.stdin", FakeTerminal(answer))
    sheet = write(tmp_path / "xa.csv", COMMUNES_CSV)
    code, out, err = cli("--data", office, "units", "import", sheet, "--group", "commune")
    assert code == 0, err
    assert "[c/K]" in out
    assert ((office / "units.yaml").read_bytes() != before) is written
    assert ("Không ghi gì" in out) is not written


def test_import_refuses_when_the_registry_changed_meanwhile(cli, office, tmp_path, monkeypatch):
    registry = office / "units.yaml"

    def someone_edits(prompt: str) -> str:
        registry.write_text(registry.read_text("utf-8") + "# sửa tay\n", "utf-8")
        return "c"

    monkeypatch.setattr("sys.stdin", FakeTerminal(""))
    monkeypatch.setattr("builtins.input", someone_edits)
    sheet = write(tmp_path / "xa.csv", COMMUNES_CSV)
    code, _, err = cli("--data", office, "units", "import", sheet, "--group", "commune")
    assert code == 1 and "vừa bị sửa" in err
    assert registry.read_text("utf-8").endswith("# sửa tay\n")
    assert load_registry(office).group("commune") is not None
    assert not [u for u in load_registry(office).units if u.group.id == "commune"]


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        ("name;population;hamlets;person;phone\nXã Phú Cường;12500;Ấp 1, Ấp 2;;\n", "utf-8"),
        ("\ufeffTên đơn vị,Dân số,Khóm ấp\nXã Phú Cường,12 500,Ấp 1;Ấp 2\n", "utf-8"),
        ("Tên đơn vị\tDân số (người)\tKhóm, ấp\nXã Phú Cường\t12,500\tẤp 1;Ấp 2\n", "utf-8"),
        ("Tên đơn vị;Dân số;Khóm, ấp\nXã Phú Cường;12.500;Ấp 1, Ấp 2\n", "cp1258"),
    ],
    ids=["english-semicolons", "bom", "tabs", "windows-1258"],
)
def test_import_reads_the_sheets_a_district_has(cli, office, tmp_path, text, encoding):
    sheet = write(tmp_path / "xa.csv", text, encoding)
    code, out, err = cli("--data", office, "units", "import", sheet, "--group", "commune", "--yes")
    assert code == 0, err
    unit = load_registry(office).unit("xa-phu-cuong")
    assert unit.name == "Xã Phú Cường" and unit.attributes["population"] == 12500
    assert unit.hamlets == ("Ấp 1", "Ấp 2")


def test_import_from_xlsx(cli, office, tmp_path):
    sheet = schools_xlsx(tmp_path / "truong.xlsx")
    code, out, err = cli("--data", office, "units", "import", sheet, "--group", "school", "--yes")
    assert code == 0, err
    unit = load_registry(office).unit("truong-thpt-giong-thi-dam")
    assert unit.attributes == {"staff": 55, "students": 980}
    assert unit.contact.phone == "0277 3830 102"


def test_a_phone_typed_in_a_number_cell_is_refused(cli, office, tmp_path):
    sheet = schools_xlsx(tmp_path / "truong.xlsx", phone_as_number=True)
    before = (office / "units.yaml").read_bytes()
    code, _, err = cli("--data", office, "units", "import", sheet, "--group", "school", "--yes")
    assert code == 1 and "dòng 2" in err and "mất số 0" in err
    assert (office / "units.yaml").read_bytes() == before


@pytest.mark.parametrize(
    ("rows", "words"),
    [
        ("Xã A,12.5,Ấp 1\n", "«12.5» không phải số nguyên"),
        (",12500,Ấp 1\n", "thiếu tên đơn vị"),
        ("Xã A,12500,Ấp 1\nXã A,12500,Ấp 1\n", "dòng 3 («Xã A»): trùng với dòng 2"),
        ("Xã A,12500,Ấp 1,Ấp 2\n", "nhiều ô hơn dòng tiêu đề"),
        ("Xã A,-5,Ấp 1\n", "là số âm"),
        ("Xã A,12500,\n", "thiếu «hamlets»"),
        ("Phòng Tư pháp,12500,Ấp 1\n", "ở nhóm «department», không phải «commune»"),
    ],
    ids=["decimal", "no-name", "twice", "shifted", "negative", "no-hamlets", "other-group"],
)
def test_a_row_that_cannot_be_used_names_its_row_and_nothing_is_written(
    cli, office, tmp_path, rows, words
):
    before = (office / "units.yaml").read_bytes()
    sheet = write(tmp_path / "xa.csv", "Tên đơn vị,Dân số,Khóm ấp\n" + rows)
    code, _, err = cli("--data", office, "units", "import", sheet, "--group", "commune", "--yes")
    assert code == 1, err
    assert words in err and "không ghi gì" in err
    assert (office / "units.yaml").read_bytes() == before


def test_two_names_with_one_id_get_two_ids(cli, office, tmp_path):
    sheet = write(
        tmp_path / "xa.csv", "Tên đơn vị,Dân số,Khóm ấp\nXã Tân Hội,1,Ấp 1\nXã Tân Hồi,2,Ấp 1\n"
    )
    code, out, _ = cli("--data", office, "units", "import", sheet, "--group", "commune", "--yes")
    assert code == 0 and "lấy mã xa-tan-hoi-2" in out
    assert load_registry(office).unit("xa-tan-hoi-2").name == "Xã Tân Hồi"


def test_an_existing_unit_needs_update_and_is_changed_in_place(cli, demo_data, tmp_path):
    registry = demo_data / "units.yaml"
    before = registry.read_text("utf-8")
    sheet = write(
        tmp_path / "xa.csv",
        "Tên đơn vị,Dân số,Điện thoại\nXã Long Khánh B,8750,0277 3800 999\n"
        "Thị trấn Thường Thới Tiền,14947,0277 3800 101\n",
    )
    code, _, err = cli("--data", demo_data, "units", "import", sheet, "--group", "commune", "--yes")
    assert code == 1 and "thêm --update" in err
    assert registry.read_text("utf-8") == before
    code, out, err = cli(
        "--data", demo_data, "units", "import", sheet, "--group", "commune", "--yes", "--update"
    )
    assert code == 0, err
    assert re.search(r"^sửa +xa-long-khanh-b", out, re.M) and "dân số 8.700 → 8.750" in out
    assert re.search(
        r"^giữ nguyên +tt-thuong-thoi-tien", out, re.M
    )  # known by its name, though its id is not the slug
    after = registry.read_text("utf-8")
    changed = [
        (a, b) for a, b in zip(before.splitlines(), after.splitlines(), strict=True) if a != b
    ]
    assert changed == [
        ("    population: 8700            # est. — ước tính, không phải số chính thức",
         "    population: 8750            # est. — ước tính, không phải số chính thức"),
        ('    contact: {person: Văn phòng UBND xã (mẫu), phone: "0277 3800 107", '
         'email: xa-long-khanh-b@hongngu.example}',
         '    contact: {person: Văn phòng UBND xã (mẫu), phone: "0277 3800 999", '
         'email: xa-long-khanh-b@hongngu.example}'),
    ]  # fmt: skip


def test_a_new_unit_goes_after_its_group_and_the_rest_is_untouched(cli, demo_data, tmp_path):
    registry = demo_data / "units.yaml"
    before = registry.read_text("utf-8")
    sheet = write(tmp_path / "xa.csv", "Tên đơn vị,Dân số,Khóm ấp\nXã Phú Cường,12500,Ấp 1;Ấp 2\n")
    assert cli("--data", demo_data, "units", "import", sheet, "--group", "commune", "--yes")[0] == 0
    after = registry.read_text("utf-8")
    added = (
        "  - id: xa-phu-cuong\n    name: Xã Phú Cường\n    group: commune\n"
        "    population: 12500\n    hamlets: [Ấp 1, Ấp 2]\n"
    )
    last = "xa-phu-thuan-b@hongngu.example}\n"  # the last commune's contact line
    assert after == before.replace(last, last + added, 1)
    ids = [u.id for u in load_registry(demo_data).units]
    assert ids.index("xa-phu-cuong") == ids.index("xa-phu-thuan-b") + 1


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--group", "communes"], "có phải «commune»?"),
        (["--group", "commune", "--sheet", "x"], "--sheet chỉ dùng cho tệp xlsx"),
    ],
)
def test_import_usage_errors(cli, office, tmp_path, args, words):
    sheet = write(tmp_path / "xa.csv", COMMUNES_CSV)
    code, _, err = cli("--data", office, "units", "import", sheet, *args)
    assert code == 2 and words in err


@pytest.mark.parametrize(
    ("name", "content", "words"),
    [
        ("ds.xls", b"\xd0\xcf\x11\xe0", "lưu lại dạng .xlsx"),
        ("ds.xlsx", b"PK\x03\x04 not really", "không đọc được như tệp xlsx"),
        ("missing.csv", None, "không có tệp này"),
        ("ds.csv", b"STT,Ghi ch\xc3\xba\n1,x\n", "không thấy dòng tiêu đề"),
    ],
)
def test_a_file_that_is_not_a_sheet_of_units(cli, office, tmp_path, name, content, words):
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    code, _, err = cli("--data", office, "units", "import", path, "--group", "commune", "--yes")
    assert code in (1, 2) and words in err, err


def test_import_into_a_broken_registry_is_refused_first(cli, demo_data, tmp_path):
    registry = demo_data / "units.yaml"
    registry.write_text(
        registry.read_text("utf-8").replace("population: 8700 ", "population:8700 ")
    )
    sheet = write(tmp_path / "xa.csv", COMMUNES_CSV)
    code, _, err = cli("--data", demo_data, "units", "import", sheet, "--group", "commune")
    assert code == 2 and "dấu cách sau «:»" in err


# --------------------------------------------------------------------------- list


def test_units_list_prints_the_registry_as_a_table(cli, demo_data):
    code, out, _ = cli("--data", demo_data, "units", "list")
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "Xã, thị trấn (nhóm commune, hạn 15:00) — 10 đơn vị"
    assert lines[1].split() == [
        "Mã",
        "Tên",
        "Dân",
        "số",
        "Khóm,",
        "ấp",
        "Người",
        "liên",
        "hệ",
        "Điện",
        "thoại",
    ]
    assert any(line.startswith("xa-long-khanh-b ") and " 8.700 " in line for line in lines)
    assert "Phòng, ban, ngành huyện (nhóm department, không có hạn hằng ngày) — 14 đơn vị" in out
    assert lines[-1] == "Tổng: 28 đơn vị trong 4 nhóm"
    code, out, _ = cli("--data", demo_data, "units", "list", "--group", "school")
    assert code == 0 and "Số học sinh" in out and "Tổng: 3 đơn vị trong 1 nhóm" in out
    code, _, err = cli("--data", demo_data, "units", "list", "--group", "schools")
    assert code == 2 and "school" in err


@pytest.mark.parametrize("layout", ["crlf", "flow", "empty"])
def test_import_keeps_the_files_own_layout(cli, office, tmp_path, layout):
    registry = office / "units.yaml"
    text = registry.read_text("utf-8")
    head, units = text.split("\nunits:\n")
    if layout == "crlf":
        text = text.replace("\n", "\r\n")
    elif layout == "flow":
        text = head + "\nunits: [" + ", ".join(u.strip()[2:] for u in units.splitlines()) + "]\n"
    else:
        text = head + "\nunits: []\n"
    registry.write_bytes(text.encode("utf-8"))
    sheet = write(tmp_path / "xa.csv", COMMUNES_CSV)
    code, _, err = cli("--data", office, "units", "import", sheet, "--group", "commune", "--yes")
    assert code == 0, err
    after = registry.read_bytes().decode("utf-8")
    assert load_registry(office).unit("xa-phu-cuong").hamlets == ("Ấp Phú Thọ", "Ấp Phú Hòa")
    if layout == "crlf":
        assert "\n" not in after.replace("\r\n", "")
    if layout != "empty":
        assert after.startswith(text.rstrip("]\r\n"))


def test_import_says_one_true_thing_about_a_bad_name(cli, office, tmp_path):
    """A name with an invisible character is refused for that; it is not also "missing".
    A name too long for an id (made from it) tells the clerk to add a «Mã» column, and a
    «Mã» column makes the row importable."""
    long_name = "Xã " + "Phú Cường Thượng Đông " * 3
    sheet = write(
        tmp_path / "xa.csv",
        f"Tên đơn vị,Dân số,Khóm ấp\nXã Phú\u200bCường,12500,Ấp 1\n{long_name},9000,Ấp 1\n",
    )
    code, out, err = cli("--data", office, "units", "import", sheet, "--group", "commune")
    said = out + err
    assert code == 1
    assert "dòng 2: cột «Tên đơn vị»: «Xã Phú\\u200bCường» có ký tự điều khiển" in said
    assert "thiếu tên đơn vị" not in said
    assert "mã đơn vị dài quá 64 ký tự" in said and "thêm cột «Mã»" in said
    with_id = write(
        tmp_path / "xa2.csv",
        f"Tên đơn vị,Dân số,Khóm ấp,Mã\n{long_name},9000,Ấp 1,xa-phu-cuong-thuong\n",
    )
    code, out, err = cli("--data", office, "units", "import", with_id, "--group", "commune")
    assert "mã đơn vị" not in out + err and "xa-phu-cuong-thuong" in out
