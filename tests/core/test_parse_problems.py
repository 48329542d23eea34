"""Bad submission files: each gives a Problem naming the file and the line (and field)."""

from __future__ import annotations

import unicodedata
from datetime import date
from pathlib import Path

import pytest

from bluezone_tui.day.check import check_data
from bluezone_tui.day.submission import parse_file
from helpers.data import TZ, at

DAY = date(2020, 8, 20)
HEADER = (
    "revision = 1\n"
    "reported_at = 2020-08-20 14:33:00+07:00\n"
    'entered_by = "tran.van.hung"\n'
    "\n"
    "[figures]\n"
)  # figures start at line 6


def parse(registry, text: str | bytes, unit_id: str = "xa-long-khanh-b"):
    raw = text.encode("utf-8") if isinstance(text, str) else text
    path = Path(f"submissions/2020-08-20/{unit_id}.toml")
    return parse_file(path, raw, registry.unit(unit_id), DAY, TZ)


def only_error(parsed):
    errors = parsed.errors
    assert len(errors) == 1, parsed.problems
    problem = errors[0]
    assert str(problem.path).endswith("xa-long-khanh-b.toml")
    where = f"{problem.path}:{problem.line}" if problem.line else f"{problem.path}: "
    assert str(problem).startswith(where)
    return problem


def test_valid_file(shipped_registry):
    parsed = parse(shipped_registry, HEADER + "residents_installed = 433\ndesk_officer = true\n")
    assert parsed.problems == ()
    sub = parsed.submission
    assert sub.figures == {"residents_installed": 433, "desk_officer": True}
    assert sub.reported_at == at(DAY, 14, 33)
    assert sub.unit_id == "xa-long-khanh-b" and sub.day == DAY


def test_malformed_toml_names_line_and_column(shipped_registry):
    parsed = parse(shipped_registry, HEADER + "residents_installed = 433\nteams_formed = = 2\n")
    assert parsed.submission is None
    problem = only_error(parsed)
    assert problem.line == 7
    assert problem.column is not None
    assert "TOML" in problem.message


def test_unclosed_table_header(shipped_registry):
    parsed = parse(shipped_registry, "revision = 1\n[figures\nx = 1\n")
    problem = only_error(parsed)
    assert problem.line == 2


@pytest.mark.parametrize("marker_line", [1, 3])
def test_git_conflict_markers(shipped_registry, marker_line):
    body = (
        "<<<<<<< HEAD\n"
        "residents_installed = 433\n"
        "=======\n"
        "residents_installed = 440\n"
        ">>>>>>> origin/main\n"
    )
    if marker_line == 1:
        text = body + HEADER
    else:
        text = "revision = 1\nreported_at = 2020-08-20 14:33:00+07:00\n" + body
    parsed = parse(shipped_registry, text)
    assert parsed.submission is None
    problem = only_error(parsed)
    assert problem.line == marker_line
    assert "git" in problem.message


def test_conflict_marker_inside_a_string_is_not_a_conflict(shipped_registry):
    parsed = parse(shipped_registry, HEADER.replace('"tran.van.hung"', '"<<<<<<< x"'))
    assert parsed.errors == ()


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ('"433"', "ngoặc kép"),
        ("433.5", "thập phân"),
        ("433.0", "thập phân"),
        ("nan", "nan"),
        ("inf", "inf"),
        ("-inf", "inf"),
        ("true", "true/false"),
        ("99999999999999999999999", "lớn bất thường"),
        ("1_000_000_001", "lớn bất thường"),
        ("[1, 2]", "số nguyên"),
        ("2020-08-20", "số nguyên"),
    ],
)
def test_bad_figure_types_name_line_and_field(shipped_registry, value, words):
    parsed = parse(
        shipped_registry, HEADER + "teams_formed = 2\n" + f"residents_installed = {value}\n"
    )
    problem = only_error(parsed)
    assert problem.line == 7
    assert problem.column == 1
    assert problem.field == "residents_installed"
    assert words in problem.message
    # the figure is dropped, the rest of the file is still read
    assert parsed.submission is not None
    assert parsed.submission.figures == {"teams_formed": 2}


def test_bool_field_with_a_number(shipped_registry):
    parsed = parse(shipped_registry, HEADER + "desk_officer = 1\n")
    problem = only_error(parsed)
    assert problem.field == "desk_officer" and problem.line == 6


def test_negative_figure_parses_then_fails_validation(shipped_registry, empty_data):
    text = HEADER + "residents_installed = 433\nteams_formed = -2\n"
    assert parse(shipped_registry, text).errors == ()  # a type, bounds are validation's
    path = empty_data / "submissions" / "2020-08-20" / "xa-long-khanh-b.toml"
    path.parent.mkdir(parents=True)
    path.write_text(text)
    (problem,) = check_data(empty_data).problems
    assert problem.path == path
    assert (problem.line, problem.column) == (7, 1)
    assert problem.field == "teams_formed"
    assert problem.message.endswith("= -2: không được nhỏ hơn 0")


def test_unknown_figure_key(shipped_registry):
    parsed = parse(shipped_registry, HEADER + "residents_installed = 433\nstaff_installed = 3\n")
    problem = only_error(parsed)
    assert problem.line == 7
    assert "staff_installed" in problem.message
    assert "residents_installed" in problem.message  # lists the known fields


def test_unknown_top_level_key_is_a_warning(shipped_registry):
    parsed = parse(shipped_registry, 'comment = "x"\n' + HEADER + "residents_installed = 433\n")
    assert parsed.errors == ()
    (warning,) = parsed.problems
    assert warning.severity == "warning" and warning.line == 1


def test_missing_reported_at_is_an_error(shipped_registry):
    parsed = parse(shipped_registry, "revision = 1\n[figures]\nresidents_installed = 433\n")
    assert parsed.submission is None
    problem = only_error(parsed)
    assert problem.field == "reported_at"


def test_bad_revision(shipped_registry):
    parsed = parse(shipped_registry, HEADER.replace("revision = 1", "revision = 0"))
    problem = only_error(parsed)
    assert problem.line == 1 and problem.field == "revision"


def test_local_datetime_is_read_in_registry_timezone(shipped_registry):
    parsed = parse(
        shipped_registry,
        HEADER.replace("2020-08-20 14:33:00+07:00", "2020-08-20T14:33:00")
        + "residents_installed = 1\n",
    )
    assert parsed.errors == ()
    assert parsed.submission.reported_at == at(DAY, 14, 33)


def test_nfd_text_is_a_warning_and_read_as_nfc(shipped_registry):
    nfd = unicodedata.normalize("NFD", "Xã báo bổ sung lúc chiều")
    text = HEADER.replace("[figures]", f'note = "{nfd}"\n[figures]') + "residents_installed = 1\n"
    parsed = parse(shipped_registry, text)
    assert parsed.errors == ()
    (warning,) = parsed.problems
    assert warning.severity == "warning"
    assert warning.field == "note"
    assert warning.line == 5
    assert "NFD" in warning.message
    assert parsed.submission.note == "Xã báo bổ sung lúc chiều"
    assert unicodedata.is_normalized("NFC", parsed.submission.note)


def test_not_utf8_and_nul(shipped_registry):
    parsed = parse(shipped_registry, HEADER.encode() + b"residents_installed = 4\xff\n")
    assert only_error(parsed).line == 6
    parsed = parse(shipped_registry, HEADER.encode() + b"\x00\n")
    assert only_error(parsed).line == 6


def test_utf8_bom_is_read_with_a_warning(shipped_registry):
    """Accepted, but not valid TOML for other tools: `check` says so."""
    parsed = parse(shipped_registry, "\ufeff" + HEADER + "residents_installed = 1\n")
    assert parsed.submission is not None and not parsed.errors
    assert [(p.code, p.line) for p in parsed.problems] == [("bom", 1)]


def test_huge_file_is_refused_without_parsing(shipped_registry):
    parsed = parse(shipped_registry, HEADER + "#" * (2 * 1024 * 1024) + "\n")
    assert parsed.submission is None
    assert "giới hạn" in only_error(parsed).message


def test_several_problems_in_one_file_are_all_reported(shipped_registry):
    text = HEADER + 'residents_installed = "x"\nteams_formed = 1.5\nbogus = 3\n'
    parsed = parse(shipped_registry, text)
    assert sorted(p.line for p in parsed.errors) == [6, 7, 8]


# --------------------------------------------------------------------------- in the day folder


def write(data: Path, name: str, text: str) -> Path:
    path = data / "submissions" / "2020-08-20" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def test_file_for_unit_not_in_registry(empty_store, empty_data):
    path = write(empty_data, "xa-khong-co.toml", HEADER + "residents_installed = 1\n")
    files = empty_store.read_day(DAY)
    assert files.files == {}
    (problem,) = files.stray
    assert problem.path == path and problem.is_error
    assert "xa-khong-co" in problem.message and "units.yaml" in problem.message


@pytest.mark.parametrize("name", ["xa..b.toml", "xa long.toml", "-x.toml"])
def test_file_name_not_a_valid_unit_id(empty_store, empty_data, name):
    path = write(empty_data, name, HEADER + "residents_installed = 1\n")
    files = empty_store.read_day(DAY)
    (problem,) = files.stray
    assert problem.path == path and problem.is_error
    assert "tên tệp" in problem.message


@pytest.mark.parametrize(
    "name", ["Xa-Long-Khanh-B.toml", "xa-long-khanh-b.TOML", "xa-long-khanh-b.toml.bak"]
)
def test_a_units_file_under_another_name_is_that_units_error(empty_store, empty_data, name):
    """Not a stray to skip: the unit reported, and is shown so (issue 20)."""
    path = write(empty_data, name, HEADER + "residents_installed = 1\n")
    files = empty_store.read_day(DAY)
    assert files.stray == []
    (problem,) = files.files["xa-long-khanh-b"].problems
    assert problem.path == path and problem.is_error
    assert f"«{name}»" in problem.message and "«xa-long-khanh-b.toml»" in problem.message


def test_stray_non_toml_file_is_a_warning(empty_store, empty_data):
    path = write(empty_data, "notes.txt", "hello")
    (problem,) = empty_store.read_day(DAY).stray
    assert problem.path == path and problem.severity == "warning"


def test_one_bad_file_does_not_hide_the_others(demo_store, demo_data):
    path = demo_data / "submissions" / "2020-08-20" / "xa-thuong-lac.toml"
    path.write_text("<<<<<<< HEAD\n")
    write(demo_data, "xa-khong-co.toml", "x")
    files = demo_store.read_day(DAY)
    assert len(files.files) == 28
    good = [f for f in files.files.values() if f.submission is not None]
    assert len(good) == 27
    assert files.files["xa-thuong-lac"].submission is None
    assert {p.path.name for p in files.problems} == {"xa-thuong-lac.toml", "xa-khong-co.toml"}
