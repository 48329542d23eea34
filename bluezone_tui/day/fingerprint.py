"""The data a day's report is made from, as one digest: where there is no git commit to name.

A report of a day is made from `units.yaml` and the day files of that day and the days
before it (carried figures, changes since the last report): the same files `export
--as-of` reads from a commit. Their digest names that data in a PDF's metadata when the
data folder keeps no history, or holds changes not committed yet.
"""

from __future__ import annotations

import hashlib
import os
from datetime import date
from pathlib import Path

from bluezone_tui.day.store import DAY_DIR_RE, SUBMISSIONS_DIR
from bluezone_tui.registry.model import REGISTRY_FILE

DIGEST_PREFIX = "sha256:"


def report_files(data_dir: Path, day: date) -> list[str]:
    """units.yaml and every day file up to `day`, as paths relative to the data folder
    (forward slashes), sorted."""
    found = [REGISTRY_FILE] if (data_dir / REGISTRY_FILE).is_file() else []
    folder = data_dir / SUBMISSIONS_DIR
    try:
        days = sorted(
            entry.name
            for entry in os.scandir(folder)
            if DAY_DIR_RE.match(entry.name) and entry.name <= day.isoformat()
        )
    except OSError:
        days = []
    for name in days:
        try:
            files = sorted(
                entry.name
                for entry in os.scandir(folder / name)
                if entry.name.endswith(".toml") and entry.is_file()
            )
        except OSError:
            continue
        found += [f"{SUBMISSIONS_DIR}/{name}/{file}" for file in files]
    return found


def data_digest(data_dir: Path, day: date) -> str:
    """ "sha256:…" over the files a report of `day` is made from: each one's path and bytes."""
    digest = hashlib.sha256()
    for relative in report_files(data_dir, day):
        try:
            content = (data_dir / relative).read_bytes()
        except OSError:
            continue  # gone while read: the report counted it as missing too
        digest.update(relative.encode("utf-8") + b"\0")
        digest.update(str(len(content)).encode() + b"\0" + content)
    return DIGEST_PREFIX + digest.hexdigest()
