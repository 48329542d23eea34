"""The Textual board: a thin client of bluezone_tui.core."""
