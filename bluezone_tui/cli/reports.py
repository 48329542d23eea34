"""`bluezone export`: the day's consolidated report in every format of the formats table."""

from __future__ import annotations

import argparse
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from bluezone_tui.base.clock import Clock, fixed_clock
from bluezone_tui.base.problems import Problem
from bluezone_tui.cli.common import (
    EXIT_OK,
    EXIT_PROBLEMS,
    Commands,
    UsageError,
    clock_of,
    dated,
    day_of,
    note_head,
    note_sent_difference,
    out,
    print_problems,
    recorded_lines,
    registry_of,
    repository_for,
    say,
    stdout_is_terminal,
    store_of,
)
from bluezone_tui.export import (
    EXPORTS_FOLDER,
    ExportFormat,
    ExportOptions,
    district_formats,
    format_for_suffix,
    refuse_data_target,
    write_report,
)

if TYPE_CHECKING:
    from bluezone_tui.day.store import Store
    from bluezone_tui.git.repository import DataRepository


def register(commands: Commands) -> None:
    """This module's commands, in the list of subcommands."""
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

    export.set_defaults(run=cmd_export)


@dataclass(frozen=True)
class _Export:
    """One export as the options ask for it: the format, the day, the moment it is counted
    at, and where it goes (None: standard output)."""

    fmt: ExportFormat
    options: ExportOptions
    day: date
    clock: Clock
    target: Path | None
    data_dir: Path
    revision: str = ""  # the data's revision when known (--as-of); else found when needed

    def report(
        self, store: Store, sent: bool = True
    ) -> tuple[str | bytes, list[str], list[Problem]]:
        """The report's content, its notes, and what to name: the day's broken files and
        what was skipped (DayStatus.to_name)."""
        from bluezone_tui.day.loader import load_day
        from bluezone_tui.export import data_revision

        consolidation = load_day(store, self.day, self.clock())
        if sent:  # the data no longer as its report was sent: said beside this one
            note_sent_difference(store.data_dir, store.registry, consolidation.status)
        note_head(store.data_dir, consolidation.status)
        render = self.fmt.render
        assert render is not None, self.fmt.name  # every format `export` offers renders a day
        options = self.options
        if self.fmt.stamped:  # the PDF names the data it was made from
            options = replace(options, revision=self.revision or data_revision(store, self.day))
        content = render(consolidation, store.registry, options)
        notes = self.fmt.notes(consolidation, store.registry) if self.fmt.notes else []
        return content, notes, consolidation.status.to_name

    def write(self, content: str | bytes, notes: list[str]) -> None:
        if self.target is None:
            out(content)
        else:
            say(f"Đã ghi {write_report(self.target, content, self.data_dir)}")
        for note in notes:
            say(note)

    def run(self, store: Store, sent: bool = True) -> list[Problem]:
        content, notes, errors = self.report(store, sent)
        self.write(content, notes)
        return errors


def cmd_export(args: argparse.Namespace) -> int:
    fmt = _chosen_format(args)
    registry = registry_of(args)
    clock = clock_of(args, registry)
    store = store_of(args, registry)
    repository = as_of = None
    if args.as_of is not None or args.mark_sent:
        from bluezone_tui.git.sent import resolve_as_of

        what = "--as-of" if args.as_of is not None else "--mark-sent"
        repository = repository_for(store.data_dir, registry, what)
    if repository is not None and args.as_of is not None:
        as_of = resolve_as_of(repository, args.as_of, registry.timezone)
        if not args.now:  # the moment the report was counted at, as sent
            clock = fixed_clock(as_of.moment)
    day = day_of(args, clock)
    export = _Export(
        fmt,
        ExportOptions(delimiter=args.delimiter, decimal=args.decimal),
        day,
        clock,
        _target(args.output, fmt, store.data_dir, day),
        store.data_dir,
    )
    if repository is not None and as_of is not None:
        export = replace(export, revision=as_of.commit)
        return _export_as_of(export, repository, as_of.commit, args.as_of)
    if repository is not None:
        return _export_marked_sent(export, repository, store)
    named = export.run(store)
    print_problems(named)
    return _exit_for(named)


def _chosen_format(args: argparse.Namespace) -> ExportFormat:
    """--format, else the output's suffix, else text; the options that go with it checked."""
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
    if fmt.binary and args.output is not None and to_stdout and stdout_is_terminal():
        raise UsageError(
            f"--output -: tệp {fmt.suffix} không in ra màn hình được; chuyển hướng vào một tệp "
            f"(… > bao-cao{fmt.suffix}) hoặc dùng --output bao-cao{fmt.suffix}"
        )
    if args.as_of is not None and args.mark_sent:
        raise UsageError("--as-of dựng lại một báo cáo cũ, không dùng cùng --mark-sent")
    return fmt


def _target(output: Path | None, fmt: ExportFormat, data_dir: Path, day: date) -> Path | None:
    """Where the report goes: None for standard output; a workbook or a Word file without
    --output goes to exports/ (never to a terminal), as the board's x writes it."""
    if output is None and fmt.binary:
        output = data_dir / EXPORTS_FOLDER / fmt.file_name(day)
    if output is None or str(output) == "-":
        return None
    refuse_data_target(output, data_dir)
    return output


def _export_as_of(export: _Export, repository: DataRepository, commit: str, rev: str) -> int:
    """The report rebuilt from the data as it was at a commit, a tag or a moment."""
    from bluezone_tui.day.store import Store
    from bluezone_tui.git.sent import data_as_of
    from bluezone_tui.registry.load import load_registry

    with data_as_of(repository, commit, export.day) as folder:
        content, notes, errors = export.report(Store(folder, load_registry(folder)), sent=False)
        # where a problem is, as git names it: REV:submissions/…
        lines = [str(p).replace(f"{folder}/", f"{rev}:") for p in errors]
    export.write(content, notes)
    for line in lines:
        say(line)
    return _exit_for(errors)


def _export_marked_sent(export: _Export, repository: DataRepository, store: Store) -> int:
    """The report made from committed data only, and the commit tagged as sent."""
    from bluezone_tui.git.sent import export_as_sent

    recorded, errors, tag = export_as_sent(
        repository,
        export.day,
        export.clock(),
        export.fmt.name,
        lambda: export.run(store, sent=False),
    )
    for line in recorded_lines(recorded):
        say(line)
    if errors is None:
        return EXIT_PROBLEMS
    say(f"Đã đánh dấu báo cáo đã gửi: nhãn {tag} («bluezone sync» gửi nhãn lên kho chung)")
    print_problems(errors)
    return _exit_for(errors)


def _exit_for(named: list[Problem]) -> int:
    """1 when any of what was named is an error (a warning names what was skipped)."""
    return EXIT_PROBLEMS if any(problem.is_error for problem in named) else EXIT_OK
