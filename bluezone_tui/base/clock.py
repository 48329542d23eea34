"""Clocks in the registry's timezone, injectable so every time-dependent test is frozen.

The server's local time is never used: a clock always answers in the registry's
timezone (Asia/Ho_Chi_Minh), whatever TZ the process runs under.
"""

from __future__ import annotations

import re
import time as _time
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo

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


# "15:45", "15.45", "15,45", "15h45", "15g45", "9:45", "9h", "15:45:30": a time of day
# as clerks write it. The whole text must match; nothing is ever truncated.
_TIME_OF_DAY = re.compile(
    r"(?P<hour>\d{1,2})(?:(?P<sep>[:.,hHgG])(?P<minute>\d{2})?(?::(?P<second>\d{2}))?)?",
    re.ASCII,  # 0-9 only, as in figures: ٣:٣٠ or １４:３０ is not a time a clerk checked
)


def _refuse_other_digits(text: str) -> None:
    """Digits of another script (Arabic-Indic, fullwidth from an input method) are refused
    by name, as figures refuse them, never read as the ASCII digits they stand for."""
    if any(char.isdecimal() and not char.isascii() for char in text):
        raise ValueError(f"«{text}» không phải giờ: chỉ viết bằng chữ số 0–9, ví dụ 15:45")


def parse_time_of_day(text: str) -> time:
    """A time of day typed by a person, parsed whole or refused with ValueError.

    Accepts 15:45, 15.45, 15,45, 15h45, 15g45, 9:45 (09:45), 9h and 9g (09:00), and
    15:45:30. A bare number ("15", "1545") is refused: it is too easy to mistype.
    """
    _refuse_other_digits(text)
    stripped = text.strip()
    match = _TIME_OF_DAY.fullmatch(stripped)
    if match is None or match["sep"] is None:
        raise ValueError(f"«{text}» không phải giờ: viết dạng 15:45, 15h45 hoặc 9:45")
    separator, minute, second = match["sep"], match["minute"], match["second"]
    if minute is None and (separator not in "hHgG" or second is not None):
        raise ValueError(f"«{text}» không phải giờ: viết dạng 15:45, 15h45 hoặc 9:45")
    if second is not None and separator != ":":
        raise ValueError(f"«{text}» không phải giờ: giây chỉ viết dạng 15:45:30")
    hour, minutes, seconds = int(match["hour"]), int(minute or 0), int(second or 0)
    if hour > 23 or minutes > 59 or seconds > 59:
        raise ValueError(f"«{text}» không phải giờ hợp lệ (00:00 – 23:59)")
    return time(hour, minutes, seconds)


_OFFSET = re.compile(r"(?:Z|(?P<sign>[+-])(?P<hours>\d{2}):?(?P<minutes>\d{2}))\Z", re.ASCII)
_DATE_FIRST = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)


def parse_reported_at(text: str, day: date, zone: tzinfo) -> datetime:
    """When a unit reported, as typed: a time of day on `day` (15:45, 15h45, 9:45), that
    time with a UTC offset (14:30+00:00, 14:30Z), or a whole moment (2020-08-20 14:30).

    The result is in `zone`. An offset is honoured, never dropped: 14:30+00:00 is 21:30
    in Hồ Chí Minh City. Anything else is refused with ValueError (Vietnamese message).
    """
    _refuse_other_digits(text)
    stripped = text.strip()
    if _DATE_FIRST.match(stripped):
        try:
            moment = datetime.fromisoformat(stripped.replace(" ", "T", 1))
            return moment.replace(tzinfo=zone) if moment.tzinfo is None else moment.astimezone(zone)
        except (ValueError, OverflowError):
            raise ValueError(
                f"«{text}» không phải thời điểm dạng YYYY-MM-DD HH:MM[+07:00]"
            ) from None
    offset = _OFFSET.search(stripped)
    if offset is None:
        return datetime.combine(day, parse_time_of_day(stripped), tzinfo=zone)
    if offset.group() == "Z":
        given: tzinfo = UTC
    else:
        hours, minutes = int(offset["hours"]), int(offset["minutes"])
        if hours > 23 or minutes > 59:
            raise ValueError(f"«{text}»: độ lệch múi giờ «{offset.group()}» không hợp lệ")
        sign = -1 if offset["sign"] == "-" else 1
        given = timezone(sign * timedelta(hours=hours, minutes=minutes))
    clock_time = parse_time_of_day(stripped[: offset.start()])
    return datetime.combine(day, clock_time, tzinfo=given).astimezone(zone)
