"""The same report is the same file: a Word report made again later is byte-identical,
so `export --as-of` can rebuild exactly what was sent."""

from __future__ import annotations

import time

from bluezone_tui.day.consolidate import consolidate
from bluezone_tui.day.loader import load_status
from bluezone_tui.reports.docx import render_docx
from helpers.data import DEMO_DAY, at


def test_a_word_report_made_later_is_the_same_file(demo_store, monkeypatch):
    moment = at(DEMO_DAY, 16, 30)
    first = render_docx(consolidate(load_status(demo_store, DEMO_DAY, moment)), demo_store.registry)
    later = time.localtime(time.time() + 86_400 * 400)  # the zip's clock, a year later
    monkeypatch.setattr(time, "localtime", lambda *args: later)
    again = render_docx(consolidate(load_status(demo_store, DEMO_DAY, moment)), demo_store.registry)
    assert again == first
