"""Two offices on one repository: sync merges, a conflict is named, resolved, and kept."""

from __future__ import annotations

from helpers.offices import DAY, needs_git

pytestmark = needs_git
UNIT = "xa-long-khanh-b"
OTHER = "xa-thuong-lac"


def test_different_units_in_both_clones_merge_cleanly(offices):
    district, province = offices
    district.submit(UNIT, "14:40", "residents_installed=433", "--reported-at", "14:30")
    province.submit(OTHER, "14:41", "residents_installed=700", "--reported-at", "14:35")
    code, out, err = district.sync()
    assert code == 0, err
    assert "gửi 1 commit" in out
    code, out, err = province.sync()
    assert code == 0, err
    assert "nhận 1 commit" in out and "gửi 2 commit" in out  # its save, and the merge
    code, out, err = district.sync()
    assert code == 0, err
    for office in offices:
        assert office.figures(UNIT)["figures"]["residents_installed"] == 433
        assert office.figures(OTHER)["figures"]["residents_installed"] == 700
        assert office.git("status", "--porcelain") == ""
    assert district.git("rev-parse", "HEAD") == province.git("rev-parse", "HEAD")


def test_sync_with_nothing_to_do_is_in_sync(offices):
    district, _ = offices
    code, out, err = district.sync()
    assert code == 0, err
    assert "nhận 0 commit, gửi 0 commit" in out


def _conflict(offices):  # type: ignore[no-untyped-def]
    """The same unit keyed in both offices: the province syncs first."""
    district, province = offices
    district.submit(UNIT, "14:40", "residents_installed=433", "--reported-at", "14:30", who="lan")
    assert district.sync()[0] == 0
    assert province.sync()[0] == 0
    district.submit(UNIT, "15:02", "residents_installed=450", who="lan")
    province.submit(UNIT, "15:05", "residents_installed=445", who="minh")
    assert province.sync()[0] == 0
    return district, province


def test_the_same_unit_conflicts_and_sync_names_it(offices):
    district, _ = _conflict(offices)
    code, out, err = district.sync()
    assert code == 1, err
    assert f"({UNIT}) ngày 20/08/2020: xung đột" in out
    assert "450" in out and "445" in out  # both values, side by side
    assert "lan" in out and "minh" in out  # who entered each
    assert f"bluezone resolve {UNIT} --date {DAY}" in out
    # a second sync does nothing but say so again
    code, out2, _ = district.sync()
    assert code == 1 and f"({UNIT})" in out2


def test_resolve_keep_ours_commits_the_merge_and_sync_pushes_it(offices):
    district, province = _conflict(offices)
    assert district.sync()[0] == 1
    code, out, err = district.run(
        "resolve", UNIT, "--date", DAY, "--keep", "ours", "--now", f"{DAY}T16:10",
        "--entered-by", "hung",
    )  # fmt: skip
    assert code == 0, err
    assert "Đã hết xung đột" in out
    resolved = district.figures(UNIT)
    assert resolved["figures"]["residents_installed"] == 450
    assert resolved["revision"] == 3  # greater than both sides' (2 and 2)
    assert resolved["entered_by"] == "hung"
    # the merge commit has both parents and records both values
    parents = district.git("log", "-1", "--format=%P").split()
    assert len(parents) == 2
    message = district.git("log", "-1", "--format=%B")
    assert "giữ 450" in message and "bỏ 445" in message and "minh" in message
    assert district.git("status", "--porcelain") == ""
    assert district.run("check", "--date", DAY)[0] == 0
    # the next sync pushes the merge; the province gets the resolution
    code, out, err = district.sync("16:15")
    assert code == 0, err
    code, out, err = province.sync("16:20")
    assert code == 0, err
    assert province.figures(UNIT)["figures"]["residents_installed"] == 450


def test_history_shows_the_discarded_value_and_who_discarded_it(offices):
    district, province = _conflict(offices)
    district.sync()
    district.run(
        "resolve", UNIT, "--date", DAY, "--keep", "ours", "--now", f"{DAY}T16:10",
        "--entered-by", "hung",
    )  # fmt: skip
    district.sync("16:15")
    province.sync("16:20")
    for office in (district, province):  # every office has the whole history
        code, out, err = office.run("history", UNIT, "--date", DAY)
        assert code == 0, err
        assert "433 → 450" in out and "433 → 445" in out
        assert "giải quyết xung đột" in out
        discarded = [line for line in out.splitlines() if "bỏ " in line]
        assert len(discarded) == 1, out
        assert "445" in discarded[0] and "minh" in discarded[0] and "hung" in discarded[0]


def test_resolve_with_typed_figures(offices):
    district, _ = _conflict(offices)
    district.sync()
    code, out, err = district.run(
        "resolve", UNIT, "--date", DAY, "residents_installed=448", "--now", f"{DAY}T16:10",
        "--entered-by", "hung",
    )  # fmt: skip
    assert code == 0, err
    assert district.figures(UNIT)["figures"]["residents_installed"] == 448
    message = district.git("log", "-1", "--format=%B")
    assert "giữ 448" in message and "bỏ 450" in message and "bỏ 445" in message


def test_resolve_without_a_choice_for_a_disputed_field_is_refused(offices):
    district, _ = _conflict(offices)
    district.sync()
    before = district.file(DAY, UNIT).read_bytes()
    code, out, err = district.run("resolve", UNIT, "--date", DAY, "--now", f"{DAY}T16:10")
    assert code == 2
    assert "450" in out and "445" in out  # both sides shown to choose from
    assert "--keep ours" in err
    # typed figures for other fields leave the disputed one open: refused, nothing written
    code, out, err = district.run(
        "resolve", UNIT, "--date", DAY, "teams_formed=3", "--now", f"{DAY}T16:10"
    )
    assert code == 1
    assert "residents_installed" in err and "hai bên khác nhau" in err
    assert "--keep ours|theirs" in err and "residents_installed=…" in err  # its options
    assert district.file(DAY, UNIT).read_bytes() == before


def test_a_save_during_a_conflict_goes_into_the_merge(offices):
    district, _ = _conflict(offices)
    district.sync()
    _, out, _ = district.submit(OTHER, "16:05", "residents_installed=700", "--reported-at", "16:00")
    assert "Đã lưu" in out
    code, _, err = district.run("status", "--date", DAY, "--now", f"{DAY}T16:06")
    district.run(
        "resolve", UNIT, "--date", DAY, "--keep", "theirs", "--now", f"{DAY}T16:10",
    )  # fmt: skip
    message = district.git("log", "-1", "--format=%B")
    assert f"{OTHER} {DAY}: báo cáo mới" in message
    assert district.git("status", "--porcelain") == ""
    assert district.figures(UNIT)["figures"]["residents_installed"] == 445
    assert district.figures(OTHER)["figures"]["residents_installed"] == 700


def test_no_remote_is_exit_2(offices):
    district, _ = offices
    district.git("remote", "remove", "origin")
    code, out, err = district.sync()
    assert code == 2
    assert "chưa có kho chung" in err and "git -C" in err


def test_an_open_conflict_is_xung_dot_in_every_report_and_the_rest_still_counts(offices, tmp_path):
    district, _ = _conflict(offices)
    district.submit(OTHER, "15:10", "residents_installed=700", "--reported-at", "14:50")
    assert district.sync()[0] == 1
    now = f"{DAY}T16:20"
    code, out, err = district.run("status", "--date", DAY, "--now", now)
    assert code == 1
    assert "xung đột 1" in out
    row = next(line for line in out.splitlines() if UNIT in line)
    assert "xung đột" in row and "bluezone resolve" in row
    assert next(line for line in out.splitlines() if OTHER in line).lstrip().startswith("✓")
    code, out, err = district.run("export", "--date", DAY, "--now", now, "--format", "csv")
    assert code == 1
    rows = {line.split(",")[1]: line.split(",") for line in out.splitlines()[1:]}
    assert rows[UNIT][4] == "conflict" and rows[OTHER][4] == "on_time"
    code, out, err = district.run("export", "--date", DAY, "--now", now)
    assert code == 1
    assert "xung đột 1" in out and "hai nơi đã nhập số liệu khác nhau" in out
    for suffix in ("xlsx", "docx", "dhis2.csv"):  # every format is written, the unit named
        code, _, err = district.run(
            "export", "--date", DAY, "--now", now, "--output", tmp_path / f"r.{suffix}"
        )
        assert code == 1 and f"{UNIT}.toml" in err, (suffix, err)
    code, out, err = district.run("remind", "--date", DAY, "--now", now)
    assert code == 1 and f"{UNIT}.toml" in err  # named with the other broken files
    assert UNIT not in out  # it reported: the offices decide, the unit is not chased
    code, out, err = district.run("export", "--date", DAY, "--now", now, "--mark-sent")
    assert code == 1 and "xung đột" in err
    code, out, err = district.run("province", "--date", DAY, "--now", now, district.path)
    assert code == 1 and f"{UNIT}.toml" in err
    assert "Hồng Ngự" in out  # still ranked, the conflicted unit counted as not reported
