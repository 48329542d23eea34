"""The one path from files to figures: each file validated once, against the unit's last
valid earlier report, and every problem placed from the parse."""

from __future__ import annotations

import os
import re
from datetime import date

from bluezone_tui.day.check import check_data
from bluezone_tui.day.loader import earlier_report, load_day
from bluezone_tui.day.state import State
from bluezone_tui.day.trend import build_trend
from helpers.data import at

DAY = date(2020, 8, 20)
DAY_25 = date(2020, 8, 25)
DAY_26 = date(2020, 8, 26)


def test_previous_is_last_valid_earlier_submission(demo_store):
    def previous(unit_id, day=DAY_25):
        return earlier_report(demo_store, unit_id, day, at(day, 23))

    # xa-thuong-phuoc-2 did not report on the 24th: its previous is from the 23rd
    assert previous("xa-thuong-phuoc-2").day == date(2020, 8, 23)
    assert previous("xa-long-khanh-b").day == date(2020, 8, 24)
    assert all(previous(unit.id, DAY) is None for unit in demo_store.registry.units)
    # a broken file is skipped: the one before it is used
    broken = demo_store.path_for(date(2020, 8, 24), "xa-long-khanh-b")
    broken.write_text("<<<<<<< HEAD\n")
    assert previous("xa-long-khanh-b").day == date(2020, 8, 23)
    # the same rule for the day's status as for the form's "trước:"
    status = load_day(demo_store, DAY_25, at(DAY_25, 23)).status
    assert status.of("xa-long-khanh-b").previous.day == date(2020, 8, 23)


def test_history_lists_valid_submissions_oldest_first(demo_store):
    history = build_trend(demo_store, DAY_26, at(DAY_26, 23)).reports["xa-long-khanh-b"]
    assert [s.day for s in history] == [date(2020, 8, d) for d in range(20, 27)]
    installs = [s.figures["residents_installed"] for s in history]
    assert installs == sorted(installs)


def _confirm_a_decrease_without_a_note(store, day):
    """A file that confirms a lower cumulative figure but gives no reason: an error, and
    only against the day before (where the figure was higher)."""
    path = store.path_for(day, "xa-long-khanh-b")
    text = path.read_text(encoding="utf-8")
    text = re.sub(r"residents_installed = \d+", "residents_installed = 100", text)
    text = text.replace(
        "\n[figures]",
        '\nconfirmations = [{ warning = "decrease:residents_installed", by = "lan" }]\n\n[figures]',
    )
    path.write_text(text, encoding="utf-8")
    return path


def test_a_file_that_is_an_error_on_its_day_is_not_carried_into_the_next(demo_store):
    """Validity is decided once, with the earlier report: a decrease confirmed without a
    note is 'lỗi tệp' on the 25th, so the 26th (no report) carries the 24th, not it."""
    _confirm_a_decrease_without_a_note(demo_store, DAY_25)
    demo_store.path_for(DAY_26, "xa-long-khanh-b").unlink()
    on25 = load_day(demo_store, DAY_25, at(DAY_25, 17)).status.of("xa-long-khanh-b")
    assert on25.state is State.FILE_ERROR
    assert [p.code for p in on25.problems if p.is_error] == ["note-required:residents_installed"]
    row = next(
        r for r in load_day(demo_store, DAY_26, at(DAY_26, 17)).rows if r.unit.id == on25.unit.id
    )
    assert row.carried_from == date(2020, 8, 24)
    assert row.headline != 100
    assert earlier_report(demo_store, "xa-long-khanh-b", DAY_26, at(DAY_26, 17)).day == date(
        2020, 8, 24
    )
    # `check` says the same, for the whole data folder and for the day alone
    for only_day in (None, DAY_25):
        found = check_data(demo_store.data_dir, only_day).problems
        codes = [p.code for p in found if p.is_error]
        assert codes == ["note-required:residents_installed"], only_day


def test_problems_are_placed_from_the_parse_without_reading_the_file_again(demo_store, monkeypatch):
    """A figure above the unit's population is found after the parse (a rule of the form):
    its line and column come from the parse, even if the file cannot be opened again."""
    path = demo_store.path_for(DAY_25, "xa-long-khanh-b")
    text = re.sub(r"residents_installed = \d+", "residents_installed = 69100", path.read_text())
    path.write_text(text)
    load_day(demo_store, DAY_25, at(DAY_25, 17))  # parsed: from here on the cache answers
    real_open = os.open

    def refuse_the_file(name, *args, **kwargs):  # type: ignore[no-untyped-def]
        if os.fspath(name) == str(path):
            raise PermissionError(13, "no second read", str(path))
        return real_open(name, *args, **kwargs)

    monkeypatch.setattr(os, "open", refuse_the_file)
    status = load_day(demo_store, DAY_25, at(DAY_25, 17)).status.of("xa-long-khanh-b")
    assert status.state is State.FILE_ERROR
    (problem,) = [p for p in status.problems if p.is_error]
    assert problem.path == path
    assert (problem.line, problem.column) == (
        text.splitlines().index("residents_installed = 69100") + 1,
        1,
    )


def _full_read(store, day):
    """Every earlier day whole: what read_days must agree with."""
    from bluezone_tui.day.loader import walk

    days = [store.read_day(d) for d in store.days() if d < day] + [store.read_day(day)]
    *_, status = walk(store.registry, days, at(day, 23))
    return status


def _summary(status):
    return [
        (
            s.unit.id,
            s.state,
            s.latest and (s.latest.day, s.latest.revision, dict(s.latest.figures)),
            s.previous and s.previous.day,
            tuple(p.message for p in s.problems),
        )
        for s in status.units
    ]


def test_reading_back_a_few_reports_agrees_with_reading_the_whole_history(demo_store):
    """read_days stops a unit's look back after its last few reports; on histories with
    gaps, broken files and unexplained decreases it gives what a full read gives."""
    import random

    from bluezone_tui.day.loader import load_status

    rng = random.Random(20200820)
    paths = [
        demo_store.path_for(day, unit.id)
        for day in demo_store.days()
        for unit in demo_store.registry.units
        if demo_store.path_for(day, unit.id).exists()
    ]
    rng.shuffle(paths)
    for n, path in enumerate(paths[:60]):
        action = n % 3
        if action == 0:
            path.unlink()
        elif action == 1:
            path.write_text("<<<<<<< HEAD\n", encoding="utf-8")
        else:
            # a lower cumulative figure confirmed without a reason: invalid against the
            # day before, so the look back must go past it
            text = re.sub(r"(_installed = )\d+", r"\g<1>1", path.read_text(encoding="utf-8"))
            text = text.replace(
                "\n[figures]",
                '\nconfirmations = [{ warning = "decrease:residents_installed", by = "lan" }]'
                "\n\n[figures]",
            )
            path.write_text(text, encoding="utf-8")
        for day in (DAY_25, DAY_26):
            bounded = load_status(demo_store, day, at(day, 23))
            assert _summary(bounded) == _summary(_full_read(demo_store, day)), (n, path)


def test_a_year_of_folders_is_not_read_for_todays_figures(demo_store):
    """Each unit's look back stops after its last few reports: a unit that reports every
    day costs three earlier files, however many folders there are."""
    from collections import Counter

    from bluezone_tui.day.loader import EARLIER_REPORTS_READ, read_days

    days = read_days(demo_store, DAY_26)
    read = Counter(unit_id for files in days[:-1] for unit_id in files.files)
    assert max(read.values()) == EARLIER_REPORTS_READ
    assert read["xa-long-khanh-b"] == EARLIER_REPORTS_READ  # it reported on all six days
    assert days[-1].day == DAY_26 and len(days[-1].files) == len(
        os.listdir(demo_store.day_dir(DAY_26))
    )
