"""`bluezone check`: every problem in the registry and the submission files, not just the first
(and, in a data folder shared by a group, whatever in it the group cannot write).

Like `hledger check`: one `path:line:col: message` per problem, so an editor can jump
to each; and, unlike it, one line saying what was checked, so a clerk can tell it ran.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from bluezone_tui.base.problems import Problem
from bluezone_tui.base.sharing import sharing_problems
from bluezone_tui.day.loader import CARRIED_PAST_BROKEN, read_days, walk
from bluezone_tui.day.store import Store
from bluezone_tui.registry.load import load_registry


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
    that cannot be used at all raises ConfigError, as for every other command (exit 2).

    Each file is checked as the board counts it (against the unit's last valid earlier
    report), with no moment of viewing: what the files hold, whatever the clock says.
    Over every day, a figure carried past a broken file is the views' business: the
    file itself is named. Checking one day, that day is a view: a figure it would carry
    past a broken or misnamed earlier file is named, and an error, as status says it.
    """
    registry = load_registry(data_dir)
    problems: list[Problem] = list(registry.warnings)
    report = CheckReport(problems, units=len(registry.units), groups=len(registry.groups))
    store = Store(data_dir, registry)
    store.require_usable()
    problems.extend(sharing_problems(data_dir))  # a shared folder the group cannot write
    skipped = store.skipped_in_root(only_day)  # named once, not with each day it concerns
    problems.extend(skipped)
    listed = {problem.path for problem in skipped}
    if only_day is not None:  # its files, checked against the reports before it
        days = read_days(store, only_day)
        checked = days[-1:]
    else:
        days = checked = [store.read_day(day) for day in store.days()]
    first_checked = len(days) - len(checked)
    for position, status in enumerate(walk(registry, days, None)):
        if position >= first_checked:
            problems.extend(
                p
                for p in status.problems
                if (p.path is None or p.path not in listed)
                and (only_day is not None or p.code != CARRIED_PAST_BROKEN)
            )
    report.days = len(checked)
    report.files = sum(len(files.files) for files in checked)
    return report
