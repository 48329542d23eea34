"""Widgets the screens share: the status table (renders only the visible rows), text that
fits its width, and the fitting rules themselves.

May import: the core below tui; never a screen or cli.
"""
