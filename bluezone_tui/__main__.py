"""`python -m bluezone_tui` is the `bluezone` command."""

from bluezone_tui.cli.main import run

run()
