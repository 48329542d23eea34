"""Keys typed across screen changes: before the board is up, around help, the trend and dialogs."""

from __future__ import annotations

import time
from datetime import date, datetime
from zoneinfo import ZoneInfo

from bluezone_tui.day.entry import submit
from bluezone_tui.day.store import Store
from bluezone_tui.registry.load import load_registry
from helpers.keystrokes import COMMUNES, RUNS, each_run, enter, last_figures
from helpers.terminal import Board, keys


def test_keys_typed_while_the_board_starts_wait_for_it(data):
    """A clerk who types as soon as the command is entered: nothing is lost."""
    for run in range(max(2, RUNS // 2)):
        name, unit = list(COMMUNES.items())[run % len(COMMUNES)]
        residents = last_figures(data, unit)["residents_installed"] + 100
        with Board(data, "2020-08-27", "2020-08-27T14:30:00") as running:
            running.send(keys("/", name, "Enter", str(residents), "Tab", "2", "F2"))
            saved = running.wait_saved(unit, 1)
            assert saved["figures"] == {"residents_installed": residents, "teams_formed": 2}
        running.path(unit).unlink()


def test_keys_typed_through_help_and_the_trend(board, data):
    running = board()
    for run, name, unit in each_run(running, COMMUNES):
        residents = last_figures(data, unit)["residents_installed"] + 100
        enter(running, run, "t", "Escape", "F1", "Escape", "?", "q",  # q closes help
              "/", name, "Enter", "F1", "Escape", str(residents), "F2")  # fmt: skip
        saved = running.wait_saved(unit, 1)
        assert saved["figures"] == {"residents_installed": residents}, run
    running.send(keys("q"))
    running.process.wait(30)
    assert running.process.returncode == 0


def test_escape_with_unsaved_figures_asks_then_keys_answer(board, data):
    running = board()
    for run, name, unit in each_run(running, COMMUNES):
        residents = last_figures(data, unit)["residents_installed"] + 100
        # Esc asks; n stays (the figure selected, replaced by what follows); Esc y leaves
        enter(running, run, "/", name, "Enter", "5", "Escape", "n", str(residents), "F2")
        saved = running.wait_saved(unit, 1)
        assert saved["figures"] == {"residents_installed": residents}, run
        enter(running, run, "/", name, "Enter", "7", "Escape", "y", "/", name, "Enter")
        running.wait_for("— bản 1")  # opened again from the file: the 7 was dropped, as asked
        running.send(keys("Escape"))
        running.wait_gone("Cột phải")  # the form's second title line
        assert running.revision(unit) == 1


def bells(running: Board) -> int:
    with running.lock:
        return running.raw.count(b"\x07")


def test_a_key_that_does_nothing_rings(board, data):
    """Nothing typed is dropped without a sound: on the board, in the form, in a dialog."""
    running = board()
    for keys_doing_nothing in (["5"], ["/", "long khanh b", "Enter", "F5"]):
        before = bells(running)
        running.send(keys(*keys_doing_nothing))
        deadline = time.monotonic() + 30
        while bells(running) == before and time.monotonic() < deadline:
            time.sleep(0.02)
        assert bells(running) > before, keys_doing_nothing
    running.send(keys("9", "F2"))  # below the last report: a question
    running.wait_for("Vẫn lưu?")
    before = bells(running)
    running.send(keys("x"))
    deadline = time.monotonic() + 30
    while bells(running) == before and time.monotonic() < deadline:
        time.sleep(0.02)
    assert bells(running) > before
    running.wait_for("Vẫn lưu?")  # still asking


def test_after_a_reload_typing_replaces_the_value(board, data):
    """The file changed while the form was open: «r» reloads, and the input is arrived at again."""
    running = board()
    store = Store(data, load_registry(data))
    tz = ZoneInfo("Asia/Ho_Chi_Minh")
    for run, name, unit in each_run(running, COMMUNES):
        residents = last_figures(data, unit)["residents_installed"] + 100
        enter(running, run, "/", name, "Enter", str(residents - 50))
        running.wait_for(str(residents - 50))
        submit(store, unit, date(2020, 8, 27), {"residents_installed": str(residents - 1)},
               now=datetime(2020, 8, 27, 14, 30, tzinfo=tz),
               reported_at=datetime(2020, 8, 27, 14, 20, tzinfo=tz))  # fmt: skip
        enter(running, run, "F2", "r", str(residents), "F2")
        saved = running.wait_saved(unit, 2)
        assert saved["figures"] == {"residents_installed": residents}, run
