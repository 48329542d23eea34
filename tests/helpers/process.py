"""The CLI as a bounded process: `python -m bluezone_tui ARGS` with a timeout and a memory limit.

A hostile input must neither hang nor eat the machine, so every run is bounded.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from helpers.data import REPO

TIMEOUT_SECONDS = 60
MEMORY_LIMIT_BYTES = 2 * 1024**3


@dataclass(frozen=True)
class Run:
    code: int
    out: str
    err: str

    @property
    def text(self) -> str:
        return self.out + self.err


def _limit_memory() -> None:  # pragma: no cover - runs in the child
    try:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT_BYTES, MEMORY_LIMIT_BYTES))
    except (ImportError, ValueError, OSError):
        pass


def run_cli(
    *args: str | Path,
    env: dict[str, str] | None = None,
    cwd: Path | None = None,
    io_encoding: str | None = "utf-8",
    strict: bool = False,
    child_setup: Callable[[], None] | None = None,
) -> Run:
    """`python -m bluezone_tui ARGS` in this machine's environment (less BLUEZONE_DATA and
    BLUEZONE_DEBUG) plus `env`, from `cwd` (the repository by default).

    io_encoding: PYTHONIOENCODING for the child (None: the child's own default).
    strict: the output must be UTF-8 (else UnicodeDecodeError); by default a bad byte
    reads as U+FFFD. child_setup: run in the child before it starts, after the memory limit.
    """

    def setup() -> None:  # pragma: no cover - runs in the child
        _limit_memory()
        if child_setup is not None:
            child_setup()

    full_env = {k: v for k, v in os.environ.items() if k not in ("BLUEZONE_DATA", "BLUEZONE_DEBUG")}
    if io_encoding is not None:
        full_env["PYTHONIOENCODING"] = io_encoding
    full_env.update(env or {})
    result = subprocess.run(
        [sys.executable, "-m", "bluezone_tui", *map(str, args)],
        capture_output=True,
        env=full_env,
        cwd=cwd or REPO,
        timeout=TIMEOUT_SECONDS,
        preexec_fn=setup if os.name == "posix" else None,  # noqa: PLW1509
    )
    errors = "strict" if strict else "replace"
    return Run(
        result.returncode,
        result.stdout.decode("utf-8", errors),
        result.stderr.decode("utf-8", errors),
    )
