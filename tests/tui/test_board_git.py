"""The board with history on: F2 commits, g syncs in a worker, conflicts resolved on the form.

Real git in temp folders: a bare origin and two clones (the district office and the
province), as in tests/offices; the board runs on the district's clone.
"""

from __future__ import annotations

import threading

import pytest
from rich.cells import cell_len
from textual.widgets import Input, Static

from bluezone_tui.day.state import State
from bluezone_tui.git import repository as repository_module
from bluezone_tui.git import sync as sync_module
from bluezone_tui.tui.app import BoardApp
from bluezone_tui.tui.screens.conflict import ConflictScreen
from bluezone_tui.tui.screens.entry import EntryScreen
from helpers.data import DEMO_DAY
from helpers.offices import DAY, clone, make_origin, needs_git, registry_text
from helpers.pilot import board_app, footer_drawn, keys_handled, notified, press, wait_for

pytestmark = needs_git
UNIT = "xa-long-khanh-b"
OTHER = "xa-thuong-lac"


def board(office, hour=16, minute=0) -> BoardApp:  # type: ignore[no-untyped-def]
    return board_app(office.path, DEMO_DAY, (hour, minute), poll=0.1)


def state_of(app, unit_id):  # type: ignore[no-untyped-def]
    if app.board.consolidation is None:
        return None
    return app.board.consolidation.status.of(unit_id).state


def sync_bar(app) -> str:  # type: ignore[no-untyped-def]
    return str(app.board.query_one("#sync-bar", Static).render())


def clock_bar(app) -> str:  # type: ignore[no-untyped-def]
    return str(app.board.query_one("#clock-bar", Static).render())


def conflict_in(offices):  # type: ignore[no-untyped-def]
    """The same unit keyed in both offices; the district's sync stops at the conflict."""
    district, province = offices
    district.submit(UNIT, "14:40", "residents_installed=433", "--reported-at", "14:30", who="lan")
    assert district.sync()[0] == 0 and province.sync()[0] == 0
    district.submit(UNIT, "15:02", "residents_installed=450", who="lan")
    province.submit(UNIT, "15:05", "residents_installed=445", who="minh")
    assert province.sync()[0] == 0
    assert district.sync()[0] == 1
    return district, province


async def open_form(pilot, name: str) -> None:  # type: ignore[no-untyped-def]
    await press(pilot, "slash", *name, "enter")
    await pilot.pause()


async def test_f2_on_the_board_commits_the_save(offices, wait_for):
    district, _ = offices
    app = board(district)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: app.board.consolidation is not None)
        await open_form(pilot, "long khanh b")
        await press(pilot, *"433", "f2")
        assert await wait_for(pilot, lambda: not isinstance(app.screen, EntryScreen))
        assert await wait_for(pilot, lambda: state_of(app, UNIT) is State.LATE)
    subject = district.log("-1")[0]
    assert subject.startswith(f"{UNIT} {DAY}: báo cáo mới") and "433" in subject
    assert district.git("log", "-1", "--format=%an").strip() == "thu.ky"  # the login user
    assert district.git("status", "--porcelain") == ""


async def test_a_save_during_a_sync_waits_then_is_refused_and_loses_nothing(
    offices, wait_for, monkeypatch
):
    district, _ = offices
    monkeypatch.setattr(repository_module, "SAVE_WAIT_SECONDS", 0.3)
    app = board(district)
    held, release = threading.Event(), threading.Event()

    def a_sync_merging() -> None:  # what `bluezone sync` holds during its merge
        with app.repository.lock("đang đồng bộ", 1):  # type: ignore[union-attr]
            held.set()
            release.wait(10)

    holder = threading.Thread(target=a_sync_merging)
    holder.start()
    try:
        assert held.wait(5)
        async with app.run_test(size=(80, 24)) as pilot:
            await wait_for(pilot, lambda: app.board.consolidation is not None)
            await open_form(pilot, "long khanh b")
            await press(pilot, *"433", "f2")
            # F2 handled (held in the typeahead until the save is over), then the save over
            assert await wait_for(pilot, lambda: keys_handled(app) and not app.screen.saving)
            assert isinstance(app.screen, EntryScreen)  # still open, the figure still typed
            assert app.screen.query_one("#in-residents_installed", Input).value == "433"
            assert await notified(pilot, "đang bận", "đang đồng bộ", "số bạn gõ vẫn còn")
            assert not district.file(DAY, UNIT).exists()
            release.set()
            holder.join()
            await press(pilot, "f2")  # the sync is over: the same F2 saves and commits
            assert await wait_for(pilot, lambda: not isinstance(app.screen, EntryScreen))
    finally:
        release.set()
        holder.join()
    assert district.figures(UNIT)["figures"]["residents_installed"] == 433
    assert district.log("-1")[0].startswith(f"{UNIT} {DAY}")


async def test_g_syncs_in_a_worker_and_shows_what_waits(offices, wait_for, monkeypatch):
    district, province = offices
    fetching, network = threading.Event(), threading.Event()
    real_fetch = sync_module._fetch

    def slow_fetch(*args):  # type: ignore[no-untyped-def]
        fetching.set()
        network.wait(10)
        return real_fetch(*args)

    province.submit(OTHER, "14:41", "residents_installed=700", "--reported-at", "14:35")
    assert province.sync()[0] == 0
    district.submit(UNIT, "14:40", "residents_installed=433", "--reported-at", "14:30")
    district.git("fetch", "--quiet")  # what the last sync saw: one to send, one to take
    # the network is slow from here on: for the board's sync, not for the setup above
    monkeypatch.setattr(sync_module, "_fetch", slow_fetch)
    app = board(district)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: app.board.consolidation is not None)
        assert await wait_for(pilot, lambda: "chờ gửi 1 · chờ nhận 1" in sync_bar(app))
        assert "chưa đồng bộ lần nào" in sync_bar(app)
        assert state_of(app, OTHER) is State.MISSING
        await press(pilot, "g")
        # the sync runs in its worker: while it waits on the network, the board answers keys
        assert await wait_for(pilot, lambda: fetching.is_set(), timeout=10)
        assert app.board.syncing and "đang đồng bộ" in sync_bar(app)
        await press(pilot, "f")
        assert app.board.table.only_unfinished
        network.set()
        assert await wait_for(pilot, lambda: not app.board.syncing, timeout=30)
        assert await wait_for(pilot, lambda: state_of(app, OTHER) is State.ON_TIME)
        assert await wait_for(pilot, lambda: "chờ gửi 0 · chờ nhận 0" in sync_bar(app))
        assert "lần cuối 16:00" in sync_bar(app)
    assert province.sync("16:05")[0] == 0
    assert province.figures(UNIT)["figures"]["residents_installed"] == 433


async def test_a_pulled_units_yaml_is_reloaded_by_the_board(offices, wait_for):
    district, province = offices
    registry = province.path / "units.yaml"
    registry.write_text(
        registry.read_text(encoding="utf-8").replace(
            "name: Xã Thường Lạc", "name: Xã Thường Lạc Mới"
        ),
        encoding="utf-8",
    )
    province.git("commit", "--quiet", "-am", "Đổi tên xã")
    assert province.sync()[0] == 0
    app = board(district)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: app.board.consolidation is not None)
        assert app.registry.unit(OTHER).name == "Xã Thường Lạc"
        await press(pilot, "g")
        assert await wait_for(pilot, lambda: app.registry.unit(OTHER).name.endswith("Mới"), 30)
        assert await wait_for(
            pilot,
            lambda: app.board.consolidation.status.of(OTHER).unit.name.endswith("Mới"),
        )
        assert app.store.registry is app.registry


async def test_sync_every_n_minutes_by_itself(tmp_path, git_env, capsys, wait_for):
    origin, _ = make_origin(tmp_path, registry_text(extra="\nsync: {every: 5}"))
    district = clone(origin, tmp_path / "huyen", "huyen", capsys)
    district.submit(UNIT, "14:40", "residents_installed=433", "--reported-at", "14:30")
    app = board(district)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: app.board.consolidation is not None)
        # the clock's tick at mount set the next sync 5 minutes on, at 16:05
        assert await wait_for(pilot, lambda: "chưa đồng bộ lần nào" in sync_bar(app))
        app.clock.advance(minutes=4)
        # a tick at 16:04 (the clock bar shows it, then looks at the next sync): none yet
        assert await wait_for(pilot, lambda: "16:04:00" in clock_bar(app))
        assert not app.board.syncing and "chưa đồng bộ lần nào" in sync_bar(app)
        app.clock.advance(minutes=1)
        assert await wait_for(pilot, lambda: "lần cuối 16:05" in sync_bar(app), timeout=30)
    pushed = district.git("log", "-1", "--format=%s", "origin/main")
    assert pushed.startswith(f"{UNIT} {DAY}")


async def test_a_conflict_is_xung_dot_and_keeping_a_side_resolves_it(offices, wait_for):
    district, province = conflict_in(offices)
    app = board(district, 16, 10)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: app.board.consolidation is not None)
        assert state_of(app, UNIT) is State.CONFLICT
        assert await wait_for(pilot, lambda: "còn xung đột" in sync_bar(app))
        await open_form(pilot, "long khanh b")
        assert await wait_for(pilot, lambda: isinstance(app.screen, ConflictScreen))
        screen = app.screen
        text = " ".join(str(w.render()) for w in screen.query(Static))
        assert "450" in text and "445" in text and "lan 15:02" in text and "minh 15:05" in text
        assert screen.query_one("#in-residents_installed", Input).value == ""  # they differ
        assert screen.query_one("#in-teams_formed", Input).value == screen.initial["teams_formed"]
        await press(pilot, "f6", "f2")  # keep what came in (the province's)
        assert await wait_for(pilot, lambda: not isinstance(app.screen, ConflictScreen), 15)
        assert await wait_for(pilot, lambda: state_of(app, UNIT) is State.ON_TIME)
        assert await wait_for(pilot, lambda: "còn xung đột" not in sync_bar(app))
        assert await wait_for(pilot, lambda: "chờ gửi 2 · chờ nhận 0" in sync_bar(app))
    resolved = district.figures(UNIT)
    assert resolved["figures"]["residents_installed"] == 445
    assert resolved["revision"] == 3 and resolved["entered_by"] == "thu.ky"
    assert len(district.git("log", "-1", "--format=%P").split()) == 2  # the merge, committed
    message = district.git("log", "-1", "--format=%B")
    assert "giữ 445" in message and "bỏ 450" in message and "lan" in message
    assert district.git("status", "--porcelain") == ""
    code, out, _ = district.run("history", UNIT, "--date", DAY)
    assert code == 0 and "450" in out and "giải quyết xung đột" in out


async def test_typed_final_figures_resolve_the_conflict(offices, wait_for):
    district, _ = conflict_in(offices)
    app = board(district, 16, 10)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: app.board.consolidation is not None)
        await open_form(pilot, "long khanh b")
        assert await wait_for(pilot, lambda: isinstance(app.screen, ConflictScreen))
        await press(pilot, "f2")  # nothing chosen for the disputed figure: refused, said where
        await pilot.pause()
        message = str(app.screen.query_one("#msg-residents_installed", Static).render())
        assert "hai bên khác nhau" in message
        assert "cột «Số cuối cùng»" in message and "F5" in message  # the form's own keys
        assert "--keep" not in message and "=…" not in message
        assert district.git("status", "--porcelain").startswith("UU")  # nothing written
        await press(pilot, *"448", "f2")
        assert await wait_for(pilot, lambda: not isinstance(app.screen, ConflictScreen), 15)
    assert district.figures(UNIT)["figures"]["residents_installed"] == 448
    message = district.git("log", "-1", "--format=%B")
    assert "giữ 448" in message and "bỏ 450" in message and "bỏ 445" in message


@pytest.mark.parametrize("size", [(80, 24), (60, 20)], ids=lambda s: f"{s[0]}x{s[1]}")
def test_conflict_form_snapshot(offices, snap_compare, size):
    district, _ = conflict_in(offices)
    app = board(district, 16, 10)

    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        assert await wait_for(pilot, lambda: app.board.consolidation is not None)
        await open_form(pilot, "long khanh b")
        assert await wait_for(pilot, lambda: isinstance(app.screen, ConflictScreen))
        for widget in app.screen.query(Input):
            widget.cursor_blink = False
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", [(60, 20), (80, 24)])
async def test_with_history_on_the_sync_line_names_g_and_every_footer_key_fits(offices, size):
    district, _ = offices
    app = board(district)
    async with app.run_test(size=size) as pilot:
        assert await wait_for(
            pilot, lambda: "chờ gửi" in sync_bar(app) or "chưa có kho chung" in sync_bar(app)
        )
        shown = [b.description for b in app.board.BINDINGS if b.show]
        lines = await footer_drawn(pilot, shown)
        assert any(line.strip().startswith("g đồng bộ ·") for line in lines), lines
        footer = lines[-1]
        for description in shown:
            assert description in footer, (description, footer)
        assert cell_len(footer.rstrip()) <= size[0]
