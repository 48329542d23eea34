"""The `bluezone` command. Headless commands never import Textual; only `board` does.

Exit codes: 0 ok, 1 problems found or input refused, 2 usage or configuration error.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from datetime import date, datetime, time, tzinfo
from pathlib import Path

from .core.clock import Clock, fixed_clock, parse_now, running_clock, system_clock
from .core.problems import BluezoneError, ConfigError, Problem, RefusedError
from .core.registry import REGISTRY_FILE, Registry, default_data_dir, load_registry
from .core.safe_text import printable

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2


class UsageError(BluezoneError):
    exit_code = EXIT_USAGE


class _HelpFormatter(argparse.HelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None):  # type: ignore[no-untyped-def]
        super().add_usage(usage, actions, groups, prefix if prefix is not None else "cách dùng: ")


class _Parser(argparse.ArgumentParser):
    """argparse that raises instead of exiting, so every error goes through one printer,
    and whose help is Vietnamese throughout (argparse's own headings are English)."""

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        kwargs.setdefault("formatter_class", _HelpFormatter)
        super().__init__(*args, add_help=False, **kwargs)
        self._positionals.title = "tham số"
        self._optionals.title = "tùy chọn"
        self.add_argument("-h", "--help", action="help", help="in trợ giúp này rồi thoát")

    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(f"{message}\n(xem «{self.prog} --help»)")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="bluezone",
        description="Theo dõi báo cáo cài đặt Bluezone hằng ngày của các đơn vị và lập báo cáo "
        "tổng hợp. Không có lệnh con: mở bảng theo dõi (không có terminal: in tình hình "
        "như «status»).",
    )
    parser.add_argument(
        "--data",
        type=Path,
        default=None,
        help="thư mục dữ liệu chứa units.yaml và submissions/ "
        "(mặc định: $BLUEZONE_DATA, nếu không thì thư mục hiện tại)",
    )
    commands = parser.add_subparsers(dest="command", metavar="LỆNH", parser_class=_Parser)

    def dated(sub: argparse.ArgumentParser, with_now: bool = True) -> None:
        sub.add_argument("--date", help="ngày báo cáo YYYY-MM-DD (mặc định: hôm nay)")
        if with_now:
            sub.add_argument("--now", help="coi như bây giờ là YYYY-MM-DDTHH:MM (giờ của danh mục)")

    status = commands.add_parser("status", help="tình hình báo cáo trong ngày")
    dated(status)

    submit = commands.add_parser("submit", help="nhập hoặc sửa số liệu của một đơn vị")
    submit.add_argument("unit", metavar="UNIT", help="mã đơn vị, ví dụ xa-long-khanh-b")
    submit.add_argument("values", metavar="FIELD=VALUE", nargs="*", help="các chỉ tiêu")
    dated(submit)
    submit.add_argument("--reported-at", help="giờ đơn vị báo cáo HH:MM (mặc định: bây giờ)")
    submit.add_argument(
        "--if-revision", type=int, help="chỉ lưu nếu tệp đang ở bản N (0: chưa có tệp)"
    )
    submit.add_argument(
        "--confirm-warnings",
        action="store_true",
        help="xác nhận các cảnh báo (cần --note nếu số lũy kế giảm)",
    )
    submit.add_argument("--note", help="ghi chú kèm báo cáo")
    submit.add_argument("--entered-by", help="người nhập (mặc định: người dùng hệ điều hành)")

    from .core.export import EXPORTS_FOLDER, district_formats, province_formats

    formats = district_formats()
    export = commands.add_parser(
        "export", help="xuất báo cáo tổng hợp (" + ", ".join(formats) + ")"
    )
    dated(export)
    export.add_argument(
        "--format",
        choices=tuple(formats),
        help="; ".join(f"{fmt.name}: {fmt.description}" for fmt in formats.values())
        + " (mặc định: theo đuôi tệp của --output, nếu không thì text)",
    )
    export.add_argument(
        "--output",
        "-o",
        type=Path,
        help=f"ghi ra tệp (mặc định: màn hình; tệp Word vào {EXPORTS_FOLDER}/ "
        "trong thư mục dữ liệu)",
    )
    export.add_argument(
        "--delimiter", default=",", help="ký tự phân cách CSV (dùng ';' cho Excel tiếng Việt)"
    )

    for_province = province_formats()
    province = commands.add_parser(
        "province",
        help="xếp hạng các huyện của tỉnh theo tỷ lệ cài đặt (cho Sở TT-TT)",
        description="Xếp hạng các huyện, thị xã, thành phố theo tỷ lệ cài đặt Bluezone trong "
        "một ngày, từ số liệu của từng huyện: thư mục dữ liệu (units.yaml và submissions/, "
        "hoặc bản git clone của nó), hoặc tệp .csv / .xlsx do «bluezone export» xuất cho huyện "
        "đó. Từ chối (mã thoát 1): hai nguồn của cùng một huyện, nguồn của ngày khác, tệp CSV "
        "không do bluezone xuất.",
    )
    province.add_argument(
        "sources", metavar="NGUỒN", nargs="+", help="thư mục dữ liệu hoặc tệp .csv/.xlsx của huyện"
    )
    province.add_argument("--date", help="ngày báo cáo YYYY-MM-DD (mặc định: hôm nay)")
    province.add_argument(
        "--now", help="coi như bây giờ là YYYY-MM-DDTHH:MM (giờ Việt Nam, Asia/Ho_Chi_Minh)"
    )
    province.add_argument(
        "--format",
        choices=tuple(for_province),
        help="; ".join(
            f"{fmt.name}: {'bảng xếp hạng' if fmt.name != 'text' else 'báo cáo của Sở'}"
            f" ({fmt.suffix})"
            for fmt in for_province.values()
        )
        + " (mặc định: theo đuôi tệp của --output, nếu không thì text)",
    )
    province.add_argument(
        "--output",
        "-o",
        type=Path,
        help="ghi ra tệp (mặc định: màn hình; tệp Excel vào thư mục hiện tại)",
    )
    province.add_argument(
        "--province", default="", help="tên tỉnh (mặc định: theo units.yaml của các huyện)"
    )

    remind = commands.add_parser(
        "remind",
        help="danh sách đơn vị cần nhắc báo cáo, kèm tin nhắn soạn sẵn",
        description="Trước hạn: các đơn vị phải báo cáo mà chưa báo cáo; sau hạn: các đơn vị "
        "chưa báo cáo hoặc báo cáo trễ. Mỗi đơn vị kèm người liên hệ, số điện thoại và tin "
        "nhắn soạn sẵn.",
    )
    dated(remind)
    remind.add_argument(
        "--format",
        choices=("text", "csv"),
        default="text",
        help="text: danh sách để đọc (mặc định); csv: phone,name,message cho công cụ gửi "
        "tin nhắn hàng loạt (SMS, Zalo)",
    )

    check = commands.add_parser("check", help="kiểm tra units.yaml và các tệp số liệu")
    check.add_argument("--date", help="chỉ kiểm tra một ngày")

    init = commands.add_parser("init", help="tạo thư mục dữ liệu mới với danh mục mẫu")
    init.add_argument("dir", type=Path, metavar="DIR")

    board = commands.add_parser("board", help="mở bảng theo dõi trực tiếp")
    dated(board)
    return parser


# ----------------------------------------------------------------------------- helpers


def _data_dir(args: argparse.Namespace) -> Path:
    return args.data if args.data is not None else default_data_dir()


def _registry(args: argparse.Namespace) -> Registry:
    data_dir = _data_dir(args)
    if not data_dir.is_dir():
        raise ConfigError(f"{data_dir}: thư mục dữ liệu không tồn tại")
    return load_registry(data_dir)


def _day(args: argparse.Namespace, registry: Registry, clock: Clock) -> date:
    text = getattr(args, "date", None)
    if not text:
        return clock().date()
    text = text.strip()
    try:
        if "/" in text:
            day = datetime.strptime(text, "%d/%m/%Y").date()
        else:
            day = date.fromisoformat(text)
    except ValueError:
        raise UsageError(f"--date: «{text}» không phải ngày dạng YYYY-MM-DD") from None
    if not 1900 <= day.year <= 9000:  # deadlines and tolerances must stay in datetime's range
        raise UsageError(f"--date: năm {day.year} nằm ngoài khoảng 1900–9000")
    return day


def _clock(args: argparse.Namespace, registry: Registry, running: bool = False) -> Clock:
    return _clock_in(args, registry.timezone, running)


def _clock_in(args: argparse.Namespace, timezone: tzinfo, running: bool = False) -> Clock:
    """--now (or the real time) in `timezone`: a registry's, or Vietnam's for the province."""
    text = getattr(args, "now", None)
    if not text:
        return system_clock(timezone)
    try:
        moment = parse_now(text, timezone)
    except (ValueError, OverflowError):
        raise UsageError(f"--now: «{text}» không phải thời điểm dạng YYYY-MM-DDTHH:MM") from None
    if not 1900 <= moment.year <= 9000:
        raise UsageError(f"--now: năm {moment.year} nằm ngoài khoảng 1900–9000")
    return running_clock(moment) if running else fixed_clock(moment)


def _print_problems(problems: Sequence[Problem], stream=None) -> None:  # type: ignore[no-untyped-def]
    stream = stream or sys.stderr
    for problem in problems:
        print(str(problem), file=stream)


# ----------------------------------------------------------------------------- commands


def cmd_status(args: argparse.Namespace) -> int:
    from .core.consolidate import consolidate
    from .core.report_status import render_status
    from .core.status import load_status
    from .core.store import Store

    registry = _registry(args)
    clock = _clock(args, registry)
    day = _day(args, registry, clock)
    store = Store(_data_dir(args), registry)
    status = load_status(store, day, clock())
    print(render_status(consolidate(status), registry), end="")
    errors = [p for p in status.problems if p.is_error]
    _print_problems(errors)
    return EXIT_PROBLEMS if errors else EXIT_OK


def cmd_submit(args: argparse.Namespace) -> int:
    from .core.entry import submit
    from .core.store import Store

    registry = _registry(args)
    clock = _clock(args, registry)
    now = clock()
    day = _day(args, registry, clock)
    values: dict[str, str] = {}
    for item in args.values:
        field_id, sep, value = item.partition("=")
        if not sep or not field_id.strip():
            raise UsageError(f"«{item}»: cần dạng CHỈ_TIÊU=GIÁ_TRỊ, ví dụ residents_installed=812")
        values[field_id.strip()] = value
    reported_at = None
    if args.reported_at:
        reported_at = _reported_at(args.reported_at, day, registry)
    if not values and args.note is None and reported_at is None:
        raise UsageError("chưa có số liệu nào: thêm CHỈ_TIÊU=GIÁ_TRỊ")
    store = Store(_data_dir(args), registry)
    saved = submit(
        store,
        args.unit,
        day,
        values,
        now=now,
        reported_at=reported_at,
        note=args.note,
        entered_by=args.entered_by,
        confirm_warnings=args.confirm_warnings,
        base_revision=args.if_revision,
    )
    path = store.path_for(day, args.unit)
    print(f"Đã lưu {path} (bản {saved.revision})")
    print(saved.revision)
    return EXIT_OK


def _reported_at(text: str, day: date, registry: Registry) -> datetime:
    text = text.strip()
    try:
        if "T" in text or " " in text or "-" in text:
            return parse_now(text.replace(" ", "T"), registry.timezone)
        moment = time.fromisoformat(text)
    except ValueError:
        raise UsageError(f"--reported-at: «{text}» không phải giờ dạng HH:MM") from None
    return datetime.combine(day, moment, tzinfo=registry.timezone)


def cmd_export(args: argparse.Namespace) -> int:
    from .core.consolidate import consolidate
    from .core.export import EXPORTS_FOLDER, ExportOptions, district_formats, format_for_suffix
    from .core.status import load_status
    from .core.store import Store

    if len(args.delimiter) != 1 or args.delimiter in '\r\n"':
        raise UsageError("--delimiter phải là đúng một ký tự, ví dụ ',' hoặc ';'")
    formats = district_formats()
    by_suffix = format_for_suffix(args.output) if args.output else None
    fmt = formats[args.format] if args.format else by_suffix or formats["text"]
    if by_suffix is not None and by_suffix.file_type != fmt.file_type:
        raise UsageError(
            f"--output {args.output}: tệp {by_suffix.suffix} là định dạng {by_suffix.name}, "
            f"không phải {fmt.name} (bỏ --format, hoặc đổi tên tệp)"
        )
    registry = _registry(args)
    clock = _clock(args, registry)
    day = _day(args, registry, clock)
    store = Store(_data_dir(args), registry)
    status = load_status(store, day, clock())
    consolidation = consolidate(status)
    content = fmt.render(consolidation, registry, ExportOptions(delimiter=args.delimiter))
    notes = fmt.notes(consolidation, registry) if fmt.notes is not None else []
    if not args.output and fmt.binary:  # a Word file on a terminal is noise: give the file
        args.output = _data_dir(args) / EXPORTS_FOLDER / fmt.file_name(day)
    if args.output:
        write_output(args.output, content)
        print(f"Đã ghi {args.output}", file=sys.stderr)
    else:
        sys.stdout.write(content)
        sys.stdout.flush()
    for note in notes:
        print(printable(note), file=sys.stderr)
    errors = [p for p in status.problems if p.is_error]
    _print_problems(errors)
    return EXIT_PROBLEMS if errors else EXIT_OK


def write_output(path: Path, content: str | bytes) -> None:
    from .core.export import write_atomically

    write_atomically(path, content)


def cmd_remind(args: argparse.Namespace) -> int:
    from .core import remind
    from .core.status import load_status
    from .core.store import Store

    registry = _registry(args)
    clock = _clock(args, registry)
    day = _day(args, registry, clock)
    now = clock()
    status = load_status(Store(_data_dir(args), registry), day, now)
    found = remind.reminders(status, registry, now)
    if args.format == "csv":
        sys.stdout.write(remind.render_csv(found))
        missing_phone = remind.without_phone(found)
        if missing_phone:
            names = ", ".join(printable(r.unit.name) for r in missing_phone)
            print(
                f"{len(missing_phone)} đơn vị {remind.NO_PHONE} (không có trong CSV): {names}",
                file=sys.stderr,
            )
    else:
        sys.stdout.write(remind.render_text(found, registry, day, now))
    sys.stdout.flush()
    if not registry.office.name:
        print(
            "cảnh báo: units.yaml chưa có «office:» (tên, số điện thoại nơi nhận báo cáo): "
            "tin nhắn không ghi gửi số liệu về đâu",
            file=sys.stderr,
        )
    errors = [p for p in status.problems if p.is_error]
    _print_problems(errors)
    return EXIT_PROBLEMS if errors else EXIT_OK


PROVINCE_TIMEZONE = "Asia/Ho_Chi_Minh"


def cmd_province(args: argparse.Namespace) -> int:
    from zoneinfo import ZoneInfo

    from .core.export import ExportOptions, format_for_suffix, province_formats
    from .core.province import province_ranking

    formats = province_formats()
    by_suffix = format_for_suffix(args.output) if args.output else None
    if by_suffix is not None and by_suffix.name not in formats and not args.format:
        raise UsageError(
            f"--output {args.output}: bảng xếp hạng không có định dạng {by_suffix.suffix} "
            "(dùng " + ", ".join(f.suffix for f in formats.values()) + ")"
        )
    fmt = formats[args.format] if args.format else by_suffix or formats["text"]
    if by_suffix is not None and by_suffix.file_type != fmt.file_type:
        raise UsageError(
            f"--output {args.output}: tệp {by_suffix.suffix} không phải định dạng {fmt.name} "
            "(bỏ --format, hoặc đổi tên tệp)"
        )
    missing = [s for s in args.sources if not os.path.lexists(s)]
    if missing:
        raise UsageError(f"{missing[0]}: không có tệp hay thư mục này")
    clock = _clock_in(args, ZoneInfo(PROVINCE_TIMEZONE))
    day = _day(args, None, clock)  # type: ignore[arg-type]  # _day needs no registry
    ranking = province_ranking([Path(s) for s in args.sources], day, clock(), args.province.strip())
    content = fmt.render_province(ranking, ExportOptions())  # type: ignore[misc]
    if not args.output and fmt.binary:
        args.output = Path(f"xep-hang-bluezone-{day.isoformat()}{fmt.suffix}")
    if args.output:
        write_output(args.output, content)
        print(f"Đã ghi {args.output}", file=sys.stderr)
    else:
        sys.stdout.write(content)  # type: ignore[arg-type]
        sys.stdout.flush()
    _print_problems(ranking.problems)
    return EXIT_PROBLEMS if ranking.problems else EXIT_OK


def cmd_check(args: argparse.Namespace) -> int:
    from .core.check import check_data

    data_dir = _data_dir(args)
    if not data_dir.is_dir():
        raise ConfigError(f"{data_dir}: thư mục dữ liệu không tồn tại")
    only_day = None
    if args.date:
        only_day = _day(args, None, None)  # type: ignore[arg-type]  # --date is given
    problems = check_data(data_dir, only_day)
    _print_problems(problems, sys.stdout)
    if problems:
        errors = sum(1 for p in problems if p.is_error)
        print(f"{errors} lỗi, {len(problems) - errors} cảnh báo", file=sys.stderr)
        return EXIT_PROBLEMS
    return EXIT_OK


def cmd_init(args: argparse.Namespace) -> int:
    from importlib.resources import files

    target: Path = args.dir
    registry_path = target / REGISTRY_FILE
    if registry_path.exists():
        raise RefusedError(f"{registry_path}: đã có danh mục, không ghi đè")
    template = files("bluezone_tui.core").joinpath("templates/units.yaml").read_text("utf-8")
    try:
        (target / "submissions").mkdir(parents=True, exist_ok=True)
        (target / "submissions" / ".gitkeep").touch()
        registry_path.write_text(template, encoding="utf-8")
        gitignore = target / ".gitignore"
        if not gitignore.exists():
            gitignore.write_text("exports/\n", encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"{target}: không tạo được: {exc.strerror}") from None
    print(f"Đã tạo {registry_path} và {target / 'submissions'}/")
    print(f"Sửa danh mục rồi chạy: bluezone --data {target} check")
    return EXIT_OK


def _has_terminal() -> bool:
    """The board reads keys from stdin and draws on stdout: both must be a terminal."""
    try:
        return sys.stdin.isatty() and sys.stdout.isatty()
    except (AttributeError, ValueError):  # no stream at all, or a closed one
        return False


def cmd_board(args: argparse.Namespace) -> int:
    if not _has_terminal():
        raise UsageError(
            "bảng theo dõi cần chạy trong một terminal (đầu vào và đầu ra không được chuyển "
            "hướng); khi chạy trong script hãy dùng «bluezone status» hoặc «bluezone export»"
        )
    registry = _registry(args)
    clock = _clock(args, registry, running=True)
    day = _day(args, registry, clock)
    try:
        from .tui.app import run_board
    except ImportError:  # until the board lands, the status is the next best thing
        return cmd_status(args)
    return run_board(_data_dir(args), registry, day, clock, follow_today=not args.date)


COMMANDS = {
    "status": cmd_status,
    "submit": cmd_submit,
    "export": cmd_export,
    "province": cmd_province,
    "remind": cmd_remind,
    "check": cmd_check,
    "init": cmd_init,
    "board": cmd_board,
}


def main(argv: Sequence[str] | None = None) -> int:
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.reconfigure(errors="replace")  # type: ignore[union-attr]
        except (AttributeError, ValueError):
            pass
    try:
        for argument in sys.argv[1:] if argv is None else argv:
            try:
                str(argument).encode("utf-8")
            except UnicodeEncodeError:
                raise UsageError(
                    "một tham số không phải văn bản UTF-8 (kiểm tra bảng mã của terminal)"
                ) from None
        parser = build_parser()
        # `submit UNIT --date D FIELD=VALUE…`: argparse does not take positionals that come
        # after options into an earlier nargs="*" argument, so gather them here.
        args, extra = parser.parse_known_args(argv)
        if extra:
            if args.command == "submit" and not any(item.startswith("-") for item in extra):
                args.values.extend(extra)
            else:
                parser.error(f"unrecognized arguments: {' '.join(extra)}")
        if args.command is None:
            args.date = None
            args.now = None
            if _has_terminal():
                args.command = "board"
            else:  # in a pipe, a cron job or over `ssh host bluezone`: never hang on a board
                print(
                    "bluezone: không có terminal nên không mở bảng theo dõi; "
                    "in tình hình báo cáo hôm nay (như «bluezone status»)",
                    file=sys.stderr,
                )
                args.command = "status"
        return COMMANDS[args.command](args)
    except BluezoneError as exc:
        if not any(exc.message in (str(p), p.message) for p in exc.problems):
            print(f"bluezone: {exc.message}", file=sys.stderr)
        _print_problems(exc.problems)  # `path:line:col: …` first on their lines, for editors
        return exc.exit_code
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        try:
            sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - silence the flush at exit
        except OSError:
            pass
        return EXIT_OK
    except SystemExit as exc:  # --help and --version
        return int(exc.code or 0)
    except Exception as exc:  # noqa: BLE001 - a bug, but the user still gets a sentence
        if os.environ.get("BLUEZONE_DEBUG"):
            raise
        print(
            f"bluezone: lỗi không mong đợi ({type(exc).__name__}: {exc}); "
            f"chạy lại với BLUEZONE_DEBUG=1 để xem chi tiết",
            file=sys.stderr,
        )
        return EXIT_PROBLEMS


def run() -> None:
    sys.exit(main())
