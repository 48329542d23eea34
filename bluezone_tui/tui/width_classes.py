"""A screen's width class (the app's HORIZONTAL_BREAKPOINTS: `-narrow` below 80 columns)
set from its first frame, not on its first resize as Textual sets it."""

from __future__ import annotations

from typing import Any

from textual.screen import Screen


def set_width_classes(screen: Screen[Any]) -> None:
    """Set now the class Textual would set at the screen's first resize.

    Laid out wide first, a form's inputs moved under a click on that resize; and a class
    that changes on the resize restyles every widget of the screen before its first frame.
    Outside a running app (no size yet) nothing is set: Textual's resize does it."""
    try:
        width = screen.app.size.width
    except Exception:  # noqa: BLE001 - made outside a running app (no size): Textual's own way
        return
    breakpoints = screen.app.HORIZONTAL_BREAKPOINTS or []
    names = {name for _, name in breakpoints}
    chosen = set(screen._get_breakpoint_classes(width, breakpoints))
    screen.update_classes({name: name in chosen for name in names}, animate=False)
