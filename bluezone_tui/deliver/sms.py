"""SMS: a GSM modem through gammu-smsd, or an HTTP SMS gateway; one message per number.

What is in units.yaml (`reminders.sms`, registry/reminders.py); the gateway's key is
not: it comes from the environment variable `key_env` (BLUEZONE_SMS_KEY) or from a file
only its owner can read, outside the data folder (`key_file`, else
~/.config/bluezone/sms-key), as the mail password does.

- gammu: `gammu-smsd-inject TEXT <number> [-unicode] -len N -text "…"` puts the message
  in gammu-smsd's queue; the daemon hands it to the modem. Sent here means queued:
  the reply names the queue's file. A command that did not start or said it failed is
  `failed`; one that did not answer in time is `unsure` (it may have queued it).
- http: one request per message, the templates filled (the number, the text, the key
  each escaped for where it stands). Nothing went before the request was sent
  (`failed`); a lost answer, a timeout or a gateway error after it is `unsure`.

Only mobile numbers take an SMS: a unit whose only number is a landline (0277…) is
named, with why, not skipped silently.
"""

from __future__ import annotations

import base64
import contextlib
import http.client
import os
import signal
import socket
import ssl
import subprocess
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from bluezone_tui.base.files import os_reason
from bluezone_tui.base.phone import MOBILE_FIRST, PhoneError, phone_numbers, says_none
from bluezone_tui.base.problems import ConfigError
from bluezone_tui.base.safe_text import printable, shell_word
from bluezone_tui.deliver.mail import read_password_file, trusted_context
from bluezone_tui.deliver.outbox import DeliveryError, Receipt
from bluezone_tui.registry.reminders import (
    GammuSettings,
    HttpSmsSettings,
    SmsSettings,
    fill,
)

KEY_FILE = Path("bluezone") / "sms-key"  # under ~/.config (XDG_CONFIG_HOME)
MAX_ANSWER_BYTES = 64 * 1024
ANSWER_WORDS = 200  # characters of a gateway's answer kept in the record
# GSM 03.38's default alphabet: a text only of these goes as 160-character parts;
# anything else (Vietnamese marks) as UCS-2, 70 characters a part.
GSM7 = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    "ÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
UNSURE_STATUSES = (500, 502, 504)  # the gateway may have taken it before failing


class SmsError(DeliveryError):
    """The SMS was not sent (or may have been: `unsure`): why, in Vietnamese."""


# ----------------------------------------------------------------------------- numbers


def is_mobile(number: str) -> bool:
    """A number in its dialing form (base/phone.py) that takes an SMS: 0 + 9 digits, a
    mobile network's prefix (03, 05, 07, 08, 09)."""
    return len(number) == 10 and number[0] == "0" and number[1] in MOBILE_FIRST


@dataclass(frozen=True, slots=True)
class Numbers:
    """The numbers an SMS goes to, or why there is none (Vietnamese)."""

    mobiles: tuple[str, ...]
    why_none: str = ""


def sms_numbers(phone: str) -> Numbers:
    """The mobile numbers of a phone as units.yaml writes it ("0277 3800 101; 0912 345
    678" gives 0912345678), or why none can take an SMS."""
    if says_none(phone):
        return Numbers((), "không có số điện thoại (contact.phone)")
    try:
        numbers = phone_numbers(phone)
    except PhoneError as exc:
        return Numbers((), str(exc))
    mobiles = tuple(number for number in numbers if is_mobile(number))
    if mobiles:
        return Numbers(mobiles)
    return Numbers(
        (),
        f"chỉ có số máy bàn {phone}, không nhận được tin nhắn: thêm số di động vào "
        f"contact.phone (nhiều số cách nhau bằng «;»)",
    )


def international(number: str) -> str:
    """0912345678 -> 84912345678: what gateways that want the country code take."""
    return "84" + number[1:]


# ----------------------------------------------------------------------------- the text


def without_marks(text: str) -> str:
    """Vietnamese without its marks ("Kính gửi Xã Long Khánh B" -> "Kinh gui Xa Long Khanh
    B"): the text some gateways require, and a third of the parts on a modem."""
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return unicodedata.normalize("NFC", stripped.replace("đ", "d").replace("Đ", "D"))


def sms_text(text: str, settings: SmsSettings) -> str:
    return without_marks(text) if settings.without_accents else text


def is_gsm7(text: str) -> bool:
    return all(ch in GSM7 for ch in text)


def parts(text: str) -> int:
    """How many SMS the text takes: 160 characters in one (153 a part when split) in the
    GSM alphabet, 70 (67) in UCS-2."""
    single, each = (160, 153) if is_gsm7(text) else (70, 67)
    return 1 if len(text) <= single else -(-len(text) // each)


# ----------------------------------------------------------------------------- the key


def key_for(
    settings: HttpSmsSettings, data_dir: Path, environ: Mapping[str, str] | None = None
) -> str | None:
    """The gateway's key: None when its templates and headers use none. From the
    environment variable first, else from the key file (the user's own, readable by
    nobody else, outside the data folder). ConfigError (exit 2) saying what to do."""
    if not settings.needs_key:
        return None
    environ = os.environ if environ is None else environ
    from_env = environ.get(settings.key_env, "")
    if from_env:
        return from_env
    if settings.key_file:
        path = Path(os.path.expanduser(settings.key_file))
        if not path.is_absolute():
            raise ConfigError(
                f"reminders.sms.http.key_file «{settings.key_file}» phải là đường dẫn đầy đủ "
                f"(ví dụ ~/.config/bluezone/sms-key), ngoài thư mục dữ liệu"
            )
    else:
        config = environ.get("XDG_CONFIG_HOME") or os.path.join(os.path.expanduser("~"), ".config")
        path = Path(config) / KEY_FILE
        if not os.path.lexists(path):
            raise ConfigError(
                f"cần khóa của cổng SMS: đặt biến môi trường {settings.key_env}, hoặc ghi khóa "
                f"vào tệp {path} (một dòng; «chmod 600 {shell_word(str(path))}»), hoặc chỉ tệp khác bằng "
                f"reminders.sms.http.key_file; xem docs/reminders.md"
            )
    return read_password_file(path, data_dir, "khóa cổng SMS", "~/.config/bluezone/sms-key")


# ----------------------------------------------------------------------------- sending


def send_sms(
    settings: SmsSettings, number: str, text: str, key: str | None, data_dir: Path
) -> Receipt:
    """One SMS to one number (its dialing form) through the configured route."""
    if settings.gammu is not None:
        return inject(settings.gammu, number, text)
    assert settings.http is not None  # the registry holds exactly one route
    return post(settings.http, number, text, key, data_dir)


def inject_command(settings: GammuSettings, number: str, text: str) -> list[str]:
    """gammu-smsd-inject's arguments: a long text split into parts (-len), Vietnamese as
    UCS-2 (-unicode), the text as one argument (never through a shell)."""
    command = [settings.command]
    if settings.config:
        command += ["-c", os.path.expanduser(settings.config)]
    command += ["TEXT", number]
    if not is_gsm7(text):
        command.append("-unicode")
    command += ["-len", str(max(len(text), 1)), "-text", text]
    return command


def _run_alone(command: list[str], timeout: float) -> subprocess.CompletedProcess[bytes]:
    """The command in its own process group, so that on a timeout the whole of it goes
    (a wrapper script's children too, which `subprocess.run` would leave running)."""
    with subprocess.Popen(
        command,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    ) as process:
        try:
            stdout, stderr = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
            raise
        return subprocess.CompletedProcess(command, process.returncode, stdout, stderr)


def inject(settings: GammuSettings, number: str, text: str) -> Receipt:
    """The message put in gammu-smsd's queue; its Receipt names the queued file."""
    command = inject_command(settings, number, text)
    try:
        done = _run_alone(command, settings.timeout)
    except FileNotFoundError:
        raise SmsError(
            f"không có lệnh «{settings.command}» trên máy này: cài gammu-smsd («apt-get install "
            f"gammu-smsd») hoặc sửa reminders.sms.gammu.command; chưa gửi"
        ) from None
    except PermissionError:
        raise SmsError(f"không chạy được «{settings.command}» (không có quyền); chưa gửi") from None
    except subprocess.TimeoutExpired:
        raise SmsError(
            f"«{settings.command}» không xong sau {settings.timeout} giây: tin có thể đã vào "
            f"hàng đợi của gammu-smsd hoặc chưa; xem hàng đợi trước khi gửi lại",
            unsure=True,
        ) from None
    except OSError as exc:
        raise SmsError(
            f"không chạy được «{settings.command}»: {os_reason(exc)}; chưa gửi"
        ) from None
    said = _lines(done.stdout) + _lines(done.stderr)
    if done.returncode != 0:
        words = said[-1] if said else f"mã thoát {done.returncode}"
        raise SmsError(
            f"gammu-smsd-inject không đưa được tin vào hàng đợi (gammu: {words}); kiểm tra "
            f"reminders.sms.gammu.config và gammu-smsd; chưa gửi"
        )
    queued = next((line for line in said if "Written message with ID" in line), "")
    where = queued.rsplit(" ", 1)[-1] if queued else ""
    return Receipt(
        Path(where).name if where else "", f"gammu-smsd: đã vào hàng đợi {where}".rstrip()
    )


def _lines(data: bytes) -> list[str]:
    text = data.decode("utf-8", errors="replace")
    return [printable(line.strip()) for line in text.splitlines() if line.strip()]


def post(
    settings: HttpSmsSettings, number: str, text: str, key: str | None, data_dir: Path
) -> Receipt:
    """One request to the gateway; its Receipt holds the gateway's answer."""
    values = {"phone": number, "phone84": international(number), "message": text, "key": key or ""}
    url = fill(settings.url, values, "url")
    parts_of = urlsplit(url)
    host = parts_of.hostname or ""
    where = f"{host}:{parts_of.port}" if parts_of.port else host
    target = (parts_of.path or "/") + (f"?{parts_of.query}" if parts_of.query else "")
    body = (
        fill(settings.body, values, settings.content_type).encode("utf-8")
        if settings.body
        else None
    )
    headers = {"User-Agent": "bluezone-tui", "Accept": "*/*"}
    if body is not None:
        headers["Content-Type"] = settings.content_type
        if "charset" not in settings.content_type.lower():
            headers["Content-Type"] += "; charset=utf-8"
    if settings.key_header:
        headers[settings.key_header] = _header_value(settings.key_format, key or "")
    connection: http.client.HTTPConnection
    if parts_of.scheme == "https":
        try:
            context = tls_context(settings, data_dir)
        except ConfigError as exc:
            raise SmsError(f"{exc.message}; chưa gửi") from None
        connection = http.client.HTTPSConnection(
            host, parts_of.port, timeout=settings.timeout, context=context
        )
    else:
        connection = http.client.HTTPConnection(host, parts_of.port, timeout=settings.timeout)
    step = "connect"
    try:
        connection.connect()
        step = "request"
        connection.request(settings.method, target, body=body, headers=headers)
        step = "answer"  # from here on, the gateway has the message
        response = connection.getresponse()
        answer = response.read(MAX_ANSWER_BYTES)
    except Exception as exc:  # noqa: BLE001 - every network failure becomes a sentence
        raise _failure(exc, where, step, settings) from None
    finally:
        connection.close()
    words = _hide(_answer_words(answer), key)
    status = response.status
    said = f"HTTP {status} {response.reason}" + (f": {words}" if words else "")
    if 200 <= status < 300:
        if settings.accept and settings.accept not in answer.decode("utf-8", errors="replace"):
            raise SmsError(
                f"cổng SMS {where} trả lời nhưng không báo thành công (không có "
                f"«{settings.accept}», reminders.sms.http.accept): {said}; chưa gửi"
            )
        return Receipt("", f"cổng SMS: {said}")
    if status in (401, 403):
        raise SmsError(
            f"cổng SMS {where} từ chối khóa ({said}): kiểm tra khóa ở {settings.key_env} "
            f"hoặc tệp khóa, và reminders.sms.http.key_header; chưa gửi"
        )
    if status == 404:
        raise SmsError(f"cổng SMS {where} không có địa chỉ này ({said}): kiểm tra «url»; chưa gửi")
    if status == 429:
        raise SmsError(f"cổng SMS {where} báo gửi quá nhiều, quá nhanh ({said}); chưa gửi")
    if 300 <= status < 400:
        moved = response.getheader("Location") or ""
        raise SmsError(
            f"cổng SMS {where} chuyển sang địa chỉ khác ({said} {moved}): sửa «url»; chưa gửi"
        )
    if status in UNSURE_STATUSES:
        raise SmsError(
            f"cổng SMS {where} lỗi sau khi nhận yêu cầu ({said}): tin có thể đã gửi hoặc chưa; "
            f"hỏi đơn vị hoặc xem trang quản lý của cổng SMS trước khi gửi lại",
            unsure=True,
        )
    raise SmsError(f"cổng SMS {where} từ chối ({said}); chưa gửi")


def _header_value(key_format: str, key: str) -> str:
    """The key header's value, `key_format` filled. For HTTP Basic ("Basic {key}"), a key
    written as "user:secret" is sent base64-encoded, as Basic wants it."""
    if key_format.startswith("Basic ") and ":" in key:
        key = base64.b64encode(key.encode("utf-8")).decode("ascii")
    return key_format.replace("{key}", key)


def tls_context(settings: HttpSmsSettings, data_dir: Path) -> ssl.SSLContext:
    """The gateway's certificate checked (checked before a round, so nothing is left half
    sent)."""
    return trusted_context(settings.ca_file, data_dir, "reminders.sms.http.ca_file")


def _answer_words(answer: bytes) -> str:
    text = " ".join(answer.decode("utf-8", errors="replace").split())
    text = printable(text)
    return text if len(text) <= ANSWER_WORDS else text[: ANSWER_WORDS - 1] + "…"


def _hide(text: str, key: str | None) -> str:
    """A gateway that echoes the key never puts it in the record."""
    return text.replace(key, "***") if key and len(key) >= 4 else text


def _failure(exc: BaseException, where: str, step: str, settings: HttpSmsSettings) -> SmsError:
    unsure = step == "answer"
    maybe = (
        ": tin có thể đã gửi hoặc chưa; hỏi đơn vị hoặc xem trang quản lý của cổng SMS trước "
        "khi gửi lại"
        if unsure
        else "; chưa gửi"
    )
    if isinstance(exc, ssl.SSLCertVerificationError):
        return SmsError(
            f"chứng chỉ TLS của cổng SMS {where} không đáng tin ({exc.verify_message}): kiểm "
            f"tra «url», hoặc chỉ chứng chỉ bằng reminders.sms.http.ca_file; chưa gửi"
        )
    if isinstance(exc, socket.gaierror):
        return SmsError(
            f"không tìm thấy cổng SMS «{where}» (tên không phân giải được); kiểm tra «url» và "
            f"mạng của máy; chưa gửi"
        )
    if isinstance(exc, ConnectionRefusedError):
        return SmsError(f"cổng SMS {where} từ chối kết nối (không chạy, hoặc sai cổng); chưa gửi")
    if isinstance(exc, TimeoutError):
        when = "trả lời" if unsure else "nhận kết nối"
        return SmsError(
            f"cổng SMS {where} không {when} sau {settings.timeout} giây{maybe}", unsure=unsure
        )
    if isinstance(exc, http.client.RemoteDisconnected | ConnectionResetError | BrokenPipeError):
        return SmsError(f"mất kết nối với cổng SMS {where}{maybe}", unsure=unsure)
    if isinstance(exc, ssl.SSLError):
        return SmsError(f"lỗi TLS với cổng SMS {where} ({exc.reason or exc}){maybe}", unsure=unsure)
    if isinstance(exc, OSError):
        reason = os_reason(exc) if exc.errno else str(exc)
        return SmsError(f"lỗi mạng với cổng SMS {where} ({reason}){maybe}", unsure=unsure)
    if isinstance(exc, http.client.HTTPException):
        return SmsError(
            f"cổng SMS {where} trả lời sai giao thức HTTP ({type(exc).__name__}){maybe}",
            unsure=unsure,
        )
    return SmsError(
        f"lỗi không mong đợi khi gửi qua cổng SMS {where} ({type(exc).__name__}){maybe}",
        unsure=unsure,
    )
