"""bluezone-tui: daily Bluezone installation reports for a Vietnamese district office."""

__version__ = "0.1.0"
