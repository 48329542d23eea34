"""Typed ahead: every input event is handled in the order it came, each after the one before.

Textual hands a key to the focused widget's own queue as soon as it is read, and an
Input's editing keys (Backspace, End, …) run as bindings only once the key has
bubbled back up to the app. When keys arrive together (over a slow SSH link, from a
paste, from a clerk who types ahead) a key therefore lands before the previous key's
effect: in the board while the form that Enter opens is not there yet, in an input
the Tab has left, or before the Backspace typed ahead of it (Textual #6605). Here an
event is delivered only once the app has finished reacting to the one before, exactly
as if it had been typed slowly: the form, the dialog or the board it opened is ready
and focused. Every input event waits its turn: keys, pastes, and the mouse (a click,
the wheel, a drag), so a click typed after Enter lands on the form Enter opened, and
letters typed after a click on the footer's "/ Tìm" land in the search box. A key the
app presses itself (a footer key clicked) is the click's effect: it goes first.

The terminal's bytes are the other half. A terminal sends Esc then q as the same
bytes as Alt+q; the board binds no Alt key, so an escape followed at once by a key is
read as the two keys typed, except where the focused widget has a use for Alt+key: in
a text box Alt+Backspace (ESC DEL, or ESC BS) deletes a word, Alt+B / Alt+F move by a
word, Alt+D deletes the next word, as readline does over SSH. Alt with an arrow key
comes as ESC [1;3D from xterm and as ESC ESC [D from PuTTY and rxvt: both are read as
Alt+arrow, never as an Escape then an arrow. An Enter typed before the board started
arrives as a newline, read as Enter.

A byte that is not UTF-8 (a PuTTY session left on Latin-1 or Windows-1258 sends é as
0xE9) would stop Textual's reader thread (it decodes strictly) and with it the board.
The reader decodes leniently here: such a byte is dropped from keys and pastes, and
the clerk is told once how to set the terminal to UTF-8.
"""

from __future__ import annotations

import asyncio
import codecs
import errno
import os
import re
import sys
from collections import deque
from collections.abc import Callable, Iterable
from time import monotonic
from typing import Any, Generic, TypeVar

from textual import events
from textual._xterm_parser import XTermParser
from textual.app import App, ScreenStackError
from textual.driver import Driver
from textual.message import Message
from textual.message_pump import MessagePump
from textual.screen import Screen

ReturnType = TypeVar("ReturnType")

SETTLE_POLL = 0.002  # seconds between looks while the app is still reacting to a key
# A key is never held longer than this: if something keeps the app busy that long,
# the key is delivered anyway (held forever would be a key lost).
SETTLE_LIMIT = 3.0
ESC = "\x1b"
UNDECODABLE = "\ufffd"  # what a byte that is not UTF-8 is read as (codecs' "replace")
NOT_UTF8 = (
    "Cửa sổ dòng lệnh gửi chữ không theo mã UTF-8: đã bỏ ký tự không đọc được. "
    "Trong PuTTY chọn Window → Translation → UTF-8."
)


def lenient_decoder(encoding: str) -> Callable[[], codecs.IncrementalDecoder]:
    """codecs.getincrementaldecoder for the terminal reader: a byte that does not decode
    becomes U+FFFD (then dropped by the parser) instead of an exception that kills the
    reader thread."""
    decoder = codecs.getincrementaldecoder(encoding)

    def make() -> codecs.IncrementalDecoder:
        return decoder(errors="replace")

    return make


# Alt + a cursor or editing key as PuTTY and rxvt send it (ESC, then the key's own
# sequence), rewritten as xterm sends it (ESC [1;3D), which Textual reads as alt+left.
_ESC_ESC_CSI = re.compile("\x1b\x1b(?:\\[([A-DHF])|O([A-DHF])|\\[([2356])~)")


def _xterm_alt(match: re.Match[str]) -> str:
    letter = match[1] or match[2]
    return f"\x1b[1;3{letter}" if letter else f"\x1b[{match[3]};3~"


class AltOrEscape(events.Key):
    """ESC and a key that arrived together: the same bytes as Alt+key, or as Esc then the
    key typed quickly. Which one is decided when its turn comes (TypeAheadApp): Alt+key
    if the focused widget binds it (a text box: Alt+Backspace deletes a word), else the
    keys typed, in order (`typed`). It is never given to Textual as it is (its handler
    name is not on_key's): the app turns it into the keys it stands for."""

    def __init__(self, key: str, typed: list[events.Key]) -> None:
        super().__init__(key, None)
        self.typed = typed


class UndecodableInput(events.Key):
    """Bytes from the terminal that were not UTF-8: never typed into anything, the app
    says once what to change in the terminal (TypeAheadApp)."""

    def __init__(self) -> None:
        super().__init__("undecodable", None)


def _drop_undecodable(message: Message) -> Iterable[Message]:
    if isinstance(message, events.Key) and message.character == UNDECODABLE:
        yield UndecodableInput()
    elif isinstance(message, events.Paste) and UNDECODABLE in message.text:
        yield events.Paste(message.text.replace(UNDECODABLE, ""))
        yield UndecodableInput()
    else:
        yield message


class TypedKeysParser(XTermParser):
    """Reads the keys a clerk typed, where the terminal's bytes are ambiguous.

    ESC + a key that no sequence starts with is an AltOrEscape, never Textual's guess
    (ESC DEL was Ctrl+W, ESC b Ctrl+Left, ESC q Alt+Q). A newline is Enter: keys typed
    before the board has set up the terminal pass the terminal's line discipline, which
    turns Enter's CR into NL (Ctrl+J to Textual).
    """

    def feed(self, data: str) -> Iterable[Message]:
        if "\x1b\x1b" in data:
            data = _ESC_ESC_CSI.sub(_xterm_alt, data)
        for message in super().feed(data):
            yield from _drop_undecodable(message)

    def tick(self) -> Iterable[Message]:
        for message in super().tick():
            yield from _drop_undecodable(message)

    def _sequence_to_key_events(self, sequence: str, alt: bool = False) -> Iterable[events.Key]:
        if sequence == "\n":
            yield events.Key("enter", "\r")
            return
        if alt:  # ESC then a key, reissued after the escape delay
            yield events.Key("escape", ESC)
            yield from super()._sequence_to_key_events(sequence)
            return
        if len(sequence) == 2 and sequence[0] == ESC and sequence[1] not in "[O" + ESC:
            typed = [events.Key("escape", ESC), *super()._sequence_to_key_events(sequence[1])]
            if typed[-1].character == UNDECODABLE:
                yield from typed  # an Esc, then a byte that is dropped
            elif len(typed) == 2 and not typed[1].key.startswith(("alt+", "ctrl+", "escape")):
                yield AltOrEscape(f"alt+{typed[1].key}", typed)
            else:
                yield from typed
            return
        yield from super()._sequence_to_key_events(sequence, alt)


def _idle(pump: MessagePump) -> bool:
    """Nothing left in `pump`'s queue, nor callbacks due after its current message.

    Textual has no public flag for this. A handler still awaiting something is not
    seen here, but the next key is handed over through the app's own queue, so it
    always comes after whatever the app is handling.
    """
    return pump._message_queue.empty() and not pump._next_callbacks


def _moving(screen: Screen[Any]) -> bool:
    """The screen's layout is not yet what it will be drawn as (a form just opened, rows
    just added): where a click lands is not known yet. Textual has no public flag."""
    return bool(screen._layout_required or screen._scroll_required or screen._recompose_required)


# What waits its turn: everything the clerk does with the keyboard, clipboard or mouse.
TYPED = (events.Key, events.Paste, events.MouseEvent)


class _InputEnds:
    """The `os` Textual's driver module sees: `os` itself, but a read of the terminal's
    input that ends (EOF) or fails (EIO, the terminal gone) calls `on_end` once. Textual's
    own loop skips an empty read and keeps selecting the same readable descriptor, busy,
    for ever; an EIO ends its thread with nobody told: either way a board whose terminal
    is gone ran on, at a core's worth."""

    def __init__(self) -> None:
        self.watched: dict[int, Callable[[], None]] = {}

    def __getattr__(self, name: str) -> Any:
        return getattr(os, name)

    def read(self, fd: int, size: int) -> bytes:
        try:
            data = os.read(fd, size)
        except OSError as exc:
            if fd not in self.watched or exc.errno not in (errno.EIO, errno.EBADF, errno.ENXIO):
                raise
            data = b""
        if not data and fd in self.watched:
            self.watched.pop(fd)()
        return data


_INPUT_ENDS = _InputEnds()


def _ending_with_its_terminal(driver_class: type[Driver]) -> type[Driver]:
    """`driver_class` (Textual's Linux driver) whose input thread tells the app, and
    stops, when the terminal's input ends or fails (_InputEnds)."""
    module = sys.modules.get(driver_class.__module__)
    if module is None or getattr(module, "os", None) not in (os, _INPUT_ENDS):
        return driver_class
    module.os = _INPUT_ENDS  # type: ignore[attr-defined]

    def run_input_thread(self: Any) -> None:
        app = self._app

        def ended() -> None:
            self.exit_event.set()  # Textual's loop ends at its next look
            loop = getattr(app, "_loop", None)
            if loop is not None and not loop.is_closed():
                loop.call_soon_threadsafe(app.terminal_gone)

        _INPUT_ENDS.watched[self.fileno] = ended
        try:
            driver_class.run_input_thread(self)  # type: ignore[attr-defined]
        finally:
            _INPUT_ENDS.watched.pop(self.fileno, None)

    return type(driver_class.__name__, (driver_class,), {"run_input_thread": run_input_thread})


class TypeAheadApp(App[ReturnType], Generic[ReturnType]):
    """An App whose input events wait, in order, until the app has settled."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._typed: deque[events.Event] = deque()
        self._reacting = False  # a key was delivered and the app may still be reacting
        self._settler: asyncio.Task[None] | None = None
        self._told_not_utf8 = False

    def get_driver_class(self) -> type[Driver]:
        driver_class = super().get_driver_class()
        module = sys.modules.get(driver_class.__module__)
        if module is not None and getattr(module, "XTermParser", None) is XTermParser:
            module.XTermParser = TypedKeysParser  # type: ignore[attr-defined]  # swaps the parser class the driver module imported
        if module is not None and getattr(module, "getincrementaldecoder", None) is (
            codecs.getincrementaldecoder
        ):
            module.getincrementaldecoder = lenient_decoder  # type: ignore[attr-defined]  # the reader's decoder, strict in Textual
        if callable(getattr(driver_class, "run_input_thread", None)):
            return _ending_with_its_terminal(driver_class)
        return driver_class

    def terminal_gone(self) -> None:
        """The terminal's input ended (EOF) or failed (EIO: an SSH link dropped, a tmux
        session killed): nobody can type into this board again, so it quits, as Ctrl+Q
        would, and saves nothing half-done (an open form is dropped, unsaved)."""
        if not self._exit:
            self.exit()

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, UndecodableInput):
            if not self._told_not_utf8:
                self._told_not_utf8 = True
                self.notify(NOT_UTF8, severity="warning", timeout=15, markup=False)
            return
        if isinstance(event, TYPED) and not event.is_forwarded:
            if self._leaving:
                return  # typed behind the key that quit: nothing is left to take it
            self._typed.append(event)
            if not self._reacting and self._settled():
                await self._deliver()
            else:
                self._wait_then_deliver()
            return
        await super().on_event(event)

    def on_key(self, event: events.Key) -> None:
        """A key that no widget took and no binding wants rings: nothing typed goes silently."""
        if self.screen_stack and not self._wants(event.key):
            self.bell()

    def simulate_key(self, key: str) -> None:
        """A key the app presses itself (a footer key clicked) is the effect of the event
        being handled: it goes before whatever was typed after that event."""
        self._typed.appendleft(events.Key(key, None))
        if not self._reacting:
            self._wait_then_deliver()

    @property
    def _leaving(self) -> bool:
        """The app is quitting (or its last screen is gone): an event handed to Textual now
        would find no screen (ScreenStackError, a traceback after the board has gone)."""
        return self._exit or not self.screen_stack

    async def _deliver(self) -> None:
        """Hand the oldest event to Textual as it arrived, then wait for the app to settle."""
        if self._leaving:
            self._typed.clear()
            return
        event = self._typed.popleft()
        if isinstance(event, AltOrEscape):  # never handed on as it is: not a Key to Textual
            if self._wants(event.key):
                event = events.Key(event.key, None)
            else:
                self._typed.extendleft(reversed(event.typed))  # Esc, then the key: as typed
                event = self._typed.popleft()
        self._reacting = True
        await super().on_event(event)
        self._wait_then_deliver()

    def _wait_then_deliver(self) -> None:
        if self._settler is None or self._settler.done():
            self._settler = asyncio.create_task(self._settle())

    async def _settle(self) -> None:
        give_up = monotonic() + SETTLE_LIMIT
        while self.is_running:
            await asyncio.sleep(SETTLE_POLL)
            if self._settled() and _idle(self) or monotonic() > give_up:
                break
        self._reacting = False
        if self._typed and self.is_running:
            self.call_later(self._deliver_next)

    async def _deliver_next(self) -> None:
        if self._typed and not self._reacting:
            await self._deliver()

    def _wants(self, key: str) -> bool:
        """Whether a binding that is active now (the focused widget's, its screen's, the
        app's) takes `key`."""
        try:
            binding = self.active_bindings.get(key)
        except ScreenStackError:  # shutting down: the last screen is gone, nothing takes keys
            return False
        return binding is not None and binding.enabled

    def _settled(self) -> bool:
        """The active screen is up and nothing on it, nor any screen below, is still busy.

        A screen that needs more than its widgets before keys make sense (the board
        needs the day's rows to find a name) says so with a `ready_for_keys` property.

        The app's own queue is looked at by the caller: while a key is being read the
        app is, by definition, busy with it.
        """
        try:
            screen = self.screen
        except ScreenStackError:  # starting up: no screen to type into yet
            return False
        if not screen.is_mounted or not getattr(screen, "ready_for_keys", True):
            return False
        if self._typed and isinstance(self._typed[0], events.MouseEvent) and _moving(screen):
            return False  # a click lands where the screen is drawn: wait for its layout
        return all(_idle(pump) for pump in (*self.screen_stack, *screen.walk_children()))
