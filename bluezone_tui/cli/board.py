"""`bluezone board`: the live board (the one command that loads Textual)."""

from __future__ import annotations

import argparse

from bluezone_tui.cli.common import (
    Commands,
    UsageError,
    clock_of,
    data_dir,
    dated,
    day_of,
    has_terminal,
    registry_of,
)


def register(commands: Commands) -> None:
    """This module's commands, in the list of subcommands."""
    board = commands.add_parser(
        "board",
        help="mở bảng theo dõi trực tiếp",
        description="Bảng theo dõi: ai đã báo cáo, ai trễ, nhập số liệu (Enter), xuất báo cáo "
        "(x). F1 trong bảng để xem các phím.",
    )
    dated(board)

    board.set_defaults(run=cmd_board)


def cmd_board(args: argparse.Namespace) -> int:
    if not has_terminal():
        raise UsageError(
            "bảng theo dõi cần chạy trong một terminal (đầu vào và đầu ra không được chuyển "
            "hướng); khi chạy trong script hãy dùng «bluezone status» hoặc «bluezone export»"
        )
    registry = registry_of(args)
    clock = clock_of(args, registry, running=True)
    day = day_of(args, clock)
    from bluezone_tui.tui.app import run_board

    return run_board(data_dir(args), registry, day, clock, follow_today=not args.date)
