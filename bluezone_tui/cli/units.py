"""The registry's commands: `init` (a new data folder) and `units list` / `units import`."""

from __future__ import annotations

import argparse
import codecs
import contextlib
import os
import sys
from collections.abc import Iterator, Sequence
from datetime import datetime, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING

from bluezone_tui.base.clock import system_clock
from bluezone_tui.base.problems import ConfigError, Problem, RefusedError
from bluezone_tui.base.safe_text import printable
from bluezone_tui.base.vn import fold
from bluezone_tui.registry.load import load_registry
from bluezone_tui.registry.model import REGISTRY_FILE

if TYPE_CHECKING:
    from bluezone_tui.base.files import Made
    from bluezone_tui.registry.units_import import Plan
from bluezone_tui.cli.common import (
    EXIT_OK,
    EXIT_PROBLEMS,
    Commands,
    Parser,
    UsageError,
    checked_data_dir,
    out,
    print_problems,
    recorded_lines,
    registry_of,
    say,
    terminal_width,
)

WRITING_UNITS = "ghi danh mục đơn vị"  # what is refused where git is not on a branch


def register(commands: Commands) -> None:
    """This module's commands, in the list of subcommands."""
    _init_parser(commands)
    _units_parser(commands)


def _init_parser(commands: Commands) -> None:
    init = commands.add_parser(
        "init",
        help="tạo thư mục dữ liệu mới cho một văn phòng",
        description="Tạo thư mục dữ liệu mới: units.yaml mẫu (đủ bốn nhóm đơn vị của công văn "
        "và biểu mẫu của từng nhóm, mỗi dòng có chú thích tiếng Việt) và thư mục submissions/. "
        "Không ghi đè danh mục đã có.",
        epilog='Ví dụ:\n  bluezone init ~/bluezone/tan-hong --district "Huyện Tân Hồng" '
        '--province "Đồng Tháp" --signer "Nguyễn Văn An"\n'
        "  sudo bluezone init /srv/bluezone/tan-hong --shared canbo   (nhiều cán bộ, một máy chủ)\n"
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
        "--signer",
        metavar="HỌ_TÊN",
        help='họ tên người ký báo cáo, ví dụ "Nguyễn Văn An" (in dưới chữ ký; '
        "sửa sau ở report.signer_name trong units.yaml)",
    )
    init.add_argument(
        "--no-git", action="store_true", help="không tạo kho git (không ghi lịch sử số liệu)"
    )
    init.add_argument(
        "--shared",
        metavar="NHÓM",
        help="cho nhiều cán bộ (mỗi người một tài khoản) cùng ghi: thư mục thuộc nhóm NHÓM, "
        "nhóm được ghi, thư mục con mới vào nhóm (set-group-id), git dùng chung "
        "(core.sharedRepository=group). Với thư mục dữ liệu đã có: chỉ giao nó cho nhóm, "
        "không sửa danh mục",
    )

    init.set_defaults(run=cmd_init)


def _units_parser(commands: Commands) -> None:
    units = commands.add_parser(
        "units",
        help="xem hoặc thêm đơn vị (từ bảng tính)",
        description="Danh mục đơn vị: in ra bảng, hoặc thêm đơn vị từ bảng tính CSV/xlsx.",
    )
    unit_commands = units.add_subparsers(
        dest="units_command", title="lệnh", metavar="LỆNH", parser_class=Parser, required=True
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
        "--sheet",
        metavar="TRANG",
        help="tên trang tính trong tệp xlsx (mặc định: trang đầu tiên đang hiện)",
    )

    units.set_defaults(run=cmd_units)


def cmd_init(args: argparse.Namespace) -> int:
    from bluezone_tui.base.files import sharing_of
    from bluezone_tui.registry import template as office_template
    from bluezone_tui.registry.load import parse_registry

    target: Path = args.dir
    registry_path = target / REGISTRY_FILE
    gid = _shared_group(args.shared) if args.shared is not None else None
    if os.path.lexists(registry_path):  # a dangling symlink too: never written through
        if gid is not None and registry_path.exists():
            return _share_existing(target, gid)
        what = "đã có danh mục" if registry_path.exists() else "là một liên kết hỏng"
        raise RefusedError(f"{printable(str(registry_path))}: {what}, không ghi đè")
    from bluezone_tui.git.repository import empty_clone_problem

    empty_clone = empty_clone_problem(target)
    if empty_clone:
        raise RefusedError(empty_clone)
    try:
        text = office_template.render(args.district, args.province, args.signer)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    registry = parse_registry(text, registry_path)  # the template is valid, names included
    with _made_or_taken_back(target) as made:
        made.folders(target)
        if gid is not None:  # the folder the group's first: all made in it follows
            _give_to_group(target, gid)
        sharing_of(target, again=True)
        made.folders(target / "submissions")
        _new_file(made, target / "submissions" / ".gitkeep", b"")
        _new_file(made, target / ".gitignore", b"exports/\n")
        # last, and whole or not at all: a failed init leaves nothing that blocks the next
        _new_file(made, registry_path, text.encode("utf-8"))
    named = "" if args.district else " (chưa có --district: sửa tên huyện ở đầu tệp)"
    if not args.signer:
        named += " (chưa có --signer: ghi họ tên người ký ở report.signer_name)"
    shown = printable(str(registry_path))
    out(
        f"Đã tạo {shown} cho {registry.district.name}{named} và "
        f"{printable(str(target / 'submissions'))}/\n"
        f"Bước tiếp theo:\n"
        f"  1. xem lại tên huyện và khung báo cáo ở đầu {shown}\n"
        f"  2. {_command(target, 'units', 'import', 'DANH-SACH-XA.xlsx', '--group', 'commune')}\n"
        f"  3. {_command(target, 'units', 'import', 'TRUONG-THPT.csv', '--group', 'school')}\n"
        f"  4. {_command(target, 'check')}\n"
        f"Hướng dẫn: HUONG-DAN.md\n"
    )
    if not args.no_git:
        _start_history(target, registry.timezone, shared=gid is not None)
    if gid is None:
        return EXIT_OK
    return _shared_done(target, gid)


def _command(target: Path, *words: str) -> str:
    """A next step for the clerk: `bluezone [--data DIR] WORDS…`, quoted for the shell."""
    from bluezone_tui.base.safe_text import shell_command

    data = ("--data", str(target)) if target != Path(".") else ()
    return shell_command("bluezone", *data, *words)


@contextlib.contextmanager
def _made_or_taken_back(target: Path) -> Iterator[Made]:
    """Around init's making of DIR: a step that fails takes back what this init made
    (folders while empty, its new files), so "chưa tạo gì" is true, or names what is left.
    A permission says whose folder refused and who makes DIR how (sharing.denied)."""
    from bluezone_tui.base.files import Made, left_behind, os_reason
    from bluezone_tui.base.sharing import denied

    made = Made()
    try:
        yield made
    except OSError as exc:
        left = made.undo()
        shown = printable(str(target))
        why = denied(exc, making=target) or f"{shown}: không tạo được ({os_reason(exc)})"
        done = f"chưa tạo gì{left_behind(left)}" if left else "chưa tạo gì"
        raise RefusedError(f"{why}; {done}, chạy lại khi đã sửa") from None
    except BaseException:
        made.undo()
        raise


def _new_file(made: Made, path: Path, data: bytes) -> None:
    """A file of the new data folder, written when it is not there yet (noted as made)."""
    from bluezone_tui.base.files import replace_atomically

    if os.path.lexists(path):
        return
    replace_atomically(path, data)
    made.file(path)


def _start_history(target: Path, timezone: tzinfo, shared: bool) -> None:
    from bluezone_tui.git.command import GitError
    from bluezone_tui.git.repository import start_repository
    from bluezone_tui.git.wanted import GIT_FOLDER

    now = system_clock(timezone)()
    there = os.path.lexists(target / GIT_FOLDER)
    try:
        files = [REGISTRY_FILE, ".gitignore", "submissions/.gitkeep"]
        made = start_repository(target, files, now, shared=shared)
    except GitError as exc:
        if not there and os.path.lexists(target / GIT_FOLDER):  # git init ran, no commit
            where = printable(str(target / GIT_FOLDER))
            say(
                f"bluezone: đã tạo kho git {where} nhưng chưa ghi được commit đầu tiên, nên "
                f"chưa có lịch sử số liệu: {exc.message}"
            )
        else:
            say(f"bluezone: chưa tạo kho git, nên chưa ghi lịch sử số liệu: {exc.message}")
        return
    if made:
        out(f"Đã tạo kho git trong {printable(str(target))}: mỗi lần lưu số liệu là một commit\n")


def _shared_group(name: str) -> int:
    """--shared NHÓM: the group's id, once this login may give a folder to it."""
    from bluezone_tui.base.safe_text import shell_word
    from bluezone_tui.base.sharing import group_id, in_group, login_name, valid_group_name

    gid = group_id(name)
    if gid is None and not valid_group_name(name):
        raise UsageError(
            f"--shared: «{printable(name)}» không phải tên nhóm dùng được (chữ cái không dấu, "
            f"chữ số, «_», «-», «.», không quá 32 ký tự, không bắt đầu bằng «-»), ví dụ "
            f"«--shared canbo»"
        )
    if gid is None:
        quoted = shell_word(name)
        raise UsageError(
            f"--shared: nhóm «{name}» không có trên máy này; người quản trị tạo nhóm "
            f"(«sudo groupadd {quoted}») và thêm từng cán bộ vào («sudo usermod -aG {quoted} "
            f"TÊN_ĐĂNG_NHẬP»), rồi chạy lại"
        )
    if not in_group(gid):
        raise RefusedError(
            f"--shared: tài khoản «{login_name()}» không thuộc nhóm «{name}», nên không giao "
            f"được thư mục cho nhóm đó; chạy lệnh bằng sudo (người quản trị), hoặc từ một "
            f"tài khoản trong nhóm"
        )
    return gid


def _give_to_group(folder: Path, gid: int) -> None:
    from bluezone_tui.base.files import PERM_GROUP, Sharing, adopt

    adopt(folder, Sharing(os.path.realpath(folder), PERM_GROUP, gid))


def _share_existing(target: Path, gid: int) -> int:
    """`init --shared` on a data folder that has its registry: the folder given to the
    group (git told, then everything in it), the registry and the figures untouched."""
    from bluezone_tui.git.command import GitError
    from bluezone_tui.git.repository import share_repository
    from bluezone_tui.git.wanted import GIT_FOLDER

    refused = ""
    if os.path.isdir(target / GIT_FOLDER):
        try:
            share_repository(target)
        except GitError as exc:
            refused = exc.message
    out(
        f"{printable(str(target / REGISTRY_FILE))} đã có: giữ nguyên danh mục và số liệu, "
        f"chỉ giao thư mục cho nhóm\n"
    )
    return _shared_done(target, gid, refused)


def _shared_done(target: Path, gid: int, git_refused: str = "") -> int:
    """Everything in the folder given to the group: said done only when it all was;
    else what could not be is listed (collapsed as `check` does) and nothing claims
    success (exit 1). `git_refused`: why git could not be told."""
    from bluezone_tui.base.files import forget_sharing
    from bluezone_tui.base.safe_text import shell_word
    from bluezone_tui.base.sharing import group_name, setup_command, share_tree

    problems = share_tree(target, gid)
    forget_sharing(target)
    name = group_name(gid)
    shown = printable(str(target))
    members = _members(gid)
    who = (
        f"Tài khoản trong nhóm: {', '.join(members) if members else '(chưa có ai)'}; thêm "
        f"người: «sudo usermod -aG {shell_word(name)} TÊN_ĐĂNG_NHẬP» (người đó đăng nhập lại).\n"
    )
    if not problems and not git_refused:
        out(
            f"Thư mục {shown} dùng chung cho nhóm «{name}»: mỗi cán bộ trong nhóm đăng nhập "
            f"bằng tài khoản của mình và lưu được mọi đơn vị; lịch sử ghi tên người lưu.\n{who}"
        )
        return EXIT_OK
    if git_refused and not problems:  # else the folder's fix covers git's files too
        say(f"bluezone: {git_refused}")
    print_problems(problems)
    count = f"{len(problems)} mục (ở trên)" if problems else "git của thư mục (ở trên)"
    told = " và git chưa được đặt dùng chung" if git_refused and problems else ""
    again = setup_command(target, name)
    say(
        f"bluezone: chưa giao xong thư mục {shown} cho nhóm «{name}»: còn {count}{told}; cán "
        f"bộ khác trong nhóm chưa lưu được ở đây; sửa xong thì chạy lại «{again}»"
    )
    return EXIT_PROBLEMS


def _members(gid: int) -> list[str]:
    import grp
    import pwd

    try:
        named = set(grp.getgrgid(gid).gr_mem)
    except KeyError:
        return []
    named |= {user.pw_name for user in pwd.getpwall() if user.pw_gid == gid}
    return sorted(named)


def cmd_units(args: argparse.Namespace) -> int:
    if args.units_command == "list":
        return _units_list(args)
    return _units_import(args)


def _units_list(args: argparse.Namespace) -> int:
    from bluezone_tui.reports.units import render_units

    registry = registry_of(args)
    groups = registry.groups
    if args.group is not None:
        group = registry.group(args.group)
        if group is None:
            ids = ", ".join(g.id for g in registry.groups)
            raise UsageError(f"--group: nhóm «{args.group}» không có (có: {ids})")
        groups = (group,)
    out(render_units(registry, groups, terminal_width()))
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

    data_dir = checked_data_dir(args)
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
    out(render_plan(plan, str(args.file), str(path), terminal_width()))
    if plan.errors:
        for error in plan.errors:
            say(f"{args.file}: {error}")
        raise RefusedError(f"{len(plan.errors)} lỗi trong bảng tính: không ghi gì vào {path}")
    if not plan.count("add") and not plan.count("update"):
        out("Không có gì thay đổi.\n")
        return EXIT_OK
    original = read_regular(path, MAX_REGISTRY_BYTES)
    bom = original.startswith(codecs.BOM_UTF8)
    text = apply_plan(original.decode("utf-8-sig"), plan)
    try:
        after = parse_registry(text, path)
    except ConfigError as exc:
        for problem in _by_sheet_row(exc.problems, text, plan, args.file):
            say(problem)
        raise RefusedError(
            f"danh mục sau khi nhập sẽ có lỗi (ở trên): không ghi gì vào {path}"
        ) from None
    unplanned = written_problems(plan, registry, after)
    if unplanned:  # a bug here, never the clerk's: refuse rather than write it
        raise RefusedError(f"không ghi: {'; '.join(unplanned)}")
    from bluezone_tui.git.head import refuse_unless_writable

    refuse_unless_writable(data_dir, WRITING_UNITS)  # the preview shown, nothing asked
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
            out("Không ghi gì.\n")
            return EXIT_OK
    if read_regular(path, MAX_REGISTRY_BYTES) != original:
        raise RefusedError(f"{path} vừa bị sửa trong lúc xem trước: chạy lại lệnh, không ghi gì")
    mode = os.stat(path).st_mode & 0o777
    from bluezone_tui.base.failed_writes import refusing_writes
    from bluezone_tui.git.repository import open_repository
    from bluezone_tui.git.save import recording

    # a data folder with history commits units.yaml too: a sync then takes the new
    # units to the other offices
    repository = open_repository(data_dir, registry)
    data = (codecs.BOM_UTF8 if bom else b"") + text.encode("utf-8")
    if repository is not None:  # git's CRLF (core.autocrlf) not carried into the commit
        data = repository.as_committed(REGISTRY_FILE, data)
    # a read-only or full disk: the registry is left as it was
    with refusing_writes(path, "danh mục vẫn như cũ, chưa thêm đơn vị nào"):
        with recording(
            repository, path, datetime.now(registry.timezone), data_dir=data_dir,
            doing=WRITING_UNITS,
        ) as recorded:  # fmt: skip
            replace_atomically(path, data, mode)
    out(f"Đã ghi {path}: thêm {plan.count('add')} đơn vị, sửa {plan.count('update')}.\n")
    print_problems(after.warnings)
    for line in recorded_lines(recorded):
        say(line)
    return EXIT_OK if recorded.ok else EXIT_PROBLEMS


def _by_sheet_row(problems: Sequence[Problem], text: str, plan: Plan, source: Path) -> list[str]:
    """A problem inside an imported unit names the sheet's row, not a line that is not
    written yet."""
    import yaml

    root = yaml.compose(text, Loader=yaml.SafeLoader)
    assert root is not None  # `text` is the loaded registry with the plan applied: never empty
    units = root.value
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
