"""Writing the day's reports: one table of formats for the CLI, the board and the README.

A format is added in one place, `FORMATS`: its name (the CLI's `--format` choice), its
file suffix, how it is made, and whether the board's `x` writes it. Renderers are
imported when used, so the CLI's start-up does not pay for python-docx.

A report is written where the user pointed, never over the data it is made from, and
never by renaming a new file over a device, a FIFO or a standard stream.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from .files import write_output
from .problems import RefusedError
from .registry import REGISTRY_FILE
from .store import SUBMISSIONS_DIR

if TYPE_CHECKING:
    from .consolidate import Consolidation
    from .registry import Registry
    from .store import Store

EXPORTS_FOLDER = "exports"  # inside the data folder: where the board's `x` writes


@dataclass(frozen=True, slots=True)
class ExportOptions:
    delimiter: str = ","  # CSV only
    decimal: str | None = None  # CSV only: None is the mark that goes with the delimiter


@dataclass(frozen=True, slots=True)
class ExportFormat:
    """One way to write the day's report."""

    name: str
    suffix: str
    render: Callable[[Consolidation, Registry, ExportOptions], str | bytes]
    description: str  # Vietnamese, for --help
    binary: bool = False  # bytes that a terminal cannot show: never printed on one
    on_board: bool = True  # written by the board's `x`

    def file_name(self, day: date) -> str:
        return f"bao-cao-bluezone-{day.isoformat()}{self.suffix}"


def _text(consolidation: Consolidation, registry: Registry, options: ExportOptions) -> str:
    from .report_text import render_text

    return render_text(consolidation, registry)


def _csv(consolidation: Consolidation, registry: Registry, options: ExportOptions) -> str:
    from .report_csv import render_csv

    return render_csv(consolidation, registry, options.delimiter, options.decimal)


def _docx(consolidation: Consolidation, registry: Registry, options: ExportOptions) -> bytes:
    from .report_docx import render_docx

    return render_docx(consolidation, registry)


FORMATS: dict[str, ExportFormat] = {
    fmt.name: fmt
    for fmt in (
        ExportFormat("text", ".txt", _text, "báo cáo dạng văn bản"),
        ExportFormat("csv", ".csv", _csv, "bảng số liệu CSV cho tỉnh"),
        ExportFormat(
            "docx", ".docx", _docx, "văn bản Word theo Nghị định 30/2020/NĐ-CP", binary=True
        ),
    )
}


def format_for_suffix(path: Path) -> ExportFormat | None:
    """The format whose files end like `path` ("báo cáo.DOCX" -> docx), if any."""
    suffix = path.suffix.lower()
    return next((fmt for fmt in FORMATS.values() if fmt.suffix == suffix), None)


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


def write_report(path: Path, content: str | bytes, data_dir: Path) -> Path:
    """Write a report (text as UTF-8, or bytes) to `path`; refuse data files; RefusedError
    on failure."""
    refuse_data_target(path, data_dir)
    data = content.encode("utf-8") if isinstance(content, str) else content
    try:
        if not os.path.lexists(path):
            path.parent.mkdir(parents=True, exist_ok=True)
        return write_output(path, data)
    except OSError as exc:
        raise RefusedError(f"{path}: không ghi được: {exc.strerror}; chưa ghi gì") from None


def export_day(
    store: Store, day: date, now: datetime, folder: Path, delimiter: str = ","
) -> list[Path]:
    """Every format the board writes, as `bluezone export` makes them, into `folder`."""
    from .consolidate import consolidate
    from .status import load_status

    consolidation = consolidate(load_status(store, day, now))
    options = ExportOptions(delimiter=delimiter)
    paths = []
    for fmt in FORMATS.values():
        if fmt.on_board:
            path = folder / fmt.file_name(day)
            write_report(path, fmt.render(consolidation, store.registry, options), store.data_dir)
            paths.append(path)
    return paths
