"""Whether a data folder keeps its history in git: asked by every command that opens the
folder, answered without loading git's machinery (the board's first frame, a folder
with `history: none`, needs none of it)."""

from __future__ import annotations

import os
from pathlib import Path

from bluezone_tui.registry.model import HISTORY_GIT, HISTORY_NONE, Registry

GIT_FOLDER = ".git"


def history_wanted(data_dir: Path, registry: Registry) -> bool:
    """History is on when units.yaml says `history: git`, or says nothing and the data
    folder is the top of a git work tree (it holds `.git`)."""
    if registry.history == HISTORY_NONE:
        return False
    return registry.history == HISTORY_GIT or os.path.lexists(data_dir / GIT_FOLDER)
