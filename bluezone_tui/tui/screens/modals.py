"""Small question boxes: a message and a few keys, each with what it does; or a message
and a line to write (why a cumulative figure went down, why a sent day changes)."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.events import Key
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from bluezone_tui.tui.widgets.inputs import TypedInput


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


class NoteScreen(ModalScreen[str | None]):
    """Shows `message` and asks for one line of text: Enter (or F2) gives it, Esc gives
    None. An empty answer is not an answer: the box says so and stays."""

    BINDINGS = [
        Binding("escape", "cancel", show=False),
        Binding("f2,ctrl+s", "submit", show=False),
    ]

    def __init__(
        self, title: str, message: str, limit: int = 0, placeholder: str = "lý do…"
    ) -> None:
        super().__init__()
        self.title_text = title
        self.message = message
        self.limit = limit
        self.placeholder = placeholder

    def compose(self) -> ComposeResult:
        with Vertical(id="choice-box"):
            yield Static(self.title_text, id="choice-title")
            yield Static(self.message, id="choice-message", markup=False)
            yield TypedInput(id="note-answer", limit=self.limit, placeholder=self.placeholder)
            yield Static("", id="note-missing", markup=False)
            yield Static("[b]Enter[/b] Lưu   [b]Esc[/b] Không, sửa lại", id="choice-keys")

    def on_mount(self) -> None:
        self.query_one("#note-answer", TypedInput).focus()

    @on(Input.Submitted, "#note-answer")
    def submitted(self) -> None:
        self.action_submit()

    def action_submit(self) -> None:
        text = self.query_one("#note-answer", TypedInput).value
        if not text.strip():
            self.app.bell()
            self.query_one("#note-missing", Static).update("✗ Cần ghi lý do trước khi lưu.")
            return
        self.dismiss(text)

    def action_cancel(self) -> None:
        self.dismiss(None)
