"""The ground floor: files read and written safely (and shared with a group: sharing.py;
a refused write said once: failed_writes.py; lock files: locks.py; disks: mounts.py),
problems, the clock, Vietnamese numbers and dates, safe text, phone numbers, spreadsheets
read as tables.

May import: nothing of bluezone_tui; everything else may import it.
"""
