"""Shared fixtures of the operator and context command tests.

``home`` is an empty ``-H`` directory (config, store root and keystore in one place); ``env`` adds
operator ``O`` (key stored, current) built with the library. ``account_server`` is a tiny HTTP
account server, as a managed operator's, served on localhost.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from pynsc import claims as c
from pynsc import keys
from pynsc.keys import KeyPair
from tests.cli import harness
from tests.cli.conftest import Pynsc
from tests.cli.harness import Home, QuietHandler, home_dir, make_current, new_operator, serve
from tests.cli.harness import only_error_line as error_line

__all__ = ["AccountServer", "Env", "Home", "account_server", "env", "error_line", "home"]


@dataclass
class Env(Home):
    """``home`` with operator ``O``, its identity key stored, current in nsc.json."""

    operator: KeyPair

    def add_operator(self, name: str, *, signing_key: KeyPair | None = None) -> KeyPair:
        _, _, key = new_operator(self.dir, name, signing_key=signing_key)
        return key

    def add_account(
        self, name: str, *, signer: KeyPair | None = None, operator: str = "O"
    ) -> KeyPair:
        return harness.new_account(
            self.store(operator), self.keystore, name, signer or self.operator
        )

    def add_user(
        self, account: str, name: str, *, signer: KeyPair | None = None, operator: str = "O"
    ) -> KeyPair:
        return harness.new_user(self.store(operator), self.keystore, account, name, signer=signer)


@pytest.fixture
def home(tmp_path: Path, pynsc: Pynsc) -> Home:
    return Home(home_dir(tmp_path), pynsc)


@pytest.fixture
def env(tmp_path: Path, pynsc: Pynsc) -> Env:
    directory = home_dir(tmp_path)
    _, _, operator = new_operator(directory)
    make_current(directory)
    return Env(directory, pynsc, operator)


def assert_valid(token: str, expected: type[c.ClaimsData]) -> Any:
    """``token`` decodes as ``expected`` with no blocking validation issue (time checks too)."""
    return harness.assert_valid(token, expected, on_copy=False)


# A managed operator's account server -------------------------------------------------------------


@dataclass
class AccountServer:
    """Serves ``GET /jwt/v1/operator``; ``POST /jwt/v1/accounts/<key>`` re-signs the account
    with the operator key (as Synadia's server does); ``GET`` returns it."""

    operator: KeyPair
    operator_jwt: str = ""
    accounts: dict[str, str] = field(default_factory=dict)
    posted: dict[str, str] = field(default_factory=dict)
    url: str = ""

    @property
    def operator_url(self) -> str:
        return f"{self.url}/jwt/v1/operator"


def _handler(server: AccountServer) -> type[QuietHandler]:
    class Handler(QuietHandler):
        def do_GET(self) -> None:
            if self.path == "/jwt/v1/operator":
                self.reply(200, server.operator_jwt)
                return
            key = self.path.rsplit("/", 1)[-1]
            if self.path.startswith("/jwt/v1/accounts/") and key in server.accounts:
                self.reply(200, server.accounts[key])
                return
            self.reply(404, "not found")

        def do_POST(self) -> None:
            key = self.path.rsplit("/", 1)[-1]
            body = self.rfile.read(int(self.headers["Content-Length"])).decode()
            claims = c.decode(body, c.AccountClaims)
            if not self.path.startswith("/jwt/v1/accounts/") or claims.sub != key:
                self.reply(400, "bad request")
                return
            server.posted[key] = body
            server.accounts[key] = c.encode(claims, server.operator)
            self.reply(200, "")

    return Handler


@pytest.fixture
def account_server() -> Iterator[AccountServer]:
    operator = keys.generate("operator")
    state = AccountServer(operator)
    server = serve(_handler(state))
    state.url = server.url
    claims = c.OperatorClaims(sub=operator.public_key, name="T")
    claims.nats.account_server_url = f"{state.url}/jwt/v1"
    claims.nats.operator_service_urls = ["nats://127.0.0.1:4222"]
    state.operator_jwt = c.encode(claims, operator)
    try:
        yield state
    finally:
        server.stop()


def v1_operator_jwt(name: str = "V1", account_server_url: str = "") -> str:
    """A v1 operator JWT (``alg: ed25519``, top-level ``type``), as nsc 0.5 wrote them."""
    import base64

    operator = keys.generate("operator")
    nats: dict[str, Any] = {}
    if account_server_url:
        nats["account_server_url"] = account_server_url
    payload = {
        "jti": "X",
        "iat": 1_600_000_000,
        "iss": operator.public_key,
        "name": name,
        "sub": operator.public_key,
        "type": "operator",
        "nats": nats,
    }

    def b64(data: bytes) -> str:
        return base64.urlsafe_b64encode(data).rstrip(b"=").decode()

    header = b64(b'{"typ":"jwt","alg":"ed25519"}')
    body = b64(json.dumps(payload).encode())
    return f"{header}.{body}.{b64(operator.sign(body.encode()))}"
