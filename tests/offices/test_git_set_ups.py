"""Issue 20's tester, git set-ups that are not the default: a view on a detached HEAD,
an origin whose branch is not `master`, `commit.gpgsign`, `core.autocrlf` on an import,
a pre-commit hook at sync. Real git: a bare origin and clones in temp folders."""

from __future__ import annotations

from helpers.offices import DAY, Office, git, identify, needs_git

pytestmark = needs_git
UNIT = "xa-long-khanh-b"
VIEW = ("--date", DAY, "--now", f"{DAY}T16:00")


# ----------------------------------------------------------------- detached HEAD


def test_views_on_a_detached_head_warn_with_the_way_back(offices):
    """status, export, remind and check showed the old commit's data silently."""
    district, _ = offices
    district.submit(UNIT, "14:30", "residents_installed=600")
    district.submit(UNIT, "14:35", "residents_installed=700")
    district.git("checkout", "--quiet", "--detach", "HEAD~1")
    for command in (
        ("status", *VIEW),
        ("export", "--format", "csv", *VIEW),
        ("remind", *VIEW),
        ("check", "--date", DAY),
    ):
        code, out, err = district.run(*command)
        assert code == 0, (command, err)
        assert "detached HEAD" in err and f"git -C {district.path} switch main" in err, command
        assert "cảnh báo" in err, command
    district.git("switch", "--quiet", "main")
    code, out, err = district.run("status", *VIEW)
    assert code == 0 and "detached HEAD" not in err


# ----------------------------------------------------------------- the origin's branch


def _git_bytes(cwd, *args):
    import subprocess

    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, check=True).stdout


def _init_office(path, capsys, district="Hồng Ngự"):
    from bluezone_tui.cli.main import main
    from helpers.offices import Office, identify

    code = main(["init", str(path), "--district", district])
    capsys.readouterr()
    assert code == 0
    identify(path, path.name)
    return Office(path, path.name, capsys)


def _branches(origin):
    return sorted(git(origin, "for-each-ref", "--format=%(refname:short)", "refs/heads").split())


def test_an_origin_whose_branch_is_main_gets_one_history(tmp_path, git_env, capsys):
    """First office (git's default branch: master) into an empty `init --bare -b main`
    origin, second office a clone: two unrelated histories, both "Đã đồng bộ"."""
    origin = tmp_path / "origin.git"
    git(tmp_path, "init", "--quiet", "--bare", "-b", "main", str(origin))
    first = _init_office(tmp_path / "huyen", capsys)
    first.git("branch", "-M", "master")
    first.git("remote", "add", "origin", str(origin))
    code, out, err = first.sync()
    assert code == 0, err
    held = _branches(origin)
    assert len(held) == 1
    second_path = tmp_path / "tinh"
    git(tmp_path, "clone", "--quiet", str(origin), str(second_path), check=False)
    identify(second_path, "tinh")
    if not (second_path / "units.yaml").exists():  # git could not tell the origin's HEAD
        from bluezone_tui.cli.main import main

        code = main(["init", str(second_path)])
        _, err = capsys.readouterr()
        assert code == 1 and f"switch {held[0]}" in err
        assert not (second_path / "units.yaml").exists()
        git(second_path, "switch", "--quiet", held[0])
    second = Office(second_path, "tinh", capsys)
    second.git("commit", "--quiet", "--allow-empty", "-m", "của tỉnh")
    code, out, err = second.sync()
    assert code == 0, err
    assert _branches(origin) == held
    code, out, err = first.sync()
    assert code == 0 and "của tỉnh" in first.log()


def test_a_second_init_beside_an_origin_is_refused_not_pushed(tmp_path, git_env, capsys):
    """A new office joining an origin whose data is on `trunk` pushed a new master."""
    origin = tmp_path / "origin.git"
    git(tmp_path, "init", "--quiet", "--bare", "-b", "trunk", str(origin))
    first = _init_office(tmp_path / "huyen", capsys)
    first.git("branch", "-M", "trunk")
    first.git("remote", "add", "origin", str(origin))
    assert first.sync()[0] == 0
    newcomer = _init_office(tmp_path / "moi", capsys, "Tháp Mười")
    newcomer.git("branch", "-M", "master")
    newcomer.git("remote", "add", "origin", str(origin))
    code, out, err = newcomer.sync()
    assert code == 2, (out, err, _branches(origin))
    assert "không có gốc chung" in err and "origin/trunk" in err and "git clone" in err
    assert "--allow-unrelated-histories" in err
    assert _branches(origin) == ["trunk"]


def test_a_clone_whose_upstream_vanished_follows_the_origins_only_branch(offices, tmp_path):
    district, province = offices
    origin = tmp_path / "origin.git"
    git(origin, "branch", "-m", "main", "du-lieu")
    git(origin, "symbolic-ref", "HEAD", "refs/heads/du-lieu")
    district.submit(UNIT, "14:30", "residents_installed=600")
    code, out, err = district.sync()
    assert code == 0 and "origin/du-lieu" in out, err
    assert _branches(origin) == ["du-lieu"]
    assert province.sync()[0] == 0 and province.file(DAY, UNIT).exists()


def test_several_branches_none_named_is_refused_naming_them(offices, tmp_path):
    district, _ = offices
    origin = tmp_path / "origin.git"
    git(origin, "branch", "-m", "main", "a")
    git(origin, "branch", "b", "a")
    git(origin, "symbolic-ref", "HEAD", "refs/heads/khong-co")
    district.git("config", "--unset", "branch.main.merge")
    district.git("config", "--unset", "branch.main.remote")
    district.git("update-ref", "-d", "refs/remotes/origin/HEAD")
    district.submit(UNIT, "14:30", "residents_installed=600")
    code, out, err = district.sync()
    assert code == 2 and "«origin/a»" in err and "«origin/b»" in err
    assert "--set-upstream-to" in err
    assert _branches(origin) == ["a", "b"]


# ----------------------------------------------------------------- commit.gpgsign

FAKE_GPG = (
    "#!/bin/sh\n"
    "cat >/dev/null\n"
    "printf '\\n[GNUPG:] SIG_CREATED D 1 8 00 0 0\\n' >&2\n"
    "printf -- '-----BEGIN PGP SIGNATURE-----\\n\\nZmFrZQ==\\n-----END PGP SIGNATURE-----\\n'\n"
)


def test_commit_gpgsign_is_honoured_by_a_save(offices, tmp_path):
    """commit-tree ignores commit.gpgsign: the save's commit went out unsigned."""
    district, _ = offices
    gpg = tmp_path / "gpg"
    gpg.write_text(FAKE_GPG)
    gpg.chmod(0o755)
    district.git("config", "commit.gpgsign", "true")
    district.git("config", "gpg.program", str(gpg))
    district.submit(UNIT, "14:30", "residents_installed=600")
    assert "gpgsig " in district.git("cat-file", "commit", "HEAD")


def test_commit_gpgsign_without_a_key_is_named_and_leaves_no_merge(offices):
    """The save committed unsigned, sync failed with git's English and left MERGE_HEAD,
    and submit then spoke of conflicts that were not there."""
    district, province = offices
    district.submit(UNIT, "14:30", "residents_installed=600")
    province.submit("xa-thuong-lac", "14:31", "residents_installed=300")
    assert province.sync()[0] == 0
    district.git("config", "commit.gpgsign", "true")
    district.git("config", "gpg.program", "false")
    code, out, err = district.sync()  # the merge commit cannot be signed
    assert code == 2 and "commit.gpgsign" in err and "commit.gpgsign false" in err, err
    assert "chưa gộp gì" in err
    assert not (district.path / ".git" / "MERGE_HEAD").exists()
    before = district.git("rev-parse", "HEAD")
    code, out, err = district.submit(UNIT, "14:40", "residents_installed=700", check=False)
    assert code == 1 and "commit.gpgsign" in err and "xung đột" not in err, err
    assert district.figures(UNIT)["figures"]["residents_installed"] == 700  # saved, not committed
    assert district.git("rev-parse", "HEAD") == before
    code, out, err = district.sync()
    assert code == 2 and "commit.gpgsign" in err
    assert not (district.path / ".git" / "MERGE_HEAD").exists()
    district.git("config", "commit.gpgsign", "false")
    code, out, err = district.sync()
    assert code == 0, err
    assert (
        province.sync()[0] == 0 and province.figures(UNIT)["figures"]["residents_installed"] == 700
    )


# ----------------------------------------------------------------- core.autocrlf


def test_an_import_under_autocrlf_commits_only_the_changed_line(offices, tmp_path):
    """`units import --update` committed units.yaml with git's CRLF: 189/189 lines."""
    district, province = offices
    district.git("config", "core.autocrlf", "true")
    (district.path / "units.yaml").unlink()
    district.git("checkout", "--", "units.yaml")
    assert b"\r\n" in (district.path / "units.yaml").read_bytes()  # git's, in the work tree
    sheet = tmp_path / "dan-so.csv"
    sheet.write_text("Mã,Tên đơn vị,Dân số\nxa-long-khanh-b,Xã Long Khánh B,8800\n", "utf-8")
    code, out, err = district.run(
        "units", "import", sheet, "--group", "commune", "--update", "--yes"
    )
    assert code == 0, err
    assert district.git("show", "--numstat", "--format=", "HEAD").split() == [
        "1", "1", "units.yaml"
    ]  # fmt: skip
    assert b"\r\n" not in _git_bytes(district.path, "show", "HEAD:units.yaml")
    assert district.git("status", "--porcelain") == ""
    assert district.sync()[0] == 0 and province.sync()[0] == 0
    assert b"\r\n" not in (province.path / "units.yaml").read_bytes()


def test_a_units_yaml_committed_with_crlf_keeps_them(offices, tmp_path):
    district, _ = offices
    registry = district.path / "units.yaml"
    registry.write_bytes(registry.read_bytes().replace(b"\n", b"\r\n"))
    district.git("commit", "--quiet", "-am", "CRLF")
    sheet = tmp_path / "dan-so.csv"
    sheet.write_text("Mã,Tên đơn vị,Dân số\nxa-long-khanh-b,Xã Long Khánh B,8800\n", "utf-8")
    code, out, err = district.run(
        "units", "import", sheet, "--group", "commune", "--update", "--yes"
    )
    assert code == 0, err
    assert district.git("show", "--numstat", "--format=", "HEAD").split() == [
        "1", "1", "units.yaml"
    ]  # fmt: skip


# ----------------------------------------------------------------- resolve's advice


def test_resolve_names_the_option_for_the_reported_time_and_it_works(offices):
    """«ghi giá trị cuối cùng (reported_at=…)», while reported_at=… is refused."""
    district, province = offices
    district.submit(UNIT, "14:40", "residents_installed=433", "--reported-at", "14:30")
    assert district.sync()[0] == 0 and province.sync()[0] == 0
    district.submit(
        UNIT, "15:02", "residents_installed=450", "--note", "huyện", "--reported-at", "14:50"
    )
    province.submit(
        UNIT, "15:05", "residents_installed=445", "--note", "tỉnh", "--reported-at", "14:55"
    )
    assert province.sync()[0] == 0
    assert district.sync()[0] == 1
    now = ("--now", f"{DAY}T16:10")
    code, out, err = district.run("resolve", UNIT, "--date", DAY, "residents_installed=448", *now)
    assert code == 1
    assert "(--reported-at GIỜ)" in err and "(--note GHI_CHÚ)" in err, err
    assert "reported_at=…" not in err and "note=…" not in err
    code, out, err = district.run(
        "resolve", UNIT, "--date", DAY, "residents_installed=448", "--reported-at", "15:05",
        "--note", "đã thống nhất", *now,
    )  # fmt: skip
    assert code == 0, err


# ----------------------------------------------------------------- a hook at sync

REWRITING_HOOK = (
    "f=submissions/*/xa-long-khanh-b.toml\n"
    "sed -i 's/residents_installed = 700/residents_installed = 1700/' $f\n"
    "git add $f\n"
)


def test_sync_after_a_rewriting_hook_says_what_and_how_once(offices):
    """exit 2 outside the sync table, the save's message repeated, «bluezone sync» twice."""
    district, province = offices
    hook = district.path / ".git" / "hooks" / "pre-commit"
    hook.write_text("#!/bin/sh\n" + REWRITING_HOOK)
    hook.chmod(0o755)
    code, out, err = district.submit(UNIT, "14:30", "residents_installed=700", check=False)
    assert code == 1 and err.count("bluezone sync") == 1, err
    code, out, err = district.sync()
    assert code == 2 and out == ""
    assert "chưa đồng bộ gì" in err and "hook pre-commit" in err and "đã sửa" in err
    assert "đã lưu, nhưng" not in err and err.count("bluezone sync") == 0, err
    assert "chạy lại lệnh đồng bộ" in err
    hook.unlink()
    code, out, err = district.sync()
    assert code == 0, err
    assert province.sync()[0] == 0
    assert province.figures(UNIT)["figures"]["residents_installed"] == 700


def test_the_sync_table_lists_a_save_git_would_not_commit():
    from helpers.data import REPO

    table = (REPO / "docs" / "offices-and-git.md").read_text(encoding="utf-8")
    assert "| 2 | a save git would not commit" in table
