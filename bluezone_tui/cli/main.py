"""The `bluezone` command: the parser assembled from each command module's `register`,
and the one place where errors become messages and exit codes.

Headless commands never import Textual; only `board` does. Exit codes: 0 ok; 1 problems
found, input refused, or an output that could not be written; 2 usage or configuration
error (the command could not start). docs/commands.md's table is tested against this.
"""

from __future__ import annotations

import argparse
import codecs
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from bluezone_tui.base.problems import BluezoneError
from bluezone_tui.cli import board, day, deliver, offices, province, reports, signing, units
from bluezone_tui.cli.argparse_vi import vietnamese
from bluezone_tui.cli.common import (
    EXIT_OK,
    EXIT_PROBLEMS,
    Parser,
    UsageError,
    has_terminal,
    print_problems,
    say,
)

# the order of `bluezone --help`
COMMAND_MODULES = (board, day, reports, signing, deliver, province, units, offices)


def build_parser() -> argparse.ArgumentParser:
    """The command line, every word in Vietnamese (build and use it inside vietnamese())."""
    parser = Parser(
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
    # `bluezone --date D --now T`: the board's options, given without its name (README)
    parser.add_argument(
        "--date",
        dest="first_date",
        metavar="NGÀY",
        help="ngày báo cáo YYYY-MM-DD, cho bảng theo dõi (như «bluezone board --date»), hoặc "
        "cho lệnh ghi sau nếu lệnh đó nhận --date",
    )
    parser.add_argument(
        "--now",
        dest="first_now",
        metavar="THỜI_ĐIỂM",
        help="coi như bây giờ là YYYY-MM-DDTHH:MM, như «--date» ở trên",
    )
    commands = parser.add_subparsers(
        dest="command", title="lệnh", metavar="LỆNH", parser_class=Parser
    )
    for module in COMMAND_MODULES:
        module.register(commands)
    return parser


def _utf8_streams() -> str | None:
    """Output to a pipe or a file is UTF-8 whatever the server's locale: a CSV or a report
    piped under LANG=en_US.ISO-8859-1 must not turn every Vietnamese letter into "?".

    A terminal is left as it is; the encoding of one that is not UTF-8 is returned: it
    cannot show Vietnamese, and main() says so (as the board does) instead of printing.
    """
    terminal = None
    for stream in (sys.stdout, sys.stderr):
        try:
            if stream.isatty():
                name = stream.encoding
                if codecs.lookup(name).name != "utf-8" and stream is sys.stdout:
                    terminal = name
                continue
            stream.reconfigure(encoding="utf-8", errors="replace")  # type: ignore[union-attr]  # not on TextIO: AttributeError, caught below
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
        _options_before_the_command(args)
        if args.command is None:
            if has_terminal():
                args.command, args.run = "board", board.cmd_board
            else:  # in a pipe, a cron job or over `ssh host bluezone`: never hang on a board
                which = "ngày đó" if args.date else "hôm nay"
                say(
                    "bluezone: không có terminal nên không mở bảng theo dõi; "
                    f"in tình hình báo cáo {which} (như «bluezone status»)"
                )
                args.command, args.run = "status", day.cmd_status
        if terminal_encoding and args.command != "board":  # the board says it itself
            raise _locale_refusal(terminal_encoding)
        return args.run(args)
    except BluezoneError as exc:
        if not any(exc.message in (str(p), p.message) for p in exc.problems):
            say(f"bluezone: {exc.message}")
            # a problem the message already says in full is not said twice
            print_problems([p for p in exc.problems if str(p) not in exc.message])
        else:  # `path:line:col: …` first on their lines, for editors
            print_problems(exc.problems)
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
    except OSError as exc:  # the system refused what no writer worded (they all should):
        # its path and why, in Vietnamese; a permission with whose file it is, and the fix
        from bluezone_tui.base.files import os_reason
        from bluezone_tui.base.sharing import denied

        if os.environ.get("BLUEZONE_DEBUG"):
            raise
        where = f"{os.fsdecode(exc.filename)}: " if exc.filename else ""
        say(f"bluezone: {denied(exc) or where + os_reason(exc)}")
        return EXIT_PROBLEMS
    except Exception as exc:  # noqa: BLE001 - a bug, but the user still gets a sentence
        if os.environ.get("BLUEZONE_DEBUG"):
            raise
        say(
            f"bluezone: lỗi không mong đợi ({type(exc).__name__}: {exc}); "
            f"chạy lại với BLUEZONE_DEBUG=1 để xem chi tiết"
        )
        return EXIT_PROBLEMS


def _options_before_the_command(args: argparse.Namespace) -> None:
    """--date and --now written before the command (or with none: the board's) are the
    command's own; a command that takes neither says so, as argparse would."""
    for option, first in (("--date", "first_date"), ("--now", "first_now")):
        value = getattr(args, first)
        name = option.removeprefix("--")
        if args.command is None:
            setattr(args, name, value)
        elif value is not None:
            if not hasattr(args, name):
                raise UsageError(
                    f"{option}: lệnh «{args.command}» không nhận tùy chọn này\n"
                    f"(xem «bluezone {args.command} --help»)"
                )
            if getattr(args, name) not in (None, value):
                raise UsageError(
                    f"{option}: ghi hai lần, khác nhau («{value}», «{getattr(args, name)}»)"
                )
            setattr(args, name, value)


def run() -> None:
    sys.exit(main())
