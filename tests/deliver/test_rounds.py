"""Rounds: when each is due, who sends, and what the board and `r` say about them."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from bluezone_tui.deliver.outbox import FAILED, SENT, UNSURE, Outbox, Outgoing
from bluezone_tui.deliver.rounds import (
    Office,
    RoundOutcome,
    RoundPlan,
    due_rounds,
    is_sender,
    missed,
    next_slot,
    outcome_lines,
    rounds_seen,
    slots,
    tally,
    unit_line,
)
from bluezone_tui.registry.reminders import ReminderSettings, Round
from helpers.data import TZ

DAY = date(2020, 8, 26)
SETTINGS = ReminderSettings(
    sender="may-vhtt",
    rounds=(
        Round("tre-15h05", time(15, 5), ("missing",), ("sms",), within=120),
        Round("nhac-14h", time(14, 0), by=("sms",)),
        Round("nhac-14h30", time(14, 30), by=("email",), within=10),
    ),
)


def at(hour: int, minute: int, second: int = 0) -> datetime:
    return datetime(2020, 8, 26, hour, minute, second, tzinfo=TZ)


def names(rounds) -> list[str]:
    return [item.name for item in rounds]


def test_each_round_is_due_from_its_time_until_within_or_the_next_round():
    found = slots(SETTINGS, DAY, TZ)
    assert [(s.round.name, s.start, s.end) for s in found] == [
        ("nhac-14h", at(14, 0), at(14, 30)),  # 30 minutes, and the next round starts then
        ("nhac-14h30", at(14, 30), at(14, 40)),
        ("tre-15h05", at(15, 5), at(17, 5)),
    ]
    assert names(due_rounds(SETTINGS, at(13, 59, 59), TZ)) == []
    assert names(due_rounds(SETTINGS, at(14, 0), TZ)) == ["nhac-14h"]
    assert names(due_rounds(SETTINGS, at(14, 29, 59), TZ)) == ["nhac-14h"]
    assert names(due_rounds(SETTINGS, at(14, 30), TZ)) == ["nhac-14h30"]
    assert names(due_rounds(SETTINGS, at(14, 45), TZ)) == []
    assert names(s.round for s in missed(SETTINGS, at(14, 45), TZ)) == ["nhac-14h", "nhac-14h30"]
    upcoming = next_slot(SETTINGS, at(14, 45), TZ)
    assert upcoming is not None and upcoming.round.name == "tre-15h05"


def test_the_registrys_timezone_not_the_servers():
    utc = at(14, 0).astimezone(UTC)
    assert utc.hour == 7
    assert names(due_rounds(SETTINGS, utc, TZ)) == ["nhac-14h"]


def test_the_sender_by_office_name_or_host_name():
    assert is_sender(SETTINGS, Office("may-vhtt", "tên máy"))
    assert is_sender(SETTINGS, Office("MAY-VHTT.hongngu.local", "tên máy"))
    assert not is_sender(SETTINGS, Office("may-tinh", "tên máy"))
    assert not is_sender(SETTINGS, Office("", "tên máy"))


def outgoing(unit: str, round_name: str = "nhac-14h", channel: str = "sms") -> Outgoing:
    return Outgoing(DAY, round_name, channel, unit, unit.upper(), ("0912000107",), "", "Kính gửi")


def test_the_board_line_says_the_last_round_and_its_failures(tmp_path):
    outbox = Outbox(tmp_path, TZ)
    now = at(14, 0)
    for index, (unit, state, reason) in enumerate(
        [("a", SENT, ""), ("b", FAILED, "cổng SMS từ chối khóa (HTTP 401)"), ("c", SENT, "")]
    ):
        record, _ = outbox.write(outgoing(unit), now + timedelta(seconds=index))
        outbox.finish(record, now + timedelta(seconds=index), state, reason=reason)
    seen = rounds_seen(outbox.read(DAY).records, TZ)
    assert (
        seen.line == "nhắc 14:00 (nhac-14h): đã gửi 2 tin · lỗi 1: cổng SMS từ chối khóa (HTTP 401)"
    )
    assert seen.failed and set(seen.by_unit) == {"a", "b", "c"}
    text, failed = unit_line(seen.by_unit["b"], TZ)
    assert failed and text == "nhắc 14:00 qua SMS: lỗi: cổng SMS từ chối khóa (HTTP 401)"
    text, failed = unit_line(seen.by_unit["a"], TZ)
    assert not failed and text == "đã nhắc 14:00 qua SMS tới 0912000107"
    # the failure sent again at 14:10: no longer one
    record, _ = outbox.write(outgoing("b"), at(14, 10))
    outbox.finish(record, at(14, 10), SENT)
    seen = rounds_seen(outbox.read(DAY).records, TZ)
    assert seen.line == "nhắc 14:00 (nhac-14h): đã gửi 3 tin" and not seen.failed
    assert unit_line(seen.by_unit["b"], TZ) == (
        "đã nhắc 14:10 qua SMS tới 0912000107 (2 tin trong ngày)",
        False,
    )


def test_a_record_left_sending_reads_unsure_and_the_report_is_not_a_round(tmp_path):
    outbox = Outbox(tmp_path, TZ)
    report = Outgoing(DAY, "bao-cao", "email", "ubnd", "UBND", ("x@y.vn",), "s", "t")
    record, _ = outbox.write(report, at(16, 5))
    outbox.finish(record, at(16, 5), SENT)
    assert rounds_seen(outbox.read(DAY).records, TZ).line == ""
    outbox.write(outgoing("a", "tre-15h05"), at(15, 5))
    seen = rounds_seen(outbox.read(DAY).records, TZ)
    assert seen.line == "nhắc 15:05 (tre-15h05): đã gửi 0 tin · chưa rõ 1" and seen.failed
    seen = rounds_seen(outbox.read(DAY).records, TZ, in_progress=True)
    assert seen.line == "nhắc 15:05 (tre-15h05): đã gửi 0 tin · đang gửi 1" and not seen.failed


def test_unclear_messages_are_never_counted_sent_by_the_run_or_the_board(tmp_path):
    """One count (`tally`) for the run's output, its exit code and the board's line: a
    record left `sending` and one `unsure` are "chưa rõ", named with what to do."""
    outbox = Outbox(tmp_path, TZ)
    outbox.write(outgoing("a"), at(14, 0))  # left sending: the process was killed
    record, _ = outbox.write(outgoing("b"), at(14, 0, 1))
    outbox.finish(record, at(14, 0, 31), UNSURE, reason="cổng SMS không trả lời sau 30 giây")
    for index, unit in enumerate("cde"):
        record, _ = outbox.write(outgoing(unit), at(14, 1, index))
        outbox.finish(record, at(14, 1, index), SENT)
    records = outbox.read(DAY).records
    counted = tally(records)
    assert counted.sent == 3 and len(counted.unclear) == 2 and counted.troubled
    assert counted.words() == "đã gửi 3 tin · chưa rõ 2"
    seen = rounds_seen(records, TZ)
    assert seen.line.startswith("nhắc 14:00 (nhac-14h): đã gửi 3 tin · chưa rõ 2") and seen.failed
    round_ = SETTINGS.round("nhac-14h")
    assert round_ is not None
    outcome = RoundOutcome(RoundPlan(round_, DAY, at(14, 10), [], earlier=records))
    assert outcome.troubled
    lines = outcome_lines(outcome, TZ)
    assert "không có tin mới (cả lượt: đã gửi 3 tin · chưa rõ 2)" in lines[0]
    unclear = [line for line in lines if "Chưa rõ đã tới chưa" in line]
    assert len(unclear) == 2 and all("hỏi lại đơn vị" in line for line in unclear)
    assert "dừng giữa chừng" in unclear[0] and "không trả lời sau 30 giây" in unclear[1]
    # a send still running elsewhere: not yet unclear, but not sent either
    assert tally(records, in_progress=True).words() == "đã gửi 3 tin · đang gửi 1 · chưa rõ 1"
