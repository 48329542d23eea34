"""Problems a person can act on: where (file:line:col, field), what, and how bad.

Every check in the core collects Problems instead of stopping at the first,
as beancount does; the CLI prints them as `path:line:col: message`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, slots=True)
class Problem:
    message: str
    path: Path | None = None
    line: int | None = None
    column: int | None = None
    field: str | None = None
    severity: Severity = "error"
    code: str = ""

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    def location(self) -> str:
        """`path:line:col` with whatever parts are known."""
        parts = [str(self.path) if self.path else "<input>"]
        if self.line is not None:
            parts.append(str(self.line))
            if self.column is not None:
                parts.append(str(self.column))
        return ":".join(parts)

    def __str__(self) -> str:
        prefix = "cảnh báo: " if self.severity == "warning" else ""
        if self.path is None:  # typed input, not a file: the message names the field
            return f"{prefix}{self.message}"
        return f"{self.location()}: {prefix}{self.message}"


class BluezoneError(Exception):
    """Base of the errors a user can cause; the CLI prints them without a traceback."""

    exit_code = 1

    def __init__(self, message: str, problems: list[Problem] | None = None):
        super().__init__(message)
        self.message = message
        self.problems = problems or []


class ConfigError(BluezoneError):
    """The registry or the data folder cannot be used (exit 2)."""

    exit_code = 2


class RefusedError(BluezoneError):
    """Input was refused and nothing was written (exit 1)."""

    exit_code = 1


class StaleRevisionError(RefusedError):
    """The file changed since the edit began: saving would lose someone's update."""

    def __init__(self, message: str, current_revision: int):
        super().__init__(message)
        self.current_revision = current_revision
