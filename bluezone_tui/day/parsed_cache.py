"""What a command's parse of the day's files leaves for the next command.

Parsing 10,000 small TOML files and checking their fields takes about 0.45 s each
time a command starts; reading back what the last command parsed takes a sixth of
that. The store's own cache (a file's path → its signature and what it holds) is
kept between commands in the registry cache's folder (`$XDG_CACHE_HOME/bluezone-tui/`,
each login's own, never the data folder), one file per submissions folder, written
by commands (not the board, whose store lives as long as it runs).

A kept entry stands for a file only while nothing about the file changed: its size,
modification time, change time (which only the kernel sets) and inode are the
signature the store compares on every read, as for its own cache. What the parse
made also depends on the registry (a unit's form) and on this code: the cache file
says for which registry bytes and which code it was made, and is ignored otherwise.

Only a file that parsed clean is kept (a report without problems or confirmations;
anything else is parsed again, as rare as it is): its text and the submission's
fields, as JSON, from which the same ParsedFile is built again (a test compares
them). A cache file that is stale, torn, not ours or not JSON is ignored and written
again. Registries of fewer than MIN_UNITS units are not kept at all (their days parse
in milliseconds); `BLUEZONE_CACHE=off` turns it off with the registry cache.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import time
from datetime import date, datetime, timedelta, tzinfo
from functools import lru_cache
from pathlib import Path
from typing import Any

import bluezone_tui
from bluezone_tui.base.files import make_folders, read_regular, replace_atomically
from bluezone_tui.day.submission import KeyLines, ParsedFile, Submission
from bluezone_tui.registry.cache import cache_dir

VERSION = 1
MIN_UNITS = 500  # below this, a day parses in a few milliseconds
MAX_BYTES = 256 * 1024 * 1024  # far above 10,000 units' days: only junk is bigger
KEEP_FILES = 8  # one per submissions folder; the oldest go first
SETTLE_NS = 2_000_000_000  # a file changed this recently is not kept (see save)
PREFIX = "parsed-"
# the code a parse runs: an edited module makes what was kept stale
SOURCES = ("base", "registry", "day")


def cache_file(root: Path) -> Path | None:
    """The file that keeps the parses of the submissions folder `root`, or None when
    caching is off."""
    folder = cache_dir()
    if folder is None:
        return None
    try:
        where = str(root.resolve())
    except (OSError, RuntimeError):
        return None
    name = hashlib.sha256(where.encode("utf-8", "surrogatepass")).hexdigest()[:24]
    return folder / f"{PREFIX}{name}.json"


def stamp(registry_digest: str, root: Path) -> tuple[Any, ...]:
    """What the kept parses were made with: this code, these registry bytes, this folder."""
    package = Path(bluezone_tui.__file__).parent
    code = hashlib.sha256()
    for sub in SOURCES:
        try:
            for entry in sorted(os.scandir(package / sub), key=lambda e: e.name):
                if entry.name.endswith(".py"):
                    st = entry.stat()
                    code.update(f"{sub}/{entry.name}:{st.st_size}:{st.st_mtime_ns};".encode())
        except OSError:
            code.update(b"?")
    return (VERSION, bluezone_tui.__version__, code.hexdigest(), registry_digest, str(root))


Signature = tuple[int, int, int, int]
Entry = tuple[Signature, ParsedFile]


def _moment(text: str, timezone: tzinfo) -> datetime:
    return datetime.fromisoformat(text).astimezone(timezone)


@lru_cache(maxsize=4096)
def _steady(day: date, timezone: tzinfo) -> bool:
    """Whether the zone's offset is the same all day (checked every quarter hour): then
    every wall time of the day exists once, and comes back from its text as it was."""
    start = datetime.combine(day, datetime.min.time(), timezone)
    offset = start.utcoffset()
    return all(
        (start + timedelta(minutes=15 * quarter)).utcoffset() == offset for quarter in range(97)
    )


def _kept_exactly(moment: datetime | None, timezone: tzinfo) -> bool:
    """Whether the moment comes back from its text as it is: in the registry's zone, the
    same wall time and fold (a local time in a daylight-saving gap, 02:30 where the clock
    jumps from 02:00 to 03:00, is read as written and would come back as 03:30)."""
    if moment is None:
        return True
    if moment.tzinfo is not timezone:
        return False
    if _steady(moment.date(), timezone):
        return True
    back = _moment(moment.isoformat(), timezone)
    return back.replace(tzinfo=None) == moment.replace(tzinfo=None) and back.fold == moment.fold


def _plain(parsed: ParsedFile, timezone: tzinfo) -> list[object] | None:
    """A clean parse as JSON's values, or None: not kept."""
    submission = parsed.submission
    if (
        submission is None
        or parsed.problems
        or parsed.keys is None
        or submission.confirmations
        or not _kept_exactly(submission.reported_at, timezone)
        or not _kept_exactly(submission.entered_at, timezone)
    ):
        return None
    return [
        parsed.digest,
        parsed.keys.text,
        submission.unit_id,
        submission.day.isoformat(),
        submission.figures,
        submission.reported_at.isoformat(),
        submission.entered_by,
        submission.entered_at.isoformat() if submission.entered_at is not None else None,
        submission.revision,
        submission.note,
    ]


def _parsed(path: Path, fields: list[object], timezone: tzinfo) -> ParsedFile:
    digest, text, unit_id, day, figures, reported_at, entered_by, entered_at, revision, note = (
        fields
    )
    assert isinstance(text, str) and isinstance(day, str) and isinstance(reported_at, str)
    assert isinstance(figures, dict) and isinstance(revision, int) and isinstance(digest, int)
    assert isinstance(unit_id, str) and isinstance(entered_by, str) and isinstance(note, str)
    submission = Submission(
        unit_id,
        date.fromisoformat(day),
        figures,
        _moment(reported_at, timezone),
        entered_by,
        _moment(entered_at, timezone) if isinstance(entered_at, str) else None,
        revision,
        note,
    )
    return ParsedFile(path, submission, (), digest, KeyLines(text))


def load(file: Path, made_with: tuple[Any, ...], timezone: tzinfo) -> dict[str, Entry]:
    """The kept entries (path → (signature, parsed file)); none when the file is missing,
    not ours, writable by others, made with other code or another registry, unreadable."""
    try:
        st = os.stat(file)
        if hasattr(os, "getuid") and st.st_uid != os.getuid():
            return {}  # someone else's file: not trusted
        if st.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
            return {}  # others could have written it
        doc = json.loads(read_regular(file, MAX_BYTES))  # a FIFO there never blocks
        if not isinstance(doc, dict) or doc.get("made_with") != json.loads(json.dumps(made_with)):
            return {}
        folders: dict[str, Path] = {}  # a folder's Path once: a file's is the folder's / name
        entries = {}
        for path, (size, mtime, ctime, inode, *fields) in doc["files"].items():
            folder, _, name = path.rpartition(os.sep)  # a key is folder + os.sep + name
            parent = folders.get(folder)
            if parent is None:
                parent = folders[folder] = Path(folder)
            entries[path] = ((size, mtime, ctime, inode), _parsed(parent / name, fields, timezone))
        return entries
    except Exception:  # torn, truncated, from another version: a cache is only a cache
        return {}


def save(
    file: Path, made_with: tuple[Any, ...], entries: dict[str, Entry], timezone: tzinfo
) -> None:
    """Keep the clean parses of `entries` for the next command; never fails.

    Not a file changed less than SETTLE_NS ago: a write in the same tick of the
    filesystem's clock (a second on some) as the one read, of the same size, would leave
    the signature as it is (git's "racily clean" entries); kept by a later command."""
    files = {}
    settled = time.time_ns() - SETTLE_NS
    for path, (signature, parsed) in entries.items():
        _size, mtime, ctime, _inode = signature
        if max(mtime, ctime) >= settled:
            continue
        fields = _plain(parsed, timezone)
        if fields is not None:
            files[path] = [*signature, *fields]
    try:
        text = json.dumps({"made_with": made_with, "files": files})  # ASCII: a third faster
        make_folders(file.parent, 0o700)  # each login's own, unless it lies in a shared folder
        replace_atomically(file, text.encode("ascii"), 0o600, durable=False)
        _prune(file.parent, keep=file)
    except Exception:  # a full disk, a read-only home: the next command parses again
        return


def _prune(folder: Path, keep: Path) -> None:
    try:
        files = [p for p in folder.glob(f"{PREFIX}*.json") if p != keep]
        files.sort(key=lambda p: p.stat().st_mtime, reverse=True)
        for old in files[KEEP_FILES - 1 :]:
            old.unlink()
    except OSError:
        return
