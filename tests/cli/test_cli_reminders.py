"""`bluezone remind --send` on a copy of the demo data, with an injected clock, against a
real SMTP server and a real HTTP SMS gateway on 127.0.0.1 and a recorded gammu: each
unit still to remind gets one message per channel, recorded; a run twice sends nothing
new; a unit that reported between two rounds is not reminded; a crash between the
record and the send leaves it unsure, never sent twice."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from bluezone_tui.cli.main import main
from helpers.data import SHIPPED_REGISTRY, copy_shipped
from helpers.process import run_cli
from helpers.reminders import (
    NOT_REPORTED_0826,
    SENDER,
    gammu_block,
    gateway_block,
    outbox_records,
    with_mobiles,
    with_reminders,
)
from helpers.sms_gateway import Behaviour, fake_inject
from helpers.smtp import PASSWORD, with_server

DAY = "2020-08-26"


def at(hhmm: str) -> str:
    return f"{DAY}T{hhmm}"


@pytest.fixture
def office(tmp_path, smtp_ssl, monkeypatch):
    """The demo data folder (history off), its email: pointing at the test's SMTP server,
    this machine named as the sender, the mail password in the environment."""
    data = copy_shipped(tmp_path / "demo")
    text = with_server(SHIPPED_REGISTRY.read_text("utf-8"), smtp_ssl)
    (data / "units.yaml").write_text(text, encoding="utf-8")
    monkeypatch.setenv("BLUEZONE_OFFICE", SENDER)
    monkeypatch.setenv("BLUEZONE_SMTP_PASSWORD", PASSWORD)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    return data, smtp_ssl


def run(capsys, data: Path, *args: object) -> tuple[int, str, str]:
    code = main(["--data", str(data), *map(str, args)])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err and "lỗi không mong đợi" not in err, err
    return code, out, err


def send(capsys, data: Path, now: str, *more: str) -> tuple[int, str, str]:
    return run(capsys, data, "remind", "--send", "--now", at(now), *more)


def address(unit_id: str) -> str:
    return f"{unit_id}@hongngu.example"


def test_done_when_each_unit_not_yet_reported_gets_one_message_once(office, capsys):
    """The issue's "done when", on the demo data at 14:00 on 26 Aug 2020."""
    data, server = office
    # the first time: what would go, and nothing sent or recorded
    code, out, err = send(capsys, data, "14:00")
    assert code == 0, err
    assert "Lần đầu gửi nhắc" in out and "--confirm" in out
    assert "4 đơn vị cần nhắc, 4 tin sẽ gửi" in out
    assert out.count("- ") >= 4 and "Kính gửi Xã Long Khánh B" in out
    assert server.received == [] and not (data / "outbox").exists()
    # started: one message to each unit not yet reported, through the round's channel
    code, out, err = send(capsys, data, "14:00", "--confirm")
    assert code == 0, err
    assert sorted(got.rcpt_tos[0] for got in server.received) == sorted(
        address(unit) for unit in NOT_REPORTED_0826
    )
    long_khanh_b = next(g for g in server.received if g.rcpt_tos == [address("xa-long-khanh-b")])
    assert long_khanh_b.header("Subject") == "Nhắc báo cáo kết quả cài đặt Bluezone ngày 26/08/2020"
    assert long_khanh_b.body().startswith(
        "Kính gửi Xã Long Khánh B: chưa nhận được báo cáo kết quả cài đặt Bluezone ngày "
        "26/08/2020 của đơn vị (số người dân đã cài đặt (lũy kế)). Hạn trước 15 giờ 00, còn "
        "1 giờ 00 phút."
    )
    assert "đã gửi 4/4 tin" in out
    # each recorded: to whom, by what, the round, the server's words
    kept = outbox_records(data, DAY)
    assert sorted(r["recipient"] for r in kept) == sorted(NOT_REPORTED_0826)
    assert {(r["round"], r["channel"], r["state"]) for r in kept} == {("nhac-14h", "email", "sent")}
    assert all(r["reply"].startswith("250") for r in kept)
    assert (data / "outbox" / "reminders-started.toml").is_file()
    # a second run sends nothing
    code, out, err = send(capsys, data, "14:05")
    assert code == 0, err
    assert "không có tin mới (cả lượt: đã gửi 4 tin)" in out
    assert len(server.received) == 4 and len(outbox_records(data, DAY)) == 4
    # and `remind` (the board's `r`) still lists the same units: nothing changed there
    code, out, _ = run(capsys, data, "remind", "--now", at("14:05"))
    assert all(f"{i}. " in out for i in range(1, 5)) and "5. " not in out


def test_a_unit_that_reports_between_two_rounds_is_not_reminded(office, capsys):
    data, server = office
    # 13:59: Xã Thường Lạc reports; at 14:00 it is not in the round
    code, _, err = run(capsys, data, "submit", "xa-thuong-lac", "residents_installed=1040",
                       "--date", DAY, "--now", at("13:59"))  # fmt: skip
    assert code == 0, err
    assert send(capsys, data, "14:00", "--confirm")[0] == 0
    first = sorted(got.rcpt_tos[0] for got in server.received)
    assert first == sorted(address(u) for u in NOT_REPORTED_0826 if u != "xa-thuong-lac")
    # 14:58: Trường THPT Long Khánh A reports (the demo's file); at 15:05 the round to the
    # late ones leaves it out
    code, out, err = send(capsys, data, "15:05")
    assert code == 0, err
    second = server.received[3:]
    units = sorted(got.rcpt_tos[0] for got in second if "truongphong" not in got.rcpt_tos[0])
    assert units == [address("xa-long-khanh-b"), address("xa-long-thuan")]
    (head,) = [got for got in second if got.rcpt_tos == ["truongphong.vhtt@hongngu.example"]]
    assert head.body().startswith(
        "Lượt nhắc 15:05 ngày 26/08/2020: 2 đơn vị quá hạn mà chưa báo cáo: Xã Long Khánh B, "
        "Xã Long Thuận. Đã nhắc qua email: 2 đơn vị."
    )
    late = second[0]
    assert "đã quá 5 phút" in late.body() and "Đề nghị gửi ngay" in late.body()
    # the late round again: nothing new, the head not told twice
    assert send(capsys, data, "15:10")[0] == 0
    assert len(server.received) == 6


def test_the_window_the_next_round_and_a_round_sent_late_by_hand(office, capsys):
    data, server = office
    code, out, err = send(capsys, data, "13:00", "--confirm")
    assert code == 0, err
    assert "Không có lượt nhắc nào đến giờ lúc 13:00" in out
    assert "Lượt sau: «nhac-14h» lúc 14:00." in out
    code, out, _ = send(capsys, data, "14:45")  # the 14:00 round is over after 30 minutes
    assert code == 0 and "Đã qua giờ: «nhac-14h» (14:00)" in out and "--round" in out
    assert server.received == []
    code, out, err = send(capsys, data, "14:45", "--round", "nhac-14h")
    assert code == 0, err
    assert len(server.received) == 4 and "còn 15 phút" in server.received[0].body()
    code, _, err = send(capsys, data, "14:46", "--round", "nhac-15h")
    assert code == 2 and "không có lượt «nhac-15h»" in err and "nhac-14h" in err


def test_round_by_name_is_refused_before_its_time(office, capsys, monkeypatch):
    """--round sends late, never early: at 09:00 the 14:00 round is refused (exit 1) and
    stays whole for 14:00; its time is the registry's, whatever the server's timezone."""
    import time as time_module

    data, server = office
    assert send(capsys, data, "08:00", "--confirm")[0] == 0
    monkeypatch.setenv("TZ", "America/New_York")  # a server elsewhere: its clock is not ours
    time_module.tzset()
    try:
        code, out, err = send(capsys, data, "09:00", "--round", "nhac-14h")
        assert code == 1 and out == ""
        assert "lượt «nhac-14h» chưa đến giờ: 14:00 ngày 26/08/2020 mới gửi" in err
        assert "còn 5 giờ 00 phút" in err and "--dry-run --round nhac-14h" in err
        code, _, err = send(capsys, data, "13:59", "--round", "nhac-14h")
        assert code == 1 and "còn 1 phút" in err
        assert server.received == [] and not (data / "outbox" / DAY).exists()
        # a preview is always allowed
        code, out, _ = send(capsys, data, "09:00", "--round", "nhac-14h", "--dry-run")
        assert code == 0 and "tin sẽ gửi" in out and server.received == []
        # at its time the round goes whole
        code, out, err = send(capsys, data, "14:00", "--round", "nhac-14h")
        assert code == 0, err
        assert len(server.received) == 4
    finally:
        monkeypatch.undo()
        time_module.tzset()


def test_the_first_preview_warns_of_every_secret_confirm_needs(office, capsys, monkeypatch):
    """The 14:00 round goes by email; the 15:05 one also by SMS through a gateway whose
    key is missing: the first preview says so, as --confirm will stop at it."""
    data, server = office
    monkeypatch.delenv("BLUEZONE_SMTP_PASSWORD")
    monkeypatch.delenv("BLUEZONE_SMS_KEY", raising=False)
    text = with_mobiles((data / "units.yaml").read_text("utf-8"))
    block = gateway_block(
        "http://127.0.0.1:9/api/send",
        '{name: nhac-14h, at: "14:00", by: email}',
        '{name: qua-han, at: "15:05", to: missing, by: sms}',
    )
    (data / "units.yaml").write_text(with_reminders(text, block), "utf-8")
    for now, said in (("14:00", "Lần đầu gửi nhắc"), ("13:00", "Không có lượt nhắc nào")):
        code, out, err = send(capsys, data, now)
        assert code == 0 and said in out
        warned = [line for line in err.splitlines() if "khi gửi thật sẽ dừng ở đây" in line]
        assert len(warned) == 2, err
        assert any("BLUEZONE_SMTP_PASSWORD" in line for line in warned)
        assert any("BLUEZONE_SMS_KEY" in line for line in warned)
    code, _, err = send(capsys, data, "14:00", "--confirm")
    assert code == 2 and "BLUEZONE_SMTP_PASSWORD" in err and "BLUEZONE_SMS_KEY" in err
    assert not (data / "outbox").exists() and server.received == []


def test_the_dry_run_sends_and_records_nothing(office, capsys):
    data, server = office
    assert send(capsys, data, "13:00", "--confirm")[0] == 0
    code, out, err = send(capsys, data, "14:00", "--dry-run")
    assert code == 0, err
    assert "4 tin sẽ gửi" in out and "Lần đầu" not in out
    assert server.received == [] and not (data / "outbox" / DAY).exists()


def test_usage_and_configuration_stop_before_anything(office, capsys, monkeypatch):
    data, server = office
    code, _, err = run(capsys, data, "remind", "--confirm")
    assert code == 2 and "--confirm chỉ dùng với --send" in err
    code, _, err = run(
        capsys, data, "remind", "--send", "--date", "2020-08-25", "--now", at("14:00")
    )
    assert code == 2 and "chỉ gửi nhắc cho hôm nay" in err
    monkeypatch.delenv("BLUEZONE_SMTP_PASSWORD")
    code, _, err = send(capsys, data, "14:00", "--confirm")
    assert code == 2 and "BLUEZONE_SMTP_PASSWORD" in err
    assert not (data / "outbox").exists() and server.received == []
    text = (data / "units.yaml").read_text("utf-8")
    (data / "units.yaml").write_text(with_reminders(text, ""), "utf-8")
    code, _, err = send(capsys, data, "14:00")
    assert code == 2 and "chưa có mục «reminders:»" in err


def test_another_office_sends_nothing_and_shows_what_went(office, capsys, monkeypatch):
    data, server = office
    assert send(capsys, data, "14:00", "--confirm")[0] == 0
    monkeypatch.setenv("BLUEZONE_OFFICE", "tinh")
    code, out, err = send(capsys, data, "14:05")
    assert code == 1
    assert "«tinh» (biến môi trường BLUEZONE_OFFICE) không phải nơi gửi nhắc" in err
    assert "reminders.sender: «may-vhtt-hongngu»" in err
    assert out.count("email tới") == 4 and "đã gửi 14:00" in out
    assert len(server.received) == 4
    monkeypatch.delenv("BLUEZONE_OFFICE")  # the host name, then
    code, _, err = send(capsys, data, "14:05")
    assert code == 1 and "(tên máy)" in err


# ----------------------------------------------------------------------------- SMS


@pytest.fixture
def sms_office(tmp_path, sms_gateway, monkeypatch):
    """The demo data with mobile numbers for the units not yet reported on 26 Aug (one,
    Xã Long Thuận, kept with its landline only) and SMS through the test's gateway."""
    data = copy_shipped(tmp_path / "demo")
    mobiles = {k: v for k, v in with_mobiles_map().items() if k != "0277 3800 108"}
    text = with_mobiles(SHIPPED_REGISTRY.read_text("utf-8"), mobiles)
    (data / "units.yaml").write_text(with_reminders(text, gateway_block(sms_gateway.url)), "utf-8")
    monkeypatch.setenv("BLUEZONE_OFFICE", SENDER)
    monkeypatch.setenv("BLUEZONE_SMS_KEY", "khoa-thu-nghiem")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    return data, sms_gateway


def with_mobiles_map() -> dict[str, str]:
    from helpers.reminders import MOBILES

    return dict(MOBILES)


def test_sms_through_a_gateway_and_a_unit_with_only_a_landline_named(sms_office, capsys):
    data, gateway = sms_office
    code, out, err = send(capsys, data, "14:00", "--confirm")
    assert code == 1  # one unit could not be reached: named, and the exit says so
    assert sorted(r.json["to"] for r in gateway.requests) == [
        "0912000105",
        "0912000107",
        "0912000203",
    ]
    assert all(r.headers["X-API-Key"] == "khoa-thu-nghiem" for r in gateway.requests)
    text = next(r.json["text"] for r in gateway.requests if r.json["to"] == "0912000107")
    assert text.startswith("Kính gửi Xã Long Khánh B: chưa nhận được báo cáo")
    assert (
        "Không nhắc được Xã Long Thuận qua SMS: chỉ có số máy bàn 0277 3800 108, không nhận "
        "được tin nhắn" in out
    )
    kept = outbox_records(data, DAY)
    assert {(r["channel"], r["state"]) for r in kept} == {("sms", "sent")}
    assert sorted(r["to"][0] for r in kept) == ["0912000105", "0912000107", "0912000203"]
    assert all("khoa-thu-nghiem" not in str(r) for r in kept)
    code, out, _ = send(capsys, data, "14:10")
    assert len(gateway.requests) == 3  # nothing new
    # while the round is due, every run names the unit no channel reaches, and exits 1
    assert code == 1 and "Không nhắc được Xã Long Thuận qua SMS" in out


def test_a_refused_message_is_failed_and_tried_again_while_the_round_is_due(sms_office, capsys):
    data, gateway = sms_office
    gateway.behaviour = Behaviour(401, '{"error": "invalid api key"}')
    code, out, _ = send(capsys, data, "14:00", "--confirm")
    assert code == 1
    assert "cổng SMS 127.0.0.1" in out and "từ chối khóa (HTTP 401" in out
    assert {r["state"] for r in outbox_records(data, DAY)} == {"failed"}
    gateway.behaviour = Behaviour()
    code, out, _ = send(capsys, data, "14:10")
    assert len(gateway.requests) == 6
    assert [r["state"] for r in outbox_records(data, DAY)].count("sent") == 3
    send(capsys, data, "14:15")
    assert len(gateway.requests) == 6


def test_a_gateway_that_hangs_leaves_unsure_and_never_sends_again(sms_office, capsys):
    data, gateway = sms_office
    gateway.behaviour = Behaviour(hang_seconds=3)
    code, out, _ = send(capsys, data, "14:00", "--confirm")
    assert code == 1 and "chưa rõ" in out and "có thể đã gửi" in out
    gateway.behaviour = Behaviour()
    code, out, _ = send(capsys, data, "14:10")
    assert len(gateway.requests) == 3  # the unsure ones are not sent again
    # and never counted as sent: named in this run too, exit 1
    assert code == 1 and "không có tin mới (cả lượt: đã gửi 0 tin · chưa rõ 3)" in out
    assert out.count("Chưa rõ đã tới chưa:") == 3 and "nhật ký của cổng SMS" in out


def test_a_crash_between_the_record_and_the_send_is_unsure_never_sent_twice(tmp_path):
    """The process killed while gammu-smsd-inject runs: the record stays `sending`, which
    every later run reads as unsure (the message may be in the modem's queue)."""
    data = copy_shipped(tmp_path / "demo")
    fake = fake_inject(tmp_path / "bin")
    text = with_mobiles(SHIPPED_REGISTRY.read_text("utf-8"))
    (data / "units.yaml").write_text(with_reminders(text, gammu_block(fake.command)), "utf-8")
    env = {"BLUEZONE_OFFICE": SENDER, "FAKE_INJECT": "crash-parent"}
    crashed = run_cli(
        "--data", data, "remind", "--send", "--confirm", "--now", at("14:00"), env=env
    )
    assert crashed.code == -9, crashed.text  # killed
    (record,) = outbox_records(data, DAY)
    assert record["state"] == "sending" and len(fake.calls()) == 1
    env["FAKE_INJECT"] = "ok"
    again = run_cli("--data", data, "remind", "--send", "--now", at("14:05"), env=env)
    # the unclear one is named, with what to do, and counted apart from the sent ones
    assert again.code == 1, again.text
    assert "đã gửi 3/3 tin; cả lượt: đã gửi 3 tin · chưa rõ 1" in again.out
    assert "Chưa rõ đã tới chưa: Xã" in again.out and "dừng giữa chừng" in again.out
    assert "hỏi lại đơn vị" in again.out and "gammu-smsd" in again.out
    numbers = [call[call.index("TEXT") + 1] for call in fake.calls()]
    assert numbers.count(numbers[0]) == 1  # the one that may have gone is not sent again
    assert len(numbers) == 4
    kept = outbox_records(data, DAY)
    assert [r["state"] for r in kept].count("sent") == 3
    code = run_cli("--data", data, "remind", "--now", at("14:06"), env=env)
    assert code.code == 0
    # every later run while the round is due says it again, never "sent"
    later = run_cli("--data", data, "remind", "--send", "--now", at("14:10"), env=env)
    assert later.code == 1, later.text
    assert "không có tin mới (cả lượt: đã gửi 3 tin · chưa rõ 1)" in later.out
    assert later.out.count("Chưa rõ đã tới chưa:") == 1 and len(fake.calls()) == 4
    # the preview counts it the same way
    shown = run_cli("--data", data, "remind", "--send", "--dry-run", "--now", at("14:11"), env=env)
    assert "0 tin sẽ gửi; trước đó: đã gửi 3 tin · chưa rõ 1" in shown.out, shown.text
    assert "- trước đó: Chưa rõ đã tới chưa:" in shown.out


def test_gammu_inject_gets_each_message_as_its_manual_says(tmp_path, capsys, monkeypatch):
    data = copy_shipped(tmp_path / "demo")
    fake = fake_inject(tmp_path / "bin")
    text = with_mobiles(SHIPPED_REGISTRY.read_text("utf-8"))
    block = gammu_block(fake.command, config=tmp_path / "smsdrc")
    (data / "units.yaml").write_text(with_reminders(text, block), "utf-8")
    monkeypatch.setenv("BLUEZONE_OFFICE", SENDER)
    code, out, err = send(capsys, data, "14:00", "--confirm")
    assert code == 0, err
    calls = fake.calls()
    assert len(calls) == 4
    for call in calls:
        assert call[:4] == ["-c", str(tmp_path / "smsdrc"), "TEXT", call[3]]
        assert call[4:6] == ["-unicode", "-len"] and call[7] == "-text"
        assert int(call[6]) == len(call[8]) and call[8].startswith("Kính gửi ")
    kept = outbox_records(data, DAY)
    assert all(
        r["reply"].startswith("gammu-smsd: đã vào hàng đợi /var/spool/gammu/outbox/") for r in kept
    )


@pytest.mark.skipif(
    not os.path.exists("/usr/bin/gammu-smsd-inject"), reason="gammu-smsd is not installed"
)
def test_the_real_gammu_smsd_inject_queues_the_round(tmp_path, capsys, monkeypatch):
    from helpers.sms_gateway import decoded_backup, gammu_spool

    data = copy_shipped(tmp_path / "demo")
    spool = gammu_spool(tmp_path / "gammu")
    text = with_mobiles(SHIPPED_REGISTRY.read_text("utf-8"))
    block = gammu_block(Path("/usr/bin/gammu-smsd-inject"), config=spool.config)
    (data / "units.yaml").write_text(with_reminders(text, block), "utf-8")
    monkeypatch.setenv("BLUEZONE_OFFICE", SENDER)
    code, out, err = send(capsys, data, "14:00", "--confirm")
    assert code == 0, err
    queued = {decoded_backup(path) for path in spool.outbox.iterdir()}
    kept = {(r["to"][0], r["text"]) for r in outbox_records(data, DAY)}
    assert queued == kept and len(kept) == 4
