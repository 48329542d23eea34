"""The one table of export formats: what the CLI offers, what the board writes, what the docs say."""

from __future__ import annotations

import io
import re
import zipfile

from docx import Document

from bluezone_tui.export import (
    FORMATS,
    district_formats,
    export_day,
    format_for_suffix,
    province_formats,
    write_report,
)
from helpers.data import DEMO_DAY, REPO, at


def test_the_table_of_formats():
    assert {name: fmt.suffix for name, fmt in FORMATS.items()} == {
        "text": ".txt",
        "csv": ".csv",
        "docx": ".docx",
        "pdf": ".pdf",
        "dhis2": ".dhis2.csv",
        "xlsx": ".xlsx",
    }
    assert list(district_formats()) == ["text", "csv", "xlsx", "docx", "pdf", "dhis2"]
    assert list(province_formats()) == ["text", "csv", "xlsx"]
    assert [name for name, fmt in FORMATS.items() if fmt.binary] == ["xlsx", "docx", "pdf"]
    assert [name for name, fmt in FORMATS.items() if fmt.stamped] == ["pdf"]
    assert [name for name, fmt in FORMATS.items() if not fmt.on_board] == ["dhis2"]
    assert FORMATS["docx"].file_name(DEMO_DAY) == "bao-cao-bluezone-2020-08-20.docx"
    assert format_for_suffix(REPO / "Báo cáo.DOCX") is FORMATS["docx"]
    assert format_for_suffix(REPO / "bao-cao.md") is None
    assert format_for_suffix(REPO / "ngay-20.dhis2.csv") is FORMATS["dhis2"]  # the longest
    assert format_for_suffix(REPO / "ngay-20.csv") is FORMATS["csv"]
    assert FORMATS["dhis2"].file_type == FORMATS["csv"].file_type == ".csv"


def test_the_board_export_writes_every_format_of_the_table(demo_store, tmp_path):
    folder = tmp_path / "exports"
    paths = export_day(demo_store, DEMO_DAY, at(DEMO_DAY, 16, 30), folder)
    assert [p.name for p in paths] == [
        fmt.file_name(DEMO_DAY) for fmt in district_formats().values() if fmt.on_board
    ]
    assert sorted(p.name for p in folder.iterdir()) == sorted(p.name for p in paths)  # no temp
    text = (folder / "bao-cao-bluezone-2020-08-20.txt").read_text(encoding="utf-8")
    assert "6.090" in text and "5,05%" in text
    # the CSV Vietnamese Excel opens right, as the guide says: ";" and decimal commas
    table = (folder / "bao-cao-bluezone-2020-08-20.csv").read_text(encoding="utf-8-sig")
    assert table.startswith("date;unit_id;unit_name;")
    assert ";6090;120514;5,05;6090;120514;" in table.splitlines()[-1]
    guide = (REPO / "HUONG-DAN.md").read_text(encoding="utf-8")
    assert "Tệp CSV phân cách bằng `;` mở đúng trong Excel tiếng Việt" in guide
    docx = (folder / "bao-cao-bluezone-2020-08-20.docx").read_bytes()
    assert zipfile.is_zipfile(io.BytesIO(docx))
    paragraphs = " ".join(p.text for p in Document(io.BytesIO(docx)).paragraphs)
    assert "6.090" in paragraphs and "120.514" in paragraphs and "5,05%" in paragraphs


def test_bytes_are_written_as_they_are(tmp_path):
    target = tmp_path / "r.bin"
    payload = bytes(range(256)) * 4
    write_report(target, payload, tmp_path / "data")
    assert target.read_bytes() == payload
    write_report(target, "Thường Phước\r\n", tmp_path / "data")
    assert target.read_bytes() == "Thường Phước\r\n".encode()
    assert [p.name for p in tmp_path.iterdir()] == ["r.bin"]


def test_the_docs_name_every_format():
    commands = (REPO / "docs" / "commands.md").read_text(encoding="utf-8")
    usage = re.search(r"`bluezone export \[--date D\] \[--format ([^\]]+)\]", commands)
    assert usage is not None
    assert usage.group(1).replace("\\", "").split("|") == list(district_formats())
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    short = re.search(r"`bluezone export \[--format ([^\]]+)\]`", readme)
    assert short is not None
    assert short.group(1).replace("\\", "").split("|") == list(district_formats())
    board = (REPO / "docs" / "board.md").read_text(encoding="utf-8")
    board_key = re.search(r"`x` export ([^·]+)", board)
    assert board_key is not None
    for fmt in district_formats().values():
        if fmt.on_board:
            assert fmt.suffix in board_key.group(1), fmt.name


def test_the_docs_show_the_word_report():
    page = REPO / "docs" / "reports.md"
    text = page.read_text(encoding="utf-8")
    assert "bluezone export --date 2020-08-20 --format docx" in text
    links = re.findall(r"!\[[^\]]*\]\(([^)]+)\)", text)
    pictures = [(page.parent / link).resolve() for link in links]
    assert REPO / "docs" / "bao-cao-2020-08-20-trang-1.png" in pictures
    for picture in pictures:
        data = picture.read_bytes()
        assert data.startswith(b"\x89PNG") and len(data) < 200_000  # kept small
