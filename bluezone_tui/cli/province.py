"""`bluezone province`: the province's ranking of its districts, from their sources."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from bluezone_tui.cli.common import (
    EXIT_OK,
    EXIT_PROBLEMS,
    Commands,
    UsageError,
    clock_in,
    day_of,
    out,
    print_problems,
    say,
    stdout_is_terminal,
    terminal_width,
)


def register(commands: Commands) -> None:
    """This module's commands, in the list of subcommands."""
    from bluezone_tui.export import province_formats

    for_province = province_formats()
    province = commands.add_parser(
        "province",
        help="xếp hạng các huyện của tỉnh theo tỷ lệ cài đặt (cho Sở TT-TT)",
        description="Xếp hạng các huyện, thị xã, thành phố theo tỷ lệ cài đặt Bluezone trong "
        "một ngày, từ số liệu của từng huyện: thư mục dữ liệu (units.yaml và submissions/, "
        "hoặc bản git clone của nó), hoặc tệp .csv / .xlsx do «bluezone export» xuất cho huyện "
        "đó. Từ chối (mã thoát 1): hai nguồn của cùng một huyện, nguồn của ngày khác, tệp CSV "
        "không do bluezone xuất hoặc đã bị sửa (dòng TOTAL không khớp các dòng, số âm, số quá "
        "lớn), huyện chưa có báo cáo nào của ngày (chỉ có số của ngày trước).",
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
        "--districts",
        type=Path,
        metavar="TỆP",
        help="danh sách huyện của tỉnh (CSV hoặc xlsx: cột «Tên huyện», và «Mã thống kê» nếu "
        "có): huyện chưa có nguồn được nêu tên, và chỉ khi đủ mọi huyện báo cáo mới ghi "
        "«Toàn tỉnh»",
    )
    province.add_argument(
        "--province",
        default="",
        metavar="TÊN",
        help="tên tỉnh (mặc định: theo units.yaml của các huyện)",
    )

    province.set_defaults(run=cmd_province)


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
    clock = clock_in(args, ZoneInfo(PROVINCE_TIMEZONE))
    day = day_of(args, clock)
    ranking = province_ranking(
        [Path(s) for s in args.sources], day, clock(), args.province.strip(), args.districts
    )
    render = fmt.render_province
    assert render is not None, fmt.name  # checked above: a format of province_formats()
    # on a terminal the text is fitted to its width: it would fold a figure ("13,8|1%")
    width = terminal_width() if to_stdout else None
    content = render(ranking, ExportOptions(width=width))
    if fmt.binary and args.output is not None and to_stdout and stdout_is_terminal():
        raise UsageError(
            f"--output -: tệp {fmt.suffix} không in ra màn hình được; chuyển hướng vào một tệp "
            f"(… > xep-hang{fmt.suffix}) hoặc dùng --output xep-hang{fmt.suffix}"
        )
    if args.output is None and fmt.binary:  # a workbook on a terminal is noise: a file
        args.output = Path(f"xep-hang-bluezone-{day.isoformat()}{fmt.suffix}")
        to_stdout = False
    if to_stdout:
        out(content)
    else:
        for source in args.sources:  # a district's data is never written over
            if Path(source).is_dir():
                refuse_data_target(args.output, Path(source))
        say(f"Đã ghi {write_report(args.output, content, None)}")
    print_problems(ranking.problems)
    for note in ranking.notes:
        say(f"bluezone: {note}")
    missing = ranking.missing
    if missing:
        say(
            f"bluezone: chưa có số liệu của {len(missing)}/{len(ranking.listed or ())} huyện "
            f"trong {args.districts}: " + ", ".join(entry.name for entry in missing)
        )
    elif ranking.listed is None:
        say(
            "bluezone: không có --districts (danh sách huyện của tỉnh): không biết còn thiếu "
            "huyện nào, nên báo cáo không ghi «Toàn tỉnh»"
        )
    return EXIT_PROBLEMS if ranking.problems or missing else EXIT_OK
