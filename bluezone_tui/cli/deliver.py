"""`bluezone send`: the day's signed report emailed to the recipients in units.yaml."""

from __future__ import annotations

import argparse
import sys
from datetime import tzinfo
from pathlib import Path
from typing import TYPE_CHECKING

from bluezone_tui.base.vn import fold
from bluezone_tui.cli.common import (
    EXIT_OK,
    EXIT_PROBLEMS,
    Commands,
    clock_of,
    dated,
    day_of,
    out,
    registry_of,
    say,
    store_of,
)

if TYPE_CHECKING:
    from bluezone_tui.deliver.report import Letter, ReportPlan
    from bluezone_tui.registry.model import Registry

YES_ANSWERS = ("c", "co", "y", "yes", "đồng ý", "dong y")


def register(commands: Commands) -> None:
    """This module's command: send."""
    send = commands.add_parser(
        "send",
        help="gửi báo cáo đã ký qua thư điện tử tới nơi nhận trong units.yaml",
        description="Gửi báo cáo đã ký của ngày (tệp «bluezone sent add» giữ trong sent/NGÀY/, "
        "hoặc --file) tới từng nơi nhận có địa chỉ thư trong units.yaml (report.recipients, "
        "report.copies), kèm bảng số liệu cho nơi ghi «attach». Mỗi thư được ghi vào outbox/ "
        "trước khi gửi và đánh dấu đã gửi, lỗi hoặc chưa rõ sau đó, ghi vào git và đồng bộ. "
        "Nơi đã nhận báo cáo của ngày thì hỏi trước khi gửi lại. Thoát 0: đã gửi hết; 1: có "
        "thư lỗi, chưa rõ hoặc không gửi lại; 2: thiếu cấu hình thư hay mật khẩu.",
        epilog="Cấu hình, mật khẩu và bản ghi: docs/sending.md.",
    )
    dated(send)
    send.add_argument(
        "--file",
        type=Path,
        metavar="TỆP",
        help="tệp báo cáo đã ký để gửi (mặc định: tệp mới nhất trong sent/NGÀY/)",
    )
    send.add_argument(
        "--dry-run",
        action="store_true",
        help="chỉ hiện các thư sẽ gửi (tiêu đề, người nhận, tệp kèm, cỡ, mã sha256), không gửi",
    )
    send.add_argument(
        "--again",
        action="store_true",
        help="gửi lại cho cả nơi đã nhận báo cáo của ngày, không hỏi (cho script)",
    )
    send.set_defaults(run=cmd_send)


def cmd_send(args: argparse.Namespace) -> int:
    from bluezone_tui.deliver.mail import password_for
    from bluezone_tui.deliver.outbox import Outbox, share
    from bluezone_tui.deliver.report import (
        delivery_line,
        mail_settings,
        plan_report,
        send_letters,
        signed_report,
    )
    from bluezone_tui.git.head import refuse_unless_writable
    from bluezone_tui.git.repository import open_repository

    registry = registry_of(args)
    clock = clock_of(args, registry)
    day = day_of(args, clock)
    store = store_of(args, registry)
    data_dir = store.data_dir
    timezone = registry.timezone
    settings = mail_settings(registry)  # no server or no address: stop before anything
    repository = open_repository(data_dir, registry)
    report = args.file if args.file is not None else signed_report(data_dir, day, repository)
    outbox = Outbox(data_dir, timezone, repository)

    def plan() -> ReportPlan:  # as the outbox stands now
        return plan_report(
            registry=registry,
            store=store,
            outbox=outbox,
            repository=repository,
            day=day,
            now=clock(),
            report=report,
        )

    if args.dry_run:
        _show_plan(plan(), registry, data_dir)
        return EXIT_OK
    # git not on a branch: no record could be kept, so nothing goes (exit 2)
    refuse_unless_writable(data_dir, "gửi báo cáo")
    password = password_for(settings, data_dir)  # a missing secret stops it first
    # what other offices sent comes in first, so that a second send is seen
    problem = share(repository, clock())
    if problem:
        say(f"bluezone: cảnh báo: {problem}; chỉ biết những gì máy này đã gửi")
    with outbox.exclusive():
        current = plan()
        for note in current.notes:
            say(note)
        letters, refused = _letters_to_send(current, args.again, timezone)
        if not letters:
            out("Không gửi thư nào.\n")
            return EXIT_PROBLEMS if refused else EXIT_OK
        deliveries = send_letters(
            letters,
            settings=settings,
            outbox=outbox,
            password=password,
            data_dir=data_dir,
            clock=clock,
        )
    for delivery in deliveries:
        out(delivery_line(delivery, timezone) + "\n")
        for note in delivery.notes:
            say(f"bluezone: {note}")
    problem = share(repository, clock())
    if problem:
        say(f"bluezone: cảnh báo: {problem}; «bluezone sync» sau sẽ gửi bản ghi đi")
    return EXIT_OK if all(d.sent for d in deliveries) and not refused else EXIT_PROBLEMS


def _show_plan(shown: ReportPlan, registry: Registry, data_dir: Path) -> None:
    """--dry-run: the letters that would go, and whether a missing password would stop them."""
    from bluezone_tui.base.problems import BluezoneError
    from bluezone_tui.deliver.mail import password_and_source
    from bluezone_tui.deliver.report import mail_settings, render_plan

    out(render_plan(shown, registry.timezone))
    for note in shown.notes:
        say(note)
    try:
        _, source = password_and_source(mail_settings(registry), data_dir)
    except BluezoneError as exc:
        say(f"bluezone: cảnh báo: khi gửi thật sẽ dừng ở đây: {exc.message}")
    else:
        say(f"bluezone: mật khẩu: {source}")


def _letters_to_send(
    current: ReportPlan, again: bool, timezone: tzinfo
) -> tuple[list[Letter], bool]:
    """The letters to send; a recipient who already has this report only when asked (or --again).

    The flag says a resend was refused for want of a terminal to ask on.
    """
    from bluezone_tui.deliver.report import repeated_question

    if not current.repeated:
        return list(current.fresh), False
    say(repeated_question(current, timezone).rstrip("\n"))
    if again or _asked("Gửi lại cho những nơi này? [c/K] "):
        return list(current.letters), False
    refused = not _can_ask()
    names = ", ".join(letter.recipient.name for letter in current.repeated)
    say(
        f"bluezone: không gửi lại cho {names}"
        + (" (không có terminal để hỏi: --again để gửi lại)" if refused else "")
    )
    return list(current.fresh), refused


def _can_ask() -> bool:
    try:
        return sys.stdin is not None and sys.stdin.isatty()
    except (AttributeError, ValueError):
        return False


def _asked(question: str) -> bool:
    """Yes to a question on the terminal; no without one (never waits on a pipe)."""
    if not _can_ask():
        return False
    try:
        answer = input(question)
    except EOFError:
        answer = ""
    return fold(answer.strip()) in YES_ANSWERS
