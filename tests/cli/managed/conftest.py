"""Fixtures of the managed-operator tests: a local account server and a store importing it.

``account_server`` is an HTTP account server on 127.0.0.1 in a thread, like nsc's
``RunTestAccountServer``: ``GET /jwt/v1/operator`` serves the operator JWT (whose
``account_server_url`` is ``<url>/jwt/v1``); ``POST /jwt/v1/accounts/<pub>`` keeps the posted JWT
and re-signs its claims with the operator key; ``GET /jwt/v1/accounts/<pub>`` serves the
re-signed JWT. Tests can make it answer other statuses, or stop it.

``managed`` is a ``-H`` home where ``pynsc add operator -u <operator url>`` imported that
operator (store ``T``, managed, current).
"""

from __future__ import annotations

import http.server
import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result

from pynsc import claims as c
from pynsc import keys
from pynsc.keys import KeyPair, KeyStore
from pynsc.store import Store
from tests.cli.conftest import Pynsc
from tests.cli.treehash import tree_digest

OPERATOR = "T"


@dataclass
class AccountServer:
    """The server's state; tests read what was posted and set how it answers."""

    operator: KeyPair
    operator_jwt: str = ""
    url: str = ""
    #: every account JWT posted, in order, as (public key, JWT)
    posts: list[tuple[str, str]] = field(default_factory=list)
    #: the re-signed JWT served per account
    accounts: dict[str, str] = field(default_factory=dict)
    #: the status answered to posts (200: live; 202: accepted for later; 400: refused)
    post_status: int = 200
    post_message: str = ""
    #: the status answered to account GETs (200 serves the account)
    get_status: int = 200
    #: when set, GETs answer this JWT instead of the re-signed one
    get_override: str | None = None
    _httpd: http.server.ThreadingHTTPServer | None = None
    _thread: threading.Thread | None = None

    @property
    def operator_url(self) -> str:
        return f"{self.url}/jwt/v1/operator"

    @property
    def account_server_url(self) -> str:
        return f"{self.url}/jwt/v1"

    def posted(self, account_key: str) -> list[c.AccountClaims]:
        """The claims of every JWT posted for ``account_key``, oldest first (verified)."""
        return [c.decode(token, c.AccountClaims) for key, token in self.posts if key == account_key]

    def last_posted(self, account_key: str) -> c.AccountClaims:
        found = self.posted(account_key)
        assert found, f"nothing was posted for {account_key}"
        return found[-1]

    def stop(self) -> None:
        """Shut the server down: its port refuses connections afterwards."""
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None
        if self._thread is not None:
            self._thread.join()
            self._thread = None


def _handler(server: AccountServer) -> type[http.server.BaseHTTPRequestHandler]:
    prefix = "/jwt/v1/accounts/"

    class Handler(http.server.BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass

        def _send(self, status: int, body: str) -> None:
            data = body.encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/jwt")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self) -> None:
            if self.path == "/jwt/v1/operator":
                self._send(200, server.operator_jwt)
                return
            key = self.path.removeprefix(prefix)
            if not self.path.startswith(prefix) or key not in server.accounts:
                self._send(404, "not found")
            elif server.get_status != 200:
                self._send(server.get_status, "unavailable")
            else:
                self._send(200, server.get_override or server.accounts[key])

        def do_POST(self) -> None:
            key = self.path.removeprefix(prefix)
            body = self.rfile.read(int(self.headers["Content-Length"])).decode()
            try:
                claims = c.decode(body, c.AccountClaims)
            except Exception as e:  # noqa: BLE001 - the server answers 400 to anything bad
                self._send(400, f"bad jwt: {e}")
                return
            if not self.path.startswith(prefix) or claims.sub != key:
                self._send(400, "bad request")
                return
            if self.headers.get("Content-Type") != "application/jwt":
                self._send(400, "expected application/jwt")
                return
            if server.post_status >= 300:
                self._send(server.post_status, server.post_message)
                return
            server.posts.append((key, body))
            server.accounts[key] = c.encode(claims, server.operator)
            self._send(server.post_status, server.post_message)

    return Handler


def start_account_server(account_server_url: str | None = None) -> AccountServer:
    """A running server; ``account_server_url`` overrides the URL in its operator JWT."""
    operator = keys.generate("operator")
    state = AccountServer(operator)
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    state.url = f"http://127.0.0.1:{httpd.server_address[1]}"
    claims = c.OperatorClaims(sub=operator.public_key, name=OPERATOR)
    claims.nats.account_server_url = (
        state.account_server_url if account_server_url is None else account_server_url
    )
    state.operator_jwt = c.encode(claims, operator)
    thread = threading.Thread(
        target=httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
    )
    thread.start()
    state._httpd, state._thread = httpd, thread
    return state


@pytest.fixture
def account_server() -> Iterator[AccountServer]:
    state = start_account_server()
    try:
        yield state
    finally:
        state.stop()


@dataclass
class Home:
    """A ``-H`` directory: nsc.json, the operator directories and the keystore all live here."""

    dir: Path
    runner: Pynsc

    def run(self, *args: str, input: str | None = None) -> Result:
        return self.runner("-H", str(self.dir), *args, input=input)

    def ok(self, *args: str) -> Result:
        result = self.run(*args)
        assert result.exit_code == 0, (result.stdout, result.stderr)
        assert "[ERR" not in result.stderr, result.stderr
        return result

    def json(self, *args: str) -> dict[str, Any]:
        result = self.ok(*args, "--json")
        payload: dict[str, Any] = json.loads(result.stdout)
        assert payload["ok"] is True, payload
        return payload

    def digest(self) -> str:
        return tree_digest(self.dir)

    @property
    def keystore(self) -> KeyStore:
        return KeyStore(self.dir)

    def store(self, operator: str = OPERATOR) -> Store:
        return Store.open(self.dir, operator)

    def account(self, name: str) -> tuple[str, c.AccountClaims]:
        """The stored JWT of account ``name`` and its (verified) claims."""
        token = self.store().account_token(name)
        return token, c.decode(token, c.AccountClaims)


@pytest.fixture
def home(tmp_path: Path, pynsc: Pynsc) -> Home:
    directory = tmp_path / "nsc"
    directory.mkdir()
    return Home(directory, pynsc)


@pytest.fixture
def managed(home: Home, account_server: AccountServer) -> Home:
    """``home`` after ``pynsc add operator -u <the account server's operator URL>``."""
    home.ok("add", "operator", "-u", account_server.operator_url)
    store = home.store()
    assert store.is_managed
    with store.lock():  # lock files exist before a digest is taken
        pass
    return home


def error_line(result: Result) -> str:
    """The ``Error:`` line of a failed run, without the prefix."""
    assert result.exit_code == 1, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
    assert len(lines) == 1, result.stderr
    return lines[0].removeprefix("Error: ")
