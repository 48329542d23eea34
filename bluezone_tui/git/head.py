"""A view that stays open (the board) on a data folder whose git HEAD may move under it:
the warning `status`, `export` and `check` give on a detached HEAD
(repository.detached_view_problem: the same words, from the same place), kept current at
each of the view's polls for one small read of git's HEAD file."""

from __future__ import annotations

import time
from collections.abc import Callable

from bluezone_tui.base.problems import Problem
from bluezone_tui.git.repository import DataRepository, detached_view_problem

# While detached, the warning's words are asked of git again this often: a branch made
# meanwhile (the way back's first step) changes what the way back says.
REFRESH_SECONDS = 30.0
BRANCH_REF = "ref: refs/heads/"


class HeadWatch:
    """The detached-HEAD warning of one repository, as it is now.

    git is asked for the warning (two or three commands) only when HEAD's file changed
    since the last look (a checkout of a commit, a switch back, a commit made on the
    detached HEAD) or, while detached, every REFRESH_SECONDS; on a branch, a look is one
    read of that file and nothing else."""

    def __init__(
        self,
        repository: DataRepository,
        refresh_seconds: float = REFRESH_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.repository = repository
        self._refresh = refresh_seconds
        self._clock = clock
        self._head: str | None = None  # HEAD's file at the last look (None: never looked)
        self._problem: Problem | None = None
        self._asked_at = 0.0

    def problem(self) -> Problem | None:
        """The views' warning now, None on a branch (or without git, or when git cannot
        say)."""
        head = self.repository.head_file()
        now = self._clock()
        stale = self._problem is not None and now - self._asked_at >= self._refresh
        if head != self._head or stale:
            self._head, self._asked_at = head, now
            self._problem = detached_view_problem(self.repository)
        return self._problem

    @property
    def branch(self) -> str:
        """The branch HEAD was on at the last look ("" when detached or not known)."""
        head = self._head or ""
        return head.removeprefix(BRANCH_REF) if head.startswith(BRANCH_REF) else ""


def back_on_branch(branch: str) -> str:
    """What a view says when the HEAD it warned about is on a branch again."""
    where = f"nhánh «{branch}»" if branch else "một nhánh"
    return (
        f"Kho git của thư mục dữ liệu đã trở lại {where}: số liệu đang xem là của nhánh, "
        f"lưu và đồng bộ được như thường."
    )
