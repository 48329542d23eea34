"""The order `git log --author-date-order --reverse` gives a file's versions, found
without having git sort a province's whole history.

`--author-date-order` sorts every commit the walk meets (the 62,000 of a province's
year), and the author date is not in the commit-graph: git opens each commit to read
it, 0.26 s of the 0.32 s `history` spent in git. The file's versions are a handful, and
`log --simplify-merges` in its default (topological) order names them, parents
rewritten to the file's own history, in a walk the commit-graph answers alone.

Their order then needs no sort when it can only be one: when each version is a parent
of the next (a file saved again and again, withdrawn, saved again: the usual history),
a parent must come before its child, and that leaves a single order.

When two versions are side by side (each office saved the file before a sync merged
them), git's author-date order decides, and git sorts only what can change it. Its sort
(commit.c, sort_in_topological_order) takes out, newest author date first (ties: the
first queued first), a commit whose children are all out. A commit below every root of
the file's history (a strict ancestor of each version with no earlier version) can
only come out after all the versions, and it changes nothing before that: the commits
not below every root have all their children among themselves, so they come out in
the same order with the others in the sort or not. The walk stops there (`^BOTTOM`),
and the versions come out in the order the whole sort gives them.

Only for the whole history from HEAD: in a range (`SINCE..HEAD`), git's walk can take
a commit below SINCE for one after it when clocks disagree, and which one depends on
where the walk stops; history.log_of lets git sort a range itself (a range is short).
"""

from __future__ import annotations

from itertools import pairwise

from bluezone_tui.git.command import Git


def oldest_first(git: Git, commits: list[str], parents: dict[str, tuple[str, ...]]) -> list[str]:
    """HEAD's `commits` as `git log --author-date-order --reverse` lists them.

    `commits`: newest first, as `log --simplify-merges` gives them (children before
    their parents); `parents`: each one's parents as that log rewrote them."""
    if all(later in parents[commit] for commit, later in pairwise(commits)):
        return commits[::-1]  # each the parent of the one before: a single order
    wanted = set(commits)
    roots = [c for c in commits if not wanted.intersection(parents[c])]
    order = _author_date_order(git, _below_every_root(git, roots), wanted)
    if len(order) != len(wanted):  # not expected (see above); a version is never lost
        order = _author_date_order(git, [], wanted)
    return order[::-1]


def _author_date_order(git: Git, bottoms: list[str], wanted: set[str]) -> list[str]:
    """The `wanted` commits in git's author-date order (newest first), the walk stopped
    at `bottoms`. `--simplify-merges` (with no path it simplifies nothing) asks for the
    walk history's log makes: limited, then sorted whole."""
    listed = git.run(
        "rev-list",
        "--full-history",
        "--simplify-merges",
        "--author-date-order",
        "HEAD",
        *(f"^{bottom}" for bottom in bottoms),
    ).text.split()
    return [commit for commit in listed if commit in wanted]


def _below_every_root(git: Git, roots: list[str]) -> list[str]:
    """Commits each a strict ancestor of every root: "ROOT^@" (its parents) for a single
    root; for several, the best common ancestors of their first parents. None when a
    root has no parent (the repository's first commit, a shallow clone's edge)."""
    if len(roots) == 1:
        return [f"{roots[0]}^@"]
    lines = git.run("rev-list", "--no-walk=unsorted", "--parents", *roots).text.splitlines()
    firsts = [line.split()[1] for line in lines if len(line.split()) > 1]
    if len(firsts) < len(roots):
        return []
    return git.run("merge-base", "--octopus", "--all", *firsts, check=False).text.split()
