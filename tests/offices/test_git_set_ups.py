"""Issue 20's tester, git set-ups that are not the default: a view on a detached HEAD,
an origin whose branch is not `master`, `commit.gpgsign`, `core.autocrlf` on an import,
a pre-commit hook at sync. Real git: a bare origin and clones in temp folders."""

from __future__ import annotations

from helpers.offices import DAY, needs_git

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
