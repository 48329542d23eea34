"""The CSV report's writer at N rows, against csv.writer writing the same cells as text.

What the report adds to the standard library's writer: the table's cells from the
consolidation, text made safe, the rates' decimal mark. The consolidation is loaded
once, untimed: the load has measures of its own (measure_load.py).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from pathlib import Path

from timing import DAY, Row, median_time, now_at

from bluezone_tui.day.loader import load_day
from bluezone_tui.day.store import Store
from bluezone_tui.registry.load import load_registry
from bluezone_tui.reports.csv import render_csv


def measure(big: Path, small: Path, n: int, repeat: int, log: Callable[[str], None]) -> list[Row]:
    log("CSV writer")
    registry = load_registry(big)
    consolidation = load_day(Store(big, registry), DAY, now_at())
    written = render_csv(consolidation, registry)
    cells = list(csv.reader(io.StringIO(written.removeprefix("\ufeff"), newline="")))

    def plain() -> str:
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\r\n").writerows(cells)
        return "\ufeff" + buffer.getvalue()

    assert plain() == written, "the floor must write the very same file"
    floor = median_time(plain, repeat)
    figure = median_time(lambda: render_csv(consolidation, registry), repeat)
    return [
        Row(f"csv.writer: the same {len(cells)} rows, cells already text", floor),
        Row(
            f"render_csv: {n} units from their consolidation",
            figure,
            "csv.writer",
            floor,
            1.5,
        ),
    ]
