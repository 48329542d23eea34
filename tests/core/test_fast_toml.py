"""The fast reader of canonical files must agree with tomllib, or step aside (None)."""

from __future__ import annotations

import tomllib
from datetime import datetime, timedelta, timezone

from hypothesis import given, settings
from hypothesis import strategies as st

from bluezone_tui.day.submission import loads_canonical

keys = st.from_regex(r"[A-Za-z0-9_-]{1,12}", fullmatch=True)
texts = st.text(max_size=30)
moments = st.datetimes(min_value=datetime(1970, 1, 1), max_value=datetime(2100, 1, 1)).map(
    lambda d: d.replace(microsecond=0, tzinfo=timezone(timedelta(hours=7)))
)
values = st.one_of(st.integers(-(10**12), 10**12), st.booleans(), texts, moments)


def _line(key: str, value: object) -> str:
    if isinstance(value, bool):
        return f"{key} = {'true' if value else 'false'}"
    if isinstance(value, int):
        return f"{key} = {value}"
    if isinstance(value, datetime):
        return f"{key} = {value.isoformat(sep=' ')}"
    escaped = str(value).replace("\\", "\\\\").replace('"', '\\"')
    return f'{key} = "{escaped}"'


def _agrees(text: str) -> None:
    fast = loads_canonical(text)
    try:
        slow = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        assert fast is None, text
        return
    if fast is not None:
        assert fast == slow, text


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(keys, values, max_size=6), st.dictionaries(keys, values, max_size=6))
def test_agrees_with_tomllib_on_generated_files(top: dict, figures: dict) -> None:
    lines = [_line(k, v) for k, v in top.items()]
    lines.append("[figures]")
    lines += [_line(k, v) for k, v in figures.items()]
    _agrees("\n".join(lines) + "\n")


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "revision = 1",
                "revision = 01",
                'note = "a\\"b"',
                'note = "x"',
                "[figures]",
                "[figures]",
                "a = 2020-02-30 10:00:00+07:00",
                "a = 2020-08-20T10:00:00Z",
                "a = 2020-08-20 10:00:00",
                "b = true",
                "b = True",
                "c = -0",
                "c = +5",
                "d = 1_000",
                "e = 99999999999999999999999999999999",
                'x = "tab\there"',
                "y = 'lit'",
                "",
                "# comment",
                "z = [1, 2]",
                "k=1",
                "k = 1 ",
            ]
        ),
        max_size=8,
    )
)
def test_agrees_with_tomllib_on_odd_lines(lines: list[str]) -> None:
    _agrees("\n".join(lines) + "\n")
