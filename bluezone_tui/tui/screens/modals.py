"""A small question box: a message and a few keys, each with what it does."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.events import Key
from textual.screen import ModalScreen
from textual.widgets import Input, Static


class ChoiceScreen(ModalScreen[str | None]):
    """Shows `message`; pressing one of `choices`' keys dismisses with that key."""

    def __init__(
        self, title: str, message: str, choices: dict[str, str], name: str | None = None
    ) -> None:
        super().__init__(name=name)
        self.title_text = title
        self.message = message
        self.choices = choices

    def compose(self) -> ComposeResult:
        keys = "   ".join(
            f"[b]{'Esc' if key == 'escape' else key}[/b] {label}"
            for key, label in self.choices.items()
        )
        with Vertical(id="choice-box"):
            yield Static(self.title_text, id="choice-title")
            yield Static(self.message, id="choice-message", markup=False)
            yield Static(keys, id="choice-keys")

    def on_key(self, event: Key) -> None:
        event.stop()
        event.prevent_default()
        if event.key in self.choices:
            self.dismiss(event.key)
        elif event.key == "escape":
            self.dismiss(None)
        else:  # not an answer: say so, and keep the question up
            self.app.bell()


class ReasonScreen(ModalScreen[str | None]):
    """Asks for a line of text (why a sent day's figures change): Enter with some text
    answers it, Esc answers None."""

    def __init__(self, title: str, message: str, name: str | None = None) -> None:
        super().__init__(name=name)
        self.title_text = title
        self.message = message

    def compose(self) -> ComposeResult:
        with Vertical(id="choice-box"):
            yield Static(self.title_text, id="choice-title")
            yield Static(self.message, id="choice-message", markup=False)
            yield Input(placeholder="lý do sửa", id="reason")
            yield Static("[b]Enter[/b] lưu với lý do này   [b]Esc[/b] không lưu", id="choice-keys")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if event.value.strip():
            self.dismiss(event.value.strip())
        else:
            self.app.bell()

    def on_key(self, event: Key) -> None:
        if event.key == "escape":
            event.stop()
            self.dismiss(None)
