"""Fixtures of the account-server tests: push, pull, activations and ``load`` against the HTTP
account server of :mod:`tests.cli.account_server` (base path ``/jwt/v1``).

* ``env``: operator ``O`` (its key stored, current) with accounts ``A`` and ``B``, built with the
  library; ``server``: an account server of that operator (it trusts the operator's keys and
  stores what it is sent as is); ``linked``: ``env`` after ``pynsc edit operator
  --account-jwt-server-url <server>``, the server serving the edited operator JWT.
* ``managed_server``: the account server of a new managed operator ``T`` (it re-signs self-signed
  accounts); ``home``: an empty ``-H`` directory.

Every failed run must print one ``Error:`` line, no traceback, and change nothing on disk.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import Result

from pynsc import claims as c
from pynsc import keys
from pynsc.keys import KeyPair
from tests.cli import harness
from tests.cli.account_server import AccountServer, serve_operator, start_account_server
from tests.cli.conftest import Pynsc
from tests.cli.harness import StoreEnv, home_dir, only_error_line

__all__ = [
    "AccountServer",
    "Env",
    "Home",
    "lines",
    "refused_port_url",
    "register_account",
    "resign",
]


class Env(StoreEnv):
    """``-H home`` with operator ``O``; failures print exactly one ``Error:`` line."""

    def error_message(self, result: Result) -> str:
        return only_error_line(result)


class Home(harness.Home):
    """An empty ``-H home``; failures print exactly one ``Error:`` line."""

    def error_message(self, result: Result) -> str:
        return only_error_line(result)


def lines(text: str) -> list[str]:
    """The lines of ``text`` with their indentation removed."""
    return [line.strip() for line in text.splitlines()]


def resign(
    token: str,
    signer: KeyPair,
    *,
    iat: int,
    change: Callable[[c.AccountClaims], None] | None = None,
) -> str:
    """The account JWT ``token`` signed again by ``signer`` with issue time ``iat`` (after
    ``change(claims)`` when given)."""
    claims = c.decode(token, c.AccountClaims)
    if change is not None:
        change(claims)
    return c.encode(claims, signer, iat=iat)


def refused_port_url() -> str:
    """An http URL on 127.0.0.1 nothing listens on."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/jwt/v1"


@pytest.fixture
def env(tmp_path: Path, pynsc: Pynsc) -> Env:
    return Env.create(home_dir(tmp_path), pynsc, accounts=("A", "B"))


@pytest.fixture
def server(env: Env) -> Iterator[AccountServer]:
    state = serve_operator(env.operator, env.store.operator_token())
    try:
        yield state
    finally:
        state.stop()


@pytest.fixture
def linked(env: Env, server: AccountServer) -> Env:
    """``env`` whose operator names ``server`` as its account server (set with the CLI)."""
    env.ok("edit", "operator", "--account-jwt-server-url", server.account_server_url)
    server.operator_jwt = env.store.operator_token()
    return env


@pytest.fixture
def managed_server() -> Iterator[AccountServer]:
    state = start_account_server()
    try:
        yield state
    finally:
        state.stop()


@pytest.fixture
def home(tmp_path: Path, pynsc: Pynsc) -> Home:
    return Home(home_dir(tmp_path), pynsc)


def register_account(server: AccountServer, name: str = "Acme") -> KeyPair:
    """A new account, self-signed and posted to the managed ``server``, which signs it."""
    from pynsc.push import http

    key = keys.generate("account")
    token = c.encode(c.AccountClaims(sub=key.public_key, name=name), key)
    http.push_account(server.account_server_url, key.public_key, token)
    return key
