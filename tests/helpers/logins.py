"""Real Linux logins for the tests of a data folder several clerks share.

An office runs the tool over SSH with a login per clerk, all in one group. These tests
make that for real: a group and two users (useradd/groupadd), each with a home of its
own, and run `bluezone` as each with `runuser -u USER --`, with this venv's python.
Everything is removed after the module. Where the machine does not allow it (not root,
no useradd or runuser, or an interpreter another login cannot run, such as one kept
under a private home folder) the tests are skipped, with that reason.
"""

from __future__ import annotations

import contextlib
import grp
import os
import shutil
import stat
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from helpers.process import TIMEOUT_SECONDS, Run

TOOLS = ("useradd", "userdel", "groupadd", "groupdel", "runuser")


def why_not() -> str:
    """Why this machine cannot host the logins, or ""."""
    if os.name != "posix" or os.geteuid() != 0:
        return "making Linux users needs root (CI and the development machine run as root)"
    missing = [tool for tool in TOOLS if shutil.which(tool) is None]
    if missing:
        return f"no {', '.join(missing)} on this machine"
    return ""


@dataclass
class Office:
    """A group, its clerks (logins), and a folder they can all reach."""

    group: str
    clerks: tuple[str, ...]
    place: Path

    def env(self, extra: dict[str, str] | None = None) -> dict[str, str]:
        """The environment of a clerk's command: this one, less what would point every
        login at one place (a cache folder, a data folder), plus UTF-8."""
        env = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith(("BLUEZONE_", "XDG_", "TEXTUAL", "GIT_"))
        }
        env.update(LANG="C.UTF-8", PYTHONIOENCODING="utf-8")
        env.update(
            GIT_CONFIG_NOSYSTEM="1", GIT_CONFIG_GLOBAL="/dev/null"
        )  # no identity: login@host
        env.update(extra or {})
        return env

    def as_user(self, user: str | None, *command: str | Path) -> list[str]:
        """`command` run as `user` (None: as root, the administrator)."""
        words = [str(word) for word in command]
        return words if user is None else ["runuser", "-u", user, "--", *words]

    def run(self, user: str | None, *args: str | Path, env: dict[str, str] | None = None) -> Run:
        """`bluezone ARGS` as `user` (None: as root), from the shared place."""
        result = subprocess.run(
            self.as_user(user, sys.executable, "-m", "bluezone_tui", *args),
            capture_output=True,
            env=self.env(env),
            cwd=self.place,
            timeout=TIMEOUT_SECONDS,
        )
        return Run(
            result.returncode,
            result.stdout.decode("utf-8", "replace"),
            result.stderr.decode("utf-8", "replace"),
        )

    def shell(self, user: str | None, *command: str | Path) -> subprocess.CompletedProcess:
        return subprocess.run(
            self.as_user(user, *command),
            capture_output=True,
            text=True,
            env=self.env(),
            cwd=self.place,
            timeout=TIMEOUT_SECONDS,
        )


def _run(*command: str) -> None:
    subprocess.run(command, check=True, capture_output=True, timeout=60)


@contextlib.contextmanager
def office_logins(count: int = 2) -> Iterator[Office]:
    """A group and `count` clerks in it; skip (with the reason) where the machine cannot."""
    reason = why_not()
    if reason:
        pytest.skip(reason)
    tag = f"{os.getpid() % 1_000_000}"
    group = f"bzg{tag}"
    clerks = tuple(f"bzc{tag}{chr(ord('a') + i)}" for i in range(count))
    place = Path(tempfile.mkdtemp(prefix="bluezone-clerks-"))
    made_group, made_users = False, []
    try:
        place.chmod(0o755)  # the clerks reach the data folder made in it
        try:
            _run("groupadd", group)
            made_group = True
            for clerk in clerks:
                _run("useradd", "-m", "-s", "/bin/sh", "-G", group, clerk)
                made_users.append(clerk)
        except subprocess.CalledProcessError as exc:  # a read-only /etc, a name taken…
            reason = (exc.stderr or b"").decode("utf-8", "replace").strip()[-200:]
            pytest.skip(f"this machine would not make a test group and users: {reason}")
        office = Office(group, clerks, place)
        probe = office.shell(  # the interpreter, this project and the temp folder reachable
            clerks[0],
            sys.executable,
            "-c",
            f"import os, bluezone_tui, textual; os.listdir({str(place)!r})",
        )
        if probe.returncode != 0:
            pytest.skip(
                f"{sys.executable}, this project or {place} cannot be reached by another login "
                f"here: "
                f"{(probe.stderr or probe.stdout).strip()[-200:]}"
            )
        yield office
    finally:
        for clerk in made_users:
            subprocess.run(["userdel", "-r", clerk], capture_output=True, timeout=60)
        if made_group:
            subprocess.run(["groupdel", group], capture_output=True, timeout=60)
        shutil.rmtree(place, ignore_errors=True)


def not_the_groups(data: Path, gid: int) -> list[str]:
    """Everything in the folder the group cannot write as git's group sharing wants it
    (git's objects are read-only by design: only their folders count)."""
    wrong = []
    for folder, folders, files in os.walk(data):
        for name in [".", *folders, *files]:
            path = Path(folder) / name
            st = os.lstat(path)
            mode = stat.S_IMODE(st.st_mode)
            is_folder = stat.S_ISDIR(st.st_mode)
            read_only_object = "/objects/" in str(path) and not is_folder
            needs = 0o2070 if is_folder else (0o040 if read_only_object else 0o060)
            if st.st_gid != gid or mode & needs != needs:
                wrong.append(f"{path} {stat.filemode(st.st_mode)} gid={st.st_gid}")
    return wrong


@dataclass
class Groups:
    """An office's group, and a login with a group of its own (a user-private group, as
    `useradd` makes by default): nothing runs as them, messages name them."""

    office: str
    login: str  # its own group has its name

    @property
    def office_gid(self) -> int:
        return grp.getgrnam(self.office).gr_gid

    @property
    def own_gid(self) -> int:
        return grp.getgrnam(self.login).gr_gid


@contextlib.contextmanager
def office_group_and_private_login() -> Iterator[Groups]:
    """Groups made for one test (groupadd, useradd -U) and removed after; skipped, with
    the reason, where the machine cannot make them."""
    reason = why_not()
    if reason:
        pytest.skip(reason)
    tag = f"{os.getpid() % 1_000_000}"
    office, login = f"bzo{tag}", f"bzu{tag}"
    made_group = made_user = False
    try:
        try:
            _run("groupadd", office)
            made_group = True
            _run("useradd", "-U", "-M", "-s", "/bin/sh", login)
            made_user = True
        except subprocess.CalledProcessError as exc:
            reason = (exc.stderr or b"").decode("utf-8", "replace").strip()[-200:]
            pytest.skip(f"this machine would not make a test group and user: {reason}")
        yield Groups(office, login)
    finally:
        if made_user:
            subprocess.run(["userdel", login], capture_output=True, timeout=60)
            subprocess.run(["groupdel", login], capture_output=True, timeout=60)
        if made_group:
            subprocess.run(["groupdel", office], capture_output=True, timeout=60)
