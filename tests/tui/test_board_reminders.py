"""The board and reminders: the line under the sync line says the last round and what it
sent (red when a message failed); `r` says per unit when it was reminded and by what,
a failure in red with the channel's reason; and while the board is open at the sending
office, a due round goes from its timer through the same code as cron's --send."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from textual.color import Color
from textual.widgets import Static

from bluezone_tui.cli.main import main
from bluezone_tui.deliver.outbox import FAILED, SENT, Outbox, Outgoing
from bluezone_tui.tui.screens.remind import RemindScreen
from helpers.data import SHIPPED_REGISTRY, TZ, copy_shipped
from helpers.pilot import board_app, loaded, press, screen_lines, wait_for
from helpers.reminders import NOT_REPORTED_0826, SENDER
from helpers.smtp import PASSWORD, with_server

DAY = date(2020, 8, 26)


def bar(app, name: str = "#rounds-bar") -> Static:  # type: ignore[no-untyped-def]
    return app.screen.query_one(name, Static)


def text_of(widget: Static) -> str:
    return str(widget.render())


@pytest.fixture
def office(tmp_path, smtp_ssl, monkeypatch, capsys):
    data = copy_shipped(tmp_path / "demo")
    text = with_server(SHIPPED_REGISTRY.read_text("utf-8"), smtp_ssl)
    (data / "units.yaml").write_text(text, encoding="utf-8")
    monkeypatch.setenv("BLUEZONE_OFFICE", SENDER)
    monkeypatch.setenv("BLUEZONE_SMTP_PASSWORD", PASSWORD)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))

    def cli(*args: str) -> int:
        code = main(["--data", str(data), *args])
        capsys.readouterr()
        return code

    return data, smtp_ssl, cli


async def test_the_board_shows_the_round_cron_sent(office):
    """The issue's "done when": after `remind --send` at 14:00, the board shows the round."""
    data, server, cli = office
    assert cli("remind", "--send", "--confirm", "--now", "2020-08-26T14:00") == 0
    assert len(server.received) == 4
    app = board_app(data, DAY, (14, 1, 0))
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        assert await wait_for(pilot, lambda: text_of(bar(app)))
        assert text_of(bar(app)) == "nhắc 14:00 (nhac-14h): đã gửi 4 tin"
        assert not bar(app).has_class("-failed")
        assert any("nhắc 14:00 (nhac-14h): đã gửi 4 tin" in line for line in screen_lines(app))
        await press(pilot, "r")
        assert await wait_for(pilot, lambda: isinstance(app.screen, RemindScreen))
        assert await wait_for(pilot, lambda: text_of(bar(app, "#remind-sent")))
        assert text_of(bar(app, "#remind-sent")) == (
            "Nhắc tự động: đã nhắc 14:00 qua email tới xa-thuong-lac@hongngu.example"
        )
        lines = "\n".join(screen_lines(app))
        assert "Xã Thường Lạc — 0277 3800 105 · đã nhắc 14:00" in lines


def fail_one(data, unit: str, reason: str) -> None:
    outbox = Outbox(data, TZ)
    moment = datetime(2020, 8, 26, 14, 0, 5, tzinfo=TZ)
    outgoing = Outgoing(DAY, "nhac-14h", "sms", unit, "Xã Long Khánh B", ("0912000107",), "", "…")
    record, _ = outbox.write(outgoing, moment)
    outbox.finish(record, moment, FAILED, reason=reason)
    other = Outgoing(
        DAY, "nhac-14h", "sms", "xa-long-thuan", "Xã Long Thuận", ("0912000108",), "", "…"
    )
    record, _ = outbox.write(other, moment)
    outbox.finish(record, moment, SENT, reply="cổng SMS: HTTP 200 OK")


async def test_a_failure_is_red_with_the_channels_reason(office):
    data, _server, _cli = office
    reason = "cổng SMS 127.0.0.1:8080 từ chối khóa (HTTP 401 Unauthorized); chưa gửi"
    fail_one(data, "xa-long-khanh-b", reason)
    app = board_app(data, DAY, (14, 1, 0))
    async with app.run_test(size=(120, 30)) as pilot:
        await loaded(pilot)
        assert await wait_for(pilot, lambda: text_of(bar(app)))
        assert text_of(bar(app)) == f"nhắc 14:00 (nhac-14h): đã gửi 1 tin · lỗi 1: {reason}"
        assert bar(app).has_class("-failed")
        assert bar(app).styles.color == Color.parse(app.theme_variables["error"])
        await press(pilot, "r")
        assert await wait_for(pilot, lambda: isinstance(app.screen, RemindScreen))
        await press(pilot, "down")  # Xã Long Khánh B
        assert await wait_for(pilot, lambda: bar(app, "#remind-sent").has_class("-failed"))
        # the line was hidden (no width yet): its text is fitted once it is laid out
        expected = f"Nhắc tự động: nhắc 14:00 qua SMS: lỗi: {reason}"
        assert await wait_for(pilot, lambda: text_of(bar(app, "#remind-sent")) == expected)
        lines = "\n".join(screen_lines(app))
        assert "Xã Long Khánh B — 0277 3800 107 · nhắc lỗi" in lines


async def test_the_boards_timer_sends_a_due_round_once(office):
    data, server, cli = office
    assert cli("remind", "--send", "--confirm", "--now", "2020-08-26T13:00") == 0  # started
    assert server.received == []
    app = board_app(data, DAY, (13, 59, 0))
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        app.board.check_rounds()
        assert await wait_for(pilot, lambda: not app.board.sending_rounds)
        assert server.received == []  # not yet 14:00
        app.clock.advance(minutes=1)
        app.board.check_rounds()
        assert await wait_for(pilot, lambda: len(server.received) == 4, timeout=20)
        assert sorted(g.rcpt_tos[0] for g in server.received) == sorted(
            f"{unit}@hongngu.example" for unit in NOT_REPORTED_0826
        )
        assert await wait_for(pilot, lambda: "đã gửi 4 tin" in text_of(bar(app)))
        assert await wait_for(pilot, lambda: not app.board.sending_rounds)
        app.clock.advance(minutes=5)
        app.board.check_rounds()  # due still: nothing new
        assert await wait_for(pilot, lambda: not app.board.sending_rounds)
        await pilot.pause(0.3)
        assert len(server.received) == 4


async def test_the_board_of_another_office_sends_nothing(office, monkeypatch):
    data, server, cli = office
    assert cli("remind", "--send", "--confirm", "--now", "2020-08-26T13:00") == 0
    monkeypatch.setenv("BLUEZONE_OFFICE", "tinh")
    app = board_app(data, DAY, (14, 0, 0))
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        app.board.check_rounds()
        assert await wait_for(pilot, lambda: not app.board.sending_rounds)
        await pilot.pause(0.3)
        assert server.received == [] and text_of(bar(app)) == ""


async def test_not_started_the_board_sends_nothing(office):
    data, server, _cli = office
    app = board_app(data, DAY, (14, 0, 0))
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        app.board.check_rounds()
        assert await wait_for(pilot, lambda: not app.board.sending_rounds)
        await pilot.pause(0.3)
        assert server.received == [] and not (data / "outbox").exists()
