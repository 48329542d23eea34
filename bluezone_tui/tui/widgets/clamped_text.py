"""A line or two of text that fits the width it is given: the board's bars, a screen's title."""

from __future__ import annotations

from typing import Any

from textual.widgets import Static

from bluezone_tui.tui.widgets.fit import clamp_lines


class ClampedText(Static):
    """Text wrapped to the width there is, at most `max_lines` lines, cut only with "…"."""

    def __init__(self, max_lines: int, **kwargs: Any) -> None:
        super().__init__("", markup=False, **kwargs)
        self.max_lines = max_lines
        self.text = ""

    def show(self, text: str) -> None:
        self.text = text
        self._fit()

    def on_resize(self) -> None:
        self._fit()

    def _fit(self) -> None:
        self.display = bool(self.text)
        self.update(clamp_lines(self.text, self.content_size.width, self.max_lines))
