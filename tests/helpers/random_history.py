"""Random git histories of one file, for comparing the order `history` finds with the
order `git log --author-date-order` gives.

In each, a few branches save the file, change another, delete it, or merge each other
(the merge keeping our file, theirs, a value of its own, or none), with author dates
drawn from four minutes (many equal, often older than a parent's) and committer dates
just as skewed; at the end every branch is merged into the history's main branch, so
the whole graph is its history. Many histories go into one repository (one `git
fast-import`), each under its own branch `h<seed>`, with a root of its own.
"""

from __future__ import annotations

import random
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

FILE = "submissions/2020-08-20/xa-a.toml"
OTHER = "submissions/2020-08-20/xa-b.toml"
START = 1_597_906_800  # 2020-08-20 14:00 +0700
_VALUES = ("433", "450", "445", "500")  # repeats: a save may change nothing


@dataclass
class _Builder:
    rng: random.Random
    stream: list[bytes] = field(default_factory=list)
    mark: int = 0
    content: dict[int, str | None] = field(default_factory=dict)  # mark -> the file's value

    def commit(self, branch: str, parents: list[int], value: str | None, other: bool) -> int:
        """One commit on `branch` with the file holding `value` (None: no file)."""
        self.mark += 1
        author = START + 60 * self.rng.randrange(4)
        committer = START + 60 * self.rng.randrange(6)
        message = f"c{self.mark}\n"
        lines = [
            f"commit refs/heads/{branch}",
            f"mark :{self.mark}",
            f"author a{self.rng.randrange(3)} <a@x> {author} +0700",
            f"committer c <c@x> {committer} +0700",
            f"data {len(message)}",
            message.rstrip("\n"),
        ]
        if parents:
            lines.append(f"from :{parents[0]}")
            lines.extend(f"merge :{p}" for p in parents[1:])
        else:
            lines.append("deleteall")  # a root of its own
        before = self.content.get(parents[0]) if parents else None
        if value is None and before is not None:
            lines.append(f"D {FILE}")
        if value is not None and value != before:
            lines += [f"M 100644 inline {FILE}", f"data {len(value)}", value]
        if other:
            lines += [f"M 100644 inline {OTHER}", f"data {len(str(self.mark))}", str(self.mark)]
        self.stream.append(("\n".join(lines) + "\n\n").encode())
        self.content[self.mark] = value
        return self.mark

    def merge(self, branch: str, parents: list[int]) -> int:
        """A merge keeping our file, theirs, a value of its own, or none."""
        ours, theirs = (self.content[p] for p in parents)
        value = self.rng.choice((ours, ours, theirs, theirs, "700", None))
        return self.commit(branch, parents, value, other=self.rng.random() < 0.5)


def _history(builder: _Builder, name: str) -> None:
    """One random history on branch `name` (its side branches: `name`-bN)."""
    rng = builder.rng
    saves = rng.choice((0.05, 0.1, 0.2, 0.35))  # the share of commits that save the file
    first = rng.choice((None, None, "433"))  # sometimes the first commit adds the file
    root = builder.commit(name, [], first, other=True)
    tips = {name: root}
    for number in range(1, rng.randrange(2, 6)):
        tips[f"{name}-b{number}"] = rng.choice(list(tips.values()))
    for _ in range(rng.randrange(10, 80)):
        branch = rng.choice(list(tips))
        tip = tips[branch]
        action = rng.random()
        if action < saves:
            tips[branch] = builder.commit(branch, [tip], rng.choice(_VALUES), other=False)
        elif action < 0.6:
            tips[branch] = builder.commit(branch, [tip], builder.content[tip], other=True)
        elif action < 0.62:
            tips[branch] = builder.commit(branch, [tip], None, other=False)
        else:
            side = tips[rng.choice([b for b in tips if b != branch])]
            if side != tip:
                tips[branch] = builder.merge(branch, [tip, side])
    for side in [tips[b] for b in tips if b != name]:
        if side != tips[name]:
            tips[name] = builder.merge(name, [tips[name], side])


def build(path: Path, seeds: range) -> list[str]:
    """A repository at `path` holding one random history per seed; their branches."""
    builder = _Builder(random.Random())
    names = []
    for seed in seeds:
        builder.rng.seed(seed)
        names.append(f"h{seed}")
        _history(builder, names[-1])
    subprocess.run(["git", "init", "--quiet", "--initial-branch=main", str(path)], check=True)
    subprocess.run(
        ["git", "fast-import", "--quiet"], cwd=path, input=b"".join(builder.stream), check=True
    )
    return names
