"""Exports and activations: operator ``O`` with account ``A`` (built with the library), helpers to
add exports and set the operator's account server, and a tiny local HTTP account server.

The store and runner come from :mod:`tests.cli.user.conftest` (:class:`Env`): ``env.fails(...)``
proves a failed command changed nothing under ``-H home`` (store, keystore, nsc.json).
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest

from pynsc import claims as c
from pynsc.store import ops
from tests.cli.harness import QuietHandler, assert_valid, serve
from tests.cli.user.conftest import Env, env

__all__ = [
    "AccountServer",
    "account_server",
    "add_export",
    "assert_account_valid",
    "assert_valid",
    "env",
    "exports",
    "set_account_server",
]


@pytest.fixture(autouse=True)
def _every_jwt_valid(request: pytest.FixtureRequest) -> Iterator[None]:
    """After each test using ``env``: every account JWT in the store decodes and validates with
    no blocking issue (whatever the commands wrote)."""
    env: Env | None = None
    if "env" in request.fixturenames:
        env = request.getfixturevalue("env")
    yield
    if env is None:
        return
    for name in env.store.account_names():
        claims = c.decode(env.store.account_token(name), c.AccountClaims)
        assert claims.name == name
        results = c.validate(copy.deepcopy(claims))
        assert not results.is_blocking(), (name, [str(i) for i in results])


def add_export(env: Env, account: str, subject: str, **fields: Any) -> c.Export:
    """Export ``subject`` of ``account`` (a stream unless ``type="service"``), via the library."""
    fields.setdefault("type", c.STREAM)
    export = c.Export(name=fields.pop("name", subject), subject=subject, **fields)
    env.edit_account(account, lambda claims: claims.nats.exports.append(export))
    return export


def exports(env: Env, account: str = "A") -> list[c.Export]:
    return env.store.account(account).nats.exports


def set_account_server(env: Env, url: str) -> None:
    operator = env.store.operator()
    operator.nats.account_server_url = url
    ops.save_operator(env.store, operator, env.operator)


def assert_account_valid(env: Env, account: str = "A") -> c.AccountClaims:
    claims: c.AccountClaims = assert_valid(env.store.account_token(account))
    return claims


# A local account server -------------------------------------------------------------------------


@dataclass
class Posted:
    path: str
    content_type: str
    body: str


@dataclass
class AccountServer:
    """``POST`` anything: recorded, answered with ``status`` and ``reply``."""

    url: str
    posted: list[Posted] = field(default_factory=list)
    status: int = 200
    reply: str = ""


@pytest.fixture
def account_server() -> Iterator[AccountServer]:
    """An HTTP account server on 127.0.0.1 (a thread); its url ends in ``/jwt/v1``."""
    state = AccountServer(url="")

    class Handler(QuietHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length).decode()
            state.posted.append(Posted(self.path, self.headers.get("Content-Type") or "", body))
            self.reply(state.status, state.reply, content_type=None)

    server = serve(Handler, poll_interval=0.01)
    state.url = f"{server.url}/jwt/v1"
    try:
        yield state
    finally:
        server.stop()
