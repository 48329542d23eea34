"""The Word report's last table and the signature: never the signature alone on a page,
in Word and in LibreOffice (which keeps a table with what follows only when every row of
it keeps), from layout.tail_start."""

from __future__ import annotations

from lxml import etree

from bluezone_tui.reports.content import Table
from bluezone_tui.reports.docx import _table_pieces
from bluezone_tui.reports.layout import KEEP_TAIL, KEEP_WHOLE, TableFit, tail_start

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def _table(rows: int) -> Table:
    return Table(
        headers=("STT", "Đơn vị"),
        rows=tuple((str(i), f"Xã {i}") for i in range(1, rows + 1)),
        numeric=(True, False),
    )


def _body(table: Table, keep: bool) -> etree._Element:
    fit = TableFit(False, 12.0, (((0, 1), (40.0, 200.0)),))
    xml = "".join(_table_pieces(table, fit, keep, "Bang12"))
    return etree.fromstring(f"<w:body {NS}>{xml}</w:body>".encode())


def _keeps(row: etree._Element) -> bool:
    return all(p.find(f"{W}pPr/{W}keepNext") is not None for p in row.iter(f"{W}p"))


def test_tail_start_only_for_a_long_table_that_keeps_with_what_follows():
    assert tail_start(KEEP_WHOLE, last_keeps=True) is None  # a short table keeps whole
    assert tail_start(KEEP_WHOLE + 1, last_keeps=False) is None
    assert tail_start(57, last_keeps=True) == 57 - KEEP_TAIL + 1


def test_the_last_long_table_ends_in_a_wholly_kept_tail_with_the_signature():
    body = _body(_table(57), keep=True)
    tables = body.findall(f"{W}tbl")
    assert len(tables) == 2  # the table, then its last rows
    head, tail = (t.findall(f"{W}tr") for t in tables)
    assert len(head) == 1 + 57 - KEEP_TAIL and len(tail) == KEEP_TAIL
    assert all(_keeps(row) for row in tail)  # LibreOffice moves it with the signature
    assert not _keeps(head[-1])  # the table may break before its tail
    texts = ["".join(t.itertext()) for t in tail]
    assert texts == ["56Xã 56", "57Xã 57"]
    after = tables[1].getnext()
    assert after.find(f"{W}pPr/{W}keepNext") is not None  # and the blank with the closing


def test_a_long_table_not_last_and_a_short_table_stay_one_table():
    assert len(_body(_table(57), keep=False).findall(f"{W}tbl")) == 1
    assert len(_body(_table(KEEP_WHOLE), keep=True).findall(f"{W}tbl")) == 1
