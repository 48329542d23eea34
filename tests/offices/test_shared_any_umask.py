"""A shared data folder stays the group's whatever each clerk's umask: every file and
folder the tool makes (day folders, unit files, exports, the lock and its state under
.git/bluezone, outbox records, signed files, what a sync brings in, the registry cache
where it lies in the folder) is checked by its mode bits and group, so these hold as
root (who ignores permissions) as well as for a plain login. No second login needed:
the folder is given to this login's own group (`init --shared`)."""

from __future__ import annotations

import grp
import os
import shutil
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from bluezone_tui.base.sharing import sharing_problems
from bluezone_tui.cli.main import main
from bluezone_tui.registry import cache as registry_cache
from bluezone_tui.registry.load import load_registry
from helpers.certificates import PASSWORD as KEY_PASSWORD
from helpers.certificates import SIGNER, make_authority
from helpers.data import SHIPPED_SUBMISSIONS
from helpers.logins import not_the_groups
from helpers.offices import DAY, Office, clone, git, identify, make_origin, needs_git, registry_text
from helpers.smtp import PASSWORD, with_server

pytestmark = needs_git
GID = os.getegid()
GROUP = grp.getgrgid(GID).gr_name


@contextmanager
def umask(value: int) -> Iterator[None]:
    old = os.umask(value)
    try:
        yield
    finally:
        os.umask(old)


def share(office: Office) -> None:
    """`bluezone init DIR --shared GROUP` on the office's folder (its registry kept)."""
    code, out, err = office.run("init", office.path, "--shared", GROUP)
    assert code == 0, err
    assert f"dùng chung cho nhóm «{GROUP}»" in out
    assert git(office.path, "config", "core.sharedRepository").strip() == "group"
    assert not_the_groups(office.path, GID) == []


def all_the_groups(data: Path) -> None:
    """Every entry's mode bits and group as git's group sharing wants them, and `check`
    (its sharing part) has nothing to say."""
    assert not_the_groups(data, GID) == []
    assert sharing_problems(data) == []


@pytest.fixture
def two_offices(tmp_path, git_env, smtp_ssl, capsys, monkeypatch):
    origin, _ = make_origin(tmp_path, with_server(registry_text("git"), smtp_ssl))
    district = clone(origin, tmp_path / "huyen", "huyen", capsys)
    province = clone(origin, tmp_path / "tinh", "tinh", capsys)
    monkeypatch.setenv("BLUEZONE_SMTP_PASSWORD", PASSWORD)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    return district, province, smtp_ssl


@pytest.mark.parametrize("login_umask", [0o077, 0o022], ids=["umask-077", "umask-022"])
def test_saves_corrections_exports_sends_and_syncs_are_the_groups(
    two_offices, tmp_path, login_umask
):
    district, province, server = two_offices
    share(district)
    province.submit("xa-long-khanh-a", "14:30", "residents_installed=500")
    assert province.sync("14:31")[0] == 0
    pdf = tmp_path / "bao-cao-da-ky.pdf"
    pdf.write_bytes(b"%PDF-1.7\nsigned\n%%EOF\n")
    with umask(login_umask):
        district.submit("xa-long-khanh-b", "14:40", "residents_installed=433")
        district.submit("xa-long-khanh-b", "14:45", "residents_installed=434")  # corrected
        district.submit("xa-thuong-lac", "14:46", "residents_installed=200")
        for form in ("csv", "xlsx", "text"):
            code, _, err = district.run(
                "export", "--date", DAY, "--now", f"{DAY}T15:30", "--format", form
            )
            assert code == 0, err
        code, _, err = district.sync("15:40")  # brings in the province's save (git's merge)
        assert code == 0, err
        code, _, err = district.run("send", "--date", DAY, "--now", f"{DAY}T16:05", "--file", pdf)
        assert code == 0, err
    assert len(server.received) == 2
    data = district.path
    made = [
        data / "submissions" / DAY,
        data / "submissions" / DAY / "xa-long-khanh-b.toml",
        data / "submissions" / DAY / "xa-long-khanh-a.toml",  # written by git's merge
        data / ".git" / "bluezone" / "lock",
        data / "exports",
        data / "outbox" / DAY,
    ]
    for path in made:
        assert path.exists(), path
    assert list((data / "exports").iterdir()) and list((data / "outbox" / DAY).glob("*.toml"))
    assert stat.S_IMODE((data / "submissions" / DAY).stat().st_mode) & 0o2070 == 0o2070
    all_the_groups(data)


@pytest.fixture(scope="module")
def authority():
    return make_authority()


def test_a_signed_report_and_its_export_are_the_groups(
    tmp_path, git_env, capsys, monkeypatch, authority
):
    data = tmp_path / "van-phong"
    data.mkdir()
    text = registry_text("git").replace('signer_name: ""', f'signer_name: "{SIGNER}"')
    (data / "units.yaml").write_text(text, encoding="utf-8")
    shutil.copytree(SHIPPED_SUBMISSIONS, data / "submissions")
    (data / ".gitignore").write_text("exports/\n")
    git(data, "init", "--quiet", "--initial-branch=main")
    identify(data, "huyen")
    git(data, "add", ".")
    git(data, "commit", "--quiet", "-m", "Khởi tạo")
    office = Office(data, "huyen", capsys)
    share(office)
    key = tmp_path / "phong.p12"
    key.write_bytes(authority.pkcs12())
    monkeypatch.setenv("BLUEZONE_SIGN_PASSWORD", KEY_PASSWORD)
    with umask(0o077):
        code, _, err = office.run(
            "export", "--date", DAY, "--now", f"{DAY}T16:00", "--format", "pdf"
        )
        assert code == 0, err
        code, _, err = office.run("sign", "--date", DAY, "--now", f"{DAY}T16:10", "--pkcs12", key)
        assert code == 0, err
    assert list((data / "sent" / DAY).glob("*.pdf"))
    all_the_groups(data)


def test_init_shared_makes_a_new_folder_the_groups_whatever_the_umask(tmp_path, git_env, capsys):
    data = tmp_path / "moi"
    with umask(0o077):
        assert main(["init", str(data), "--district", "Huyện Tân Hồng", "--shared", GROUP]) == 0
    capsys.readouterr()
    assert stat.S_IMODE(data.stat().st_mode) == 0o2770
    all_the_groups(data)


def test_the_registry_cache_follows_the_folder_it_lies_in(tmp_path, monkeypatch):
    """The cache is each login's own (~/.cache, 0600); kept in a shared folder (an
    office that points XDG_CACHE_HOME there), it is the group's like the rest."""
    registry = tmp_path / "data"
    registry.mkdir()
    head = registry_text("git").split("\nunits:")[0]
    units = "".join(
        f"  - id: xa-{i:05d}\n    name: Xã Thử {i:05d}\n    group: commune\n"
        f"    population: {10_000 + i}\n    hamlets: [Ấp 1, Ấp 2, Ấp Long Thạnh]\n"
        for i in range(2500)
    )
    (registry / "units.yaml").write_text(head + "\nunits:\n" + units, encoding="utf-8")
    assert (registry / "units.yaml").stat().st_size >= registry_cache.MIN_BYTES
    monkeypatch.delenv("BLUEZONE_CACHE", raising=False)

    private = tmp_path / "home-cache"
    monkeypatch.setenv("XDG_CACHE_HOME", str(private))
    with umask(0o022):
        load_registry(registry)
    [file] = (private / "bluezone-tui").glob("registry-*.json")
    assert stat.S_IMODE(file.stat().st_mode) == 0o600
    assert stat.S_IMODE((private / "bluezone-tui").stat().st_mode) == 0o700

    os.chmod(registry, 0o2775)  # a shared folder (group-writable), the cache kept inside it
    inside = registry / ".cache"
    monkeypatch.setenv("XDG_CACHE_HOME", str(inside))
    with umask(0o077):
        load_registry(registry)
    [file] = (inside / "bluezone-tui").glob("registry-*.json")
    assert stat.S_IMODE(file.stat().st_mode) == 0o660
    assert stat.S_IMODE((inside / "bluezone-tui").stat().st_mode) & 0o2070 == 0o2070
