"""The `bluezone` command: main.py assembles the parser from one module per command
group (each registers its own sub-parser); common.py holds what they share.

May import everything below it; the Textual board (tui) only inside `board`, so that
headless commands never load Textual.
"""
