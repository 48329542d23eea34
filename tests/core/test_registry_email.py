"""`email:` and the report's recipients with addresses in units.yaml: read as written, and
every slip an error at its line, in Vietnamese (a password written there above all)."""

from __future__ import annotations

import pytest

from bluezone_tui.base.problems import ConfigError
from bluezone_tui.registry.load import parse_registry
from bluezone_tui.registry.model import MailSettings, Recipient, email_problem
from helpers.data import SHIPPED_REGISTRY
from helpers.reminders import with_reminders

TEXT = SHIPPED_REGISTRY.read_text("utf-8")
EMAIL_BLOCK = TEXT[TEXT.index("email:\n") : TEXT.index("\noffice:")]
RECIPIENTS = TEXT[TEXT.index("  recipients:") : TEXT.index("  copies:")]


def with_email(block: str) -> str:
    return TEXT.replace(EMAIL_BLOCK, block)


def with_recipients(block: str) -> str:
    return TEXT.replace(RECIPIENTS, block)


def problems_of(text: str) -> list:
    with pytest.raises(ConfigError) as info:
        parse_registry(text, SHIPPED_REGISTRY)
    return [p for p in info.value.problems if p.is_error]


def line_of(text: str, fragment: str) -> int:
    return text[: text.index(fragment)].count("\n") + 1


def test_the_shipped_registry_names_the_server_and_the_addresses():
    registry = parse_registry(TEXT, SHIPPED_REGISTRY)
    assert registry.email == MailSettings(
        host="mail.hongngu.example",
        port=465,
        security="ssl",
        sender="Phòng Văn hóa và Thông tin huyện Hồng Ngự <vhtt@hongngu.example>",
        sender_address="vhtt@hongngu.example",
        user="vhtt.hongngu",
    )
    assert registry.report.addressees == (
        Recipient("Ủy ban nhân dân huyện Hồng Ngự", ("vanthu.ubnd@hongngu.example",)),
        Recipient(
            "Sở Thông tin và Truyền thông tỉnh Đồng Tháp",
            ("baocao.stttt@dongthap.example",),
            attach=("xlsx",),
        ),
    )
    # the letter's lines are the names, as before
    assert registry.report.recipients == (
        "Ủy ban nhân dân huyện Hồng Ngự",
        "Sở Thông tin và Truyền thông tỉnh Đồng Tháp",
    )


def test_no_email_block_is_no_mail():
    # the shipped reminders go by email: without a server they are refused (their test)
    registry = parse_registry(with_reminders(with_email(""), ""), SHIPPED_REGISTRY)
    assert registry.email is None


def test_defaults_follow_the_security():
    block = "email:\n  host: smtp.example.vn\n  security: starttls\n  from: a@b.vn\n"
    email = parse_registry(with_email(block), SHIPPED_REGISTRY).email
    assert email is not None
    assert (email.port, email.user, email.timeout, email.password_env) == (
        587,
        "",
        30,
        "BLUEZONE_SMTP_PASSWORD",
    )


def test_copies_with_an_address_and_several_addresses():
    text = TEXT.replace(
        '  copies: ["Lưu: VT"]',
        "  copies:\n    - {name: Chủ tịch UBND huyện, email: [ct@hongngu.example, "
        'thuky.ct@hongngu.example]}\n    - "Lưu: VT"',
    )
    registry = parse_registry(text, SHIPPED_REGISTRY)
    assert registry.report.copies == ("Chủ tịch UBND huyện", "Lưu: VT")
    assert registry.report.addressees[-1] == Recipient(
        "Chủ tịch UBND huyện", ("ct@hongngu.example", "thuky.ct@hongngu.example"), copy=True
    )


@pytest.mark.parametrize(
    ("line", "bad", "said", "at"),
    [
        ("  security: ssl ", "  security: tls ", "«security» là ssl", "security: tls"),
        ("  port: 465 ", "  port: cổng 465 ", "«port» là số cổng", "port: cổng"),
        ("  port: 465 ", "  port: 70000 ", "«port» là số cổng", "port: 70000"),
        ("  host: mail.", "  host: smtp://mail.", "«host» là tên", "host: smtp"),
        ("  from: ", '  from: "Phòng Văn hóa"\n  x-from: ', "thiếu địa chỉ thư", "from: "),
        (
            "  user: vhtt.hongngu ",
            "  timeout: 0\n  user: vhtt.hongngu ",
            "«timeout» là số",
            "timeout: 0",
        ),
        (
            "  user: vhtt.hongngu ",
            "  password: x\n  user: vhtt.hongngu ",
            "không ghi mật",
            "password: x",
        ),
        (
            "  user: vhtt.hongngu ",
            "  password_env: mật khẩu\n  user: v ",
            "TÊN biến",
            "password_env: mật",
        ),
        ("  user: vhtt.hongngu ", "  hots: x\n  user: vhtt.hongngu ", "khóa «hots»", "hots"),
    ],
)
def test_each_slip_in_email_is_named_at_its_line(line, bad, said, at):
    text = TEXT.replace(line, bad, 1)
    assert text != TEXT
    problems = [p for p in problems_of(text) if said in p.message]
    assert len(problems) == 1, [p.message for p in problems_of(text)]
    assert problems[0].line == line_of(text, at)


def test_a_password_in_units_yaml_says_where_it_goes_instead():
    text = TEXT.replace("  user: vhtt.hongngu ", "  password: hunter2\n  user: vhtt.hongngu ")
    (problem,) = [p for p in problems_of(text) if "mật khẩu" in p.message]
    assert "BLUEZONE_SMTP_PASSWORD" in problem.message and "password_file" in problem.message
    assert "hunter2" not in problem.message


@pytest.mark.parametrize(
    ("bad", "said"),
    [
        ("      email: vanthu.ubnd@@hongngu.example", "không phải địa chỉ thư"),
        ("      email: văn.thư@hongngu.example", "ngoài ASCII"),
        ("      email: vanthu", "không phải địa chỉ thư"),
        ("      email: 12", "phải là một chuỗi"),
    ],
)
def test_a_bad_address_is_named_at_its_line(bad, said):
    text = TEXT.replace("      email: vanthu.ubnd@hongngu.example", bad)
    (problem,) = problems_of(text)
    assert said in problem.message
    assert problem.line == line_of(text, bad.strip())


def test_attach_is_a_workbook_or_a_csv_and_needs_an_address():
    text = TEXT.replace("      attach: xlsx", "      attach: pdf")
    (problem,) = problems_of(text)
    assert "xlsx hoặc csv" in problem.message and problem.line == line_of(text, "attach: pdf")
    text = with_recipients(
        "  recipients:\n    - {name: Ủy ban nhân dân huyện Hồng Ngự, attach: csv}\n"
    )
    (problem,) = problems_of(text)
    assert "chỉ có nghĩa khi nơi nhận có «email»" in problem.message


def test_a_line_with_a_colon_unquoted_is_the_yaml_trap_not_a_recipient():
    text = TEXT.replace('  copies: ["Lưu: VT"]', "  copies:\n    - Lưu: VT")
    (problem,) = problems_of(text)
    assert "«Lưu: VT»" in problem.message and 'ngoặc kép: "Lưu: VT"' in problem.message
    assert problem.line == line_of(text, "- Lưu: VT")


def test_a_recipient_table_needs_its_name():
    text = with_recipients("  recipients:\n    - {email: a@hongngu.example}\n")
    (problem,) = problems_of(text)
    assert "«name» (tên nơi nhận)" in problem.message


@pytest.mark.parametrize(
    "address", ["a@b.vn", "van.thu+bluezone@hongngu.dongthap.gov.vn", "X_Y@mail-1.example"]
)
def test_good_addresses(address):
    assert email_problem(address) is None


@pytest.mark.parametrize(
    "address", ["", "a", "@b.vn", "a@", "a b@c.vn", "a@b", "a@-b.vn", "a..b@c.vn", "a@b..vn"]
)
def test_bad_addresses(address):
    assert email_problem(address) is not None
