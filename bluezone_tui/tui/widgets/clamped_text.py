"""A line or two of text that fits the width it is given: the board's bars, a screen's title."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from textual.content import Content
from textual.geometry import Size
from textual.visual import VisualType
from textual.widgets import Static

from bluezone_tui.tui.widgets.fit import clamp_lines

if TYPE_CHECKING:
    from textual.css.styles import RulesMap


class ClampedText(Static):
    """Text wrapped to the width there is, at most `max_lines` lines, cut only with "…".

    The text is fitted when Textual lays the widget out (its height at the width it
    gets) and draws it (at its width), so it is right on the first frame: fitted on
    `show` and again on each resize, it was drawn empty first (no width yet), then
    a frame later with its text.
    """

    def __init__(self, max_lines: int, **kwargs: Any) -> None:
        super().__init__("", markup=False, **kwargs)
        self.max_lines = max_lines
        self.text = ""
        self.display = False  # nothing to show yet: takes no line
        self._fitted: tuple[str, int, Content] = ("", 0, Content(""))

    def show(self, text: str) -> None:
        if text == self.text:
            return  # as it is (a layout for nothing would cost the first frame a refresh)
        self.text = text
        self.display = bool(text)
        self.refresh(layout=True)

    def _fit(self, width: int) -> Content:
        text, fitted_to, content = self._fitted
        if text != self.text or fitted_to != width:
            content = Content(clamp_lines(self.text, width, self.max_lines))
            self._fitted = (self.text, width, content)
        return content

    def render(self) -> Content:
        return self._fit(self.content_size.width)

    @property
    def content(self) -> VisualType:
        """Static's content: the text as fitted to the widget's width (as shown)."""
        return self._fit(self.content_size.width).plain

    @content.setter
    def content(self, content: VisualType) -> None:
        self.show(str(content))

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        if not width:
            return 0
        # the widget's styles, as Textual's own Widget.get_content_height hands them over
        return self._fit(width).get_height(cast("RulesMap", self.styles), width)
