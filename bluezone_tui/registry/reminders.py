"""`reminders:` in units.yaml: the rounds of reminders, who sends them, and through what.

What is here: the office that sends (`sender`, one office of those sharing the data
folder), the office's head (who gets a copy of a round), the rounds (a name, a time,
which units, by SMS or email), and the SMS route: a GSM modem through gammu-smsd
(`gammu-smsd-inject`) or an HTTP SMS gateway (a URL, a method, a body template with
the phone and the message, the header that carries the key). Never a secret: the
gateway's key comes from the environment or a file only its owner can read, as the
mail password does (deliver/sms.py). Every key is checked at its line, in Vietnamese.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import time
from typing import TYPE_CHECKING, Any, Protocol
from urllib.parse import urlsplit

from bluezone_tui.base.phone import phone_problem, says_none
from bluezone_tui.registry.yaml_source import quoted

if TYPE_CHECKING:
    from bluezone_tui.base.problems import Problem
    from bluezone_tui.registry.yaml_source import Locator


class Builder(Protocol):
    """What these checks need of the registry's builder (build.py, which imports this
    module): reading values and reporting each problem at its keys."""

    locator: Locator
    errors: list[Problem]

    def error(self, message: str, keys: tuple[Any, ...], field_name: str | None = None) -> None: ...

    def warn(self, message: str, keys: tuple[Any, ...], code: str = "") -> None: ...

    def text(self, value: Any, keys: tuple[Any, ...], what: str, required: bool = True) -> str: ...

    def unknown_keys(self, raw: dict, allowed: frozenset[str], keys: tuple[Any, ...]) -> None: ...

    def email_list(self, raw: Any, keys: tuple[Any, ...]) -> tuple[str, ...]: ...

    def clock(
        self, value: Any, keys: tuple[Any, ...], example: str, nullable: bool = False
    ) -> time | None: ...


# Which units a round reminds, by their state at the round's time (day/state.py codes).
AUDIENCES = {
    "pending": "chưa báo cáo, chưa đến hạn",
    "missing": "quá hạn mà chưa báo cáo",
    "late": "đã báo cáo nhưng trễ hạn",
}
DEFAULT_AUDIENCE = ("pending", "missing")  # every unit that has not reported yet
EMAIL, SMS = "email", "sms"
CHANNELS = (SMS, EMAIL)
CHANNEL_WORDS = {SMS: "SMS", EMAIL: "email"}
HEAD = "head"  # `copy: head`: the office's head gets what the round did
REPORT_ROUND = "bao-cao"  # the outbox's round for the day's report: not a reminder's name
ROUND_NAME_RE = re.compile(r"[a-z0-9][a-z0-9-]{0,39}\Z")
DEFAULT_WITHIN_MINUTES = 30
MAX_WITHIN_MINUTES = 12 * 60
SMS_KEY_ENV = "BLUEZONE_SMS_KEY"
SMS_TIMEOUT_SECONDS = 30
MAX_SMS_TIMEOUT_SECONDS = 600
GAMMU_INJECT = "gammu-smsd-inject"
HTTP_METHODS = ("POST", "GET")
JSON, FORM = "application/json", "application/x-www-form-urlencoded"
# What a template may hold: the number (0912345678, or 84912345678), the text, the key.
PLACEHOLDERS = ("phone", "phone84", "message", "key")
_PLACEHOLDER = re.compile(r"\{([A-Za-z0-9_]+)\}")
_HEADER_NAME = re.compile(r"[A-Za-z0-9!#$%&'*+.^_`|~-]+\Z")
_ENV_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
SECRET_KEYS = ("key", "api_key", "apikey", "token", "secret", "password", "mat_khau")
LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")

REMINDER_KEYS = ("sender", "head", "rounds", "sms")
ROUND_KEYS = ("name", "at", "to", "by", "copy", "within")
PERSON_KEYS = ("name", "phone", "email")
SMS_KEYS = ("gammu", "http", "without_accents")
GAMMU_KEYS = ("command", "config", "timeout")
HTTP_KEYS = (
    "url", "method", "body", "content_type", "key_header", "key_format", "key_env",
    "key_file", "timeout", "accept", "ca_file",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Person:
    """Someone who is not a unit and gets messages: the office's head."""

    name: str
    phone: str = ""  # as written; dialled through base/phone.py
    email: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Round:
    """One round: at `at`, the units in the states `to`, by every channel of `by`."""

    name: str  # the outbox's round: a message of a round goes once to each unit and channel
    at: time
    to: tuple[str, ...] = DEFAULT_AUDIENCE
    by: tuple[str, ...] = (SMS,)
    copy_head: bool = False
    within: int = DEFAULT_WITHIN_MINUTES  # minutes after `at` that a run still sends it

    @property
    def channels_words(self) -> str:
        return ", ".join(CHANNEL_WORDS[channel] for channel in self.by)


@dataclass(frozen=True, slots=True)
class GammuSettings:
    """A GSM modem in the office, run by gammu-smsd: messages are put in its queue."""

    command: str = GAMMU_INJECT
    config: str = ""  # gammu-smsd's configuration (-c); "": its own default, /etc/gammu-smsdrc
    timeout: int = SMS_TIMEOUT_SECONDS


@dataclass(frozen=True, slots=True)
class HttpSmsSettings:
    """An HTTP SMS gateway: a request per message, filled from the templates."""

    url: str
    method: str = "POST"
    body: str = ""
    content_type: str = ""
    key_header: str = ""  # the header that carries the key (Authorization, X-API-Key, …)
    key_format: str = "{key}"  # the header's value ("Bearer {key}")
    key_env: str = SMS_KEY_ENV
    key_file: str = ""  # as written; "": ~/.config/bluezone/sms-key
    timeout: int = SMS_TIMEOUT_SECONDS
    accept: str = ""  # text a successful answer contains (gateways that answer 200 to errors)
    ca_file: str = ""

    @property
    def needs_key(self) -> bool:
        return bool(self.key_header) or "{key}" in self.url or "{key}" in self.body


@dataclass(frozen=True, slots=True)
class SmsSettings:
    gammu: GammuSettings | None = None
    http: HttpSmsSettings | None = None
    without_accents: bool = False  # the text without Vietnamese marks (gateways that ask it)

    @property
    def route(self) -> str:
        return "gammu" if self.gammu is not None else "http"


@dataclass(frozen=True, slots=True)
class ReminderSettings:
    sender: str  # the office that sends: its BLUEZONE_OFFICE, or its machine's host name
    rounds: tuple[Round, ...]
    sms: SmsSettings | None = None
    head: Person | None = None

    def round(self, name: str) -> Round | None:
        for item in self.rounds:
            if item.name == name:
                return item
        return None


def build_reminders(builder: Builder, raw: Any, has_email: bool) -> ReminderSettings | None:
    """`reminders:`, every value checked at its line; None when absent or refused."""
    if raw is None:
        return None
    where = ("reminders",)
    if not isinstance(raw, dict):
        builder.error(
            "«reminders» phải là một bảng có sender, rounds (và sms, head nếu dùng)",
            where,
            "reminders",
        )
        return None
    errors_before = len(builder.errors)
    builder.unknown_keys(raw, frozenset(REMINDER_KEYS), where)
    if raw.get("sender") is None:
        builder.error(
            "«reminders» thiếu «sender»: máy gửi nhắc (tên máy, lệnh «hostname», hoặc giá trị "
            "biến môi trường BLUEZONE_OFFICE của văn phòng gửi); các văn phòng khác chỉ xem",
            where,
            "sender",
        )
        sender = ""
    else:
        sender = builder.text(raw.get("sender"), where + ("sender",), "máy gửi nhắc")
    if sender and (any(ch.isspace() for ch in sender) or not sender.isprintable()):
        builder.error(
            f"«sender» là tên máy gửi nhắc (lệnh «hostname») hoặc giá trị biến môi trường "
            f"BLUEZONE_OFFICE của văn phòng đó, không có dấu cách: «{sender}»",
            where + ("sender",),
            "sender",
        )
    head = _person(builder, raw.get("head"), where + ("head",))
    sms = _sms(builder, raw.get("sms"), where + ("sms",))
    rounds = _rounds(builder, raw.get("rounds"), where + ("rounds",))
    for index, item in rounds:
        keys = where + ("rounds", index)
        if SMS in item.by and sms is None and "sms" not in raw:
            builder.error(
                f"lượt «{item.name}» gửi SMS nhưng chưa có «reminders.sms» (gammu hoặc http)",
                keys + ("by",),
                "by",
            )
        if EMAIL in item.by and not has_email:
            builder.error(
                f"lượt «{item.name}» gửi email nhưng units.yaml chưa có mục «email:» (máy chủ "
                f"thư); xem docs/reminders.md",
                keys + ("by",),
                "by",
            )
        if item.copy_head and head is None and "head" not in raw:
            builder.error(
                f"lượt «{item.name}» gửi bản sao cho trưởng phòng («copy: head») nhưng chưa có "
                f"«reminders.head» (name, phone, email)",
                keys + ("copy",),
                "copy",
            )
    if len(builder.errors) > errors_before:
        return None
    return ReminderSettings(
        sender=sender, rounds=tuple(item for _, item in rounds), sms=sms, head=head
    )


def _strings(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _person(builder: Builder, raw: Any, keys: tuple[Any, ...]) -> Person | None:
    if raw is None:
        return None
    if not isinstance(raw, dict):
        builder.error("«head» phải là một bảng có name, phone, email", keys, "head")
        return None
    builder.unknown_keys(raw, frozenset(PERSON_KEYS), keys)
    name = builder.text(raw.get("name"), keys + ("name",), "tên người nhận")
    phone = builder.text(raw.get("phone"), keys + ("phone",), "số điện thoại", False)
    if phone and not says_none(phone) and (why := phone_problem(phone)):
        builder.error(f"«phone»: {why}", keys + ("phone",), "phone")
    emails = builder.email_list(raw.get("email"), keys + ("email",))
    if name and not phone and not emails:
        builder.error("«head» cần «phone» hoặc «email» để nhận bản sao", keys, "head")
    return Person(name=name, phone=phone, email=emails) if name else None


def _rounds(builder: Builder, raw: Any, keys: tuple[Any, ...]) -> list[tuple[int, Round]]:
    if not isinstance(raw, list) or not raw:
        builder.error(
            '«rounds» là danh sách các lượt nhắc, ví dụ - {name: nhac-14h, at: "14:00", by: sms}',
            keys,
            "rounds",
        )
        return []
    found: list[tuple[int, Round]] = []
    seen: dict[str, int] = {}
    for index, spec in enumerate(raw):
        item_keys = keys + (index,)
        if not isinstance(spec, dict):
            builder.error("mỗi lượt nhắc là một bảng có name, at, by", item_keys, "rounds")
            continue
        errors_before = len(builder.errors)
        builder.unknown_keys(spec, frozenset(ROUND_KEYS), item_keys)
        name = spec.get("name")
        if not isinstance(name, str) or not ROUND_NAME_RE.match(name) or name == REPORT_ROUND:
            builder.error(
                f"«name» của lượt nhắc là mã ngắn gồm chữ thường không dấu, số và «-» (tối đa "
                f"40 ký tự, khác «{REPORT_ROUND}»), ví dụ nhac-14h, không phải «{quoted(name)}»",
                item_keys + ("name",),
                "name",
            )
            name = ""
        elif name in seen:
            first, _ = builder.locator.find(keys + (seen[name], "name"))
            builder.error(
                f"lượt nhắc «{name}» bị lặp (đã có ở dòng {first}): mỗi lượt một tên",
                item_keys + ("name",),
                "name",
            )
        else:
            seen[name] = index
        at = builder.clock(spec.get("at"), item_keys + ("at",), "14:00")
        to = _choices(builder, spec.get("to", list(DEFAULT_AUDIENCE)), item_keys + ("to",),
                      AUDIENCES, "nhóm đơn vị")  # fmt: skip
        by = _choices(builder, spec.get("by"), item_keys + ("by",),
                      dict.fromkeys(CHANNELS, ""), "cách gửi")  # fmt: skip
        copy = spec.get("copy")
        if copy is not None and copy != HEAD:
            builder.error(
                f"«copy» chỉ nhận «{HEAD}» (gửi bản sao cho trưởng phòng ở reminders.head), "
                f"không phải «{quoted(copy)}»",
                item_keys + ("copy",),
                "copy",
            )
        within = spec.get("within", DEFAULT_WITHIN_MINUTES)
        if not _is_int(within) or not 1 <= within <= MAX_WITHIN_MINUTES:
            builder.error(
                f"«within» là số phút sau giờ «at» mà lượt vẫn được gửi (máy bật muộn, cron "
                f"chạy trễ), từ 1 đến {MAX_WITHIN_MINUTES}, không phải «{quoted(within)}»",
                item_keys + ("within",),
                "within",
            )
        if len(builder.errors) > errors_before or at is None or not name:
            continue
        found.append(
            (index, Round(name, at, tuple(to), tuple(by), copy == HEAD, within))
        )  # fmt: skip
    return found


def _choices(
    builder: Builder, raw: Any, keys: tuple[Any, ...], allowed: dict[str, str], what: str
) -> list[str]:
    """One word or a list of them, each among `allowed`."""
    if raw is None or raw == []:
        builder.error(
            f"«{keys[-1]}» ({what}) cần ít nhất một trong: {', '.join(allowed)}",
            keys,
            str(keys[-1]),
        )
        return []
    chosen: list[str] = []
    for value in _strings(raw):
        if value not in allowed:
            builder.error(
                f"«{keys[-1]}» ({what}) là một hoặc vài trong: {', '.join(allowed)}; không "
                f"phải «{quoted(value)}»",
                keys,
                str(keys[-1]),
            )
        elif value not in chosen:
            chosen.append(value)
    return chosen


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _timeout(builder: Builder, raw: dict, keys: tuple[Any, ...]) -> int:
    value = raw.get("timeout", SMS_TIMEOUT_SECONDS)
    if not _is_int(value) or not 1 <= value <= MAX_SMS_TIMEOUT_SECONDS:
        builder.error(
            f"«timeout» là số giây chờ, từ 1 đến {MAX_SMS_TIMEOUT_SECONDS}, không phải "
            f"«{quoted(value)}»",
            keys + ("timeout",),
            "timeout",
        )
        return SMS_TIMEOUT_SECONDS
    return value


def _no_secrets(builder: Builder, raw: dict, keys: tuple[Any, ...]) -> None:
    for secret in SECRET_KEYS:
        if secret in raw:
            builder.error(
                f"không ghi khóa bí mật vào units.yaml (tệp này vào git và tới mọi văn phòng): "
                f"xoá «{secret}», đặt khóa vào biến môi trường {SMS_KEY_ENV} (hoặc tên ở "
                f"key_env) hoặc tệp ~/.config/bluezone/sms-key chỉ mình bạn đọc được; xem "
                f"docs/reminders.md",
                keys + (secret,),
                secret,
            )


def _sms(builder: Builder, raw: Any, keys: tuple[Any, ...]) -> SmsSettings | None:
    if raw is None:
        return None
    if not isinstance(raw, dict):
        builder.error("«sms» phải là một bảng có gammu hoặc http", keys, "sms")
        return None
    builder.unknown_keys(raw, frozenset(SMS_KEYS), keys)
    routes = [key for key in ("gammu", "http") if key in raw]
    if len(routes) != 1:
        builder.error(
            "«sms» cần đúng một đường gửi: «gammu» (modem GSM trong văn phòng, qua "
            "gammu-smsd) hoặc «http» (cổng SMS của nhà mạng, qua HTTP)",
            keys,
            "sms",
        )
        return None
    without_accents = raw.get("without_accents", False)
    if not isinstance(without_accents, bool):
        builder.error(
            f"«without_accents» là true (gửi tin không dấu) hoặc false, không phải "
            f"«{quoted(without_accents)}»",
            keys + ("without_accents",),
            "without_accents",
        )
        without_accents = False
    if routes == ["gammu"]:
        gammu = _gammu(builder, raw["gammu"], keys + ("gammu",))
        return SmsSettings(gammu=gammu, without_accents=without_accents) if gammu else None
    http = _http(builder, raw["http"], keys + ("http",))
    return SmsSettings(http=http, without_accents=without_accents) if http else None


def _gammu(builder: Builder, raw: Any, keys: tuple[Any, ...]) -> GammuSettings | None:
    if raw is None:
        return GammuSettings()
    if not isinstance(raw, dict):
        builder.error(
            "«gammu» phải là một bảng, ví dụ gammu: {config: /etc/gammu-smsdrc}", keys, "gammu"
        )
        return None
    builder.unknown_keys(raw, frozenset(GAMMU_KEYS), keys)
    command = builder.text(raw.get("command", GAMMU_INJECT), keys + ("command",), "lệnh")
    config = builder.text(raw.get("config"), keys + ("config",), "tệp cấu hình", False)
    return GammuSettings(
        command=command or GAMMU_INJECT, config=config, timeout=_timeout(builder, raw, keys)
    )


def _http(builder: Builder, raw: Any, keys: tuple[Any, ...]) -> HttpSmsSettings | None:
    if not isinstance(raw, dict):
        builder.error(
            "«http» phải là một bảng có url, method, body (xem docs/reminders.md)", keys, "http"
        )
        return None
    errors_before = len(builder.errors)
    builder.unknown_keys(raw, frozenset(HTTP_KEYS), keys)
    _no_secrets(builder, raw, keys)
    url = _http_url(builder, raw, keys)
    method, body, content_type = _http_request(builder, raw, keys)
    _http_placeholders(builder, url, body, content_type, keys)
    key_header, key_format, key_env = _http_key(builder, raw, keys)
    key_file = builder.text(raw.get("key_file"), keys + ("key_file",), "tệp khóa", False)
    accept = builder.text(raw.get("accept"), keys + ("accept",), "chữ báo thành công", False)
    ca_file = builder.text(raw.get("ca_file"), keys + ("ca_file",), "tệp chứng chỉ", False)
    timeout = _timeout(builder, raw, keys)
    if len(builder.errors) > errors_before:
        return None
    return HttpSmsSettings(
        url=url, method=method, body=body, content_type=content_type, key_header=key_header,
        key_format=key_format or "{key}", key_env=key_env or SMS_KEY_ENV, key_file=key_file,
        timeout=timeout, accept=accept, ca_file=ca_file,
    )  # fmt: skip


def _http_url(builder: Builder, raw: dict, keys: tuple[Any, ...]) -> str:
    """The gateway's address: http(s) with a host; plain http only to this machine."""
    url = builder.text(raw.get("url"), keys + ("url",), "địa chỉ cổng SMS")
    parts = urlsplit(url.replace("{", "").replace("}", "")) if url else None
    if parts is not None and (parts.scheme not in ("http", "https") or not parts.hostname):
        builder.error(
            f"«url» là địa chỉ http(s)://… của cổng SMS, không phải «{url}»",
            keys + ("url",),
            "url",
        )
    elif parts is not None and parts.scheme == "http" and parts.hostname not in LOCAL_HOSTS:
        builder.warn(
            f"«url» dùng http:// (không mã hoá): khóa và tin nhắn đi qua mạng ai cũng đọc "
            f"được; dùng https:// nếu cổng SMS hỗ trợ ({url})",
            keys + ("url",),
        )
    return url


def _http_request(builder: Builder, raw: dict, keys: tuple[Any, ...]) -> tuple[str, str, str]:
    """The method, the body template and its content type, which must go together."""
    method = raw.get("method", "POST")
    method = method.upper() if isinstance(method, str) else method
    if method not in HTTP_METHODS:
        builder.error(
            f"«method» là POST hoặc GET, không phải «{quoted(method)}»",
            keys + ("method",),
            "method",
        )
        method = "POST"
    body = raw.get("body", "")
    if body is None or body == "":
        body = ""
    elif not isinstance(body, str):
        builder.error(
            "«body» là mẫu nội dung gửi đi, viết trong ngoặc đơn, ví dụ "
            '\'{"to": "{phone}", "text": "{message}"}\'',
            keys + ("body",),
            "body",
        )
        body = ""
    if method == "POST" and not body:
        builder.error(
            "«body» cần cho method POST: mẫu nội dung có {phone} và {message}, ví dụ "
            '\'{"to": "{phone}", "text": "{message}"}\'',
            keys + ("body",) if "body" in raw else keys,
            "body",
        )
    if method == "GET" and body:
        builder.error(
            "«body» không dùng với method GET: đặt {phone}, {message} vào «url»",
            keys + ("body",),
            "body",
        )
    content_type = builder.text(raw.get("content_type"), keys + ("content_type",), "kiểu nội dung",
                                False)  # fmt: skip
    if not content_type and body:
        content_type = JSON if body.lstrip()[:1] in ("{", "[") else FORM
    return method, body, content_type


def _http_placeholders(
    builder: Builder, url: str, body: str, content_type: str, keys: tuple[Any, ...]
) -> None:
    """Every {name} known, the phone and the message present, a JSON body still JSON filled."""
    for key in ("url", "body"):
        value = url if key == "url" else body
        for name in _PLACEHOLDER.findall(value):
            if name not in PLACEHOLDERS:
                builder.error(
                    f"«{key}» có chỗ điền «{{{name}}}» không biết: chỉ dùng "
                    f"{', '.join('{' + p + '}' for p in PLACEHOLDERS)}",
                    keys + (key,),
                    key,
                )
    both = url + body
    has_phone = "{phone}" in both or "{phone84}" in both
    if url and not (has_phone and "{message}" in both):
        builder.error(
            "cổng SMS cần biết số và tin nhắn: «url» hoặc «body» phải có {phone} (hoặc "
            "{phone84}) và {message}",
            keys + ("body",) if body else keys + ("url",),
            "body" if body else "url",
        )
    if body and content_type.split(";")[0].strip().lower() == JSON:
        import json  # here: only an SMS gateway that takes JSON needs it

        sample = fill(body, {"phone": "0912345678", "phone84": "84912345678",
                             "message": 'Nhắc "báo cáo"\n', "key": "k"}, JSON)  # fmt: skip
        try:
            json.loads(sample)
        except json.JSONDecodeError:
            builder.error(
                "«body» không thành JSON hợp lệ khi điền số và tin nhắn: chỗ điền "
                'phải nằm trong ngoặc kép, ví dụ \'{"to": "{phone}"}\'',
                keys + ("body",),
                "body",
            )


def _http_key(builder: Builder, raw: dict, keys: tuple[Any, ...]) -> tuple[str, str, str]:
    """How the key is sent (header, format) and where it is kept: a name, never the key."""
    key_header = builder.text(raw.get("key_header"), keys + ("key_header",), "tên header", False)
    if key_header and not _HEADER_NAME.match(key_header):
        builder.error(
            f"«key_header» là tên một header HTTP (ví dụ Authorization, X-API-Key), không "
            f"phải «{key_header}»",
            keys + ("key_header",),
            "key_header",
        )
    key_format = builder.text(raw.get("key_format", "{key}"), keys + ("key_format",), "mẫu khóa")
    if key_format and "{key}" not in key_format:
        builder.error(
            f"«key_format» là giá trị header có chỗ điền {{key}}, ví dụ «Bearer {{key}}», "
            f"không phải «{key_format}»",
            keys + ("key_format",),
            "key_format",
        )
    key_env = builder.text(raw.get("key_env", SMS_KEY_ENV), keys + ("key_env",), "tên biến")
    if key_env and not _ENV_NAME.match(key_env):
        builder.error(
            f"«key_env» là TÊN biến môi trường giữ khóa (ví dụ {SMS_KEY_ENV}), không phải "
            f"khóa: «{key_env}» không phải tên biến",
            keys + ("key_env",),
            "key_env",
        )
    return key_header, key_format, key_env


def fill(template: str, values: dict[str, str], kind: str) -> str:
    """The template with each {placeholder} replaced by its value, escaped for where it
    goes: `url` (percent-encoded), JSON (inside a string), a form (form-encoded), else
    as it is. Anything else in braces (a JSON body's own) is left alone."""
    from urllib.parse import quote, quote_plus

    def escaped(value: str) -> str:
        if kind == "url":
            return quote(value, safe="")
        base = kind.split(";")[0].strip().lower()
        if base == JSON:
            import json

            return json.dumps(value, ensure_ascii=False)[1:-1]
        if base == FORM:
            return quote_plus(value)
        return value

    def replace(match: re.Match[str]) -> str:
        name = match.group(1)
        return escaped(values[name]) if name in values else match.group(0)

    return _PLACEHOLDER.sub(replace, template)
