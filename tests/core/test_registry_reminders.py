"""`reminders:` in units.yaml (and a unit's contact.email): read as written, every slip an
error at its line in Vietnamese, and never a secret in the file."""

from __future__ import annotations

from datetime import time

import pytest

from bluezone_tui.base.problems import ConfigError
from bluezone_tui.day.state import State
from bluezone_tui.registry.load import parse_registry
from bluezone_tui.registry.reminders import (
    AUDIENCES,
    FORM,
    JSON,
    GammuSettings,
    HttpSmsSettings,
    Person,
    ReminderSettings,
    Round,
    SmsSettings,
    fill,
)
from helpers.data import SHIPPED_REGISTRY

TEXT = SHIPPED_REGISTRY.read_text("utf-8")
BLOCK = TEXT[TEXT.index("reminders:\n") : TEXT.index("\ngroups:")]


def with_reminders(block: str) -> str:
    return TEXT.replace(BLOCK, block)


def problems_of(text: str) -> list:
    with pytest.raises(ConfigError) as info:
        parse_registry(text, SHIPPED_REGISTRY)
    return [p for p in info.value.problems if p.is_error]


def line_of(text: str, fragment: str) -> int:
    return text[: text.index(fragment)].count("\n") + 1


def test_the_shipped_reminders_and_the_units_addresses():
    registry = parse_registry(TEXT, SHIPPED_REGISTRY)
    assert registry.reminders == ReminderSettings(
        sender="may-vhtt-hongngu",
        rounds=(
            Round("nhac-14h", time(14, 0), ("pending", "missing"), ("email",)),
            Round("qua-han-15h05", time(15, 5), ("missing",), ("email",), copy_head=True),
        ),
        head=Person("Trưởng phòng Văn hóa và Thông tin", "", ("truongphong.vhtt@hongngu.example",)),
    )
    unit = registry.unit("xa-long-khanh-b")
    assert unit is not None and unit.contact.email == ("xa-long-khanh-b@hongngu.example",)
    assert unit.contact.phone == "0277 3800 107"


def test_the_audiences_are_the_states_codes():
    assert set(AUDIENCES) == {State.NOT_YET_DUE.code, State.MISSING.code, State.LATE.code}


GATEWAY = """reminders:
  sender: may-vhtt
  head: {name: Trưởng phòng, phone: "0918 000 307"}
  rounds:
    - {name: nhac-14h, at: "14:00", by: sms}
    - {name: tre-15h05, at: "15:05", to: [missing, late], by: [sms, email], copy: head, within: 20}
  sms:
    without_accents: true
    http:
      url: https://sms.example.vn/api/send
      body: '{"to": "{phone84}", "text": "{message}", "brand": "UBND"}'
      key_header: Authorization
      key_format: "Bearer {key}"
      accept: '"status": "ok"'
"""


def test_an_http_gateway_and_rounds_read_as_written():
    registry = parse_registry(with_reminders(GATEWAY), SHIPPED_REGISTRY)
    settings = registry.reminders
    assert settings is not None
    assert settings.rounds[1] == Round(
        "tre-15h05", time(15, 5), ("missing", "late"), ("sms", "email"), True, 20
    )
    assert settings.rounds[0].to == ("pending", "missing")  # by default: not reported yet
    assert settings.sms == SmsSettings(
        http=HttpSmsSettings(
            url="https://sms.example.vn/api/send",
            body='{"to": "{phone84}", "text": "{message}", "brand": "UBND"}',
            content_type=JSON,
            key_header="Authorization",
            key_format="Bearer {key}",
            accept='"status": "ok"',
        ),
        without_accents=True,
    )
    assert settings.sms.http is not None and settings.sms.http.needs_key
    assert settings.head == Person("Trưởng phòng", "0918 000 307")


def test_a_modem_through_gammu():
    block = GATEWAY[: GATEWAY.index("  sms:")] + "  sms:\n    gammu: {config: /etc/gammu-smsdrc}\n"
    settings = parse_registry(with_reminders(block), SHIPPED_REGISTRY).reminders
    assert settings is not None and settings.sms == SmsSettings(
        gammu=GammuSettings(config="/etc/gammu-smsdrc")
    )
    block = GATEWAY[: GATEWAY.index("  sms:")] + "  sms:\n    gammu:\n"
    settings = parse_registry(with_reminders(block), SHIPPED_REGISTRY).reminders
    assert settings is not None and settings.sms == SmsSettings(gammu=GammuSettings())


# (what, the block's text replaced, by, the fragment of the faulty line, words)
SLIPS = [
    ("a sender with a space", "sender: may-vhtt", "sender: may vhtt", "sender:", ["dấu cách"]),
    ("no sender", "  sender: may-vhtt\n", "", "reminders:", ["«sender»"]),
    ("a misspelt key", "  rounds:\n", "  round:\n  rounds:\n", "round:\n", ["«round»"]),
    ("a round's time unquoted and wrong", 'at: "14:00"', "at: 1400", "at: 1400", ["HH:MM"]),
    ("a round's time that is no time", 'at: "14:00"', 'at: "25:00"', 'at: "25:00"', ["HH:MM"]),
    ("an unknown audience", "to: [missing, late]", "to: [missing, tre]", "to: [missing, tre]",
     ["«tre»", "pending, missing, late"]),
    ("an unknown channel", "by: sms}", "by: zalo}", "by: zalo", ["«zalo»", "sms, email"]),
    ("no channel", ', by: sms}', "}", '"14:00"}', ["«by»"]),
    ("a round name with capitals", "name: nhac-14h", "name: Nhắc 14h", "name: Nhắc", ["chữ thường"]),
    ("a round named as the report", "name: nhac-14h", "name: bao-cao", "name: bao-cao",
     ["«bao-cao»"]),
    ("a round twice", "name: tre-15h05", "name: nhac-14h", "name: nhac-14h, at: \"15:05\"",
     ["bị lặp", "dòng"]),
    ("copy to someone else", "copy: head", "copy: giam-doc", "copy: giam-doc", ["«head»"]),
    ("within zero", "within: 20", "within: 0", "within: 0", ["từ 1 đến"]),
    ("a key in the file", '      accept: \'"status": "ok"\'\n',
     '      accept: \'"status": "ok"\'\n      api_key: abc123\n', "api_key:",
     ["không ghi khóa bí mật", "BLUEZONE_SMS_KEY"]),
    ("a url that is not http", "https://sms.example.vn/api/send", "sms.example.vn/api/send",
     "url:", ["http(s)://"]),
    ("an unknown placeholder", '"text": "{message}"', '"text": "{tin_nhan}"', "body:",
     ["{tin_nhan}", "{message}"]),
    ("no number in the templates", '"to": "{phone84}", ', "", "body:", ["{phone}"]),
    ("a JSON body that breaks once filled", '"text": "{message}"', '"text": {message}', "body:",
     ["JSON"]),
    ("a GET with a body", "      url: https", "      method: GET\n      url: https", "body:",
     ["GET"]),
    ("an unknown method", "      url: https", "      method: PUT\n      url: https", "method:",
     ["POST hoặc GET"]),
    ("a header name with a space", "key_header: Authorization", "key_header: X API Key",
     "key_header:", ["tên một header"]),
    ("a key format without the key", 'key_format: "Bearer {key}"', 'key_format: "Bearer"',
     "key_format:", ["{key}"]),
    ("both routes", "    without_accents: true\n",
     "    without_accents: true\n    gammu: {config: /etc/gammu-smsdrc}\n", "  sms:",
     ["đúng một đường gửi"]),
    ("without_accents as a word", "without_accents: true", "without_accents: co",
     "without_accents:", ["true"]),
    ("sms rounds without an sms route", GATEWAY[GATEWAY.index("  sms:"):], "", "by: sms}",
     ["chưa có «reminders.sms»"]),
    ("a copy without a head", '  head: {name: Trưởng phòng, phone: "0918 000 307"}\n', "",
     "copy: head", ["«reminders.head»"]),
    ("a head whose phone is no number", '"0918 000 307"', '"không rõ số"', "head:",
     ["không phải số điện thoại"]),
    ("a head with no way to reach", ', phone: "0918 000 307"', "", "head:",
     ["«phone» hoặc «email»"]),
    ("a timeout too long", "      accept:", "      timeout: 9999\n      accept:", "timeout:",
     ["từ 1 đến 600"]),
]  # fmt: skip


@pytest.mark.parametrize(("old", "new", "at", "words"), [s[1:] for s in SLIPS],
                         ids=[s[0] for s in SLIPS])  # fmt: skip
def test_each_slip_is_an_error_at_its_line(old, new, at, words):
    assert old in GATEWAY, old
    text = with_reminders(GATEWAY.replace(old, new, 1))
    problems = problems_of(text)
    assert problems, "no error"
    found = [p for p in problems if all(word in p.message for word in words)]
    assert found, [p.message for p in problems]
    assert found[0].line == line_of(text, at), found[0].message
    assert str(found[0]).startswith(f"{SHIPPED_REGISTRY}:{found[0].line}:")


def test_email_rounds_need_the_mail_server():
    text = with_reminders(GATEWAY)
    start = text.index("\nemail:\n") + 1
    text = text[:start] + text[text.index("\n\n", start) + 2 :]
    (problem,) = problems_of(text)
    assert "chưa có mục «email:»" in problem.message
    assert problem.line == line_of(text, "by: [sms, email]")


def test_a_unit_address_is_checked_at_its_line():
    text = TEXT.replace(
        "email: xa-long-khanh-b@hongngu.example", "email: xã-long-khánh-b@hongngu.example"
    )
    (problem,) = problems_of(text)
    assert "chữ có dấu" in problem.message
    assert problem.line == line_of(text, "xã-long-khánh-b@")
    text = TEXT.replace("email: xa-long-khanh-b@hongngu.example", "emial: x@hongngu.example")
    (problem,) = problems_of(text)
    assert "«emial»" in problem.message and "có phải «email»" in problem.message


def test_an_http_warning_for_a_gateway_in_the_clear():
    text = with_reminders(GATEWAY.replace("https://sms.example.vn", "http://sms.example.vn"))
    registry = parse_registry(text, SHIPPED_REGISTRY)
    (warning,) = [w for w in registry.warnings if "http://" in w.message]
    assert "không mã hoá" in warning.message and warning.line == line_of(text, "url: http://")


def test_templates_are_filled_escaped_for_where_they_stand():
    values = {"phone": "0912345678", "message": 'Nhắc "báo cáo" & gửi\n15:00', "key": "k y"}
    body = '{"to": "{phone}", "text": "{message}", "x": {"y": 1}}'
    assert fill(body, values, JSON) == (
        '{"to": "0912345678", "text": "Nhắc \\"báo cáo\\" & gửi\\n15:00", "x": {"y": 1}}'
    )
    assert fill("to={phone}&text={message}", values, FORM) == (
        "to=0912345678&text=Nh%E1%BA%AFc+%22b%C3%A1o+c%C3%A1o%22+%26+g%E1%BB%ADi%0A15%3A00"
    )
    assert fill("https://x/send?k={key}&to={phone}", values, "url") == (
        "https://x/send?k=k%20y&to=0912345678"
    )


@pytest.mark.parametrize(
    ("old", "new", "key"),
    [
        ("  sender: may-vhtt-hongngu", "  sendr: may-vhtt-hongngu", "sendr"),
        ("  port: 465 ", "  prot: 465 ", "prot"),
        ('{name: nhac-14h, at: "14:00",', '{name: nhac-14h, at: "14:00", wihtin: 10,', "wihtin"),
    ],
)
def test_an_unknown_key_with_a_value_has_no_hint_about_commas(old, new, key):
    """The comma hint is for a bare word a comma split off a label, not a misspelt key."""
    assert old in TEXT, old
    text = TEXT.replace(old, new, 1)
    found = [p for p in problems_of(text) if f"«{key}»" in p.message]
    assert found, [p.message for p in problems_of(text)]
    assert "dấu phẩy" not in found[0].message and "ngoặc kép" not in found[0].message
    assert found[0].line == line_of(text, key)
    assert "có phải «" in found[0].message  # a misspelling gets the key it was meant as


def test_a_word_a_comma_split_off_keeps_the_hint():
    text = TEXT.replace(
        "head: {name: Trưởng phòng Văn hóa và Thông tin,",
        "head: {name: Trưởng phòng Văn hóa, Thông tin,",
        1,
    )
    found = [p for p in problems_of(text) if "«Thông tin»" in p.message]
    assert found and "nhãn có dấu phẩy phải đặt trong ngoặc kép" in found[0].message
