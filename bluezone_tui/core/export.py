"""Writing the day's report to files: one table of formats for the CLI, the board and the README.

A format is added in one place, `FORMATS`: its name (the CLI's `--format` choice), its
file suffix, how it is made, and whether the board's `x` writes it. Renderers are
imported when used, so the CLI's start-up does not pay for python-docx.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from .problems import RefusedError

if TYPE_CHECKING:
    from .consolidate import Consolidation
    from .province import ProvinceRanking
    from .registry import Registry
    from .store import Store

EXPORTS_FOLDER = "exports"  # inside the data folder: where the board's `x` writes


@dataclass(frozen=True, slots=True)
class ExportOptions:
    delimiter: str = ","  # CSV only


@dataclass(frozen=True, slots=True)
class ExportFormat:
    """One way to write a report: the district's day (`bluezone export`, the board's `x`)
    and, where it has `render_province`, the province's ranking (`bluezone province`)."""

    name: str
    suffix: str
    render: Callable[[Consolidation, Registry, ExportOptions], str | bytes] | None
    description: str  # Vietnamese, for --help
    binary: bool = False  # bytes that a terminal cannot show: written to a file
    on_board: bool = True  # written by the board's `x`
    # what the file leaves out, said on stderr to the person who sends it
    notes: Callable[[Consolidation, Registry], list[str]] | None = None
    render_province: Callable[[ProvinceRanking, ExportOptions], str | bytes] | None = None

    def file_name(self, day: date) -> str:
        return f"bao-cao-bluezone-{day.isoformat()}{self.suffix}"

    @property
    def file_type(self) -> str:
        """The last extension (".csv" for ".dhis2.csv"): what a file of this format is."""
        return "." + self.suffix.rsplit(".", 1)[-1]


def _text(consolidation: Consolidation, registry: Registry, options: ExportOptions) -> str:
    from .report_text import render_text

    return render_text(consolidation, registry)


def _csv(consolidation: Consolidation, registry: Registry, options: ExportOptions) -> str:
    from .report_csv import render_csv

    return render_csv(consolidation, registry, options.delimiter)


def _docx(consolidation: Consolidation, registry: Registry, options: ExportOptions) -> bytes:
    from .report_docx import render_docx

    return render_docx(consolidation, registry)


def _xlsx(consolidation: Consolidation, registry: Registry, options: ExportOptions) -> bytes:
    from .report_xlsx import render_xlsx

    return render_xlsx(consolidation, registry)


def _dhis2(consolidation: Consolidation, registry: Registry, options: ExportOptions) -> str:
    from .dhis2 import render_dhis2

    return render_dhis2(consolidation, registry)


def _dhis2_notes(consolidation: Consolidation, registry: Registry) -> list[str]:
    from .dhis2 import dhis2_notes

    return dhis2_notes(consolidation, registry)


def _province_text(ranking: ProvinceRanking, options: ExportOptions) -> str:
    from .province_report import render_text

    return render_text(ranking)


def _province_csv(ranking: ProvinceRanking, options: ExportOptions) -> str:
    from .province_report import render_csv

    return render_csv(ranking, options.delimiter)


def _province_xlsx(ranking: ProvinceRanking, options: ExportOptions) -> bytes:
    from .province_report import render_xlsx

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


def province_formats() -> dict[str, ExportFormat]:
    """The formats of `bluezone province`."""
    return {name: fmt for name, fmt in FORMATS.items() if fmt.render_province is not None}


def format_for_suffix(path: Path) -> ExportFormat | None:
    """The format whose files end like `path` ("báo cáo.DOCX" -> docx, "x.dhis2.csv" ->
    dhis2, "x.csv" -> csv), if any: the longest matching ending wins."""
    name = path.name.lower()
    matching = [fmt for fmt in FORMATS.values() if name.endswith(fmt.suffix)]
    return max(matching, key=lambda fmt: len(fmt.suffix), default=None)


def write_atomically(path: Path, content: str | bytes) -> None:
    """Write via a temp file and rename, so a reader never sees half a report."""
    temp: Path | None = None
    data = content.encode("utf-8") if isinstance(content, str) else content
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        # a temp name of its own: two staff exporting at once never mix their files
        fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        temp = Path(name)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(temp, 0o644)
        os.replace(temp, path)
    except OSError as exc:
        if temp is not None:
            with contextlib.suppress(OSError):
                temp.unlink()  # e.g. the target is a folder: leave no stray temp file behind
        raise RefusedError(f"{path}: không ghi được: {exc.strerror}") from None


def export_day(
    store: Store, day: date, now: datetime, folder: Path, delimiter: str = ","
) -> list[Path]:
    """Every format the board writes, as `bluezone export` makes them, into `folder`."""
    from .consolidate import consolidate
    from .status import load_status

    consolidation = consolidate(load_status(store, day, now))
    options = ExportOptions(delimiter=delimiter)
    paths = []
    for fmt in district_formats().values():
        if fmt.on_board and fmt.render is not None:
            path = folder / fmt.file_name(day)
            write_atomically(path, fmt.render(consolidation, store.registry, options))
            paths.append(path)
    return paths
