"""The real board in a pseudo-terminal: bytes in as a terminal sends them, the screen read back.

Pilot's `press` waits for each key to be handled, so it cannot show what happens
when keys arrive together, as they do over a slow SSH link, from a paste or from a
clerk who types ahead. Here the app is the real `bluezone board` process; keys are
written to the pty in one `write` (a burst) or one by one with a gap, and the screen
is read through pyte, a terminal emulator, so a test waits on what is shown, never on
a guessed delay.
"""

from __future__ import annotations

import fcntl
import os
import signal
import struct
import subprocess
import sys
import termios
import threading
import time
import tomllib
from collections.abc import Callable
from pathlib import Path

import pyte

# What a terminal (xterm, tmux, PuTTY) sends for each key, by tmux's names for them.
KEYS = {
    "Enter": b"\r",
    "Tab": b"\t",
    "BTab": b"\x1b[Z",
    "BSpace": b"\x7f",
    "Delete": b"\x1b[3~",
    "Escape": b"\x1b",
    "Up": b"\x1b[A",
    "Down": b"\x1b[B",
    "Right": b"\x1b[C",
    "Left": b"\x1b[D",
    "Home": b"\x1b[H",
    "End": b"\x1b[F",
    "F1": b"\x1bOP",
    "F2": b"\x1bOQ",
    "F5": b"\x1b[15~",
    "C-a": b"\x01",
    "C-e": b"\x05",
    "C-q": b"\x11",
    "C-s": b"\x13",
    "C-u": b"\x15",
}
PASTE_START, PASTE_END = b"\x1b[200~", b"\x1b[201~"
TIMEOUT = 30.0  # generous: CI shares two cores; a passing test never waits this long


def keys(*parts: str | bytes) -> bytes:
    """tmux-style key names and literal text -> the bytes a terminal sends for them (bytes,
    from click(), wheel() or paste(), pass as they are)."""
    return b"".join(
        part if isinstance(part, bytes) else KEYS.get(part, part.encode("utf-8")) for part in parts
    )


def click(x: int, y: int) -> bytes:
    """A left click at column x, line y (from 0), as a terminal reports it in SGR mode
    (ESC [ < 0 ; x ; y M, then m: the button down, then up; SGR counts from 1)."""
    return f"\x1b[<0;{x + 1};{y + 1}M\x1b[<0;{x + 1};{y + 1}m".encode()


def wheel(x: int, y: int, down: bool = True) -> bytes:
    """One turn of the mouse wheel at column x, line y (from 0), in SGR mode."""
    return f"\x1b[<{65 if down else 64};{x + 1};{y + 1}M".encode()


def paste(text: str) -> bytes:
    """A bracketed paste, as a terminal sends it when the clerk pastes `text`."""
    return PASTE_START + text.encode("utf-8") + PASTE_END


class Board:
    """`bluezone board` running in a pseudo-terminal of `cols` x `rows`."""

    def __init__(
        self,
        data: Path,
        day: str,
        now: str,
        cols: int = 100,
        rows: int = 34,
        user: str | None = None,
        login_env: dict[str, str] | None = None,
        env: dict[str, str] | None = None,
        first_unit: str = "Xã Long Khánh B",
    ) -> None:
        """`user`: the board of another login (`runuser -u USER`, tests/helpers/logins.py),
        `login_env` its whole environment; `env`: variables added to it."""
        self.data = data
        self.day = day
        self.first_unit = first_unit  # a name the board shows once the day is read
        self.screen = pyte.Screen(cols, rows)
        self.stream = pyte.ByteStream(self.screen)
        self.lock = threading.Lock()
        primary, secondary = os.openpty()
        fcntl.ioctl(secondary, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
        if login_env is None:
            login_env = {
                k: v for k, v in os.environ.items() if not k.startswith(("BLUEZONE_", "TEXTUAL"))
            }
        extra_env = env
        env = {**login_env, "TERM": "xterm-256color", "LANG": "C.UTF-8"}
        env.update(COLUMNS=str(cols), LINES=str(rows))
        env.update(extra_env or {})
        login = ["runuser", "-u", user, "--"] if user is not None else []
        self.process = subprocess.Popen(
            [*login, sys.executable, "-m", "bluezone_tui", "--data", str(data), "board",
             "--date", day, "--now", now],
            stdin=secondary, stdout=secondary, stderr=secondary,
            env=env, start_new_session=True, close_fds=True,
        )  # fmt: skip
        os.close(secondary)
        self.fd = primary
        self.raw = bytearray()
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        while True:
            try:
                chunk = os.read(self.fd, 65536)
            except OSError:
                return
            if not chunk:
                return
            with self.lock:
                self.raw.extend(chunk)
                self.stream.feed(chunk)

    # ------------------------------------------------------------------ input

    def send(self, data: bytes) -> None:
        """Everything in one write: the app reads it as one burst."""
        os.write(self.fd, data)

    def type(self, *parts: str | bytes, gap: float = 0.0) -> None:
        """Keys one write each, `gap` seconds apart (a clerk typing, or holding a key); a
        bytes part (a click, a paste) is one write of its own."""
        for part in parts:
            if isinstance(part, bytes):
                chunks = [part]
            else:
                chunks = [KEYS[part]] if part in KEYS else [c.encode() for c in part]
            for chunk in chunks:
                os.write(self.fd, chunk)
                time.sleep(gap)

    # ------------------------------------------------------------------ output

    def text(self) -> str:
        with self.lock:
            return "\n".join(self.screen.display)

    def wait_for(self, what: str | Callable[[str], bool], timeout: float = TIMEOUT) -> str:
        """Wait until the screen shows `what` (or satisfies it); the screen's text."""
        check = what if callable(what) else (lambda text: what in text)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            text = self.text()
            if check(text):
                return text
            if self.process.poll() is not None:
                raise AssertionError(f"the board exited ({self.process.returncode}):\n{text}")
            time.sleep(0.02)
        raise AssertionError(
            f"not shown within {timeout}s: {what!r}\n--- screen ---\n{self.text()}"
        )

    def wait_gone(self, what: str, timeout: float = TIMEOUT) -> str:
        return self.wait_for(lambda text: what not in text, timeout)

    def wait_still(self, still: float = 0.5, timeout: float = TIMEOUT) -> str:
        """Wait until the screen has not changed for `still` seconds (the events sent so far
        have all been handled, the clock's second aside); the screen's text."""
        deadline = time.monotonic() + timeout
        last, since = self.text(), time.monotonic()
        while time.monotonic() < deadline:
            time.sleep(0.05)
            text = self.text()
            if _without_clock(text) != _without_clock(last):
                last, since = text, time.monotonic()
            elif time.monotonic() - since >= still:
                return text
        raise AssertionError(f"the screen kept changing for {timeout}s:\n{self.text()}")

    def find(self, what: str, timeout: float = TIMEOUT) -> tuple[int, int]:
        """Where `what` is on the screen: (column, line), both from 0. Waited for: a frame
        reaches the terminal in several writes, and the one being read may be half drawn
        (its first rows there, the next ones not yet)."""
        self.wait_for(what, timeout)
        with self.lock:
            for y, line in enumerate(self.screen.display):
                if what in line:
                    return line.index(what), y  # pyte: one string index per column
        raise AssertionError(f"{what!r} is not on the screen:\n{self.text()}")

    def highlighted(self) -> list[tuple[int, str]]:
        """The lines drawn in reverse video from their first column (the board's highlighted
        row): (line, text)."""
        with self.lock:
            return [
                (y, self.screen.display[y])
                for y in range(self.screen.lines)
                if self.screen.buffer[y][0].reverse
            ]

    def ready(self) -> Board:
        """Wait for the board's first full frame: the day has been read."""
        self.wait_for(lambda text: "Đang đọc" not in text and self.first_unit in text)
        return self

    # ------------------------------------------------------------------ files

    def path(self, unit_id: str) -> Path:
        return self.data / "submissions" / self.day / f"{unit_id}.toml"

    def revision(self, unit_id: str) -> int:
        path = self.path(unit_id)
        if not path.exists():
            return 0
        try:
            return tomllib.loads(path.read_text("utf-8")).get("revision", 0)
        except (tomllib.TOMLDecodeError, OSError):  # caught mid-write: not this revision yet
            return -1

    def wait_saved(self, unit_id: str, revision: int, timeout: float = TIMEOUT) -> dict:
        """Wait for `unit_id`'s file to reach `revision`; its content."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.revision(unit_id) >= revision:
                return tomllib.loads(self.path(unit_id).read_text("utf-8"))
            if self.process.poll() is not None:
                raise AssertionError(f"the board exited ({self.process.returncode})")
            time.sleep(0.02)
        raise AssertionError(
            f"{unit_id} not saved as revision {revision} within {timeout}s\n--- screen ---\n"
            + self.text()
        )

    # ------------------------------------------------------------------ end

    def close(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(10)
        os.close(self.fd)
        self.reader.join(5)

    def __enter__(self) -> Board:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _without_clock(text: str) -> str:
    """The screen without its first line (the running clock)."""
    return text.split("\n", 1)[-1]


def read_until_closed(primary: int) -> bytes:
    """All a process wrote to a pseudo-terminal, read from its primary side until the
    secondary side is closed (EIO on Linux, or end of file)."""
    output = b""
    while True:
        try:
            chunk = os.read(primary, 4096)
        except OSError:
            return output
        if not chunk:
            return output
        output += chunk
