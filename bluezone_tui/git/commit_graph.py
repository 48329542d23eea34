"""Git's commit-graph with changed-path filters, kept current by the commands that read
history, so that no one has to remember a maintenance step.

`git log -- PATH` over a province's year (62,000 commits) opens every commit and
compares its tree with its parent's: over a second. A commit-graph with changed-path
(Bloom) filters answers "did this commit touch PATH?" without opening the trees:
the same output in a fifth of the time. Written incrementally (`--split`: only the
commits not in it yet, a few milliseconds when nothing is new; the first time at
62,000 commits takes about 3 s, once). A repository git cannot write one for (a
shallow clone, a read-only folder) simply reads without it.
"""

from __future__ import annotations

from bluezone_tui.git.command import Git

GRAPH_WRITE = ("commit-graph", "write", "--reachable", "--changed-paths", "--split")


def keep_commit_graph(git: Git) -> None:
    """Add the commits not yet in the commit-graph (with their changed-path filters);
    never fails: without it git reads the same history, only slower."""
    git.run(*GRAPH_WRITE, check=False)
