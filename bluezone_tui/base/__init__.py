"""The ground floor: files read and written safely (and shared with a group: sharing.py),
problems, the clock, Vietnamese numbers and dates, safe text, phone numbers, spreadsheets
read as tables.

May import: nothing of bluezone_tui; everything else may import it.
"""
