"""Email over SMTP: one sender for every mail the tool sends (the signed report, reminders).

What: `email:` in units.yaml (registry.model.MailSettings: host, port, ssl or starttls,
user, from, timeout, ca_file). The secret: the password, from an environment variable
(`password_env`, BLUEZONE_SMTP_PASSWORD by default) or from a file only its owner can
read, outside the data folder (`password_file`, else ~/.config/bluezone/smtp-password):
never in units.yaml, never in git.

A message is composed with the standard library's EmailMessage (RFC 5322 headers, the
Vietnamese ones encoded by RFC 2047, attachments' UTF-8 names by RFC 2231, a body that
any server carries: quoted-printable). It is sent with smtplib step by step (EHLO, TLS,
AUTH, MAIL, RCPT, DATA) so that a failure can be placed: anything before the message's
bytes went is `failed` (nothing was sent); a connection lost after they went is `unsure`
(the server may have taken it). Every failure is said in Vietnamese, the server's own
words after.
"""

from __future__ import annotations

import base64
import errno
import hashlib
import mimetypes
import os
import re
import secrets
import smtplib
import socket
import ssl
import stat
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from email import policy
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path

from bluezone_tui.base.files import MAX_SENT_BYTES, TooLarge, os_reason, read_regular
from bluezone_tui.base.problems import ConfigError, RefusedError
from bluezone_tui.base.safe_text import printable, shell_word
from bluezone_tui.deliver.outbox import DeliveryError, Receipt
from bluezone_tui.registry.model import MailSettings

MAX_ATTACHMENT_BYTES = MAX_SENT_BYTES  # most mail servers refuse a message past 20–25 MB
MAX_PASSWORD_BYTES = 4096
PASSWORD_FILE = Path("bluezone") / "smtp-password"  # under ~/.config (XDG_CONFIG_HOME)
SMTP_POLICY = policy.SMTP  # CRLF line ends, headers folded at 78 columns


class MailError(DeliveryError):
    """The mail was not sent (or may not have been: `unsure`): why, in Vietnamese."""


@dataclass(frozen=True, slots=True)
class Attachment:
    """A file sent with a message: its name as the recipient sees it, and its bytes."""

    name: str
    data: bytes
    mime: str = "application/octet-stream"

    @property
    def size(self) -> int:
        return len(self.data)

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


def attachment_from(path: Path, name: str | None = None) -> Attachment:
    """A file read whole to be attached (RefusedError when it cannot be, or is too big
    for a mail server)."""
    try:
        data = read_regular(path, MAX_ATTACHMENT_BYTES)
    except TooLarge as exc:
        raise RefusedError(
            f"{path}: {exc.size / 1024 / 1024:.1f} MB, quá lớn để gửi qua thư (tối đa "
            f"{MAX_ATTACHMENT_BYTES // 1024 // 1024} MB)"
        ) from None
    except OSError as exc:
        raise RefusedError(f"{path}: không đọc được: {os_reason(exc)}") from None
    shown = name or path.name
    return Attachment(shown, data, mimetypes.guess_type(shown)[0] or "application/octet-stream")


# ----------------------------------------------------------------------------- composing


def new_message_id(settings: MailSettings, token: str) -> str:
    """A Message-ID made before sending (so the outbox holds it even if the send is cut),
    on the sender's domain."""
    domain = settings.sender_address.rpartition("@")[2] or "bluezone.invalid"
    kept = re.sub(r"[^A-Za-z0-9.-]", "", token)[:24].strip(".")
    # short enough that the header is never folded: "<2020-08-20.ubnd.1f2e…@domain>"
    return f"<{kept + '.' if kept else ''}{secrets.token_hex(8)}@{domain}>"


def compose(
    settings: MailSettings,
    *,
    to: Sequence[tuple[str, str]],
    subject: str,
    body: str,
    now: datetime,
    message_id: str,
    attachments: Sequence[Attachment] = (),
    cc: Sequence[tuple[str, str]] = (),
) -> EmailMessage:
    """The message: From the settings, To/Cc as (name, address) pairs, a Vietnamese subject
    and body, the attachments. RefusedError when a header cannot be made (a name with a
    line break)."""
    message = EmailMessage(policy=SMTP_POLICY)
    try:
        message["From"] = settings.sender
        message["To"] = [_address(name, address) for name, address in to]
        if cc:
            message["Cc"] = [_address(name, address) for name, address in cc]
        message["Subject"] = subject
        message["Date"] = format_datetime(now)
        message["Message-ID"] = message_id
    except (ValueError, IndexError) as exc:  # a line break or a bad address in a header
        raise RefusedError(f"không lập được tiêu đề thư: {exc}") from None
    message.set_content(body, cte="quoted-printable")
    for item in attachments:
        maintype, _, subtype = item.mime.partition("/")
        message.add_attachment(item.data, maintype=maintype, subtype=subtype, filename=item.name)
    return message


def _address(name: str, address: str) -> Address:
    username, _, domain = address.rpartition("@")
    return Address(display_name=name, username=username, domain=domain)


def recipients_of(message: EmailMessage) -> list[str]:
    """Every address the message goes to (To, Cc, Bcc), in order, once each."""
    found: list[str] = []
    for header in ("To", "Cc", "Bcc"):
        for value in message.get_all(header, []):
            for address in getattr(value, "addresses", ()):
                if address.addr_spec and address.addr_spec not in found:
                    found.append(address.addr_spec)
    return found


def as_sent(message: EmailMessage) -> bytes:
    """The bytes the server receives after DATA (before dot-stuffing)."""
    return message.as_bytes(policy=SMTP_POLICY)


# ----------------------------------------------------------------------------- the secret


def password_for(
    settings: MailSettings, data_dir: Path, environ: Mapping[str, str] | None = None
) -> str | None:
    """The SMTP password: None when the server takes mail without logging in (no
    `user`). From the environment variable first, else from the password file, which
    must be the user's own, readable by nobody else, and outside the data folder.
    ConfigError (exit 2) saying what to do otherwise."""
    return password_and_source(settings, data_dir, environ)[0]


def password_and_source(
    settings: MailSettings, data_dir: Path, environ: Mapping[str, str] | None = None
) -> tuple[str | None, str]:
    """password_for, and where it was found in words (for `send --dry-run`)."""
    if not settings.user:
        return None, "không cần (máy chủ nhận thư không đăng nhập: không có email.user)"
    environ = os.environ if environ is None else environ
    from_env = environ.get(settings.password_env, "")
    if from_env:
        return from_env, f"có, từ biến {settings.password_env}"
    path, default = _password_path(settings, environ)
    if default and not os.path.lexists(path):
        raise ConfigError(
            f"cần mật khẩu thư của «{settings.user}»: đặt biến môi trường "
            f"{settings.password_env}, hoặc ghi mật khẩu vào tệp {path} (một dòng; "
            f"«chmod 600 {shell_word(str(path))}»), hoặc chỉ tệp khác bằng email.password_file; "
            f"xem docs/sending.md"
        )
    return read_password_file(path, data_dir), f"có, từ tệp {path}"


def _password_path(settings: MailSettings, environ: Mapping[str, str]) -> tuple[Path, bool]:
    """The password file, and whether it is the default one (units.yaml names none)."""
    if settings.password_file:
        path = Path(os.path.expanduser(settings.password_file))
        if not path.is_absolute():
            raise ConfigError(
                f"email.password_file «{settings.password_file}» phải là đường dẫn đầy đủ "
                f"(ví dụ ~/.config/bluezone/smtp-password), ngoài thư mục dữ liệu"
            )
        return path, False
    config = environ.get("XDG_CONFIG_HOME") or os.path.join(os.path.expanduser("~"), ".config")
    return Path(config) / PASSWORD_FILE, True


def read_password_file(
    path: Path,
    data_dir: Path,
    secret: str = "mật khẩu",
    example: str = "~/.config/bluezone/smtp-password",
) -> str:
    """The first line of a file holding a secret (the mail password, an SMS gateway's key)
    that only its owner can read, outside the data folder (ConfigError else)."""
    what = f"tệp {secret}"
    real = os.path.realpath(path)
    data = os.path.realpath(data_dir)
    if real == data or real.startswith(data + os.sep):
        raise ConfigError(
            f"{path}: {what} nằm trong thư mục dữ liệu, sẽ vào git và tới mọi văn "
            f"phòng: chuyển ra ngoài (ví dụ {example}), đổi {secret}"
            + (" thư" if secret == "mật khẩu" else "")
        )
    try:
        info = os.stat(path)
    except OSError as exc:
        raise ConfigError(f"{path}: không đọc được {what}: {os_reason(exc)}") from None
    if not stat.S_ISREG(info.st_mode):
        raise ConfigError(f"{path}: {what} phải là một tệp thường")
    if hasattr(os, "getuid") and info.st_uid != os.getuid():
        raise ConfigError(
            f"{path}: {what} không phải của người dùng đang chạy lệnh; chỉ dùng tệp của "
            f"chính mình («chmod 600», chủ sở hữu là mình)"
        )
    if info.st_mode & 0o077:
        raise ConfigError(
            f"{path}: {what} để người khác đọc được (quyền {info.st_mode & 0o777:04o}); "
            f"chạy «chmod 600 {shell_word(str(path))}» rồi thử lại (và nên đổi {secret} nếu máy "
            f"dùng chung)"
        )
    try:
        raw = read_regular(path, MAX_PASSWORD_BYTES)
    except TooLarge:
        raise ConfigError(f"{path}: {what} quá lớn (tối đa {MAX_PASSWORD_BYTES} byte)") from None
    except OSError as exc:
        raise ConfigError(f"{path}: không đọc được {what}: {os_reason(exc)}") from None
    try:
        text = raw.decode("utf-8", errors="strict")
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: {what} không phải văn bản UTF-8") from None
    value = text.splitlines()[0] if text.strip() else ""
    if not value:
        raise ConfigError(f"{path}: {what} trống")
    return value


# ----------------------------------------------------------------------------- sending


def tls_context(settings: MailSettings, data_dir: Path) -> ssl.SSLContext:
    """Certificates checked against the system's authorities, or `ca_file` (relative to
    the data folder) for a mail server with a private one."""
    return trusted_context(settings.ca_file, data_dir, "email.ca_file")


def trusted_context(ca_file: str | None, data_dir: Path, key: str) -> ssl.SSLContext:
    """The system's authorities, or `ca_file` (relative to the data folder); ConfigError
    naming `key` when it cannot be read. Mail and the SMS gateway share it."""
    if not ca_file:
        return ssl.create_default_context()
    path = Path(os.path.expanduser(ca_file))
    if not path.is_absolute():
        path = data_dir / path
    try:
        return ssl.create_default_context(cafile=str(path))
    except (OSError, ssl.SSLError) as exc:
        reason = os_reason(exc) if isinstance(exc, OSError) and exc.errno else str(exc)
        raise ConfigError(f"{path}: không đọc được chứng chỉ ({key}): {reason}") from None


def send(
    settings: MailSettings, message: EmailMessage, password: str | None, data_dir: Path
) -> Receipt:
    """Send one message through the office's SMTP server; its Receipt, or MailError
    (`unsure` when the connection was lost after the message's bytes went)."""
    recipients = recipients_of(message)
    if not recipients:
        raise MailError("thư không có người nhận")
    payload = _dot_stuffed(as_sent(message))
    context = tls_context(settings, data_dir)
    where = f"{settings.host}:{settings.port}"
    step = "connect"
    smtp: smtplib.SMTP | None = None
    try:
        if settings.security == "ssl":
            smtp = smtplib.SMTP_SSL(
                settings.host, settings.port, timeout=settings.timeout, context=context
            )
            smtp.ehlo()
        else:
            smtp = smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout)
            step = "starttls"
            smtp.ehlo()
            if not smtp.has_extn("starttls"):
                raise MailError(
                    f"máy chủ thư {where} không hỗ trợ STARTTLS: kiểm tra email.security "
                    f"(ssl cho cổng 465) và email.port",
                )
            smtp.starttls(context=context)
            smtp.ehlo()
        if settings.user:
            step = "login"
            login(smtp, settings.user, password or "")
        step = "envelope"
        code, reply = smtp.mail(settings.sender_address)
        if code != 250:
            raise MailError(
                f"máy chủ thư từ chối địa chỉ gửi «{settings.sender_address}» (email.from)"
                + _server(code, reply)
            )
        refused = []
        for address in recipients:
            code, reply = smtp.rcpt(address)
            if code not in (250, 251):
                refused.append(f"«{address}»{_server(code, reply)}")
        if refused:
            _quietly(smtp.rset)
            raise MailError(
                f"máy chủ thư từ chối người nhận {'; '.join(refused)}: chưa gửi thư cho ai"
            )
        smtp.putcmd("data")
        code, reply = smtp.getreply()
        if code != 354:
            raise MailError("máy chủ thư không nhận nội dung thư" + _server(code, reply))
        step = "data"  # from here on, the message may have arrived
        smtp.send(payload)
        code, reply = smtp.getreply()
        if code != 250:
            raise MailError("máy chủ thư từ chối thư" + _server(code, reply))
        step = "done"
        receipt = Receipt(str(message.get("Message-ID", "")), f"{code} {_words(reply)}")
        _quietly(smtp.quit)
        return receipt
    except MailError:
        raise
    except Exception as exc:  # noqa: BLE001 - every network failure becomes a sentence
        raise failure(exc, settings, step) from None
    finally:
        if smtp is not None:
            _quietly(smtp.close)


def login(smtp: smtplib.SMTP, user: str, password: str) -> None:
    """AUTH. smtplib sends the name and password as ASCII only; a Vietnamese password
    ("mật khẩu") goes as UTF-8 (RFC 4616), by PLAIN or else LOGIN, as mail clients do."""
    if (user + password).isascii():
        smtp.login(user, password)
        return
    smtp.ehlo_or_helo_if_needed()
    if not smtp.has_extn("auth"):
        raise smtplib.SMTPNotSupportedError("SMTP AUTH extension not supported by server.")
    mechanisms = smtp.esmtp_features["auth"].upper().split()

    def b64(data: bytes) -> str:
        return base64.b64encode(data).decode("ascii")

    if "PLAIN" in mechanisms:
        code, reply = smtp.docmd(
            "AUTH", "PLAIN " + b64(b"\0%s\0%s" % (user.encode(), password.encode()))
        )
    elif "LOGIN" in mechanisms:
        code, reply = smtp.docmd("AUTH", "LOGIN " + b64(user.encode()))
        if code == 334:
            code, reply = smtp.docmd(b64(password.encode()))
    else:
        raise MailError(
            f"mật khẩu thư có chữ ngoài ASCII nhưng máy chủ chỉ nhận đăng nhập kiểu "
            f"{' '.join(mechanisms)}: đổi mật khẩu không dấu"
        )
    if code != 235:
        raise smtplib.SMTPAuthenticationError(code, reply)


def failure(exc: BaseException, settings: MailSettings, step: str) -> MailError:
    """Why sending failed, in Vietnamese, the server's own words after; `unsure` when the
    connection was lost after the message's bytes were handed over."""
    where = f"{settings.host}:{settings.port}"
    unsure = step == "data"
    maybe = (
        "; thư có thể đã tới hoặc chưa: hỏi nơi nhận trước khi gửi lại" if unsure else "; chưa gửi"
    )
    if isinstance(exc, smtplib.SMTPAuthenticationError):
        return MailError(
            f"sai tên đăng nhập hoặc mật khẩu thư (email.user «{settings.user}»)"
            + _server(exc.smtp_code, exc.smtp_error)
        )
    if isinstance(exc, smtplib.SMTPNotSupportedError) and step == "login":
        return MailError(
            f"máy chủ thư {where} không cho đăng nhập (không có AUTH): bỏ email.user nếu máy "
            f"chủ không cần, hoặc kiểm tra email.security ({exc})"
        )
    if isinstance(exc, smtplib.SMTPConnectError):
        return MailError(
            f"máy chủ thư {where} không nhận kết nối" + _server(exc.smtp_code, exc.smtp_error)
        )
    if isinstance(exc, smtplib.SMTPResponseException):
        return MailError(
            "máy chủ thư từ chối" + _server(exc.smtp_code, exc.smtp_error) + maybe, unsure=unsure
        )
    if isinstance(exc, smtplib.SMTPServerDisconnected) and isinstance(
        exc.__context__, TimeoutError
    ):  # smtplib says "disconnected" for a reply that never came
        exc = exc.__context__
    if isinstance(exc, smtplib.SMTPServerDisconnected | ConnectionResetError | BrokenPipeError):
        return MailError(
            f"mất kết nối với máy chủ thư {where} ({_step_words(step)}){maybe}", unsure=unsure
        )
    if isinstance(exc, ssl.SSLCertVerificationError):
        return MailError(
            f"chứng chỉ TLS của máy chủ thư {where} không đáng tin ({exc.verify_message}): kiểm "
            f"tra email.host (phải đúng tên trên chứng chỉ), hoặc chỉ chứng chỉ của máy chủ "
            f"bằng email.ca_file"
        )
    if isinstance(exc, ssl.SSLError):
        return MailError(
            f"lỗi TLS với máy chủ thư {where} ({exc.reason or exc}): kiểm tra email.security "
            f"(ssl: mã hoá từ đầu, thường cổng 465; starttls: thường cổng 587) và email.port"
            + (maybe if unsure else ""),
            unsure=unsure,
        )
    if isinstance(exc, socket.gaierror):
        return MailError(
            f"không tìm thấy máy chủ thư «{settings.host}» (tên không phân giải được: "
            f"{exc.strerror or exc}); kiểm tra email.host trong units.yaml và mạng của máy"
        )
    if isinstance(exc, TimeoutError):
        return MailError(
            f"máy chủ thư {where} không trả lời sau {settings.timeout} giây "
            f"({_step_words(step)}){maybe}",
            unsure=unsure,
        )
    if isinstance(exc, ConnectionRefusedError):
        return MailError(
            f"máy chủ thư {where} từ chối kết nối (máy chủ không chạy, hoặc sai cổng: ssl "
            f"thường là 465, starttls là 587)"
        )
    if isinstance(exc, OSError) and exc.errno in (errno.ENETUNREACH, errno.EHOSTUNREACH):
        return MailError(f"không tới được máy chủ thư {where}: mạng không tới (kiểm tra mạng)")
    if isinstance(exc, OSError):
        return MailError(
            f"lỗi mạng khi gửi thư qua {where} ({_step_words(step)}): "
            f"{os_reason(exc) if exc.errno else exc}{maybe}",
            unsure=unsure,
        )
    if isinstance(exc, smtplib.SMTPException):
        return MailError(f"máy chủ thư {where}: {exc}{maybe}", unsure=unsure)
    return MailError(f"lỗi không mong đợi khi gửi thư ({type(exc).__name__}: {exc}){maybe}",
                     unsure=unsure)  # fmt: skip


_STEPS = {
    "connect": "khi kết nối",
    "starttls": "khi bắt đầu TLS",
    "login": "khi đăng nhập",
    "envelope": "trước khi gửi nội dung",
    "data": "sau khi đã gửi nội dung thư",
    "done": "sau khi máy chủ nhận thư",
}


def _step_words(step: str) -> str:
    return _STEPS.get(step, step)


def _words(reply: bytes | str) -> str:
    text = reply.decode("utf-8", errors="replace") if isinstance(reply, bytes) else reply
    return printable(" ".join(text.split()))


def _server(code: int, reply: bytes | str) -> str:
    """The server's own words, after ours: " (máy chủ: 535 5.7.8 Authentication failed)"."""
    words = _words(reply)
    return f" (máy chủ: {code} {words})" if words else f" (máy chủ: {code})"


def _dot_stuffed(data: bytes) -> bytes:
    """DATA's payload: CRLF line ends, a leading "." doubled, the ending "." line."""
    data = re.sub(rb"\r\n|\r|\n", b"\r\n", data)
    data = re.sub(rb"(?m)^\.", b"..", data)
    if not data.endswith(b"\r\n"):
        data += b"\r\n"
    return data + b".\r\n"


def _quietly(action: Callable[[], object]) -> None:
    try:
        action()
    except Exception:  # noqa: BLE001 - closing after the outcome is known
        pass
