"""Writing the day's reports to files: the board's `x` and anything scripted."""

from __future__ import annotations

import contextlib
import os
import tempfile
from datetime import date, datetime
from pathlib import Path

from .consolidate import consolidate
from .problems import RefusedError
from .report_csv import render_csv
from .report_text import render_text
from .status import load_status
from .store import Store


def write_atomically(path: Path, content: str) -> None:
    """Write via a temp file and rename, so a reader never sees half a report."""
    temp: Path | None = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        # a temp name of its own: two staff exporting at once never mix their files
        fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        temp = Path(name)
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(content)
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
    """The text and CSV reports of `day`, as `bluezone export` makes them, into `folder`."""
    consolidation = consolidate(load_status(store, day, now))
    stem = f"bao-cao-bluezone-{day.isoformat()}"
    text_path = folder / f"{stem}.txt"
    csv_path = folder / f"{stem}.csv"
    write_atomically(text_path, render_text(consolidation, store.registry))
    write_atomically(csv_path, render_csv(consolidation, store.registry, delimiter))
    return [text_path, csv_path]
