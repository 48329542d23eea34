"""Two offices, one sender (real git: a bare origin and two clones): only the office named
in reminders.sender sends; its records are committed and synced, so the other office
sees what went; and a report that reached the sender by a sync before a round is not
reminded."""

from __future__ import annotations

import pytest

from helpers.offices import DAY, clone, make_origin, needs_git, registry_text
from helpers.reminders import outbox_records, with_reminders
from helpers.smtp import PASSWORD, with_server

pytestmark = needs_git

BLOCK = """reminders:
  sender: huyen
  head: {name: Trưởng phòng Văn hóa và Thông tin, email: truongphong.vhtt@hongngu.example}
  rounds:
    - {name: nhac-14h, at: "14:00", by: email}
    - {name: qua-han-15h05, at: "15:05", to: missing, by: email, copy: head}
"""
WITH_DEADLINE = 13  # ten communes and three schools report by 15:00


@pytest.fixture
def two_offices(tmp_path, git_env, smtp_ssl, capsys, monkeypatch):
    text = with_reminders(with_server(registry_text("git"), smtp_ssl), BLOCK)
    origin, _ = make_origin(tmp_path, text)
    district = clone(origin, tmp_path / "huyen", "huyen", capsys)
    province = clone(origin, tmp_path / "tinh", "tinh", capsys)
    monkeypatch.setenv("BLUEZONE_SMTP_PASSWORD", PASSWORD)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    return district, province, smtp_ssl


def as_office(monkeypatch, office):
    monkeypatch.setenv("BLUEZONE_OFFICE", office.name)
    return office


def remind(office, now: str, *more: str):
    return office.run("remind", "--send", "--now", f"{DAY}T{now}", *more)


def test_one_sender_its_records_shared_and_the_other_office_sends_nothing(two_offices, monkeypatch):
    district, province, server = two_offices
    as_office(monkeypatch, district)
    district.submit("xa-long-khanh-b", "13:50", "residents_installed=433")
    code, out, err = remind(district, "14:00", "--confirm")
    assert code == 0, err
    assert len(server.received) == WITH_DEADLINE - 1
    assert "xa-long-khanh-b@hongngu.example" not in str([g.rcpt_tos for g in server.received])
    # every record committed and pushed by the round's own sync
    assert district.git("status", "--porcelain") == ""
    assert district.git("rev-parse", "HEAD") == district.git("rev-parse", "origin/main")
    subjects = district.log()
    assert any(
        s.startswith("outbox 2020-08-20 nhac-14h: email tới Xã Long Thuận — đã gửi")
        for s in subjects
    )
    assert any("nhắc báo cáo tự động: bắt đầu gửi" in s for s in subjects)
    # the province is not the sender: it sends nothing, even with --confirm
    as_office(monkeypatch, province)
    code, out, err = remind(province, "14:05", "--confirm")
    assert code == 1 and "«tinh» (biến môi trường BLUEZONE_OFFICE) không phải nơi gửi" in err
    assert len(server.received) == WITH_DEADLINE - 1
    # after a sync it has the records and says what went
    assert province.sync("14:06")[0] == 0
    kept = outbox_records(province.path, DAY)
    assert len(kept) == WITH_DEADLINE - 1 and {r["state"] for r in kept} == {"sent"}
    code, out, _ = remind(province, "14:07")
    assert code == 1 and out.count("email tới") == WITH_DEADLINE - 1


def test_a_report_that_reached_the_sender_by_a_sync_is_not_reminded(two_offices, monkeypatch):
    district, province, server = two_offices
    as_office(monkeypatch, district)
    assert remind(district, "14:00", "--confirm")[0] == 0
    assert len(server.received) == WITH_DEADLINE
    # every unit but two reports at the province's office, which syncs at 15:00
    reporting = [
        "tt-thuong-thoi-tien", "xa-thuong-phuoc-1", "xa-thuong-phuoc-2", "xa-thuong-thoi-hau-a",
        "xa-long-khanh-a", "xa-long-thuan", "xa-phu-thuan-a", "xa-phu-thuan-b",
    ]  # fmt: skip
    for unit in reporting:
        province.submit(unit, "14:40", "residents_installed=500")
    for unit in ("thpt-hong-ngu-2", "thpt-hong-ngu-3", "thpt-long-khanh-a"):
        province.submit(unit, "14:45", "staff=50", "staff_installed=40",
                        "students_with_smartphone=900", "students_installed=800")  # fmt: skip
    assert province.sync("15:00")[0] == 0
    # 15:05 at the district: the round syncs first, so only the two still missing are told
    code, out, err = remind(district, "15:05")
    assert code == 0, err
    late = [got.rcpt_tos[0] for got in server.received[WITH_DEADLINE:]]
    assert sorted(late) == [
        "truongphong.vhtt@hongngu.example",
        "xa-long-khanh-b@hongngu.example",
        "xa-thuong-lac@hongngu.example",
    ]


def test_no_reminder_goes_from_a_folder_whose_git_is_not_on_a_branch(two_offices, monkeypatch):
    """Issue 20's class: each reminder's record is committed before it goes; on a detached
    HEAD nothing is started, written or sent (exit 2)."""
    district, _, server = two_offices
    as_office(monkeypatch, district)
    district.git("checkout", "--quiet", "--detach")
    code, out, err = remind(district, "14:00", "--confirm")
    assert code == 2 and "không gửi nhắc báo cáo ở đây" in err and "switch main" in err
    assert server.received == []
    assert not (district.path / "outbox").exists()
    assert district.git("status", "--porcelain", "--untracked-files=all") == ""
