"""The report sent at 16:30 can be rebuilt byte for byte after later corrections."""

from __future__ import annotations

import pytest

from helpers.offices import DAY, needs_git

pytestmark = needs_git
UNIT = "xa-long-khanh-b"
OTHER = "xa-thuong-lac"
SUFFIXES = ("txt", "csv", "docx", "xlsx", "dhis2.csv")  # one tag each, in this order


@pytest.fixture
def day_sent(offices, tmp_path):  # type: ignore[no-untyped-def]
    """A day reported by two units and its reports in every format marked sent at 16:25."""
    district, province = offices
    district.submit(UNIT, "14:40", "residents_installed=433", "--reported-at", "14:30")
    district.submit(OTHER, "15:10", "residents_installed=700", "--reported-at", "15:05")
    sent = {}
    for suffix in SUFFIXES:
        target = tmp_path / f"sent.{suffix}"
        code, _, err = district.run(
            "export", "--date", DAY, "--now", f"{DAY}T16:25", "--output", target, "--mark-sent"
        )
        assert code == 0, err
        sent[suffix] = target.read_bytes()
    return district, province, sent


def test_mark_sent_tags_with_a_counter(day_sent):
    district, _, _ = day_sent
    tags = district.git("tag", "--list", "bao-cao/*").split()
    assert sorted(tags) == sorted(
        ["bao-cao/2020-08-20"] + [f"bao-cao/2020-08-20-{n}" for n in range(2, len(SUFFIXES) + 1)]
    )
    message = district.git("tag", "-n5", "bao-cao/2020-08-20")
    assert "đã gửi lúc 16:25" in message and "thu.ky" in message


@pytest.mark.parametrize("suffix", SUFFIXES)
def test_as_of_the_tag_rebuilds_the_report_byte_for_byte(day_sent, tmp_path, suffix):
    district, _, sent = day_sent
    # corrections after the report was sent, one of them not committed by anyone yet
    district.submit(UNIT, "17:00", "residents_installed=450", "--reason", "xã báo lại")
    (district.path / "units.yaml").write_text(
        (district.path / "units.yaml").read_text(encoding="utf-8").replace("Hồng Ngự", "Hồng  Ngự"),
        encoding="utf-8",
    )
    status_before = district.git("status", "--porcelain")
    rebuilt = tmp_path / f"rebuilt.{suffix}"
    tag = (
        "bao-cao/2020-08-20"
        if suffix == "txt"
        else ("bao-cao/2020-08-20-2" if suffix == "csv" else "bao-cao/2020-08-20-3")
    )
    code, _, err = district.run("export", "--as-of", tag, "--output", rebuilt)
    assert code == 0, err
    assert rebuilt.read_bytes() == sent[suffix]
    today = tmp_path / f"today.{suffix}"
    district.run("export", "--date", DAY, "--now", f"{DAY}T16:25", "--output", today)
    assert today.read_bytes() != sent[suffix]  # the correction is in today's report
    # nothing was checked out: the work tree is as it was
    assert district.git("status", "--porcelain") == status_before


def test_as_of_a_date_time_and_a_commit(day_sent, tmp_path):
    district, _, sent = day_sent
    district.submit(UNIT, "17:00", "residents_installed=450", "--reason", "xã báo lại")
    rebuilt = tmp_path / "at-1630.txt"
    code, _, err = district.run(
        "export", "--date", DAY, "--as-of", f"{DAY} 16:30", "--now", f"{DAY}T16:25",
        "--output", rebuilt,
    )  # fmt: skip
    assert code == 0, err
    assert rebuilt.read_bytes() == sent["txt"]
    commit = district.git("rev-parse", "bao-cao/2020-08-20^{commit}").strip()
    code, out, err = district.run(
        "export", "--date", DAY, "--as-of", commit, "--now", f"{DAY}T16:25"
    )
    assert code == 0, err
    assert out.encode("utf-8") == sent["txt"]


def test_as_of_something_unknown_is_refused(day_sent):
    district, _, _ = day_sent
    code, _, err = district.run("export", "--as-of", "bao-cao/1999-01-01")
    assert code == 1
    assert "không phải commit, nhãn" in err
    code, _, err = district.run("export", "--as-of", "2019-01-01 08:00")
    assert code == 1 and "chưa có commit nào trước" in err


def test_history_since_sent_lists_what_changed_after(day_sent):
    district, _, _ = day_sent
    district.submit(
        UNIT, "17:00", "residents_installed=450", "--entered-by", "lan", "--reason", "xã báo lại"
    )
    code, out, err = district.run("history", "--date", DAY, "--since-sent")
    assert code == 0, err
    assert f"bao-cao/2020-08-20-{len(SUFFIXES)}" in out  # the last time it was sent
    assert f"({UNIT})" in out and "433 → 450" in out and "lan" in out
    assert f"({OTHER})" not in out
    assert "sửa sau khi gửi, lý do: xã báo lại" in out


def test_since_sent_before_anything_was_sent(offices):
    district, _ = offices
    code, _, err = district.run("history", "--date", DAY, "--since-sent")
    assert code == 1 and "export --mark-sent" in err


def test_mark_sent_refuses_data_not_committed(offices, tmp_path):
    district, _ = offices
    district.submit(UNIT, "14:40", "residents_installed=433")
    registry = district.path / "units.yaml"
    registry.write_text(registry.read_text(encoding="utf-8") + "\n# sửa tay\n", encoding="utf-8")
    target = tmp_path / "r.txt"
    code, _, err = district.run(
        "export", "--date", DAY, "--now", f"{DAY}T16:25", "--output", target, "--mark-sent"
    )
    assert code == 1
    assert "units.yaml" in err and "chưa ghi vào git" in err
    assert not target.exists()
    assert district.git("tag", "--list") == ""


def test_the_tag_travels_with_sync(day_sent, tmp_path):
    district, province, sent = day_sent
    assert district.run("sync", "--now", f"{DAY}T16:26")[0] == 0
    assert province.run("sync", "--now", f"{DAY}T16:27")[0] == 0
    rebuilt = tmp_path / "at-province.txt"
    code, _, err = province.run("export", "--as-of", "bao-cao/2020-08-20", "--output", rebuilt)
    assert code == 0, err
    assert rebuilt.read_bytes() == sent["txt"]
