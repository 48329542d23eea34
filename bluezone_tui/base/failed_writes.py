"""A write the system refused, said the same way by every writer: the path, why in
Vietnamese (a permission: whose file or folder it is and the fix, base/sharing.py; a
full or read-only disk: where it is mounted; something in the way: what it is), and
what is left ("chưa ghi gì", "tệp cũ vẫn nguyên"…). Exit 1, as for any output that
could not be written (docs/commands.md).

Every write of the tool (a file, a folder, a rename, a lock file) runs inside
`refusing_writes`, or says its failure with `write_refused`: the system's OSError never
reaches a clerk as "lỗi không mong đợi" or in English. What the step made before it
failed (folders, new files) is taken back (base/files.py: Made), so "chưa ghi gì" is
true; what could not be taken back is named.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterable, Iterator
from pathlib import Path

from bluezone_tui.base.files import Made, left_behind
from bluezone_tui.base.problems import RefusedError
from bluezone_tui.base.safe_text import printable
from bluezone_tui.base.sharing import write_reason

NOTHING_WRITTEN = "chưa ghi gì"
NOT_WRITTEN = "không ghi được"


class WriteRefused(RefusedError):
    """A write the system refused (exit 1); `path`: what was being written."""

    def __init__(self, message: str, path: Path | None):
        super().__init__(message)
        self.path = path


def write_refused(
    exc: OSError,
    path: Path | str | None = None,
    kept: str = NOTHING_WRITTEN,
    *,
    left: Iterable[Path] = (),
    making: Path | None = None,
    what: str = NOT_WRITTEN,
) -> WriteRefused:
    """The refusal of a write of `path` (else the path the system named): «PATH: không
    ghi được (why); KEPT», and what is left of what the step made. `making`: a folder
    this login makes for itself (see sharing.denied); `what`: the words for what failed
    ("không tạo được thư mục ngày")."""
    where = path if path is not None else exc.filename
    if not exc.filename and where:  # a write(), fsync() or ftruncate(): the system names none
        exc = OSError(exc.errno, exc.strerror, os.fspath(where))
    reason = write_reason(exc, making)
    named = f"{printable(str(where))}: " if where else ""
    text = f"{named}{what} ({reason})"
    if kept:
        text += f"; {kept}"
    text += left_behind(list(left))
    return WriteRefused(text, Path(where) if where else None)


@contextlib.contextmanager
def refusing_writes(
    path: Path | str | None = None,
    kept: str = NOTHING_WRITTEN,
    *,
    making: Path | None = None,
    what: str = NOT_WRITTEN,
) -> Iterator[Made]:
    """Around a step that writes: an OSError becomes write_refused(...) (exit 1), and
    whatever else stops the step (a refusal, Ctrl+C) lets it go on as it is; either way
    what the step noted in the Made it is given (folders, new files) is taken back first."""
    made = Made()
    try:
        yield made
    except OSError as exc:
        left = made.undo()
        raise write_refused(exc, path, kept, left=left, making=making, what=what) from None
    except BaseException:
        made.undo()
        raise
