"""The board's first frame (issue 24): what it shows, and what waits until after it.

The first frame is drawn before the day is read; the footer's keys, the other screens'
styles, the store and git's modules come after it. Each deferral keeps its promise:
the first compositor update already holds the clock and the reading line, the keys are
mounted before the day's rows are shown, a screen opened before the board is drawn
still has its styles, and nothing the first frame does not need is imported before it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pyte
from textual.app import App
from textual.widgets._footer import FooterKey

from bluezone_tui.tui.screens.help import HelpScreen
from bluezone_tui.tui.widgets.status_table import BoardTable
from helpers.data import DEMO_DAY
from helpers.pilot import loaded

REPO = Path(__file__).resolve().parents[2]


def _render(frames: list[str], size: tuple[int, int]) -> str:
    screen = pyte.Screen(*size)
    stream = pyte.Stream(screen)
    for frame in frames:
        stream.feed(frame)
    return "\n".join(screen.display)


async def test_the_first_update_drawn_holds_the_clock_and_the_reading_line(make_app, monkeypatch):
    """The bars were drawn empty first (fitted to a width they did not have yet), and
    the clock came a refresh later: the very first update now has them."""
    from textual._compositor import CompositorUpdate

    updates: list[str] = []
    display = App._display

    def recorded(self, screen, renderable):  # type: ignore[no-untyped-def]
        if isinstance(renderable, CompositorUpdate) and not self._batch_count:
            updates.append(renderable.render_segments(self.console))
        return display(self, screen, renderable)

    monkeypatch.setattr(App, "_display", recorded)
    app = make_app(DEMO_DAY, (14, 30, 0))
    async with app.run_test(size=(80, 24)):
        await app.board.first_frame.wait()
        first = _render(updates[:1], (80, 24))
        assert f"Đang đọc số liệu của {len(app.registry.units)} đơn vị…" in first
        assert "14:30:00 · 15:00 còn 0:30 · 16:30 còn 2:00" in first
        assert "/ tìm đơn vị" in first
        # the lines with nothing to say take no room: the table's header follows the bars
        assert first.splitlines()[2].startswith("Tình trạng")


async def test_the_footers_keys_are_there_before_the_days_rows(make_app, monkeypatch):
    """The keys are composed after the first frame, and the day is read only then: a
    clerk who sees the rows sees the keys (a click on «/ Tìm» lands on one)."""
    keys_when_shown: list[int] = []
    show = BoardTable.show

    def counted(self, *args):  # type: ignore[no-untyped-def]
        keys_when_shown.append(len(self.screen.query(FooterKey)))
        return show(self, *args)

    monkeypatch.setattr(BoardTable, "show", counted)
    app = make_app(DEMO_DAY, (14, 30, 0))
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        assert keys_when_shown and keys_when_shown[0] > 0


async def test_a_screen_opened_before_the_board_is_drawn_has_its_styles(make_app):
    """The other screens' styles (screens.tcss) are added once the board is drawn, or
    before another screen is pushed, whichever comes first."""
    app = make_app(DEMO_DAY, (14, 30, 0))
    async with app.run_test(size=(80, 24)) as pilot:
        await app.push_screen(HelpScreen())  # drawn or not yet: styled either way
        await pilot.pause()
        box = app.screen.query_one("#help-box")
        assert box.styles.width is not None and box.styles.width.value == 76
        assert box.styles.border_top[0] == "heavy"


FIRST_FRAME_MODULES = textwrap.dedent(
    """
    import asyncio, json, os, sys
    from datetime import date
    from pathlib import Path
    from bluezone_tui.base.clock import fixed_clock, parse_now
    from bluezone_tui.registry.load import load_registry
    from bluezone_tui.tui.app import BoardApp

    async def main():
        data = Path(sys.argv[1])
        registry = load_registry(data)
        app = BoardApp(
            data_dir=data, registry=registry, day=date.fromisoformat(sys.argv[2]),
            clock=fixed_clock(parse_now(sys.argv[3], registry.timezone)),
        )
        async with app.run_test(size=(80, 24)):
            await app.board.first_frame.wait()
            print(json.dumps(sorted(sys.modules)), flush=True)
            os._exit(0)

    asyncio.run(main())
    """
)


def test_the_first_frame_imports_nothing_it_does_not_show(data_dir):
    """Up to the first frame (history: none): no store, TOML, git, reports, export,
    delivery or signing module, no other screen."""
    done = subprocess.run(
        [sys.executable, "-c", FIRST_FRAME_MODULES, str(data_dir), DEMO_DAY.isoformat(),
         f"{DEMO_DAY.isoformat()}T14:30"],
        capture_output=True, text=True, timeout=60, cwd=REPO,
        env={k: v for k, v in os.environ.items() if not k.startswith("BLUEZONE_")},
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    loaded_modules = set(json.loads(done.stdout.splitlines()[-1]))
    later = {
        "tomllib", "tomli_w", "tabulate", "xlsxwriter", "openpyxl", "docx", "reportlab",
        "bluezone_tui.day.store", "bluezone_tui.day.submission", "bluezone_tui.day.loader",
        "bluezone_tui.git.repository", "bluezone_tui.git.command",
        "bluezone_tui.export", "bluezone_tui.base.sharing",
        "bluezone_tui.tui.screens.form", "bluezone_tui.tui.screens.entry",
    }  # fmt: skip
    prefixes = ("bluezone_tui.reports", "bluezone_tui.deliver", "bluezone_tui.signing")
    early = sorted(m for m in loaded_modules if m in later or m.startswith(prefixes))
    assert early == []
