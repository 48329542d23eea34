"""The day's report: its content once (content.py: the sentences and tables), then one
module per layout: text, csv, xlsx, docx, status, dhis2, units.

May import: base, registry, day. Not git: a report is made from data, wherever it came from.
"""
