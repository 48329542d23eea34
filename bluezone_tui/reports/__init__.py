"""The day's report: its content once (content.py: the sentences and tables), the page
decisions the Word and PDF layouts share (layout.py), then one module per layout: text,
csv, xlsx (with workbook.py), docx, pdf, status, dhis2, units; plain_table.py and
terminal_text.py fit text to a table or a terminal.

May import: base, registry, day. Not git: a report is made from data, wherever it came from.
"""
