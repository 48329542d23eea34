"""The unit registry's model: who reports, by when, on which form, and the report's settings.

Plain dataclasses, built once by the builder from `units.yaml` and read by every stage.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import time
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from bluezone_tui.base.problems import Problem
from bluezone_tui.base.vn import slug

if TYPE_CHECKING:
    from bluezone_tui.registry.reminders import ReminderSettings

REGISTRY_FILE = "units.yaml"
MAX_REGISTRY_BYTES = 20 * 1024 * 1024
UNIT_ID_RE = re.compile(r"[a-z0-9][a-z0-9-]*\Z")
FIELD_ID_RE = re.compile(r"[a-z][a-z0-9_]*\Z")
# Names Windows cannot create as files; a unit so named could not be synced there.
WINDOWS_RESERVED = frozenset(
    {"con", "prn", "aux", "nul"}
    | {f"com{i}" for i in range(1, 10)}
    | {f"lpt{i}" for i in range(1, 10)}
)
MAX_UNIT_ID_LENGTH = 64
HISTORY_AUTO, HISTORY_GIT, HISTORY_NONE = "auto", "git", "none"
MAX_SYNC_MINUTES = 24 * 60
# A count of people (a population, staff, students, installs) above Vietnam's population
# (96,2 million at the 2019 census) is a typo or junk, never a figure: 10^8.
MAX_PEOPLE = 100_000_000
# The usual unit attributes, as a sentence names them ("dân số của đơn vị").
ATTRIBUTE_LABELS = {
    "population": "dân số",
    "staff": "số cán bộ",
    "students": "số học sinh",
    "hamlets": "số khóm, ấp",
}
# The columns every report table has before the form's fields (the CSV's and the
# workbook's, reports/csv.py): names the reports own. A field so named would have no
# column of its own, or stand beside one that means something else (a typed
# `population` next to the registry's), so the registry refuses it.
REPORT_COLUMNS = (
    "date",
    "unit_id",
    "unit_name",
    "group",
    "status",
    "status_vi",
    "reported_at",
    "revision",
    "installs",
    "population",
    "rate_percent",
    "rate_numerator",
    "rate_denominator",
    "installs_change",
    "rank",
    "carried_from",
    "note",
    "gso_code",
)
FIELD_TYPES = ("int", "bool", "text")
OPERATORS = ("<=", "<", ">=", ">", "==", "!=")
FIELD_KEYS = frozenset(
    {"id", "label", "short", "type", "min", "max", "required", "cumulative", "dhis2"}
)
RULE_KEYS = frozenset({"left", "op", "right", "level", "message"})
UNIT_KEYS = frozenset(
    {"id", "name", "short_name", "group", "hamlets", "contact", "gso_code", "note", "dhis2"}
)
OFFICE_KEYS = frozenset({"name", "phone"})
# `email:` (sending the report, and reminders by email): what, never the password
MAIL_KEYS = frozenset(
    {"host", "port", "security", "user", "from", "password_env", "password_file", "timeout",
     "ca_file"}
)  # fmt: skip
MAIL_SECURITY = ("ssl", "starttls")
MAIL_DEFAULT_PORTS = {"ssl": 465, "starttls": 587}
MAIL_PASSWORD_ENV = "BLUEZONE_SMTP_PASSWORD"
MAIL_TIMEOUT_SECONDS = 30
MAX_MAIL_TIMEOUT_SECONDS = 600
# a line of "Kính gửi:" or "Nơi nhận:" written as a table: its name, its addresses and
# the files it gets besides the report (the province's workbook or CSV)
RECIPIENT_KEYS = frozenset({"name", "email", "attach"})
ATTACHABLE_FORMATS = ("xlsx", "csv")
MAX_DHIS2_ID_LENGTH = 50  # DHIS2's limit for a code; a UID has 11 characters
SIGNER_MISSING = "signer-missing"  # report.signer_name is empty: the Word report has no name
DHIS2_DUPLICATE = "dhis2-duplicate"  # the code of the registry warning the DHIS2 export refuses


# An address as mail servers take it: ASCII, one "@", a domain of dotted labels.
_EMAIL_LOCAL = re.compile(r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*\Z")
_EMAIL_DOMAIN = re.compile(r"([A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?\.)+[A-Za-z0-9-]*[A-Za-z]\Z")


def email_problem(address: object) -> str | None:
    """Why this is not an address the report can be sent to, or None if it is."""
    if not isinstance(address, str) or not address.strip():
        return "địa chỉ thư phải là một chuỗi không rỗng, ví dụ vanthu@hongngu.gov.vn"
    local, at, domain = address.rpartition("@")
    if not at or not local or not domain:
        return f"«{address}» không phải địa chỉ thư (dạng ten@ten-mien.vn)"
    if not address.isascii():
        return (
            f"«{address}» có chữ có dấu hoặc ký tự ngoài ASCII: địa chỉ thư chỉ gồm chữ không dấu"
        )
    if not _EMAIL_LOCAL.match(local) or not _EMAIL_DOMAIN.match(domain):
        return f"«{address}» không phải địa chỉ thư hợp lệ (dạng ten@ten-mien.vn)"
    return None


def unit_id_problem(unit_id: object) -> str | None:
    """Why this is not a usable unit id (also a file name), or None if it is."""
    if not isinstance(unit_id, str) or not unit_id:
        return "mã đơn vị phải là một chuỗi không rỗng"
    if "/" in unit_id or "\\" in unit_id or ".." in unit_id:
        return f"mã đơn vị «{unit_id}» không được chứa «/», «\\» hay «..»"
    if len(unit_id) > MAX_UNIT_ID_LENGTH:
        return f"mã đơn vị dài quá {MAX_UNIT_ID_LENGTH} ký tự"
    if not UNIT_ID_RE.match(unit_id):
        hint = slug(unit_id)
        hint = f"; viết «{hint}»" if hint and UNIT_ID_RE.match(hint) else ""
        return f"mã đơn vị «{unit_id}» chỉ được gồm chữ thường a-z không dấu, số và dấu «-»{hint}"
    if unit_id in WINDOWS_RESERVED:
        return f"mã đơn vị «{unit_id}» là tên dành riêng của Windows, không dùng làm tên tệp được"
    return None


@dataclass(frozen=True, slots=True)
class Field:
    """One figure a unit reports: its type, bounds and whether it only grows."""

    id: str
    label: str
    type: str = "int"
    min: int | None = 0
    max: int | None = None
    required: bool = False
    cumulative: bool = False
    short: str = ""
    dhis2: str = ""  # the DHIS2 data element (code or UID) this figure is sent as

    @property
    def short_label(self) -> str:
        """A column header: `short:` in the registry, else the label."""
        return self.short or self.label


@dataclass(frozen=True, slots=True)
class Rule:
    """A cross-field check: `left op right`, right being a field, a unit attribute or a number."""

    left: str
    op: str
    right: str | int
    level: str = "error"
    message: str = ""


@dataclass(frozen=True, slots=True)
class Rate:
    """How a group's rate is computed: sum of `of` over sum of `over`, with a target in %."""

    of: tuple[str, ...]
    over: tuple[str, ...]
    target: int | None = None
    label: str = "Tỷ lệ"


@dataclass(frozen=True, slots=True)
class Form:
    id: str
    fields: tuple[Field, ...]
    rules: tuple[Rule, ...] = ()
    headline_id: str = ""
    # field id -> Field, for the lookups done for every figure of every file
    by_id: dict[str, Field] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "by_id", {f.id: f for f in self.fields})

    def field(self, field_id: str) -> Field | None:
        return self.by_id.get(field_id)

    @property
    def headline(self) -> Field:
        """The main figure: `headline:` in the form, else its first field (communes: installs)."""
        if self.headline_id:
            return self.by_id.get(self.headline_id) or self.fields[0]
        return self.fields[0]


@dataclass(frozen=True, slots=True)
class Group:
    id: str
    name: str
    form: Form
    deadline: time | None
    counts_in_total: bool = False
    rate: Rate | None = None

    @property
    def expected(self) -> bool:
        """Only groups with a daily deadline are expected to report (DHIS2's 'expected')."""
        return self.deadline is not None


@dataclass(frozen=True, slots=True)
class Contact:
    person: str = ""
    phone: str = ""  # as written: one number or several ("0277 3800 101; 0912 345 678")
    email: tuple[str, ...] = ()  # where reminders by email go


@dataclass(frozen=True, slots=True)
class Unit:
    id: str
    name: str
    group: Group
    attributes: dict[str, int]
    hamlets: tuple[str, ...] = ()
    contact: Contact = Contact()
    gso_code: str = ""
    index: int = 0
    short_name: str = ""
    dhis2: str = ""  # the DHIS2 organisation unit (code or UID) of this unit

    @property
    def form(self) -> Form:
        return self.group.form

    @property
    def short_label(self) -> str:
        """The name where room is short (the board's column): `short_name:`, else the name."""
        return self.short_name or self.name


@dataclass(frozen=True, slots=True)
class District:
    name: str
    short_name: str
    province: str
    population: int | None = None
    gso_code: str = ""


@dataclass(frozen=True, slots=True)
class Office:
    """The office the units report to: reminders tell a unit where to send its figures."""

    name: str = ""
    phone: str = ""


@dataclass(frozen=True, slots=True)
class SigningSettings:
    """`signing:` in units.yaml: where the office's signing key, images and trusted roots
    are (`bluezone sign`, `bluezone sent add`). Paths are as written: relative ones are
    taken from the data folder. Never a password or PIN: those come from the terminal or
    the environment."""

    pkcs12: str = ""  # a PKCS#12 file (.p12, .pfx) holding the key and its certificate
    pkcs11_library: str = ""  # a PKCS#11 module (a token's driver, e.g. libsofthsm2.so)
    token: str = ""  # the token's label
    key: str = ""  # the key's label on the token
    timestamp_url: str = ""  # an RFC 3161 time-stamp server: PAdES B-T
    signature_image: str = ""  # the signer's signature (PNG, transparent background)
    seal_image: str = ""  # the office's seal (PNG, transparent background)
    trust_roots: str = ""  # a folder of the province's root certificates (PEM or DER)


SIGNING_KEYS = frozenset(SigningSettings.__dataclass_fields__)


@dataclass(frozen=True, slots=True)
class Recipient:
    """Where the signed report is emailed: a line of "Kính gửi:" (`copy` False) or of
    "Nơi nhận:" (True) that has addresses, and the formats sent along (the province's
    workbook or CSV)."""

    name: str
    emails: tuple[str, ...]
    attach: tuple[str, ...] = ()
    copy: bool = False


@dataclass(frozen=True, slots=True)
class MailSettings:
    """`email:` in units.yaml: the office's SMTP server and who the mail is from.

    The password is never here: it comes from the environment variable `password_env`
    or from `password_file` (a file only its owner can read, outside the data folder).
    """

    host: str
    port: int
    security: str  # "ssl" (TLS from the start, usually 465) or "starttls" (usually 587)
    sender: str  # the From: header as written ("Phòng … <vhtt@…>" or a bare address)
    sender_address: str  # its address alone: the envelope sender, the Message-ID's domain
    user: str = ""  # "" : the server takes mail without logging in
    password_env: str = MAIL_PASSWORD_ENV
    password_file: str = ""  # as written; "~" is the home folder
    timeout: int = MAIL_TIMEOUT_SECONDS
    ca_file: str = ""  # certificates to trust besides the system's (a private mail server)


@dataclass(frozen=True, slots=True)
class ReportSettings:
    """The administrative frame of the consolidated report (Decree 30/2020/NĐ-CP layout).

    The report is the Office of Culture and Information's own: `authority` is the body
    above it (first line of the header), `issuer` the Office itself (bold, below it),
    `recipients` the "Kính gửi:" list (and "- Như trên;" under "Nơi nhận:"), `copies`
    the other lines under "Nơi nhận:", then the signer's title lines and name.
    """

    authority: str
    issuer: str
    number: str
    place: str
    recipients: tuple[str, ...]
    copies: tuple[str, ...] = ("Lưu: VT",)
    signer_title: tuple[str, ...] = ("TRƯỞNG PHÒNG",)
    signer_name: str = ""
    # the lines of recipients and copies that have email addresses, in that order
    addressees: tuple[Recipient, ...] = ()

    @classmethod
    def for_district(cls, district: District) -> ReportSettings:
        """What `report:` defaults to: the Office reporting to its district and province."""
        name = district.name or "Huyện"
        recipients = [f"Ủy ban nhân dân {name[:1].lower()}{name[1:]}"]
        if district.province:
            recipients.append(f"Sở Thông tin và Truyền thông tỉnh {district.province}")
        return cls(
            authority=f"ỦY BAN NHÂN DÂN {name.upper()}",
            issuer="PHÒNG VĂN HÓA VÀ THÔNG TIN",
            number="Số:      /BC-VHTT",
            place=district.short_name or name,
            recipients=tuple(recipients),
        )


REPORT_KEYS = frozenset(ReportSettings.__dataclass_fields__) - {"addressees"}


@dataclass(slots=True)
class Registry:
    path: Path
    district: District
    timezone: ZoneInfo
    consolidation_deadline: time
    groups: tuple[Group, ...]
    forms: dict[str, Form]
    units: list[Unit]
    report: ReportSettings
    office: Office = field(default_factory=Office)
    signing: SigningSettings = field(default_factory=SigningSettings)
    # `history:` git (required), none (off), or auto: on when the data folder is the top
    # of a git work tree. `sync: {every: N}`: the board syncs by itself every N minutes.
    history: str = HISTORY_AUTO
    sync_every: int | None = None
    email: MailSettings | None = None  # `email:`: None when the office sends no mail
    reminders: ReminderSettings | None = None  # `reminders:`: None when none are sent
    by_id: dict[str, Unit] = field(default_factory=dict)
    warnings: list[Problem] = field(default_factory=list)
    source_digest: str = ""  # SHA-256 of units.yaml's bytes: what was parsed with it says so

    def __post_init__(self) -> None:
        if not self.by_id:
            self.by_id = {unit.id: unit for unit in self.units}

    def unit(self, unit_id: str) -> Unit | None:
        return self.by_id.get(unit_id)

    def group(self, group_id: str) -> Group | None:
        for group in self.groups:
            if group.id == group_id:
                return group
        return None

    def units_in(self, group: Group) -> list[Unit]:
        return [unit for unit in self.units if unit.group is group]

    @property
    def total_groups(self) -> tuple[Group, ...]:
        """Groups whose headline figures add up to the district total (communes/town)."""
        return tuple(group for group in self.groups if group.counts_in_total)

    @property
    def population(self) -> int:
        """The district population: the sum over the units that count in the total."""
        total = 0
        for unit in self.units:
            if unit.group.counts_in_total:
                total += unit.attributes.get("population", 0)
        return total
