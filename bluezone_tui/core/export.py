"""Writing the day's reports to files: `bluezone export --output`, the board's `x`.

A report is written where the user pointed, never over the data it is made from, and
never by renaming a new file over a device, a FIFO or a standard stream.
"""

from __future__ import annotations

import os
from datetime import date, datetime
from pathlib import Path

from .files import write_output
from .loader import load_day
from .problems import RefusedError
from .registry import REGISTRY_FILE
from .store import SUBMISSIONS_DIR, Store


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


def write_report(path: Path, content: str, data_dir: Path) -> Path:
    """Write a report (UTF-8) to `path`; refuse data files; RefusedError on failure."""
    refuse_data_target(path, data_dir)
    try:
        if not os.path.lexists(path):
            path.parent.mkdir(parents=True, exist_ok=True)
        return write_output(path, content.encode("utf-8"))
    except OSError as exc:
        raise RefusedError(f"{path}: không ghi được: {exc.strerror}; chưa ghi gì") from None


def export_day(
    store: Store, day: date, now: datetime, folder: Path, delimiter: str = ","
) -> list[Path]:
    """The text and CSV reports of `day`, as `bluezone export` makes them, into `folder`."""
    from .report_csv import render_csv
    from .report_text import render_text

    consolidation = load_day(store, day, now)
    stem = f"bao-cao-bluezone-{day.isoformat()}"
    text_path = folder / f"{stem}.txt"
    csv_path = folder / f"{stem}.csv"
    write_report(text_path, render_text(consolidation, store.registry), store.data_dir)
    write_report(csv_path, render_csv(consolidation, store.registry, delimiter), store.data_dir)
    return [text_path, csv_path]
