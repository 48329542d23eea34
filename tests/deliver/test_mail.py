"""Email over SMTP against a real server on 127.0.0.1 (aiosmtpd, TLS with a certificate
made in the test, AUTH): what arrives, and every way it can fail, said in Vietnamese."""

from __future__ import annotations

import os
import socket
import threading
from datetime import datetime
from pathlib import Path

import pytest

from bluezone_tui.base.problems import ConfigError, RefusedError
from bluezone_tui.deliver.mail import (
    MailError,
    attachment_from,
    compose,
    new_message_id,
    password_for,
    send,
)
from bluezone_tui.registry.model import MailSettings
from helpers.data import TZ
from helpers.smtp import PASSWORD, QUEUE_REPLY, USER, Handler, SmtpServer, free_port, start_server

NOW = datetime(2020, 8, 20, 16, 5, tzinfo=TZ)
FROM = "Phòng Văn hóa và Thông tin huyện Hồng Ngự <vhtt@hongngu.example>"
TO = [("Ủy ban nhân dân huyện Hồng Ngự", "vanthu@hongngu.example")]
SUBJECT = "Báo cáo kết quả cài đặt ứng dụng Bluezone ngày 20 tháng 8 năm 2020"


def settings_for(server: SmtpServer, **changes: object) -> MailSettings:
    values: dict[str, object] = {
        "host": server.host,
        "port": server.port,
        "security": server.security,
        "sender": FROM,
        "sender_address": "vhtt@hongngu.example",
        "user": USER,
        "timeout": 5,
        "ca_file": str(server.ca_file),
    }
    values.update(changes)
    return MailSettings(**values)  # type: ignore[arg-type]


def signed_pdf(tmp_path: Path, name: str = "báo cáo đã ký 20-08-2020.pdf") -> Path:
    """A file with every byte value, lines starting with "." and bare CRs: bytes that a
    careless sender would mangle."""
    path = tmp_path / name
    path.write_bytes(b"%PDF-1.7\n.\n..\r\n" + bytes(range(256)) * 400 + b"\r.\n%%EOF\n")
    return path


def message_for(settings: MailSettings, attachments=(), to=TO, body: str | None = None):
    return compose(
        settings,
        to=to,
        subject=SUBJECT,
        body=body or "Kính gửi: Ủy ban nhân dân huyện Hồng Ngự.\n.dòng bắt đầu bằng dấu chấm\n",
        now=NOW,
        message_id=new_message_id(settings, "2020-08-20.ubnd"),
        attachments=attachments,
    )


@pytest.mark.parametrize("security", ["ssl", "starttls"])
def test_the_message_arrives_whole(security, certificate_authority, tmp_path):
    for server in start_server(security, certificate_authority):
        settings = settings_for(server)
        pdf = signed_pdf(tmp_path)
        message = message_for(settings, [attachment_from(pdf)])
        receipt = send(settings, message, PASSWORD, tmp_path)
        assert receipt.reply == QUEUE_REPLY  # the server's own words: its queue id
        assert receipt.message_id == message["Message-ID"]
        (got,) = server.received
        assert got.login == USER
        assert got.mail_from == "vhtt@hongngu.example"
        assert got.rcpt_tos == ["vanthu@hongngu.example"]
        assert got.attachments() == {pdf.name: pdf.read_bytes()}  # byte for byte, UTF-8 name
        assert got.header("Subject") == SUBJECT
        assert got.header("From") == FROM
        assert got.header("To") == "Ủy ban nhân dân huyện Hồng Ngự <vanthu@hongngu.example>"
        assert got.message["Message-ID"] == message["Message-ID"]
        assert got.message["Date"] == "Thu, 20 Aug 2020 16:05:00 +0700"
        assert ".dòng bắt đầu bằng dấu chấm" in got.body()  # dot-stuffing undone
        assert max(len(line) for line in got.data.split(b"\r\n")) <= 78  # any relay carries it
        assert got.data.isascii()  # 7-bit: no server needs 8BITMIME for it


def test_several_recipients_each_get_it(smtp_ssl, tmp_path):
    settings = settings_for(smtp_ssl)
    to = [*TO, ("Sở Thông tin và Truyền thông tỉnh Đồng Tháp", "stttt@dongthap.example")]
    send(settings, message_for(settings, to=to), PASSWORD, tmp_path)
    (got,) = smtp_ssl.received
    assert got.rcpt_tos == ["vanthu@hongngu.example", "stttt@dongthap.example"]


def test_a_wrong_password_is_said_so(smtp_ssl, tmp_path):
    settings = settings_for(smtp_ssl)
    with pytest.raises(MailError) as caught:
        send(settings, message_for(settings), "sai mật khẩu", tmp_path)
    assert "sai tên đăng nhập hoặc mật khẩu thư" in caught.value.message
    assert "535" in caught.value.message  # the server's own words after ours
    assert not caught.value.unsure
    assert smtp_ssl.received == []


def test_a_refused_recipient_stops_the_whole_message(certificate_authority, tmp_path):
    handler = Handler(refuse_rcpt={"stttt@dongthap.example"})
    for server in start_server("ssl", certificate_authority, handler):
        settings = settings_for(server)
        to = [*TO, ("Sở", "stttt@dongthap.example")]
        with pytest.raises(MailError) as caught:
            send(settings, message_for(settings, to=to), PASSWORD, tmp_path)
        message = caught.value.message
        assert "từ chối người nhận «stttt@dongthap.example»" in message
        assert "Recipient address rejected" in message and "chưa gửi thư cho ai" in message
        assert not caught.value.unsure
        assert server.received == []


def test_a_refused_message_is_failed_not_unsure(certificate_authority, tmp_path):
    handler = Handler(refuse_data="554 5.7.1 Message rejected as spam")
    for server in start_server("starttls", certificate_authority, handler):
        settings = settings_for(server)
        with pytest.raises(MailError) as caught:
            send(settings, message_for(settings), PASSWORD, tmp_path)
        assert caught.value.message == (
            "máy chủ thư từ chối thư (máy chủ: 554 5.7.1 Message rejected as spam)"
        )
        assert not caught.value.unsure


def test_a_connection_lost_before_the_message_went_is_failed(certificate_authority, tmp_path):
    for server in start_server("ssl", certificate_authority, Handler(drop_at="MAIL")):
        settings = settings_for(server)
        with pytest.raises(MailError) as caught:
            send(settings, message_for(settings), PASSWORD, tmp_path)
        assert "mất kết nối với máy chủ thư" in caught.value.message
        assert "chưa gửi" in caught.value.message
        assert not caught.value.unsure


def test_a_connection_lost_after_the_message_went_is_unsure(certificate_authority, tmp_path):
    for server in start_server("ssl", certificate_authority, Handler(drop_at="DATA")):
        settings = settings_for(server)
        with pytest.raises(MailError) as caught:
            send(settings, message_for(settings), PASSWORD, tmp_path)
        assert "mất kết nối với máy chủ thư" in caught.value.message
        assert "có thể đã tới" in caught.value.message
        assert caught.value.unsure


def test_nothing_listening(tmp_path):
    settings = MailSettings("127.0.0.1", free_port(), "starttls", FROM, "vhtt@hongngu.example")
    with pytest.raises(MailError) as caught:
        send(settings, message_for(settings), None, tmp_path)
    assert f"máy chủ thư 127.0.0.1:{settings.port} từ chối kết nối" in caught.value.message


def test_an_unknown_host(monkeypatch, tmp_path):
    # no name is looked up for real: nothing leaves this machine
    def no_such_host(*args, **kwargs):
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", no_such_host)
    settings = MailSettings("mail.khong-co.example", 465, "ssl", FROM, "vhtt@hongngu.example")
    with pytest.raises(MailError) as caught:
        send(settings, message_for(settings), None, tmp_path)
    assert "không tìm thấy máy chủ thư «mail.khong-co.example»" in caught.value.message
    assert "Name or service not known" in caught.value.message


def test_a_certificate_nobody_vouches_for(smtp_ssl, tmp_path):
    settings = settings_for(smtp_ssl, ca_file="")  # the system's authorities only
    with pytest.raises(MailError) as caught:
        send(settings, message_for(settings), PASSWORD, tmp_path)
    assert "chứng chỉ TLS của máy chủ thư" in caught.value.message
    assert "không đáng tin" in caught.value.message and "email.ca_file" in caught.value.message
    assert smtp_ssl.received == []


def test_ssl_against_a_starttls_port_is_a_tls_problem(smtp_starttls, tmp_path):
    settings = settings_for(smtp_starttls, security="ssl")
    with pytest.raises(MailError) as caught:
        send(settings, message_for(settings), PASSWORD, tmp_path)
    assert caught.value.message.startswith("lỗi TLS với máy chủ thư")
    assert "email.security" in caught.value.message


def test_starttls_where_the_server_offers_none(certificate_authority, tmp_path):
    from aiosmtpd.controller import Controller

    handler = Handler()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        settings = MailSettings("127.0.0.1", port, "starttls", FROM, "vhtt@hongngu.example")
        with pytest.raises(MailError) as caught:
            send(settings, message_for(settings), None, tmp_path)
    finally:
        controller.stop()
    assert "không hỗ trợ STARTTLS" in caught.value.message
    assert handler.received == []  # never in clear text


def test_a_server_that_never_answers(tmp_path):
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    accepted = []
    waiter = threading.Thread(target=lambda: accepted.append(listener.accept()), daemon=True)
    waiter.start()
    try:
        port = listener.getsockname()[1]
        settings = MailSettings(
            "127.0.0.1", port, "starttls", FROM, "vhtt@hongngu.example", timeout=1
        )
        with pytest.raises(MailError) as caught:
            send(settings, message_for(settings), None, tmp_path)
        assert caught.value.message == (
            f"máy chủ thư 127.0.0.1:{port} không trả lời sau 1 giây (khi kết nối); chưa gửi"
        )
    finally:
        for connection, _ in accepted:
            connection.close()
        listener.close()


def test_too_big_an_attachment_is_refused_before_anything(tmp_path, monkeypatch):
    import bluezone_tui.deliver.mail as mail

    monkeypatch.setattr(mail, "MAX_ATTACHMENT_BYTES", 1000)
    big = tmp_path / "to.pdf"
    big.write_bytes(b"x" * 2000)
    with pytest.raises(RefusedError, match="quá lớn để gửi qua thư"):
        attachment_from(big)


# ----------------------------------------------------------------------------- the secret


def mail_settings(**changes: object) -> MailSettings:
    values: dict[str, object] = {
        "host": "mail.hongngu.example",
        "port": 465,
        "security": "ssl",
        "sender": FROM,
        "sender_address": "vhtt@hongngu.example",
        "user": USER,
    }
    values.update(changes)
    return MailSettings(**values)  # type: ignore[arg-type]


def test_no_user_no_password():
    assert password_for(mail_settings(user=""), Path("/nonexistent"), {}) is None


def test_the_environment_variable_comes_first(tmp_path):
    environ = {"BLUEZONE_SMTP_PASSWORD": "từ biến", "XDG_CONFIG_HOME": str(tmp_path)}
    assert password_for(mail_settings(), tmp_path / "data", environ) == "từ biến"
    named = mail_settings(password_env="MAT_KHAU_THU")
    assert password_for(named, tmp_path / "data", {"MAT_KHAU_THU": "khác"}) == "khác"


def test_the_default_file_under_the_config_folder(tmp_path):
    secret = tmp_path / "bluezone" / "smtp-password"
    secret.parent.mkdir()
    secret.write_text("bí mật\n", encoding="utf-8")
    secret.chmod(0o600)
    environ = {"XDG_CONFIG_HOME": str(tmp_path)}
    assert password_for(mail_settings(), tmp_path / "data", environ) == "bí mật"


def test_a_file_others_can_read_is_refused(tmp_path):
    secret = tmp_path / "pw"
    secret.write_text("bí mật\n", encoding="utf-8")
    secret.chmod(0o640)
    with pytest.raises(ConfigError) as caught:
        password_for(mail_settings(password_file=str(secret)), tmp_path / "data", {})
    assert "để người khác đọc được (quyền 0640)" in caught.value.message
    assert f"chmod 600 {secret}" in caught.value.message


def test_a_file_in_the_data_folder_is_refused(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    secret = data / "pw"
    secret.write_text("bí mật\n", encoding="utf-8")
    secret.chmod(0o600)
    with pytest.raises(ConfigError, match="nằm trong thư mục dữ liệu, sẽ vào git"):
        password_for(mail_settings(password_file=str(secret)), data, {})


def test_an_empty_file_a_folder_and_a_relative_path_are_refused(tmp_path):
    empty = tmp_path / "empty"
    empty.write_text("\n")
    empty.chmod(0o600)
    with pytest.raises(ConfigError, match="tệp mật khẩu trống"):
        password_for(mail_settings(password_file=str(empty)), tmp_path / "data", {})
    with pytest.raises(ConfigError, match="phải là một tệp thường"):
        password_for(mail_settings(password_file=str(tmp_path)), tmp_path / "data", {})
    with pytest.raises(ConfigError, match="phải là đường dẫn đầy đủ"):
        password_for(mail_settings(password_file="pw.txt"), tmp_path / "data", {})


def test_no_password_anywhere_says_both_ways(tmp_path):
    with pytest.raises(ConfigError) as caught:
        password_for(mail_settings(), tmp_path / "data", {"XDG_CONFIG_HOME": str(tmp_path)})
    message = caught.value.message
    assert "BLUEZONE_SMTP_PASSWORD" in message
    assert str(tmp_path / "bluezone" / "smtp-password") in message and "chmod 600" in message


@pytest.mark.skipif(os.geteuid() != 0, reason="only root can give a file to another user")
def test_a_file_of_another_user_is_refused(tmp_path):
    secret = tmp_path / "pw"
    secret.write_text("bí mật\n")
    secret.chmod(0o600)
    os.chown(secret, 12345, 12345)
    with pytest.raises(ConfigError, match="không phải của người dùng đang chạy lệnh"):
        password_for(mail_settings(password_file=str(secret)), tmp_path / "data", {})
