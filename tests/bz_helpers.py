"""Constants and helpers shared by the core and CLI tests (imported as `bz_helpers`)."""

from __future__ import annotations

import os
import tomllib
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import bluezone_tui

REPO = Path(bluezone_tui.__file__).resolve().parent.parent
SHIPPED_REGISTRY = REPO / "units.yaml"
SHIPPED_SUBMISSIONS = REPO / "submissions"
TZ = ZoneInfo("Asia/Ho_Chi_Minh")
DEMO_DAY = date(2020, 8, 20)
DEMO_DAYS = [date(2020, 8, d) for d in range(20, 27)]


def at(day: date, hour: int, minute: int = 0, second: int = 0) -> datetime:
    """An instant on `day` in the registry's timezone (Asia/Ho_Chi_Minh)."""
    return datetime(day.year, day.month, day.day, hour, minute, second, tzinfo=TZ)


def read_demo(day: date, unit_id: str) -> dict:
    """The shipped demo file, parsed independently of the package (for cross-checks)."""
    return tomllib.loads((SHIPPED_SUBMISSIONS / day.isoformat() / f"{unit_id}.toml").read_text())


def read_until_closed(primary: int) -> bytes:
    """All a process wrote to a pseudo-terminal, read from its primary side until the
    secondary side is closed (EIO on Linux, or end of file)."""
    output = b""
    while True:
        try:
            chunk = os.read(primary, 4096)
        except OSError:
            return output
        if not chunk:
            return output
        output += chunk
