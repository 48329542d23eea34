"""What the tests share, imported as `helpers.*` (pyproject puts tests/ on the path).

- data: the shipped registry and demo data, demo days and instants; copies to change
- offices: offices sharing one git repository (real git in temp folders)
- process: the CLI as a bounded process
- pilot: the board under Textual's Pilot (typing into it, waiting for it, reading it)
- terminal: the real board in a pseudo-terminal, and reading a pty to its end
- keystrokes: the units, runs and typing of the keystroke tests

Fixtures stay in the conftest.py files; these modules hold no state between tests.
"""
