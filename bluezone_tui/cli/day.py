"""The day's commands: status, submit, withdraw, remind, check."""

from __future__ import annotations

import argparse

from bluezone_tui.base.clock import parse_reported_at
from bluezone_tui.base.problems import ConfigError, RefusedError
from bluezone_tui.base.safe_text import printable, printable_lines
from bluezone_tui.base.vn import fmt_int
from bluezone_tui.cli import reminders
from bluezone_tui.cli.common import (
    EXIT_OK,
    EXIT_PROBLEMS,
    EXIT_USAGE,
    Commands,
    UsageError,
    checked_data_dir,
    clock_of,
    dated,
    day_of,
    exit_for,
    field_values,
    head_warning,
    note_head,
    note_sent_difference,
    out,
    parse_day,
    recorded_lines,
    registry_of,
    revision_number,
    say,
    store_of,
    terminal_width,
)
from bluezone_tui.registry.model import REGISTRY_FILE


def register(commands: Commands) -> None:
    """This module's commands, in the list of subcommands."""
    _status_parser(commands)
    _submit_parser(commands)
    _withdraw_parser(commands)
    _remind_parser(commands)
    _check_parser(commands)


def _status_parser(commands: Commands) -> None:
    status = commands.add_parser(
        "status",
        help="tình hình báo cáo trong ngày (văn bản)",
        description="In tình hình báo cáo trong ngày: đơn vị nào đúng hạn, trễ, chưa báo cáo.",
    )
    dated(status)

    status.set_defaults(run=cmd_status)


def _submit_parser(commands: Commands) -> None:
    submit = commands.add_parser(
        "submit",
        help="nhập hoặc sửa số liệu của một đơn vị",
        description="Ghi số liệu một đơn vị báo cáo vào tệp của ngày, in số bản mới.",
        epilog="Ví dụ:\n  bluezone submit xa-long-khanh-b residents_installed=812 "
        "--reported-at 14h30",
    )
    submit.add_argument("unit", metavar="MÃ_ĐƠN_VỊ", help="mã đơn vị, ví dụ xa-long-khanh-b")
    submit.add_argument(
        "values",
        metavar="CHỈ_TIÊU=SỐ",
        nargs="*",
        help="các chỉ tiêu và giá trị, ví dụ residents_installed=812",
    )
    dated(submit)
    submit.add_argument(
        "--reported-at",
        metavar="GIỜ",
        help="giờ đơn vị báo cáo: 14:30, 14h30, 9:45, có thể kèm độ lệch (14:30+07:00) hoặc "
        "cả ngày giờ; mặc định: bây giờ; bắt buộc khi nhập bù cho một ngày đã qua",
    )
    submit.add_argument(
        "--if-revision",
        type=revision_number,
        metavar="N",
        help="chỉ lưu nếu tệp đang ở bản N (0: chưa có tệp)",
    )
    submit.add_argument(
        "--confirm-warnings",
        action="store_true",
        help="xác nhận các cảnh báo (cần --note nếu số lũy kế giảm)",
    )
    submit.add_argument("--note", metavar="GHI_CHÚ", help="ghi chú kèm báo cáo")
    submit.add_argument(
        "--entered-by", metavar="TÊN", help="người nhập (mặc định: người dùng hệ điều hành)"
    )
    submit.add_argument(
        "--reason",
        metavar="LÝ_DO",
        help="lý do sửa số liệu của một ngày đã gửi báo cáo (bắt buộc khi đó; ghi vào lịch sử)",
    )

    submit.set_defaults(run=cmd_submit)


def _withdraw_parser(commands: Commands) -> None:
    withdraw = commands.add_parser(
        "withdraw",
        help="rút một báo cáo nhập nhầm (ghi ai rút, lúc nào, vì sao)",
        description="Rút báo cáo của một đơn vị trong ngày: tệp số liệu được thay bằng bản "
        "ghi việc rút (ai, lúc nào, lý do) với số bản tiếp theo; đơn vị trở lại «chưa báo "
        "cáo», số liệu gần nhất trước đó được mang sang như mọi ngày chưa báo cáo. Có lịch "
        "sử git thì việc rút là một commit (bluezone history), «bluezone sync» gửi đi. "
        "Nhập lại: bluezone submit.",
        epilog='Ví dụ:\n  bluezone withdraw phong-tu-phap --date 2020-08-20 --reason "nhập '
        'nhầm số của Phòng Nội vụ"',
    )
    withdraw.add_argument("unit", metavar="MÃ_ĐƠN_VỊ", help="mã đơn vị, ví dụ phong-tu-phap")
    dated(withdraw)
    withdraw.add_argument("--reason", required=True, metavar="LÝ_DO", help="vì sao rút (bắt buộc)")
    withdraw.add_argument(
        "--if-revision",
        type=revision_number,
        metavar="N",
        help="chỉ rút nếu tệp đang ở bản N",
    )
    withdraw.add_argument(
        "--entered-by", metavar="TÊN", help="người rút (mặc định: người dùng hệ điều hành)"
    )
    withdraw.set_defaults(run=cmd_withdraw)


def _remind_parser(commands: Commands) -> None:
    remind = commands.add_parser(
        "remind",
        help="danh sách đơn vị cần nhắc báo cáo, kèm tin nhắn soạn sẵn",
        description="Trước hạn: các đơn vị phải báo cáo mà chưa báo cáo; sau hạn: các đơn vị "
        "chưa báo cáo hoặc báo cáo trễ. Mỗi đơn vị kèm người liên hệ, số điện thoại và tin "
        "nhắn soạn sẵn. Với --send: gửi các lượt nhắc đến giờ trong «reminders:» của "
        "units.yaml qua SMS hoặc email, mỗi tin một lần, ghi vào outbox/ (cho cron; lần đầu "
        "chỉ chạy thử, --confirm để bắt đầu).",
        epilog="Ví dụ cron, mỗi 5 phút trong giờ làm việc:\n"
        "  */5 7-17 * * 1-5  cd /srv/bluezone && bluezone remind --send\n"
        "Cấu hình, SMS, email: docs/reminders.md.",
    )
    dated(remind)
    remind.add_argument(
        "--format",
        choices=("text", "csv"),
        default="text",
        help="text: danh sách để đọc (mặc định); csv: phone,name,message cho công cụ gửi "
        "tin nhắn hàng loạt (SMS, Zalo)",
    )
    reminders.add_arguments(remind)

    remind.set_defaults(run=cmd_remind)


def _check_parser(commands: Commands) -> None:
    check = commands.add_parser(
        "check",
        help="kiểm tra units.yaml và các tệp số liệu",
        description="Kiểm tra danh mục và mọi tệp số liệu; mỗi lỗi in một dòng "
        "«tệp:dòng:cột: lỗi», cuối cùng một dòng tóm tắt.",
    )
    check.add_argument("--date", metavar="NGÀY", help="chỉ kiểm tra một ngày (YYYY-MM-DD)")

    check.set_defaults(run=cmd_check)


def cmd_status(args: argparse.Namespace) -> int:
    from bluezone_tui.day.loader import load_day
    from bluezone_tui.reports.status import render_status

    registry = registry_of(args)
    clock = clock_of(args, registry)
    day = day_of(args, clock)
    store = store_of(args, registry)
    consolidation = load_day(store, day, clock())
    note_sent_difference(store.data_dir, registry, consolidation.status)
    note_head(store.data_dir, consolidation.status)
    out(render_status(consolidation, registry, terminal_width()))
    return exit_for(consolidation.status)


def cmd_submit(args: argparse.Namespace) -> int:
    from bluezone_tui.day.entry import REPORTED_AT_REQUIRED, confirmed_draft
    from bluezone_tui.git.repository import open_repository
    from bluezone_tui.git.save import ReasonRequired, save_entry

    registry = registry_of(args)
    clock = clock_of(args, registry)
    now = clock()
    day = day_of(args, clock)
    values = field_values(args.values)
    reported_at = None
    if args.reported_at is not None:
        try:
            reported_at = parse_reported_at(args.reported_at, day, registry.timezone)
        except ValueError as exc:
            raise UsageError(f"--reported-at: {exc}") from None
    if not values and args.note is None and reported_at is None:
        raise UsageError("chưa có số liệu nào: thêm CHỈ_TIÊU=GIÁ_TRỊ")
    store = store_of(args, registry)
    path = store.path_for(day, args.unit)
    before = store.read(day, args.unit) if store.registry.unit(args.unit) else None
    repository = open_repository(store.data_dir, registry)
    try:
        saved, recorded = save_entry(
            store, repository, now, day, args.unit,
            lambda: confirmed_draft(
                store, args.unit, day, values,
                now=now, reported_at=reported_at, note=args.note,
                entered_by=args.entered_by, confirm_warnings=args.confirm_warnings,
            ),
            base_revision=args.if_revision,
            reason=args.reason,
        )  # fmt: skip
    except ReasonRequired as exc:
        exc.message += ' (thêm --reason "lý do sửa")'
        raise
    except RefusedError as exc:
        hints = {
            REPORTED_AT_REQUIRED: "thêm --reported-at HH:MM (giờ đơn vị báo cáo hôm đó)",
            "note-required": 'thêm --note "lý do" ngay trong lệnh này',
        }
        for code, hint in hints.items():
            if any(p.code.startswith(code) for p in exc.problems):
                exc.message += f" ({hint})"
        raise
    if (
        before is not None
        and before.submission is not None
        and saved.revision == before.submission.revision
    ):
        out(f"Không có gì thay đổi: {path} giữ nguyên (bản {saved.revision})\n")
    else:  # one sentence; a script reads the revision in it: "(bản N)" ends the line
        out(f"Đã lưu {path} (bản {saved.revision})\n")
    for line in recorded_lines(recorded):
        say(line)
    return EXIT_OK if recorded.ok else EXIT_PROBLEMS


def cmd_withdraw(args: argparse.Namespace) -> int:
    from bluezone_tui.git.repository import open_repository
    from bluezone_tui.git.save import withdraw_entry

    registry = registry_of(args)
    clock = clock_of(args, registry)
    now = clock()
    day = day_of(args, clock)
    store = store_of(args, registry)
    path = store.path_for(day, args.unit)
    repository = open_repository(store.data_dir, registry)
    withdrawal, written, recorded = withdraw_entry(
        store, repository, now, day, args.unit,
        reason=args.reason, withdrawn_by=args.entered_by, base_revision=args.if_revision,
    )  # fmt: skip
    if written:
        out(f"Đã rút báo cáo {path} (bản {withdrawal.revision}): {printable(withdrawal.words())}\n")
    else:
        out(f"Không có gì thay đổi: báo cáo {path} {printable(withdrawal.words())}\n")
    for line in recorded_lines(recorded):
        say(line)
    return EXIT_OK if recorded.ok else EXIT_PROBLEMS


def cmd_remind(args: argparse.Namespace) -> int:
    from bluezone_tui.day import remind
    from bluezone_tui.day.loader import load_status

    if reminders.wants_send(args):
        return reminders.cmd_remind_send(args)

    registry = registry_of(args)
    clock = clock_of(args, registry)
    day = day_of(args, clock)
    now = clock()
    store = store_of(args, registry)
    status = load_status(store, day, now)
    note_head(store.data_dir, status)
    found = remind.reminders(status, registry, now)
    undialable: list[tuple[remind.Reminder, str]] = []
    if args.format == "csv":
        out(remind.render_csv(found))
        missing_phone = remind.without_phone(found)
        if missing_phone:
            names = ", ".join(r.unit.name for r in missing_phone)
            say(f"{len(missing_phone)} đơn vị {remind.NO_PHONE} (không có trong CSV): {names}")
        undialable = remind.undialable(found)
        for reminder, why in undialable:
            say(
                printable(
                    f"{reminder.unit.name}: không có trong CSV: {why}; sửa «contact.phone» "
                    f"trong {REGISTRY_FILE}"
                )
            )
    else:
        out(remind.render_text(found, registry, day, now, terminal_width()))
    if not registry.office.name:
        say(
            "cảnh báo: units.yaml chưa có «office:» (tên, số điện thoại nơi nhận báo cáo): "
            "tin nhắn không ghi gửi số liệu về đâu"
        )
    return EXIT_PROBLEMS if undialable else exit_for(status)


def cmd_check(args: argparse.Namespace) -> int:
    from bluezone_tui.day.check import check_data

    data_dir = checked_data_dir(args)
    only_day = parse_day(args.date) if args.date is not None else None
    try:
        report = check_data(data_dir, only_day)
    except ConfigError as exc:  # exit 2 like every command, the problems listed as usual
        if not exc.problems:
            raise
        out("".join(printable_lines(str(p)) + "\n" for p in exc.problems))
        say(f"{len(exc.problems)} lỗi cấu hình: các lệnh khác không chạy được cho tới khi sửa")
        return EXIT_USAGE
    problems = report.problems
    out("".join(printable_lines(str(p)) + "\n" for p in problems))

    detached = head_warning(data_dir)
    if detached is not None:  # what was checked is that commit's files: said, not counted
        say(str(detached))
    errors = sum(1 for p in problems if p.is_error)
    found = f"{errors} lỗi, {len(problems) - errors} cảnh báo" if problems else "không có lỗi"
    say(
        f"Đã kiểm tra {REGISTRY_FILE} ({report.units} đơn vị, {report.groups} nhóm) và "
        f"{fmt_int(report.files)} tệp số liệu của {fmt_int(report.days)} ngày: {found}"
    )
    return EXIT_PROBLEMS if problems else EXIT_OK
