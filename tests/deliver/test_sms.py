"""SMS: mobile numbers only, the text as a modem or a gateway takes it, gammu-smsd-inject
called as its manual says (recorded, and the real one where Debian's package is
installed), and an HTTP gateway on 127.0.0.1 that answers, refuses, hangs or drops."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from bluezone_tui.base.problems import ConfigError
from bluezone_tui.deliver.sms import (
    SmsError,
    inject,
    inject_command,
    is_mobile,
    key_for,
    parts,
    post,
    sms_numbers,
    without_marks,
)
from bluezone_tui.registry.reminders import FORM, JSON, GammuSettings, HttpSmsSettings
from helpers.sms_gateway import (
    Behaviour,
    decoded_backup,
    fake_inject,
    gammu_spool,
)

TEXT = (
    "Kính gửi Xã Long Khánh B: chưa nhận được báo cáo kết quả cài đặt Bluezone ngày "
    "26/08/2020 của đơn vị. Hạn trước 15 giờ 00, còn 1 giờ 00 phút."
)
REAL_INJECT = shutil.which("gammu-smsd-inject")
REAL_DAEMON = shutil.which("gammu-smsd")


# ----------------------------------------------------------------------------- numbers


@pytest.mark.parametrize(
    ("phone", "mobiles", "why"),
    [
        ("0912 345 678", ("0912345678",), ""),
        ("+84 912 345 678", ("0912345678",), ""),
        ("0277 3800 107; 0912.345.678", ("0912345678",), ""),
        ("0912 345 678; 0387 000 111", ("0912345678", "0387000111"), ""),
        ("0277 3800 107", (), "chỉ có số máy bàn 0277 3800 107"),
        ("+84 277 3800 107", (), "chỉ có số máy bàn"),
        ("", (), "không có số điện thoại"),
        ("không có", (), "không có số điện thoại"),
        ("912345678", (), "mất số 0"),
        ("gọi văn phòng", (), "không phải số điện thoại"),
    ],
)
def test_only_mobiles_take_an_sms_and_the_rest_say_why(phone, mobiles, why):
    numbers = sms_numbers(phone)
    assert numbers.mobiles == mobiles
    assert why in numbers.why_none
    assert bool(numbers.why_none) == (not mobiles)


def test_mobile_prefixes():
    assert all(is_mobile(f"0{first}12345678") for first in "35789")
    assert not any(is_mobile(n) for n in ("02773800107", "0112345678", "091234567"))


def test_text_without_marks_and_its_parts():
    assert without_marks("Kính gửi Xã Long Khánh B, Đồng Tháp: đề nghị") == (
        "Kinh gui Xa Long Khanh B, Dong Thap: de nghi"
    )
    assert parts("a" * 160) == 1 and parts("a" * 161) == 2  # GSM alphabet: 160, then 153
    assert parts("ư" * 70) == 1 and parts("ư" * 71) == 2  # UCS-2: 70, then 67
    assert parts(TEXT) == 3 and parts(without_marks(TEXT)) == 1


# ----------------------------------------------------------------------------- gammu


def test_the_inject_command_as_gammus_manual_writes_it():
    """`gammu-smsd-inject TEXT 123456 -unicode -len 400 -text "…"` (gammu-smsd-inject(1))."""
    settings = GammuSettings(config="/etc/gammu-smsdrc")
    assert inject_command(settings, "0912345678", TEXT) == [
        "gammu-smsd-inject", "-c", "/etc/gammu-smsdrc", "TEXT", "0912345678", "-unicode",
        "-len", str(len(TEXT)), "-text", TEXT,
    ]  # fmt: skip
    plain = without_marks(TEXT)
    assert inject_command(GammuSettings(), "0912345678", plain) == [
        "gammu-smsd-inject", "TEXT", "0912345678", "-len", str(len(plain)), "-text", plain,
    ]  # fmt: skip


def test_inject_records_what_the_command_said(tmp_path):
    fake = fake_inject(tmp_path / "bin")
    receipt = inject(GammuSettings(command=str(fake.command)), "0912345678", TEXT)
    assert fake.calls() == [
        ["TEXT", "0912345678", "-unicode", "-len", str(len(TEXT)), "-text", TEXT]
    ]
    assert receipt.reply == (
        "gammu-smsd: đã vào hàng đợi "
        "/var/spool/gammu/outbox/OUTC20200826_140000_00_0912345678_sms0.smsbackup"
    )


def test_inject_failures(tmp_path, monkeypatch):
    fake = fake_inject(tmp_path / "bin")
    settings = GammuSettings(command=str(fake.command), timeout=1)
    monkeypatch.setenv("FAKE_INJECT", "fail")
    with pytest.raises(SmsError) as info:
        inject(settings, "0912345678", TEXT)
    assert not info.value.unsure and "Error opening device" in info.value.message
    assert "chưa gửi" in info.value.message
    monkeypatch.setenv("FAKE_INJECT", "hang")
    with pytest.raises(SmsError) as info:
        inject(settings, "0912345678", TEXT)
    assert info.value.unsure and "không xong sau 1 giây" in info.value.message
    with pytest.raises(SmsError) as info:
        inject(GammuSettings(command=str(tmp_path / "none")), "0912345678", TEXT)
    assert not info.value.unsure and "apt-get install gammu-smsd" in info.value.message


def test_a_wrapper_that_hangs_goes_whole_with_its_children(tmp_path):
    """A wrapper script around gammu-smsd-inject that hangs: on the timeout its whole
    process group is killed, its child too (it held the output open: `inject` returns
    only once every holder is gone)."""
    pid_file = tmp_path / "child.pid"
    wrapper = tmp_path / "gammu-smsd-inject"
    wrapper.write_text(f"#!/bin/sh\nsleep 600 &\necho $! > {pid_file}\nwait\n", "utf-8")
    wrapper.chmod(0o755)
    with pytest.raises(SmsError) as info:
        inject(GammuSettings(command=str(wrapper), timeout=1), "0912345678", TEXT)
    assert info.value.unsure
    child = int(pid_file.read_text("utf-8"))
    # a killed process finishes exiting just after it lets go of its files: wait for that
    # (a bound, not a timing: left running, the child would sleep for ten minutes)
    for _ in range(200):
        if _ended(child):
            break
        time.sleep(0.05)
    assert _ended(child), f"the wrapper's child {child} still runs"


def _ended(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text("utf-8")
    except (FileNotFoundError, ProcessLookupError):
        return True
    return stat.rsplit(")", 1)[1].split()[0] in ("Z", "X")


@pytest.mark.skipif(
    REAL_INJECT is None, reason="gammu-smsd is not installed (apt-get install gammu-smsd)"
)
def test_the_real_gammu_queues_it_and_its_daemon_sends_it_to_a_dummy_phone(tmp_path):
    """Debian's gammu-smsd with its files backend and the dummy phone driver: the message
    is queued by the real inject command, then transmitted by the real daemon."""
    spool = gammu_spool(tmp_path / "gammu")
    receipt = inject(GammuSettings(config=str(spool.config)), "0912345678", TEXT)
    (queued,) = list(spool.outbox.iterdir())
    assert queued.name in receipt.reply and "0912345678" in queued.name
    assert decoded_backup(queued) == ("0912345678", TEXT)
    if REAL_DAEMON is None:
        return
    daemon = subprocess.Popen(
        [REAL_DAEMON, "-c", str(spool.config)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and not list(spool.sent.iterdir()):
            time.sleep(0.2)
    finally:
        daemon.terminate()
        daemon.wait(timeout=10)
    (sent,) = list(spool.sent.iterdir())
    assert sent.name == queued.name  # moved from the queue once transmitted
    log = spool.log.read_text("utf-8", errors="replace")
    assert f"Transmitted {queued.name} (total: 3) to 0912345678" in log  # three UCS-2 parts


# ----------------------------------------------------------------------------- http


def gateway_settings(gateway, **changes) -> HttpSmsSettings:
    values: dict = {
        "url": gateway.url + "/api/send",
        "body": '{"to": "{phone84}", "text": "{message}"}',
        "content_type": JSON,
        "key_header": "Authorization",
        "key_format": "Bearer {key}",
        "timeout": 2,
    }
    values.update(changes)
    return HttpSmsSettings(**values)


def test_a_gateway_gets_the_number_the_text_and_the_key(sms_gateway, tmp_path):
    receipt = post(gateway_settings(sms_gateway), "0912345678", TEXT, "s3cr3t-key", tmp_path)
    (request,) = sms_gateway.requests
    assert request.method == "POST" and request.path == "/api/send"
    assert request.json == {"to": "84912345678", "text": TEXT}
    assert request.headers["Authorization"] == "Bearer s3cr3t-key"
    assert request.headers["Content-Type"] == "application/json; charset=utf-8"
    assert receipt.reply == 'cổng SMS: HTTP 200 OK: {"status": "ok", "id": "sms-1"}'


def test_a_form_and_a_get(sms_gateway, tmp_path):
    form = gateway_settings(sms_gateway, body="Phone={phone}&Content={message}&ApiKey={key}",
                            content_type=FORM, key_header="")  # fmt: skip
    post(form, "0912345678", TEXT, "k&y", tmp_path)
    get = gateway_settings(
        sms_gateway, url=sms_gateway.url + "/send?to={phone}&msg={message}", method="GET", body=""
    )
    post(get, "0912345678", TEXT, "k", tmp_path)
    first, second = sms_gateway.requests
    assert first.form == {"Phone": ["0912345678"], "Content": [TEXT], "ApiKey": ["k&y"]}
    assert second.method == "GET" and second.query == {"to": ["0912345678"], "msg": [TEXT]}
    assert second.headers["Authorization"] == "Bearer k"


@pytest.mark.parametrize(
    ("behaviour", "unsure", "words"),
    [
        (
            Behaviour(401, '{"error": "bad key s3cr3t-key"}'),
            False,
            ["từ chối khóa", "HTTP 401", "***"],
        ),
        (Behaviour(404, "not found"), False, ["không có địa chỉ này"]),
        (Behaviour(429, "slow down"), False, ["quá nhanh"]),
        (Behaviour(503, "maintenance"), False, ["từ chối", "HTTP 503", "chưa gửi"]),
        (Behaviour(500, "oops"), True, ["có thể đã gửi"]),
        (Behaviour(502, "bad gateway"), True, ["có thể đã gửi"]),
        (Behaviour(200, '{"status": "error", "code": 99}'), False, ["không báo thành công"]),
        (Behaviour(hang_seconds=4), True, ["không trả lời sau 2 giây", "có thể đã gửi"]),
        (Behaviour(drop=True), True, ["mất kết nối", "có thể đã gửi"]),
    ],
)
def test_what_the_gateway_does_decides_failed_or_unsure(
    sms_gateway, tmp_path, behaviour, unsure, words
):
    sms_gateway.behaviour = behaviour
    settings = gateway_settings(sms_gateway, accept='"status": "ok"')
    with pytest.raises(SmsError) as info:
        post(settings, "0912345678", TEXT, "s3cr3t-key", tmp_path)
    assert info.value.unsure is unsure
    for word in words:
        assert word in info.value.message, info.value.message
    assert "s3cr3t-key" not in info.value.message
    assert len(sms_gateway.requests) == 1


def test_nothing_listening_is_failed(tmp_path):
    from helpers.smtp import free_port

    settings = HttpSmsSettings(url=f"http://127.0.0.1:{free_port()}/send?to={{phone}}&m={{message}}",
                               method="GET", timeout=2)  # fmt: skip
    with pytest.raises(SmsError) as info:
        post(settings, "0912345678", TEXT, None, tmp_path)
    assert not info.value.unsure and "từ chối kết nối" in info.value.message


def test_the_key_from_the_environment_or_an_owner_only_file(tmp_path):
    settings = HttpSmsSettings(url="https://x/{phone}/{message}", key_header="X-Key")
    assert key_for(settings, tmp_path / "data", {"BLUEZONE_SMS_KEY": "from-env"}) == "from-env"
    config = tmp_path / "config"
    with pytest.raises(ConfigError) as info:
        key_for(settings, tmp_path / "data", {"XDG_CONFIG_HOME": str(config)})
    assert "BLUEZONE_SMS_KEY" in info.value.message and "sms-key" in info.value.message
    path = config / "bluezone" / "sms-key"
    path.parent.mkdir(parents=True)
    path.write_text("tu-tep\n")
    os.chmod(path, 0o644)
    with pytest.raises(ConfigError) as info:
        key_for(settings, tmp_path / "data", {"XDG_CONFIG_HOME": str(config)})
    assert "tệp khóa cổng SMS để người khác đọc được" in info.value.message
    os.chmod(path, 0o600)
    assert key_for(settings, tmp_path / "data", {"XDG_CONFIG_HOME": str(config)}) == "tu-tep"
    inside = tmp_path / "data" / "sms-key"
    inside.parent.mkdir()
    inside.write_text("k")
    os.chmod(inside, 0o600)
    in_data = HttpSmsSettings(url=settings.url, key_header="X-Key", key_file=str(inside))
    with pytest.raises(ConfigError) as info:
        key_for(in_data, tmp_path / "data", {})
    assert "nằm trong thư mục dữ liệu" in info.value.message
    assert key_for(HttpSmsSettings(url="https://x/{phone}/{message}"), tmp_path, {}) is None


def test_a_gateway_over_https_with_its_own_authority(tmp_path, certificate_authority):
    """TLS checked against the authority named by ca_file; without it, refused."""
    import ssl
    import threading
    from http.server import BaseHTTPRequestHandler, HTTPServer

    _ca, certificate, ca_file = certificate_authority
    got = []

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_POST(self):  # noqa: N802
            got.append(self.rfile.read(int(self.headers["Content-Length"])))
            self.send_response(200)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

    server = HTTPServer(("127.0.0.1", 0), Handler)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    certificate.configure_cert(context)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"https://127.0.0.1:{server.server_address[1]}/send"
        body = "to={phone}&text={message}"
        trusted = HttpSmsSettings(
            url=url, body=body, content_type=FORM, ca_file=str(ca_file), timeout=5
        )
        assert (
            post(trusted, "0912345678", TEXT, None, tmp_path).reply == "cổng SMS: HTTP 200 OK: ok"
        )
        untrusted = HttpSmsSettings(url=url, body=body, content_type=FORM, timeout=5)
        with pytest.raises(SmsError) as info:
            post(untrusted, "0912345678", TEXT, None, tmp_path)
        assert "không đáng tin" in info.value.message and not info.value.unsure
        assert len(got) == 1
    finally:
        server.shutdown()
        server.server_close()


def test_the_inject_stand_in_follows_the_real_commands_output():
    """The recorded contract: the stand-in says what Debian's gammu-smsd-inject 1.42 says."""
    fake = Path(__file__).parent.parent / "helpers" / "sms_gateway.py"
    assert "Written message with ID /var/spool/gammu/outbox/OUTC" in fake.read_text("utf-8")
