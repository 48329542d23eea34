"""The board's screens: the board itself, the entry and conflict forms, history, trend,
reminders, help and the small dialogs. Each owns its keys."""
