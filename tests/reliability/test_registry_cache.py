"""The persistent cache of a large units.yaml: outside the data folder, exact, self-healing."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
import yaml

from bluezone_tui.base.problems import ConfigError
from bluezone_tui.registry import cache as registry_cache
from bluezone_tui.registry import yaml_source as registry_module
from bluezone_tui.registry.load import load_registry
from helpers.data import SHIPPED_REGISTRY
from helpers.process import run_cli

UNITS = 1500  # about 300 KB: above the size from which the YAML data is cached


def big_registry(folder: Path, extra: str = "", prefix: str = "") -> Path:
    """The shipped groups and forms with UNITS generated communes (no district population)."""
    head = SHIPPED_REGISTRY.read_text("utf-8").split("\nunits:")[0]
    head = head.replace("  population: 120514", "  # population: not given")
    units = "".join(
        f"  - id: xa-{i:05d}\n"
        f"    name: Xã Thử Nghiệm {i:05d}\n"
        f"    group: commune\n"
        f"    population: {10_000 + i}\n"
        f"    hamlets: [Ấp 1, Ấp 2, Ấp Long Thạnh, Ấp Phú Hòa]\n"
        f'    contact: {{person: Văn phòng UBND xã (mẫu), phone: "0277 38{i:05d}"}}\n'
        for i in range(UNITS)
    )
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "units.yaml"
    path.write_text(prefix + head + "\nunits:\n" + units + extra, "utf-8")
    assert path.stat().st_size >= registry_cache.MIN_BYTES
    return folder


@pytest.fixture
def cache_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "cache-home"
    monkeypatch.setenv("XDG_CACHE_HOME", str(home))
    monkeypatch.delenv("BLUEZONE_CACHE", raising=False)
    return home


def cache_files(home: Path) -> list[Path]:
    folder = home / "bluezone-tui"
    return sorted(folder.glob("registry-*.json")) if folder.is_dir() else []


def no_yaml(monkeypatch: pytest.MonkeyPatch) -> None:
    """From here on, any parse of the YAML text (a load or a compose) fails the test."""

    def refuse(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise AssertionError("YAML parsed although the cache should have answered")

    monkeypatch.setattr(registry_module._StrictLoader, "__init__", refuse)
    monkeypatch.setattr(registry_module.yaml, "load", refuse)
    monkeypatch.setattr(registry_module.yaml, "compose", refuse)


def test_a_large_registry_is_cached_outside_the_data_folder(
    tmp_path: Path, cache_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = big_registry(tmp_path / "data")
    first = load_registry(data)
    assert [p.name for p in data.iterdir()] == ["units.yaml"]  # nothing in the data folder
    (cached,) = cache_files(cache_home)
    assert oct(cached.parent.stat().st_mode & 0o777) == oct(0o700)
    no_yaml(monkeypatch)
    second = load_registry(data)
    assert second == first
    assert second is not first and second.units[7] == first.units[7]


def test_a_warning_costs_no_second_parse_of_the_yaml(
    tmp_path: Path, cache_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The district's population differs from its communes' sum: a warning at its line,
    whether the data comes from the YAML (parsed once) or from the cache (not at all)."""
    data = big_registry(tmp_path / "data")
    path = data / "units.yaml"
    text = path.read_text("utf-8").replace("  # population: not given", "  population: 5  #")
    path.write_text(text, "utf-8")
    line = next(i for i, row in enumerate(text.splitlines(), 1) if "population: 5  #" in row)

    def no_compose(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise AssertionError("the YAML composed a second time for a line number")

    monkeypatch.setattr(registry_module.yaml, "compose", no_compose)
    first = load_registry(data)
    (warning,) = [w for w in first.warnings if w.message.startswith("dân số huyện")]
    assert (warning.line, warning.column, warning.severity) == (line, 3, "warning")
    no_yaml(monkeypatch)
    assert load_registry(data).warnings == first.warnings


def test_a_changed_registry_is_read_again(
    tmp_path: Path, cache_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = big_registry(tmp_path / "data")
    load_registry(data)
    path = data / "units.yaml"
    st = path.stat()
    text = path.read_text("utf-8")
    # Same size, same mtime: only the content says it changed.
    path.write_text(text.replace("population: 10007\n", "population: 10008\n"), "utf-8")
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert path.stat().st_size == st.st_size
    assert load_registry(data).by_id["xa-00007"].attributes["population"] == 10008


def test_the_same_registry_at_another_path_has_its_own_entry(
    tmp_path: Path, cache_home: Path
) -> None:
    one = big_registry(tmp_path / "one")
    two = tmp_path / "two"
    shutil.copytree(one, two)
    assert load_registry(one).path == one / "units.yaml"
    assert load_registry(two).path == two / "units.yaml"
    assert len(cache_files(cache_home)) == 2


@pytest.mark.parametrize(
    "damage",
    [
        lambda f: f.write_bytes(f.read_bytes()[: len(f.read_bytes()) // 2]),  # truncated
        lambda f: f.write_bytes(os.urandom(5000)),  # junk
        lambda f: f.write_text("", "utf-8"),  # empty
        lambda f: f.write_text("[1, 2, 3]", "utf-8"),  # JSON, not ours
        lambda f: f.write_text(
            json.dumps({**json.loads(f.read_text("utf-8")), "version": 0}), "utf-8"
        ),
        lambda f: f.write_text(
            json.dumps({**json.loads(f.read_text("utf-8")), "sha256": "0" * 64}), "utf-8"
        ),
        lambda f: f.write_text(json.dumps({"version": registry_cache.VERSION}), "utf-8"),
        lambda f: f.unlink() or f.mkdir(),  # a folder where the file was
        lambda f: f.chmod(0o000),  # unreadable (no effect when run as root)
    ],
    ids=[
        "truncated",
        "junk",
        "empty",
        "not-ours",
        "old-version",
        "stale-digest",
        "no-data",
        "a-folder",
        "unreadable",
    ],
)
def test_a_broken_cache_is_ignored_and_rewritten(damage, tmp_path: Path, cache_home: Path) -> None:  # type: ignore[no-untyped-def]
    data = big_registry(tmp_path / "data")
    expected = load_registry(data)
    (cached,) = cache_files(cache_home)
    damage(cached)
    try:
        assert load_registry(data) == expected
        if cached.is_file():
            doc = json.loads(cached.read_text("utf-8"))
            assert doc["version"] == registry_cache.VERSION
            assert load_registry(data) == expected
    finally:
        if cached.exists() and not cached.is_dir():
            cached.chmod(0o600)


def test_an_unusable_cache_home_is_no_obstacle(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    not_a_folder = tmp_path / "file"
    not_a_folder.write_text("x", "utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(not_a_folder))
    data = big_registry(tmp_path / "data")
    assert len(load_registry(data).units) == UNITS


def test_bluezone_cache_off(tmp_path: Path, cache_home: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("BLUEZONE_CACHE", "off")
    load_registry(big_registry(tmp_path / "data"))
    assert cache_files(cache_home) == []


def test_a_small_registry_is_not_cached(tmp_path: Path, cache_home: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    shutil.copy(SHIPPED_REGISTRY, data / "units.yaml")
    load_registry(data)
    assert not (cache_home / "bluezone-tui").exists()


def test_errors_are_the_same_from_the_cache(
    tmp_path: Path, cache_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = big_registry(tmp_path / "data", extra="  - {id: xa-00003, name: Lặp, group: commune}\n")
    with pytest.raises(ConfigError) as first:
        load_registry(data)
    no_yaml(monkeypatch)
    with pytest.raises(ConfigError) as second:
        load_registry(data)
    assert [str(p) for p in second.value.problems] == [str(p) for p in first.value.problems]
    assert "bị lặp" in str(second.value.problems[0])


def test_yaml_values_json_cannot_hold_exactly_are_not_cached(
    tmp_path: Path, cache_home: Path
) -> None:
    data = big_registry(tmp_path / "data", prefix="x-note: 2020-08-20\n")  # a date
    load_registry(data)
    assert cache_files(cache_home) == []


def test_an_alias_bomb_in_a_large_registry_is_not_expanded(
    tmp_path: Path, cache_home: Path
) -> None:
    bomb = (
        'x-lol1: &lol1 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]\n'
        + "".join(f"x-lol{n}: &lol{n} [{', '.join([f'*lol{n - 1}'] * 9)}]\n" for n in range(2, 10))
    )
    school = "  - {id: thpt-a, name: THPT A, group: school, students: 900}\n"
    data = big_registry(tmp_path / "data", extra=school, prefix=bomb + "x-bomb: *lol9\n")
    result = run_cli("--data", data, "check", env={"XDG_CACHE_HOME": str(cache_home)})
    assert result.code == 0, result.text  # top-level keys starting x- are the file's own
    assert cache_files(cache_home) == []


def test_yaml_data_round_trips(tmp_path: Path, cache_home: Path) -> None:
    data = big_registry(tmp_path / "data")
    load_registry(data)
    (cached,) = cache_files(cache_home)
    text = (data / "units.yaml").read_text("utf-8")
    assert json.loads(cached.read_text("utf-8"))["data"] == yaml.safe_load(text)
