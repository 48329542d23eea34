"""Offices sharing one git repository, for the history, sync and conflict tests.

Real git in temp folders: a bare "origin" and clones (the district office, the
province). Every repository sets its own user.name/email and the global and system git
config are switched off, so nothing depends on (or touches) the machine's git setup or
this project's own repository.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tomllib
from dataclasses import dataclass
from pathlib import Path

import pytest

from bluezone_tui.cli.main import main
from helpers.data import DEMO_DAY, SHIPPED_REGISTRY

GIT = shutil.which("git")
needs_git = pytest.mark.skipif(GIT is None, reason="git is not installed on this machine")
DAY = DEMO_DAY.isoformat()  # the day the offices' tests key figures on


def git(cwd: Path, *args: str, check: bool = True) -> str:
    result = subprocess.run(
        [GIT or "git", *args], cwd=cwd, capture_output=True, text=True, timeout=60
    )
    if check and result.returncode != 0:
        raise AssertionError(f"git {' '.join(args)} failed: {result.stderr}")
    return result.stdout


def registry_text(history: str | None = "git", extra: str = "") -> str:
    """The shipped registry with `history:` set (None: the line removed)."""
    text = SHIPPED_REGISTRY.read_text(encoding="utf-8")
    line = next(line for line in text.splitlines() if line.startswith("history:"))
    replacement = f"history: {history}" if history is not None else ""
    return text.replace(line, replacement + extra)


@dataclass
class Office:
    """One clone of the data: its folder, and the bluezone command run in it."""

    path: Path
    name: str
    capsys: pytest.CaptureFixture

    def run(self, *args: str | Path) -> tuple[int, str, str]:
        code = main(["--data", str(self.path), *map(str, args)])
        out, err = self.capsys.readouterr()
        assert "Traceback" not in err and "Traceback" not in out, err
        return code, out, err

    def git(self, *args: str, check: bool = True) -> str:
        return git(self.path, *args, check=check)

    def file(self, day: str, unit_id: str) -> Path:
        return self.path / "submissions" / day / f"{unit_id}.toml"

    def log(self, *args: str) -> list[str]:
        return self.git("log", "--format=%s", *args).splitlines()

    def submit(
        self, unit: str, now: str, *values: str, who: str | None = None, check: bool = True
    ) -> tuple[int, str, str]:
        """`bluezone submit UNIT VALUES` on DAY at `now` (HH:MM), keyed by `who` if given;
        with `check`, it must succeed."""
        args = ["submit", unit, "--date", DAY, "--now", f"{DAY}T{now}", *values]
        if who:
            args += ["--entered-by", who]
        code, out, err = self.run(*args)
        if check:
            assert code == 0, err
        return code, out, err

    def sync(self, now: str = "16:00") -> tuple[int, str, str]:
        """`bluezone sync` at `now` (HH:MM) on DAY, not checked."""
        return self.run("sync", "--now", f"{DAY}T{now}")

    def figures(self, unit: str) -> dict:
        """`unit`'s file for DAY, parsed."""
        return tomllib.loads(self.file(DAY, unit).read_text(encoding="utf-8"))


@pytest.fixture
def git_env(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):
    """No global or system git config: each repository says who it is."""
    if GIT is None:
        pytest.skip("git is not installed on this machine")
    empty = tmp_path_factory.mktemp("gitconfig") / "config"
    empty.write_text("")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(empty))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    for name in ("GIT_DIR", "GIT_WORK_TREE", "GIT_AUTHOR_NAME", "GIT_COMMITTER_NAME"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("USER", "thu.ky")  # the login user, as getpass sees it
    monkeypatch.setenv("LOGNAME", "thu.ky")
    return empty


def identify(path: Path, name: str) -> None:
    git(path, "config", "user.name", name)
    git(path, "config", "user.email", f"{name}@hongngu.example")


def make_origin(tmp_path: Path, registry: str | None = None) -> tuple[Path, Path]:
    """A bare origin holding a first commit of a data folder; returns (origin, seed)."""
    origin = tmp_path / "origin.git"
    git(tmp_path, "init", "--quiet", "--bare", "--initial-branch=main", str(origin))
    seed = tmp_path / "seed"
    seed.mkdir()
    (seed / "units.yaml").write_text(registry or registry_text(), encoding="utf-8")
    (seed / "submissions").mkdir()
    (seed / "submissions" / ".gitkeep").write_text("")
    (seed / ".gitignore").write_text("exports/\n")
    git(seed, "init", "--quiet", "--initial-branch=main")
    identify(seed, "seed")
    git(seed, "add", ".")
    git(seed, "commit", "--quiet", "-m", "Khởi tạo")
    git(seed, "remote", "add", "origin", str(origin))
    git(seed, "push", "--quiet", "-u", "origin", "main")
    return origin, seed


def clone(origin: Path, path: Path, name: str, capsys: pytest.CaptureFixture) -> Office:
    git(origin.parent, "clone", "--quiet", str(origin), str(path))
    identify(path, name)
    return Office(path, name, capsys)


@pytest.fixture
def offices(tmp_path: Path, git_env, capsys: pytest.CaptureFixture) -> tuple[Office, Office]:
    """The district office and the province, two clones of one origin."""
    origin, _seed = make_origin(tmp_path)
    district = clone(origin, tmp_path / "huyen", "huyen", capsys)
    province = clone(origin, tmp_path / "tinh", "tinh", capsys)
    return district, province


def environment_without_git(tmp_path: Path) -> dict[str, str]:
    """PATH with python but no git: for a machine where git is missing."""
    folder = tmp_path / "bin-without-git"
    folder.mkdir(exist_ok=True)
    return {**os.environ, "PATH": str(folder)}
