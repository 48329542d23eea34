"""Textual Input: keys that arrive in one read are applied out of order.

Run in a terminal (or tmux), then send the keys in ONE write, e.g.
    tmux send-keys -t burst BSpace 9
The input starts as "1315", selected (select_on_focus). Expected "9"; Textual 8.2.8 gives "".
"""

from textual.app import App, ComposeResult
from textual.widgets import Input, Label


class Burst(App[str]):
    def compose(self) -> ComposeResult:
        yield Input(value="1315")
        yield Label("1315", id="shown")

    def on_input_changed(self, event: Input.Changed) -> None:
        self.query_one("#shown", Label).update(repr(event.value))


if __name__ == "__main__":
    Burst().run()
