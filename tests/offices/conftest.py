"""Fixtures of the offices tests: hermetic git, and two clones of one origin."""

from offices_helpers import git_env, offices  # noqa: F401
