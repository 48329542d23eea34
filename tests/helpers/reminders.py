"""A registry's `reminders:` block for the tests: the shipped one replaced, SMS through the
test's gateway or a stand-in gammu, and mobile numbers for the units that need them.

Every endpoint a test writes here is on 127.0.0.1 (or a command in a temp folder).
"""

from __future__ import annotations

import tomllib
from pathlib import Path

SENDER = "may-vhtt-hongngu"  # the shipped block's sender; tests set BLUEZONE_OFFICE to it
# The units the demo's 26 Aug has not heard from at 14:00 (status at 14:00, deadline 15:00)
NOT_REPORTED_0826 = ("xa-thuong-lac", "xa-long-khanh-b", "xa-long-thuan", "thpt-long-khanh-a")
MOBILES = {  # sample mobile numbers, added after each unit's landline
    "0277 3800 105": "0912 000 105",
    "0277 3800 107": "0912 000 107",
    "0277 3800 108": "0912 000 108",
    "0277 3800 203": "0912 000 203",
}


def with_reminders(text: str, block: str) -> str:
    """The registry's `reminders:` block replaced by `block` (a whole block, or "")."""
    start = text.index("\nreminders:\n") + 1
    end = text.index("\ngroups:", start) + 1
    return (
        text[:start] + block + ("\n" if block and not block.endswith("\n\n") else "") + text[end:]
    )


def with_mobiles(text: str, mobiles: dict[str, str] | None = None) -> str:
    """Each landline of `mobiles` followed by a mobile: "0277 3800 105; 0912 000 105"."""
    for landline, mobile in (MOBILES if mobiles is None else mobiles).items():
        old = f'phone: "{landline}"'
        assert old in text, old
        text = text.replace(old, f'phone: "{landline}; {mobile}"')
    return text


def gateway_block(url: str, *rounds: str, extra: str = "") -> str:
    """`reminders:` sending SMS through an HTTP gateway at `url`."""
    lines = [
        "reminders:",
        f"  sender: {SENDER}",
        '  head: {name: Trưởng phòng Văn hóa và Thông tin, phone: "0918 000 307"}',
        "  rounds:",
        *(f"    - {item}" for item in rounds or ('{name: nhac-14h, at: "14:00", by: sms}',)),
        "  sms:",
        "    http:",
        f"      url: {url}/api/send",
        '      body: \'{"to": "{phone}", "text": "{message}"}\'',
        "      key_header: X-API-Key",
        "      timeout: 2",
    ]
    return "\n".join(lines) + "\n" + extra


def gammu_block(command: Path, *rounds: str, config: Path | None = None) -> str:
    """`reminders:` sending SMS through gammu-smsd-inject (`command`)."""
    lines = [
        "reminders:",
        f"  sender: {SENDER}",
        "  rounds:",
        *(f"    - {item}" for item in rounds or ('{name: nhac-14h, at: "14:00", by: sms}',)),
        "  sms:",
        "    gammu:",
        f"      command: {command}",
        "      timeout: 5",
    ]
    if config is not None:
        lines.append(f"      config: {config}")
    return "\n".join(lines) + "\n"


def outbox_records(data: Path, day: str) -> list[dict]:
    """The day's outbox records, oldest first."""
    folder = data / "outbox" / day
    found = [tomllib.loads(p.read_text("utf-8")) for p in sorted(folder.glob("*.toml"))]
    return sorted(found, key=lambda r: (r["written_at"], r["recipient"]))
