"""What the board calls (read_day, days, read_days, load_day) never raises for a bad data
folder: each situation comes out as a Problem with a clear Vietnamese message."""

from __future__ import annotations

import os
import shutil
from datetime import date

import pytest

from bluezone_tui.base.problems import ConfigError
from bluezone_tui.day.entry import REPORTED_AT_REQUIRED, prepare
from bluezone_tui.day.loader import earlier_report, load_day
from helpers.data import at

DAY = date(2020, 8, 20)


def _file(root):
    shutil.rmtree(root)
    root.write_text("x")


def _dangling(root):
    shutil.rmtree(root)
    root.symlink_to(root.parent / "khong-co")


def _fifo(root):
    shutil.rmtree(root)
    os.mkfifo(root)


@pytest.mark.parametrize(
    ("damage", "words"),
    [(_file, "đang là một tệp"), (_dangling, "liên kết tượng trưng hỏng"), (_fifo, "FIFO")],
)
def test_unusable_submissions_folder_is_a_problem_for_the_board(demo_store, damage, words):
    damage(demo_store.root)
    assert demo_store.days() == []
    assert earlier_report(demo_store, "xa-long-khanh-b", DAY, at(DAY, 16)) is None
    status = load_day(demo_store, DAY, at(DAY, 16)).status
    (problem,) = status.stray
    assert problem.is_error and words in problem.message and problem.path == demo_store.root
    with pytest.raises(ConfigError):  # the CLI's: exit 2
        demo_store.require_usable()


def test_a_day_folder_that_is_not_a_folder_is_named(demo_store):
    day_dir = demo_store.day_dir(DAY)
    shutil.rmtree(day_dir)
    day_dir.write_text("x")
    (problem,) = load_day(demo_store, DAY, at(DAY, 16)).status.stray
    assert problem.is_error and problem.path == day_dir


def test_prepare_asks_for_the_report_time_of_a_past_day(empty_store):
    """For the form: a past day's entry has no default report time."""
    draft = prepare(
        empty_store,
        "xa-long-khanh-b",
        DAY,
        {"residents_installed": "5"},
        now=at(date(2020, 8, 21), 9),
    )
    (problem,) = draft.errors
    assert problem.code == REPORTED_AT_REQUIRED and problem.field == "reported_at"
    draft = prepare(
        empty_store,
        "xa-long-khanh-b",
        DAY,
        {"residents_installed": "5"},
        now=at(date(2020, 8, 21), 9),
        reported_at=at(DAY, 14, 10),
    )
    assert draft.problems == () and draft.submission.reported_at == at(DAY, 14, 10)
    assert draft.submission.entered_at == at(date(2020, 8, 21), 9)
