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

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from click.testing import Result

from pynsc import claims as c
from pynsc import keys
from pynsc.keys import KeyPair
from pynsc.store import Store
from tests.cli import harness
from tests.cli.conftest import Pynsc
from tests.cli.harness import LocalServer, QuietHandler, home_dir, only_error_line, serve

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
    _server: LocalServer | None = None

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
        if self._server is not None:
            self._server.stop()
            self._server = None


def _handler(server: AccountServer) -> type[QuietHandler]:
    prefix = "/jwt/v1/accounts/"

    class Handler(QuietHandler):
        def do_GET(self) -> None:
            if self.path == "/jwt/v1/operator":
                self.reply(200, server.operator_jwt)
                return
            key = self.path.removeprefix(prefix)
            if not self.path.startswith(prefix) or key not in server.accounts:
                self.reply(404, "not found")
            elif server.get_status != 200:
                self.reply(server.get_status, "unavailable")
            else:
                self.reply(200, server.get_override or server.accounts[key])

        def do_POST(self) -> None:
            key = self.path.removeprefix(prefix)
            body = self.rfile.read(int(self.headers["Content-Length"])).decode()
            try:
                claims = c.decode(body, c.AccountClaims)
            except Exception as e:  # noqa: BLE001 - the server answers 400 to anything bad
                self.reply(400, f"bad jwt: {e}")
                return
            if not self.path.startswith(prefix) or claims.sub != key:
                self.reply(400, "bad request")
                return
            if self.headers.get("Content-Type") != "application/jwt":
                self.reply(400, "expected application/jwt")
                return
            if server.post_status >= 300:
                self.reply(server.post_status, server.post_message)
                return
            server.posts.append((key, body))
            server.accounts[key] = c.encode(claims, server.operator)
            self.reply(server.post_status, server.post_message)

    return Handler


def start_account_server(account_server_url: str | None = None) -> AccountServer:
    """A running server; ``account_server_url`` overrides the URL in its operator JWT."""
    operator = keys.generate("operator")
    state = AccountServer(operator)
    state._server = serve(_handler(state), poll_interval=0.02)
    state.url = state._server.url
    claims = c.OperatorClaims(sub=operator.public_key, name=OPERATOR)
    claims.nats.account_server_url = (
        state.account_server_url if account_server_url is None else account_server_url
    )
    state.operator_jwt = c.encode(claims, operator)
    return state


@pytest.fixture
def account_server() -> Iterator[AccountServer]:
    state = start_account_server()
    try:
        yield state
    finally:
        state.stop()


class Home(harness.Home):
    """A ``-H`` directory: nsc.json, the operator directories and the keystore all live here."""

    def ok(self, *args: str, input: str | None = None) -> Result:
        """Run; it must succeed and log no ``[ERR`` line."""
        result = super().ok(*args, input=input)
        assert "[ERR" not in result.stderr, result.stderr
        return result

    def store(self, operator: str = OPERATOR) -> Store:
        return super().store(operator)

    def account(self, name: str) -> tuple[str, c.AccountClaims]:
        """The stored JWT of account ``name`` and its (verified) claims."""
        token = self.store().account_token(name)
        return token, c.decode(token, c.AccountClaims)


@pytest.fixture
def home(tmp_path: Path, pynsc: Pynsc) -> Home:
    return Home(home_dir(tmp_path), pynsc)


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
    """The ``Error:`` line of a failed run (exit 1), without the prefix."""
    return only_error_line(result, exit_code=1)
