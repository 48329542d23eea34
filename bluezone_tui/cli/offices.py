"""The commands that work with the data folder's git history: history, sync, resolve."""

from __future__ import annotations

import argparse
from dataclasses import replace
from typing import TYPE_CHECKING

from bluezone_tui.base.safe_text import printable, shell_command, shell_word
from bluezone_tui.cli.common import (
    EXIT_OK,
    EXIT_PROBLEMS,
    EXIT_USAGE,
    Commands,
    UsageError,
    clock_of,
    dated,
    day_of,
    field_values,
    out,
    recorded_lines,
    registry_of,
    repository_for,
    say,
    store_of,
)

if TYPE_CHECKING:
    from bluezone_tui.base.problems import Problem
    from bluezone_tui.day.store import Store
    from bluezone_tui.git.conflict import Draft
    from bluezone_tui.git.repository import DataRepository, Recorded
    from bluezone_tui.git.sync import SyncResult


def register(commands: Commands) -> None:
    """The git commands: history, sync, resolve."""
    _history_parser(commands)
    _sync_parser(commands)
    _resolve_parser(commands)


def _history_parser(commands: Commands) -> None:
    history = commands.add_parser(
        "history",
        help="lịch sử số liệu của một đơn vị (từ git)",
        description="Mọi phiên bản tệp số liệu của một đơn vị trong ngày: lúc nào, ai, chỉ "
        "tiêu nào từ bao nhiêu thành bao nhiêu; cả giá trị bị bỏ khi giải quyết xung đột.",
    )
    history.add_argument("unit", nargs="?", metavar="MÃ_ĐƠN_VỊ", help="mã đơn vị")
    dated(history, with_now=False)
    history.add_argument(
        "--since-sent",
        action="store_true",
        help="chỉ những gì thay đổi sau lần gửi báo cáo cuối của ngày (export --mark-sent); "
        "không có MÃ_ĐƠN_VỊ: mọi đơn vị",
    )

    history.set_defaults(run=cmd_history)


def _sync_parser(commands: Commands) -> None:
    sync = commands.add_parser(
        "sync",
        help="đồng bộ với kho chung (git): ghi, lấy về, gộp, gửi đi",
        description="Ghi các lần lưu chưa ghi vào git, lấy số liệu từ kho chung, gộp (merge, "
        "không bao giờ viết lại lịch sử), rồi gửi lên. Thoát 0: đã đồng bộ; 1: có xung đột "
        "(liệt kê từng đơn vị, ngày); 2: không có kho chung, lỗi mạng hoặc quyền.",
    )
    sync.add_argument(
        "--now", metavar="THỜI_ĐIỂM", help="coi như bây giờ là YYYY-MM-DDTHH:MM (giờ của commit)"
    )

    sync.set_defaults(run=cmd_sync)


def _resolve_parser(commands: Commands) -> None:
    resolve = commands.add_parser(
        "resolve",
        help="giải quyết xung đột số liệu của một đơn vị",
        description="Chọn một bên của xung đột (--keep ours: bên này, theirs: bên kia) hoặc "
        "ghi số liệu cuối cùng. Khi hết xung đột, lần gộp được ghi vào git; «bluezone sync» "
        "gửi đi.",
    )
    resolve.add_argument("unit", metavar="MÃ_ĐƠN_VỊ", help="mã đơn vị")
    resolve.add_argument(
        "values", metavar="CHỈ_TIÊU=SỐ", nargs="*", help="giá trị cuối cùng của các chỉ tiêu"
    )
    dated(resolve)
    resolve.add_argument(
        "--keep", choices=("ours", "theirs"), help="giữ bên này (ours) hoặc bên kia (theirs)"
    )
    resolve.add_argument("--reported-at", metavar="GIỜ", help="giờ đơn vị báo cáo")
    resolve.add_argument("--note", metavar="GHI_CHÚ", help="ghi chú kèm báo cáo")
    resolve.add_argument(
        "--entered-by", metavar="TÊN", help="người giải quyết (mặc định: người dùng hệ điều hành)"
    )
    resolve.add_argument("--confirm-warnings", action="store_true", help="xác nhận các cảnh báo")
    resolve.set_defaults(run=cmd_resolve)


def cmd_history(args: argparse.Namespace) -> int:
    from bluezone_tui.day.store import find_unit
    from bluezone_tui.git.history import changes_since_sent, render_history, render_since_sent

    registry = registry_of(args)
    day = day_of(args, clock_of(args, registry))
    store = store_of(args, registry)
    if args.unit is None and not args.since_sent:
        raise UsageError("cần MÃ_ĐƠN_VỊ (hoặc --since-sent để xem cả ngày)")
    unit = find_unit(store, args.unit) if args.unit is not None else None
    repository = repository_for(store.data_dir, registry, "«bluezone history»")
    if args.since_sent:
        since = changes_since_sent(repository, day, unit)
        if since is None:
            say(
                f"bluezone: chưa có báo cáo ngày {day:%d/%m/%Y} nào được đánh dấu đã gửi "
                f"(«bluezone export --mark-sent»)"
            )
            return EXIT_PROBLEMS
        out(render_since_sent(since, day))
        return EXIT_OK
    from bluezone_tui.git.history import unit_history

    assert unit is not None
    out(render_history(unit_history(repository, unit, day)))
    return EXIT_OK


def cmd_sync(args: argparse.Namespace) -> int:
    from bluezone_tui.git.sync import sync

    registry = registry_of(args)
    clock = clock_of(args, registry)
    store = store_of(args, registry)
    repository = repository_for(store.data_dir, registry, "«bluezone sync»")
    result = sync(repository, clock())
    for line in recorded_lines(result.recorded):
        say(line)
    for subject in result.hand_edits:
        say(f"bluezone: đã ghi vào git thay đổi sửa tay: {printable(subject)}")
    if result.conflicts:
        out(conflict_report(store, repository, result.conflicts))
        return EXIT_PROBLEMS
    out(
        f"Đã đồng bộ với {printable(result.remote)}: nhận {result.pulled} commit, "
        f"gửi {result.pushed} commit.\n"
    )
    if result.registry_problems:
        say(broken_registry_words(repository, result))
        return EXIT_USAGE
    if result.registry_changed:
        out("units.yaml đã thay đổi theo kho chung.\n")
    for relative in result.not_sent:
        say(
            f"{printable(relative)}: tệp sửa tay không đọc được nên chưa gửi đi; sửa tệp "
            f"(bluezone check) rồi đồng bộ lại"
        )
    return EXIT_PROBLEMS if result.not_sent else EXIT_OK


def broken_registry_words(repository: DataRepository, result: SyncResult) -> str:
    """A units.yaml that came broken from the shared repository: what is wrong, who sent
    it, and the way back (this clone's last good version, or a fix at the line)."""
    from bluezone_tui.registry.model import REGISTRY_FILE

    folder = repository.data_dir
    problems = result.registry_problems
    first = "; ".join(str(problem) for problem in problems[:2])
    more = f" (và {len(problems) - 2} lỗi khác)" if len(problems) > 2 else ""
    who = repository.git.run(
        "log", "-1", "--format=%an, commit %h", f"{result.before}..HEAD", "--", REGISTRY_FILE,
        check=False,
    ).text.strip() if result.before else ""  # fmt: skip
    sent = f" (do {printable(who)})" if who else ""
    back = (
        f"«git -C {shell_word(str(folder))} checkout {result.before[:10]} -- {REGISTRY_FILE}» lấy lại bản "
        f"trước khi đồng bộ, rồi «bluezone sync» gửi nó cho các nơi khác"
        if result.before
        else f"sửa {REGISTRY_FILE} rồi «bluezone sync»"
    )
    return (
        f"bluezone: {REGISTRY_FILE} nhận từ kho chung{sent} bị lỗi: {first}{more}. Mọi lệnh "
        f"khác sẽ dừng (mã 2) cho tới khi sửa. Cách quay lại: {back}; hoặc sửa dòng lỗi "
        f"(bluezone check) rồi «bluezone sync»"
    )


def conflict_report(store: Store, repository: DataRepository, paths: list[str]) -> str:
    """Each conflicted unit and day with both sides, then how to resolve; other files too."""
    from bluezone_tui.base.problems import BluezoneError
    from bluezone_tui.git.conflict import describe, read_conflict
    from bluezone_tui.git.repository import day_and_unit

    lines = [f"Xung đột ở {len(paths)} tệp: cùng số liệu đã được sửa ở cả hai nơi."]
    others = []
    for relative in paths:
        place = day_and_unit(relative)
        if place is None or place[1] not in store.registry.by_id:
            others.append(relative)
            continue
        day, unit_id = place
        try:
            conflict = read_conflict(store, unit_id, day, repository)
        except BluezoneError as exc:
            lines.append(f"{relative}: {exc.message}")
            continue
        if conflict is None:
            lines.append(f"{relative}: xung đột")
            continue
        lines.append(describe(conflict))
        lines.append(
            f"  giải quyết: bluezone resolve {unit_id} --date {day.isoformat()} "
            f"--keep ours|theirs (hoặc CHỈ_TIÊU=SỐ), hoặc trên bảng theo dõi"
        )
    for relative in others:
        lines.append(
            f"{printable(relative)}: xung đột trong tệp không phải số liệu; sửa bằng tay (chọn "
            f"một phiên bản, xoá các dòng «<<<<<<<», «=======», «>>>>>>>»), rồi "
            f"«{shell_command('git', '-C', str(repository.data_dir), 'add', '--', relative)}»"
        )
    return "\n".join(lines) + "\n"


def cmd_resolve(args: argparse.Namespace) -> int:
    from bluezone_tui.base.clock import parse_reported_at
    from bluezone_tui.base.problems import RefusedError
    from bluezone_tui.git.conflict import (
        OURS,
        SIDE_WORDS,
        THEIRS,
        WITHDRAWN_CODE,
        describe,
        prepare_resolution,
        read_conflict,
        resolve,
        resolve_withdrawn,
    )

    registry = registry_of(args)
    clock = clock_of(args, registry)
    now = clock()
    day = day_of(args, clock)
    store = store_of(args, registry)
    from bluezone_tui.git.repository import open_repository

    repository = open_repository(store.data_dir, registry)
    conflict = read_conflict(store, args.unit, day, repository)
    if conflict is None:
        raise RefusedError(f"{store.path_for(day, args.unit)}: không có xung đột nào để giải quyết")
    values = field_values(args.values)
    if args.keep is None and not values:
        out(describe(conflict) + "\n")
        raise UsageError(
            "chọn một bên: --keep ours (bên này) hoặc --keep theirs (bên kia), hoặc ghi số "
            "liệu cuối cùng CHỈ_TIÊU=SỐ"
        )
    withdrawn = conflict.withdrawn
    if withdrawn is not None and args.keep == withdrawn.name and not values:
        withdrawal_kept = resolve_withdrawn(store, repository, conflict, now)
        out(
            f"Đã giải quyết xung đột {conflict.unit.id} ngày {day:%d/%m/%Y} (giữ việc rút báo "
            f"cáo): {store.path_for(day, conflict.unit.id)} bản "
            f"{withdrawal_kept.withdrawal.revision}\n"
        )
        _resolved_lines(withdrawal_kept.recorded, withdrawal_kept.remaining)
        return EXIT_OK if withdrawal_kept.recorded.ok else EXIT_PROBLEMS
    reported_at = None
    if args.reported_at is not None:
        try:
            reported_at = parse_reported_at(args.reported_at, day, registry.timezone)
        except ValueError as exc:
            raise UsageError(f"--reported-at: {exc}") from None

    def draft_with(confirm: list[str]) -> Draft:
        try:
            draft = prepare_resolution(
                store,
                conflict,
                keep=args.keep,
                values=values,
                now=now,
                reported_at=reported_at,
                note=args.note,
                entered_by=args.entered_by,
                confirm=confirm,
            )
        except RefusedError as exc:
            if not any(p.code == WITHDRAWN_CODE for p in exc.problems) or withdrawn is None:
                raise
            other = OURS if withdrawn.name == THEIRS else THEIRS
            raise RefusedError(
                f"{exc.message}: giữ việc rút bằng «bluezone resolve … --keep {withdrawn.name}» "
                f"(không kèm số liệu), hoặc --keep {other}, hay ghi CHỈ_TIÊU=SỐ"
            ) from None
        return replace(draft, problems=tuple(map(_with_options, draft.problems)))

    draft = draft_with([])
    if args.confirm_warnings and draft.warnings and not draft.errors:
        draft = draft_with([p.code for p in draft.warnings])
    resolution = resolve(store, repository, conflict, draft, now)
    kept = f"giữ {SIDE_WORDS[args.keep]}" if args.keep else "số liệu nhập"
    out(
        f"Đã giải quyết xung đột {conflict.unit.id} ngày {day:%d/%m/%Y} ({kept}): "
        f"{store.path_for(day, conflict.unit.id)} bản {resolution.submission.revision}\n"
    )
    _resolved_lines(resolution.recorded, resolution.remaining)
    return EXIT_OK if resolution.recorded.ok else EXIT_PROBLEMS


def _with_options(problem: Problem) -> Problem:
    """A field the sides disagree on, left open: how to choose, in this command's options."""
    from bluezone_tui.git.conflict import CONFLICT_CODE

    if problem.field is None or problem.code != f"{CONFLICT_CODE}:{problem.field}":
        return problem
    return replace(
        problem,
        message=f"{problem.message}: chọn một bên (--keep ours|theirs) hoặc ghi giá trị cuối "
        f"cùng ({_how_to_give(problem.field)})",
    )


def _how_to_give(key: str) -> str:
    """How `resolve` takes the final value of what differs: the report's time and note
    are options, a form's field is CHỈ_TIÊU=SỐ (`reported_at=…` is refused as no field)."""
    from bluezone_tui.git import audit

    if key == audit.REPORTED_AT:
        return "--reported-at GIỜ"
    if key == audit.NOTE:
        return "--note GHI_CHÚ"
    return f"{key}=…"


def _resolved_lines(recorded: Recorded, remaining: list[str]) -> None:
    if recorded.merge_commit:
        out("Đã hết xung đột: đã ghi lần gộp vào git; chạy «bluezone sync» để gửi đi.\n")
    elif remaining:
        out(f"Còn {len(remaining)} tệp xung đột: {', '.join(remaining)}\n")
    for line in recorded_lines(recorded):
        say(line)
