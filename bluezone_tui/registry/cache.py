"""A persistent cache of what PyYAML reads from a large units.yaml.

PyYAML's C loader still builds every value in Python: a registry of 10,000 units
takes about 2 s to load, every time a command or the board starts. The loaded
data (plain dicts, lists, strings and numbers) is kept as JSON in
`$XDG_CACHE_HOME/bluezone-tui/` (else `~/.cache/bluezone-tui/`), never in the data
folder, and is used only for the exact same bytes at the same path (SHA-256);
the registry is then built and checked from it as usual, the line and column of
each place the checks named kept with it (a warning needs no second parse). A cache file that is
stale, unreadable, not ours or not valid JSON is ignored and rewritten; a
registry whose data JSON cannot represent exactly (dates, non-text keys, NaN,
YAML aliases) is simply not cached. Small registries (the district's own) are
not cached at all: they load in milliseconds. `BLUEZONE_CACHE=off` disables it.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from bluezone_tui.base.files import make_folders, read_regular, replace_atomically

VERSION = 3  # 2: the checks' places are kept with the data; 3: one way to write a number
MIN_BYTES = 256 * 1024  # below this, PyYAML takes well under 0.1 s
KEEP_FILES = 8  # cache files kept (one per registry path); the oldest go first
MAX_CACHE_BYTES = 512 * 1024 * 1024  # far above any registry's: only junk is bigger


def cache_dir() -> Path | None:
    """Where cache files go, or None when caching is off or there is no home."""
    if os.environ.get("BLUEZONE_CACHE", "").strip().lower() in ("0", "off", "no", "false"):
        return None
    base = os.environ.get("XDG_CACHE_HOME", "").strip()
    try:
        root = Path(base) if base and os.path.isabs(base) else Path.home() / ".cache"
    except (RuntimeError, KeyError, OSError):  # no home directory
        return None
    return root / "bluezone-tui"


def key_for(raw: bytes, path: Path) -> tuple[Path, str, str] | None:
    """(cache file, content digest, resolved path) for this registry, or None: not cached."""
    if len(raw) < MIN_BYTES:
        return None
    folder = cache_dir()
    if folder is None:
        return None
    try:
        where = str(path.resolve())
    except (OSError, RuntimeError):
        return None
    import hashlib  # here: a small registry (the district's) never needs it

    name = hashlib.sha256(where.encode("utf-8", "surrogatepass")).hexdigest()[:24]
    return folder / f"registry-{name}.json", hashlib.sha256(raw).hexdigest(), where


def load(key: tuple[Path, str, str]) -> tuple[Any, dict[tuple[Any, ...], Any]] | None:
    """The cached data and places for exactly these bytes at this path, or None."""
    import json

    file, digest, where = key
    try:
        st = os.stat(file)
        if hasattr(os, "getuid") and st.st_uid != os.getuid():
            return None  # someone else's file: not trusted
        doc = json.loads(read_regular(file, MAX_CACHE_BYTES))  # a FIFO there never blocks
        if (
            not isinstance(doc, dict)
            or doc.get("version") != VERSION
            or doc.get("sha256") != digest
            or doc.get("path") != where
            or "data" not in doc
        ):
            return None
        return doc["data"], {tuple(place): answer for place, answer in doc["places"]}
    except (OSError, ValueError, TypeError, KeyError, RecursionError):
        return None


def save(
    key: tuple[Path, str, str], data: Any, places: dict[tuple[Any, ...], Any], text_length: int
) -> None:
    """Keep `data` and `places` for next time if JSON holds them exactly (what
    _plain_and_bounded lets through: text keys, no NaN, no aliases, so no read back
    is needed to know); never fails."""
    import json

    file, digest, where = key
    if not _plain_and_bounded(data, text_length):
        return
    try:
        text = json.dumps(
            {
                "version": VERSION,
                "sha256": digest,
                "path": where,
                "data": data,
                "places": [[list(place), answer] for place, answer in places.items()],
            },
            ensure_ascii=False,
            allow_nan=False,
        )
        make_folders(file.parent, 0o700)  # each login's own, unless it lies in a shared folder
        replace_atomically(file, text.encode("utf-8"), 0o600, durable=False)
        _prune(file.parent, keep=file)
    except (OSError, ValueError, TypeError, RecursionError):
        return


def _plain_and_bounded(data: Any, text_length: int) -> bool:
    """Only str/int/float/bool/None in dicts with str keys and lists, and no more values
    than the text has characters (more means YAML aliases: JSON would expand them)."""
    budget = text_length
    stack = [data]
    while stack:
        value = stack.pop()
        budget -= 1
        if budget < 0:
            return False
        if isinstance(value, dict):
            for key, item in value.items():
                if not isinstance(key, str):
                    return False
                stack.append(item)
        elif isinstance(value, list):
            stack.extend(value)
        elif not (value is None or isinstance(value, (str, int, float, bool))):
            return False  # dates, bytes, sets…
    return True


def _prune(folder: Path, keep: Path) -> None:
    try:
        files = [p for p in folder.glob("registry-*.json") if p != keep]
        files.sort(key=lambda p: p.stat().st_mtime, reverse=True)
        for old in files[KEEP_FILES - 1 :]:
            old.unlink()
    except OSError:
        return
