"""The outbox: each message written before it goes, marked after, committed; a send cut
halfway reads as unsure, never as unsent; one send at a time per data folder."""

from __future__ import annotations

import tomllib
from datetime import date, datetime
from pathlib import Path

import pytest

from bluezone_tui.base.problems import RefusedError
from bluezone_tui.deliver.outbox import (
    FAILED,
    SENDING,
    SENT,
    UNSURE,
    AttachmentNote,
    DeliveryError,
    Outbox,
    Outgoing,
    Receipt,
    parse_record,
)
from bluezone_tui.git.repository import open_repository
from bluezone_tui.registry.load import load_registry
from helpers.data import TZ
from helpers.offices import needs_git

DAY = date(2020, 8, 20)
NOW = datetime(2020, 8, 20, 16, 5, tzinfo=TZ)


def outgoing(recipient: str = "ubnd-huyen-hong-ngu") -> Outgoing:
    return Outgoing(
        day=DAY,
        round="bao-cao",
        channel="email",
        recipient=recipient,
        to_name="Ủy ban nhân dân huyện Hồng Ngự",
        to=("vanthu@hongngu.example",),
        subject="Báo cáo kết quả cài đặt ứng dụng Bluezone ngày 20 tháng 8 năm 2020",
        text='Kính gửi: Ủy ban nhân dân huyện Hồng Ngự.\n"""\nTrân trọng./.\n',
        attachments=(AttachmentNote("báo cáo đã ký.pdf", 1234, "ab" * 32),),
        message_id="<bluezone.2020-08-20.1f2e@hongngu.example>",
    )


def clock():
    return NOW


def test_a_record_is_written_then_marked(tmp_path):
    outbox = Outbox(tmp_path, TZ)
    record, recorded = outbox.write(outgoing(), NOW)
    assert recorded.ok and record.state == SENDING
    assert record.path.parent == tmp_path / "outbox" / "2020-08-20"
    assert record.path.name.startswith("160500-ubnd-huyen-hong-ngu-")
    text = record.path.read_text("utf-8")
    assert text.splitlines()[0] == (
        "# bluezone: outbox 2020-08-20 bao-cao: email tới Ủy ban nhân dân huyện Hồng Ngự — đang gửi"
    )
    data = tomllib.loads(text)
    assert data["state"] == "sending" and data["to"] == ["vanthu@hongngu.example"]
    assert data["written_at"] == NOW and data["written_by"]
    done, _ = outbox.finish(record, NOW, SENT, reply="250 2.0.0 Ok: queued as X")
    (read,) = outbox.read(DAY).records
    assert read == done  # everything kept, the text with its quotes and line breaks
    assert read.outgoing == outgoing()
    assert read.reply == "250 2.0.0 Ok: queued as X" and read.finished_at == NOW


def test_deliver_sent(tmp_path):
    outbox = Outbox(tmp_path, TZ)
    seen = []

    def hand() -> Receipt:
        (record,) = outbox.read(DAY).records  # written before the channel is used
        seen.append(record.state)
        return Receipt("<id@x>", "250 OK queued")

    delivery = outbox.deliver(outgoing(), hand, clock)
    assert seen == [SENDING]
    assert delivery.sent and delivery.record.state == SENT
    assert outbox.read(DAY).records[0].reply == "250 OK queued"


@pytest.mark.parametrize(("unsure", "state"), [(False, FAILED), (True, UNSURE)])
def test_deliver_failed_or_unsure(tmp_path, unsure, state):
    outbox = Outbox(tmp_path, TZ)

    def hand() -> Receipt:
        raise DeliveryError("mất kết nối với máy chủ thư", unsure=unsure)

    delivery = outbox.deliver(outgoing(), hand, clock)
    assert not delivery.sent
    (record,) = outbox.read(DAY).records
    assert record.state == state and record.reason == "mất kết nối với máy chủ thư"
    assert record.went == unsure  # an unsure message counts as gone: never resent silently


def test_a_send_cut_halfway_reads_as_unsure(tmp_path):
    outbox = Outbox(tmp_path, TZ)

    def hand() -> Receipt:
        raise KeyboardInterrupt  # Ctrl+C, a power cut: the process stops here

    with pytest.raises(KeyboardInterrupt):
        outbox.deliver(outgoing(), hand, clock)
    (record,) = outbox.read(DAY).records
    assert record.state == SENDING
    assert record.state_now() == UNSURE  # no send is running: its outcome is unknown
    assert record.went
    assert "chưa rõ lúc 16:05 ngày 20/08/2020 bởi" in record.describe(TZ)


def test_one_send_at_a_time(tmp_path):
    outbox = Outbox(tmp_path, TZ)
    assert not outbox.in_progress()
    with outbox.exclusive():
        assert outbox.in_progress()
        (record, _) = outbox.write(outgoing(), NOW)
        assert record.state_now(outbox.in_progress()) == SENDING  # in progress, not unsure
        with pytest.raises(RefusedError, match="đang có một lần gửi khác"), outbox.exclusive():
            pass
    assert not outbox.in_progress()


def test_a_record_that_cannot_be_written_stops_before_the_channel(tmp_path):
    (tmp_path / "outbox").write_text("a file where the folder should be")
    outbox = Outbox(tmp_path, TZ)
    handed = []
    with pytest.raises(RefusedError, match="không ghi được bản ghi thư gửi đi.*chưa gửi gì"):
        outbox.deliver(outgoing(), lambda: handed.append(1) or Receipt(), clock)
    assert handed == []


def test_a_broken_record_is_named_not_skipped(tmp_path):
    outbox = Outbox(tmp_path, TZ)
    outbox.write(outgoing(), NOW)
    broken = outbox.folder(DAY) / "broken.toml"
    broken.write_text('<<<<<<< HEAD\nstate = "sent"\n', encoding="utf-8")
    day = outbox.read(DAY)
    assert len(day.records) == 1
    (problem,) = day.problems
    assert problem.path == broken and "không đọc được" in problem.message


@pytest.mark.parametrize(
    "change",
    [
        ('state = "sending"', 'state = "gone"'),
        ("written_at = 2020-08-20 16:05:00+07:00", "written_at = 2020-08-20 16:05:00"),
        ('to = [\n    "vanthu@hongngu.example",\n]', "to = 3"),
    ],
)
def test_a_record_with_a_wrong_field_is_refused(tmp_path, change):
    outbox = Outbox(tmp_path, TZ)
    record, _ = outbox.write(outgoing(), NOW)
    text = record.path.read_text("utf-8")
    assert change[0] in text
    with pytest.raises(ValueError):
        parse_record(record.path, text.replace(*change).encode(), DAY)


@needs_git
def test_each_step_is_a_commit_of_that_file_alone(offices):
    district, _ = offices
    (district.path / "stray.txt").write_text("not the tool's")
    registry = load_registry(district.path)
    outbox = Outbox(district.path, TZ, open_repository(district.path, registry))
    delivery = outbox.deliver(outgoing(), lambda: Receipt("<id@x>", "250 OK"), clock)
    assert delivery.notes == []
    assert district.log("-2") == [
        "outbox 2020-08-20 bao-cao: email tới Ủy ban nhân dân huyện Hồng Ngự — đã gửi",
        "outbox 2020-08-20 bao-cao: email tới Ủy ban nhân dân huyện Hồng Ngự — đang gửi",
    ]
    changed = district.git("show", "--name-only", "--format=", "HEAD").split()
    assert changed == [delivery.record.path.relative_to(district.path).as_posix()]
    assert "?? stray.txt" in district.git("status", "--porcelain")  # nothing else committed
    assert district.git("log", "-1", "--format=%an").strip() == "thu.ky"


def test_records_are_sorted_oldest_first_and_by_round(tmp_path):
    outbox = Outbox(tmp_path, TZ)
    later = datetime(2020, 8, 20, 16, 30, tzinfo=TZ)
    outbox.write(outgoing("so-tttt"), later)
    outbox.write(outgoing(), NOW)
    assert [r.outgoing.recipient for r in outbox.read(DAY).records] == [
        "ubnd-huyen-hong-ngu",
        "so-tttt",
    ]
    assert len(outbox.of_round(DAY, "bao-cao", "so-tttt")) == 1
    assert outbox.of_round(DAY, "14:00") == []
    assert Outbox(Path(tmp_path / "nowhere"), TZ).read(DAY).records == []
