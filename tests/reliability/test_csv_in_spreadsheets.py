"""The CSV as a decimal-comma spreadsheet reads it: with ';', rates are numbers, not text.

Read twice: by a number parser configured for the Vietnamese locale (Babel's CLDR data,
always), and by LibreOffice Calc itself, headless, set to Vietnamese (where installed).
"""

from __future__ import annotations

import csv
import io
import re
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
from babel.numbers import NumberFormatError, parse_decimal

from helpers.data import copy_shipped
from helpers.process import run_cli

DAY = "2020-08-20"
NOW = "2020-08-20T16:30"
VIETNAMESE_LCID = 1066  # vi-VN, for LibreOffice's CSV filter


def export_csv(data: Path, *options: str) -> str:
    result = run_cli("--data", data, "export", "--date", DAY, "--now", NOW, "--format", "csv",
                     *options)  # fmt: skip
    assert result.code == 0, result.text
    return result.out


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_shipped(tmp_path_factory.mktemp("csv") / "data")


def test_semicolon_csv_rates_are_numbers_in_a_vietnamese_locale(data):
    rows = list(csv.DictReader(io.StringIO(export_csv(data, "--delimiter", ";").lstrip("\ufeff")),
                               delimiter=";"))  # fmt: skip
    total = rows[-1]
    assert parse_decimal(total["rate_percent"], locale="vi", strict=True) == Decimal("5.05")
    for row in rows:
        if row["rate_percent"]:
            parse_decimal(row["rate_percent"], locale="vi", strict=True)  # never text


def test_comma_csv_keeps_the_decimal_point_and_decimal_chooses(data):
    rows = list(csv.DictReader(io.StringIO(export_csv(data).lstrip("\ufeff"))))
    assert rows[-1]["rate_percent"] == "5.05"
    with pytest.raises(NumberFormatError):  # what ';' used to give a Vietnamese spreadsheet
        parse_decimal("5.05", locale="vi", strict=True)
    rows = list(csv.DictReader(io.StringIO(export_csv(data, "--delimiter", "\t", "--decimal", ",")
                                           .lstrip("\ufeff")), delimiter="\t"))  # fmt: skip
    assert rows[-1]["rate_percent"] == "5,05"


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_libreoffice_in_vietnamese_reads_the_rates_as_numbers(data, tmp_path):
    source = tmp_path / "bao-cao.csv"
    source.write_text(export_csv(data, "--delimiter", ";"), "utf-8", newline="")
    # CSV filter options: separator ';' (59), quote '"' (34), UTF-8 (76), from line 1,
    # default column types, language vi-VN
    result = subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{tmp_path}/profile",
            "--headless",
            f"--infilter=Text - txt - csv (StarCalc):59,34,76,1,,{VIETNAMESE_LCID}",
            "--convert-to",
            "fods",
            "--outdir",
            str(tmp_path),
            str(source),
        ],  # fmt: skip
        capture_output=True,
        timeout=180,
    )
    converted = tmp_path / "bao-cao.fods"
    if not converted.exists():
        pytest.skip(f"LibreOffice could not convert here: {result.stderr.decode()[-300:]}")
    sheet = converted.read_text("utf-8")
    assert 'office:value-type="float" office:value="5.05"' in sheet  # the district's rate
    floats = re.findall(r'office:value-type="float" office:value="(\d+\.\d+)"', sheet)
    assert len(floats) >= 15  # the units' rates with a decimal part are numbers too
    # and no rate was left as text
    assert not re.search(r'office:value-type="string"[^>]*>\s*<text:p>\d+[.,]\d+</text:p>', sheet)
