"""The data folder as a git repository: the git command, the repository and its lock,
the commit of a save, sync, conflicts, history, and reports as sent.

May import: base, registry, day. Not reports.
"""
