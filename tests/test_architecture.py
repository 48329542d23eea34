"""The package's layers, as pyproject.toml writes them for import-linter, and no import
cycles: held by the code today, and seen to fail when an import runs against them."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import grimp
import pytest

import bluezone_tui

REPO = Path(bluezone_tui.__file__).resolve().parent.parent


def lint_imports(root: Path) -> subprocess.CompletedProcess[str]:
    """import-linter's contracts (pyproject.toml in `root`) over the package in `root`."""
    return subprocess.run(
        [sys.executable, "-c", "import sys; from importlinter.cli import lint_imports_command; "
         "sys.exit(lint_imports_command())"],
        cwd=root,
        env={"PYTHONPATH": str(root), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
    )  # fmt: skip


def cycles(package: str, path: Path) -> list[list[str]]:
    """Every group of modules that import each other in a loop, by Tarjan's strongly
    connected components. Imports made only for the type checker count too, but for the
    one allowed exception: a screen naming the app's type (tui/app.py imports the screens)."""
    code = textwrap.dedent(
        f"""
        import json, sys
        import grimp
        graph = grimp.build_graph({package!r}, exclude_type_checking_imports=False)
        app = {package!r} + ".tui.app"
        if app in graph.modules:
            for importer in graph.find_modules_that_directly_import(app):
                if importer.startswith({package!r} + ".tui."):
                    graph.remove_import(importer=importer, imported=app)
        index, low, stack, on, found = {{}}, {{}}, [], set(), []
        sys.setrecursionlimit(10000)
        def visit(module):
            index[module] = low[module] = len(index)
            stack.append(module); on.add(module)
            for other in graph.find_modules_directly_imported_by(module):
                if other not in index:
                    visit(other); low[module] = min(low[module], low[other])
                elif other in on:
                    low[module] = min(low[module], index[other])
            if low[module] == index[module]:
                group = []
                while True:
                    other = stack.pop(); on.discard(other); group.append(other)
                    if other == module:
                        break
                if len(group) > 1:
                    found.append(sorted(group))
        for module in sorted(graph.modules):
            if module not in index:
                visit(module)
        print(json.dumps(found))
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=path,  # `-c` puts the working folder first on the path
        env={**os.environ, "PYTHONPATH": str(path)},
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    import json

    return json.loads(done.stdout)


def copy_of_package(tmp_path: Path) -> Path:
    root = tmp_path / "checkout"
    shutil.copytree(
        REPO / "bluezone_tui", root / "bluezone_tui", ignore=shutil.ignore_patterns("__pycache__")
    )
    shutil.copy2(REPO / "pyproject.toml", root / "pyproject.toml")
    return root


def test_the_layers_hold() -> None:
    result = lint_imports(REPO)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_no_module_imports_itself_in_a_loop() -> None:
    assert cycles("bluezone_tui", REPO) == []


def test_a_lower_layer_importing_a_higher_one_is_caught(tmp_path: Path) -> None:
    root = copy_of_package(tmp_path)
    vn = root / "bluezone_tui" / "base" / "vn.py"
    vn.write_text(vn.read_text("utf-8") + "\nfrom bluezone_tui.day import store  # noqa\n", "utf-8")
    result = lint_imports(root)
    assert result.returncode != 0
    assert "bluezone_tui.base is not allowed to import bluezone_tui.day" in result.stdout
    assert "bluezone_tui.base.vn -> bluezone_tui.day.store" in result.stdout


def test_reports_and_git_stay_apart(tmp_path: Path) -> None:
    root = copy_of_package(tmp_path)
    text_report = root / "bluezone_tui" / "reports" / "text.py"
    text_report.write_text(
        text_report.read_text("utf-8") + "\nfrom bluezone_tui.git import sync  # noqa\n", "utf-8"
    )
    result = lint_imports(root)
    assert result.returncode != 0
    assert "bluezone_tui.reports.text -> bluezone_tui.git.sync" in result.stdout


def test_textual_outside_the_board_is_caught(tmp_path: Path) -> None:
    root = copy_of_package(tmp_path)
    content = root / "bluezone_tui" / "reports" / "content.py"
    content.write_text(content.read_text("utf-8") + "\nimport textual  # noqa\n", "utf-8")
    result = lint_imports(root)
    assert result.returncode != 0
    assert "Only the board imports Textual BROKEN" in result.stdout


def test_a_loop_inside_one_layer_is_caught(tmp_path: Path) -> None:
    root = copy_of_package(tmp_path)
    store = root / "bluezone_tui" / "day" / "store.py"
    store.write_text(
        store.read_text("utf-8") + "\nfrom bluezone_tui.day import loader  # noqa\n", "utf-8"
    )
    found = cycles("bluezone_tui", root)
    assert any(
        {"bluezone_tui.day.store", "bluezone_tui.day.loader"} <= set(group) for group in found
    )


@pytest.mark.parametrize(
    "package",
    [
        "base", "registry", "day", "reports", "git", "province", "signing", "deliver", "cli",
        "tui", "tui/screens", "tui/widgets",
    ],
)  # fmt: skip
def test_each_package_says_what_it_holds_and_may_import(package: str) -> None:
    doc = (REPO / "bluezone_tui" / package / "__init__.py").read_text("utf-8")
    assert doc.startswith('"""') and len(doc.splitlines()) >= 2
    docstring = doc.split('"""')[1]
    assert "May import" in docstring  # what it may import (or that nothing of ours)


def test_grimp_is_the_graph_import_linter_reads() -> None:
    # the cycle check and the contracts read the same graph
    assert grimp.build_graph("bluezone_tui", exclude_type_checking_imports=False).modules
