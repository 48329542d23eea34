"""`bluezone export --format xlsx` end to end, in-process, in a temp folder."""

from __future__ import annotations

from openpyxl import load_workbook

from bluezone_tui.cli.main import main

EXPORT_20 = ("export", "--date", "2020-08-20", "--now", "2020-08-20T16:30")


def test_a_workbook_goes_to_exports_or_where_its_name_says(capsys, demo_data, tmp_path):
    code = main(["--data", str(demo_data), *EXPORT_20, "--format", "xlsx"])
    out, err = capsys.readouterr()
    target = demo_data / "exports" / "bao-cao-bluezone-2020-08-20.xlsx"
    assert code == 0 and out == "" and f"Đã ghi {target}" in err
    assert load_workbook(target)["Số liệu"]["I30"].value == 6090  # TOTAL installs
    named = tmp_path / "Báo cáo 20-8.XLSX"
    code = main(["--data", str(demo_data), *EXPORT_20, "-o", str(named)])
    capsys.readouterr()
    assert code == 0 and named.read_bytes() == target.read_bytes()
