"""The domain core: registry, store, validation, status, consolidation, reports.

Never imports Textual: the board and the CLI are two thin clients of it.
"""
