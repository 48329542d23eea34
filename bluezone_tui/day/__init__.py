"""One day of reports, the way it flows: the store (files on disk) -> a submission file
parsed -> validated -> each unit's status against its deadline -> consolidated totals;
the loader is the one path through it. Also entry (what a clerk types), check, trend
and whom to remind.

May import: base, registry.
"""
