"""Issue 20: a day's report marked sent, then its data changed — a population updated by
`units import --update`, a figure corrected, an earlier day fixed. Every view of the day
(status, export, the board) says the report no longer matches what was sent.
"""

from __future__ import annotations

from datetime import date

from bluezone_tui.git.repository import open_repository
from bluezone_tui.registry.load import load_registry
from helpers.offices import DAY, needs_git

pytestmark = needs_git
UNIT = "xa-long-khanh-b"
OTHER = "xa-thuong-lac"
VIEW = ("--date", DAY, "--now", f"{DAY}T17:00")


def _sent(district):  # type: ignore[no-untyped-def]
    district.submit(UNIT, "14:40", "residents_installed=433", "--reported-at", "14:30")
    district.submit(OTHER, "15:10", "residents_installed=700", "--reported-at", "15:05")
    code, out, err = district.run("export", "--date", DAY, "--now", f"{DAY}T16:25", "--mark-sent")
    assert code == 0, err
    return district


def _drift(office):  # type: ignore[no-untyped-def]
    from bluezone_tui.git.sent import sent_difference

    repository = open_repository(office.path, load_registry(office.path))
    return sent_difference(repository, date.fromisoformat(DAY))


def test_a_day_as_sent_says_nothing(offices):
    district = _sent(offices[0])
    drift = _drift(district)
    assert drift is not None and not drift.differs
    code, out, err = district.run("status", *VIEW)
    assert code == 0 and "đã gửi" not in err
    assert _drift(offices[1]) is None  # never sent there (the tag has not been synced)


def test_a_population_update_after_sending_is_said_by_every_view(offices, tmp_path):
    """The issue's sample: the day's report changed after `units import --update`, with
    nothing said."""
    district = _sent(offices[0])
    sheet = tmp_path / "dan-so.csv"
    sheet.write_text("Mã,Tên đơn vị,Dân số\nxa-long-khanh-b,Xã Long Khánh B,8800\n", "utf-8")
    code, _, err = district.run("units", "import", sheet, "--group", "commune", "--update", "--yes")
    assert code == 0, err
    drift = _drift(district)
    assert drift.registry == ("units[xa-long-khanh-b].population: 8700 → 8800",)
    for command in (("status",), ("export",), ("export", "--format", "csv")):
        code, out, err = district.run(*command, *VIEW)
        assert code == 0, err
        assert "báo cáo ngày 20/08/2020 khác báo cáo đã gửi bao-cao/2020-08-20" in err, command
        assert "units[xa-long-khanh-b].population: 8700 → 8800" in err, command
        assert "bluezone export --as-of bao-cao/2020-08-20" in err, command
    # sent again: matches again
    code, _, err = district.run("export", "--date", DAY, "--now", f"{DAY}T17:05", "--mark-sent")
    assert code == 0 and "khác báo cáo đã gửi" not in err
    assert not _drift(district).differs


def test_a_figure_changed_withdrawn_or_uncommitted_after_sending_is_named(offices):
    district = _sent(offices[0])
    district.submit(UNIT, "17:00", "residents_installed=450", "--reason", "xã báo lại")
    district.run("withdraw", OTHER, "--date", DAY, "--now", f"{DAY}T17:01", "--reason", "nhầm")
    drift = _drift(district)
    assert sorted(drift.units) == sorted([UNIT, OTHER])
    code, out, err = district.run("status", *VIEW)
    assert "đã sửa sau khi gửi" in err and "Xã Long Khánh B" in err and "Xã Thường Lạc" in err
    # a hand edit not committed by anyone counts too: the views read the folder
    district.run("export", "--date", DAY, "--now", f"{DAY}T17:05", "--mark-sent")
    path = district.file(DAY, UNIT)
    path.write_text(path.read_text(encoding="utf-8").replace("= 450", "= 451"), "utf-8")
    assert _drift(district).units == (UNIT,)


def test_an_earlier_day_changed_after_sending_is_said(offices):
    district = _sent(offices[0])
    code, _, err = district.run(
        "submit", UNIT, "--date", "2020-08-19", "--now", f"{DAY}T17:00", "--reported-at",
        "14:00", "residents_installed=400",
    )  # fmt: skip
    assert code == 0, err
    drift = _drift(district)
    assert drift.earlier_files == ("submissions/2020-08-19/xa-long-khanh-b.toml",)
    code, out, err = district.run("status", *VIEW)
    assert "1 tệp số liệu của các ngày trước đã sửa sau khi gửi" in err
    # a later day is not this day's business
    district.run(
        "submit",
        UNIT,
        "--date",
        "2020-08-21",
        "--now",
        "2020-08-21T14:00",
        "residents_installed=460",
    )
    assert _drift(district).units == ()


async def test_the_board_says_it_too(offices):
    from helpers.pilot import board_app, wait_for

    district = _sent(offices[0])
    district.submit(UNIT, "17:00", "residents_installed=450", "--reason", "xã báo lại")
    district.run(
        "submit", OTHER, "--date", "2020-08-19", "--now", f"{DAY}T17:01", "--reported-at",
        "14:00", "residents_installed=600",
    )  # fmt: skip
    app = board_app(district.path, date.fromisoformat(DAY), (17, 5, 0))
    async with app.run_test(size=(160, 30)) as pilot:
        bar = app.board.query_one("#sync-bar")
        assert await wait_for(pilot, lambda: "sửa sau khi gửi" in str(bar.render()))
        words = " ".join(app.board._sent_words())  # the bar's words, before it is cut to fit
        assert "Xã Long Khánh B" in words and "1 tệp ngày trước đã sửa sau khi gửi" in words


def test_withdrawing_a_sent_days_report_keeps_its_reason_as_the_reason(offices):
    district = _sent(offices[0])
    code, out, err = district.run(
        "withdraw", UNIT, "--date", DAY, "--now", f"{DAY}T17:00", "--reason", "nhập nhầm xã"
    )
    assert code == 0, err
    assert "bluezone-sua-sau-khi-gui: nhập nhầm xã" in district.git("log", "-1", "--format=%B")
    code, out, err = district.run("history", UNIT, "--date", DAY, "--since-sent")
    assert "sửa sau khi gửi, lý do: nhập nhầm xã" in out and "rút báo cáo" in out
