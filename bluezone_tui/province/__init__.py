"""The province's view: each district's source (a data folder, or the CSV or workbook a
district exported) read and checked, then ranked.

May import: base, registry, day, reports, git.
"""
