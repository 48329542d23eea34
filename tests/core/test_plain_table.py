"""plain_table.simple_table writes exactly what tabulate's "simple" layout writes."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from tabulate import tabulate

from bluezone_tui.reports.plain_table import simple_table

# Vietnamese letters, spaces, figures, and what makes tabulate take its own path: a line
# break, a tab, a combining accent, a wide character, a colour code
PIECES = st.sampled_from(
    list("abc XYZ019.,%-ăâđêôơưÁÀẢÃẠáàảãạ") + ["", "  ", "\t", "\n", "\u0301", "中", "\x1b[31m"]
)
CELL = st.lists(PIECES, max_size=10).map("".join)


def reference(rows: list[list[str]], headers: list[str], right: list[bool]) -> str:
    return tabulate(
        [list(row) for row in rows],
        headers=list(headers),
        tablefmt="simple",
        colalign=tuple("right" if r else "left" for r in right),
        disable_numparse=True,
    )


@settings(max_examples=400, deadline=None)
@given(
    st.integers(1, 5).flatmap(
        lambda n: st.tuples(
            st.lists(CELL, min_size=n, max_size=n),
            st.lists(st.lists(CELL, min_size=n, max_size=n), max_size=6),
            st.lists(st.booleans(), min_size=n, max_size=n),
        )
    )
)
def test_same_as_tabulate(case: tuple[list[str], list[list[str]], list[bool]]) -> None:
    headers, rows, right = case
    assert simple_table(rows, headers, right) == reference(rows, headers, right)


def test_a_report_table() -> None:
    headers = ["STT", "Đơn vị", "Số người đã cài", "Tỷ lệ"]
    rows = [["1", "Xã Thường Thới Hậu A", "6.090", "5,05%"], ["2", "Phường An Lộc ", "12", "0,10%"]]
    right = [True, False, True, True]
    text = simple_table(rows, headers, right)
    assert text == reference(rows, headers, right)
    assert text.splitlines()[2] == "    1  Xã Thường Thới Hậu A              6.090    5,05%"
