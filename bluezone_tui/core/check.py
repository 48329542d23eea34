"""`bluezone check`: every problem in the registry and the submission files, not just the first.

Like `hledger check`: silent when all is well; otherwise one `path:line:col:
message` per problem, so an editor can jump to each.
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

from .loader import read_days, walk
from .problems import Problem
from .registry import load_registry
from .store import DAY_DIR_RE, Store

_IGNORED_IN_ROOT = {".gitkeep", ".gitignore", "README.md", "README"}


def check_data(data_dir: Path, only_day: date | None = None) -> list[Problem]:
    """Every problem found, registry warnings first. A registry or a submissions/ folder
    that cannot be used at all raises ConfigError, as for every other command (exit 2).

    Each file is checked as the board counts it (against the unit's last valid earlier
    report), with no moment of viewing: what the files hold, whatever the clock says.
    """
    registry = load_registry(data_dir)
    problems: list[Problem] = list(registry.warnings)
    store = Store(data_dir, registry)
    store.require_usable()
    problems.extend(_root_problems(store))
    if only_day is not None:
        *_, status = walk(registry, read_days(store, only_day), None)
        return problems + status.problems
    days = [store.read_day(day) for day in store.days()]
    for status in walk(registry, days, None):
        problems.extend(status.problems)
    return problems


def _root_problems(store: Store) -> list[Problem]:
    try:
        entries = list(os.scandir(store.root))
    except OSError:  # missing: a new data folder; unusable: require_usable() said so
        return []
    found = []
    for entry in entries:
        if entry.name in _IGNORED_IN_ROOT or entry.name.startswith("."):
            continue
        if entry.is_dir() and DAY_DIR_RE.match(entry.name):
            try:
                date.fromisoformat(entry.name)
                continue
            except ValueError:
                pass
        found.append(
            Problem(
                "submissions/ chỉ chứa thư mục ngày dạng YYYY-MM-DD; mục này bị bỏ qua",
                path=Path(entry.path),
                severity="warning",
            )
        )
    return found
