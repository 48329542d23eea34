"""The day store: TOML round trips, fixed key order, revisions, atomic and guarded saves."""

from __future__ import annotations

import os
import tempfile
import time
import tomllib
import unicodedata
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bluezone_tui.base.problems import RefusedError, StaleRevisionError
from bluezone_tui.day import store as store_module
from bluezone_tui.day.entry import commit, prepare, submit
from bluezone_tui.day.store import Store
from bluezone_tui.day.submission import (
    MAX_FIGURE,
    TOP_KEYS,
    Confirmation,
    Submission,
    parse_file,
    to_toml,
)
from bluezone_tui.registry.load import parse_registry
from helpers.data import SHIPPED_REGISTRY, TZ, at

DAY = date(2020, 8, 20)
NEW_YORK = ZoneInfo("America/New_York")

# A copy of the shipped registry whose youth form also has a text and a bool field,
# so that round trips cover every field type.
EXTENDED_REGISTRY = SHIPPED_REGISTRY.read_text(encoding="utf-8").replace(
    '      - {id: hamlets_supported, label: "Số khóm/ấp được hỗ trợ", short: "Ấp được hỗ trợ", '
    "type: int}\n",
    '      - {id: hamlets_supported, label: "Số khóm/ấp được hỗ trợ", short: "Ấp được hỗ trợ", '
    "type: int}\n"
    '      - {id: remark, label: "Nhận xét", type: text}\n'
    '      - {id: active, label: "Đang hoạt động", type: bool}\n',
)
assert "id: remark" in EXTENDED_REGISTRY
EXTENDED = parse_registry(EXTENDED_REGISTRY, Path("units.yaml"))


def make(unit_id: str = "xa-long-khanh-b", day: date = DAY, **figures) -> Submission:
    return Submission(
        unit_id=unit_id,
        day=day,
        figures=figures or {"residents_installed": 433, "teams_formed": 2},
        reported_at=at(day, 14, 33),
        entered_by="tran.van.hung",
        entered_at=at(day, 14, 52),
        revision=1,
    )


# --------------------------------------------------------------------------- strategies

text_values = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",)), max_size=80
)  # any Unicode a person could type, control characters included
vietnamese_words = st.sampled_from(
    ["Khánh", "Thường Thới Tiền", "Ấp Long Bình", "đã cài", "Huyện đoàn", "ỦY BAN", "Phước"]
)
notes = st.one_of(
    text_values,
    vietnamese_words.map(lambda s: unicodedata.normalize("NFD", s)),  # NFD input
    st.lists(vietnamese_words, max_size=5).map(" ".join),
)
moments = st.datetimes(
    min_value=datetime(2000, 1, 1),
    max_value=datetime(2099, 12, 31),
    timezones=st.sampled_from([TZ, UTC, NEW_YORK]),
    allow_imaginary=False,  # no wall-clock times that DST skips
).map(lambda d: d.replace(microsecond=0))
ints = st.integers(min_value=-MAX_FIGURE, max_value=MAX_FIGURE)


@st.composite
def youth_submissions(draw) -> Submission:
    figures = {}
    if draw(st.booleans()):
        figures["members_sent"] = draw(ints)
    if draw(st.booleans()):
        figures["hamlets_supported"] = draw(ints)
    if draw(st.booleans()):
        figures["remark"] = draw(notes)
    if draw(st.booleans()):
        figures["active"] = draw(st.booleans())
    day = draw(st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31)))
    return Submission(
        unit_id="huyen-doan",
        day=day,
        figures=figures,
        reported_at=draw(moments),
        entered_by=draw(notes),
        entered_at=draw(st.none() | moments),
        revision=draw(st.integers(min_value=1, max_value=10**6)),
        note=draw(notes),
        confirmations=tuple(
            Confirmation("decrease:members_sent", draw(notes), draw(st.none() | moments))
            for _ in range(draw(st.integers(0, 1)))
        ),
    )


def expected_after_round_trip(sub: Submission) -> Submission:
    nfc = lambda s: unicodedata.normalize("NFC", s)  # noqa: E731
    figures = {
        k: (nfc(v) if isinstance(v, str) else v)
        for k, v in sub.figures.items()
        if not (isinstance(v, str) and v == "")
    }
    return sub.with_changes(
        figures=figures,
        note=nfc(sub.note),
        entered_by=nfc(sub.entered_by),
        confirmations=tuple(c.__class__(c.warning, nfc(c.by), c.at) for c in sub.confirmations),
    )


def assert_same(read: Submission, expected: Submission) -> None:
    assert read.unit_id == expected.unit_id
    assert read.day == expected.day
    assert read.figures == expected.figures
    for key, value in read.figures.items():
        assert type(value) is type(expected.figures[key]), key
    # the same instant (compared in UTC: PEP 495 makes inter-zone == False in a DST fold)
    assert read.reported_at.astimezone(UTC) == expected.reported_at.astimezone(UTC)
    assert read.reported_at.utcoffset() == read.reported_at.astimezone(TZ).utcoffset()
    if expected.entered_at is None:
        assert read.entered_at is None
    else:
        assert read.entered_at.astimezone(UTC) == expected.entered_at.astimezone(UTC)
    assert read.note == expected.note
    assert read.entered_by == expected.entered_by
    assert read.revision == expected.revision
    assert read.confirmed_warnings == expected.confirmed_warnings
    for got, wanted in zip(read.confirmations, expected.confirmations, strict=True):
        assert got.by == wanted.by
        assert (got.at is None) == (wanted.at is None)
        if wanted.at is not None:
            assert got.at.astimezone(UTC) == wanted.at.astimezone(UTC)


# --------------------------------------------------------------------------- round trips


@settings(max_examples=300, deadline=None)
@given(sub=youth_submissions())
def test_toml_round_trip_property(sub):
    unit = EXTENDED.unit("huyen-doan")
    raw = to_toml(sub, unit.form)
    tomllib.loads(raw.decode("utf-8"))  # valid TOML 1.0
    parsed = parse_file(Path("x/huyen-doan.toml"), raw, unit, sub.day, EXTENDED.timezone)
    assert parsed.errors == (), parsed.problems
    assert parsed.problems == ()  # stored text is NFC: no NFD warning on reading back
    assert parsed.submission is not None
    assert_same(parsed.submission, expected_after_round_trip(sub))
    # canonical: once read (times in the registry's zone), writing is a fixed point
    again = to_toml(parsed.submission, unit.form)
    reread = parse_file(Path("x/huyen-doan.toml"), again, unit, sub.day, EXTENDED.timezone)
    assert to_toml(reread.submission, unit.form) == again


@settings(max_examples=40, deadline=None)
@given(sub=youth_submissions())
def test_store_save_then_read_property(sub):
    with tempfile.TemporaryDirectory() as folder:
        store = Store(Path(folder), EXTENDED)
        saved = store.save(sub, base_revision=0)
        assert saved.revision == 1
        parsed = Store(Path(folder), EXTENDED).read(sub.day, "huyen-doan")
        assert parsed is not None and parsed.submission is not None
        assert parsed.problems == ()
        assert_same(parsed.submission, expected_after_round_trip(saved))


def test_nfd_note_is_stored_nfc(empty_store):
    nfd_note = unicodedata.normalize("NFD", "Xã Long Khánh B báo bổ sung")
    assert nfd_note != unicodedata.normalize("NFC", nfd_note)
    sub = make().with_changes(note=nfd_note, entered_by=unicodedata.normalize("NFD", "Lê Thị Mai"))
    empty_store.save(sub, base_revision=0)
    raw = empty_store.path_for(DAY, "xa-long-khanh-b").read_text("utf-8")
    assert "Xã Long Khánh B báo bổ sung" in raw
    assert nfd_note not in raw
    assert unicodedata.is_normalized("NFC", raw)
    parsed = empty_store.read(DAY, "xa-long-khanh-b")
    assert parsed.problems == ()
    assert parsed.submission.note == "Xã Long Khánh B báo bổ sung"
    assert parsed.submission.entered_by == "Lê Thị Mai"


# --------------------------------------------------------------------------- key order


def test_fixed_key_order(shipped_registry):
    form = shipped_registry.unit("xa-long-khanh-b").form
    figures = {
        "desk_helped": 3,
        "residents_installed": 433,
        "desk_officer": True,
        "households_visited": 133,
        "hamlets_with_team": 2,
        "teams_formed": 2,
    }
    sub = make(**figures).with_changes(note="ghi chú", confirmations=(Confirmation("x", "lan"),))
    reversed_sub = sub.with_changes(figures=dict(reversed(list(figures.items()))))
    raw = to_toml(sub, form)
    assert raw == to_toml(reversed_sub, form)
    text = raw.decode()
    keys = [line.split(" =")[0] for line in text.splitlines() if " = " in line and line[0] != " "]
    top = [k for k in keys if k in TOP_KEYS]
    assert top == [
        "revision",
        "reported_at",
        "entered_by",
        "entered_at",
        "note",
        "confirmations",
    ]
    assert keys[len(top) :] == [f.id for f in form.fields]  # figures in form order
    assert text.index("[figures]") > text.index("confirmations = [")


def test_changed_figure_is_a_one_line_diff(shipped_registry):
    form = shipped_registry.unit("xa-long-khanh-b").form
    before = make(residents_installed=433, teams_formed=2, households_visited=133)
    after = before.with_changes(figures={**before.figures, "teams_formed": 3})
    old = to_toml(before, form).decode().splitlines()
    new = to_toml(after, form).decode().splitlines()
    assert len(old) == len(new)
    changed = [(a, b) for a, b in zip(old, new, strict=True) if a != b]
    assert changed == [("teams_formed = 2", "teams_formed = 3")]


def test_successive_saves_differ_only_in_revision_and_the_figure(empty_store):
    now = at(DAY, 14, 50)
    submit(
        empty_store,
        "xa-long-khanh-b",
        DAY,
        {"residents_installed": "433", "teams_formed": "2"},
        now=now,
        reported_at=at(DAY, 14, 33),
        entered_by="lan",
    )
    path = empty_store.path_for(DAY, "xa-long-khanh-b")
    old = path.read_text().splitlines()
    submit(empty_store, "xa-long-khanh-b", DAY, {"teams_formed": "3"}, now=now, entered_by="lan")
    new = path.read_text().splitlines()
    changed = [(a, b) for a, b in zip(old, new, strict=True) if a != b]
    assert changed == [("revision = 1", "revision = 2"), ("teams_formed = 2", "teams_formed = 3")]


# --------------------------------------------------------------------------- revisions


def test_revision_grows_by_one_per_save(empty_store):
    revisions = []
    for base in range(5):
        saved = empty_store.save(make(residents_installed=400 + base), base_revision=base)
        revisions.append(saved.revision)
        parsed = empty_store.read(DAY, "xa-long-khanh-b")
        assert parsed.submission.revision == base + 1
    assert revisions == [1, 2, 3, 4, 5]


def test_stale_revision_is_refused_and_file_untouched(empty_store):
    sub = make()
    empty_store.save(sub, base_revision=0)
    empty_store.save(sub.with_changes(figures={"residents_installed": 500}), base_revision=1)
    path = empty_store.path_for(DAY, "xa-long-khanh-b")
    before_bytes = path.read_bytes()
    before_stat = path.stat()
    for stale in (0, 1, 3):
        with pytest.raises(StaleRevisionError) as info:
            empty_store.save(
                sub.with_changes(figures={"residents_installed": 1}), base_revision=stale
            )
        assert info.value.current_revision == 2
        assert str(path) in info.value.message
        assert "bản 2" in info.value.message  # says which revision the file is at now
        assert info.value.exit_code == 1
    assert path.read_bytes() == before_bytes
    assert path.stat().st_mtime_ns == before_stat.st_mtime_ns
    assert path.stat().st_ino == before_stat.st_ino
    assert os.listdir(path.parent) == [path.name]


def test_concurrent_edit_with_same_revision_is_refused_by_digest(empty_store):
    """Another process rewrote the file without bumping the revision (e.g. a git pull)."""
    submit(
        empty_store,
        "xa-long-khanh-b",
        DAY,
        {"residents_installed": "433"},
        now=at(DAY, 14, 40),
        reported_at=at(DAY, 14, 33),
    )
    draft = prepare(empty_store, "xa-long-khanh-b", DAY, {"teams_formed": "2"}, now=at(DAY, 14, 45))
    path = empty_store.path_for(DAY, "xa-long-khanh-b")
    edited = path.read_text().replace("residents_installed = 433", "residents_installed = 4330")
    path.write_text(edited)
    with pytest.raises(StaleRevisionError):
        commit(empty_store, draft)
    assert path.read_text() == edited


def test_file_deleted_since_edit_began_is_refused(empty_store):
    empty_store.save(make(), base_revision=0)
    empty_store.path_for(DAY, "xa-long-khanh-b").unlink()
    with pytest.raises(StaleRevisionError) as info:
        empty_store.save(make(), base_revision=1)
    assert info.value.current_revision == 0
    assert not empty_store.path_for(DAY, "xa-long-khanh-b").exists()


def test_save_without_guard(empty_store):
    empty_store.save(make(), base_revision=0)
    saved = empty_store.save(make(residents_installed=434), base_revision=None)
    assert saved.revision == 2


# --------------------------------------------------------------------------- atomic writes


def test_save_leaves_no_temp_files(empty_store):
    for base in range(3):
        empty_store.save(make(residents_installed=400 + base), base_revision=base)
    day_dir = empty_store.day_dir(DAY)
    assert os.listdir(day_dir) == ["xa-long-khanh-b.toml"]
    assert oct(os.stat(day_dir / "xa-long-khanh-b.toml").st_mode & 0o777) == "0o644"


def test_failed_rename_keeps_old_file_and_removes_temp(empty_store, monkeypatch):
    empty_store.save(make(), base_revision=0)
    path = empty_store.path_for(DAY, "xa-long-khanh-b")
    old = path.read_bytes()

    def crash(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(store_module.os, "replace", crash)
    with pytest.raises(RefusedError, match="không ghi được"):
        empty_store.save(make(residents_installed=999), base_revision=1)
    monkeypatch.undo()
    assert path.read_bytes() == old
    assert os.listdir(path.parent) == [path.name]


def test_failed_write_keeps_old_file(empty_store, monkeypatch):
    empty_store.save(make(), base_revision=0)
    path = empty_store.path_for(DAY, "xa-long-khanh-b")
    old = path.read_bytes()

    def crash(fd):
        raise OSError(5, "I/O error")

    monkeypatch.setattr(store_module.os, "fsync", crash)
    with pytest.raises(RefusedError, match="không ghi được"):
        empty_store.save(make(residents_installed=999), base_revision=1)
    monkeypatch.undo()
    assert path.read_bytes() == old
    assert os.listdir(path.parent) == [path.name]


def test_abandoned_temp_files_are_cleaned_and_ignored(empty_store):
    empty_store.save(make(), base_revision=0)
    day_dir = empty_store.day_dir(DAY)
    old_temp = day_dir / ".xa-long-khanh-b.abc123.tmp"
    fresh_temp = day_dir / ".xa-long-khanh-a.def456.tmp"
    old_temp.write_text("revision = 1\n[figures")  # torn: a save that crashed
    fresh_temp.write_text("revision = 1\n")  # another save in progress right now
    an_hour_ago = time.time() - 3600
    os.utime(old_temp, (an_hour_ago, an_hour_ago))
    # temp files are not read as units
    files = empty_store.read_day(DAY)
    assert set(files.files) == {"xa-long-khanh-b"}
    assert files.problems == []
    empty_store.save(make(residents_installed=434), base_revision=1)
    assert not old_temp.exists()
    assert fresh_temp.exists()


# --------------------------------------------------------------------------- broken files


@pytest.mark.parametrize(
    "content",
    [
        b"revision = 1\nreported_at = 2020-08-20T14:00:00+07:00\n[figures\n",
        b"<<<<<<< HEAD\nrevision = 1\n=======\nrevision = 2\n>>>>>>> other\n",
        b"\xff\xfe garbage",
        b"revision = 1\n",  # no reported_at: no submission can be read
    ],
)
def test_broken_existing_file_is_never_overwritten(empty_store, content):
    path = empty_store.path_for(DAY, "xa-long-khanh-b")
    path.parent.mkdir(parents=True)
    path.write_bytes(content)
    for base in (0, 1, None):
        with pytest.raises(RefusedError) as info:
            empty_store.save(make(), base_revision=base)
        assert str(path) in info.value.message
    with pytest.raises(RefusedError):
        submit(empty_store, "xa-long-khanh-b", DAY, {"residents_installed": "1"}, now=at(DAY, 14))
    assert path.read_bytes() == content
    assert os.listdir(path.parent) == [path.name]


def test_file_with_a_parse_error_is_never_overwritten(empty_store):
    """The file reads as a submission, but a figure had to be dropped: saving would lose it."""
    content = (
        b"revision = 1\nreported_at = 2020-08-26 14:00:00+07:00\n[figures]\n"
        b'residents_installed = "nhi\xe1\xbb\x81u"\n'
    )
    day = date(2020, 8, 26)
    path = empty_store.path_for(day, "xa-long-khanh-b")
    path.parent.mkdir(parents=True)
    path.write_bytes(content)
    parsed = empty_store.read(day, "xa-long-khanh-b")
    assert parsed.submission is not None and parsed.errors
    for base in (0, 1, None):
        with pytest.raises(RefusedError) as info:
            empty_store.save(make(day=day), base_revision=base)
        assert f"{path}:4:" in info.value.message
        assert "bằng tay" in info.value.message and "bluezone check" in info.value.message
    with pytest.raises(RefusedError) as info:
        submit(empty_store, "xa-long-khanh-b", day, {"residents_installed": "1"}, now=at(day, 14))
    assert f"{path}:4:" in info.value.message and "bluezone check" in info.value.message
    assert info.value.problems and all(p.is_error for p in info.value.problems)
    with pytest.raises(RefusedError):
        prepare(empty_store, "xa-long-khanh-b", day, {}, now=at(day, 14))
    assert path.read_bytes() == content
    assert os.listdir(path.parent) == [path.name]


def test_file_with_validation_errors_can_be_fixed_by_a_save(empty_store):
    """Bounds and cross-field errors are not parse errors: a new save is how they are fixed."""
    path = empty_store.path_for(DAY, "xa-long-khanh-b")
    path.parent.mkdir(parents=True)
    path.write_text(
        "revision = 1\nreported_at = 2020-08-20 14:00:00+07:00\n[figures]\n"
        "residents_installed = 99999\nteams_formed = -5\n"  # over the population, below 0
    )
    assert not empty_store.read(DAY, "xa-long-khanh-b").errors
    saved = submit(
        empty_store,
        "xa-long-khanh-b",
        DAY,
        {"residents_installed": "433", "teams_formed": "2"},
        now=at(DAY, 14, 30),
    )
    assert saved.revision == 2
    assert tomllib.loads(path.read_text())["figures"] == {
        "residents_installed": 433,
        "teams_formed": 2,
    }


# --------------------------------------------------------------------------- layout & reading


@pytest.mark.parametrize("unit_id", ["../evil", "xa/../../x", "..", "Xa-Long", "a b"])
def test_path_for_refuses_bad_unit_ids(empty_store, unit_id):
    with pytest.raises(RefusedError):
        empty_store.path_for(DAY, unit_id)


def test_save_refuses_unknown_unit(empty_store):
    with pytest.raises(RefusedError):
        empty_store.save(make("xa-khong-co"), base_revision=0)
    assert not empty_store.day_dir(DAY).exists() or not os.listdir(empty_store.day_dir(DAY))


def test_layout_is_submissions_day_unit_toml(empty_store, empty_data):
    empty_store.save(make(), base_revision=0)
    assert (empty_data / "submissions" / "2020-08-20" / "xa-long-khanh-b.toml").is_file()
    assert empty_store.days() == [DAY]


def test_days_ignores_non_day_folders(empty_store):
    root = empty_store.root
    for name in ("2020-08-21", "2020-08-19", "notes", "2020-13-40", "2020-8-1"):
        (root / name).mkdir()
    assert empty_store.days() == [date(2020, 8, 19), date(2020, 8, 21)]


def test_reads_are_cached_until_the_file_changes(demo_store):
    demo_store.read_day(DAY)
    first = demo_store.parses
    assert first == 28
    demo_store.read_day(DAY)
    assert demo_store.parses == first
    path = demo_store.path_for(DAY, "xa-long-khanh-b")
    path.write_text(path.read_text().replace("teams_formed = 2", "teams_formed = 12"))
    files = demo_store.read_day(DAY)
    assert demo_store.parses == first + 1
    assert files.files["xa-long-khanh-b"].submission.figures["teams_formed"] == 12


def test_symlink_outside_submissions_is_not_read(empty_store, tmp_path):
    outside = tmp_path / "secret.toml"
    outside.write_text("revision = 1\nreported_at = 2020-08-20T10:00:00+07:00\n")
    day_dir = empty_store.day_dir(DAY)
    day_dir.mkdir(parents=True)
    (day_dir / "xa-long-khanh-b.toml").symlink_to(outside)
    parsed = empty_store.read_day(DAY).files["xa-long-khanh-b"]
    assert parsed.submission is None
    assert parsed.errors


def test_entered_at_defaults_and_timezone(empty_store):
    now_utc = datetime(2020, 8, 20, 7, 45, tzinfo=UTC)  # 14:45 in Hồ Chí Minh City
    saved = submit(
        empty_store,
        "xa-long-khanh-b",
        DAY,
        {"residents_installed": "433"},
        now=now_utc,
        entered_by="mai",
    )
    text = empty_store.path_for(DAY, "xa-long-khanh-b").read_text()
    assert "entered_at = 2020-08-20 14:45:00+07:00" in text
    assert "reported_at = 2020-08-20 14:45:00+07:00" in text  # defaults to now
    assert 'entered_by = "mai"' in text
    assert saved.reported_at == now_utc
    assert saved.entered_at - now_utc == timedelta(0)


def test_entered_by_defaults_to_os_user(empty_store, monkeypatch):
    monkeypatch.setattr(store_module, "current_user", lambda: "os-user")
    import bluezone_tui.day.entry as entry

    monkeypatch.setattr(entry, "current_user", lambda: "os-user")
    submit(empty_store, "xa-long-khanh-b", DAY, {"residents_installed": "433"}, now=at(DAY, 14))
    assert 'entered_by = "os-user"' in empty_store.path_for(DAY, "xa-long-khanh-b").read_text()


def test_a_time_in_a_dst_fold_is_saved_and_read_back():
    """01:00 in New York on the fall-back night is one instant: the writer's read-back check
    must not call it changed (PEP 495 makes inter-zone == False in a fold). Found by the
    round-trip property test above."""
    sub = Submission(
        unit_id="huyen-doan",
        day=date(2000, 10, 29),
        figures={},
        reported_at=datetime(2000, 10, 29, 1, 0, tzinfo=NEW_YORK),
    )
    with tempfile.TemporaryDirectory() as folder:
        saved = Store(Path(folder), EXTENDED).save(sub, base_revision=0)
        parsed = Store(Path(folder), EXTENDED).read(sub.day, "huyen-doan")
        assert parsed is not None and parsed.submission is not None
        assert_same(parsed.submission, expected_after_round_trip(saved))
