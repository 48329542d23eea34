"""What every command shares: exit codes, the parser's class, the data folder, the day and
the clock from the options, and printing for a person (stderr) or a pipe (stdout)."""

from __future__ import annotations

import argparse
import gc
import os
import shutil
import sys
import textwrap
from collections.abc import Sequence
from datetime import date, datetime, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, TextIO, TypeAlias

from bluezone_tui.base.clock import Clock, fixed_clock, parse_now, running_clock, system_clock
from bluezone_tui.base.files import os_reason
from bluezone_tui.base.problems import BluezoneError, ConfigError, Problem
from bluezone_tui.base.safe_text import printable_lines
from bluezone_tui.base.vn import parse_integer
from bluezone_tui.registry.load import default_data_dir, load_registry
from bluezone_tui.registry.model import Registry

if TYPE_CHECKING:
    from bluezone_tui.day.status import DayStatus
    from bluezone_tui.day.store import Store
    from bluezone_tui.git.repository import DataRepository, Recorded

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2

# the list of subcommands each command module registers its parsers in
Commands: TypeAlias = "argparse._SubParsersAction[Parser]"


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


class Parser(argparse.ArgumentParser):
    """argparse that raises instead of exiting, so every error goes through one printer,
    and whose help is Vietnamese throughout (argparse's own headings are English)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", _Formatter)
        super().__init__(*args, **kwargs)

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{message}\n(xem «{self.prog} --help»)")


DAY_HELP = "ngày báo cáo, YYYY-MM-DD (mặc định: hôm nay)"


def dated(sub: argparse.ArgumentParser, with_now: bool = True, day_help: str = DAY_HELP) -> None:
    """--date (and --now): the day a command works on, and the moment it pretends it is."""
    sub.add_argument("--date", metavar="NGÀY", help=day_help)
    if with_now:
        sub.add_argument(
            "--now",
            metavar="THỜI_ĐIỂM",
            help="coi như bây giờ là YYYY-MM-DDTHH:MM (giờ theo múi giờ của danh mục)",
        )


def revision_number(text: str) -> int:
    """--if-revision N: argparse would say "invalid int value"."""
    number = parse_integer(text)
    if isinstance(number, str) or number < 0:
        raise argparse.ArgumentTypeError(f"«{text}» không phải số bản (số nguyên từ 0)")
    return number


def data_dir(args: argparse.Namespace) -> Path:
    return args.data if args.data is not None else default_data_dir()


def checked_data_dir(args: argparse.Namespace) -> Path:
    folder = data_dir(args)
    if folder.is_dir():
        return folder
    if os.path.lexists(folder):
        what = "một tệp" if folder.exists() else "một liên kết hỏng"
        raise ConfigError(f"{folder}: là {what}, không phải thư mục dữ liệu (--data)")
    raise ConfigError(f"{folder}: thư mục dữ liệu không tồn tại")


def registry_of(args: argparse.Namespace) -> Registry:
    registry = load_registry(checked_data_dir(args))
    # The registry (and the modules) live as long as the command: kept out of the cyclic
    # collector's sweeps, which otherwise walk 10,000 units' objects while files are read.
    gc.freeze()
    return registry


def store_of(args: argparse.Namespace, registry: Registry) -> Store:
    """The day store, once submissions/ is known to be usable (else exit 2)."""
    from bluezone_tui.day.store import Store

    store = Store(data_dir(args), registry)
    store.require_usable()
    store.remember_between_runs()  # a large day parses once, not at every command
    return store


def day_of(args: argparse.Namespace, clock: Clock) -> date:
    """--date, or today by the clock (in the registry's timezone)."""
    text = getattr(args, "date", None)
    return clock().date() if text is None else parse_day(text)


def parse_day(text: str) -> date:
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


def clock_of(args: argparse.Namespace, registry: Registry, running: bool = False) -> Clock:
    return clock_in(args, registry.timezone, running)


def clock_in(args: argparse.Namespace, timezone: tzinfo, running: bool = False) -> Clock:
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


def note_sent_difference(data_dir: Path, registry: Registry, status: DayStatus) -> None:
    """When the day's report was marked sent and its data no longer matches what was
    sent, say so beside the view (a warning, named on stderr with the rest)."""
    from bluezone_tui.git.repository import open_repository
    from bluezone_tui.git.sent import difference_problems

    try:
        repository = open_repository(data_dir, registry)
    except ConfigError:  # history asked for and unusable: the commands that need it say so
        return
    names = {unit.id: unit.name for unit in registry.units}
    status.stray += difference_problems(repository, status.day, names)


def head_warning(data_dir: Path) -> Problem | None:
    """A data folder whose git is not on a branch (detached, in the middle of a rebase,
    an unborn branch, a repository git cannot read): what a view shows is not a
    branch's data (a warning with the way back), or None. Whatever units.yaml says about
    history: the same verdict that refuses every save (git/head.py)."""
    from bluezone_tui.git.head import head_problem

    return head_problem(data_dir)


def note_head(data_dir: Path, status: DayStatus) -> None:
    """head_warning beside a view of the day, named on stderr with the rest."""
    problem = head_warning(data_dir)
    if problem is not None:
        status.stray.append(problem)


def exit_for(status: DayStatus) -> int:
    """A day's broken files and what was skipped named on stderr, and the exit code: 1 if
    any error, else 0."""
    named = status.to_name
    print_problems(named)
    return EXIT_PROBLEMS if any(p.is_error for p in named) else EXIT_OK


def print_problems(problems: Sequence[Problem], stream: TextIO | None = None) -> None:
    for problem in problems:
        say(str(problem), stream)


def say(text: str, stream: TextIO | None = None) -> None:
    """A line for a person on stderr (or `stream`), whatever a data file put in it."""
    stream = stream if stream is not None else sys.stderr
    if stream is None:
        return
    print(printable_lines(text), file=stream)


def out(content: str | bytes) -> None:
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


def stdout_is_terminal() -> bool:
    try:
        return sys.stdout is not None and sys.stdout.isatty()
    except (AttributeError, ValueError):  # a closed stream
        return False


def terminal_width() -> int | None:
    """The columns of the terminal standard output is, None for a pipe or a file: a table
    is fitted to a terminal (which would fold its lines mid-figure), never to a pager."""
    if not stdout_is_terminal():
        return None
    return max(20, shutil.get_terminal_size().columns)


def has_terminal() -> bool:
    """The board reads keys from stdin and draws on stdout: both must be a terminal."""
    try:
        return sys.stdin.isatty() and sys.stdout.isatty()
    except (AttributeError, ValueError):  # no stream at all, or a closed one
        return False


def repository_for(data_dir: Path, registry: Registry, needed: str) -> DataRepository:
    """The data folder's repository, or exit 2 saying history is off and how to turn it on."""
    from bluezone_tui.git.repository import history_off, open_repository

    repository = open_repository(data_dir, registry)
    if repository is None:
        raise ConfigError(history_off(data_dir, needed))
    if not repository.available:
        raise ConfigError(repository.unavailable)
    return repository


def recorded_lines(recorded: Recorded) -> list[str]:
    """What a person should know about a save's history, one line each."""
    lines = []
    for path in recorded.cleared:
        lines.append(
            f"bluezone: đã gỡ khoá git bị bỏ lại ({path.name}) của một lệnh git đã dừng giữa chừng"
        )
    if recorded.in_merge and not recorded.merge_commit:
        lines.append(
            "bluezone: đang gộp số liệu và còn xung đột: lần lưu này sẽ vào commit gộp khi "
            "giải quyết xong (bluezone resolve)"
        )
    if recorded.problem:
        lines.append(f"bluezone: {recorded.problem}")
    return lines
