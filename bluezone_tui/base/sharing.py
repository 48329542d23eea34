"""A data folder several logins share: what in it the group cannot write, the setting up
of such a folder, and a refused write explained to the clerk.

An office runs the tool over SSH with a login per clerk, all in one data folder that
belongs to a group (`bluezone init DIR --shared GROUP`). Everything the tool makes
there follows the folder's sharing (base/files.py: `Sharing`, `settle`), as git does
with core.sharedRepository=group: the folder's group, and for the group what the owner
may. `check`, and the board once on start, name what does not (made by hand, by an
older version, by a plain `git` with a private umask) with its owner and its fix; a
save refused for a permission says which file or folder refused, whose it is, and what
to ask the administrator.
"""

from __future__ import annotations

import errno
import getpass
import grp
import os
import pwd
import re
import stat
from collections.abc import Iterator
from datetime import date
from pathlib import Path

from bluezone_tui.base.files import (
    PERM_EVERYBODY,
    PERM_GROUP,
    PERM_UMASK,
    FolderRefused,
    Sharing,
    adopt,
    kernel_place,
    os_reason,
    read_sharing,
    sharing_for,
)
from bluezone_tui.base.mounts import mount_of
from bluezone_tui.base.problems import Problem
from bluezone_tui.base.safe_text import printable, shell_word

GUIDE_SECTION = "HUONG-DAN.md, mục «Nhiều cán bộ cùng làm trên một máy chủ»"
MAX_LISTED = 20  # past this, one line for the rest: the folder's whole fix covers them
SHARING_CODE = "sharing"


# ----------------------------------------------------------------------------- names


def user_name(uid: int) -> str:
    try:
        return pwd.getpwuid(uid).pw_name
    except (KeyError, OverflowError):
        return str(uid)


def group_name(gid: int) -> str:
    try:
        return grp.getgrgid(gid).gr_name
    except (KeyError, OverflowError):
        return str(gid)


def login_name() -> str:
    try:
        return pwd.getpwuid(os.geteuid()).pw_name
    except KeyError:
        try:
            return getpass.getuser()
        except (KeyError, OSError):
            return str(os.geteuid())


def in_group(gid: int) -> bool:
    """This login may use `gid`'s permissions (root may use any)."""
    return os.geteuid() == 0 or gid == os.getegid() or gid in os.getgroups()


def group_id(name: str) -> int | None:
    """A group by name (or number), None when the machine has no such group."""
    try:
        return grp.getgrnam(name).gr_gid
    except KeyError:
        if name.isdigit():
            try:
                return grp.getgrgid(int(name)).gr_gid
            except (KeyError, OverflowError):
                return None
        return None


# groupadd's rule for a name (shadow's is_valid_name): letters, digits, ".", "_", "-", not
# "-" first, at most 32 characters, an optional "$" at the end (a machine account)
_GROUP_NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,31}\$?")
SYSTEM_GID_MAX = 999  # groups below are the system's (login.defs SYS_GID_MAX), never an office's
NOGROUP_GID = 65534  # the kernel's overflow group (nogroup): nobody's, never an office's


def valid_group_name(name: str) -> bool:
    """A name `groupadd` accepts (so the command suggested to make it works)."""
    return (
        _GROUP_NAME.fullmatch(name) is not None
        and not name.isdigit()
        and name not in (".", "..")
        and len(name) <= 32
    )


def private_owner(gid: int) -> str | None:
    """The login whose own group `gid` is (a user-private group: named as the login, its
    primary group, nobody else in it), else None. A folder shared with such a group is
    shared with nobody: adding others to a clerk's own group is not the fix."""
    try:
        entry = grp.getgrgid(gid)
        account = pwd.getpwnam(entry.gr_name)
    except (KeyError, OverflowError):
        return None
    if account.pw_gid != gid or any(member != entry.gr_name for member in entry.gr_mem):
        return None
    return entry.gr_name


def _groups_of(user: str) -> set[int]:
    try:
        primary = pwd.getpwnam(user).pw_gid
    except KeyError:
        return set()
    return {primary} | {entry.gr_gid for entry in grp.getgrall() if user in entry.gr_mem}


def office_group(data_gid: int | None = None, others: tuple[int, ...] = ()) -> str | None:
    """The group the office's logins share, when it can be known: the data folder's group
    (`data_gid`) when it is an office's (no login's own, not the system's), else the one
    such group this login and the owners of `others` (uids) are all in; None otherwise."""

    def office(gid: int) -> bool:
        return SYSTEM_GID_MAX < gid < NOGROUP_GID and private_owner(gid) is None

    if data_gid is not None and office(data_gid):
        return group_name(data_gid)
    common = _groups_of(login_name())
    for uid in others:
        common &= _groups_of(user_name(uid))
    found = sorted(gid for gid in common if office(gid))
    return group_name(found[0]) if len(found) == 1 else None


def setup_command(root: Path | str, group: str | None) -> str:
    """`bluezone init DIR --shared GROUP` for this data folder, quoted for the shell (NHÓM
    where the group cannot be known)."""
    folder = shell_word(os.path.abspath(root))
    return f"bluezone init {folder} --shared {shell_word(group) if group else 'NHÓM'}"


def _share_with(root: Path | str, group: str | None) -> str:
    """What the administrator runs to make the data folder a group's, with the group
    named, or said what NHÓM stands for."""
    where = "" if group else " (NHÓM: nhóm chung của các cán bộ, «sudo groupadd TÊN» nếu chưa có)"
    return (
        f"nhờ người quản trị máy chủ (root) chạy «{setup_command(root, group)}»{where}; xem "
        f"{GUIDE_SECTION}"
    )


# ----------------------------------------------------------------------------- the fix


def fix_command(
    path: Path, is_folder: bool, group: str, everybody: bool = False, alone: bool = False
) -> str:
    """The shell command an administrator runs to give `path` to the group: a folder with
    all it holds (group, the group's write, set-group-id on every folder), or one file;
    `alone`: the folder itself only (the data folder, whose content is named apart)."""
    q = shell_word(str(path))
    g = shell_word(group)
    bits = "g+rwX,o+rX" if everybody else "g+rwX"
    if is_folder and alone:
        return f"sudo chgrp {g} {q} && sudo chmod {bits},g+s {q}"
    if is_folder:
        return (
            f"sudo chgrp -R {g} {q} && sudo chmod -R {bits} {q} && "
            f"sudo find {q} -type d -exec chmod g+s {{}} +"
        )
    return f"sudo chgrp {g} {q} && sudo chmod {bits} {q}"


def owner_command(
    path: Path,
    is_folder: bool,
    group: str,
    owner: str,
    everybody: bool = False,
    alone: bool = False,
) -> str:
    """The command the owner of `path` can run without sudo: a login may change the group
    and mode only of what it owns, so a folder's content is reached with `find -user`
    (what other logins own in it still needs the administrator's command)."""
    q, g, o = shell_word(str(path)), shell_word(group), shell_word(owner)
    bits = "g+rwX,o+rX" if everybody else "g+rwX"
    if is_folder and not alone:
        return (
            f"find {q} -user {o} -exec chgrp {g} {{}} + -exec chmod {bits} {{}} + ; "
            f"find {q} -user {o} -type d -exec chmod g+s {{}} +"
        )
    return f"chgrp {g} {q} && chmod {bits}{',g+s' if is_folder else ''} {q}"


def ask_to_run(
    owner: str,
    path: Path,
    is_folder: bool,
    group: str,
    everybody: bool = False,
    alone: bool = False,
) -> str:
    """Who runs the fix: the administrator (sudo), or the owner for what is theirs, when
    the owner is in the group (only a member may give a file to a group)."""
    fix = fix_command(path, is_folder, group, everybody, alone)
    if owner in ("root", "0") or not _member(owner, group):
        return f"nhờ người quản trị máy chủ chạy «{fix}»"
    mine = owner_command(path, is_folder, group, owner, everybody, alone)
    if is_folder and not alone:
        return (
            f"nhờ người quản trị máy chủ chạy «{fix}» (hoặc «{owner}», chủ của nó, tự chạy "
            f"«{mine}»: lệnh đó chỉ sửa được những gì của «{owner}» trong thư mục)"
        )
    return f"nhờ người quản trị máy chủ chạy «{fix}» (hoặc «{owner}», chủ của nó, tự chạy «{mine}»)"


def _member(user: str, group: str) -> bool:
    try:
        entry = grp.getgrnam(group)
        account = pwd.getpwnam(user)
    except KeyError:
        return False
    return account.pw_gid == entry.gr_gid or user in entry.gr_mem


# ----------------------------------------------------------------------------- a refused write


def denied(
    exc: OSError, blocker: Path | None = None, reading: bool = False, making: Path | None = None
) -> str | None:
    """For a write (or with `reading`, a read) refused by a permission (EACCES, EPERM) at
    a known path: which file or folder refuses this login (`blocker`, when the caller
    knows it better), whose it is, and what to ask the administrator. None for any other
    error (see os_reason).

    `making`: a folder this login is making for itself (`init`'s new data folder; outside
    every data folder, the folder an output is written into): refused by a folder above
    it or by itself that is another login's, the fix is that folder made for this login
    by the administrator (`sudo install -d -o LOGIN DIR`), never a change to the folder
    above, which is not the office's."""
    if exc.errno not in (errno.EACCES, errno.EPERM) or not exc.filename:
        return None
    if not reading:  # /proc, /sys: nothing to ask of anybody
        kernels = kernel_place(os.fsdecode(exc.filename))
        if kernels:
            return kernels
    if blocker is None:
        blocker = _blocker(Path(os.fsdecode(exc.filename)), reading)
    try:
        st = os.lstat(blocker)
    except OSError:
        return None
    is_folder = stat.S_ISDIR(st.st_mode)
    sharing = sharing_for(blocker / "x" if is_folder else blocker)
    if making is None and sharing is None and isinstance(exc, FolderRefused):
        making = exc.wanted  # an output's folder, outside every data folder
    if making is not None and not reading and st.st_uid != os.geteuid():
        made = _made_for_this_login(making, blocker, st)
        if made is not None:
            return made
    kind = "thư mục" if is_folder else "tệp"
    if is_folder and not reading and os.access(blocker, os.W_OK | os.X_OK):
        kind = "các thư mục bên trong thư mục"  # what it holds refuses
    owner, group, me = user_name(st.st_uid), group_name(st.st_gid), login_name()
    head = (
        f"tài khoản «{me}» không có quyền {'đọc' if reading else 'ghi vào'} {kind} {blocker} "
        f"(chủ «{owner}», nhóm «{group}», {stat.filemode(st.st_mode)})"
    )
    if sharing is not None and sharing.shared:
        shared = group_name(sharing.gid)
        if reading:
            needs = stat.S_IRGRP | (stat.S_IXGRP if is_folder else 0)
        else:
            needs = stat.S_IWGRP | (stat.S_IXGRP if is_folder else 0)
        if st.st_gid == sharing.gid and st.st_mode & needs == needs and not in_group(sharing.gid):
            return f"{head}: {_not_in_group(sharing, (st.st_uid,))}"
        asked = ask_to_run(owner, blocker, is_folder, shared, sharing.perm == PERM_EVERYBODY)
        return f"{head}; {asked}"
    if st.st_uid == os.geteuid():
        bits = "u+r" if reading else "u+w"
        return f"{head}; tự sửa: «chmod {bits} {shell_word(str(blocker))}»"
    if sharing is None:  # outside every data folder: not the office's to change
        if reading:
            return f"{head}: nhờ «{owner}» (chủ của nó) hoặc người quản trị máy chủ cho đọc"
        return (
            f"{head}: {'thư mục' if is_folder else 'tệp'} đó không phải của tài khoản này; "
            f"ghi vào một thư mục của mình (ví dụ trong {os.path.expanduser('~')})"
        )
    root = sharing.root
    office = office_group(_gid_of(root), (st.st_uid,))
    return (
        f"{head}: thư mục dữ liệu {printable(root)} chưa được thiết lập cho nhiều tài khoản; "
        f"{_share_with(root, office)}"
    )


def _gid_of(path: Path | str) -> int | None:
    try:
        return os.stat(path).st_gid
    except OSError:
        return None


def _not_in_group(sharing: Sharing, others: tuple[int, ...] = ()) -> str:
    """Why this login, outside the shared folder's group, cannot save, and the one fix:
    joining the group; or, when that group is a login's own (a clerk's private group made
    group-writable), the folder given to the office's group instead."""
    me, shared = login_name(), group_name(sharing.gid)
    own = private_owner(sharing.gid)
    if own is not None:
        group = office_group(None, tuple(others))
        return (
            f"thư mục dữ liệu {printable(sharing.root)} cho nhóm «{shared}» ghi, nhưng đó là "
            f"nhóm riêng của tài khoản «{own}», không phải nhóm của văn phòng: không thêm ai "
            f"vào nhóm đó; {_share_with(sharing.root, group)}"
        )
    return (
        f"tài khoản «{me}» không thuộc nhóm «{shared}» của thư mục dữ liệu dùng chung "
        f"{printable(sharing.root)}; nhờ người quản trị máy chủ chạy «sudo usermod -aG "
        f"{shell_word(shared)} {shell_word(me)}» rồi đăng nhập lại"
    )


def _made_for_this_login(making: Path, blocker: Path, st: os.stat_result) -> str | None:
    """A folder this login makes for itself (`making`), refused by `blocker` (another
    login's: the folder itself, or one above it): the administrator makes it for this
    login, with one command that works from any folder (`install -d` makes what is
    missing on the way, and gives only the last folder to the login). A folder that
    holds files already is not given away: another is chosen. None: `blocker` is not on
    the way to `making`."""
    wanted = Path(os.path.abspath(making))
    where = Path(os.path.abspath(blocker))
    if where != wanted and where not in wanted.parents:
        return None
    mount = mount_of(where)
    if mount.kernels:
        return kernel_place(wanted) or None
    me, owner = login_name(), user_name(st.st_uid)
    whose = f"chủ «{owner}», nhóm «{group_name(st.st_gid)}», {stat.filemode(st.st_mode)}"
    if where != wanted:
        head = (
            f"tài khoản «{me}» không có quyền ghi vào thư mục {blocker} ({whose}), nên không "
            f"tạo được {making} trong đó"
        )
    else:
        head = f"thư mục {making} không phải của tài khoản «{me}» ({whose})"
    try:
        holds = os.path.isdir(wanted) and any(os.scandir(wanted))
    except OSError:
        holds = True
    if holds:
        return f"{head} và đã có tệp bên trong; chọn một thư mục mới (lệnh sẽ tạo nó)"
    if mount.read_only:  # `install -d` would be refused too: the disk is the matter
        return (
            f"{head}, và ổ đĩa chứa nó (gắn tại {printable(mount.point)}) chỉ cho đọc; chọn "
            f"một thư mục trên ổ đĩa ghi được"
        )
    command = f"sudo install -d -o {shell_word(me)} {shell_word(str(wanted))}"
    return (
        f"{head}; nhờ người quản trị máy chủ tạo thư mục đó cho tài khoản này: «{command}», "
        f"hoặc chọn một thư mục của mình"
    )


def write_reason(exc: OSError, making: Path | None = None) -> str:
    """Why a write failed, in Vietnamese: a permission's whole story (denied; `making`:
    the folder this login is making for itself, see there), else the system's reason."""
    return denied(exc, making=making) or os_reason(exc)


def _blocker(target: Path, reading: bool = False) -> Path:
    """What refused this login at `target`: the file itself when it is there and not ours
    to write (read), else a folder on the way that cannot be entered, else (writing) the
    folder its name is made in (a new file, a temp file, a rename)."""
    wanted = os.R_OK if reading else os.W_OK
    if os.path.lexists(target) and not os.access(target, wanted):
        return target
    folder = target.parent
    while not os.path.isdir(folder) and folder.parent != folder:
        folder = folder.parent
    for above in reversed([folder, *folder.parents]):  # from the top: the first closed
        if not os.access(above, os.X_OK):
            return above
    if not reading and not os.access(folder, os.W_OK | os.X_OK):
        return folder
    return target


# ----------------------------------------------------------------------------- the check


def sharing_problems(data_dir: Path, only_day: date | None = None) -> list[Problem]:
    """What in a shared data folder its group cannot write (or read, or that is not in
    the group), each with its owner and the command that fixes it; nothing for a folder
    that is not shared. `only_day`: the board's quick look (the folders every save uses,
    git's own, and that day's folder), else everything (`bluezone check`)."""
    sharing = read_sharing(data_dir)  # as it is now, not as this process first saw it
    if not sharing.shared:
        return []
    root = Path(data_dir)
    shared = group_name(sharing.gid)
    problems = []
    outside = outside_group(sharing)
    if outside:
        problems.append(Problem(outside, path=root, code=SHARING_CODE))
        if private_owner(sharing.gid) is not None:  # no fix within a clerk's own group:
            return problems  # the office's group set up (the one fix said) covers it all
    if os.path.isdir(root / ".git") and sharing.git_perm in (None, PERM_UMASK):
        problems.append(
            Problem(
                f"thư mục dữ liệu dùng chung cho nhóm «{shared}» nhưng git chưa biết: tệp "
                f"mà lệnh git tạo ra sẽ không cho nhóm ghi; sửa: {git_share_command(root)}",
                path=root / ".git" / "config",
                severity="warning",
                code=SHARING_CODE,
            )
        )
    found = 0
    reported: set[Path] = set()  # folders named already: their fix covers what they hold
    for path, st in _entries(root, only_day):
        if reported and any(above in reported for above in path.parents):
            continue
        problem = _entry_problem(path, st, sharing, shared, alone=path == root)
        if problem is None:
            continue
        if stat.S_ISDIR(st.st_mode) and path != root:
            reported.add(path)
        found += 1
        if found <= MAX_LISTED:
            problems.append(problem)
    if found > MAX_LISTED:
        fix = fix_command(root, True, shared, sharing.perm == PERM_EVERYBODY)
        problems.append(
            Problem(
                f"và {found - MAX_LISTED} mục khác cũng vậy; sửa cả thư mục dữ liệu một lần: "
                f"«{fix}»",
                path=root,
                code=SHARING_CODE,
            )
        )
    return problems


def outside_group(sharing: Sharing | None) -> str:
    """This login is not in the group of a shared data folder: what it cannot do and the
    one fix ("" when it is in, or the folder is not shared). Every refusal that comes of
    it (a save, git's reads, the day's files) says this, never "broken file"."""
    if sharing is None or not sharing.shared or in_group(sharing.gid):
        return ""
    me, shared = login_name(), group_name(sharing.gid)
    owner = _uid_of(sharing.root)
    if private_owner(sharing.gid) is not None:
        return _not_in_group(sharing, () if owner is None else (owner,))
    return (
        f"tài khoản «{me}» không thuộc nhóm «{shared}» của thư mục dữ liệu dùng chung "
        f"{printable(sharing.root)}, nên không đọc đủ và không lưu được gì ở đây; nhờ người "
        f"quản trị máy chủ chạy «sudo usermod -aG {shell_word(shared)} {shell_word(me)}» rồi "
        f"đăng nhập lại"
    )


def _uid_of(path: Path | str) -> int | None:
    try:
        return os.stat(path).st_uid
    except OSError:
        return None


def git_share_command(root: Path) -> str:
    """Who tells the data folder's git it is the group's, and how: git refuses a
    repository another login owns ("dubious ownership") to root and to every clerk but
    its owner, unless it is declared safe for the one command (`-c safe.directory`)."""
    where = shell_word(os.path.realpath(root))
    command = f"git -c safe.directory={where} -C {where} config core.sharedRepository group"
    return (
        f"nhờ người quản trị máy chủ chạy «sudo {command}» (hoặc một cán bộ trong nhóm tự "
        f"chạy «{command}»)"
    )


def _entry_problem(
    path: Path, st: os.stat_result, sharing: Sharing, shared: str, alone: bool
) -> Problem | None:
    is_folder = stat.S_ISDIR(st.st_mode)
    missing = sharing.mode_for(st.st_mode) & ~stat.S_IMODE(st.st_mode)
    wrong_group = st.st_gid != sharing.gid
    if not missing and not wrong_group:
        return None
    what = []
    if wrong_group:
        what.append(f"thuộc nhóm «{group_name(st.st_gid)}», không phải nhóm dùng chung «{shared}»")
    if missing & stat.S_IWGRP:
        what.append(f"nhóm «{shared}» không ghi được")
    elif missing & (stat.S_IRGRP | stat.S_IXGRP):
        what.append(f"nhóm «{shared}» không {'mở' if is_folder else 'đọc'} được")
    elif missing & (stat.S_IROTH | stat.S_IXOTH):
        what.append("người khác không đọc được (core.sharedRepository=all)")
    if missing & stat.S_ISGID:
        what.append(f"thiếu bit set-group-id (g+s): tệp mới trong đó không vào nhóm «{shared}»")
    owner = user_name(st.st_uid)
    asked = ask_to_run(owner, path, is_folder, shared, sharing.perm == PERM_EVERYBODY, alone)
    kind = "thư mục" if is_folder else "tệp"
    return Problem(
        f"{kind} dùng chung nhưng {'; '.join(what)} (chủ «{owner}», nhóm «{group_name(st.st_gid)}», "
        f"{stat.filemode(st.st_mode)}); sửa: {asked}",
        path=path,
        code=SHARING_CODE,
    )


def _entries(root: Path, only_day: date | None) -> Iterator[tuple[Path, os.stat_result]]:
    """The data folder and what it holds, top down, never through a symlink. Quick (only_day):
    the data folder, its first level, submissions/ and that day's folder, and git's
    folder with its first two levels (objects/xx, refs/heads, the tool's state)."""
    try:
        st = os.lstat(root)
    except OSError:
        return
    yield root, st
    day_name = only_day.isoformat() if only_day is not None else None
    stack = [(root, 0, "")]
    while stack:
        folder, depth, top = stack.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in sorted(entries, key=lambda e: e.name):
            try:
                st = entry.stat(follow_symlinks=False)
            except OSError:
                continue
            if stat.S_ISLNK(st.st_mode) or not (
                stat.S_ISDIR(st.st_mode) or stat.S_ISREG(st.st_mode)
            ):
                continue
            path = Path(entry.path)
            yield path, st
            if not stat.S_ISDIR(st.st_mode):
                continue
            where = top or entry.name
            if day_name is not None and not _quick_enters(where, depth, entry.name, day_name):
                continue
            stack.append((path, depth + 1, where))


def _quick_enters(top: str, depth: int, name: str, day_name: str) -> bool:
    if top == ".git":
        return depth < 2
    if top == "submissions":
        return depth == 0 or name == day_name
    return False


# ----------------------------------------------------------------------------- setting up


def share_tree(root: Path, gid: int) -> list[Problem]:
    """`bluezone init --shared`: the data folder and all it holds given to group `gid`,
    the group allowed what the owner is, set-group-id on every folder (as git's group
    sharing). What could not be changed (another login's file, unless run as root) is
    returned with its owner and fix, as `check` lists it: a folder's fix covers what it
    holds, and past MAX_LISTED one line gives the whole folder's fix."""
    sharing = Sharing(os.path.realpath(root), PERM_GROUP, gid)
    shared = group_name(gid)
    problems = []
    reported: set[Path] = set()  # folders named already: their fix covers what they hold
    found = 0
    for path, st in _all_entries(root):
        try:
            adopt(path, sharing)
        except OSError as exc:
            if reported and any(above in reported for above in path.parents):
                continue
            is_folder = stat.S_ISDIR(st.st_mode)
            if is_folder:
                reported.add(path)
            found += 1
            if found > MAX_LISTED:
                continue
            owner = user_name(st.st_uid)
            asked = ask_to_run(owner, path, is_folder, shared)
            why = (  # chgrp and chmod: the owner's and root's only
                f"của «{owner}»: chỉ chủ của nó hoặc root đổi được"
                if exc.errno == errno.EPERM
                else f"{os_reason(exc)}; chủ «{owner}»"
            )
            problems.append(
                Problem(
                    f"không đổi được nhóm hoặc quyền ({why}); sửa: {asked}",
                    path=path,
                    code=SHARING_CODE,
                )
            )
    if found > MAX_LISTED:
        problems.append(
            Problem(
                f"và {found - MAX_LISTED} mục khác cũng vậy; sửa cả thư mục dữ liệu một lần: "
                f"«{fix_command(root, True, shared)}»",
                path=root,
                code=SHARING_CODE,
            )
        )
    return problems


def _all_entries(root: Path) -> Iterator[tuple[Path, os.stat_result]]:
    try:
        yield root, os.lstat(root)
    except OSError:
        return
    for folder, folders, files in os.walk(root):
        for name in [*folders, *files]:
            path = Path(folder) / name
            try:
                st = os.lstat(path)
            except OSError:
                continue
            if stat.S_ISDIR(st.st_mode) or stat.S_ISREG(st.st_mode):
                yield path, st


def sharing_notice(problems: list[Problem]) -> str:
    """The board's one notice on start: the first thing the group cannot write, with its
    owner and fix, and how many more (`bluezone check` lists them all)."""
    first = problems[0]
    more = (
        f" (và {len(problems) - 1} chỗ khác: «bluezone check» liệt kê hết)"
        if len(problems) > 1
        else ""
    )
    who = (
        "tài khoản này không lưu được gì ở đây"
        if first.message.startswith(f"tài khoản «{login_name()}» không thuộc nhóm «")
        else "cán bộ khác trong nhóm sẽ không lưu được"
    )
    return f"Thư mục dữ liệu dùng chung, nhưng {who}{more}: {first}"
