"""The `bluezone` command. Headless commands never import Textual; only `board` does.

Exit codes: 0 ok; 1 problems found, input refused, or an output that could not be
written; 2 usage or configuration error (the command could not start: bad arguments,
units.yaml or the data folder unusable). The README's table is tested against this.
"""

from __future__ import annotations

import argparse
import codecs
import gc
import os
import sys
import textwrap
from collections.abc import Sequence
from datetime import date, datetime, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING

from bluezone_tui.base.clock import (
    Clock,
    fixed_clock,
    parse_now,
    parse_reported_at,
    running_clock,
    system_clock,
)
from bluezone_tui.base.files import os_reason
from bluezone_tui.base.problems import BluezoneError, ConfigError, Problem, RefusedError
from bluezone_tui.base.safe_text import printable_lines
from bluezone_tui.base.vn import fmt_int, fold
from bluezone_tui.cli.argparse_vi import vietnamese
from bluezone_tui.registry.load import default_data_dir, load_registry
from bluezone_tui.registry.model import REGISTRY_FILE, Registry

if TYPE_CHECKING:
    from bluezone_tui.registry.units_import import Plan

if TYPE_CHECKING:
    from bluezone_tui.day.status import DayStatus

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2


class UsageError(BluezoneError):
    exit_code = EXIT_USAGE


class OutputError(BluezoneError):
    """Standard output is closed or cannot take what the command printed (exit 1)."""

    exit_code = EXIT_PROBLEMS


class _Formatter(argparse.HelpFormatter):
    """Descriptions are wrapped to the terminal's width line by line; an indented line (an
    example command) is kept whole, so it can be copied."""

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        return "\n".join(
            indent + line if line[:1] == " " else textwrap.fill(line, width, initial_indent=indent)
            for line in text.splitlines()
        )


class _Parser(argparse.ArgumentParser):
    """argparse that raises instead of exiting, so every error goes through one printer,
    and whose help is Vietnamese throughout (argparse's own headings are English)."""

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        kwargs.setdefault("formatter_class", _Formatter)
        super().__init__(*args, **kwargs)

    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(f"{message}\n(xem «{self.prog} --help»)")


def _revision(text: str) -> int:
    """--if-revision N: argparse would say "invalid int value"."""
    if not text.strip().isdigit():
        raise argparse.ArgumentTypeError(f"«{text}» không phải số bản (số nguyên từ 0)")
    return int(text)


def build_parser() -> argparse.ArgumentParser:
    """The command line, every word in Vietnamese (build and use it inside vietnamese())."""
    parser = _Parser(
        prog="bluezone",
        description="Theo dõi báo cáo cài đặt Bluezone hằng ngày của các đơn vị và lập báo cáo "
        "tổng hợp. Không có lệnh: mở bảng theo dõi (khi không có terminal: in tình hình "
        "như «status»).",
        epilog="Hướng dẫn cho văn phòng: HUONG-DAN.md. Trợ giúp của từng lệnh: "
        "bluezone LỆNH --help",
    )
    parser.add_argument(
        "--data",
        type=Path,
        default=None,
        metavar="THƯ_MỤC",
        help="thư mục dữ liệu chứa units.yaml và submissions/ "
        "(mặc định: $BLUEZONE_DATA, nếu không thì thư mục hiện tại)",
    )
    commands = parser.add_subparsers(
        dest="command", title="lệnh", metavar="LỆNH", parser_class=_Parser
    )

    def dated(sub: argparse.ArgumentParser, with_now: bool = True) -> None:
        sub.add_argument(
            "--date", metavar="NGÀY", help="ngày báo cáo, YYYY-MM-DD (mặc định: hôm nay)"
        )
        if with_now:
            sub.add_argument(
                "--now",
                metavar="THỜI_ĐIỂM",
                help="coi như bây giờ là YYYY-MM-DDTHH:MM (giờ theo múi giờ của danh mục)",
            )

    board = commands.add_parser(
        "board",
        help="mở bảng theo dõi trực tiếp",
        description="Bảng theo dõi: ai đã báo cáo, ai trễ, nhập số liệu (Enter), xuất báo cáo "
        "(x). F1 trong bảng để xem các phím.",
    )
    dated(board)

    status = commands.add_parser(
        "status",
        help="tình hình báo cáo trong ngày (văn bản)",
        description="In tình hình báo cáo trong ngày: đơn vị nào đúng hạn, trễ, chưa báo cáo.",
    )
    dated(status)

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
        type=_revision,
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

    from bluezone_tui.export import EXPORTS_FOLDER, district_formats, province_formats

    formats = district_formats()
    export = commands.add_parser(
        "export",
        help="xuất báo cáo tổng hợp (" + ", ".join(formats) + ")",
        description="Lập báo cáo tổng hợp của ngày: văn bản hoặc Word để in và ký, CSV, Excel "
        "hay DHIS2 gửi tỉnh.",
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
        metavar="TỆP",
        help="ghi ra tệp (mặc định và «-»: in ra màn hình; tệp Excel, Word mặc định vào "
        f"{EXPORTS_FOLDER}/ trong thư mục dữ liệu)",
    )
    export.add_argument(
        "--delimiter",
        default=",",
        metavar="KÝ_TỰ",
        help="ký tự phân cách CSV (dùng ';' cho Excel tiếng Việt)",
    )
    export.add_argument(
        "--decimal",
        choices=(".", ","),
        metavar="DẤU",
        help="dấu thập phân của tỷ lệ trong CSV (mặc định: ',' khi phân cách bằng ';', "
        "nếu không thì '.')",
    )
    export.add_argument(
        "--mark-sent",
        action="store_true",
        help="ghi nhận đây là báo cáo gửi đi: gắn nhãn git bao-cao/NGÀY cho số liệu đã dùng",
    )
    export.add_argument(
        "--as-of",
        metavar="REV",
        help="dựng lại báo cáo từ số liệu lúc REV: một commit, nhãn (bao-cao/2020-08-20) hoặc "
        "thời điểm (2020-08-20 16:30); với nhãn, mặc định --now là lúc báo cáo được lập",
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
    province.add_argument(
        "--date", metavar="NGÀY", help="ngày báo cáo YYYY-MM-DD (mặc định: hôm nay)"
    )
    province.add_argument(
        "--now",
        metavar="THỜI_ĐIỂM",
        help="coi như bây giờ là YYYY-MM-DDTHH:MM (giờ Việt Nam, Asia/Ho_Chi_Minh)",
    )
    province.add_argument(
        "--format",
        choices=tuple(for_province),
        help="; ".join(
            f"{fmt.name}: "
            + {"text": "báo cáo của Sở", "xlsx": "bảng xếp hạng và báo cáo"}.get(
                fmt.name, "bảng xếp hạng"
            )
            + f" ({fmt.suffix})"
            for fmt in for_province.values()
        )
        + " (mặc định: theo đuôi tệp của --output, nếu không thì text)",
    )
    province.add_argument(
        "--output",
        "-o",
        type=Path,
        metavar="TỆP",
        help="ghi ra tệp (mặc định: màn hình; tệp Excel vào thư mục hiện tại)",
    )
    province.add_argument(
        "--province",
        default="",
        metavar="TÊN",
        help="tên tỉnh (mặc định: theo units.yaml của các huyện)",
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

    check = commands.add_parser(
        "check",
        help="kiểm tra units.yaml và các tệp số liệu",
        description="Kiểm tra danh mục và mọi tệp số liệu; mỗi lỗi in một dòng "
        "«tệp:dòng:cột: lỗi», cuối cùng một dòng tóm tắt.",
    )
    check.add_argument("--date", metavar="NGÀY", help="chỉ kiểm tra một ngày (YYYY-MM-DD)")

    init = commands.add_parser(
        "init",
        help="tạo thư mục dữ liệu mới cho một văn phòng",
        description="Tạo thư mục dữ liệu mới: units.yaml mẫu (đủ bốn nhóm đơn vị của công văn "
        "và biểu mẫu của từng nhóm, mỗi dòng có chú thích tiếng Việt) và thư mục submissions/. "
        "Không ghi đè danh mục đã có.",
        epilog='Ví dụ:\n  bluezone init /srv/bluezone --district "Huyện Tân Hồng" '
        '--province "Đồng Tháp"\n'
        "Sau đó: thêm các xã bằng «bluezone units import», rồi «bluezone check».",
    )
    init.add_argument("dir", type=Path, metavar="THƯ_MỤC", help="thư mục sẽ tạo")
    init.add_argument(
        "--district",
        metavar="TÊN",
        help='tên huyện, ví dụ "Huyện Tân Hồng" (ghi vào danh mục và khung báo cáo)',
    )
    init.add_argument("--province", metavar="TÊN", help='tên tỉnh, ví dụ "Đồng Tháp"')
    init.add_argument(
        "--no-git", action="store_true", help="không tạo kho git (không ghi lịch sử số liệu)"
    )

    units = commands.add_parser(
        "units",
        help="xem hoặc thêm đơn vị (từ bảng tính)",
        description="Danh mục đơn vị: in ra bảng, hoặc thêm đơn vị từ bảng tính CSV/xlsx.",
    )
    unit_commands = units.add_subparsers(
        dest="units_command", title="lệnh", metavar="LỆNH", parser_class=_Parser, required=True
    )
    listing = unit_commands.add_parser(
        "list", help="in danh mục đơn vị thành bảng", description="In danh mục đơn vị thành bảng."
    )
    listing.add_argument("--group", metavar="NHÓM", help="chỉ một nhóm, ví dụ commune")
    importing = unit_commands.add_parser(
        "import",
        help="thêm đơn vị từ bảng tính CSV hoặc xlsx",
        description="Thêm đơn vị vào units.yaml từ bảng tính có dòng tiêu đề. Cột (tiếng Việt "
        "hoặc tiếng Anh): «Tên đơn vị»/name (bắt buộc), «Dân số»/population, «Khóm, ấp»/"
        "hamlets (cách nhau bằng «;»), «Người liên hệ»/person, «Điện thoại»/phone, «Mã»/id, "
        "«Tên ngắn»/short_name, «Mã thống kê»/gso_code, và các thuộc tính số của nhóm (staff, "
        "students…). Mã đơn vị lấy từ tên (Xã Phú Cường → xa-phu-cuong). Chú thích và cách "
        "trình bày của units.yaml được giữ nguyên; xem trước rồi hỏi trước khi ghi.",
        epilog="Ví dụ:\n  bluezone units import danh-sach-xa.xlsx --group commune\n"
        "  bluezone units import truong.csv --group school --yes",
    )
    importing.add_argument("file", type=Path, metavar="TỆP", help="bảng tính .csv hoặc .xlsx")
    importing.add_argument(
        "--group", required=True, metavar="NHÓM", help="nhóm của các đơn vị, ví dụ commune"
    )
    importing.add_argument(
        "--update",
        action="store_true",
        help="cập nhật đơn vị đã có cùng mã (mặc định: từ chối)",
    )
    importing.add_argument(
        "--yes", "-y", action="store_true", help="ghi luôn, không hỏi (cho script)"
    )
    importing.add_argument(
        "--sheet", metavar="TRANG", help="tên trang tính trong tệp xlsx (mặc định: trang đầu)"
    )

    from bluezone_tui.cli.offices import add_parsers

    add_parsers(commands, dated)
    return parser


# ----------------------------------------------------------------------------- helpers


def _data_dir(args: argparse.Namespace) -> Path:
    return args.data if args.data is not None else default_data_dir()


def _checked_data_dir(args: argparse.Namespace) -> Path:
    data_dir = _data_dir(args)
    if data_dir.is_dir():
        return data_dir
    if os.path.lexists(data_dir):
        what = "một tệp" if data_dir.exists() else "một liên kết hỏng"
        raise ConfigError(f"{data_dir}: là {what}, không phải thư mục dữ liệu (--data)")
    raise ConfigError(f"{data_dir}: thư mục dữ liệu không tồn tại")


def _registry(args: argparse.Namespace) -> Registry:
    registry = load_registry(_checked_data_dir(args))
    # The registry (and the modules) live as long as the command: kept out of the cyclic
    # collector's sweeps, which otherwise walk 10,000 units' objects while files are read.
    gc.freeze()
    return registry


def _store(args: argparse.Namespace, registry: Registry):  # type: ignore[no-untyped-def]
    """The day store, once submissions/ is known to be usable (else exit 2)."""
    from bluezone_tui.day.store import Store

    store = Store(_data_dir(args), registry)
    store.require_usable()
    return store


def _day(args: argparse.Namespace, clock: Clock) -> date:
    """--date, or today by the clock (in the registry's timezone)."""
    text = getattr(args, "date", None)
    return clock().date() if text is None else _parse_day(text)


def _parse_day(text: str) -> date:
    text = text.strip()
    if not text:
        raise UsageError("--date: trống; bỏ hẳn --date để lấy hôm nay, hoặc ghi YYYY-MM-DD")
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


def field_values(items: Sequence[str]) -> dict[str, str]:
    """CHỈ_TIÊU=GIÁ_TRỊ arguments (submit, resolve) as typed: each value kept as text."""
    values: dict[str, str] = {}
    for item in items:
        field_id, sep, value = item.partition("=")
        if not sep or not field_id.strip():
            raise UsageError(f"«{item}»: cần dạng CHỈ_TIÊU=GIÁ_TRỊ, ví dụ residents_installed=812")
        values[field_id.strip()] = value
    return values


def _exit_for(status: DayStatus) -> int:
    """A day's broken files named on stderr, and the exit code: 1 if any, else 0."""
    errors = [p for p in status.problems if p.is_error]
    _print_problems(errors)
    return EXIT_PROBLEMS if errors else EXIT_OK


def _print_problems(problems: Sequence[Problem], stream=None) -> None:  # type: ignore[no-untyped-def]
    for problem in problems:
        _say(str(problem), stream)


def _say(text: str, stream=None) -> None:  # type: ignore[no-untyped-def]
    """A line for a person on stderr (or `stream`), whatever a data file put in it."""
    stream = stream if stream is not None else sys.stderr
    if stream is None:
        return
    print(printable_lines(text), file=stream)


def _out(content: str | bytes) -> None:
    """Write to standard output (already escaped where it holds data) and flush, so a
    full or closed output is reported now, as an error, not lost at exit. Bytes (a Word
    file) go to the binary stream underneath."""
    if sys.stdout is None:
        raise OutputError("đầu ra chuẩn đã bị đóng (>&-): không in được kết quả")
    try:
        if isinstance(content, bytes):
            sys.stdout.flush()
            sys.stdout.buffer.write(content)
            sys.stdout.buffer.flush()
        else:
            sys.stdout.write(content)
            sys.stdout.flush()
    except BrokenPipeError:
        raise
    except (OSError, ValueError) as exc:
        reason = os_reason(exc) if isinstance(exc, OSError) else str(exc)
        raise OutputError(f"không ghi được ra đầu ra chuẩn ({reason})") from None


# ----------------------------------------------------------------------------- commands


def cmd_status(args: argparse.Namespace) -> int:
    from bluezone_tui.day.loader import load_day
    from bluezone_tui.reports.status import render_status

    registry = _registry(args)
    clock = _clock(args, registry)
    day = _day(args, clock)
    consolidation = load_day(_store(args, registry), day, clock())
    _out(render_status(consolidation, registry))
    return _exit_for(consolidation.status)


def cmd_submit(args: argparse.Namespace) -> int:
    from bluezone_tui.day.entry import REPORTED_AT_REQUIRED, submit
    from bluezone_tui.git.repository import open_repository, recording

    registry = _registry(args)
    clock = _clock(args, registry)
    now = clock()
    day = _day(args, clock)
    values = field_values(args.values)
    reported_at = None
    if args.reported_at is not None:
        try:
            reported_at = parse_reported_at(args.reported_at, day, registry.timezone)
        except ValueError as exc:
            raise UsageError(f"--reported-at: {exc}") from None
    if not values and args.note is None and reported_at is None:
        raise UsageError("chưa có số liệu nào: thêm CHỈ_TIÊU=GIÁ_TRỊ")
    store = _store(args, registry)
    path = store.path_for(day, args.unit)
    before = store.read(day, args.unit) if store.registry.unit(args.unit) else None
    repository = open_repository(store.data_dir, registry)
    try:
        with recording(repository, path, now) as recorded:
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
        _out(f"Không có gì thay đổi: {path} vẫn là bản {saved.revision}\n{saved.revision}\n")
    else:
        _out(f"Đã lưu {path} (bản {saved.revision})\n{saved.revision}\n")
    from bluezone_tui.cli.offices import _recorded_lines

    for line in _recorded_lines(recorded):
        _say(line)
    return EXIT_OK if recorded.ok else EXIT_PROBLEMS


def cmd_export(args: argparse.Namespace) -> int:
    from bluezone_tui.day.loader import load_day
    from bluezone_tui.export import (
        EXPORTS_FOLDER,
        ExportOptions,
        district_formats,
        format_for_suffix,
        refuse_data_target,
        write_report,
    )

    if len(args.delimiter) != 1 or args.delimiter in '\r\n"' or args.delimiter.isalnum():
        raise UsageError("--delimiter phải là đúng một ký tự, ví dụ ',' hoặc ';'")
    if args.decimal is not None and args.decimal == args.delimiter:
        raise UsageError(f"--decimal «{args.decimal}» trùng ký tự phân cách --delimiter")
    formats = district_formats()
    to_stdout = args.output is None or str(args.output) == "-"
    by_suffix = None if to_stdout else format_for_suffix(args.output)
    fmt = formats[args.format] if args.format else by_suffix or formats["text"]
    if by_suffix is not None and by_suffix.file_type != fmt.file_type:
        raise UsageError(
            f"--output {args.output}: tệp {by_suffix.suffix} là định dạng {by_suffix.name}, "
            f"không phải {fmt.name} (bỏ --format, hoặc đổi tên tệp)"
        )
    if fmt.binary and args.output is not None and to_stdout and _stdout_is_terminal():
        raise UsageError(
            f"--output -: tệp {fmt.suffix} không in ra màn hình được; chuyển hướng vào một tệp "
            f"(… > bao-cao{fmt.suffix}) hoặc dùng --output bao-cao{fmt.suffix}"
        )
    if args.as_of is not None and args.mark_sent:
        raise UsageError("--as-of dựng lại một báo cáo cũ, không dùng cùng --mark-sent")
    registry = _registry(args)
    clock = _clock(args, registry)
    store = _store(args, registry)
    repository = as_of = None
    if args.as_of is not None or args.mark_sent:
        from bluezone_tui.cli.offices import repository_for
        from bluezone_tui.git.sent import resolve_as_of

        what = "--as-of" if args.as_of is not None else "--mark-sent"
        repository = repository_for(store.data_dir, registry, what)
        if args.as_of is not None:
            as_of = resolve_as_of(repository, args.as_of, registry.timezone)
            if not args.now:  # the moment the report was counted at, as sent
                clock = fixed_clock(as_of.moment)
    day = _day(args, clock)
    if fmt.binary and args.output is None:  # never on a terminal: where the board's x writes
        args.output = store.data_dir / EXPORTS_FOLDER / fmt.file_name(day)
        to_stdout = False
    if not to_stdout:
        refuse_data_target(args.output, store.data_dir)
    options = ExportOptions(delimiter=args.delimiter, decimal=args.decimal)

    def report(store) -> tuple[str | bytes, list[str], list[Problem]]:  # type: ignore[no-untyped-def]
        consolidation = load_day(store, day, clock())
        status = consolidation.status
        content = fmt.render(consolidation, store.registry, options)  # type: ignore[misc]
        notes = fmt.notes(consolidation, store.registry) if fmt.notes is not None else []
        return content, notes, [p for p in status.problems if p.is_error]

    def output(content: str | bytes, notes: list[str]) -> None:
        if to_stdout:
            _out(content)
        else:
            _say(f"Đã ghi {write_report(args.output, content, store.data_dir)}")
        for note in notes:
            _say(note)

    if as_of is not None:
        from bluezone_tui.day.store import Store
        from bluezone_tui.git.sent import data_as_of

        with data_as_of(repository, as_of.commit, day) as folder:  # type: ignore[arg-type]
            content, notes, errors = report(Store(folder, load_registry(folder)))
            # where a problem is, as git names it: REV:submissions/…
            lines = [str(p).replace(f"{folder}/", f"{args.as_of}:") for p in errors]
        output(content, notes)
        for line in lines:
            _say(line)
        return EXIT_PROBLEMS if errors else EXIT_OK
    if args.mark_sent:
        from bluezone_tui.cli.offices import _recorded_lines
        from bluezone_tui.git.repository import SAVE_WAIT_SECONDS
        from bluezone_tui.git.sent import mark_sent, refuse_unsent

        now = clock()
        with repository.lock("đang đánh dấu báo cáo đã gửi", SAVE_WAIT_SECONDS):  # type: ignore[union-attr]
            recorded = repository.commit_pending(now)  # type: ignore[union-attr]
            for line in _recorded_lines(recorded):
                _say(line)
            if recorded.problem:
                return EXIT_PROBLEMS
            refuse_unsent(repository, day)  # type: ignore[arg-type]
            content, notes, errors = report(store)
            output(content, notes)
            tag = mark_sent(repository, day, now, now, fmt.name)  # type: ignore[arg-type]
        _say(f"Đã đánh dấu báo cáo đã gửi: nhãn {tag} («bluezone sync» gửi nhãn lên kho chung)")
    else:
        content, notes, errors = report(store)
        output(content, notes)
    _print_problems(errors)
    return EXIT_PROBLEMS if errors else EXIT_OK


def cmd_remind(args: argparse.Namespace) -> int:
    from bluezone_tui.day import remind
    from bluezone_tui.day.loader import load_status

    registry = _registry(args)
    clock = _clock(args, registry)
    day = _day(args, clock)
    now = clock()
    status = load_status(_store(args, registry), day, now)
    found = remind.reminders(status, registry, now)
    if args.format == "csv":
        _out(remind.render_csv(found))
        missing_phone = remind.without_phone(found)
        if missing_phone:
            names = ", ".join(r.unit.name for r in missing_phone)
            _say(f"{len(missing_phone)} đơn vị {remind.NO_PHONE} (không có trong CSV): {names}")
    else:
        _out(remind.render_text(found, registry, day, now))
    if not registry.office.name:
        _say(
            "cảnh báo: units.yaml chưa có «office:» (tên, số điện thoại nơi nhận báo cáo): "
            "tin nhắn không ghi gửi số liệu về đâu"
        )
    return _exit_for(status)


PROVINCE_TIMEZONE = "Asia/Ho_Chi_Minh"


def cmd_province(args: argparse.Namespace) -> int:
    from zoneinfo import ZoneInfo

    from bluezone_tui.export import (
        ExportOptions,
        format_for_suffix,
        province_formats,
        refuse_data_target,
        write_report,
    )
    from bluezone_tui.province.sources import province_ranking

    formats = province_formats()
    to_stdout = args.output is None or str(args.output) == "-"
    by_suffix = format_for_suffix(args.output) if not to_stdout else None
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
    day = _day(args, clock)
    ranking = province_ranking([Path(s) for s in args.sources], day, clock(), args.province.strip())
    content = fmt.render_province(ranking, ExportOptions())  # type: ignore[misc]
    if fmt.binary and args.output is not None and to_stdout and _stdout_is_terminal():
        raise UsageError(
            f"--output -: tệp {fmt.suffix} không in ra màn hình được; chuyển hướng vào một tệp "
            f"(… > xep-hang{fmt.suffix}) hoặc dùng --output xep-hang{fmt.suffix}"
        )
    if args.output is None and fmt.binary:  # a workbook on a terminal is noise: a file
        args.output = Path(f"xep-hang-bluezone-{day.isoformat()}{fmt.suffix}")
        to_stdout = False
    if to_stdout:
        _out(content)
    else:
        for source in args.sources:  # a district's data is never written over
            if Path(source).is_dir():
                refuse_data_target(args.output, Path(source))
        _say(f"Đã ghi {write_report(args.output, content, None)}")
    _print_problems(ranking.problems)
    return EXIT_PROBLEMS if ranking.problems else EXIT_OK


def cmd_check(args: argparse.Namespace) -> int:
    from bluezone_tui.day.check import check_data

    data_dir = _checked_data_dir(args)
    only_day = _parse_day(args.date) if args.date is not None else None
    try:
        report = check_data(data_dir, only_day)
    except ConfigError as exc:  # exit 2 like every command, the problems listed as usual
        if not exc.problems:
            raise
        _out("".join(printable_lines(str(p)) + "\n" for p in exc.problems))
        _say(f"{len(exc.problems)} lỗi cấu hình: các lệnh khác không chạy được cho tới khi sửa")
        return EXIT_USAGE
    problems = report.problems
    _out("".join(printable_lines(str(p)) + "\n" for p in problems))
    errors = sum(1 for p in problems if p.is_error)
    found = f"{errors} lỗi, {len(problems) - errors} cảnh báo" if problems else "không có lỗi"
    _say(
        f"Đã kiểm tra {REGISTRY_FILE} ({report.units} đơn vị, {report.groups} nhóm) và "
        f"{fmt_int(report.files)} tệp số liệu của {fmt_int(report.days)} ngày: {found}"
    )
    return EXIT_PROBLEMS if problems else EXIT_OK


def cmd_init(args: argparse.Namespace) -> int:
    from bluezone_tui.base.files import replace_atomically
    from bluezone_tui.registry import template as office_template
    from bluezone_tui.registry.load import parse_registry

    target: Path = args.dir
    registry_path = target / REGISTRY_FILE
    if os.path.lexists(registry_path):  # a dangling symlink too: never written through
        what = "đã có danh mục" if registry_path.exists() else "là một liên kết hỏng"
        raise RefusedError(f"{registry_path}: {what}, không ghi đè")
    try:
        text = office_template.render(args.district, args.province)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    registry = parse_registry(text, registry_path)  # the template is valid, names included
    try:
        (target / "submissions").mkdir(parents=True, exist_ok=True)
        (target / "submissions" / ".gitkeep").touch()
        gitignore = target / ".gitignore"
        if not os.path.lexists(gitignore):
            replace_atomically(gitignore, b"exports/\n")
        # last, and whole or not at all: a failed init leaves nothing that blocks the next
        replace_atomically(registry_path, text.encode("utf-8"))
    except OSError as exc:
        raise RefusedError(
            f"{target}: không tạo được ({os_reason(exc)}); chạy lại khi đã sửa"
        ) from None
    data = f"--data {target} " if target != Path(".") else ""
    named = "" if args.district else " (chưa có --district: sửa tên huyện ở đầu tệp)"
    _out(
        f"Đã tạo {registry_path} cho {registry.district.name}{named} và {target / 'submissions'}/\n"
        f"Bước tiếp theo:\n"
        f"  1. xem lại tên huyện và khung báo cáo ở đầu {registry_path}\n"
        f"  2. bluezone {data}units import DANH-SACH-XA.xlsx --group commune\n"
        f"  3. bluezone {data}units import TRUONG-THPT.csv --group school\n"
        f"  4. bluezone {data}check\n"
        f"Hướng dẫn: HUONG-DAN.md\n"
    )
    if args.no_git:
        return EXIT_OK
    from bluezone_tui.git.command import GitError
    from bluezone_tui.git.repository import start_repository

    now = system_clock(registry.timezone)()
    try:
        files = [REGISTRY_FILE, ".gitignore", "submissions/.gitkeep"]
        made = start_repository(target, files, now)
    except GitError as exc:
        _say(f"bluezone: chưa tạo kho git, nên chưa ghi lịch sử số liệu: {exc.message}")
        return EXIT_OK
    if made:
        _out(f"Đã tạo kho git trong {target}: mỗi lần lưu số liệu là một commit\n")
    return EXIT_OK


def cmd_units(args: argparse.Namespace) -> int:
    if args.units_command == "list":
        return _units_list(args)
    return _units_import(args)


def _units_list(args: argparse.Namespace) -> int:
    from bluezone_tui.reports.units import render_units

    registry = _registry(args)
    groups = registry.groups
    if args.group is not None:
        group = registry.group(args.group)
        if group is None:
            ids = ", ".join(g.id for g in registry.groups)
            raise UsageError(f"--group: nhóm «{args.group}» không có (có: {ids})")
        groups = (group,)
    _out(render_units(registry, groups))
    return EXIT_OK


YES_ANSWERS = ("c", "co", "y", "yes", "đồng ý", "dong y")


def _units_import(args: argparse.Namespace) -> int:
    """Preview, ask, then write units.yaml whole (or nothing): the result is read back by
    the registry's loader first and must hold exactly the planned units."""
    from bluezone_tui.base.files import read_regular, replace_atomically
    from bluezone_tui.base.spreadsheet import SpreadsheetError, read_table
    from bluezone_tui.registry.edit import apply_plan
    from bluezone_tui.registry.load import parse_registry
    from bluezone_tui.registry.model import MAX_REGISTRY_BYTES
    from bluezone_tui.registry.units_import import plan_import, written_problems
    from bluezone_tui.reports.units import render_plan

    data_dir = _checked_data_dir(args)
    registry = load_registry(data_dir)  # a broken registry is fixed first (exit 2)
    path = data_dir / REGISTRY_FILE
    try:
        table = read_table(args.file, args.sheet)
    except SpreadsheetError as exc:
        raise UsageError(str(exc)) from None
    try:
        plan = plan_import(table, args.group, registry, args.update)
    except KeyError as exc:
        raise UsageError(f"--group: {exc.args[0]}") from None
    _out(render_plan(plan, str(args.file), str(path)))
    if plan.errors:
        for error in plan.errors:
            _say(f"{args.file}: {error}")
        raise RefusedError(f"{len(plan.errors)} lỗi trong bảng tính: không ghi gì vào {path}")
    if not plan.count("add") and not plan.count("update"):
        _out("Không có gì thay đổi.\n")
        return EXIT_OK
    original = read_regular(path, MAX_REGISTRY_BYTES)
    bom = original.startswith(codecs.BOM_UTF8)
    text = apply_plan(original.decode("utf-8-sig"), plan)
    try:
        after = parse_registry(text, path)
    except ConfigError as exc:
        for problem in _by_sheet_row(exc.problems, text, plan, args.file):
            _say(problem)
        raise RefusedError(
            f"danh mục sau khi nhập sẽ có lỗi (ở trên): không ghi gì vào {path}"
        ) from None
    unplanned = written_problems(plan, registry, after)
    if unplanned:  # a bug here, never the clerk's: refuse rather than write it
        raise RefusedError(f"không ghi: {'; '.join(unplanned)}")
    if not args.yes:
        if not sys.stdin or not sys.stdin.isatty():
            raise UsageError(
                "không có terminal để hỏi: xem bản xem trước ở trên rồi chạy lại với --yes để ghi"
            )
        try:
            answer = input(f"Ghi vào {path}? [c/K] ")
        except EOFError:
            answer = ""
        if fold(answer.strip()) not in YES_ANSWERS:
            _out("Không ghi gì.\n")
            return EXIT_OK
    if read_regular(path, MAX_REGISTRY_BYTES) != original:
        raise RefusedError(f"{path} vừa bị sửa trong lúc xem trước: chạy lại lệnh, không ghi gì")
    mode = os.stat(path).st_mode & 0o777
    from bluezone_tui.cli.offices import _recorded_lines
    from bluezone_tui.git.repository import open_repository, recording

    # a data folder with history commits units.yaml too: a sync then takes the new
    # units to the other offices
    repository = open_repository(data_dir, registry)
    with recording(repository, path, datetime.now(registry.timezone)) as recorded:
        replace_atomically(path, (codecs.BOM_UTF8 if bom else b"") + text.encode("utf-8"), mode)
    _out(f"Đã ghi {path}: thêm {plan.count('add')} đơn vị, sửa {plan.count('update')}.\n")
    _print_problems(after.warnings)
    for line in _recorded_lines(recorded):
        _say(line)
    return EXIT_OK if recorded.ok else EXIT_PROBLEMS


def _by_sheet_row(problems: Sequence[Problem], text: str, plan: Plan, source: Path) -> list[str]:
    """A problem inside an imported unit names the sheet's row, not a line that is not
    written yet."""
    import yaml

    units = yaml.compose(text, Loader=yaml.SafeLoader).value
    spans = {}
    for key, value in units:
        if key.value == "units" and isinstance(value, yaml.SequenceNode):
            for item in value.value:
                spans[(item.start_mark.line + 1, item.end_mark.line + 1)] = item
    rows = {change.unit_id: change for change in plan.changes}
    lines = []
    for problem in problems:
        change = None
        for (first, last), item in spans.items():
            if problem.line is not None and first <= problem.line <= last:
                ids = [v.value for k, v in item.value if k.value == "id"]
                change = rows.get(ids[0]) if ids else None
        if change is not None:
            lines.append(
                f"{source}: dòng {change.row.number} ({change.unit_id}): {problem.message}"
            )
        else:  # its line is in the file as it would be, not as it is
            lines.append(f"{problem.path} (sau khi nhập): {problem.message}")
    return lines


def _stdout_is_terminal() -> bool:
    try:
        return sys.stdout is not None and sys.stdout.isatty()
    except (AttributeError, ValueError):  # a closed stream
        return False


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
    day = _day(args, clock)
    from bluezone_tui.tui.app import run_board

    return run_board(_data_dir(args), registry, day, clock, follow_today=not args.date)


def cmd_history(args: argparse.Namespace) -> int:
    from bluezone_tui.cli.offices import cmd_history as run

    return run(args)


def cmd_sync(args: argparse.Namespace) -> int:
    from bluezone_tui.cli.offices import cmd_sync as run

    return run(args)


def cmd_resolve(args: argparse.Namespace) -> int:
    from bluezone_tui.cli.offices import cmd_resolve as run

    return run(args)


COMMANDS = {
    "status": cmd_status,
    "submit": cmd_submit,
    "export": cmd_export,
    "province": cmd_province,
    "remind": cmd_remind,
    "check": cmd_check,
    "init": cmd_init,
    "board": cmd_board,
    "history": cmd_history,
    "sync": cmd_sync,
    "resolve": cmd_resolve,
    "units": cmd_units,
}


def _utf8_streams() -> str | None:
    """Output to a pipe or a file is UTF-8 whatever the server's locale: a CSV or a report
    piped under LANG=en_US.ISO-8859-1 must not turn every Vietnamese letter into "?".

    A terminal is left as it is; the encoding of one that is not UTF-8 is returned: it
    cannot show Vietnamese, and main() says so (as the board does) instead of printing.
    """
    terminal = None
    for stream in (sys.stdout, sys.stderr):
        try:
            if stream.isatty():  # type: ignore[union-attr]
                name = stream.encoding  # type: ignore[union-attr]
                if codecs.lookup(name).name != "utf-8" and stream is sys.stdout:
                    terminal = name
                continue
            stream.reconfigure(encoding="utf-8", errors="replace")  # type: ignore[union-attr]
        except (AttributeError, ValueError, OSError, LookupError):
            pass
    return terminal


def _locale_refusal(encoding: str) -> UsageError:
    """In ASCII: the only text a terminal of another encoding is sure to show."""
    return UsageError(
        f"phien dang nhap dang dung bang ma {encoding}, khong phai UTF-8: chu tieng Viet se "
        f"hien sai.\nCach sua: chay  LANG=C.UTF-8 bluezone ...  (hoac them  export LANG=C.UTF-8"
        f"  vao ~/.profile); hoac chuyen ket qua vao tep: bluezone ... > tep.txt"
    )


def main(argv: Sequence[str] | None = None) -> int:
    terminal_encoding = _utf8_streams()
    try:
        for argument in sys.argv[1:] if argv is None else argv:
            try:
                str(argument).encode("utf-8")
            except UnicodeEncodeError:
                raise UsageError(
                    "một tham số không phải văn bản UTF-8 (kiểm tra bảng mã của terminal)"
                ) from None
        with vietnamese():
            parser = build_parser()
            # `submit UNIT --date D FIELD=VALUE…`: argparse does not take positionals that
            # come after options into an earlier nargs="*" argument, so gather them here.
            args, extra = parser.parse_known_args(argv)
        if extra:
            if args.command in ("submit", "resolve") and not any(
                item.startswith("-") for item in extra
            ):
                args.values.extend(extra)
            else:
                parser.error(f"không hiểu tham số: {' '.join(extra)}")
        if args.command is None:
            args.date = None
            args.now = None
            if _has_terminal():
                args.command = "board"
            else:  # in a pipe, a cron job or over `ssh host bluezone`: never hang on a board
                _say(
                    "bluezone: không có terminal nên không mở bảng theo dõi; "
                    "in tình hình báo cáo hôm nay (như «bluezone status»)"
                )
                args.command = "status"
        if terminal_encoding and args.command != "board":  # the board says it itself
            raise _locale_refusal(terminal_encoding)
        return COMMANDS[args.command](args)
    except BluezoneError as exc:
        if not any(exc.message in (str(p), p.message) for p in exc.problems):
            _say(f"bluezone: {exc.message}")
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
        _say(
            f"bluezone: lỗi không mong đợi ({type(exc).__name__}: {exc}); "
            f"chạy lại với BLUEZONE_DEBUG=1 để xem chi tiết"
        )
        return EXIT_PROBLEMS


def run() -> None:
    sys.exit(main())
