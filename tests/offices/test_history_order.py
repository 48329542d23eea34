"""`history` lists a file's versions in the order `git log --author-date-order --reverse`
gives them, without having git sort the whole history (git/log_order.py): the same
versions, fields and order as that log on histories built to tell orders apart (merges,
equal author times, author dates older than a parent's, commits that are not versions
deciding which of two versions comes first, shallow clones), and the same text from
`bluezone history` after two offices saved, synced, resolved and withdrew."""

from __future__ import annotations

import random
import subprocess
from pathlib import Path

import pytest

from bluezone_tui.git import history, log_order
from bluezone_tui.git.command import Git
from helpers.offices import DAY, git, needs_git
from helpers.random_history import FILE, build

pytestmark = needs_git


def git_sorted_log(repository_git: Git, relative: str, since: str | None = None) -> list[list[str]]:
    """The log as history read it before: git sorting the whole walk by author date."""
    spec = [f"{since}..HEAD"] if since else ["HEAD"]
    log = repository_git.run(
        "log", "--full-history", "--simplify-merges", "--parents", "--author-date-order",
        "--reverse", f"--format={history._FORMAT}", *spec, "--", relative,
    ).text  # fmt: skip
    return [r.strip("\n").split("\x1f") for r in log.split("\x1e") if r.strip("\n")]


@pytest.fixture
def sorts(monkeypatch):  # type: ignore[no-untyped-def]
    """How often git was asked to sort (versions side by side), and with how many roots."""
    seen: dict[str, int] = {"sorts": 0, "roots": 0}
    sort, below = log_order._author_date_order, log_order._below_every_root

    def counted_sort(*args):  # type: ignore[no-untyped-def]
        seen["sorts"] += 1
        return sort(*args)

    def counted_below(repository_git: Git, roots: list[str]) -> list[str]:
        seen["roots"] += len(roots) > 1
        return below(repository_git, roots)

    monkeypatch.setattr(log_order, "_author_date_order", counted_sort)
    monkeypatch.setattr(log_order, "_below_every_root", counted_below)
    return seen


def test_the_order_is_gits_on_random_histories(tmp_path, git_env, sorts):
    """40 histories (merges, equal and out-of-order author dates, skewed committer
    dates), each from HEAD and after one of its commits; then shallow clones of some."""
    path = tmp_path / "random"
    names = build(path, range(40))
    repository_git = Git(path)
    cases = 0
    for name in names:
        git(path, "symbolic-ref", "HEAD", f"refs/heads/{name}")
        since = random.Random(name).choice(git(path, "rev-list", "HEAD").split())
        for start in (None, since):
            expected = git_sorted_log(repository_git, FILE, start)
            assert history.log_of(repository_git, FILE, start) == expected, (name, start)
            cases += len(expected) > 1
    assert cases > 60
    assert sorts["sorts"] > 20 and sorts["roots"] > 5  # side by side; several roots
    for name in names[:6]:
        shallow = tmp_path / f"shallow-{name}"
        git(
            tmp_path,
            "clone",
            "--quiet",
            "--depth=4",
            "--branch",
            name,
            f"file://{path}",
            str(shallow),
        )
        assert history.log_of(Git(shallow), FILE) == git_sorted_log(Git(shallow), FILE), name


# Two offices keyed the file, each on its own branch; a sync merged them. The versions
# K1 (authored at minute 1) and K2 (minute 50) are side by side, and commits that are
# not versions decide which comes first: git takes out M, then T1 (minute 100), then K1
# (minute 1) before T2 (under a minute), so K2 comes out last: oldest first K0, K2, K1,
# M. Sorting the four versions alone would give K0, K1, K2, M.
DECIDED_BY_OTHERS = """\
commit refs/heads/main
mark :1
author a <a@x> 1597906800 +0700
committer c <c@x> 1597906800 +0700
data 3
K0
M 100644 inline {file}
data 3
433

commit refs/heads/side
mark :2
author a <a@x> 1597906860 +0700
committer c <c@x> 1597906860 +0700
data 3
K1
from :1
M 100644 inline {file}
data 3
450

commit refs/heads/side
mark :3
author a <a@x> 1597912800 +0700
committer c <c@x> 1597912800 +0700
data 3
T1
from :2
M 100644 inline other
data 1
1

commit refs/heads/main
mark :4
author a <a@x> 1597909800 +0700
committer c <c@x> 1597909800 +0700
data 3
K2
from :1
M 100644 inline {file}
data 3
445

commit refs/heads/main
mark :5
author a <a@x> 1597906830 +0700
committer c <c@x> 1597906830 +0700
data 3
T2
from :4
M 100644 inline other
data 1
2

commit refs/heads/main
mark :6
author a <a@x> 1597918800 +0700
committer c <c@x> 1597918800 +0700
data 2
M
from :5
merge :3
M 100644 inline {file}
data 3
700

"""


def _repository(tmp_path: Path, stream: str) -> Git:
    path = tmp_path / "repository"
    git(tmp_path, "init", "--quiet", "--initial-branch=main", str(path))
    subprocess.run(["git", "fast-import", "--quiet"], cwd=path, input=stream.encode(), check=True)
    return Git(path)


def test_commits_that_are_not_versions_decide_the_order(tmp_path, git_env, sorts):
    repository_git = _repository(tmp_path, DECIDED_BY_OTHERS.format(file=FILE))
    found = history.log_of(repository_git, FILE)
    assert [r[6] for r in found] == ["K0", "K2", "K1", "M"]
    assert found == git_sorted_log(repository_git, FILE)
    assert sorts["sorts"] == 1


def test_equal_author_times_keep_gits_order(tmp_path, git_env):
    """Every commit authored in the same second: git's ties (the first queued first)."""
    stream = DECIDED_BY_OTHERS.format(file=FILE)
    for stamp in ("1597906860", "1597912800", "1597909800", "1597906830", "1597918800"):
        stream = stream.replace(f"author a <a@x> {stamp}", "author a <a@x> 1597906800")
    repository_git = _repository(tmp_path, stream)
    found = history.log_of(repository_git, FILE)
    assert found == git_sorted_log(repository_git, FILE)
    assert [r[6] for r in found] == ["K0", "K1", "K2", "M"]


def test_a_walk_stopped_too_high_loses_no_version(tmp_path, git_env, monkeypatch):
    """Were the bottom of the walk ever above a version, the whole history is sorted."""
    repository_git = _repository(tmp_path, DECIDED_BY_OTHERS.format(file=FILE))
    monkeypatch.setattr(log_order, "_below_every_root", lambda _git, roots: ["HEAD^"])
    found = history.log_of(repository_git, FILE)
    assert [r[6] for r in found] == ["K0", "K2", "K1", "M"]


# ------------------------------------------------------------------- two offices, for real

UNITS = ("xa-long-khanh-b", "xa-thuong-lac", "xa-long-thuan", "xa-phu-thuan-a")


def _outputs(offices, monkeypatch, before: bool) -> list[str]:
    """`history` of every unit in both offices, and `--since-sent`; `before`: with the
    log sorted whole by git, as history read it before."""
    with monkeypatch.context() as patch:
        if before:
            patch.setattr(history, "log_of", git_sorted_log)
        shown = []
        for office in offices:
            for unit in UNITS:
                code, out, err = office.run("history", unit, "--date", DAY)
                shown.append(f"{office.name} {unit} {code}\n{out}{err}")
            code, out, err = office.run("history", "--date", DAY, "--since-sent")
            shown.append(f"{office.name} since-sent {code}\n{out}{err}")
    return shown


def test_two_offices_history_reads_as_before(offices, monkeypatch, tmp_path, sorts):
    district, province = offices
    a, b, c, d = UNITS
    # several revisions, then both offices correct `a` in the same minute: a conflict
    district.submit(a, "14:40", "residents_installed=433", "--reported-at", "14:30", who="lan")
    district.submit(a, "14:50", "residents_installed=440", who="lan")
    assert district.sync()[0] == 0 and province.sync()[0] == 0
    district.submit(a, "15:02", "residents_installed=450", who="lan")
    province.submit(a, "15:02", "residents_installed=445", who="minh")
    # `b` keyed in both offices before any sync (two first versions); the province's
    # clock is behind: its save is authored before the district's first one
    district.submit(b, "15:10", "residents_installed=700", who="lan")
    district.submit(b, "15:20", "residents_installed=710", who="lan")
    province.submit(b, "14:05", "residents_installed=705", who="minh")
    # `c` reported, withdrawn, reported again; `d` once
    district.submit(c, "14:20", "residents_installed=300", who="lan")
    district.run("withdraw", c, "--date", DAY, "--now", f"{DAY}T14:25", "--reason", "nhầm xã")
    district.submit(c, "14:30", "residents_installed=310", who="lan")
    province.submit(d, "14:35", "residents_installed=120", who="minh")
    target = tmp_path / "sent.txt"
    code, _, err = district.run(
        "export", "--date", DAY, "--now", f"{DAY}T15:25", "--output", target, "--mark-sent"
    )
    assert code == 0, err
    assert province.sync("15:30")[0] == 0
    assert district.sync("15:31")[0] == 1  # `a` and `b` conflict
    for unit, how in (
        (a, ("--keep", "theirs")),
        (b, ("residents_installed=711", "--reported-at", "15:00")),
    ):
        code, _, err = district.run(
            "resolve", unit, *how, "--date", DAY, "--now", f"{DAY}T15:40", "--entered-by", "hung",
        )  # fmt: skip
        assert code == 0, err
    assert district.sync("15:45")[0] == 0 and province.sync("15:46")[0] == 0
    province.submit(d, "15:50", "residents_installed=125", "--reason", "xã báo lại", who="minh")
    district.submit(c, "15:50", "residents_installed=315", "--reason", "xã báo lại", who="lan")
    assert province.sync("15:55")[0] == 0 and district.sync("15:56")[0] == 0
    (district.file(DAY, d)).write_text(
        district.file(DAY, d).read_text(encoding="utf-8").replace("125", "126"), encoding="utf-8"
    )  # a hand edit not yet committed: the work tree's version
    after = _outputs(offices, monkeypatch, before=False)
    # `a`'s two versions of 15:02 side by side, `b`'s two first ones: git's order decides
    assert sorts == {"sorts": 4, "roots": 2}  # (in both offices)
    assert after == _outputs(offices, monkeypatch, before=True)
    assert "bản 3 · nhập 20/08/2020 15:02 · minh" in after[0] and "giải quyết xung đột" in after[0]
    assert after[1].count("bản 1 · nhập") == 2
    assert "rút báo cáo" in after[2] and "Lý do: «nhầm xã»" in after[2]
    assert "chưa ghi vào git" in after[3]
    assert "sau khi gửi báo cáo" in after[4] and "gộp từ máy khác" in after[4]
