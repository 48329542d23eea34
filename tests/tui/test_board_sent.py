"""The board shows the day's report as sent (bluezone send's outbox): on the sync line,
with and without git, updated while it runs; nothing when nothing went."""

from __future__ import annotations

from datetime import datetime

from textual.widgets import Static

from bluezone_tui.base.clock import ManualClock
from bluezone_tui.deliver.outbox import FAILED, SENT, Outbox, Outgoing, Receipt
from bluezone_tui.git.repository import open_repository
from bluezone_tui.registry.load import load_registry
from helpers.data import DEMO_DAY, TZ
from helpers.offices import needs_git
from helpers.pilot import board_app, wait_for


def sync_bar(app) -> str:  # type: ignore[no-untyped-def]
    return str(app.board.query_one("#sync-bar", Static).render())


def send(folder, recipient: str, state: str, minute: int) -> None:
    outbox = Outbox(folder, TZ)
    outgoing = Outgoing(
        DEMO_DAY, "bao-cao", "email", recipient, recipient, (f"{recipient}@x.example",), "s", "t"
    )
    moment = datetime(2020, 8, 20, 16, minute, tzinfo=TZ)
    record, _ = outbox.write(outgoing, moment)
    outbox.finish(record, moment, state, reply="250 OK", reason="" if state == SENT else "lỗi")


async def test_nothing_sent_shows_nothing_then_a_send_shows(demo_data):
    app = board_app(demo_data, DEMO_DAY, (16, 0))
    async with app.run_test() as pilot:
        assert await wait_for(pilot, lambda: app.board.consolidation is not None)
        await pilot.pause(0.3)
        assert sync_bar(app) == ""  # history off, nothing sent: the line stays empty
        send(demo_data, "ubnd", SENT, 5)
        send(demo_data, "so-tttt", FAILED, 6)
        app.board._read_outbox()
        assert await wait_for(pilot, lambda: "thư báo cáo" in sync_bar(app))
        assert sync_bar(app) == "thư báo cáo: đã gửi 16:05 tới 1/2 nơi, lỗi 1"


async def test_a_later_success_replaces_a_failure(demo_data):
    send(demo_data, "ubnd", SENT, 5)
    send(demo_data, "so-tttt", FAILED, 6)
    send(demo_data, "so-tttt", SENT, 9)
    app = board_app(demo_data, DEMO_DAY, (16, 10))
    async with app.run_test() as pilot:
        assert await wait_for(pilot, lambda: "thư báo cáo" in sync_bar(app))
        assert sync_bar(app) == "thư báo cáo: đã gửi 16:09 tới 2/2 nơi"


def test_the_board_never_makes_the_outbox_folder(demo_data):
    assert not Outbox(demo_data, TZ).in_progress()
    assert not (demo_data / "outbox").exists()
    assert Receipt().reply == ""


@needs_git
async def test_with_git_it_comes_before_the_sync(offices):
    district, _ = offices
    registry = load_registry(district.path)
    outbox = Outbox(district.path, TZ, open_repository(district.path, registry))
    outgoing = Outgoing(DEMO_DAY, "bao-cao", "email", "ubnd", "UBND", ("a@x.example",), "s", "t")
    clock = ManualClock(datetime(2020, 8, 20, 16, 5, tzinfo=TZ))
    assert outbox.deliver(outgoing, lambda: Receipt("<id@x>", "250 OK"), clock).sent
    app = board_app(district.path, DEMO_DAY, (16, 10))
    async with app.run_test() as pilot:
        assert await wait_for(pilot, lambda: "g đồng bộ ·" in sync_bar(app))
        assert await wait_for(pilot, lambda: "thư báo cáo" in sync_bar(app))
        assert sync_bar(app).startswith("thư báo cáo: đã gửi 16:05 tới 1/1 nơi · g đồng bộ · ")
