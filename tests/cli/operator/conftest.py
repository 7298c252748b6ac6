"""Shared fixtures of the operator and context command tests.

``home`` is an empty ``-H`` directory (config, store root and keystore in one place); ``env`` adds
operator ``O`` (key stored, current) built with the library. ``account_server`` is a tiny HTTP
account server, as a managed operator's, served on localhost.
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
from pynsc.store import Store, ToolConfig, ops
from tests.cli.conftest import Pynsc
from tests.cli.treehash import tree_digest


@dataclass
class Home:
    """A ``-H`` directory: nsc.json, the operator directories and the keystore all live here."""

    dir: Path
    runner: Pynsc

    def run(self, *args: str, input: str | None = None) -> Result:
        """``pynsc -H <dir> ARGS...``."""
        return self.runner("-H", str(self.dir), *args, input=input)

    def ok(self, *args: str, input: str | None = None) -> Result:
        result = self.run(*args, input=input)
        assert result.exit_code == 0, (result.stdout, result.stderr)
        return result

    def json(self, *args: str) -> dict[str, Any]:
        """Run with ``--json``: stdout is one JSON object, which must be ``ok``."""
        result = self.ok(*args, "--json")
        payload: dict[str, Any] = json.loads(result.stdout)
        assert payload["ok"] is True, payload
        return payload

    def digest(self) -> str:
        return tree_digest(self.dir)

    @property
    def keystore(self) -> KeyStore:
        return KeyStore(self.dir)

    def store(self, operator: str = "O") -> Store:
        return Store.open(self.dir, operator)

    def config(self) -> ToolConfig:
        return ToolConfig.load(self.dir / "nsc.json")


@dataclass
class Env(Home):
    """``home`` with operator ``O``, its identity key stored, current in nsc.json."""

    operator: KeyPair = field(default_factory=lambda: keys.generate("operator"))

    def add_operator(self, name: str, *, signing_key: KeyPair | None = None) -> KeyPair:
        key = keys.generate("operator")
        self.keystore.store(key)
        store = Store.create(self.dir, name)
        claims = c.OperatorClaims(sub=key.public_key, name=name)
        if signing_key is not None:
            self.keystore.store(signing_key)
            claims.nats.signing_keys.append(signing_key.public_key)
        ops.save_operator(store, claims, key)
        with store.lock():
            pass
        return key

    def add_account(
        self, name: str, *, signer: KeyPair | None = None, operator: str = "O"
    ) -> KeyPair:
        account = keys.generate("account")
        self.keystore.store(account)
        claims = c.AccountClaims(sub=account.public_key, name=name)
        ops.save_account(self.store(operator), name, claims, signer or self.operator)
        return account

    def add_user(
        self, account: str, name: str, *, signer: KeyPair | None = None, operator: str = "O"
    ) -> KeyPair:
        user = keys.generate("user")
        self.keystore.store(user)
        store = self.store(operator)
        acc = store.account(account)
        claims = c.UserClaims(sub=user.public_key, name=name)
        signing = ops.account_signer(
            self.keystore, acc, private_key=signer.seed if signer is not None else None
        )
        ops.save_user(store, self.keystore, account, acc, claims, signing)
        return user


@pytest.fixture
def home(tmp_path: Path, pynsc: Pynsc) -> Home:
    directory = tmp_path / "nsc"
    directory.mkdir()
    return Home(directory, pynsc)


@pytest.fixture
def env(tmp_path: Path, pynsc: Pynsc) -> Env:
    directory = tmp_path / "nsc"
    directory.mkdir()
    result = Env(directory, pynsc)
    result.keystore.store(result.operator)
    store = Store.create(directory, "O")
    ops.save_operator(
        store, c.OperatorClaims(sub=result.operator.public_key, name="O"), result.operator
    )
    with store.lock():  # lock files exist before a digest is taken
        pass
    ToolConfig.update(directory / "nsc.json", store_root=str(directory), operator="O")
    return result


def assert_valid(token: str, expected: type[c.ClaimsData]) -> Any:
    """``token`` decodes as ``expected`` with no blocking validation issue (time checks too)."""
    claims = c.decode(token, expected)
    results = c.validate(claims)
    assert not results.is_blocking(True), [str(i) for i in results]
    return claims


def error_line(result: Result) -> str:
    """The ``Error:`` line of a failed run, without the prefix; nothing on stdout."""
    assert result.exit_code != 0, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
    assert len(lines) == 1, result.stderr
    return lines[0].removeprefix("Error: ")


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


def _handler(server: AccountServer) -> type[http.server.BaseHTTPRequestHandler]:
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
            key = self.path.rsplit("/", 1)[-1]
            if self.path.startswith("/jwt/v1/accounts/") and key in server.accounts:
                self._send(200, server.accounts[key])
                return
            self._send(404, "not found")

        def do_POST(self) -> None:
            key = self.path.rsplit("/", 1)[-1]
            body = self.rfile.read(int(self.headers["Content-Length"])).decode()
            claims = c.decode(body, c.AccountClaims)
            if not self.path.startswith("/jwt/v1/accounts/") or claims.sub != key:
                self._send(400, "bad request")
                return
            server.posted[key] = body
            server.accounts[key] = c.encode(claims, server.operator)
            self._send(200, "")

    return Handler


@pytest.fixture
def account_server() -> Iterator[AccountServer]:
    operator = keys.generate("operator")
    state = AccountServer(operator)
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    state.url = f"http://127.0.0.1:{httpd.server_address[1]}"
    claims = c.OperatorClaims(sub=operator.public_key, name="T")
    claims.nats.account_server_url = f"{state.url}/jwt/v1"
    claims.nats.operator_service_urls = ["nats://127.0.0.1:4222"]
    state.operator_jwt = c.encode(claims, operator)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join()


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
