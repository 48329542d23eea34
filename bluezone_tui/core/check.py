"""`bluezone check`: every problem in the registry and the submission files, not just the first.

Like `hledger check`: one `path:line:col: message` per problem, so an editor can jump
to each; and, unlike it, one line saying what was checked, so a clerk can tell it ran.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from .problems import Problem
from .registry import load_registry
from .status import unit_status
from .store import DAY_DIR_RE, Store
from .submission import Submission

_IGNORED_IN_ROOT = {".gitkeep", ".gitignore", "README.md", "README"}


@dataclass(slots=True)
class CheckReport:
    """What `check` found, and what it looked at: a clean check still says it ran."""

    problems: list[Problem]
    units: int
    groups: int
    days: int = 0
    files: int = 0


def check_data(data_dir: Path, only_day: date | None = None) -> CheckReport:
    """Every problem found, registry warnings first. A registry or a submissions/ folder
    that cannot be used at all raises ConfigError, as for every other command (exit 2)."""
    registry = load_registry(data_dir)
    problems: list[Problem] = list(registry.warnings)
    report = CheckReport(problems, units=len(registry.units), groups=len(registry.groups))
    store = Store(data_dir, registry)
    store.require_usable()
    problems.extend(_root_problems(store))
    # No moment of viewing: check reports what the files hold, whatever the clock says.
    now = None
    if only_day is not None:
        days = [only_day]
        previous: dict[str, Submission] = store.previous(only_day)
    else:
        days = store.days()
        previous = {}
    for day in days:
        files = store.read_day(day)
        report.days += 1
        report.files += len(files.files)
        problems.extend(files.stray)
        for unit_id, parsed in files.files.items():
            unit = registry.by_id[unit_id]
            state = unit_status(
                registry,
                unit,
                day,
                now,
                parsed.problems,
                parsed.submission,
                previous.get(unit_id),
                parsed.path,
            )
            problems.extend(state.problems)
            if state.submission is not None and not any(p.is_error for p in state.problems):
                previous[unit_id] = state.submission
    return report


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
