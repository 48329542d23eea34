"""The day store: `submissions/YYYY-MM-DD/<unit-id>.toml`, the one place that knows the layout.

It reads, parses and writes files, and knows nothing of the rules (validation, status:
see loader.py). The one cache of the core is here: each file's parse, kept while its
size, mtime and inode stay the same, so re-reading a day costs one stat per file and a
parse only of the files that changed. Writes are atomic (temp file in the same folder,
fsync, rename, fsync of the folder) and guarded against lost updates by the revision
the edit was based on, checked under an exclusive lock on the folder.
"""

from __future__ import annotations

import contextlib
import gc
import getpass
import os
import re
import stat as stat_module
import time
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from itertools import islice
from pathlib import Path
from typing import TypeVar

from bluezone_tui.base.failed_writes import NOTHING_WRITTEN, refusing_writes
from bluezone_tui.base.files import (
    TEMP_SUFFIX,
    Made,
    NotRegularFile,
    TooLarge,
    fsync_dir,
    kind_of,
    os_reason,
    read_regular,
    replace_atomically,
)
from bluezone_tui.base.problems import ConfigError, Problem, RefusedError, StaleRevisionError
from bluezone_tui.base.sharing import denied
from bluezone_tui.base.vn import fmt_time, nfc
from bluezone_tui.day import parsed_cache
from bluezone_tui.day.submission import (
    MAX_FILE_BYTES,
    ParsedFile,
    Submission,
    Withdrawal,
    as_stored,
    parse_file,
    preserve_hand_edits,
    to_toml,
    withdrawal_toml,
)
from bluezone_tui.registry.model import Registry, Unit, unit_id_problem

UNREADABLE = "unreadable"  # Problem.code of a file or folder the OS would not let us read
LINKED = "linked"  # Problem.code of a unit's file or a day folder that is a symbolic link

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: saves are still atomic, not locked
    fcntl = None  # type: ignore[assignment]  # no such module: checked for None before locking

SUBMISSIONS_DIR = "submissions"
DAY_DIR_RE = re.compile(r"\d{4}-\d{2}-\d{2}\Z")
STALE_TEMP_SECONDS = 60.0
# What submissions/ may hold besides day folders without a word said.
IGNORED_IN_ROOT = frozenset({".gitkeep", ".gitignore", "README.md", "README"})
# What a day folder may hold besides units' files without a word said.
IGNORED_IN_DAY = frozenset({".gitkeep", ".gitignore"})
MAX_LISTED_DAYS = 4000  # day folders whose listing is kept (for misnamed files)
# Parses kept: a year of a 270-unit district, or 10 days of 10,000 units. Past it the
# oldest quarter is dropped (read again, and parsed again, when next asked for).
MAX_CACHED_FILES = 100_000
# Plain files only: a symlink fails (the slow path checks where it points) and a FIFO
# does not block the reader.
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
_SCANDIR_FD = os.scandir in os.supports_fd
_DIR_FLAGS = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0)

Kept = TypeVar("Kept")  # what a write over a conflict keeps: a submission or a withdrawal
Signature = tuple[int, int, int, int]  # size, mtime, ctime (ns), inode: a file not changed since


def current_user() -> str:
    """The OS user, for `entered_by` when none is given."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return os.environ.get("USER") or "không rõ"


@dataclass(slots=True)
class DayFiles:
    """What the day's folder holds: each unit's parsed file, and files that belong to nobody.

    Two reads of an unchanged folder compare equal (the cache hands out the same parses),
    which is how the board knows that nothing needs computing again.
    """

    day: date
    files: dict[str, ParsedFile] = field(default_factory=dict)
    stray: list[Problem] = field(default_factory=list)

    @property
    def problems(self) -> list[Problem]:
        found = list(self.stray)
        for parsed in self.files.values():
            found.extend(parsed.problems)
        return found


def _signature(st: os.stat_result) -> Signature:
    """What says a file is the one parsed before. The change time is in it: a write in
    place that keeps the size and puts the modification time back (`touch -d`, a copy
    tool keeping times) still moves it, and nothing but the kernel sets it."""
    return (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)


class Store:
    def __init__(self, data_dir: Path, registry: Registry):
        self.data_dir = data_dir
        self.root = data_dir / SUBMISSIONS_DIR
        self.registry = registry
        self._parsed: dict[str, tuple[Signature, ParsedFile]] = {}  # path -> the one cache
        self._root: tuple[Signature, _RootListing] | None = None
        self._listed: dict[date, tuple[Signature, dict[str, list[str]]]] = {}
        self.parses = 0  # files parsed since start: tests and the benchmark read it
        self._kept: tuple[Path, tuple[object, ...]] | None = None  # see remember_between_runs
        self._parses_kept = 0
        self._folders_read: set[str] = set()  # day folders read: what keep_parses keeps

    # ----------------------------------------------------------------- between commands

    def remember_between_runs(self) -> None:
        """Start from what the last command parsed, and let keep_parses() keep this one's
        (day/parsed_cache.py): for a command, whose store lives a moment; a large
        registry's only."""
        if len(self.registry.units) < parsed_cache.MIN_UNITS:
            return
        file = parsed_cache.cache_file(self.root)
        if file is None:
            return
        self._kept = (file, parsed_cache.stamp(self.registry.source_digest, self.root))
        collecting = gc.isenabled()
        gc.disable()  # 100,000 objects come back: no collection walks them meanwhile
        try:
            entries = parsed_cache.load(*self._kept, self.registry.timezone)
        finally:
            if collecting:
                gc.enable()
        for key, entry in entries.items():
            self._parsed.setdefault(key, entry)
        gc.freeze()  # they live as long as the command: no later collection walks them
        self._parses_kept = self.parses

    def keep_parses(self) -> None:
        """Keep the parses of the day folders this store read, if any file was parsed
        since the last time (after remember_between_runs; otherwise nothing)."""
        if self._kept is None or self.parses == self._parses_kept:
            return
        folders = self._folders_read
        kept = {k: v for k, v in self._parsed.items() if k.rpartition(os.sep)[0] in folders}
        parsed_cache.save(*self._kept, kept, self.registry.timezone)
        self._parses_kept = self.parses

    # ----------------------------------------------------------------- layout

    def day_dir(self, day: date) -> Path:
        return self.root / day.isoformat()

    def path_for(self, day: date, unit_id: str) -> Path:
        why = unit_id_problem(unit_id)
        if why:
            raise RefusedError(why)
        return self.day_dir(day) / f"{unit_id}.toml"

    def days(self) -> list[date]:
        """Every day with a folder, oldest first."""
        return list(self._root_listing().days)

    def skipped_in_root(self, day: date | None = None) -> list[Problem]:
        """What submissions/ holds besides day folders, each named: a folder that reads as
        a day but is not named YYYY-MM-DD (`2020-8-27`) is an error for every view of its
        day or a later one (its files are that day's, or would be carried from it);
        anything else is a warning. None: every entry, as `check` lists them."""
        found = []
        for when, problem in self._root_listing().skipped:
            if when is not None and (day is None or when <= day):
                found.append(problem)
            else:
                found.append(replace(problem, severity="warning"))
        return found

    def _root_listing(self) -> _RootListing:
        """submissions/'s entries sorted into days and what is skipped, listed again only
        when the folder changed (the board asks every second)."""
        try:
            st = os.stat(self.root)
        except OSError:  # missing, or unusable: root_problem() says which
            return _RootListing((), ())
        signature = _signature(st)
        cached = self._root
        if cached is not None and cached[0] == signature:
            return cached[1]
        try:
            entries = [(entry.name, entry.is_dir()) for entry in os.scandir(self.root)]
        except OSError:
            return _RootListing((), ())
        days = []
        skipped = []
        for name, is_dir in entries:
            if name in IGNORED_IN_ROOT or name == ".git":
                continue
            if DAY_DIR_RE.match(name):  # not a folder: read_day() says so when asked
                with contextlib.suppress(ValueError):
                    days.append(date.fromisoformat(name))
                    continue
            skipped.append(_root_entry_problem(self.root / name, name, is_dir))
        listing = _RootListing(tuple(sorted(days)), tuple(skipped))
        self._root = (signature, listing)
        return listing

    def root_problem(self) -> Problem | None:
        """Why submissions/ cannot be used (a file, a dangling symlink, unreadable), or None.

        A data folder without submissions/ is a new one: no problem (the first save makes it).
        """
        root = self.root
        try:
            st = os.stat(root)
        except FileNotFoundError:
            if os.path.islink(root):
                return Problem(
                    f"là liên kết tượng trưng hỏng (trỏ tới «{os.readlink(root)}», không có "
                    f"ở đó): không có số liệu nào đọc được",
                    path=root,
                )
            return None
        except OSError as exc:
            return Problem(f"không truy cập được: {os_reason(exc)}", path=root, code=UNREADABLE)
        if not stat_module.S_ISDIR(st.st_mode):
            return Problem(
                f"phải là thư mục chứa các thư mục ngày, nhưng đang là {kind_of(st.st_mode)}",
                path=root,
            )
        if not os.access(root, os.R_OK | os.X_OK):
            return Problem(
                "không có quyền đọc thư mục (kiểm tra quyền của thư mục và người dùng đang "
                "chạy bluezone)",
                path=root,
                code=UNREADABLE,
            )
        return None

    def require_usable(self) -> None:
        """Raise ConfigError (exit 2) when submissions/ cannot be used at all."""
        problem = self.root_problem()
        if problem is not None:
            raise ConfigError(str(problem), [problem])

    # ----------------------------------------------------------------- reading

    def read_day(self, day: date, unit_ids: Collection[str] | None = None) -> DayFiles:
        """Every file of the day (or only these units'), parsed or from the cache; never
        raises for a bad file: its problems are in its ParsedFile, or in `stray`."""
        result = DayFiles(day)
        if unit_ids is not None:
            missing = []
            for unit_id in unit_ids:
                parsed = self.read(day, unit_id)
                if parsed is not None:
                    result.files[unit_id] = parsed
                else:
                    missing.append(unit_id)
            if missing:  # a unit's file under a name the store does not read
                misnamed = self._misnamed(day)
                for unit_id in missing:
                    names = misnamed.get(unit_id)
                    if names:
                        unit = self.registry.by_id[unit_id]
                        result.files[unit_id] = _misnamed_file(self.day_dir(day), names, unit)
            return result
        directory = self.day_dir(day)
        problem = self.root_problem() or self._outside_problem(directory)
        if problem is not None:
            result.stray.append(problem)
            return result
        result.stray += self.skipped_in_root(day)
        fd = None
        try:
            try:
                if _SCANDIR_FD:  # entries then stat relative to the folder: cheaper
                    fd = os.open(directory, _DIR_FLAGS)
                    iterator = os.scandir(fd)
                else:  # pragma: no cover - Windows
                    iterator = os.scandir(directory)
            except FileNotFoundError:
                return result
            except NotADirectoryError:
                result.stray.append(Problem("phải là một thư mục ngày", path=directory))
                return result
            except OSError as exc:
                result.stray.append(unreadable_problem(directory, exc, folder=True))
                return result
            with iterator:
                try:
                    self._read_entries(day, str(directory), iterator, result)
                except OSError as exc:  # the folder vanished or failed while being listed
                    return DayFiles(day, stray=[unreadable_problem(directory, exc, folder=True)])
        finally:
            if fd is not None:
                os.close(fd)
        return result

    def _read_entries(
        self, day: date, folder: str, entries: Iterator[os.DirEntry], result: DayFiles
    ) -> None:
        # The hot path of the board's poll: per file one lstat, compared with the cache.
        self._folders_read.add(folder)
        by_id = self.registry.by_id
        cache = self._parsed
        files = result.files
        prefix = os.path.join(folder, "")
        is_regular = stat_module.S_ISREG
        misnamed: dict[str, list[str]] = {}
        for entry in entries:
            name = entry.name
            if name[0] == "." and _unseen_in_day(name):
                continue  # temp files of saves in progress
            key = prefix + name
            unit = by_id.get(name[:-5]) if name.endswith(".toml") else None
            if unit is None:
                owner = self._owner_of(name)
                if owner is not None:
                    misnamed.setdefault(owner, []).append(name)
                else:
                    result.stray.append(_stray_problem(name, key))
                continue
            parsed = None
            try:
                st = entry.stat(follow_symlinks=False)
            except OSError:  # gone since the listing: the slow path says what is there
                st = None
            if st is not None and is_regular(st.st_mode):
                cached = cache.get(key)
                if cached is not None and cached[0] == _signature(st):
                    parsed = cached[1]
                else:
                    parsed = self._load_plain(key, unit, day)
            files[unit.id] = parsed or self._read_path(Path(key), unit, day)
        directory = Path(folder)
        for unit_id, names in misnamed.items():
            if unit_id in files:  # beside the unit's own file: a copy, a backup
                for name in names:
                    result.stray.append(
                        Problem(
                            f"tệp lạ cạnh tệp báo cáo «{unit_id}.toml» của đơn vị: bỏ qua "
                            f"(bản sao, bản lưu dự phòng?)",
                            path=directory / name,
                            severity="warning",
                        )
                    )
            else:
                files[unit_id] = _misnamed_file(directory, names, by_id[unit_id])

    def _owner_of(self, name: str) -> str | None:
        """The unit whose file this name looks like (`phong-noi-vu.TOML`, `Phong-Noi-Vu.toml`,
        `phong-noi-vu.toml.bak`, `phong-noi-vu.txt`), or None."""
        stem = name.strip().lstrip(".").casefold().split(".", 1)[0].strip()
        return stem if stem in self.registry.by_id else None

    def _misnamed(self, day: date) -> dict[str, list[str]]:
        """unit id -> names in the day's folder that look like its file but are not it;
        listed again only when the folder changed."""
        directory = self.day_dir(day)
        try:
            st = os.stat(directory)
        except OSError:
            return {}
        signature = _signature(st)
        cached = self._listed.get(day)
        if cached is not None and cached[0] == signature:
            return cached[1]
        found: dict[str, list[str]] = {}
        try:
            names = os.listdir(directory)
        except OSError:
            return {}
        by_id = self.registry.by_id
        for name in names:
            if _unseen_in_day(name) or (name.endswith(".toml") and name[:-5] in by_id):
                continue
            owner = self._owner_of(name)
            if owner is not None:
                found.setdefault(owner, []).append(name)
        if len(self._listed) > MAX_LISTED_DAYS:
            self._listed.clear()
        self._listed[day] = (signature, found)
        return found

    def _load_plain(self, key: str, unit: Unit, day: date) -> ParsedFile | None:
        """Open, fstat, read and parse a plain file; None for anything else (the slow path).

        The signature comes from the open file itself, so it always describes the
        bytes that were parsed, even if the file is replaced meanwhile.
        """
        try:
            fd = os.open(key, _OPEN_FLAGS)
        except OSError:
            return None  # a symlink put there meanwhile, gone, unreadable: the slow path says
        try:
            st = os.fstat(fd)
            if not stat_module.S_ISREG(st.st_mode):
                return None
            signature = _signature(st)
            cached = self._parsed.get(key)
            if cached is not None and cached[0] == signature:
                return cached[1]
            raw = _read_fd(fd, st.st_size)
        except OSError:
            return None
        finally:
            os.close(fd)
        return self._parse(key, signature, raw, unit, day, st.st_size)

    def _parse(
        self, key: str, signature: Signature, raw: bytes, unit: Unit, day: date, size: int
    ) -> ParsedFile:
        self.parses += 1
        parsed = parse_file(Path(key), raw, unit, day, self.registry.timezone, size)
        cache = self._parsed
        if len(cache) >= MAX_CACHED_FILES:
            # the board's poll and its export read in two threads: either may drop it first
            for old in list(islice(cache, MAX_CACHED_FILES // 4)):
                cache.pop(old, None)
        cache[key] = (signature, parsed)
        return parsed

    def read(self, day: date, unit_id: str) -> ParsedFile | None:
        """One unit's file for a day, or None when there is none."""
        unit = self.registry.by_id.get(unit_id)
        path = self.path_for(day, unit_id)
        if unit is None:
            raise RefusedError(f"đơn vị «{unit_id}» không có trong units.yaml")
        try:
            os.lstat(path)
        except FileNotFoundError:
            return None
        except OSError:
            pass  # unreadable: _read_path says so
        linked = self._outside_problem(path.parent)
        if linked is not None:  # never read through a linked day folder
            return ParsedFile(path, None, (linked,))
        return self._read_path(path, unit, day)

    def _read_path(self, path: Path, unit: Unit, day: date) -> ParsedFile:
        """A file by its path, whatever is there: a symlink, a FIFO, a folder, nothing readable."""
        try:
            st = os.lstat(path)
        except OSError as exc:
            return ParsedFile(path, None, (unreadable_problem(path, exc),))
        if stat_module.S_ISLNK(st.st_mode):
            # A save never writes through a link (it would change the file linked to),
            # so a link is never read as this unit's report either.
            problem = self._symlink_problem(path) or _linked_file_problem(path)
            return ParsedFile(path, None, (problem,))
        if not stat_module.S_ISREG(st.st_mode):
            return ParsedFile(
                path,
                None,
                (Problem(f"không phải một tệp thường: là {kind_of(st.st_mode)}", path=path),),
            )
        key = str(path)
        self._folders_read.add(os.path.dirname(key))
        cached = self._parsed.get(key)
        if cached is not None and cached[0] == _signature(st):
            return cached[1]
        size = st.st_size
        try:
            raw = read_regular(path, MAX_FILE_BYTES)
        except TooLarge as exc:
            raw, size = b"", exc.size
        except NotRegularFile as exc:  # replaced meanwhile
            return ParsedFile(
                path, None, (Problem(f"không phải một tệp thường: là {os_reason(exc)}", path=path),)
            )
        except OSError as exc:
            return ParsedFile(path, None, (unreadable_problem(path, exc),))
        return self._parse(key, _signature(st), raw, unit, day, size)

    def _outside_problem(self, directory: Path) -> Problem | None:
        """A day folder that is a symlink is neither read nor written, as a unit's file
        that is one: out of submissions/ it reads another office's data; inside it
        (`2020-08-27 -> 2020-08-26`) it counts one day's reports as another's, and a
        save through it changes the day linked to."""
        if not os.path.islink(directory):
            return None
        problem = self._symlink_problem(directory)
        if problem is not None:
            return replace(problem, code=LINKED)
        try:
            target = os.readlink(directory)
        except OSError as exc:
            target = os_reason(exc)
        return Problem(
            f"thư mục ngày là liên kết tượng trưng (tới «{target}»), không phải thư mục thật: "
            f"không đọc, không ghi qua nó (các báo cáo trong đó là của ngày khác); thay bằng "
            f"một thư mục thật hoặc xoá liên kết",
            path=directory,
            code=LINKED,
        )

    def _symlink_problem(self, path: Path) -> Problem | None:
        target = os.path.realpath(path)
        root = os.path.realpath(self.root)
        if os.path.commonpath([target, root]) != root:
            return Problem(
                "là liên kết tượng trưng trỏ ra ngoài thư mục submissions/; không đọc",
                path=path,
            )
        return None

    # ----------------------------------------------------------------- writing

    @contextlib.contextmanager
    def _locked(self, directory: Path) -> Iterator[None]:
        """An exclusive lock on the day's folder, held for one read-check-write."""
        if fcntl is None:  # pragma: no cover
            yield
            return
        try:
            fd = os.open(directory, os.O_RDONLY)
        except OSError as exc:
            refused = denied(exc, reading=True)  # a folder is opened for reading to lock it
            if refused is not None:
                raise RefusedError(f"{refused}; chưa ghi gì") from None
            raise RefusedError(
                f"{unreadable_problem(directory, exc, folder=True)}; chưa ghi gì"
            ) from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            if os.fstat(fd).st_nlink == 0:  # taken back by a save that failed meanwhile
                raise _FolderGone
            yield
        finally:
            os.close(fd)  # closing releases the lock

    def _ensure_dir(self, directory: Path, made: Made) -> None:
        """The day's folder, made (and noted in `made`, so that a save that then fails
        takes it back: "chưa ghi gì" leaves nothing) when it is not there yet."""
        if directory.is_dir():
            return
        self.require_usable()
        # in a shared data folder, a day folder every clerk of the group can write; a full
        # disk is the same refusal whether or not the day had a folder
        with refusing_writes(directory, what="không tạo được thư mục ngày"):
            made.folders(directory)
        fsync_dir(directory.parent)

    def save(
        self,
        submission: Submission,
        *,
        base_revision: int | None,
        base_digest: int | None = None,
    ) -> Submission:
        """Write a submission atomically as revision base+1; refuse if the file moved on.

        base_revision is the revision the edit started from (0: no file yet);
        None skips the guard (only for tools that rebuild data from scratch).
        """
        unit = self.registry.by_id.get(submission.unit_id)
        if unit is None:
            raise RefusedError(f"đơn vị «{submission.unit_id}» không có trong units.yaml")
        path = self.path_for(submission.day, submission.unit_id)
        directory = path.parent
        linked = self._outside_problem(directory)
        if linked is not None:
            raise RefusedError(f"{linked}; chưa ghi gì")
        made = Made()
        try:
            for _attempt in range(3):
                try:
                    return self._save_in(path, submission, unit, base_revision, base_digest, made)
                except _FolderGone:  # made again, then locked again
                    continue
            raise RefusedError(
                f"{directory}: thư mục ngày liên tục bị xoá trong lúc lưu; chưa ghi gì, thử lại"
            )
        except BaseException:
            made.undo()  # the day's folder made for this save, while it is still empty
            raise

    def _save_in(
        self,
        path: Path,
        submission: Submission,
        unit: Unit,
        base_revision: int | None,
        base_digest: int | None,
        made: Made,
    ) -> Submission:
        directory = path.parent
        self._ensure_dir(directory, made)
        with self._locked(directory):
            # Never the cached parse here: two saves within one tick of the file clock
            # can give a new file the size, mtime and inode number of an older one.
            self._parsed.pop(str(path), None)
            current = self.read(submission.day, submission.unit_id)
            if current is not None and current.broken:
                raise broken_file_refusal(path, current)
            # what an edit starts from: the report's revision; a withdrawn one is no report
            current_revision = current.submission.revision if current and current.submission else 0
            stale = base_revision is not None and base_revision != current_revision
            if not stale and base_digest is not None and current is not None:
                stale = current.digest != base_digest
            if stale:
                raise StaleRevisionError(
                    _stale_message(path, base_revision, current, submission), current_revision
                )
            existing = current.submission if current is not None else None
            if existing is not None and existing.same_values(submission):
                return existing  # nothing to write
            after = current.revision if current is not None else 0  # a withdrawal's too
            saved = as_stored(submission).with_changes(revision=after + 1)
            data = self._render(path, saved, unit)
            # disk full, permissions: the old file is intact
            with refusing_writes(
                path, "tệp cũ vẫn nguyên" if current is not None else NOTHING_WRITTEN
            ):
                replace_atomically(path, data)
            _remove_stale_temps(directory)
        return saved

    def withdraw(
        self,
        unit_id: str,
        day: date,
        *,
        by: str,
        reason: str,
        at: datetime,
        base_revision: int | None = None,
    ) -> tuple[Withdrawal, bool]:
        """Replace the unit's report of `day` by its withdrawal (who, when, why), as the
        next revision, under the day's lock; (the withdrawal, whether it was written now:
        False when the report was withdrawn already). Refused when there is no report,
        the file cannot be read, or it moved on from `base_revision`."""
        unit = self.registry.by_id.get(unit_id)
        if unit is None:
            raise RefusedError(f"đơn vị «{unit_id}» không có trong units.yaml")
        path = self.path_for(day, unit_id)
        if not path.parent.is_dir():
            raise RefusedError(
                f"{path}: đơn vị «{unit_id}» chưa có báo cáo ngày {day:%d/%m/%Y} để rút"
            )
        with self._locked(path.parent):
            self._parsed.pop(str(path), None)
            current = self.read(day, unit_id)
            if current is None:
                raise RefusedError(
                    f"{path}: đơn vị «{unit_id}» chưa có báo cáo ngày {day:%d/%m/%Y} để rút"
                )
            if current.broken:
                raise broken_file_refusal(path, current)
            if current.withdrawal is not None:
                return current.withdrawal, False
            if base_revision is not None and base_revision != current.revision:
                raise StaleRevisionError(
                    f"{path}: tệp đang ở bản {current.revision}, không phải bản {base_revision}; "
                    f"không rút: xem lại báo cáo rồi làm lại",
                    current.revision,
                )
            withdrawal = Withdrawal(
                unit_id, day, current.revision + 1, at.replace(microsecond=0), nfc(by), nfc(reason)
            )
            data = withdrawal_toml(withdrawal)
            back = parse_file(path, data, unit, day, self.registry.timezone)
            if back.withdrawal is None or back.errors:
                raise RefusedError(f"{path}: không ghi: tệp sẽ không đọc lại được; chưa ghi gì")
            with refusing_writes(path, "tệp cũ vẫn nguyên"):
                replace_atomically(path, data)
        return back.withdrawal, True

    def replace_conflicted(self, submission: Submission, conflicted_digest: int) -> Submission:
        """Write the resolution of a file git left with conflict markers, over it.

        Unlike save(), the file on disk is not a base (it is two versions at once): it
        must still be exactly the conflicted file the resolution was made from
        (`conflicted_digest`), else someone resolved or changed it meanwhile. The
        submission is written canonically, checked by the reader first, as every save.
        """
        saved = as_stored(submission)

        def render(path: Path, unit: Unit) -> tuple[Submission, bytes]:
            data = to_toml(saved, unit.form)
            problem = self._read_back_problem(path, data, saved, unit)
            if problem is not None:
                raise RefusedError(f"{path}: không ghi: {problem}; chưa ghi gì")
            return saved, data

        return self._over_conflict(submission.day, submission.unit_id, conflicted_digest, render)

    def replace_conflicted_withdrawal(
        self, withdrawal: Withdrawal, conflicted_digest: int
    ) -> Withdrawal:
        """replace_conflicted() for a withdrawal kept over the report it withdrew."""

        def render(path: Path, unit: Unit) -> tuple[Withdrawal, bytes]:
            data = withdrawal_toml(withdrawal)
            back = parse_file(path, data, unit, withdrawal.day, self.registry.timezone)
            if back.withdrawal is None or back.errors:
                raise RefusedError(f"{path}: không ghi: tệp sẽ không đọc lại được; chưa ghi gì")
            return back.withdrawal, data

        return self._over_conflict(withdrawal.day, withdrawal.unit_id, conflicted_digest, render)

    def _over_conflict(
        self,
        day: date,
        unit_id: str,
        conflicted_digest: int,
        render: Callable[[Path, Unit], tuple[Kept, bytes]],
    ) -> Kept:
        """Under the day's lock: the file still the conflicted one read, then what
        `render` gives (the kept value and its checked bytes) written over it."""
        unit = self.registry.by_id.get(unit_id)
        if unit is None:
            raise RefusedError(f"đơn vị «{unit_id}» không có trong units.yaml")
        path = self.path_for(day, unit_id)
        with self._locked(path.parent):
            self._parsed.pop(str(path), None)
            current = self.read(day, unit_id)
            if current is None or current.digest != conflicted_digest:
                raise StaleRevisionError(
                    f"{path}: tệp đã thay đổi từ khi mở xung đột (có người vừa giải quyết hoặc "
                    f"sửa nó); không ghi: xem lại tệp rồi làm lại",
                    current.revision if current is not None else 0,
                )
            kept, data = render(path, unit)
            with refusing_writes(path, "tệp xung đột vẫn nguyên"):
                replace_atomically(path, data)
            _remove_stale_temps(path.parent)
        return kept

    def _render(self, path: Path, saved: Submission, unit: Unit) -> bytes:
        """The bytes to write, checked by the reader first: no save writes what it refuses.

        A file as bluezone wrote it is written canonically again. One a person edited
        (comments, keys of their own, a byte-order mark, other spacing) is updated in
        place with tomlkit, so nothing they wrote is lost; if even that cannot give back
        exactly these values, the save is refused, naming why.
        """
        data = to_toml(saved, unit.form)
        try:
            old = read_regular(path, MAX_FILE_BYTES, follow_symlinks=False)
        except FileNotFoundError:
            old = None
        except OSError as exc:
            raise RefusedError(f"{unreadable_problem(path, exc)}; chưa ghi gì") from None
        if old is not None:
            before = parse_file(path, old, unit, saved.day, self.registry.timezone)
            canonical = to_toml(before.submission, unit.form) if before.submission else None
            # CRLF line ends alone are git's (core.autocrlf), not a person's edit
            if canonical is not None and old.replace(b"\r\n", b"\n") != canonical:
                data = preserve_hand_edits(old, saved, unit.form)
        problem = self._read_back_problem(path, data, saved, unit)
        if problem is not None:
            raise RefusedError(f"{path}: không ghi: {problem}; chưa ghi gì")
        return data

    def _read_back_problem(
        self, path: Path, data: bytes, saved: Submission, unit: Unit
    ) -> str | None:
        back = parse_file(path, data, unit, saved.day, self.registry.timezone)
        if back.errors:
            return f"tệp sẽ không đọc lại được ({back.errors[0].message})"
        if back.submission is None or back.submission.in_utc() != saved.in_utc():
            return "tệp ghi ra sẽ không mang đúng các giá trị vừa nhập"
        return None


def find_unit(store: Store, unit_id: str) -> Unit:
    """The registry's unit `unit_id` (as typed on a command line), or a refusal saying
    why there is none."""
    why = unit_id_problem(unit_id)
    if why:
        raise RefusedError(why)
    unit = store.registry.unit(unit_id)
    if unit is None:
        raise RefusedError(
            f"đơn vị «{unit_id}» không có trong {store.registry.path}; "
            f"xem danh sách mã bằng «bluezone status»"
        )
    return unit


@dataclass(frozen=True, slots=True)
class _RootListing:
    days: tuple[date, ...]
    skipped: tuple[tuple[date | None, Problem], ...]  # with the day a folder seems to be


_DAY_LIKE = (
    re.compile(r"\s*(?P<y>\d{4})[-_./ ]+(?P<m>\d{1,2})[-_./ ]+(?P<d>\d{1,2})\s*\Z"),
    re.compile(r"\s*(?P<d>\d{1,2})[-_./ ]+(?P<m>\d{1,2})[-_./ ]+(?P<y>\d{4})\s*\Z"),
    re.compile(r"\s*(?P<y>\d{4})(?P<m>\d{2})(?P<d>\d{2})\s*\Z"),
)


def _unseen_in_day(name: str) -> bool:
    """A day folder's entry passed over without a word: a save's temp file (its own,
    hidden, `.<name>.<random>.tmp`), or git's placeholders. Any other hidden file is
    named: `.thi-tran-sa-rai.toml` is a unit's report nobody would see."""
    return name in IGNORED_IN_DAY or (name[0] == "." and name.endswith(TEMP_SUFFIX))


def seems_a_day(name: str) -> date | None:
    """The day a folder name means when it is not written YYYY-MM-DD (`2020-8-27`,
    `27-08-2020`, `20200827`, `2020_08_27`, a hidden `.2020-08-25`), or None."""
    name = name.lstrip(".")
    for pattern in _DAY_LIKE:
        match = pattern.match(name)
        if match:
            try:
                return date(int(match["y"]), int(match["m"]), int(match["d"]))
            except ValueError:
                return None
    return None


def _root_entry_problem(path: Path, name: str, is_dir: bool) -> tuple[date | None, Problem]:
    """What an entry of submissions/ that is no day folder is, and the day it means."""
    day = seems_a_day(name)
    if day is not None:
        what = "thư mục" if is_dir else "tệp (không phải thư mục)"
        if name.startswith("."):
            what += " ẩn (tên bắt đầu bằng dấu chấm)"
        problem = Problem(
            f"{what} này có vẻ là ngày {day:%d/%m/%Y} nhưng tên không đúng dạng YYYY-MM-DD: "
            f"các báo cáo trong đó không được đọc; đổi tên thành «{day.isoformat()}»"
            + ("" if is_dir else ", là một thư mục"),
            path=path,
        )
        return day, problem
    return None, Problem(
        "submissions/ chỉ chứa thư mục ngày dạng YYYY-MM-DD; mục này bị bỏ qua",
        path=path,
        severity="warning",
    )


def _misnamed_file(directory: Path, names: list[str], unit: Unit) -> ParsedFile:
    """A unit's file under a name the store does not read: the unit's report is there,
    unread, so the unit is shown with this error, never as not reported."""
    shown = ", ".join(f"«{name}»" for name in sorted(names))
    return ParsedFile(
        directory / sorted(names)[0],
        None,
        (
            Problem(
                f"{shown} có vẻ là báo cáo của «{unit.name}» nhưng tên tệp không đúng: "
                f"bluezone chỉ đọc «{unit.id}.toml» (chữ thường, đuôi .toml); đổi tên tệp",
                path=directory / sorted(names)[0],
            ),
        ),
    )


def _linked_file_problem(path: Path) -> Problem:
    """A unit's file that is a symbolic link: whose report would it be?"""
    try:
        target = os.readlink(path)
    except OSError as exc:
        target = os_reason(exc)
    return Problem(
        f"là liên kết tượng trưng (tới «{target}»), không phải tệp báo cáo của đơn vị: "
        f"không tính (bluezone cũng không ghi qua liên kết); thay bằng tệp thật hoặc xoá nó",
        path=path,
        code=LINKED,
    )


def _stray_problem(name: str, key: str) -> Problem:
    """What is wrong with a day folder's entry that is no unit's file, from its name alone."""
    if not name.endswith(".toml"):
        return Problem(
            "tệp lạ trong thư mục ngày (chỉ chứa <mã-đơn-vị>.toml); bỏ qua",
            path=Path(key),
            severity="warning",
        )
    unit_id = name[:-5]
    why = unit_id_problem(unit_id)
    if why:
        return Problem(f"tên tệp không phải mã đơn vị hợp lệ: {why}", path=Path(key))
    return Problem(
        f"đơn vị «{unit_id}» không có trong units.yaml: sai tên tệp, "
        f"hoặc đơn vị mới chưa được khai báo",
        path=Path(key),
        field="id",
    )


def unreadable_problem(path: Path, exc: OSError, folder: bool = False) -> Problem:
    """An OS refusal to read, worded so nobody is sent to edit a file that is fine."""
    what = "thư mục" if folder else "tệp"
    refused = denied(exc, reading=True)  # whose it is and the fix, in a shared data folder
    if refused is not None:
        message = refused
    elif isinstance(exc, PermissionError):
        message = (
            f"không có quyền đọc {what} (kiểm tra quyền của {what} và của người dùng đang "
            f"chạy bluezone)"
        )
    else:
        message = f"không đọc được {what}: {os_reason(exc)}"
    return Problem(message, path=path, code=UNREADABLE)


class _FolderGone(Exception):
    """The day's folder was removed between its making and its lock (another save that
    made it failed, and took it back while empty): make it again."""


def broken_file_refusal(path: Path, current: ParsedFile) -> RefusedError:
    """The refusal to write over a file that has parse-level errors (its text would be lost).

    Only what the file itself holds counts here: a figure out of bounds or a cross-field
    rule is a validation error, which a new save is there to fix.
    """
    errors = list(current.errors) or list(current.problems)
    first = errors[0] if errors else None
    where = first.location() if first is not None and first.path is not None else str(path)
    why = f" ({first.message})" if first is not None else ""
    if first is not None and first.code in (UNREADABLE, LINKED):  # nothing to lose there
        return RefusedError(f"{where}: {first.message}; chưa ghi gì", errors)
    return RefusedError(
        f"{where}: tệp hiện có bị lỗi{why} nên không ghi đè, để khỏi mất nội dung tệp; "
        f"hãy sửa tệp bằng tay rồi chạy «bluezone check», sau đó nhập lại",
        errors,
    )


def _stale_message(
    path: Path, base_revision: int | None, current: ParsedFile | None, submission: Submission
) -> str:
    if current is not None and current.withdrawal is not None:
        return (
            f"{path}: báo cáo đã bị rút từ khi bạn bắt đầu sửa (bạn sửa từ bản "
            f"{base_revision}; {current.withdrawal.words()}); không ghi: xem lại, rồi nhập "
            f"như báo cáo mới (--if-revision 0)"
        )
    if current is None or current.submission is None:
        # No file: never written, or removed meanwhile; the store cannot tell which.
        return (
            f"{path}: chưa có tệp số liệu của đơn vị «{submission.unit_id}» ngày "
            f"{submission.day:%d/%m/%Y} (bản hiện tại là 0, không phải bản {base_revision}); "
            f"không ghi: tải lại, hoặc nhập như bản mới (--if-revision 0)"
        )
    now = current.submission
    who = f" bởi {now.entered_by}" if now.entered_by else ""
    when = f" lúc {fmt_time(now.entered_at)}" if now.entered_at else ""
    return (
        f"{path}: tệp đã thay đổi từ khi bạn bắt đầu sửa (bạn sửa từ bản {base_revision}, "
        f"hiện là bản {now.revision}{who}{when}); không ghi để khỏi mất số liệu của người khác: "
        f"tải lại rồi nhập lại"
    )


def _remove_stale_temps(directory: Path) -> None:
    """Temp files left by a crashed save are removed once they are clearly abandoned."""
    cutoff = time.time() - STALE_TEMP_SECONDS
    try:
        entries = list(os.scandir(directory))
    except OSError:
        return
    for entry in entries:
        if entry.name.startswith(".") and entry.name.endswith(TEMP_SUFFIX):
            with contextlib.suppress(OSError):
                if entry.stat(follow_symlinks=False).st_mtime < cutoff:
                    os.unlink(entry.path)


def _read_fd(fd: int, size: int) -> bytes:
    """Up to MAX_FILE_BYTES + 1 bytes (enough to tell a file is too long), in one read
    when the file is the size fstat said; never a 1 MB buffer for a 300-byte file."""
    limit = MAX_FILE_BYTES + 1
    want = min(size + 1, limit)
    chunks = []
    total = 0
    while total < limit:
        chunk = os.read(fd, want)
        if not chunk:
            break
        chunks.append(chunk)
        total += len(chunk)
        if len(chunk) < want:
            if total < size:
                continue  # a short read before the size fstat gave: keep reading
            break  # end of file
        want = min(65536, limit - total)
    return chunks[0] if len(chunks) == 1 else b"".join(chunks)
