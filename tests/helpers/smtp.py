"""A real SMTP server on 127.0.0.1 for the sending tests: aiosmtpd, over TLS from the start
(ssl) or after STARTTLS, with a certificate from an authority made in the test (trustme)
and AUTH. It keeps every message it accepts, and can refuse a recipient or a message,
or drop the connection at MAIL or after the message's bytes (DATA).

Nothing leaves this machine: the server listens on 127.0.0.1 only.
"""

from __future__ import annotations

import email
import socket
import ssl
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import policy
from email.header import decode_header, make_header
from email.message import EmailMessage
from pathlib import Path

import pytest


def _needed(name: str):
    """A test dependency (pyproject's test extra), or the test skipped saying which."""
    return pytest.importorskip(
        name, reason=f"{name} is a test dependency: pip install -e '.[test]'"
    )


USER = "vhtt.hongngu"
PASSWORD = "mật-khẩu đúng 123"  # non-ASCII on purpose: AUTH carries UTF-8
QUEUE_REPLY = "250 2.0.0 Ok: queued as 4BzH7q1Xyz"


@dataclass
class Received:
    """One message as the server took it."""

    mail_from: str
    rcpt_tos: list[str]
    data: bytes
    login: str | None

    @property
    def message(self) -> EmailMessage:
        parsed = email.message_from_bytes(self.data, policy=policy.default)
        assert isinstance(parsed, EmailMessage)
        return parsed

    def header(self, name: str) -> str:
        """A header decoded as RFC 2047 says (Python's own parser puts a space between
        adjacent encoded words inside a display name; mail clients do not)."""
        raw = email.message_from_bytes(self.data, policy=policy.compat32)[name]
        return str(make_header(decode_header(str(raw))))

    def attachments(self) -> dict[str, bytes]:
        found = {}
        for part in self.message.iter_attachments():
            name = part.get_filename()
            assert name is not None
            found[name] = part.get_payload(decode=True)
        return found

    def body(self) -> str:
        part = self.message.get_body(preferencelist=("plain",))
        assert part is not None
        return part.get_content().replace("\r\n", "\n")  # CRLF on the wire


@dataclass
class Handler:
    """What the server does with each command; tests set the refusals and drops."""

    received: list[Received] = field(default_factory=list)
    refuse_rcpt: set[str] = field(default_factory=set)
    refuse_data: str = ""  # e.g. "554 5.7.1 Message rejected"
    drop_at: str = ""  # "MAIL" or "DATA": the connection is closed there
    reply: str = QUEUE_REPLY

    async def handle_MAIL(self, server, session, envelope, address, mail_options):  # noqa: N802
        if self.drop_at == "MAIL":
            server.transport.close()
            return "421 4.4.2 closing"
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        if address in self.refuse_rcpt:
            return f"550 5.1.1 <{address}>: Recipient address rejected: User unknown"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        if self.drop_at == "DATA":
            server.transport.close()  # the bytes arrived; the reply never goes
            return "250 OK"
        if self.refuse_data:
            return self.refuse_data
        login = session.auth_data.decode() if session.authenticated else None
        self.received.append(
            Received(envelope.mail_from, list(envelope.rcpt_tos), envelope.content, login)
        )
        return self.reply


def authenticator(server, session, envelope, mechanism, auth_data):
    aiosmtpd_smtp = _needed("aiosmtpd.smtp")
    ok = (
        isinstance(auth_data, aiosmtpd_smtp.LoginPassword)
        and auth_data.login == USER.encode()
        and auth_data.password == PASSWORD.encode()
    )
    return aiosmtpd_smtp.AuthResult(
        success=ok, handled=False, auth_data=USER.encode() if ok else None
    )


@dataclass
class SmtpServer:
    host: str
    port: int
    security: str
    handler: Handler
    ca_file: Path

    @property
    def received(self) -> list[Received]:
        return self.handler.received

    def email_yaml(self, user: str = USER, **extra: object) -> str:
        """The `email:` block of units.yaml for this server."""
        lines = [
            "email:",
            f"  host: {self.host}",
            f"  port: {self.port}",
            f"  security: {self.security}",
            f"  user: {user}",
            '  from: "Phòng Văn hóa và Thông tin huyện Hồng Ngự <vhtt@hongngu.example>"',
            f"  ca_file: {self.ca_file}",
            "  timeout: 5",
        ]
        lines += [f"  {key}: {value}" for key, value in extra.items()]
        return "\n".join(lines) + "\n"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="session")
def certificate_authority(tmp_path_factory: pytest.TempPathFactory):
    """An authority made here, and a certificate from it for 127.0.0.1."""
    ca = _needed("trustme").CA()
    folder = tmp_path_factory.mktemp("ca")
    ca_file = folder / "ca.pem"
    ca.cert_pem.write_to_path(str(ca_file))
    return ca, ca.issue_cert("127.0.0.1"), ca_file


def _server_context(certificate) -> ssl.SSLContext:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    certificate.configure_cert(context)
    return context


def start_server(security: str, authority, handler: Handler | None = None) -> Iterator[SmtpServer]:
    """The server, running until the generator is closed (a fixture's yield, or a for loop)."""
    aiosmtpd_controller = _needed("aiosmtpd.controller")
    _ca, certificate, ca_file = authority
    handler = handler or Handler()
    context = _server_context(certificate)
    port = free_port()
    options: dict[str, object] = {"authenticator": authenticator}
    if security == "ssl":
        controller = aiosmtpd_controller.Controller(
            handler, hostname="127.0.0.1", port=port, ssl_context=context, **options,
            auth_require_tls=False,  # TLS from the first byte: aiosmtpd cannot tell
        )  # fmt: skip
    else:
        controller = aiosmtpd_controller.Controller(
            handler, hostname="127.0.0.1", port=port, tls_context=context,
            require_starttls=True, **options,
        )  # fmt: skip
    controller.start()
    try:
        yield SmtpServer("127.0.0.1", port, security, handler, ca_file)
    finally:
        controller.stop()


@pytest.fixture
def smtp_ssl(certificate_authority) -> Iterator[SmtpServer]:
    yield from start_server("ssl", certificate_authority)


@pytest.fixture
def smtp_starttls(certificate_authority) -> Iterator[SmtpServer]:
    yield from start_server("starttls", certificate_authority)


def with_server(registry_text: str, server: SmtpServer, **extra: object) -> str:
    """A registry's text (the shipped one's layout) with its `email:` block for `server`."""
    start = registry_text.index("\nemail:\n") + 1
    end = registry_text.index("\n\n", start) + 1
    return registry_text[:start] + server.email_yaml(**extra) + registry_text[end:]
