"""Writing reports to files: one table of formats for the CLI, the board and the docs.

A format is added in one place, `FORMATS`: its name (the CLI's `--format` choice), its
file suffix, how it is made, and whether the board's `x` writes it. Renderers are
imported when used, so the CLI's start-up does not pay for python-docx.

A report is written where the user pointed, never over the data it is made from, and
never by renaming a new file over a device, a FIFO or a standard stream.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from bluezone_tui.base.failed_writes import refusing_writes
from bluezone_tui.base.files import write_output
from bluezone_tui.base.problems import RefusedError
from bluezone_tui.day.store import SUBMISSIONS_DIR
from bluezone_tui.registry.model import REGISTRY_FILE

if TYPE_CHECKING:
    from bluezone_tui.day.consolidate import Consolidation
    from bluezone_tui.day.store import Store
    from bluezone_tui.province.sources import ProvinceRanking
    from bluezone_tui.registry.model import Registry

EXPORTS_FOLDER = "exports"  # inside the data folder: where the board's `x` writes


@dataclass(frozen=True, slots=True)
class ExportOptions:
    delimiter: str = ","  # CSV only
    decimal: str | None = None  # CSV only: None is the mark that goes with the delimiter
    revision: str = ""  # PDF only: the data it is made from (data_revision), in its metadata
    width: int | None = None  # text only: the terminal's columns it is printed on (or None)


# What the board's `x` writes: the CSV that Vietnamese Excel opens right, ";"-separated
# with decimal commas (a "," CSV puts a whole row in one column there, and reads 5.05 as
# text); HUONG-DAN.md tells the clerk so.
BOARD_OPTIONS = ExportOptions(delimiter=";")


@dataclass(frozen=True, slots=True)
class ExportFormat:
    """One way to write a report: the district's day (`bluezone export`, the board's `x`)
    and, where it has `render_province`, the province's ranking (`bluezone province`)."""

    name: str
    suffix: str
    render: Callable[[Consolidation, Registry, ExportOptions], str | bytes] | None
    description: str  # Vietnamese, for --help
    binary: bool = False  # bytes that a terminal cannot show: never printed on one
    on_board: bool = True  # written by the board's `x`
    # what the file leaves out, said on stderr to the person who sends it
    notes: Callable[[Consolidation, Registry], list[str]] | None = None
    render_province: Callable[[ProvinceRanking, ExportOptions], str | bytes] | None = None
    stamped: bool = False  # names the data's revision inside (ExportOptions.revision)

    def file_name(self, day: date) -> str:
        return f"bao-cao-bluezone-{day.isoformat()}{self.suffix}"

    @property
    def file_type(self) -> str:
        """The last extension (".csv" for ".dhis2.csv"): what a file of this format is."""
        return "." + self.suffix.rsplit(".", 1)[-1]


def _text(consolidation: Consolidation, registry: Registry, options: ExportOptions) -> str:
    from bluezone_tui.reports.text import render_text

    return render_text(consolidation, registry)


def _csv(consolidation: Consolidation, registry: Registry, options: ExportOptions) -> str:
    from bluezone_tui.reports.csv import render_csv

    return render_csv(consolidation, registry, options.delimiter, options.decimal)


def _docx(consolidation: Consolidation, registry: Registry, options: ExportOptions) -> bytes:
    from bluezone_tui.reports.docx import render_docx

    return render_docx(consolidation, registry)


def _pdf(consolidation: Consolidation, registry: Registry, options: ExportOptions) -> bytes:
    from bluezone_tui.reports.pdf import render_pdf

    return render_pdf(consolidation, registry, options.revision)


def _xlsx(consolidation: Consolidation, registry: Registry, options: ExportOptions) -> bytes:
    from bluezone_tui.reports.xlsx import render_xlsx

    return render_xlsx(consolidation, registry)


def _dhis2(consolidation: Consolidation, registry: Registry, options: ExportOptions) -> str:
    from bluezone_tui.reports.dhis2 import render_dhis2

    return render_dhis2(consolidation, registry)


def _dhis2_notes(consolidation: Consolidation, registry: Registry) -> list[str]:
    from bluezone_tui.reports.dhis2 import dhis2_notes

    return dhis2_notes(consolidation, registry)


def _province_text(ranking: ProvinceRanking, options: ExportOptions) -> str:
    from bluezone_tui.province.report import render_text

    return render_text(ranking, options.width)


def _province_csv(ranking: ProvinceRanking, options: ExportOptions) -> str:
    from bluezone_tui.province.report import render_csv

    return render_csv(ranking, options.delimiter)


def _province_xlsx(ranking: ProvinceRanking, options: ExportOptions) -> bytes:
    from bluezone_tui.province.report import render_xlsx

    return render_xlsx(ranking)


FORMATS: dict[str, ExportFormat] = {
    fmt.name: fmt
    for fmt in (
        ExportFormat("text", ".txt", _text, "báo cáo dạng văn bản", render_province=_province_text),
        ExportFormat(
            "csv", ".csv", _csv, "bảng số liệu CSV cho tỉnh", render_province=_province_csv
        ),
        ExportFormat(
            "xlsx",
            ".xlsx",
            _xlsx,
            "bảng tính Excel: số liệu và báo cáo",
            binary=True,
            render_province=_province_xlsx,
        ),
        ExportFormat(
            "docx", ".docx", _docx, "văn bản Word theo Nghị định 30/2020/NĐ-CP", binary=True
        ),
        ExportFormat(
            "pdf",
            ".pdf",
            _pdf,
            "PDF theo Nghị định 30/2020/NĐ-CP, có ô chữ ký số (bluezone sign, sent add)",
            binary=True,
            stamped=True,
        ),
        ExportFormat(
            "dhis2",
            ".dhis2.csv",
            _dhis2,
            "bộ giá trị dữ liệu DHIS2 (CSV) theo mã trong units.yaml",
            on_board=False,
            notes=_dhis2_notes,
        ),
    )
}


def district_formats() -> dict[str, ExportFormat]:
    """The formats of `bluezone export` and the board's `x`."""
    return {name: fmt for name, fmt in FORMATS.items() if fmt.render is not None}


def board_formats() -> list[ExportFormat]:
    """The formats the board's `x` writes (and its F1 help names), in the table's order."""
    return [f for f in district_formats().values() if f.on_board and f.render is not None]


def province_formats() -> dict[str, ExportFormat]:
    """The formats of `bluezone province`."""
    return {name: fmt for name, fmt in FORMATS.items() if fmt.render_province is not None}


def format_for_suffix(path: Path) -> ExportFormat | None:
    """The format whose files end like `path` ("báo cáo.DOCX" -> docx, "x.dhis2.csv" ->
    dhis2, "x.csv" -> csv), if any: the longest matching ending wins."""
    name = path.name.lower()
    matching = [fmt for fmt in FORMATS.values() if name.endswith(fmt.suffix)]
    return max(matching, key=lambda fmt: len(fmt.suffix), default=None)


def refuse_data_target(path: Path, data_dir: Path) -> None:
    """An export may not land on units.yaml or inside submissions/ (it would replace data)."""
    target = os.path.realpath(path)
    data = os.path.realpath(data_dir)
    protected = [os.path.join(data, REGISTRY_FILE), os.path.join(data, SUBMISSIONS_DIR)]
    for place in protected:
        if target == place or target.startswith(place + os.sep):
            raise RefusedError(
                f"{path}: là dữ liệu của bluezone ({os.path.relpath(place, data)} trong "
                f"{data_dir}); không ghi báo cáo đè lên đó, hãy chọn tệp khác"
            )


def write_report(path: Path, content: str | bytes, data_dir: Path | None) -> Path:
    """Write a report (text as UTF-8) to `path`; refuse data files; RefusedError on failure.
    `data_dir`: the data folder whose files may not be overwritten (None: there is none)."""
    if data_dir is not None:
        refuse_data_target(path, data_dir)
    data = content.encode("utf-8") if isinstance(content, str) else content
    with refusing_writes(path) as made:  # a folder made for it is taken back if it fails
        if not os.path.lexists(path):
            made.folders(path.parent)
        return write_output(path, data)


def data_revision(store: Store, day: date) -> str:
    """What a report of `day` made now is made from, as a PDF's metadata names it: the git
    commit when units.yaml and the day files up to `day` are as committed, else the digest
    of those files ("sha256:…": no history, or changes not committed yet)."""
    from bluezone_tui.day.fingerprint import data_digest
    from bluezone_tui.git.repository import open_repository
    from bluezone_tui.git.sent import report_revision

    repository = open_repository(store.data_dir, store.registry)
    if repository is not None and repository.available:
        commit = report_revision(repository, day)
        if commit:
            return commit
    return data_digest(store.data_dir, day)


def export_day(
    store: Store, day: date, now: datetime, folder: Path, options: ExportOptions = BOARD_OPTIONS
) -> list[Path]:
    """Every format the board writes, as `bluezone export` makes them (the CSV as
    BOARD_OPTIONS say), into `folder`."""
    from bluezone_tui.day.loader import load_day

    consolidation = load_day(store, day, now)
    formats = board_formats()
    if any(f.stamped for f in formats):
        options = replace(options, revision=data_revision(store, day))
    paths = []
    for fmt in formats:
        if fmt.render is not None:
            path = folder / fmt.file_name(day)
            write_report(path, fmt.render(consolidation, store.registry, options), store.data_dir)
            paths.append(path)
    return paths
