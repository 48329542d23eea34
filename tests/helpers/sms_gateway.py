"""A real HTTP server on 127.0.0.1 standing in for an SMS gateway, and a recorded stand-in
for gammu-smsd-inject.

The gateway records every request (method, path, headers, body) and answers as the
test says: a status and a body, or nothing at all for a while (a gateway that hangs),
or a dropped connection. Nothing leaves this machine: it listens on 127.0.0.1 only.

`fake_inject` writes an executable `gammu-smsd-inject` that records its argv (one JSON
line per call) and answers as the real one does ("Written message with ID …"), fails,
hangs, or kills the process that ran it (a crash between the outbox's record and the
send). The real gammu-smsd-inject is used where Debian's package is installed.
"""

from __future__ import annotations

import json
import os
import stat
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest


@dataclass
class Request:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes

    @property
    def json(self) -> dict:
        return json.loads(self.body.decode("utf-8"))

    @property
    def form(self) -> dict[str, list[str]]:
        return parse_qs(self.body.decode("utf-8"))

    @property
    def query(self) -> dict[str, list[str]]:
        return parse_qs(urlsplit(self.path).query)


@dataclass
class Behaviour:
    """How the gateway answers; tests change it between requests."""

    status: int = 200
    body: str = '{"status": "ok", "id": "sms-1"}'
    hang_seconds: float = 0.0  # sleep before answering (a gateway that does not answer)
    drop: bool = False  # close the connection without an answer


@dataclass
class Gateway:
    host: str
    port: int
    behaviour: Behaviour
    requests: list[Request] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"


def start_gateway() -> Iterator[Gateway]:
    gateway = Gateway("127.0.0.1", 0, Behaviour())
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:  # quiet
            pass

        def _handle(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            with lock:
                gateway.requests.append(
                    Request(self.command, self.path, dict(self.headers.items()), body)
                )
            behaviour = gateway.behaviour
            if behaviour.hang_seconds:
                time.sleep(behaviour.hang_seconds)
            if behaviour.drop:
                self.close_connection = True
                self.connection.close()
                return
            data = behaviour.body.encode("utf-8")
            self.send_response(behaviour.status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        do_GET = do_POST = _handle  # noqa: N815

    class Server(ThreadingHTTPServer):
        def handle_error(self, request: object, client_address: object) -> None:
            pass  # a client that gave up on a hanging answer: nothing to report

    server = Server(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    gateway.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield gateway
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def sms_gateway() -> Iterator[Gateway]:
    yield from start_gateway()


# ----------------------------------------------------------------------------- gammu

FAKE_INJECT = '''#!{python}
"""A recorded stand-in for gammu-smsd-inject: argv appended to {log} as JSON."""
import json, os, signal, sys, time
with open({log!r}, "a", encoding="utf-8") as log:
    log.write(json.dumps(sys.argv[1:], ensure_ascii=False) + "\\n")
mode = os.environ.get("FAKE_INJECT", "ok")
if mode == "fail":
    print("gammu-smsd-inject[1]: Failed to inject message: Error opening device", file=sys.stderr)
    sys.exit(2)
if mode == "hang":
    time.sleep(30)
if mode == "crash-parent":
    os.kill(os.getppid(), signal.SIGKILL)
    time.sleep(5)
number = sys.argv[sys.argv.index("TEXT") + 1]
print("gammu-smsd-inject[1]: Created outbox message OUTC20200826_140000_00_%s_sms0.smsbackup" % number)
print("Written message with ID /var/spool/gammu/outbox/OUTC20200826_140000_00_%s_sms0.smsbackup" % number)
'''


@dataclass
class FakeInject:
    command: Path
    log: Path

    def calls(self) -> list[list[str]]:
        if not self.log.exists():
            return []
        return [json.loads(line) for line in self.log.read_text("utf-8").splitlines()]


def fake_inject(folder: Path) -> FakeInject:
    """An executable gammu-smsd-inject in `folder` that records how it was called."""
    folder.mkdir(parents=True, exist_ok=True)
    command = folder / "gammu-smsd-inject"
    log = folder / "inject-calls.jsonl"
    command.write_text(FAKE_INJECT.format(python=sys.executable, log=str(log)), "utf-8")
    command.chmod(command.stat().st_mode | stat.S_IXUSR)
    return FakeInject(command, log)


@dataclass
class GammuSpool:
    """gammu-smsd's files backend in a temp folder, and a dummy phone (no modem)."""

    config: Path
    outbox: Path
    sent: Path
    error: Path
    log: Path


def gammu_spool(folder: Path) -> GammuSpool:
    paths = {name: folder / name for name in ("inbox", "outbox", "sent", "error", "dummy")}
    for path in paths.values():
        path.mkdir(parents=True, exist_ok=True)
    log = folder / "smsd.log"
    config = folder / "smsdrc"
    config.write_text(
        "[gammu]\n"
        f"device = {paths['dummy']}/\n"
        "connection = none\n"
        "model = dummy\n\n"
        "[smsd]\n"
        "Service = files\n"
        "PIN = 1234\n"
        f"LogFile = {log}\n"
        f"InboxPath = {paths['inbox']}/\n"
        f"OutboxPath = {paths['outbox']}/\n"
        f"SentSMSPath = {paths['sent']}/\n"
        f"ErrorSMSPath = {paths['error']}/\n",
        "utf-8",
    )
    return GammuSpool(config, paths["outbox"], paths["sent"], paths["error"], log)


def decoded_backup(path: Path) -> tuple[str, str]:
    """(number, text) of a gammu SMS backup file: its parts' UCS-2 hex joined."""
    number, text = "", []
    for line in path.read_text("utf-8", errors="replace").splitlines():
        key, _, value = line.partition(" = ")
        if key == "Number":
            number = value.strip('"')
        elif key.startswith("Text"):
            text.append(bytes.fromhex(value).decode("utf-16-be"))
    return number, "".join(text)


def on_path(folder: Path) -> dict[str, str]:
    """The environment with `folder` first on PATH."""
    return {**os.environ, "PATH": f"{folder}{os.pathsep}{os.environ.get('PATH', '')}"}
