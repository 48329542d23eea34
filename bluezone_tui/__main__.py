"""`python -m bluezone_tui` is the `bluezone` command."""

from .cli import run

run()
