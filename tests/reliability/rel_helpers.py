"""Helpers of the reliability suite: the CLI as a bounded process, and file snapshots."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from bz_helpers import REPO, SHIPPED_REGISTRY, SHIPPED_SUBMISSIONS

# Every CLI run is bounded: a hostile input must neither hang nor eat the machine.
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


def run_cli(*args: str | Path, env: dict[str, str] | None = None, cwd: Path | None = None) -> Run:
    """`python -m bluezone_tui ARGS` with a timeout and an address-space limit."""
    full_env = {k: v for k, v in os.environ.items() if k not in ("BLUEZONE_DATA", "BLUEZONE_DEBUG")}
    full_env["PYTHONIOENCODING"] = "utf-8"
    full_env.update(env or {})
    result = subprocess.run(
        [sys.executable, "-m", "bluezone_tui", *map(str, args)],
        capture_output=True,
        env=full_env,
        cwd=cwd or REPO,
        timeout=TIMEOUT_SECONDS,
        preexec_fn=_limit_memory if os.name == "posix" else None,  # noqa: PLW1509
    )
    return Run(
        result.returncode,
        result.stdout.decode("utf-8", "replace"),
        result.stderr.decode("utf-8", "replace"),
    )


def copy_shipped(target: Path) -> Path:
    """A data folder with copies of the shipped registry and demo submissions."""
    target.mkdir(parents=True, exist_ok=True)
    shutil.copy2(SHIPPED_REGISTRY, target / "units.yaml")
    shutil.copytree(SHIPPED_SUBMISSIONS, target / "submissions")
    return target


def snapshot(root: Path) -> dict[str, str]:
    """relative path -> sha256 of every regular file under root (symlinks not followed)."""
    found = {}
    for dirpath, _dirs, files in os.walk(root):
        for name in files:
            path = Path(dirpath) / name
            if path.is_symlink() or not path.is_file():
                continue
            found[str(path.relative_to(root))] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found
