"""Fixtures of the managed-operator tests: a local account server and a store importing it.

``account_server`` is the HTTP account server of :mod:`tests.cli.account_server` on 127.0.0.1,
like nsc's ``RunTestAccountServer``: ``GET /jwt/v1/operator`` serves the operator JWT (whose
``account_server_url`` is ``<url>/jwt/v1``); ``POST /jwt/v1/accounts/<pub>`` keeps the posted JWT
and re-signs self-signed claims with the operator key; ``GET /jwt/v1/accounts/<pub>`` serves the
re-signed JWT. Tests can make it answer other statuses, or stop it.

``managed`` is a ``-H`` home where ``pynsc add operator -u <operator url>`` imported that
operator (store ``T``, managed, current).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import Result

from pynsc import claims as c
from pynsc.store import Store
from tests.cli import harness
from tests.cli.account_server import OPERATOR, AccountServer, start_account_server
from tests.cli.conftest import Pynsc
from tests.cli.harness import home_dir, only_error_line

__all__ = [
    "OPERATOR",
    "AccountServer",
    "Home",
    "account_server",
    "error_line",
    "home",
    "managed",
    "start_account_server",
]


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
