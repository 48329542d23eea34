"""`history:` and `sync:` in units.yaml."""

from __future__ import annotations

import pytest

from bluezone_tui.base.problems import ConfigError
from bluezone_tui.registry.load import parse_registry
from helpers.data import SHIPPED_REGISTRY


def registry_with(lines: str):  # type: ignore[no-untyped-def]
    text = SHIPPED_REGISTRY.read_text(encoding="utf-8").replace("history: none", lines)
    return parse_registry(text, SHIPPED_REGISTRY)


def test_defaults_and_values():
    assert registry_with("").history == "auto"
    assert registry_with("history: git").history == "git"
    assert registry_with("sync: {every: 5}").sync_every == 5
    assert registry_with("").sync_every is None


@pytest.mark.parametrize(
    ("lines", "words"),
    [
        ("history: yes", "«history» phải là git"),
        ("history: git-lfs", "«history» phải là git"),
        ("sync: 5", "«sync» phải là một bảng"),
        ("sync: {every: 0}", "«sync.every» là số phút"),
        ("sync: {every: five}", "«sync.every» là số phút"),
        ("sync: {evry: 5}", "khóa «evry» không hợp lệ"),
    ],
)
def test_mistakes_are_named_at_their_line(lines, words):
    with pytest.raises(ConfigError) as caught:
        registry_with(lines)
    problem = caught.value.problems[0]
    assert words in problem.message
    assert problem.line is not None
