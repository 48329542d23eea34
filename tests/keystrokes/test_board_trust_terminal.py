"""Issue 19: the right unit and the right figure, whatever the search, the keyboard or the mouse.

The real board in a pseudo-terminal. Every case is typed twice: as one burst (one write:
a slow SSH link, a clerk typing ahead) and as single events with a short gap. Mouse
events are what a terminal sends in SGR mode (ESC [ < b ; x ; y M / m). What is
asserted is the stored file.
"""

from __future__ import annotations

import time
import tomllib
from datetime import datetime
from pathlib import Path

import pytest

from helpers.data import TZ, new_office
from helpers.keystrokes import GAP, figures_on, last_figures
from helpers.terminal import Board, click, keys, paste, wheel

MODES = ("burst", "gaps")
DAY26 = ("2020-08-26", "2020-08-26T16:00:00")  # every commune but two reported: files to edit


def typed(running: Board, mode: str, *parts: str | bytes) -> None:
    """`parts` in one write, or one event per write with a short gap."""
    if mode == "burst":
        running.send(keys(*parts))
    else:
        running.type(*parts, gap=GAP)


def input_at(running: Board, label: str) -> tuple[int, int]:
    """Where to click in the input of the form row labelled `label` (the form is open)."""
    _, y = running.find(label)
    x, _ = running.find("Số người dân đã cài đặt")  # the labels' column
    return x + 40, y  # the inputs start after the labels' 38 columns (screens.tcss)


def learn_form(running: Board, name: str, *labels: str) -> list[tuple[int, int]]:
    """Open `name`'s form once to see where its inputs are, then close it."""
    running.send(keys("/", name, "Enter"))
    running.wait_for("▶ ")
    spots = [input_at(running, label) for label in labels]
    running.send(keys("Escape"))
    running.wait_gone("▶ ")
    return spots


# ---------------------------------------------------------------- the wrong unit: search


@pytest.fixture
def lai_vung(tmp_path: Path) -> Path:
    return new_office(tmp_path / "lai-vung")


@pytest.mark.parametrize("mode", MODES)
def test_search_opens_the_unit_named_not_the_first_whose_words_start_so(lai_vung, mode):
    """'/hoa thanh' opened Trung tâm Văn hóa - Thể thao và Truyền thanh; '/phong hoa' Phòng
    Tài chính - Kế hoạch: the first in table order whose words start with the letters."""
    with Board(lai_vung, "2021-09-06", "2021-09-06T14:00:00", first_unit="Xã Hòa Thành") as running:
        running.ready()
        for query, unit in (("hoa thanh", "xa-hoa-thanh"), ("phong hoa", "xa-phong-hoa")):
            typed(running, mode, "/", query, "Enter", "1400", "F2")
            assert running.wait_saved(unit, 1)["figures"] == {"residents_installed": 1400}
        folder = lai_vung / "submissions" / "2021-09-06"
        assert sorted(p.name for p in folder.iterdir()) == [
            "xa-hoa-thanh.toml",
            "xa-phong-hoa.toml",
        ]


@pytest.mark.parametrize("size", [(60, 20), (80, 24)], ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("mode", MODES)
def test_several_matches_are_shown_and_chosen(board, data, size, mode):
    """'/long khanh': three units match; they are listed, and ↓ / Tab choose which opens."""
    running = board(cols=size[0], rows=size[1], first_unit="Toàn huyện")
    typed(running, mode, "/", "long khanh")
    screen = running.wait_for("Tìm «long khanh»")
    heading = next(line for line in screen.splitlines() if "Tìm «long khanh»" in line)
    assert "3 đơn vị" in heading, heading
    assert screen.count("hánh A*") == 2 and "hánh B*" in screen and "THPT " in screen, screen
    residents = last_figures(data, "xa-long-khanh-b")["residents_installed"] + 9
    typed(running, mode, "Down", "Enter", str(residents), "F2")
    assert running.wait_saved("xa-long-khanh-b", 1)["figures"] == {"residents_installed": residents}
    typed(running, mode, "/", "long khanh", "Tab", "Tab", "Enter")  # the third: the school
    running.wait_for("▶ Trường THPT Long Khánh A")
    typed(running, mode, "Escape")
    running.wait_gone("▶ ")
    assert not running.path("xa-long-khanh-a").exists()


# ---------------------------------------------------------------- the wrong unit: the mouse


@pytest.mark.parametrize("mode", MODES)
def test_a_click_waits_behind_the_keys_typed_before_it(board, data, mode):
    """'/long khanh a' Enter, a click on the form's input, Ctrl+A, 1400, F2 saved 1400 into
    the row highlighted before the search: the click skipped the queue."""
    running = board()
    (spot,) = learn_form(running, "long khanh a", "Số người dân đã cài đặt")
    typed(running, mode, "/", "long khanh a", "Enter", click(*spot), "C-a", "1400", "F2")
    assert running.wait_saved("xa-long-khanh-a", 1)["figures"] == {"residents_installed": 1400}
    assert sorted(p.name for p in running.path("x").parent.iterdir()) == ["xa-long-khanh-a.toml"]


@pytest.mark.parametrize("mode", MODES)
def test_two_clicks_each_select_their_input(board, data, mode):
    """A click into an input and a digit appended (teams 7 → 78); two clicks in one burst
    lost a digit. A click that arrives in an input selects its value, as Tab does."""
    running = board(*DAY26)
    before = figures_on(data, "2020-08-26", "xa-long-khanh-a")
    teams, households = learn_form(
        running, "long khanh a", "Số Đoàn hướng dẫn", "Số hộ đã đến hướng dẫn"
    )
    new = before["households_visited"] + 15
    typed(running, mode, "/", "long khanh a", "Enter", click(*teams), "8", click(*households),
          str(new), "F2")  # fmt: skip
    saved = running.wait_saved("xa-long-khanh-a", 2)
    assert saved["figures"] == before | {"teams_formed": 8, "households_visited": new}


@pytest.mark.parametrize("mode", MODES)
def test_a_click_on_the_footers_search_then_letters_search(board, data, mode):
    """A click on the footer's '/ Tìm' then letters: they were board keys ('t' the trend)."""
    running = board()
    x, y = running.find("/ Tìm")
    residents = last_figures(data, "xa-thuong-lac")["residents_installed"] + 20
    typed(running, mode, click(x + 1, y), "thuong lac", "Enter", str(residents), "F2")
    assert running.wait_saved("xa-thuong-lac", 1)["figures"] == {"residents_installed": residents}


@pytest.mark.parametrize("mode", MODES)
def test_a_clicked_row_is_the_row_enter_opens(board, data, mode):
    """Click a row, press Enter: the highlighted row's form opened, not the clicked one's."""
    running = board()
    for name, unit in (("Xã Phú Thuận A", "xa-phu-thuan-a"), ("Xã Long Thuận", "xa-long-thuan")):
        x, y = running.find(name)
        residents = last_figures(data, unit)["residents_installed"] + 3
        typed(running, mode, click(x, y), "Enter", str(residents), "F2")
        assert running.wait_saved(unit, 1)["figures"] == {"residents_installed": residents}
        running.wait_gone("▶ ")
    x, y = running.find("Xã Thường Lạc")  # a double click opens the row too
    typed(running, mode, click(x, y), click(x, y))
    running.wait_for("▶ Xã Thường Lạc")
    typed(running, mode, "Escape")
    running.wait_gone("▶ ")


@pytest.mark.parametrize("mode", MODES)
def test_the_wheel_moves_the_highlight_with_the_view(board, mode):
    """The wheel scrolled without moving the highlight: Enter opened a row off screen."""
    running = board(cols=80, rows=24)
    x, y = running.find("Xã Long Khánh A")
    for direction, turns in ((True, 4), (False, 2), (True, 9)):
        typed(running, mode, *[wheel(x, y, down=direction)] * turns)
        screen = running.wait_still()
        assert running.highlighted(), screen  # the highlighted row is one on screen
        (_line, row), *_ = running.highlighted()
        detail = screen.splitlines()[-4:-2]  # the full name of the highlighted unit
        detail_text = " ".join(line.strip() for line in detail)
        typed(running, mode, "Enter")
        form = running.wait_for("▶ ")
        name = form.splitlines()[0].split("▶ ")[1].split("  ·")[0]
        assert name in detail_text, (name, detail_text, row)
        typed(running, mode, "Escape")
        running.wait_gone("▶ ")


# ---------------------------------------------------------------- the wrong figure: keys


@pytest.mark.parametrize(
    ("editing", "note"),
    [
        (["ghi chu sai", b"\x1b\x7f", "dung"], "ghi chu dung"),  # Alt+Backspace (ESC DEL)
        (["ghi chu sai", b"\x1b\x08", "dung"], "ghi chu dung"),  # Alt+Backspace (ESC BS)
        (["ghi dung", b"\x1bb", "chu "], "ghi chu dung"),  # Alt+B (macOS Option+←)
        (["ghi dung", b"\x1b\x1b[D", "chu "], "ghi chu dung"),  # Alt+← from PuTTY
        (["ghi dung", b"\x1b[1;3D", "chu "], "ghi chu dung"),  # Alt+← from xterm
        (["chu dung", "Home", b"\x1bf", "ghi "], "chu ghi dung"),  # Alt+F: to the next word
        # Alt+D deletes to the end of the word, the space after it stays (readline, bash)
        (["mot hai ba", b"\x1bb", b"\x1bb", b"\x1bd", "bon"], "mot bon ba"),
        (["mot hai ba", b"\x1bb", b"\x1bb", "Right", b"\x1bd", "ai"], "mot hai ba"),  # mid-word
        (["mot hai ba", "Home", "Right", "Right", "Right", b"\x1bd", " bon"], "mot bon ba"),
        (["mot hai ba", b"\x1bb", b"\x1bb", b"\x1b[3;3~", "bon"], "mot bon ba"),  # Alt+Delete
        (["mot hai ba", b"\x1bb", b"\x1bd"], "mot hai "),  # the last word
    ],
    ids=[
        "esc-del",
        "esc-bs",
        "esc-b",
        "putty-alt-left",
        "xterm-alt-left",
        "esc-f",
        "esc-d",
        "esc-d-mid-word",
        "esc-d-between-words",
        "alt-delete",
        "esc-d-last-word",
    ],  # fmt: skip
)
@pytest.mark.parametrize("mode", MODES)
def test_alt_keys_edit_words_and_never_leave_the_form(board, data, mode, editing, note):
    """Alt+Backspace was Escape then Backspace: "Bỏ thay đổi?" opened and the next word's
    'y' threw the form away (the note ended as "g")."""
    running = board()
    residents = last_figures(data, "xa-long-khanh-b")["residents_installed"] + 4
    typed(running, mode, "/", "long khanh b", "Enter", str(residents), "BTab", *editing, "F2")
    saved = running.wait_saved("xa-long-khanh-b", 1)
    assert saved["note"] == note and saved["figures"] == {"residents_installed": residents}


@pytest.mark.parametrize("mode", MODES)
def test_an_input_methods_invisible_mark_is_deleted_not_a_letter(board, data, mode):
    """An IME sends U+200C and one more Backspace before each replacement: the input
    dropped U+200C and the Backspace deleted a real letter."""
    running = board()
    residents = last_figures(data, "xa-long-khanh-b")["residents_installed"] + 5
    ime = "\u200c"
    # Telex "chus ys": chu → chú, y → ý, each by ZWNJ, Backspace x2, the new letter
    typed(running, mode, "/", "long khanh b", "Enter", str(residents), "BTab",
          "chu", ime, "BSpace", "BSpace", "ú", " y", ime, "BSpace", "BSpace", "ý", "F2")  # fmt: skip
    assert running.wait_saved("xa-long-khanh-b", 1)["note"] == "chú ý"


@pytest.mark.parametrize("mode", MODES)
def test_a_report_keyed_after_15_00_is_saved_to_the_second(board, data, mode):
    """A report keyed in the form at 15:00:31 was saved as 15:00:00, on time."""
    running = board("2020-08-27", "2020-08-27T15:00:30")
    residents = last_figures(data, "xa-long-khanh-b")["residents_installed"] + 6
    typed(running, mode, "/", "long khanh b", "Enter", str(residents), "F2")
    saved = running.wait_saved("xa-long-khanh-b", 1)
    reported = saved["reported_at"]
    assert reported >= datetime(2020, 8, 27, 15, 0, 30, tzinfo=TZ), reported
    assert reported == saved["entered_at"]  # the moment of saving, as `submit` takes it
    running.wait_gone("▶ ")
    running.wait_for(  # the board counts it late
        lambda text: any("Xã Long Khánh B" in line and "trễ" in line for line in text.splitlines())
    )


@pytest.mark.parametrize("removal", ["C-d", "C-x", "BSpace", "Delete"])
@pytest.mark.parametrize("mode", MODES)
def test_emptying_a_cumulative_figure_is_a_decrease_to_confirm(board, data, mode, removal):
    """Ctrl+D or Ctrl+X on a selected cumulative figure emptied it, and F2 saved the removal
    with no warning (households 685 gone from the file)."""
    running = board(*DAY26)
    before = figures_on(data, "2020-08-26", "xa-long-khanh-a")
    extra = {"C-d": b"\x04", "C-x": b"\x18"}.get(removal, removal)
    typed(running, mode, "/", "long khanh a", "Enter", "Down", "Down", "Down", extra, "F2")
    running.wait_for("bị xoá")
    new = before["households_visited"] + 5
    typed(running, mode, "n", str(new), "F2")  # back at the figure: typed again
    saved = running.wait_saved("xa-long-khanh-a", 2)
    assert saved["figures"] == before | {"households_visited": new}


@pytest.mark.parametrize("mode", MODES)
def test_no_to_a_warning_goes_back_to_the_suspect_figure(board, data, mode):
    """After «n Không, sửa lại» on the ten-times warning the cursor was back in the field
    the clerk had moved to, not the suspect one."""
    running = board(*DAY26)
    before = figures_on(data, "2020-08-26", "xa-long-khanh-a")
    new = before["households_visited"] + 7
    typed(running, mode, "/", "long khanh a", "Enter", "Down", "Down", "Down", "End", "700",
          "Tab", "Tab", "F2")  # fmt: skip
    running.wait_for("gõ nhầm")
    typed(running, mode, "n", str(new), "F2")
    saved = running.wait_saved("xa-long-khanh-a", 2)
    assert saved["figures"] == before | {"households_visited": new}


@pytest.mark.parametrize("mode", MODES)
def test_a_refused_save_says_where_the_cursor_went(board, data, mode):
    """After a refused F2 the cursor jumped to the first red field without saying so."""
    running = board()
    typed(running, mode, "/", "long khanh b", "Enter", "12a", "Tab", "Tab", "3", "F2")
    running.wait_for("Con trỏ ở ô «Số người dân")
    residents = last_figures(data, "xa-long-khanh-b")["residents_installed"] + 8
    typed(running, mode, str(residents), "F2")
    saved = running.wait_saved("xa-long-khanh-b", 1)
    assert saved["figures"] == {"residents_installed": residents, "hamlets_with_team": 3}


@pytest.mark.parametrize("mode", MODES)
def test_a_decrease_asks_for_its_reason_in_the_question(board, data, mode):
    """«y Có, lưu» on a decrease, then a refusal for want of a note."""
    running = board()
    residents = last_figures(data, "xa-long-khanh-b")["residents_installed"] - 50
    typed(running, mode, "/", "long khanh b", "Enter", str(residents), "F2", "y",
          "dem lai theo ap", "Enter")  # fmt: skip
    saved = running.wait_saved("xa-long-khanh-b", 1)
    assert saved["note"] == "dem lai theo ap"
    assert [c["warning"] for c in saved["confirmations"]] == ["decrease:residents_installed"]


# ---------------------------------------------------------------- pastes


@pytest.mark.parametrize(
    "line_break", ["\u2028", "\x0b", "\x0c", "\x85", "\u2029", "\r\n"], ids=repr
)
@pytest.mark.parametrize("mode", MODES)
def test_a_paste_with_any_line_break_fills_the_inputs_below(board, data, mode, line_break):
    """A paste with U+2028, \\x0b (Word), \\x0c or \\x85 kept its first line, silently."""
    running = board()
    residents = last_figures(data, "xa-long-khanh-b")["residents_installed"] + 11
    typed(running, mode, "/", "long khanh b", "Enter", paste(f"{residents}{line_break}3"), "F2")
    saved = running.wait_saved("xa-long-khanh-b", 1)
    assert saved["figures"] == {"residents_installed": residents, "teams_formed": 3}


@pytest.mark.parametrize("line_break", ["\x0b", "\u2028", "\t", "\n", "\r\n", "\n\n"], ids=repr)
@pytest.mark.parametrize("mode", MODES)
def test_lines_pasted_into_the_note_are_joined_with_a_space(board, data, mode, line_break):
    """The note is text: two lines pasted into it were refused ("Chưa dán: có 2 giá trị…"),
    though docs/board.md says they are joined with a space (a figure's paste fills cells)."""
    running = board()
    residents = last_figures(data, "xa-long-khanh-b")["residents_installed"] + 12
    typed(running, mode, "/", "long khanh b", "Enter", str(residents), "BTab",
          paste(f"Đếm lại{line_break}theo danh sách ấp"), "F2")  # fmt: skip
    saved = running.wait_saved("xa-long-khanh-b", 1)
    joined = "Đếm lại  theo danh sách ấp" if line_break == "\n\n" else "Đếm lại theo danh sách ấp"
    assert saved["note"] == joined
    assert saved["figures"] == {"residents_installed": residents}


@pytest.mark.parametrize("mode", MODES)
def test_an_overlong_paste_is_refused_in_a_short_message(board, data, mode):
    """A 5,000-digit paste was refused with a message repeating the digits over 27 lines."""
    running = board()
    typed(running, mode, "/", "long khanh b", "Enter", paste("9" * 5000))
    screen = running.wait_for("5.000 ký tự")
    assert "9" * 40 not in screen.replace("\n", "")
    residents = last_figures(data, "xa-long-khanh-b")["residents_installed"] + 13
    typed(running, mode, str(residents), "F2")  # the input as it was: the value selected
    saved = running.wait_saved("xa-long-khanh-b", 1)
    assert saved["figures"] == {"residents_installed": residents}


# ---------------------------------------------------------------- the board itself


@pytest.mark.parametrize("mode", MODES)
def test_bytes_that_are_not_utf8_are_dropped_and_the_board_keeps_running(board, data, mode):
    """0xF2 from a PuTTY session on Windows-1258 (or a lone 0x85) crashed the board with
    Textual's UnicodeDecodeError, exit 0, the figures typed so far lost."""
    running = board()
    residents = last_figures(data, "xa-long-khanh-b")["residents_installed"] + 14
    latin1_paste = b"\x1b[200~ghi ch\xfa\x1b[201~"  # "ghi chú" pasted from a Latin-1 session
    typed(running, mode, "/", "long kh", b"\xf2", "anh b", "Enter", str(residents), b"\x85",
          "BTab", latin1_paste)  # fmt: skip
    running.wait_for("UTF-8")  # said once, in Vietnamese
    typed(running, mode, b"\xe9", " ok", "F2")
    saved = running.wait_saved("xa-long-khanh-b", 1)
    assert saved["figures"] == {"residents_installed": residents}
    assert saved["note"] == "ghi ch ok"
    running.wait_gone("▶ ")
    typed(running, mode, "/", "long khanh a", "Enter", "Escape")  # the board still answers
    running.wait_for("▶ ")


def test_no_color_runs_the_board_and_quits_cleanly(data):
    """NO_COLOR=1 crashed the board with a traceback (Textual's monochrome filter), exit 0."""
    with Board(data, "2020-08-26", "2020-08-26T14:30:00", env={"NO_COLOR": "1"}) as running:
        running.ready()
        running.send(keys("/", "long khanh b", "Enter"))
        running.wait_for("▶ Xã Long Khánh B")
        running.send(keys("5", "Escape"))
        running.wait_for("Bỏ thay đổi?")
        running.send(keys("y", "t"))
        running.wait_for("Tỷ lệ toàn huyện")
        running.send(keys("Escape", "q"))
        running.process.wait(30)
        with running.lock:
            raw = bytes(running.raw)
    assert running.process.returncode == 0
    assert b"Traceback" not in raw and b"Error" not in raw


# ---------------------------------------------------------------- a conflict


def conflicted(offices):  # type: ignore[no-untyped-def]
    """Long Khánh B saved differently in two offices; the district's sync stops at it."""
    district, province = offices
    unit = "xa-long-khanh-b"
    district.submit(unit, "14:40", "residents_installed=433", "--reported-at", "14:30", who="lan")
    assert district.sync()[0] == 0 and province.sync()[0] == 0
    district.submit(unit, "15:02", "residents_installed=450", who="lan")
    province.submit(unit, "15:05", "residents_installed=445", who="minh")
    assert province.sync()[0] == 0
    assert district.sync()[0] == 1
    return district


def resolved_figure(district) -> int | None:  # type: ignore[no-untyped-def]
    if district.git("status", "--porcelain").startswith("UU"):
        return None
    path = district.file("2020-08-20", "xa-long-khanh-b")
    return tomllib.loads(path.read_text("utf-8"))["figures"]["residents_installed"]


def slow_git(folder: Path) -> dict[str, str]:
    """PATH with a `git` that takes 0.2 s to start, as on a loaded server: reading a
    conflict's two sides then takes long enough for keys typed after Enter to arrive."""
    import os
    import shutil

    folder.mkdir(exist_ok=True)
    wrapper = folder / "git"
    wrapper.write_text(f'#!/bin/sh\nsleep 0.2\nexec {shutil.which("git")} "$@"\n')
    wrapper.chmod(0o755)
    return {"PATH": f"{folder}{os.pathsep}{os.environ['PATH']}"}


@pytest.mark.parametrize("mode", MODES)
def test_keys_typed_with_the_enter_that_opens_a_conflict_reach_its_form(offices, tmp_path, mode):
    """'/long khanh a' Enter '17' F2 in one burst stored '7' and marked the conflict resolved:
    the board took keys while the conflict was read in a worker."""
    district = conflicted(offices)
    env = slow_git(tmp_path / "slow-git")
    with Board(district.path, "2020-08-20", "2020-08-20T16:10:00", env=env) as running:
        running.ready()
        running.wait_for("⇄")
        typed(running, mode, "/", "long khanh b", "Enter", "448", "F2")
        running.wait_gone("XUNG ĐỘT")
        running.wait_for(lambda _text: resolved_figure(district) is not None)
    assert resolved_figure(district) == 448


@pytest.mark.parametrize("mode", MODES)
def test_the_conflict_form_asks_before_dropping_typed_figures(offices, mode):
    """Esc and Ctrl+Q threw away typed final values without asking (the entry form asks)."""
    district = conflicted(offices)
    with Board(district.path, "2020-08-20", "2020-08-20T16:10:00") as running:
        running.ready()
        typed(running, mode, "/", "long khanh b", "Enter", "448", "Escape")
        running.wait_for("Bỏ thay đổi?")
        typed(running, mode, "n", "C-q")
        running.wait_for("Thoát?")
        typed(running, mode, "n")
        running.wait_gone("Thoát?")
        assert "448" in running.text()
        typed(running, mode, "F2")
        running.wait_gone("XUNG ĐỘT")
        running.wait_for(lambda _text: resolved_figure(district) is not None)
    assert resolved_figure(district) == 448


@pytest.mark.parametrize("mode", MODES)
def test_keys_and_clicks_typed_after_q_end_quietly(data, mode):
    """Keys typed behind the `q` that quits reach an app with no screen left: each one
    asked which binding wants it, and the question raised ScreenStackError (a traceback
    on the clerk's terminal, after the board had gone)."""
    with Board(data, "2020-08-26", "2020-08-26T14:30:00") as running:
        running.ready()
        typed(running, mode, "q", "j", "k", "Escape", "x", click(10, 10), wheel(10, 10), "z")
        running.process.wait(30)
        with running.lock:
            raw = bytes(running.raw)
    assert running.process.returncode == 0
    assert b"Traceback" not in raw and b"Error" not in raw


# ---------------------------------------------------------------- a detached HEAD


@pytest.mark.parametrize("mode", MODES)
def test_a_save_on_a_detached_head_is_refused_and_the_typed_figure_stays(offices, mode):
    """The data folder's git on no branch (`git checkout --detach` in it): the board says
    so over the table; '/long khanh b' Enter '433' F2 is refused as submit refuses it,
    the form stays open with 433, nothing is written or committed."""
    district, _ = offices
    district.git("checkout", "--quiet", "--detach")
    head = district.git("rev-parse", "HEAD")
    with Board(district.path, "2020-08-20", "2020-08-20T14:50:00") as running:
        running.ready()
        running.wait_for("detached HEAD")
        typed(running, mode, "/", "long khanh b", "Enter", "433", "F2")
        screen = running.wait_for(lambda text: "không lưu số liệu" in flat(text))
        assert "số bạn gõ vẫn còn" in flat(screen), screen
        assert "▶ Xã Long Khánh B" in screen and "433" in screen  # the form, as typed
        time.sleep(0.3)  # what a refusal would have written, had it written anything
    assert not district.file("2020-08-20", "xa-long-khanh-b").exists()
    assert district.git("rev-parse", "HEAD") == head and district.git("status", "--porcelain") == ""


@pytest.mark.parametrize("mode", MODES)
def test_a_conflict_resolved_during_a_rebase_is_refused_and_f1_gives_the_way_out(offices, mode):
    """Issue 20's class (the tester's A1): a rebase stopped at a conflict on a unit's day
    file; Enter on its ⇄ row, F5, F2 committed onto the rebase's detached HEAD. At 60x20,
    in one burst or key by key: refused with the rebase's way out, nothing written; F1
    shows the whole warning (the words `status` gives) over the keys."""
    district, _ = offices
    unit = "xa-long-khanh-b"
    district.submit(unit, "14:00", "residents_installed=400")
    district.git("checkout", "--quiet", "-b", "ban-nhap", "HEAD~1")
    district.submit(unit, "14:10", "residents_installed=420")
    district.git("rebase", "main", check=False)  # stops: both added the day's file
    head = district.git("rev-parse", "HEAD")
    before = district.file("2020-08-20", unit).read_bytes()
    with Board(
        district.path, "2020-08-20", "2020-08-20T16:00:00", cols=60, rows=20,
        first_unit="Toàn huyện",
    ) as running:  # fmt: skip
        running.ready()
        running.wait_for(lambda text: "đang rebase dở" in flat(text))
        typed(running, mode, "/", "long khanh b", "Enter", "F5", "F2")
        running.wait_for(lambda text: "không giải quyết xung đột ở đây" in flat(text))
        typed(running, mode, "F1")
        screen = running.wait_for(lambda text: "rebase --abort" in flat(text))
        assert "rebase --continue" in flat(screen), screen
        time.sleep(0.3)  # what a resolution would have written, had it written anything
    assert district.file("2020-08-20", unit).read_bytes() == before
    assert district.git("rev-parse", "HEAD") == head


def flat(screen: str) -> str:
    """The screen's words with the line breaks of a wrapped message taken out."""
    return " ".join(" ".join(line.replace("▌", " ").split()) for line in screen.splitlines())
