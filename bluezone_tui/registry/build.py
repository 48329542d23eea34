"""From YAML data to a Registry: every value checked, every problem collected with its line."""

from __future__ import annotations

import re
from datetime import time
from email.utils import parseaddr
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bluezone_tui.base.problems import Problem
from bluezone_tui.base.vn import fmt_int, nfc
from bluezone_tui.registry.checks import check_registry, integer_hint, suggestion
from bluezone_tui.registry.model import (
    ATTACHABLE_FORMATS,
    DHIS2_DUPLICATE,
    FIELD_ID_RE,
    FIELD_KEYS,
    FIELD_TYPES,
    HISTORY_AUTO,
    HISTORY_GIT,
    HISTORY_NONE,
    MAIL_DEFAULT_PORTS,
    MAIL_KEYS,
    MAIL_PASSWORD_ENV,
    MAIL_SECURITY,
    MAIL_TIMEOUT_SECONDS,
    MAX_DHIS2_ID_LENGTH,
    MAX_MAIL_TIMEOUT_SECONDS,
    MAX_PEOPLE,
    MAX_SYNC_MINUTES,
    OFFICE_KEYS,
    OPERATORS,
    RECIPIENT_KEYS,
    REPORT_COLUMNS,
    REPORT_KEYS,
    RULE_KEYS,
    SIGNER_MISSING,
    SIGNING_KEYS,
    UNIT_ID_RE,
    UNIT_KEYS,
    Contact,
    District,
    Field,
    Form,
    Group,
    MailSettings,
    Office,
    Rate,
    Recipient,
    Registry,
    ReportSettings,
    Rule,
    SigningSettings,
    Unit,
    email_problem,
    unit_id_problem,
)
from bluezone_tui.registry.reminders import build_reminders
from bluezone_tui.registry.yaml_source import Locator, quoted


def _parse_clock(value: Any) -> time | None:
    """ "15:00" -> time(15, 0). YAML 1.1 reads an unquoted 15:00 as 900 (base 60): accept it."""
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 24 * 60:
        return time(value // 60, value % 60)
    if isinstance(value, str):
        match = re.fullmatch(r"\s*(\d{1,2}):(\d{2})\s*", value)
        if match:
            hour, minute = int(match.group(1)), int(match.group(2))
            if hour < 24 and minute < 60:
                return time(hour, minute)
    return None


def too_many_people(key: str, value: int) -> str:
    """A count of people larger than the country's: a typo or junk, never a figure."""
    shown = fmt_int(value) if value < 10**20 else f"một số {len(str(value))} chữ số"
    return (
        f"«{key}» là {shown}, lớn hơn dân số cả nước (96,2 triệu người năm 2019): không phải "
        f"số người; tối đa {fmt_int(MAX_PEOPLE)}"
    )


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


_KIND_WORDS = {
    "int": "số",
    "float": "số",
    "bool": "giá trị đúng/sai",
    "date": "ngày",
    "datetime": "thời điểm",
}


MAX_PROBLEMS = 200
_TYPOGRAPHIC_QUOTES = frozenset("“”‘’„")


class Builder:
    def __init__(self, path: Path, locator: Locator):
        self.path = path
        self.locator = locator
        self.errors: list[Problem] = []
        self.warnings: list[Problem] = []
        self.truncated = False  # more than MAX_PROBLEMS errors

    def error(self, message: str, keys: tuple[Any, ...], field_name: str | None = None) -> None:
        if len(self.errors) >= MAX_PROBLEMS:
            self.truncated = True
            return
        line, column = self.locator.find(keys)
        self.errors.append(
            Problem(message, path=self.path, line=line, column=column, field=field_name)
        )

    def warn(self, message: str, keys: tuple[Any, ...], code: str = "") -> None:
        if len(self.warnings) >= MAX_PROBLEMS:
            return
        line, column = self.locator.find(keys)
        self.warnings.append(
            Problem(
                message, path=self.path, line=line, column=column, severity="warning", code=code
            )
        )

    def dhis2_id(self, raw: dict, keys: tuple[Any, ...]) -> str:
        """A DHIS2 code or UID: quoted text, so that YAML never reads 012 as the number 10."""
        value = raw.get("dhis2")
        if value is None:
            return ""
        if not isinstance(value, str) or not value.strip():
            self.error(
                f'«dhis2» phải là mã hoặc UID trong ngoặc kép, ví dụ dhis2: "29971", '
                f"không phải «{quoted(value)}»",
                keys + ("dhis2",),
                "dhis2",
            )
            return ""
        value = nfc(value.strip())
        if len(value) > MAX_DHIS2_ID_LENGTH or not value.isprintable():
            self.error(
                f"«dhis2» dài tối đa {MAX_DHIS2_ID_LENGTH} ký tự in được (mã hoặc UID của DHIS2)",
                keys + ("dhis2",),
                "dhis2",
            )
            return ""
        return value

    def dhis2_duplicates(self, items: list[tuple[str, str, tuple[Any, ...]]], what: str) -> None:
        """Two things sent as the same DHIS2 id would overwrite each other on import."""
        first: dict[str, str] = {}
        for name, dhis2, keys in items:
            if not dhis2:
                continue
            if dhis2 in first:
                self.warn(
                    f"{what} «{name}» và «{first[dhis2]}» cùng mã DHIS2 «{dhis2}»: khi nhập "
                    f"vào DHIS2 số này sẽ ghi đè số kia; «bluezone export --format dhis2» "
                    f"không chạy cho tới khi sửa",
                    keys + ("dhis2",),
                    code=DHIS2_DUPLICATE,
                )
            else:
                first[dhis2] = name

    def text(self, value: Any, keys: tuple[Any, ...], what: str, required: bool = True) -> str:
        if value is None and not required:
            return ""
        if value is not None and not isinstance(value, (str, list, dict)):
            # YAML read it as a number, a yes/no or a date: what was written is lost
            written = self.locator.scalar(keys)
            as_read = quoted(value)
            self.error(
                f"«{keys[-1]}» ({what}) phải là văn bản: YAML đọc «{written or as_read}» thành "
                f"{_KIND_WORDS.get(type(value).__name__, 'một giá trị khác')} «{as_read}»; "
                f'hãy đặt trong ngoặc kép: "{written or as_read}"',
                keys,
                str(keys[-1]),
            )
            return ""
        if not isinstance(value, str) or (required and not value.strip()):
            self.error(f"«{keys[-1]}» ({what}) phải là một chuỗi không rỗng", keys, str(keys[-1]))
            return ""
        if value.strip()[:1] in _TYPOGRAPHIC_QUOTES or value.strip()[-1:] in _TYPOGRAPHIC_QUOTES:
            # pasted from Word: YAML keeps the curly quotes as part of the text
            self.error(
                f"«{keys[-1]}» ({what}) có dấu ngoặc kiểu Word (“ ” ‘ ’): YAML giữ chúng "
                f'trong chữ; dùng ngoặc kép thẳng "…" hoặc bỏ ngoặc',
                keys,
                str(keys[-1]),
            )
            return ""
        return nfc(value.strip())

    def clock(
        self, value: Any, keys: tuple[Any, ...], example: str, nullable: bool = False
    ) -> time | None:
        """A deadline. Unquoted 15:00 is read by YAML as 900 and accepted; a bare 930 (meant
        as 9:30, read as 15:30 in base 60) is not: what was written must have a colon."""
        parsed = _parse_clock(value)
        written = self.locator.scalar(keys) if _is_int(value) or parsed is None else None
        if parsed is not None and (written is None or ":" in written):
            return parsed
        shown = written if written is not None else quoted(value)
        self.error(
            f'«{keys[-1]}» phải là giờ dạng "HH:MM" trong ngoặc kép, ví dụ '
            f'"{example}", không phải «{shown}»' + ("; null nếu không có hạn" if nullable else ""),
            keys,
            str(keys[-1]),
        )
        return None

    def not_an_integer(self, value: Any, keys: tuple[Any, ...], what: str) -> None:
        """`population: 12.500` is a whole number to a Vietnamese reader: say to write 12500."""
        written = self.locator.scalar(keys)
        self.error(
            f"«{keys[-1]}» ({what}) phải là số nguyên: {integer_hint(value, written)}",
            keys,
            str(keys[-1]),
        )

    def unknown_keys(self, raw: dict, allowed: frozenset[str], keys: tuple[Any, ...]) -> None:
        """A key not allowed here, named at its line. The hint about commas only where a
        comma may have made it: a bare word without a value (`{name: Xã A, B}` reads `B`
        as a key), never under a key written with its value (`api_key: …`)."""
        for key, value in raw.items():
            if key not in allowed:
                hint = suggestion(key, allowed) or (
                    "; nhãn có dấu phẩy phải đặt trong ngoặc kép" if value is None else ""
                )
                self.error(
                    f"khóa «{key}» không hợp lệ ở đây (dùng: {', '.join(sorted(allowed))}){hint}",
                    keys + (key,),
                    str(key),
                )

    def flag(self, raw: dict, key: str, keys: tuple[Any, ...]) -> bool:
        """A yes/no setting must be true or false: "no" read as True would, for
        counts_in_total, add departments to the district's total."""
        value = raw.get(key, False)
        if isinstance(value, bool):
            return value
        self.error(f"«{key}» phải là true hoặc false, không phải «{value}»", keys + (key,), key)
        return False

    def build(self, data: Any) -> Registry:
        if not isinstance(data, dict):
            self.error(
                "danh mục phải là một bảng (mapping) có các khóa district, groups, units", ()
            )
            data = {}
        for key in ("district", "groups", "forms", "units"):
            if key not in data:
                self.error(f"thiếu khóa bắt buộc «{key}»", ())
        district = self.build_district(data.get("district"))
        tz_name = data.get("timezone", "Asia/Ho_Chi_Minh")
        try:
            if not isinstance(tz_name, str):
                raise ValueError(tz_name)
            timezone = ZoneInfo(tz_name)
        except (ZoneInfoNotFoundError, ValueError, OSError):  # OSError: "Asia" is a folder
            self.error(
                f"không biết múi giờ «{quoted(tz_name)}» (ví dụ đúng: Asia/Ho_Chi_Minh)",
                ("timezone",),
            )
            timezone = ZoneInfo("Asia/Ho_Chi_Minh")
        consolidation = self.clock(
            data.get("consolidation_deadline", "16:30"), ("consolidation_deadline",), "16:30"
        )
        if consolidation is None:
            consolidation = time(16, 30)
        forms = self.build_forms(data.get("forms"))
        groups = self.build_groups(data.get("groups"), forms)
        units = self.build_units(data.get("units"), {g.id: g for g in groups})
        report = self.build_report(data.get("report"), district)
        if not report.signer_name:  # Decree 30 types the signer's name under the signature
            self.warn(
                "«report.signer_name» (họ tên người ký) đang để trống: báo cáo Word có chức "
                "vụ mà không có họ tên người ký đánh máy dưới chữ ký (Nghị định 30/2020/NĐ-CP); "
                'ghi họ tên, ví dụ signer_name: "Nguyễn Văn An"',
                ("report", "signer_name"),
                code=SIGNER_MISSING,
            )
        office = self.build_office(data.get("office"))
        signing = self.build_signing(data.get("signing"))
        history = self.build_history(data.get("history", HISTORY_AUTO))
        sync_every = self.build_sync(data.get("sync"))
        email = self.build_email(data.get("email"))
        reminders = build_reminders(self, data.get("reminders"), "email" in data)
        registry = Registry(
            path=self.path,
            district=district,
            timezone=timezone,
            consolidation_deadline=consolidation,
            groups=tuple(groups),
            forms=forms,
            units=units,
            report=report,
            office=office,
            signing=signing,
            history=history,
            sync_every=sync_every,
            email=email,
            reminders=reminders,
        )
        check_registry(self, data, registry)
        if district.population is not None and registry.total_groups:
            total = registry.population
            if total != district.population:
                self.warn(
                    f"dân số huyện ghi {district.population} nhưng tổng dân số các xã, thị trấn "
                    f"là {total}; tỷ lệ được tính trên tổng các xã, thị trấn",
                    ("district", "population"),
                )
        registry.warnings = self.warnings
        return registry

    def build_district(self, raw: Any) -> District:
        if not isinstance(raw, dict):
            if raw is not None:
                self.error("«district» phải là một bảng có name, province", ("district",))
            return District(name="", short_name="", province="")
        name = self.text(raw.get("name"), ("district", "name"), "tên huyện")
        population = raw.get("population")
        if population is not None and not _is_int(population):
            self.not_an_integer(population, ("district", "population"), "dân số huyện")
            population = None
        elif population is not None and population <= 0:
            self.error("«population» của huyện phải là số nguyên dương", ("district", "population"))
            population = None
        elif population is not None and population > MAX_PEOPLE:
            self.error(too_many_people("population", population), ("district", "population"))
            population = None
        return District(
            name=name,
            short_name=self.text(
                raw.get("short_name", name), ("district", "short_name"), "tên ngắn"
            ),
            province=self.text(raw.get("province"), ("district", "province"), "tên tỉnh"),
            population=population,
            gso_code=self.text(raw.get("gso_code"), ("district", "gso_code"), "mã", False),
        )

    def build_report(self, raw: Any, district: District) -> ReportSettings:
        defaults = ReportSettings.for_district(district)
        if raw is None:
            return defaults
        if not isinstance(raw, dict):
            self.error("«report» phải là một bảng", ("report",))
            return defaults
        self.unknown_keys(raw, REPORT_KEYS, ("report",))

        addressees: list[Recipient] = []

        def lines(key: str, fallback: tuple[str, ...]) -> tuple[str, ...]:
            """A list of lines; a line may be a table {name, email, attach} (where the
            report is emailed), its name being the line."""
            value = raw.get(key)
            if value is None:
                return fallback
            items = [value] if not isinstance(value, list) else value
            if not all(isinstance(item, str | dict) for item in items):
                self.error(
                    f"«report.{key}» phải là chuỗi hoặc danh sách chuỗi (mỗi dòng có thể là "
                    f"bảng {{name, email, attach}})",
                    ("report", key),
                    key,
                )
                return fallback
            names = []
            for index, item in enumerate(items):
                if isinstance(item, str):
                    names.append(nfc(item.strip()))
                    continue
                where = ("report", key, index) if isinstance(value, list) else ("report", key)
                recipient = self.recipient(item, where, copy=key == "copies")
                names.append(recipient.name)
                if recipient.emails:
                    addressees.append(recipient)
            return tuple(names)

        def line(key: str, fallback: str, required: bool = True) -> str:
            if key not in raw:
                return fallback
            return self.text(raw[key], ("report", key), "một dòng", required)

        if isinstance(raw.get("issuer"), list):
            self.error(
                "«report.issuer» là tên cơ quan ban hành báo cáo, một dòng (ví dụ PHÒNG VĂN HÓA "
                "VÀ THÔNG TIN); cơ quan chủ quản ở dòng trên ghi vào «report.authority»",
                ("report", "issuer"),
                "issuer",
            )
            return defaults
        return ReportSettings(
            authority=line("authority", defaults.authority),
            issuer=line("issuer", defaults.issuer),
            number=line("number", defaults.number),
            place=line("place", defaults.place),
            recipients=lines("recipients", defaults.recipients),
            copies=lines("copies", defaults.copies),
            signer_title=lines("signer_title", defaults.signer_title),
            signer_name=line("signer_name", "", required=False),
            addressees=tuple(addressees),
        )

    def recipient(self, raw: dict, keys: tuple[Any, ...], copy: bool) -> Recipient:
        """A line of "Kính gửi:"/"Nơi nhận:" written as {name, email, attach}."""
        if len(raw) == 1 and not RECIPIENT_KEYS & set(raw):  # `- Lưu: VT`, not quoted
            ((key, value),) = raw.items()
            line = f"{key}: {'' if value is None else value}".strip()
            self.error(
                f"dòng «{line}» có dấu «: » nên YAML đọc thành một bảng: đặt cả dòng trong "
                f'ngoặc kép: "{line}"',
                keys,
            )
            return Recipient(name=nfc(line), emails=())
        self.unknown_keys(raw, RECIPIENT_KEYS, keys)
        name = self.text(raw.get("name"), keys + ("name",), "tên nơi nhận")
        emails = self.email_list(raw.get("email"), keys + ("email",))
        attach_raw = raw.get("attach")
        attach: list[str] = []
        if attach_raw is not None:
            items = attach_raw if isinstance(attach_raw, list) else [attach_raw]
            for item in items:
                if item not in ATTACHABLE_FORMATS:
                    self.error(
                        f"«attach» là tệp gửi kèm báo cáo: {' hoặc '.join(ATTACHABLE_FORMATS)} "
                        f"(bảng tính hoặc CSV số liệu), không phải «{quoted(item)}»",
                        keys + ("attach",),
                        "attach",
                    )
                elif item not in attach:
                    attach.append(item)
            if attach and not emails:
                self.error(
                    "«attach» chỉ có nghĩa khi nơi nhận có «email»", keys + ("attach",), "attach"
                )
        return Recipient(name=name, emails=emails, attach=tuple(attach), copy=copy)

    def email_list(self, raw: Any, keys: tuple[Any, ...]) -> tuple[str, ...]:
        """One address or a list of them, each checked."""
        if raw is None:
            return ()
        items = raw if isinstance(raw, list) else [raw]
        found: list[str] = []
        for item in items:
            address = item.strip() if isinstance(item, str) else item
            why = email_problem(address)
            if why:
                self.error(f"«{keys[-1]}»: {why}", keys, str(keys[-1]))
            elif address.lower() not in (a.lower() for a in found):
                found.append(address)
        return tuple(found)

    def build_email(self, raw: Any) -> MailSettings | None:
        """`email:`: the SMTP server the report (and reminders) go out through."""
        if raw is None:
            return None
        if not isinstance(raw, dict):
            self.error(
                "«email» phải là một bảng có host, port, security, user, from", ("email",), "email"
            )
            return None
        self.unknown_keys(raw, MAIL_KEYS, ("email",))
        errors_before = len(self.errors)
        self._mail_no_password(raw)
        host = self._mail_host(raw)
        security, port, timeout = self._mail_connection(raw)
        sender, address = self._mail_sender(raw)
        user = self.text(raw.get("user"), ("email", "user"), "tên đăng nhập", False)
        password_env = self._mail_password_env(raw)
        password_file = self.text(
            raw.get("password_file"), ("email", "password_file"), "đường dẫn tệp mật khẩu", False
        )
        ca_file = self.text(raw.get("ca_file"), ("email", "ca_file"), "tệp chứng chỉ", False)
        if len(self.errors) > errors_before:
            return None
        return MailSettings(
            host=host,
            port=port,
            security=security,
            sender=sender,
            sender_address=address,
            user=user,
            password_env=password_env,
            password_file=password_file,
            timeout=timeout,
            ca_file=ca_file,
        )

    def _mail_no_password(self, raw: dict) -> None:
        """units.yaml goes into git and to every office: a password there is refused."""
        for secret in ("password", "pass", "mat_khau"):
            if secret in raw:
                self.error(
                    f"không ghi mật khẩu vào units.yaml (tệp này vào git và tới mọi văn phòng): "
                    f"xoá «{secret}», đặt mật khẩu vào biến môi trường {MAIL_PASSWORD_ENV} hoặc "
                    f"một tệp chỉ mình bạn đọc được (email.password_file); xem docs/sending.md",
                    ("email", secret),
                    secret,
                )

    def _mail_host(self, raw: dict) -> str:
        host = self.text(raw.get("host"), ("email", "host"), "tên máy chủ thư")
        if host and (any(ch.isspace() or ch in "/:@" for ch in host) or not host.isascii()):
            self.error(
                f"«host» là tên máy chủ thư (ví dụ mail.dongthap.gov.vn), không có dấu cách, "
                f"«/», «:» hay «@»: «{host}»",
                ("email", "host"),
                "host",
            )
        return host

    def _mail_connection(self, raw: dict) -> tuple[str, int, int]:
        """Security, port and timeout; a wrong one is named and its default used."""
        security = raw.get("security", "ssl")
        if security not in MAIL_SECURITY:
            self.error(
                f"«security» là ssl (mã hoá ngay từ đầu, thường cổng 465) hoặc starttls (cổng "
                f"587), không phải «{quoted(security)}»",
                ("email", "security"),
                "security",
            )
            security = "ssl"
        port = raw.get("port", MAIL_DEFAULT_PORTS[security])
        if not _is_int(port) or not 1 <= port <= 65535:
            self.error(
                f"«port» là số cổng từ 1 đến 65535 (ssl: 465, starttls: 587), không phải "
                f"«{quoted(port)}»",
                ("email", "port"),
                "port",
            )
            port = MAIL_DEFAULT_PORTS[security]
        timeout = raw.get("timeout", MAIL_TIMEOUT_SECONDS)
        if not _is_int(timeout) or not 1 <= timeout <= MAX_MAIL_TIMEOUT_SECONDS:
            self.error(
                f"«timeout» là số giây chờ máy chủ thư, từ 1 đến {MAX_MAIL_TIMEOUT_SECONDS}, "
                f"không phải «{quoted(timeout)}»",
                ("email", "timeout"),
                "timeout",
            )
            timeout = MAIL_TIMEOUT_SECONDS
        return security, port, timeout

    def _mail_sender(self, raw: dict) -> tuple[str, str]:
        sender = self.text(raw.get("from"), ("email", "from"), "địa chỉ người gửi")
        _, address = parseaddr(sender)
        if sender:
            why = email_problem(address) if "@" in address else "thiếu địa chỉ thư (…@…)"
            if why:
                self.error(
                    f"«from» là địa chỉ gửi, ví dụ «Phòng Văn hóa và Thông tin <vhtt@…>» hoặc "
                    f"«vhtt@…»: {why}",
                    ("email", "from"),
                    "from",
                )
        return sender, address

    def _mail_password_env(self, raw: dict) -> str:
        """The NAME of the variable holding the password, never the password."""
        password_env = self.text(
            raw.get("password_env", MAIL_PASSWORD_ENV), ("email", "password_env"), "tên biến"
        )
        if password_env and not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", password_env):
            self.error(
                f"«password_env» là TÊN biến môi trường giữ mật khẩu (ví dụ "
                f"{MAIL_PASSWORD_ENV}), không phải mật khẩu: «{password_env}» không phải tên biến",
                ("email", "password_env"),
                "password_env",
            )
        return password_env

    def build_history(self, raw: Any) -> str:
        if raw in (HISTORY_GIT, HISTORY_NONE, HISTORY_AUTO):
            return raw
        self.error(
            f"«history» phải là git (ghi lịch sử mọi lần lưu bằng git) hoặc none (không ghi), "
            f"không phải «{quoted(raw)}»",
            ("history",),
            "history",
        )
        return HISTORY_NONE

    def build_sync(self, raw: Any) -> int | None:
        if raw is None:
            return None
        if not isinstance(raw, dict):
            self.error("«sync» phải là một bảng, ví dụ sync: {every: 5}", ("sync",), "sync")
            return None
        self.unknown_keys(raw, frozenset({"every"}), ("sync",))
        every = raw.get("every")
        if every is None:
            return None
        if not _is_int(every) or not 1 <= every <= MAX_SYNC_MINUTES:
            self.error(
                f"«sync.every» là số phút giữa hai lần tự đồng bộ, từ 1 đến {MAX_SYNC_MINUTES}, "
                f"không phải «{quoted(every)}»",
                ("sync", "every"),
                "every",
            )
            return None
        return every

    def build_office(self, raw: Any) -> Office:
        if raw is None:
            return Office()
        if not isinstance(raw, dict):
            self.error("«office» phải là một bảng có name, phone", ("office",))
            return Office()
        self.unknown_keys(raw, OFFICE_KEYS, ("office",))
        return Office(
            name=self.text(raw.get("name"), ("office", "name"), "tên phòng nhận báo cáo"),
            phone=self.text(raw.get("phone"), ("office", "phone"), "số điện thoại", False),
        )

    def build_signing(self, raw: Any) -> SigningSettings:
        if raw is None:
            return SigningSettings()
        if not isinstance(raw, dict):
            self.error("«signing» phải là một bảng, ví dụ signing: {pkcs12: ...}", ("signing",))
            return SigningSettings()
        self.unknown_keys(raw, SIGNING_KEYS, ("signing",))
        for secret in ("password", "pin", "passphrase", "mat_khau"):
            if secret in raw:  # refused above as unknown; said plainly why here
                self.error(
                    f"«signing.{secret}»: không ghi mật khẩu, mã PIN vào units.yaml (tệp nằm "
                    f"trong git); đặt biến môi trường BLUEZONE_SIGN_PASSWORD hoặc gõ khi ký",
                    ("signing", secret),
                    secret,
                )
        values = {
            key: self.text(raw.get(key), ("signing", key), "đường dẫn hoặc tên", False).strip()
            for key in SIGNING_KEYS
        }
        return SigningSettings(**values)

    def build_forms(self, raw: Any) -> dict[str, Form]:
        forms: dict[str, Form] = {}
        if raw is None:
            return forms
        if not isinstance(raw, dict):
            self.error("«forms» phải là một bảng: mã biểu mẫu -> fields, rules", ("forms",))
            return forms
        for form_id, spec in raw.items():
            keys = ("forms", form_id)
            if not isinstance(spec, dict) or not isinstance(spec.get("fields"), list):
                self.error(f"biểu mẫu «{form_id}» phải có danh sách «fields»", keys)
                continue
            fields: list[Field] = []
            seen: set[str] = set()
            for index, raw_field in enumerate(spec["fields"]):
                built = self.build_field(raw_field, keys + ("fields", index))
                if built is None:
                    continue
                if built.id in seen:
                    self.error(f"chỉ tiêu «{built.id}» bị lặp", keys + ("fields", index, "id"))
                    continue
                seen.add(built.id)
                fields.append(built)
            self.dhis2_duplicates(
                [(f.id, f.dhis2, keys + ("fields", i)) for i, f in enumerate(fields)], "chỉ tiêu"
            )
            if not fields:
                self.error(f"biểu mẫu «{form_id}» không có chỉ tiêu nào", keys)
                continue
            headline_id = spec.get("headline", fields[0].id)
            if not isinstance(headline_id, str):
                headline_id = ""
            headline = next((f for f in fields if f.id == headline_id), None)
            if headline is None or headline.type != "int":
                self.error(
                    "số liệu chính («headline», mặc định là chỉ tiêu đầu tiên) phải là một "
                    "chỉ tiêu kiểu int của biểu mẫu",
                    keys + ("headline",) if "headline" in spec else keys + ("fields", 0),
                )
            rules = []
            raw_rules = spec.get("rules") or []
            if not isinstance(raw_rules, list):
                self.error("«rules» phải là một danh sách quy tắc", keys + ("rules",))
                raw_rules = []
            for index, raw_rule in enumerate(raw_rules):
                rule = self.build_rule(raw_rule, keys + ("rules", index), seen)
                if rule is not None:
                    rules.append(rule)
            forms[str(form_id)] = Form(
                id=str(form_id),
                fields=tuple(fields),
                rules=tuple(rules),
                headline_id=str(headline_id),
            )
        return forms

    def build_field(self, raw: Any, keys: tuple[Any, ...]) -> Field | None:
        if not isinstance(raw, dict):
            self.error("mỗi chỉ tiêu phải là một bảng có id, label, type", keys)
            return None
        field_id = raw.get("id")
        if not isinstance(field_id, str) or not FIELD_ID_RE.match(field_id):
            self.error(
                "«id» của chỉ tiêu phải gồm chữ thường, số và «_», bắt đầu bằng chữ",
                keys + ("id",),
            )
            return None
        if field_id in REPORT_COLUMNS:
            self.error(
                f"mã chỉ tiêu «{field_id}» trùng tên một cột có sẵn của báo cáo tổng hợp (CSV, "
                f"Excel): số liệu nhập vào sẽ không có cột riêng, hoặc nằm cạnh cột cùng tên "
                f"mang nghĩa khác; đặt mã khác, ví dụ «{field_id}_bao_cao»",
                keys + ("id",),
                "id",
            )
        self.unknown_keys(raw, FIELD_KEYS, keys)
        field_type = raw.get("type", "int")
        if field_type not in FIELD_TYPES:
            self.error(f"«type» phải là một trong {', '.join(FIELD_TYPES)}", keys + ("type",))
            return None
        bounds = {}
        for bound in ("min", "max"):
            value = raw.get(bound, 0 if bound == "min" and field_type == "int" else None)
            if value is not None and not _is_int(value):
                self.not_an_integer(value, keys + (bound,), "giới hạn")
                value = None
            bounds[bound] = value
        if (
            bounds["min"] is not None
            and bounds["max"] is not None
            and bounds["min"] > bounds["max"]
        ):
            self.error("«min» lớn hơn «max»: không số nào hợp lệ", keys + ("min",))
        return Field(
            id=field_id,
            label=self.text(raw.get("label"), keys + ("label",), "nhãn tiếng Việt"),
            type=field_type,
            min=bounds["min"],
            max=bounds["max"],
            required=self.flag(raw, "required", keys),
            cumulative=self.flag(raw, "cumulative", keys),
            short=self.text(raw.get("short"), keys + ("short",), "nhãn ngắn", False),
            dhis2=self.dhis2_id(raw, keys),
        )

    def build_rule(self, raw: Any, keys: tuple[Any, ...], field_ids: set[str]) -> Rule | None:
        if not isinstance(raw, dict):
            self.error("mỗi quy tắc phải là một bảng có left, op, right", keys)
            return None
        self.unknown_keys(raw, RULE_KEYS, keys)
        left, op, right = raw.get("left"), raw.get("op"), raw.get("right")
        level = raw.get("level", "error")
        ok = True
        if not isinstance(left, str) or left not in field_ids:
            self.error(
                f"«left» phải là một chỉ tiêu của biểu mẫu ({', '.join(sorted(field_ids))}), không phải "
                f"«{quoted(left)}»{suggestion(left, field_ids)}",
                keys,
            )
            ok = False
        if op not in OPERATORS:
            self.error(f"«op» phải là một trong {' '.join(OPERATORS)}", keys + ("op",))
            ok = False
        if not (isinstance(right, str) and FIELD_ID_RE.match(right)) and not _is_int(right):
            self.error("«right» phải là một chỉ tiêu, một thuộc tính đơn vị hoặc một số", keys)
            ok = False
        if level not in ("error", "warning"):
            self.error("«level» phải là error hoặc warning", keys + ("level",))
            ok = False
        if not ok:
            return None
        # what the checks above let through
        assert isinstance(left, str) and isinstance(op, str) and isinstance(right, str | int)
        message = raw.get("message") or ""
        if not isinstance(message, str):
            self.error("«message» của quy tắc phải là một chuỗi", keys + ("message",))
            return None
        return Rule(left=left, op=op, right=right, level=level, message=nfc(message))

    def build_groups(self, raw: Any, forms: dict[str, Form]) -> list[Group]:
        groups: list[Group] = []
        if raw is None:
            return groups
        if not isinstance(raw, list):
            self.error("«groups» phải là một danh sách", ("groups",))
            return groups
        seen: set[str] = set()
        for index, spec in enumerate(raw):
            keys = ("groups", index)
            if not isinstance(spec, dict):
                self.error("mỗi nhóm phải là một bảng có id, name, form", keys)
                continue
            group_id = spec.get("id")
            if not isinstance(group_id, str) or not UNIT_ID_RE.match(group_id):
                self.error("«id» của nhóm phải gồm chữ thường, số và «-»", keys + ("id",))
                continue
            if group_id in seen:
                self.error(f"nhóm «{group_id}» bị lặp", keys + ("id",))
                continue
            seen.add(group_id)
            form_id = spec.get("form", group_id)
            form = forms.get(form_id) if isinstance(form_id, str) else None
            if form is None:
                self.error(f"nhóm «{group_id}» dùng biểu mẫu «{quoted(form_id)}» không có", keys)
                continue
            deadline = None
            if spec.get("deadline") is not None:
                deadline = self.clock(spec["deadline"], keys + ("deadline",), "15:00", True)
            groups.append(
                Group(
                    id=group_id,
                    name=self.text(spec.get("name"), keys + ("name",), "tên nhóm"),
                    form=form,
                    deadline=deadline,
                    counts_in_total=self.flag(spec, "counts_in_total", keys),
                    rate=self.build_rate(spec.get("rate"), keys + ("rate",), form),
                )
            )
        return groups

    def build_rate(self, raw: Any, keys: tuple[Any, ...], form: Form) -> Rate | None:
        if raw is None:
            return None
        if not isinstance(raw, dict):
            self.error("«rate» phải là một bảng có of, over", keys)
            return None

        def names(key: str) -> tuple[str, ...]:
            value = raw.get(key)
            items = [value] if isinstance(value, str) else value
            if (
                not isinstance(items, list)
                or not items
                or not all(isinstance(item, str) for item in items)
            ):
                self.error(f"«rate.{key}» phải là tên chỉ tiêu/thuộc tính hoặc danh sách", keys)
                return ()
            return tuple(items)

        of, over = names("of"), names("over")
        for name in of:
            if form.field(name) is None:
                self.error(
                    f"«rate.of» nhắc tới chỉ tiêu «{name}» không có trong biểu mẫu «{form.id}» "
                    f"({', '.join(form.by_id)}){suggestion(name, form.by_id)}",
                    keys + ("of",),
                    "of",
                )
        target = raw.get("target")
        if target is not None and not _is_int(target):
            self.not_an_integer(target, keys + ("target",), "chỉ tiêu phần trăm, không ghi «%»")
            target = None
        label = self.text(raw.get("label", "Tỷ lệ"), keys + ("label",), "nhãn")
        return Rate(of=of, over=over, target=target, label=label)

    def build_units(self, raw: Any, groups: dict[str, Group]) -> list[Unit]:
        units: list[Unit] = []
        if raw is None:
            return units
        if not isinstance(raw, list):
            self.error("«units» phải là một danh sách các đơn vị", ("units",))
            return units
        seen: dict[str, int] = {}
        places: list[tuple[str, str, tuple[Any, ...]]] = []  # (unit id, DHIS2 id, keys)
        for index, spec in enumerate(raw):
            keys = ("units", index)
            unit = self.build_unit(spec, keys, seen, groups, len(units))
            if unit is not None:
                units.append(unit)
                places.append((unit.id, unit.dhis2, keys))
        self.dhis2_duplicates(places, "đơn vị")
        return units

    def build_unit(
        self,
        spec: Any,
        keys: tuple[Any, ...],
        seen: dict[str, int],
        groups: dict[str, Group],
        position: int,
    ) -> Unit | None:
        """One unit, or None when anything in it is an error (each one reported)."""
        errors_before = len(self.errors)
        identity = self.unit_identity(spec, keys, seen, groups)
        if identity is None:
            return None
        unit_id, group = identity
        attributes, bad = self.unit_attributes(spec, keys)
        hamlets = spec.get("hamlets") or []
        if not isinstance(hamlets, list) or not all(isinstance(h, str) for h in hamlets):
            self.error(
                "«hamlets» phải là danh sách tên khóm, ấp trong ngoặc vuông, ví dụ "
                "«hamlets: [Ấp 1, Ấp 2, Khóm 3]»",
                keys + ("hamlets",),
            )
            hamlets, bad = [], True
        contact = spec.get("contact") or {}
        if not isinstance(contact, dict):
            self.error("«contact» phải là bảng có person, phone, email", keys + ("contact",))
            contact, bad = {}, True
        name = self.text(spec["name"], keys + ("name",), "tên đơn vị")
        person = self.text(contact.get("person"), keys + ("contact", "person"), "tên", False)
        phone = self.text(contact.get("phone"), keys + ("contact", "phone"), "số điện thoại", False)
        emails = self.email_list(contact.get("email"), keys + ("contact", "email"))
        gso_code = self.text(spec.get("gso_code"), keys + ("gso_code",), "mã thống kê", False)
        short_name = self.text(spec.get("short_name"), keys + ("short_name",), "tên ngắn", False)
        self.text(spec.get("note"), keys + ("note",), "ghi chú", False)
        dhis2 = self.dhis2_id(spec, keys)
        if hamlets:
            attributes.setdefault("hamlets", len(hamlets))
        if bad or len(self.errors) > errors_before or not name:
            return None
        return Unit(
            id=unit_id,
            name=name,
            group=group,
            attributes=attributes,
            hamlets=tuple(nfc(h) for h in hamlets),
            contact=Contact(person=person, phone=phone, email=emails),
            gso_code=gso_code,
            index=position,
            short_name=short_name,
            dhis2=dhis2,
        )

    def unit_identity(
        self, spec: Any, keys: tuple[Any, ...], seen: dict[str, int], groups: dict[str, Group]
    ) -> tuple[str, Group] | None:
        """A unit's id (valid, not seen before) and its group, or None (an error said why)."""
        if not isinstance(spec, dict):
            self.error("mỗi đơn vị phải là một bảng có id, name, group", keys)
            return None
        missing = [key for key in ("id", "name", "group") if key not in spec]
        if missing:
            self.error(f"đơn vị thiếu khóa bắt buộc: {', '.join(missing)}", keys)
            return None
        unit_id = spec["id"]
        why = unit_id_problem(unit_id)
        if why:
            self.error(why, keys + ("id",), "id")
            return None
        if unit_id in seen:
            first_line, _ = self.locator.find(("units", seen[unit_id], "id"))
            self.error(
                f"mã đơn vị «{unit_id}» bị lặp (đã có ở dòng {first_line})", keys + ("id",), "id"
            )
            return None
        seen[unit_id] = keys[-1]
        group = groups.get(spec["group"]) if isinstance(spec["group"], str) else None
        if group is None:
            self.error(
                f"nhóm «{quoted(spec['group'])}» không có trong «groups» (có: "
                f"{', '.join(groups)}){suggestion(spec['group'], groups)}",
                keys + ("group",),
                "group",
            )
            return None
        return unit_id, group

    def unit_attributes(
        self, spec: dict[Any, Any], keys: tuple[Any, ...]
    ) -> tuple[dict[str, int], bool]:
        """The unit's integer attributes (population, staff…), and whether any was refused."""
        attributes: dict[str, int] = {}
        bad = False
        for key, value in spec.items():
            if key in UNIT_KEYS:
                continue
            if isinstance(key, str) and FIELD_ID_RE.match(key) and _is_int(value):
                if value < 0:
                    self.error(f"«{key}» không được âm", keys + (key,), key)
                    bad = True
                elif value > MAX_PEOPLE:
                    self.error(too_many_people(key, value), keys + (key,), key)
                    bad = True
                attributes[key] = value
            elif isinstance(key, str) and FIELD_ID_RE.match(key):
                self.not_an_integer(value, keys + (key,), "thuộc tính đơn vị")
                bad = True
            else:
                self.error(
                    f"khóa «{quoted(key)}» không hợp lệ: khóa của đơn vị là id, name, group, "
                    f"… hoặc tên một thuộc tính số (population, staff, students…) viết "
                    f"thường, không dấu",
                    keys + (key,),
                    str(key),
                )
                bad = True
        return attributes, bad
