"""The README a newcomer reads in five minutes, the docs/ pages it leads to, and their links."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest

from helpers.data import REPO

README = REPO / "README.md"
DOCS = sorted((REPO / "docs").glob("*.md"))
PAGES = [README, REPO / "HUONG-DAN.md", *DOCS]
MAIN_JOB = (
    "python3 -m venv .venv && .venv/bin/pip install -e . && "
    ".venv/bin/bluezone export --date 2020-08-20"
)
TESTS = "python3 -m venv .venv && .venv/bin/pip install -q -e '.[test]' && .venv/bin/python -m pytest -n auto"


def test_the_readme_is_short_and_gives_both_commands_verbatim():
    lines = README.read_text("utf-8").splitlines()
    assert len(lines) <= 150
    assert "    " + MAIN_JOB in lines  # a code block of its own, to copy whole
    assert "    " + TESTS in lines
    assert TESTS in (REPO / ".ci" / "run").read_text("utf-8").splitlines()  # what CI runs


def test_the_readme_leads_to_every_page_and_each_page_says_what_it_covers():
    targets = {target.split("#")[0] for target in links(README.read_text("utf-8"))}
    assert "HUONG-DAN.md" in targets
    for page in DOCS:
        assert f"docs/{page.name}" in targets, page.name
        title, blank, first = page.read_text("utf-8").splitlines()[:3]
        assert title.startswith("# ") and not blank, page
        assert first.strip() and not first.startswith(("#", " ", "```", "|", "-")), page


def without_code(text: str) -> str:
    """The prose of a markdown page: fenced blocks, indented blocks and code spans dropped."""
    text = re.sub(r"^```.*?^```[ \t]*$", "", text, flags=re.MULTILINE | re.DOTALL)
    text = re.sub(r"^(?: {4}|\t).*$", "", text, flags=re.MULTILINE)
    return re.sub(r"`[^`]+`", "", text)


def links(text: str) -> list[str]:
    """Every link and image target of a page, as written (a link may wrap across lines)."""
    return re.findall(r"\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)", without_code(text))


def slug(heading: str) -> str:
    """GitHub's anchor for a heading: the text as shown (a link's text, no code marks),
    lowercase, letters (Vietnamese ones too), digits, '-' and '_' kept, each space a '-'."""
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", heading).replace("`", "").strip().lower()
    kept = "".join(ch for ch in text if ch in " -_" or unicodedata.category(ch)[0] in "LNM")
    return kept.replace(" ", "-")


def anchors(page: Path) -> set[str]:
    text = re.sub(
        r"^```.*?^```[ \t]*$", "", page.read_text("utf-8"), flags=re.MULTILINE | re.DOTALL
    )
    found: set[str] = set()
    for heading in re.findall(r"^#{1,6}[ \t]+(.+?)[ \t#]*$", text, flags=re.MULTILINE):
        base = slug(heading)
        anchor, n = base, 0
        while anchor in found:  # GitHub numbers a repeated heading: x, x-1, x-2
            n += 1
            anchor = f"{base}-{n}"
        found.add(anchor)
    return found


def test_the_slug_rules():
    assert slug("History: every save is a commit") == "history-every-save-is-a-commit"
    assert slug("`units.yaml`") == "unitsyaml"
    assert slug("`export`: where the output goes") == "export-where-the-output-goes"
    assert slug('6. Đồng bộ giữa hai nơi và "xung đột"') == "6-đồng-bộ-giữa-hai-nơi-và-xung-đột"
    assert slug("Live, and safe with many hands") == "live-and-safe-with-many-hands"


@pytest.mark.parametrize("page", PAGES, ids=lambda page: page.relative_to(REPO).as_posix())
def test_every_relative_link_leads_somewhere(page):
    checked = 0
    for target in links(page.read_text("utf-8")):
        if re.match(r"[a-z][a-z0-9+.-]*:", target):
            continue  # https:, mailto:: not ours to check here
        path, _, anchor = target.partition("#")
        destination = (page.parent / path).resolve() if path else page
        assert destination.exists(), f"{page.name}: {target}"
        assert REPO in destination.parents or destination == REPO, f"{page.name}: {target}"
        if anchor:
            assert destination.suffix == ".md", f"{page.name}: {target}"
            assert anchor in anchors(destination), f"{page.name}: {target}"
        checked += 1
    assert checked or page.name == "performance.md", f"{page.name} links nothing"


def test_links_into_our_pages_are_checked():
    """The pages do link into each other's sections, so the test above means something."""
    linked = [target for page in PAGES for target in links(page.read_text("utf-8"))]
    assert sum(".md#" in target for target in linked) >= 10
    assert "docs/offices-and-git.md#several-offices-one-repository" in linked  # HUONG-DAN


def test_the_architecture_page_has_one_line_per_module():
    """docs/architecture.md lists each module as "- `path`: …" under its package's heading;
    a module added without its line, or a line left for a module gone, fails here."""
    sections: dict[str, set[str]] = {}
    package = ""
    for line in (REPO / "docs" / "architecture.md").read_text("utf-8").splitlines():
        if heading := re.match(r"### `([a-z_]+)/`", line):
            package = heading.group(1)
        elif line.startswith("## "):
            package = ""
        elif (item := re.match(r"- `([a-z0-9_/]+\.(?:py|tcss))`:", line)) and package:
            sections.setdefault(package, set()).add(item.group(1))
    source = REPO / "bluezone_tui"
    modules: dict[str, set[str]] = {}
    for path in source.rglob("*"):
        top, *rest = path.relative_to(source).parts
        if rest and path.suffix in (".py", ".tcss") and path.name != "__init__.py":
            modules.setdefault(top, set()).add("/".join(rest))
    assert sections == modules
