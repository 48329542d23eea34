"""`bluezone export --format docx` end to end, in-process, in a temp folder."""

from __future__ import annotations

import io
import os
import zipfile

from docx import Document

from bluezone_tui.cli.main import main
from bluezone_tui.export import district_formats

NOW_20 = "2020-08-20T16:30"
EXPORT_20 = ("export", "--date", "2020-08-20", "--now", NOW_20)


def paragraphs(path) -> str:
    return " ".join(p.text for p in Document(io.BytesIO(path.read_bytes())).paragraphs)


def test_docx_without_output_goes_to_the_exports_folder(cli, demo_data):
    """A Word file on a terminal is noise: it is written where the board's `x` writes."""
    code, out, err = cli("--data", demo_data, *EXPORT_20, "--format", "docx")
    assert code == 0, err
    assert out == ""
    target = demo_data / "exports" / "bao-cao-bluezone-2020-08-20.docx"
    assert f"Đã ghi {target}" in err
    words = paragraphs(target)
    assert "6.090" in words and "120.514" in words and "5,05%" in words


def test_the_output_name_chooses_the_format(cli, demo_data, tmp_path):
    target = tmp_path / "Báo cáo 20-8.DOCX"
    code, out, err = cli("--data", demo_data, *EXPORT_20, "-o", target)
    assert code == 0, err
    assert out == "" and zipfile.is_zipfile(target)
    assert "5,05%" in paragraphs(target)
    plain = tmp_path / "bao-cao.md"  # a suffix of no format: the default, text
    code, _, err = cli("--data", demo_data, *EXPORT_20, "-o", plain)
    assert code == 0, err
    assert "5,05%" in plain.read_text(encoding="utf-8")


def test_a_format_that_contradicts_the_file_name_is_refused(cli, demo_data, tmp_path):
    target = tmp_path / "bao-cao.docx"
    code, out, err = cli("--data", demo_data, *EXPORT_20, "--format", "csv", "-o", target)
    assert code == 2
    assert "bao-cao.docx" in err and "docx" in err and "csv" in err
    assert not target.exists() and out == ""


def test_docx_onto_a_folder_is_refused_without_leftovers(cli, demo_data, tmp_path):
    target = tmp_path / "out.docx"
    target.mkdir()
    code, _, err = cli("--data", demo_data, *EXPORT_20, "--output", target)
    assert code == 1 and str(target) in err
    assert list(target.iterdir()) == []
    assert sorted(os.listdir(tmp_path)) == ["demo", "out.docx"]


def test_docx_of_a_day_with_a_broken_file(cli, demo_data, tmp_path):
    (demo_data / "submissions" / "2020-08-20" / "xa-thuong-lac.toml").write_text("[figures\n")
    target = tmp_path / "r.docx"
    code, _, err = cli("--data", demo_data, *EXPORT_20, "-o", target)
    assert code == 1  # as for text and CSV: every other unit reported, the broken one named
    assert "xa-thuong-lac.toml" in err
    assert "Xã Thường Lạc" in paragraphs(target)


def test_help_lists_the_formats(cli):
    code, out, _ = cli("export", "--help")
    assert code == 0
    assert "{" + ",".join(district_formats()) + "}" in out and "Nghị định 30/2020/NĐ-CP" in out


def test_output_dash_writes_the_word_file_to_a_pipe(capsysbinary, demo_data):
    code = main(["--data", str(demo_data), *EXPORT_20, "--format", "docx", "--output", "-"])
    out, err = capsysbinary.readouterr()
    assert code == 0, err.decode()
    assert zipfile.is_zipfile(io.BytesIO(out))
    assert "5,05%" in " ".join(p.text for p in Document(io.BytesIO(out)).paragraphs)
    assert not (demo_data / "exports").exists()


def test_output_dash_refuses_a_word_file_on_a_terminal(cli, demo_data, monkeypatch):
    monkeypatch.setattr("sys.stdout.isatty", lambda: True)
    code, out, err = cli("--data", demo_data, *EXPORT_20, "--format", "docx", "--output", "-")
    assert code == 2
    assert "không in ra màn hình" in err and "--output bao-cao.docx" in err
    assert out == ""


def test_a_word_file_is_never_written_over_the_data(cli, demo_data):
    target = demo_data / "submissions" / "2020-08-20" / "xa-long-khanh-b.docx"
    code, _, err = cli("--data", demo_data, *EXPORT_20, "--output", target)
    assert code == 1 and "dữ liệu của bluezone" in err
    assert not target.exists()
