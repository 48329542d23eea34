"""The boxes a clerk types into (the form's values, the search, a dialog's note), taking
what a keyboard, an input method, a mouse and a clipboard really send over SSH.

- Arriving at a box selects what it holds, by the keyboard as by a click: typing
  replaces it ("vào ô là chọn cả số: gõ là thay"). A click in a box already being
  edited puts the cursor there, to change part of the value.
- Alt+Backspace deletes the word before the cursor, Alt+D to the end of the word (the
  space after it stays, as in bash), Alt+B /
  Alt+F and Alt+← / Alt+→ move by a word (readline's keys; typeahead.py reads ESC DEL
  as Alt+Backspace only where a box binds it).
- A Vietnamese input method that corrects a letter may first send an invisible
  character (U+200C ZERO WIDTH NON-JOINER) and one more Backspace to delete it: the
  box counts the invisible character as typed, so that Backspace deletes it and not the
  letter before it. It is never stored: the value is what the clerk sees.
- A paste with line breaks of any kind (a newline, Word's U+000B, U+000C, U+0085,
  U+2028, U+2029) is several values or several lines, never its first line with the
  rest dropped: a form's box for a figure fills the boxes below, or refuses the paste
  whole when there are not enough of them (FormInput); a box for text (the note, a
  text field, the search, a dialog's line) joins the lines with a space and says so. A paste longer than the box takes is
  refused with a short message, and the box is left as it was.
"""

from __future__ import annotations

import re
from typing import Any

from textual import events
from textual.binding import Binding
from textual.message import Message
from textual.widgets import Input

from bluezone_tui.base.vn import fmt_int

# Every line break str.splitlines() knows, as one class: a paste from Word, a web page or
# another system ends its lines with any of them.
LINE_BREAK = re.compile("\r\n|[\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")
# readline's kill-word (Alt+D): whatever is not a word before the cursor's word, then the
# word; the space after it stays ("mot |hai ba" -> "mot | ba").
_TO_WORD_END = re.compile(r"\W*\w*")
# Characters that take no room on screen and that input methods send as a marker.
INVISIBLE = frozenset("\u200b\u200c\u200d\u2060\ufeff")


def paste_lines(text: str) -> list[str]:
    """The lines of a paste, whatever ends them; the break a copy ends with is no line."""
    lines = LINE_BREAK.split(text)
    if len(lines) > 1 and lines[-1] == "":
        lines.pop()
    return lines


def paste_cells(text: str) -> list[str]:
    """The values in a paste: its lines (a column copied from a spreadsheet) and tab-separated
    cells (a row), in reading order. The line break a spreadsheet ends a copy with is not a
    value."""
    return [cell for line in paste_lines(text) for cell in line.split("\t")]


class TypedInput(Input):
    """A one-line box: word keys, invisible input-method marks, select on arrival, pastes.

    `limit`: the most characters the box takes (0: no limit); more typed rings, a longer
    paste is refused with a message.
    """

    BINDINGS = [
        Binding("ctrl+a", "select_all", show=False),
        Binding("alt+backspace", "delete_left_word", show=False),
        Binding("alt+d,alt+delete", "delete_right_word", show=False),
        Binding("alt+b,alt+left", "cursor_left_word", show=False),
        Binding("alt+f,alt+right", "cursor_right_word", show=False),
    ]

    def __init__(self, *args: Any, limit: int = 0, **kwargs: Any) -> None:
        super().__init__(*args, max_length=limit, **kwargs)
        self.limit = limit
        self._invisible = 0  # invisible characters typed at the cursor, not yet deleted
        self._arrived = False  # focus came and nothing was typed or clicked in the box since

    # ------------------------------------------------------------------ arriving
    # (Textual calls each class's handler in turn, Input's after these, unless prevented.)

    def _on_focus(self, event: events.Focus) -> None:
        self._arrived = True
        self._invisible = 0

    async def _on_mouse_down(self, event: events.MouseDown) -> None:
        """A click that brings the focus selects the value, as arriving by Tab does; a
        click in the box being edited puts the cursor there (Input's own)."""
        if self._arrived:
            self._arrived = False
            event.prevent_default()
            self.select_all()

    # ------------------------------------------------------------------ typing

    async def _on_key(self, event: events.Key) -> None:
        self._arrived = False
        if event.character in INVISIBLE:  # an input method's mark: typed, but not shown
            event.stop()
            event.prevent_default()
            self._invisible += 1
        elif event.key == "backspace" and self._invisible:  # it deletes the mark, not a letter
            event.stop()
            event.prevent_default()
            self._invisible -= 1
        else:
            self._invisible = 0

    def action_delete_right_word(self) -> None:
        """Alt+D as readline and bash do it: to the end of the word, not into the space after
        it (Textual's deletes to the next word's start: "mot hai ba" became "mot bonba")."""
        if not self.selection.is_empty or self.password:
            super().action_delete_right_word()
            return
        start = self.cursor_position
        hit = _TO_WORD_END.match(self.value, start)
        assert hit is not None  # \W*\w* matches anywhere, if only the empty string
        self.delete(start, hit.end())

    # ------------------------------------------------------------------ pasting

    def _on_paste(self, event: events.Paste) -> None:
        event.stop()
        event.prevent_default()
        self._arrived = False
        self._invisible = 0
        lines = paste_lines(event.text)
        text = " ".join(line.replace("\t", " ") for line in lines)
        if self.refuse_long([text]):
            return
        if self.selection.is_empty:
            self.insert_text_at_cursor(text)
        else:
            self.replace(text, *self.selection)
        if len(lines) > 1 or "\t" in event.text:
            self.notify(
                f"Ô này chỉ có một dòng: {fmt_int(len(lines))} dòng dán vào được nối bằng "
                "dấu cách.",
                timeout=6,
            )

    def refuse_long(self, texts: list[str]) -> bool:
        """Refuse (with a short message) a paste of `texts` that this box could not take."""
        if not self.limit:
            return False
        kept = len(self.value) - len(self.selected_text)
        longest = max(len(text) for text in texts)
        if longest + kept <= self.limit:
            return False
        self.app.bell()
        self.notify(
            f"Chưa dán: đoạn dán dài {fmt_int(longest)} ký tự, ô này nhận tối đa "
            f"{fmt_int(self.limit)} ký tự. Ô không đổi.",
            severity="error",
            timeout=8,
        )
        return True


class FormInput(TypedInput):
    """One value of a form, with the keys of a data-entry grid.

    Tab, Enter and Down go to the next input, Shift+Tab and Up to the previous one.
    A paste of several lines or cells fills this input and the following ones in
    order, as a spreadsheet does (the form's FormScreen.fill_following); into a `text`
    input (the note, a text field) it is one value, its lines joined with a space.
    """

    BINDINGS = [
        Binding("tab,enter,down", "screen.next_input", show=False),
        Binding("shift+tab,up", "screen.previous_input", show=False),
    ]

    class Pasted(Message):
        """Several values pasted at once into `target`."""

        def __init__(self, target: FormInput, cells: list[str]) -> None:
            super().__init__()
            self.target = target
            self.cells = cells

    def __init__(self, *args: Any, text: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.text = text

    def _on_paste(self, event: events.Paste) -> None:
        """Several values: the form fills this input and the ones below (one value: the
        one-line paste of TypedInput, called next, as for a text input)."""
        cells = [] if self.text else paste_cells(event.text)
        if len(cells) > 1:
            event.stop()
            event.prevent_default()
            self._arrived = False
            self.post_message(self.Pasted(self, cells))
