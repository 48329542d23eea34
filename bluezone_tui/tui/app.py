"""The board application: what every screen shares, and the board as its first screen.

The `App` holds the data folder, the registry, the store and the clock; each
screen (the board, the form, the trend, help, dialogs) owns its widgets and
its keys, as posting's MainScreen does.
"""

from __future__ import annotations

import os
import sys
import threading
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from textual._context import active_message_pump
from textual.await_complete import AwaitComplete
from textual.binding import Binding
from textual.notifications import Notification, Notify, SeverityLevel
from textual.screen import Screen
from textual.widget import Widget

from bluezone_tui.base.clock import Clock
from bluezone_tui.base.safe_text import printable
from bluezone_tui.git.wanted import history_wanted
from bluezone_tui.registry.model import Registry
from bluezone_tui.tui.screens.board import BoardScreen
from bluezone_tui.tui.terminal_check import encoding_problem
from bluezone_tui.tui.theme import THEME
from bluezone_tui.tui.typeahead import TypeAheadApp

if TYPE_CHECKING:
    from bluezone_tui.day.store import Store
    from bluezone_tui.git.repository import DataRepository

# The store (and TOML's parser with it) and git's modules are loaded where first used:
# the first frame needs neither, unless the folder keeps its history in git.

POLL_SECONDS = 1.0
# The board's styles are app.tcss; every other screen's are this file's, added when the
# board is drawn (or before the first of them opens): not parsed for the first frame.
SCREENS_CSS = Path(__file__).with_name("screens.tcss")


class BoardApp(TypeAheadApp[None]):
    CSS_PATH = [Path(__file__).with_name("app.tcss")]
    TITLE = "Bluezone"
    ENABLE_COMMAND_PALETTE = False
    BINDINGS = [Binding("f1", "help", "Trợ giúp", key_display="F1", show=False)]
    # below 80 columns the form's labels are narrower (screens.tcss: .-narrow)
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (80, "-wide")]

    def __init__(
        self,
        data_dir: Path,
        registry: Registry,
        day: date,
        clock: Clock,
        poll_seconds: float = POLL_SECONDS,
        follow_today: bool = False,
    ) -> None:
        super().__init__()
        self.register_theme(THEME)
        # Set quietly, before anything is parsed: the reactive's watcher would ask for the
        # whole stylesheet to be parsed a second time just after the first parse (which
        # is given the theme's variables here), ~20 ms of the first frame. What else it
        # does for a theme set at start: the app's class naming the theme, and the ANSI
        # colours' mapping (the default theme's and ours are both dark).
        self.set_reactive(BoardApp.theme, THEME.name)
        self.stylesheet.set_variables(self.get_css_variables())
        self.set_class(True, f"-theme-{THEME.name}", update=False)
        self._refresh_truecolor_filter(self.ansi_theme)
        self.data_dir = data_dir
        self.registry = registry
        self.clock = clock
        self._store: Store | None = None
        self._store_made = threading.Lock()  # first asked for by the worker reading the day
        # the data folder's git repository when history is on (None: saves are files only);
        # `history: git` that cannot be had is a configuration error before anything is drawn
        self.repository: DataRepository | None = None
        if history_wanted(data_dir, registry):
            from bluezone_tui.git.repository import open_repository

            self.repository = open_repository(data_dir, registry)
        self.board = BoardScreen(day, poll_seconds, follow_today)
        # information a screen above the board gave, by the screen that gave it
        self._screen_notices: list[tuple[Notification, Screen[object]]] = []

    @property
    def store(self) -> Store:
        """The day's files, read through one store (its parse cache): made when first
        asked for, once the board is drawn."""
        with self._store_made:
            if self._store is None:
                from bluezone_tui.day.store import Store

                self._store = Store(self.data_dir, self.registry)
            return self._store

    @store.setter
    def store(self, store: Store) -> None:
        with self._store_made:
            self._store = store

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        """Textual's notify, remembering which screen said it: what a form said for
        information ("Đã tải bản 1…", "Đã dán…") closes with the form, and never covers
        the board's "✓ Đã lưu bản N" at 60x20. Warnings and errors stay their time."""
        notification = Notification(
            message,
            title,
            severity,
            self.NOTIFICATION_TIMEOUT if timeout is None else timeout,
            markup=markup,
        )
        # the widget whose handler is running (Textual has no public way to ask)
        pump = active_message_pump.get(None)
        screen = pump.screen if isinstance(pump, Widget) else None
        if severity == "information" and screen is not None and screen is not self.board:
            self._screen_notices.append((notification, screen))
        self.post_message(Notify(notification))

    def pop_screen(self) -> AwaitComplete:
        closed = self.screen
        done = super().pop_screen()
        own = [n for n, screen in self._screen_notices if screen is closed]
        self._screen_notices = [(n, s) for n, s in self._screen_notices if s is not closed]
        for notification in own:  # expired now, even one whose Notify is still on its way
            notification.timeout = 0
        if own:
            self._refresh_notifications()  # Textual has no public way to take one down
        return done

    def get_default_screen(self) -> BoardScreen:
        return self.board

    def add_screens_css(self) -> None:
        """The other screens' styles (screens.tcss), once: as the app's own CSS, with the
        same priority as app.tcss (its rules name only those screens' widgets, so no widget
        already styled needs styling again)."""
        where = str(SCREENS_CSS)
        if not self.stylesheet.has_source(where, ""):
            css = SCREENS_CSS.read_text(encoding="utf-8")
            self.stylesheet.add_source(css, read_from=(where, ""), is_default_css=False)

    def _load_screen_css(self, screen: Screen[object]) -> None:
        """Textual loads a screen's own CSS as it is pushed: ours, for any screen but the
        board, if the board has not added them yet (a screen pushed before its first frame)."""
        if screen is not self.board:
            self.add_screens_css()
        super()._load_screen_css(screen)

    def check_sharing(self) -> None:
        """Started by the board once its first frame is drawn: a thread started before it
        would take the interpreter's lock from the frame."""
        self.run_worker(self._check_sharing, thread=True, group="sharing", exit_on_error=False)

    def _check_sharing(self) -> None:
        """Once on start, in a data folder several logins share: what the group cannot
        write (another clerk's saves would be refused), named with its owner and fix."""
        from bluezone_tui.base.sharing import sharing_notice, sharing_problems

        problems = [p for p in sharing_problems(self.data_dir, self.board.day) if p.is_error]
        if problems:
            self.notify(sharing_notice(problems), severity="warning", timeout=60, markup=False)

    async def action_quit(self) -> None:
        """q / Ctrl+Q: quit, but never silently past a form with figures not yet saved."""
        from bluezone_tui.tui.screens.form import FormScreen
        from bluezone_tui.tui.screens.modals import ChoiceScreen

        if isinstance(self.screen, ChoiceScreen) and self.screen.name == "quit":
            self.bell()  # already asking: only «y» quits without saving
            return
        unsaved = [s for s in self.screen_stack if isinstance(s, FormScreen) and s.dirty]
        if not unsaved:
            self.exit()
            return

        def answered(choice: str | None) -> None:
            if choice == "y":
                self.exit()

        self.push_screen(
            ChoiceScreen(
                "Thoát?",
                f"Biểu mẫu {printable(unsaved[0].unit_name)} có số chưa lưu. "
                "Thoát và bỏ các số đó?",
                {"y": "Thoát, bỏ số chưa lưu", "n": "Ở lại"},
                name="quit",
            ),
            answered,
        )

    def _fatal_error(self) -> None:
        """A bug: a sentence in Vietnamese on leaving, not a traceback (BLUEZONE_DEBUG=1
        shows it), as every other command does; the exit code is 1 (run_board)."""
        if os.environ.get("BLUEZONE_DEBUG"):
            super()._fatal_error()
            return
        self.bell()
        error = self._exception
        what = f"{type(error).__name__}: {error}" if error is not None else "không rõ"
        self._exit_renderables.append(
            f"Lỗi không mong đợi, bảng đã đóng ({printable(what)}). Số đã lưu vẫn còn; chạy "
            "lại với BLUEZONE_DEBUG=1 để xem chi tiết."
        )
        self._close_messages_no_wait()

    def action_help_quit(self) -> None:
        """Ctrl+C: say how to quit (Textual's own hint is in English)."""
        self.notify("Để thoát: q trên bảng, hoặc Ctrl+Q.", timeout=4)

    def action_help(self) -> None:
        from bluezone_tui.tui.screens.help import HelpScreen

        # the board's whole warning first when git is not on a branch: the way back
        self.push_screen(HelpScreen(self.board.head_warning))


def run_board(
    data_dir: Path, registry: Registry, day: date, clock: Clock, follow_today: bool = False
) -> int:
    """Run the board on `day`; with `follow_today` (no --date) it moves on at midnight.

    Exit 2 (a configuration error) before anything is drawn if the session's locale
    cannot show Vietnamese; 1 if the board stopped on a bug (said in a sentence).
    """
    problem = encoding_problem(sys.__stdout__, sys.__stderr__)
    if problem is not None:
        print(problem, file=sys.__stderr__)
        return 2
    app = BoardApp(data_dir, registry, day, clock, follow_today=follow_today)
    app.run()
    return app.return_code or 0  # 1 if the board stopped on a bug
