"""The board's first frame, a fresh process each time, headless at 80×24: a bare Textual
app, the board at 30 units and at N units; then the first frame that shows every unit's
status (the board draws first, then reads the day in a worker)."""

from __future__ import annotations

import statistics
import textwrap
from collections.abc import Callable
from pathlib import Path

from bench_data import HISTORY_UNITS
from timing import DAY, NOW, Row, time_to_markers

FIRST_FRAME_BOARD = textwrap.dedent(
    """
    import asyncio, os, sys
    from datetime import date
    from pathlib import Path
    from bluezone_tui.base.clock import fixed_clock, parse_now
    from bluezone_tui.registry.load import load_registry
    from bluezone_tui.tui.app import BoardApp

    async def main():
        data = Path(sys.argv[1])
        registry = load_registry(data)
        now = parse_now(sys.argv[3], registry.timezone)
        app = BoardApp(
            data_dir=data, registry=registry, day=date.fromisoformat(sys.argv[2]),
            clock=fixed_clock(now),
        )
        async with app.run_test(size=(80, 24)) as pilot:
            await app.board.first_frame.wait()  # set by the board right after its first refresh
            print("FIRST_FRAME", flush=True)
            while app.board.consolidation is None:  # the day's files, read after the first frame
                await pilot.pause(0.005)
            await pilot.pause()
            print("DATA_FRAME", flush=True)
            sys.stdout.close()
            os._exit(0)

    asyncio.run(main())
    """
)

FIRST_FRAME_BARE = textwrap.dedent(
    """
    import asyncio, os, sys
    from textual.app import App

    async def main():
        app = App()
        async with app.run_test(size=(80, 24)) as pilot:
            drawn = asyncio.Event()
            app.call_after_refresh(drawn.set)
            await drawn.wait()
            print("FIRST_FRAME", flush=True)
            sys.stdout.close()
            os._exit(0)

    asyncio.run(main())
    """
)


def board_frames(data_dir: Path, repeat: int) -> tuple[float, float]:
    """Medians of: start to the first frame, and to the first frame with every status."""
    runs = [
        time_to_markers(
            FIRST_FRAME_BOARD,
            [str(data_dir), DAY.isoformat(), NOW],
            ("FIRST_FRAME", "DATA_FRAME"),
        )
        for _ in range(repeat)
    ]
    return (
        statistics.median(r["FIRST_FRAME"] for r in runs),
        statistics.median(r["DATA_FRAME"] for r in runs),
    )


def measure(big: Path, small: Path, n: int, repeat: int, log: Callable[[str], None]) -> list[Row]:
    log("first frame")
    bare = statistics.median(
        time_to_markers(FIRST_FRAME_BARE, [], ("FIRST_FRAME",))["FIRST_FRAME"]
        for _ in range(repeat)
    )
    few, few_data = board_frames(small, repeat)
    many, many_data = board_frames(big, repeat)
    return [
        Row("first frame, bare Textual app", bare),
        Row(f"first frame, {HISTORY_UNITS} units", few, "bare", bare, 1.5),
        Row(f"first frame, {n} units", many, f"{HISTORY_UNITS} units", few, 1.5),
        Row(f"board with every status, {HISTORY_UNITS} units", few_data, "bare", bare),
        Row(f"board with every status, {n} units", many_data, f"{HISTORY_UNITS} units", few_data),
    ]
