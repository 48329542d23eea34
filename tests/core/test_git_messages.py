"""git's reason in one line, and who a commit names as its author."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from bluezone_tui.git.command import one_line_reason
from bluezone_tui.git.repository import author_environment, split_identity


def test_the_specific_fatal_line_not_the_generic_one():
    output = (
        "fatal: '/srv/kho.git' does not appear to be a git repository\n"
        "fatal: Could not read from remote repository.\n\n"
        "Please make sure you have the correct access rights\nand the repository exists.\n"
    )
    assert one_line_reason(output) == "'/srv/kho.git' does not appear to be a git repository"


def test_a_refused_push_with_what_the_remote_said():
    output = (
        "remote: kho chung dang khoa\nTo /srv/kho.git\n"
        " ! [remote rejected] HEAD -> main (pre-receive hook declined)\n"
        "error: failed to push some refs to '/srv/kho.git'\n"
    )
    assert one_line_reason(output) == (
        "kho chung dang khoa; ! [remote rejected] HEAD -> main (pre-receive hook declined)"
    )


def test_the_files_git_lists_under_an_error():
    output = (
        "error: Your local changes to the following files would be overwritten by merge:\n"
        "\tunits.yaml\nPlease commit your changes or stash them before you merge.\nAborting\n"
    )
    assert one_line_reason(output) == (
        "Your local changes to the following files would be overwritten by merge: units.yaml"
    )


def test_an_identity_git_accepts():
    assert split_identity("Lan <lan@ubnd.vn>") == ("Lan", "lan@ubnd.vn")
    assert split_identity("Trần <Văn> Hùng") == ("Trần  Văn  Hùng", None)
    assert split_identity("  ") == ("không rõ", None)


def test_an_author_who_is_not_the_login_user_has_no_address(monkeypatch):
    monkeypatch.setenv("USER", "thu.ky")
    monkeypatch.setenv("LOGNAME", "thu.ky")
    moment = datetime(2020, 8, 20, 14, 52, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
    env = author_environment("lan", moment, moment)
    assert env["GIT_AUTHOR_NAME"] == "lan" and env["GIT_AUTHOR_EMAIL"] == ""
    assert env["GIT_AUTHOR_DATE"] == "2020-08-20T14:52:00+07:00"
    assert "GIT_AUTHOR_EMAIL" not in author_environment("thu.ky", moment, moment)
