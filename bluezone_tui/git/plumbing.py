"""The commit of one file, built with git's plumbing: exactly the bytes written.

`git commit` would stage the file through the office's filters and hooks, refresh the
whole index (62,000 entries in a province's year) and take whatever a hook left in the
index. Here the file's bytes become a blob as they are (`hash-object`, no filter), the
trees on its path are rebuilt from the branch's last commit (`mktree`, never from the
index, so a person's own staged changes stay out), the commit is made (`commit-tree`)
and the branch moved only from the commit it was built on (`update-ref NEW OLD`: a
commit made meanwhile by another git is refused, never lost), then the index entry of
that one path is set (`update-index --index-info`).

The office's commit hooks still run, as `git commit` runs them: `pre-commit` sees an
index holding the branch's tree with this file (a temporary one), `prepare-commit-msg`
and `commit-msg` the message (they may refuse it, or edit it), `post-commit` runs after.
A hook that changes what was validated — the file staged for it, or the file in the
folder — is refused: the file is put back as it was written and nothing is committed.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from bluezone_tui.base.files import make_folders, replace_atomically
from bluezone_tui.base.safe_text import shell_word
from bluezone_tui.git.command import Git, GitError, GitResult, run_hook

TREE_MODE = b"40000"
FILE_MODE = "100644"
SPLIT_INDEX_BYTES = 1024 * 1024  # an index above this (about 10,000 files) is split
HOOKS = ("pre-commit", "prepare-commit-msg", "commit-msg", "post-commit")
# `commit-tree ARGS` run with the author's environment, as the committer git knows
# (repository.run_as_committer): (*args, input=message) -> the result
CommitAs = Callable[..., GitResult]


class HeadMoved(GitError):
    """The branch got another commit between reading it and moving it (another git)."""


class HookRefused(GitError):
    """An office hook refused the commit, or changed what was validated."""


@dataclass(frozen=True, slots=True)
class Entry:
    mode: bytes
    name: bytes
    oid: str

    def line(self) -> bytes:
        """The entry as `git mktree -z` reads it."""
        kind = (
            b"tree" if self.mode == TREE_MODE else b"commit" if self.mode == b"160000" else b"blob"
        )
        mode = b"040000" if self.mode == TREE_MODE else self.mode
        return mode + b" " + kind + b" " + self.oid.encode() + b"\t" + self.name + b"\0"


@dataclass(slots=True)
class Head:
    """The branch's last commit as the commit of one path needs it: the commit, the trees
    of the folders on the path (root first; None: no such folder there), and the path's
    bytes in that commit."""

    commit: str | None  # None: no commit yet (an unborn branch)
    trees: list[list[Entry] | None] = field(default_factory=list)
    data: bytes | None = None


def read_head(git: Git, relative: str) -> Head:
    """HEAD and what it holds on `relative`'s way, in one `git cat-file --batch`."""
    parts = relative.split("/")
    folders = ["/".join(parts[:depth]) for depth in range(len(parts))]
    names = ["HEAD", *(f"HEAD:{folder}" for folder in folders), f"HEAD:{relative}"]
    found = _batch(git, names)
    commit = found.get("HEAD")
    if commit is None:
        return Head(None, [None] * len(folders), None)
    head_sha = commit[0]
    oid_length = len(head_sha) // 2
    trees: list[list[Entry] | None] = []
    for folder in folders:
        tree = found.get(f"HEAD:{folder}")
        trees.append(_entries(tree[2], oid_length) if tree and tree[1] == "tree" else None)
    blob = found.get(f"HEAD:{relative}")
    return Head(head_sha, trees, blob[2] if blob and blob[1] == "blob" else None)


def _batch(git: Git, names: list[str]) -> dict[str, tuple[str, str, bytes]]:
    """name -> (oid, type, content) for each object git has, in one cat-file."""
    request = "".join(name + "\n" for name in names).encode("utf-8")
    out = git.run("cat-file", "--batch", input=request, what="không đọc được kho git").stdout
    found: dict[str, tuple[str, str, bytes]] = {}
    position = 0
    for name in names:
        end = out.index(b"\n", position)
        header = out[position:end].split()
        position = end + 1
        if len(header) != 3:  # "<name> missing"
            continue
        size = int(header[2])
        found[name] = (header[0].decode(), header[1].decode(), out[position : position + size])
        position += size + 1
    return found


def _entries(raw: bytes, oid_length: int) -> list[Entry]:
    """A tree object's entries: `mode SP name NUL raw-oid`, one after another."""
    entries = []
    position = 0
    while position < len(raw):
        space = raw.index(b" ", position)
        nul = raw.index(b"\0", space)
        oid = raw[nul + 1 : nul + 1 + oid_length].hex()
        entries.append(Entry(raw[position:space], raw[space + 1 : nul], oid))
        position = nul + 1 + oid_length
    return entries


def build_tree(
    git: Git, head: Head, relative: str, blob: str | None, state: Path | None = None
) -> str:
    """The root tree of HEAD with `relative` set to `blob` (None: removed), every other
    entry as HEAD has it. Empty folders are removed with their last file (git keeps none).

    The trees' ids are computed here, in git's object format, and the trees written in
    one `git hash-object --stdin-paths` (from files in `state`), which must answer the
    same ids; without a commit to know the format from, one `mktree` per folder."""
    parts = relative.encode("utf-8").split(b"/")
    child: Entry | None = Entry(FILE_MODE.encode(), parts[-1], blob) if blob is not None else None
    contents: list[bytes] = []
    algorithm = {40: "sha1", 64: "sha256"}.get(len(head.commit or ""))
    for depth in range(len(parts) - 1, -1, -1):
        entries = [e for e in head.trees[depth] or [] if e.name != parts[depth]]
        if child is not None:
            entries.append(child)
        if not entries and depth > 0:
            child = None
            continue
        if algorithm is None or state is None:
            oid = make_tree(git, entries)
        else:
            content = tree_content(entries)
            contents.append(content)
            oid = hashlib.new(algorithm, b"tree %d\0" % len(content) + content).hexdigest()
        if depth == 0:
            if contents and state is not None:
                _write_trees(git, contents, state, oid)
            return oid
        child = Entry(TREE_MODE, parts[depth - 1], oid)
    raise AssertionError("the loop returns at the root")  # pragma: no cover


def tree_content(entries: list[Entry]) -> bytes:
    """A tree object's content, as git writes it: entries in git's order."""
    entries.sort(key=_tree_order)
    return b"".join(
        entry.mode + b" " + entry.name + b"\0" + bytes.fromhex(entry.oid) for entry in entries
    )


def _write_trees(git: Git, contents: list[bytes], state: Path, root: str) -> None:
    make_folders(state)  # the group's, in a shared data folder (base/files.py: settle)
    paths = []
    try:
        for index, content in enumerate(contents):
            path = state / f"tree.{os.getpid()}.{index}"
            paths.append(path)
            replace_atomically(path, content, 0o600, durable=False)
        request = "".join(f"{path}\n" for path in paths).encode()
        written = git.output(
            "hash-object", "-w", "-t", "tree", "--stdin-paths", input=request,
            what="git không ghi được cây thư mục",
        ).split()  # fmt: skip
    finally:
        for path in paths:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(path)
    if not written or written[-1] != root:
        raise GitError("git không ghi được cây thư mục (mã đối tượng không khớp)")


def make_tree(git: Git, entries: list[Entry]) -> str:
    entries.sort(key=_tree_order)
    data = b"".join(entry.line() for entry in entries)
    return git.output("mktree", "-z", input=data, what="git không dựng được cây thư mục")


def _tree_order(entry: Entry) -> bytes:
    """git's order of a tree's entries: by name, a folder's as if it ended with "/"."""
    return entry.name + b"/" if entry.mode == TREE_MODE else entry.name


@dataclass(frozen=True, slots=True)
class Hooks:
    """The office's commit policy that `git commit` would apply and `commit-tree` does
    not by itself: the commit hooks git would run (executable, where core.hooksPath or
    .git/hooks puts them), and commit.gpgsign (every commit signed)."""

    found: dict[str, Path]
    sign: bool = False

    @classmethod
    def of(cls, git: Git) -> Hooks:
        args = [arg for name in HOOKS for arg in ("--git-path", f"hooks/{name}")]
        lines = git.output("rev-parse", *args, what="không đọc được kho git").splitlines()
        found = {}
        for name, line in zip(HOOKS, lines, strict=False):
            path = Path(line) if os.path.isabs(line) else git.work_tree / line
            if path.is_file() and os.access(path, os.X_OK):
                found[name] = path
        return cls(found, sign=signs_commits(git))


def signs_commits(git: Git) -> bool:
    """commit.gpgsign is on for this repository (its config, the user's or the system's)."""
    said = git.run("config", "--type=bool", "--get", "commit.gpgsign", check=False)
    return said.returncode == 0 and said.text.strip() == "true"


def signing_refused(git: Git, what: str, result: GitResult) -> GitError:
    """A commit git could not make while commit.gpgsign asks for a signature: named, in
    Vietnamese, with both ways out (a key git can use, or the policy off); a disk that
    refused the write is said as the disk (Git.failure)."""
    if git.disk_refused(result.stderr):
        return git.failure(what, result)
    folder = shell_word(str(git.work_tree))
    return GitError(
        f"{what}: cấu hình git của kho đặt commit.gpgsign=true (mọi commit phải được ký) "
        f"nhưng git không ký được (chưa có khoá dùng được, hoặc gpg cần mật khẩu mà không "
        f"có ai nhập). Đặt khoá: «git -C {folder} config user.signingkey MÃ_KHOÁ» (gpg-agent "
        f"đã mở khoá), hoặc tắt ký cho kho này: «git -C {folder} config commit.gpgsign "
        f"false»; số liệu đã lưu vẫn còn, lần lưu hay đồng bộ sau sẽ ghi vào git",
        result.reason,
    )


def commit_path(
    git: Git,
    git_dir: Path,
    head: Head,
    relative: str,
    data: bytes | None,
    message: str,
    commit_as: CommitAs,
    hooks: Hooks,
) -> str:
    """Commit `data` (None: the file removed) as `relative` on top of `head`; the new
    commit's id. HeadMoved when the branch moved meanwhile, HookRefused when a hook said
    no or changed what was validated, GitError for anything else; nothing is committed
    in any of these cases."""
    git_dir = Path(os.path.abspath(git_dir))  # git and the hooks run in the work tree
    blob = None
    if data is not None:
        blob = git.output(
            "hash-object", "-w", "--stdin", input=data, what="git không ghi được nội dung tệp"
        )
    tree = build_tree(git, head, relative, blob, git_dir / "bluezone")
    if "pre-commit" in hooks.found:
        _pre_commit(git, git_dir, hooks.found["pre-commit"], tree, relative, data)
    message = _message_hooks(git, git_dir, hooks, message)
    args = ["commit-tree", tree]
    if head.commit is not None:
        args += ["-p", head.commit]
    if hooks.sign:  # as `git commit` would: commit-tree applies no policy by itself
        args.append("-S")
    made = commit_as(*args, "-F", "-", input=message.encode("utf-8"))
    if made.returncode != 0:
        if hooks.sign:
            raise signing_refused(git, "git không tạo được commit", made)
        raise git.failure("git không tạo được commit", made)
    commit = made.text.strip()
    moved = git.run(
        "update-ref", "-m", "bluezone: " + message.split("\n", 1)[0][:200], "HEAD", commit,
        head.commit or "", check=False,
    )  # fmt: skip
    if moved.returncode != 0:
        now = git.run("rev-parse", "--verify", "--quiet", "HEAD", check=False).text.strip()
        if now == (head.commit or ""):  # the branch is where it was: git could not move it
            raise git.failure("git không cập nhật được nhánh (HEAD)", moved)
        raise HeadMoved(
            "nhánh git vừa có commit khác (một lệnh git chạy cùng lúc), chưa ghi commit này",
            moved.reason,
        )
    entry = f"{FILE_MODE} {blob}\t{relative}" if blob else f"0 {'0' * len(commit)}\t{relative}"
    git.run(
        "update-index", *_split_if_large(git_dir), "-z", "--index-info",
        input=entry.encode("utf-8") + b"\0",
        what="đã ghi commit, nhưng git không cập nhật được chỉ mục (index)",
    )  # fmt: skip
    if "post-commit" in hooks.found:
        run_hook(hooks.found["post-commit"], [], git.work_tree, _hook_env(git))
    return commit


def _split_if_large(git_dir: Path) -> list[str]:
    """`--split-index` for a large index (a province's year: 62,000 entries, 6 MB): git
    then writes only this entry's change beside a shared index, not the whole file on
    every save. (git does it even where core.splitIndex=false, with a warning that
    stays in git.run; any git reads a split index.)"""
    try:
        large = os.stat(git_dir / "index").st_size > SPLIT_INDEX_BYTES
    except OSError:
        return []
    return ["--split-index"] if large else []


def _hook_env(git: Git, index: Path | None = None) -> dict[str, str]:
    env = {"GIT_WORK_TREE": str(git.work_tree)}
    if git.git_dir is not None:
        env["GIT_DIR"] = str(git.git_dir)
    if index is not None:
        env["GIT_INDEX_FILE"] = str(index)
    return env


def _pre_commit(
    git: Git, git_dir: Path, hook: Path, tree: str, relative: str, data: bytes | None
) -> None:
    """Run `pre-commit` with an index of the commit to be made; refuse if it fails, or if
    it changed the file — staged or in the folder — from what was written and checked."""
    with _temporary_index(git, git_dir, tree) as index:
        ran = run_hook(hook, [], git.work_tree, _hook_env(git, index))
        if ran.returncode != 0:
            raise HookRefused("hook pre-commit của kho git từ chối commit", ran.reason)
        staged = git.output("write-tree", env={"GIT_INDEX_FILE": str(index)})
    path = git.work_tree / relative
    try:
        now = path.read_bytes()
    except FileNotFoundError:
        now = None
    if now != data:
        if data is not None:
            replace_atomically(path, data)
        else:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(path)
    if staged != tree or now != data:
        where = "trong thư mục và " if now != data else ""
        raise HookRefused(
            f"hook pre-commit của kho git ({hook}) đã sửa {where}bản chuẩn bị ghi vào git "
            f"của {relative}: git phải giữ đúng số liệu đã nhập và đã kiểm tra, nên chưa ghi "
            f"commit; tệp vẫn giữ đúng số liệu đã nhập. Sửa hoặc bỏ hook đó (hook không "
            f"được sửa tệp số liệu)"
        )


@contextlib.contextmanager
def _temporary_index(git: Git, git_dir: Path, tree: str) -> Iterator[Path]:
    index = git_dir / "bluezone" / f"hook-index.{os.getpid()}"
    make_folders(index.parent)
    _forget_stale_indexes(index.parent)
    try:
        git.run("read-tree", tree, env={"GIT_INDEX_FILE": str(index)})
        yield index
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(index)


def _forget_stale_indexes(folder: Path) -> None:
    """A save killed during its hook leaves its index behind: removed once its process is gone."""
    for left in folder.glob("hook-index.*"):
        pid = left.suffix[1:]
        if not pid.isdigit() or int(pid) == os.getpid() or _alive(int(pid)):
            continue
        with contextlib.suppress(OSError):
            os.unlink(left)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # another login's process: alive, not ours to judge
    return True


def _message_hooks(git: Git, git_dir: Path, hooks: Hooks, message: str) -> str:
    """`prepare-commit-msg` and `commit-msg` with the message in COMMIT_EDITMSG, as git
    gives it to them: either may refuse; what they write there is the message."""
    wanted = [name for name in ("prepare-commit-msg", "commit-msg") if name in hooks.found]
    if not wanted:
        return message
    path = git_dir / "COMMIT_EDITMSG"
    replace_atomically(path, message.encode("utf-8"), durable=False)  # another clerk's too
    for name in wanted:
        args = [str(path), "message"] if name == "prepare-commit-msg" else [str(path)]
        ran = run_hook(hooks.found[name], args, git.work_tree, _hook_env(git))
        if ran.returncode != 0:
            raise HookRefused(f"hook {name} của kho git từ chối commit", ran.reason)
    text = path.read_text(encoding="utf-8", errors="replace")
    kept = "".join(line + "\n" for line in text.splitlines() if not line.startswith("#"))
    return kept.strip("\n") + "\n" if kept.strip() else message
