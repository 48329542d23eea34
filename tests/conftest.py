"""Shared fixtures: the shipped registry and demo data, always copied into tmp_path.

Nothing here ever writes into the repository's own `submissions/` or `units.yaml`.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bluezone_tui.cli.main import main
from bluezone_tui.day.store import Store
from bluezone_tui.registry.load import load_registry
from bluezone_tui.registry.model import Registry
from helpers.data import REPO, SHIPPED_REGISTRY, SHIPPED_SUBMISSIONS, copy_shipped, snapshot
from helpers.offices import git_env, offices  # noqa: F401  (fixtures: real git, two clones)
from helpers.sms_gateway import sms_gateway  # noqa: F401  (fixture: an SMS gateway on 127.0.0.1)
from helpers.smtp import (  # noqa: F401  (fixtures: a real SMTP server on 127.0.0.1)
    certificate_authority,
    smtp_ssl,
    smtp_starttls,
)


@pytest.fixture(scope="session", autouse=True)
def shipped_data_untouched():
    """Every test changes copies: the repository's own submissions/, units.yaml and
    exports/ are the same after the run (in each xdist worker) as before it."""

    def state() -> tuple[dict[str, str], bytes, bool]:
        exports = REPO / "exports"
        return snapshot(SHIPPED_SUBMISSIONS), SHIPPED_REGISTRY.read_bytes(), exports.exists()

    before = state()
    yield
    assert state() == before, "a test wrote into the repository's own data"


@pytest.fixture(scope="session")
def shipped_registry() -> Registry:
    """The shipped units.yaml (read only)."""
    return load_registry(REPO)


@pytest.fixture
def empty_data(tmp_path: Path) -> Path:
    """A data folder with a copy of the shipped registry and no submissions."""
    data = tmp_path / "data"
    data.mkdir()
    shutil.copy(SHIPPED_REGISTRY, data / "units.yaml")
    (data / "submissions").mkdir()
    return data


@pytest.fixture
def demo_data(tmp_path: Path) -> Path:
    """A data folder with copies of the shipped registry and demo submissions."""
    return copy_shipped(tmp_path / "demo")


@pytest.fixture
def empty_store(empty_data: Path) -> Store:
    return Store(empty_data, load_registry(empty_data))


@pytest.fixture
def demo_store(demo_data: Path) -> Store:
    return Store(demo_data, load_registry(demo_data))


@pytest.fixture
def cli(capsys):
    """Run `bluezone ARGS…` in process; (exit code, stdout, stderr). Never a traceback,
    never the "unexpected error" line: anything a user can do has a message of its own."""

    def run(*args: str | Path) -> tuple[int, str, str]:
        code = main([str(a) for a in args])
        out, err = capsys.readouterr()
        assert "Traceback" not in err + out and "lỗi không mong đợi" not in err, err
        return code, out, err

    return run
