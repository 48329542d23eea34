"""`bluezone remind --send`: the rounds of `reminders:` that are due now, sent once each.

The same `run_rounds` as the board's timer (deliver/rounds.py). Run by cron every few
minutes; the first time in a data folder it only shows what would go.
"""

from __future__ import annotations

import argparse
import math
from datetime import date, datetime, tzinfo
from typing import TYPE_CHECKING

from bluezone_tui.base.problems import ConfigError
from bluezone_tui.base.vn import fmt_date_short, fmt_duration, fmt_time
from bluezone_tui.cli.common import (
    EXIT_OK,
    EXIT_PROBLEMS,
    UsageError,
    clock_of,
    day_of,
    out,
    registry_of,
    say,
    store_of,
)
from bluezone_tui.registry.reminders import REPORT_ROUND

if TYPE_CHECKING:
    from pathlib import Path

    from bluezone_tui.base.clock import Clock
    from bluezone_tui.day.store import Store
    from bluezone_tui.deliver.outbox import Outbox
    from bluezone_tui.git.repository import DataRepository
    from bluezone_tui.registry.model import Registry
    from bluezone_tui.registry.reminders import ReminderSettings, Round


def add_arguments(remind: argparse.ArgumentParser) -> None:
    """--send and its options, on `bluezone remind`."""
    remind.add_argument(
        "--send",
        action="store_true",
        help="gửi các lượt nhắc đến giờ trong «reminders:» của units.yaml (SMS, email), mỗi "
        "tin một lần, ghi vào outbox/; cho cron hoặc chạy tay",
    )
    remind.add_argument(
        "--dry-run",
        action="store_true",
        help="với --send: chỉ hiện các tin sẽ gửi, không gửi, không ghi gì",
    )
    remind.add_argument(
        "--confirm",
        action="store_true",
        help="với --send: lần đầu, sau khi đã xem bản chạy thử: bắt đầu gửi thật",
    )
    remind.add_argument(
        "--round",
        metavar="TÊN_LƯỢT",
        help="với --send: gửi lượt này ngay dù đã quá giờ của nó (gửi muộn, vẫn mỗi tin một lần); "
        "chưa đến giờ thì không gửi (thoát 1)",
    )


def wants_send(args: argparse.Namespace) -> bool:
    """--send, or one of its options (which need it)."""
    used = [name for name in ("dry_run", "confirm", "round") if getattr(args, name, None)]
    if used and not args.send:
        option = "--" + used[0].replace("_", "-")
        raise UsageError(f"{option} chỉ dùng với --send (bluezone remind --send {option})")
    return bool(args.send)


def cmd_remind_send(args: argparse.Namespace) -> int:
    from bluezone_tui.deliver.outbox import Outbox
    from bluezone_tui.deliver.rounds import (
        is_sender,
        not_sender_words,
        record_line,
        rounds_needing_secrets,
        secrets_for,
        start,
        started,
        this_office,
    )
    from bluezone_tui.git.head import refuse_unless_writable
    from bluezone_tui.git.repository import open_repository

    registry = registry_of(args)
    clock = clock_of(args, registry)
    now = clock()
    settings = _settings_for_today(args, registry, day_of(args, clock), now)
    store = store_of(args, registry)
    data_dir = store.data_dir
    repository = open_repository(data_dir, registry)
    outbox = Outbox(data_dir, registry.timezone, repository)
    office = this_office()
    rounds = _chosen_rounds(args, settings, now, registry.timezone)
    if args.round is not None and not args.dry_run:
        early = _too_early(rounds[0], now, registry.timezone)
        if early:
            say(f"bluezone: {early}")
            return EXIT_PROBLEMS
    sender = is_sender(settings, office)
    if not sender and not args.dry_run:
        say(f"bluezone: {not_sender_words(settings, office)}")
        for record in outbox.read(now.date()).records:
            if record.outgoing.round != REPORT_ROUND:
                out(record_line(record, registry.timezone) + "\n")
        return EXIT_PROBLEMS
    if not args.dry_run:  # git not on a branch: no record could be kept, nothing goes
        refuse_unless_writable(data_dir, "gửi nhắc báo cáo")
    if args.confirm and sender and started(data_dir) is None:
        # every round's secrets, as the preview warned: a missing one, not started
        secrets_for(registry, rounds_needing_secrets(settings, rounds, True), data_dir)
        for note in start(data_dir, repository, now):
            say(f"bluezone: {note}")
        say("bluezone: đã bật nhắc báo cáo tự động cho thư mục dữ liệu này (outbox/)")
    first_time = started(data_dir) is None
    if not rounds:
        out(nothing_due(settings, now, registry.timezone))
        if first_time:
            say(
                "bluezone: chưa bật gửi nhắc ở thư mục dữ liệu này: khi có lượt đến giờ, "
                "«--send» chỉ hiện tin sẽ gửi; xem trước một lượt bằng «bluezone remind --send "
                "--dry-run --round TÊN_LƯỢT», rồi bật bằng «bluezone remind --send --confirm»"
            )
            _warn_secrets(registry, rounds_needing_secrets(settings, rounds, True), data_dir)
        return EXIT_OK
    if args.dry_run or first_time:
        warning = "" if sender else not_sender_words(settings, office)
        _preview(
            registry, store, outbox, rounds, now, first_time and not args.dry_run, warning,
            rounds_needing_secrets(settings, rounds, first_time),
        )  # fmt: skip
        return EXIT_OK
    return _send(registry, store, repository, rounds, clock)


def _settings_for_today(
    args: argparse.Namespace, registry: Registry, day: date, now: datetime
) -> ReminderSettings:
    """Reminders go for today only, and only where `reminders:` says how."""
    if day != now.date():
        raise UsageError(
            f"--send chỉ gửi nhắc cho hôm nay ({fmt_date_short(now.date())}): bỏ --date, hoặc "
            f"dùng --now để thử một ngày khác"
        )
    if registry.reminders is None:
        raise ConfigError(
            f"{registry.path}: chưa có mục «reminders:» (các lượt nhắc, nơi gửi, SMS); xem "
            f"docs/reminders.md"
        )
    return registry.reminders


def _chosen_rounds(
    args: argparse.Namespace, settings: ReminderSettings, now: datetime, timezone: tzinfo
) -> list[Round]:
    """The round named by --round, else the rounds due now."""
    from bluezone_tui.deliver.rounds import due_rounds

    if args.round is None:
        return list(due_rounds(settings, now, timezone))
    chosen = settings.round(args.round)
    if chosen is None:
        names = ", ".join(item.name for item in settings.rounds)
        raise UsageError(f"--round: không có lượt «{args.round}» trong reminders (có: {names})")
    return [chosen]


def _too_early(round_: Round, now: datetime, timezone: tzinfo) -> str:
    """--round sends a round late, never early: before its time (in the registry's
    timezone, whatever the server's) it would use the round up hours before the units
    are due to hear it. Why not, and when it is due; "" from its time on."""
    from bluezone_tui.deliver.rounds import round_start

    start = round_start(round_, now, timezone)
    now = now.astimezone(timezone)
    if now >= start:
        return ""
    wait = math.ceil((start - now).total_seconds() / 60)
    return (
        f"lượt «{round_.name}» chưa đến giờ: {fmt_time(start)} ngày "
        f"{fmt_date_short(start.date())} mới gửi (còn {fmt_duration(wait)}); chưa gửi gì. "
        f"--round chỉ gửi muộn một lượt đã qua giờ; xem trước bằng «bluezone remind --send "
        f"--dry-run --round {round_.name}»"
    )


def _preview(
    registry: Registry,
    store: Store,
    outbox: Outbox,
    rounds: list[Round],
    now: datetime,
    first_time: bool,
    warning: str,
    needing: list[Round],
) -> None:
    """What would go, and every secret that sending for real (`--confirm` the first time:
    every round's, `needing`) would stop at."""
    from bluezone_tui.deliver.rounds import plan_round, render_plans

    plans = [
        plan_round(registry=registry, store=store, outbox=outbox, round_=item, now=now)
        for item in rounds
    ]
    out(render_plans(plans, registry.timezone, first_time=first_time))
    if warning:
        say(f"bluezone: cảnh báo: {warning}")
    _warn_secrets(registry, needing, store.data_dir)


def _warn_secrets(registry: Registry, needing: list[Round], data_dir: Path) -> None:
    """Each secret that sending `needing` for real would stop at, one warning each."""
    from bluezone_tui.deliver.rounds import read_secrets

    _, missing = read_secrets(registry, needing, data_dir)
    for problem in missing:
        say(f"bluezone: cảnh báo: khi gửi thật sẽ dừng ở đây: {problem}")


def _send(
    registry: Registry,
    store: Store,
    repository: DataRepository | None,
    rounds: list[Round],
    clock: Clock,
) -> int:
    """Send the rounds through the outbox; 1 when a message failed or a unit has no number."""
    from bluezone_tui.deliver.outbox import Outbox
    from bluezone_tui.deliver.rounds import outcome_lines, run_rounds, secrets_for

    secrets = secrets_for(registry, rounds, store.data_dir)  # a missing secret stops it first
    notes: list[str] = []
    outcomes = run_rounds(
        registry=registry,
        store=store,
        repository=repository,
        rounds=rounds,
        secrets=secrets,
        clock=clock,
        notes=notes,
    )
    in_progress = Outbox(store.data_dir, registry.timezone, repository).in_progress()
    for outcome in outcomes:
        outcome.in_progress = in_progress
        out("\n".join(outcome_lines(outcome, registry.timezone)) + "\n")
    for note in notes:
        say(f"bluezone: {note}")
    troubled = any(outcome.troubled for outcome in outcomes)
    unreached = any(outcome.plan.unreachable for outcome in outcomes)
    return EXIT_PROBLEMS if troubled or unreached else EXIT_OK


def nothing_due(settings: ReminderSettings, now: datetime, timezone: tzinfo) -> str:
    """No round is due: when the next one is, and the ones whose time passed."""
    from bluezone_tui.deliver.rounds import missed, next_slot

    lines = [
        f"Không có lượt nhắc nào đến giờ lúc {fmt_time(now)} ngày {fmt_date_short(now.date())}."
    ]
    upcoming = next_slot(settings, now, timezone)
    if upcoming is not None:
        lines.append(f"Lượt sau: «{upcoming.round.name}» lúc {fmt_time(upcoming.start)}.")
    gone = missed(settings, now, timezone)
    if gone:
        names = ", ".join(f"«{slot.round.name}» ({fmt_time(slot.start)})" for slot in gone)
        lines.append(
            f"Đã qua giờ: {names}; gửi muộn bằng «bluezone remind --send --round TÊN_LƯỢT» "
            f"(mỗi tin vẫn chỉ một lần)."
        )
    return "\n".join(lines) + "\n"
