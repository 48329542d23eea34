"""The board's screens: the board itself, the entry and conflict forms, history, trend,
reminders, help and the small dialogs. Each owns its keys.

May import: the tui package's app and widgets, and the core below tui; never cli.
"""
