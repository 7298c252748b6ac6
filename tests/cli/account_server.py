"""A small HTTP account server for the CLI tests (nsc-spec §4.10, jwt-spec §5.9), like nsc's
``RunTestAccountServer``: it runs on 127.0.0.1 in a thread, under the base path ``/jwt/v1``.

=====================================  =========================================================
``GET  /jwt/v1/operator``              the operator JWT (``/jwt/v2/operator`` answers 404)
``GET  /jwt/v1/accounts``              200, empty: nats-server's startup probe
``POST /jwt/v1/accounts/<pub>``        the raw account JWT: it must decode, be for ``<pub>`` and
                                       be issued by the operator or one of its signing keys (a
                                       *managed* operator's server instead re-signs self-signed
                                       accounts with the operator key); stored, then answered
                                       with :attr:`AccountServer.post_status`
``GET  /jwt/v1/accounts/<pub>``        the stored JWT (200), 404 when there is none
``POST /jwt/v1/activations``           the raw activation JWT, stored under its hash id
``GET  /jwt/v1/activations/<hash id>`` the stored activation (200), 404 when there is none
=====================================  =========================================================

Tests read what was posted (:attr:`AccountServer.posts`, :attr:`AccountServer.requests`), set
how it answers (``post_status``/``post_message``, ``get_status``, ``get_override``), and stop it.
:func:`start_account_server` serves a new managed operator; :func:`serve_operator` serves an
existing operator of a test store (its key signs the JWT the server hands out).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pynsc import claims as c
from pynsc import keys
from pynsc.keys import KeyPair
from tests.cli.harness import LocalServer, QuietHandler, serve

__all__ = ["BASE_PATH", "AccountServer", "serve_operator", "start_account_server"]

BASE_PATH = "/jwt/v1"
OPERATOR = "T"


@dataclass
class AccountServer:
    """The server's state; tests read what was posted and set how it answers."""

    operator: KeyPair
    operator_jwt: str = ""
    url: str = ""
    #: a managed operator's server: self-signed accounts are re-signed with the operator key
    resign: bool = True
    #: every account JWT posted and taken, in order, as (public key, JWT as posted)
    posts: list[tuple[str, str]] = field(default_factory=list)
    #: the JWT served per account (re-signed when :attr:`resign` re-signed it)
    accounts: dict[str, str] = field(default_factory=dict)
    #: activations by hash id
    activations: dict[str, str] = field(default_factory=dict)
    #: every request, as (method, path)
    requests: list[tuple[str, str]] = field(default_factory=list)
    #: the status answered to posts (200: live; 202: accepted for later; 400: refused). A
    #: status of 300 or more refuses the JWT, which is then not stored
    post_status: int = 200
    post_message: str = ""
    #: the status answered to account GETs (200 serves the account)
    get_status: int = 200
    #: when set, account GETs answer this JWT instead of the stored one
    get_override: str | None = None
    _server: LocalServer | None = None

    @property
    def operator_url(self) -> str:
        return f"{self.url}{BASE_PATH}/operator"

    @property
    def account_server_url(self) -> str:
        return f"{self.url}{BASE_PATH}"

    def trusted(self) -> set[str]:
        """The keys account JWTs may be issued by: the operator and its signing keys."""
        operator = c.decode(self.operator_jwt, c.OperatorClaims)
        return {operator.sub, *operator.nats.signing_keys}

    def posted(self, account_key: str) -> list[c.AccountClaims]:
        """The claims of every JWT posted for ``account_key``, oldest first (verified)."""
        return [c.decode(token, c.AccountClaims) for key, token in self.posts if key == account_key]

    def last_posted(self, account_key: str) -> c.AccountClaims:
        found = self.posted(account_key)
        assert found, f"nothing was posted for {account_key}"
        return found[-1]

    def take(self, body: str, key: str) -> tuple[int, str]:
        """Check a posted account JWT; store it (re-signed when :attr:`resign`). The answer."""
        try:
            claims = c.decode(body, c.AccountClaims)
        except Exception as e:  # noqa: BLE001 - the server answers 400 to anything bad
            return 400, f"bad jwt: {e}"
        if claims.sub != key:
            return 400, f"the jwt is for {claims.sub}, not {key}"
        self_signed = claims.iss == claims.sub
        if claims.iss not in self.trusted() and not (self.resign and self_signed):
            return 400, f"untrusted issuer {claims.iss}"
        if self.post_status >= 300:
            return self.post_status, self.post_message
        self.posts.append((key, body))
        self.accounts[key] = c.encode(claims, self.operator) if self_signed else body
        return self.post_status, self.post_message

    def take_activation(self, body: str) -> tuple[int, str]:
        try:
            claims = c.decode(body, c.ActivationClaims)
        except Exception as e:  # noqa: BLE001
            return 400, f"bad activation: {e}"
        if self.post_status >= 300:
            return self.post_status, self.post_message
        self.activations[claims.hash_id()] = body
        return self.post_status, self.post_message

    def stop(self) -> None:
        """Shut the server down: its port refuses connections afterwards."""
        if self._server is not None:
            self._server.stop()
            self._server = None


def _handler(server: AccountServer) -> type[QuietHandler]:
    accounts = f"{BASE_PATH}/accounts"
    activations = f"{BASE_PATH}/activations"

    class Handler(QuietHandler):
        def do_GET(self) -> None:
            path = self.path.split("?", 1)[0]
            server.requests.append(("GET", path))
            if path == f"{BASE_PATH}/operator":
                self.reply(200, server.operator_jwt)
            elif path in (accounts, accounts + "/"):
                self.reply(200, "", content_type=None)
            elif path.startswith(accounts + "/"):
                key = path.removeprefix(accounts + "/")
                if key not in server.accounts:
                    self.reply(404, "not found", content_type="text/plain")
                elif server.get_status != 200:
                    self.reply(server.get_status, "unavailable", content_type="text/plain")
                else:
                    self.reply(200, server.get_override or server.accounts[key])
            elif path.startswith(activations + "/"):
                found = server.activations.get(path.removeprefix(activations + "/"))
                if found is None:
                    self.reply(404, "not found", content_type="text/plain")
                else:
                    self.reply(200, found)
            else:
                self.reply(404, "not found", content_type="text/plain")

        def do_POST(self) -> None:
            path = self.path.split("?", 1)[0]
            server.requests.append(("POST", path))
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode()
            if self.headers.get("Content-Type") != "application/jwt":
                status, message = 400, "expected application/jwt"
            elif path.startswith(accounts + "/"):
                status, message = server.take(body, path.removeprefix(accounts + "/"))
            elif path == activations:
                status, message = server.take_activation(body)
            else:
                status, message = 404, "not found"
            self.reply(status, message, content_type="text/plain")

    return Handler


def _start(state: AccountServer) -> AccountServer:
    state._server = serve(_handler(state), poll_interval=0.02)
    state.url = state._server.url
    return state


def start_account_server(account_server_url: str | None = None) -> AccountServer:
    """A running server of a new managed operator ``T`` (no seed anywhere but here);
    ``account_server_url`` overrides the URL in its operator JWT (default: this server)."""
    operator = keys.generate("operator")
    state = _start(AccountServer(operator))
    claims = c.OperatorClaims(sub=operator.public_key, name=OPERATOR)
    claims.nats.account_server_url = (
        state.account_server_url if account_server_url is None else account_server_url
    )
    state.operator_jwt = c.encode(claims, operator)
    return state


def serve_operator(operator: KeyPair, operator_jwt: str, *, resign: bool = False) -> AccountServer:
    """A running server for an existing operator: ``operator_jwt`` is what it serves, and what
    it trusts (the operator and its signing keys); ``operator`` re-signs when ``resign``."""
    return _start(AccountServer(operator, operator_jwt, resign=resign))
