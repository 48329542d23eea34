"""Two offices, one report: what one office sent reaches the other by `sync` (real git: a
bare origin and two clones), and a send from there asks before sending again."""

from __future__ import annotations

import socket
import tomllib

import pytest

from helpers.data import SHIPPED_REGISTRY
from helpers.offices import DAY, clone, git, make_origin, needs_git, registry_text
from helpers.smtp import PASSWORD, with_server

pytestmark = needs_git
NOW = f"{DAY}T16:05"


@pytest.fixture
def two_offices(tmp_path, git_env, smtp_ssl, capsys, monkeypatch):
    """The district office and the province, sharing a data folder whose units.yaml
    sends through the test's SMTP server; a signed report to send."""
    assert SHIPPED_REGISTRY.exists()
    origin, _ = make_origin(tmp_path, with_server(registry_text("git"), smtp_ssl))
    district = clone(origin, tmp_path / "huyen", "huyen", capsys)
    province = clone(origin, tmp_path / "tinh", "tinh", capsys)
    monkeypatch.setenv("BLUEZONE_SMTP_PASSWORD", PASSWORD)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    pdf = tmp_path / "bao-cao-da-ky.pdf"
    pdf.write_bytes(b"%PDF-1.7\nsigned\n%%EOF\n")
    district.submit("xa-long-khanh-b", "14:40", "residents_installed=433")
    return district, province, pdf, smtp_ssl


def outbox_states(office) -> list[str]:
    folder = office.path / "outbox" / DAY
    return sorted(tomllib.loads(p.read_text("utf-8"))["state"] for p in folder.glob("*.toml"))


def test_the_record_reaches_the_other_office_and_a_second_send_asks(two_offices):
    district, province, pdf, server = two_offices
    code, out, err = district.run("send", "--date", DAY, "--now", NOW, "--file", pdf)
    assert code == 0, err
    assert len(server.received) == 2
    # each step committed, and shared by the send's own sync
    subjects = district.log("-4")
    assert subjects[0].endswith("— đã gửi") and subjects[-1].endswith("— đang gửi")
    assert district.git("status", "--porcelain") == ""
    assert district.git("rev-parse", "HEAD") == district.git("rev-parse", "origin/main")
    # the province syncs and has the record
    code, out, err = province.sync("16:10")
    assert code == 0, err
    assert outbox_states(province) == ["sent", "sent"]
    # and a send from there asks first, saying when and by whom the first went
    code, out, err = province.run("send", "--date", DAY, "--now", f"{DAY}T16:12", "--file", pdf)
    assert code == 1
    host = socket.gethostname()
    assert f"đã gửi lúc 16:05 ngày 20/08/2020 bởi thu.ky (máy {host})" in err
    assert "Không gửi thư nào." in out
    assert len(server.received) == 2


def test_a_send_syncs_first_so_it_sees_the_other_office(two_offices):
    district, province, pdf, server = two_offices
    assert district.run("send", "--date", DAY, "--now", NOW, "--file", pdf)[0] == 0
    # the province has not synced: its send does, before deciding
    code, _, err = province.run("send", "--date", DAY, "--now", f"{DAY}T16:12", "--file", pdf)
    assert code == 1 and "đã gửi trước đó" in err
    assert len(server.received) == 2
    assert outbox_states(province) == ["sent", "sent"]


def test_the_signed_file_and_the_figures_are_those_marked_sent(two_offices, tmp_path):
    district, _, pdf, server = two_offices
    # as `bluezone sent add` leaves it: the signed file committed under sent/DAY/, and
    # the report tag naming it (bluezone-file)
    folder = district.path / "sent" / DAY
    folder.mkdir(parents=True)
    signed = folder / "bao-cao-bluezone-2020-08-20-ky-0123456789ab.pdf"
    signed.write_bytes(pdf.read_bytes())
    newer = folder / "zz-another.pdf"
    newer.write_bytes(b"%PDF-1.7 not the one\n")
    git(district.path, "add", "sent")
    git(district.path, "commit", "--quiet", "-m", "sent")
    message = (
        "Báo cáo ngày 20/08/2020 đã gửi\n\nbluezone-now: 2020-08-20T16:00:00+07:00\n"
        "bluezone-format: pdf\nbluezone-file: sent/2020-08-20/" + signed.name + "\n"
    )
    git(district.path, "tag", "--annotate", "-m", message, "bao-cao/2020-08-20")
    # a correction after the report was signed: not in what is sent
    district.submit("xa-long-khanh-b", "16:02", "residents_installed=450", "--reason", "xã báo lại")
    code, _, err = district.run("send", "--date", DAY, "--now", NOW)
    assert code == 0, err
    assert "lập từ số liệu của báo cáo đã đánh dấu gửi (bao-cao/2020-08-20)" in err
    as_sent = tmp_path / "as-sent.xlsx"
    code, _, err = district.run("export", "--as-of", "bao-cao/2020-08-20", "-o", as_sent)
    assert code == 0, err
    for got in server.received:
        files = got.attachments()
        assert files[signed.name] == signed.read_bytes()
        assert newer.name not in files
    (so,) = [got for got in server.received if len(got.attachments()) == 2]
    assert so.attachments()["bao-cao-bluezone-2020-08-20.xlsx"] == as_sent.read_bytes()


def test_nothing_is_sent_from_a_folder_whose_git_is_not_on_a_branch(two_offices):
    """Issue 20's class: the outbox's record is written and committed before a message
    goes; on a detached HEAD it could not be kept, so nothing goes (exit 2), and the
    message says the way back to the branch."""
    district, _, pdf, server = two_offices
    district.git("checkout", "--quiet", "--detach")
    code, out, err = district.run("send", "--date", DAY, "--now", NOW, "--file", pdf)
    assert code == 2 and "không gửi báo cáo ở đây" in err and "switch main" in err
    assert server.received == []
    assert not (district.path / "outbox").exists()
    code, out, err = district.run("send", "--date", DAY, "--now", NOW, "--file", pdf, "--dry-run")
    assert code == 0, err  # a preview writes nothing: it still shows what would go
