"""The ground floor: files read and written safely, problems, the clock, Vietnamese
numbers and dates, safe text, spreadsheets read as tables.

Imports nothing of bluezone_tui; everything else may import it.
"""
