"""What one command parsed is used by the next (day/parsed_cache.py): the same parsed
files as a parse gives, and never for a file that changed, another registry, other
code, or a cache file someone else could have written."""

from __future__ import annotations

import json
import os
import re
import time
from datetime import date
from pathlib import Path

import pytest

from bluezone_tui.day import parsed_cache
from bluezone_tui.day.loader import load_day
from bluezone_tui.day.store import Store
from bluezone_tui.registry.load import load_registry
from bluezone_tui.reports.csv import render_csv

DAYS = [date(2020, 8, d) for d in range(20, 27)]


@pytest.fixture
def cache_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "cache"
    monkeypatch.setenv("XDG_CACHE_HOME", str(home))
    monkeypatch.delenv("BLUEZONE_CACHE", raising=False)
    monkeypatch.setattr(parsed_cache, "MIN_UNITS", 1)  # the demo's 30 units are kept too
    monkeypatch.setattr(parsed_cache, "SETTLE_NS", 0)  # files written just now kept too
    return home


def _store(data: Path) -> Store:
    store = Store(data, load_registry(data))
    store.remember_between_runs()
    return store


def _read_all(store: Store) -> dict[str, object]:
    found = {}
    for day in DAYS:
        for unit_id, parsed in store.read_day(day).files.items():
            found[f"{day}/{unit_id}"] = (
                parsed,
                parsed.digest,
                parsed.keys.text if parsed.keys is not None else None,
            )
    store.keep_parses()
    return found


def _cache_file(home: Path) -> Path:
    (file,) = (home / "bluezone-tui").glob("parsed-*.json")
    return file


def _odd_files(data: Path) -> None:
    """Files of every kind: warnings, a withdrawal, confirmations, no entered_at, a note
    in Vietnamese, a local time, a figure given as text."""
    day = data / "submissions" / "2020-08-21"
    first = sorted(day.glob("*.toml"))
    first[0].write_text(first[0].read_text("utf-8") + "unknown_key = 1\n", "utf-8")
    first[1].write_text(
        'revision = 2\nwithdrawn_at = 2020-08-21T10:00:00+07:00\nwithdrawn_by = "a"\n'
        'withdrawn_reason = "nhầm đơn vị"\n',
        "utf-8",
    )
    text = first[2].read_text("utf-8")
    text = re.sub(r"entered_at = .*\n", "", text)
    text = text.replace("reported_at = 2020-08-21 ", "reported_at = 2020-08-21T")
    text = re.sub(r"reported_at = (\S+)\+07:00", r"reported_at = \1", text)  # local time
    first[2].write_text('note = "Đã đôn đốc ấp Thống Nhất"\n' + text, "utf-8")
    first[3].write_text("revision = [\n", "utf-8")  # broken


def test_the_next_command_gets_the_same_parsed_files_without_parsing_them(
    demo_data: Path, cache_home: Path
) -> None:
    _odd_files(demo_data)
    first = _store(demo_data)
    parsed = _read_all(first)
    assert first.parses == len(parsed)

    again = _store(demo_data)
    assert _read_all(again) == parsed
    kept = json.loads(_cache_file(cache_home).read_text("utf-8"))["files"]
    # only clean reports are kept: the warning, the withdrawal and the broken file are parsed
    assert again.parses == len(parsed) - len(kept) == 3


def test_a_file_changed_in_place_with_its_time_put_back_is_parsed_again(
    demo_data: Path, cache_home: Path
) -> None:
    _read_all(_store(demo_data))
    path = sorted((demo_data / "submissions" / "2020-08-22").glob("*.toml"))[0]
    st = path.stat()
    text = path.read_text("utf-8")
    changed = re.sub(
        r"= (\d)(\d*)\n", lambda m: f"= {(int(m.group(1)) % 9) + 1}{m.group(2)}\n", text, count=1
    )
    assert changed != text and len(changed) == len(text)
    with open(path, "r+", encoding="utf-8") as file:  # the same inode, the same size
        file.write(changed)
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))

    store = _store(demo_data)
    files = store.read_day(date(2020, 8, 22)).files
    assert store.parses == 1
    assert files[path.stem].keys is not None and files[path.stem].keys.text == changed


def test_figures_agree_with_and_without_the_cache(demo_data: Path, cache_home: Path) -> None:
    from datetime import datetime
    from zoneinfo import ZoneInfo

    now = datetime(2020, 8, 26, 16, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))

    def csv(store: Store) -> str:
        result = load_day(store, date(2020, 8, 26), now)
        return render_csv(result, store.registry)

    cold = csv(_store(demo_data))
    warm_store = _store(demo_data)
    assert csv(warm_store) == cold
    assert warm_store.parses == 0


def test_another_registry_or_other_code_reads_the_files_again(
    demo_data: Path, cache_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _read_all(_store(demo_data))
    units = demo_data / "units.yaml"
    units.write_text(units.read_text("utf-8") + "\n# một dòng chú thích\n", "utf-8")
    store = _store(demo_data)
    _read_all(store)
    assert store.parses > 0

    again = _store(demo_data)
    _read_all(again)
    assert again.parses == 0
    monkeypatch.setattr(parsed_cache, "VERSION", parsed_cache.VERSION + 1)  # other code
    other = _store(demo_data)
    _read_all(other)
    assert other.parses > 0


@pytest.mark.parametrize(
    "damage",
    [
        lambda f: f.write_text("{", "utf-8"),
        lambda f: f.write_bytes(b"\xff\xfe"),
        lambda f: f.write_text(json.dumps({"made_with": [], "files": {}}), "utf-8"),
        lambda f: f.write_text(
            f.read_text("utf-8").replace('"files": {', '"files": {"x": 1, '), "utf-8"
        ),
        lambda f: f.chmod(0o664),  # others could have written it
    ],
)
def test_a_cache_file_that_is_not_right_is_ignored_and_written_again(
    damage, demo_data: Path, cache_home: Path
) -> None:  # type: ignore[no-untyped-def]
    expected = _read_all(_store(demo_data))
    file = _cache_file(cache_home)
    damage(file)
    store = _store(demo_data)
    assert _read_all(store) == expected
    assert store.parses == len(expected)
    assert _store_reads_nothing(demo_data)


def _store_reads_nothing(data: Path) -> bool:
    store = _store(data)
    _read_all(store)
    return store.parses == 0


def test_off_small_and_homeless(
    demo_data: Path, cache_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BLUEZONE_CACHE", "off")
    _read_all(_store(demo_data))
    assert not (cache_home / "bluezone-tui").exists()
    monkeypatch.delenv("BLUEZONE_CACHE")
    monkeypatch.setattr(parsed_cache, "MIN_UNITS", 31)  # more than the demo's units
    _read_all(_store(demo_data))
    assert not (cache_home / "bluezone-tui").exists()
    monkeypatch.setattr(parsed_cache, "MIN_UNITS", 1)
    cache_home.write_text("not a folder", "utf-8")
    store = _store(demo_data)
    assert len(_read_all(store)) == store.parses  # read all the same


def test_a_timezone_with_a_fold_keeps_the_same_instants(demo_data: Path, cache_home: Path) -> None:
    units = demo_data / "units.yaml"
    units.write_text(
        units.read_text("utf-8").replace(
            "timezone: Asia/Ho_Chi_Minh", "timezone: America/New_York"
        ),
        "utf-8",
    )
    path = sorted((demo_data / "submissions" / "2020-08-23").glob("*.toml"))[0]
    text = re.sub(
        r"reported_at = .*\n", "reported_at = 2020-11-01T01:30:00-05:00\n", path.read_text("utf-8")
    )
    path.write_text(text, "utf-8")  # 01:30 of the second (standard time) pass: fold=1
    cold = _store(demo_data).read_day(date(2020, 8, 23)).files[path.stem]
    _read_all(_store(demo_data))
    warm = _store(demo_data).read_day(date(2020, 8, 23)).files[path.stem]
    assert warm == cold
    assert cold.submission is not None and warm.submission is not None
    assert warm.submission.reported_at.fold == cold.submission.reported_at.fold == 1
    assert warm.submission.reported_at.tzinfo is cold.submission.reported_at.tzinfo


def test_a_file_changed_a_moment_ago_is_not_kept_until_it_has_settled(
    demo_data: Path, cache_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A second write in the same tick of the filesystem's clock, of the same size, leaves
    the signature unchanged (one-second timestamps): a file is kept only once it is older
    than that."""
    monkeypatch.setattr(parsed_cache, "SETTLE_NS", 2_000_000_000)
    path = sorted((demo_data / "submissions" / "2020-08-24").glob("*.toml"))[0]
    time.sleep(0.05)  # after the copy of the others
    path.write_text(path.read_text("utf-8"), "utf-8")  # changed just now
    changed = path.stat().st_ctime_ns
    now = changed + parsed_cache.SETTLE_NS  # the others settled, this one not yet
    monkeypatch.setattr(parsed_cache.time, "time_ns", lambda: now)
    _read_all(_store(demo_data))
    kept = json.loads(_cache_file(cache_home).read_text("utf-8"))["files"]
    assert str(path) not in kept and len(kept) > 100  # the others, older, are kept
    now += 1
    store = _store(demo_data)
    _read_all(store)  # parses that one again, and keeps it now
    assert store.parses == 1
    assert str(path) in json.loads(_cache_file(cache_home).read_text("utf-8"))["files"]


def test_a_local_time_in_a_daylight_saving_gap_is_read_as_written_again(
    demo_data: Path, cache_home: Path
) -> None:
    """02:30 on the night Berlin's clocks jump from 02:00 to 03:00 does not exist; the
    parse keeps it as written, and so must what the next command gets."""
    units = demo_data / "units.yaml"
    units.write_text(
        units.read_text("utf-8").replace("timezone: Asia/Ho_Chi_Minh", "timezone: Europe/Berlin"),
        "utf-8",
    )
    path = sorted((demo_data / "submissions" / "2020-08-25").glob("*.toml"))[0]
    text = re.sub(
        r"reported_at = .*\n", "reported_at = 2021-03-28T02:30:00\n", path.read_text("utf-8")
    )
    path.write_text(text, "utf-8")
    cold = _store(demo_data).read_day(date(2020, 8, 25)).files[path.stem]
    _read_all(_store(demo_data))
    warm = _store(demo_data).read_day(date(2020, 8, 25)).files[path.stem]
    assert cold.submission is not None and warm.submission is not None
    assert warm.submission.reported_at.isoformat() == cold.submission.reported_at.isoformat()
    assert warm == cold
