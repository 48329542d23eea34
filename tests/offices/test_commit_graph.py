"""`history` keeps git's commit-graph (with changed-path filters) current by itself, and
reads the same history with it as without it."""

from __future__ import annotations

from bluezone_tui.git.commit_graph import GRAPH_WRITE
from helpers.offices import needs_git

pytestmark = needs_git

UNIT = "xa-thuong-thoi-hau-a"
DAY = "2020-08-20"


def submit(office, time: str, installed: int) -> None:
    code, _out, err = office.run(
        "submit", UNIT, "--date", DAY, "--now", f"{DAY}T{time}", "--entered-by", "lan",
        f"residents_installed={installed}",
    )  # fmt: skip
    assert code == 0, err


def current_graph(office) -> str:
    """The commit-graph's chain, after checking it is sound and holds every commit: a
    second write finds nothing to add."""
    office.git("commit-graph", "verify")  # fails on a broken graph
    chain = office.path / ".git" / "objects" / "info" / "commit-graphs" / "commit-graph-chain"
    text = chain.read_text()
    office.git(*GRAPH_WRITE)
    assert chain.read_text() == text, "the graph missed commits"
    return text


def test_history_writes_the_graph_and_adds_new_commits(offices):
    district, _ = offices
    submit(district, "14:30", 433)
    code, before, err = district.run("history", UNIT, "--date", DAY)
    assert code == 0, err
    assert "--changed-paths" in GRAPH_WRITE  # the filters `log -- PATH` reads
    layers = current_graph(district)

    submit(district, "14:52", 450)
    code, after, err = district.run("history", UNIT, "--date", DAY)
    assert code == 0, err
    assert after.startswith(before.splitlines()[0].replace("1 phiên bản", "2 phiên bản"))
    assert current_graph(district) != layers  # the new commit is in it too
    # the same output without the graph
    district.git("config", "core.commitGraph", "false")
    code, plain, err = district.run("history", UNIT, "--date", DAY)
    assert code == 0, err
    assert plain == after
