"""`bluezone send` in a data folder, against a real SMTP server on 127.0.0.1: what goes
to whom, the dry run, a second send that asks, failures recorded, nothing half done."""

from __future__ import annotations

import hashlib
import tomllib
from pathlib import Path

import pytest

from bluezone_tui.cli.main import main
from helpers.data import SHIPPED_REGISTRY, copy_shipped
from helpers.smtp import PASSWORD, QUEUE_REPLY, Handler, start_server, with_server

DAY = "2020-08-20"
NOW = f"{DAY}T16:05"
UBND = "vanthu.ubnd@hongngu.example"
SO = "baocao.stttt@dongthap.example"


@pytest.fixture
def office(tmp_path, smtp_ssl, monkeypatch):
    """The demo data folder (no git), its email: pointing at the test server, the
    password in the environment, and a signed report to send."""
    data = copy_shipped(tmp_path / "demo")
    registry = SHIPPED_REGISTRY.read_text("utf-8")
    (data / "units.yaml").write_text(with_server(registry, smtp_ssl), encoding="utf-8")
    monkeypatch.setenv("BLUEZONE_SMTP_PASSWORD", PASSWORD)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    pdf = tmp_path / "Báo cáo Bluezone 20-08-2020 (đã ký).pdf"
    pdf.write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 64 + b"\n%%EOF\n")
    return data, pdf, smtp_ssl


def run(capsys, data: Path, *args: object) -> tuple[int, str, str]:
    code = main(["--data", str(data), *map(str, args)])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out, err


def records(data: Path) -> list[dict]:
    folder = data / "outbox" / DAY
    found = [tomllib.loads(p.read_text("utf-8")) for p in sorted(folder.glob("*.toml"))]
    return sorted(found, key=lambda r: (r["written_at"], r["recipient"]))


def test_the_report_goes_to_each_recipient_with_its_files(office, capsys):
    data, pdf, server = office
    code, out, err = run(capsys, data, "send", "--date", DAY, "--now", NOW, "--file", pdf)
    assert code == 0, err
    by_recipient = {tuple(got.rcpt_tos): got for got in server.received}
    assert set(by_recipient) == {(UBND,), (SO,)}
    ubnd, so = by_recipient[(UBND,)], by_recipient[(SO,)]
    assert ubnd.attachments() == {pdf.name: pdf.read_bytes()}  # byte for byte
    files = so.attachments()
    assert files[pdf.name] == pdf.read_bytes()
    # the province gets the workbook too, the same as `export --format xlsx` makes
    workbook = data.parent / "x.xlsx"
    assert run(capsys, data, "export", "--date", DAY, "--now", NOW, "-o", workbook)[0] == 0
    assert files["bao-cao-bluezone-2020-08-20.xlsx"] == workbook.read_bytes()
    assert ubnd.header("Subject") == (
        "Báo cáo kết quả cài đặt ứng dụng Bluezone ngày 20 tháng 8 năm 2020 - "
        "Phòng Văn hóa và Thông tin huyện Hồng Ngự"
    )
    assert ubnd.body().startswith("Kính gửi: Ủy ban nhân dân huyện Hồng Ngự.\n")
    assert f"- {pdf.name}: báo cáo đã ký số" in ubnd.body()
    assert f"Đã gửi tới Ủy ban nhân dân huyện Hồng Ngự <{UBND}> lúc 16:05" in out
    assert QUEUE_REPLY in out
    # the record: to whom, when, the server's words and the message id
    kept = records(data)
    assert [r["state"] for r in kept] == ["sent", "sent"]
    assert {r["to"][0] for r in kept} == {UBND, SO}
    for record in kept:
        assert record["reply"] == QUEUE_REPLY
        assert record["message_id"] == by_recipient[tuple(record["to"])].message["Message-ID"]
        assert record["attachments"][0] == {
            "name": pdf.name,
            "size": pdf.stat().st_size,
            "sha256": hashlib.sha256(pdf.read_bytes()).hexdigest(),
        }


def test_the_dry_run_shows_everything_and_sends_nothing(office, capsys):
    data, pdf, server = office
    code, out, err = run(
        capsys, data, "send", "--date", DAY, "--now", NOW, "--file", pdf, "--dry-run"
    )
    assert code == 0, err
    assert server.received == []
    assert not (data / "outbox").exists()  # nothing recorded either
    digest = hashlib.sha256(pdf.read_bytes()).hexdigest()
    assert out.count(f"sha256 {digest}") == 2
    assert "bao-cao-bluezone-2020-08-20.xlsx" in out
    assert f"To: Ủy ban nhân dân huyện Hồng Ngự <{UBND}>" in out
    assert "From: Phòng Văn hóa và Thông tin huyện Hồng Ngự <vhtt@hongngu.example>" in out
    assert "Subject: Báo cáo kết quả cài đặt ứng dụng Bluezone ngày 20 tháng 8 năm 2020" in out
    assert "Không có địa chỉ thư (không gửi): Lưu: VT" in out
    assert "chưa đánh dấu báo cáo đã gửi" in err  # where the workbook's figures come from
    assert "bluezone: mật khẩu: có, từ biến BLUEZONE_SMTP_PASSWORD" in err


def test_the_dry_run_says_where_the_password_would_come_from(office, capsys, monkeypatch, tmp_path):
    data, pdf, _ = office
    monkeypatch.delenv("BLUEZONE_SMTP_PASSWORD")
    dry = ("send", "--date", DAY, "--now", NOW, "--file", pdf, "--dry-run")
    code, _, err = run(capsys, data, *dry)
    assert code == 0 and "cảnh báo: khi gửi thật sẽ dừng ở đây: cần mật khẩu thư" in err
    assert "mật khẩu: có" not in err
    secret = tmp_path / "config" / "bluezone" / "smtp-password"
    secret.parent.mkdir(parents=True)
    secret.write_text(PASSWORD + "\n")
    secret.chmod(0o600)
    code, _, err = run(capsys, data, *dry)
    assert code == 0 and f"bluezone: mật khẩu: có, từ tệp {secret}" in err, err


def test_a_second_send_asks_and_says_when_and_by_whom(office, capsys, monkeypatch):
    data, pdf, server = office
    assert run(capsys, data, "send", "--date", DAY, "--now", NOW, "--file", pdf)[0] == 0
    code, out, err = run(
        capsys, data, "send", "--date", DAY, "--now", f"{DAY}T16:20", "--file", pdf
    )
    assert code == 1  # no terminal to ask on: refused, nothing sent again
    assert len(server.received) == 2
    assert "Báo cáo ngày 20/08/2020 đã gửi trước đó:" in err
    assert "- Ủy ban nhân dân huyện Hồng Ngự: đã gửi lúc 16:05 ngày 20/08/2020 bởi" in err
    assert "cùng tệp này" in err and "--again" in err
    assert "Không gửi thư nào." in out
    # asked on a terminal: "k" keeps it, "c" sends again
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    answers = iter(["k", "c"])
    monkeypatch.setattr("builtins.input", lambda question: next(answers))
    code, out, _ = run(capsys, data, "send", "--date", DAY, "--now", f"{DAY}T16:20", "--file", pdf)
    assert code == 0 and len(server.received) == 2
    code, out, _ = run(capsys, data, "send", "--date", DAY, "--now", f"{DAY}T16:21", "--file", pdf)
    assert code == 0 and len(server.received) == 4
    assert len(records(data)) == 4


def test_again_sends_without_asking(office, capsys):
    data, pdf, server = office
    run(capsys, data, "send", "--date", DAY, "--now", NOW, "--file", pdf)
    other = pdf.with_name("khác.pdf")
    other.write_bytes(b"%PDF-1.7 another\n")
    code, _, err = run(capsys, data, "send", "--date", DAY, "--file", other, "--again")
    assert code == 0, err
    assert "tệp khác tệp lần này" in err
    assert len(server.received) == 4


def test_a_wrong_password_is_recorded_as_failed_and_not_asked_about(office, capsys, monkeypatch):
    data, pdf, server = office
    monkeypatch.setenv("BLUEZONE_SMTP_PASSWORD", "sai")
    code, out, _ = run(capsys, data, "send", "--date", DAY, "--now", NOW, "--file", pdf)
    assert code == 1
    assert "Lỗi: thư tới Ủy ban nhân dân huyện Hồng Ngự" in out
    assert "sai tên đăng nhập hoặc mật khẩu thư" in out
    assert [r["state"] for r in records(data)] == ["failed", "failed"]
    assert server.received == []
    monkeypatch.setenv("BLUEZONE_SMTP_PASSWORD", PASSWORD)
    code, _, err = run(capsys, data, "send", "--date", DAY, "--now", f"{DAY}T16:10", "--file", pdf)
    assert code == 0, err  # a failed send is no reason to ask
    assert "đã gửi trước đó" not in err
    assert len(server.received) == 2


def test_a_connection_lost_after_the_message_is_unsure_and_asked_about(
    tmp_path, certificate_authority, capsys, monkeypatch
):
    for server in start_server("ssl", certificate_authority, Handler(drop_at="DATA")):
        data = copy_shipped(tmp_path / "demo")
        text = with_server(SHIPPED_REGISTRY.read_text("utf-8"), server)
        (data / "units.yaml").write_text(text, encoding="utf-8")
        monkeypatch.setenv("BLUEZONE_SMTP_PASSWORD", PASSWORD)
        pdf = tmp_path / "r.pdf"
        pdf.write_bytes(b"%PDF-1.7\n")
        code, out, _ = run(capsys, data, "send", "--date", DAY, "--now", NOW, "--file", pdf)
        assert code == 1
        assert "Chưa rõ: thư tới" in out and "có thể đã tới" in out
        assert [r["state"] for r in records(data)] == ["unsure", "unsure"]
        server.handler.drop_at = ""
        code, _, err = run(capsys, data, "send", "--date", DAY, "--file", pdf)
        assert code == 1 and "chưa rõ lúc 16:05" in err  # asked about, not resent silently
        assert server.received == []


def test_the_signed_report_is_found_where_sent_add_keeps_it(office, capsys):
    data, pdf, server = office
    code, _, err = run(capsys, data, "send", "--date", DAY, "--now", NOW)
    assert code == 1
    assert "chưa có báo cáo đã ký của ngày 20/08/2020 trong sent/2020-08-20/" in err
    folder = data / "sent" / DAY
    folder.mkdir(parents=True)
    kept = folder / "bao-cao-bluezone-2020-08-20.pdf"
    kept.write_bytes(pdf.read_bytes())
    code, _, err = run(capsys, data, "send", "--date", DAY, "--now", NOW)
    assert code == 0, err
    assert all(got.attachments()[kept.name] == pdf.read_bytes() for got in server.received)


def test_configuration_problems_exit_2_before_anything(office, capsys, monkeypatch):
    data, pdf, server = office
    monkeypatch.delenv("BLUEZONE_SMTP_PASSWORD")
    code, _, err = run(capsys, data, "send", "--date", DAY, "--file", pdf)
    assert code == 2 and "BLUEZONE_SMTP_PASSWORD" in err
    text = (data / "units.yaml").read_text("utf-8")
    start = text.index("\nemail:\n") + 1
    (data / "units.yaml").write_text(text[:start] + text[text.index("\n\n", start) + 2 :])
    code, _, err = run(capsys, data, "send", "--date", DAY, "--file", pdf)
    assert code == 2 and "chưa có mục «email:»" in err
    assert server.received == [] and not (data / "outbox").exists()
