"""A unit's state on a day, for machines (code), people (word) and monochrome screens (symbol).

Its own small module so that the board can draw its first frame without
loading the store and the rules behind the states.
"""

from __future__ import annotations

import enum


class State(enum.Enum):
    """A unit's state: a code for machines, a Vietnamese word and a symbol for people."""

    ON_TIME = ("on_time", "đúng hạn", "✓")
    LATE = ("late", "trễ hạn", "!")
    MISSING = ("missing", "chưa báo cáo", "✗")
    NOT_YET_DUE = ("pending", "chưa đến hạn", "·")
    REPORTED = ("reported", "đã báo cáo", "✓")
    NO_REPORT = ("no_report", "chưa có số liệu", "-")
    FILE_ERROR = ("file_error", "lỗi tệp", "⚠")
    # two offices saved different figures and git could not merge them: an office's
    # decision (bluezone resolve, or the board's form), not the unit's
    CONFLICT = ("conflict", "xung đột", "⇄")

    def __init__(self, code: str, label: str, symbol: str):
        self.code = code
        self.label = label
        self.symbol = symbol

    @property
    def unreadable(self) -> bool:
        """No figures can be read from the unit's file until someone fixes or resolves it."""
        return self in (State.FILE_ERROR, State.CONFLICT)


# States whose unit someone still has to chase: the board's filter `f`, the report's
# section III.
TO_CHASE = (State.LATE, State.MISSING, State.NOT_YET_DUE, State.FILE_ERROR, State.CONFLICT)
