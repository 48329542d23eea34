"""Clocks in the registry's timezone, injectable so every time-dependent test is frozen.

The server's local time is never used: a clock always answers in the registry's
timezone (Asia/Ho_Chi_Minh), whatever TZ the process runs under.
"""

from __future__ import annotations

import time as _time
from collections.abc import Callable
from datetime import date, datetime, timedelta, tzinfo

Clock = Callable[[], datetime]


def system_clock(timezone: tzinfo) -> Clock:
    """The real time, in the given timezone."""

    def now() -> datetime:
        return datetime.now(timezone)

    return now


def fixed_clock(moment: datetime) -> Clock:
    """Always the same instant: for tests and for `--now` in headless commands."""

    def now() -> datetime:
        return moment

    return now


def running_clock(start: datetime) -> Clock:
    """Starts at `start` and then runs in real time (the board's `--now`)."""
    origin = _time.monotonic()

    def now() -> datetime:
        return start + timedelta(seconds=_time.monotonic() - origin)

    return now


class ManualClock:
    """A clock a test moves by hand: `clock.advance(minutes=1)`."""

    def __init__(self, moment: datetime):
        self.moment = moment

    def __call__(self) -> datetime:
        return self.moment

    def advance(self, **delta: float) -> datetime:
        self.moment = self.moment + timedelta(**delta)
        return self.moment

    def set(self, moment: datetime) -> None:
        self.moment = moment


def parse_now(text: str, timezone: tzinfo) -> datetime:
    """ "2020-08-20T14:59" (or with seconds) -> an aware datetime in the registry's timezone."""
    moment = datetime.fromisoformat(text.strip())
    if moment.tzinfo is None:
        return moment.replace(tzinfo=timezone)
    return moment.astimezone(timezone)


def today(clock: Clock) -> date:
    return clock().date()
